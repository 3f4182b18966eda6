//! The system clipboard: what the page copies on a button press (a share link), and what a
//! paste brings.

use wasm_bindgen::JsCast;

/// Copies `text` to the clipboard; resolves to whether the browser allowed it.
pub async fn copy_text(text: &str) -> bool {
    let Some(window) = web_sys::window() else { return false };
    let promise = window.navigator().clipboard().write_text(text);
    wasm_bindgen_futures::JsFuture::from(promise).await.is_ok()
}

/// The plain text a paste event carries, if any: `Ok` when it is at most `max_bytes` long,
/// else `Err` with its length, measured on the browser's string before any of it is copied
/// into WebAssembly memory (UTF-8 takes at least a byte per UTF-16 unit, so the length in
/// units is a floor on the bytes).
pub fn pasted_text(event: &web_sys::ClipboardEvent, max_bytes: usize) -> Option<Result<String, usize>> {
    let data = event.clipboard_data()?;
    let get_data =
        js_sys::Reflect::get(&data, &"getData".into()).ok()?.dyn_into::<js_sys::Function>().ok()?;
    let text = get_data.call1(&data, &"text/plain".into()).ok()?.dyn_into::<js_sys::JsString>().ok()?;
    let units = text.length() as usize;
    if units > max_bytes {
        return Some(Err(units));
    }
    Some(Ok(String::from(text)))
}
