//! The seed's training patterns and the catalogue's nodes, through the compiler: each
//! template compiles to the plan its graph describes, and each way of getting a graph wrong
//! is refused on the node at fault with a message that says what to change. No graph, however
//! broken, makes the compiler or the shape inference panic.

use kindling::core::compile::compile_error::CompileError;
use kindling::core::compile::compiler::compile;
use kindling::core::compile::plan::LossKind;
use kindling::core::compile::schedule::SchedulerPlan;
use kindling::core::compile::shapes::infer_shapes;
use kindling::core::model::catalogue::{NodeKind, ParamKind};
use kindling::core::model::choices::Monitor;
use kindling::core::model::graph::{Graph, Pos};
use kindling::core::model::node_id::NodeId;
use kindling::core::model::params::{Conv2dSpec, LayerSpec, ParamValue, Pool2dSpec};
use kindling::core::model::templates::{
    TEMPLATES, basic_loop, digits, multi_loss, regression, with_validation,
};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

fn node_of(graph: &Graph, kind: NodeKind) -> NodeId {
    graph.nodes().find(|node| node.kind == kind).unwrap_or_else(|| panic!("no {kind}")).id
}

fn set(graph: &mut Graph, kind: NodeKind, name: &str, value: ParamValue) {
    let node = node_of(graph, kind);
    graph.set_param(node, name, value).unwrap();
}

/// The one error `graph` compiles to; it must be on `kind`'s node and say `says`.
fn refused_on(graph: &Graph, kind: NodeKind, says: &str) {
    let errors = compile(graph).expect_err("the graph is refused");
    let node = node_of(graph, kind);
    assert!(
        errors.iter().any(|error| error.node() == Some(node) && error.to_string().contains(says)),
        "expected an error on {kind} saying {says:?}, got: {:#?}",
        errors.iter().map(ToString::to_string).collect::<Vec<_>>()
    );
}

#[test]
fn every_template_but_blank_compiles() {
    for template in &TEMPLATES {
        let result = compile(&(template.build)());
        if template.slug == "blank" {
            assert!(result.is_err(), "a blank graph has nothing to train");
        } else {
            assert!(result.is_ok(), "{}: {:?}", (template.title)(), result.err());
        }
    }
}

#[test]
fn the_validation_pattern_compiles_to_a_split_a_validation_pass_and_its_monitors() {
    let plan = compile(&with_validation()).unwrap();
    assert_eq!(plan.split.map(|split| split.validation_ratio), Some(0.2));
    let validation = plan.validation.expect("a validation pass");
    assert_eq!((validation.batch_size, validation.shuffle), (200, false));
    let scheduler = plan.scheduler.expect("a scheduler");
    assert!(matches!(scheduler.plan, SchedulerPlan::ReduceOnPlateau { factor: 0.5, .. }), "{scheduler:?}");
    assert_eq!(scheduler.monitor, Monitor::ValLoss, "the plateau watches RunEpoch's epoch_loss");
    let early = plan.tracker.early_stopping.expect("early stopping");
    assert_eq!((early.monitor, early.patience), (Monitor::ValLoss, 25));
    assert!(plan.per_class_on_train, "the graph has an AccuracyMetric");
}

#[test]
fn the_multi_loss_pattern_compiles_to_weighted_terms() {
    let plan = compile(&multi_loss()).unwrap();
    let terms: Vec<(f64, &LossKind)> = plan.loss.terms.iter().map(|term| (term.weight, &term.loss)).collect();
    assert!(matches!(terms.as_slice(), [(1.0, LossKind::Mse(_)), (0.5, LossKind::L1(_))]), "{terms:?}");
}

#[test]
fn regression_and_digits_compile_with_their_shapes() {
    let plan = compile(&regression()).unwrap();
    assert_eq!(plan.network.out_features(), 1);
    let scheduler = plan.scheduler.map(|s| s.plan);
    let Some(SchedulerPlan::Sequential { phases, milestones }) = &scheduler else { panic!("{scheduler:?}") };
    assert_eq!(milestones, &[5], "a five-epoch warm-up");
    assert!(matches!(
        phases.as_slice(),
        [SchedulerPlan::Linear { total_iters: 5, .. }, SchedulerPlan::CosineAnnealing { t_max: 145, .. }]
    ));
    let plan = compile(&digits()).unwrap();
    assert_eq!(plan.network.in_shape, [1, 8, 8], "one channel, as PyTorch's [N, 1, 8, 8]");
    assert_eq!(
        plan.network.layer_labels()[..2],
        ["Flatten [1, 8, 8]→[64]".to_owned(), "Linear 64→64".to_owned()],
        "the Flatten still gives the Linear 64 features"
    );
    assert_eq!(plan.network.out_features(), 10);
}

