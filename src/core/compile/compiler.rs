//! The compiler: turns a valid graph into a [`TrainingPlan`], or explains why it cannot.
//!
//! It first runs the structural checks of [`validate`], then walks the training loop back
//! from the `TrainingStep` — optimizer, loss (or CombineLoss and its losses), network,
//! batches, sampler, DataSplit, dataset — and checks that the pieces fit: the same network is
//! predicted with and optimized, its output matches the targets, one optimizer per model.
//! Then it takes in what hangs off the loop: a validation RunEpoch, an AccuracyMetric, a
//! learning-rate scheduler, EpochTracker's early stopping. These are the seed's three
//! patterns: the basic loop, the loop with validation, and multi-loss training.

use crate::core::compile::budget;
use crate::core::compile::compile_error::CompileError;
use crate::core::compile::plan::BATCH_NORM_MIN_BATCH;
use crate::core::compile::plan::ClassMetricsPlan;
use crate::core::compile::plan::CrossEntropyOptions;
use crate::core::compile::plan::StepPlan;
use crate::core::compile::plan::{
    EarlyStopping, LossKind, LossPlan, LossTerm, NetworkPlan, OptimizerPlan, SamplerPlan, SchedulerSetup,
    SplitPlan, TrackerPlan, TrainingPlan,
};
use crate::core::compile::plan_nodes::{NodeRef, PlanNodes};
use crate::core::compile::schedule::SchedulerPlan;
use crate::core::compile::validate::validate;
use crate::core::data::csv_store::csv_dataset;
use crate::core::data::dataset::DatasetSpec;
use crate::core::model::catalogue::NodeKind;
use crate::core::model::catalogue::{
    AccuracyMetricParams, AdamParams, BatchSamplerParams, ClassificationMetricsParams, CombineLossParams,
    CosineAnnealingParams, CrossEntropyParams, DataSplitParams, DatasetParams, EpochTrackerParams,
    LinearLrParams, NetworkParams, PlateauParams, RegressionLossParams, RunEpochParams, SequentialLrParams,
    SgdParams, StepLrParams, TrainingStepParams,
};
use crate::core::model::choices::Average;
use crate::core::model::choices::Monitor;
use crate::core::model::choices::PlateauMode;
use crate::core::model::choices::Reduction;
use crate::core::model::choices::{DatasetKind, Task};
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
        return Some(format!(
            "the Network's BatchNorm1d needs at least {BATCH_NORM_MIN_BATCH} samples in a training batch \
             (PyTorch refuses one); raise batch_size above 1"
        ));
    }
    (!sampler.drop_last && samples % size == 1).then(|| {
        format!(
            "its batches of {size} over the {samples} training samples end each epoch with a batch of 1, \
             which the Network's BatchNorm1d cannot normalise (PyTorch refuses one); turn drop_last on \
             or change batch_size"
        )
    })
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
        let in_shape = dataset.as_ref().map_or_else(|| data.kind.sample_shape(), DatasetSpec::sample_shape);
        let network = NetworkPlan { in_shape, layers };
        let network = keep(
            &mut errors,
            network.shapes().map(|_| network.clone()).map_err(|(index, problem)| {
                CompileError::ShapeMismatch {
                    node: nodes.network.id,
                    kind: nodes.network.kind,
                    problem: format!("layer {} ({}): {problem}", index + 1, network.layers[index].name()),
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
                    problem: format!(
                        "its batches of {} with drop_last leave no batch of the {samples} {which} samples; \
                         lower batch_size to {samples} or less, or turn drop_last off",
                        sampler.batch_size
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

    /// Walks the loop back from what drives it: a TrainingStep (the seed's basic loop), or a
    /// RunEpoch with training on (one node running the epoch's batches with an optimizer).
    fn training_loop(&self) -> Result<Loop<'g>, CompileError> {
        let tracker = self.single(NodeKind::EpochTracker, "add an EpochTracker after the TrainingStep")?;
        let driver = self.source(
            tracker,
            ports::TRACKER_STEP_COMPLETE,
            &[NodeKind::TrainingStep, NodeKind::RunEpoch],
            "TrainingStep's step_complete (or RunEpoch's epoch_complete, with training on)",
        )?;
        if driver.kind == NodeKind::RunEpoch {
            return self.run_epoch_loop(tracker, driver);
        }
        let step =
            self.single(NodeKind::TrainingStep, "add a TrainingStep fed by the optimizer and the loss")?;
        let optimizer = self.source(step, ports::STEP_OPTIMIZER, &NodeKind::OPTIMIZERS, "an optimizer")?;
        let loss = self.source(step, ports::STEP_LOSS, &LOSS_OUTPUTS, "a loss node or CombineLoss")?;
        self.expect_same(optimizer, ports::OPTIMIZER_LOSS, loss, "the loss that TrainingStep minimises")?;
        let network = self.source(optimizer, ports::OPTIMIZER_MODEL, &[NodeKind::Network], "a Network")?;
        self.one_optimizer_per_model(optimizer, network)?;
        let batches = self.source(network, ports::NETWORK_INPUT, &[NodeKind::GetBatch], "a GetBatch")?;
        let sampler =
            self.source(batches, ports::GET_BATCH_SAMPLER, &[NodeKind::BatchSampler], "a BatchSampler")?;
        let (split, dataset) = self.data_of(sampler, "train")?;
        Ok(Loop { tracker, step: Some(step), optimizer, loss, network, batches, sampler, split, dataset })
    }

    /// The loop driven by a RunEpoch with training on: it trains `model` with `optimizer` over
    /// the batches of `sampler`, the same batches its GetBatch feeds the network.
    fn run_epoch_loop(&self, tracker: &'g Node, run: &'g Node) -> Result<Loop<'g>, CompileError> {
        if !RunEpochParams::read(run)?.training {
            return Err(CompileError::Conflict {
                node: run.id,
                kind: run.kind,
                problem: "training is off, so it only evaluates and cannot drive the EpochTracker; turn \
                          training on, or drive the tracker from a TrainingStep"
                    .to_owned(),
            });
        }
        let optimizer =
            self.source(run, ports::RUN_OPTIMIZER, &NodeKind::OPTIMIZERS, "an optimizer (training is on)")?;
        let loss =
            self.source(optimizer, ports::OPTIMIZER_LOSS, &LOSS_OUTPUTS, "a loss node or CombineLoss")?;
        let network = self.source(optimizer, ports::OPTIMIZER_MODEL, &[NodeKind::Network], "a Network")?;
        self.expect_same(run, ports::RUN_MODEL, network, "the Network that the optimizer trains")?;
        self.one_optimizer_per_model(optimizer, network)?;
        let batches = self.source(network, ports::NETWORK_INPUT, &[NodeKind::GetBatch], "a GetBatch")?;
        let sampler =
            self.source(batches, ports::GET_BATCH_SAMPLER, &[NodeKind::BatchSampler], "a BatchSampler")?;
        self.expect_same(
            run,
            ports::RUN_SAMPLER,
            sampler,
            "the BatchSampler whose batches the Network sees",
        )?;
        let (split, dataset) = self.data_of(sampler, "train")?;
        Ok(Loop { tracker, step: None, optimizer, loss, network, batches, sampler, split, dataset })
    }

    /// The Dataset feeding `sampler`, and the DataSplit in between if there is one, whose
    /// output must then be `split_port`.
    fn data_of(
        &self,
        sampler: &Node,
        split_port: &str,
    ) -> Result<(Option<&'g Node>, &'g Node), CompileError> {
        let source = self.source(
            sampler,
            ports::SAMPLER_DATASET,
            &[NodeKind::Dataset, NodeKind::DataSplit],
            "a Dataset or DataSplit",
        )?;
        if source.kind == NodeKind::Dataset {
            return Ok((None, source));
        }
        let port = self
            .graph
            .source_of(sampler.id, ports::SAMPLER_DATASET)
            .and_then(|(_, output)| self.graph.output_spec(output))
            .map(|output| output.name);
        if port != Some(split_port) {
            let role = if split_port == "train" { "trains the network" } else { "feeds the validation pass" };
            return Err(CompileError::Conflict {
                node: sampler.id,
                kind: sampler.kind,
                problem: format!(
                    "this sampler {role}, so its `dataset` input takes DataSplit {}'s `{split_port}` output, \
                     not `{}`",
                    source.id,
                    port.unwrap_or("?")
                ),
            });
        }
        let dataset = self.source(source, ports::SAMPLER_DATASET, &[NodeKind::Dataset], "a Dataset")?;
        Ok((Some(source), dataset))
    }

    /// What TrainingStep minimises: one loss, or CombineLoss's weighted losses.
    fn loss_plan(
        &self,
        nodes: &Loop<'g>,
        dataset: &DatasetSpec,
        network: &NetworkPlan,
    ) -> Result<LossPlan, CompileError> {
        if nodes.loss.kind != NodeKind::CombineLoss {
            return Ok(LossPlan::single(self.loss_kind(nodes.loss, nodes, dataset, network)?));
        }
        let weights = CombineLossParams::read(nodes.loss)?.weights();
        let mut terms = Vec::new();
        for (port, weight) in ports::COMBINED_LOSSES.into_iter().zip(weights) {
            if self.graph.source_of(nodes.loss.id, port).is_none() {
                continue; // loss_3 is optional; validation checked the others.
            }
            let loss = self.source(
                nodes.loss,
                port,
                &NodeKind::LOSSES,
                "a loss node (CrossEntropyLoss, MSELoss, L1Loss)",
            )?;
            terms.push(LossTerm { weight, loss: self.loss_kind(loss, nodes, dataset, network)? });
        }
        Ok(LossPlan { terms })
    }

    /// One loss node: it must compare the network's predictions with the batch's targets, and
    /// suit the dataset's targets.
    fn loss_kind(
        &self,
        loss: &Node,
        nodes: &Loop<'g>,
        dataset: &DatasetSpec,
        network: &NetworkPlan,
    ) -> Result<LossKind, CompileError> {
        self.expect_same(loss, ports::PREDICTIONS, nodes.network, "the Network that the optimizer trains")?;
        self.expect_same(loss, ports::TARGETS, nodes.batches, "the GetBatch that feeds the Network")?;
        let conflict =
            |problem: String| CompileError::ShapeMismatch { node: loss.id, kind: loss.kind, problem };
        let reduction = match loss.kind {
            NodeKind::CrossEntropyLoss => CrossEntropyParams::read(loss)?.reduction,
            _ => RegressionLossParams::read(loss)?.reduction,
        };
        if reduction == Reduction::Elementwise {
            return Err(conflict(
                "reduction `none` gives one loss per sample, but TrainingStep minimises a single \
                 number; set reduction to mean or sum"
                    .to_owned(),
            ));
        }
        let out = network.out_features();
        let name = dataset.kind.name();
        match (loss.kind, dataset.task()) {
            (NodeKind::CrossEntropyLoss, Task::Classification) => {
                if out != dataset.classes {
                    return Err(CompileError::ShapeMismatch {
                        node: nodes.network.id,
                        kind: nodes.network.kind,
                        problem: format!(
                            "gives {out} scores per sample, but the Dataset has {} classes; make the last \
                             Linear layer's out_features {}",
                            dataset.classes, dataset.classes
                        ),
                    });
                }
                cross_entropy_options(loss, reduction, dataset.classes).map(LossKind::CrossEntropy)
            }
            (NodeKind::CrossEntropyLoss, Task::Regression) => Err(conflict(format!(
                "CrossEntropyLoss needs class targets, but the {name} dataset has a value per sample; \
                 use MSELoss or L1Loss"
            ))),
            (_, Task::Classification) => Err(conflict(format!(
                "{} compares values, but the {name} dataset has class targets; use CrossEntropyLoss, \
                 or a regression dataset (plane, gaussian)",
                loss.kind
            ))),
            (kind, Task::Regression) => {
                if out != 1 {
                    return Err(CompileError::ShapeMismatch {
                        node: nodes.network.id,
                        kind: nodes.network.kind,
                        problem: format!(
                            "gives {out} values per sample, but {kind} compares them with one target \
                             value, [batch, 1]; make the last Linear layer's out_features 1"
                        ),
                    });
                }
                Ok(if kind == NodeKind::L1Loss { LossKind::L1(reduction) } else { LossKind::Mse(reduction) })
            }
        }
    }

    /// A model has one optimizer.
    fn one_optimizer_per_model(&self, optimizer: &Node, network: &Node) -> Result<(), CompileError> {
        let other = self.graph.nodes().find(|node| {
            NodeKind::OPTIMIZERS.contains(&node.kind)
                && node.id != optimizer.id
                && self
                    .graph
                    .source_of(node.id, ports::OPTIMIZER_MODEL)
                    .is_some_and(|(model, _)| model.id == network.id)
        });
        match other {
            None => Ok(()),
            Some(other) => Err(CompileError::TwoOptimizers {
                node: other.id,
                kind: other.kind,
                other: optimizer.id,
                other_kind: optimizer.kind,
                model: network.id,
                model_kind: network.kind,
            }),
        }
    }

    /// The validation pass: a RunEpoch with training off, running the trained network over
    /// the batches of a sampler fed by the DataSplit's `validation` output.
    fn validation(&self, nodes: &Loop<'g>) -> Result<Option<SamplerPlan>, CompileError> {
        let mut runs = Vec::new();
        for node in self.graph.nodes_of(NodeKind::RunEpoch) {
            runs.push((node, RunEpochParams::read(node)?.training));
        }
        // A RunEpoch that trains beside the loop's own driver would train the model twice.
        let driver = nodes
            .step
            .is_none()
            .then(|| self.graph.source_of(nodes.tracker.id, ports::TRACKER_STEP_COMPLETE));
        let driver = driver.flatten().map(|(node, _)| node.id);
        if let Some((extra, _)) = runs.iter().find(|(node, training)| *training && Some(node.id) != driver) {
            let by = if nodes.step.is_some() {
                "the TrainingStep loop"
            } else {
                "the RunEpoch that drives the EpochTracker"
            };
            return Err(CompileError::Conflict {
                node: extra.id,
                kind: extra.kind,
                problem: format!(
                    "training is on, but {by} already trains the network; set training to false to \
                     evaluate it on held-out data (the validation pattern)"
                ),
            });
        }
        let evaluations: Vec<&Node> =
            runs.iter().filter(|(_, training)| !training).map(|(node, _)| *node).collect();
        let run = match evaluations.as_slice() {
            [] => return Ok(None),
            [run] => *run,
            [first, ..] => {
                return Err(CompileError::Duplicate {
                    kind: NodeKind::RunEpoch,
                    count: evaluations.len(),
                    nodes: evaluations.iter().map(|node| node.id.to_string()).collect::<Vec<_>>().join(", "),
                    first: first.id,
                });
            }
        };
        let conflict = |problem: String| CompileError::Conflict { node: run.id, kind: run.kind, problem };
        self.expect_same(run, ports::RUN_MODEL, nodes.network, "the Network that the optimizer trains")?;
        let sampler = self.source(run, ports::RUN_SAMPLER, &[NodeKind::BatchSampler], "a BatchSampler")?;
        if sampler.id == nodes.sampler.id {
            return Err(conflict(
                "it evaluates on the training batches, which says nothing about unseen data; give it its \
                 own BatchSampler fed by a DataSplit's `validation` output"
                    .to_owned(),
            ));
        }
        let Some(split) = nodes.split else {
            return Err(conflict(
                "the training data comes straight from the Dataset, so there is nothing held out to \
                 validate on; put a DataSplit after the Dataset, train on its `train` output and feed its \
                 `validation` output to this RunEpoch's sampler"
                    .to_owned(),
            ));
        };
        let (val_split, _) = self.data_of(sampler, "validation")?;
        if val_split.map(|node| node.id) != Some(split.id) {
            return Err(conflict(format!(
                "its sampler must take the `validation` output of DataSplit {}, the split the network \
                 trains on",
                split.id
            )));
        }
        Ok(Some(sampler_plan(sampler)?))
    }

    /// The AccuracyMetric's k, if the graph has one: it scores the network's predictions
    /// against the batch's class targets.
    fn accuracy_metric(
        &self,
        nodes: &Loop<'g>,
        dataset: &DatasetSpec,
    ) -> Result<Option<usize>, CompileError> {
        let Some(metric) = self.at_most_one(NodeKind::AccuracyMetric)? else { return Ok(None) };
        self.expect_same(metric, ports::PREDICTIONS, nodes.network, "the Network that the optimizer trains")?;
        self.expect_same(metric, ports::TARGETS, nodes.batches, "the GetBatch that feeds the Network")?;
        let conflict =
            |problem: String| CompileError::Conflict { node: metric.id, kind: metric.kind, problem };
        if dataset.task() == Task::Regression {
            return Err(conflict(format!(
                "accuracy needs class targets, but the {} dataset has values; remove the AccuracyMetric",
                dataset.kind.name()
            )));
        }
        let AccuracyMetricParams { top_k } = AccuracyMetricParams::read(metric)?;
        if top_k > dataset.classes {
            return Err(conflict(format!(
                "top_k is {top_k} but there are only {} classes; set top_k to {} or less",
                dataset.classes, dataset.classes
            )));
        }
        Ok(Some(top_k))
    }

    /// What ClassificationMetrics computes, if the graph has one: it scores the network's
    /// predictions against the batch's class targets, as AccuracyMetric does.
    fn class_metrics(
        &self,
        nodes: &Loop<'g>,
        dataset: &DatasetSpec,
    ) -> Result<Option<ClassMetricsPlan>, CompileError> {
        let Some(metric) = self.at_most_one(NodeKind::ClassificationMetrics)? else { return Ok(None) };
        self.expect_same(metric, ports::PREDICTIONS, nodes.network, "the Network that the optimizer trains")?;
        self.expect_same(metric, ports::TARGETS, nodes.batches, "the GetBatch that feeds the Network")?;
        let conflict =
            |problem: String| CompileError::Conflict { node: metric.id, kind: metric.kind, problem };
        if dataset.task() == Task::Regression {
            return Err(conflict(format!(
                "precision, recall and AUC need class targets, but the {} dataset has values; remove \
                 the ClassificationMetrics",
                dataset.kind.name()
            )));
        }
        let ClassificationMetricsParams { average, positive_class, roc_auc } =
            ClassificationMetricsParams::read(metric)?;
        if average == Average::Binary && dataset.classes != 2 {
            return Err(conflict(format!(
                "average binary scores one positive class of two, but the dataset has {} classes; set \
                 average to macro, micro or weighted",
                dataset.classes
            )));
        }
        if average == Average::Binary && positive_class >= dataset.classes {
            return Err(conflict(format!(
                "positive_class is {positive_class}, but the classes are 0 and 1; set it to 0 or 1"
            )));
        }
        Ok(Some(ClassMetricsPlan { average, positive_class, roc_auc }))
    }

    /// The learning-rate scheduler, if any: attached to the optimizer, stepped by EpochTracker
    /// — one scheduler, or a SequentialLR and the schedulers it chains.
    fn scheduler(
        &self,
        nodes: &Loop<'g>,
        validates: bool,
        task: Task,
    ) -> Result<Option<SchedulerSetup>, CompileError> {
        let schedulers: Vec<&Node> =
            self.graph.nodes().filter(|node| NodeKind::SCHEDULERS.contains(&node.kind)).collect();
        if schedulers.is_empty() {
            return Ok(None);
        }
        let stepped = self
            .graph
            .source_of(nodes.tracker.id, ports::TRACKER_SCHEDULER)
            .map(|(node, _)| node)
            .filter(|node| NodeKind::SCHEDULERS.contains(&node.kind));
        let unstepped = |scheduler: &Node| CompileError::Conflict {
            node: scheduler.id,
            kind: scheduler.kind,
            problem: format!(
                "nothing steps it; connect its `scheduler` output to EpochTracker {}'s `scheduler` input, \
                 which steps it once per epoch",
                nodes.tracker.id
            ),
        };
        let Some(scheduler) = stepped else {
            // Name the chain's head where there is one: connecting it steps the whole chain.
            let head =
                schedulers.iter().find(|node| node.kind == NodeKind::SequentialLr).unwrap_or(&schedulers[0]);
            return Err(unstepped(head));
        };
        let chained = if scheduler.kind == NodeKind::SequentialLr {
            let first =
                self.source(scheduler, ports::SEQUENCE_FIRST, &SEQUENCE_PHASES, SEQUENCE_PHASES_HINT)?;
            let then =
                self.source(scheduler, ports::SEQUENCE_THEN, &SEQUENCE_PHASES, SEQUENCE_PHASES_HINT)?;
            if first.id == then.id {
                return Err(CompileError::Conflict {
                    node: scheduler.id,
                    kind: scheduler.kind,
                    problem: format!(
                        "`first` and `then` both come from {} {}; chain two schedulers",
                        first.kind, first.id
                    ),
                });
            }
            vec![first, then]
        } else {
            Vec::new()
        };
        if let Some(extra) = schedulers.iter().find(|node| node.id != scheduler.id && !chained.contains(node))
        {
            if chained.is_empty() && extra.kind != NodeKind::SequentialLr {
                return Err(CompileError::Duplicate {
                    kind: scheduler.kind,
                    count: schedulers.len(),
                    nodes: schedulers
                        .iter()
                        .map(|node| format!("{} {}", node.kind, node.id))
                        .collect::<Vec<_>>()
                        .join(", "),
                    first: scheduler.id,
                });
            }
            return Err(unstepped(extra));
        }
        let plan = if chained.is_empty() {
            self.expect_same(
                scheduler,
                ports::SCHEDULER_OPTIMIZER,
                nodes.optimizer,
                "the optimizer of the TrainingStep",
            )?;
            scheduler_plan(scheduler)?
        } else {
            let SequentialLrParams { milestone } = SequentialLrParams::read(scheduler)?;
            let mut phases = Vec::with_capacity(chained.len());
            for phase in &chained {
                self.expect_same(
                    phase,
                    ports::SCHEDULER_OPTIMIZER,
                    nodes.optimizer,
                    "the optimizer of the TrainingStep",
                )?;
                phases.push(scheduler_plan(phase)?);
            }
            SchedulerPlan::Sequential { phases, milestones: vec![milestone] }
        };
        let monitor = self.plateau_metric(scheduler, validates, task)?;
        if monitor == Monitor::TrainAccuracy
            && self.graph.source_of(nodes.tracker.id, ports::TRACKER_ACCURACY).is_none()
        {
            return Err(CompileError::Conflict {
                node: scheduler.id,
                kind: scheduler.kind,
                problem: format!(
                    "it watches the training accuracy, which EpochTracker {} tracks only when its `accuracy` \
                     input is connected; connect the same accuracy there",
                    nodes.tracker.id
                ),
            });
        }
        if let SchedulerPlan::ReduceOnPlateau { mode, .. } = plan
            && (mode == PlateauMode::Min) != monitor.lower_is_better()
        {
            let (better, fix) = if monitor.lower_is_better() {
                ("lower", PlateauMode::Min.name())
            } else {
                ("higher", PlateauMode::Max.name())
            };
            return Err(CompileError::Conflict {
                node: scheduler.id,
                kind: scheduler.kind,
                problem: format!(
                    "it watches {} ({better} is better) with mode {}; set mode to {fix}",
                    monitor.name(),
                    mode.name()
                ),
            });
        }
        Ok(Some(SchedulerSetup { plan, monitor }))
    }

    /// What ReduceLROnPlateau watches: the source of its `metric` input, else the training loss.
    fn plateau_metric(&self, scheduler: &Node, validates: bool, task: Task) -> Result<Monitor, CompileError> {
        let Some((source, output)) = self.graph.source_of(scheduler.id, ports::PLATEAU_METRIC) else {
            return Ok(Monitor::TrainLoss);
        };
        let port = self.graph.output_spec(output).map_or("?", |port| port.name);
        let monitor = match (source.kind, port) {
            (NodeKind::RunEpoch, "epoch_loss") if validates => Monitor::ValLoss,
            (NodeKind::TrainingStep, "loss_value") => Monitor::TrainLoss,
            (NodeKind::AccuracyMetric | NodeKind::CrossEntropyLoss, "accuracy")
                if task == Task::Classification =>
            {
                Monitor::TrainAccuracy
            }
            _ => {
                return Err(CompileError::Conflict {
                    node: scheduler.id,
                    kind: scheduler.kind,
                    problem: format!(
                        "its `metric` input comes from `{}`, which it cannot watch; connect RunEpoch's \
                         epoch_loss, TrainingStep's loss_value or an accuracy, or leave it unconnected to \
                         watch the training loss",
                        format_args!("{}:{port}", source.id.0)
                    ),
                });
            }
        };
        Ok(monitor)
    }

    /// EpochTracker's settings, and what its inputs say: the training accuracy it tracks
    /// (`accuracy`: CrossEntropyLoss's top-1, or AccuracyMetric's top-k; none unconnected) and
    /// whether it logs the running loss every `log_interval` steps (`loss`: the step's loss).
    fn tracker(
        &self,
        nodes: &Loop<'g>,
        validates: bool,
        task: Task,
        top_k: usize,
    ) -> Result<TrackerPlan, CompileError> {
        let tracker = nodes.tracker;
        let EpochTrackerParams { total_epochs, log_interval, save_interval, patience, min_delta, monitor } =
            EpochTrackerParams::read(tracker)?;
        let conflict =
            |problem: String| CompileError::Conflict { node: tracker.id, kind: tracker.kind, problem };
        if patience > 0 && monitor.needs_validation() && !validates {
            return Err(conflict(format!(
                "early stopping watches {}, but the graph has no validation pass; watch train_loss, or add \
                 a DataSplit and a RunEpoch with training off",
                monitor.name()
            )));
        }
        if patience > 0 && monitor.is_accuracy() && task == Task::Regression {
            return Err(conflict(format!(
                "early stopping watches {}, but a regression has no accuracy; watch a loss",
                monitor.name()
            )));
        }
        let port_name = |port| self.graph.output_spec(port).map_or("?", |spec| spec.name);
        let train_accuracy = match self.graph.source_of(tracker.id, ports::TRACKER_ACCURACY) {
            None => false,
            Some((source, port)) => match (source.kind, port_name(port)) {
                (NodeKind::CrossEntropyLoss, "accuracy") if top_k != 1 => {
                    return Err(conflict(format!(
                        "its accuracy comes from {} {}, the top 1, but the AccuracyMetric scores the top {top_k}; \
                         connect the AccuracyMetric's accuracy instead",
                        source.kind, source.id
                    )));
                }
                (NodeKind::CrossEntropyLoss | NodeKind::AccuracyMetric, "accuracy") => true,
                (kind, port) => {
                    return Err(conflict(format!(
                        "its `accuracy` input comes from {kind} {}'s {port}, which is no accuracy; connect \
                         CrossEntropyLoss's or AccuracyMetric's accuracy, or leave it unconnected",
                        source.id
                    )));
                }
            },
        };
        if patience > 0 && monitor == Monitor::TrainAccuracy && !train_accuracy {
            return Err(conflict(
                "early stopping watches train_accuracy, but nothing feeds the `accuracy` input, so no \
                 training accuracy is tracked; connect CrossEntropyLoss's or AccuracyMetric's accuracy to it"
                    .to_owned(),
            ));
        }
        let driver = self.graph.source_of(tracker.id, ports::TRACKER_STEP_COMPLETE).map(|(node, _)| node.id);
        let step_log = match self.graph.source_of(tracker.id, ports::TRACKER_LOSS) {
            None => false,
            Some((source, port)) => match (source.kind, port_name(port)) {
                (NodeKind::TrainingStep, "loss_value") | (NodeKind::RunEpoch, "epoch_loss")
                    if Some(source.id) == driver =>
                {
                    true
                }
                (kind, port) => {
                    return Err(conflict(format!(
                        "its `loss` input comes from {kind} {}'s {port}; connect the loss_value of the \
                         TrainingStep that drives it (its running average is logged every log_interval \
                         steps), or leave it unconnected",
                        source.id
                    )));
                }
            },
        };
        Ok(TrackerPlan {
            epochs: total_epochs,
            log_interval,
            save_interval,
            early_stopping: (patience > 0).then_some(EarlyStopping { monitor, patience, min_delta }),
            train_accuracy,
            step_log,
        })
    }

    /// The one node of `kind`.
    fn single(&self, kind: NodeKind, hint: &'static str) -> Result<&'g Node, CompileError> {
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
        expected: &'static str,
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
        description: &'static str,
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

/// What SequentialLR may chain: the schedulers that depend on the epoch alone.
const SEQUENCE_PHASES: [NodeKind; 3] = [NodeKind::LinearLr, NodeKind::StepLr, NodeKind::CosineAnnealingLr];
const SEQUENCE_PHASES_HINT: &str =
    "a LinearLR, StepLR or CosineAnnealingLR (ReduceLROnPlateau follows a metric, not the epochs)";

/// The settings of one scheduler node (not a SequentialLR, which chains others).
fn scheduler_plan(scheduler: &Node) -> Result<SchedulerPlan, CompileError> {
    Ok(match scheduler.kind {
        NodeKind::StepLr => {
            let StepLrParams { step_size, gamma } = StepLrParams::read(scheduler)?;
            SchedulerPlan::Step { step_size, gamma }
        }
        NodeKind::CosineAnnealingLr => {
            let CosineAnnealingParams { t_max, eta_min } = CosineAnnealingParams::read(scheduler)?;
            SchedulerPlan::CosineAnnealing { t_max, eta_min }
        }
        NodeKind::LinearLr => {
            let LinearLrParams { start_factor, end_factor, total_iters } = LinearLrParams::read(scheduler)?;
            SchedulerPlan::Linear { start_factor, end_factor, total_iters }
        }
        _ => {
            let PlateauParams { mode, factor, patience, threshold, threshold_mode, cooldown, min_lr } =
                PlateauParams::read(scheduler)?;
            SchedulerPlan::ReduceOnPlateau {
                mode,
                factor,
                patience,
                threshold,
                threshold_mode,
                cooldown,
                min_lr,
            }
        }
    })
}

/// What may feed TrainingStep's `loss`.
const LOSS_OUTPUTS: [NodeKind; 4] =
    [NodeKind::CrossEntropyLoss, NodeKind::MseLoss, NodeKind::L1Loss, NodeKind::CombineLoss];

/// The Dataset node's settings, checked against what its kind of dataset allows; a CSV
/// dataset's samples from the file its node names (`core::csv_store`).
fn dataset_spec(node: &Node, params: &DatasetParams) -> Result<DatasetSpec, CompileError> {
    let DatasetParams { kind, classes, samples, noise, seed, .. } = *params;
    let conflict = |problem: String| CompileError::Conflict { node: node.id, kind: node.kind, problem };
    if kind == DatasetKind::Csv {
        let csv = csv_dataset(params).map_err(conflict)?;
        return Ok(DatasetSpec {
            kind,
            classes: csv.classes(),
            samples: csv.samples(),
            noise: 0.0,
            seed,
            csv: Some(csv),
        });
    }
    if let Some(fixed) = kind.fixed_classes().filter(|&n| n != classes) {
        return Err(conflict(format!(
            "the {} dataset has {fixed} classes, not {classes}; set classes to {fixed}",
            kind.name()
        )));
    }
    if let Some(max) = kind.max_samples().filter(|&max| samples > max) {
        return Err(conflict(format!(
            "the {} dataset has {max} samples, not {samples}; set samples to {max} or fewer",
            kind.name()
        )));
    }
    Ok(DatasetSpec {
        kind,
        // The class count means nothing to a regression; keep plans of equal graphs equal.
        classes: if kind.task() == Task::Regression { 0 } else { classes },
        samples,
        noise: noise as f32,
        seed,
        csv: None,
    })
}

/// CrossEntropyLoss's options, checked against the number of classes.
fn cross_entropy_options(
    node: &Node,
    reduction: Reduction,
    classes: usize,
) -> Result<CrossEntropyOptions, CompileError> {
    let CrossEntropyParams { label_smoothing, ignore_index, weight, .. } = CrossEntropyParams::read(node)?;
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
        label_smoothing,
        ignore_index,
        weight: (!weight.is_empty()).then(|| weight.iter().map(|&w| w as f32).collect()),
    })
}

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
