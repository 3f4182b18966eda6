//! The SVG canvas showing the graph: wires underneath, nodes on top.

use std::collections::HashSet;

use leptos::prelude::*;

use super::geometry::view_box;
use super::node_view::{NodeView, PortShapes};
use super::wire_view::WireView;
use crate::core::graph::{Graph, NodeId, PortRef};
use crate::core::shapes::infer_shapes;

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
    let shapes = Memo::new(move |_| infer_shapes(&graph.read()));
    let wires = move || {
        let graph = graph.get();
        let shapes = shapes.read();
        graph
            .wires()
            .iter()
            .cloned()
            .map(|wire| {
                let shape = shapes.get(&wire.from).cloned();
                view! { <WireView wire graph=graph.clone() shape /> }
            })
            .collect_view()
    };
    let nodes = move || {
        let errors = error_nodes.get();
        let shapes = shapes.read();
        graph
            .get()
            .nodes()
            .iter()
            .cloned()
            .map(|node| {
                let has_error = errors.contains(&node.id);
                let spec = node.kind.spec();
                let ports = spec.inputs.iter().map(|port| (true, port.name));
                let ports = ports.chain(spec.outputs.iter().map(|port| (false, port.name)));
                let shapes: PortShapes = ports
                    .filter_map(|(is_input, name)| {
                        Some(((is_input, name), shapes.get(&PortRef::new(node.id, name))?.clone()))
                    })
                    .collect();
                view! { <NodeView node has_error shapes /> }
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
