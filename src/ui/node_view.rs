//! One node on the canvas: a box with its name, its ports and its parameters.

use leptos::prelude::*;

use super::geometry::{
    HEADER_HEIGHT, NODE_WIDTH, PARAM_ROW, node_height, param_lines, params_top, port_anchor,
};
use crate::core::catalogue::PortSpec;
use crate::core::graph::Node;
use crate::core::shapes::PortShape;

/// What a node's ports carry: by (is an input, port name).
pub type PortShapes = std::collections::HashMap<(bool, &'static str), PortShape>;

/// One port: a dot on the node's edge and its name, inputs on the left, outputs on the right.
#[component]
fn PortView(
    /// The id of the node the port belongs to.
    node: u32,
    /// The port's catalogue entry.
    port: &'static PortSpec,
    /// Where the dot sits on the canvas.
    anchor: (f32, f32),
    /// Input (left edge) or output (right edge).
    is_input: bool,
    /// What the port carries, when the graph lets that be known.
    shape: Option<String>,
    /// Picked by a click or Enter, waiting for the port to connect it to.
    armed: Signal<bool>,
) -> impl IntoView {
    let (x, y) = anchor;
    let title = format!(
        "{} — {}{}: {}",
        port.name,
        port.ty,
        shape.as_ref().map(|shape| format!(" {shape}")).unwrap_or_default(),
        port.help
    );
    let (direction, label_x, text_anchor) =
        if is_input { ("in", x + 10.0, "start") } else { ("out", x - 10.0, "end") };
    view! {
        <g class=format!("port port-{direction}") class:port-armed=move || armed.get() tabindex="0"
            data-port=format!("{node}:{}", port.name) data-port-dir=direction data-armed=move || armed.get().to_string()
            data-shape=shape
            aria-label=format!("{} {} ({})", if is_input { "input" } else { "output" }, port.name, port.ty)>
            <title>{title}</title>
            <circle cx=x cy=y r="5" class=format!("port-dot type-{}", port.ty) />
            <text x=label_x y=y + 4.0 class="port-label" text-anchor=text_anchor>{port.name}</text>
        </g>
    }
}

/// Draws `node`: outlined when `selected`, with a badge counting its compile `errors` (listed
/// in the badge's tooltip) and its `note` underneath; `shapes` holds what its ports carry, where known.
#[component]
pub fn NodeView(
    node: Node,
    errors: Vec<String>,
    /// A short line shown under the node about how it runs here, and the full sentence.
    note: Option<(String, String)>,
    selected: Signal<bool>,
    shapes: PortShapes,
    /// The name of this node's port that is armed for a connection, if any.
    armed: Signal<Option<String>>,
) -> impl IntoView {
    let has_error = !errors.is_empty();
    let spec = node.kind.spec();
    let height = node_height(&node);
    let (x, y) = (node.pos.x, node.pos.y);
    let id = node.id.0;
    let ports = |ports: &'static [PortSpec], is_input: bool| {
        ports
            .iter()
            .enumerate()
            .map(|(index, port)| {
                let anchor = port_anchor(&node, is_input, index);
                let shape = shapes.get(&(is_input, port.name)).map(ToString::to_string);
                let name = port.name;
                let armed = Signal::derive(move || armed.read().as_deref() == Some(name));
                view! { <PortView node=id port anchor is_input shape armed /> }
            })
            .collect_view()
    };
    let inputs = ports(spec.inputs, true);
    let outputs = ports(spec.outputs, false);
    let top = y + params_top(spec);
    // A Network's layer sizes follow the shape arriving at its input (minus the batch).
    let network_input = match shapes.get(&(true, "input")) {
        Some(PortShape::Tensor(dims)) => dims.get(1..).map(<[usize]>::to_vec),
        _ => None,
    };
    let params = param_lines(&node, network_input.as_deref())
        .into_iter()
        .enumerate()
        .map(|(index, line)| {
            view! { <text x=x + 10.0 y=top + (index as f32 + 0.75) * PARAM_ROW class="param-line">{line}</text> }
        })
        .collect_view();
    view! {
        <g class="node" class:node-error=has_error class:node-selected=move || selected.get() data-node-id=id data-node-kind=spec.name
            data-selected=move || selected.get().to_string() role="group" tabindex="0"
            aria-label=format!("{} node {}{}", spec.name, id, if has_error { ", has errors" } else { "" })>
            <title>{spec.help}</title>
            <rect x=x y=y width=NODE_WIDTH height=height rx="8" class="node-body" />
            <rect x=x y=y width=NODE_WIDTH height=HEADER_HEIGHT rx="8" class=format!("node-header category-{:?}", spec.category) />
            <text x=x + 10.0 y=y + 17.0 class="node-title">{spec.name}</text>
            {has_error.then(|| view! {
                <g class="node-badge" data-testid="node-errors" data-count=errors.len()>
                    <title>{errors.join("\n")}</title>
                    <circle cx=x + NODE_WIDTH - 14.0 cy=y + 13.0 r="8" />
                    <text x=x + NODE_WIDTH - 14.0 y=y + 17.0 text-anchor="middle">{errors.len()}</text>
                </g>
            })}
            {inputs}
            {outputs}
            {params}
            {note.map(|(short, full)| view! {
                <g data-testid="node-note"><title>{full}</title>
                    <text x=x + 4.0 y=y + height + 14.0 class="node-note">{short}</text>
                </g>
            })}
        </g>
    }
}
