//! The graph model and the compiler, natively: JSON round-trips, parameters reach the plan,
//! and broken graphs are rejected with errors that name the node.

use kindling::core::compile::compile_error::CompileError;
use kindling::core::compile::compiler::compile;
use kindling::core::compile::plan::{LossKind, LossTerm, OptimizerPlan};
use kindling::core::model::catalogue::NodeKind;
use kindling::core::model::choices::Reduction;
use kindling::core::model::graph::{Graph, InPort, OutPort, Wire};
use kindling::core::model::node_id::NodeId;
use kindling::core::model::params::{LayerSpec, ParamValue};
use kindling::core::model::templates::basic_loop;

fn node_of(graph: &Graph, kind: NodeKind) -> NodeId {
    graph.nodes().find(|node| node.kind == kind).expect("node present").id
}

#[test]
fn default_graph_round_trips_through_json() {
    let graph = basic_loop();
    let json = graph.to_json();
    assert_eq!(Graph::from_json(&json).unwrap(), graph);
    assert!(json.contains("\"SGDOptimizer\""), "kinds are stored under their catalogue names");
}

#[test]
fn default_graph_compiles_to_the_documented_network() {
    let plan = compile(&basic_loop()).unwrap();
    assert_eq!(plan.network.layer_labels(), ["Linear 2→16", "ReLU", "Linear 16→16", "ReLU", "Linear 16→2"]);
    assert_eq!(plan.dataset.classes, 2);
    let OptimizerPlan::Sgd { momentum, .. } = plan.optimizer else { panic!("{:?}", plan.optimizer) };
    assert_eq!(momentum, 0.9);
}

#[test]
fn a_parameter_changed_in_the_data_changes_the_plan() {
    let mut graph = basic_loop();
    let sgd = node_of(&graph, NodeKind::SgdOptimizer);
    let tracker = node_of(&graph, NodeKind::EpochTracker);
    graph.set_param(sgd, "learning_rate", ParamValue::Float(0.005)).unwrap();
    graph.set_param(tracker, "total_epochs", ParamValue::Int(7)).unwrap();
    let step = node_of(&graph, NodeKind::TrainingStep);
    graph.set_param(step, "gradient_clip", ParamValue::Float(1.5)).unwrap();
    graph.set_param(step, "accumulation_steps", ParamValue::Int(4)).unwrap();
    let plan = compile(&graph).unwrap();
    assert_eq!(plan.step.gradient_clip, 1.5);
    assert_eq!(plan.step.accumulation_steps, 4);
    assert_eq!(plan.optimizer.learning_rate(), 0.005);
    assert_eq!(plan.tracker.epochs, 7);
}

#[test]
fn missing_loss_is_reported_on_the_nodes_that_need_it() {
    let mut graph = basic_loop();
    let loss = node_of(&graph, NodeKind::CrossEntropyLoss);
    let step = node_of(&graph, NodeKind::TrainingStep);
    graph.remove_node(loss);
    let errors = compile(&graph).unwrap_err();
    let on_step = errors
        .iter()
        .find(|error| matches!(error, CompileError::Unconnected { node, port: "loss", .. } if *node == step))
        .unwrap_or_else(|| panic!("no error names TrainingStep's loss input: {errors:?}"));
    let message = on_step.to_string();
    assert!(message.contains("TrainingStep") && message.contains("loss"), "{message}");
    assert!(message.contains("CrossEntropyLoss"), "the message says what to add: {message}");
}

#[test]
fn an_unconnected_port_is_reported_with_its_node() {
    let mut graph = basic_loop();
    let network = node_of(&graph, NodeKind::Network);
    graph.disconnect(graph.input(network, "input").unwrap());
    let errors = compile(&graph).unwrap_err();
    assert_eq!(errors.len(), 1, "{errors:?}");
    assert_eq!(errors[0].node(), Some(network));
    assert!(errors[0].to_string().contains("Network #3: input `input` is not connected"), "{}", errors[0]);
}

