//! A sweep as a state machine: its records ([`SweepProgress`]), and lanes that each train one
//! trial at a time. It decides — once, here — which trial a free lane takes, whether a trial
//! goes on after each epoch (the pruning rule), and how each trial ended, and says so as
//! [`TrialUpdate`]s for whoever shows the sweep.
//!
//! A lane is *local* (this sweep trains its trial itself, as it [`advance`](SweepRun::advance)s)
//! or *remote* (another worker or thread trains a [`TrialRun`] and [`report`](SweepRun::report)s
//! what it did; the sweep answers with [`SweepEvent::Assign`], [`SweepEvent::Verdict`] and
//! [`SweepEvent::Cancel`] for that lane). Either way a trial holds after each epoch until the
//! sweep has judged it, so the decisions are the same wherever trials run: `kindling-run`
//! with one job or several, the page with one worker or several.
//!
//! Pausing assigns nothing and withholds verdicts: the local lane stops at once, a remote one
//! at the end of its epoch.

use burn::tensor::Device;

use crate::core::compile::compiler::compile;
use crate::core::engine::run::{Host, RunStart};
use crate::core::engine::trial_run::TrialRun;
use crate::core::model::graph::{Graph, GraphError};
use crate::core::model::sweep_error::SweepError;
use crate::core::protocol::backend::Backend;
use crate::core::report::sweep_progress::{SweepProgress, TrialReport, TrialState, TrialUpdate, Verdict};

/// How a sweep's trials train: on this sweep's own device (a local lane), and on `remote`
/// lanes elsewhere.
pub struct Lanes {
    pub local: Option<LocalDevice>,
    pub remote: usize,
}

/// The device a local lane trains on.
#[derive(Clone)]
pub struct LocalDevice {
    pub device: Device,
    pub backend: Backend,
    /// Compute in f16 where a plan asks for mixed precision.
    pub f16: bool,
}

/// What a sweep says as it goes.
#[derive(Clone, Debug, PartialEq)]
pub enum SweepEvent {
    /// A change to the records: for whoever shows the sweep.
    Update(TrialUpdate),
    /// Remote lane `lane`: train trial `index` on `graph` (its settings written in).
    Assign { lane: usize, index: usize, graph: Graph },
    /// Remote lane `lane`: its trial's last epoch is judged — go on, or stop there.
    Verdict { lane: usize, go_on: bool },
    /// Remote lane `lane`: stop the trial (the sweep stopped).
    Cancel { lane: usize },
    /// Every trial has ended.
    Finished,
}

/// What a lane is doing.
enum Lane {
    Idle,
    /// Training trial `index` here.
    Local {
        index: usize,
        trial: Box<TrialRun>,
    },
    /// Trial `index` trains elsewhere; `withheld` holds a verdict kept back by a pause.
    Remote {
        index: usize,
        withheld: Option<bool>,
    },
}

/// A sweep under way.
pub struct SweepRun {
    progress: SweepProgress,
    /// Lane 0 is the local one, when there is one.
    lanes: Vec<Lane>,
    local: Option<LocalDevice>,
    paused: bool,
    stopped: bool,
    finished: bool,
}

impl SweepRun {
    /// A sweep of `graph`'s trials over `lanes`, none started yet.
    ///
    /// # Errors
    /// What is wrong with the sweep (`sweep_spec::trials`), or that it has no lane.
    pub fn new(graph: &Graph, lanes: Lanes) -> Result<Self, SweepError> {
        let count = usize::from(lanes.local.is_some()) + lanes.remote;
        if count == 0 {
            return Err(SweepError::NoLane);
        }
        Ok(Self {
            progress: SweepProgress::new(graph)?,
            lanes: (0..count).map(|_| Lane::Idle).collect(),
            local: lanes.local,
            paused: false,
            stopped: false,
            finished: false,
        })
    }

    /// The records, as of the events returned so far.
    pub fn progress(&self) -> &SweepProgress {
        &self.progress
    }

    pub fn is_paused(&self) -> bool {
        self.paused
    }

    /// Whether every trial has ended, or the sweep was stopped.
    pub fn is_over(&self) -> bool {
        self.finished || self.stopped
    }

    /// Whether lane `lane` is this sweep's own.
    fn is_local(&self, lane: usize) -> bool {
        lane == 0 && self.local.is_some()
    }

    /// Holds every lane at the end of its epoch and starts nothing new.
    pub fn pause(&mut self) {
        if !self.is_over() {
            self.paused = true;
        }
    }

    /// Goes on after a pause: the verdicts kept back are given.
    pub fn resume(&mut self) -> Vec<SweepEvent> {
        if !self.paused || self.is_over() {
            return Vec::new();
        }
        self.paused = false;
        let mut events = Vec::new();
        for (lane, state) in self.lanes.iter_mut().enumerate() {
            match state {
                Lane::Local { trial, .. } => trial.go_on(),
                Lane::Remote { withheld, .. } => {
                    if let Some(go_on) = withheld.take() {
                        events.push(SweepEvent::Verdict { lane, go_on });
                    }
                }
                Lane::Idle => {}
            }
        }
        events
    }

