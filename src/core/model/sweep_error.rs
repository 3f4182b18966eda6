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
    #[error("{}", text!("sweep-plan-too-many-params", count = .count, max = MAX_SWEPT))]
    TooManyParams { count: usize },

    #[error("{}", text!("sweep-plan-missing-node", node = .node.to_string()))]
    MissingNode { node: NodeId },

    #[error(
        "{}",
        text!("sweep-plan-unknown-param", param = quoted(.param), kind = .kind.to_string(), node = .node.to_string())
    )]
    UnknownParam { node: NodeId, kind: NodeKind, param: String },

    #[error(
        "{}",
        text!("sweep-plan-not-sweepable", kind = .kind.to_string(), node = .node.to_string(), param = *.param)
    )]
    NotSweepable { node: NodeId, kind: NodeKind, param: &'static str },

    #[error("{}", text!("sweep-plan-twice", kind = .kind.to_string(), node = .node.to_string(), param = *.param))]
    Twice { node: NodeId, kind: NodeKind, param: &'static str },

    /// The values text of a swept parameter does not read, or a value does not fit it.
    #[error(
        "{}",
        text!(
            "sweep-plan-values",
            kind = .kind.to_string(),
            node = .node.to_string(),
            param = *.param,
            reason = .reason
        )
    )]
    Values { node: NodeId, kind: NodeKind, param: &'static str, reason: String },

    #[error("{}", text!("sweep-plan-random-trials", max = MAX_TRIALS, trials = .trials))]
    RandomTrials { trials: u32 },

    #[error("{}", text!("sweep-plan-median-rule", epochs = MAX_PRUNING_EPOCHS, trials = MAX_TRIALS))]
    MedianRule,

    #[error("{}", text!("sweep-plan-halving", epochs = MAX_PRUNING_EPOCHS, eta = MAX_ETA))]
    Halving,

    #[error(transparent)]
    Trials(#[from] TrialsError),

    #[error("{}", text!("sweep-plan-nothing-swept"))]
    NothingSwept,

    #[error("{}", text!("sweep-plan-no-lane"))]
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
