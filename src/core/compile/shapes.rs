//! The shapes shown on ports: what each output carries, inferred from the dataset through
//! DataSplit, the samplers and the network's layers; an input shows what its wire brings.
//!
//! Inference works on any graph, valid or not, and leaves out what it cannot know (a port
//! downstream of a missing wire or a layer that cannot take its input).

use std::collections::{BTreeMap, BTreeSet};

use crate::core::compile::plan::{NetworkPlan, SplitPlan};
use crate::core::model::catalogue::{
    BatchSamplerParams, CrossEntropyParams, DataSplitParams, DatasetParams, NetworkParams, NodeParams,
    RegressionLossParams,
};
use crate::core::model::catalogue::{NodeKind, PortSpec, PortType};
use crate::core::model::choices::Reduction;
use crate::core::model::choices::{DatasetKind, Task};
use crate::core::model::graph::{Graph, InPort, Node, OutPort};
use crate::core::model::params::shape_text;
use crate::core::model::ports::{self, InputName, OutputName};

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
            TargetShape::Classes(classes) => text!("compile-shape-classes", count = *classes),
            TargetShape::Value => text!("compile-shape-value"),
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

/// What the ports of a graph carry, where that can be known.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Shapes {
    outputs: BTreeMap<OutPort, PortShape>,
    /// Each wired input, with the output feeding it.
    sources: BTreeMap<InPort, OutPort>,
}

impl Shapes {
    /// What output `port` carries.
    pub fn output(&self, port: OutPort) -> Option<&PortShape> {
        self.outputs.get(&port)
    }

    /// What arrives at input `port`: what its wire brings.
    pub fn input(&self, port: InPort) -> Option<&PortShape> {
        self.outputs.get(self.sources.get(&port)?)
    }
}

/// The shape of every port whose shape can be known.
pub fn infer_shapes(graph: &Graph) -> Shapes {
    let mut inference = Inference { graph, known: BTreeMap::new(), visiting: BTreeSet::new() };
    for node in graph.nodes() {
        for index in 0..node.kind.spec().outputs.len() {
            inference.output(OutPort { node: node.id, index });
        }
    }
    Shapes {
        outputs: inference.known.into_iter().filter_map(|(port, shape)| Some((port, shape?))).collect(),
        sources: graph.wires().map(|wire| (wire.to, wire.from)).collect(),
    }
}

struct Inference<'g> {
    graph: &'g Graph,
    known: BTreeMap<OutPort, Option<PortShape>>,
    /// Outputs being inferred, to stop at a cycle.
    visiting: BTreeSet<OutPort>,
}

