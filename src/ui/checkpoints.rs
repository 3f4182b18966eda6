//! Checkpoints and weights files: the run's checkpoints (every EpochTracker `save_interval`
//! epochs) written to IndexedDB under the graph's id, with where the run stood, restoring
//! one to go on exactly, downloading the trained weights (burn's record format), and
//! loading such a file back into a matching graph.
//!
//! Each graph keeps its latest checkpoint. When the browser's storage is full, the oldest
//! checkpoints of other graphs are dropped first, each named in a notice, and the write is
//! tried again. A checkpoint of the first release (weights alone, in localStorage) is moved
//! into IndexedDB under the graph the tab opens with.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::notices::{NoticeKind, Notices};
use super::session::{RunStatus, Session};
use crate::core::checkpoint::{self, Checkpoint};
use crate::core::graph::Graph;
use crate::core::run::WeightsCopy;
use crate::core::weights;
use crate::web::checkpoint_store::{self, PutError};
use crate::web::clock::epoch_millis;
use crate::web::{download, storage};

/// Where the first release kept its one checkpoint (a JSON text in localStorage).
pub const LEGACY_STORAGE_KEY: &str = "kindling.checkpoint";

/// A checkpoint waiting to be written: the graph it belongs to and the run's copy (already
/// an immutable copy on the CPU, so a later copy cannot change it). It is encoded when it is
/// written: of the copies due between two publishes, only the latest is.
struct Due {
    graph: String,
    title: String,
    copy: WeightsCopy,
}

/// The weights the page keeps: the latest copy (what a download holds), and the graph's
/// checkpoint in IndexedDB. Cheap to copy.
#[derive(Clone, Copy)]
pub struct Checkpoints {
    /// The latest copy of the weights on the CPU: the last checkpoint, or where the run
    /// paused or ended, or what was loaded.
    latest: StoredValue<Option<WeightsCopy>, LocalStorage>,
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

    /// Keeps `copy` as the latest weights.
    pub fn keep(self, copy: WeightsCopy) {
        self.latest.set_value(Some(copy));
    }

    /// Makes `copy` the next checkpoint of the graph shown, for [`Self::write_due`] to
    /// encode and write.
    pub fn queue(self, copy: WeightsCopy) {
        let (graph, title) = self.graph.get_value();
        self.due.set_value(Some(Due { graph, title, copy: copy.clone() }));
        self.keep(copy);
    }

