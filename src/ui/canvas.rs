//! The SVG canvas showing the graph: wires underneath, nodes on top.

use std::collections::HashSet;

use leptos::prelude::*;

use super::geometry::view_box;
use super::node_view::NodeView;
use super::wire_view::WireView;
use crate::core::graph::{Graph, NodeId};

/// Draws `graph`, outlining the nodes in `error_nodes`.
#[component]
pub fn GraphCanvas(
    /// The graph to draw.
    graph: Signal<Graph>,
    /// Nodes with compile errors.
    error_nodes: Signal<HashSet<NodeId>>,
) -> impl IntoView {
    let view_box = move || {
        let (x, y, width, height) = view_box(&graph.read());
        format!("{x} {y} {width} {height}")
    };
    let wires = move || {
        let graph = graph.get();
        graph
            .wires()
            .iter()
            .cloned()
            .map(|wire| view! { <WireView wire graph=graph.clone() /> })
            .collect_view()
    };
    let nodes = move || {
        let errors = error_nodes.get();
        graph
            .get()
            .nodes()
            .iter()
            .cloned()
            .map(|node| {
                let has_error = errors.contains(&node.id);
                view! { <NodeView node has_error /> }
            })
            .collect_view()
    };
    view! {
        <svg class="canvas" data-testid="canvas" viewBox=view_box preserveAspectRatio="xMidYMid meet"
            role="img" aria-label="Training graph">
            <g class="wires">{wires}</g>
            <g class="nodes">{nodes}</g>
        </svg>
    }
}
