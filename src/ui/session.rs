//! The training session as the page sees it: status, progress and history as signals, and
//! the loop that drives the core's [`Trainer`] without freezing the page.
//!
//! The loop runs batches for at most [`SLICE_MILLIS`], then yields until the next frame has
//! been painted (`web::tick`), so frames keep coming and Pause, Step and Stop act at once. It
//! reads the device once per epoch, asynchronously (`Trainer::finish_epoch`). Optimizer
//! settings edited mid-run apply from the next step; other edits stop the run with a notice.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::backend::GpuState;
use super::checkpoints::Snapshot;

use crate::core::compile::compile;
use crate::core::confusion::Confusion;
use crate::core::dataset::{Dataset, POINT_FEATURES};
use crate::core::device::{Backend, cpu_device};
use crate::core::field::Field;
use crate::core::graph::Graph;
use crate::core::model::Mlp;
use crate::core::plan::{OptimizerPlan, TrainingPlan};
use crate::core::train::{EpochStats, TrainError, Trainer};
use crate::web::clock::now_millis;
use crate::web::gpu::Gpu;
use crate::web::tick::yield_to_next_frame;

/// How often the page shows new epochs: often enough to look live, rarely enough that
/// redrawing the charts costs little next to training.
pub const PUBLISH_MILLIS: f64 = 100.0;

/// Cells per side of the decision-boundary grid: fine enough to look smooth once the page
/// scales it up, small enough to cost well under a millisecond per update.
pub(super) const FIELD_RESOLUTION: usize = 48;

/// Epochs of the throwaway warm-up run.
pub const WARM_UP_EPOCHS: usize = 30;

/// Warm-up work per animation frame: small, as the page has just loaded.
const WARM_UP_SLICE_MILLIS: f64 = 4.0;

/// Frames in a row that must come on time before the engine counts as warmed up.
const SETTLED_FRAMES: usize = 10;

/// A frame that takes longer than this (a 60 Hz frame and a half) is late.
const LATE_FRAME_MILLIS: f64 = 25.0;

/// The longest the warm-up waits for frames to come on time.
const SETTLE_LIMIT_MILLIS: f64 = 3000.0;

/// Training work per animation frame: about 70% of a 60 Hz frame, leaving the rest for
/// rendering and input.
pub const SLICE_MILLIS: f64 = 12.0;

/// Where a session stands; shown in `data-testid="status"` by [`RunStatus::label`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunStatus {
    Idle,
    Training,
    Paused,
    Done,
    Error,
}

impl RunStatus {
    pub fn label(self) -> &'static str {
        match self {
            RunStatus::Idle => "idle",
            RunStatus::Training => "training",
            RunStatus::Paused => "paused",
            RunStatus::Done => "done",
            RunStatus::Error => "error",
        }
    }
}

/// How serious a notice is; shown as `data-kind`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NoticeKind {
    Info,
    Warning,
    Error,
}

impl NoticeKind {
    pub fn label(self) -> &'static str {
        match self {
            NoticeKind::Info => "info",
            NoticeKind::Warning => "warning",
            NoticeKind::Error => "error",
        }
    }
}

/// A message to the user about the run: why it stopped, what changed.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub kind: NoticeKind,
    pub text: String,
}

/// What Step runs while paused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum StepSize {
    Batch,
    Epoch,
}

/// Where the current epoch stands, and how fast training goes.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct Progress {
    /// Epochs completed (a run restored from a checkpoint starts past 0).
    pub epochs: usize,
    pub batch: usize,
    pub batches: usize,
    /// Training samples per second over the last stretch, once measured.
    pub samples_per_second: Option<f64>,
    /// Seconds left at that rate.
    pub eta_seconds: Option<f64>,
}

