//! PyTorch's own numbers (`../shared/golden/*.json`, or the folder in `KINDLING_GOLDEN_DIR`)
//! against Kindling's nodes on the CPU backend. The files are read at run time and every case
//! is checked; a missing file fails the test. Values must agree within 1e-5 relative or 1e-6
//! absolute.

use std::path::PathBuf;

use burn::tensor::{Int, Tensor, TensorData};
use futures_lite::future::block_on;
use kindling::core::device::cpu_device;
use kindling::core::loss::{CrossEntropyOptions, Reduction, cross_entropy_with};
use serde::Deserialize;
use serde::de::DeserializeOwned;

fn golden<T: DeserializeOwned>(file: &str) -> Vec<T> {
    let dir = std::env::var_os("KINDLING_GOLDEN_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/golden"));
    let path = dir.join(file);
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("golden data {} is missing: {error}", path.display()));
    let cases: Vec<T> =
        serde_json::from_str(&text).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    assert!(!cases.is_empty(), "{} holds no case", path.display());
    cases
}

fn assert_close(what: &str, actual: &[f32], expected: &[f64]) {
    assert_eq!(actual.len(), expected.len(), "{what}: length");
    for (index, (&a, &e)) in actual.iter().zip(expected).enumerate() {
        let a = f64::from(a);
        let both_nan = a.is_nan() && e.is_nan();
        let close = (a - e).abs() <= 1e-6 || (a - e).abs() <= 1e-5 * e.abs();
        assert!(both_nan || close, "{what}[{index}]: got {a}, PyTorch {e}");
    }
}

fn read(tensor: Tensor<1>) -> Vec<f32> {
    block_on(tensor.into_data_async()).expect("read").try_to_vec::<f32>().expect("f32")
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Loss {
    Scalar(f64),
    PerSample(Vec<f64>),
}

#[derive(Deserialize)]
struct CrossEntropyCase {
    logits: Vec<Vec<f64>>,
    targets: Vec<i64>,
    weight: Option<Vec<f64>>,
    ignore_index: i64,
    reduction: String,
    label_smoothing: f64,
    loss: Loss,
    grad_logits: Vec<Vec<f64>>,
}

#[test]
fn cross_entropy_matches_pytorch() {
    let device = cpu_device().autodiff();
    for (index, case) in golden::<CrossEntropyCase>("cross_entropy.json").into_iter().enumerate() {
        let what = format!(
            "cross_entropy case {index} ({}, smoothing {}, weights {}, ignore {})",
            case.reduction,
            case.label_smoothing,
            case.weight.is_some(),
            case.ignore_index
        );
        let (rows, classes) = (case.logits.len(), case.logits[0].len());
        let flat: Vec<f32> = case.logits.iter().flatten().map(|&v| v as f32).collect();
        let logits = Tensor::<2>::from_data(TensorData::new(flat, [rows, classes]), &device).require_grad();
        let targets = Tensor::<1, Int>::from_data(TensorData::new(case.targets.clone(), [rows]), &device);
        let options = CrossEntropyOptions {
            reduction: match case.reduction.as_str() {
                "mean" => Reduction::Mean,
                "sum" => Reduction::Sum,
                "none" => Reduction::Elementwise,
                other => panic!("{what}: unknown reduction {other}"),
            },
            label_smoothing: case.label_smoothing,
            ignore_index: case.ignore_index,
            weight: case.weight.as_ref().map(|w| w.iter().map(|&v| v as f32).collect()),
        };
        let loss = cross_entropy_with(logits.clone(), targets, &options);
        let expected_loss = match &case.loss {
            Loss::Scalar(value) => vec![*value],
            Loss::PerSample(values) => values.clone(),
        };
        let gradients = loss.clone().sum().backward();
        assert_close(&format!("{what}: loss"), &read(loss.detach()), &expected_loss);
        let grad = logits.grad(&gradients).expect("logits have a gradient");
        let grad = read(grad.reshape([rows * classes]));
        let expected_grad: Vec<f64> = case.grad_logits.iter().flatten().copied().collect();
        assert_close(&format!("{what}: grad_logits"), &grad, &expected_grad);
    }
}
