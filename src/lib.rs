//! Kindling: a browser playground for learning how neural networks train.
//!
//! People wire a training pipeline as a node graph, press Train and watch it learn.
//!
//! - [`core`]: the graph model, node catalogue, validation, compiler and training engine.
//!   Pure Rust, no browser; tested natively.
//! - `web` (wasm32 only): browser glue — timers, the URL, performance clocks.
//! - `ui` (wasm32 only): the leptos app — canvas, controls, charts.

// `text!`, the page's words (`core::text`), in scope in every module after it.
#[macro_use]
pub mod core;
pub mod editor;

#[cfg(target_arch = "wasm32")]
pub mod ui;
#[cfg(target_arch = "wasm32")]
pub mod web;