/// The observable state of the current (or last) session. Cheap to copy: all signals.
#[derive(Clone, Copy)]
pub struct Session {
    pub status: RwSignal<RunStatus>,
    /// How many epochs the plan runs.
    pub epochs_total: RwSignal<usize>,
    pub history: RwSignal<Vec<EpochStats>>,
    /// The previous run's history, for comparison.
    pub previous: RwSignal<Vec<EpochStats>>,
    pub progress: RwSignal<Progress>,
    /// Whether the engine has warmed up (see [`Session::warm_up`]).
    pub engine_ready: RwSignal<bool>,
    /// A message for the user: why training stopped or could not start, what changed.
    pub notice: RwSignal<Option<Notice>>,
    /// The model over the input plane, for 2-D datasets, as of the last publish.
    pub field: RwSignal<Option<Field>>,
    /// The data drawn over the field: the run's dataset, when it is 2-D.
    pub points: RwSignal<Option<Dataset>>,
    /// A classifier's confusion matrix, as of the last publish.
    pub confusion: RwSignal<Option<Confusion>>,
    /// The backend training runs on (`data-testid="backend"`).
    pub backend: RwSignal<Backend>,
    /// Where the WebGPU backend stands: detecting, preparing, ready, unavailable, lost.
    pub gpu_state: RwSignal<GpuState>,
    /// The WebGPU device, once started.
    pub(super) gpu: StoredValue<Option<Gpu>, LocalStorage>,
    /// A backend to move the running session to, at its next epoch boundary.
    pub(super) switch_to: RwSignal<Option<Backend>>,
    /// The latest copy of the weights on the CPU: the last checkpoint, or where the run
    /// paused or ended. What the download holds, and where a lost GPU's run goes on from.
    pub(super) snapshot: StoredValue<Option<Snapshot>, LocalStorage>,
    /// The epoch of the checkpoint in browser storage, once one is there.
    pub checkpoint: RwSignal<Option<usize>>,
    /// Why the GPU stopped answering reads, when it did: the run moves to the CPU.
    pub(super) gpu_failure: StoredValue<Option<String>>,
    /// A checkpoint taken (its epoch and stored text) but not yet written to storage:
    /// writes wait for a publish.
    pub(super) checkpoint_due: StoredValue<Option<(usize, String)>>,
    /// Bumped on every start and stop; a loop that sees a newer value than its own ends.
    generation: RwSignal<u64>,
    /// A step asked for while paused.
    step: RwSignal<Option<StepSize>>,
    /// New optimizer settings for the running loop to take at its next step.
    retune: RwSignal<Option<OptimizerPlan>>,
    /// The plan the running session trains, to tell edits it can take from ones it cannot.
    running_plan: StoredValue<Option<TrainingPlan>>,
}

impl Session {
    pub fn new() -> Self {
        Self {
            status: RwSignal::new(RunStatus::Idle),
            epochs_total: RwSignal::new(0),
            history: RwSignal::new(Vec::new()),
            previous: RwSignal::new(Vec::new()),
            progress: RwSignal::new(Progress::default()),
            engine_ready: RwSignal::new(false),
            notice: RwSignal::new(None),
            field: RwSignal::new(None),
            points: RwSignal::new(None),
            confusion: RwSignal::new(None),
            backend: RwSignal::new(Backend::Cpu),
            gpu_state: RwSignal::new(GpuState::Off),
            gpu: StoredValue::new_local(None),
            switch_to: RwSignal::new(None),
            snapshot: StoredValue::new_local(None),
            checkpoint: RwSignal::new(super::checkpoints::stored_epoch()),
            checkpoint_due: StoredValue::new(None),
            gpu_failure: StoredValue::new(None),
            generation: RwSignal::new(0),
            step: RwSignal::new(None),
            retune: RwSignal::new(None),
            running_plan: StoredValue::new(None),
        }
    }

    pub(super) fn say(self, kind: NoticeKind, text: impl Into<String>) {
        self.notice.set(Some(Notice { kind, text: text.into() }));
    }

    /// Shows a notice only if none is showing: for news nobody asked for (the backend found
    /// at start-up), which must not hide a message the user needs (a link that did not open).
    pub(super) fn mention(self, kind: NoticeKind, text: impl Into<String>) {
        if self.notice.read_untracked().is_none() {
            self.say(kind, text);
        }
    }

    /// Compiles `graph` and starts training it from fresh weights, replacing any session in
    /// progress.
    pub fn start(self, graph: &Graph) {
        self.begin(graph, RunStatus::Training);
    }

