//! Undo and redo: the graph as it was before each edit. Graphs are small plain data, so a
//! snapshot per edit is simple and cannot drift out of step with the edits themselves.
//!
//! The history is bounded twice: by count ([`UNDO_LIMIT`]), and by the memory its
//! snapshots take ([`UNDO_BYTES`]), since 200 snapshots of a 2000-node graph would hold
//! hundreds of megabytes. The oldest edits are forgotten first.

use crate::core::model::graph::Graph;
use crate::core::model::params::ParamValue;

/// The most edits that can be undone; older ones are forgotten.
pub const UNDO_LIMIT: usize = 200;

/// The most memory the snapshots (undo and redo) may take, estimated by [`graph_bytes`].
pub const UNDO_BYTES: usize = 48 * 1024 * 1024;

#[derive(Clone, Debug, Default)]
pub struct History {
    undo: Vec<Graph>,
    redo: Vec<Graph>,
    /// The estimated bytes of every snapshot held.
    bytes: usize,
}

/// About how many bytes a graph takes in memory: its nodes, parameters and wires.
pub fn graph_bytes(graph: &Graph) -> usize {
    let params: usize = graph
        .nodes()
        .flat_map(|node| node.params.iter())
        .map(|(name, value)| {
            64 + name.len()
                + match value {
                    ParamValue::Text(text) => text.len(),
                    ParamValue::Floats(values) => 8 * values.len(),
                    ParamValue::Layers(layers) => 16 * layers.len(),
                    _ => 0,
                }
        })
        .sum();
    128 * graph.node_count() + 48 * graph.wire_count() + params
}

impl History {
    pub fn new() -> Self {
        Self::default()
    }

    /// Records that an edit is about to change `before`; clears what could be redone.
    pub fn record(&mut self, before: Graph) {
        if self.undo.last() == Some(&before) {
            return;
        }
        self.bytes += graph_bytes(&before);
        self.undo.push(before);
        self.redo.drain(..).for_each(|graph| self.bytes -= graph_bytes(&graph));
        while self.undo.len() > UNDO_LIMIT || (self.bytes > UNDO_BYTES && self.undo.len() > 1) {
            let oldest = self.undo.remove(0);
            self.bytes -= graph_bytes(&oldest);
        }
    }

    /// The estimated bytes the snapshots take.
    pub fn bytes(&self) -> usize {
        self.bytes
    }

    /// The graph before the last edit, given the `current` one (kept for redo).
    pub fn undo(&mut self, current: &Graph) -> Option<Graph> {
        let previous = self.undo.pop()?;
        self.bytes = self.bytes - graph_bytes(&previous) + graph_bytes(current);
        self.redo.push(current.clone());
        Some(previous)
    }

    /// The graph the last undo left, given the `current` one (kept for undo).
    pub fn redo(&mut self, current: &Graph) -> Option<Graph> {
        let next = self.redo.pop()?;
        self.bytes = self.bytes - graph_bytes(&next) + graph_bytes(current);
        self.undo.push(current.clone());
        Some(next)
    }

    pub fn can_undo(&self) -> bool {
        !self.undo.is_empty()
    }

    pub fn can_redo(&self) -> bool {
        !self.redo.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::catalogue::NodeKind;
    use crate::core::model::graph::Pos;

    #[test]
    fn undo_and_redo_walk_back_and_forth_and_a_new_edit_drops_the_redo() {
        let mut history = History::new();
        let mut graph = Graph::new();
        let at = Pos { x: 0.0, y: 0.0 };
        let states: Vec<Graph> = (0..3)
            .map(|_| {
                history.record(graph.clone());
                graph.add_node(NodeKind::Dataset, at);
                graph.clone()
            })
            .collect();
        let back = history.undo(&graph).unwrap();
        assert_eq!(back, states[1]);
        let back = history.undo(&back).unwrap();
        assert_eq!(back, states[0]);
        let forward = history.redo(&back).unwrap();
        assert_eq!(forward, states[1]);
        history.record(forward.clone());
        assert!(!history.can_redo(), "a new edit forgets the undone ones");
        assert!(history.undo(&forward).is_some());
    }

    #[test]
    fn the_oldest_edits_are_forgotten_past_the_limit() {
        let mut history = History::new();
        let mut graph = Graph::new();
        for _ in 0..UNDO_LIMIT + 10 {
            history.record(graph.clone());
            graph.add_node(NodeKind::Dataset, Pos { x: 0.0, y: 0.0 });
        }
        let mut undone = 0;
        while let Some(previous) = history.undo(&graph) {
            graph = previous;
            undone += 1;
        }
        assert_eq!(undone, UNDO_LIMIT);
        assert_eq!(graph.nodes().len(), 10);
    }

    #[test]
    fn large_graphs_are_forgotten_by_the_memory_they_take() {
        let mut history = History::new();
        let mut graph = Graph::new();
        for index in 0..crate::core::model::limits::MAX_NODES {
            graph.add_node(NodeKind::Network, Pos { x: index as f32, y: 0.0 });
        }
        let size = graph_bytes(&graph);
        assert!(size > 300_000, "a 2000-node graph is estimated at {size} bytes");
        for step in 0..UNDO_LIMIT {
            history.record(graph.clone());
            graph.move_node(graph.nodes().next().unwrap().id, Pos { x: step as f32, y: 1.0 });
        }
        assert!(history.bytes() <= UNDO_BYTES, "{} bytes held", history.bytes());
        let mut undone = 0;
        while let Some(previous) = history.undo(&graph) {
            graph = previous;
            undone += 1;
        }
        assert_eq!(undone, UNDO_BYTES / size, "as many snapshots as fit");
        assert!(undone < UNDO_LIMIT);
        // Redo gives them back, and the count of bytes follows.
        while let Some(next) = history.redo(&graph) {
            graph = next;
        }
        assert!(history.bytes() <= UNDO_BYTES + size);
    }
}
