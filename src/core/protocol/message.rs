//! The messages: [`Command`]s the page gives the engine, [`Event`]s the engine answers with.
//!
//! The page numbers each activity it starts (a run, a sweep, a range test, an export…); the
//! engine tags what it says of the activity with that number, and the page drops anything
//! tagged with a number it has moved past — a stopped run's last epochs still in flight, say.

use serde::{Deserialize, Serialize};

use crate::core::document::train_state::{Afresh, TrainerState};
use crate::core::model::graph::Graph;
use crate::core::protocol::backend::Backend;
use crate::core::protocol::gpu_state::GpuState;
use crate::core::protocol::graph_text;
use crate::core::protocol::progress::Progress;
use crate::core::protocol::step_size::StepSize;
use crate::core::report::epoch_stats::EpochStats;
use crate::core::report::field::Field;
use crate::core::report::neurons::ProbeAnswer;
use crate::core::report::range_test::RangeTestResult;
use crate::core::report::retune::Retune;
use crate::core::report::step_log::StepLog;
use crate::core::report::sweep_progress::{TrialReport, TrialUpdate};
use crate::core::report::train_error::TrainError;
use crate::core::report::views::Views;

/// The page's number for an activity.
pub type ActivityId = u64;

/// What the page asks of the engine.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Command {
    /// Whether the views (decision boundary, confusion matrix) refresh while a run trains, or
    /// only when it pauses or ends (`?views=off`, to time the engine alone).
    Configure {
        live_views: bool,
    },
    /// Start WebGPU and prepare its kernels (warming the CPU up instead where there is no
    /// GPU); `asked` when the user asked for it.
    UseGpu {
        asked: bool,
    },
    /// Warm the CPU up, in the background (no GPU is wanted).
    WarmUp,
    /// A CSV file the graphs may name (by its SHA-256).
    AddCsv {
        name: String,
        bytes: Vec<u8>,
    },
    /// Train a graph.
    Train(Box<TrainRequest>),
    /// Hold the activity after its current batch.
    Pause {
        id: ActivityId,
    },
    Resume {
        id: ActivityId,
    },
    /// Run a batch, or to the end of the epoch, of the paused run.
    Step {
        id: ActivityId,
        size: StepSize,
    },
    /// Stop the activity.
    Stop {
        id: ActivityId,
    },
    /// The graph was edited during run `id`; it is now `graph` (`None`: it does not compile).
    Edited {
        id: ActivityId,
        #[serde(with = "graph_text::optional")]
        graph: Option<Graph>,
    },
    /// Ask run `id`'s model about `inputs` (one sample, flattened), now and at every refresh
    /// of the views after, also once the run is over; `None` takes the probe away.
    Probe {
        id: ActivityId,
        inputs: Option<Vec<f32>>,
    },
    /// Move run `id` to `backend` at its next epoch boundary.
    MoveTo {
        id: ActivityId,
        backend: Backend,
    },
    /// Run the graph's sweep on `lanes` lanes (this engine and `lanes − 1` helpers).
    Sweep {
        id: ActivityId,
        #[serde(with = "graph_text")]
        graph: Graph,
        lanes: usize,
    },
    /// Leslie Smith's learning-rate range test on the graph.
    RangeTest {
        id: ActivityId,
        #[serde(with = "graph_text")]
        graph: Graph,
    },
    /// A helper lane's work: train one trial of a sweep, holding after each epoch until its
    /// [`Command::Verdict`].
    Trial {
        id: ActivityId,
        #[serde(with = "graph_text")]
        graph: Graph,
    },
    /// The sweep's verdict on the trial's last epoch: go on, or stop there.
    Verdict {
        id: ActivityId,
        go_on: bool,
    },
    /// What helper lane `lane` reported of its trial (handed on by whoever runs the helpers).
    LaneReport {
        lane: usize,
        report: TrialReport,
    },
    /// Lane `lane` has died (its worker crashed): its trial is marked failed.
    LaneLost {
        lane: usize,
        reason: String,
    },
    /// What the exported programs of the graph do differently from Kindling.
    ExportNotes {
        id: ActivityId,
        #[serde(with = "graph_text")]
        graph: Graph,
    },
    /// The graph as a program, zipped in a folder named `folder`.
    Export {
        id: ActivityId,
        #[serde(with = "graph_text")]
        graph: Graph,
        program: Program,
        title: String,
        folder: String,
    },
    /// Weights (burn's record format) of the graph's network as safetensors, PyTorch's names
    /// and layouts.
    Safetensors {
        id: ActivityId,
        #[serde(with = "graph_text")]
        graph: Graph,
        weights: Vec<u8>,
    },
}

