//! DOM events the leptos views cannot express: window and document listeners (storage,
//! page hidden), non-passive listeners (a wheel that zooms must cancel the page scroll), and whether the user
//! is typing.

use wasm_bindgen::JsCast;
use wasm_bindgen::closure::Closure;

/// Calls `handler` for every `event` on `target`, with a listener that may cancel it. The
/// listener lives as long as the page.
pub fn listen_non_passive(
    target: &web_sys::EventTarget,
    event: &str,
    handler: impl FnMut(web_sys::Event) + 'static,
) {
    let closure = Closure::<dyn FnMut(web_sys::Event)>::new(handler);
    let options = web_sys::AddEventListenerOptions::new();
    options.set_passive(false);
    let added = target.add_event_listener_with_callback_and_add_event_listener_options(
        event,
        closure.as_ref().unchecked_ref(),
        &options,
    );
    if added.is_ok() {
        closure.forget();
    }
}

/// Calls `handler` for every `event` on `target`; the listener lives as long as the page.
pub fn listen(target: &web_sys::EventTarget, event: &str, handler: impl FnMut(web_sys::Event) + 'static) {
    let closure = Closure::<dyn FnMut(web_sys::Event)>::new(handler);
    if target.add_event_listener_with_callback(event, closure.as_ref().unchecked_ref()).is_ok() {
        closure.forget();
    }
}

/// Calls `handler` when the page is hidden (another tab, minimised) or unloaded: the last
/// moment to save reliably.
pub fn on_page_hidden(handler: impl Fn() + 'static) {
    let Some(window) = web_sys::window() else { return };
    let Some(document) = window.document() else { return };
    let handler = std::rc::Rc::new(handler);
    let on_hide = handler.clone();
    let hidden_document = document.clone();
    listen(&document, "visibilitychange", move |_| {
        if hidden_document.visibility_state() == web_sys::VisibilityState::Hidden {
            on_hide();
        }
    });
    listen(&window, "pagehide", move |_| handler());
}

/// Whether `target` takes typed text, so editor shortcuts must leave the keys alone.
pub fn is_text_entry(target: Option<web_sys::EventTarget>) -> bool {
    let Some(element) = target.and_then(|target| target.dyn_into::<web_sys::HtmlElement>().ok()) else {
        return false;
    };
    matches!(element.tag_name().to_ascii_lowercase().as_str(), "input" | "textarea" | "select")
        || element.is_content_editable()
}

/// An element's box on screen: left, top, width, height.
pub fn client_rect(element: &web_sys::Element) -> (f32, f32, f32, f32) {
    let rect = element.get_bounding_client_rect();
    (rect.left() as f32, rect.top() as f32, rect.width() as f32, rect.height() as f32)
}

/// The key of what `target` explains in Explain mode: the `data-explain` of the element or of
/// its nearest ancestor that has one.
pub fn explained_by(target: Option<web_sys::EventTarget>) -> Option<String> {
    let element = target?.dyn_into::<web_sys::Element>().ok()?;
    element.closest("[data-explain]").ok()??.get_attribute("data-explain")
}

/// Whether `target` is, or is inside, an element `selector` matches.
pub fn within(target: Option<web_sys::EventTarget>, selector: &str) -> bool {
    target
        .and_then(|target| target.dyn_into::<web_sys::Element>().ok())
        .and_then(|element| element.closest(selector).ok().flatten())
        .is_some()
}