#[test]
fn shapes_are_inferred_through_the_split_and_the_network() {
    let graph = digits();
    let shapes = infer_shapes(&graph);
    let shape = |kind: NodeKind, port: &str| {
        let node = node_of(&graph, kind);
        let shape = match graph.input(node, port) {
            Some(input) => shapes.input(input),
            None => shapes.output(graph.output(node, port).unwrap()),
        };
        shape.map(ToString::to_string)
    };
    assert_eq!(shape(NodeKind::Dataset, "dataset").as_deref(), Some("1797 × [1, 8, 8] → 10 classes"));
    assert_eq!(shape(NodeKind::DataSplit, "train").as_deref(), Some("1438 × [1, 8, 8] → 10 classes"));
    assert_eq!(shape(NodeKind::DataSplit, "validation").as_deref(), Some("359 × [1, 8, 8] → 10 classes"));
    assert_eq!(shape(NodeKind::GetBatch, "inputs").as_deref(), Some("[64, 1, 8, 8]"));
    assert_eq!(shape(NodeKind::Network, "predictions").as_deref(), Some("[64, 10]"));
    assert_eq!(
        shape(NodeKind::CrossEntropyLoss, "targets").as_deref(),
        Some("[64]"),
        "inputs show their wire's shape"
    );
    let graph = regression();
    let shapes = infer_shapes(&graph);
    let targets = shapes.output(graph.output(node_of(&graph, NodeKind::GetBatch), "targets").unwrap());
    assert_eq!(targets.map(ToString::to_string).as_deref(), Some("[32, 1]"));
}

#[test]
fn a_data_cycle_is_refused_but_the_trigger_loop_is_not() {
    assert!(compile(&basic_loop()).is_ok(), "EpochTracker → GetBatch closes a loop through a trigger");
    let mut graph = multi_loss();
    // CombineLoss's output fed back into the network's input: a loop of tensors.
    let (combine, network) = (node_of(&graph, NodeKind::CombineLoss), node_of(&graph, NodeKind::Network));
    graph.connect_named(combine, "loss", network, "input").unwrap();
    let errors = compile(&graph).unwrap_err();
    let cycle =
        errors.iter().find(|error| matches!(error, CompileError::Cycle { .. })).expect("a cycle error");
    assert!(cycle.to_string().contains("Network #3"), "{cycle}");
    assert!(cycle.to_string().contains("remove one of these wires"), "{cycle}");
}

#[test]
fn two_optimizers_on_one_model_are_refused() {
    let mut graph = basic_loop();
    let adam = graph.add_node(NodeKind::AdamOptimizer, Pos { x: 0.0, y: 400.0 });
    let (network, loss) = (node_of(&graph, NodeKind::Network), node_of(&graph, NodeKind::CrossEntropyLoss));
    graph.connect_named(network, "model", adam, "model").unwrap();
    graph.connect_named(loss, "loss", adam, "loss").unwrap();
    refused_on(&graph, NodeKind::AdamOptimizer, "a model has one optimizer");
}

#[test]
fn a_validation_pass_must_evaluate_held_out_data() {
    let mut graph = with_validation();
    set(&mut graph, NodeKind::RunEpoch, "training", ParamValue::Bool(true));
    refused_on(&graph, NodeKind::RunEpoch, "set training to false");

    // Validation data taken from the split's training output.
    let mut graph = with_validation();
    let (split, samplers) = (node_of(&graph, NodeKind::DataSplit), node_ids(&graph, NodeKind::BatchSampler));
    graph.connect_named(split, "train", samplers[1], "dataset").unwrap();
    let errors = compile(&graph).unwrap_err();
    assert!(
        errors.iter().any(|e| e.node() == Some(samplers[1]) && e.to_string().contains("`validation` output")),
        "{errors:?}"
    );

    // No split at all: the training sampler reads the dataset directly.
    let mut graph = with_validation();
    let dataset = node_of(&graph, NodeKind::Dataset);
    graph.connect_named(dataset, "dataset", samplers[0], "dataset").unwrap();
    refused_on(&graph, NodeKind::RunEpoch, "put a DataSplit after the Dataset");
}