impl Inference<'_> {
    /// The shape of `node`'s output `port`, memoised. The outputs upstream of it are inferred
    /// first, deepest first, from a stack of its own — never by recursion, which along a chain
    /// of thousands of nodes would pass wasm's stack — so that inferring `port` itself finds
    /// every shape it reads already known (or, in a cycle, unknowable).
    fn output(&mut self, port: OutPort) -> Option<PortShape> {
        if let Some(known) = self.known.get(&port) {
            return known.clone();
        }
        if self.visiting.contains(&port) {
            return None; // a cycle
        }
        let mut stack = vec![(port, false)];
        while let Some((top, upstream_done)) = stack.pop() {
            if self.known.contains_key(&top) {
                continue;
            }
            let Some(top_node) = self.graph.node(top.node) else {
                self.known.insert(top, None);
                continue;
            };
            if upstream_done {
                let shape = match top_node.kind.spec().outputs.get(top.index) {
                    Some(output) => self.infer(top_node, output.name),
                    None => None,
                };
                self.visiting.remove(&top);
                self.known.insert(top, shape);
                continue;
            }
            if !self.visiting.insert(top) {
                continue; // already on the stack: a cycle, which stays unknown
            }
            stack.push((top, true));
            // Shapes flow along data wires only; triggers, models and optimizers loop back.
            let carries_shape = |input: &PortSpec| {
                matches!(input.ty, PortType::Dataset | PortType::Sampler | PortType::Tensor)
            };
            for (index, _) in
                top_node.kind.spec().inputs.iter().enumerate().filter(|(_, input)| carries_shape(input))
            {
                if let Some(source) = self.graph.wire_into(InPort { node: top.node, index })
                    && !self.known.contains_key(&source)
                    && !self.visiting.contains(&source)
                {
                    stack.push((source, false));
                }
            }
        }
        self.known.get(&port).cloned().flatten()
    }

    /// The shape arriving at `node`'s input `name`.
    fn input(&mut self, node: &Node, input: InputName) -> Option<PortShape> {
        let (_, from) = self.graph.source_of(node.id, input)?;
        self.output(from)
    }

    fn infer(&mut self, node: &Node, port: &str) -> Option<PortShape> {
        let params = NodeParams::read(node).ok()?;
        let is = |output: OutputName| output.is(port);
        match params {
            NodeParams::Dataset(params @ DatasetParams { kind: DatasetKind::Csv, .. })
                if is(ports::DATASET_SAMPLES) =>
            {
                // What the file gives, once it is held and its columns picked.
                let csv = crate::core::data::csv_store::csv_dataset(&params).ok()?;
                Some(PortShape::Samples {
                    count: csv.samples(),
                    sample_shape: vec![csv.features.len()],
                    targets: match csv.selection.task.task() {
                        Task::Classification => TargetShape::Classes(csv.classes()),
                        Task::Regression => TargetShape::Value,
                    },
                })
            }
            NodeParams::Dataset(DatasetParams { kind, samples, classes, image_size, .. })
                if is(ports::DATASET_SAMPLES) =>
            {
                Some(PortShape::Samples {
                    count: kind.max_samples().map_or(samples, |max| samples.min(max)),
                    sample_shape: kind.sample_shape(image_size),
                    targets: match kind.task() {
                        Task::Classification => TargetShape::Classes(kind.fixed_classes().unwrap_or(classes)),
                        Task::Regression => TargetShape::Value,
                    },
                })
            }
            NodeParams::DataSplit(DataSplitParams { validation_ratio, .. })
                if is(ports::SPLIT_TRAIN) || is(ports::SPLIT_VALIDATION) =>
            {
                let PortShape::Samples { count, sample_shape, targets } =
                    self.input(node, ports::SAMPLER_DATASET)?
                else {
                    return None;
                };
                let held_out = SplitPlan { validation_ratio, seed: 0 }.validation_samples(count);
                let count =
                    if is(ports::SPLIT_VALIDATION) { held_out } else { count.saturating_sub(held_out) };
                Some(PortShape::Samples { count, sample_shape, targets })
            }
            NodeParams::BatchSampler(BatchSamplerParams { batch_size, .. }) if is(ports::SAMPLER_BATCHES) => {
                let PortShape::Samples { count, sample_shape, targets } =
                    self.input(node, ports::SAMPLER_DATASET)?
                else {
                    return None;
                };
                Some(PortShape::Batches { batch_size: batch_size.max(1).min(count), sample_shape, targets })
            }
            NodeParams::GetBatch(_) if is(ports::BATCH_INPUTS) || is(ports::BATCH_TARGETS) => {
                let PortShape::Batches { batch_size, sample_shape, targets } =
                    self.input(node, ports::GET_BATCH_SAMPLER)?
                else {
                    return None;
                };
                Some(PortShape::Tensor(match targets {
                    _ if is(ports::BATCH_INPUTS) => [vec![batch_size], sample_shape].concat(),
                    TargetShape::Classes(_) => vec![batch_size],
                    TargetShape::Value => vec![batch_size, 1],
                }))
            }
            NodeParams::Network(NetworkParams { layers }) if is(ports::NETWORK_PREDICTIONS) => {
                let PortShape::Tensor(dims) = self.input(node, ports::NETWORK_INPUT)? else { return None };
                let (batch, in_shape) = dims.split_first()?;
                let network = NetworkPlan { in_shape: in_shape.to_vec(), layers };
                let out = network.shapes().ok()?.last().cloned().unwrap_or_else(|| in_shape.to_vec());
                Some(PortShape::Tensor([vec![*batch], out].concat()))
            }
            NodeParams::CrossEntropyLoss(CrossEntropyParams { reduction, .. })
            | NodeParams::MseLoss(RegressionLossParams { reduction })
            | NodeParams::L1Loss(RegressionLossParams { reduction })
                if is(ports::LOSS) =>
            {
                if reduction != Reduction::Elementwise {
                    return Some(PortShape::Tensor(Vec::new()));
                }
                let PortShape::Tensor(dims) = self.input(node, ports::PREDICTIONS)? else { return None };
                Some(PortShape::Tensor(match node.kind {
                    NodeKind::CrossEntropyLoss => dims.first().map(|&batch| vec![batch]).unwrap_or_default(),
                    _ => dims,
                }))
            }
            NodeParams::CombineLoss(_) if is(ports::LOSS) => Some(PortShape::Tensor(Vec::new())),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::templates::basic_loop;

    fn shape_of(graph: &Graph, kind: NodeKind, port: &str) -> Option<String> {
        let node = graph.nodes_of(kind).next()?.id;
        let shapes = infer_shapes(graph);
        let shape = match (graph.input(node, port), graph.output(node, port)) {
            (Some(input), _) => shapes.input(input),
            (None, Some(output)) => shapes.output(output),
            (None, None) => None,
        };
        shape.map(ToString::to_string)
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

    /// A chain of DataSplits at the node limit, inferred on a thread whose stack is a
    /// quarter of wasm's: inference walks it without recursion.
    #[test]
    fn a_chain_at_the_node_limit_is_inferred_without_deep_recursion() {
        use crate::core::model::graph::Pos;
        use crate::core::model::limits::MAX_NODES;
        // Added end first, so that the first output asked for is the one furthest downstream.
        let mut graph = Graph::new();
        let splits: Vec<_> =
            (1..MAX_NODES).map(|_| graph.add_node(NodeKind::DataSplit, Pos { x: 0.0, y: 0.0 })).collect();
        let mut previous = (graph.add_node(NodeKind::Dataset, Pos { x: 0.0, y: 0.0 }), "dataset");
        for &split in splits.iter().rev() {
            graph.connect_named(previous.0, previous.1, split, "dataset").unwrap();
            previous = (split, "train");
        }
        let last = graph.output(splits[0], "train").unwrap();
        let shape = std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(move || infer_shapes(&graph).output(last).map(ToString::to_string))
            .unwrap()
            .join()
            .expect("no stack overflow");
        // Each split holds out a share of what reaches it: nothing is left at the end.
        assert_eq!(shape.as_deref(), Some("0 × [2] → 2 classes"));
    }

    #[test]
    fn a_network_that_cannot_take_its_input_has_no_output_shape() {
        let mut graph = basic_loop();
        let dataset = graph.nodes_of(NodeKind::Dataset).next().unwrap().id;
        graph
            .set_param(dataset, "kind", crate::core::model::params::ParamValue::Text("digits".into()))
            .unwrap();
        assert_eq!(shape_of(&graph, NodeKind::GetBatch, "inputs").as_deref(), Some("[32, 1, 8, 8]"));
        assert_eq!(shape_of(&graph, NodeKind::Network, "predictions"), None);
    }
}
