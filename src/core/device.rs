//! The backends training runs on, and the CPU backend device. burn 0.22 picks the backend
//! from the `Device` value at run time, so [`cpu_device`] is where the CPU backend is chosen
//! (the WebGPU device comes from the browser: `web::gpu`).
//!
//! `flex` and `ndarray` were both timed on the default graph in headless Chromium (wasm32,
//! `+simd128`, release); README's architecture notes record the figures and the choice.

use burn::tensor::Device;

/// The device the CPU backend trains on.
pub fn cpu_device() -> Device {
    Device::flex()
}

/// Where training runs: the choice the page offers and shows (`data-testid="backend"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Backend {
    /// burn's `flex` CPU backend: always there.
    Cpu,
    /// burn's wgpu backend on the browser's WebGPU.
    WebGpu,
}

impl Backend {
    /// The name in the page, the `?backend=` query and `data-testid="backend"`.
    pub fn label(self) -> &'static str {
        match self {
            Backend::Cpu => "cpu",
            Backend::WebGpu => "webgpu",
        }
    }

    /// The backend a label names (`cpu`, `webgpu`), if any.
    pub fn parse(label: &str) -> Option<Self> {
        match label.trim().to_ascii_lowercase().as_str() {
            "cpu" => Some(Backend::Cpu),
            "webgpu" | "gpu" | "wgpu" => Some(Backend::WebGpu),
            _ => None,
        }
    }
}
