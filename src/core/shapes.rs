//! The shapes shown on ports: what each output carries, inferred from the dataset through
//! DataSplit, the samplers and the network's layers; an input shows what its wire brings.
//!
//! Inference works on any graph, valid or not, and leaves out what it cannot know (a port
//! downstream of a missing wire or a layer that cannot take its input).

use std::collections::{BTreeMap, BTreeSet};

use super::catalogue::NodeKind;
use super::dataset::{DatasetKind, Task};
use super::graph::{Graph, Node, PortRef};
use super::params::shape_text;
use super::plan::{NetworkPlan, SplitPlan};

/// What a port carries.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum PortShape {
    /// Samples: how many, and the shape of each and of its target.
    Samples { count: usize, sample_shape: Vec<usize>, targets: TargetShape },
    /// Batches of samples, from a sampler.
    Batches { batch_size: usize, sample_shape: Vec<usize>, targets: TargetShape },
    /// A tensor; its first dimension, if any, is the batch.
    Tensor(Vec<usize>),
}

/// What each sample is mapped to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TargetShape {
    Classes(usize),
    Value,
}

impl std::fmt::Display for PortShape {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let targets = |targets: &TargetShape| match targets {
            TargetShape::Classes(classes) => format!("{classes} classes"),
            TargetShape::Value => "value".to_owned(),
        };
        match self {
            PortShape::Samples { count, sample_shape, targets: t } => {
                write!(f, "{count} × {} → {}", shape_text(sample_shape), targets(t))
            }
            PortShape::Batches { batch_size, sample_shape, targets: t } => {
                write!(f, "{batch_size} × {} → {}", shape_text(sample_shape), targets(t))
            }
            PortShape::Tensor(dims) => f.write_str(&shape_text(dims)),
        }
    }
}

/// The shape of every port whose shape can be known.
pub fn infer_shapes(graph: &Graph) -> BTreeMap<PortRef, PortShape> {
    let mut inference = Inference { graph, known: BTreeMap::new(), visiting: BTreeSet::new() };
    for node in graph.nodes() {
        for port in node.kind.spec().outputs {
            inference.output(node, port.name);
        }
    }
    let mut shapes: BTreeMap<PortRef, PortShape> =
        inference.known.into_iter().filter_map(|(port, shape)| Some((port, shape?))).collect();
    for wire in graph.wires() {
        if let Some(shape) = shapes.get(&wire.from).cloned() {
            shapes.insert(wire.to.clone(), shape);
        }
    }
    shapes
}

struct Inference<'g> {
    graph: &'g Graph,
    known: BTreeMap<PortRef, Option<PortShape>>,
    /// Outputs being inferred, to stop at a cycle.
    visiting: BTreeSet<PortRef>,
}