fn node_ids(graph: &Graph, kind: NodeKind) -> Vec<NodeId> {
    graph.nodes().filter(|node| node.kind == kind).map(|node| node.id).collect()
}

#[test]
fn schedulers_must_be_stepped_and_watch_the_right_way() {
    let mut graph = with_validation();
    let tracker = node_of(&graph, NodeKind::EpochTracker);
    graph.disconnect(graph.input(tracker, "scheduler").unwrap());
    refused_on(&graph, NodeKind::ReduceLrOnPlateau, "connect its `scheduler` output to EpochTracker");

    let mut graph = with_validation();
    set(&mut graph, NodeKind::ReduceLrOnPlateau, "mode", ParamValue::Text("max".into()));
    refused_on(&graph, NodeKind::ReduceLrOnPlateau, "set mode to min");
}

#[test]
fn losses_must_suit_the_targets() {
    let mut graph = basic_loop();
    let (ce, network, batches) = (
        node_of(&graph, NodeKind::CrossEntropyLoss),
        node_of(&graph, NodeKind::Network),
        node_of(&graph, NodeKind::GetBatch),
    );
    let mse = graph.add_node(NodeKind::MseLoss, Pos { x: 0.0, y: 400.0 });
    graph.connect_named(network, "predictions", mse, "predictions").unwrap();
    graph.connect_named(batches, "targets", mse, "targets").unwrap();
    for (node, port) in
        [(node_of(&graph, NodeKind::SgdOptimizer), "loss"), (node_of(&graph, NodeKind::TrainingStep), "loss")]
    {
        graph.connect_named(mse, "loss", node, port).unwrap();
    }
    graph.remove_node(ce);
    refused_on(&graph, NodeKind::MseLoss, "use CrossEntropyLoss");

    let mut graph = basic_loop();
    set(&mut graph, NodeKind::Dataset, "kind", ParamValue::Text("plane".into()));
    refused_on(&graph, NodeKind::CrossEntropyLoss, "use MSELoss or L1Loss");

    let mut graph = regression();
    set(
        &mut graph,
        NodeKind::Network,
        "layers",
        ParamValue::Layers(vec![LayerSpec::Linear { out_features: 2 }]),
    );
    refused_on(&graph, NodeKind::Network, "make the last Linear layer's out_features 1");
}

#[test]
fn an_image_needs_flattening_before_a_linear_layer() {
    let mut graph = digits();
    set(
        &mut graph,
        NodeKind::Network,
        "layers",
        ParamValue::Layers(vec![LayerSpec::Linear { out_features: 10 }]),
    );
    refused_on(&graph, NodeKind::Network, "put a Flatten layer before it");
}

/// A small CNN on the digits: Conv2d(4, 3, padding=1)-ReLU-MaxPool2d(2)-Flatten-Linear(10).
fn digits_cnn() -> Graph {
    let mut graph = digits();
    let conv = Conv2dSpec { padding: 1, ..Conv2dSpec::new(4, 3) };
    let layers = vec![
        LayerSpec::Conv2d(conv),
        LayerSpec::Relu,
        LayerSpec::MaxPool2d(Pool2dSpec::new(2)),
        LayerSpec::Flatten,
        LayerSpec::Linear { out_features: 10 },
    ];
    set(&mut graph, NodeKind::Network, "layers", ParamValue::Layers(layers));
    graph
}

