//! Copy, paste and duplicate. A copied selection is JSON — its nodes and the wires between
//! them — so it travels through the system clipboard and pastes into another tab.
//!
//! Clipboard text comes from outside, as a link does, and obeys the same bounds: its length
//! is capped before parsing, the fragment is checked against `limits` and the page's
//! budgets (`budget`), and the graph must have room for it. Anything else is refused whole,
//! with a reason, and the graph is unchanged.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::core::compile::budget;
use crate::core::model::graph::{Graph, InPort, Node, OutPort, Pos};
use crate::core::model::graph_check;
use crate::core::model::node_id::NodeId;

/// Marks clipboard text as Kindling's, so pasting other text is told apart from a bad copy.
const FORMAT: &str = "kindling-nodes";

/// The most nodes one paste may add; keeps a hostile clipboard from freezing the page.
pub const MAX_PASTE_NODES: usize = 1000;

/// The longest clipboard text parsed, in bytes: a thousand nodes with every parameter take
/// a fraction of it. Longer text is refused before parsing.
pub const MAX_PASTE_BYTES: usize = 2 * 1024 * 1024;

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
/// A sentence for the user when the text is not copied Kindling nodes, is past the bounds a
/// link obeys, or does not fit in the graph; the graph is unchanged then.
pub fn paste(graph: &mut Graph, text: &str, offset: Pos) -> Result<Vec<NodeId>, String> {
    if text.len() > MAX_PASTE_BYTES {
        return Err(too_long(text.len()));
    }
    let fragment: Fragment = serde_json::from_str(text).map_err(|_| text!("editor-paste-no-nodes"))?;
    if fragment.format != FORMAT {
        return Err(text!("editor-paste-no-nodes"));
    }
    let copied = fragment.graph;
    if copied.node_count() > MAX_PASTE_NODES {
        return Err(text!("editor-paste-too-many", count = copied.node_count(), most = MAX_PASTE_NODES));
    }
    let copied = copied.with_defaults();
    graph_check::check_graph(&copied)
        .map_err(|reason| text!("editor-paste-refused", reason = reason.to_string()))?;
    budget::check(&copied).map_err(|over| text!("editor-paste-too-big", reason = over.to_string()))?;
    graph_check::room_for(graph, copied.node_count(), copied.wire_count())
        .map_err(|full| full.to_string())?;
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
///
/// # Errors
/// Why not (the graph has no room for the copies); the graph is unchanged then.
pub fn duplicate(graph: &mut Graph, selection: &BTreeSet<NodeId>) -> Result<Vec<NodeId>, String> {
    let text = copy(graph, selection);
    paste(graph, &text, Pos { x: 30.0, y: 30.0 })
}

/// Why clipboard text of `bytes` bytes is not parsed.
pub fn too_long(bytes: usize) -> String {
    text!(
        "editor-paste-too-long",
        size = format!("{:.1}", bytes as f64 / (1024.0 * 1024.0)),
        most = MAX_PASTE_BYTES >> 20
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::catalogue::NodeKind;
    use crate::core::model::params::ParamValue;
    use crate::core::model::templates::basic_loop;

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
        let copies = duplicate(&mut graph, &dataset).unwrap();
        assert_eq!(copies.len(), 1);
        assert_eq!(graph.nodes_of(NodeKind::Dataset).count(), 2);
    }

    /// A fragment of one node with `params`, as clipboard text.
    fn fragment_of(kind: &str, params: serde_json::Value) -> String {
        serde_json::json!({
            "format": FORMAT,
            "nodes": [{"id": 0, "kind": kind, "pos": {"x": 0.0, "y": 0.0}, "params": params}],
            "wires": [],
            "next_id": 1,
        })
        .to_string()
    }

    #[test]
    fn a_fragment_is_checked_like_a_link_and_refused_whole() {
        let layers: Vec<serde_json::Value> =
            (0..1025).map(|_| serde_json::json!({"layer": "Linear", "out_features": 2})).collect();
        let wide: Vec<serde_json::Value> =
            (0..3).map(|_| serde_json::json!({"layer": "Linear", "out_features": 4096})).collect();
        let cases = [
            (fragment_of("SGDOptimizer", serde_json::json!({"<b>": 1})), "has no parameter"),
            (fragment_of("SGDOptimizer", serde_json::json!({"learning_rate": 1e300})), "1e300 is outside"),
            (fragment_of("Dataset", serde_json::json!({"kind": "x".repeat(10_000)})), "at most 64"),
            (fragment_of("Network", serde_json::json!({"layers": layers})), "at most 1024 are allowed"),
            (fragment_of("Network", serde_json::json!({"layers": wide})), "would not fit in the page"),
        ];
        for (text, reason) in cases {
            let mut graph = basic_loop();
            let error = paste(&mut graph, &text, Pos { x: 0.0, y: 0.0 }).unwrap_err();
            assert!(error.contains(reason), "{reason:?} not in {error}");
            assert!(error.len() < 300, "a short message: {error}");
            assert_eq!(graph, basic_loop());
        }
        // The same node within bounds pastes.
        let mut graph = basic_loop();
        let text = fragment_of("SGDOptimizer", serde_json::json!({"learning_rate": 0.5}));
        assert_eq!(paste(&mut graph, &text, Pos { x: 0.0, y: 0.0 }).unwrap().len(), 1);
    }

    #[test]
    fn clipboard_text_past_the_cap_is_refused_before_parsing() {
        let mut graph = basic_loop();
        let text = format!("{{\"format\":\"{FORMAT}\",\"pad\":\"{}\"}}", " ".repeat(40 << 20));
        let started = std::time::Instant::now();
        let error = paste(&mut graph, &text, Pos { x: 0.0, y: 0.0 }).unwrap_err();
        assert!(error.contains("40.0 MiB of text"), "{error}");
        assert!(started.elapsed().as_millis() < 50, "refused at once: {:?}", started.elapsed());
        assert_eq!(graph, basic_loop());
    }

    #[test]
    fn paste_and_duplicate_stop_at_the_node_limit() {
        let mut graph = basic_loop();
        while graph.node_count() < crate::core::model::limits::MAX_NODES {
            graph.add_node(NodeKind::Dataset, Pos { x: 0.0, y: 0.0 });
        }
        let full = graph.clone();
        let error = duplicate(&mut graph, &ids(&full, &[NodeKind::Network])).unwrap_err();
        assert!(error.contains("at most 2000"), "{error}");
        let text = copy(&full, &ids(&full, &[NodeKind::Network]));
        assert!(paste(&mut graph, &text, Pos { x: 0.0, y: 0.0 }).unwrap_err().contains("at most 2000"));
        assert_eq!(graph, full);
        assert!(crate::core::model::graph_check::room_for(&full, 1, 0).is_err());
        let dataset = graph.nodes_of(NodeKind::Dataset).next().unwrap().id;
        graph.remove_node(dataset);
        assert!(duplicate(&mut graph, &ids(&full, &[NodeKind::Network])).is_ok());
    }
}
