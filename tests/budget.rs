//! The page's budgets (`core::budget`): a graph within every count and range of `limits` but
//! past what the page can train is refused by the compiler, on opening a link or a file, and
//! by `kindling-run`, with a sentence naming the node and the figure. An autosave of such a
//! graph (the editor made it) still opens, showing the compile error.
#![cfg(not(target_arch = "wasm32"))]

use std::process::Command;
use std::time::Instant;

use kindling::core::compile::budget::{self, Budget};
use kindling::core::compile::compile_error::CompileError;
use kindling::core::compile::compiler::compile;
use kindling::core::document::experiment::{Experiment, ReadError, View};
use kindling::core::document::{graph_file, link};
use kindling::core::model::catalogue::NodeKind;
use kindling::core::model::graph::{Graph, Pos};
use kindling::core::model::node_id::NodeId;
use kindling::core::model::params::{LayerSpec, ParamValue};
use kindling::core::model::templates::{TEMPLATES, basic_loop, with_validation};

fn only(graph: &Graph, kind: NodeKind) -> NodeId {
    graph.nodes_of(kind).next().unwrap_or_else(|| panic!("a {kind}")).id
}

fn with_layers(mut graph: Graph, layers: Vec<LayerSpec>) -> Graph {
    let network = only(&graph, NodeKind::Network);
    graph.set_param(network, "layers", ParamValue::Layers(layers)).unwrap();
    graph
}

/// 1023 × Linear(4096), then the two classes: within every limit, 17 billion parameters.
fn billions() -> Graph {
    let wide = vec![LayerSpec::Linear { out_features: 4096 }; 1023];
    with_layers(basic_loop(), [wide, vec![LayerSpec::Linear { out_features: 2 }]].concat())
}

/// One wide layer, then many that hold activations without parameters, at the largest batch.
fn activation_heavy() -> Graph {
    let layers = [
        vec![LayerSpec::Linear { out_features: 4096 }],
        vec![LayerSpec::Relu; 60],
        vec![LayerSpec::Linear { out_features: 2 }],
    ];
    let mut graph = with_layers(basic_loop(), layers.concat());
    let sampler = only(&graph, NodeKind::BatchSampler);
    graph.set_param(sampler, "batch_size", ParamValue::Int(4096)).unwrap();
    graph
}

/// The compiler's one budget error, on the Network.
fn budget_error(graph: &Graph) -> String {
    let Err(errors) = compile(graph) else { panic!("the graph compiled") };
    let network = only(graph, NodeKind::Network);
    let over: Vec<&CompileError> = errors.iter().filter(|error| error.node() == Some(network)).collect();
    assert_eq!(over.len(), 1, "{errors:?}");
    over[0].to_string()
}

#[test]
fn every_template_is_within_the_budget() {
    for template in TEMPLATES {
        assert_eq!(budget::check(&(template.build)()), Ok(()), "{}", template.slug);
    }
}

#[test]
fn the_compiler_refuses_billions_of_parameters_naming_the_network_and_the_figure() {
    let started = Instant::now();
    let error = budget_error(&billions());
    assert!(
        error.starts_with(
            "Network #3: its layers hold 17,150,521,346 parameters; the page has room for 10,000,000"
        ),
        "{error}"
    );
    assert!(started.elapsed().as_secs() < 5, "the check allocates nothing: {:?}", started.elapsed());
}

/// Feature maps count as activations: a few wide 1×1 convolutions of the digits' 8×8 pixels,
/// at a large batch, hold gigabytes though they have few parameters; a smaller batch fits.
#[test]
fn a_cnns_feature_maps_count_against_the_activation_budget() {
    use kindling::core::model::params::{Conv2dSpec, Pool2dSpec};
    let wide = LayerSpec::Conv2d(Conv2dSpec::new(1024, 1));
    let layers = vec![
        wide,
        LayerSpec::Relu,
        wide,
        LayerSpec::Relu,
        LayerSpec::MaxPool2d(Pool2dSpec::new(8)),
        LayerSpec::Flatten,
        LayerSpec::Linear { out_features: 10 },
    ];
    let mut graph = with_layers(kindling::core::model::templates::digits(), layers);
    let sampler = only(&graph, NodeKind::BatchSampler);
    graph.set_param(sampler, "batch_size", ParamValue::Int(1024)).unwrap();
    let error = budget_error(&graph);
    assert!(error.contains("a training batch of 1024 samples holds"), "{error}");
    let fits: i64 = error.split("(at most ").nth(1).unwrap().split(' ').next().unwrap().parse().unwrap();
    // Each sample: 64 inputs and four maps of 1024 × 64 values, then 1024 + 1024 + 10, twice over
    // (values and gradients), in float32.
    assert_eq!(fits as u64, (512 * 1024 * 1024) / ((64 + 4 * 1024 * 64 + 2 * 1024 + 10) * 2 * 4));
    graph.set_param(sampler, "batch_size", ParamValue::Int(fits)).unwrap();
    assert!(compile(&graph).is_ok(), "batch_size {fits} fits");
}

