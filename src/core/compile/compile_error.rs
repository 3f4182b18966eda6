//! What the compiler says about a graph it cannot run: one variant per kind of problem, each
//! naming the node (and port) involved and saying what to change.

use crate::core::model::catalogue::{NodeKind, PortType};
use crate::core::model::node_id::NodeId;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CompileError {
    #[error("{kind} {node}: `{param}` {reason}")]
    InvalidParam { node: NodeId, kind: NodeKind, param: String, reason: String },

    #[error("{kind} {node}: there is no parameter `{param}`; remove it")]
    UnknownParam { node: NodeId, kind: NodeKind, param: String },

    #[error(
        "{to_kind} {to_node}: input `{to_port}` takes a {expected}, but {from_kind} {from_node} \
         `{from_port}` gives a {found}; connect a {expected} output instead"
    )]
    PortTypeMismatch {
        from_node: NodeId,
        from_kind: NodeKind,
        from_port: &'static str,
        found: PortType,
        to_node: NodeId,
        to_kind: NodeKind,
        to_port: &'static str,
        expected: PortType,
    },

    #[error("{kind} {node}: input `{port}` is not connected; connect it to {hint}")]
    Unconnected { node: NodeId, kind: NodeKind, port: &'static str, hint: &'static str },

    #[error("the graph has no {wanted} node; {hint}")]
    MissingNode { wanted: NodeKind, hint: &'static str },

    #[error(
        "the graph has {count} {kind} nodes ({nodes}); a training loop has exactly one, remove the others"
    )]
    Duplicate { kind: NodeKind, count: usize, nodes: String, first: NodeId },

    #[error("{kind} {node}: input `{port}` must come from {expected}, not from {found_kind} {found}")]
    WrongSource {
        node: NodeId,
        kind: NodeKind,
        port: &'static str,
        expected: &'static str,
        found: NodeId,
        found_kind: NodeKind,
    },

    #[error("{kind} {node}: {problem}")]
    ShapeMismatch { node: NodeId, kind: NodeKind, problem: String },

    #[error(
        "{kind} {node}: its output comes back to its own input through {path}; data flows one way, \
         so remove one of these wires (only trigger wires, such as EpochTracker's epoch_trigger, may \
         loop back)"
    )]
    Cycle { node: NodeId, kind: NodeKind, path: String },

    #[error(
        "{kind} {node} and {other_kind} {other} both update {model_kind} {model}; a model has one \
         optimizer, so remove one of them"
    )]
    TwoOptimizers {
        node: NodeId,
        kind: NodeKind,
        other: NodeId,
        other_kind: NodeKind,
        model: NodeId,
        model_kind: NodeKind,
    },

    /// A setting that cannot work with the rest of the graph.
    #[error("{kind} {node}: {problem}")]
    Conflict { node: NodeId, kind: NodeKind, problem: String },
}

impl CompileError {
    /// The node the problem belongs to, so the editor can mark it.
    pub fn node(&self) -> Option<NodeId> {
        match self {
            CompileError::InvalidParam { node, .. }
            | CompileError::UnknownParam { node, .. }
            | CompileError::Unconnected { node, .. }
            | CompileError::WrongSource { node, .. }
            | CompileError::ShapeMismatch { node, .. }
            | CompileError::Cycle { node, .. }
            | CompileError::TwoOptimizers { node, .. }
            | CompileError::Conflict { node, .. } => Some(*node),
            CompileError::PortTypeMismatch { to_node, .. } => Some(*to_node),
            CompileError::Duplicate { first, .. } => Some(*first),
            CompileError::MissingNode { .. } => None,
        }
    }
}

impl From<crate::core::model::catalogue::ParamError> for CompileError {
    fn from(error: crate::core::model::catalogue::ParamError) -> Self {
        use crate::core::model::catalogue::ParamError;
        match error {
            ParamError::Unknown { node, kind, param } => {
                CompileError::UnknownParam { node, kind, param: param.to_owned() }
            }
            ParamError::Mistyped { node, kind, param, expected, found } => CompileError::InvalidParam {
                node,
                kind,
                param: param.to_owned(),
                reason: format!("should be {expected}, but is `{found}`"),
            },
        }
    }
}
