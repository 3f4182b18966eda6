//! Where things sit on the canvas: node boxes, port anchors and hit boxes, wire curves, and
//! what lies under a point.
//!
//! Pure functions of the graph, shared by the views (so a wire always ends exactly on its
//! port, and a port's hit box is drawn where it is tested) and by the gestures, which ask
//! [`target_at`] what a pointer pressed or released on.

use super::viewport::Bounds;
use crate::core::compile::plan::NetworkPlan;
use crate::core::model::catalogue::param_applies;
use crate::core::model::catalogue::{NodeSpec, ParamKind};
use crate::core::model::choices::POINT_FEATURES;
use crate::core::model::file_ref::FileRef;
use crate::core::model::graph::{Graph, InPort, Node, OutPort, PortEnd, Pos};
use crate::core::model::node_id::NodeId;

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
    for param in spec.params.iter().filter(|param| param_applies(node, param.name)) {
        let Some(value) = node.param(param.name) else { continue };
        // Decide by the schema, not the value: an empty list reads as layers or numbers.
        match (&param.kind, value.as_layers()) {
            (ParamKind::Layers, Some(layers)) => {
                let in_shape = network_input.map_or_else(|| vec![POINT_FEATURES], <[usize]>::to_vec);
                let plan = NetworkPlan { in_shape, layers: layers.to_vec() };
                lines.extend(plan.layer_labels());
            }
            (ParamKind::File, _) => {
                let file = value.as_text().and_then(FileRef::from_param);
                let name = file.map_or_else(|| text!("editor-param-no-file"), |file| file.name);
                lines.push(format!("file = {name}"));
            }
            (ParamKind::Columns, _) if value.as_text().is_some_and(str::is_empty) => {
                lines.push(format!("{} = {}", param.name, text!("editor-param-all-columns")));
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

/// Canvas position of a port's dot, if its node exists.
pub fn anchor(graph: &Graph, port: PortEnd) -> Option<Pos> {
    let (node, is_input, index) = match port {
        PortEnd::Input(InPort { node, index }) => (node, true, index),
        PortEnd::Output(OutPort { node, index }) => (node, false, index),
    };
    let (x, y) = port_anchor(graph.node(node)?, is_input, index);
    Some(Pos { x, y })
}

/// How far a port's hit box reaches past the node's edge, around its dot.
pub const PORT_REACH: f32 = 8.0;

/// The box where a press or a drop picks input (`is_input`) or output `index` of `node`: its
/// dot and its name, the height of its row. The view draws it (transparent) as the port's
/// element, so what the pointer meets and what is tested agree.
pub fn port_box(node: &Node, is_input: bool, index: usize) -> Option<Bounds> {
    let spec = node.kind.spec();
    let port = if is_input { spec.inputs.get(index)? } else { spec.outputs.get(index)? };
    // The name at 11 px is about 6 px a character, after a 10 px gap from the dot.
    let label = (12.0 + port.name.chars().count() as f32 * 6.0).min(NODE_WIDTH / 2.0);
    let (x, y) = port_anchor(node, is_input, index);
    let (left, right) = if is_input { (x - PORT_REACH, x + label) } else { (x - label, x + PORT_REACH) };
    Some(Bounds { min: Pos { x: left, y: y - PORT_ROW / 2.0 }, max: Pos { x: right, y: y + PORT_ROW / 2.0 } })
}

/// What a point of the canvas holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Target {
    Port(PortEnd),
    Node(NodeId),
    Canvas,
}

/// What lies under world point `at`: the topmost node's port there, else that node, else
/// empty canvas. Nodes drawn later lie on top.
pub fn target_at(graph: &Graph, at: Pos) -> Target {
    let inside = |bounds: Bounds| {
        (bounds.min.x..=bounds.max.x).contains(&at.x) && (bounds.min.y..=bounds.max.y).contains(&at.y)
    };
    for node in graph.nodes().rev() {
        let spec = node.kind.spec();
        for index in 0..spec.inputs.len() {
            if port_box(node, true, index).is_some_and(inside) {
                return Target::Port(PortEnd::Input(InPort { node: node.id, index }));
            }
        }
        for index in 0..spec.outputs.len() {
            if port_box(node, false, index).is_some_and(inside) {
                return Target::Port(PortEnd::Output(OutPort { node: node.id, index }));
            }
        }
        if inside(node_box(node)) {
            return Target::Node(node.id);
        }
    }
    Target::Canvas
}

/// A node's box on the canvas.
pub fn node_box(node: &Node) -> Bounds {
    Bounds { min: node.pos, max: Pos { x: node.pos.x + NODE_WIDTH, y: node.pos.y + node_height(node) } }
}

/// The world box of every node, or `None` for an empty graph.
pub fn graph_bounds(graph: &Graph) -> Option<Bounds> {
    graph.nodes().map(node_box).reduce(|a, b| Bounds {
        min: Pos { x: a.min.x.min(b.min.x), y: a.min.y.min(b.min.y) },
        max: Pos { x: a.max.x.max(b.max.x), y: a.max.y.max(b.max.y) },
    })
}

/// An SVG path from an output anchor to an input anchor: a horizontal-tangent cubic, which
/// also draws a readable loop when the input lies left of the output.
pub fn wire_path((x1, y1): (f32, f32), (x2, y2): (f32, f32)) -> String {
    let reach = ((x2 - x1).abs() / 2.0).max(60.0);
    let mut path = String::with_capacity(64);
    for (command, (x, y)) in
        [('M', (x1, y1)), ('C', (x1 + reach, y1)), (' ', (x2 - reach, y2)), (' ', (x2, y2))]
    {
        if command != 'M' {
            path.push(' ');
        }
        if command != ' ' {
            path.push(command);
        }
        push_point(&mut path, (x, y));
    }
    path
}

/// Writes `x,y` to one decimal, as an SVG path takes it: integers written, not floats
/// formatted — a canvas at the limits writes thousands of wires a frame.
pub fn push_point(path: &mut String, (x, y): (f32, f32)) {
    push_number(path, x);
    path.push(',');
    push_number(path, y);
}

fn push_number(path: &mut String, value: f32) {
    use std::fmt::Write;
    let tenths = (f64::from(value) * 10.0).round() as i64;
    if tenths < 0 {
        path.push('-');
    }
    let tenths = tenths.unsigned_abs();
    let _ = write!(path, "{}.{}", tenths / 10, tenths % 10);
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::catalogue::NodeKind;
    use crate::core::model::templates::basic_loop;

    #[test]
    fn wire_paths_write_numbers_to_one_decimal_as_formatting_would() {
        let (from, to) = ((12.34, -7.26), (480.0, 1e5 / 3.0));
        let reach = ((to.0 - from.0) / 2.0_f32).max(60.0);
        let formatted = format!(
            "M{:.1},{:.1} C{:.1},{:.1} {:.1},{:.1} {:.1},{:.1}",
            from.0,
            from.1,
            from.0 + reach,
            from.1,
            to.0 - reach,
            to.1,
            to.0,
            to.1
        );
        assert_eq!(wire_path(from, to), formatted);
    }

    #[test]
    fn a_port_its_node_and_empty_canvas_are_told_apart() {
        let graph = basic_loop();
        let network = graph.nodes_of(NodeKind::Network).next().unwrap();
        let input = graph.input(network.id, "input").unwrap();
        let dot = anchor(&graph, PortEnd::Input(input)).unwrap();
        assert_eq!(target_at(&graph, dot), Target::Port(PortEnd::Input(input)));
        // The port's name is part of it; the header is the node's.
        assert_eq!(target_at(&graph, Pos { x: dot.x + 20.0, y: dot.y }), Target::Port(PortEnd::Input(input)));
        let header = Pos { x: network.pos.x + 40.0, y: network.pos.y + HEADER_HEIGHT / 2.0 };
        assert_eq!(target_at(&graph, header), Target::Node(network.id));
        let bounds = graph_bounds(&graph).unwrap();
        assert_eq!(target_at(&graph, Pos { x: bounds.max.x + 50.0, y: bounds.min.y }), Target::Canvas);
    }

    #[test]
    fn the_node_drawn_last_is_the_one_under_the_pointer() {
        let mut graph = Graph::new();
        let below = graph.add_node(NodeKind::GetBatch, Pos { x: 0.0, y: 0.0 });
        let above = graph.add_node(NodeKind::GetBatch, Pos { x: 0.0, y: 0.0 });
        assert_ne!(below, above);
        assert_eq!(target_at(&graph, Pos { x: 40.0, y: 10.0 }), Target::Node(above));
    }
}
