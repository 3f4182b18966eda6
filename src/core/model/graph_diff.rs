//! What differs between two versions of a graph, as a learner reads it: the parameters
//! that changed (`learning_rate 0.03 → 0.3`), and nodes added or removed. The page lists
//! the runs it keeps with what each ran differently from the graph as it stands.

use crate::core::model::graph::Graph;
use crate::core::model::layer_text::layers_text;
use crate::core::model::number_text::short;
use crate::core::model::params::ParamValue;

/// A parameter whose value differs between two graphs.
#[derive(Clone, Debug, PartialEq)]
pub struct ParamChange {
    pub param: String,
    pub before: ParamValue,
    pub after: ParamValue,
}

/// What `after` changed from `before`.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct GraphDiff {
    /// Parameters of nodes in both (same id and kind), in node order.
    pub params: Vec<ParamChange>,
    pub nodes_added: usize,
    pub nodes_removed: usize,
    /// Whether the wiring differs.
    pub rewired: bool,
}

impl GraphDiff {
    pub fn is_empty(&self) -> bool {
        self.params.is_empty() && self.nodes_added == 0 && self.nodes_removed == 0 && !self.rewired
    }

    /// One line: `learning_rate 0.03 → 0.3, momentum 0 → 0.9, 1 node added`.
    pub fn text(&self) -> String {
        let mut parts: Vec<String> = self
            .params
            .iter()
            .map(|change| {
                format!("{} {} → {}", change.param, value_text(&change.before), value_text(&change.after))
            })
            .collect();
        if self.nodes_added > 0 {
            parts.push(text!("graph-diff-nodes-added", count = self.nodes_added));
        }
        if self.nodes_removed > 0 {
            parts.push(text!("graph-diff-nodes-removed", count = self.nodes_removed));
        }
        if self.rewired && self.nodes_added == 0 && self.nodes_removed == 0 {
            parts.push(text!("graph-diff-rewired"));
        }
        parts.join(", ")
    }
}

/// A value as a short text: numbers to four significant digits, layers as the inspector
/// writes them.
fn value_text(value: &ParamValue) -> String {
    match value {
        ParamValue::Float(number) => short(*number),
        ParamValue::Layers(layers) => layers_text(layers),
        other => other.to_string(),
    }
}

/// What `after` changed from `before` (defaults count as values: a parameter left at its
/// default in one and set to it in the other is no change).
pub fn diff(before: &Graph, after: &Graph) -> GraphDiff {
    let mut changes = GraphDiff::default();
    for node in after.nodes() {
        let Some(old) = before.node(node.id).filter(|old| old.kind == node.kind) else {
            changes.nodes_added += 1;
            continue;
        };
        for spec in node.kind.spec().params {
            let (was, now) = (old.param(spec.name), node.param(spec.name));
            if let (Some(was), Some(now)) = (was, now)
                && was != now
            {
                changes.params.push(ParamChange { param: spec.name.to_owned(), before: was, after: now });
            }
        }
    }
    changes.nodes_removed =
        before.nodes().filter(|old| after.node(old.id).is_none_or(|node| node.kind != old.kind)).count();
    let wires = |graph: &Graph| {
        let mut wires: Vec<_> = graph.wires().collect();
        wires.sort();
        wires
    };
    changes.rewired = wires(before) != wires(after);
    changes
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::catalogue::NodeKind;
    use crate::core::model::graph::Pos;
    use crate::core::model::templates::basic_loop;

    #[test]
    fn changed_parameters_and_nodes_are_listed() {
        let before = basic_loop();
        assert!(diff(&before, &before).is_empty());
        let mut after = before.clone();
        let sgd = after.nodes_of(NodeKind::SgdOptimizer).next().unwrap().id;
        after.set_param(sgd, "learning_rate", ParamValue::Float(0.3)).unwrap();
        after.set_param(sgd, "momentum", ParamValue::Float(0.5)).unwrap();
        after.move_node(sgd, Pos { x: 999.0, y: 0.0 });
        assert_eq!(
            diff(&before, &after).text(),
            "learning_rate 0.03 → 0.3, momentum 0.9 → 0.5",
            "a move is no change"
        );
        after.add_node(NodeKind::Dataset, Pos { x: 0.0, y: 0.0 });
        let dataset = after.nodes_of(NodeKind::Dataset).next().unwrap().id;
        after.remove_node(dataset);
        let changes = diff(&before, &after);
        assert_eq!((changes.nodes_added, changes.nodes_removed), (1, 1));
        assert!(changes.rewired);
        assert!(changes.text().ends_with("1 node added, 1 node removed"), "{}", changes.text());
    }
}