#[test]
fn a_cnn_on_the_digits_compiles_with_pytorchs_shapes() {
    let graph = digits_cnn();
    let plan = compile(&graph).unwrap();
    assert_eq!(plan.network.in_shape, [1, 8, 8], "the digits are one channel");
    assert_eq!(
        plan.network.shapes().unwrap(),
        [vec![4, 8, 8], vec![4, 8, 8], vec![4, 4, 4], vec![64], vec![10]]
    );
    assert_eq!(
        plan.network.layer_labels(),
        [
            "Conv2d [1, 8, 8]→[4, 8, 8]",
            "ReLU",
            "MaxPool2d [4, 8, 8]→[4, 4, 4]",
            "Flatten [4, 4, 4]→[64]",
            "Linear 64→10"
        ]
    );
    let shapes = infer_shapes(&graph);
    let network = node_of(&graph, NodeKind::Network);
    let predictions = shapes.output(graph.output(network, "predictions").unwrap()).map(ToString::to_string);
    assert_eq!(predictions.as_deref(), Some("[64, 10]"));

    // Without the Flatten and the Linear, the feature maps themselves come out.
    let mut graph = digits_cnn();
    let conv = LayerSpec::Conv2d(Conv2dSpec { stride: 2, ..Conv2dSpec::new(6, 3) });
    set(&mut graph, NodeKind::Network, "layers", ParamValue::Layers(vec![conv]));
    let shapes = infer_shapes(&graph);
    let predictions = shapes.output(graph.output(network, "predictions").unwrap()).map(ToString::to_string);
    assert_eq!(predictions.as_deref(), Some("[64, 6, 3, 3]"));
}

#[test]
fn impossible_convolutions_are_refused_naming_the_fix() {
    let with_layers = |graph: Graph, layers: Vec<LayerSpec>| {
        let mut graph = graph;
        set(&mut graph, NodeKind::Network, "layers", ParamValue::Layers(layers));
        graph
    };
    let flat_end = [LayerSpec::Flatten, LayerSpec::Linear { out_features: 10 }];
    // A convolution of the plane's points.
    let graph = with_layers(
        basic_loop(),
        vec![
            LayerSpec::Conv2d(Conv2dSpec::new(4, 3)),
            LayerSpec::Flatten,
            LayerSpec::Linear { out_features: 2 },
        ],
    );
    refused_on(&graph, NodeKind::Network, "Conv2d takes an image");
    // A kernel larger than the image.
    let graph =
        with_layers(digits(), [vec![LayerSpec::Conv2d(Conv2dSpec::new(4, 9))], flat_end.to_vec()].concat());
    refused_on(&graph, NodeKind::Network, "use a smaller kernel_size or dilation, or more padding");
    // Channels that the groups do not divide.
    let grouped = Conv2dSpec { groups: 3, ..Conv2dSpec::new(6, 3) };
    let layers =
        [vec![LayerSpec::Conv2d(Conv2dSpec::new(4, 3)), LayerSpec::Conv2d(grouped)], flat_end.to_vec()];
    let graph = with_layers(digits(), layers.concat());
    refused_on(&graph, NodeKind::Network, "set groups to a number that divides both");
    // A pool after the image was flattened.
    let layers = vec![
        LayerSpec::Flatten,
        LayerSpec::MaxPool2d(Pool2dSpec::new(2)),
        LayerSpec::Linear { out_features: 10 },
    ];
    refused_on(&with_layers(digits(), layers), NodeKind::Network, "MaxPool2d takes an image");
    // A Linear straight after a convolution.
    let layers = vec![LayerSpec::Conv2d(Conv2dSpec::new(4, 3)), LayerSpec::Linear { out_features: 10 }];
    refused_on(&with_layers(digits(), layers), NodeKind::Network, "put a Flatten layer before it");
}

#[test]
fn settings_that_cannot_work_with_the_rest_are_refused_where_they_are() {
    let mut graph = basic_loop();
    set(&mut graph, NodeKind::EpochTracker, "patience", ParamValue::Int(5));
    set(&mut graph, NodeKind::EpochTracker, "monitor", ParamValue::Text("val_loss".into()));
    refused_on(&graph, NodeKind::EpochTracker, "no validation pass");

    let mut graph = digits();
    set(&mut graph, NodeKind::AccuracyMetric, "top_k", ParamValue::Int(11));
    refused_on(&graph, NodeKind::AccuracyMetric, "only 10 classes");

    let mut graph = digits();
    set(&mut graph, NodeKind::Dataset, "samples", ParamValue::Int(5000));
    refused_on(&graph, NodeKind::Dataset, "has 1797 samples");

    let mut graph = digits();
    set(&mut graph, NodeKind::Dataset, "classes", ParamValue::Int(3));
    refused_on(&graph, NodeKind::Dataset, "set classes to 10");
}

