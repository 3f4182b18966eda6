//! The loss kinds: CrossEntropyLoss, MSELoss, L1Loss and CombineLoss.

use crate::core::model::choices::Reduction;

use super::node_spec::{Category, NodeSpec};
use super::param_fields::kind_params;
use super::param_spec::{choice, float, floats, int};
use super::port_spec::{
    FROM_BATCH_TARGETS, FROM_LOSS, FROM_PREDICTIONS, PortSpec, PortType, input, optional_input, output,
};

/// Only the reductions to one number are offered: every loss feeds a TrainingStep (or a
/// CombineLoss), which minimises a single number, so PyTorch's `none` could never train.
const REDUCTION_HELP: &str = "mean or sum of the samples' losses (the number TrainingStep minimises)";

kind_params! {
    /// CrossEntropyLoss's parameters.
    pub struct CrossEntropyParams in CROSS_ENTROPY_PARAMS {
        reduction: Reduction = choice(Reduction::MINIMISABLE, Reduction::Mean.name(), REDUCTION_HELP),
        label_smoothing: f64 = float(0.0..=1.0, 0.0, "Share of each target spread evenly over all classes")
            .labelled("smoothing"),
        ignore_index: i64 = int(-1_000_000..=1_000_000, -100, "Samples with this target count for nothing"),
        /// A weight per class; empty for equal weights.
        weight: Vec<f64> = floats(0.0..=1e6, "A weight per class (empty = all equal)"),
    }
}

pub(super) static CROSS_ENTROPY_LOSS: NodeSpec = NodeSpec {
    name: "CrossEntropyLoss",
    category: Category::Loss,
    help: "Classification loss: log-softmax of the logits, then the negative log-likelihood.",
    inputs: &[
        input(
            "predictions",
            PortType::Tensor,
            "Raw logits from the network, [batch, classes]",
            FROM_PREDICTIONS,
        ),
        input("targets", PortType::Tensor, "Class indices, [batch]", FROM_BATCH_TARGETS),
    ],
    outputs: &[
        output("loss", PortType::Tensor, "The batch's loss, reduced as `reduction` says"),
        output("accuracy", PortType::Scalar, "Share of the batch classified correctly (top 1)"),
    ],
    params: &CROSS_ENTROPY_PARAMS,
};

kind_params! {
    /// MSELoss's and L1Loss's parameters.
    pub struct RegressionLossParams in REGRESSION_LOSS_PARAMS {
        reduction: Reduction = choice(Reduction::MINIMISABLE, Reduction::Mean.name(), REDUCTION_HELP),
    }
}

const REGRESSION_LOSS_INPUTS: &[PortSpec] = &[
    input("predictions", PortType::Tensor, "The network's values, [batch, 1]", FROM_PREDICTIONS),
    input("targets", PortType::Tensor, "The true values, [batch, 1]", FROM_BATCH_TARGETS),
];

pub(super) static MSE_LOSS: NodeSpec = NodeSpec {
    name: "MSELoss",
    category: Category::Loss,
    help: "Regression loss: the squared difference between prediction and target (torch.nn.MSELoss).",
    inputs: REGRESSION_LOSS_INPUTS,
    outputs: &[output("loss", PortType::Tensor, "The batch's loss, reduced as `reduction` says")],
    params: &REGRESSION_LOSS_PARAMS,
};

pub(super) static L1_LOSS: NodeSpec = NodeSpec {
    name: "L1Loss",
    category: Category::Loss,
    help: "Regression loss: the absolute difference (MAE), less swayed by outliers than MSE (torch.nn.L1Loss).",
    inputs: REGRESSION_LOSS_INPUTS,
    outputs: &[output("loss", PortType::Tensor, "The batch's loss, reduced as `reduction` says")],
    params: &REGRESSION_LOSS_PARAMS,
};

kind_params! {
    /// CombineLoss's parameters: the weight of each loss it sums.
    pub struct CombineLossParams in COMBINE_LOSS_PARAMS {
        weight_1: f64 = float(0.0..=1000.0, 1.0, "Weight of loss_1"),
        weight_2: f64 = float(0.0..=1000.0, 1.0, "Weight of loss_2"),
        weight_3: f64 = float(0.0..=1000.0, 1.0, "Weight of loss_3"),
    }
}

impl CombineLossParams {
    /// The weights of `loss_1`, `loss_2` and `loss_3`, in that order.
    pub fn weights(&self) -> [f64; 3] {
        [self.weight_1, self.weight_2, self.weight_3]
    }
}

pub(super) static COMBINE_LOSS: NodeSpec = NodeSpec {
    name: "CombineLoss",
    category: Category::Loss,
    help: "A weighted sum of losses, minimised together: weight_1·loss_1 + weight_2·loss_2 (+ weight_3·loss_3).",
    inputs: &[
        input("loss_1", PortType::Tensor, "A loss", FROM_LOSS),
        input("loss_2", PortType::Tensor, "Another loss", FROM_LOSS),
        optional_input("loss_3", PortType::Tensor, "An optional third loss"),
    ],
    outputs: &[output("loss", PortType::Tensor, "The weighted sum")],
    params: &COMBINE_LOSS_PARAMS,
};
