//! What is past the limits (`limits`) in a graph from outside — a link, a file, a paste, an
//! old autosave — or in an edit that would grow a graph past them: one variant per kind of
//! problem, naming the node and parameter where there is one, worded once, here.

use crate::core::model::catalogue::NodeKind;
use crate::core::model::graph::quoted;
use crate::core::model::limits::{MAX_COORDINATE, MAX_ID, MAX_NODES, MAX_WIRES};
use crate::core::model::node_id::NodeId;
use crate::core::model::sweep_error::SweepError;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum LimitError {
    #[error("{}", text!("limit-no-room-for-nodes", has = .has, max = MAX_NODES, adding = .adding))]
    NoRoomForNodes { has: usize, adding: usize },

    #[error("{}", text!("limit-no-room-for-wires", has = .has, max = MAX_WIRES, adding = .adding))]
    NoRoomForWires { has: usize, adding: usize },

    #[error("{}", text!("limit-ids-exhausted", max = MAX_ID))]
    IdsExhausted,

    #[error("{}", text!("limit-too-many-nodes", count = .count, max = MAX_NODES))]
    TooManyNodes { count: usize },

    #[error("{}", text!("limit-too-many-wires", count = .count, max = MAX_WIRES))]
    TooManyWires { count: usize },

    #[error("{}", text!("limit-next-id-past", next = .next, max = MAX_ID))]
    NextIdPast { next: u32 },

    #[error("{}", text!("limit-node-id-past", node = .node.to_string(), max = MAX_ID))]
    NodeIdPast { node: NodeId },

    #[error("{}", text!("limit-position-not-finite", kind = .kind.to_string(), node = .node.to_string()))]
    PositionNotFinite { node: NodeId, kind: NodeKind },

    #[error(
        "{}",
        text!("limit-position-too-far", kind = .kind.to_string(), node = .node.to_string(), max = MAX_COORDINATE)
    )]
    PositionTooFar { node: NodeId, kind: NodeKind },

    #[error(
        "{}",
        text!("limit-unknown-param", kind = .kind.to_string(), node = .node.to_string(), param = quoted(.param))
    )]
    UnknownParam { node: NodeId, kind: NodeKind, param: String },

    /// A stored value its parameter does not take (out of range, too long, the wrong type).
    #[error(
        "{}",
        text!(
            "limit-bad-param",
            kind = .kind.to_string(),
            node = .node.to_string(),
            param = .param,
            reason = .reason
        )
    )]
    BadParam { node: NodeId, kind: NodeKind, param: String, reason: String },

    #[error(transparent)]
    Sweep(#[from] SweepError),
}

impl LimitError {
    /// The node the problem is about, where it is about one.
    pub fn node(&self) -> Option<NodeId> {
        match self {
            LimitError::NodeIdPast { node }
            | LimitError::PositionNotFinite { node, .. }
            | LimitError::PositionTooFar { node, .. }
            | LimitError::UnknownParam { node, .. }
            | LimitError::BadParam { node, .. } => Some(*node),
            LimitError::Sweep(error) => error.param().map(|(node, _)| node),
            _ => None,
        }
    }
}
