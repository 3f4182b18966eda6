//! Drawing pixels into a `<canvas>`.

use wasm_bindgen::Clamped;
use wasm_bindgen::JsCast;

/// Puts `rgba` (`width × height` pixels, 4 bytes each, row by row) into `canvas`; the page
/// scales the canvas up (smoothly) with CSS. Does nothing if the canvas cannot draw.
pub fn put_rgba(canvas: &web_sys::HtmlCanvasElement, width: u32, height: u32, rgba: &[u8]) {
    let Some(context) = canvas
        .get_context("2d")
        .ok()
        .flatten()
        .and_then(|context| context.dyn_into::<web_sys::CanvasRenderingContext2d>().ok())
    else {
        return;
    };
    if let Ok(image) = web_sys::ImageData::new_with_u8_clamped_array_and_sh(Clamped(rgba), width, height) {
        let _ = context.put_image_data(&image, 0.0, 0.0);
    }
}
