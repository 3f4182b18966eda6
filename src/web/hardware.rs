//! What the machine offers the page: its logical cores, as the browser reports them.

/// `navigator.hardwareConcurrency`, or 1 where the browser does not say.
pub fn cores() -> usize {
    let Ok(navigator) = js_sys::Reflect::get(&js_sys::global(), &"navigator".into()) else { return 1 };
    js_sys::Reflect::get(&navigator, &"hardwareConcurrency".into())
        .ok()
        .and_then(|cores| cores.as_f64())
        .filter(|cores| cores.is_finite() && *cores >= 1.0)
        .map_or(1, |cores| cores as usize)
}
