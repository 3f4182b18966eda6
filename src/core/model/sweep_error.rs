//! What is wrong with a graph's sweep: one variant per kind of problem, each naming the node
//! and parameter involved where there is one (so the page can point at them), and worded once,
//! here, for the page, `kindling-run` and the link and file checks alike.

use crate::core::model::catalogue::NodeKind;
use crate::core::model::graph::quoted;
use crate::core::model::node_id::NodeId;
use crate::core::model::sweep::{MAX_TRIALS, TrialsError};
use crate::core::model::sweep_settings::{MAX_ETA, MAX_PRUNING_EPOCHS, MAX_SWEPT};

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SweepError {
    #[error("the sweep varies {count} parameters; at most {} are allowed", MAX_SWEPT)]
    TooManyParams { count: usize },

    #[error("the sweep varies a parameter of node {node}, which is missing")]
    MissingNode { node: NodeId },

    #[error("the sweep varies {}, which {kind} {node} does not have", quoted(.param))]
    UnknownParam { node: NodeId, kind: NodeKind, param: String },

    #[error("{kind} {node}: `{param}` is a list and cannot be swept")]
    NotSweepable { node: NodeId, kind: NodeKind, param: &'static str },

    #[error("the sweep varies {kind} {node} `{param}` twice")]
    Twice { node: NodeId, kind: NodeKind, param: &'static str },

    /// The values text of a swept parameter does not read, or a value does not fit it.
    #[error("the sweep of {kind} {node} `{param}`: {reason}")]
    Values { node: NodeId, kind: NodeKind, param: &'static str, reason: String },

    #[error("a random search runs 1 to {} trials, not {trials}", MAX_TRIALS)]
    RandomTrials { trials: u32 },

    #[error("the median rule waits 0 to {} epochs for 1 to {} other trials", MAX_PRUNING_EPOCHS, MAX_TRIALS)]
    MedianRule,

    #[error(
        "successive halving's first rung is at 1 to {} epochs and it keeps 1/2 to 1/{}",
        MAX_PRUNING_EPOCHS,
        MAX_ETA
    )]
    Halving,

    #[error(transparent)]
    Trials(#[from] TrialsError),

    #[error("nothing is swept: turn on “sweep” next to a parameter in the inspector")]
    NothingSwept,

    #[error("a sweep needs a lane to train its trials on")]
    NoLane,
}

impl SweepError {
    /// The node and parameter the problem is about, where it is about one.
    pub fn param(&self) -> Option<(NodeId, &str)> {
        match self {
            SweepError::UnknownParam { node, param, .. } => Some((*node, param)),
            SweepError::NotSweepable { node, param, .. }
            | SweepError::Twice { node, param, .. }
            | SweepError::Values { node, param, .. } => Some((*node, param)),
            _ => None,
        }
    }
}
