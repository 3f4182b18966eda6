//! The weights bar: the graph's checkpoint (Restore checkpoint), the latest weights (Download
//! weights, burn's record format), and a weights file loaded back into a graph with the same
//! Network (Load weights). A restored or loaded run starts paused, where those weights stood.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::notices::NoticeKind;
use super::run_status::RunStatus;
use super::session::Session;
use crate::core::compile::budget::max_file_bytes;
use crate::core::compile::compiler::compile;
use crate::core::document::checkpoint::Checkpoint;
use crate::core::model::graph::Graph;
use crate::core::protocol::message::Restore;
use crate::web::{checkpoint_store, download};

/// Restores the checkpoint of the graph shown into a paused session of `graph`: exactly
/// where the run stood, when the graph has not changed in what the checkpoint holds.
pub fn restore(session: Session, graph: Graph) {
    let notices = session.notices;
    let id = session.checkpoints.graph_id();
    spawn_local(async move {
        let bytes = match checkpoint_store::get(&id).await {
            Ok(Some(bytes)) => bytes,
            Ok(None) => {
                return notices.say(NoticeKind::Info, text!("weights-no-checkpoint"));
            }
            Err(reason) => {
                return notices.say(
                    NoticeKind::Error,
                    text!("weights-checkpoint-unreadable", reason = reason.to_string()),
                );
            }
        };
        match Checkpoint::from_bytes(&bytes) {
            Ok(checkpoint) => {
                let from =
                    text!("weights-from-checkpoint", epoch = checkpoint.epoch, network = &checkpoint.network);
                let restore =
                    Restore { weights: checkpoint.weights, epoch: checkpoint.epoch, state: checkpoint.state };
                session.start_from_weights(&graph, restore, from);
            }
            Err(reason) => notices.say(
                NoticeKind::Error,
                text!("weights-checkpoint-not-restored", reason = reason.to_string()),
            ),
        }
    });
}

/// Loads a weights file (burn's record format) into a paused session of `graph`.
pub fn load(session: Session, graph: Graph, file: web_sys::File) {
    // The size first: a file larger than the graph's weights is not read at all.
    let Ok(plan) = compile(&graph) else {
        return session
            .notices
            .say(NoticeKind::Error, text!("weights-load-not-compiling", file = file.name()));
    };
    let max = max_file_bytes(&plan.network);
    if file.size() > max as f64 {
        return session.notices.say(
            NoticeKind::Error,
            text!(
                "weights-load-too-large",
                file = file.name(),
                size = format!("{:.0}", file.size()),
                max = max.to_string()
            ),
        );
    }
    spawn_local(async move {
        match download::read_file(&file, max).await {
            Ok(bytes) => {
                let restore = Restore { weights: bytes, epoch: 0, state: None };
                session.start_from_weights(&graph, restore, text!("weights-from-file", file = file.name()));
            }
            Err(reason) => {
                session.notices.say(NoticeKind::Error, text!("weights-not-loaded", reason = reason))
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
        session.view.history.with(|history| !history.is_empty()) || session.status.get() == RunStatus::Paused
    };
    view! {
        <div class="weights-bar">
            <span class="pill">{format!("{} ", text!("weights-checkpoint"))} <span data-testid="checkpoint" data-explain="checkpoint"
                data-epoch=move || checkpoint().map(|epoch| epoch.to_string()).unwrap_or_default()>
                {move || checkpoint().map_or_else(|| text!("weights-checkpoint-none"), |epoch| text!("weights-checkpoint-epoch", epoch = epoch))}
            </span></span>
            <button data-testid="restore-checkpoint" data-explain="restore-checkpoint" disabled=move || checkpoint().is_none()
                title=text!("weights-restore-title")
                on:click=move |_| restore(session, graph.get_untracked())>{text!("weights-restore")}</button>
            <button data-testid="download-weights" data-explain="download-weights" disabled=move || !has_weights()
                title=text!("weights-download-title")
                on:click=move |_| session.checkpoints.download()>{text!("weights-download")}</button>
            <label class="button file-button" title=text!("weights-load-title")>
                {text!("weights-load")}
                <input type="file" accept=".bpk,application/octet-stream" data-testid="load-weights" data-explain="load-weights" class="visually-hidden"
                    on:change=move |event| {
                        if let Some(file) = download::take_picked_file(&event) {
                            load(session, graph.get_untracked(), file);
                        }
                    } />
            </label>
        </div>
    }
}
