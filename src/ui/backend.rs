//! Which backend trains: WebGPU where the browser has it, the CPU otherwise or by choice.
//!
//! At start-up the page asks for a GPU (`web::gpu`), then compiles the kernels a run needs
//! by training one throwaway epoch on it, with "preparing GPU…" on screen. No WebGPU, no
//! adapter or a failed start leave training on the CPU with a notice saying why. A run
//! moves between backends at an epoch boundary, from its current weights; when the GPU is
//! lost it goes on on the CPU from the last copy of its weights.

use burn::tensor::Device;
use leptos::prelude::*;
use leptos::task::spawn_local;

use super::session::{NoticeKind, RunStatus, Session};
use crate::core::compile::compile;
use crate::core::device::{Backend, cpu_device};
use crate::core::graph::Graph;
use crate::core::train::{EpochStats, TrainError, Trainer};
use crate::web::gpu;
use crate::web::tick::yield_to_next_frame;

/// What a node says about its precision: a short line, and the full sentence.
pub type Precision = (&'static str, &'static str);

/// Where the WebGPU backend stands.
#[derive(Clone, Debug, PartialEq)]
pub enum GpuState {
    /// Not asked for (`?backend=cpu`).
    Off,
    /// Asking the browser for an adapter and a device.
    Detecting,
    /// Compiling the kernels a run needs.
    Preparing,
    /// Ready to train; `f16` when the adapter has `shader-f16`.
    Ready { adapter: String, f16: bool },
    /// No GPU to train on, and why.
    Unavailable(String),
    /// The device was lost, and why.
    Lost(String),
}

impl GpuState {
    /// `data-state` of `data-testid="gpu-state"`.
    pub fn key(&self) -> &'static str {
        match self {
            GpuState::Off => "off",
            GpuState::Detecting => "detecting",
            GpuState::Preparing => "preparing",
            GpuState::Ready { .. } => "ready",
            GpuState::Unavailable(_) => "unavailable",
            GpuState::Lost(_) => "lost",
        }
    }

    /// What the page says about the GPU.
    pub fn text(&self) -> String {
        match self {
            GpuState::Off => String::new(),
            GpuState::Detecting => "detecting GPU…".to_owned(),
            GpuState::Preparing => "preparing GPU…".to_owned(),
            GpuState::Ready { adapter, .. } if adapter.is_empty() => "GPU ready".to_owned(),
            GpuState::Ready { adapter, .. } => format!("GPU ready: {adapter}"),
            GpuState::Unavailable(_) => "no GPU".to_owned(),
            GpuState::Lost(_) => "GPU lost".to_owned(),
        }
    }

    /// Why WebGPU cannot be picked, if it cannot.
    fn refusal(&self) -> Option<String> {
        match self {
            GpuState::Unavailable(reason) | GpuState::Lost(reason) => Some(reason.clone()),
            _ => None,
        }
    }
}

impl Session {
    /// The device of the current backend.
    pub fn device(self) -> Device {
        match (self.backend.get_untracked(), self.gpu.get_value()) {
            (Backend::WebGpu, Some(gpu)) => gpu.device,
            _ => cpu_device(),
        }
    }

    /// What TrainingStep's `mixed_precision` gives on the current backend: f16 compute on a
    /// WebGPU adapter with `shader-f16`, else f32 — and what the node says about it.
    pub fn precision(self) -> (bool, Precision) {
        let f16 = matches!(self.gpu_state.get(), GpuState::Ready { f16: true, .. });
        match self.backend.get() {
            Backend::WebGpu if f16 => {
                (true, ("f16 compute", "mixed precision: computes in f16 (shader-f16)"))
            }
            Backend::WebGpu => {
                (false, ("f32: GPU lacks shader-f16", "mixed precision: f32: this GPU has no shader-f16"))
            }
            Backend::Cpu => (
                false,
                (
                    "f32: no f16 on the CPU",
                    "mixed precision: f32 on the CPU: f16 needs WebGPU with shader-f16",
                ),
            ),
        }
    }

    /// Turns mixed precision on for `trainer` where the plan asks and the backend allows.
    pub(super) fn apply_precision(self, trainer: &mut Trainer) {
        let (f16, _) = self.precision_untracked();
        let asked = trainer.plan().step.mixed_precision;
        trainer.set_mixed_precision(asked && f16);
    }

    fn precision_untracked(self) -> (bool, Precision) {
        untrack(move || self.precision())
    }

