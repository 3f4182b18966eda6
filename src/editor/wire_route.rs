//! The line a wire takes on the canvas. A wire running forward — its input to the right of
//! its output — is a smooth curve. One running back (the training loop's trigger from
//! EpochTracker to GetBatch, or a row's last node feeding the next row's first) goes around
//! the nodes instead of through them: out to the right, along the gap above its input's node
//! (or below the nodes it passes, going down), and in from the left, with rounded corners.

use super::geometry::{NODE_WIDTH, node_height, port_anchor, wire_path};
use crate::core::model::graph::{Graph, Node, Wire};

/// How far a back-running wire stands off a node before it turns.
const STAND_OFF: f32 = 18.0;
/// The corners' radius.
const CORNER: f32 = 10.0;

/// The SVG path of `wire` in `graph` (world units); `None` when an end is missing.
pub fn wire_route(graph: &Graph, wire: Wire) -> Option<String> {
    Some(match corners(graph, wire)? {
        Route::Curve(from, to) => wire_path(from, to),
        Route::Around(points) => rounded(&points),
    })
}

/// A wire's line: a curve between its ends, or around the nodes through these corners.
#[derive(Clone, Debug, PartialEq)]
pub enum Route {
    Curve((f32, f32), (f32, f32)),
    Around(Vec<(f32, f32)>),
}

/// How `wire` is drawn: a curve when it runs forward past no other node, else around.
pub fn corners(graph: &Graph, wire: Wire) -> Option<Route> {
    let from_node = graph.node(wire.from.node)?;
    let to_node = graph.node(wire.to.node)?;
    let from = port_anchor(from_node, false, wire.from.index);
    let to = port_anchor(to_node, true, wire.to.index);
    let others = || graph.nodes().filter(|node| node.id != from_node.id && node.id != to_node.id);
    let forward = to.0 >= from.0 + 2.0 * STAND_OFF;
    if forward && !others().any(|node| curve_crosses(node, from, to)) {
        return Some(Route::Curve(from, to));
    }
    Some(Route::Around(around(graph, from_node, from, to_node, to)))
}

/// Whether `geometry::wire_path`'s curve from `from` to `to` passes through `node`'s box (sampled).
fn curve_crosses(node: &Node, (x1, y1): (f32, f32), (x2, y2): (f32, f32)) -> bool {
    let reach = ((x2 - x1).abs() / 2.0).max(60.0);
    let (cx1, cx2) = (x1 + reach, x2 - reach);
    (1..32).any(|step| {
        let t = step as f32 / 32.0;
        let u = 1.0 - t;
        let x = u * u * u * x1 + 3.0 * u * u * t * cx1 + 3.0 * u * t * t * cx2 + t * t * t * x2;
        let y = u * u * u * y1 + 3.0 * u * u * t * y1 + 3.0 * u * t * t * y2 + t * t * t * y2;
        inside(node, (x, y), 2.0)
    })
}

/// The box of `node`, grown by `margin`.
fn bounds(node: &Node, margin: f32) -> (f32, f32, f32, f32) {
    (
        node.pos.x - margin,
        node.pos.y - margin,
        node.pos.x + NODE_WIDTH + margin,
        node.pos.y + node_height(node) + margin,
    )
}

fn inside(node: &Node, (x, y): (f32, f32), margin: f32) -> bool {
    let (left, top, right, bottom) = bounds(node, margin);
    x > left && x < right && y > top && y < bottom
}

/// Whether the horizontal or vertical segment from `a` to `b` passes through `node`.
fn segment_crosses(node: &Node, a: (f32, f32), b: (f32, f32)) -> bool {
    let (left, top, right, bottom) = bounds(node, 2.0);
    let (x0, x1) = (a.0.min(b.0), a.0.max(b.0));
    let (y0, y1) = (a.1.min(b.1), a.1.max(b.1));
    x1 > left && x0 < right && y1 > top && y0 < bottom
}

