//! The system clipboard, for what the page copies on a button press (a share link).

/// Copies `text` to the clipboard; resolves to whether the browser allowed it.
pub async fn copy_text(text: &str) -> bool {
    let Some(window) = web_sys::window() else { return false };
    let promise = window.navigator().clipboard().write_text(text);
    wasm_bindgen_futures::JsFuture::from(promise).await.is_ok()
}
