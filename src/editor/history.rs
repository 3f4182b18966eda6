//! Undo and redo: the graph as it was before each edit. Graphs are small plain data, so a
//! snapshot per edit is simple and cannot drift out of step with the edits themselves.

use crate::core::graph::Graph;

/// The most edits that can be undone; older ones are forgotten.
pub const UNDO_LIMIT: usize = 200;

#[derive(Clone, Debug, Default)]
pub struct History {
    undo: Vec<Graph>,
    redo: Vec<Graph>,
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
        self.undo.push(before);
        if self.undo.len() > UNDO_LIMIT {
            self.undo.remove(0);
        }
        self.redo.clear();
    }

    /// The graph before the last edit, given the `current` one (kept for redo).
    pub fn undo(&mut self, current: &Graph) -> Option<Graph> {
        let previous = self.undo.pop()?;
        self.redo.push(current.clone());
        Some(previous)
    }

    /// The graph the last undo left, given the `current` one (kept for undo).
    pub fn redo(&mut self, current: &Graph) -> Option<Graph> {
        let next = self.redo.pop()?;
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
    use crate::core::catalogue::NodeKind;
    use crate::core::graph::Pos;

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
}
