//! Which backend trains: WebGPU where the browser has it, the CPU otherwise or by choice.
//!
//! At start-up the page asks for a GPU (`web::gpu`), then compiles the kernels a run needs
//! by training one throwaway epoch on it, with "preparing GPU…" on screen. No WebGPU, no
//! adapter or a failed start leave training on the CPU with a notice saying why. Moving a
//! run between backends, and going on on the CPU when the GPU fails, are the run's own rules
//! (`core::run`); here they are asked for and said.

use burn::tensor::Device;
use leptos::prelude::*;

use super::notices::{NoticeKind, Notices};
use crate::core::compile::compile;
use crate::core::device::{Backend, cpu_device};
use crate::core::run::{DeviceFailure, Run, RunStart};
use crate::core::templates::basic_loop;
use crate::core::train_state::Afresh;
use crate::web::clock::{PageHost, now_millis};
use crate::web::gpu::{self, Gpu};
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

/// The backends the page can train on, and which one it does. Cheap to copy.
#[derive(Clone, Copy)]
pub struct Backends {
    /// The backend training runs on (`data-testid="backend"`).
    pub current: RwSignal<Backend>,
    /// Where the WebGPU backend stands: detecting, preparing, ready, unavailable, lost.
    pub gpu_state: RwSignal<GpuState>,
    /// The WebGPU device, once started.
    gpu: StoredValue<Option<Gpu>, LocalStorage>,
    /// A backend the user picked for the running session, until the run has moved there.
    pub switch_to: RwSignal<Option<Backend>>,
    notices: Notices,
}

impl Backends {
    pub fn new(notices: Notices) -> Self {
        Self {
            current: RwSignal::new(Backend::Cpu),
            gpu_state: RwSignal::new(GpuState::Off),
            gpu: StoredValue::new_local(None),
            switch_to: RwSignal::new(None),
            notices,
        }
    }

    /// The device of `backend`, if it is up.
    pub fn device(self, backend: Backend) -> Option<Device> {
        match backend {
            Backend::Cpu => Some(cpu_device()),
            Backend::WebGpu => self.gpu.get_value().map(|gpu| gpu.device),
        }
    }

    /// How a run starts on the current backend: its device, and whether it computes in f16
    /// where the plan asks for mixed precision.
    pub fn run_start(self) -> RunStart {
        let backend = self.current.get_untracked();
        match self.device(backend) {
            Some(device) => RunStart { f16: self.f16(backend), ..RunStart::new(device, backend) },
            None => RunStart::new(cpu_device(), Backend::Cpu),
        }
    }

    /// Whether `backend` computes in f16: a WebGPU adapter with `shader-f16`.
    pub fn f16(self, backend: Backend) -> bool {
        backend == Backend::WebGpu
            && matches!(self.gpu_state.get_untracked(), GpuState::Ready { f16: true, .. })
    }

    /// What TrainingStep's `mixed_precision` gives on the current backend, as the node says
    /// it (tracked).
    pub fn precision(self) -> Precision {
        let f16 = matches!(self.gpu_state.get(), GpuState::Ready { f16: true, .. });
        match self.current.get() {
            Backend::WebGpu if f16 => ("f16 compute", "mixed precision: computes in f16 (shader-f16)"),
            Backend::WebGpu => {
                ("f32: GPU lacks shader-f16", "mixed precision: f32: this GPU has no shader-f16")
            }
            Backend::Cpu => (
                "f32: no f16 on the CPU",
                "mixed precision: f32 on the CPU: f16 needs WebGPU with shader-f16",
            ),
        }
    }

    /// Before a run starts: a GPU lost while idle hands training to the CPU, with a notice.
    pub fn check_lost(self) {
        if self.current.get_untracked() == Backend::WebGpu
            && let Some(reason) = gpu::lost()
        {
            self.current.set(Backend::Cpu);
            self.gpu_state.set(GpuState::Lost(reason.clone()));
            self.notices
                .say(NoticeKind::Warning, format!("The GPU was lost ({reason}): training runs on the CPU."));
        }
    }

    /// The user picked `backend`: it trains the next run, or — while one is `running` — the
    /// running one from its next epoch.
    pub fn choose(self, backend: Backend, running: Signal<bool>) {
        match backend {
            Backend::Cpu => self.switch(Backend::Cpu, running.get_untracked()),
            Backend::WebGpu => leptos::task::spawn_local(async move {
                if self.enable_webgpu(true).await {
                    self.switch(Backend::WebGpu, running.get_untracked());
                }
            }),
        }
    }

    /// Trains on `backend` from now on: at once between runs, from the running one's next
    /// epoch while one is `running`.
    pub fn switch(self, backend: Backend, running: bool) {
        if running {
            self.switch_to.set(Some(backend));
        } else {
            self.current.set(backend);
        }
    }

