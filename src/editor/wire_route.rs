//! The line a wire takes on the canvas. A wire running forward — its input to the right of
//! its output — is a smooth curve. One running back (the training loop's trigger from
//! EpochTracker to GetBatch, or a row's last node feeding the next row's first) goes around
//! the nodes instead of through them: out to the right, along the gap above its input's node
//! (or below the nodes it passes, going down), and in from the left, with rounded corners.

use std::cell::Cell;
use std::collections::HashMap;

use super::geometry::{NODE_WIDTH, node_height, port_anchor, push_point, wire_path};
use crate::core::model::graph::{Graph, Node, Wire};
use crate::core::model::node_id::NodeId;

/// How far a back-running wire stands off a node before it turns.
const STAND_OFF: f32 = 18.0;
/// The corners' radius.
const CORNER: f32 = 10.0;
/// Up to this many nodes, wires are routed around the nodes in their way; past it every
/// forward wire is a curve and every back-running one passes below its two nodes, at a cost
/// that does not grow with the graph.
const DETAILED_UP_TO: usize = 300;
/// The channels a back-running wire tries, nearest first, before it passes below every node.
const CHANNELS_TRIED: usize = 24;
/// Node boxes a [`Router`] may test, all its wires together; past it, the rest are routed
/// simply. Bounds a redraw at the limits (2000 nodes, 8000 wires) to a few milliseconds.
const WORK: usize = 400_000;

/// The SVG path of `wire` in `graph` (world units); `None` when an end is missing. For many
/// wires, route them with one [`Router`].
pub fn wire_route(graph: &Graph, wire: Wire) -> Option<String> {
    Router::new(graph).route(wire)
}

/// A wire's line: a curve between its ends, or around the nodes through these corners.
#[derive(Clone, Debug, PartialEq)]
pub enum Route {
    Curve((f32, f32), (f32, f32)),
    Around(Vec<(f32, f32)>),
}

/// How `wire` is drawn: a curve when it runs forward past no other node, else around.
pub fn corners(graph: &Graph, wire: Wire) -> Option<Route> {
    Router::new(graph).corners(wire)
}

/// A node's box on the canvas: left, top, right, bottom.
#[derive(Clone, Copy, Debug)]
struct Box {
    node: NodeId,
    left: f32,
    top: f32,
    right: f32,
    bottom: f32,
}

impl Box {
    fn of(node: &Node) -> Self {
        Self {
            node: node.id,
            left: node.pos.x,
            top: node.pos.y,
            right: node.pos.x + NODE_WIDTH,
            bottom: node.pos.y + node_height(node),
        }
    }

    fn contains(&self, (x, y): (f32, f32), margin: f32) -> bool {
        x > self.left - margin && x < self.right + margin && y > self.top - margin && y < self.bottom + margin
    }

    /// Whether the horizontal or vertical segment from `a` to `b` passes through the box.
    fn crossed_by(&self, a: (f32, f32), b: (f32, f32)) -> bool {
        let (x0, x1) = (a.0.min(b.0), a.0.max(b.0));
        let (y0, y1) = (a.1.min(b.1), a.1.max(b.1));
        x1 > self.left - 2.0 && x0 < self.right + 2.0 && y1 > self.top - 2.0 && y0 < self.bottom + 2.0
    }
}

/// Routes the wires of one graph as it stands: every node measured once, and the work of
/// avoiding nodes bounded per wire and in all (see [`DETAILED_UP_TO`], [`WORK`]).
pub struct Router<'g> {
    graph: &'g Graph,
    boxes: Vec<Box>,
    /// Each node's box, by id (measuring a node formats its parameters: once per redraw).
    by_id: HashMap<NodeId, Box>,
    /// The bottom of the lowest node.
    lowest: f32,
    /// Node boxes still to test before wires are routed simply.
    work_left: Cell<usize>,
}