    /// Starts a session paused, then runs one `size` step of it (Step before Train).
    pub fn start_stepping(self, graph: &Graph, size: StepSize) {
        if self.begin(graph, RunStatus::Paused) {
            self.step.set(Some(size));
        }
    }

    fn begin(self, graph: &Graph, status: RunStatus) -> bool {
        let plan = match compile(graph) {
            Ok(plan) => plan,
            Err(errors) => {
                let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
                self.say(NoticeKind::Error, format!("The graph cannot train yet: {}", lines.join("; ")));
                self.generation.update(|generation| *generation += 1);
                self.status.set(RunStatus::Error);
                return false;
            }
        };
        self.begin_plan(plan, None, status)
    }

    /// Starts training `plan` — from fresh weights, or from `start` (CPU weights after some
    /// epochs) — replacing any session in progress; false when `start` does not fit.
    pub(super) fn begin_plan(
        self,
        plan: TrainingPlan,
        start: Option<(&Mlp, usize)>,
        status: RunStatus,
    ) -> bool {
        let generation = self.generation.get_untracked() + 1;
        self.generation.set(generation);
        self.check_gpu();
        let device = self.device();
        let mut trainer = match start {
            None => Trainer::new(plan.clone(), &device),
            Some((weights, epochs)) => match Trainer::resume(plan.clone(), &device, weights, epochs) {
                Ok(trainer) => trainer,
                Err(error) => {
                    self.say(NoticeKind::Error, error.to_string());
                    return false;
                }
            },
        };
        self.apply_precision(&mut trainer);
        // A real run supersedes any warm-up (which then stops).
        self.engine_ready.set(true);
        self.epochs_total.set(plan.tracker.epochs);
        let last_run = self.history.try_update(std::mem::take).unwrap_or_default();
        if !last_run.is_empty() {
            self.previous.set(last_run);
        }
        self.progress.set(Progress { epochs: trainer.epochs_done(), ..Progress::default() });
        self.notice.set(None);
        self.step.set(None);
        self.retune.set(None);
        self.running_plan.set_value(Some(plan.clone()));
        self.points.set((plan.network.in_shape == [POINT_FEATURES]).then(|| plan.dataset.generate()));
        self.field.set(None);
        self.confusion.set(None);
        self.switch_to.set(None);
        self.status.set(status);
        spawn_local(self.run(trainer, generation));
        true
    }

    /// Pauses the running session after its current batch.
    pub fn pause(self) {
        if self.status.get_untracked() == RunStatus::Training {
            self.status.set(RunStatus::Paused);
        }
    }

    pub fn resume(self) {
        if self.status.get_untracked() == RunStatus::Paused {
            self.status.set(RunStatus::Training);
        }
    }

    /// Runs one batch or one epoch of the paused session.
    pub fn step(self, size: StepSize) {
        if self.status.get_untracked() == RunStatus::Paused {
            self.step.set(Some(size));
        }
    }

    /// Stops the session and clears its history and progress: back to a fresh start.
    pub fn reset(self) {
        self.generation.update(|generation| *generation += 1);
        self.running_plan.set_value(None);
        self.history.set(Vec::new());
        self.progress.set(Progress::default());
        self.notice.set(None);
        self.field.set(None);
        self.points.set(None);
        self.confusion.set(None);
        self.status.set(RunStatus::Idle);
    }

