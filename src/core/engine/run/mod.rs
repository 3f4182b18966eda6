//! A training run as a state machine: the one loop over a [`Trainer`], and every rule about
//! how a run goes — which batches are checked for divergence, when the weights are copied
//! and a checkpoint is due, what an edit to the graph does mid-run, moving between devices,
//! going on on the CPU when the GPU fails, pausing, stepping, stopping early.
//!
//! A caller starts a [`Run`], gives it commands (pause, resume, step, retune, move) and lets
//! it [`advance`](Run::advance) until a deadline on a clock it passes in, getting back what
//! happened as [`Event`]s. The page advances it a slice at a time between animation frames
//! and draws the events; `kindling-run` advances it to the end and prints them; the page's
//! warm-up and WebGPU kernel preparation drive it the same way. Reads from the device are
//! asynchronous, so `advance` is too; no read is ever synchronous.

pub mod range_test;

use burn::tensor::Device;

use crate::core::compile::plan::{NetworkPlan, TrainingPlan};
use crate::core::document::train_state::{Afresh, TrainerState};
use crate::core::engine::device::cpu_device;
use crate::core::engine::mlp::Mlp;
use crate::core::engine::train::Trainer;
use crate::core::engine::weights::WeightsError;
use crate::core::protocol::backend::Backend;
use crate::core::protocol::step_size::StepSize;
use crate::core::report::epoch_stats::EpochStats;
use crate::core::report::retune::Retune;
use crate::core::report::step_log::StepLog;
use crate::core::report::train_error::TrainError;

/// What a run needs from where it runs: a clock, and word of a lost device.
pub trait Host {
    /// Milliseconds on a steady clock.
    fn now_millis(&self) -> f64;

    /// Why the device was lost, once it has been (the browser's device-lost signal).
    fn device_lost(&self) -> Option<String> {
        None
    }

    /// Records the details of a device's failure, for developers (the page says it briefly).
    fn report_failure(&self, _details: &str) {}
}

/// Where a run stands.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunState {
    Training,
    /// Held between batches; [`Run::step`] runs a batch or an epoch.
    Paused,
    /// Every epoch has run, or early stopping ended it.
    Done,
    /// Training cannot go on (see [`Event::Failed`]).
    Failed,
}

/// A copy of a network's weights on the CPU, after `epoch` epochs — with, when it was taken
/// between epochs, where the run stood (what a checkpoint keeps to go on exactly).
#[derive(Clone, Debug)]
pub struct WeightsCopy {
    pub weights: Mlp,
    pub epoch: usize,
    pub network: NetworkPlan,
    pub state: Option<TrainerState>,
}

/// Weights a run goes on from: after `epoch` epochs and, with `state`, exactly where that
/// run stood (a checkpoint); without, from the weights alone (a weights file).
#[derive(Clone, Debug)]
pub struct Resume {
    pub weights: Mlp,
    pub epoch: usize,
    pub state: Option<TrainerState>,
}

/// Why the device a run trained on stopped answering.
#[derive(Clone, Debug, PartialEq)]
pub enum DeviceFailure {
    /// The host said the device was lost, and why.
    Lost(String),
    /// A read from the device failed; the details, for developers.
    ReadFailed(String),
}

/// What happened while a run advanced.
#[derive(Clone, Debug)]
pub enum Event {
    /// An epoch closed, with its metrics.
    Epoch(EpochStats),
    /// Every EpochTracker `log_interval` steps: the running average of the loss since the
    /// last log and each update's gradient norm (`core::step_log`).
    Log(StepLog),
    /// EpochTracker's `save_interval` came round: the weights after this epoch, to keep.
    CheckpointDue(WeightsCopy),
    /// The weights were copied as the run paused or finished: the latest to download, and
    /// where a failed device's run goes on from.
    Copied(WeightsCopy),
    /// The loss became non-finite or exploded: the run paused on the last weights known
    /// good, and the error says what to change.
    Diverged(TrainError),
    /// A step asked for while paused has run.
    Stepped,
    /// The run moved to `backend`, after `epoch` epochs, with its optimizer's state and batch
    /// order (what did not come along, if anything, is in `afresh`).
    Moved { backend: Backend, epoch: usize, afresh: Afresh },
    /// A move was asked for but could not be made; the run stays where it was.
    MoveRefused { reason: String },
    /// The device failed; the run went on on the CPU from the copy of the weights after
    /// `resumed_from` epochs (0: from fresh weights, no copy had been taken).
    DeviceFailed { failure: DeviceFailure, resumed_from: usize },
    /// Early stopping ended the run after `epoch` epochs.
    StoppedEarly { epoch: usize },
    /// The run is over: every epoch has run, or early stopping ended it.
    Finished,
    /// Training cannot go on.
    Failed(TrainError),
}

