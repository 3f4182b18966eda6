//! The compiler: turns a valid graph into a [`TrainingPlan`], or explains why it cannot.
//!
//! It first runs the structural checks of [`validate`], then walks the training loop back
//! from the `TrainingStep` — optimizer, loss (or CombineLoss and its losses), network,
//! batches, sampler, DataSplit, dataset — and checks that the pieces fit: the same network is
//! predicted with and optimized, its output matches the targets, one optimizer per model.
//! Then it takes in what hangs off the loop: a validation RunEpoch, an AccuracyMetric, a
//! learning-rate scheduler, EpochTracker's early stopping. These are the seed's three
//! patterns: the basic loop, the loop with validation, and multi-loss training.

mod evaluation;
mod losses;
mod schedulers;
mod tracker;
mod training_loop;

use training_loop::dataset_spec;

use crate::core::compile::budget;
use crate::core::compile::compile_error::{CompileError, Hint};
use crate::core::compile::plan::BATCH_NORM_MIN_BATCH;
use crate::core::compile::plan::StepPlan;
use crate::core::compile::plan::{NetworkPlan, OptimizerPlan, SamplerPlan, SplitPlan, TrainingPlan};
use crate::core::compile::plan_nodes::{NodeRef, PlanNodes};
use crate::core::compile::validate::validate;
use crate::core::data::dataset::DatasetSpec;
use crate::core::model::catalogue::NodeKind;
use crate::core::model::catalogue::{
    AdamParams, BatchSamplerParams, DataSplitParams, DatasetParams, NetworkParams, RunEpochParams, SgdParams,
    TrainingStepParams,
};
use crate::core::model::graph::{Graph, Node};
use crate::core::model::params::LayerSpec;
use crate::core::model::ports::{self, InputName};

/// Compiles `graph` into a training plan.
///
/// # Errors
/// Every problem found, each naming its node and saying what to change. Never panics, on
/// any graph.
///
/// ```
/// use kindling::core::{compile::compiler::compile, model::templates::basic_loop};
/// let plan = compile(&basic_loop()).expect("the default graph compiles");
/// assert_eq!(plan.network.out_features(), plan.dataset.classes);
/// ```
pub fn compile(graph: &Graph) -> Result<TrainingPlan, Vec<CompileError>> {
    let errors = validate(graph);
    if !errors.is_empty() {
        return Err(errors);
    }
    Walk { graph }.plan()
}

/// The training and validation samples of `dataset` under `split` (no split: all train).
fn split_sizes(dataset: &DatasetSpec, split: Option<&SplitPlan>) -> (usize, usize) {
    let total = dataset.sample_count();
    match split {
        Some(split) => {
            let held_out = split.validation_samples(total);
            (total - held_out, held_out)
        }
        None => (total, 0),
    }
}

/// Why `sampler`'s batches over `samples` training samples cannot train `network`: a
/// BatchNorm1d takes no training batch of one sample (PyTorch raises on one, whose variance
/// is undefined), whether every batch is one or an epoch's last.
fn batch_norm_batches(network: &NetworkPlan, sampler: &SamplerPlan, samples: usize) -> Option<String> {
    if !network.layers.iter().any(|layer| matches!(layer, LayerSpec::BatchNorm { .. })) {
        return None;
    }
    let size = sampler.batch_size;
    if size < BATCH_NORM_MIN_BATCH {
        return Some(text!("compile-batch-norm-batch-size", least = BATCH_NORM_MIN_BATCH));
    }
    (!sampler.drop_last && samples % size == 1)
        .then(|| text!("compile-batch-norm-last-batch", size = size, samples = samples))
}

/// Which node each part of `graph`'s plan comes from; `None` when the graph does not compile.
pub fn plan_nodes(graph: &Graph) -> Option<PlanNodes> {
    if !validate(graph).is_empty() {
        return None;
    }
    Walk { graph }.plan_nodes().ok()
}

/// The value of `result`; its error goes to `errors`.
fn keep<T>(errors: &mut Vec<CompileError>, result: Result<T, CompileError>) -> Option<T> {
    result.map_err(|error| errors.push(error)).ok()
}

/// The walk over a structurally valid graph.
struct Walk<'g> {
    graph: &'g Graph,
}

/// The nodes of the training loop, found walking back from the TrainingStep.
struct Loop<'g> {
    tracker: &'g Node,
    /// The TrainingStep, or `None` when a RunEpoch with training on drives the loop.
    step: Option<&'g Node>,
    optimizer: &'g Node,
    loss: &'g Node,
    network: &'g Node,
    batches: &'g Node,
    sampler: &'g Node,
    split: Option<&'g Node>,
    dataset: &'g Node,
}

