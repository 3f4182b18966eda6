//! PyTorch's own numbers on the WebGPU backend, in headless Chromium (SwiftShader's adapter,
//! `tests/webdriver-webgpu.json`). The same checks as the native `tests/golden.rs`
//! (`tests/golden/checks.rs`), with every read asynchronous, within 1e-4 relative.
//!
//! The files are fetched at run time from `served/golden/`, which `cargo xtask test` fills
//! from `golden/` (or `KINDLING_GOLDEN_DIR`) just before; a missing file fails.
#![cfg(target_arch = "wasm32")]

#[path = "golden/checks.rs"]
mod checks;

use std::cell::RefCell;

use burn::tensor::Device;
use checks::Tolerance;
use kindling::web::gpu;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

thread_local! {
    /// burn's WebGPU runtime starts once per page; the tests share it.
    static DEVICE: RefCell<Option<Device>> = const { RefCell::new(None) };
}

/// The WebGPU device, started through the app's own start-up path.
async fn webgpu() -> Device {
    if let Some(device) = DEVICE.with_borrow(Clone::clone) {
        return device;
    }
    let gpu = gpu::init().await.unwrap_or_else(|reason| {
        panic!(
            "no WebGPU device: {reason} (Chromium needs --enable-unsafe-webgpu --enable-unsafe-swiftshader)"
        )
    });
    DEVICE.with_borrow_mut(|device| *device = Some(gpu.device.clone()));
    gpu.device
}

/// The text of a golden file, fetched from the test server.
async fn golden(file: &str) -> String {
    let window = web_sys::window().expect("a window");
    let response: web_sys::Response =
        JsFuture::from(window.fetch_with_str(&format!("/served/golden/{file}")))
            .await
            .expect("fetch")
            .unchecked_into();
    assert!(
        response.ok(),
        "golden data {file} is missing (HTTP {}): `cargo xtask test` serves golden/ (or KINDLING_GOLDEN_DIR) as served/golden/",
        response.status()
    );
    JsFuture::from(response.text().expect("text")).await.expect("body").as_string().expect("a string")
}

#[wasm_bindgen_test]
async fn cross_entropy_matches_pytorch_on_webgpu() {
    checks::cross_entropy(&golden("cross_entropy.json").await, &webgpu().await, Tolerance::WEBGPU).await;
}

#[wasm_bindgen_test]
async fn mse_matches_pytorch_on_webgpu() {
    checks::mse(&golden("mse.json").await, &webgpu().await, Tolerance::WEBGPU).await;
}

#[wasm_bindgen_test]
async fn accuracy_matches_pytorch_on_webgpu() {
    checks::accuracy(&golden("accuracy.json").await, &webgpu().await, Tolerance::WEBGPU).await;
}

#[wasm_bindgen_test]
async fn global_norm_clipping_matches_pytorch_on_webgpu() {
    checks::global_norm_clipping(&golden("clip_grad_norm.json").await, &webgpu().await, Tolerance::WEBGPU)
        .await;
}

#[wasm_bindgen_test]
async fn lr_schedulers_match_pytorch_on_webgpu() {
    checks::lr_schedulers(&golden("lr_schedulers.json").await, &webgpu().await, Tolerance::WEBGPU).await;
}

#[wasm_bindgen_test]
async fn warmup_schedulers_match_pytorch_on_webgpu() {
    checks::warmup_schedulers(&golden("lr_schedulers.json").await, &webgpu().await, Tolerance::WEBGPU).await;
}

#[wasm_bindgen_test]
async fn classification_metrics_match_scikit_learn_on_webgpu() {
    checks::classification_metrics(
        &golden("classification_metrics.json").await,
        &webgpu().await,
        Tolerance::WEBGPU,
    )
    .await;
}

#[wasm_bindgen_test]
async fn optimizers_match_pytorch_on_webgpu() {
    checks::optimizers(&golden("optimizers.json").await, &webgpu().await, Tolerance::WEBGPU).await;
}

#[wasm_bindgen_test]
async fn training_steps_match_pytorch_on_webgpu() {
    checks::training_steps(&golden("training_step.json").await, &webgpu().await, Tolerance::WEBGPU).await;
}

#[wasm_bindgen_test]
async fn batch_norm_matches_pytorch_on_webgpu() {
    checks::batch_norm(&golden("batch_norm.json").await, &webgpu().await, Tolerance::WEBGPU).await;
}

#[wasm_bindgen_test]
async fn neuron_pictures_are_pytorchs_activations_on_webgpu() {
    checks::neuron_pictures(&golden("neuron_pictures.json").await, &webgpu().await, Tolerance::WEBGPU).await;
}

#[wasm_bindgen_test]
async fn layer_norms_are_pytorchs_on_webgpu() {
    checks::layer_norms(&golden("layer_norms.json").await, &webgpu().await, Tolerance::WEBGPU).await;
}

#[wasm_bindgen_test]
async fn image_layers_match_pytorch_on_webgpu() {
    checks::image_layers(&golden("image_layers.json").await, &webgpu().await, Tolerance::WEBGPU).await;
}

#[wasm_bindgen_test]
async fn batch_norm_2d_matches_pytorch_on_webgpu() {
    checks::batch_norm_2d(&golden("batch_norm_2d.json").await, &webgpu().await, Tolerance::WEBGPU).await;
}

#[wasm_bindgen_test]
async fn cnn_training_matches_pytorch_on_webgpu() {
    checks::cnn_training(&golden("cnn_training.json").await, &webgpu().await, Tolerance::WEBGPU).await;
}
