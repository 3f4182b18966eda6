//! The diagnoses of a run, each provoked by a graph that shows it — trained by the conductor
//! as the page's engine trains it, read from what it publishes — and none on the default
//! graph trained to its end. Each change offered is one that changes the graph.
#![cfg(not(target_arch = "wasm32"))]

use futures_lite::future::block_on;
use kindling::core::document::built_in_lessons::BuiltInLesson;
use kindling::core::engine::conductor::{Conductor, Output};
use kindling::core::model::catalogue::NodeKind;
use kindling::core::model::graph::Graph;
use kindling::core::model::layer_text::parse_layers;
use kindling::core::model::number_text::rounded;
use kindling::core::model::params::{LayerSpec, ParamValue};
use kindling::core::model::templates::basic_loop;
use kindling::core::protocol::backend::Backend;
use kindling::core::protocol::message::{Command, Event, RunReport, TrainRequest};
use kindling::core::report::epoch_stats::EpochStats;
use kindling::core::report::layer_stats::LayerActivity;
use kindling::core::teach::diagnosis::{Diagnosis, Notice, RunEvidence, diagnose};
use support::TestHost;

mod support;

/// Trains `graph` to its end as the page's engine does; the diagnoses of what it published.
fn diagnosed(graph: &Graph) -> Vec<Notice> {
    let host = TestHost::new(1.0);
    let mut conductor = Conductor::new();
    let request = TrainRequest {
        id: 1,
        graph: graph.clone(),
        backend: Backend::Cpu,
        from: None,
        paused: false,
        step: None,
    };
    let mut outputs = conductor.command(Command::Train(Box::new(request)), &host);
    let (mut epochs, mut activity): (Vec<EpochStats>, Vec<LayerActivity>) = (Vec::new(), Vec::new());
    let mut finished = false;
    while !finished {
        for output in outputs.drain(..) {
            let Output::Page(Event::Run { report, .. }) = output else { continue };
            match report {
                RunReport::Published { epochs: more, .. } => epochs.extend(more),
                RunReport::Views(views) => activity = views.activity.unwrap_or_default(),
                RunReport::Finished | RunReport::Stopped => finished = true,
                RunReport::Failed(error) => panic!("{error}"),
                _ => {}
            }
        }
        if !finished {
            let deadline = host.peek() + 12.0;
            outputs = block_on(conductor.advance(deadline, &host));
        }
    }
    diagnose(&RunEvidence { graph, epochs: &epochs, activity: &activity })
}

fn set(graph: &mut Graph, kind: NodeKind, param: &str, value: ParamValue) {
    let id = graph.nodes_of(kind).next().unwrap().id;
    graph.set_param(id, param, value).unwrap();
}

fn lesson(slug: &str) -> Graph {
    BuiltInLesson::find(slug).unwrap().open().unwrap().graph
}

/// The one notice of `diagnosis` among `notices`, with its change applied to `graph`.
fn the(notices: &[Notice], diagnosis: Diagnosis, graph: &Graph) -> (Notice, Graph) {
    let notice = notices.iter().find(|notice| notice.diagnosis == diagnosis).unwrap_or_else(|| {
        panic!(
            "no {diagnosis:?} among {:?}",
            notices.iter().map(|notice| notice.diagnosis).collect::<Vec<_>>()
        )
    });
    let suggestion = notice.suggestion.as_ref().expect("a change to try");
    let mut changed = graph.clone();
    changed.set_param(suggestion.node, suggestion.param, suggestion.value.clone()).unwrap();
    assert_ne!(&changed, graph, "{diagnosis:?}: the change changes the graph");
    (notice.clone(), changed)
}

#[test]
fn the_default_graph_provokes_none() {
    let notices = diagnosed(&basic_loop());
    assert!(notices.is_empty(), "{notices:?}");
}

#[test]
fn a_learning_rate_too_small_is_a_plateau_and_a_larger_one_is_offered() {
    let graph = lesson("learning-rate");
    let (notice, changed) = the(&diagnosed(&graph), Diagnosis::Plateau, &graph);
    assert!(notice.evidence.contains("over the last 8 epochs"), "{}", notice.evidence);
    let lr = |graph: &Graph| {
        graph.nodes_of(NodeKind::SgdOptimizer).next().unwrap().param("learning_rate").unwrap()
    };
    assert_eq!(lr(&changed), ParamValue::Float(0.003), "3× 0.001, as a person writes it");
}

