//! Where a run stands between two epochs, off the device: everything besides the weights that
//! a trainer needs to go on exactly as it would have — the optimizer's state, gradients of an
//! accumulation not yet applied, the batch order, the learning-rate schedule, early stopping,
//! and the counts. Checkpoints store it with the weights; moves between devices carry it.
//!
//! `Trainer::state` takes it and `Trainer::restore` puts it back, checking each part against
//! the graph; a part that no longer fits (the graph changed since) starts afresh, and
//! [`Afresh`] says which and why.

use serde::{Deserialize, Serialize};

use crate::core::compile::batch_order::OrderState;
use crate::core::compile::early_stop::EarlyStopProgress;
use crate::core::compile::schedule::ScheduleProgress;

/// A run's state after `epoch` epochs, besides its weights.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct TrainerState {
    /// Epochs completed.
    pub epoch: usize,
    /// Optimizer steps (batches) run.
    pub steps: usize,
    /// Samples trained on.
    pub samples_trained: usize,
    /// The first checked batch's loss, what divergence is measured against.
    pub first_loss: Option<f64>,
    pub optimizer: OptimizerState,
    /// Batches of a gradient accumulation summed but not yet applied.
    pub pending: Option<PendingGradients>,
    pub order: OrderState,
    pub schedule: Option<ScheduleProgress>,
    pub early_stop: Option<EarlyStopProgress>,
}

/// The parts of a stored state that did not fit the graph and started afresh, each with the
/// reason.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Afresh(pub Vec<(String, String)>);

impl Afresh {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// One sentence for a notice: "the optimizer's state started afresh (it was made by
    /// adam, …); the batch order …".
    pub fn describe(&self) -> String {
        self.0
            .iter()
            .map(|(part, reason)| text!("run-error-started-afresh", part = part, reason = reason))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// An optimizer's state on the CPU, as checkpoints store it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OptimizerState {
    /// The rule that made it ([`UpdateRule::name`]).
    pub rule: String,
    /// Each parameter's state, by position; `None` before its first update.
    pub params: Vec<Option<StoredParam>>,
}

/// One parameter's state on the CPU.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StoredParam {
    /// Updates made.
    pub time: u64,
    /// The buffers, each the parameter's length.
    pub buffers: Vec<Vec<f32>>,
}

/// The gradients of an accumulation's first batches, summed, on the CPU.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PendingGradients {
    /// Batches summed (fewer than an update takes).
    pub batches: usize,
    /// Each parameter's summed gradient, flattened, by position (`None`: it has none).
    pub grads: Vec<Option<Vec<f32>>>,
}
