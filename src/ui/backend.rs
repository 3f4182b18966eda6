//! Which backend trains: WebGPU where the browser has it, the CPU otherwise or by choice.
//!
//! At start-up the page asks the engine for a GPU; the engine (in its worker) starts WebGPU and
//! compiles the kernels a run needs, with "preparing GPU…" on screen. No WebGPU, no adapter or
//! a failed start leave training on the CPU with a notice saying why. Moving a run between
//! backends, and going on on the CPU when the GPU fails, are the run's own rules
//! (`core::engine::run`); here they are asked for and said.

use leptos::prelude::*;

use super::engine::Engine;
use super::notices::{NoticeKind, Notices};
use crate::core::document::train_state::Afresh;
use crate::core::protocol::backend::Backend;
use crate::core::protocol::gpu_state::GpuState;
use crate::core::protocol::message::Command;

/// What a node says about its precision: a short line, and the full sentence.
pub type Precision = (String, String);

/// The backends the page can train on, and which one it does. Cheap to copy.
#[derive(Clone, Copy)]
pub struct Backends {
    /// The backend training runs on (`data-testid="backend"`).
    pub current: RwSignal<Backend>,
    /// Where the WebGPU backend stands: detecting, preparing, ready, unavailable, lost.
    pub gpu_state: RwSignal<GpuState>,
    /// A backend the user picked for the running session, until the run has moved there.
    pub switch_to: RwSignal<Option<Backend>>,
    /// Whether the user asked for WebGPU (a failure is then a warning, not a mention); and
    /// whether to train on it as soon as it is ready.
    asked: StoredValue<(bool, bool)>,
    engine: Engine,
    notices: Notices,
}

impl Backends {
    pub fn new(engine: Engine, notices: Notices) -> Self {
        Self {
            current: RwSignal::new(Backend::Cpu),
            gpu_state: RwSignal::new(GpuState::Off),
            switch_to: RwSignal::new(None),
            asked: StoredValue::new((false, false)),
            engine,
            notices,
        }
    }

    /// At start-up: WebGPU where the browser has it (`requested` from `?backend=`), or only
    /// the CPU, warmed up.
    pub fn start(self, requested: Option<Backend>) {
        if requested == Some(Backend::Cpu) {
            self.engine.send_to_every_engine(Command::WarmUp);
        } else {
            self.asked.set_value((requested.is_some(), true));
            self.gpu_state.set(GpuState::Detecting);
            self.engine.send_to_every_engine(Command::UseGpu { asked: requested.is_some() });
        }
    }

