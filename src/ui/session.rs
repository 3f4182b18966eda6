//! The training session as the page sees it: status, progress and history as signals, and
//! the task that advances the core's [`Run`] between animation frames and shows what it
//! reports.
//!
//! How a run goes — checked batches, checkpoints, retuning, moves between backends, the GPU
//! failing, early stopping — is `core::run`'s. Here: the user's commands are handed to the
//! run, it advances for at most [`SLICE_MILLIS`] at a time, the page yields until the next
//! frame has been painted (`web::tick`), and every [`PUBLISH_MILLIS`] the new epochs and the
//! progress are shown. The views (decision boundary, confusion matrix) refresh a piece at a
//! time after a slice, as often as their budget allows (`core::view_budget`: at most a fifth
//! of the time), and once more when the run ends or pauses.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::backend::Backends;
use super::checkpoints::Checkpoints;
use super::notices::{NoticeKind, Notices};
use super::runs::{KEPT_RUNS, PastRun};
use crate::core::compile::compile;
use crate::core::confusion::Confusion;
use crate::core::dataset::{Dataset, POINT_FEATURES};
use crate::core::device::{Backend, cpu_device};
use crate::core::field::Field;
use crate::core::graph::Graph;
use crate::core::params::LayerSpec;
use crate::core::plan::TrainingPlan;
use crate::core::run::{Event, Resume, Run, RunStart, RunState, StepSize};
use crate::core::step_log::{StepHistory, StepLog};
use crate::core::templates::basic_loop;
use crate::core::train::{EpochStats, Retune};
use crate::core::train_state::{Afresh, TrainerState};
use crate::core::view_budget::ViewBudget;
use crate::core::view_refresh::ViewRefresh;
use crate::core::weights;
use crate::web::clock::{PageHost, now_millis};
use crate::web::tick::yield_to_next_frame;

/// How often the page shows new epochs: often enough to look live, rarely enough that
/// redrawing the charts costs little next to training.
pub const PUBLISH_MILLIS: f64 = 100.0;

pub(super) use crate::core::field::FIELD_RESOLUTION;

/// Epochs of the throwaway warm-up run of the page's graph.
pub const WARM_UP_EPOCHS: usize = 30;

/// Batches of the warm-up's wide network (two hidden layers of [`WARM_UP_WIDTH`]), one per
/// frame: wide layers take matrix-product paths a small graph never runs.
const WARM_UP_WIDE_BATCHES: usize = 4;

/// The width of the warm-up's wide network's hidden layers.
const WARM_UP_WIDTH: usize = 256;

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
    /// Seconds spent training so far (pauses and the page's own work left out).
    pub trained_seconds: f64,
}

/// The observable state of the current (or last) session. Cheap to copy: all signals.
#[derive(Clone, Copy)]
pub struct Session {
    pub status: RwSignal<RunStatus>,
    /// How many epochs the plan runs.
    pub epochs_total: RwSignal<usize>,
    pub history: RwSignal<Vec<EpochStats>>,
    /// EpochTracker's step-level logs of the current (or last) run: the running loss and
    /// each update's gradient norm.
    pub steps: RwSignal<StepHistory>,
    /// Logs not yet published.
    unpublished_logs: StoredValue<Vec<StepLog>>,
    /// The last few runs before this one, with their graphs, oldest first.
    pub runs: RwSignal<Vec<PastRun>>,
    /// The number the current (or last) run has; the first is 1.
    pub run_number: RwSignal<usize>,
    /// The graph the current (or last) run trains.
    run_graph: StoredValue<Option<Graph>>,
    /// Milliseconds the current run has trained.
    trained_millis: StoredValue<f64>,
    pub progress: RwSignal<Progress>,
    /// Whether the engine has warmed up (see [`Session::warm_up`]).
    pub engine_ready: RwSignal<bool>,
    /// The model over the input plane, for 2-D datasets, as of the last publish.
    pub field: RwSignal<Option<Field>>,
    /// The data drawn over the field: the run's dataset, when it is 2-D.
    pub points: RwSignal<Option<Dataset>>,
    /// A classifier's confusion matrix, as of the last publish.
    pub confusion: RwSignal<Option<Confusion>>,
    /// The classes' names, where the data names them (a CSV's target values); else empty.
    pub class_names: RwSignal<Vec<String>>,
    /// The backends, and which one trains.
    pub backends: Backends,
    /// The latest weights and the checkpoint in storage.
    pub checkpoints: Checkpoints,
    /// Messages to the user.
    pub notices: Notices,
    /// The run task is holding a paused run: nothing trains until a command comes
    /// (`data-held` on the status, which tests wait on).
    pub held: RwSignal<bool>,
    /// Run tasks alive: 0 once a stopped run's task has ended (`data-tasks` on the status).
    pub tasks: RwSignal<usize>,
    /// Bumped on every start and stop; a run task that sees a newer value than its own ends.
    generation: RwSignal<u64>,
    /// A step asked for while paused, for the run task to hand on.
    step: StoredValue<Option<StepSize>>,
    /// The graph was edited during the run: what it compiles to now (`None`: it does not
    /// compile), for the run task to hand on.
    edited: StoredValue<Option<Option<TrainingPlan>>>,
    /// Whether the views refresh while training (`?views=off`: only when a run pauses or
    /// ends, to time the engine alone).
    live_views: StoredValue<bool>,
}