/// How a run starts.
pub struct RunStart {
    pub device: Device,
    pub backend: Backend,
    /// Compute in f16 where the plan asks for mixed precision (the caller knows whether the
    /// device computes in f16).
    pub f16: bool,
    /// Go on from these weights, instead of from fresh weights.
    pub from: Option<Resume>,
    /// Start paused (Step before Train, or weights restored).
    pub paused: bool,
}

impl RunStart {
    /// From fresh weights, training, on `device` of `backend`, in f32.
    pub fn new(device: Device, backend: Backend) -> Self {
        Self { device, backend, f16: false, from: None, paused: false }
    }
}

/// A device to move to at the next epoch boundary.
struct Move {
    device: Device,
    backend: Backend,
    f16: bool,
}

/// A training run in progress.
pub struct Run {
    trainer: Trainer,
    backend: Backend,
    state: RunState,
    step: Option<StepSize>,
    relocation: Option<Move>,
    /// The device stopped answering: go on on the CPU before the next batch.
    failure: Option<DeviceFailure>,
    /// The latest copy of the weights on the CPU.
    copy: Option<WeightsCopy>,
    /// Whether the current pause has copied the weights.
    paused_copied: bool,
    /// Samples trained since the run started.
    samples: usize,
    /// What the state the run started from could not carry over.
    afresh: Afresh,
}

/// What running one batch left the run doing.
enum Batch {
    /// Go on.
    Ran,
    /// The epoch closed.
    ClosedEpoch,
    /// The run paused, finished or failed, or its device failed (the next advance goes on on
    /// the CPU before anything else).
    Halted,
}

impl Run {
    /// Starts a run of `plan` as `start` says.
    ///
    /// # Errors
    /// [`WeightsError::Mismatch`] when the weights to go on from do not fit the plan's network.
    pub fn start(plan: TrainingPlan, start: RunStart) -> Result<Self, WeightsError> {
        let RunStart { device, backend, f16, from, paused } = start;
        let network = plan.network.clone();
        let (mut trainer, copy, afresh) = match from {
            None => (Trainer::new(plan, &device), None, Afresh::default()),
            Some(Resume { weights, epoch, state }) => {
                let (trainer, afresh) = match &state {
                    Some(state) => Trainer::restore(plan, &device, &weights, state)?,
                    None => (Trainer::resume(plan, &device, &weights, epoch)?, Afresh::default()),
                };
                let epoch = trainer.epochs_done();
                (trainer, Some(WeightsCopy { weights, epoch, network, state }), afresh)
            }
        };
        let asked = trainer.plan().step.mixed_precision;
        trainer.set_mixed_precision(asked && f16);
        let state = if paused { RunState::Paused } else { RunState::Training };
        Ok(Self {
            trainer,
            backend,
            state,
            step: None,
            relocation: None,
            failure: None,
            copy,
            paused_copied: false,
            samples: 0,
            afresh,
        })
    }

    /// What the state the run started from could not carry over (empty when it went on
    /// exactly, or started from fresh weights or weights alone).
    pub fn afresh(&self) -> &Afresh {
        &self.afresh
    }

    pub fn state(&self) -> RunState {
        self.state
    }

    /// Whether the run is over (done or failed).
    pub fn is_over(&self) -> bool {
        matches!(self.state, RunState::Done | RunState::Failed)
    }

    /// The trainer, for what the views read (the decision boundary, the confusion matrix)
    /// and for progress.
    pub fn trainer(&self) -> &Trainer {
        &self.trainer
    }

    /// The backend the run trains on.
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The latest copy of the weights on the CPU: the last checkpoint, pause or end.
    pub fn copy(&self) -> Option<&WeightsCopy> {
        self.copy.as_ref()
    }

    /// Samples trained since the run started.
    pub fn samples_trained(&self) -> usize {
        self.samples
    }

