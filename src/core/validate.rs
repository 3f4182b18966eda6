//! Checks that hold for any graph, whatever it computes: parameter values against their
//! schema, wires against the ports they join, required inputs being connected, and data
//! flowing one way (no cycles except through trigger wires).
//!
//! Every problem is collected; nothing stops at the first.

use std::collections::{BTreeMap, HashSet};

use super::catalogue::{NodeKind, PortType};
use super::compile_error::CompileError;
use super::graph::{Graph, NodeId, Wire};

/// Every problem with parameters, wires and required inputs, in node order.
pub fn validate(graph: &Graph) -> Vec<CompileError> {
    let mut errors = Vec::new();
    check_params(graph, &mut errors);
    check_wires(graph, &mut errors);
    check_required_inputs(graph, &mut errors);
    check_cycles(graph, &mut errors);
    errors
}

/// Reports one cycle of data wires (a trigger wire may close a loop: that is how an epoch
/// starts the next), at the first node found on it.
fn check_cycles(graph: &Graph, errors: &mut Vec<CompileError>) {
    let mut next: BTreeMap<NodeId, Vec<NodeId>> = BTreeMap::new();
    for wire in graph.wires() {
        let is_trigger = graph
            .node(wire.from.node)
            .and_then(|node| node.kind.spec().output(&wire.from.port))
            .is_none_or(|port| port.ty == PortType::Trigger);
        if !is_trigger {
            next.entry(wire.from.node).or_default().push(wire.to.node);
        }
    }
    // Depth-first search, iterative so that no graph can overflow the stack.
    #[derive(Clone, Copy, PartialEq)]
    enum Mark {
        Unseen,
        OnPath,
        Done,
    }
    let mut marks: BTreeMap<NodeId, Mark> =
        graph.nodes().iter().map(|node| (node.id, Mark::Unseen)).collect();
    for start in graph.nodes().iter().map(|node| node.id) {
        if marks.get(&start) != Some(&Mark::Unseen) {
            continue;
        }
        let mut path: Vec<(NodeId, usize)> = vec![(start, 0)];
        marks.insert(start, Mark::OnPath);
        while let Some(&mut (node, ref mut child)) = path.last_mut() {
            let Some(&target) = next.get(&node).and_then(|targets| targets.get(*child)) else {
                marks.insert(node, Mark::Done);
                path.pop();
                continue;
            };
            *child += 1;
            match marks.get(&target).copied().unwrap_or(Mark::Done) {
                Mark::Unseen => {
                    marks.insert(target, Mark::OnPath);
                    path.push((target, 0));
                }
                Mark::OnPath => {
                    let from = path.iter().position(|&(id, _)| id == target).unwrap_or(0);
                    let mut loop_nodes: Vec<String> = path[from..]
                        .iter()
                        .filter_map(|&(id, _)| graph.node(id).map(|n| format!("{} {}", n.kind, n.id)))
                        .collect();
                    loop_nodes.push(loop_nodes.first().cloned().unwrap_or_default());
                    if let Some(node) = graph.node(target) {
                        errors.push(CompileError::Cycle {
                            node: node.id,
                            kind: node.kind,
                            path: loop_nodes.join(" → "),
                        });
                    }
                    return;
                }
                Mark::Done => {}
            }
        }
    }
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
        (NodeKind::BatchSampler | NodeKind::DataSplit, _) => "a Dataset's `dataset` output",
        (NodeKind::GetBatch, _) | (NodeKind::RunEpoch, "sampler") => "a BatchSampler's `sampler` output",
        (NodeKind::Network, _) => "GetBatch's `inputs` output",
        (_, "predictions") => "a Network's `predictions` output",
        (_, "targets") => "GetBatch's `targets` output",
        (_, "model") => "a Network's `model` output",
        (_, "loss" | "loss_1" | "loss_2") => {
            "a loss node's `loss` output (add a CrossEntropyLoss if there is none)"
        }
        (_, "optimizer") => "an optimizer's `optimizer` output",
        (NodeKind::EpochTracker, _) => "TrainingStep's `step_complete` output",
        _ => "an output of the matching type",
    }
}

fn describe(wire: &Wire) -> String {
    format!("{}->{}", wire.from, wire.to)
}
