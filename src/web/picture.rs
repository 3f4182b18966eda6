//! Pictures of what the page shows — the graph, a chart, a view — saved as SVG or PNG files
//! for slides and worksheets (`picture.js` draws them from what the browser laid out).

use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/web/picture.js")]
extern "C" {
    fn save_picture(selector: &str, name: &str, format: &str) -> js_sys::Promise;
}

/// A picture's file format.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Svg,
    Png,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Svg => "svg",
            Format::Png => "png",
        }
    }
}

/// Offers the element `selector` names as the file `name`.svg or `name`.png.
///
/// # Errors
/// Why no file was offered, for the user.
pub async fn save(selector: &str, name: &str, format: Format) -> Result<(), String> {
    let answer = wasm_bindgen_futures::JsFuture::from(save_picture(selector, name, format.name()))
        .await
        .map_err(|_| text!("picture-browser-failed"))?;
    match answer.as_string() {
        Some(code) if !code.is_empty() => Err(refusal(&code)),
        _ => Ok(()),
    }
}

/// Why `picture.js` offered no file, for the user, from its code (`nothing`, `unmade:<error>`,
/// `no-png`, `undrawn:<error>`).
fn refusal(code: &str) -> String {
    let (kind, error) = code.split_once(':').unwrap_or((code, ""));
    match kind {
        "nothing" => text!("picture-nothing-yet"),
        "unmade" => text!("picture-unmade", error = error),
        "no-png" => text!("picture-no-png"),
        "undrawn" => text!("picture-undrawn", error = error),
        _ => code.to_owned(),
    }
}