    /// Whether a step asked for while paused is still running.
    pub fn is_stepping(&self) -> bool {
        self.step.is_some()
    }

    /// Holds the run after the current batch.
    pub fn pause(&mut self) {
        if self.state == RunState::Training {
            self.state = RunState::Paused;
        }
    }

    /// Goes on training after a pause.
    pub fn resume(&mut self) {
        if self.state == RunState::Paused {
            self.state = RunState::Training;
            self.step = None;
        }
    }

    /// Runs one batch, or to the end of the epoch, of a paused run.
    pub fn step(&mut self, size: StepSize) {
        if self.state == RunState::Paused {
            self.step = Some(size);
        }
    }

    /// The graph was edited and now compiles to `edited`: a change of optimizer settings
    /// applies from the next step; the answer says which kind of change it was, and
    /// [`Retune::Restart`] that the run cannot take it (the caller stops it).
    pub fn retune(&mut self, edited: &TrainingPlan) -> Retune {
        self.trainer.retune(edited)
    }

    /// The backend a move asked for is waiting to go to, at the next epoch boundary.
    pub fn moving_to(&self) -> Option<Backend> {
        self.relocation.as_ref().map(|target| target.backend)
    }

    /// Moves the run to `device` of `backend` at the next epoch boundary, from its current
    /// weights; `f16` as in [`RunStart`].
    pub fn move_to(&mut self, device: Device, backend: Backend, f16: bool) {
        self.relocation = Some(Move { device, backend, f16 });
    }

    /// Runs batches until `host`'s clock passes `deadline` (at least one batch, when there is
    /// work to do), the epoch closes, or the run pauses, finishes or fails; returns what
    /// happened. A paused run only copies its weights, once per pause.
    pub async fn advance(&mut self, deadline: f64, host: &dyn Host) -> Vec<Event> {
        let mut events = Vec::new();
        loop {
            if self.is_over() {
                return events;
            }
            if self.backend != Backend::Cpu
                && let Some(reason) = host.device_lost()
            {
                self.failure.get_or_insert(DeviceFailure::Lost(reason));
            }
            if let Some(failure) = self.failure.take() {
                self.fall_back_to_cpu(failure, &mut events);
            }
            if self.trainer.batches_done() == 0
                && let Some(target) = self.relocation.take()
            {
                self.relocate(target, &mut events).await;
            }
            if self.state == RunState::Paused && self.step.is_none() {
                if !self.paused_copied {
                    self.paused_copied = true;
                    if let Some(copy) = self.take_copy().await {
                        events.push(Event::Copied(copy));
                    }
                }
                return events;
            }
            self.paused_copied = false;
            let batch = self.run_batch(&mut events).await;
            let stepped = matches!(
                (self.step, &batch),
                (Some(StepSize::Batch), Batch::Ran | Batch::ClosedEpoch)
                    | (Some(StepSize::Epoch), Batch::ClosedEpoch)
            );
            if stepped {
                self.step = None;
                events.push(Event::Stepped);
                return events;
            }
            match batch {
                Batch::Ran if host.now_millis() < deadline => {}
                Batch::Ran | Batch::ClosedEpoch | Batch::Halted => return events,
            }
        }
    }

    /// Trains one batch — checked for divergence on the CPU, where reading the loss back
    /// costs next to nothing, and every EpochTracker `log_interval` steps elsewhere, where a
    /// read stalls the queue — and closes the epoch after its last batch.
    async fn run_batch(&mut self, events: &mut Vec<Event>) -> Batch {
        let log_interval = self.trainer.plan().tracker.log_interval.max(1);
        let checked = self.backend == Backend::Cpu || self.trainer.steps().is_multiple_of(log_interval);
        let samples_before = self.trainer.samples_trained();
        let result = if checked {
            self.trainer.train_batch_checked().await
        } else {
            self.trainer.train_batch();
            Ok(())
        };
        if let Err(error) = result {
            return self.halt(error, events);
        }
        self.samples += self.trainer.samples_trained() - samples_before;
        if self.trainer.log_due() {
            match self.trainer.take_log().await {
                Ok(Some(log)) => events.push(Event::Log(log)),
                Ok(None) => {}
                Err(error) => return self.halt(error, events),
            }
        }
        if !self.trainer.epoch_batches_done() {
            return Batch::Ran;
        }
        let stats = match self.trainer.finish_epoch().await {
            Ok(stats) => stats,
            Err(error) => return self.halt(error, events),
        };
        events.push(Event::Epoch(stats));
        let save_interval = self.trainer.plan().tracker.save_interval.max(1);
        if self.trainer.epochs_done().is_multiple_of(save_interval)
            && let Some(copy) = self.take_copy().await
        {
            events.push(Event::CheckpointDue(copy));
        }
        if self.trainer.is_finished() {
            if let Some(copy) = self.take_copy().await {
                events.push(Event::Copied(copy));
            }
            if self.trainer.stopped_early() {
                events.push(Event::StoppedEarly { epoch: self.trainer.epochs_done() });
            }
            self.state = RunState::Done;
            self.step = None;
            events.push(Event::Finished);
        }
        Batch::ClosedEpoch
    }

