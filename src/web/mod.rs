//! Browser glue, in one place: the event-loop yield, clocks, the page URL, storage
//! (localStorage, and IndexedDB for checkpoints), the clipboard, downloads and pictures; the page's
//! channel to the engine (`engine_link`) and, in the engine's build, the engine's end of it
//! (`engine_host`) with WebGPU start-up (`gpu`).
//!
//! Everything that touches `web_sys`/`js_sys` outside the leptos views lives here, behind
//! small functions that never panic.

pub mod canvas;
pub mod checkpoint_store;
pub mod clipboard;
pub mod clock;
pub mod csv_files;
pub mod database;
pub mod download;
#[cfg(feature = "engine")]
pub mod engine_host;
pub mod engine_link;
pub mod events;
#[cfg(feature = "engine")]
pub mod gpu;
pub mod hardware;
pub mod in_view;
pub mod page_rules;
pub mod picture;
pub mod storage;
pub mod tick;
pub mod url;