/// The corners of a wire from `from` (on `source`'s right edge) to `to` (on `target`'s left
/// edge) that goes around: right, to a horizontal channel, across, down or up to the input's
/// height, and in. Of the channels along the nodes' edges, the one making the shortest
/// detour that crosses no node; below every node when none is clear.
fn around(graph: &Graph, source: &Node, from: (f32, f32), target: &Node, to: (f32, f32)) -> Vec<(f32, f32)> {
    let right = from.0 + STAND_OFF;
    let left = to.0 - STAND_OFF;
    let path =
        |channel: f32| vec![from, (right, from.1), (right, channel), (left, channel), (left, to.1), to];
    let clear = |points: &[(f32, f32)]| {
        points
            .windows(2)
            .skip(1)
            .take(3)
            .all(|segment| graph.nodes().all(|node| !segment_crosses(node, segment[0], segment[1])))
    };
    let mut channels: Vec<f32> = graph
        .nodes()
        .flat_map(|node| [node.pos.y - STAND_OFF, node.pos.y + node_height(node) + STAND_OFF])
        .collect();
    channels.sort_by(|a, b| {
        let cost = |y: f32| (y - from.1).abs() + (y - to.1).abs();
        cost(*a).total_cmp(&cost(*b))
    });
    channels.into_iter().map(path).find(|points| clear(points)).unwrap_or_else(|| {
        let lowest = graph.nodes().map(|node| node.pos.y + node_height(node)).fold(f32::MIN, f32::max);
        path(lowest.max(source.pos.y).max(target.pos.y) + STAND_OFF)
    })
}

/// A polyline through `points` with its corners rounded.
fn rounded(points: &[(f32, f32)]) -> String {
    let mut path = String::new();
    let Some(&(x, y)) = points.first() else { return path };
    path.push_str(&format!("M{x:.1},{y:.1}"));
    for window in points.windows(3) {
        let [a, corner, b] = [window[0], window[1], window[2]];
        let toward = |p: (f32, f32), q: (f32, f32)| {
            let length = ((q.0 - p.0).powi(2) + (q.1 - p.1).powi(2)).sqrt();
            let r = CORNER.min(length / 2.0);
            if length == 0.0 { p } else { (p.0 + (q.0 - p.0) * r / length, p.1 + (q.1 - p.1) * r / length) }
        };
        let (start, end) = (toward(corner, a), toward(corner, b));
        path.push_str(&format!(
            " L{:.1},{:.1} Q{:.1},{:.1} {:.1},{:.1}",
            start.0, start.1, corner.0, corner.1, end.0, end.1
        ));
    }
    if let Some(&(x, y)) = points.last() {
        path.push_str(&format!(" L{x:.1},{y:.1}"));
    }
    path
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::catalogue::NodeKind;
    use crate::core::model::templates::TEMPLATES;

    /// Whether the segment from `a` to `b` (horizontal or vertical) crosses `node`'s box.
    fn crosses(node: &Node, a: (f32, f32), b: (f32, f32)) -> bool {
        let (x0, x1) = (a.0.min(b.0), a.0.max(b.0));
        let (y0, y1) = (a.1.min(b.1), a.1.max(b.1));
        let (left, top) = (node.pos.x, node.pos.y);
        let (right, bottom) = (left + NODE_WIDTH, top + node_height(node));
        x1 > left + 1.0 && x0 < right - 1.0 && y1 > top + 1.0 && y0 < bottom - 1.0
    }

    #[test]
    fn every_templates_back_running_wires_go_around_the_nodes() {
        for template in &TEMPLATES {
            let graph = (template.build)();
            for wire in graph.wires() {
                let Some(Route::Around(points)) = corners(&graph, wire) else { continue };
                // The first and last segments leave and enter the wire's own nodes' edges.
                for segment in points.windows(2).skip(1).take(points.len() - 3) {
                    for node in graph.nodes() {
                        assert!(
                            !crosses(node, segment[0], segment[1]),
                            "{}: {} crosses {} {}",
                            template.slug,
                            graph.wire_label(wire),
                            node.kind,
                            node.id
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn no_templates_forward_curve_passes_through_a_node() {
        for template in &TEMPLATES {
            let graph = (template.build)();
            for wire in graph.wires() {
                if let Some(Route::Curve(from, to)) = corners(&graph, wire) {
                    for node in
                        graph.nodes().filter(|node| node.id != wire.from.node && node.id != wire.to.node)
                    {
                        assert!(
                            !curve_crosses(node, from, to),
                            "{}: {}",
                            template.slug,
                            graph.wire_label(wire)
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn a_forward_wire_is_a_curve_and_the_loop_closes_around() {
        let graph = crate::core::model::templates::basic_loop();
        let tracker = graph.nodes_of(NodeKind::EpochTracker).next().unwrap().id;
        let trigger = graph.wires_from(tracker).next().expect("the trigger wire");
        assert!(
            matches!(corners(&graph, trigger), Some(Route::Around(_))),
            "the trigger runs back to GetBatch"
        );
        let path = wire_route(&graph, trigger).unwrap();
        assert!(path.contains('Q'), "{path}");
        let batches = graph.nodes_of(NodeKind::GetBatch).next().unwrap().id;
        let network = graph.nodes_of(NodeKind::Network).next().unwrap().id;
        let forward = graph.wires_from(batches).find(|wire| wire.to.node == network).unwrap();
        assert!(wire_route(&graph, forward).unwrap().contains('C'));
    }
}
