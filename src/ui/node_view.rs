//! One node on the canvas: a box with its name, its ports and its parameters.

use leptos::prelude::*;

use super::geometry::{
    HEADER_HEIGHT, NODE_WIDTH, PARAM_ROW, node_height, param_lines, params_top, port_anchor,
};
use crate::core::graph::Node;

/// Draws `node`. `has_error` outlines it in the error colour.
#[component]
pub fn NodeView(node: Node, has_error: bool) -> impl IntoView {
    let spec = node.kind.spec();
    let height = node_height(&node);
    let (x, y) = (node.pos.x, node.pos.y);
    let id = node.id.0;
    let inputs = spec
        .inputs
        .iter()
        .enumerate()
        .map(|(index, port)| {
            let (px, py) = port_anchor(&node, true, index);
            view! {
                <g class="port port-in" data-port=format!("{id}:{}", port.name) data-port-dir="in"
                    aria-label=format!("input {} ({})", port.name, port.ty)>
                    <title>{format!("{} — {}: {}", port.name, port.ty, port.help)}</title>
                    <circle cx=px cy=py r="5" class=format!("port-dot type-{}", port.ty) />
                    <text x=px + 10.0 y=py + 4.0 class="port-label">{port.name}</text>
                </g>
            }
        })
        .collect_view();
    let outputs = spec
        .outputs
        .iter()
        .enumerate()
        .map(|(index, port)| {
            let (px, py) = port_anchor(&node, false, index);
            view! {
                <g class="port port-out" data-port=format!("{id}:{}", port.name) data-port-dir="out"
                    aria-label=format!("output {} ({})", port.name, port.ty)>
                    <title>{format!("{} — {}: {}", port.name, port.ty, port.help)}</title>
                    <circle cx=px cy=py r="5" class=format!("port-dot type-{}", port.ty) />
                    <text x=px - 10.0 y=py + 4.0 class="port-label" text-anchor="end">{port.name}</text>
                </g>
            }
        })
        .collect_view();
    let top = y + params_top(spec);
    let params = param_lines(&node)
        .into_iter()
        .enumerate()
        .map(|(index, line)| {
            view! { <text x=x + 10.0 y=top + (index as f32 + 0.75) * PARAM_ROW class="param-line">{line}</text> }
        })
        .collect_view();
    view! {
        <g class="node" class:node-error=has_error data-node-id=id data-node-kind=spec.name
            role="group" aria-label=format!("{} node {}", spec.name, id)>
            <title>{spec.help}</title>
            <rect x=x y=y width=NODE_WIDTH height=height rx="8" class="node-body" />
            <rect x=x y=y width=NODE_WIDTH height=HEADER_HEIGHT rx="8" class=format!("node-header category-{:?}", spec.category) />
            <text x=x + 10.0 y=y + 17.0 class="node-title">{spec.name}</text>
            {inputs}
            {outputs}
            {params}
        </g>
    }
}