#[test]
fn the_compiler_refuses_a_batch_whose_activations_do_not_fit() {
    let error = budget_error(&activation_heavy());
    assert!(error.contains("a training batch of 1000 samples holds"), "{error}");
    assert!(error.contains("the page has room for 512 MiB"), "{error}");
    // The figure says what would fit: that batch size compiles.
    let fits: i64 = error.split("(at most ").nth(1).unwrap().split(' ').next().unwrap().parse().unwrap();
    let mut graph = activation_heavy();
    let sampler = only(&graph, NodeKind::BatchSampler);
    graph.set_param(sampler, "batch_size", ParamValue::Int(fits)).unwrap();
    assert!(compile(&graph).is_ok(), "batch_size {fits} fits");
    graph.set_param(sampler, "batch_size", ParamValue::Int(fits + 1)).unwrap();
    assert!(compile(&graph).is_err(), "batch_size {} does not", fits + 1);
}

#[test]
fn validation_batches_and_the_views_have_their_own_budgets() {
    // The page's budgets leave room for both within the catalogue's ranges; tighter ones show
    // that each is checked, on the node and with its figure.
    let graph = with_validation();
    let network = only(&graph, NodeKind::Network);
    let run = graph
        .nodes_of(NodeKind::RunEpoch)
        .find(|run| {
            graph
                .source_of(run.id, kindling::core::model::ports::RUN_MODEL)
                .is_some_and(|(model, _)| model.id == network)
        })
        .unwrap()
        .id;
    let cost = budget::NetworkCost::of(&compile(&graph).unwrap().network);
    let train_batch = compile(&graph).unwrap().sampler.batch_size;
    let validation_batch = compile(&graph).unwrap().validation.unwrap().batch_size;
    let tight = Budget {
        parameters: u64::MAX,
        activation_bytes: cost.batch_bytes(validation_batch, false) - 1,
        evaluation_bytes: u64::MAX,
    };
    assert!(cost.batch_bytes(train_batch, true) <= tight.activation_bytes, "training fits");
    let error = budget::check_within(&graph, &tight).unwrap_err();
    assert_eq!(error.node, network);
    assert!(
        error.problem.contains(&format!("RunEpoch {run}'s validation batch of {validation_batch} samples"))
    );

    let tight = Budget { evaluation_bytes: cost.evaluation_bytes() - 1, ..Budget::PAGE };
    let error = budget::check_within(&graph, &tight).unwrap_err();
    assert!(error.problem.contains("evaluating it over the 48×48 grid"), "{}", error.problem);
    let tight = Budget { parameters: cost.parameters - 1, ..Budget::PAGE };
    assert!(budget::check_within(&graph, &tight).unwrap_err().problem.contains("parameters"));
}

#[test]
fn a_network_not_wired_yet_is_counted_from_one_feature() {
    let mut graph = Graph::new();
    let network = graph.add_node(NodeKind::Network, Pos { x: 0.0, y: 0.0 });
    graph
        .set_param(network, "layers", ParamValue::Layers(vec![LayerSpec::Linear { out_features: 4096 }; 3]))
        .unwrap();
    let error = budget::check(&graph).unwrap_err();
    assert_eq!(error.node, network);
    assert!(error.problem.contains("33,570,816 parameters"), "{}", error.problem);
}

#[test]
fn links_and_files_past_the_budget_are_refused_but_autosaves_open() {
    let experiment = Experiment::new(billions(), View::default());
    let text = link::encode(&experiment).unwrap();
    assert!(text.len() < 400, "a short link: {} characters", text.len());
    let refused = link::open(&text).unwrap_err();
    assert!(matches!(refused, ReadError::OverBudget(_)), "{refused:?}");
    assert!(refused.to_string().starts_with("it would not fit in the page: Network #3: its layers hold"));
    // What the editor made and autosaved reopens (nothing trains it: the compiler refuses).
    assert_eq!(link::decode(&text).unwrap(), experiment);
    let file = graph_file::from_json(&graph_file::to_json(&experiment)).unwrap_err();
    assert!(matches!(file, ReadError::OverBudget(_)), "{file:?}");
}

#[test]
fn the_runner_refuses_a_graph_past_the_budget_at_once() {
    let dir = std::env::temp_dir().join(format!("kindling-budget-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("billions.json");
    std::fs::write(&path, graph_file::to_json(&Experiment::new(billions(), View::default()))).unwrap();
    let started = Instant::now();
    let output = Command::new(env!("CARGO_BIN_EXE_kindling-run")).arg(&path).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("17,150,521,346 parameters"), "{stderr}");
    assert!(output.stdout.is_empty());
    assert!(started.elapsed().as_secs() < 10, "refused in {:?}", started.elapsed());

    // A file larger than any graph is refused without reading it whole.
    let huge = dir.join("huge.json");
    let file = std::fs::File::create(&huge).unwrap();
    file.set_len(3 << 30).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_kindling-run")).arg(&huge).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("larger than 4 MiB"), "{stderr}");
    std::fs::remove_dir_all(&dir).ok();
}