impl<'g> Router<'g> {
    pub fn new(graph: &'g Graph) -> Self {
        let boxes: Vec<Box> = graph.nodes().map(Box::of).collect();
        let by_id = boxes.iter().map(|b| (b.node, *b)).collect();
        let lowest = boxes.iter().map(|b| b.bottom).fold(f32::MIN, f32::max);
        let work = if boxes.len() <= DETAILED_UP_TO { WORK } else { 0 };
        Self { graph, boxes, by_id, lowest, work_left: Cell::new(work) }
    }

    /// The SVG path of `wire` (world units); `None` when an end is missing.
    pub fn route(&self, wire: Wire) -> Option<String> {
        Some(match self.corners(wire)? {
            Route::Curve(from, to) => wire_path(from, to),
            Route::Around(points) => rounded(&points),
        })
    }

    /// Takes `boxes` node tests from the work left; false when too little is left.
    fn spend(&self, boxes: usize) -> bool {
        let left = self.work_left.get();
        self.work_left.set(left.saturating_sub(boxes));
        left >= boxes
    }

    fn box_of(&self, node: &Node) -> Box {
        self.by_id.get(&node.id).copied().unwrap_or_else(|| Box::of(node))
    }

    /// How `wire` is drawn: a curve when it runs forward past no other node, else around.
    pub fn corners(&self, wire: Wire) -> Option<Route> {
        let from_node = self.graph.node(wire.from.node)?;
        let to_node = self.graph.node(wire.to.node)?;
        let from = port_anchor(from_node, false, wire.from.index);
        let to = port_anchor(to_node, true, wire.to.index);
        let forward = to.0 >= from.0 + 2.0 * STAND_OFF;
        let detailed = self.spend(self.boxes.len());
        if forward && (!detailed || !self.others(from_node, to_node).any(|b| curve_crosses(b, from, to))) {
            return Some(Route::Curve(from, to));
        }
        let (source, target) = (self.box_of(from_node), self.box_of(to_node));
        Some(Route::Around(self.around(detailed, source, from, target, to)))
    }

    fn others(&self, a: &Node, b: &Node) -> impl Iterator<Item = &Box> {
        let (a, b) = (a.id, b.id);
        self.boxes.iter().filter(move |other| other.node != a && other.node != b)
    }

    /// The corners of a wire from `from` (on `source`'s right edge) to `to` (on `target`'s
    /// left edge) that goes around: right, to a horizontal channel, across, down or up to
    /// the input's height, and in. Of the channels along the nodes' edges, the nearest that
    /// crosses no node; below every node (routed `detailed`), or below its own two, when
    /// none is.
    fn around(
        &self,
        detailed: bool,
        source: Box,
        from: (f32, f32),
        target: Box,
        to: (f32, f32),
    ) -> Vec<(f32, f32)> {
        let right = from.0 + STAND_OFF;
        let left = to.0 - STAND_OFF;
        let path =
            |channel: f32| vec![from, (right, from.1), (right, channel), (left, channel), (left, to.1), to];
        if !detailed {
            return path(source.bottom.max(target.bottom) + STAND_OFF);
        }
        let clear = |points: &[(f32, f32)]| {
            self.spend(3 * self.boxes.len())
                && points
                    .windows(2)
                    .skip(1)
                    .take(3)
                    .all(|segment| self.boxes.iter().all(|b| !b.crossed_by(segment[0], segment[1])))
        };
        let mut channels: Vec<f32> =
            self.boxes.iter().flat_map(|b| [b.top - STAND_OFF, b.bottom + STAND_OFF]).collect();
        let cost = |y: f32| (y - from.1).abs() + (y - to.1).abs();
        channels.sort_by(|a, b| cost(*a).total_cmp(&cost(*b)));
        channels
            .into_iter()
            .take(CHANNELS_TRIED)
            .map(path)
            .find(|points| clear(points))
            .unwrap_or_else(|| path(self.lowest.max(source.bottom).max(target.bottom) + STAND_OFF))
    }
}

