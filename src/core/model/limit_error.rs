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
    #[error(
        "the graph has {has} nodes and a graph holds at most {}, so {adding} more do not fit; delete some first",
        MAX_NODES
    )]
    NoRoomForNodes { has: usize, adding: usize },

    #[error(
        "the graph has {has} wires and a graph holds at most {}, so {adding} more do not fit; delete some first",
        MAX_WIRES
    )]
    NoRoomForWires { has: usize, adding: usize },

    #[error("node ids would pass {}; export the graph and import it again to renumber", MAX_ID)]
    IdsExhausted,

    #[error("it has {count} nodes; at most {} are allowed", MAX_NODES)]
    TooManyNodes { count: usize },

    #[error("it has {count} wires; at most {} are allowed", MAX_WIRES)]
    TooManyWires { count: usize },

    #[error("its next node id {next} is past {}", MAX_ID)]
    NextIdPast { next: u32 },

    #[error("node id {node} is past {}", MAX_ID)]
    NodeIdPast { node: NodeId },

    #[error("{kind} {node} sits at a position that is not a finite number")]
    PositionNotFinite { node: NodeId, kind: NodeKind },

    #[error("{kind} {node} sits further than {} from the origin", MAX_COORDINATE)]
    PositionTooFar { node: NodeId, kind: NodeKind },

    #[error("{kind} {node} has no parameter {}", quoted(.param))]
    UnknownParam { node: NodeId, kind: NodeKind, param: String },

    /// A stored value its parameter does not take (out of range, too long, the wrong type).
    #[error("{kind} {node}: `{param}` {reason}")]
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
