//! Trained weights leave the device and come back: CPU copies read asynchronously, burn's
//! record format (checkpoints, downloads), loading into a matching network only, and a run
//! that goes on from a copy.
#![cfg(not(target_arch = "wasm32"))]

use burn::module::Module;
use burn::tensor::{Tensor, TensorData};
use futures_lite::future::block_on;
use kindling::core::checkpoint::Checkpoint;
use kindling::core::compile::compile;
use kindling::core::device::{Backend, cpu_device};
use kindling::core::model::Mlp;
use kindling::core::params::LayerSpec;
use kindling::core::plan::{NetworkPlan, TrainingPlan};
use kindling::core::run::Run;
use kindling::core::templates::basic_loop;
use kindling::core::train::Trainer;
use kindling::core::weights::{self, WeightsError};
use support::{TestHost, next_epoch, start};

mod support;

fn default_plan() -> TrainingPlan {
    compile(&basic_loop()).expect("the default graph compiles")
}

/// The network's outputs on a few fixed points.
fn outputs(model: &Mlp) -> Vec<f32> {
    let device = cpu_device();
    let points =
        Tensor::<2>::from_data(TensorData::new(vec![0.5f32, -0.25, -0.8, 0.9, 0.1, 0.0], [3, 2]), &device);
    block_on(model.valid().forward(points).into_data_async()).unwrap().try_to_vec::<f32>().unwrap()
}

/// A run of the default graph after `epochs` epochs.
fn trained(epochs: usize) -> Run {
    let (host, mut run) = (TestHost::new(1.0), start(default_plan(), &cpu_device(), Backend::Cpu));
    for _ in 0..epochs {
        next_epoch(&mut run, &host);
    }
    run
}

#[test]
fn a_copy_and_its_record_bytes_compute_what_the_trained_network_computes() {
    let run = trained(3);
    let trainer: &Trainer = run.trainer();
    let live = outputs(trainer.model().expect("a model"));
    let copy = block_on(trainer.weights()).expect("weights read back");
    assert_eq!(outputs(&copy), live, "the copy computes the same");
    let bytes = weights::to_bytes(&copy).expect("record written");
    assert!(bytes.len() > 100, "{} bytes", bytes.len());
    let loaded = weights::from_bytes(&bytes, &trainer.plan().network, &cpu_device()).expect("record loads");
    assert_eq!(outputs(&loaded), live, "the loaded record computes the same");
    // And it is not simply a fresh network.
    let fresh = Mlp::init(&trainer.plan().network, 99, &cpu_device());
    assert_ne!(outputs(&fresh), live);
}

#[test]
fn a_record_of_another_network_or_not_a_record_at_all_is_refused_with_a_reason() {
    let run = trained(1);
    let trainer = run.trainer();
    let bytes = weights::to_bytes(&block_on(trainer.weights()).unwrap()).unwrap();
    let wider = NetworkPlan {
        in_shape: vec![2],
        layers: vec![
            LayerSpec::Linear { out_features: 32 },
            LayerSpec::Relu,
            LayerSpec::Linear { out_features: 2 },
        ],
    };
    match weights::from_bytes(&bytes, &wider, &cpu_device()) {
        Err(WeightsError::Mismatch(reason)) => assert!(!reason.is_empty()),
        other => panic!("expected a mismatch, got {:?}", other.map(|_| "a model")),
    }
    for garbage in [&b""[..], b"not a record", &bytes[..bytes.len() / 2]] {
        let result = weights::from_bytes(garbage, &trainer.plan().network, &cpu_device());
        assert!(
            matches!(result, Err(WeightsError::Format(_) | WeightsError::Mismatch(_))),
            "{} bytes of garbage loaded",
            garbage.len()
        );
    }
}

#[test]
fn a_checkpoint_survives_storage_as_text_and_bad_text_says_what_is_wrong() {
    let run = trained(2);
    let trainer = run.trainer();
    let weights = weights::to_bytes(&block_on(trainer.weights()).unwrap()).unwrap();
    let checkpoint = Checkpoint { epoch: 2, network: trainer.plan().network.describe(), weights };
    let text = checkpoint.encode();
    assert_eq!(Checkpoint::decode(&text), Ok(checkpoint.clone()));
    let loaded = weights::from_bytes(
        &Checkpoint::decode(&text).unwrap().weights,
        &trainer.plan().network,
        &cpu_device(),
    );
    assert!(loaded.is_ok());

    let newer = text.replace("\"version\":1", "\"version\":2");
    assert!(Checkpoint::decode(&newer).unwrap_err().contains("newer"));
    let damaged = text.replace("\"weights\":\"", "\"weights\":\"!!");
    assert!(Checkpoint::decode(&damaged).unwrap_err().contains("damaged"));
    for bad in [
        "",
        "{}",
        "null",
        "[1,2]",
        &text[..text.len() / 2],
        "{\"format\":\"other\",\"version\":1,\"epoch\":1,\"network\":\"\",\"weights\":\"\"}",
    ] {
        assert!(Checkpoint::decode(bad).is_err(), "{bad:?} decoded");
    }
}