impl<'g> Walk<'g> {
    /// The plan, or every problem found: after the loop itself (without which nothing else
    /// can be checked), each part is checked on its own, so one run lists them all.
    fn plan(&self) -> Result<TrainingPlan, Vec<CompileError>> {
        let nodes = self.training_loop().map_err(|error| vec![error])?;
        let one = |error: crate::core::model::catalogue::ParamError| vec![CompileError::from(error)];
        let data = DatasetParams::read(nodes.dataset).map_err(one)?;
        let layers = NetworkParams::read(nodes.network).map_err(one)?.layers;
        let mut errors = Vec::new();
        let dataset = keep(&mut errors, dataset_spec(nodes.dataset, &data));
        let task = dataset.as_ref().map_or(data.kind.task(), DatasetSpec::task);
        let in_shape = dataset
            .as_ref()
            .map_or_else(|| data.kind.sample_shape(data.image_size), DatasetSpec::sample_shape);
        let network = NetworkPlan { in_shape, layers };
        let network = keep(
            &mut errors,
            network.shapes().map(|_| network.clone()).map_err(|(index, problem)| {
                CompileError::ShapeMismatch {
                    node: nodes.network.id,
                    kind: nodes.network.kind,
                    problem: text!(
                        "compile-layer-problem",
                        layer = index + 1,
                        name = network.layers[index].name(),
                        problem = problem,
                    ),
                }
            }),
        );
        let loss = match (&dataset, &network) {
            (Some(dataset), Some(network)) => keep(&mut errors, self.loss_plan(&nodes, dataset, network)),
            _ => None,
        };
        let metric = match &dataset {
            Some(dataset) => keep(&mut errors, self.accuracy_metric(&nodes, dataset)),
            None => None,
        };
        let class_metrics = match &dataset {
            Some(dataset) => keep(&mut errors, self.class_metrics(&nodes, dataset)),
            None => None,
        };
        let validation = keep(&mut errors, self.validation(&nodes));
        let validates = matches!(validation, Some(Some(_)));
        let scheduler = keep(&mut errors, self.scheduler(&nodes, validates, task));
        let top_k = metric.flatten().unwrap_or(1);
        let tracker = keep(&mut errors, self.tracker(&nodes, validates, task, top_k));
        // Nothing trains a graph the page has no room for.
        if let Err(over) = budget::check(self.graph) {
            errors.push(over.into());
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let (
            Some(dataset),
            Some(network),
            Some(loss),
            Some(metric),
            Some(class_metrics),
            Some(validation),
            Some(scheduler),
            Some(tracker),
        ) = (dataset, network, loss, metric, class_metrics, validation, scheduler, tracker)
        else {
            return Err(errors);
        };
        let split = match nodes.split {
            Some(split) => {
                let DataSplitParams { validation_ratio, seed } = DataSplitParams::read(split).map_err(one)?;
                Some(SplitPlan { validation_ratio, seed })
            }
            None => None,
        };
        let step = match nodes.step {
            Some(step) => {
                let TrainingStepParams { gradient_clip, accumulation_steps, mixed_precision } =
                    TrainingStepParams::read(step).map_err(one)?;
                StepPlan { gradient_clip, accumulation_steps, mixed_precision }
            }
            None => StepPlan::default(),
        };
        let sampler = sampler_plan(nodes.sampler).map_err(one)?;
        let (train_samples, validation_samples) = split_sizes(&dataset, split.as_ref());
        let mut empty = vec![(nodes.sampler, &sampler, train_samples, "training")];
        if let (Some(validation), Some((_, node))) = (&validation, self.validation_run_and_sampler()) {
            empty.push((node, validation, validation_samples, "validation"));
        }
        for (node, sampler, samples, which) in empty {
            if sampler.batches(samples) == 0 {
                return Err(vec![CompileError::Conflict {
                    node: node.id,
                    kind: node.kind,
                    problem: text!(
                        "compile-no-batch-left",
                        size = sampler.batch_size,
                        samples = samples,
                        which = which,
                    ),
                }]);
            }
        }
        if let Some(problem) = batch_norm_batches(&network, &sampler, train_samples) {
            return Err(vec![CompileError::Conflict {
                node: nodes.sampler.id,
                kind: nodes.sampler.kind,
                problem,
            }]);
        }
        Ok(TrainingPlan {
            init_seed: dataset.seed,
            dataset,
            split,
            sampler,
            validation,
            network,
            loss,
            top_k: metric.map_or(1, |top_k| top_k),
            per_class_on_train: metric.is_some(),
            class_metrics,
            optimizer: optimizer_plan(nodes.optimizer).map_err(one)?,
            scheduler,
            step,
            tracker,
        })
    }

    /// The RunEpoch that validates (training off) and its BatchSampler, if the graph has one.
    fn validation_run_and_sampler(&self) -> Option<(&'g Node, &'g Node)> {
        self.graph.nodes_of(NodeKind::RunEpoch).find_map(|run| {
            let training = RunEpochParams::read(run).map(|params| params.training).unwrap_or(true);
            let (sampler, _) = self.graph.source_of(run.id, ports::RUN_SAMPLER)?;
            (!training).then_some((run, sampler))
        })
    }

    /// The nodes behind the plan (see [`plan_nodes`]).
    fn plan_nodes(&self) -> Result<PlanNodes, CompileError> {
        let nodes = self.training_loop()?;
        let loss_terms = if nodes.loss.kind == NodeKind::CombineLoss {
            ports::COMBINED_LOSSES
                .into_iter()
                .filter_map(|port| {
                    self.graph.source_of(nodes.loss.id, port).map(|(node, _)| NodeRef::from(node))
                })
                .collect()
        } else {
            vec![NodeRef::from(nodes.loss)]
        };
        let validation = self
            .validation_run_and_sampler()
            .map(|(run, sampler)| (NodeRef::from(run), NodeRef::from(sampler)));
        // The scheduler EpochTracker steps (a SequentialLR heads its chain), else any.
        let scheduler = self
            .graph
            .source_of(nodes.tracker.id, ports::TRACKER_SCHEDULER)
            .map(|(node, _)| node)
            .filter(|node| NodeKind::SCHEDULERS.contains(&node.kind))
            .or_else(|| self.graph.nodes().find(|node| NodeKind::SCHEDULERS.contains(&node.kind)));
        Ok(PlanNodes {
            dataset: nodes.dataset.into(),
            split: nodes.split.map(NodeRef::from),
            sampler: nodes.sampler.into(),
            network: nodes.network.into(),
            loss: nodes.loss.into(),
            loss_terms,
            metric: self.at_most_one(NodeKind::AccuracyMetric)?.map(NodeRef::from),
            class_metrics: self.at_most_one(NodeKind::ClassificationMetrics)?.map(NodeRef::from),
            optimizer: nodes.optimizer.into(),
            scheduler: scheduler.map(NodeRef::from),
            step: nodes.step.map(NodeRef::from),
            tracker: nodes.tracker.into(),
            validation,
        })
    }

    /// The one node of `kind`.
    fn single(&self, kind: NodeKind, hint: Hint) -> Result<&'g Node, CompileError> {
        self.at_most_one(kind)?.ok_or(CompileError::MissingNode { wanted: kind, hint })
    }

