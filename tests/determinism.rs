//! Training is deterministic for a given seed, dropout included.
//!
//! A test binary of its own: dropout draws from the CPU device's random generator, one per
//! process, which every trainer reseeds when it starts — tests running beside this one in
//! the same process would draw from it or reseed it between the two runs compared.
#![cfg(not(target_arch = "wasm32"))]

use kindling::core::compile::compiler::compile;
use kindling::core::engine::device::cpu_device;
use kindling::core::model::catalogue::NodeKind;
use kindling::core::model::graph::Graph;
use kindling::core::model::params::ParamValue;
use kindling::core::report::epoch_stats::EpochStats;
use support::train_plan;

mod support;

fn train(graph: &Graph) -> Vec<EpochStats> {
    train_plan(compile(graph).expect("graph compiles"), &cpu_device())
}

fn set(graph: &mut Graph, kind: NodeKind, name: &str, value: ParamValue) {
    let id = graph.nodes().find(|node| node.kind == kind).unwrap().id;
    graph.set_param(id, name, value).unwrap();
}

#[test]
fn the_same_graph_trains_the_same_way_twice_dropout_included() {
    let mut graph = kindling::core::model::templates::digits();
    set(&mut graph, NodeKind::EpochTracker, "total_epochs", ParamValue::Int(3));
    let first = train(&graph);
    assert_eq!(first, train(&graph));
    let mut other_seed = graph.clone();
    set(&mut other_seed, NodeKind::Dataset, "seed", ParamValue::Int(2));
    assert_ne!(first, train(&other_seed));
}