    /// What a training error does: a failed read off the CPU is the device failing (the next
    /// advance goes on on the CPU before anything else); divergence pauses the run on the last good
    /// weights; anything else ends it.
    fn halt(&mut self, error: TrainError, events: &mut Vec<Event>) -> Batch {
        match error {
            TrainError::Readback(details) if self.backend != Backend::Cpu => {
                self.failure = Some(DeviceFailure::ReadFailed(details));
                Batch::Halted
            }
            error @ (TrainError::NonFiniteLoss { .. } | TrainError::Diverged { .. }) => {
                self.state = RunState::Paused;
                self.step = None;
                events.push(Event::Diverged(error));
                Batch::Halted
            }
            error => {
                self.state = RunState::Failed;
                self.step = None;
                events.push(Event::Failed(error));
                Batch::Halted
            }
        }
    }

    /// Copies the weights to the CPU (an asynchronous read) and keeps the copy; `None` when
    /// the read fails (a failing device is caught by the next batch).
    async fn take_copy(&mut self) -> Option<WeightsCopy> {
        let weights = self.trainer.weights().await.ok()?;
        let state = self.trainer.state().await.ok()?;
        let copy = WeightsCopy {
            weights,
            epoch: self.trainer.epochs_done(),
            network: self.trainer.plan().network.clone(),
            state,
        };
        self.copy = Some(copy.clone());
        Some(copy)
    }

    /// Goes on on the CPU from the last copy of the weights and the run's state with it (or
    /// fresh weights, without one).
    fn fall_back_to_cpu(&mut self, failure: DeviceFailure, events: &mut Vec<Event>) {
        let plan = self.trainer.plan().clone();
        let copy = self.copy.as_ref().filter(|copy| copy.network == plan.network);
        let resumed = copy.and_then(|copy| match &copy.state {
            Some(state) => Trainer::restore(plan.clone(), &cpu_device(), &copy.weights, state)
                .ok()
                .map(|(trainer, _)| trainer),
            None => Trainer::resume(plan.clone(), &cpu_device(), &copy.weights, copy.epoch).ok(),
        });
        let resumed_from = resumed.as_ref().map_or(0, Trainer::epochs_done);
        self.trainer = resumed.unwrap_or_else(|| Trainer::new(plan, &cpu_device()));
        self.backend = Backend::Cpu;
        self.relocation = None;
        events.push(Event::DeviceFailed { failure, resumed_from });
    }

    /// Moves to `target` from the current weights, at an epoch boundary.
    async fn relocate(&mut self, target: Move, events: &mut Vec<Event>) {
        if target.backend == self.backend {
            return;
        }
        let epoch = self.trainer.epochs_done();
        let moved = match (self.trainer.weights().await, self.trainer.state().await) {
            (Ok(weights), Ok(Some(state))) => {
                Trainer::restore(self.trainer.plan().clone(), &target.device, &weights, &state)
                    .map_err(|error| error.to_string())
            }
            (Ok(_), Ok(None)) => Err(text!("run-error-within-epoch")),
            (Err(error), _) | (_, Err(error)) => Err(error.to_string()),
        };
        match moved {
            Ok((mut trainer, afresh)) => {
                let asked = trainer.plan().step.mixed_precision;
                trainer.set_mixed_precision(asked && target.f16);
                self.trainer = trainer;
                self.backend = target.backend;
                events.push(Event::Moved { backend: target.backend, epoch, afresh });
            }
            Err(reason) => events.push(Event::MoveRefused { reason }),
        }
    }
}