/// A random value for a parameter: mostly in range, sometimes not, sometimes of the wrong type.
fn random_value(kind: &ParamKind, rng: &mut StdRng) -> ParamValue {
    match (rng.random_range(0..10), kind) {
        (0, _) => ParamValue::Text("?".into()),
        (1, _) => ParamValue::Float(f64::NAN),
        (2, _) => ParamValue::Int(-1_000_000_000),
        (_, ParamKind::Float { min, max }) => ParamValue::Float(rng.random_range(*min..=*max)),
        (_, ParamKind::Int { min, max }) => ParamValue::Int(rng.random_range(*min..=(*max).min(*min + 64))),
        (_, ParamKind::Bool) => ParamValue::Bool(rng.random()),
        (_, ParamKind::Choice(choices)) => {
            ParamValue::Text(choices[rng.random_range(0..choices.len())].into())
        }
        (_, ParamKind::FloatList { .. }) => ParamValue::Floats(vec![1.0; rng.random_range(0..4)]),
        (_, ParamKind::Layers) => ParamValue::Layers(
            (0..rng.random_range(0..5))
                .map(|_| match rng.random_range(0..9) {
                    0 => LayerSpec::Linear { out_features: rng.random_range(0..20) },
                    1 => LayerSpec::Flatten,
                    2 => LayerSpec::LayerNorm,
                    3 => LayerSpec::Dropout { p: rng.random_range(0.0..1.5) },
                    4 => LayerSpec::LeakyRelu { negative_slope: rng.random_range(-1.0..1.0) },
                    5 => LayerSpec::BatchNorm { momentum: rng.random_range(-0.5..1.5) },
                    6 => LayerSpec::Elu { alpha: rng.random_range(-1.0..2.0) },
                    7 => LayerSpec::Softplus { beta: rng.random_range(-1.0..2.0) },
                    _ => LayerSpec::Gelu,
                })
                .collect(),
        ),
        // A file no process holds, columns that may not exist.
        (_, ParamKind::File) => ParamValue::Text(
            kindling::core::model::file_ref::FileRef::of("random.csv", &rng.random::<u64>().to_le_bytes())
                .to_param(),
        ),
        (_, ParamKind::Column) => ParamValue::Text(["", "y", "label"][rng.random_range(0..3)].into()),
        (_, ParamKind::Columns) => ParamValue::Text(["", "x", "x, y"][rng.random_range(0..3)].into()),
    }
}

#[test]
fn no_graph_makes_the_compiler_or_shape_inference_panic() {
    let mut rng = StdRng::seed_from_u64(7);
    for round in 0..3000 {
        // Start from a template or from nothing, then add nodes, rewire and change parameters.
        let mut graph = (TEMPLATES[round % TEMPLATES.len()].build)();
        for _ in 0..rng.random_range(0..4) {
            let kind = NodeKind::ALL[rng.random_range(0..NodeKind::ALL.len())];
            graph.add_node(kind, Pos { x: 0.0, y: 0.0 });
        }
        let nodes: Vec<(NodeId, NodeKind)> = graph.nodes().map(|node| (node.id, node.kind)).collect();
        if nodes.is_empty() {
            continue;
        }
        for _ in 0..rng.random_range(0..4) {
            let (from, from_kind) = nodes[rng.random_range(0..nodes.len())];
            let (to, to_kind) = nodes[rng.random_range(0..nodes.len())];
            let outputs = from_kind.spec().outputs;
            let inputs = to_kind.spec().inputs;
            if outputs.is_empty() || inputs.is_empty() {
                continue;
            }
            let from_port = outputs[rng.random_range(0..outputs.len())].name;
            let to_port = inputs[rng.random_range(0..inputs.len())].name;
            graph.connect_named(from, from_port, to, to_port).unwrap();
        }
        for _ in 0..rng.random_range(0..4) {
            let (node, kind) = nodes[rng.random_range(0..nodes.len())];
            let params = kind.spec().params;
            if params.is_empty() {
                continue;
            }
            let param = &params[rng.random_range(0..params.len())];
            // Out-of-range values are refused by set_param; write them through JSON instead,
            // as a hand-edited file would.
            let value = random_value(&param.kind, &mut rng);
            if graph.set_param(node, param.name, value.clone()).is_err() {
                let mut json: serde_json::Value = serde_json::from_str(&graph.to_json()).unwrap();
                let index = graph.nodes().position(|n| n.id == node).unwrap();
                json["nodes"][index]["params"][param.name] = serde_json::to_value(&value).unwrap();
                if let Ok(edited) = Graph::from_json(&json.to_string()) {
                    graph = edited;
                }
            }
        }
        let _ = infer_shapes(&graph);
        if let Err(errors) = compile(&graph) {
            assert!(!errors.is_empty());
            for error in errors {
                assert!(!error.to_string().is_empty());
            }
        }
    }
}

