//! Where things sit on the canvas: node boxes, port anchors, wire curves.
//!
//! Pure functions of the graph, shared by the node and wire views so a wire always ends
//! exactly on its port.

use crate::core::catalogue::{NodeSpec, ParamKind};
use crate::core::dataset::POINT_FEATURES;
use crate::core::graph::{Graph, Node, PortRef};
use crate::core::plan::NetworkPlan;

pub const NODE_WIDTH: f32 = 190.0;
pub const HEADER_HEIGHT: f32 = 26.0;
pub const PORT_ROW: f32 = 20.0;
pub const PARAM_ROW: f32 = 16.0;
pub const PADDING: f32 = 8.0;

/// Lines of parameter text a node shows under its ports. A Network's layers show their sizes,
/// computed from `network_input`, the shape of one sample going in (2-D points if unknown).
pub fn param_lines(node: &Node, network_input: Option<&[usize]>) -> Vec<String> {
    let spec = node.kind.spec();
    let mut lines = Vec::new();
    for param in spec.params {
        let Some(value) = node.param(param.name) else { continue };
        // Decide by the schema, not the value: an empty list reads as layers or numbers.
        match (&param.kind, value.as_layers()) {
            (ParamKind::Layers, Some(layers)) => {
                let in_shape = network_input.map_or_else(|| vec![POINT_FEATURES], <[usize]>::to_vec);
                let plan = NetworkPlan { in_shape, layers: layers.to_vec() };
                lines.extend(plan.layer_labels());
            }
            _ => lines.push(format!("{} = {value}", param.name)),
        }
    }
    lines
}

fn port_rows(spec: &NodeSpec) -> usize {
    spec.inputs.len().max(spec.outputs.len())
}

/// The y offset of the first parameter line, from the node's top.
pub fn params_top(spec: &NodeSpec) -> f32 {
    HEADER_HEIGHT + port_rows(spec) as f32 * PORT_ROW + PADDING
}

/// The node's height on the canvas.
pub fn node_height(node: &Node) -> f32 {
    params_top(node.kind.spec()) + param_lines(node, None).len() as f32 * PARAM_ROW + PADDING
}

/// Canvas position of input `index` (left edge) or output `index` (right edge).
pub fn port_anchor(node: &Node, is_input: bool, index: usize) -> (f32, f32) {
    let x = if is_input { node.pos.x } else { node.pos.x + NODE_WIDTH };
    let y = node.pos.y + HEADER_HEIGHT + (index as f32 + 0.5) * PORT_ROW;
    (x, y)
}

/// Canvas position of the port a wire end names, if the node and port exist.
pub fn anchor_of(graph: &Graph, port: &PortRef, is_input: bool) -> Option<(f32, f32)> {
    let node = graph.node(port.node)?;
    let spec = node.kind.spec();
    let ports = if is_input { spec.inputs } else { spec.outputs };
    let index = ports.iter().position(|candidate| candidate.name == port.port)?;
    Some(port_anchor(node, is_input, index))
}

/// An SVG path from an output anchor to an input anchor: a horizontal-tangent cubic, which
/// also draws a readable loop when the input lies left of the output.
pub fn wire_path((x1, y1): (f32, f32), (x2, y2): (f32, f32)) -> String {
    let reach = ((x2 - x1).abs() / 2.0).max(60.0);
    format!("M{x1:.1},{y1:.1} C{:.1},{y1:.1} {:.1},{y2:.1} {x2:.1},{y2:.1}", x1 + reach, x2 - reach)
}

/// The box that holds every node, with a margin: the SVG viewBox.
pub fn view_box(graph: &Graph) -> (f32, f32, f32, f32) {
    // Wires leave and enter ports horizontally and may bulge past the outermost nodes.
    let margin = 70.0;
    let mut bounds: Option<(f32, f32, f32, f32)> = None;
    for node in graph.nodes() {
        let (x0, y0) = (node.pos.x, node.pos.y);
        let (x1, y1) = (x0 + NODE_WIDTH, y0 + node_height(node));
        bounds = Some(match bounds {
            None => (x0, y0, x1, y1),
            Some((a, b, c, d)) => (a.min(x0), b.min(y0), c.max(x1), d.max(y1)),
        });
    }
    let (x0, y0, x1, y1) = bounds.unwrap_or((0.0, 0.0, 800.0, 400.0));
    (x0 - margin, y0 - margin, x1 - x0 + 2.0 * margin, y1 - y0 + 2.0 * margin)
}
