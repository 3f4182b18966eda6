//! A graph's network as lessons and diagnoses read it: the first Network's layers, and its
//! hidden layers' widths.

use crate::core::model::catalogue::NodeKind;
use crate::core::model::graph::{Graph, Node};
use crate::core::model::params::LayerSpec;

/// The graph's first node of `kind` (by id).
pub fn first_of(graph: &Graph, kind: NodeKind) -> Option<&Node> {
    graph.nodes_of(kind).min_by_key(|node| node.id)
}

/// The first Network's layers (none without a Network, or with layers that do not read).
pub fn network_layers(graph: &Graph) -> Vec<LayerSpec> {
    first_of(graph, NodeKind::Network)
        .and_then(|node| node.param("layers"))
        .and_then(|layers| layers.as_layers().map(<[LayerSpec]>::to_vec))
        .unwrap_or_default()
}

/// The widths of the first Network's hidden linear layers: every Linear but the last.
pub fn hidden_widths(graph: &Graph) -> Vec<usize> {
    let mut widths: Vec<usize> = network_layers(graph)
        .iter()
        .filter_map(|layer| match layer {
            LayerSpec::Linear { out_features } => Some(*out_features),
            _ => None,
        })
        .collect();
    widths.pop();
    widths
}