impl Session {
    pub fn new(notices: Notices) -> Self {
        Self {
            status: RwSignal::new(RunStatus::Idle),
            epochs_total: RwSignal::new(0),
            history: RwSignal::new(Vec::new()),
            steps: RwSignal::new(StepHistory::default()),
            unpublished_logs: StoredValue::new(Vec::new()),
            runs: RwSignal::new(Vec::new()),
            run_number: RwSignal::new(0),
            run_graph: StoredValue::new(None),
            trained_millis: StoredValue::new(0.0),
            progress: RwSignal::new(Progress::default()),
            engine_ready: RwSignal::new(false),
            field: RwSignal::new(None),
            points: RwSignal::new(None),
            confusion: RwSignal::new(None),
            class_names: RwSignal::new(Vec::new()),
            backends: Backends::new(notices),
            checkpoints: Checkpoints::new(notices),
            notices,
            held: RwSignal::new(false),
            tasks: RwSignal::new(0),
            generation: RwSignal::new(0),
            step: StoredValue::new(None),
            edited: StoredValue::new(None),
            live_views: StoredValue::new(true),
        }
    }

    /// Refreshes the views only when a run pauses or ends, not while it trains.
    pub fn views_only_when_stopped(self) {
        self.live_views.set_value(false);
    }

    /// Whether a run is under way (training or paused), now.
    pub fn running(self) -> bool {
        matches!(self.status.get_untracked(), RunStatus::Training | RunStatus::Paused)
    }

    /// Compiles `graph` and starts training it from fresh weights, replacing any session in
    /// progress.
    pub fn start(self, graph: &Graph) {
        self.begin(graph, RunStatus::Training);
    }

    /// Starts a session paused, then runs one `size` step of it (Step before Train).
    pub fn start_stepping(self, graph: &Graph, size: StepSize) {
        if self.begin(graph, RunStatus::Paused) {
            self.step.set_value(Some(size));
        }
    }

    fn begin(self, graph: &Graph, status: RunStatus) -> bool {
        let plan = match compile(graph) {
            Ok(plan) => plan,
            Err(errors) => {
                let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
                self.notices
                    .say(NoticeKind::Error, format!("The graph cannot train yet: {}", lines.join("; ")));
                self.generation.update(|generation| *generation += 1);
                self.status.set(RunStatus::Error);
                return false;
            }
        };
        self.begin_plan(plan, graph, None, status).is_some()
    }

