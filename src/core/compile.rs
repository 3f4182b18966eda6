//! The compiler: turns a valid graph into a [`TrainingPlan`], or explains why it cannot.
//!
//! It first runs the structural checks of [`validate`], then walks the basic training loop
//! back from the `TrainingStep` — optimizer, loss, network, batches, sampler, dataset — and
//! checks that the pieces fit (the same network is predicted with and optimized, the network's
//! output matches the classes).

use super::catalogue::NodeKind;
use super::compile_error::CompileError;
use super::dataset::{DatasetKind, DatasetSpec, POINT_FEATURES};
use super::graph::{Graph, Node};
use super::loss::{CrossEntropyOptions, Reduction};
use super::plan::{LossPlan, NetworkPlan, OptimizerPlan, SamplerPlan, TrainingPlan};
use super::step::StepPlan;
use super::validate::validate;

/// Compiles `graph` into a training plan.
///
/// # Errors
/// Every problem found, each naming its node and saying what to change. Never panics, on
/// any graph.
///
/// ```
/// use kindling::core::{compile::compile, templates::basic_loop};
/// let plan = compile(&basic_loop()).expect("the default graph compiles");
/// assert_eq!(plan.network.out_features(), plan.dataset.classes);
/// ```
pub fn compile(graph: &Graph) -> Result<TrainingPlan, Vec<CompileError>> {
    let errors = validate(graph);
    if !errors.is_empty() {
        return Err(errors);
    }
    Walk { graph }.plan().map_err(|error| vec![error])
}

/// The walk over a structurally valid graph.
struct Walk<'g> {
    graph: &'g Graph,
}

impl<'g> Walk<'g> {
    fn plan(&self) -> Result<TrainingPlan, CompileError> {
        let tracker = self.single(NodeKind::EpochTracker, "add an EpochTracker after the TrainingStep")?;
        let step =
            self.single(NodeKind::TrainingStep, "add a TrainingStep fed by the optimizer and the loss")?;
        self.source(tracker, "step_complete", &[NodeKind::TrainingStep], "the TrainingStep")?;
        let optimizer = self.source(step, "optimizer", &NodeKind::OPTIMIZERS, "an optimizer")?;
        let loss = self.source(step, "loss", &[NodeKind::CrossEntropyLoss], "a loss node")?;
        self.expect_same(optimizer, "loss", loss, "the loss that TrainingStep minimises")?;
        let network = self.source(optimizer, "model", &[NodeKind::Network], "a Network")?;
        self.expect_same(loss, "predictions", network, "the Network that the optimizer trains")?;
        let batches = self.source(network, "input", &[NodeKind::GetBatch], "a GetBatch")?;
        self.expect_same(loss, "targets", batches, "the GetBatch that feeds the Network")?;
        let sampler = self.source(batches, "sampler", &[NodeKind::BatchSampler], "a BatchSampler")?;
        let dataset = self.source(sampler, "dataset", &[NodeKind::Dataset], "a Dataset")?;

        let dataset_spec = dataset_spec(dataset);
        if let Some(fixed) = dataset_spec.kind.fixed_classes().filter(|&n| n != dataset_spec.classes) {
            return Err(CompileError::ShapeMismatch {
                node: dataset.id,
                kind: dataset.kind,
                problem: format!(
                    "the {} dataset has {fixed} classes, not {}; set classes to {fixed}",
                    dataset_spec.kind.name(),
                    dataset_spec.classes
                ),
            });
        }
        let network_plan = NetworkPlan {
            in_features: POINT_FEATURES,
            layers: network
                .param("layers")
                .and_then(|v| v.as_layers().map(<[_]>::to_vec))
                .unwrap_or_default(),
        };
        let out_features = network_plan.out_features();
        if out_features != dataset_spec.classes {
            return Err(CompileError::ShapeMismatch {
                node: network.id,
                kind: network.kind,
                problem: format!(
                    "gives {out_features} scores per sample, but the Dataset has {} classes; \
                     make the last Linear layer's out_features {}",
                    dataset_spec.classes, dataset_spec.classes
                ),
            });
        }
        let loss_plan = LossPlan::CrossEntropy(cross_entropy_options(loss, dataset_spec.classes)?);
        Ok(TrainingPlan {
            init_seed: dataset_spec.seed,
            dataset: dataset_spec,
            sampler: SamplerPlan {
                batch_size: int(sampler, "batch_size") as usize,
                shuffle: sampler.param("shuffle").and_then(|v| v.as_bool()).unwrap_or(true),
                seed: int(sampler, "seed") as u64,
            },
            network: network_plan,
            loss: loss_plan,
            optimizer: optimizer_plan(optimizer),
            step: StepPlan {
                gradient_clip: float(step, "gradient_clip"),
                accumulation_steps: int(step, "accumulation_steps") as usize,
            },
            epochs: int(tracker, "total_epochs") as usize,
        })
    }

