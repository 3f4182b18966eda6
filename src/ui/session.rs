//! The training session as the page sees it: the learner's commands for the current run,
//! sent to the engine, and what the engine reports of it, drawn.
//!
//! How a run goes — publishing, checked batches, checkpoints, retuning, moves between
//! backends, the GPU failing, early stopping, the views' budget — is the engine's
//! (`core::engine`, in a worker). Here the status changes at once on a click, the engine is
//! told, and its reports fill the signals the page shows ([`RunView`]).

use leptos::prelude::*;

use super::backend::Backends;
use super::checkpoints::Checkpoints;
use super::engine::Engine;
use super::notices::{NoticeKind, Notices};
use super::run_start::{Current, Loaded, Starting};
use super::run_status::RunStatus;
use super::run_view::RunView;
use super::runs::PastRuns;
use super::words;
use crate::core::compile::compiler::compile;
use crate::core::model::graph::Graph;
use crate::core::protocol::message::{ActivityId, Command, Restore, RunReport, TrainRequest};
use crate::core::protocol::step_size::StepSize;
use crate::core::report::retune::Retune;

/// The current (or last) run. Cheap to copy: all signals and handles.
#[derive(Clone, Copy)]
pub struct Session {
    pub status: RwSignal<RunStatus>,
    /// What the run shows: epochs, step logs, progress, views.
    pub view: RunView,
    /// The runs kept for comparison.
    pub runs: PastRuns,
    pub backends: Backends,
    /// The latest weights and the checkpoint in storage.
    pub checkpoints: Checkpoints,
    pub notices: Notices,
    /// The engine holds the paused run: nothing trains until a command comes (`data-held`).
    pub held: RwSignal<bool>,
    /// Runs the engine has not yet said are over: 0 once a stopped run has ended
    /// (`data-tasks`).
    pub tasks: RwSignal<usize>,
    /// Runs that have started showing (their first report came): a lesson's step counts the
    /// runs since it began.
    pub runs_shown: RwSignal<u64>,
    /// The run shown diverged (it paused on its last good weights).
    pub diverged: RwSignal<bool>,
    /// The current run: its number, and where its weights came from.
    current: StoredValue<Option<Current>>,
    engine: Engine,
}

impl Session {
    pub fn new(engine: Engine, notices: Notices) -> Self {
        Self {
            status: RwSignal::new(RunStatus::Idle),
            view: RunView::new(),
            runs: PastRuns::new(),
            backends: Backends::new(engine, notices),
            checkpoints: Checkpoints::new(notices),
            notices,
            held: RwSignal::new(false),
            tasks: RwSignal::new(0),
            runs_shown: RwSignal::new(0),
            diverged: RwSignal::new(false),
            current: StoredValue::new(None),
            engine,
        }
    }

    /// Whether a run is under way (training or paused), now.
    pub fn running(self) -> bool {
        matches!(self.status.get_untracked(), RunStatus::Training | RunStatus::Paused)
    }

    /// Trains `graph` from fresh weights, replacing any run in progress.
    pub fn start(self, graph: &Graph) {
        self.begin(graph, None, None, RunStatus::Training, None);
    }

    /// Starts a run paused, then runs one `size` step of it (Step before Train).
    pub fn start_stepping(self, graph: &Graph, size: StepSize) {
        self.begin(graph, None, None, RunStatus::Paused, Some(size));
    }

    /// Starts a paused run of `graph` from `restore`'s weights; `from` names them for the
    /// notice.
    pub fn start_from_weights(self, graph: &Graph, restore: Restore, from: String) {
        let loaded = Loaded { from, exact: restore.state.is_some(), epoch: restore.epoch };
        self.begin(graph, Some(restore), Some(loaded), RunStatus::Paused, None);
    }

