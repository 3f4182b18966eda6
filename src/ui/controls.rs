//! The run controls: Train, Pause/Resume, Step (a batch or an epoch), Stop, Reset; the status,
//! the backend, the progress bar (epoch, batch, samples/s, time left); and the notice.

use leptos::prelude::*;

use super::backend::BackendPicker;
use super::run_status::RunStatus;
use super::session::Session;
use crate::core::protocol::backend::Backend;
use crate::core::protocol::progress::Progress;
use crate::core::protocol::step_size::StepSize;

/// Buttons and progress for `session`. `on_train` starts a run (and `on_step` a paused one,
/// stepping it); `blocked` says why training cannot start (compile errors), and disables
/// Train.
#[component]
pub fn Controls(
    /// The session to control.
    session: Session,
    /// Starts training the current graph.
    on_train: Callback<()>,
    /// Starts a paused session on the current graph and runs one step of it.
    on_step: Callback<StepSize>,
    /// Why Train is disabled, if it is.
    blocked: Signal<Option<String>>,
    /// Whether the engine is ready to train.
    ready: Signal<bool>,
) -> impl IntoView {
    let view = session.view;
    let status = move || session.status.get();
    let running = Signal::derive(move || matches!(status(), RunStatus::Training | RunStatus::Paused));
    let progress = move || {
        let total = view.epochs_total.get();
        let Progress { batch, batches, .. } = view.progress.get();
        let done = view.epochs_done() as f64 + if batches > 0 { batch as f64 / batches as f64 } else { 0.0 };
        if total == 0 { 0.0 } else { (done / total as f64).min(1.0) }
    };
    let step = move |size: StepSize| {
        if status() == RunStatus::Paused { session.step(size) } else { on_step.run(size) }
    };
    let rate = move || view.progress.get().samples_per_second;
    let on_pick = Callback::new(move |backend: Backend| session.pick_backend(backend));
    view! {
        <div class="controls">
            <button class="primary" data-testid="train-button" data-explain="train-button"
                disabled=move || running.get() || blocked.get().is_some()
                title=move || blocked.get().unwrap_or_else(|| text!("run-train-title"))
                on:click=move |_| on_train.run(())>{text!("run-train")}</button>
            {move || if status() == RunStatus::Paused {
                view! { <button data-testid="resume-button" data-explain="resume-button" title=text!("run-resume-title") on:click=move |_| session.resume()>{text!("run-resume")}</button> }.into_any()
            } else {
                view! { <button data-testid="pause-button" data-explain="pause-button" disabled=move || status() != RunStatus::Training
                    title=text!("run-pause-title") on:click=move |_| session.pause()>{text!("run-pause")}</button> }.into_any()
            }}
            <button data-testid="step-button" data-explain="step-button" title=text!("run-step-title")
                disabled=move || status() == RunStatus::Training || (!running.get() && blocked.get().is_some())
                on:click=move |_| step(StepSize::Batch)>{text!("run-step")}</button>
            <button data-testid="step-epoch-button" data-explain="step-epoch-button" title=text!("run-step-epoch-title")
                disabled=move || status() == RunStatus::Training || (!running.get() && blocked.get().is_some())
                on:click=move |_| step(StepSize::Epoch)>{text!("run-step-epoch")}</button>
            <button data-testid="stop-button" data-explain="stop-button" disabled=move || !running.get()
                title=text!("run-stop-title") on:click=move |_| session.stop()>{text!("run-stop")}</button>
            <button data-testid="reset-button" data-explain="reset-button" title=text!("run-reset-title")
                on:click=move |_| session.reset()>{text!("run-reset")}</button>
            <span class="pill" data-status=move || status().label()>
                {format!("{} ", text!("run-status"))} <span data-testid="status" data-explain="status" data-held=move || session.held.get().to_string()
                    data-tasks=move || session.tasks.get()>{move || status().text()}</span>
            </span>
            <BackendPicker backends=session.backends engine_ready=ready on_pick />
            <div class="progress" role="progressbar" aria-label=text!("run-progress")
                aria-valuemin="0" aria-valuemax=move || view.epochs_total.get()
                aria-valuenow=move || view.epochs_done()>
                <div class="progress-fill" style:width=move || format!("{:.1}%", progress() * 100.0)></div>
                <span class="progress-text">
                    {format!("{} ", text!("run-progress-epoch"))} <span data-testid="epoch" data-explain="epoch">{move || format!("{}/{}", view.epochs_done(), view.epochs_total.get())}</span>
                    {move || {
                        let Progress { batch, batches, .. } = view.progress.get();
                        (batches > 0).then(|| view! { {format!(" · {} ", text!("run-progress-batch"))} <span data-testid="batch" data-explain="batch">{format!("{batch}/{batches}")}</span> })
                    }}
                    " · " <span data-testid="samples-per-second" data-explain="samples-per-second" data-value=move || rate().map(|r| format!("{r:.0}")).unwrap_or_default()>
                        {move || text!("run-samples-per-second", rate = rate().map_or_else(|| "—".to_owned(), |r| format!("{r:.0}")))}
                    </span>
                    {move || view.progress.get().eta_seconds.filter(|_| status() == RunStatus::Training)
                        .map(|eta| format!(" · {}", text!("run-time-left", seconds = format!("{eta:.1}"))))}
                </span>
            </div>
        </div>
    }
}