    /// The one node of `kind`.
    fn single(&self, kind: NodeKind, hint: &'static str) -> Result<&'g Node, CompileError> {
        let found: Vec<&Node> = self.graph.nodes().iter().filter(|node| node.kind == kind).collect();
        match found.as_slice() {
            [] => Err(CompileError::MissingNode { wanted: kind, hint }),
            [node] => Ok(node),
            [first, ..] => Err(CompileError::Duplicate {
                kind,
                count: found.len(),
                nodes: found.iter().map(|node| node.id.to_string()).collect::<Vec<_>>().join(", "),
                first: first.id,
            }),
        }
    }

    /// The node feeding input `port` of `node`, which must be one of `kinds`. Validation has
    /// already checked that required inputs are connected and that wires join real ports.
    fn source(
        &self,
        node: &Node,
        port: &'static str,
        kinds: &[NodeKind],
        expected: &'static str,
    ) -> Result<&'g Node, CompileError> {
        let unconnected =
            || CompileError::Unconnected { node: node.id, kind: node.kind, port, hint: expected };
        let wire = self.graph.wire_into(node.id, port).ok_or_else(unconnected)?;
        let source = self.graph.node(wire.from.node).ok_or_else(unconnected)?;
        if kinds.contains(&source.kind) {
            Ok(source)
        } else {
            Err(CompileError::WrongSource {
                node: node.id,
                kind: node.kind,
                port,
                expected,
                found: source.id,
                found_kind: source.kind,
            })
        }
    }

    /// Input `port` of `node` must come from `expected` itself.
    fn expect_same(
        &self,
        node: &Node,
        port: &'static str,
        expected: &Node,
        description: &'static str,
    ) -> Result<(), CompileError> {
        let found = self.source(node, port, &[expected.kind], description)?;
        if found.id == expected.id {
            Ok(())
        } else {
            Err(CompileError::WrongSource {
                node: node.id,
                kind: node.kind,
                port,
                expected: description,
                found: found.id,
                found_kind: found.kind,
            })
        }
    }
}

/// CrossEntropyLoss's options, checked against what a TrainingStep can minimise and against
/// the number of classes.
fn cross_entropy_options(node: &Node, classes: usize) -> Result<CrossEntropyOptions, CompileError> {
    let reduction = match node.param("reduction").as_ref().and_then(|v| v.as_text()) {
        Some("sum") => Reduction::Sum,
        Some("none") => {
            return Err(CompileError::ShapeMismatch {
                node: node.id,
                kind: node.kind,
                problem: "reduction `none` gives one loss per sample, but TrainingStep minimises a \
                          single number; set reduction to mean or sum"
                    .to_owned(),
            });
        }
        _ => Reduction::Mean,
    };
    let weight = node.param("weight").and_then(|v| v.as_floats().map(<[f64]>::to_vec)).unwrap_or_default();
    if !weight.is_empty() && weight.len() != classes {
        return Err(CompileError::ShapeMismatch {
            node: node.id,
            kind: node.kind,
            problem: format!(
                "`weight` has {} values but the Dataset has {classes} classes; give one weight per \
                 class, or none",
                weight.len()
            ),
        });
    }
    Ok(CrossEntropyOptions {
        reduction,
        label_smoothing: float(node, "label_smoothing"),
        ignore_index: int(node, "ignore_index"),
        weight: (!weight.is_empty()).then(|| weight.iter().map(|&w| w as f32).collect()),
    })
}

/// The plan of an optimizer node (one of [`NodeKind::OPTIMIZERS`]).
fn optimizer_plan(node: &Node) -> OptimizerPlan {
    let learning_rate = float(node, "learning_rate");
    let weight_decay = float(node, "weight_decay");
    let (beta1, beta2, epsilon) = (float(node, "beta1"), float(node, "beta2"), float(node, "epsilon"));
    match node.kind {
        NodeKind::AdamOptimizer => OptimizerPlan::Adam { learning_rate, beta1, beta2, epsilon, weight_decay },
        NodeKind::AdamWOptimizer => {
            OptimizerPlan::AdamW { learning_rate, beta1, beta2, epsilon, weight_decay }
        }
        // SGDOptimizer: the walk passes only optimizer kinds.
        _ => OptimizerPlan::Sgd {
            learning_rate,
            momentum: float(node, "momentum"),
            weight_decay,
            nesterov: node.param("nesterov").and_then(|v| v.as_bool()).unwrap_or(false),
        },
    }
}

fn dataset_spec(node: &Node) -> DatasetSpec {
    DatasetSpec {
        kind: node
            .param("kind")
            .and_then(|v| v.as_text().and_then(DatasetKind::from_name))
            .unwrap_or(DatasetKind::Spiral),
        classes: int(node, "classes") as usize,
        samples: int(node, "samples") as usize,
        noise: float(node, "noise") as f32,
        seed: int(node, "seed") as u64,
    }
}

/// An integer parameter that validation has already checked.
fn int(node: &Node, name: &str) -> i64 {
    node.param(name).and_then(|value| value.as_i64()).unwrap_or_default()
}

/// A float parameter that validation has already checked.
fn float(node: &Node, name: &str) -> f64 {
    node.param(name).and_then(|value| value.as_f64()).unwrap_or_default()
}
