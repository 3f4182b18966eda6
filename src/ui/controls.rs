//! The run controls: Train, Stop, the status, the backend, and the epoch progress bar.

use leptos::prelude::*;

use super::session::{RunStatus, Session};

/// Buttons and progress for `session`. `on_train` starts a run; `blocked` says why training
/// cannot start (compile errors), and disables Train.
#[component]
pub fn Controls(
    /// The session to control.
    session: Session,
    /// Starts training the current graph.
    on_train: Callback<()>,
    /// Why Train is disabled, if it is.
    blocked: Signal<Option<String>>,
) -> impl IntoView {
    let training = move || session.status.get() == RunStatus::Training;
    let progress = move || {
        let total = session.epochs_total.get();
        if total == 0 { 0.0 } else { session.epochs_done() as f64 / total as f64 }
    };
    view! {
        <div class="controls">
            <button class="primary" data-testid="train-button"
                disabled=move || training() || blocked.get().is_some()
                title=move || blocked.get().unwrap_or_else(|| "Train the graph from fresh weights".to_owned())
                on:click=move |_| on_train.run(())>"Train"</button>
            <button data-testid="stop-button" disabled=move || !training()
                on:click=move |_| session.stop()>"Stop"</button>
            <span class="pill" data-status=move || session.status.get().label()>
                "status: " <span data-testid="status">{move || session.status.get().label()}</span>
            </span>
            <span class="pill">"backend: " <span data-testid="backend"
                data-ready=move || session.engine_ready.get().to_string()>"cpu"</span></span>
            <div class="progress" role="progressbar" aria-label="Epoch progress"
                aria-valuemin="0" aria-valuemax=move || session.epochs_total.get()
                aria-valuenow=move || session.epochs_done()>
                <div class="progress-fill" style:width=move || format!("{:.1}%", progress() * 100.0)></div>
                <span class="progress-text">
                    "epoch " <span data-testid="epoch">{move || format!("{}/{}", session.epochs_done(), session.epochs_total.get())}</span>
                </span>
            </div>
        </div>
    }
}
