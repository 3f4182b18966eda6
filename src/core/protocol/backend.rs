//! Where training runs: the CPU, or the browser's GPU through WebGPU.

use serde::{Deserialize, Serialize};

/// Where training runs: the choice the page offers and shows (`data-testid="backend"`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
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
