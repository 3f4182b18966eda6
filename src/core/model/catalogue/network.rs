//! The Network kind: a stack of layers trained as one model.

use crate::core::model::params::LayerSpec;

use super::node_spec::{Category, NodeSpec};
use super::param_fields::kind_params;
use super::param_spec::layers;
use super::port_spec::{PortType, input, output};

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
        layers: Vec<LayerSpec> = layers(&DEFAULT_LAYERS),
    }
}

pub(super) static NETWORK: NodeSpec = NodeSpec {
    name: "Network",
    category: Category::Network,
    inputs: &[input("input", PortType::Tensor)],
    outputs: &[output("predictions", PortType::Tensor), output("model", PortType::Model)],
    params: &NETWORK_PARAMS,
};
