//! The page URL: query flags, and the fragment that carries a shared experiment.

use super::events::listen;

/// Whether the query string holds `name` (with or without a value), e.g. `?autorun`.
pub fn has_query_flag(name: &str) -> bool {
    let Some(search) = web_sys::window().and_then(|window| window.location().search().ok()) else {
        return false;
    };
    web_sys::UrlSearchParams::new_with_str(&search).map(|params| params.has(name)).unwrap_or(false)
}

/// The value of `name` in the query string, e.g. `cpu` for `?backend=cpu`.
pub fn query_value(name: &str) -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    web_sys::UrlSearchParams::new_with_str(&search).ok()?.get(name)
}

/// The fragment without its `#`, if there is one.
pub fn fragment() -> Option<String> {
    let hash = web_sys::window()?.location().hash().ok()?;
    let fragment = hash.strip_prefix('#').unwrap_or(&hash);
    (!fragment.is_empty()).then(|| fragment.to_owned())
}

/// Removes the fragment from the address bar without reloading or adding a history entry.
pub fn clear_fragment() {
    let Some(window) = web_sys::window() else { return };
    let location = window.location();
    let (Ok(path), Ok(search)) = (location.pathname(), location.search()) else { return };
    if let Ok(history) = window.history() {
        let _ = history.replace_state_with_url(
            &wasm_bindgen::JsValue::NULL,
            "",
            Some(&format!("{path}{search}")),
        );
    }
}

/// An absolute link to this page — same origin and path, whatever host and sub-path it is
/// served from, without the query — with `fragment`.
pub fn page_link(fragment: &str) -> Option<String> {
    let location = web_sys::window()?.location();
    Some(format!("{}{}#{fragment}", location.origin().ok()?, location.pathname().ok()?))
}

/// Calls `handler` when the fragment changes while the page stays (a link pasted into the
/// address bar of an open tab).
pub fn on_fragment_change(mut handler: impl FnMut() + 'static) {
    let Some(window) = web_sys::window() else { return };
    listen(&window, "hashchange", move |_| handler());
}
