//! One node on the canvas: a box with its name, its ports and its parameters.

use leptos::prelude::*;

use crate::core::compile::shapes::{PortShape, Shapes};
use crate::core::model::catalogue::PortSpec;
use crate::core::model::graph::{InPort, Node, OutPort, PortEnd};
use crate::core::model::node_id::NodeId;
use crate::editor::geometry::{
    HEADER_HEIGHT, NODE_WIDTH, PARAM_ROW, node_height, param_lines, params_top, port_anchor, port_box,
};
use crate::editor::summary::{summary, title_lines};
use crate::editor::viewport::Bounds;
use crate::web::events::client_rect;

/// What a node's ports carry, where known, by position: inputs and outputs.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct PortShapes {
    inputs: Vec<Option<PortShape>>,
    outputs: Vec<Option<PortShape>>,
}

impl PortShapes {
    /// The shapes of `node`'s ports, from the graph's.
    pub fn of(node: &Node, shapes: &Shapes) -> Self {
        let spec = node.kind.spec();
        Self {
            inputs: (0..spec.inputs.len())
                .map(|index| shapes.input(InPort { node: node.id, index }).cloned())
                .collect(),
            outputs: (0..spec.outputs.len())
                .map(|index| shapes.output(OutPort { node: node.id, index }).cloned())
                .collect(),
        }
    }

    fn get(&self, is_input: bool, index: usize) -> Option<&PortShape> {
        let shapes = if is_input { &self.inputs } else { &self.outputs };
        shapes.get(index)?.as_ref()
    }
}

/// One port: a dot on the node's edge and its name, inputs on the left, outputs on the right,
/// over a transparent box that is where the pointer picks it (`editor::geometry::port_box`).
#[component]
fn PortView(
    /// Which port it is.
    port: PortEnd,
    /// The port's catalogue entry.
    spec: &'static PortSpec,
    /// What the port takes or gives (`NodeSpec::input_help`, `output_help`).
    help: String,
    /// Where its dot sits on the canvas.
    anchor: (f32, f32),
    /// Where the pointer picks it (`editor::geometry::port_box`).
    hit: Option<Bounds>,
    /// What the port carries, when the graph lets that be known.
    shape: Option<String>,
    /// Picked by a click or Enter, waiting for the port to connect it to.
    armed: Signal<bool>,
    /// Enter pressed on the focused port, with the port's place on screen.
    on_enter: Callback<(PortEnd, (f32, f32))>,
) -> impl IntoView {
    let is_input = matches!(port, PortEnd::Input(_));
    let (x, y) = anchor;
    let title = format!(
        "{} — {}{}: {}",
        spec.name,
        spec.ty,
        shape.as_ref().map(|shape| format!(" {shape}")).unwrap_or_default(),
        help
    );
    let port_label = if is_input {
        text!("editor-port-input", port = spec.name, carries = spec.ty.to_string())
    } else {
        text!("editor-port-output", port = spec.name, carries = spec.ty.to_string())
    };
    let (direction, label_x, text_anchor) =
        if is_input { ("in", x + 10.0, "start") } else { ("out", x - 10.0, "end") };
    let on_key = move |event: web_sys::KeyboardEvent| {
        if event.key() != "Enter" {
            return;
        }
        event.prevent_default();
        let element = event
            .current_target()
            .and_then(|target| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(target).ok());
        let (left, top, _, _) = element.as_ref().map_or((0.0, 0.0, 0.0, 0.0), client_rect);
        on_enter.run((port, (left, top)));
    };
    view! {
        <g class=format!("port port-{direction}") class:port-armed=move || armed.get() tabindex="0"
            data-port=format!("{}:{}", port.node().0, spec.name) data-port-dir=direction
            data-explain=format!("port:{}:{}:{}", port.node().0, if is_input { "in" } else { "out" }, spec.name) data-armed=move || armed.get().to_string()
            data-shape=shape on:keydown=on_key
            aria-label=port_label>
            <title>{title}</title>
            {hit.map(|hit| view! {
                <rect class="port-hit" x=hit.min.x y=hit.min.y width=hit.max.x - hit.min.x height=hit.max.y - hit.min.y />
            })}
            <circle cx=x cy=y r="5" class=format!("port-dot type-{}", spec.ty) />
            <text x=label_x y=y + 4.0 class="port-label" text-anchor=text_anchor>{spec.name}</text>
        </g>
    }
}