#[test]
fn a_training_run_epoch_can_drive_the_loop_instead_of_a_training_step() {
    let mut graph = basic_loop();
    let step = node_of(&graph, NodeKind::TrainingStep);
    graph.remove_node(step);
    let run = graph.add_node(NodeKind::RunEpoch, Pos { x: 880.0, y: 200.0 });
    let (sampler, network, sgd, tracker) = (
        node_of(&graph, NodeKind::BatchSampler),
        node_of(&graph, NodeKind::Network),
        node_of(&graph, NodeKind::SgdOptimizer),
        node_of(&graph, NodeKind::EpochTracker),
    );
    graph.connect_named(sampler, "sampler", run, "sampler").unwrap();
    graph.connect_named(network, "model", run, "model").unwrap();
    graph.connect_named(sgd, "optimizer", run, "optimizer").unwrap();
    graph.connect_named(run, "epoch_complete", tracker, "step_complete").unwrap();
    // Its epoch_loss is the step's loss the tracker logs every log_interval steps.
    graph.connect_named(run, "epoch_loss", tracker, "loss").unwrap();
    assert_eq!(compile(&graph), compile(&basic_loop()), "the same training, with TrainingStep's defaults");

    graph.disconnect(graph.input(run, "optimizer").unwrap());
    refused_on(&graph, NodeKind::RunEpoch, "input `optimizer` is not connected");
    graph.connect_named(sgd, "optimizer", run, "optimizer").unwrap();
    graph.set_param(run, "training", ParamValue::Bool(false)).unwrap();
    refused_on(&graph, NodeKind::RunEpoch, "turn training on");
}

#[test]
fn independent_problems_are_all_listed_at_once() {
    let mut graph = with_validation();
    set(
        &mut graph,
        NodeKind::Network,
        "layers",
        ParamValue::Layers(vec![LayerSpec::Linear { out_features: 2 }]),
    );
    set(&mut graph, NodeKind::RunEpoch, "training", ParamValue::Bool(true));
    set(&mut graph, NodeKind::ReduceLrOnPlateau, "mode", ParamValue::Text("max".into()));
    let errors = compile(&graph).unwrap_err();
    let on = |kind| errors.iter().any(|error| error.node() == Some(node_of(&graph, kind)));
    assert!(
        on(NodeKind::Network) && on(NodeKind::RunEpoch) && on(NodeKind::ReduceLrOnPlateau),
        "{errors:#?}"
    );
}

#[test]
fn a_sampler_that_leaves_no_batch_in_an_epoch_is_a_compile_error_with_its_figures() {
    // 1000 samples in batches of 2000 with drop_last: no batch at all.
    let mut graph = basic_loop();
    set(&mut graph, NodeKind::BatchSampler, "batch_size", ParamValue::Int(2000));
    assert!(compile(&graph).is_ok(), "without drop_last the one batch holds every sample");
    set(&mut graph, NodeKind::BatchSampler, "drop_last", ParamValue::Bool(true));
    refused_on(&graph, NodeKind::BatchSampler, "leave no batch of the 1000 training samples");

    // The validation pass's own sampler: 200 held-out samples in batches of 300.
    let mut graph = with_validation();
    let validation_sampler = graph
        .nodes()
        .filter(|node| node.kind == NodeKind::BatchSampler)
        .find(|node| {
            graph
                .wires_from(node.id)
                .any(|wire| graph.node(wire.to.node).map(|n| n.kind) == Some(NodeKind::RunEpoch))
        })
        .expect("the validation sampler")
        .id;
    graph.set_param(validation_sampler, "batch_size", ParamValue::Int(300)).unwrap();
    graph.set_param(validation_sampler, "drop_last", ParamValue::Bool(true)).unwrap();
    let errors = compile(&graph).expect_err("refused");
    assert!(
        errors.iter().any(|error| error.node() == Some(validation_sampler)
            && error.to_string().contains("no batch of the 200 validation samples")),
        "{errors:?}"
    );
}