    fn begin(
        self,
        graph: &Graph,
        from: Option<Restore>,
        loaded: Option<Loaded>,
        status: RunStatus,
        step: Option<StepSize>,
    ) {
        let plan = match compile(graph) {
            Ok(plan) => plan,
            Err(errors) => {
                let lines: Vec<String> = errors.iter().map(ToString::to_string).collect();
                let errors = lines.join("; ");
                let text = match &loaded {
                    Some(loaded) => text!("run-load-not-compiling", from = &loaded.from, errors = errors),
                    None => text!("run-not-compiling", errors = errors),
                };
                self.notices.say(NoticeKind::Error, text);
                if loaded.is_none() {
                    self.current.set_value(None);
                    self.status.set(RunStatus::Error);
                }
                return;
            }
        };
        let id = self.engine.next_id();
        let backend = self.backends.current.get_untracked();
        self.engine.send(Command::Train(Box::new(TrainRequest {
            id,
            graph: graph.clone(),
            backend,
            paused: status == RunStatus::Paused,
            from,
            step,
        })));
        self.current.set_value(Some(Current { id, loaded, starting: Some(Starting::of(graph, &plan)) }));
        self.notices.clear();
        self.backends.switch_to.set(None);
        self.held.set(false);
        self.tasks.update(|tasks| *tasks += 1);
        self.status.set(status);
    }

    /// Asks the latest run's model — under way, or over (the engine keeps it until another
    /// activity starts) — about `inputs`, now and at every refresh after.
    pub fn ask(self, inputs: Vec<f32>) {
        self.view.asked.set(Some(inputs.clone()));
        if let Some(id) = self.current.with_value(|current| current.as_ref().map(|current| current.id)) {
            self.engine.send(Command::Probe { id, inputs: Some(inputs) });
        }
    }

    /// The current run's number, if a run is under way.
    fn id(self) -> Option<ActivityId> {
        self.current
            .with_value(|current| current.as_ref().map(|current| current.id))
            .filter(|_| self.running())
    }

    pub fn pause(self) {
        if let Some(id) = self.id().filter(|_| self.status.get_untracked() == RunStatus::Training) {
            self.status.set(RunStatus::Paused);
            self.engine.send(Command::Pause { id });
        }
    }

    pub fn resume(self) {
        if let Some(id) = self.id().filter(|_| self.status.get_untracked() == RunStatus::Paused) {
            self.status.set(RunStatus::Training);
            self.engine.send(Command::Resume { id });
        }
    }

    /// Runs one batch or one epoch of the paused run.
    pub fn step(self, size: StepSize) {
        if let Some(id) = self.id().filter(|_| self.status.get_untracked() == RunStatus::Paused) {
            self.engine.send(Command::Step { id, size });
        }
    }

    /// Stops the run; its history stays on screen.
    pub fn stop(self) {
        if let Some(id) = self.id() {
            self.engine.send(Command::Stop { id });
            self.status.set(RunStatus::Idle);
        }
    }

    /// Stops the run and clears what it showed: back to a fresh start.
    pub fn reset(self) {
        self.stop();
        self.current.set_value(None);
        self.view.clear();
        self.notices.clear();
        self.status.set(RunStatus::Idle);
    }

    /// The graph was edited: a running run hears whether it still compiles, and what to.
    pub fn graph_changed(self, graph: &Graph, compiles: bool) {
        if let Some(id) = self.id() {
            self.engine.send(Command::Edited { id, graph: compiles.then(|| graph.clone()) });
        }
    }

    /// Shows `epochs` as the run's length while no run is training.
    pub fn show_planned_epochs(self, epochs: usize) {
        if self.status.get_untracked() != RunStatus::Training {
            self.view.epochs_total.set(epochs);
        }
    }

    /// The learner picked `backend`: the next run trains there, a running one moves there.
    pub fn pick_backend(self, backend: crate::core::protocol::backend::Backend) {
        if let Some(target) = self.backends.choose(backend, self.running())
            && let Some(id) = self.id()
        {
            self.engine.send(Command::MoveTo { id, backend: target });
        }
    }

