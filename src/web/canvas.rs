//! Drawing into a `<canvas>`: pixels, and dots.

use wasm_bindgen::Clamped;
use wasm_bindgen::JsCast;

/// The canvas's 2-D context, if it can draw. Asked for as `willReadFrequently`, which keeps
/// it drawn by the CPU: these canvases are small and drawn a few times a second, and a
/// GPU-drawn canvas's first frame stalled the page's thread for 70–100 ms (its shaders
/// compiled) as the decision boundary first appeared while training.
fn context(canvas: &web_sys::HtmlCanvasElement) -> Option<web_sys::CanvasRenderingContext2d> {
    let options = js_sys::Object::new();
    js_sys::Reflect::set(&options, &"willReadFrequently".into(), &true.into()).ok()?;
    canvas
        .get_context_with_context_options("2d", &options)
        .ok()
        .flatten()
        .and_then(|context| context.dyn_into().ok())
}

/// Dots of one colour: their centres, in pixels.
pub struct Dots {
    pub colour: [u8; 3],
    pub centres: Vec<(f64, f64)>,
}

/// Clears `canvas` and draws dots of `radius` pixels outlined in white, `outline` pixels
/// wide: each group in its colour, one path per group, so thousands of dots cost a few calls
/// each rather than an element each. The outlines go first and the fills over them, so
/// touching dots show their colour, ringed in white where the group ends. Does nothing if the
/// canvas cannot draw.
pub fn draw_dots(canvas: &web_sys::HtmlCanvasElement, groups: &[Dots], radius: f64, outline: f64) {
    let Some(context) = context(canvas) else { return };
    context.clear_rect(0.0, 0.0, f64::from(canvas.width()), f64::from(canvas.height()));
    // Half the line lies under the fill.
    context.set_line_width(2.0 * outline);
    context.set_stroke_style_str("#fff");
    for Dots { colour: [r, g, b], centres } in groups {
        context.begin_path();
        for &(x, y) in centres {
            context.move_to(x + radius, y);
            let _ = context.arc(x, y, radius, 0.0, std::f64::consts::TAU);
        }
        context.stroke();
        context.set_fill_style_str(&format!("rgb({r},{g},{b})"));
        context.fill();
    }
}

/// Puts `rgba` (`width × height` pixels, 4 bytes each, row by row) into `canvas`; the page
/// scales the canvas up (smoothly) with CSS. Does nothing if the canvas cannot draw.
pub fn put_rgba(canvas: &web_sys::HtmlCanvasElement, width: u32, height: u32, rgba: &[u8]) {
    let Some(context) = context(canvas) else { return };
    if let Ok(image) = web_sys::ImageData::new_with_u8_clamped_array_and_sh(Clamped(rgba), width, height) {
        let _ = context.put_image_data(&image, 0.0, 0.0);
    }
}

/// A straight line to draw: its ends in pixels, its colour and width.
pub struct Stroke {
    pub from: (f64, f64),
    pub to: (f64, f64),
    pub colour: [u8; 3],
    pub width: f64,
}

/// Clears `canvas` and draws `strokes`, in order, half transparent. Does nothing if the
/// canvas cannot draw.
pub fn draw_strokes(canvas: &web_sys::HtmlCanvasElement, strokes: &[Stroke]) {
    let Some(context) = context(canvas) else { return };
    context.clear_rect(0.0, 0.0, f64::from(canvas.width()), f64::from(canvas.height()));
    context.set_global_alpha(0.7);
    context.set_line_cap("round");
    for Stroke { from, to, colour: [r, g, b], width } in strokes {
        context.begin_path();
        context.move_to(from.0, from.1);
        context.line_to(to.0, to.1);
        context.set_line_width(*width);
        context.set_stroke_style_str(&format!("rgb({r},{g},{b})"));
        context.stroke();
    }
    context.set_global_alpha(1.0);
}

/// Clears `canvas` and draws a ring of `radius` pixels in `colour` round each of `centres`.
/// Does nothing if the canvas cannot draw.
pub fn draw_rings(canvas: &web_sys::HtmlCanvasElement, centres: &[(f64, f64)], radius: f64, colour: [u8; 3]) {
    let Some(context) = context(canvas) else { return };
    context.clear_rect(0.0, 0.0, f64::from(canvas.width()), f64::from(canvas.height()));
    let [r, g, b] = colour;
    context.set_line_width(radius * 0.35);
    context.set_stroke_style_str(&format!("rgb({r},{g},{b})"));
    context.begin_path();
    for &(x, y) in centres {
        context.move_to(x + radius, y);
        let _ = context.arc(x, y, radius, 0.0, std::f64::consts::TAU);
    }
    context.stroke();
}

/// Clears `canvas` and draws `shares` (each 0–1 of the canvas's height) as bars side by
/// side across it, in `colour`, from the bottom. Does nothing if the canvas cannot draw.
pub fn draw_bars(canvas: &web_sys::HtmlCanvasElement, shares: &[f64], colour: [u8; 3]) {
    let Some(context) = context(canvas) else { return };
    let (width, height) = (f64::from(canvas.width()), f64::from(canvas.height()));
    context.clear_rect(0.0, 0.0, width, height);
    let [r, g, b] = colour;
    context.set_fill_style_str(&format!("rgb({r},{g},{b})"));
    let slot = width / shares.len().max(1) as f64;
    for (at, share) in shares.iter().enumerate() {
        let bar = share.clamp(0.0, 1.0) * height;
        context.fill_rect(at as f64 * slot + 1.0, height - bar, (slot - 2.0).max(1.0), bar);
    }
}

/// Gives `canvas` `width × height` pixels, only where it has other: setting a canvas's size
/// reallocates and clears it, even to the size it has — for a canvas redrawn at every refresh,
/// a new backing store each time.
pub fn size_canvas(canvas: &web_sys::HtmlCanvasElement, width: u32, height: u32) {
    if canvas.width() != width {
        canvas.set_width(width);
    }
    if canvas.height() != height {
        canvas.set_height(height);
    }
}