    /// Tells the running session that the graph now compiles to `plan` (or does not compile):
    /// optimizer settings (learning rate, momentum, …) apply from the next step; any other
    /// change stops the run, with a notice, so it never mixes two graphs.
    pub fn graph_changed(self, plan: Option<&TrainingPlan>) {
        if !matches!(self.status.get_untracked(), RunStatus::Training | RunStatus::Paused) {
            return;
        }
        let Some(running) = self.running_plan.get_value() else { return };
        if plan == Some(&running) {
            return;
        }
        match plan.and_then(|plan| running.retuned_optimizer(plan)) {
            Some(optimizer) => {
                self.retune.set(Some(optimizer));
                if let Some(plan) = plan {
                    self.running_plan.set_value(Some(plan.clone()));
                }
                let text = if running.optimizer.only_learning_rate_differs(&optimizer) {
                    format!(
                        "The new learning rate ({}) applies from the next step; the optimizer keeps its state.",
                        optimizer.learning_rate()
                    )
                } else {
                    format!(
                        "New optimizer settings (learning rate {}) apply from the next step; the optimizer's \
                         state (momentum buffers, Adam's moments) starts afresh.",
                        optimizer.learning_rate()
                    )
                };
                self.say(NoticeKind::Info, text);
            }
            None => {
                self.stop();
                self.say(
                    NoticeKind::Warning,
                    "Training stopped: the graph changed in a way a running session cannot take \
                     (only optimizer settings such as the learning rate can change mid-run). Press Train to \
                     start again with the new graph.",
                );
            }
        }
    }

    /// Warms the engine up in the background: trains a throwaway copy of `graph` for
    /// [`WARM_UP_EPOCHS`] epochs in small slices, waits for frames to come on time again,
    /// then sets `engine_ready`.
    ///
    /// The browser compiles hot WebAssembly functions again, optimised, in background threads
    /// once they have run a while. During a first run that compilation competed with
    /// rendering for the CPU and frames came up to 230 ms apart on 2 cores; after a warm-up
    /// they come every 17 ms. Stops early (still marking the engine ready) when a real
    /// session starts.
    ///
    /// `then` runs once the warm-up has finished uninterrupted (the `?autorun` start).
    pub fn warm_up(self, graph: &Graph, then: Option<Callback<()>>) {
        let Ok(mut plan) = compile(graph) else {
            self.engine_ready.set(true);
            if let Some(then) = then {
                then.run(());
            }
            return;
        };
        plan.tracker.epochs = WARM_UP_EPOCHS;
        plan.tracker.early_stopping = None;
        let generation = self.generation.get_untracked();
        spawn_local(async move {
            let mut trainer = Trainer::new(plan, &cpu_device());
            let mut slice_start = now_millis();
            let mut epochs = Vec::new();
            while !trainer.is_finished() && self.is_current(generation) {
                // The same path as a real run's, so that it is the one compiled hot: training,
                // and what each publish computes and draws.
                if trainer.train_batch_checked().await.is_err() {
                    break;
                }
                if trainer.epoch_batches_done() {
                    let Ok(stats) = trainer.finish_epoch().await else { break };
                    epochs.push(stats);
                    if let Ok(Some(field)) = trainer.field(FIELD_RESOLUTION).await {
                        let _ = super::boundary::pixels(&field);
                    }
                    let _ = trainer.confusion().await;
                    super::plot::warm_up(&epochs);
                    yield_to_next_frame().await;
                    slice_start = now_millis();
                }
                if now_millis() - slice_start >= WARM_UP_SLICE_MILLIS {
                    yield_to_next_frame().await;
                    slice_start = now_millis();
                }
            }
            if self.is_current(generation) {
                settle().await;
            }
            self.engine_ready.set(true);
            if let Some(then) = then.filter(|_| self.is_current(generation)) {
                then.run(());
            }
        });
    }

    /// Epochs completed in the current (or last) session: the last one shown.
    pub fn epochs_done(self) -> usize {
        let shown = self.history.read().last().map_or(0, |stats| stats.epoch);
        shown.max(self.progress.read().epochs)
    }

    /// Shows `epochs` as the run's length while no session is training.
    pub fn show_planned_epochs(self, epochs: usize) {
        if self.status.get_untracked() != RunStatus::Training {
            self.epochs_total.set(epochs);
        }
    }

    /// Stops the session in progress; its history stays on screen.
    pub fn stop(self) {
        self.generation.update(|generation| *generation += 1);
        self.running_plan.set_value(None);
        if matches!(self.status.get_untracked(), RunStatus::Training | RunStatus::Paused) {
            self.status.set(RunStatus::Idle);
        }
    }

    fn is_current(self, generation: u64) -> bool {
        self.generation.get_untracked() == generation
    }

