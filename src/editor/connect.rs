//! What a wire may join, and why not: the editor refuses a drop with the reason, at the
//! pointer, before the graph changes.

use crate::core::catalogue::{NodeKind, PortType};
use crate::core::graph::{Graph, NodeId, PortRef};

/// Checks a wire from output `from` to input `to`.
///
/// # Errors
/// A sentence for the user saying why the wire cannot be made.
pub fn check_connection(graph: &Graph, from: &PortRef, to: &PortRef) -> Result<(), String> {
    let source = graph.node(from.node).ok_or("that node no longer exists")?;
    let target = graph.node(to.node).ok_or("that node no longer exists")?;
    let output = source
        .kind
        .spec()
        .output(&from.port)
        .ok_or_else(|| format!("{} has no output `{}`", source.kind, from.port))?;
    let input = target
        .kind
        .spec()
        .input(&to.port)
        .ok_or_else(|| format!("{} has no input `{}`", target.kind, to.port))?;
    if source.id == target.id {
        return Err(format!("{} cannot feed itself", source.kind));
    }
    if output.ty != input.ty {
        return Err(format!(
            "{}'s `{}` gives {}, but {}'s `{}` takes {}",
            source.kind,
            output.name,
            article(output.ty),
            target.kind,
            input.name,
            article(input.ty)
        ));
    }
    if output.ty != PortType::Trigger && reaches(graph, target.id, source.id) {
        return Err(format!(
            "that would make a loop: {}'s output already flows into {}; only trigger wires may loop back",
            target.kind, source.kind
        ));
    }
    Ok(())
}

/// Whether data flows from `start` to `goal` along non-trigger wires.
fn reaches(graph: &Graph, start: NodeId, goal: NodeId) -> bool {
    let mut seen = vec![start];
    let mut frontier = vec![start];
    while let Some(node) = frontier.pop() {
        if node == goal {
            return true;
        }
        for wire in graph.wires().iter().filter(|wire| wire.from.node == node) {
            let is_trigger = graph
                .node(node)
                .and_then(|n| n.kind.spec().output(&wire.from.port))
                .is_none_or(|port| port.ty == PortType::Trigger);
            if !is_trigger && !seen.contains(&wire.to.node) {
                seen.push(wire.to.node);
                frontier.push(wire.to.node);
            }
        }
    }
    false
}

fn article(ty: PortType) -> String {
    let name = ty.to_string();
    let an = matches!(name.chars().next(), Some('a' | 'e' | 'i' | 'o' | 'u'));
    format!("{} {name}", if an { "an" } else { "a" })
}

/// The node kinds with a port that can take the other end of a wire of type `ty`: inputs of
/// that type when the wire starts at an output (`from_output`), else outputs. Each with the
/// port's name, in palette order: the add-menu offers them when a wire is dropped on empty
/// canvas.
pub fn compatible_ports(ty: PortType, from_output: bool) -> Vec<(NodeKind, &'static str)> {
    NodeKind::ALL
        .iter()
        .filter_map(|&kind| {
            let spec = kind.spec();
            let ports = if from_output { spec.inputs } else { spec.outputs };
            ports.iter().find(|port| port.ty == ty).map(|port| (kind, port.name))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::templates::basic_loop;

    fn port(graph: &Graph, kind: NodeKind, name: &str) -> PortRef {
        PortRef::new(graph.nodes().iter().find(|n| n.kind == kind).unwrap().id, name)
    }

    #[test]
    fn equal_types_connect_and_others_are_refused_with_the_types_named() {
        let graph = basic_loop();
        let ok = check_connection(
            &graph,
            &port(&graph, NodeKind::GetBatch, "inputs"),
            &port(&graph, NodeKind::Network, "input"),
        );
        assert_eq!(ok, Ok(()));
        let refused = check_connection(
            &graph,
            &port(&graph, NodeKind::SgdOptimizer, "optimizer"),
            &port(&graph, NodeKind::Network, "input"),
        );
        assert_eq!(
            refused.unwrap_err(),
            "SGDOptimizer's `optimizer` gives an optimizer, but Network's `input` takes a tensor"
        );
    }

    #[test]
    fn loops_of_data_are_refused_but_trigger_loops_are_not() {
        let graph = basic_loop();
        let refused = check_connection(
            &graph,
            &port(&graph, NodeKind::CrossEntropyLoss, "loss"),
            &port(&graph, NodeKind::Network, "input"),
        );
        assert!(refused.unwrap_err().contains("loop"));
        let trigger = check_connection(
            &graph,
            &port(&graph, NodeKind::EpochTracker, "epoch_trigger"),
            &port(&graph, NodeKind::GetBatch, "next"),
        );
        assert_eq!(trigger, Ok(()));
        let own = check_connection(
            &graph,
            &port(&graph, NodeKind::Network, "predictions"),
            &port(&graph, NodeKind::Network, "input"),
        );
        assert_eq!(own.unwrap_err(), "Network cannot feed itself");
    }

    #[test]
    fn compatible_ports_list_where_a_dropped_wire_can_go() {
        let takes_model = compatible_ports(PortType::Model, true);
        assert!(takes_model.contains(&(NodeKind::SgdOptimizer, "model")));
        assert!(takes_model.contains(&(NodeKind::RunEpoch, "model")));
        assert!(!takes_model.iter().any(|(kind, _)| *kind == NodeKind::Dataset));
        let gives_dataset = compatible_ports(PortType::Dataset, false);
        assert_eq!(gives_dataset, [(NodeKind::Dataset, "dataset"), (NodeKind::DataSplit, "train")]);
    }
}
