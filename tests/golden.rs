//! PyTorch's own numbers (`golden/*.json`, or the folder in `KINDLING_GOLDEN_DIR`)
//! against Kindling's nodes on the CPU backend. The files are read at run time and every case
//! is checked; a missing file fails the test. Values must agree within 1e-5 relative or 1e-6
//! absolute (`Tolerance::CPU`).
//!
//! The checks themselves live in `golden/checks.rs`: async and generic over the burn device,
//! so that the same checks can run in the browser on WebGPU. Here each one is awaited with
//! `block_on` on the CPU device.
#![cfg(not(target_arch = "wasm32"))]

#[path = "golden/checks.rs"]
mod checks;

use std::path::PathBuf;

use checks::Tolerance;
use futures_lite::future::block_on;
use kindling::core::engine::device::cpu_device;

/// The text of one golden file (from the repository's `golden/`, which `golden/generate.py`
/// writes, or from `KINDLING_GOLDEN_DIR`); a missing file, or a missing or empty folder,
/// fails the test.
fn golden(file: &str) -> String {
    let dir = std::env::var_os("KINDLING_GOLDEN_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("golden"));
    let path = dir.join(file);
    std::fs::read_to_string(&path)
        .unwrap_or_else(|error| panic!("golden data {} is missing: {error}", path.display()))
}

#[test]
fn cross_entropy_matches_pytorch() {
    block_on(checks::cross_entropy(&golden("cross_entropy.json"), &cpu_device(), Tolerance::CPU));
}

#[test]
fn mse_matches_pytorch() {
    block_on(checks::mse(&golden("mse.json"), &cpu_device(), Tolerance::CPU));
}

#[test]
fn accuracy_matches_pytorch() {
    block_on(checks::accuracy(&golden("accuracy.json"), &cpu_device(), Tolerance::CPU));
}

#[test]
fn global_norm_clipping_matches_pytorch() {
    block_on(checks::global_norm_clipping(&golden("clip_grad_norm.json"), &cpu_device(), Tolerance::CPU));
}

#[test]
fn lr_schedulers_match_pytorch() {
    block_on(checks::lr_schedulers(&golden("lr_schedulers.json"), &cpu_device(), Tolerance::CPU));
}

#[test]
fn warmup_schedulers_match_pytorch() {
    block_on(checks::warmup_schedulers(&golden("lr_schedulers.json"), &cpu_device(), Tolerance::CPU));
}

#[test]
fn optimizers_match_pytorch() {
    block_on(checks::optimizers(&golden("optimizers.json"), &cpu_device(), Tolerance::CPU));
}

#[test]
fn training_steps_match_pytorch() {
    block_on(checks::training_steps(&golden("training_step.json"), &cpu_device(), Tolerance::CPU));
}

#[test]
fn classification_metrics_match_scikit_learn() {
    block_on(checks::classification_metrics(
        &golden("classification_metrics.json"),
        &cpu_device(),
        Tolerance::CPU,
    ));
}

#[test]
fn batch_norm_matches_pytorch() {
    block_on(checks::batch_norm(&golden("batch_norm.json"), &cpu_device(), Tolerance::CPU));
}

#[test]
fn layer_norms_are_pytorchs() {
    block_on(checks::layer_norms(&golden("layer_norms.json"), &cpu_device(), Tolerance::CPU));
}

#[test]
fn neuron_pictures_are_pytorchs_activations() {
    block_on(checks::neuron_pictures(&golden("neuron_pictures.json"), &cpu_device(), Tolerance::CPU));
}

#[test]
fn image_layers_match_pytorch() {
    block_on(checks::image_layers(&golden("image_layers.json"), &cpu_device(), Tolerance::CPU));
}

#[test]
fn batch_norm_2d_matches_pytorch() {
    block_on(checks::batch_norm_2d(&golden("batch_norm_2d.json"), &cpu_device(), Tolerance::CPU));
}

#[test]
fn cnn_training_matches_pytorch() {
    block_on(checks::cnn_training(&golden("cnn_training.json"), &cpu_device(), Tolerance::CPU));
}