#[test]
fn noisy_small_data_on_a_big_network_overfits_and_weight_decay_is_offered() {
    let graph = lesson("overfitting");
    let (notice, changed) = the(&diagnosed(&graph), Diagnosis::Overfitting, &graph);
    assert!(notice.evidence.contains("the gap is now"), "{}", notice.evidence);
    let decay = changed.nodes_of(NodeKind::AdamOptimizer).next().unwrap().param("weight_decay").unwrap();
    assert_eq!(decay, ParamValue::Float(0.01));
    // With it, the run no longer overfits.
    let notices = diagnosed(&changed);
    assert!(!notices.iter().any(|notice| notice.diagnosis == Diagnosis::Overfitting), "{notices:?}");
}

#[test]
fn a_straight_line_on_xor_underfits_and_the_change_offered_learns_it() {
    let graph = lesson("one-neuron");
    let notices = diagnosed(&graph);
    assert!(
        !notices.iter().any(|notice| notice.diagnosis == Diagnosis::Plateau),
        "a larger step would not help"
    );
    let (notice, changed) = the(&notices, Diagnosis::Underfitting, &graph);
    assert!(notice.evidence.contains("guessing among 2 classes gets 50%"), "{}", notice.evidence);
    let notices = diagnosed(&changed);
    assert!(!notices.iter().any(|notice| notice.diagnosis == Diagnosis::Underfitting), "{notices:?}");
    // Linear layers with nothing between them: a ReLU between them is offered.
    let graph = lesson("activations");
    let (_, changed) = the(&diagnosed(&graph), Diagnosis::Underfitting, &graph);
    let layers = changed.nodes_of(NodeKind::Network).next().unwrap().param("layers").unwrap();
    assert_eq!(
        layers,
        ParamValue::Layers(parse_layers("Linear(8), ReLU, Linear(8), ReLU, Linear(2)").unwrap())
    );
}

#[test]
fn a_learning_rate_that_kills_relus_shows_dead_units_and_leaky_relu_is_offered() {
    let mut graph = lesson("momentum");
    set(&mut graph, NodeKind::SgdOptimizer, "learning_rate", ParamValue::Float(3.0));
    set(&mut graph, NodeKind::SgdOptimizer, "momentum", ParamValue::Float(0.9));
    let (notice, changed) = the(&diagnosed(&graph), Diagnosis::DeadUnits, &graph);
    assert!(notice.evidence.contains("are zero for every sample"), "{}", notice.evidence);
    let layers = changed.nodes_of(NodeKind::Network).next().unwrap().param("layers").unwrap();
    let layers = layers.as_layers().unwrap();
    assert!(layers.iter().all(|layer| !matches!(layer, LayerSpec::Relu)), "{layers:?}");
    assert!(layers.iter().any(|layer| matches!(layer, LayerSpec::LeakyRelu { .. })));
}

#[test]
fn a_deep_sigmoid_network_has_vanishing_gradients_and_relu_is_offered() {
    let mut graph = lesson("momentum");
    let deep = format!("{}Linear(2)", "Linear(16), Sigmoid, ".repeat(8));
    set(&mut graph, NodeKind::Network, "layers", ParamValue::Layers(parse_layers(&deep).unwrap()));
    set(&mut graph, NodeKind::EpochTracker, "total_epochs", ParamValue::Int(5));
    let (notice, changed) = the(&diagnosed(&graph), Diagnosis::Gradients, &graph);
    assert_eq!(notice.title, "Vanishing gradients");
    let layers = changed.nodes_of(NodeKind::Network).next().unwrap().param("layers").unwrap();
    assert!(layers.as_layers().unwrap().iter().all(|layer| !matches!(layer, LayerSpec::Sigmoid)));
}

#[test]
fn suggestions_read_as_people_write_them() {
    for (number, written) in [
        (0.08410310505352671, 0.084),
        (0.003, 0.003),
        (3.0000000000000004, 3.0),
        (123.4, 120.0),
        (0.30000000000000004, 0.3),
    ] {
        assert_eq!(rounded(number), written, "{number}");
    }
}
