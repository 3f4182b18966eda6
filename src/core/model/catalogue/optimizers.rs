//! The optimizer kinds: SGDOptimizer, AdamOptimizer and AdamWOptimizer.

use super::NodeParams;
use super::node_spec::{Category, NodeSpec};
use super::param_fields::kind_params;
use super::param_spec::{ParamSpec, boolean, float, replaced};
use super::port_spec::{PortSpec, PortType, input, output};

const OPTIMIZER_INPUTS: &[PortSpec] = &[input("model", PortType::Model), input("loss", PortType::Tensor)];

const OPTIMIZER_OUTPUTS: &[PortSpec] = &[output("optimizer", PortType::Optimizer)];

kind_params! {
    /// SGDOptimizer's parameters.
    pub struct SgdParams in SGD_PARAMS {
        learning_rate: f64 = float(0.0..=1000.0, 0.01).labelled("lr"),
        momentum: f64 = float(0.0..=1.0, 0.0),
        weight_decay: f64 = float(0.0..=1.0, 0.0).labelled("decay"),
        nesterov: bool = boolean(false),
    }
}

pub(super) static SGD_OPTIMIZER: NodeSpec = NodeSpec {
    name: "SGDOptimizer",
    category: Category::Optimizer,
    inputs: OPTIMIZER_INPUTS,
    outputs: OPTIMIZER_OUTPUTS,
    params: &SGD_PARAMS,
};

kind_params! {
    /// AdamOptimizer's and AdamWOptimizer's parameters, with PyTorch's defaults (AdamW's
    /// weight decay aside).
    pub struct AdamParams in ADAM_PARAMS {
        learning_rate: f64 = float(0.0..=1000.0, 0.001).labelled("lr"),
        beta1: f64 = float(0.0..=0.999999, 0.9),
        beta2: f64 = float(0.0..=0.999999, 0.999),
        epsilon: f64 = float(1e-12..=1.0, 1e-8),
        weight_decay: f64 = float(0.0..=1.0, 0.0).labelled("decay"),
    }
}

/// AdamW's: Adam's, with PyTorch's AdamW weight decay.
const ADAMW_PARAMS: [ParamSpec; 5] =
    replaced(ADAM_PARAMS, float("weight_decay", 0.0..=1.0, 0.01).labelled("decay"));

pub(super) static ADAM_OPTIMIZER: NodeSpec = NodeSpec {
    name: "AdamOptimizer",
    category: Category::Optimizer,
    inputs: OPTIMIZER_INPUTS,
    outputs: OPTIMIZER_OUTPUTS,
    params: &ADAM_PARAMS,
};

pub(super) static ADAMW_OPTIMIZER: NodeSpec = NodeSpec {
    name: "AdamWOptimizer",
    category: Category::Optimizer,
    inputs: OPTIMIZER_INPUTS,
    outputs: OPTIMIZER_OUTPUTS,
    params: &ADAMW_PARAMS,
};

impl NodeParams {
    /// An optimizer's learning rate, to read or set; `None` for every other kind.
    pub fn learning_rate_mut(&mut self) -> Option<&mut f64> {
        match self {
            NodeParams::SgdOptimizer(params) => Some(&mut params.learning_rate),
            NodeParams::AdamOptimizer(params) | NodeParams::AdamWOptimizer(params) => {
                Some(&mut params.learning_rate)
            }
            _ => None,
        }
    }
}
