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
//! the graph's `"sweep"`; version 3 a `"lesson"` (`teach::lesson`); each is written only when
//! it holds one (a graph without a sweep or a lesson as version 1). Version 0 is the
//! bare graph (`{"nodes", "wires", "next_id"}`) that `examples/` and earlier exports hold;
//! it still opens, with the default view.

use serde::{Deserialize, Serialize};

use crate::core::compile::budget;
use crate::core::document::experiment::{Experiment, ReadError, View};
use crate::core::document::link::VERSION;
use crate::core::model::graph::Graph;
use crate::core::teach::lesson::Lesson;

/// What a file's `format` field says.
pub const FORMAT: &str = "kindling-experiment";
/// The largest file read.
pub const MAX_FILE_BYTES: usize = 4 * 1024 * 1024;

#[derive(Serialize)]
struct FileOut<'a> {
    format: &'static str,
    version: u8,
    #[serde(skip_serializing_if = "Option::is_none")]
    lesson: Option<&'a Lesson>,
    graph: &'a Graph,
    view: View,
}

/// Versions 1 to 3 (a version 1 or 2 file has no lesson).
#[derive(Deserialize)]
struct FileV3 {
    graph: Graph,
    #[serde(default)]
    view: View,
    #[serde(default)]
    lesson: Option<Lesson>,
}

/// `experiment` as pretty-printed JSON.
pub fn to_json(experiment: &Experiment) -> String {
    let version = match (&experiment.lesson, experiment.graph.sweep().is_empty()) {
        (Some(_), _) => 3,
        (None, true) => 1,
        (None, false) => 2,
    };
    let file = FileOut {
        format: FORMAT,
        version,
        lesson: experiment.lesson.as_ref(),
        graph: &experiment.graph,
        view: experiment.view,
    };
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
    let value: serde_json::Value = serde_json::from_str(text)
        .map_err(|error| ReadError::Damaged(text!("file-not-json", error = error.to_string())))?;
    let shape =
        |error: serde_json::Error| ReadError::Invalid(text!("file-not-a-graph", error = error.to_string()));
    let experiment = match value.get("version") {
        None if value.get("nodes").is_some() => {
            Experiment::new(serde_json::from_value(value).map_err(shape)?, View::default())
        }
        None => return Err(ReadError::Empty),
        Some(version) => match version.as_u64() {
            Some(found @ 1..=3) => {
                if value.get("format").and_then(|format| format.as_str()) != Some(FORMAT) {
                    return Err(ReadError::Invalid(text!("file-wrong-format", format = FORMAT)));
                }
                let file: FileV3 = serde_json::from_value(value).map_err(shape)?;
                let lesson = file.lesson.filter(|_| found == 3);
                Experiment { graph: file.graph, view: file.view, lesson }
            }
            Some(found) if found > u64::from(VERSION) => {
                return Err(ReadError::Newer { found, supported: VERSION });
            }
            _ => {
                return Err(ReadError::Invalid(text!("file-unknown-version", version = version.to_string())));
            }
        },
    };
    let experiment = Experiment { graph: experiment.graph.with_defaults(), ..experiment };
    crate::core::document::experiment::check(&experiment)?;
    budget::check(&experiment.graph)?;
    Ok(crate::core::document::experiment::with_room(experiment))
}