#[test]
fn a_network_whose_output_does_not_match_the_classes_is_refused() {
    let mut graph = basic_loop();
    let network = node_of(&graph, NodeKind::Network);
    let layers =
        vec![LayerSpec::Linear { out_features: 8 }, LayerSpec::Relu, LayerSpec::Linear { out_features: 3 }];
    graph.set_param(network, "layers", ParamValue::Layers(layers)).unwrap();
    let errors = compile(&graph).unwrap_err();
    assert!(
        matches!(errors.as_slice(), [CompileError::ShapeMismatch { node, .. }] if *node == network),
        "{errors:?}"
    );
}

#[test]
fn wires_between_incompatible_ports_are_refused() {
    let mut graph = basic_loop();
    let dataset = node_of(&graph, NodeKind::Dataset);
    let step = node_of(&graph, NodeKind::TrainingStep);
    graph.connect_named(dataset, "dataset", step, "optimizer").unwrap();
    let errors = compile(&graph).unwrap_err();
    assert!(
        errors
            .iter()
            .any(|error| matches!(error, CompileError::PortTypeMismatch { to_node, .. } if *to_node == step)),
        "{errors:?}"
    );
}

#[test]
fn hostile_json_is_an_error_not_a_panic() {
    for text in [
        "",
        "{",
        "[]",
        "{\"nodes\": 5}",
        "{\"nodes\":[{\"id\":1,\"kind\":\"Nope\",\"pos\":{\"x\":0,\"y\":0}}],\"wires\":[],\"next_id\":2}",
    ] {
        assert!(Graph::from_json(text).is_err(), "{text:?} was accepted");
    }
    // Well-formed JSON whose wires cannot exist: refused, saying which end is missing.
    let dangling =
        r#"{"nodes":[],"wires":[{"from":{"node":9,"port":"x"},"to":{"node":8,"port":"y"}}],"next_id":0}"#;
    let error = Graph::from_json(dangling).unwrap_err().to_string();
    assert!(error.contains("a wire ends at node #9, which is missing"), "{error}");
    let no_such_port = r#"{"nodes":[{"id":1,"kind":"Dataset","pos":{"x":0,"y":0}}],
        "wires":[{"from":{"node":1,"port":"dataset"},"to":{"node":1,"port":"nope"}}],"next_id":2}"#;
    let error = Graph::from_json(no_such_port).unwrap_err().to_string();
    assert!(error.contains("Dataset #1 has no input \"nope\""), "{error}");
}

#[test]
fn cross_entropy_options_reach_the_plan() {
    let mut graph = basic_loop();
    let loss = node_of(&graph, NodeKind::CrossEntropyLoss);
    graph.set_param(loss, "reduction", ParamValue::Text("sum".into())).unwrap();
    graph.set_param(loss, "label_smoothing", ParamValue::Float(0.1)).unwrap();
    graph.set_param(loss, "ignore_index", ParamValue::Int(7)).unwrap();
    graph.set_param(loss, "weight", ParamValue::Floats(vec![1.0, 2.5])).unwrap();
    let loss = compile(&graph).unwrap().loss;
    let [LossTerm { weight: 1.0, loss: LossKind::CrossEntropy(options) }] = loss.terms.as_slice() else {
        panic!("{loss:?}")
    };
    assert_eq!(options.reduction, Reduction::Sum);
    assert_eq!(options.label_smoothing, 0.1);
    assert_eq!(options.ignore_index, 7);
    assert_eq!(options.weight, Some(vec![1.0, 2.5]));
}

