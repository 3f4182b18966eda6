//! WebGPU start-up: the one place the page asks the browser for a GPU.
//!
//! [`init`] runs once, at start-up, asynchronously (WebGPU has no synchronous start in the
//! browser). It never panics: no `navigator.gpu`, no adapter or a failed device request come
//! back as a reason to show the user, and the page trains on the CPU instead. Once a device
//! is up, the browser's device-lost signal is recorded for the training loop to check
//! ([`lost`]).

use std::sync::Mutex;

use burn::tensor::wgpu::WgpuInitError;
use burn::tensor::{Device, FloatDType};

/// A WebGPU device ready for burn.
#[derive(Clone)]
pub struct Gpu {
    pub device: Device,
    /// The adapter's name, as the browser reports it (may be empty).
    pub adapter: String,
    /// Whether the adapter has `shader-f16`, so the device computes in half precision.
    pub f16: bool,
}

/// Why the device was lost, once it was.
static LOST: Mutex<Option<String>> = Mutex::new(None);

/// Starts burn's WebGPU runtime. Call once per page: the runtime cannot start twice.
///
/// # Errors
/// A sentence for the user: why there is no GPU to train on.
pub async fn init() -> Result<Gpu, String> {
    if !has_webgpu() {
        return Err(text!("gpu-no-webgpu"));
    }
    let (device, setup) = Device::wgpu_options().init_with_setup_async().await.map_err(|error| {
        // The details are for developers; the page says what it means.
        let details = format!("WebGPU start-up failed: {error}"); // not words: console log
        web_sys::console::warn_1(&details.into());
        match error {
            WgpuInitError::AdapterUnavailable { .. } => text!("gpu-no-adapter"),
            WgpuInitError::RequestDevice { .. } => text!("gpu-no-device"),
            other => text!("gpu-failed", error = other.to_string()),
        }
    })?;
    setup.device.set_device_lost_callback(|reason, message| {
        let why = if message.is_empty() { format!("{reason:?}") } else { message };
        if let Ok(mut lost) = LOST.lock() {
            *lost = Some(why);
        }
    });
    let f16 = device.supports_dtype(FloatDType::F16);
    Ok(Gpu { device, adapter: setup.adapter.get_info().name, f16 })
}

/// Why the GPU device was lost, if it was.
pub fn lost() -> Option<String> {
    LOST.lock().ok().and_then(|lost| lost.clone())
}

/// Logs what went wrong with the GPU, in full, for developers (the page says it briefly).
pub fn report_failure(details: &str) {
    let details = format!("WebGPU failure: {details}"); // not words: console log for developers
    web_sys::console::warn_1(&details.into());
}

/// Whether the browser exposes `navigator.gpu` at all (in the page or a worker alike).
fn has_webgpu() -> bool {
    let Ok(navigator) = js_sys::Reflect::get(&js_sys::global(), &"navigator".into()) else { return false };
    js_sys::Reflect::get(&navigator, &"gpu".into()).is_ok_and(|gpu| !gpu.is_undefined() && !gpu.is_null())
}
