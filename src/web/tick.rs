//! Yielding to the browser's event loop between slices of training work.
//!
//! A `MessageChannel` message is a fresh task with no timer clamping (nested `setTimeout(0)`
//! waits at least 4 ms after a few levels), so the page gets to render and handle input
//! between slices, and training resumes as soon as it has.

use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

#[wasm_bindgen(inline_js = r#"
const channel = new MessageChannel();
const waiting = [];
channel.port1.onmessage = () => { const resume = waiting.shift(); if (resume) resume(); };
export function next_task() {
  return new Promise((resume) => { waiting.push(resume); channel.port2.postMessage(null); });
}
"#)]
extern "C" {
    fn next_task() -> js_sys::Promise;
}

/// Resolves in a new task, after the browser has had the chance to render and run input
/// handlers.
pub async fn yield_now() {
    // The promise only ever resolves; an error here would mean the channel is gone, and
    // carrying on is the right response to that too.
    let _ = JsFuture::from(next_task()).await;
}