    /// Whether `error` means the GPU stopped answering (a failed read on WebGPU, as when the
    /// device is lost); if so, the run moves to the CPU before its next batch.
    pub(super) fn gpu_failed(self, error: &TrainError) -> bool {
        let failed =
            self.backend.get_untracked() == Backend::WebGpu && matches!(error, TrainError::Readback(_));
        if failed {
            gpu::report_failure(&error.to_string());
            let reason =
                gpu::lost().unwrap_or_else(|| "it stopped answering: a read from it failed".to_owned());
            self.gpu_failure.set_value(Some(reason));
        }
        failed
    }

    /// Before a run starts: a GPU lost while idle hands training to the CPU, with a notice.
    pub(super) fn check_gpu(self) {
        if self.backend.get_untracked() == Backend::WebGpu
            && let Some(reason) = gpu::lost()
        {
            self.backend.set(Backend::Cpu);
            self.gpu_state.set(GpuState::Lost(reason.clone()));
            self.say(NoticeKind::Warning, format!("The GPU was lost ({reason}): training runs on the CPU."));
        }
    }

    /// At page load: starts the backend `requested` (`?backend=`), or WebGPU where the
    /// browser has it, and warms the engine up on `graph`; then runs `then` (`?autorun`).
    pub fn start_up(self, graph: Graph, requested: Option<Backend>, then: Option<Callback<()>>) {
        if requested == Some(Backend::Cpu) {
            self.warm_up(&graph, then);
            return;
        }
        spawn_local(async move {
            if self.enable_webgpu(&graph, requested.is_some()).await {
                self.switch(Backend::WebGpu);
                self.engine_ready.set(true);
                if let Some(then) = then {
                    then.run(());
                }
            } else {
                self.warm_up(&graph, then);
            }
        });
    }

    /// The user picked `backend`: a running session moves there at its next epoch boundary.
    pub fn choose_backend(self, backend: Backend, graph: Graph) {
        match backend {
            Backend::Cpu => self.switch(Backend::Cpu),
            Backend::WebGpu => spawn_local(async move {
                if self.enable_webgpu(&graph, true).await {
                    self.switch(Backend::WebGpu);
                }
            }),
        }
    }

    fn switch(self, backend: Backend) {
        if matches!(self.status.get_untracked(), RunStatus::Training | RunStatus::Paused) {
            self.switch_to.set(Some(backend));
        } else {
            self.backend.set(backend);
        }
    }

    /// Starts WebGPU (once per page) and compiles its kernels; true when it is ready. On
    /// failure, says why (a warning when the user `asked` for WebGPU, else for information).
    async fn enable_webgpu(self, graph: &Graph, asked: bool) -> bool {
        if matches!(self.gpu_state.get_untracked(), GpuState::Ready { .. }) {
            return true;
        }
        if let Some(reason) = self.gpu_state.with_untracked(GpuState::refusal) {
            self.say(
                NoticeKind::Warning,
                format!("WebGPU cannot be used: {reason}. Training runs on the CPU."),
            );
            return false;
        }
        if matches!(self.gpu_state.get_untracked(), GpuState::Detecting | GpuState::Preparing) {
            return false;
        }
        self.gpu_state.set(GpuState::Detecting);
        let gpu = match gpu::init().await {
            Ok(gpu) => gpu,
            Err(reason) => {
                let text = format!("Training runs on the CPU: {reason}.");
                if asked {
                    self.say(NoticeKind::Warning, text)
                } else {
                    self.mention(NoticeKind::Info, text)
                }
                self.gpu_state.set(GpuState::Unavailable(reason));
                return false;
            }
        };
        self.gpu.set_value(Some(gpu.clone()));
        self.gpu_state.set(GpuState::Preparing);
        prepare_kernels(graph, &gpu.device).await;
        if let Some(reason) = gpu::lost() {
            self.gpu_state.set(GpuState::Lost(reason.clone()));
            self.say(
                NoticeKind::Warning,
                format!("The GPU was lost while preparing ({reason}): training runs on the CPU."),
            );
            return false;
        }
        self.gpu_state.set(GpuState::Ready { adapter: gpu.adapter, f16: gpu.f16 });
        true
    }

