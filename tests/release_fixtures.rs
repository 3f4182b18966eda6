//! What this release stores keeps opening in later ones: an autosaved graph entry, a
//! checkpoint, a weights file (burn's record format) and trained weights as safetensors,
//! kept in `tests/fixtures/release-0.1/` with what the network computes from them. A burn
//! upgrade that changes its record format, or a change to an entry's schema, fails here
//! (then migrate, and keep these fixtures opening).
//!
//! `KINDLING_BLESS=1 cargo test --test release_fixtures` writes the fixtures: only when
//! starting a new release's set, in a new folder, never over an old one.
#![cfg(not(target_arch = "wasm32"))]

use std::path::PathBuf;

use futures_lite::future::block_on;
use kindling::core::compile::compiler::compile;
use kindling::core::document::checkpoint::Checkpoint;
use kindling::core::document::experiment::{Experiment, View};
use kindling::core::document::saved_graph;
use kindling::core::engine::device::cpu_device;
use kindling::core::engine::pytorch_weights::{from_safetensors, to_safetensors};
use kindling::core::engine::run::{Event, Resume, Run, RunStart};
use kindling::core::engine::weights;
use kindling::core::model::templates::basic_loop;
use kindling::core::protocol::backend::Backend;
use support::{TestHost, next_epoch, outputs, start};

mod support;

fn folder() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/release-0.1")
}

