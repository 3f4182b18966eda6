//! Whether an element is on the screen, or within a margin of it: views that redraw at every
//! refresh of a run draw only while the learner can see them (an IntersectionObserver; the
//! element's position is never read, which would force a layout).

use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/web/in_view.js")]
extern "C" {
    fn watch_in_view(
        element: &web_sys::Element,
        margin: &str,
        changed: &Closure<dyn FnMut(bool)>,
    ) -> js_sys::Function;
}

/// Watching an element; stops when dropped.
pub struct InView {
    stop: js_sys::Function,
    _changed: Closure<dyn FnMut(bool)>,
}

impl Drop for InView {
    fn drop(&mut self) {
        let _ = self.stop.call0(&JsValue::NULL);
    }
}

/// Calls `changed` with whether `element` is within `margin` (CSS, e.g. `"200px"`) of the
/// screen: once soon after, and at every change.
pub fn watch(element: &web_sys::Element, margin: &str, changed: impl FnMut(bool) + 'static) -> InView {
    let changed = Closure::<dyn FnMut(bool)>::new(changed);
    let stop = watch_in_view(element, margin, &changed);
    InView { stop, _changed: changed }
}
