//! Copy, paste and duplicate. A copied selection is JSON — its nodes and the wires between
//! them — so it travels through the system clipboard and pastes into another tab.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::core::graph::{Graph, InPort, Node, NodeId, OutPort, Pos};

/// Marks clipboard text as Kindling's, so pasting other text is told apart from a bad copy.
const FORMAT: &str = "kindling-nodes";

/// The most nodes one paste may add; keeps a hostile clipboard from freezing the page.
pub const MAX_PASTE_NODES: usize = 1000;

/// A copied selection: a graph of the copied nodes and the wires between them (ports by
/// name, as graph files write them).
#[derive(Debug, Serialize, Deserialize)]
struct Fragment {
    format: String,
    #[serde(flatten)]
    graph: Graph,
}

/// The nodes in `selection`, with the wires between them, as clipboard text.
pub fn copy(graph: &Graph, selection: &BTreeSet<NodeId>) -> String {
    let nodes: Vec<Node> = graph.nodes().filter(|node| selection.contains(&node.id)).cloned().collect();
    let wires = graph
        .wires()
        .filter(|wire| selection.contains(&wire.from.node) && selection.contains(&wire.to.node))
        .collect();
    let fragment = Graph::from_parts(nodes, wires, graph.next_id()).unwrap_or_default();
    // Plain data with string keys serialises without fail.
    serde_json::to_string(&Fragment { format: FORMAT.to_owned(), graph: fragment }).unwrap_or_default()
}

/// Adds the nodes of clipboard `text` to `graph` under fresh ids, shifted by `offset`, with
/// the wires between them. Returns the new nodes' ids (to select them).
///
/// # Errors
/// A sentence for the user when the text is not copied Kindling nodes; the graph is unchanged.
pub fn paste(graph: &mut Graph, text: &str, offset: Pos) -> Result<Vec<NodeId>, String> {
    let fragment: Fragment =
        serde_json::from_str(text).map_err(|_| "the clipboard holds no Kindling nodes".to_owned())?;
    if fragment.format != FORMAT {
        return Err("the clipboard holds no Kindling nodes".to_owned());
    }
    let copied = fragment.graph;
    if copied.node_count() > MAX_PASTE_NODES {
        return Err(format!(
            "the clipboard holds {} nodes; at most {MAX_PASTE_NODES} paste at once",
            copied.node_count()
        ));
    }
    let finite = |pos: Pos| pos.x.is_finite() && pos.y.is_finite();
    let mut ids = BTreeMap::new();
    for node in copied.nodes() {
        let pos = if finite(node.pos) { node.pos } else { Pos { x: 0.0, y: 0.0 } };
        let id = graph.add_copy(node, Pos { x: pos.x + offset.x, y: pos.y + offset.y });
        ids.insert(node.id, id);
    }
    for wire in copied.wires() {
        if let (Some(&from), Some(&to)) = (ids.get(&wire.from.node), ids.get(&wire.to.node)) {
            // Each copy has its original's kind, and so its ports.
            let _ = graph.connect(
                OutPort { node: from, index: wire.from.index },
                InPort { node: to, index: wire.to.index },
            );
        }
    }
    Ok(ids.into_values().collect())
}

/// Duplicates `selection` beside itself; returns the copies' ids.
pub fn duplicate(graph: &mut Graph, selection: &BTreeSet<NodeId>) -> Vec<NodeId> {
    let text = copy(graph, selection);
    paste(graph, &text, Pos { x: 30.0, y: 30.0 }).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::catalogue::NodeKind;
    use crate::core::params::ParamValue;
    use crate::core::templates::basic_loop;

    fn ids(graph: &Graph, kinds: &[NodeKind]) -> BTreeSet<NodeId> {
        graph.nodes().filter(|n| kinds.contains(&n.kind)).map(|n| n.id).collect()
    }

    #[test]
    fn a_copied_selection_pastes_with_its_parameters_and_inner_wires_under_new_ids() {
        let mut source = basic_loop();
        let sgd = ids(&source, &[NodeKind::SgdOptimizer]).into_iter().next().unwrap();
        source.set_param(sgd, "learning_rate", ParamValue::Float(0.5)).unwrap();
        let text = copy(&source, &ids(&source, &[NodeKind::Network, NodeKind::SgdOptimizer]));
        let mut target = basic_loop();
        let before = target.node_count();
        let pasted = paste(&mut target, &text, Pos { x: 10.0, y: 20.0 }).unwrap();
        assert_eq!(pasted.len(), 2);
        assert_eq!(target.node_count(), before + 2);
        let copy_of_sgd =
            target.nodes().find(|n| pasted.contains(&n.id) && n.kind == NodeKind::SgdOptimizer).unwrap();
        assert_eq!(copy_of_sgd.param("learning_rate"), Some(ParamValue::Float(0.5)));
        let original = source.node(sgd).unwrap().pos;
        assert_eq!(copy_of_sgd.pos, Pos { x: original.x + 10.0, y: original.y + 20.0 });
        // Network.model → SGD.model was inside the selection; the loss wire was not.
        let inner: Vec<_> = target.wires().filter(|w| pasted.contains(&w.to.node)).collect();
        assert_eq!(inner.len(), 1, "{inner:?}");
        assert_eq!(target.input_spec(inner[0].to).unwrap().name, "model");
    }

    #[test]
    fn foreign_or_hostile_clipboard_text_is_refused_and_changes_nothing() {
        let mut graph = basic_loop();
        for text in ["", "hello", "{}", r#"{"format":"other","nodes":[],"wires":[]}"#] {
            assert!(paste(&mut graph, text, Pos { x: 0.0, y: 0.0 }).is_err(), "{text:?}");
        }
        assert_eq!(graph, basic_loop());
    }

    #[test]
    fn duplicate_copies_beside_the_original() {
        let mut graph = basic_loop();
        let dataset = ids(&graph, &[NodeKind::Dataset]);
        let copies = duplicate(&mut graph, &dataset);
        assert_eq!(copies.len(), 1);
        assert_eq!(graph.nodes_of(NodeKind::Dataset).count(), 2);
    }
}