    /// Whether the backends have settled: no GPU being looked for or prepared.
    pub fn settled(self) -> bool {
        !matches!(self.gpu_state.get(), GpuState::Detecting | GpuState::Preparing)
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
            Backend::WebGpu if f16 => (text!("backend-precision-f16"), text!("backend-precision-f16-full")),
            Backend::WebGpu => (text!("backend-precision-no-f16"), text!("backend-precision-no-f16-full")),
            Backend::Cpu => (text!("backend-precision-cpu"), text!("backend-precision-cpu-full")),
        }
    }

    /// Where the engine says WebGPU stands; true when the user's pick of WebGPU (or the
    /// start-up's) can now be made ([`Self::choose`] it).
    pub fn gpu(self, state: GpuState) -> bool {
        let (asked, wanted) = self.asked.get_value();
        self.gpu_state.set(state.clone());
        match &state {
            GpuState::Ready { .. } if wanted => {
                self.asked.set_value((asked, false));
                return true;
            }
            GpuState::Unavailable(reason) => {
                let text = text!("backend-gpu-unavailable", reason = reason);
                if asked {
                    self.notices.say(NoticeKind::Warning, text);
                } else {
                    self.notices.mention(NoticeKind::Info, text);
                }
                self.current.set(Backend::Cpu);
            }
            GpuState::Lost(reason) => {
                if self.current.get_untracked() == Backend::WebGpu {
                    self.notices.say(NoticeKind::Warning, text!("backend-gpu-lost", reason = reason));
                }
                self.current.set(Backend::Cpu);
            }
            _ => {}
        }
        false
    }

    /// The user picked `backend`: it trains the next run, or — while one is `running` — the
    /// running one from its next epoch; `None` when nothing is to move now.
    pub fn choose(self, backend: Backend, running: bool) -> Option<Backend> {
        if backend == Backend::WebGpu {
            match self.gpu_state.get_untracked() {
                GpuState::Ready { .. } => {}
                state if state.refusal().is_some() => {
                    let reason = state.refusal().unwrap_or_default();
                    self.notices.say(NoticeKind::Warning, text!("backend-gpu-refused", reason = reason));
                    return None;
                }
                GpuState::Off => {
                    self.asked.set_value((true, true));
                    self.gpu_state.set(GpuState::Detecting);
                    self.engine.send_to_every_engine(Command::UseGpu { asked: true });
                    return None;
                }
                // Detecting or preparing: it is picked once ready.
                _ => {
                    self.asked.set_value((true, true));
                    return None;
                }
            }
        }
        if running {
            self.switch_to.set(Some(backend));
            Some(backend)
        } else {
            self.current.set(backend);
            None
        }
    }

    /// The run moved to `backend` after `epoch` epochs.
    pub fn moved(self, backend: Backend, epoch: usize, afresh: &Afresh) {
        self.current.set(backend);
        self.switch_to.set(None);
        let text = if afresh.is_empty() {
            text!("backend-moved", backend = backend.label(), epoch = epoch)
        } else {
            text!(
                "backend-moved-afresh",
                backend = backend.label(),
                epoch = epoch,
                afresh = afresh.describe()
            )
        };
        self.notices.say(NoticeKind::Info, text);
    }

    /// The run could not move; it stays where it is.
    pub fn move_refused(self, reason: &str) {
        self.switch_to.set(None);
        let backend = self.current.get_untracked().label();
        self.notices
            .say(NoticeKind::Warning, text!("backend-move-refused", backend = backend, reason = reason));
    }

    /// The run's GPU failed and it went on on the CPU from the copy of epoch `resumed_from`.
    pub fn failed(self, reason: &str, resumed_from: usize) {
        self.current.set(Backend::Cpu);
        self.switch_to.set(None);
        self.gpu_state.set(GpuState::Lost(reason.to_owned()));
        let text = if resumed_from > 0 {
            text!("backend-failed", reason = reason, epoch = resumed_from)
        } else {
            text!("backend-failed-afresh", reason = reason)
        };
        self.notices.say(NoticeKind::Warning, text);
    }
}

/// The backend picker (`data-testid="backend-select"`) and the GPU's state
/// (`data-testid="gpu-state"`, e.g. "preparing GPU…"); `data-testid="backend"` says which
/// backend trains, and `data-ready` whether the engine is ready to train.
#[component]
pub fn BackendPicker(
    backends: Backends,
    /// Whether the engine is ready to train.
    engine_ready: Signal<bool>,
    /// Called with the backend the user picks.
    on_pick: Callback<Backend>,
) -> impl IntoView {
    let state = move || backends.gpu_state.get();
    view! {
        <label class="pill backend-picker">
            {format!("{} ", text!("backend-label"))}
            <select data-testid="backend-select" data-explain="backend-select" aria-label=text!("backend-select")
                prop:value=move || backends.switch_to.get().unwrap_or_else(|| backends.current.get()).label()
                on:change=move |event| {
                    if let Some(backend) = Backend::parse(&event_target_value(&event)) {
                        on_pick.run(backend);
                    }
                }>
                <option value="webgpu" disabled=move || state().refusal().is_some()
                    title=move || state().refusal().unwrap_or_else(|| text!("backend-webgpu-title"))>{text!("backend-webgpu")}</option>
                <option value="cpu" title=text!("backend-cpu-title")>{text!("backend-cpu")}</option>
            </select>
            <span class="visually-hidden" data-testid="backend" data-explain="backend" data-ready=move || engine_ready.get().to_string()>
                {move || backends.current.get().label()}
            </span>
        </label>
        <span class="gpu-state" data-testid="gpu-state" data-explain="gpu-state" data-state=move || state().key()
            title=move || state().refusal().unwrap_or_default()
            class:busy=move || matches!(state(), GpuState::Detecting | GpuState::Preparing)>
            {move || state().text()}
        </span>
    }
}