fn read(name: &str) -> Vec<u8> {
    let path = folder().join(name);
    std::fs::read(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// Writes the fixtures from 3 epochs of the default graph.
fn bless() {
    let plan = compile(&basic_loop()).unwrap();
    let (host, mut run) = (TestHost::new(1.0), start(plan.clone(), &cpu_device(), Backend::Cpu));
    for _ in 0..3 {
        next_epoch(&mut run, &host);
    }
    let model = block_on(run.trainer().weights()).unwrap();
    let bytes = weights::to_bytes(&model).unwrap();
    let checkpoint =
        Checkpoint { epoch: 3, network: plan.network.describe(), weights: bytes.clone(), state: None };
    let experiment = Experiment::new(basic_loop(), View { offset_x: 12.0, offset_y: -4.0, scale: 0.75 });
    std::fs::create_dir_all(folder()).unwrap();
    std::fs::write(
        folder().join("saved-graph.json"),
        saved_graph::entry(&experiment, 1_790_000_000_000.0).unwrap(),
    )
    .unwrap();
    std::fs::write(folder().join("checkpoint.json"), checkpoint.encode_v1()).unwrap();
    std::fs::write(folder().join("weights.bpk"), &bytes).unwrap();
    std::fs::write(folder().join("weights.safetensors"), block_on(to_safetensors(&model)).unwrap()).unwrap();
    std::fs::write(folder().join("outputs.json"), serde_json::to_string(&outputs(&model)).unwrap()).unwrap();
}

#[test]
fn this_releases_stored_entries_checkpoints_and_weights_keep_opening() {
    if std::env::var_os("KINDLING_BLESS").is_some() && !folder().join("outputs.json").exists() {
        bless();
    }
    let expected: Vec<f32> = serde_json::from_slice(&read("outputs.json")).unwrap();
    let plan = compile(&basic_loop()).unwrap();
    let close = |found: &[f32], what: &str| {
        assert_eq!(found.len(), expected.len(), "{what}");
        for (found, expected) in found.iter().zip(&expected) {
            assert!(
                (found - expected).abs() <= 1e-6 * expected.abs().max(1.0),
                "{what}: {found} against {expected}"
            );
        }
    };

    // The autosaved graph: the same graph and view.
    let text = String::from_utf8(read("saved-graph.json")).unwrap();
    let saved = saved_graph::read("release-0.1", &text).expect("the saved graph opens");
    // The basic loop of that release (laid out on another grid since: the same nodes, settings
    // and wires).
    let unplaced = |graph: &kindling::core::model::graph::Graph| {
        let nodes: Vec<_> = graph.nodes().map(|node| (node.id, node.kind, node.params.clone())).collect();
        (nodes, graph.wires().collect::<Vec<_>>())
    };
    assert_eq!(unplaced(&saved.experiment.graph), unplaced(&basic_loop()));
    assert_eq!(saved.experiment.view, View { offset_x: 12.0, offset_y: -4.0, scale: 0.75 });
    assert_eq!(saved.title, saved_graph::title(&basic_loop()));

    // The checkpoint: epoch 3, its weights compute what they computed.
    let checkpoint =
        Checkpoint::decode(&String::from_utf8(read("checkpoint.json")).unwrap()).expect("it decodes");
    assert_eq!(checkpoint.epoch, 3);
    let model =
        weights::from_bytes(&checkpoint.weights, &plan.network, &cpu_device()).expect("its weights load");
    close(&outputs(&model), "checkpoint");

    // The weights files.
    let model =
        weights::from_bytes(&read("weights.bpk"), &plan.network, &cpu_device()).expect("the .bpk loads");
    close(&outputs(&model), "weights.bpk");
    let model = from_safetensors(&read("weights.safetensors"), &plan.network, &cpu_device())
        .expect("the safetensors load");
    close(&outputs(&model), "weights.safetensors");
}

/// Where the format-2 checkpoint (weights and where the run stood) is kept, with the losses
/// of the two epochs a run restored from it trains next.
fn format_2() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/checkpoint-2")
}

/// Writes the format-2 fixture from 3 epochs of the default graph.
fn bless_format_2() {
    let plan = compile(&basic_loop()).unwrap();
    let (host, mut run) = (TestHost::new(1.0), start(plan.clone(), &cpu_device(), Backend::Cpu));
    let mut copy = None;
    for _ in 0..3 {
        copy = next_epoch(&mut run, &host).1.into_iter().find_map(|event| match event {
            Event::CheckpointDue(copy) => Some(copy),
            _ => None,
        });
    }
    let copy = copy.expect("a checkpoint every epoch");
    let checkpoint = Checkpoint {
        epoch: copy.epoch,
        network: copy.network.describe(),
        weights: weights::to_bytes(&copy.weights).unwrap(),
        state: copy.state,
    };
    let next: Vec<f64> = (0..2).map(|_| next_epoch(&mut run, &host).0.train_loss).collect();
    std::fs::create_dir_all(format_2()).unwrap();
    std::fs::write(format_2().join("checkpoint.bin"), checkpoint.to_bytes()).unwrap();
    std::fs::write(format_2().join("next-losses.json"), serde_json::to_string(&next).unwrap()).unwrap();
}

#[test]
fn a_format_2_checkpoint_keeps_opening_and_goes_on_where_its_run_stood() {
    if std::env::var_os("KINDLING_BLESS").is_some() && !format_2().join("checkpoint.bin").exists() {
        bless_format_2();
    }
    let read = |name: &str| {
        let path = format_2().join(name);
        std::fs::read(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
    };
    let expected: Vec<f64> = serde_json::from_slice(&read("next-losses.json")).unwrap();
    let plan = compile(&basic_loop()).unwrap();
    let checkpoint = Checkpoint::from_bytes(&read("checkpoint.bin")).expect("it decodes");
    assert_eq!(checkpoint.epoch, 3);
    let weights =
        weights::from_bytes(&checkpoint.weights, &plan.network, &cpu_device()).expect("its weights load");
    let from = Resume { weights, epoch: checkpoint.epoch, state: checkpoint.state };
    let mut run =
        Run::start(plan, RunStart { from: Some(from), ..RunStart::new(cpu_device(), Backend::Cpu) })
            .expect("it fits the default graph");
    assert!(run.afresh().is_empty(), "{}", run.afresh().describe());
    let host = TestHost::new(1.0);
    for expected in expected {
        let found = next_epoch(&mut run, &host).0.train_loss;
        assert!((found - expected).abs() <= 1e-6 * expected, "{found} against {expected}");
    }
}