/// What PyTorch refuses is refused here too, on the node, rather than run as something else.
#[test]
fn nesterov_without_momentum_is_refused_as_pytorch_refuses_it() {
    let mut graph = basic_loop();
    set(&mut graph, NodeKind::SgdOptimizer, "nesterov", ParamValue::Bool(true));
    assert!(compile(&graph).is_ok(), "with the template's momentum 0.9, Nesterov trains");
    set(&mut graph, NodeKind::SgdOptimizer, "momentum", ParamValue::Float(0.0));
    refused_on(&graph, NodeKind::SgdOptimizer, "`nesterov` needs a momentum above 0");
}

/// The regression template (a LinearLR warm-up, then CosineAnnealingLR, chained by a
/// SequentialLR that EpochTracker steps) with the sequence's milestone at `milestone`.
fn warmed_up_regression(milestone: i64) -> (Graph, NodeId, NodeId) {
    let mut graph = regression();
    let sequence = node_of(&graph, NodeKind::SequentialLr);
    graph.set_param(sequence, "milestone", ParamValue::Int(milestone)).unwrap();
    let warmup = node_of(&graph, NodeKind::LinearLr);
    (graph, warmup, sequence)
}

#[test]
fn a_warm_up_chained_before_another_scheduler_compiles_to_a_sequence() {
    let (graph, _, _) = warmed_up_regression(4);
    let plan = compile(&graph).unwrap_or_else(|errors| panic!("{errors:?}"));
    let scheduler = plan.scheduler.expect("a scheduler").plan;
    let SchedulerPlan::Sequential { phases, milestones } = &scheduler else { panic!("{scheduler:?}") };
    assert_eq!(milestones, &[4]);
    assert!(
        matches!(
            phases.as_slice(),
            [SchedulerPlan::Linear { total_iters: 5, .. }, SchedulerPlan::CosineAnnealing { t_max: 145, .. }]
        ),
        "{phases:?}"
    );
    // A LinearLR alone is a scheduler like any other.
    let mut graph = regression();
    graph.remove_node(node_of(&graph, NodeKind::CosineAnnealingLr));
    graph.remove_node(node_of(&graph, NodeKind::SequentialLr));
    let warmup = node_of(&graph, NodeKind::LinearLr);
    graph.connect_named(warmup, "scheduler", node_of(&graph, NodeKind::EpochTracker), "scheduler").unwrap();
    let plan = compile(&graph).unwrap();
    assert!(matches!(plan.scheduler.map(|s| s.plan), Some(SchedulerPlan::Linear { .. })));
}

#[test]
fn a_sequence_refuses_a_plateau_rule_a_repeated_scheduler_and_a_scheduler_left_out() {
    // ReduceLROnPlateau follows a metric: SequentialLR cannot chain it, nor can PyTorch's.
    let (mut graph, warmup, sequence) = warmed_up_regression(4);
    let plateau = graph.add_node(NodeKind::ReduceLrOnPlateau, Pos { x: 500.0, y: 600.0 });
    graph.connect_named(node_of(&graph, NodeKind::AdamOptimizer), "optimizer", plateau, "optimizer").unwrap();
    graph.connect_named(plateau, "scheduler", sequence, "then").unwrap();
    refused_on(&graph, NodeKind::SequentialLr, "ReduceLROnPlateau follows a metric");
    // The cosine is now stepped by nothing.
    graph.connect_named(warmup, "scheduler", sequence, "then").unwrap();
    refused_on(&graph, NodeKind::SequentialLr, "chain two schedulers");
    let (mut graph, _, _) = warmed_up_regression(4);
    let stray = graph.add_node(NodeKind::StepLr, Pos { x: 500.0, y: 600.0 });
    graph.connect_named(node_of(&graph, NodeKind::AdamOptimizer), "optimizer", stray, "optimizer").unwrap();
    refused_on(&graph, NodeKind::StepLr, "nothing steps it");
    // Nothing steps the chain: the error is on its head.
    let (mut graph, _, _) = warmed_up_regression(4);
    let tracker = node_of(&graph, NodeKind::EpochTracker);
    graph.disconnect(graph.input(tracker, "scheduler").unwrap());
    refused_on(&graph, NodeKind::SequentialLr, "nothing steps it");
}

