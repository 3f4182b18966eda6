//! What autosave keeps in browser storage: one entry per graph, under its own key, so two
//! tabs editing different graphs never write the same entry.
//!
//! An entry is JSON — when it was saved, a title for the recent-graphs list, and the
//! experiment as link text (`link`: compact, versioned, checked on reading). An entry that
//! does not read is moved under [`ASIDE_PREFIX`], never deleted.

use serde::{Deserialize, Serialize};

use crate::core::document::experiment::{Experiment, ReadError, WriteError};
use crate::core::document::link;
use crate::core::model::catalogue::NodeKind;
use crate::core::model::catalogue::{DatasetParams, NetworkParams};
use crate::core::model::graph::Graph;
use crate::core::model::layer_text::layers_text;

/// Where autosaved graphs live: `kindling.graph.<id>`.
pub const KEY_PREFIX: &str = "kindling.graph.";
/// Where entries that could not be read are kept: `kindling.unreadable.<id>`.
pub const ASIDE_PREFIX: &str = "kindling.unreadable.";
/// How many graphs the recent-graphs list keeps; the oldest beyond it are removed.
pub const MAX_RECENT: usize = 30;

/// A saved graph, as read back.
#[derive(Clone, Debug, PartialEq)]
pub struct SavedGraph {
    pub id: String,
    /// Milliseconds since the Unix epoch.
    pub saved_at: f64,
    pub title: String,
    pub experiment: Experiment,
}

#[derive(Serialize, Deserialize)]
struct Entry {
    saved_at: f64,
    title: String,
    experiment: String,
}

/// The storage key of graph `id`.
pub fn key(id: &str) -> String {
    format!("{KEY_PREFIX}{id}")
}

/// The entry that stores `experiment`, saved at `saved_at` (ms since the Unix epoch).
///
/// # Errors
/// When the graph is past what a link may carry (see `limits`).
pub fn entry(experiment: &Experiment, saved_at: f64) -> Result<String, WriteError> {
    let entry = Entry { saved_at, title: title(&experiment.graph), experiment: link::encode(experiment)? };
    serde_json::to_string(&entry).map_err(|error| WriteError::Encoding(error.to_string()))
}

/// Reads the entry stored as graph `id`.
///
/// # Errors
/// Why it cannot be read: not an entry, or its experiment does not open.
pub fn read(id: &str, text: &str) -> Result<SavedGraph, ReadError> {
    let entry: Entry = serde_json::from_str(text)
        .map_err(|error| ReadError::Damaged(text!("file-not-a-saved-graph", error = error.to_string())))?;
    let experiment = link::decode(&entry.experiment)?;
    let title: String = entry.title.chars().take(80).collect();
    Ok(SavedGraph { id: id.to_owned(), saved_at: entry.saved_at, title, experiment })
}

/// The title an entry gives itself, even when its experiment does not read (for the list of
/// entries kept aside); `None` when it is not an entry at all.
pub fn title_of_entry(text: &str) -> Option<String> {
    #[derive(Deserialize)]
    struct Titled {
        title: String,
    }
    let titled: Titled = serde_json::from_str(text).ok()?;
    Some(titled.title.chars().take(80).collect())
}

/// A short name for a graph, for the recent-graphs list: its dataset and network, e.g.
/// `moons · Linear(16), ReLU, Linear(2)`.
pub fn title(graph: &Graph) -> String {
    let dataset = graph
        .nodes_of(NodeKind::Dataset)
        .find_map(|node| DatasetParams::read(node).ok())
        .map(|params| params.kind.name().to_owned());
    let layers = graph
        .nodes_of(NodeKind::Network)
        .find_map(|node| NetworkParams::read(node).ok())
        .map(|params| layers_text(&params.layers));
    match (dataset, layers) {
        (Some(dataset), Some(layers)) => text!("file-title", dataset = dataset, layers = layers),
        (Some(only), None) | (None, Some(only)) => only,
        (None, None) if graph.is_empty() => text!("file-title-empty-graph"),
        (None, None) => text!("file-title-nodes", count = graph.node_count()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::document::experiment::View;
    use crate::core::model::templates::basic_loop;

    #[test]
    fn an_entry_reads_back_with_its_title() {
        let experiment = Experiment::new(basic_loop(), View::default());
        let saved = read("abc", &entry(&experiment, 1234.0).unwrap()).unwrap();
        assert_eq!(saved.experiment, experiment);
        assert_eq!(saved.saved_at, 1234.0);
        assert!(saved.title.contains("Linear("), "{}", saved.title);
        assert!(matches!(read("abc", "{\"saved_at\": 1}"), Err(ReadError::Damaged(_))));
        let newer = "{\"saved_at\": 1, \"title\": \"x\", \"experiment\": \"BA\"}";
        assert!(matches!(read("abc", newer), Err(ReadError::Newer { .. })));
    }
}
