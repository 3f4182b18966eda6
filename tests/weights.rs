//! Trained weights leave the device and come back: CPU copies read asynchronously, burn's
//! record format (checkpoints, downloads), loading into a matching network only, and a run
//! that goes on from a copy.
#![cfg(not(target_arch = "wasm32"))]

use futures_lite::future::block_on;
use kindling::core::compile::compiler::compile;
use kindling::core::compile::plan::{NetworkPlan, TrainingPlan};
use kindling::core::document::checkpoint::{Checkpoint, CheckpointError};
use kindling::core::engine::device::cpu_device;
use kindling::core::engine::mlp::Mlp;
use kindling::core::engine::run::Run;
use kindling::core::engine::train::Trainer;
use kindling::core::engine::weights::{self, WeightsError};
use kindling::core::model::params::LayerSpec;
use kindling::core::model::templates::basic_loop;
use kindling::core::protocol::backend::Backend;
use support::{TestHost, next_epoch, outputs, start};

mod support;

fn default_plan() -> TrainingPlan {
    compile(&basic_loop()).expect("the default graph compiles")
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
fn a_first_release_checkpoint_text_still_reads_and_bad_text_says_what_is_wrong() {
    let run = trained(2);
    let trainer = run.trainer();
    let weights = weights::to_bytes(&block_on(trainer.weights()).unwrap()).unwrap();
    let checkpoint =
        Checkpoint { epoch: 2, network: trainer.plan().network.describe(), weights, state: None };
    let text = checkpoint.encode_v1();
    assert_eq!(Checkpoint::decode(&text), Ok(checkpoint.clone()));
    let loaded = weights::from_bytes(
        &Checkpoint::decode(&text).unwrap().weights,
        &trainer.plan().network,
        &cpu_device(),
    );
    assert!(loaded.is_ok());

    let newer = text.replace("\"version\":1", "\"version\":2");
    assert_eq!(Checkpoint::decode(&newer).unwrap_err(), CheckpointError::NewerText { version: 2 });
    let damaged = text.replace("\"weights\":\"", "\"weights\":\"!!");
    let error = Checkpoint::decode(&damaged).unwrap_err();
    assert!(
        matches!(error, CheckpointError::WeightsDamaged(_)) && error.to_string().contains("damaged"),
        "{error}"
    );
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

/// A record of the default network with tensor `name` replaced by `dtype` values of `shape`
/// (`bytes` of data), or removed (`None`), or with an extra tensor when `name` is new.
fn tampered(name: &str, replacement: Option<(burn_pack::DType, Vec<usize>, Vec<u8>)>) -> Vec<u8> {
    let plan = default_plan();
    let fresh = weights::to_bytes(&Mlp::init(&plan.network, 0, &cpu_device())).unwrap();
    let reader = burn_pack::Reader::from_bytes(burn::tensor::Bytes::from_bytes_vec(fresh)).unwrap();
    let mut tensors: Vec<burn_pack::Tensor> =
        reader.into_tensors().unwrap().into_iter().filter(|tensor| tensor.name != name).collect();
    if let Some((dtype, shape, bytes)) = replacement {
        tensors.push(burn_pack::Tensor::new(
            name.to_owned(),
            dtype,
            shape,
            None,
            burn::tensor::Bytes::from_bytes_vec(bytes),
        ));
    }
    burn_pack::Writer::new(tensors).into_bytes().unwrap().to_vec()
}

/// Weights files a hostile or careless user could load, each with the reason it is refused
/// (the corpus `tests/weights/hostile/` holds them; `KINDLING_BLESS=1` writes it).
fn hostile_weights() -> Vec<(&'static str, Vec<u8>, &'static str)> {
    use burn_pack::DType;
    // The first Linear's weight, [in, out] as burn lays it out, under the record's name.
    let shape = vec![2, 16];
    let fresh = weights::to_bytes(&Mlp::init(&default_plan().network, 0, &cpu_device())).unwrap();
    let reader = burn_pack::Reader::from_bytes(burn::tensor::Bytes::from_bytes_vec(fresh.clone())).unwrap();
    let tensors = reader.into_tensors().unwrap();
    let name: &'static str =
        tensors.iter().find(|tensor| tensor.shape.as_slice() == shape).unwrap().name.clone().leak();
    let missing: &'static str = format!("`{name}` is missing").leak();
    let values = |bytes_per_value: usize| vec![0u8; 32 * bytes_per_value];
    let mut nan = values(4);
    nan[8..12].copy_from_slice(&f32::NAN.to_le_bytes());
    let mut infinite = values(4);
    infinite[0..4].copy_from_slice(&f32::INFINITY.to_le_bytes());
    let mut oversized = fresh.clone();
    oversized.resize(kindling::core::compile::budget::max_file_bytes(&default_plan().network) + 1, 0);
    vec![
        ("integer", tampered(name, Some((DType::I32, shape.clone(), values(4)))), "holds I32 values"),
        ("int64", tampered(name, Some((DType::I64, shape.clone(), values(8)))), "holds I64 values"),
        (
            "bool",
            tampered(name, Some((DType::Bool(burn::tensor::BoolStore::Native), shape.clone(), values(1)))),
            "holds Bool",
        ),
        ("f16", tampered(name, Some((DType::F16, shape.clone(), values(2)))), "holds F16 values"),
        ("f64", tampered(name, Some((DType::F64, shape.clone(), values(8)))), "holds F64 values"),
        ("nan", tampered(name, Some((DType::F32, shape.clone(), nan))), "not a finite number (at index 2)"),
        (
            "infinite",
            tampered(name, Some((DType::F32, shape.clone(), infinite))),
            "not a finite number (at index 0)",
        ),
        ("shape", tampered(name, Some((DType::F32, vec![16, 2], values(4)))), "has shape [16, 2]"),
        ("missing", tampered(name, None), missing),
        ("extra", tampered("layers.9.weight", Some((DType::F32, vec![2], vec![0u8; 8]))), "does not have"),
        ("oversized", oversized, "weights take at most"),
        ("truncated", fresh[..fresh.len() - 100].to_vec(), ""),
        ("text", b"not a record at all".to_vec(), ""),
    ]
}

#[test]
fn hostile_weights_files_are_refused_with_a_reason() {
    let corpus = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/weights/hostile");
    let plan = default_plan();
    for (what, bytes, reason) in hostile_weights() {
        if std::env::var_os("KINDLING_BLESS").is_some() {
            std::fs::create_dir_all(&corpus).unwrap();
            std::fs::write(corpus.join(format!("{what}.bpk")), &bytes).unwrap();
        }
        match weights::from_bytes(&bytes, &plan.network, &cpu_device()) {
            Ok(_) => panic!("{what}: loaded"),
            Err(error) => assert!(error.to_string().contains(reason), "{what}: {reason:?} not in {error}"),
        }
    }
    // The committed corpus (also what the fuzzer starts from) is refused too.
    let files: Vec<_> = std::fs::read_dir(&corpus).expect("tests/weights/hostile").collect();
    assert!(files.len() >= 13, "{} files in the corpus", files.len());
    for file in files {
        let path = file.unwrap().path();
        let bytes = std::fs::read(&path).unwrap();
        assert!(
            weights::from_bytes(&bytes, &plan.network, &cpu_device()).is_err(),
            "{} loaded",
            path.display()
        );
    }
}

/// What `model` computes for three digits-sized images (64 features each).
fn image_outputs(model: &Mlp) -> Vec<f32> {
    use burn::module::Module;
    use burn::tensor::{Tensor, TensorData};
    let pixels: Vec<f32> = (0..3 * 64).map(|i| ((i * 37) % 17) as f32 / 17.0).collect();
    let images = Tensor::<2>::from_data(TensorData::new(pixels, [3, 64]), &cpu_device());
    block_on(model.valid().forward(images).into_data_async()).unwrap().try_to_vec::<f32>().unwrap()
}

#[test]
fn a_cnn_learns_the_digits_and_its_weights_and_statistics_round_trip() {
    use kindling::core::model::catalogue::NodeKind;
    use kindling::core::model::params::{Conv2dSpec, ParamValue, Pool2dSpec};
    let mut graph = kindling::core::model::templates::digits();
    let network = graph.nodes_of(NodeKind::Network).next().unwrap().id;
    let layers = vec![
        LayerSpec::Conv2d(Conv2dSpec { padding: 1, ..Conv2dSpec::new(8, 3) }),
        LayerSpec::BatchNorm2d { momentum: 0.1 },
        LayerSpec::Relu,
        LayerSpec::MaxPool2d(Pool2dSpec::new(2)),
        LayerSpec::Dropout2d { p: 0.1 },
        LayerSpec::Flatten,
        LayerSpec::Linear { out_features: 10 },
    ];
    graph.set_param(network, "layers", ParamValue::Layers(layers)).unwrap();
    let plan = compile(&graph).expect("a CNN on the digits compiles");
    let (host, mut run) = (TestHost::new(1.0), start(plan, &cpu_device(), Backend::Cpu));
    let (first, _) = next_epoch(&mut run, &host);
    let (second, _) = next_epoch(&mut run, &host);
    assert!(second.train_loss < first.train_loss, "{} then {}", first.train_loss, second.train_loss);
    let accuracy = second.val_accuracy.expect("a validation pass");
    assert!(accuracy > 0.8, "validation accuracy after two epochs: {accuracy}");

    let trainer: &Trainer = run.trainer();
    let live = image_outputs(trainer.model().expect("a model"));
    let copy = block_on(trainer.weights()).expect("weights read back");
    assert_eq!(image_outputs(&copy), live, "the copy, running statistics included, computes the same");
    let bytes = weights::to_bytes(&copy).expect("record written");
    let loaded = weights::from_bytes(&bytes, &trainer.plan().network, &cpu_device()).expect("record loads");
    assert_eq!(image_outputs(&loaded), live, "the loaded record computes the same");
    let fresh = Mlp::init(&trainer.plan().network, 99, &cpu_device());
    assert_ne!(image_outputs(&fresh), live);
}
