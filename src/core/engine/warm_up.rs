//! Warming the engine up: a scripted activity that trains throwaway copies of the default
//! graph so that the code a real run needs has run — and been compiled optimised by the
//! browser — before the learner presses Train.
//!
//! The browser compiles hot WebAssembly functions again, optimised, in background threads
//! once they have run a while; until then a first run is slower. Two scripts:
//!
//! - [`WarmUp::cpu`]: a few batches of a wide network (wide layers take matrix-product paths a
//!   small graph never runs) and a piece of its views, then [`WARM_UP_EPOCHS`] epochs of the
//!   default graph with the step log on, and the views once per epoch — the path of a real run;
//! - [`WarmUp::kernels`]: an epoch of the default graph on the GPU, a batch per advance, and
//!   its views whole: WebGPU compiles each kernel the first time it runs.
//!
//! Never the user's graph: one from a link could be far larger, and this runs at every load.
//! It yields to any real activity (the conductor stops it).

use burn::tensor::Device;

use crate::core::compile::budget::FIELD_RESOLUTION;
use crate::core::compile::compiler::compile;
use crate::core::compile::plan::TrainingPlan;
use crate::core::engine::device::cpu_device;
use crate::core::engine::run::{Event, Host, Run, RunStart, RunState};
use crate::core::engine::view_refresh::ViewRefresh;
use crate::core::model::params::LayerSpec;
use crate::core::model::templates::basic_loop;
use crate::core::protocol::backend::Backend;
use crate::core::report::epoch_stats::EpochStats;
use crate::core::report::field::Field;
use crate::core::report::step_log::StepLog;

/// Epochs of the default graph the CPU warm-up trains.
pub const WARM_UP_EPOCHS: usize = 30;

/// Batches of the wide network, one per advance.
const WIDE_BATCHES: usize = 4;

/// The width of the wide network's two hidden layers.
const WIDE_WIDTH: usize = 256;

/// What a warm-up says as it goes: what a real run would show, for the page to draw once
/// unseen (its charts' code warms up too).
#[derive(Clone, Debug, PartialEq)]
pub enum WarmUpEvent {
    Epoch(EpochStats),
    Log(StepLog),
    Field(Field),
    /// The script has run to its end.
    Done,
}

/// Where the script stands.
enum Stage {
    /// The wide network's batches, one per advance.
    Wide(Box<Run>),
    /// A piece of the wide network's views.
    WideView(Box<Run>),
    /// The default graph, training.
    Main(Box<Run>),
    /// The views of the main run's model, whole, after an epoch (then training goes on,
    /// unless the run is over).
    MainView {
        run: Box<Run>,
        refresh: Box<ViewRefresh>,
    },
    Done,
}

/// A warm-up under way.
pub struct WarmUp {
    stage: Stage,
    /// The main run, waiting for the wide network's stages to end.
    main: Option<Box<Run>>,
    /// A batch per advance in the main stage (the GPU's kernels compile one at a time).
    batch_per_advance: bool,
    /// Whether the main run's views are evaluated after every epoch.
    views_every_epoch: bool,
}

impl WarmUp {
    /// The CPU's script. `None` when the default graph does not compile (it always does).
    pub fn cpu() -> Option<Self> {
        let mut plan = default_plan(WARM_UP_EPOCHS)?;
        // The step log's reads and charts warm up too.
        plan.tracker.step_log = true;
        plan.tracker.log_interval = plan.tracker.log_interval.min(10);
        let wide = Run::start(widened(&plan), RunStart::new(cpu_device(), Backend::Cpu)).ok()?;
        let main = Run::start(plan, RunStart::new(cpu_device(), Backend::Cpu)).ok()?;
        Some(Self {
            stage: Stage::Wide(Box::new(wide)),
            main: Some(Box::new(main)),
            batch_per_advance: false,
            views_every_epoch: true,
        })
    }

    /// The GPU's script, on `device`.
    pub fn kernels(device: &Device) -> Option<Self> {
        let plan = default_plan(1)?;
        let run = Run::start(plan, RunStart::new(device.clone(), Backend::WebGpu)).ok()?;
        Some(Self {
            stage: Stage::Main(Box::new(run)),
            main: None,
            batch_per_advance: true,
            views_every_epoch: true,
        })
    }

