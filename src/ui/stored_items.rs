//! What this browser keeps for Kindling, read from where each kind lives (saved graphs in
//! localStorage, checkpoints and data files in IndexedDB), and making room when a write finds
//! storage full, in the order `core::document::stored` sets.

use std::future::Future;

use crate::core::data::csv_store;
use crate::core::document::saved_graph::{self, KEY_PREFIX};
use crate::core::document::stored::{Keep, Stored, StoredKind, make_room_order};
use crate::core::model::catalogue::DatasetParams;
use crate::core::model::file_ref::size_text;
use crate::web::storage::{self, StorageError};
use crate::web::{checkpoint_store, csv_files};

/// Every saved graph (as its entry reads), checkpoint and data file kept; what cannot be read
/// is left out and, for IndexedDB, the reason returned beside what could.
pub async fn list() -> (Vec<Stored>, Option<StorageError>) {
    let mut items = saved_graphs();
    let mut failure = None;
    match checkpoint_store::list().await {
        Ok(checkpoints) => items.extend(checkpoints.into_iter().map(|shelved| Stored {
            kind: StoredKind::Checkpoint,
            title: if shelved.title.is_empty() {
                text!("stored-checkpoint-untitled", epoch = shelved.epoch)
            } else {
                text!("stored-checkpoint-title", title = &shelved.title, epoch = shelved.epoch)
            },
            key: shelved.graph,
            size: shelved.size,
            saved_at: shelved.saved_at,
        })),
        Err(error) => failure = Some(error),
    }
    match csv_files::list().await {
        Ok(files) => items.extend(files.into_iter().map(|file| Stored {
            kind: StoredKind::DataFile,
            key: file.sha256,
            title: file.name,
            size: file.size,
            saved_at: file.saved_at,
        })),
        Err(error) => failure = failure.or(Some(error)),
    }
    (items, failure)
}

/// The saved graphs in localStorage: each entry's size (its text) and title.
fn saved_graphs() -> Vec<Stored> {
    let keys = storage::keys_with_prefix(KEY_PREFIX).unwrap_or_default();
    keys.into_iter()
        .filter_map(|key| {
            let text = storage::get(&key).ok().flatten()?;
            let id = key[KEY_PREFIX.len()..].to_owned();
            let saved = saved_graph::read(&id, &text).ok();
            Some(Stored {
                kind: StoredKind::Graph,
                title: saved
                    .as_ref()
                    .map_or_else(|| text!("stored-entry", id = &id), |saved| saved.title.clone()),
                saved_at: saved.map_or(0.0, |saved| saved.saved_at),
                size: text.len(),
                key: id,
            })
        })
        .collect()
}

/// The data files that stay when room is made: those the saved graphs name and those this
/// visit holds, with `also`.
fn files_in_use(also: Option<&str>) -> std::collections::BTreeSet<String> {
    let keys = storage::keys_with_prefix(KEY_PREFIX).unwrap_or_default();
    let named = keys.iter().filter_map(|key| {
        let text = storage::get(key).ok().flatten()?;
        saved_graph::read(&key[KEY_PREFIX.len()..], &text).ok()
    });
    let mut files: std::collections::BTreeSet<String> = named
        .flat_map(|saved| DatasetParams::files_named_by(&saved.experiment.graph))
        .map(|file| file.sha256)
        .collect();
    files.extend(also.map(str::to_owned));
    files
}

/// Deletes `item` from where it is kept.
///
/// # Errors
/// Why it could not be deleted.
pub async fn delete(item: &Stored) -> Result<(), StorageError> {
    match item.kind {
        StoredKind::Graph => storage::remove(&saved_graph::key(&item.key)),
        StoredKind::Checkpoint => checkpoint_store::delete(&item.key).await,
        StoredKind::DataFile => csv_files::delete(&item.key).await,
    }
}

/// What a notice calls `item`.
pub fn describe(item: &Stored) -> String {
    let size = size_text(item.size);
    match item.kind {
        StoredKind::Graph => text!("stored-item-graph", title = &item.title, size = size),
        StoredKind::Checkpoint => text!("stored-item-checkpoint", title = &item.title, size = size),
        StoredKind::DataFile => text!("stored-item-data-file", title = &item.title, size = size),
    }
}

/// What a write of `what` is for, so that making room keeps it.
pub enum WriteFor<'a> {
    /// Graph `graph`'s checkpoint: other graphs' checkpoints may go, and unnamed data files.
    Checkpoint { graph: &'a str },
    /// The data file `sha256`: only unnamed data files may go, never a checkpoint.
    DataFile { sha256: &'a str },
}

/// Runs `write` until it succeeds or fails for another reason than a full storage, making
/// room before each retry by deleting the next thing in [`make_room_order`]. Returns the
/// outcome and what was deleted, for a notice to name.
pub async fn write_making_room<F, Fut>(
    write_for: WriteFor<'_>,
    write: F,
) -> (Result<(), StorageError>, Vec<Stored>)
where
    F: Fn() -> Fut,
    Fut: Future<Output = Result<(), StorageError>>,
{
    let mut dropped = Vec::new();
    loop {
        match write().await {
            Err(StorageError::Full) => {}
            outcome => return (outcome, dropped),
        }
        let (graph, file) = match write_for {
            WriteFor::Checkpoint { graph } => (Some(graph), None),
            WriteFor::DataFile { sha256 } => (None, Some(sha256)),
        };
        let mut files = files_in_use(file);
        let (items, _) = list().await;
        files.extend(
            items.iter().filter(|item| csv_store::get(&item.key).is_some()).map(|item| item.key.clone()),
        );
        let keep = Keep { graph: graph.map(str::to_owned), files };
        let Some(next) = make_room_order(&items, &keep).into_iter().next() else {
            return (Err(StorageError::Full), dropped);
        };
        if let Err(error) = delete(&next).await {
            return (Err(error), dropped);
        }
        dropped.push(next);
    }
}

/// The notice for `dropped` when room was made for `what`, if anything was.
pub fn made_room_notice(what: &str, dropped: &[Stored]) -> Option<String> {
    (!dropped.is_empty()).then(|| {
        let names: Vec<String> = dropped.iter().map(describe).collect();
        text!("stored-made-room", what = what, deleted = names.join(", "))
    })
}