/// Whether `geometry::wire_path`'s curve from `from` to `to` passes through `node`'s box (sampled).
fn curve_crosses(node: &Box, (x1, y1): (f32, f32), (x2, y2): (f32, f32)) -> bool {
    // Outside the box the curve stays within, it cannot.
    let reach = ((x2 - x1).abs() / 2.0).max(60.0);
    let (low, high) = (x1.min(x2 - reach), (x1 + reach).max(x2));
    if node.right + 2.0 < low || node.left - 2.0 > high {
        return false;
    }
    if node.bottom + 2.0 < y1.min(y2) || node.top - 2.0 > y1.max(y2) {
        return false;
    }
    let (cx1, cx2) = (x1 + reach, x2 - reach);
    (1..32).any(|step| {
        let t = step as f32 / 32.0;
        let u = 1.0 - t;
        let x = u * u * u * x1 + 3.0 * u * u * t * cx1 + 3.0 * u * t * t * cx2 + t * t * t * x2;
        let y = u * u * u * y1 + 3.0 * u * u * t * y1 + 3.0 * u * t * t * y2 + t * t * t * y2;
        node.contains((x, y), 2.0)
    })
}

/// A polyline through `points` with its corners rounded.
fn rounded(points: &[(f32, f32)]) -> String {
    let mut path = String::with_capacity(32 * points.len());
    let Some(&(x, y)) = points.first() else { return path };
    path.push('M');
    push_point(&mut path, (x, y));
    for window in points.windows(3) {
        let [a, corner, b] = [window[0], window[1], window[2]];
        let toward = |p: (f32, f32), q: (f32, f32)| {
            let length = ((q.0 - p.0).powi(2) + (q.1 - p.1).powi(2)).sqrt();
            let r = CORNER.min(length / 2.0);
            if length == 0.0 { p } else { (p.0 + (q.0 - p.0) * r / length, p.1 + (q.1 - p.1) * r / length) }
        };
        let (start, end) = (toward(corner, a), toward(corner, b));
        path.push_str(" L");
        push_point(&mut path, start);
        path.push_str(" Q");
        push_point(&mut path, corner);
        path.push(' ');
        push_point(&mut path, end);
    }
    if let Some(&(x, y)) = points.last() {
        path.push_str(" L");
        push_point(&mut path, (x, y));
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
                            !curve_crosses(&Box::of(node), from, to),
                            "{}: {}",
                            template.slug,
                            graph.wire_label(wire)
                        );
                    }
                }
            }
        }
    }

    /// `nodes` EpochTrackers on a grid, each input fed by another node's output, many of
    /// them running back: a graph at the limits' shape (types aside).
    fn crowded(nodes: usize) -> Graph {
        use crate::core::model::graph::{InPort, OutPort, Pos};
        let mut graph = Graph::new();
        let ids: Vec<_> = (0..nodes)
            .map(|at| {
                let pos = Pos { x: (at % 40) as f32 * 260.0, y: (at / 40) as f32 * 200.0 };
                graph.add_node(NodeKind::EpochTracker, pos)
            })
            .collect();
        for (at, &node) in ids.iter().enumerate() {
            for input in 0..4 {
                let from = ids[(at * 7 + input * 13 + 1) % nodes];
                graph.connect(OutPort { node: from, index: 0 }, InPort { node, index: input }).unwrap();
            }
        }
        graph
    }

    #[test]
    fn routing_work_is_bounded_at_the_limits_and_every_wire_still_drawn() {
        use crate::core::model::limits::{MAX_NODES, MAX_WIRES};
        for nodes in [DETAILED_UP_TO, MAX_NODES] {
            let graph = crowded(nodes);
            assert_eq!(graph.wire_count(), (4 * nodes).min(MAX_WIRES));
            let router = Router::new(&graph);
            let routed = graph.wires().filter_map(|wire| router.route(wire)).count();
            assert_eq!(routed, graph.wire_count(), "{nodes} nodes: every wire has a line");
            let spent = if nodes <= DETAILED_UP_TO { WORK - router.work_left.get() } else { 0 };
            assert!(spent <= WORK, "{nodes} nodes: {spent} node tests");
            if nodes > DETAILED_UP_TO {
                assert_eq!(router.work_left.get(), 0, "past {DETAILED_UP_TO} nodes, wires are routed simply");
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
