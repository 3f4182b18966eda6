//! The loss kinds: CrossEntropyLoss, MSELoss, L1Loss and CombineLoss.

use crate::core::model::choices::Reduction;

use super::node_spec::{Category, NodeSpec};
use super::param_fields::kind_params;
use super::param_spec::{choice, float, floats, int};
use super::port_spec::{PortSpec, PortType, input, optional_input, output};

// Only the reductions to one number are offered (`Reduction::MINIMISABLE`): every loss feeds a
// TrainingStep (or a CombineLoss), which minimises a single number, so PyTorch's `none` could
// never train.

kind_params! {
    /// CrossEntropyLoss's parameters.
    pub struct CrossEntropyParams in CROSS_ENTROPY_PARAMS {
        reduction: Reduction = choice(Reduction::MINIMISABLE, Reduction::Mean.name()),
        label_smoothing: f64 = float(0.0..=1.0, 0.0).labelled("smoothing"),
        ignore_index: i64 = int(-1_000_000..=1_000_000, -100),
        /// A weight per class; empty for equal weights.
        weight: Vec<f64> = floats(0.0..=1e6),
    }
}

pub(super) static CROSS_ENTROPY_LOSS: NodeSpec = NodeSpec {
    name: "CrossEntropyLoss",
    category: Category::Loss,
    inputs: &[input("predictions", PortType::Tensor), input("targets", PortType::Tensor)],
    outputs: &[output("loss", PortType::Tensor), output("accuracy", PortType::Scalar)],
    params: &CROSS_ENTROPY_PARAMS,
};

kind_params! {
    /// MSELoss's and L1Loss's parameters.
    pub struct RegressionLossParams in REGRESSION_LOSS_PARAMS {
        reduction: Reduction = choice(Reduction::MINIMISABLE, Reduction::Mean.name()),
    }
}

const REGRESSION_LOSS_INPUTS: &[PortSpec] =
    &[input("predictions", PortType::Tensor), input("targets", PortType::Tensor)];

pub(super) static MSE_LOSS: NodeSpec = NodeSpec {
    name: "MSELoss",
    category: Category::Loss,
    inputs: REGRESSION_LOSS_INPUTS,
    outputs: &[output("loss", PortType::Tensor)],
    params: &REGRESSION_LOSS_PARAMS,
};

pub(super) static L1_LOSS: NodeSpec = NodeSpec {
    name: "L1Loss",
    category: Category::Loss,
    inputs: REGRESSION_LOSS_INPUTS,
    outputs: &[output("loss", PortType::Tensor)],
    params: &REGRESSION_LOSS_PARAMS,
};

kind_params! {
    /// CombineLoss's parameters: the weight of each loss it sums.
    pub struct CombineLossParams in COMBINE_LOSS_PARAMS {
        weight_1: f64 = float(0.0..=1000.0, 1.0),
        weight_2: f64 = float(0.0..=1000.0, 1.0),
        weight_3: f64 = float(0.0..=1000.0, 1.0),
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
    inputs: &[
        input("loss_1", PortType::Tensor),
        input("loss_2", PortType::Tensor),
        optional_input("loss_3", PortType::Tensor),
    ],
    outputs: &[output("loss", PortType::Tensor)],
    params: &COMBINE_LOSS_PARAMS,
};
