//! Reading the page URL.

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
