//! Which node each part of a training plan comes from, for what points a reader back at the
//! graph: the exported programs name the node behind each setting in a comment.

use std::fmt;

use crate::core::model::catalogue::NodeKind;
use crate::core::model::graph::Node;
use crate::core::model::node_id::NodeId;

/// A node, as code comments and messages cite it: `SGDOptimizer #5`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NodeRef {
    pub id: NodeId,
    pub kind: NodeKind,
}

impl From<&Node> for NodeRef {
    fn from(node: &Node) -> Self {
        Self { id: node.id, kind: node.kind }
    }
}

impl fmt::Display for NodeRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.kind, self.id)
    }
}

/// The nodes behind a compiled graph's plan.
#[derive(Clone, Debug, PartialEq)]
pub struct PlanNodes {
    pub dataset: NodeRef,
    pub split: Option<NodeRef>,
    /// The BatchSampler of the training batches.
    pub sampler: NodeRef,
    pub network: NodeRef,
    /// What TrainingStep minimises: a loss node or a CombineLoss.
    pub loss: NodeRef,
    /// The loss nodes, one per term of the plan's loss, in its order.
    pub loss_terms: Vec<NodeRef>,
    pub metric: Option<NodeRef>,
    /// The ClassificationMetrics node.
    pub class_metrics: Option<NodeRef>,
    pub optimizer: NodeRef,
    pub scheduler: Option<NodeRef>,
    /// The TrainingStep; `None` when a RunEpoch with training on drives the loop.
    pub step: Option<NodeRef>,
    pub tracker: NodeRef,
    /// The RunEpoch that validates, and its BatchSampler.
    pub validation: Option<(NodeRef, NodeRef)>,
}
