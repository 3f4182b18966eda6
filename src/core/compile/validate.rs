//! Checks that hold for any graph, whatever it computes: parameter values against their
//! schema (and the combinations PyTorch refuses), wires against the rules of `core::wiring`
//! (types, data flowing one way), and required inputs being connected.
//!
//! Every problem is collected; nothing stops at the first.

use crate::core::compile::compile_error::{CompileError, Hint};
use crate::core::model::catalogue::NodeKind;
use crate::core::model::graph::{Graph, InPort};
use crate::core::model::wiring::{self, WireError};

/// Every problem with parameters, wires and required inputs, in node order.
pub fn validate(graph: &Graph) -> Vec<CompileError> {
    let mut errors = Vec::new();
    check_params(graph, &mut errors);
    check_combinations(graph, &mut errors);
    check_wires(graph, &mut errors);
    check_required_inputs(graph, &mut errors);
    errors
}

/// Reports each wire between ports of different types, and one cycle of data wires (a
/// trigger wire may close a loop: that is how an epoch starts the next), at the node where
/// it closes.
fn check_wires(graph: &Graph, errors: &mut Vec<CompileError>) {
    let (mistyped, cycle) = wiring::problems(graph);
    for (wire, error) in mistyped {
        let (Some(from), Some(to)) = (graph.node(wire.from.node), graph.node(wire.to.node)) else { continue };
        if let WireError::TypeMismatch { from_port, found, to_port, expected, .. } = error {
            errors.push(CompileError::PortTypeMismatch {
                from_node: from.id,
                from_kind: from.kind,
                from_port,
                found,
                to_node: to.id,
                to_kind: to.kind,
                to_port,
                expected,
            });
        }
    }
    let Some(cycle) = cycle else { return };
    let Some(closing) = cycle.first().and_then(|&id| graph.node(id)) else { return };
    let mut path: Vec<String> = cycle
        .iter()
        .filter_map(|&id| graph.node(id).map(|node| format!("{} {}", node.kind, node.id)))
        .collect();
    path.push(path.first().cloned().unwrap_or_default());
    errors.push(CompileError::Cycle { node: closing.id, kind: closing.kind, path: path.join(" → ") });
}

fn check_params(graph: &Graph, errors: &mut Vec<CompileError>) {
    for node in graph.nodes() {
        let spec = node.kind.spec();
        for (name, value) in &node.params {
            match spec.param(name) {
                None => errors.push(CompileError::UnknownParam {
                    node: node.id,
                    kind: node.kind,
                    param: name.clone(),
                }),
                Some(param) => {
                    if let Err(reason) = param.check(value) {
                        errors.push(CompileError::InvalidParam {
                            node: node.id,
                            kind: node.kind,
                            param: name.clone(),
                            reason,
                        });
                    }
                }
            }
        }
    }
}

/// Parameters each in range that PyTorch refuses together: SGD's Nesterov momentum without
/// momentum (`torch.optim.SGD` raises "Nesterov momentum requires a momentum and zero
/// dampening"; running plain SGD instead would hide the mistake).
fn check_combinations(graph: &Graph, errors: &mut Vec<CompileError>) {
    for node in graph.nodes_of(NodeKind::SgdOptimizer) {
        let Ok(params) = crate::core::model::catalogue::SgdParams::read(node) else { continue };
        if params.nesterov && params.momentum <= 0.0 {
            errors.push(CompileError::InvalidParam {
                node: node.id,
                kind: node.kind,
                param: "nesterov".to_owned(),
                reason: text!("compile-nesterov-without-momentum"),
            });
        }
    }
}

fn check_required_inputs(graph: &Graph, errors: &mut Vec<CompileError>) {
    for node in graph.nodes() {
        for (index, port) in node.kind.spec().inputs.iter().enumerate().filter(|(_, port)| port.required) {
            if graph.wire_into(InPort { node: node.id, index }).is_none() {
                errors.push(CompileError::Unconnected {
                    node: node.id,
                    kind: node.kind,
                    port: port.name,
                    hint: Hint::FedBy(node.kind, port.name),
                });
            }
        }
    }
}
