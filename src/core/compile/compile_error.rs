//! What the compiler says about a graph it cannot run: one variant per kind of problem, each
//! naming the node (and port) involved and saying what to change.

use crate::core::model::catalogue::{NodeKind, PortType};
use crate::core::model::node_id::NodeId;

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum CompileError {
    #[error("{}", text!(
        "compile-invalid-param",
        kind = .kind.to_string(),
        node = .node.to_string(),
        param = .param.as_str(),
        reason = .reason.as_str(),
    ))]
    InvalidParam { node: NodeId, kind: NodeKind, param: String, reason: String },

    #[error("{}", text!(
        "compile-unknown-param",
        kind = .kind.to_string(),
        node = .node.to_string(),
        param = .param.as_str(),
    ))]
    UnknownParam { node: NodeId, kind: NodeKind, param: String },

    #[error("{}", text!(
        "compile-port-type-mismatch",
        to_kind = .to_kind.to_string(),
        to_node = .to_node.to_string(),
        to_port = *.to_port,
        expected = .expected.to_string(),
        from_kind = .from_kind.to_string(),
        from_node = .from_node.to_string(),
        from_port = *.from_port,
        found = .found.to_string(),
    ))]
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

    #[error("{}", text!(
        "compile-unconnected",
        kind = .kind.to_string(),
        node = .node.to_string(),
        port = *.port,
        hint = .hint.to_string(),
    ))]
    Unconnected { node: NodeId, kind: NodeKind, port: &'static str, hint: Hint },

    #[error("{}", text!("compile-missing-node", wanted = .wanted.to_string(), hint = .hint.to_string()))]
    MissingNode { wanted: NodeKind, hint: Hint },

    #[error("{}", text!(
        "compile-duplicate",
        count = *.count,
        kind = .kind.to_string(),
        nodes = .nodes.as_str(),
    ))]
    Duplicate { kind: NodeKind, count: usize, nodes: String, first: NodeId },

    #[error("{}", text!(
        "compile-wrong-source",
        kind = .kind.to_string(),
        node = .node.to_string(),
        port = *.port,
        expected = .expected.to_string(),
        found_kind = .found_kind.to_string(),
        found = .found.to_string(),
    ))]
    WrongSource {
        node: NodeId,
        kind: NodeKind,
        port: &'static str,
        expected: Hint,
        found: NodeId,
        found_kind: NodeKind,
    },

    #[error("{}", text!(
        "compile-node-problem",
        kind = .kind.to_string(),
        node = .node.to_string(),
        problem = .problem.as_str(),
    ))]
    ShapeMismatch { node: NodeId, kind: NodeKind, problem: String },

    #[error("{}", text!(
        "compile-cycle",
        kind = .kind.to_string(),
        node = .node.to_string(),
        path = .path.as_str(),
    ))]
    Cycle { node: NodeId, kind: NodeKind, path: String },

    #[error("{}", text!(
        "compile-two-optimizers",
        kind = .kind.to_string(),
        node = .node.to_string(),
        other_kind = .other_kind.to_string(),
        other = .other.to_string(),
        model_kind = .model_kind.to_string(),
        model = .model.to_string(),
    ))]
    TwoOptimizers {
        node: NodeId,
        kind: NodeKind,
        other: NodeId,
        other_kind: NodeKind,
        model: NodeId,
        model_kind: NodeKind,
    },

    /// A setting that cannot work with the rest of the graph.
    #[error("{}", text!(
        "compile-node-problem",
        kind = .kind.to_string(),
        node = .node.to_string(),
        problem = .problem.as_str(),
    ))]
    Conflict { node: NodeId, kind: NodeKind, problem: String },
}

/// What a message names as the fix: what should feed an input, or what the graph should add.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hint {
    /// What usually feeds an input of a kind, as the catalogue says (`NodeSpec::fed_by`).
    FedBy(NodeKind, &'static str),
    AddEpochTracker,
    AddTrainingStep,
    /// What drives the EpochTracker.
    StepComplete,
    Optimizer,
    /// An optimizer, for a RunEpoch with training on.
    OptimizerTrainingOn,
    LossOrCombineLoss,
    /// One of the losses CombineLoss weighs.
    LossNode,
    /// The loss the TrainingStep minimises.
    MinimisedLoss,
    Network,
    /// The Network the optimizer trains.
    TrainedNetwork,
    GetBatch,
    /// The GetBatch that feeds the Network.
    FeedingGetBatch,
    BatchSampler,
    /// The BatchSampler whose batches the Network sees.
    NetworksSampler,
    DatasetOrSplit,
    Dataset,
    /// What SequentialLR may chain: a schedule by the epoch.
    EpochSchedule,
    /// The optimizer of the TrainingStep.
    StepOptimizer,
}

impl std::fmt::Display for Hint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let text = match self {
            Hint::FedBy(kind, port) => kind.spec().fed_by(port),
            Hint::AddEpochTracker => text!("compile-hint-add-epoch-tracker"),
            Hint::AddTrainingStep => text!("compile-hint-add-training-step"),
            Hint::StepComplete => text!("compile-from-step-complete"),
            Hint::Optimizer => text!("compile-from-optimizer"),
            Hint::OptimizerTrainingOn => text!("compile-from-optimizer-training-on"),
            Hint::LossOrCombineLoss => text!("compile-from-loss-or-combine-loss"),
            Hint::LossNode => text!("compile-from-loss-node"),
            Hint::MinimisedLoss => text!("compile-from-minimised-loss"),
            Hint::Network => text!("compile-from-network"),
            Hint::TrainedNetwork => text!("compile-from-trained-network"),
            Hint::GetBatch => text!("compile-from-get-batch"),
            Hint::FeedingGetBatch => text!("compile-from-feeding-get-batch"),
            Hint::BatchSampler => text!("compile-from-batch-sampler"),
            Hint::NetworksSampler => text!("compile-from-networks-sampler"),
            Hint::DatasetOrSplit => text!("compile-from-dataset-or-split"),
            Hint::Dataset => text!("compile-from-dataset"),
            Hint::EpochSchedule => text!("compile-from-epoch-schedule"),
            Hint::StepOptimizer => text!("compile-from-step-optimizer"),
        };
        f.write_str(&text)
    }
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
                reason: text!("compile-param-mistyped", expected = expected, found = found.as_str()),
            },
        }
    }
}
