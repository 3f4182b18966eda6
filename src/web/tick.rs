//! Yielding to the browser's event loop between slices of training work.
//!
//! Yielding with a plain task is not enough: Chromium runs queued tasks back to back and
//! starves rendering (frames 200 ms apart were measured that way). So a slice ends by waiting
//! for the next animation frame, and training resumes in a `MessageChannel` task queued from
//! that frame's callback, which runs right after the frame is painted. (A `MessageChannel`
//! message has no timer clamping; nested `setTimeout(0)` waits at least 4 ms.) In a hidden
//! tab, where animation frames stop, it resumes after a plain task instead. In a worker,
//! which has no frames, the engine yields a task ([`yield_to_next_task`]) so that commands
//! come in between its slices.

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(module = "/src/web/tick.js")]
extern "C" {
    fn after_next_frame() -> js_sys::Promise;
    fn after_next_task() -> js_sys::Promise;
    fn after(millis: f64) -> js_sys::Promise;
}

/// Resolves in a new task after the browser has rendered the next frame (and so has also run
/// pending input handlers).
pub async fn yield_to_next_frame() {
    // The promise only ever resolves; an error here would mean the channel is gone, and
    // carrying on is the right response to that too.
    let _ = JsFuture::from(after_next_frame()).await;
}

/// Resolves in a new task, after whatever the event loop had queued (messages included).
pub async fn yield_to_next_task() {
    let _ = JsFuture::from(after_next_task()).await;
}

/// Resolves after `millis` milliseconds (`setTimeout`: at least 4 ms once nested).
pub async fn sleep(millis: f64) {
    let _ = JsFuture::from(after(millis)).await;
}
