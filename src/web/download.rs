//! Files in and out of the page: downloads made from bytes, and reading a picked file.

use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Offers `bytes` to the user as a download named `name`.
///
/// # Errors
/// A sentence when the browser refuses to make the file.
pub fn download(name: &str, bytes: &[u8], mime: &str) -> Result<(), String> {
    let refused = |_| text!("download-refused", name = name);
    let document = web_sys::window()
        .and_then(|window| window.document())
        .ok_or_else(|| text!("download-no-document"))?;
    let parts = js_sys::Array::of1(&js_sys::Uint8Array::from(bytes));
    let options = web_sys::BlobPropertyBag::new();
    options.set_type(mime);
    let blob = web_sys::Blob::new_with_u8_array_sequence_and_options(&parts, &options).map_err(refused)?;
    let url = web_sys::Url::create_object_url_with_blob(&blob).map_err(refused)?;
    let link: web_sys::HtmlAnchorElement = document.create_element("a").map_err(refused)?.unchecked_into();
    link.set_href(&url);
    link.set_download(name);
    link.click();
    let _ = web_sys::Url::revoke_object_url(&url);
    Ok(())
}

/// The contents of a file the user picked, of at most `max_bytes`: its size is checked
/// before a byte is read (wasm memory, once grown, never shrinks).
///
/// # Errors
/// A sentence when the file is larger, or the browser cannot read it.
pub async fn read_file(file: &web_sys::File, max_bytes: usize) -> Result<Vec<u8>, String> {
    if file.size() > max_bytes as f64 {
        return Err(text!(
            "download-too-large",
            size = crate::core::model::file_ref::bytes_text(file.size() as u64),
            limit = crate::core::model::file_ref::size_text(max_bytes),
        ));
    }
    let buffer = JsFuture::from(file.array_buffer())
        .await
        .map_err(|_| text!("download-unreadable", name = file.name()))?;
    Ok(js_sys::Uint8Array::new(&buffer).to_vec())
}

/// The file picked in the file input that fired `event`, if any. Clears the input, so
/// picking the same file again fires again.
pub fn take_picked_file(event: &web_sys::Event) -> Option<web_sys::File> {
    let input: web_sys::HtmlInputElement = event.target()?.dyn_into().ok()?;
    let file = input.files().and_then(|files| files.get(0));
    input.set_value("");
    file
}
