//! The training session as the page sees it: status, progress and history as signals, and
//! the loop that drives the core's [`Trainer`] without freezing the page.
//!
//! The loop runs batches for at most [`SLICE_MILLIS`], then yields until the next frame has
//! been painted (`web::tick`), so frames keep coming and Stop acts at once. It reads the device once per
//! epoch, asynchronously (`Trainer::finish_epoch`).

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::core::compile::compile;
use crate::core::device::cpu_device;
use crate::core::graph::Graph;
use crate::core::train::{EpochStats, Trainer};
use crate::web::clock::now_millis;
use crate::web::tick::yield_to_next_frame;

/// How often the page shows new epochs: often enough to look live, rarely enough that
/// redrawing the charts costs little next to training.
pub const PUBLISH_MILLIS: f64 = 100.0;

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

/// The observable state of the current (or last) session. Cheap to copy: all signals.
#[derive(Clone, Copy)]
pub struct Session {
    pub status: RwSignal<RunStatus>,
    /// How many epochs the plan runs.
    pub epochs_total: RwSignal<usize>,
    pub history: RwSignal<Vec<EpochStats>>,
    /// Whether the engine has warmed up (see [`Session::warm_up`]).
    pub engine_ready: RwSignal<bool>,
    /// A message for the user: why training stopped or could not start.
    pub message: RwSignal<Option<String>>,
    /// Bumped on every start and stop; a loop that sees a newer value than its own ends.
    generation: RwSignal<u64>,
}

impl Session {
    pub fn new() -> Self {
        Self {
            status: RwSignal::new(RunStatus::Idle),
            epochs_total: RwSignal::new(0),
            history: RwSignal::new(Vec::new()),
            engine_ready: RwSignal::new(false),
            message: RwSignal::new(None),
            generation: RwSignal::new(0),
        }
    }

    /// Compiles `graph` and starts training it, replacing any session in progress.
    pub fn start(self, graph: &Graph) {
        let generation = self.generation.get_untracked() + 1;
        self.generation.set(generation);
        let plan = match compile(graph) {
            Ok(plan) => plan,
            Err(errors) => {
                let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
                self.message.set(Some(format!("The graph cannot train yet: {}", lines.join("; "))));
                self.status.set(RunStatus::Error);
                return;
            }
        };
        // A real run supersedes any warm-up (which then stops).
        self.engine_ready.set(true);
        self.epochs_total.set(plan.tracker.epochs);
        self.history.set(Vec::new());
        self.message.set(None);
        self.status.set(RunStatus::Training);
        spawn_local(self.run(Trainer::new(plan, &cpu_device()), generation));
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
            while !trainer.is_finished() && self.is_current(generation) {
                trainer.train_batch();
                if trainer.epoch_batches_done() && trainer.finish_epoch().await.is_err() {
                    break;
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
        self.history.read().last().map_or(0, |stats| stats.epoch)
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
        if self.status.get_untracked() == RunStatus::Training {
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
        while !trainer.is_finished() {
            if !self.is_current(generation) {
                return;
            }
            trainer.train_batch();
            if trainer.epoch_batches_done() {
                match trainer.finish_epoch().await {
                    Ok(stats) => unpublished.push(stats),
                    Err(error) => {
                        self.publish(&mut unpublished);
                        self.message.set(Some(error.to_string()));
                        self.status.set(RunStatus::Error);
                        return;
                    }
                }
            }
            let now = now_millis();
            if now - published_at >= PUBLISH_MILLIS {
                self.publish(&mut unpublished);
                published_at = now;
            }
            if now - slice_start >= SLICE_MILLIS {
                yield_to_next_frame().await;
                slice_start = now_millis();
            }
        }
        if self.is_current(generation) {
            self.publish(&mut unpublished);
            self.status.set(RunStatus::Done);
        }
    }

    /// Moves finished epochs into the signals the page shows.
    fn publish(self, epochs: &mut Vec<EpochStats>) {
        if epochs.is_empty() {
            return;
        }
        self.history.update(|history| history.append(epochs));
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
