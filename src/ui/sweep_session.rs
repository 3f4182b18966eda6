//! A sweep as the page sees it: the learner's Run, Pause, Resume and Stop, sent to the
//! engine, and the sweep's records, kept by recording the engine's updates in order into the
//! page's own copy (`core::report::sweep_progress`). Which trial goes next, and which stop
//! early, is the engine's (`core::engine::sweep_run`); its trials train on up to
//! [`SweepSession::workers`] lanes at once.

use leptos::prelude::*;

use super::engine::Engine;
use super::notices::{NoticeKind, Notices};
use super::session::Session;
use crate::core::model::graph::Graph;
use crate::core::protocol::message::{ActivityId, Command, SweepReport};
use crate::core::report::sweep_progress::{SweepProgress, TrialUpdate};
use crate::web::clock::measured;

/// The most workers a sweep may train on, given the machine's `cores`: one per core but one,
/// left to the page — yet two on a 2-core machine, whose page idles while a sweep runs (the
/// table redraws a few times a second), so that no core stays idle; one on a single core.
pub fn max_workers(cores: usize) -> usize {
    cores.saturating_sub(1).max(2).min(cores.max(1))
}

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
    /// Its name as a value (`data-status`).
    pub fn label(self) -> &'static str {
        match self {
            SweepStatus::Idle => "idle",
            SweepStatus::Running => "running",
            SweepStatus::Paused => "paused",
            SweepStatus::Done => "done",
            SweepStatus::Stopped => "stopped",
        }
    }

    /// As the page shows it.
    pub fn text(self) -> String {
        match self {
            SweepStatus::Idle => text!("sweep-status-idle"),
            SweepStatus::Running => text!("sweep-status-running"),
            SweepStatus::Paused => text!("sweep-status-paused"),
            SweepStatus::Done => text!("sweep-status-done"),
            SweepStatus::Stopped => text!("sweep-status-stopped"),
        }
    }
}

/// The page's sweep: the latest one's trials, as of the engine's last publish.
#[derive(Clone, Copy)]
pub struct SweepSession {
    pub status: RwSignal<SweepStatus>,
    pub progress: RwSignal<Option<SweepProgress>>,
    /// Sweeps finished since the page opened (a lesson's step counts those since it began).
    pub finished: RwSignal<u64>,
    /// The trial the table and the curves highlight (its index).
    pub selected: RwSignal<Option<usize>>,
    /// How many trials train at once (`data-testid="sweep-workers"`), and the most there may be.
    pub workers: RwSignal<usize>,
    pub max_workers: usize,
    current: StoredValue<Option<ActivityId>>,
    /// Stopped by the learner: the table shows it at once, and no trial the engine started
    /// before it heard shows as running again.
    stopping: StoredValue<bool>,
    engine: Engine,
    notices: Notices,
}

impl SweepSession {
    /// `max_workers`: the most lanes a sweep may take ([`max_workers`]).
    pub fn new(engine: Engine, notices: Notices, max_workers: usize) -> Self {
        let max_workers = max_workers.max(1);
        Self {
            status: RwSignal::new(SweepStatus::Idle),
            progress: RwSignal::new(None),
            finished: RwSignal::new(0),
            selected: RwSignal::new(None),
            workers: RwSignal::new(max_workers),
            max_workers,
            current: StoredValue::new(None),
            stopping: StoredValue::new(false),
            engine,
            notices,
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
                self.notices.say(NoticeKind::Error, text!("sweep-cannot-run", reason = reason.to_string()));
                return;
            }
        };
        session.stop();
        self.notices.clear();
        let id = self.engine.next_id();
        // On the page's own thread there are no helper lanes.
        let lanes = if self.engine.on_page.get_untracked() { 1 } else { self.workers.get_untracked() };
        self.engine.send(Command::Sweep { id, graph: graph.clone(), lanes });
        self.current.set_value(Some(id));
        self.stopping.set_value(false);
        self.progress.set(Some(progress));
        self.selected.set(None);
        self.status.set(SweepStatus::Running);
    }

    fn id(self) -> Option<ActivityId> {
        self.current.get_value().filter(|_| self.running())
    }

    pub fn pause(self) {
        if let Some(id) = self.id().filter(|_| self.status.get_untracked() == SweepStatus::Running) {
            self.status.set(SweepStatus::Paused);
            self.engine.send(Command::Pause { id });
        }
    }

    pub fn resume(self) {
        if let Some(id) = self.id().filter(|_| self.status.get_untracked() == SweepStatus::Paused) {
            self.status.set(SweepStatus::Running);
            self.engine.send(Command::Resume { id });
        }
    }

    /// Stops the sweep: the trials running and those queued are marked stopped.
    pub fn stop(self) {
        if let Some(id) = self.id() {
            self.engine.send(Command::Stop { id });
            self.stopping.set_value(true);
            self.progress.update(|progress| {
                if let Some(progress) = progress {
                    progress.record(&TrialUpdate::Stopped);
                }
            });
            self.status.set(SweepStatus::Stopped);
        }
    }

    /// Draws what the engine reported of sweep `id` (anything of an earlier sweep is dropped).
    pub fn report(self, id: ActivityId, report: SweepReport) {
        if self.current.get_value() != Some(id) {
            return;
        }
        match report {
            SweepReport::Updates(updates) => {
                let stopping = self.stopping.get_value();
                // Its cost does not grow with the epochs so far (`TrialRecord`); the table and
                // the charts redraw after it (`kindling:sweep-table`, `kindling:sweep-charts`).
                measured("kindling:sweep-publish", || {
                    self.progress.update(|progress| {
                        if let Some(progress) = progress {
                            updates
                                .iter()
                                .filter(|update| !(stopping && matches!(update, TrialUpdate::Started { .. })))
                                .for_each(|update| progress.record(update));
                        }
                    })
                })
            }
            SweepReport::Paused(_) => {}
            SweepReport::Finished => {
                self.status.set(SweepStatus::Done);
                self.finished.update(|finished| *finished += 1);
            }
            SweepReport::Stopped => self.status.set(SweepStatus::Stopped),
        }
    }

    /// The engine would not start sweep `id`, and why.
    pub fn refused(self, id: ActivityId, reason: &str) {
        if self.current.get_value() == Some(id) {
            self.notices.say(NoticeKind::Error, text!("sweep-cannot-run", reason = reason));
            self.status.set(SweepStatus::Idle);
        }
    }

    /// The engine crashed: the sweep is gone (its records stay).
    pub fn engine_crashed(self) {
        if self.running() {
            self.status.set(SweepStatus::Stopped);
        }
    }
}
