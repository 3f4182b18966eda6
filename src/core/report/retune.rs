//! What an edit to the graph means for a run in progress.

use serde::{Deserialize, Serialize};

/// What an edit to the graph means for a run in progress: the trainer compares the plan it
/// runs with the edited one ([`Trainer::retune`]).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum Retune {
    /// Nothing the run uses changed (a node moved, say).
    Unchanged,
    /// A new learning rate, from the next step; the optimizer keeps its state (momentum
    /// buffers, Adam's moments): the rate is passed to each step.
    LearningRate(f64),
    /// New optimizer settings (momentum, betas, weight decay, …) from the next step, with
    /// this learning rate; the optimizer's state starts afresh, as it would in a run started
    /// with those settings.
    FreshOptimizerState(f64),
    /// Anything else (the data, the network, the loss, another kind of optimizer) needs a
    /// fresh run.
    Restart,
}