    /// The engine could not start run `id`, and why.
    pub fn refused(self, id: ActivityId, reason: &str) {
        let Some(current) = self.current.get_value().filter(|current| current.id == id) else { return };
        let (text, status) = match current.loaded {
            // Nothing started: the last run's charts and status stay.
            Some(loaded) => (text!("run-load-refused", from = loaded.from, reason = reason), RunStatus::Idle),
            None => (text!("run-refused", reason = reason), RunStatus::Error),
        };
        self.notices.say(NoticeKind::Error, text);
        self.current.set_value(None);
        self.held.set(false);
        self.tasks.set(0);
        self.status.set(status);
    }

    /// The engine crashed: the run is gone (its charts and checkpoint stay).
    pub fn engine_crashed(self) {
        if self.running() {
            self.ended(RunStatus::Error);
        }
    }

    fn ended(self, status: RunStatus) {
        self.held.set(false);
        self.tasks.set(0);
        if self.running() || status != RunStatus::Idle {
            self.status.set(status);
        }
    }

    /// Draws what the engine reported of run `id` (anything of an earlier run is dropped).
    pub fn report(self, id: ActivityId, report: RunReport) {
        let Some(current) = self.current.get_value().filter(|current| current.id == id) else { return };
        match report {
            RunReport::Started { epoch: started_at, epochs_total, backend, afresh, .. } => {
                let starting =
                    self.current.try_update_value(|current| current.as_mut()?.starting.take()).flatten();
                if let Some(Starting { graph, epochs, subject }) = starting {
                    let trained_seconds = self.view.progress.get_untracked().trained_seconds;
                    let last = self.view.begin(epochs, started_at, subject);
                    self.runs.begin(&graph, last, trained_seconds);
                    self.diverged.set(false);
                    self.runs_shown.update(|runs| *runs += 1);
                    // The learner's question, asked of the new model too.
                    if let Some(inputs) = self.view.asked.get_untracked() {
                        self.engine.send(Command::Probe { id, inputs: Some(inputs) });
                    }
                }
                self.view.epochs_total.set(epochs_total);
                self.backends.current.set(backend);
                if let Some(Loaded { from, exact, epoch }) = current.loaded {
                    self.notices.say(NoticeKind::Info, words::loaded(&from, exact, epoch, &afresh));
                }
            }
            RunReport::Published { epochs, logs, progress } => self.view.publish(epochs, &logs, progress),
            RunReport::Views(views) => self.view.show_views(*views),
            RunReport::Probe(answer) => self.view.probe.set(Some(answer)),
            RunReport::Held(held) => self.held.set(held),
            RunReport::Stepped => {}
            RunReport::Retuned(answer) => {
                if answer == Retune::Restart {
                    self.status.set(RunStatus::Idle);
                }
                if let Some((kind, text)) = words::retuned(answer) {
                    self.notices.say(kind, text);
                }
            }
            RunReport::Diverged(error) => {
                // Back on the last weights known good: the learner can lower the rate and resume.
                self.notices.say(NoticeKind::Error, error.to_string());
                self.status.set(RunStatus::Paused);
                self.diverged.set(true);
            }
            RunReport::Moved { backend, epoch, afresh } => self.backends.moved(backend, epoch, &afresh),
            RunReport::MoveRefused { reason } => self.backends.move_refused(&reason),
            RunReport::DeviceFailed { reason, resumed_from } => {
                self.backends.failed(&reason, resumed_from);
                self.view.back_to(resumed_from);
            }
            RunReport::StoppedEarly { epoch } => {
                self.notices.say(NoticeKind::Info, text!("run-stopped-early", epoch = epoch))
            }
            RunReport::Checkpoint { epoch, bytes, due: true } => self.checkpoints.save(epoch, bytes),
            RunReport::Checkpoint { epoch, bytes, due: false } => self.checkpoints.keep(epoch, bytes),
            RunReport::Finished => self.ended(RunStatus::Done),
            RunReport::Failed(message) => {
                self.notices.say(NoticeKind::Error, message);
                self.ended(RunStatus::Error);
            }
            RunReport::Stopped => self.ended(RunStatus::Idle),
        }
    }
}