    /// Whether the script has run to its end.
    pub fn is_done(&self) -> bool {
        matches!(self.stage, Stage::Done)
    }

    /// Runs the script until `deadline` on `host`'s clock (at least a step of it); returns
    /// what it showed.
    pub async fn advance(&mut self, deadline: f64, host: &dyn Host) -> Vec<WarmUpEvent> {
        let mut events = Vec::new();
        loop {
            let stage = std::mem::replace(&mut self.stage, Stage::Done);
            self.stage = match stage {
                Stage::Wide(mut run) => {
                    // A deadline already passed: one batch.
                    run.advance(f64::NEG_INFINITY, host).await;
                    if run.trainer().steps() >= WIDE_BATCHES || run.state() != RunState::Training {
                        Stage::WideView(run)
                    } else {
                        self.stage = Stage::Wide(run);
                        return events;
                    }
                }
                Stage::WideView(run) => {
                    if let Some(mut refresh) = run.trainer().view_refresh(Some(FIELD_RESOLUTION), true) {
                        let _ = refresh.piece().await;
                    }
                    match self.main.take() {
                        Some(main) => Stage::Main(main),
                        None => Stage::Done,
                    }
                }
                Stage::Main(mut run) => {
                    let until = if self.batch_per_advance { f64::NEG_INFINITY } else { deadline };
                    let mut epoch_closed = false;
                    for event in run.advance(until, host).await {
                        match event {
                            Event::Epoch(stats) => {
                                epoch_closed = true;
                                events.push(WarmUpEvent::Epoch(stats));
                            }
                            Event::Log(log) => events.push(WarmUpEvent::Log(log)),
                            _ => {}
                        }
                    }
                    let refresh = (epoch_closed && self.views_every_epoch)
                        .then(|| run.trainer().view_refresh(Some(FIELD_RESOLUTION), true))
                        .flatten();
                    match refresh {
                        Some(refresh) => Stage::MainView { run, refresh: Box::new(refresh) },
                        None if run.state() == RunState::Training => Stage::Main(run),
                        None => Stage::Done,
                    }
                }
                Stage::MainView { run, mut refresh } => {
                    if refresh.finish().await.is_ok()
                        && let Some(field) = refresh.field()
                    {
                        events.push(WarmUpEvent::Field(field));
                    }
                    if run.state() == RunState::Training { Stage::Main(run) } else { Stage::Done }
                }
                // Reported when it was reached.
                Stage::Done => return events,
            };
            if matches!(self.stage, Stage::Done) {
                events.push(WarmUpEvent::Done);
                return events;
            }
            if self.batch_per_advance || host.now_millis() >= deadline {
                return events;
            }
        }
    }
}

/// The default graph's plan, for `epochs` epochs, without early stopping.
fn default_plan(epochs: usize) -> Option<TrainingPlan> {
    let mut plan = compile(&basic_loop()).ok()?;
    plan.tracker.epochs = epochs;
    plan.tracker.early_stopping = None;
    Some(plan)
}

/// `plan` with a wide network in place of its own — two hidden layers of [`WIDE_WIDTH`] with
/// ReLU — fed batches of 64, for an epoch.
fn widened(plan: &TrainingPlan) -> TrainingPlan {
    let mut plan = plan.clone();
    let out_features = plan.network.out_features();
    let flatten = (plan.network.in_shape.len() > 1).then_some(LayerSpec::Flatten);
    plan.network.layers = flatten
        .into_iter()
        .chain([
            LayerSpec::Linear { out_features: WIDE_WIDTH },
            LayerSpec::Relu,
            LayerSpec::Linear { out_features: WIDE_WIDTH },
            LayerSpec::Relu,
            LayerSpec::Linear { out_features },
        ])
        .collect();
    plan.sampler.batch_size = 64;
    plan.tracker.epochs = 1;
    plan.tracker.early_stopping = None;
    plan
}
