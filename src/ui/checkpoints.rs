//! Checkpoints and weights files: the run's checkpoints (every EpochTracker `save_interval`
//! epochs) written to browser storage, restoring one, downloading the trained weights
//! (burn's record format), and loading such a file back into a matching graph.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::notices::{NoticeKind, Notices};
use super::session::{RunStatus, Session};
use crate::core::checkpoint::Checkpoint;
use crate::core::graph::Graph;
use crate::core::run::WeightsCopy;
use crate::core::weights;
use crate::web::{download, storage};

/// Where the latest checkpoint lives in browser storage.
pub const STORAGE_KEY: &str = "kindling.checkpoint";

/// The weights the page keeps: the latest copy (what a download holds), and the checkpoint
/// in storage. Cheap to copy.
#[derive(Clone, Copy)]
pub struct Checkpoints {
    /// The latest copy of the weights on the CPU: the last checkpoint, or where the run
    /// paused or ended, or what was loaded.
    latest: StoredValue<Option<WeightsCopy>, LocalStorage>,
    /// The epoch of the checkpoint in browser storage, once one is there.
    pub stored: RwSignal<Option<usize>>,
    /// A checkpoint taken (its epoch and stored text) but not yet written: writes wait for
    /// a publish.
    due: StoredValue<Option<(usize, String)>>,
    notices: Notices,
}

impl Checkpoints {
    pub fn new(notices: Notices) -> Self {
        Self {
            latest: StoredValue::new_local(None),
            stored: RwSignal::new(stored_epoch()),
            due: StoredValue::new(None),
            notices,
        }
    }

    /// Keeps `copy` as the latest weights.
    pub fn keep(self, copy: WeightsCopy) {
        self.latest.set_value(Some(copy));
    }

    /// Makes `copy` the next checkpoint: encodes it now (so a later copy cannot take its
    /// place) and leaves the write to [`Self::write_due`].
    pub fn queue(self, copy: WeightsCopy) {
        if let Ok(bytes) = weights::to_bytes(&copy.weights) {
            let checkpoint =
                Checkpoint { epoch: copy.epoch, network: copy.network.describe(), weights: bytes };
            self.due.set_value(Some((copy.epoch, checkpoint.encode())));
        }
        self.keep(copy);
    }

    /// Writes the queued checkpoint to storage, if one is waiting (once per publish, not per
    /// epoch). A full or unavailable storage gets a warning, once; training goes on.
    pub fn write_due(self) {
        let Some((epoch, text)) = self.due.try_update_value(Option::take).flatten() else { return };
        match storage::set(STORAGE_KEY, &text) {
            Ok(()) => self.stored.set(Some(epoch)),
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

/// The epoch of the checkpoint in storage, if a readable one is there.
fn stored_epoch() -> Option<usize> {
    let text = storage::get(STORAGE_KEY).ok()??;
    Checkpoint::decode(&text).ok().map(|checkpoint| checkpoint.epoch)
}

/// Restores the checkpoint in storage into a paused session of `graph`, when its network fits.
pub fn restore(session: Session, graph: &Graph) {
    let notices = session.notices;
    let text = match storage::get(STORAGE_KEY) {
        Ok(Some(text)) => text,
        Ok(None) => return notices.say(NoticeKind::Info, "No checkpoint has been saved yet: train first."),
        Err(reason) => {
            return notices.say(NoticeKind::Error, format!("No checkpoint could be read: {reason}."));
        }
    };
    match Checkpoint::decode(&text) {
        Ok(checkpoint) => {
            let from = format!("the checkpoint of epoch {} ({})", checkpoint.epoch, checkpoint.network);
            session.start_from_weights(graph, &checkpoint.weights, checkpoint.epoch, &from);
        }
        Err(reason) => {
            notices.say(NoticeKind::Error, format!("The checkpoint cannot be restored: {reason}."))
        }
    }
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
            Ok(bytes) => {
                session.start_from_weights(&graph, &bytes, 0, &format!("the weights in {}", file.name()))
            }
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
                title="Go back to the weights of the last checkpoint (paused there)"
                on:click=move |_| restore(session, &graph.get_untracked())>"Restore checkpoint"</button>
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
