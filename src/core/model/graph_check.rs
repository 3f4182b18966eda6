//! A graph from outside — a link, a file, a paste, an old autosave — checked against the
//! limits (`limits`) and the catalogue, so that a graph that reaches the editor is one the
//! editor could have made; and whether there is room in a graph for more.

use crate::core::model::graph::{Graph, Node};
use crate::core::model::limit_error::LimitError;
use crate::core::model::limits::{MAX_COORDINATE, MAX_ID, MAX_NODES, MAX_WIRES};

/// Whether `graph` has room for `nodes` more nodes and `wires` more wires: adding, pasting
/// and duplicating stop at the limits, so any graph the editor holds can be saved, shared
/// and opened again.
///
/// # Errors
/// What is full.
pub fn room_for(graph: &Graph, nodes: usize, wires: usize) -> Result<(), LimitError> {
    if graph.node_count() + nodes > MAX_NODES {
        return Err(LimitError::NoRoomForNodes { has: graph.node_count(), adding: nodes });
    }
    if graph.wire_count() + wires > MAX_WIRES {
        return Err(LimitError::NoRoomForWires { has: graph.wire_count(), adding: wires });
    }
    if u64::from(graph.next_id()) + nodes as u64 > u64::from(MAX_ID) {
        return Err(LimitError::IdsExhausted);
    }
    Ok(())
}

/// Checks `graph` against every bound above and the catalogue (a link's graph, or a
/// pasted fragment).
///
/// # Errors
/// The first problem found.
pub fn check_graph(graph: &Graph) -> Result<(), LimitError> {
    // Ids are unique, and wires join ports that exist, one per input: a `Graph` cannot be
    // built otherwise (`Graph::from_parts`).
    if graph.node_count() > MAX_NODES {
        return Err(LimitError::TooManyNodes { count: graph.node_count() });
    }
    if graph.wire_count() > MAX_WIRES {
        return Err(LimitError::TooManyWires { count: graph.wire_count() });
    }
    if graph.next_id() > MAX_ID {
        return Err(LimitError::NextIdPast { next: graph.next_id() });
    }
    for node in graph.nodes() {
        if node.id.0 > MAX_ID {
            return Err(LimitError::NodeIdPast { node: node.id });
        }
        check_node(node)?;
    }
    Ok(crate::core::model::sweep_spec::check(graph)?)
}

fn check_node(node: &Node) -> Result<(), LimitError> {
    let (x, y) = (node.pos.x, node.pos.y);
    if !(x.is_finite() && y.is_finite()) {
        return Err(LimitError::PositionNotFinite { node: node.id, kind: node.kind });
    }
    if x.abs() > MAX_COORDINATE || y.abs() > MAX_COORDINATE {
        return Err(LimitError::PositionTooFar { node: node.id, kind: node.kind });
    }
    let spec = node.kind.spec();
    for (name, value) in &node.params {
        let param = spec.param(name).ok_or_else(|| LimitError::UnknownParam {
            node: node.id,
            kind: node.kind,
            param: name.clone(),
        })?;
        // The schema bounds lengths too (`MAX_LIST`, `MAX_NAME`), as it does for the editor.
        param.check_stored(value).map_err(|reason| LimitError::BadParam {
            node: node.id,
            kind: node.kind,
            param: name.clone(),
            reason,
        })?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::catalogue::NodeKind;
    use crate::core::model::graph::Pos;
    use crate::core::model::params::ParamValue;
    use crate::core::model::templates::basic_loop;

    #[test]
    fn a_graph_past_the_limits_is_refused_naming_the_node_and_parameter() {
        let mut sgd = basic_loop().nodes_of(NodeKind::SgdOptimizer).next().unwrap().clone();
        let alone = |node: &Node| Graph::from_parts(vec![node.clone()], vec![], node.id.0 + 1).unwrap();
        assert_eq!(check_graph(&alone(&sgd)), Ok(()));
        sgd.params.insert("momentum".to_owned(), ParamValue::Float(7.0));
        let error = check_graph(&alone(&sgd)).unwrap_err();
        assert!(
            matches!(&error, LimitError::BadParam { node, param, .. } if *node == sgd.id && param == "momentum")
        );
        assert_eq!(error.node(), Some(sgd.id));
        assert!(error.to_string().contains("`momentum`"), "{error}");
        sgd.params.remove("momentum");
        sgd.pos = Pos { x: f32::NAN, y: 0.0 };
        assert_eq!(
            check_graph(&alone(&sgd)),
            Err(LimitError::PositionNotFinite { node: sgd.id, kind: NodeKind::SgdOptimizer })
        );
    }

    #[test]
    fn a_full_graph_has_no_room_and_says_so() {
        let graph = basic_loop();
        let full = room_for(&graph, MAX_NODES, 0).unwrap_err();
        assert_eq!(full, LimitError::NoRoomForNodes { has: graph.node_count(), adding: MAX_NODES });
        assert!(full.to_string().contains("delete some first"), "{full}");
        assert_eq!(room_for(&graph, 1, 1), Ok(()));
    }
}
