//! When Kindling itself fails: a panic saves the graph, then shows a banner saying that
//! Kindling hit a bug, that the graph is saved, and how to report it.
//!
//! A panic in WebAssembly ends the module: nothing of the app runs after the hook. So the
//! hook touches nothing reactive (a signal may be borrowed mid-update) — it saves the copy
//! of the graph that autosave hands over on every change ([`keep`]), then builds the banner
//! with plain DOM calls, with a reload link and the message in a read-only text box to copy:
//! both work without the module. Checkpoints are already in storage; what is lost is the run.

use std::cell::RefCell;
use std::panic::PanicHookInfo;

use crate::core::document::experiment::Experiment;
use crate::core::document::saved_graph;
use crate::web::clock::epoch_millis;
use crate::web::storage;

thread_local! {
    /// The graph as it stands and the storage key it autosaves under.
    static KEPT: RefCell<Option<(String, Experiment)>> = const { RefCell::new(None) };
}

/// Hands the hook the graph to save should Kindling fail: `experiment`, under graph `id`.
pub fn keep(id: &str, experiment: Experiment) {
    KEPT.with(|kept| {
        if let Ok(mut kept) = kept.try_borrow_mut() {
            *kept = Some((id.to_owned(), experiment));
        }
    });
}

/// Installs the panic hook: the console's report, then the graph saved, then the banner.
pub fn install() {
    std::panic::set_hook(Box::new(|info: &PanicHookInfo<'_>| {
        console_error_panic_hook::hook(info);
        let saved = save();
        let message = info.to_string();
        show_banner(&message, saved);
    }));
}

/// Saves the kept graph: its title once saved, `None` when nothing changed since the page
/// opened (what it shows is in storage already, or is a template), or why it could not.
fn save() -> Result<Option<String>, String> {
    let kept = KEPT.with(|kept| kept.try_borrow_mut().ok().and_then(|mut kept| kept.take()));
    let Some((id, experiment)) = kept else { return Ok(None) };
    let entry = saved_graph::entry(&experiment, epoch_millis()).map_err(|error| error.to_string())?;
    storage::set(&saved_graph::key(&id), &entry).map_err(|error| error.to_string())?;
    Ok(Some(saved_graph::title(&experiment.graph)))
}

/// Puts the banner at the top of the page (`data-testid="crash-banner"`).
fn show_banner(message: &str, saved: Result<Option<String>, String>) {
    let Some(document) = web_sys::window().and_then(|window| window.document()) else { return };
    let Some(body) = document.body() else { return };
    let Ok(banner) = document.create_element("div") else { return };
    banner.set_class_name("crash-banner");
    let _ = banner.set_attribute("role", "alert");
    let _ = banner.set_attribute("data-testid", "crash-banner");
    let _ = banner.set_attribute("data-explain", "crash-banner");
    let _ = banner.set_attribute("data-saved", if saved.is_ok() { "true" } else { "false" });
    let saved = match saved {
        Ok(Some(title)) => text!("crash-saved", title = title),
        Ok(None) => text!("crash-unchanged"),
        Err(reason) => text!("crash-not-saved", reason = reason),
    };
    let heading = document.create_element("strong").ok();
    let text = document.create_element("p").ok();
    let report = document.create_element("p").ok();
    let details = document.create_element("textarea").ok();
    let reload = document.create_element("a").ok();
    if let (Some(heading), Some(text), Some(report), Some(details), Some(reload)) =
        (heading, text, report, details, reload)
    {
        heading.set_text_content(Some(&text!("crash-heading")));
        text.set_text_content(Some(&saved));
        report.set_text_content(Some(&text!("crash-report")));
        details.set_text_content(Some(message));
        let _ = details.set_attribute("readonly", "");
        let _ = details.set_attribute("rows", "3");
        let _ = details.set_attribute("aria-label", &text!("crash-message-label"));
        let _ = details.set_attribute("data-testid", "crash-message");
        let _ = details.set_attribute("data-explain", "crash-message");
        reload.set_text_content(Some(&text!("crash-reload")));
        let _ = reload.set_attribute("href", "");
        let _ = reload.set_attribute("class", "button");
        for child in [&heading, &text, &report, &details, &reload] {
            let _ = banner.append_child(child);
        }
    }
    let _ = body.insert_before(&banner, body.first_child().as_ref());
}

/// A deliberate panic, for the end-to-end test of the banner (called from the page's
/// exports: `window.wasmBindings.kindling_panic_for_tests()`). Kindling has no known panic
/// to trigger otherwise.
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn kindling_panic_for_tests() {
    panic!("a panic asked for by the end-to-end test"); // not words: the e2e test reads it
}
