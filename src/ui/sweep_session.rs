//! Running a sweep in the page: its trials one after another, each an ordinary run of the
//! graph with the trial's settings, on the backend the page trains on, advanced a slice per
//! frame as a normal run is (so the page stays responsive). Pause and Stop act on the sweep
//! as a whole. Which trial goes next and which stop early is `core::sweep_run`'s.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::notices::NoticeKind;
use super::session::{SLICE_MILLIS, Session};
use crate::core::compile::compile;
use crate::core::graph::Graph;
use crate::core::run::{Event, Run, RunStart};
use crate::core::sweep_run::{SweepProgress, TrialState, Verdict};
use crate::web::clock::{PageHost, now_millis};
use crate::web::tick::yield_to_next_frame;

/// How often the table and charts are redrawn while a trial trains.
const PUBLISH_MILLIS: f64 = 250.0;

/// Where the sweep stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SweepStatus {
    Idle,
    Running,
    Paused,
    /// Every trial has ended.
    Done,
    /// Stopped before every trial ran.
    Stopped,
}

impl SweepStatus {
    pub fn label(self) -> &'static str {
        match self {
            SweepStatus::Idle => "idle",
            SweepStatus::Running => "running",
            SweepStatus::Paused => "paused",
            SweepStatus::Done => "done",
            SweepStatus::Stopped => "stopped",
        }
    }
}

/// The page's sweep: the latest one's trials, as of the last publish.
#[derive(Clone, Copy)]
pub struct SweepSession {
    pub status: RwSignal<SweepStatus>,
    pub progress: RwSignal<Option<SweepProgress>>,
    /// The trial the table and the curves highlight (its index).
    pub selected: RwSignal<Option<usize>>,
    /// Bumped by every start and stop; a sweep task that sees a newer value ends.
    generation: StoredValue<u64>,
}

impl SweepSession {
    pub fn new() -> Self {
        Self {
            status: RwSignal::new(SweepStatus::Idle),
            progress: RwSignal::new(None),
            selected: RwSignal::new(None),
            generation: StoredValue::new(0),
        }
    }

    /// Whether a sweep is under way (running or paused).
    pub fn running(self) -> bool {
        matches!(self.status.get_untracked(), SweepStatus::Running | SweepStatus::Paused)
    }

    /// Starts `graph`'s sweep, stopping any run or sweep under way.
    pub fn start(self, graph: &Graph, session: Session) {
        let progress = match SweepProgress::new(graph) {
            Ok(progress) => progress,
            Err(reason) => {
                session.notices.say(NoticeKind::Error, format!("The sweep cannot run: {reason}"));
                return;
            }
        };
        session.stop();
        session.notices.clear();
        self.generation.update_value(|generation| *generation += 1);
        let generation = self.generation.get_value();
        self.progress.set(Some(progress.clone()));
        self.selected.set(None);
        self.status.set(SweepStatus::Running);
        spawn_local(async move {
            yield_to_next_frame().await;
            self.drive(progress, session, generation).await;
        });
    }

    pub fn pause(self) {
        if self.status.get_untracked() == SweepStatus::Running {
            self.status.set(SweepStatus::Paused);
        }
    }

    pub fn resume(self) {
        if self.status.get_untracked() == SweepStatus::Paused {
            self.status.set(SweepStatus::Running);
        }
    }

    /// Stops the sweep: the trial under way and those queued are marked stopped.
    pub fn stop(self) {
        if !self.running() {
            return;
        }
        self.generation.update_value(|generation| *generation += 1);
        self.progress.update(|progress| {
            if let Some(progress) = progress {
                progress.stop();
            }
        });
        self.status.set(SweepStatus::Stopped);
    }

    fn is_current(self, generation: u64) -> bool {
        self.generation.get_value() == generation
    }

    /// Runs the trials of `progress` one after another until none is left or the sweep is
    /// stopped, publishing as it goes.
    async fn drive(self, mut progress: SweepProgress, session: Session, generation: u64) {
        while let Some((index, graph)) = progress.start_next() {
            if !self.is_current(generation) {
                return;
            }
            self.progress.set(Some(progress.clone()));
            let plan = match compile(&graph) {
                Ok(plan) => plan,
                Err(errors) => {
                    let reasons: Vec<String> = errors.iter().map(ToString::to_string).collect();
                    let note = format!("it cannot train: {}", reasons.join("; "));
                    progress.end(index, TrialState::Stopped, Some(note));
                    continue;
                }
            };
            progress.planned(index, plan.tracker.epochs);
            session.backends.check_lost();
            let start = RunStart { ..session.backends.run_start() };
            let mut run = match Run::start(plan, start) {
                Ok(run) => run,
                Err(error) => {
                    progress.end(index, TrialState::Stopped, Some(error.to_string()));
                    continue;
                }
            };
            if !self.run_trial(&mut run, &mut progress, index, generation).await {
                return;
            }
        }
        if self.is_current(generation) {
            self.progress.set(Some(progress));
            self.status.set(SweepStatus::Done);
        }
    }

    /// Runs trial `index` to its end; `false` when the sweep was stopped meanwhile.
    async fn run_trial(
        self,
        run: &mut Run,
        progress: &mut SweepProgress,
        index: usize,
        generation: u64,
    ) -> bool {
        let mut epoch_started = now_millis();
        let mut published = epoch_started;
        loop {
            yield_to_next_frame().await;
            if !self.is_current(generation) {
                return false;
            }
            if self.status.get_untracked() == SweepStatus::Paused {
                epoch_started = now_millis();
                continue;
            }
            let slice_start = now_millis();
            let mut ended = None;
            for event in run.advance(slice_start + SLICE_MILLIS, &PageHost).await {
                match event {
                    Event::Epoch(stats) => {
                        let now = now_millis();
                        let seconds = (now - epoch_started) / 1000.0;
                        epoch_started = now;
                        if progress.epoch(index, stats, seconds) == Verdict::Prune {
                            ended = Some((TrialState::Pruned, None));
                        }
                    }
                    Event::Finished => ended = Some((TrialState::Done, None)),
                    Event::Diverged(error) => ended = Some((TrialState::Diverged, Some(error.to_string()))),
                    Event::Failed(error) => ended = Some((TrialState::Stopped, Some(error.to_string()))),
                    _ => {}
                }
                if ended.is_some() {
                    break;
                }
            }
            if let Some((state, note)) = ended {
                progress.end(index, state, note);
                self.progress.set(Some(progress.clone()));
                return true;
            }
            if now_millis() - published >= PUBLISH_MILLIS {
                published = now_millis();
                self.progress.set(Some(progress.clone()));
            }
        }
    }
}

impl Default for SweepSession {
    fn default() -> Self {
        Self::new()
    }
}
