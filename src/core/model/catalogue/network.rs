//! The Network kind: a stack of layers trained as one model.

use crate::core::model::params::LayerSpec;

use super::node_spec::{Category, NodeSpec};
use super::param_fields::kind_params;
use super::param_spec::layers;
use super::port_spec::{FROM_BATCH_INPUTS, PortType, input, output};

const DEFAULT_LAYERS: [LayerSpec; 5] = [
    LayerSpec::Linear { out_features: 16 },
    LayerSpec::Relu,
    LayerSpec::Linear { out_features: 16 },
    LayerSpec::Relu,
    LayerSpec::Linear { out_features: 2 },
];

kind_params! {
    /// Network's parameters.
    pub struct NetworkParams in NETWORK_PARAMS {
        layers: Vec<LayerSpec> = layers(
            &DEFAULT_LAYERS,
            "Layers from input to output, e.g. Linear(16), BatchNorm1d, ReLU, Dropout(0.1), Linear(2); \
             activations ReLU, LeakyReLU(slope), Tanh, Sigmoid, GELU, ELU(alpha), SiLU, Mish, Softplus(beta)",
        ),
    }
}

pub(super) static NETWORK: NodeSpec = NodeSpec {
    name: "Network",
    category: Category::Network,
    help: "A stack of layers (Linear, ReLU, LeakyReLU, Tanh, Sigmoid, GELU, Dropout, LayerNorm, \
           BatchNorm1d, Flatten) trained as one model; each layer's input size is inferred. \
           BatchNorm1d(momentum) normalises by the batch while training and by its running \
           statistics in evaluation, as PyTorch's does.",
    inputs: &[input("input", PortType::Tensor, "A batch of inputs, [batch, features]", FROM_BATCH_INPUTS)],
    outputs: &[
        output("predictions", PortType::Tensor, "Raw scores (logits) [batch, classes], or values [batch, 1]"),
        output("model", PortType::Model, "The trainable parameters, for an optimizer"),
    ],
    params: &NETWORK_PARAMS,
};
