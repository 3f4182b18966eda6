//! What this browser keeps for Kindling — saved graphs, checkpoints, copies of data files —
//! as the "Stored in this browser" panel lists it, and which of it goes first when the
//! browser's storage is full.
//!
//! When a write finds storage full, room is made in this order, one item at a time, and the
//! write tried again (each item dropped is named in a notice):
//! 1. copies of data files that no saved graph names (the user has the original, and a graph
//!    that names it again asks for it), oldest first;
//! 2. for a checkpoint, checkpoints of other graphs, oldest first (their graphs stay; they
//!    train again from the start). A data file's copy never costs a checkpoint: without room
//!    it is kept for the visit only.
//!
//! Never dropped to make room: a saved graph (only the user deletes one), the checkpoint of
//! the graph being written for, and a data file any saved graph names, the page holds, or the
//! write is for.

use std::collections::BTreeSet;

/// What kind of thing is stored.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum StoredKind {
    /// A saved graph (localStorage), keyed by its id.
    Graph,
    /// A graph's checkpoint (IndexedDB), keyed by the graph's id.
    Checkpoint,
    /// A copy of a data file (IndexedDB), keyed by its SHA-256.
    DataFile,
}

impl StoredKind {
    /// `data-stored` in the panel.
    pub fn label(self) -> &'static str {
        match self {
            StoredKind::Graph => "graph",
            StoredKind::Checkpoint => "checkpoint",
            StoredKind::DataFile => "data",
        }
    }
}

/// One stored thing.
#[derive(Clone, Debug, PartialEq)]
pub struct Stored {
    pub kind: StoredKind,
    /// Its key: a graph's id (graphs and checkpoints) or a file's SHA-256.
    pub key: String,
    /// What the user knows it by: a graph's title, a file's name.
    pub title: String,
    /// Bytes.
    pub size: usize,
    /// When it was saved, in milliseconds since 1970 (0 when not known: counts as oldest).
    pub saved_at: f64,
}

/// What must stay when room is made for a write.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Keep {
    /// The graph whose checkpoint the write is: the others' may go. `None`: every
    /// checkpoint stays.
    pub graph: Option<String>,
    /// The data files saved graphs name, and the one being written (SHA-256).
    pub files: BTreeSet<String>,
}

/// What to drop, in turn, to make room when storage is full (see the module's order).
pub fn make_room_order(stored: &[Stored], keep: &Keep) -> Vec<Stored> {
    let oldest_first = |kind: StoredKind, droppable: &dyn Fn(&Stored) -> bool| {
        let mut items: Vec<&Stored> =
            stored.iter().filter(|item| item.kind == kind && droppable(item)).collect();
        items.sort_by(|a, b| a.saved_at.total_cmp(&b.saved_at).then_with(|| a.key.cmp(&b.key)));
        items
    };
    let files = oldest_first(StoredKind::DataFile, &|item| !keep.files.contains(&item.key));
    let checkpoints = oldest_first(StoredKind::Checkpoint, &|item| {
        keep.graph.as_ref().is_some_and(|graph| &item.key != graph)
    });
    files.into_iter().chain(checkpoints).cloned().collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn item(kind: StoredKind, key: &str, saved_at: f64) -> Stored {
        Stored { kind, key: key.into(), title: key.into(), size: 10, saved_at }
    }

    #[test]
    fn unnamed_data_files_go_first_then_other_graphs_checkpoints_oldest_first() {
        let stored = [
            item(StoredKind::Checkpoint, "b", 300.0),
            item(StoredKind::Graph, "a", 50.0),
            item(StoredKind::Checkpoint, "keep", 100.0),
            item(StoredKind::DataFile, "named", 10.0),
            item(StoredKind::Checkpoint, "a", 200.0),
            item(StoredKind::DataFile, "new-orphan", 400.0),
            item(StoredKind::DataFile, "old-orphan", 0.0),
        ];
        let mut keep = Keep { graph: Some("keep".into()), files: BTreeSet::from(["named".to_owned()]) };
        let dropped = make_room_order(&stored, &keep);
        let order: Vec<(StoredKind, &str)> =
            dropped.iter().map(|item| (item.kind, item.key.as_str())).collect();
        assert_eq!(
            order,
            [
                (StoredKind::DataFile, "old-orphan"),
                (StoredKind::DataFile, "new-orphan"),
                (StoredKind::Checkpoint, "a"),
                (StoredKind::Checkpoint, "b"),
            ],
            "never a graph, the kept graph's checkpoint or a named file"
        );
        assert!(make_room_order(&[], &keep).is_empty());
        keep.graph = None;
        assert_eq!(make_room_order(&stored, &keep).len(), 2, "a data file's copy costs only unnamed files");
    }
}
