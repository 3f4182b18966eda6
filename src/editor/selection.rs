//! Selecting and moving nodes: box selection, dragging a selection, snapping to the grid.

use std::collections::BTreeSet;

use super::viewport::Bounds;
use crate::core::model::graph::{Graph, Pos};
use crate::core::model::node_id::NodeId;

/// Grid spacing for snapping, in world units (the canvas draws dots at this spacing).
pub const GRID: f32 = 20.0;

/// The nodes whose boxes (`size(node)` wide and high) meet `area`.
pub fn in_box(graph: &Graph, area: Bounds, size: impl Fn(NodeId) -> (f32, f32)) -> BTreeSet<NodeId> {
    let (left, right) = (area.min.x.min(area.max.x), area.min.x.max(area.max.x));
    let (top, bottom) = (area.min.y.min(area.max.y), area.min.y.max(area.max.y));
    graph
        .nodes()
        .filter(|node| {
            let (width, height) = size(node.id);
            node.pos.x < right
                && node.pos.x + width > left
                && node.pos.y < bottom
                && node.pos.y + height > top
        })
        .map(|node| node.id)
        .collect()
}

/// Where every node in `selection` goes, moved from where it was in `start` by `(dx, dy)`,
/// snapped to the grid if asked.
pub fn moved_positions(
    start: &Graph,
    selection: &BTreeSet<NodeId>,
    dx: f32,
    dy: f32,
    snap: bool,
) -> Vec<(NodeId, Pos)> {
    selection
        .iter()
        .filter_map(|&id| {
            let node = start.node(id)?;
            let pos = Pos { x: node.pos.x + dx, y: node.pos.y + dy };
            Some((id, if snap { snapped(pos) } else { pos }))
        })
        .collect()
}

/// Moves every node in `selection` from where it was in `start` by `(dx, dy)`, snapped to the
/// grid if asked.
pub fn move_selection(
    graph: &mut Graph,
    start: &Graph,
    selection: &BTreeSet<NodeId>,
    dx: f32,
    dy: f32,
    snap: bool,
) {
    for (id, pos) in moved_positions(start, selection, dx, dy, snap) {
        graph.move_node(id, pos);
    }
}

/// `pos` on the nearest grid point.
pub fn snapped(pos: Pos) -> Pos {
    Pos { x: (pos.x / GRID).round() * GRID, y: (pos.y / GRID).round() * GRID }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::catalogue::NodeKind;

    #[test]
    fn a_box_selects_the_nodes_it_touches_whichever_way_it_was_dragged() {
        let mut graph = Graph::new();
        let a = graph.add_node(NodeKind::Dataset, Pos { x: 0.0, y: 0.0 });
        let b = graph.add_node(NodeKind::Network, Pos { x: 300.0, y: 0.0 });
        let size = |_| (190.0, 100.0);
        let area = Bounds { min: Pos { x: 250.0, y: 50.0 }, max: Pos { x: 150.0, y: -10.0 } };
        assert_eq!(in_box(&graph, area, size), BTreeSet::from([a]));
        let wide = Bounds { min: Pos { x: -10.0, y: -10.0 }, max: Pos { x: 310.0, y: 10.0 } };
        assert_eq!(in_box(&graph, wide, size), BTreeSet::from([a, b]));
    }

    #[test]
    fn a_selection_moves_together_and_snaps_to_the_grid() {
        let mut graph = Graph::new();
        let a = graph.add_node(NodeKind::Dataset, Pos { x: 0.0, y: 0.0 });
        let b = graph.add_node(NodeKind::Network, Pos { x: 300.0, y: 40.0 });
        let start = graph.clone();
        move_selection(&mut graph, &start, &BTreeSet::from([a, b]), 13.0, 27.0, false);
        assert_eq!(graph.node(b).unwrap().pos, Pos { x: 313.0, y: 67.0 });
        move_selection(&mut graph, &start, &BTreeSet::from([a, b]), 13.0, 27.0, true);
        assert_eq!(graph.node(a).unwrap().pos, Pos { x: 20.0, y: 20.0 });
        assert_eq!(graph.node(b).unwrap().pos, Pos { x: 320.0, y: 60.0 });
    }
}
