//! The backends training runs on, and the CPU backend device. burn 0.22 picks the backend
//! from the `Device` value at run time, so [`cpu_device`] is where the CPU backend is chosen
//! (the WebGPU device comes from the browser: `web::gpu`).
//!
//! `flex` and `ndarray` were both timed on the default graph in headless Chromium (wasm32,
//! `+simd128`, release); docs/performance.md records the figures and the choice.

use burn::tensor::Device;

/// The device the CPU backend trains on.
pub fn cpu_device() -> Device {
    Device::flex()
}
