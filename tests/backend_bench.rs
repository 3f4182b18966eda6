//! Benchmark, not a test: the time of one epoch of the default graph on each CPU backend
//! (flex and ndarray), in headless Chromium, interleaved so both see the same conditions.
//! The first rounds include the browser's optimising recompilation of the hot code, so the
//! best round is the one compared.
//! Run with `cargo xtask bench`; docs/performance.md records the figures.
#![cfg(target_arch = "wasm32")]
#![allow(deprecated)] // `Device::ndarray` is deprecated upstream; measuring it is the point.

use burn::tensor::Device;
use kindling::core::compile::compiler::compile;
use kindling::core::engine::run::{Event, Host, Run, RunStart};
use kindling::core::model::templates::basic_loop;
use kindling::core::protocol::backend::Backend;
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

const EPOCHS_PER_ROUND: usize = 20;
const ROUNDS: usize = 5;

fn now_millis() -> f64 {
    web_sys::window().and_then(|w| w.performance()).map(|p| p.now()).unwrap_or(0.0)
}

/// The page's clock.
struct Page;

impl Host for Page {
    fn now_millis(&self) -> f64 {
        now_millis()
    }
}

/// Runs `run` to the end of its next epoch, without yielding.
async fn epoch(run: &mut Run) {
    loop {
        let events = run.advance(f64::INFINITY, &Page).await;
        assert!(!run.is_over() || events.iter().any(|event| matches!(event, Event::Finished)), "run over");
        if events.iter().any(|event| matches!(event, Event::Epoch(_))) {
            return;
        }
    }
}

/// Milliseconds per epoch over `EPOCHS_PER_ROUND` epochs, after one warm-up epoch.
async fn millis_per_epoch(device: &Device) -> f64 {
    let plan = compile(&basic_loop()).expect("default graph compiles");
    let mut run = Run::start(plan, RunStart::new(device.clone(), Backend::Cpu)).expect("run starts");
    epoch(&mut run).await;
    let start = now_millis();
    for _ in 0..EPOCHS_PER_ROUND {
        epoch(&mut run).await;
    }
    (now_millis() - start) / EPOCHS_PER_ROUND as f64
}

#[wasm_bindgen_test]
async fn cpu_backends_epoch_time() {
    let mut flex = Vec::new();
    let mut ndarray = Vec::new();
    for _ in 0..ROUNDS {
        flex.push(millis_per_epoch(&Device::flex()).await);
        ndarray.push(millis_per_epoch(&Device::ndarray()).await);
    }
    let best = |times: &[f64]| times.iter().copied().fold(f64::INFINITY, f64::min);
    let plan = compile(&basic_loop()).expect("default graph compiles");
    console_log!(
        "one epoch of the default graph ({} samples, batch {}), best of {ROUNDS} rounds of {EPOCHS_PER_ROUND}:",
        plan.dataset.samples,
        plan.sampler.batch_size
    );
    console_log!("  flex    {:.2} ms/epoch  (rounds: {flex:.2?})", best(&flex));
    console_log!("  ndarray {:.2} ms/epoch  (rounds: {ndarray:.2?})", best(&ndarray));
    console_log!("  ndarray / flex = {:.2}", best(&ndarray) / best(&flex));
}
