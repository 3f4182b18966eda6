//! Checkpoints and weights files: EpochTracker's checkpoints every `save_interval` epochs
//! into browser storage, restoring one, downloading the trained weights (burn's record
//! format), and loading such a file back into a matching graph.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::session::{NoticeKind, RunStatus, Session};
use crate::core::checkpoint::Checkpoint;
use crate::core::compile::compile;
use crate::core::device::cpu_device;
use crate::core::graph::Graph;
use crate::core::model::Mlp;
use crate::core::plan::NetworkPlan;
use crate::core::train::Trainer;
use crate::core::weights;
use crate::web::{download, storage};

/// Where the latest checkpoint lives in browser storage.
pub const STORAGE_KEY: &str = "kindling.checkpoint";

/// A copy of the weights on the CPU.
#[derive(Clone)]
pub struct Snapshot {
    pub weights: Mlp,
    /// Epochs trained.
    pub epoch: usize,
    pub network: NetworkPlan,
}

/// The epoch of the checkpoint in storage, if a readable one is there.
pub fn stored_epoch() -> Option<usize> {
    let text = storage::get(STORAGE_KEY).ok()??;
    Checkpoint::decode(&text).ok().map(|checkpoint| checkpoint.epoch)
}

impl Session {
    /// Copies the trainer's weights to the CPU (an asynchronous read).
    pub(super) async fn take_snapshot(self, trainer: &Trainer) {
        if let Ok(weights) = trainer.weights().await {
            self.snapshot.set_value(Some(Snapshot {
                weights,
                epoch: trainer.epochs_done(),
                network: trainer.plan().network.clone(),
            }));
        }
    }

    /// Makes the latest copy of the weights the next checkpoint: encodes it now (so a later
    /// copy cannot take its place) and leaves the write to [`Self::write_checkpoint`].
    pub(super) fn queue_checkpoint(self) {
        let queued = self.snapshot.with_value(|snapshot| {
            let snapshot = snapshot.as_ref()?;
            let weights = weights::to_bytes(&snapshot.weights).ok()?;
            let checkpoint =
                Checkpoint { epoch: snapshot.epoch, network: snapshot.network.describe(), weights };
            Some((snapshot.epoch, checkpoint.encode()))
        });
        self.checkpoint_due.set_value(queued);
    }

    /// Writes the queued checkpoint to storage, if one is waiting (once per publish, not per
    /// epoch). A full or unavailable storage gets a warning; training goes on.
    pub(super) fn write_checkpoint(self) {
        let Some((epoch, text)) = self.checkpoint_due.try_update_value(Option::take).flatten() else {
            return;
        };
        match storage::set(STORAGE_KEY, &text) {
            Ok(()) => self.checkpoint.set(Some(epoch)),
            Err(reason) => {
                let said = self.notice.with_untracked(|notice| {
                    notice.as_ref().is_some_and(|notice| notice.text.starts_with("Checkpoint not saved"))
                });
                if !said {
                    self.say(
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

    /// Restores the checkpoint in storage into a paused session of `graph`, when its
    /// network fits.
    pub fn restore_checkpoint(self, graph: &Graph) {
        let text = match storage::get(STORAGE_KEY) {
            Ok(Some(text)) => text,
            Ok(None) => return self.say(NoticeKind::Info, "No checkpoint has been saved yet: train first."),
            Err(reason) => {
                return self.say(NoticeKind::Error, format!("No checkpoint could be read: {reason}."));
            }
        };
        match Checkpoint::decode(&text) {
            Ok(checkpoint) => {
                let from = format!("the checkpoint of epoch {} ({})", checkpoint.epoch, checkpoint.network);
                self.start_from_weights(graph, &checkpoint.weights, checkpoint.epoch, &from);
            }
            Err(reason) => {
                self.say(NoticeKind::Error, format!("The checkpoint cannot be restored: {reason}."))
            }
        }
    }

    /// Offers the latest weights (as of the last checkpoint, pause or end of run) as a file
    /// in burn's record format.
    pub fn download_weights(self) {
        let Some(result) = self.snapshot.with_value(|snapshot| {
            snapshot.as_ref().map(|snapshot| {
                let bytes = weights::to_bytes(&snapshot.weights).map_err(|error| error.to_string())?;
                let name = format!("kindling-weights-epoch-{}.bpk", snapshot.epoch);
                download::download(&name, &bytes, "application/octet-stream")
            })
        }) else {
            return self.say(NoticeKind::Info, "There are no trained weights yet: train first.");
        };
        if let Err(reason) = result {
            self.say(NoticeKind::Error, format!("The weights could not be downloaded: {reason}."));
        }
    }

    /// Loads a weights file (burn's record format) into a paused session of `graph`.
    pub fn load_weights(self, graph: Graph, file: web_sys::File) {
        spawn_local(async move {
            match download::read_file(&file).await {
                Ok(bytes) => {
                    self.start_from_weights(&graph, &bytes, 0, &format!("the weights in {}", file.name()))
                }
                Err(reason) => {
                    self.say(NoticeKind::Error, format!("The weights could not be loaded: {reason}."))
                }
            }
        });
    }

    /// Starts a paused session of `graph` from `bytes` (burn's record format) after `epoch`
    /// epochs; `from` names where they came from, for the notice.
    fn start_from_weights(self, graph: &Graph, bytes: &[u8], epoch: usize, from: &str) {
        let plan = match compile(graph) {
            Ok(plan) => plan,
            Err(errors) => {
                let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
                return self.say(
                    NoticeKind::Error,
                    format!("Cannot load {from}: the graph cannot train yet: {}", lines.join("; ")),
                );
            }
        };
        let loaded = match weights::from_bytes(bytes, &plan.network, &cpu_device()) {
            Ok(loaded) => loaded,
            Err(error) => {
                return self.say(
                    NoticeKind::Error,
                    format!(
                        "Cannot load {from}: {error} (this graph's Network is {}).",
                        plan.network.describe()
                    ),
                );
            }
        };
        let network = plan.network.clone();
        if self.begin_plan(plan, Some((&loaded, epoch)), RunStatus::Paused) {
            self.snapshot.set_value(Some(Snapshot { weights: loaded, epoch, network }));
            self.say(
                NoticeKind::Info,
                format!("Loaded {from}. Press Resume to train on from there, or Step."),
            );
        }
    }
}

/// Checkpoint and weights buttons: Restore checkpoint (`restore-checkpoint`), Download
/// weights (`download-weights`), Load weights (`load-weights`, a file input).
#[component]
pub fn WeightsBar(session: Session, graph: Signal<Graph>) -> impl IntoView {
    let checkpoint = move || session.checkpoint.get();
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
                on:click=move |_| session.restore_checkpoint(&graph.get_untracked())>"Restore checkpoint"</button>
            <button data-testid="download-weights" disabled=move || !has_weights()
                title="Download the trained weights (burn's record format)"
                on:click=move |_| session.download_weights()>"Download weights"</button>
            <label class="button file-button" title="Load weights saved from a graph with the same Network">
                "Load weights…"
                <input type="file" accept=".bpk,application/octet-stream" data-testid="load-weights" class="visually-hidden"
                    on:change=move |event| {
                        if let Some(file) = download::take_picked_file(&event) {
                            session.load_weights(graph.get_untracked(), file);
                        }
                    } />
            </label>
        </div>
    }
}
