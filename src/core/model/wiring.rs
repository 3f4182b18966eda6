//! The rules a wire must keep, in one place: an output joins an input of the same type, a
//! node does not feed itself, and data flows one way (only trigger wires — "start the next
//! epoch" — may loop back). The editor asks [`check_wire`] before it draws a wire and shows
//! the reason at the pointer; validation asks the same rules of every wire a graph holds
//! ([`problems`]), for graphs that come from files and links. That a wire's ends exist and an
//! input takes one wire is the graph's own structure (`Graph::connect`, `Graph::from_parts`).

use std::collections::{HashMap, HashSet};

use crate::core::model::catalogue::PortType;
use crate::core::model::graph::{Graph, InPort, OutPort, Wire};
use crate::core::model::node_id::NodeId;

/// Why a wire cannot be made or is wrong where it is. Each reads as a sentence for the user.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum WireError {
    #[error("{}", text!("wiring-missing-end"))]
    MissingEnd,
    #[error("{}", text!("wiring-self-loop", kind = *.kind))]
    SelfLoop { kind: &'static str },
    #[error(
        "{}",
        text!(
            "wiring-type-mismatch",
            from_kind = *.from_kind,
            from_port = *.from_port,
            found = .found.to_string(),
            to_kind = *.to_kind,
            to_port = *.to_port,
            expected = .expected.to_string()
        )
    )]
    TypeMismatch {
        from_kind: &'static str,
        from_port: &'static str,
        found: PortType,
        to_kind: &'static str,
        to_port: &'static str,
        expected: PortType,
    },
    #[error("{}", text!("wiring-loop", to_kind = *.to_kind, from_kind = *.from_kind))]
    Loop { from_kind: &'static str, to_kind: &'static str },
}

/// Whether a wire from `from` to `to` may be added to `graph` (replacing whatever feeds `to`).
///
/// # Errors
/// The rule it breaks, as a sentence for the user.
pub fn check_wire(graph: &Graph, from: OutPort, to: InPort) -> Result<(), WireError> {
    let (source, target) = (graph.node(from.node), graph.node(to.node));
    let (Some(source), Some(target)) = (source, target) else { return Err(WireError::MissingEnd) };
    let (Some(output), Some(_)) = (graph.output_spec(from), graph.input_spec(to)) else {
        return Err(WireError::MissingEnd);
    };
    if source.id == target.id {
        return Err(WireError::SelfLoop { kind: source.kind.name() });
    }
    check_types(graph, Wire { from, to })?;
    if output.ty != PortType::Trigger && DataFlow::new(graph).reaches(target.id, source.id) {
        return Err(WireError::Loop { from_kind: source.kind.name(), to_kind: target.kind.name() });
    }
    Ok(())
}

/// Whether `wire`'s output gives what its input takes.
///
/// # Errors
/// [`WireError::TypeMismatch`], or [`WireError::MissingEnd`] for a port that does not exist.
pub fn check_types(graph: &Graph, wire: Wire) -> Result<(), WireError> {
    let (Some(source), Some(target)) = (graph.node(wire.from.node), graph.node(wire.to.node)) else {
        return Err(WireError::MissingEnd);
    };
    let (Some(output), Some(input)) = (graph.output_spec(wire.from), graph.input_spec(wire.to)) else {
        return Err(WireError::MissingEnd);
    };
    if output.ty == input.ty {
        return Ok(());
    }
    Err(WireError::TypeMismatch {
        from_kind: source.kind.name(),
        from_port: output.name,
        found: output.ty,
        to_kind: target.kind.name(),
        to_port: input.name,
        expected: input.ty,
    })
}

/// What is wrong with the wires `graph` holds: each wire whose types differ, and one loop of
/// data wires (as the node where it closes and the nodes around it), if there is one.
pub fn problems(graph: &Graph) -> (Vec<(Wire, WireError)>, Option<Vec<NodeId>>) {
    let mistyped =
        graph.wires().filter_map(|wire| check_types(graph, wire).err().map(|error| (wire, error))).collect();
    (mistyped, DataFlow::new(graph).find_cycle(graph))
}

/// Where data flows: from each node to the nodes its non-trigger outputs feed.
struct DataFlow {
    next: HashMap<NodeId, Vec<NodeId>>,
}

impl DataFlow {
    fn new(graph: &Graph) -> Self {
        let mut next: HashMap<NodeId, Vec<NodeId>> = HashMap::new();
        for wire in graph.wires() {
            let carries_data = graph.output_spec(wire.from).is_some_and(|port| port.ty != PortType::Trigger);
            if carries_data {
                next.entry(wire.from.node).or_default().push(wire.to.node);
            }
        }
        Self { next }
    }