    /// Writes the queued checkpoint, if one is waiting (once per publish, not per epoch),
    /// in the background; one write at a time. Training goes on whatever happens.
    pub fn write_due(self) {
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

    /// Writes `due`, making room when storage is full by dropping other graphs' checkpoints,
    /// oldest first, each named.
    async fn write(self, due: Due) {
        let Due { graph, title, copy } = due;
        // Weights that do not encode (none do in practice) leave the stored checkpoint as it is.
        let Ok(weights) = weights::to_bytes(&copy.weights) else { return };
        let epoch = copy.epoch;
        let bytes =
            Checkpoint { epoch, network: copy.network.describe(), weights, state: copy.state }.to_bytes();
        let mut dropped: Vec<String> = Vec::new();
        let outcome = loop {
            match checkpoint_store::put(&graph, &title, epoch, epoch_millis(), &bytes).await {
                Ok(()) => break Ok(()),
                Err(PutError::Failed(reason)) => break Err(reason),
                Err(PutError::Full(reason)) => {
                    let stored = checkpoint_store::list().await.unwrap_or_default();
                    let order: Vec<(String, f64)> =
                        stored.iter().map(|shelved| (shelved.graph.clone(), shelved.saved_at)).collect();
                    let Some(oldest) = checkpoint::drop_order(&order, &graph).into_iter().next() else {
                        break Err(format!("browser storage is full ({reason})"));
                    };
                    if let Err(reason) = checkpoint_store::delete(&oldest).await {
                        break Err(reason);
                    }
                    if let Some(shelved) = stored.iter().find(|shelved| shelved.graph == oldest) {
                        let title =
                            if shelved.title.is_empty() { "an untitled graph" } else { &shelved.title };
                        dropped.push(format!("“{title}” (epoch {})", shelved.epoch));
                    }
                }
            }
        };
        if !dropped.is_empty() {
            self.notices.say(
                NoticeKind::Warning,
                format!(
                    "Browser storage was full: to keep this checkpoint, dropped the oldest checkpoint{} of other graphs: {}.",
                    if dropped.len() == 1 { "" } else { "s" },
                    dropped.join(", ")
                ),
            );
        }
        match outcome {
            Ok(()) => {
                if self.graph_id() == graph {
                    self.stored.set(Some(epoch));
                }
            }
            Err(reason) => {
                if !self.notices.showing("Checkpoint not saved") {
                    self.notices.say(
                        NoticeKind::Warning,
                        format!(
                            "Checkpoint not saved: {reason}. Training goes on; Download weights keeps what it \
                             has learned."
                        ),
                    );
                }
            }
        }
    }

    /// Offers the latest weights as a safetensors file with PyTorch's names and layouts.
    pub fn download_safetensors(self) {
        let Some((epoch, model)) =
            self.latest.with_value(|latest| latest.as_ref().map(|copy| (copy.epoch, copy.weights.clone())))
        else {
            return self.notices.say(NoticeKind::Info, "There are no trained weights yet: train first.");
        };
        let notices = self.notices;
        leptos::task::spawn_local(async move {
            let result = crate::core::pytorch_weights::to_safetensors(&model)
                .await
                .map_err(|error| error.to_string())
                .and_then(|bytes| {
                    let name = format!("kindling-weights-epoch-{epoch}.safetensors");
                    download::download(&name, &bytes, "application/octet-stream")
                });
            if let Err(reason) = result {
                notices.say(NoticeKind::Error, format!("The weights could not be downloaded: {reason}."));
            }
        });
    }

    /// Offers the latest weights as a file in burn's record format.
    pub fn download(self) {
        let Some(result) = self.latest.with_value(|latest| {
            latest.as_ref().map(|copy| {
                let bytes = weights::to_bytes(&copy.weights).map_err(|error| error.to_string())?;
                let name = format!("kindling-weights-epoch-{}.bpk", copy.epoch);
                download::download(&name, &bytes, "application/octet-stream")
            })
        }) else {
            return self.notices.say(NoticeKind::Info, "There are no trained weights yet: train first.");
        };
        if let Err(reason) = result {
            self.notices.say(NoticeKind::Error, format!("The weights could not be downloaded: {reason}."));
        }
    }
}

/// Restores the checkpoint of the graph shown into a paused session of `graph`: exactly
/// where the run stood, when the graph has not changed in what the checkpoint holds.
pub fn restore(session: Session, graph: Graph) {
    let notices = session.notices;
    let id = session.checkpoints.graph_id();
    spawn_local(async move {
        let bytes = match checkpoint_store::get(&id).await {
            Ok(Some(bytes)) => bytes,
            Ok(None) => {
                return notices.say(NoticeKind::Info, "This graph has no checkpoint yet: train first.");
            }
            Err(reason) => {
                return notices.say(NoticeKind::Error, format!("No checkpoint could be read: {reason}."));
            }
        };
        match Checkpoint::from_bytes(&bytes) {
            Ok(checkpoint) => {
                let from = format!("the checkpoint of epoch {} ({})", checkpoint.epoch, checkpoint.network);
                session.start_from_weights(
                    &graph,
                    &checkpoint.weights,
                    checkpoint.epoch,
                    checkpoint.state,
                    &from,
                );
            }
            Err(reason) => {
                notices.say(NoticeKind::Error, format!("The checkpoint cannot be restored: {reason}."))
            }
        }
    });
}

/// Loads a weights file (burn's record format) into a paused session of `graph`.
pub fn load(session: Session, graph: Graph, file: web_sys::File) {
    // The size first: a file larger than the graph's weights is not read at all.
    if let Ok(plan) = crate::core::compile::compile(&graph) {
        let max = weights::max_file_bytes(&plan.network);
        if file.size() > max as f64 {
            return session.notices.say(
                NoticeKind::Error,
                format!(
                    "Cannot load the weights in {}: the file is {:.0} bytes; this graph's Network's weights take at most {max}.",
                    file.name(),
                    file.size()
                ),
            );
        }
    }
    spawn_local(async move {
        match download::read_file(&file).await {
            Ok(bytes) => session.start_from_weights(
                &graph,
                &bytes,
                0,
                None,
                &format!("the weights in {}", file.name()),
            ),
            Err(reason) => {
                session.notices.say(NoticeKind::Error, format!("The weights could not be loaded: {reason}."))
            }
        }
    });
}

/// Checkpoint and weights buttons: Restore checkpoint (`restore-checkpoint`), Download
/// weights (`download-weights`), Load weights (`load-weights`, a file input).
#[component]
pub fn WeightsBar(session: Session, graph: Signal<Graph>) -> impl IntoView {
    let checkpoint = move || session.checkpoints.stored.get();
    let has_weights = move || {
        session.history.with(|history| !history.is_empty()) || session.status.get() == RunStatus::Paused
    };
    view! {
        <div class="weights-bar">
            <span class="pill">"checkpoint: " <span data-testid="checkpoint"
                data-epoch=move || checkpoint().map(|epoch| epoch.to_string()).unwrap_or_default()>
                {move || checkpoint().map_or_else(|| "none".to_owned(), |epoch| format!("epoch {epoch}"))}
            </span></span>
            <button data-testid="restore-checkpoint" disabled=move || checkpoint().is_none()
                title="Go back to this graph's last checkpoint, paused there: the weights, the optimizer's state and the batch order"
                on:click=move |_| restore(session, graph.get_untracked())>"Restore checkpoint"</button>
            <button data-testid="download-weights" disabled=move || !has_weights()
                title="Download the trained weights (burn's record format)"
                on:click=move |_| session.checkpoints.download()>"Download weights"</button>
            <label class="button file-button" title="Load weights saved from a graph with the same Network">
                "Load weights…"
                <input type="file" accept=".bpk,application/octet-stream" data-testid="load-weights" class="visually-hidden"
                    on:change=move |event| {
                        if let Some(file) = download::take_picked_file(&event) {
                            load(session, graph.get_untracked(), file);
                        }
                    } />
            </label>
        </div>
    }
}