/// The zoomed-out texts of a node at `origin`, `height` tall: its title, as large as fits and
/// about 14 px on screen, and its summary lines at about 11 px, each cut to fit the width.
fn summary_texts(
    title: &str,
    lines: &[String],
    (x, y): (f32, f32),
    height: f32,
    zoom: f32,
) -> impl IntoView + use<> {
    // A character is about 0.6 of the font size wide; the text keeps 8 units off each side.
    let width = NODE_WIDTH - 16.0;
    let fits = |chars: usize| width / (0.6 * chars.max(1) as f32);
    let title_lines = title_lines(title, (width / (0.6 * 14.0 / zoom)) as usize);
    let longest = title_lines.iter().map(|line| line.chars().count()).max().unwrap_or(1);
    let line_size = (11.0 / zoom).min(26.0);
    let title_size = (14.0 / zoom).min(fits(longest)).min(34.0);
    // The texts fit the node's height: where the title's lines and every summary line would
    // not (a two-line title, `SGD` `Optimizer`, above two lines on a short node), all of them
    // shrink alike, rather than the last lines being left out.
    let title_block = title_size * (1.05 + 1.1 * title_lines.len().saturating_sub(1) as f32);
    let needed = match lines.len() {
        // The last title line's descenders.
        0 => title_block + 0.25 * title_size,
        count => title_block + 1.1 * title_size + line_size * (0.2 + 1.2 * (count - 1) as f32),
    };
    let shrink = ((height - 4.0 - HEADER_HEIGHT) / needed).min(1.0);
    let (title_size, line_size) = (title_size * shrink, line_size * shrink);
    let chars = (width / (0.6 * line_size)).floor().max(4.0) as usize;
    let mut texts = Vec::new();
    let mut baseline = y + HEADER_HEIGHT + title_size * 1.05;
    for line in &title_lines {
        texts.push(view! {
            <text x=x + 8.0 y=baseline class="node-summary-title" font-size=format!("{title_size:.1}")>{line.clone()}</text>
        });
        baseline += title_size * 1.1;
    }
    baseline += line_size * 0.2;
    for line in lines {
        if baseline > y + height - 3.5 {
            break;
        }
        let shown = if line.chars().count() > chars {
            format!("{}…", line.chars().take(chars.saturating_sub(1)).collect::<String>())
        } else {
            line.clone()
        };
        texts.push(view! {
            <text x=x + 8.0 y=baseline class="node-summary-line" font-size=format!("{line_size:.1}")>{shown}</text>
        });
        baseline += line_size * 1.2;
    }
    texts.into_iter().collect_view()
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
    /// This node's port that is armed for a connection, if any.
    armed: Signal<Option<PortEnd>>,
    /// Enter pressed on one of its ports.
    on_port_enter: Callback<(PortEnd, (f32, f32))>,
    /// The node took the keyboard focus.
    on_focus: Callback<NodeId>,
    /// `None` at full detail; zoomed out, the zoom (in steps), at which the node shows its
    /// title large and a summary instead of its parameters (`editor::summary`).
    zoomed_out: Signal<Option<f32>>,
) -> impl IntoView {
    let has_error = !errors.is_empty();
    let spec = node.kind.spec();
    let height = node_height(&node);
    let (x, y) = (node.pos.x, node.pos.y);
    let id = node.id;
    let ports = |ports: &'static [PortSpec], is_input: bool| {
        ports
            .iter()
            .enumerate()
            .map(|(index, port_spec)| {
                let help =
                    if is_input { spec.input_help(port_spec.name) } else { spec.output_help(port_spec.name) };
                let port = if is_input {
                    PortEnd::Input(InPort { node: id, index })
                } else {
                    PortEnd::Output(OutPort { node: id, index })
                };
                let shape = shapes.get(is_input, index).map(ToString::to_string);
                let armed = Signal::derive(move || armed.get() == Some(port));
                let (anchor, hit) = (port_anchor(&node, is_input, index), port_box(&node, is_input, index));
                view! { <PortView port spec=port_spec help anchor hit shape armed on_enter=on_port_enter /> }
            })
            .collect_view()
    };
    let inputs = ports(spec.inputs, true);
    let outputs = ports(spec.outputs, false);
    let top = y + params_top(spec);
    // A Network's layer sizes follow the shape arriving at its input (minus the batch).
    let network_input = match shapes.get(true, 0) {
        Some(PortShape::Tensor(dims)) if node.kind == crate::core::model::catalogue::NodeKind::Network => {
            dims.get(1..).map(<[usize]>::to_vec)
        }
        _ => None,
    };
    let summary_lines = summary(&node, network_input.as_deref());
    let node_label = if has_error {
        text!("editor-node-with-errors", kind = spec.name, id = id.0.to_string())
    } else {
        text!("editor-node", kind = spec.name, id = id.0.to_string())
    };
    let title = spec.name;
    let summary_view = move || {
        let zoom = zoomed_out.get()?;
        Some(summary_texts(title, &summary_lines, (x, y), height, zoom))
    };
    let params = param_lines(&node, network_input.as_deref())
        .into_iter()
        .enumerate()
        .map(|(index, line)| {
            view! { <text x=x + 10.0 y=top + (index as f32 + 0.75) * PARAM_ROW class="param-line">{line}</text> }
        })
        .collect_view();
    view! {
        <g class="node" class:node-error=has_error class:node-selected=move || selected.get()
            class:node-summary=move || zoomed_out.get().is_some() data-node-id=id.0 data-node-kind=spec.name
            data-explain=format!("node:{}", id.0)
            data-detail=move || if zoomed_out.get().is_some() { "summary" } else { "full" }
            data-selected=move || selected.get().to_string() role="group" tabindex="0"
            on:focusin=move |_| on_focus.run(id)
            aria-label=node_label>
            <title>{spec.help()}</title>
            <rect x=x y=y width=NODE_WIDTH height=height rx="8" class="node-body" />
            <rect x=x y=y width=NODE_WIDTH height=HEADER_HEIGHT rx="8" class=format!("node-header category-{:?}", spec.category) />
            <text x=x + 10.0 y=y + 17.0 class="node-title">{spec.name}</text>
            {has_error.then(|| view! {
                <g class="node-badge" data-testid="node-errors" data-explain="node-errors" data-count=errors.len()>
                    <title>{errors.join("\n")}</title>
                    <circle cx=x + NODE_WIDTH - 14.0 cy=y + 13.0 r="8" />
                    <text x=x + NODE_WIDTH - 14.0 y=y + 17.0 text-anchor="middle">{errors.len()}</text>
                </g>
            })}
            {inputs}
            {outputs}
            {params}
            {summary_view}
            {note.map(|(short, full)| view! {
                <g data-testid="node-note" data-explain="node-note"><title>{full}</title>
                    <text x=x + 4.0 y=y + height + 14.0 class="node-note">{short}</text>
                </g>
            })}
        </g>
    }
}