    /// Starts training `plan` — from fresh weights, or from `from` (CPU weights after some
    /// epochs, and where that run stood) — replacing any session in progress; `None` when
    /// `from` does not fit, else what of `from`'s state started afresh.
    fn begin_plan(
        self,
        plan: TrainingPlan,
        graph: &Graph,
        from: Option<Resume>,
        status: RunStatus,
    ) -> Option<Afresh> {
        let generation = self.generation.get_untracked() + 1;
        self.generation.set(generation);
        self.backends.check_lost();
        let start = RunStart { from, paused: status == RunStatus::Paused, ..self.backends.run_start() };
        let run = match Run::start(plan.clone(), start) {
            Ok(run) => run,
            Err(error) => {
                self.notices.say(NoticeKind::Error, error.to_string());
                return None;
            }
        };
        let afresh = run.afresh().clone();
        if let Some(copy) = run.copy() {
            self.checkpoints.keep(copy.clone());
        }
        // A real run supersedes any warm-up (which then stops).
        self.engine_ready.set(true);
        self.epochs_total.set(plan.tracker.epochs);
        let last_run = self.history.try_update(std::mem::take).unwrap_or_default();
        if !last_run.is_empty() {
            let kept = PastRun {
                number: self.run_number.get_untracked(),
                graph: self.run_graph.get_value().unwrap_or_default(),
                epochs: last_run,
                trained_seconds: self.trained_millis.get_value() / 1000.0,
                shown: true,
            };
            self.runs.update(|runs| {
                runs.push(kept);
                let over = runs.len().saturating_sub(KEPT_RUNS);
                runs.drain(..over);
            });
        }
        self.clear_steps();
        self.run_number.update(|number| *number += 1);
        self.run_graph.set_value(Some(graph.clone()));
        self.trained_millis.set_value(0.0);
        self.progress.set(Progress { epochs: run.trainer().epochs_done(), ..Progress::default() });
        self.notices.clear();
        self.step.set_value(None);
        self.edited.set_value(None);
        self.points.set((plan.network.in_shape == [POINT_FEATURES]).then(|| plan.dataset.generate()));
        self.class_names.set(plan.dataset.csv.as_ref().map(|csv| csv.labels.clone()).unwrap_or_default());
        self.field.set(None);
        self.confusion.set(None);
        self.backends.switch_to.set(None);
        self.status.set(status);
        self.tasks.update(|tasks| *tasks += 1);
        spawn_local(async move {
            // The first slice waits for the next frame: run in the click's task (as a
            // microtask), it stacked on the click's own re-rendering into one long task.
            yield_to_next_frame().await;
            self.drive(run, generation).await;
            self.held.set(false);
            self.tasks.update(|tasks| *tasks = tasks.saturating_sub(1));
        });
        Some(afresh)
    }