#[test]
fn classification_metrics_need_classes_and_binary_needs_two() {
    let add = |mut graph: Graph, average: &str| {
        let metrics = graph.add_node(NodeKind::ClassificationMetrics, Pos { x: 0.0, y: 900.0 });
        graph.set_param(metrics, "average", ParamValue::Text(average.into())).unwrap();
        let (network, batches) = (node_of(&graph, NodeKind::Network), node_of(&graph, NodeKind::GetBatch));
        graph.connect_named(network, "predictions", metrics, "predictions").unwrap();
        graph.connect_named(batches, "targets", metrics, "targets").unwrap();
        graph
    };
    let plan = compile(&add(basic_loop(), "binary")).unwrap();
    assert!(plan.class_metrics.is_some_and(|metrics| metrics.positive_class == 1 && metrics.roc_auc));
    refused_on(&add(with_validation(), "binary"), NodeKind::ClassificationMetrics, "set average to macro");
    refused_on(&add(regression(), "macro"), NodeKind::ClassificationMetrics, "need class targets");
    let mut graph = add(basic_loop(), "binary");
    set(&mut graph, NodeKind::ClassificationMetrics, "positive_class", ParamValue::Int(2));
    refused_on(&graph, NodeKind::ClassificationMetrics, "set it to 0 or 1");
}

#[test]
fn epoch_trackers_inputs_say_what_it_tracks_and_logs() {
    let plan = compile(&basic_loop()).unwrap();
    assert!(plan.tracker.train_accuracy && plan.tracker.step_log, "the template wires both");
    let tracker = |graph: &Graph| node_of(graph, NodeKind::EpochTracker);
    // Unconnected: no training accuracy is tracked, no step log kept.
    let mut graph = basic_loop();
    for port in ["accuracy", "loss"] {
        graph.disconnect(graph.input(tracker(&graph), port).unwrap());
    }
    let plan = compile(&graph).unwrap();
    assert!(!plan.tracker.train_accuracy && !plan.tracker.step_log);
    // Early stopping cannot watch an accuracy nobody tracks.
    let mut stopping = graph.clone();
    set(&mut stopping, NodeKind::EpochTracker, "patience", ParamValue::Int(3));
    set(&mut stopping, NodeKind::EpochTracker, "monitor", ParamValue::Text("train_accuracy".into()));
    refused_on(&stopping, NodeKind::EpochTracker, "connect CrossEntropyLoss's or AccuracyMetric's accuracy");
    // The loss comes from the step that drives the tracker, the accuracy from an accuracy.
    let mut wrong = basic_loop();
    let loss = node_of(&wrong, NodeKind::CrossEntropyLoss);
    let target = tracker(&wrong);
    wrong.connect_named(loss, "accuracy", target, "loss").unwrap();
    refused_on(&wrong, NodeKind::EpochTracker, "connect the loss_value of the TrainingStep");
    // CrossEntropyLoss's accuracy is the top 1: not what an AccuracyMetric of top 3 scores.
    let mut graph = digits();
    set(&mut graph, NodeKind::AccuracyMetric, "top_k", ParamValue::Int(3));
    let (loss, target) = (node_of(&graph, NodeKind::CrossEntropyLoss), tracker(&graph));
    graph.connect_named(loss, "accuracy", target, "accuracy").unwrap();
    refused_on(&graph, NodeKind::EpochTracker, "connect the AccuracyMetric's accuracy instead");
}
