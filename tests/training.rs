//! The default graph trains: it reaches ≥ 95% training accuracy on the spiral within its
//! default epochs, for several seeds, on the CPU backend.
#![cfg(not(target_arch = "wasm32"))]

use burn::tensor::Device;
use kindling::core::compile::compile;
use kindling::core::device::cpu_device;
use kindling::core::graph::Graph;
use kindling::core::params::ParamValue;
use kindling::core::templates::basic_loop;
use kindling::core::train::{EpochStats, Trainer};

/// Trains `graph` to the end and returns every epoch's stats.
fn train(graph: &Graph, device: &Device) -> Vec<EpochStats> {
    let plan = compile(graph).expect("graph compiles");
    let mut trainer = Trainer::new(plan, device);
    let mut history = Vec::new();
    while !trainer.is_finished() {
        history.push(futures_lite::future::block_on(trainer.run_epoch()).expect("epoch runs"));
    }
    history
}

fn with_seed(seed: i64) -> Graph {
    let mut graph = basic_loop();
    let dataset = graph.nodes().iter().find(|n| n.kind.name() == "Dataset").unwrap().id;
    graph.set_param(dataset, "seed", ParamValue::Int(seed)).unwrap();
    graph
}

#[test]
fn default_graph_reaches_95_percent_for_every_seed() {
    for seed in [1, 2, 3, 4, 5] {
        let history = train(&with_seed(seed), &cpu_device());
        let last = history.last().unwrap();
        eprintln!("seed {seed}: {last:?}");
        assert!(last.train_accuracy >= 0.95, "seed {seed}: {last:?}");
        assert!(last.train_loss < history[0].train_loss / 4.0, "seed {seed}: loss barely fell");
    }
}
