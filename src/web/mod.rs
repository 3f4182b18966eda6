//! Browser glue, in one place: the event-loop yield, clocks, the page URL, WebGPU
//! start-up, storage (localStorage, and IndexedDB for checkpoints), the clipboard and downloads.
//!
//! Everything that touches `web_sys`/`js_sys` outside the leptos views lives here, behind
//! small functions that never panic.

pub mod canvas;
pub mod checkpoint_store;
pub mod clipboard;
pub mod clock;
pub mod csv_files;
pub mod download;
pub mod events;
pub mod gpu;
pub mod storage;
pub mod tick;
pub mod url;
