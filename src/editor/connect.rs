//! Making wires by hand: a wire dragged from a port (or off a connected input, carrying its
//! wire), completed at another port as one undoable edit, and the node kinds that could take
//! a wire dropped on empty canvas. The rules a wire keeps are `core::wiring`'s; the editor asks
//! them before the graph changes and shows the reason at the pointer.

use crate::core::model::catalogue::{NodeKind, PortType};
use crate::core::model::graph::{Graph, InPort, OutPort, PortEnd};
use crate::core::model::wiring::check_wire;

/// A wire being dragged (or a port picked by a click or Enter, waiting for the other end).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PendingWire {
    /// The end the wire hangs from: the port it was dragged from or, dragged off a connected
    /// input, the output feeding that input.
    pub end: PortEnd,
    /// What it carries.
    pub ty: PortType,
    /// The connected input it was dragged off, disconnected only when the wire is dropped
    /// somewhere else.
    pub detached: Option<InPort>,
}

impl PendingWire {
    /// A wire taken from `port`: a new wire from an output or a free input, or the wire a
    /// connected input already has. `None` when the port does not exist.
    pub fn start(graph: &Graph, port: PortEnd) -> Option<Self> {
        match port {
            PortEnd::Output(output) => {
                Some(Self { end: port, ty: graph.output_spec(output)?.ty, detached: None })
            }
            PortEnd::Input(input) => {
                let ty = graph.input_spec(input)?.ty;
                Some(match graph.wire_into(input) {
                    Some(source) => Self { end: PortEnd::Output(source), ty, detached: Some(input) },
                    None => Self { end: port, ty, detached: None },
                })
            }
        }
    }

    /// A port picked on its own (a click or Enter), to be joined to the next one picked.
    pub fn picked(graph: &Graph, port: PortEnd) -> Option<Self> {
        let ty = match port {
            PortEnd::Output(output) => graph.output_spec(output)?.ty,
            PortEnd::Input(input) => graph.input_spec(input)?.ty,
        };
        Some(Self { end: port, ty, detached: None })
    }

    /// Where the wire was picked up: the input it was dragged off, else its end.
    pub fn origin(&self) -> PortEnd {
        self.detached.map_or(self.end, PortEnd::Input)
    }

    /// Whether the wire's own end is an output (so it completes at an input).
    pub fn from_output(&self) -> bool {
        matches!(self.end, PortEnd::Output(_))
    }
}

/// `graph` with `wire` completed at `port`: the output end joined to the input end, a detached
/// wire moved, as one edit.
///
/// # Errors
/// Why not, as a sentence for the user.
pub fn complete(graph: &Graph, wire: &PendingWire, port: PortEnd) -> Result<Graph, String> {
    let (from, to) = match (wire.end, port) {
        (PortEnd::Output(from), PortEnd::Input(to)) | (PortEnd::Input(to), PortEnd::Output(from)) => {
            (from, to)
        }
        (PortEnd::Output(_), PortEnd::Output(_)) => {
            return Err(text!("editor-wire-output-to-output"));
        }
        (PortEnd::Input(_), PortEnd::Input(_)) => {
            return Err(text!("editor-wire-input-to-input"));
        }
    };
    let mut after = graph.clone();
    if let Some(detached) = wire.detached {
        after.disconnect(detached);
    }
    connect(&after, from, to)
}

/// `graph` with a wire from `from` to `to`, if the wiring rules allow it.
///
/// # Errors
/// The rule it breaks, as a sentence for the user.
pub fn connect(graph: &Graph, from: OutPort, to: InPort) -> Result<Graph, String> {
    check_wire(graph, from, to).map_err(|error| error.to_string())?;
    let mut after = graph.clone();
    after.connect(from, to).map_err(|error| error.to_string())?;
    Ok(after)
}

/// The node kinds with a port that can take the other end of a wire of type `ty`: inputs of
/// that type when the wire starts at an output (`from_output`), else outputs. Each with the
/// port's position among its kind's inputs (or outputs), in palette order: the add-menu
/// offers them when a wire is dropped on empty canvas.
pub fn compatible_ports(ty: PortType, from_output: bool) -> Vec<(NodeKind, usize)> {
    NodeKind::ALL
        .iter()
        .filter_map(|&kind| {
            let spec = kind.spec();
            let ports = if from_output { spec.inputs } else { spec.outputs };
            ports.iter().position(|port| port.ty == ty).map(|index| (kind, index))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::templates::basic_loop;

    fn named(ports: Vec<(NodeKind, usize)>, from_output: bool) -> Vec<(NodeKind, &'static str)> {
        ports
            .into_iter()
            .map(|(kind, index)| {
                let spec = kind.spec();
                (kind, if from_output { spec.inputs[index].name } else { spec.outputs[index].name })
            })
            .collect()
    }

    fn node(graph: &Graph, kind: NodeKind) -> crate::core::model::node_id::NodeId {
        graph.nodes_of(kind).next().unwrap().id
    }

    #[test]
    fn compatible_ports_list_where_a_dropped_wire_can_go() {
        let takes_model = named(compatible_ports(PortType::Model, true), true);
        assert!(takes_model.contains(&(NodeKind::SgdOptimizer, "model")));
        assert!(takes_model.contains(&(NodeKind::RunEpoch, "model")));
        assert!(!takes_model.iter().any(|(kind, _)| *kind == NodeKind::Dataset));
        let gives_dataset = named(compatible_ports(PortType::Dataset, false), false);
        assert_eq!(gives_dataset, [(NodeKind::Dataset, "dataset"), (NodeKind::DataSplit, "train")]);
    }

    #[test]
    fn a_wire_taken_off_a_connected_input_moves_in_one_edit() {
        let graph = basic_loop();
        let (loss, step) = (node(&graph, NodeKind::CrossEntropyLoss), node(&graph, NodeKind::TrainingStep));
        let step_loss = graph.input(step, "loss").unwrap();
        let wire = PendingWire::start(&graph, PortEnd::Input(step_loss)).unwrap();
        assert_eq!(wire.end, PortEnd::Output(graph.output(loss, "loss").unwrap()));
        assert_eq!((wire.detached, wire.origin()), (Some(step_loss), PortEnd::Input(step_loss)));
        // Dropped on the optimizer's loss input (already fed by the same loss): the wire moves.
        let sgd = node(&graph, NodeKind::SgdOptimizer);
        let after = complete(&graph, &wire, PortEnd::Input(graph.input(sgd, "loss").unwrap())).unwrap();
        assert_eq!(after.wire_into(step_loss), None);
        assert_eq!(after.wire_count(), graph.wire_count() - 1);
    }

    #[test]
    fn refused_completions_say_why_and_change_nothing() {
        let graph = basic_loop();
        let (sgd, network) = (node(&graph, NodeKind::SgdOptimizer), node(&graph, NodeKind::Network));
        let wire =
            PendingWire::start(&graph, PortEnd::Output(graph.output(sgd, "optimizer").unwrap())).unwrap();
        let refused = complete(&graph, &wire, PortEnd::Input(graph.input(network, "input").unwrap()));
        assert_eq!(
            refused.unwrap_err(),
            "SGDOptimizer's `optimizer` gives an optimizer, but Network's `input` takes a tensor"
        );
        let two_outputs = complete(&graph, &wire, PortEnd::Output(graph.output(network, "model").unwrap()));
        assert!(two_outputs.unwrap_err().contains("not to another output"));
    }
}
