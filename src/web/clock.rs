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

/// Runs `work` and records how long it took in the page's performance timeline, as a
/// measure named `name` (`performance.measure`), where benchmarks (with a
/// `PerformanceObserver`) and the browser's profiler find it. The timeline keeps only the
/// last few hundred: a page open for days does not collect them without end.
pub fn measured<T>(name: &str, work: impl FnOnce() -> T) -> T {
    let Some(performance) = performance() else { return work() };
    let start = format!("{name}:start");
    let _ = performance.mark(&start);
    let result = work();
    let _ = performance.measure_with_start_mark(name, &start);
    performance.clear_marks_with_mark_name(&start);
    MEASURED.with(|count| {
        let next = count.get().wrapping_add(1);
        count.set(next);
        if next.is_multiple_of(KEPT_MEASURES) {
            performance.clear_measures();
        }
    });
    result
}

/// How many measures the timeline holds, at most, before they are cleared.
const KEPT_MEASURES: u32 = 512;

thread_local! {
    static MEASURED: std::cell::Cell<u32> = const { std::cell::Cell::new(0) };
}

/// Milliseconds since the Unix epoch (`Date.now()`): when something was saved.
pub fn epoch_millis() -> f64 {
    js_sys::Date::now()
}