    async fn run(self, mut trainer: Trainer, generation: u64) {
        let mut unpublished = Vec::new();
        let mut slice_start = now_millis();
        let mut published_at = slice_start;
        let mut rate = Rate::new(slice_start);
        // Whether the weights were copied since the run last paused.
        let mut paused_copy_taken = false;
        while !trainer.is_finished() {
            if !self.is_current(generation) {
                self.write_checkpoint();
                return;
            }
            self.relocate(&mut trainer, &mut unpublished).await;
            if self.retune.with_untracked(Option::is_some)
                && let Some(optimizer) = self.retune.try_update(Option::take).flatten()
                && let Err(reason) = trainer.retune(optimizer)
            {
                self.say(NoticeKind::Warning, reason);
            }
            if self.status.get_untracked() == RunStatus::Paused {
                let requested = self.step.with_untracked(Option::is_some);
                let Some(size) = requested.then(|| self.step.try_update(Option::take).flatten()).flatten()
                else {
                    self.publish(&mut unpublished, &trainer, None);
                    if !paused_copy_taken {
                        paused_copy_taken = true;
                        self.take_snapshot(&trainer).await;
                    }
                    yield_to_next_frame().await;
                    slice_start = now_millis();
                    rate = Rate::new(slice_start);
                    continue;
                };
                loop {
                    if !self.run_batch(&mut trainer, &mut unpublished).await {
                        return;
                    }
                    if size == StepSize::Batch || trainer.batches_done() == 0 || trainer.is_finished() {
                        break;
                    }
                    if now_millis() - slice_start >= SLICE_MILLIS {
                        yield_to_next_frame().await;
                        slice_start = now_millis();
                        if !self.is_current(generation) {
                            return;
                        }
                    }
                }
                self.publish(&mut unpublished, &trainer, None);
                self.refresh_views(&trainer).await;
                paused_copy_taken = false;
                continue;
            }
            paused_copy_taken = false;
            let batch_size = trainer.plan().sampler.batch_size;
            if !self.run_batch(&mut trainer, &mut unpublished).await {
                return;
            }
            rate.samples += batch_size;
            if now_millis() - slice_start >= SLICE_MILLIS {
                yield_to_next_frame().await;
                slice_start = now_millis();
                // Stop or Reset may have come while the frame was painted: publish nothing then.
                if !self.is_current(generation) {
                    self.write_checkpoint();
                    return;
                }
                // Publishing (charts, decision boundary, confusion matrix) opens a slice and
                // counts against its budget, so it never stacks on a full slice of training.
                if slice_start - published_at >= PUBLISH_MILLIS {
                    self.publish(&mut unpublished, &trainer, rate.per_second(slice_start));
                    self.refresh_views(&trainer).await;
                    rate = Rate::new(slice_start);
                    published_at = slice_start;
                }
            }
        }
        if self.is_current(generation) {
            self.take_snapshot(&trainer).await;
            self.publish(&mut unpublished, &trainer, None);
            self.refresh_views(&trainer).await;
            self.running_plan.set_value(None);
            self.status.set(RunStatus::Done);
            if trainer.stopped_early() {
                self.say(
                    NoticeKind::Info,
                    format!(
                        "Stopped early after epoch {}: the monitored metric stopped improving.",
                        trainer.epochs_done()
                    ),
                );
            }
        }
    }

    /// Evaluates the model for the views: the decision boundary (2-D data) and the confusion
    /// matrix (classifiers).
    async fn refresh_views(self, trainer: &Trainer) {
        if self.points.with_untracked(Option::is_some)
            && let Ok(Some(field)) = trainer.field(FIELD_RESOLUTION).await
        {
            self.field.set(Some(field));
        }
        if let Ok(Some(confusion)) = trainer.confusion().await {
            self.confusion.set(Some(confusion));
        }
    }

