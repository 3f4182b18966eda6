//! Style rules set while the page runs — a lesson's highlights of whatever element carries a
//! name (a node's kind, a parameter, a `data-testid`), present now or drawn later — as a
//! constructed style sheet (the page's Content-Security-Policy allows no inline style).

use wasm_bindgen::prelude::*;

#[wasm_bindgen(module = "/src/web/page_rules.js")]
extern "C" {
    fn set_page_rules(name: &str, css: &str) -> bool;
}

/// Replaces the rules named `name` with `css`; whether the browser took them (one without
/// constructed style sheets shows no highlight, and nothing else changes).
pub fn set(name: &str, css: &str) -> bool {
    set_page_rules(name, css)
}
