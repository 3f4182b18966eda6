//! Where the WebGPU backend stands, as the engine reports it and the page shows it.

use serde::{Deserialize, Serialize};

/// Where the WebGPU backend stands.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum GpuState {
    /// Not asked for (`?backend=cpu`).
    Off,
    /// Asking the browser for an adapter and a device.
    Detecting,
    /// Compiling the kernels a run needs.
    Preparing,
    /// Ready to train; `f16` when the adapter has `shader-f16`.
    Ready { adapter: String, f16: bool },
    /// No GPU to train on, and why.
    Unavailable(String),
    /// The device was lost, and why.
    Lost(String),
}

impl GpuState {
    /// `data-state` of `data-testid="gpu-state"`.
    pub fn key(&self) -> &'static str {
        match self {
            GpuState::Off => "off",
            GpuState::Detecting => "detecting",
            GpuState::Preparing => "preparing",
            GpuState::Ready { .. } => "ready",
            GpuState::Unavailable(_) => "unavailable",
            GpuState::Lost(_) => "lost",
        }
    }

    /// What the page says about the GPU.
    pub fn text(&self) -> String {
        match self {
            GpuState::Off => String::new(),
            GpuState::Detecting => text!("gpu-state-detecting"),
            GpuState::Preparing => text!("gpu-state-preparing"),
            GpuState::Ready { adapter, .. } if adapter.is_empty() => text!("gpu-state-ready"),
            GpuState::Ready { adapter, .. } => text!("gpu-state-ready-on", adapter = adapter),
            GpuState::Unavailable(_) => text!("gpu-state-unavailable"),
            GpuState::Lost(_) => text!("gpu-state-lost"),
        }
    }

    /// Why WebGPU cannot be picked, if it cannot.
    pub fn refusal(&self) -> Option<String> {
        match self {
            GpuState::Unavailable(reason) | GpuState::Lost(reason) => Some(reason.clone()),
            _ => None,
        }
    }
}