    /// Runs one batch, and closes the epoch when it was the last; false when training failed
    /// (the notice says why) and the loop must end.
    async fn run_batch(self, trainer: &mut Trainer, unpublished: &mut Vec<EpochStats>) -> bool {
        // The CPU backend reads each batch's loss back at no real cost: divergence is caught
        // within one step, and the run pauses on the last good weights. On WebGPU a read
        // stalls the queue, so the loss is read every EpochTracker log_interval steps (and
        // with the epoch's metrics).
        let log_interval = trainer.plan().tracker.log_interval.max(1);
        let checked =
            self.backend.get_untracked() == Backend::Cpu || trainer.steps().is_multiple_of(log_interval);
        let result = if checked {
            trainer.train_batch_checked().await
        } else {
            trainer.train_batch();
            Ok(())
        };
        if let Err(error) = result {
            if self.gpu_failed(&error) {
                return true;
            }
            self.publish(unpublished, trainer, None);
            self.say(NoticeKind::Error, error.to_string());
            if matches!(error, TrainError::NonFiniteLoss { .. }) {
                self.status.set(RunStatus::Paused);
                return true;
            }
            self.running_plan.set_value(None);
            self.status.set(RunStatus::Error);
            return false;
        }
        if !trainer.epoch_batches_done() {
            return true;
        }
        match trainer.finish_epoch().await {
            Ok(stats) => {
                unpublished.push(stats);
                let save_interval = trainer.plan().tracker.save_interval.max(1);
                if trainer.epochs_done().is_multiple_of(save_interval) {
                    self.take_snapshot(trainer).await;
                    self.queue_checkpoint();
                }
                true
            }
            Err(error @ TrainError::Diverged { .. }) => {
                // Back on the last weights known good: the user can lower the rate and resume.
                self.publish(unpublished, trainer, None);
                self.say(NoticeKind::Error, error.to_string());
                self.status.set(RunStatus::Paused);
                true
            }
            Err(error) if self.gpu_failed(&error) => true,
            Err(error) => {
                self.publish(unpublished, trainer, None);
                self.running_plan.set_value(None);
                self.say(NoticeKind::Error, error.to_string());
                self.status.set(RunStatus::Error);
                false
            }
        }
    }

    /// Moves finished epochs and the progress into the signals the page shows; `rate` is the
    /// latest samples per second, if measured.
    fn publish(self, epochs: &mut Vec<EpochStats>, trainer: &Trainer, rate: Option<f64>) {
        self.write_checkpoint();
        if !epochs.is_empty() {
            self.history.update(|history| history.append(epochs));
        }
        let batches = trainer.batches_per_epoch();
        let epochs_left = trainer.plan().tracker.epochs.saturating_sub(trainer.epochs_done());
        let samples_left = (epochs_left * batches).saturating_sub(trainer.batches_done())
            * trainer.plan().sampler.batch_size;
        let previous = self.progress.get_untracked();
        let rate = rate.or(previous.samples_per_second);
        let progress = Progress {
            epochs: trainer.epochs_done(),
            batch: trainer.batches_done(),
            batches,
            samples_per_second: rate,
            eta_seconds: rate
                .filter(|rate| *rate > 0.0)
                .map(|rate| samples_left.min(trainer.train_samples() * epochs_left) as f64 / rate),
        };
        if progress != previous {
            self.progress.set(progress);
        }
    }
}

/// Samples trained since a moment, for samples per second.
struct Rate {
    since: f64,
    samples: usize,
}

impl Rate {
    fn new(since: f64) -> Self {
        Self { since, samples: 0 }
    }

    fn per_second(&self, now: f64) -> Option<f64> {
        let seconds = (now - self.since) / 1000.0;
        (seconds > 0.0 && self.samples > 0).then(|| self.samples as f64 / seconds)
    }
}

/// Waits until frames come on time again — [`SETTLED_FRAMES`] in a row, each within
/// [`LATE_FRAME_MILLIS`] — so that the background compilation the warm-up set off has
/// finished; gives up after [`SETTLE_LIMIT_MILLIS`].
async fn settle() {
    let started = now_millis();
    let mut on_time = 0;
    while on_time < SETTLED_FRAMES && now_millis() - started < SETTLE_LIMIT_MILLIS {
        let before = now_millis();
        yield_to_next_frame().await;
        on_time = if now_millis() - before <= LATE_FRAME_MILLIS { on_time + 1 } else { 0 };
    }
}

impl Default for Session {
    fn default() -> Self {
        Self::new()
    }
}
