//! Clocks, in the page and in the engine's worker alike.

/// Milliseconds since the page (or the worker) started (`performance.now()`), or 0 where
/// there is no clock.
pub fn now_millis() -> f64 {
    performance().map(|performance| performance.now()).unwrap_or(0.0)
}

/// The global scope's `performance`, in a page or a worker alike.
fn performance() -> Option<web_sys::Performance> {
    let performance = js_sys::Reflect::get(&js_sys::global(), &"performance".into()).ok()?;
    wasm_bindgen::JsCast::dyn_into(performance).ok()
}

/// Marks this moment in the page's performance timeline under `name` (`performance.mark`),
/// where benchmarks and the browser's profiler find it.
pub fn mark(name: &str) {
    if let Some(performance) = performance() {
        let _ = performance.mark(name);
    }
}

/// Milliseconds since the Unix epoch (`Date.now()`): when something was saved.
pub fn epoch_millis() -> f64 {
    js_sys::Date::now()
}
