//! The optimizer kinds: SGDOptimizer, AdamOptimizer and AdamWOptimizer.

use super::NodeParams;
use super::node_spec::{Category, NodeSpec};
use super::param_fields::kind_params;
use super::param_spec::{ParamSpec, boolean, float, replaced};
use super::port_spec::{FROM_LOSS, FROM_MODEL, PortSpec, PortType, input, output};

const OPTIMIZER_INPUTS: &[PortSpec] = &[
    input("model", PortType::Model, "The model whose parameters it updates", FROM_MODEL),
    input("loss", PortType::Tensor, "The loss to minimise", FROM_LOSS),
];

const OPTIMIZER_OUTPUTS: &[PortSpec] =
    &[output("optimizer", PortType::Optimizer, "The configured optimizer")];

kind_params! {
    /// SGDOptimizer's parameters.
    pub struct SgdParams in SGD_PARAMS {
        learning_rate: f64 = float(0.0..=1000.0, 0.01, "Step size of each update").labelled("lr"),
        momentum: f64 = float(0.0..=1.0, 0.0, "Momentum factor (0 = plain SGD)"),
        weight_decay: f64 = float(0.0..=1.0, 0.0, "L2 penalty added to the gradient").labelled("decay"),
        nesterov: bool = boolean(false, "Use Nesterov momentum (needs a momentum above 0)"),
    }
}

pub(super) static SGD_OPTIMIZER: NodeSpec = NodeSpec {
    name: "SGDOptimizer",
    category: Category::Optimizer,
    help: "Stochastic gradient descent with optional momentum (PyTorch's torch.optim.SGD).",
    inputs: OPTIMIZER_INPUTS,
    outputs: OPTIMIZER_OUTPUTS,
    params: &SGD_PARAMS,
};

kind_params! {
    /// AdamOptimizer's and AdamWOptimizer's parameters, with PyTorch's defaults (AdamW's
    /// weight decay aside).
    pub struct AdamParams in ADAM_PARAMS {
        learning_rate: f64 = float(0.0..=1000.0, 0.001, "Step size of each update").labelled("lr"),
        beta1: f64 = float(0.0..=0.999999, 0.9, "Decay of the running mean of the gradient"),
        beta2: f64 = float(0.0..=0.999999, 0.999, "Decay of the running mean of the squared gradient"),
        epsilon: f64 = float(1e-12..=1.0, 1e-8, "Added to the denominator for stability"),
        weight_decay: f64 = float(0.0..=1.0, 0.0, "L2 penalty added to the gradient").labelled("decay"),
    }
}

/// AdamW's: Adam's, with PyTorch's AdamW weight decay.
const ADAMW_PARAMS: [ParamSpec; 5] = replaced(
    ADAM_PARAMS,
    float("weight_decay", 0.0..=1.0, 0.01, "Decoupled decay: p ← p·(1 − lr·wd) each step").labelled("decay"),
);

pub(super) static ADAM_OPTIMIZER: NodeSpec = NodeSpec {
    name: "AdamOptimizer",
    category: Category::Optimizer,
    help: "Adam: per-parameter steps from running means of the gradient (torch.optim.Adam).",
    inputs: OPTIMIZER_INPUTS,
    outputs: OPTIMIZER_OUTPUTS,
    params: &ADAM_PARAMS,
};

pub(super) static ADAMW_OPTIMIZER: NodeSpec = NodeSpec {
    name: "AdamWOptimizer",
    category: Category::Optimizer,
    help: "AdamW: Adam with weight decay applied to the weights directly (torch.optim.AdamW).",
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