    /// Starts WebGPU (once per page) and compiles its kernels; true when it is ready. On
    /// failure, says why (a warning when the user `asked` for WebGPU, else for information).
    pub async fn enable_webgpu(self, asked: bool) -> bool {
        if matches!(self.gpu_state.get_untracked(), GpuState::Ready { .. }) {
            return true;
        }
        if let Some(reason) = self.gpu_state.with_untracked(GpuState::refusal) {
            self.notices.say(
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
                    self.notices.say(NoticeKind::Warning, text)
                } else {
                    self.notices.mention(NoticeKind::Info, text)
                }
                self.gpu_state.set(GpuState::Unavailable(reason));
                return false;
            }
        };
        self.gpu.set_value(Some(gpu.clone()));
        self.gpu_state.set(GpuState::Preparing);
        prepare_kernels(&gpu.device).await;
        if let Some(reason) = gpu::lost() {
            self.gpu_state.set(GpuState::Lost(reason.clone()));
            self.notices.say(
                NoticeKind::Warning,
                format!("The GPU was lost while preparing ({reason}): training runs on the CPU."),
            );
            return false;
        }
        self.gpu_state.set(GpuState::Ready { adapter: gpu.adapter, f16: gpu.f16 });
        true
    }

    /// The run moved to `backend` after `epoch` epochs.
    pub fn moved(self, backend: Backend, epoch: usize, afresh: &Afresh) {
        self.current.set(backend);
        self.switch_to.set(None);
        let carried = if afresh.is_empty() {
            "with the optimizer's state and the batch order".to_owned()
        } else {
            format!("but {}", afresh.describe())
        };
        self.notices.say(
            NoticeKind::Info,
            format!("Training moved to {} after epoch {epoch}, {carried}.", backend.label()),
        );
    }

    /// The run could not move; it stays where it is.
    pub fn move_refused(self, reason: &str) {
        self.switch_to.set(None);
        self.notices.say(
            NoticeKind::Warning,
            format!("Training stays on {}: {reason}", self.current.get_untracked().label()),
        );
    }

    /// The run's GPU failed and it went on on the CPU from the copy of epoch `resumed_from`.
    pub fn failed(self, failure: DeviceFailure, resumed_from: usize) {
        let reason = match failure {
            DeviceFailure::Lost(reason) => reason,
            DeviceFailure::ReadFailed(details) => {
                gpu::report_failure(&details);
                gpu::lost().unwrap_or_else(|| "it stopped answering: a read from it failed".to_owned())
            }
        };
        self.current.set(Backend::Cpu);
        self.switch_to.set(None);
        self.gpu_state.set(GpuState::Lost(reason.clone()));
        let from = if resumed_from > 0 {
            format!("from the weights of epoch {resumed_from}")
        } else {
            "from fresh weights (no copy of the trained ones had been taken yet)".to_owned()
        };
        self.notices.say(
            NoticeKind::Warning,
            format!("The GPU was lost ({reason}). Training goes on on the CPU {from}."),
        );
    }
}

/// Compiles the kernels a run uses on `device`, by training a throwaway copy of the default
/// graph for an epoch (a batch at a time, as the page's runs go on WebGPU, yielding to the
/// page between batches) and computing what the views show. Never the user's graph: one
/// from a link could be far larger, and this runs at every load.
async fn prepare_kernels(device: &Device) {
    let Ok(mut plan) = compile(&basic_loop()) else { return };
    plan.tracker.epochs = 1;
    plan.tracker.early_stopping = None;
    let Ok(mut run) = Run::start(plan, RunStart::new(device.clone(), Backend::WebGpu)) else { return };
    // A deadline already passed: one batch per advance.
    while run.state() == crate::core::run::RunState::Training && run.backend() == Backend::WebGpu {
        run.advance(now_millis(), &PageHost).await;
        yield_to_next_frame().await;
    }
    if run.state() == crate::core::run::RunState::Done && run.backend() == Backend::WebGpu {
        let _ = run.trainer().field(super::session::FIELD_RESOLUTION).await;
        let _ = run.trainer().confusion().await;
    }
}

/// The backend picker (`data-testid="backend-select"`) and the GPU's state
/// (`data-testid="gpu-state"`, e.g. "preparing GPU…"); `data-testid="backend"` says which
/// backend trains, and `data-ready` whether the engine has warmed up.
#[component]
pub fn BackendPicker(
    backends: Backends,
    /// Whether the engine has warmed up.
    engine_ready: Signal<bool>,
    /// Whether a run is under way (a pick then moves it).
    running: Signal<bool>,
) -> impl IntoView {
    let state = move || backends.gpu_state.get();
    view! {
        <label class="pill backend-picker">
            "backend "
            <select data-testid="backend-select" aria-label="Backend"
                prop:value=move || backends.switch_to.get().unwrap_or_else(|| backends.current.get()).label()
                on:change=move |event| {
                    if let Some(backend) = Backend::parse(&event_target_value(&event)) {
                        backends.choose(backend, running);
                    }
                }>
                <option value="webgpu" disabled=move || state().refusal().is_some()
                    title=move || state().refusal().unwrap_or_else(|| "Train on the GPU through WebGPU".to_owned())>"WebGPU"</option>
                <option value="cpu" title="Train on the CPU (WebAssembly)">"CPU"</option>
            </select>
            <span class="visually-hidden" data-testid="backend" data-ready=move || engine_ready.get().to_string()>
                {move || backends.current.get().label()}
            </span>
        </label>
        <span class="gpu-state" data-testid="gpu-state" data-state=move || state().key()
            title=move || state().refusal().unwrap_or_default()
            class:busy=move || matches!(state(), GpuState::Detecting | GpuState::Preparing)>
            {move || state().text()}
        </span>
    }
}