    /// Between batches: moves the run to the CPU when the GPU was lost (from the last copy
    /// of the weights), or to the backend the user picked (at an epoch boundary, from the
    /// current weights).
    pub(super) async fn relocate(self, trainer: &mut Trainer, unpublished: &mut Vec<EpochStats>) {
        let on_gpu = self.backend.get_untracked() == Backend::WebGpu;
        if on_gpu
            && let Some(reason) =
                gpu::lost().or_else(|| self.gpu_failure.try_update_value(Option::take).flatten())
        {
            self.backend.set(Backend::Cpu);
            self.gpu_state.set(GpuState::Lost(reason.clone()));
            let plan = trainer.plan().clone();
            let copy = self.snapshot.get_value().filter(|copy| copy.network == plan.network);
            let resumed = copy.as_ref().and_then(|copy| {
                Trainer::resume(plan.clone(), &cpu_device(), &copy.weights, copy.epoch).ok()
            });
            let epoch = resumed.as_ref().map_or(0, Trainer::epochs_done);
            *trainer = resumed.unwrap_or_else(|| Trainer::new(plan, &cpu_device()));
            self.apply_precision(trainer);
            // The charts keep the epochs up to the copy, published or not, and drop the rest.
            self.history.update(|history| {
                history.append(unpublished);
                history.retain(|stats| stats.epoch <= epoch);
            });
            let from = if epoch > 0 {
                format!("from the weights of epoch {epoch}")
            } else {
                "from fresh weights (no copy of the trained ones had been taken yet)".to_owned()
            };
            self.say(
                NoticeKind::Warning,
                format!("The GPU was lost ({reason}). Training goes on on the CPU {from}."),
            );
            return;
        }
        let Some(target) = self.switch_to.get_untracked() else { return };
        if trainer.batches_done() != 0 {
            return;
        }
        self.switch_to.set(None);
        if target == self.backend.get_untracked() {
            return;
        }
        let device = match (target, self.gpu.get_value()) {
            (Backend::Cpu, _) => cpu_device(),
            (Backend::WebGpu, Some(gpu)) => gpu.device,
            (Backend::WebGpu, None) => return,
        };
        let epoch = trainer.epochs_done();
        let moved = match trainer.weights().await {
            Ok(weights) => {
                Trainer::resume(trainer.plan().clone(), &device, &weights, epoch).map_err(|e| e.to_string())
            }
            Err(error) => Err(error.to_string()),
        };
        match moved {
            Ok(moved) => {
                *trainer = moved;
                self.backend.set(target);
                self.apply_precision(trainer);
                self.say(
                    NoticeKind::Info,
                    format!(
                        "Training moved to {} after epoch {epoch} (the optimizer's state starts afresh).",
                        target.label()
                    ),
                );
            }
            Err(reason) => self.say(
                NoticeKind::Warning,
                format!("Training stays on {}: {reason}", self.backend.get_untracked().label()),
            ),
        }
    }
}

/// Compiles the kernels a run of `graph` uses on `device`, by training a throwaway copy for
/// an epoch (one checked batch, the rest unchecked, as the loop runs them) and computing the
/// views, yielding to the page between batches.
async fn prepare_kernels(graph: &Graph, device: &Device) {
    let Ok(mut plan) = compile(graph) else { return };
    plan.tracker.epochs = 1;
    plan.tracker.early_stopping = None;
    let mut trainer = Trainer::new(plan, device);
    if trainer.train_batch_checked().await.is_err() {
        return;
    }
    while !trainer.epoch_batches_done() && gpu::lost().is_none() {
        trainer.train_batch();
        yield_to_next_frame().await;
    }
    if trainer.finish_epoch().await.is_ok() {
        let _ = trainer.field(super::session::FIELD_RESOLUTION).await;
        let _ = trainer.confusion().await;
        let _ = trainer.weights().await;
    }
}

/// The backend picker (`data-testid="backend-select"`) and the GPU's state
/// (`data-testid="gpu-state"`, e.g. "preparing GPU…").
#[component]
pub fn BackendPicker(session: Session, graph: Signal<Graph>) -> impl IntoView {
    let state = move || session.gpu_state.get();
    view! {
        <label class="pill backend-picker">
            "backend "
            <select data-testid="backend-select" aria-label="Backend"
                prop:value=move || session.switch_to.get().unwrap_or_else(|| session.backend.get()).label()
                on:change=move |event| {
                    if let Some(backend) = Backend::parse(&event_target_value(&event)) {
                        session.choose_backend(backend, graph.get_untracked());
                    }
                }>
                <option value="webgpu" disabled=move || state().refusal().is_some()
                    title=move || state().refusal().unwrap_or_else(|| "Train on the GPU through WebGPU".to_owned())>"WebGPU"</option>
                <option value="cpu" title="Train on the CPU (WebAssembly)">"CPU"</option>
            </select>
            <span class="visually-hidden" data-testid="backend" data-ready=move || session.engine_ready.get().to_string()>
                {move || session.backend.get().label()}
            </span>
        </label>
        <span class="gpu-state" data-testid="gpu-state" data-state=move || state().key()
            title=move || state().refusal().unwrap_or_default()
            class:busy=move || matches!(state(), GpuState::Detecting | GpuState::Preparing)>
            {move || state().text()}
        </span>
    }
}