    /// The node of `kind`, if the graph has one; more than one is an error.
    fn at_most_one(&self, kind: NodeKind) -> Result<Option<&'g Node>, CompileError> {
        let found: Vec<&Node> = self.graph.nodes_of(kind).collect();
        match found.as_slice() {
            [] => Ok(None),
            [node] => Ok(Some(node)),
            [first, ..] => Err(CompileError::Duplicate {
                kind,
                count: found.len(),
                nodes: found.iter().map(|node| node.id.to_string()).collect::<Vec<_>>().join(", "),
                first: first.id,
            }),
        }
    }

    /// The node feeding input `input` of `node`, which must be one of `kinds`. Validation has
    /// already checked that required inputs are connected and that wires join real ports.
    fn source(
        &self,
        node: &Node,
        input: InputName,
        kinds: &[NodeKind],
        expected: Hint,
    ) -> Result<&'g Node, CompileError> {
        let port = input.name();
        let unconnected =
            || CompileError::Unconnected { node: node.id, kind: node.kind, port, hint: expected };
        let (source, _) = self.graph.source_of(node.id, input).ok_or_else(unconnected)?;
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

    /// Input `input` of `node` must come from `expected` itself.
    fn expect_same(
        &self,
        node: &Node,
        input: InputName,
        expected: &Node,
        description: Hint,
    ) -> Result<(), CompileError> {
        let found = self.source(node, input, &[expected.kind], description)?;
        if found.id == expected.id {
            Ok(())
        } else {
            Err(CompileError::WrongSource {
                node: node.id,
                kind: node.kind,
                port: input.name(),
                expected: description,
                found: found.id,
                found_kind: found.kind,
            })
        }
    }
}

/// The batches `node` (a BatchSampler) cuts.
fn sampler_plan(node: &Node) -> Result<SamplerPlan, crate::core::model::catalogue::ParamError> {
    let BatchSamplerParams { batch_size, shuffle, seed, drop_last } = BatchSamplerParams::read(node)?;
    Ok(SamplerPlan { batch_size, shuffle, seed, drop_last })
}

/// The plan of an optimizer node (one of [`NodeKind::OPTIMIZERS`]).
fn optimizer_plan(node: &Node) -> Result<OptimizerPlan, crate::core::model::catalogue::ParamError> {
    Ok(match node.kind {
        NodeKind::AdamOptimizer | NodeKind::AdamWOptimizer => {
            let AdamParams { learning_rate, beta1, beta2, epsilon, weight_decay } = AdamParams::read(node)?;
            if node.kind == NodeKind::AdamOptimizer {
                OptimizerPlan::Adam { learning_rate, beta1, beta2, epsilon, weight_decay }
            } else {
                OptimizerPlan::AdamW { learning_rate, beta1, beta2, epsilon, weight_decay }
            }
        }
        // SGDOptimizer: the walk passes only optimizer kinds.
        _ => {
            let SgdParams { learning_rate, momentum, weight_decay, nesterov } = SgdParams::read(node)?;
            OptimizerPlan::Sgd { learning_rate, momentum, weight_decay, nesterov }
        }
    })
}
