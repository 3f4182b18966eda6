//! The page's monotonic clock.

/// Milliseconds since the page loaded (`performance.now()`), or 0 where there is no clock.
pub fn now_millis() -> f64 {
    web_sys::window()
        .and_then(|window| window.performance())
        .map(|performance| performance.now())
        .unwrap_or(0.0)
}
