//! The page's end of the channel to the engine: the engine runs in a dedicated module Web
//! Worker (`engine-worker.js`, which loads `kindling-engine_bg.wasm`), so training never takes
//! the page's thread. Commands go in and events come out as postcard bytes (`core::protocol`),
//! each buffer transferred, not copied.
//!
//! Where a worker cannot start — no `Worker`, no module workers, a host or policy that blocks
//! it, its script missing — the same engine is loaded onto the page's own thread instead
//! (imported as a module, or started from this module where it is compiled in, as in the
//! browser tests), behind the same channel, and the page is told why. An engine that fails after it is up (an uncaught error,
//! running out of memory) is reported as a crash; a worker is then started afresh.

use std::rc::Rc;

use wasm_bindgen::prelude::*;

use crate::core::protocol::codec;
use crate::core::protocol::message::{Command, Event};

#[wasm_bindgen(module = "/src/web/engine_link.js")]
extern "C" {
    /// The engine's handle: `post(bytes)`, `where()`, `restart()`.
    type EngineHandle;

    fn start_engine(
        base: &str,
        on_message: &Closure<dyn FnMut(js_sys::Uint8Array)>,
        on_trouble: &Closure<dyn FnMut(String, String)>,
        start_here: Option<&js_sys::Function>,
    ) -> EngineHandle;

    #[wasm_bindgen(method)]
    fn post(this: &EngineHandle, bytes: js_sys::Uint8Array);

    #[wasm_bindgen(method, js_name = "where")]
    fn location(this: &EngineHandle) -> String;

    #[wasm_bindgen(method)]
    fn restart(this: &EngineHandle) -> bool;
}

/// Something went wrong with the engine, as the page should hear it.
#[derive(Clone, Debug, PartialEq)]
pub enum Trouble {
    /// No worker could start (why): the engine runs on the page's thread.
    OnThePage(String),
    /// The engine failed after it was up (what it said).
    Crashed(String),
    /// The engine could not be loaded at all (why).
    Failed(String),
}

/// The page's channel to the engine.
pub struct EngineLink {
    handle: EngineHandle,
    // Kept alive for as long as the engine may call them.
    _on_message: Closure<dyn FnMut(js_sys::Uint8Array)>,
    _on_trouble: Closure<dyn FnMut(String, String)>,
}

impl EngineLink {
    /// Starts the engine, in a worker where one can start, and hands each of its events to
    /// `on_event` and each trouble to `on_trouble`.
    pub fn start(on_event: Rc<dyn Fn(Event)>, on_trouble: Rc<dyn Fn(Trouble)>) -> Self {
        let trouble = on_trouble.clone();
        let on_message =
            Closure::new(move |bytes: js_sys::Uint8Array| match codec::decode::<Event>(&bytes.to_vec()) {
                Ok(event) => on_event(event),
                Err(error) => {
                    trouble(Trouble::Crashed(text!("engine-link-unread", error = error.to_string())))
                }
            });
        let on_trouble = Closure::new(move |kind: String, why: String| {
            let why = reason(why);
            on_trouble(match kind.as_str() {
                "page" => Trouble::OnThePage(why),
                "crashed" => Trouble::Crashed(why),
                _ => Trouble::Failed(why),
            })
        });
        let start_here = engine_in_this_module();
        let handle = start_engine(&base(), &on_message, &on_trouble, start_here.as_ref());
        Self { handle, _on_message: on_message, _on_trouble: on_trouble }
    }

    /// Sends `command` to the engine (queued until the engine is up).
    pub fn send(&self, command: &Command) {
        let bytes = codec::encode(command);
        self.handle.post(js_sys::Uint8Array::from(bytes.as_slice()));
    }

    /// Whether the engine runs in a worker (else on the page's thread).
    pub fn in_worker(&self) -> bool {
        self.handle.location() == "worker"
    }

    /// Starts a fresh worker after a crash; false where the engine runs on the page (a
    /// reload is the only way back there).
    pub fn restart(&self) -> bool {
        self.handle.restart()
    }
}

/// What `engine_link.js` says went wrong, for the user: what the browser said, or the words
/// for one of Kindling's own reasons, which it passes as a code.
fn reason(why: String) -> String {
    match why.as_str() {
        "#no-workers" => text!("engine-link-no-workers"),
        "#worker-failed" => text!("engine-link-worker-failed"),
        "#unreadable" => text!("engine-link-unreadable"),
        _ => why,
    }
}

/// Where this module has the engine compiled in (a build with the `engine` feature: the
/// browser tests'), a function that starts it on the page's thread, for the fallback to call
/// rather than import the engine's own bundle. The page's release build has none.
fn engine_in_this_module() -> Option<js_sys::Function> {
    #[cfg(feature = "engine")]
    {
        let start = Closure::once_into_js(crate::web::engine_host::start);
        Some(start.unchecked_into())
    }
    #[cfg(not(feature = "engine"))]
    None
}

/// The folder the page was served from: the worker's and the engine's files sit beside it.
fn base() -> String {
    let href = web_sys::window().and_then(|window| window.location().href().ok()).unwrap_or_default();
    let without_query = href.split(['?', '#']).next().unwrap_or_default();
    match without_query.rfind('/') {
        Some(slash) => without_query[..=slash].to_owned(),
        None => String::from("./"),
    }
}
