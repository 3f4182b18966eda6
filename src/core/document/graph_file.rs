//! Graph files: an experiment as readable JSON, for export, import and `kindling-run`.
//!
//! The schema is the link's (`link`), pretty-printed, with its version written out:
//!
//! ```json
//! { "format": "kindling-experiment", "version": 1,
//!   "graph": { "nodes": [...], "wires": [...], "next_id": 9 },
//!   "view": { "offset_x": 0.0, "offset_y": 0.0, "scale": 1.0 } }
//! ```
//!
//! Files keep every parameter, defaults included, so they read on their own. Version 2 adds
//! the graph's `"sweep"`; a graph without one is written as version 1. Version 0 is the
//! bare graph (`{"nodes", "wires", "next_id"}`) that `examples/` and earlier exports hold;
//! it still opens, with the default view.

use serde::{Deserialize, Serialize};

use crate::core::compile::budget;
use crate::core::document::experiment::{Experiment, ReadError, View};
use crate::core::document::link::VERSION;
use crate::core::model::graph::Graph;

/// What a file's `format` field says.
pub const FORMAT: &str = "kindling-experiment";
/// The largest file read.
pub const MAX_FILE_BYTES: usize = 4 * 1024 * 1024;

#[derive(Serialize)]
struct FileOut<'a> {
    format: &'static str,
    version: u8,
    graph: &'a Graph,
    view: View,
}

#[derive(Deserialize)]
struct FileV1 {
    graph: Graph,
    #[serde(default)]
    view: View,
}

/// `experiment` as pretty-printed JSON.
pub fn to_json(experiment: &Experiment) -> String {
    let version = if experiment.graph.sweep().is_empty() { 1 } else { VERSION };
    let file = FileOut { format: FORMAT, version, graph: &experiment.graph, view: experiment.view };
    // Plain data with string keys serialises without fail.
    serde_json::to_string_pretty(&file).unwrap_or_default() + "\n"
}

/// Reads a graph file of any version.
///
/// # Errors
/// Why it cannot be imported, as a [`ReadError`].
pub fn from_json(text: &str) -> Result<Experiment, ReadError> {
    if text.len() > MAX_FILE_BYTES {
        return Err(ReadError::TooLong { length: text.len(), max: MAX_FILE_BYTES });
    }
    let value: serde_json::Value =
        serde_json::from_str(text).map_err(|error| ReadError::Damaged(format!("it is not JSON: {error}")))?;
    let shape = |error: serde_json::Error| ReadError::Invalid(format!("it is not a Kindling graph: {error}"));
    let experiment = match value.get("version") {
        None if value.get("nodes").is_some() => {
            Experiment { graph: serde_json::from_value(value).map_err(shape)?, view: View::default() }
        }
        None => return Err(ReadError::Empty),
        Some(version) => match version.as_u64() {
            Some(1 | 2) => {
                if value.get("format").and_then(|format| format.as_str()) != Some(FORMAT) {
                    return Err(ReadError::Invalid(format!("its \"format\" is not \"{FORMAT}\"")));
                }
                let file: FileV1 = serde_json::from_value(value).map_err(shape)?;
                Experiment { graph: file.graph, view: file.view }
            }
            Some(found) if found > u64::from(VERSION) => {
                return Err(ReadError::Newer { found, supported: VERSION });
            }
            _ => {
                return Err(ReadError::Invalid(format!(
                    "its \"version\" {version} is not one Kindling wrote"
                )));
            }
        },
    };
    let experiment = Experiment { graph: experiment.graph.with_defaults(), view: experiment.view };
    crate::core::document::experiment::check(&experiment)?;
    budget::check(&experiment.graph)?;
    Ok(crate::core::document::experiment::with_room(experiment))
}