    fn successors(&self, node: NodeId) -> &[NodeId] {
        self.next.get(&node).map_or(&[], Vec::as_slice)
    }

    /// Whether data flows from `start` to `goal`.
    fn reaches(&self, start: NodeId, goal: NodeId) -> bool {
        let mut seen = HashSet::from([start]);
        let mut frontier = vec![start];
        while let Some(node) = frontier.pop() {
            if node == goal {
                return true;
            }
            for &next in self.successors(node) {
                if seen.insert(next) {
                    frontier.push(next);
                }
            }
        }
        false
    }

    /// One loop of data wires, as the nodes on it from where it closes, in `graph`'s node
    /// order; `None` when data flows one way. Depth-first and iterative, so no graph can
    /// overflow the stack.
    fn find_cycle(&self, graph: &Graph) -> Option<Vec<NodeId>> {
        #[derive(Clone, Copy, PartialEq)]
        enum Mark {
            OnPath,
            Done,
        }
        let mut marks: HashMap<NodeId, Mark> = HashMap::new();
        for start in graph.nodes().map(|node| node.id) {
            if marks.contains_key(&start) {
                continue;
            }
            let mut path: Vec<(NodeId, usize)> = vec![(start, 0)];
            marks.insert(start, Mark::OnPath);
            while let Some(&mut (node, ref mut child)) = path.last_mut() {
                let Some(&target) = self.successors(node).get(*child) else {
                    marks.insert(node, Mark::Done);
                    path.pop();
                    continue;
                };
                *child += 1;
                match marks.get(&target) {
                    None => {
                        marks.insert(target, Mark::OnPath);
                        path.push((target, 0));
                    }
                    Some(Mark::OnPath) => {
                        let from = path.iter().position(|&(id, _)| id == target).unwrap_or(0);
                        return Some(path[from..].iter().map(|&(id, _)| id).collect());
                    }
                    Some(Mark::Done) => {}
                }
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::catalogue::NodeKind;
    use crate::core::model::templates::basic_loop;

    fn node(graph: &Graph, kind: NodeKind) -> NodeId {
        graph.nodes_of(kind).next().unwrap().id
    }

    fn check(graph: &Graph, from: (NodeKind, &str), to: (NodeKind, &str)) -> Result<(), String> {
        let output = graph.output(node(graph, from.0), from.1).unwrap();
        let input = graph.input(node(graph, to.0), to.1).unwrap();
        check_wire(graph, output, input).map_err(|error| error.to_string())
    }

    #[test]
    fn equal_types_connect_and_others_are_refused_with_the_types_named() {
        let graph = basic_loop();
        assert_eq!(check(&graph, (NodeKind::GetBatch, "inputs"), (NodeKind::Network, "input")), Ok(()));
        assert_eq!(
            check(&graph, (NodeKind::SgdOptimizer, "optimizer"), (NodeKind::Network, "input")).unwrap_err(),
            "SGDOptimizer's `optimizer` gives an optimizer, but Network's `input` takes a tensor"
        );
    }

    #[test]
    fn loops_of_data_are_refused_but_trigger_loops_are_not() {
        let graph = basic_loop();
        let refused = check(&graph, (NodeKind::CrossEntropyLoss, "loss"), (NodeKind::Network, "input"));
        assert!(refused.unwrap_err().contains("loop"));
        assert_eq!(
            check(&graph, (NodeKind::EpochTracker, "epoch_trigger"), (NodeKind::GetBatch, "next")),
            Ok(())
        );
        assert_eq!(
            check(&graph, (NodeKind::Network, "predictions"), (NodeKind::Network, "input")).unwrap_err(),
            "Network cannot feed itself"
        );
    }

    #[test]
    fn validation_finds_what_the_editor_refuses() {
        let mut graph = basic_loop();
        let (loss, network) = (node(&graph, NodeKind::CrossEntropyLoss), node(&graph, NodeKind::Network));
        let (step, dataset) = (node(&graph, NodeKind::TrainingStep), node(&graph, NodeKind::Dataset));
        assert_eq!(problems(&graph), (Vec::new(), None));
        // A file may hold what the editor would refuse: a loop of data and a mistyped wire.
        graph.connect_named(loss, "loss", network, "input").unwrap();
        graph.connect_named(dataset, "dataset", step, "optimizer").unwrap();
        let (mistyped, cycle) = problems(&graph);
        assert_eq!(mistyped.len(), 1, "{mistyped:?}");
        assert!(matches!(mistyped[0].1, WireError::TypeMismatch { expected: PortType::Optimizer, .. }));
        let cycle = cycle.expect("the loop is found");
        assert!(cycle.contains(&loss) && cycle.contains(&network), "{cycle:?}");
    }
}
