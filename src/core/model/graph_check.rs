//! A graph from outside — a link, a file, a paste, an old autosave — checked against the
//! limits (`limits`) and the catalogue, so that a graph that reaches the editor is one the
//! editor could have made; and whether there is room in a graph for more.

use crate::core::model::graph::{Graph, Node, quoted};
use crate::core::model::limits::{MAX_COORDINATE, MAX_ID, MAX_NODES, MAX_WIRES};

/// Whether `graph` has room for `nodes` more nodes and `wires` more wires: adding, pasting
/// and duplicating stop at the limits, so any graph the editor holds can be saved, shared
/// and opened again.
///
/// # Errors
/// A sentence for the user saying what is full.
pub fn room_for(graph: &Graph, nodes: usize, wires: usize) -> Result<(), String> {
    if graph.node_count() + nodes > MAX_NODES {
        return Err(format!(
            "the graph has {} nodes and a graph holds at most {MAX_NODES}, so {nodes} more do not fit; delete some first",
            graph.node_count()
        ));
    }
    if graph.wire_count() + wires > MAX_WIRES {
        return Err(format!(
            "the graph has {} wires and a graph holds at most {MAX_WIRES}, so {wires} more do not fit; delete some first",
            graph.wire_count()
        ));
    }
    if u64::from(graph.next_id()) + nodes as u64 > u64::from(MAX_ID) {
        return Err(format!(
            "node ids would pass {MAX_ID}; export the graph and import it again to renumber"
        ));
    }
    Ok(())
}

/// Checks `graph` against every bound above and the catalogue (a link's graph, or a
/// pasted fragment).
///
/// # Errors
/// The first problem found, as a sentence for the user.
pub fn check_graph(graph: &Graph) -> Result<(), String> {
    // Ids are unique, and wires join ports that exist, one per input: a `Graph` cannot be
    // built otherwise (`Graph::from_parts`).
    if graph.node_count() > MAX_NODES {
        return Err(format!("it has {} nodes; at most {MAX_NODES} are allowed", graph.node_count()));
    }
    if graph.wire_count() > MAX_WIRES {
        return Err(format!("it has {} wires; at most {MAX_WIRES} are allowed", graph.wire_count()));
    }
    if graph.next_id() > MAX_ID {
        return Err(format!("its next node id {} is past {MAX_ID}", graph.next_id()));
    }
    for node in graph.nodes() {
        if node.id.0 > MAX_ID {
            return Err(format!("node id {} is past {MAX_ID}", node.id.0));
        }
        check_node(node)?;
    }
    crate::core::model::sweep_spec::check(graph).map_err(|error| error.to_string())
}

fn check_node(node: &Node) -> Result<(), String> {
    let (x, y) = (node.pos.x, node.pos.y);
    if !(x.is_finite() && y.is_finite()) {
        return Err(format!("{} {} sits at a position that is not a finite number", node.kind, node.id));
    }
    if x.abs() > MAX_COORDINATE || y.abs() > MAX_COORDINATE {
        return Err(format!("{} {} sits further than {MAX_COORDINATE} from the origin", node.kind, node.id));
    }
    let spec = node.kind.spec();
    for (name, value) in &node.params {
        let param = spec
            .param(name)
            .ok_or_else(|| format!("{} {} has no parameter {}", node.kind, node.id, quoted(name)))?;
        // The schema bounds lengths too (`MAX_LIST`, `MAX_NAME`), as it does for the editor.
        param
            .check_stored(value)
            .map_err(|reason| format!("{} {}: `{name}` {reason}", node.kind, node.id))?;
    }
    Ok(())
}