impl Inference<'_> {
    /// The shape of `node`'s output `port`, memoised.
    fn output(&mut self, node: &Node, port: &str) -> Option<PortShape> {
        let key = PortRef::new(node.id, port);
        if let Some(known) = self.known.get(&key) {
            return known.clone();
        }
        if !self.visiting.insert(key.clone()) {
            return None;
        }
        let shape = self.infer(node, port);
        self.visiting.remove(&key);
        self.known.insert(key, shape.clone());
        shape
    }

    /// The shape arriving at `node`'s input `port`.
    fn input(&mut self, node: &Node, port: &str) -> Option<PortShape> {
        let from = self.graph.wire_into(node.id, port)?.from.clone();
        let source = self.graph.node(from.node)?;
        self.output(source, &from.port)
    }

    fn infer(&mut self, node: &Node, port: &str) -> Option<PortShape> {
        match (node.kind, port) {
            (NodeKind::Dataset, "dataset") => {
                let kind = DatasetKind::from_name(node.param("kind")?.as_text()?)?;
                let samples = node.param("samples")?.as_i64()?.max(0) as usize;
                Some(PortShape::Samples {
                    count: kind.max_samples().map_or(samples, |max| samples.min(max)),
                    sample_shape: kind.sample_shape(),
                    targets: match kind.task() {
                        Task::Classification => TargetShape::Classes(
                            kind.fixed_classes()
                                .or(node.param("classes")?.as_i64().map(|n| n.max(0) as usize))?,
                        ),
                        Task::Regression => TargetShape::Value,
                    },
                })
            }
            (NodeKind::DataSplit, "train" | "validation") => {
                let PortShape::Samples { count, sample_shape, targets } = self.input(node, "dataset")? else {
                    return None;
                };
                let split =
                    SplitPlan { validation_ratio: node.param("validation_ratio")?.as_f64()?, seed: 0 };
                let held_out = split.validation_samples(count);
                let count = if port == "validation" { held_out } else { count.saturating_sub(held_out) };
                Some(PortShape::Samples { count, sample_shape, targets })
            }
            (NodeKind::BatchSampler, "sampler") => {
                let PortShape::Samples { count, sample_shape, targets } = self.input(node, "dataset")? else {
                    return None;
                };
                let batch_size = (node.param("batch_size")?.as_i64()?.max(1) as usize).min(count);
                Some(PortShape::Batches { batch_size, sample_shape, targets })
            }
            (NodeKind::GetBatch, "inputs" | "targets") => {
                let PortShape::Batches { batch_size, sample_shape, targets } = self.input(node, "sampler")?
                else {
                    return None;
                };
                Some(PortShape::Tensor(match (port, targets) {
                    ("inputs", _) => [vec![batch_size], sample_shape].concat(),
                    (_, TargetShape::Classes(_)) => vec![batch_size],
                    (_, TargetShape::Value) => vec![batch_size, 1],
                }))
            }
            (NodeKind::Network, "predictions") => {
                let PortShape::Tensor(dims) = self.input(node, "input")? else { return None };
                let (batch, in_shape) = dims.split_first()?;
                let layers = node.param("layers")?.as_layers()?.to_vec();
                let network = NetworkPlan { in_shape: in_shape.to_vec(), layers };
                let out = network.shapes().ok()?.last().cloned().unwrap_or_else(|| in_shape.to_vec());
                Some(PortShape::Tensor([vec![*batch], out].concat()))
            }
            (NodeKind::CrossEntropyLoss | NodeKind::MseLoss | NodeKind::L1Loss, "loss") => {
                if node.param("reduction")?.as_text()? != "none" {
                    return Some(PortShape::Tensor(Vec::new()));
                }
                let PortShape::Tensor(dims) = self.input(node, "predictions")? else { return None };
                Some(PortShape::Tensor(match node.kind {
                    NodeKind::CrossEntropyLoss => dims.first().map(|&batch| vec![batch]).unwrap_or_default(),
                    _ => dims,
                }))
            }
            (NodeKind::CombineLoss, "loss") => Some(PortShape::Tensor(Vec::new())),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::templates::basic_loop;

    fn shape_of(graph: &Graph, kind: NodeKind, port: &str) -> Option<String> {
        let node = graph.nodes().iter().find(|node| node.kind == kind)?;
        infer_shapes(graph).get(&PortRef::new(node.id, port)).map(ToString::to_string)
    }

    #[test]
    fn the_basic_loop_shows_batch_and_class_shapes() {
        let graph = basic_loop();
        assert_eq!(shape_of(&graph, NodeKind::Dataset, "dataset").as_deref(), Some("1000 × [2] → 2 classes"));
        assert_eq!(shape_of(&graph, NodeKind::GetBatch, "inputs").as_deref(), Some("[32, 2]"));
        assert_eq!(shape_of(&graph, NodeKind::GetBatch, "targets").as_deref(), Some("[32]"));
        assert_eq!(shape_of(&graph, NodeKind::Network, "input").as_deref(), Some("[32, 2]"));
        assert_eq!(shape_of(&graph, NodeKind::Network, "predictions").as_deref(), Some("[32, 2]"));
        assert_eq!(shape_of(&graph, NodeKind::CrossEntropyLoss, "loss").as_deref(), Some("[]"));
    }

    #[test]
    fn a_network_that_cannot_take_its_input_has_no_output_shape() {
        let mut graph = basic_loop();
        let dataset = graph.nodes().iter().find(|n| n.kind == NodeKind::Dataset).unwrap().id;
        graph.set_param(dataset, "kind", crate::core::params::ParamValue::Text("digits".into())).unwrap();
        assert_eq!(shape_of(&graph, NodeKind::GetBatch, "inputs").as_deref(), Some("[32, 8, 8]"));
        assert_eq!(shape_of(&graph, NodeKind::Network, "predictions"), None);
    }
}