    /// Stops the sweep: the trials running and those queued are marked stopped.
    pub fn stop(&mut self) -> Vec<SweepEvent> {
        if self.is_over() {
            return Vec::new();
        }
        self.stopped = true;
        let mut events = Vec::new();
        for (lane, state) in self.lanes.iter_mut().enumerate() {
            if matches!(state, Lane::Remote { .. }) {
                events.push(SweepEvent::Cancel { lane });
            }
            *state = Lane::Idle;
        }
        events.push(self.update(TrialUpdate::Stopped));
        events
    }

    /// Starts trials on free lanes, then trains the local lane's until `deadline` on `host`'s
    /// clock or the end of its epoch; returns what happened.
    pub async fn advance(&mut self, deadline: f64, host: &dyn Host) -> Vec<SweepEvent> {
        let mut events = self.assign();
        if !self.paused
            && !self.stopped
            && let Some(Lane::Local { trial, .. }) = self.lanes.first_mut()
        {
            let reports = trial.advance(deadline, host).await;
            for report in reports {
                events.extend(self.report(0, report));
            }
            events.extend(self.assign());
        }
        events
    }

    /// What remote lane `lane` (or the local lane, from [`Self::advance`]) reports of its
    /// trial: the epoch is judged, or the trial's end recorded. A report from a lane that has
    /// no trial any more (stopped, or pruned meanwhile) is dropped.
    pub fn report(&mut self, lane: usize, report: TrialReport) -> Vec<SweepEvent> {
        let index = match self.lanes.get(lane) {
            Some(Lane::Local { index, .. } | Lane::Remote { index, .. }) => *index,
            _ => return Vec::new(),
        };
        let mut events = Vec::new();
        match report {
            TrialReport::Epoch { stats, seconds } => {
                let pruned = self.progress.verdict(index, &stats) == Verdict::Prune;
                events.push(self.update(TrialUpdate::Epoch { index, stats, seconds, pruned }));
                if pruned {
                    if !self.is_local(lane) {
                        events.push(SweepEvent::Verdict { lane, go_on: false });
                    }
                    self.lanes[lane] = Lane::Idle;
                } else {
                    let paused = self.paused;
                    match &mut self.lanes[lane] {
                        Lane::Local { trial, .. } if !paused => trial.go_on(),
                        Lane::Remote { withheld, .. } if paused => *withheld = Some(true),
                        Lane::Remote { .. } => events.push(SweepEvent::Verdict { lane, go_on: true }),
                        _ => {}
                    }
                }
            }
            TrialReport::Ended { state, note } => {
                events.push(self.update(TrialUpdate::Ended { index, state, note }));
                self.lanes[lane] = Lane::Idle;
            }
        }
        events.extend(self.finish_if_done());
        events
    }

    /// Gives each free lane the next queued trial, unless paused or stopped; a trial that
    /// cannot train is marked failed at once and the next one tried.
    fn assign(&mut self) -> Vec<SweepEvent> {
        let mut events = Vec::new();
        if self.paused || self.stopped {
            return events;
        }
        for lane in 0..self.lanes.len() {
            while matches!(self.lanes[lane], Lane::Idle) {
                let Some((index, graph)) = self.progress.next_queued() else { break };
                match self.start_trial(lane, index, graph) {
                    Ok(mut started) => {
                        events.append(&mut started);
                    }
                    Err(note) => {
                        events.push(self.update(TrialUpdate::Ended {
                            index,
                            state: TrialState::Failed,
                            note: Some(note),
                        }));
                    }
                }
            }
        }
        events.extend(self.finish_if_done());
        events
    }

    /// Starts trial `index` on `lane`: its graph must compile (for the epochs it plans).
    fn start_trial(
        &mut self,
        lane: usize,
        index: usize,
        graph: Result<Graph, GraphError>,
    ) -> Result<Vec<SweepEvent>, String> {
        let graph = graph.map_err(|error| error.to_string())?;
        let plan = compile(&graph).map_err(|errors| {
            let reasons: Vec<String> = errors.iter().map(ToString::to_string).collect();
            text!("run-error-trial-cannot-train", reasons = reasons.join("; "))
        })?;
        let planned_epochs = plan.tracker.epochs;
        let state = match &self.local {
            Some(local) if lane == 0 => {
                let start = RunStart { f16: local.f16, ..RunStart::new(local.device.clone(), local.backend) };
                let trial = TrialRun::start(plan, start).map_err(|error| error.to_string())?;
                Lane::Local { index, trial: Box::new(trial) }
            }
            _ => Lane::Remote { index, withheld: None },
        };
        let mut events = vec![self.update(TrialUpdate::Started { index, planned_epochs })];
        if matches!(state, Lane::Remote { .. }) {
            events.push(SweepEvent::Assign { lane, index, graph });
        }
        self.lanes[lane] = state;
        Ok(events)
    }

    /// [`SweepEvent::Finished`], once, when no trial is queued or running.
    fn finish_if_done(&mut self) -> Option<SweepEvent> {
        if self.finished || self.stopped || !self.progress.is_over() {
            return None;
        }
        self.finished = true;
        Some(SweepEvent::Finished)
    }

    /// Records `update` and returns it as an event.
    fn update(&mut self, update: TrialUpdate) -> SweepEvent {
        self.progress.record(&update);
        SweepEvent::Update(update)
    }
}