/// How to train: which graph, where, from which weights.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrainRequest {
    pub id: ActivityId,
    #[serde(with = "graph_text")]
    pub graph: Graph,
    pub backend: Backend,
    /// Go on from these weights instead of fresh ones.
    pub from: Option<Restore>,
    /// Start paused (weights restored, or Step before Train).
    pub paused: bool,
    /// Then run this step of the paused run.
    pub step: Option<StepSize>,
}

/// Weights to go on from: burn's record of them, after `epoch` epochs, and — for a
/// checkpoint — exactly where that run stood.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Restore {
    pub weights: Vec<u8>,
    pub epoch: usize,
    pub state: Option<TrainerState>,
}

/// The programs a graph exports as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Program {
    PyTorch,
    Burn,
}

/// What the engine says.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Event {
    /// The engine is up: Train can start.
    Ready,
    /// Where WebGPU stands.
    Gpu(GpuState),
    /// The warm-up showed something, for the page to draw unseen (its charts warm up).
    WarmUp(WarmUpReport),
    Run {
        id: ActivityId,
        report: RunReport,
    },
    Sweep {
        id: ActivityId,
        report: SweepReport,
    },
    RangeTest {
        id: ActivityId,
        report: RangeReport,
    },
    /// A helper lane's trial, for the sweep that assigned it.
    Trial {
        id: ActivityId,
        report: TrialReport,
    },
    ExportNotes {
        id: ActivityId,
        result: Result<Vec<String>, String>,
    },
    /// The zip of an exported program.
    Exported {
        id: ActivityId,
        result: Result<Vec<u8>, String>,
    },
    Safetensors {
        id: ActivityId,
        result: Result<Vec<u8>, String>,
    },
    /// Activity `id` cannot start, and why.
    Refused {
        id: ActivityId,
        reason: String,
    },
    /// The engine failed and cannot go on (a panic), with what it said.
    Crashed {
        message: String,
    },
}

/// What the warm-up showed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum WarmUpReport {
    Epoch(EpochStats),
    Log(StepLog),
    Field(Field),
    Done,
}

/// What a run said.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum RunReport {
    /// It started on `backend` after `epoch` epochs (past 0 when restored), planning
    /// `epochs_total`; `afresh` says what of a restored state did not carry over.
    Started { epoch: usize, epochs_total: usize, batches: usize, backend: Backend, afresh: Afresh },
    /// The epochs and logs since the last publish, and where the run stands.
    Published { epochs: Vec<EpochStats>, logs: Vec<StepLog>, progress: Progress },
    /// The views of the model, as of a refresh.
    Views(Box<Views>),
    /// The model's answer to the learner's probe ([`Command::Probe`]), at once and with
    /// every refresh after.
    Probe(ProbeAnswer),
    /// Whether the run is held: paused, its weights copied, nothing training.
    Held(bool),
    /// A step asked for while paused has run.
    Stepped,
    /// What an edit made of the run ([`Retune::Restart`]: it stopped).
    Retuned(Retune),
    /// The loss became non-finite or exploded: the run paused on the last good weights.
    Diverged(TrainError),
    /// It moved to `backend` after `epoch` epochs.
    Moved { backend: Backend, epoch: usize, afresh: Afresh },
    /// A move could not be made: it stays where it is.
    MoveRefused { reason: String },
    /// Its GPU failed: it went on on the CPU from the weights after `resumed_from` epochs.
    DeviceFailed { reason: String, resumed_from: usize },
    /// Early stopping ended it after `epoch` epochs.
    StoppedEarly { epoch: usize },
    /// Its weights, as a checkpoint document (`document::checkpoint`), after `epoch` epochs:
    /// `due` at EpochTracker's `save_interval` (to store), else the latest copy (a pause, the
    /// end, a load) to download.
    Checkpoint { epoch: usize, bytes: Vec<u8>, due: bool },
    /// Every epoch has run, or early stopping ended it.
    Finished,
    /// Training cannot go on.
    Failed(String),
    /// It stopped as asked: nothing more comes of it.
    Stopped,
}

/// What a sweep said.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum SweepReport {
    /// Changes to its records since the last publish, in order.
    Updates(Vec<TrialUpdate>),
    /// Paused, or going on.
    Paused(bool),
    /// Every trial has ended.
    Finished,
    /// It stopped as asked.
    Stopped,
}

/// What a range test said.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum RangeReport {
    Progress { batches: usize, total: usize },
    Done(RangeTestResult),
    Failed(String),
}