    /// Starts a paused session of `graph` from `bytes` (burn's record format) after `epoch`
    /// epochs and, with `state`, exactly where that run stood (a checkpoint); `from` names
    /// where they came from, for the notice.
    pub(super) fn start_from_weights(
        self,
        graph: &Graph,
        bytes: &[u8],
        epoch: usize,
        state: Option<TrainerState>,
        from: &str,
    ) {
        let plan = match compile(graph) {
            Ok(plan) => plan,
            Err(errors) => {
                let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
                return self.notices.say(
                    NoticeKind::Error,
                    format!("Cannot load {from}: the graph cannot train yet: {}", lines.join("; ")),
                );
            }
        };
        let loaded = match weights::from_bytes(bytes, &plan.network, &cpu_device()) {
            Ok(loaded) => loaded,
            Err(error) => {
                return self.notices.say(
                    NoticeKind::Error,
                    format!(
                        "Cannot load {from}: {error} (this graph's Network is {}).",
                        plan.network.describe()
                    ),
                );
            }
        };
        let exact = state.is_some();
        let resume = Resume { weights: loaded, epoch, state };
        let Some(afresh) = self.begin_plan(plan, graph, Some(resume), RunStatus::Paused) else { return };
        let carried = match (exact, afresh.is_empty()) {
            (false, _) if epoch > 0 => {
                " It holds the weights alone (an earlier Kindling's): the optimizer's state and the batch order start afresh."
                    .to_owned()
            }
            (false, _) => String::new(),
            (true, true) => " The run goes on exactly where it stood: the optimizer's state, the batch order and the schedule came along.".to_owned(),
            (true, false) => format!(" The graph changed since: {}.", afresh.describe()),
        };
        self.notices.say(
            NoticeKind::Info,
            format!("Loaded {from}.{carried} Press Resume to train on from there, or Step."),
        );
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
            self.step.set_value(Some(size));
        }
    }

    /// Stops the session and clears its history and progress: back to a fresh start.
    pub fn reset(self) {
        self.generation.update(|generation| *generation += 1);
        self.history.set(Vec::new());
        self.clear_steps();
        self.progress.set(Progress::default());
        self.notices.clear();
        self.field.set(None);
        self.points.set(None);
        self.confusion.set(None);
        self.status.set(RunStatus::Idle);
    }

    /// Stops the session in progress; its history stays on screen.
    pub fn stop(self) {
        self.generation.update(|generation| *generation += 1);
        if matches!(self.status.get_untracked(), RunStatus::Training | RunStatus::Paused) {
            self.status.set(RunStatus::Idle);
        }
    }

    /// Tells the running session that the graph now compiles to `plan` (or does not compile):
    /// the run decides at its next step whether it can take the change (`core::run`).
    pub fn graph_changed(self, plan: Option<&TrainingPlan>) {
        if matches!(self.status.get_untracked(), RunStatus::Training | RunStatus::Paused) {
            self.edited.set_value(Some(plan.cloned()));
        }
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

    fn is_current(self, generation: u64) -> bool {
        self.generation.get_untracked() == generation
    }

    /// At page load: starts the backend `requested` (`?backend=`), or WebGPU where the
    /// browser has it, and warms the engine up on the default graph (never the user's: one
    /// from a link could be far larger, and this runs at every load); then runs `then`
    /// (`?autorun`).
    pub fn start_up(self, requested: Option<Backend>, then: Option<Callback<()>>) {
        let graph = basic_loop();
        if requested == Some(Backend::Cpu) {
            self.warm_up(&graph, then);
            return;
        }
        spawn_local(async move {
            if self.backends.enable_webgpu(requested.is_some()).await {
                self.backends.switch(Backend::WebGpu, self.running());
                self.engine_ready.set(true);
                if let Some(then) = then {
                    then.run(());
                }
            } else {
                self.warm_up(&graph, then);
            }
        });
    }

    /// Warms the engine up in the background: trains a throwaway copy of `graph` (the
    /// default graph, see [`Session::start_up`]) for
    /// [`WARM_UP_EPOCHS`] epochs in small slices, computing and drawing what each publish
    /// shows once per epoch, waits for frames to come on time again, then sets `engine_ready`.
    ///
    /// The browser compiles hot WebAssembly functions again, optimised, in background threads
    /// once they have run a while. During a first run that compilation competed with
    /// rendering for the CPU and frames came up to 230 ms apart on 2 cores; after a warm-up
    /// they come every 17 ms. Stops early (still marking the engine ready) when a real
    /// session starts.
    ///
    /// `then` runs once the warm-up has finished uninterrupted (the `?autorun` start).
    pub fn warm_up(self, graph: &Graph, then: Option<Callback<()>>) {
        let plan = compile(graph).ok().map(|mut plan| {
            plan.tracker.epochs = WARM_UP_EPOCHS;
            plan.tracker.early_stopping = None;
            // The step log's reads and charts warm up too.
            plan.tracker.step_log = true;
            plan.tracker.log_interval = plan.tracker.log_interval.min(10);
            plan
        });
        let wide = plan
            .as_ref()
            .and_then(|plan| Run::start(widened(plan), RunStart::new(cpu_device(), Backend::Cpu)).ok());
        let run = plan.and_then(|plan| Run::start(plan, RunStart::new(cpu_device(), Backend::Cpu)).ok());
        let Some(mut run) = run else {
            self.engine_ready.set(true);
            if let Some(then) = then {
                then.run(());
            }
            return;
        };
        let generation = self.generation.get_untracked();
        spawn_local(async move {
            // A batch per frame (a deadline already passed): the first run of wide layers'
            // code is slow until the browser has compiled it optimised.
            if let Some(mut wide) = wide {
                while wide.trainer().steps() < WARM_UP_WIDE_BATCHES
                    && wide.state() == RunState::Training
                    && self.is_current(generation)
                {
                    wide.advance(now_millis(), &PageHost).await;
                    yield_to_next_frame().await;
                }
                // And a piece of its views: evaluation, a frame of its own.
                if let Some(mut refresh) = wide.trainer().view_refresh(Some(FIELD_RESOLUTION), true) {
                    let _ = refresh.piece().await;
                    yield_to_next_frame().await;
                }
            }
            let mut epochs = Vec::new();
            let mut steps = StepHistory::default();
            // The same path as a real run's, so that it is the one compiled hot: training,
            // and what each publish computes and draws.
            while run.state() == RunState::Training && self.is_current(generation) {
                let events = run.advance(now_millis() + WARM_UP_SLICE_MILLIS, &PageHost).await;
                for event in events {
                    if let Event::Log(log) = &event {
                        steps.push(log);
                        super::step_charts::warm_up(&steps);
                    }
                    if let Event::Epoch(stats) = event {
                        epochs.push(stats);
                        if let Some(mut refresh) = run.trainer().view_refresh(Some(FIELD_RESOLUTION), true)
                            && refresh.finish().await.is_ok()
                            && let Some(field) = refresh.field()
                        {
                            let _ = super::boundary::pixels(&field);
                        }
                        super::plot::warm_up(&epochs);
                    }
                }
                yield_to_next_frame().await;
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

    /// Drives `run` until it is over or a newer session replaces it: hands on the user's
    /// commands, advances it a slice at a time, yields a frame between slices, publishes,
    /// and refreshes the views a piece at a time within their budget.
    async fn drive(self, mut run: Run, generation: u64) {
        let mut unpublished = Vec::new();
        let mut slice_start = now_millis();
        let mut published_at = slice_start;
        let mut rate = Rate::new(slice_start, run.samples_trained());
        let mut budget = ViewBudget::new();
        let mut refresh: Option<ViewRefresh> = None;
        loop {
            if !self.is_current(generation) {
                self.checkpoints.write_due();
                return;
            }
            self.hand_on_commands(&mut run);
            if !self.is_current(generation) {
                self.checkpoints.write_due();
                return;
            }
            if self.held.get_untracked() && (run.state() != RunState::Paused || run.is_stepping()) {
                self.held.set(false);
            }
            let events = run.advance(slice_start + SLICE_MILLIS, &PageHost).await;
            let trained = now_millis() - slice_start;
            budget.trained(trained);
            // A held run's advance returns at once: the pause adds nothing.
            self.trained_millis.update_value(|millis| *millis += trained);
            let stepped = self.show(events, &mut unpublished, run.trainer().batches_per_epoch());
            if run.is_over() {
                if self.is_current(generation) {
                    self.finish(&run, &mut unpublished, generation).await;
                }
                return;
            }
            if run.state() == RunState::Paused && !run.is_stepping() {
                self.publish(&mut unpublished, &run, None);
                if stepped {
                    self.refresh_views(&run, generation).await;
                }
                if !self.held.get_untracked() {
                    self.held.set(true);
                }
                yield_to_next_frame().await;
                slice_start = now_millis();
                rate = Rate::new(slice_start, run.samples_trained());
                (budget, refresh) = (ViewBudget::new(), None);
                continue;
            }
            if now_millis() - slice_start >= SLICE_MILLIS {
                // A piece of the views' refresh, in the frame of the slice before it.
                if let Some(pending) = refresh.as_mut()
                    && budget.piece_allowed()
                {
                    let began = now_millis();
                    let done = pending.piece().await;
                    budget.viewed(now_millis() - began);
                    match done {
                        Ok(true) => {
                            if let Some(done) = refresh.take() {
                                self.show_views(&done);
                            }
                        }
                        Ok(false) => {}
                        Err(_) => refresh = None,
                    }
                }
                yield_to_next_frame().await;
                slice_start = now_millis();
                // Stop or Reset may have come while the frame was painted: publish nothing then.
                if !self.is_current(generation) {
                    self.checkpoints.write_due();
                    return;
                }
                // Publishing (the charts) opens a slice and counts against its budget, so it
                // never stacks on a full slice of training.
                if slice_start - published_at >= PUBLISH_MILLIS {
                    let per_second = rate.per_second(slice_start, run.samples_trained());
                    self.publish(&mut unpublished, &run, per_second);
                    if refresh.is_none() && self.live_views.get_value() && budget.begin_refresh(slice_start) {
                        refresh = self.views_of(&run);
                    }
                    rate = Rate::new(slice_start, run.samples_trained());
                    published_at = slice_start;
                }
            }
        }
    }

    /// Hands the user's commands to `run`: pause or resume, a step, an edited graph, a move
    /// to another backend.
    fn hand_on_commands(self, run: &mut Run) {
        match self.status.get_untracked() {
            RunStatus::Training => run.resume(),
            RunStatus::Paused => run.pause(),
            RunStatus::Idle | RunStatus::Done | RunStatus::Error => {}
        }
        if let Some(size) = self.step.try_update_value(Option::take).flatten() {
            run.step(size);
        }
        if let Some(edited) = self.edited.try_update_value(Option::take).flatten() {
            let answer = edited.as_ref().map_or(Retune::Restart, |plan| run.retune(plan));
            self.say_retune(answer);
        }
        if let Some(target) = self.backends.switch_to.get_untracked() {
            match self.backends.device(target) {
                _ if target == run.backend() => self.backends.switch_to.set(None),
                Some(device) if run.moving_to() != Some(target) => {
                    run.move_to(device, target, self.backends.f16(target));
                }
                Some(_) => {}
                None => self.backends.switch_to.set(None),
            }
        }
    }

    /// Words what an edit made of the run; stops it when it cannot take the edit.
    fn say_retune(self, answer: Retune) {
        match answer {
            Retune::Unchanged => {}
            Retune::LearningRate(learning_rate) => self.notices.say(
                NoticeKind::Info,
                format!(
                    "The new learning rate ({learning_rate}) applies from the next step; the optimizer keeps its state."
                ),
            ),
            Retune::FreshOptimizerState(learning_rate) => self.notices.say(
                NoticeKind::Info,
                format!(
                    "New optimizer settings (learning rate {learning_rate}) apply from the next step; the optimizer's \
                     state (momentum buffers, Adam's moments) starts afresh."
                ),
            ),
            Retune::Restart => {
                self.stop();
                self.notices.say(
                    NoticeKind::Warning,
                    "Training stopped: the graph changed in a way a running session cannot take \
                     (only optimizer settings such as the learning rate can change mid-run). Press Train to \
                     start again with the new graph.",
                );
            }
        }
    }

    /// Shows what the run reported; true when a step asked for has run (the views then
    /// refresh).
    fn show(self, events: Vec<Event>, unpublished: &mut Vec<EpochStats>, batches_per_epoch: usize) -> bool {
        let mut stepped = false;
        for event in events {
            match event {
                Event::Epoch(stats) => unpublished.push(stats),
                Event::Log(log) => self.unpublished_logs.update_value(|logs| logs.push(log)),
                Event::Finished => {}
                Event::CheckpointDue(copy) => self.checkpoints.queue(copy),
                Event::Copied(copy) => self.checkpoints.keep(copy),
                Event::Diverged(error) => {
                    // Back on the last weights known good: the user can lower the rate and resume.
                    self.checkpoints.write_due();
                    self.history.update(|history| history.append(unpublished));
                    self.notices.say(NoticeKind::Error, error.to_string());
                    self.status.set(RunStatus::Paused);
                }
                Event::Stepped => stepped = true,
                Event::Moved { backend, epoch, afresh } => self.backends.moved(backend, epoch, &afresh),
                Event::MoveRefused { reason } => self.backends.move_refused(&reason),
                Event::DeviceFailed { failure, resumed_from } => {
                    self.backends.failed(failure, resumed_from);
                    // The charts keep the epochs up to the copy, published or not, and drop the rest.
                    self.history.update(|history| {
                        history.append(unpublished);
                        history.retain(|stats| stats.epoch <= resumed_from);
                    });
                    self.publish_logs();
                    let steps = resumed_from * batches_per_epoch;
                    self.steps.update(|history| history.truncate_after(steps));
                }
                Event::StoppedEarly { epoch } => {
                    self.checkpoints.write_due();
                    self.notices.say(
                        NoticeKind::Info,
                        format!("Stopped early after epoch {epoch}: the monitored metric stopped improving."),
                    );
                }
                Event::Failed(error) => {
                    self.checkpoints.write_due();
                    self.notices.say(NoticeKind::Error, error.to_string());
                }
            }
        }
        stepped
    }

    /// The run is over: shows where it ended.
    async fn finish(self, run: &Run, unpublished: &mut Vec<EpochStats>, generation: u64) {
        self.publish(unpublished, run, None);
        if run.state() == RunState::Done {
            self.refresh_views(run, generation).await;
            if self.is_current(generation) {
                self.status.set(RunStatus::Done);
            }
        } else {
            self.status.set(RunStatus::Error);
        }
    }

    /// A refresh of what the views show of `run`'s model: the decision boundary (2-D data)
    /// and the confusion matrix (classifiers).
    fn views_of(self, run: &Run) -> Option<ViewRefresh> {
        let field = self.points.with_untracked(Option::is_some).then_some(FIELD_RESOLUTION);
        run.trainer().view_refresh(field, true)
    }

    /// Evaluates the views of `run`'s model whole, yielding a frame between pieces whenever a
    /// slice's worth has gone by, and shows them unless a newer session has begun meanwhile.
    async fn refresh_views(self, run: &Run, generation: u64) {
        let Some(mut refresh) = self.views_of(run) else { return };
        let mut since = now_millis();
        loop {
            match refresh.piece().await {
                Ok(true) => break,
                Ok(false) if now_millis() - since >= SLICE_MILLIS => {
                    yield_to_next_frame().await;
                    since = now_millis();
                }
                Ok(false) => {}
                Err(_) => return,
            }
        }
        if self.is_current(generation) {
            self.show_views(&refresh);
        }
    }

    /// Shows a finished refresh.
    fn show_views(self, refresh: &ViewRefresh) {
        if let Some(field) = refresh.field() {
            self.field.set(Some(field));
        }
        if let Some(confusion) = refresh.confusion() {
            self.confusion.set(Some(confusion));
        }
    }

    /// Moves the logs not yet shown onto the step charts.
    fn publish_logs(self) {
        let logs = self.unpublished_logs.try_update_value(std::mem::take).unwrap_or_default();
        if !logs.is_empty() {
            self.steps.update(|history| logs.iter().for_each(|log| history.push(log)));
        }
    }

    /// Forgets the step logs (a new run, or Reset).
    fn clear_steps(self) {
        self.unpublished_logs.set_value(Vec::new());
        if !self.steps.with_untracked(StepHistory::is_empty) {
            self.steps.set(StepHistory::default());
        }
    }

    /// Moves finished epochs and the progress into the signals the page shows, and writes a
    /// checkpoint that is due; `rate` is the latest samples per second, if measured.
    fn publish(self, epochs: &mut Vec<EpochStats>, run: &Run, rate: Option<f64>) {
        self.checkpoints.write_due();
        if !epochs.is_empty() {
            self.history.update(|history| history.append(epochs));
        }
        self.publish_logs();
        let trainer = run.trainer();
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
            trained_seconds: self.trained_millis.get_value() / 1000.0,
        };
        if progress != previous {
            self.progress.set(progress);
        }
    }
}

/// `plan` with a wide network in place of its own — two hidden layers of [`WARM_UP_WIDTH`]
/// with ReLU — fed batches of 64, for the warm-up.
fn widened(plan: &TrainingPlan) -> TrainingPlan {
    let mut plan = plan.clone();
    let out_features = plan.network.out_features();
    let flatten = (plan.network.in_shape.len() > 1).then_some(LayerSpec::Flatten);
    plan.network.layers = flatten
        .into_iter()
        .chain([
            LayerSpec::Linear { out_features: WARM_UP_WIDTH },
            LayerSpec::Relu,
            LayerSpec::Linear { out_features: WARM_UP_WIDTH },
            LayerSpec::Relu,
            LayerSpec::Linear { out_features },
        ])
        .collect();
    plan.sampler.batch_size = 64;
    plan.tracker.epochs = 1;
    plan.tracker.early_stopping = None;
    plan
}

/// Samples trained since a moment, for samples per second.
struct Rate {
    since: f64,
    samples: usize,
}

impl Rate {
    /// Counting from `since`, when `samples` had been trained.
    fn new(since: f64, samples: usize) -> Self {
        Self { since, samples }
    }

    /// Samples per second from then until `now`, when `samples` have been trained.
    fn per_second(&self, now: f64, samples: usize) -> Option<f64> {
        let seconds = (now - self.since) / 1000.0;
        let trained = samples.saturating_sub(self.samples);
        (seconds > 0.0 && trained > 0).then(|| trained as f64 / seconds)
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
