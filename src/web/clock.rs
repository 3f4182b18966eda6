//! The page's clocks.

/// Milliseconds since the page loaded (`performance.now()`), or 0 where there is no clock.
pub fn now_millis() -> f64 {
    web_sys::window()
        .and_then(|window| window.performance())
        .map(|performance| performance.now())
        .unwrap_or(0.0)
}

/// Milliseconds since the Unix epoch (`Date.now()`): when something was saved.
pub fn epoch_millis() -> f64 {
    js_sys::Date::now()
}
