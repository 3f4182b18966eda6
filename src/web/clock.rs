//! The page's clocks, and the host a training run reads them through.

/// Milliseconds since the page loaded (`performance.now()`), or 0 where there is no clock.
pub fn now_millis() -> f64 {
    web_sys::window()
        .and_then(|window| window.performance())
        .map(|performance| performance.now())
        .unwrap_or(0.0)
}

/// Marks this moment in the page's performance timeline under `name` (`performance.mark`),
/// where benchmarks and the browser's profiler find it.
pub fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|window| window.performance()) {
        let _ = performance.mark(name);
    }
}

/// Milliseconds since the Unix epoch (`Date.now()`): when something was saved.
pub fn epoch_millis() -> f64 {
    js_sys::Date::now()
}

/// What a training run (`core::run`) needs from the page: its clock, and word of a lost GPU.
pub struct PageHost;

impl crate::core::run::Host for PageHost {
    fn now_millis(&self) -> f64 {
        now_millis()
    }

    fn device_lost(&self) -> Option<String> {
        super::gpu::lost()
    }
}
