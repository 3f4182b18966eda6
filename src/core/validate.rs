//! Checks that hold for any graph, whatever it computes: parameter values against their
//! schema, wires against the ports they join, and required inputs being connected.
//!
//! Every problem is collected; nothing stops at the first.

use std::collections::HashSet;

use super::catalogue::NodeKind;
use super::compile_error::CompileError;
use super::graph::{Graph, Wire};

/// Every problem with parameters, wires and required inputs, in node order.
pub fn validate(graph: &Graph) -> Vec<CompileError> {
    let mut errors = Vec::new();
    check_params(graph, &mut errors);
    check_wires(graph, &mut errors);
    check_required_inputs(graph, &mut errors);
    errors
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

fn check_wires(graph: &Graph, errors: &mut Vec<CompileError>) {
    let mut fed_inputs = HashSet::new();
    for wire in graph.wires() {
        let dangling = |reason: String| CompileError::DanglingWire { wire: describe(wire), reason };
        let Some(from) = graph.node(wire.from.node) else {
            errors.push(dangling(format!("node {} does not exist", wire.from.node)));
            continue;
        };
        let Some(to) = graph.node(wire.to.node) else {
            errors.push(dangling(format!("node {} does not exist", wire.to.node)));
            continue;
        };
        let Some(out_port) = from.kind.spec().output(&wire.from.port) else {
            errors.push(dangling(format!("{} has no output `{}`", from.kind, wire.from.port)));
            continue;
        };
        let Some(in_port) = to.kind.spec().input(&wire.to.port) else {
            errors.push(dangling(format!("{} has no input `{}`", to.kind, wire.to.port)));
            continue;
        };
        if !fed_inputs.insert(&wire.to) {
            errors.push(dangling(format!(
                "input `{}` of {} {} already has a wire",
                wire.to.port, to.kind, to.id
            )));
            continue;
        }
        if out_port.ty != in_port.ty {
            errors.push(CompileError::PortTypeMismatch {
                from_node: from.id,
                from_kind: from.kind,
                from_port: wire.from.port.clone(),
                found: out_port.ty,
                to_node: to.id,
                to_kind: to.kind,
                to_port: wire.to.port.clone(),
                expected: in_port.ty,
            });
        }
    }
}

fn check_required_inputs(graph: &Graph, errors: &mut Vec<CompileError>) {
    for node in graph.nodes() {
        for port in node.kind.spec().inputs.iter().filter(|port| port.required) {
            if graph.wire_into(node.id, port.name).is_none() {
                errors.push(CompileError::Unconnected {
                    node: node.id,
                    kind: node.kind,
                    port: port.name,
                    hint: source_hint(node.kind, port.name),
                });
            }
        }
    }
}

/// What usually feeds an input, to say in an "unconnected" message.
fn source_hint(kind: NodeKind, port: &str) -> &'static str {
    match (kind, port) {
        (NodeKind::BatchSampler, _) => "a Dataset's `dataset` output",
        (NodeKind::GetBatch, _) => "a BatchSampler's `sampler` output",
        (NodeKind::Network, _) => "GetBatch's `inputs` output",
        (NodeKind::CrossEntropyLoss, "predictions") => "a Network's `predictions` output",
        (NodeKind::CrossEntropyLoss, _) => "GetBatch's `targets` output",
        (NodeKind::SgdOptimizer | NodeKind::AdamOptimizer | NodeKind::AdamWOptimizer, "model") => {
            "a Network's `model` output"
        }
        (_, "loss") => "a loss node's `loss` output (add a CrossEntropyLoss if there is none)",
        (NodeKind::TrainingStep, _) => "an optimizer's `optimizer` output",
        (NodeKind::EpochTracker, _) => "TrainingStep's `step_complete` output",
        _ => "an output of the matching type",
    }
}

fn describe(wire: &Wire) -> String {
    format!("{}->{}", wire.from, wire.to)
}