#[test]
fn a_loss_training_cannot_minimise_is_refused_on_the_loss_node() {
    let mut graph = basic_loop();
    let loss = node_of(&graph, NodeKind::CrossEntropyLoss);
    // `none` is not offered (TrainingStep minimises one number)...
    let refused = graph.set_param(loss, "reduction", ParamValue::Text("none".into())).unwrap_err();
    assert!(refused.to_string().contains("set reduction to mean or sum"), "{refused}");
    // ...and a graph saved with it opens, refused on the loss node with the reason.
    let nodes = graph
        .nodes()
        .map(|node| {
            let mut node = node.clone();
            if node.id == loss {
                node.params.insert("reduction".to_owned(), ParamValue::Text("none".into()));
            }
            node
        })
        .collect();
    let saved = Graph::from_parts(nodes, graph.wires().collect(), graph.next_id()).unwrap();
    let errors = compile(&saved).unwrap_err();
    assert!(matches!(errors.as_slice(), [error] if error.node() == Some(loss)), "{errors:?}");
    assert!(errors[0].to_string().contains("set reduction to mean or sum"), "{}", errors[0]);

    graph.set_param(loss, "reduction", ParamValue::Text("mean".into())).unwrap();
    graph.set_param(loss, "weight", ParamValue::Floats(vec![1.0, 1.0, 1.0])).unwrap();
    let errors = compile(&graph).unwrap_err();
    assert!(errors[0].to_string().contains("one weight per class"), "{}", errors[0]);
    assert!(graph.set_param(loss, "weight", ParamValue::Floats(vec![-1.0, 1.0])).is_err());
}

#[test]
fn a_two_class_dataset_with_other_classes_is_refused_on_the_dataset_node() {
    let mut graph = basic_loop();
    let dataset = node_of(&graph, NodeKind::Dataset);
    graph.set_param(dataset, "kind", ParamValue::Text("xor".into())).unwrap();
    graph.set_param(dataset, "classes", ParamValue::Int(3)).unwrap();
    let errors = compile(&graph).unwrap_err();
    assert!(matches!(errors.as_slice(), [error] if error.node() == Some(dataset)), "{errors:?}");
    assert!(errors[0].to_string().contains("set classes to 2"), "{}", errors[0]);
    assert!(graph.set_param(dataset, "kind", ParamValue::Text("moons".into())).is_err());
}

#[test]
fn wires_to_retired_ports_are_dropped_from_graphs_saved_before_and_nothing_else_is() {
    // A file from before: TrainingStep's `trigger` input and EpochTracker's
    // `training_complete` output, wired; neither exists now.
    let graph = basic_loop();
    let step = node_of(&graph, NodeKind::TrainingStep);
    let tracker = node_of(&graph, NodeKind::EpochTracker);
    let file: serde_json::Value = serde_json::from_str(&graph.to_json()).unwrap();
    let mut saved = file.clone();
    let wire = |from: NodeId, output: &str, to: NodeId, input: &str| serde_json::json!({ "from": { "node": from.0, "port": output }, "to": { "node": to.0, "port": input } });
    saved["wires"].as_array_mut().unwrap().push(wire(tracker, "epoch_trigger", step, "trigger"));
    let opened = Graph::from_json(&saved.to_string()).expect("an old file opens");
    assert_eq!(opened, graph, "only the retired wire is gone");
    // An unknown port that never existed is still an error.
    let mut hostile = file;
    hostile["wires"].as_array_mut().unwrap().push(wire(tracker, "epoch_trigger", step, "nope"));
    assert!(Graph::from_json(&hostile.to_string()).is_err());
    // Links and autosaves name ports by position: a wire at the retired position is dropped.
    let mut wires: Vec<Wire> = graph.wires().collect();
    // training_complete (output 1) into the tracker's free `scheduler` input (3).
    wires.push(Wire { from: OutPort { node: tracker, index: 1 }, to: InPort { node: tracker, index: 3 } });
    let opened = Graph::from_parts(graph.nodes().cloned().collect(), wires, graph.next_id()).unwrap();
    assert_eq!(opened, graph);
    let mut wires: Vec<Wire> = graph.wires().collect();
    wires.push(Wire { from: OutPort { node: tracker, index: 0 }, to: InPort { node: step, index: 2 } });
    let opened = Graph::from_parts(graph.nodes().cloned().collect(), wires, graph.next_id()).unwrap();
    assert_eq!(opened, graph);
}
