//! Checkpoints: the run's checkpoints (every EpochTracker `save_interval` epochs), which the
//! engine sends encoded, written to IndexedDB under the graph's id, with where the run stood;
//! and the latest weights the engine copied (a pause, the end, a load), to download. Restoring
//! and loading are the weights bar's (`weights_bar`).
//!
//! Each graph keeps its latest checkpoint. When the browser's storage is full, room is made
//! (copies of data files no saved graph names, then other graphs' checkpoints, oldest first:
//! `core::document::stored`), each named in a notice, and the write is tried again. A checkpoint of the first release (weights alone, in localStorage) is moved
//! into IndexedDB under the graph the tab opens with.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::notices::{NoticeKind, Notices};
use super::stored_items::{WriteFor, made_room_notice, write_making_room};
use crate::core::document::checkpoint::Checkpoint;
use crate::web::checkpoint_store;
use crate::web::clock::epoch_millis;
use crate::web::{download, storage};

/// Where the first release kept its one checkpoint (a JSON text in localStorage).
pub const LEGACY_STORAGE_KEY: &str = "kindling.checkpoint";

/// A checkpoint waiting to be written: the graph it belongs to, and the checkpoint (the
/// engine encodes one per publish at most).
struct Due {
    graph: String,
    title: String,
    epoch: usize,
    bytes: Vec<u8>,
}

/// The weights the page keeps: the latest copy (what a download holds), and the graph's
/// checkpoint in IndexedDB. Cheap to copy.
#[derive(Clone, Copy)]
pub struct Checkpoints {
    /// The latest weights, as a checkpoint document, after their epoch: the last checkpoint,
    /// or where the run paused or ended, or what was loaded.
    latest: StoredValue<Option<(usize, Vec<u8>)>, LocalStorage>,
    /// The epoch of the current graph's stored checkpoint, once one is there.
    pub stored: RwSignal<Option<usize>>,
    /// The graph the page shows: its id (the checkpoint's key) and title.
    graph: StoredValue<(String, String)>,
    /// A checkpoint not yet written: writes wait for a publish, and a newer one takes the
    /// place of one still waiting.
    due: StoredValue<Option<Due>, LocalStorage>,
    /// Whether a write is under way (it writes whatever is due when it ends, too).
    writing: StoredValue<bool>,
    notices: Notices,
}

impl Checkpoints {
    pub fn new(notices: Notices) -> Self {
        Self {
            latest: StoredValue::new_local(None),
            stored: RwSignal::new(None),
            graph: StoredValue::new((String::new(), String::new())),
            due: StoredValue::new_local(None),
            writing: StoredValue::new(false),
            notices,
        }
    }

    /// The page shows graph `id` (titled `title`) now: its checkpoint is the one the
    /// buttons offer. The first time, a first-release checkpoint in localStorage moves to
    /// this graph.
    pub fn show_graph(self, id: String, title: String) {
        let first = self.graph.with_value(|(current, _)| current.is_empty());
        let changed = self.graph.with_value(|(current, _)| *current != id);
        self.graph.set_value((id.clone(), title));
        if !changed {
            return;
        }
        self.stored.set(None);
        spawn_local(async move {
            if first {
                self.adopt_legacy(&id).await;
            }
            let found = checkpoint_store::find(&id).await.ok().flatten();
            if self.graph.with_value(|(current, _)| *current == id) {
                self.stored.set(found.map(|shelved| shelved.epoch));
            }
        });
    }

    /// Keeps the graph's title current (it names the graph's checkpoint in messages).
    pub fn retitle(self, title: String) {
        self.graph.update_value(|(_, current)| *current = title);
    }

    /// Moves a first-release checkpoint from localStorage into IndexedDB under graph `id`,
    /// freeing autosave's room. It stays where it is unless the move succeeds (and when `id`
    /// has a checkpoint already, or it does not read).
    async fn adopt_legacy(self, id: &str) {
        let Ok(Some(text)) = storage::get(LEGACY_STORAGE_KEY) else { return };
        let Ok(old) = Checkpoint::decode(&text) else { return };
        if !matches!(checkpoint_store::find(id).await, Ok(None)) {
            return;
        }
        let title = self.graph.with_value(|(_, title)| title.clone());
        if checkpoint_store::put(id, &title, old.epoch, epoch_millis(), &old.to_bytes()).await.is_ok() {
            let _ = storage::remove(LEGACY_STORAGE_KEY);
        }
    }

    /// The id of the graph the page shows.
    pub fn graph_id(self) -> String {
        self.graph.with_value(|(id, _)| id.clone())
    }

    /// Keeps `bytes` (a checkpoint document after `epoch` epochs) as the latest weights.
    pub fn keep(self, epoch: usize, bytes: Vec<u8>) {
        self.latest.set_value(Some((epoch, bytes)));
    }

    /// Writes `bytes` (a checkpoint document after `epoch` epochs) as the checkpoint of the
    /// graph shown, and keeps it as the latest weights.
    pub fn save(self, epoch: usize, bytes: Vec<u8>) {
        let (graph, title) = self.graph.get_value();
        self.due.set_value(Some(Due { graph, title, epoch, bytes: bytes.clone() }));
        self.keep(epoch, bytes);
        self.write_due();
    }

    /// The latest weights, burn's record of them, after their epoch.
    pub fn latest_weights(self) -> Option<(usize, Vec<u8>)> {
        self.latest.with_value(|latest| {
            let (epoch, bytes) = latest.as_ref()?;
            Some((*epoch, Checkpoint::from_bytes(bytes).ok()?.weights))
        })
    }

    /// Writes the checkpoint waiting, if one is, in the background; one write at a time.
    /// Training goes on whatever happens.
    fn write_due(self) {
        if self.writing.get_value() || self.due.with_value(Option::is_none) {
            return;
        }
        self.writing.set_value(true);
        spawn_local(async move {
            while let Some(due) = self.due.try_update_value(Option::take).flatten() {
                self.write(due).await;
            }
            self.writing.set_value(false);
        });
    }

    /// Writes `due`, making room when storage is full (`stored_items::write_making_room`:
    /// unnamed data files, then other graphs' checkpoints, oldest first), each named.
    async fn write(self, due: Due) {
        let Due { graph, title, epoch, bytes } = due;
        let write = || checkpoint_store::put(&graph, &title, epoch, epoch_millis(), &bytes);
        let (outcome, dropped) = write_making_room(WriteFor::Checkpoint { graph: &graph }, write).await;
        if let Some(notice) = made_room_notice(&text!("checkpoint-made-room-for"), &dropped) {
            self.notices.say(NoticeKind::Warning, notice);
        }
        match outcome {
            Ok(()) => {
                if self.graph_id() == graph {
                    self.stored.set(Some(epoch));
                }
            }
            Err(reason) => {
                if !self.notices.showing(&text!("checkpoint-not-saved-title")) {
                    self.notices
                        .say(NoticeKind::Warning, text!("checkpoint-not-saved", reason = reason.to_string()));
                }
            }
        }
    }

    /// Offers the latest weights as a file in burn's record format.
    pub fn download(self) {
        let Some((epoch, bytes)) = self.latest_weights() else {
            return self.notices.say(NoticeKind::Info, text!("export-no-weights"));
        };
        let name = format!("kindling-weights-epoch-{epoch}.bpk");
        if let Err(reason) = download::download(&name, &bytes, "application/octet-stream") {
            self.notices.say(NoticeKind::Error, text!("export-weights-failed", reason = reason));
        }
    }
}
