//! The UI-free core, in layers (see ARCHITECTURE.md): each may import the ones listed before it,
//! never one after.
//!
//! - `text`: the page's words, read from `text/en/` (imports nothing);
//! - `model`: the graph and its vocabulary;
//! - `data`: datasets;
//! - `compile`: from a graph to a training plan;
//! - `report`: what training reports, as plain data;
//! - `teach`: lessons, their goals, and the diagnoses of a run;
//! - `document`: links, files, autosave entries, checkpoints;
//! - `protocol`: what the page and the engine say to each other;
//! - `engine`: training on burn, every long activity a state machine (with the `engine` feature);
//! - `export`: programs other engines run (with the `engine` feature).
//!
//! Nothing here depends on a browser: it builds and is tested natively.

// First, so that its `text!` is in scope in every module after it.
#[macro_use]
pub mod text;

pub mod compile;
pub mod data;
pub mod document;
#[cfg(feature = "engine")]
pub mod engine;
#[cfg(feature = "engine")]
pub mod export;
pub mod model;
pub mod protocol;
pub mod report;
pub mod teach;
