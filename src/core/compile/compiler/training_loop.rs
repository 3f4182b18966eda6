//! The training loop, walked back from what drives it: the optimizer, the loss, the
//! network, the batches, the sampler and the data they come from.

use crate::core::compile::compile_error::{CompileError, Hint};
use crate::core::data::csv_store::csv_dataset;
use crate::core::data::dataset::DatasetSpec;
use crate::core::data::shapes::ShapesSettings;
use crate::core::model::catalogue::NodeKind;
use crate::core::model::catalogue::{DatasetParams, RunEpochParams};
use crate::core::model::choices::{DatasetKind, Task};
use crate::core::model::graph::Node;
use crate::core::model::ports::{self, OutputName};

use super::{Loop, Walk};

impl<'g> Walk<'g> {
    /// Walks the loop back from what drives it: a TrainingStep (the seed's basic loop), or a
    /// RunEpoch with training on (one node running the epoch's batches with an optimizer).
    pub(super) fn training_loop(&self) -> Result<Loop<'g>, CompileError> {
        let tracker = self.single(NodeKind::EpochTracker, Hint::AddEpochTracker)?;
        let driver = self.source(
            tracker,
            ports::TRACKER_STEP_COMPLETE,
            &[NodeKind::TrainingStep, NodeKind::RunEpoch],
            Hint::StepComplete,
        )?;
        if driver.kind == NodeKind::RunEpoch {
            return self.run_epoch_loop(tracker, driver);
        }
        let step = self.single(NodeKind::TrainingStep, Hint::AddTrainingStep)?;
        let optimizer = self.source(step, ports::STEP_OPTIMIZER, &NodeKind::OPTIMIZERS, Hint::Optimizer)?;
        let loss = self.source(step, ports::STEP_LOSS, &LOSS_OUTPUTS, Hint::LossOrCombineLoss)?;
        self.expect_same(optimizer, ports::OPTIMIZER_LOSS, loss, Hint::MinimisedLoss)?;
        let network = self.source(optimizer, ports::OPTIMIZER_MODEL, &[NodeKind::Network], Hint::Network)?;
        self.one_optimizer_per_model(optimizer, network)?;
        let batches = self.source(network, ports::NETWORK_INPUT, &[NodeKind::GetBatch], Hint::GetBatch)?;
        let sampler =
            self.source(batches, ports::GET_BATCH_SAMPLER, &[NodeKind::BatchSampler], Hint::BatchSampler)?;
        let (split, dataset) = self.data_of(sampler, ports::SPLIT_TRAIN)?;
        Ok(Loop { tracker, step: Some(step), optimizer, loss, network, batches, sampler, split, dataset })
    }

    /// The loop driven by a RunEpoch with training on: it trains `model` with `optimizer` over
    /// the batches of `sampler`, the same batches its GetBatch feeds the network.
    pub(super) fn run_epoch_loop(&self, tracker: &'g Node, run: &'g Node) -> Result<Loop<'g>, CompileError> {
        if !RunEpochParams::read(run)?.training {
            return Err(CompileError::Conflict {
                node: run.id,
                kind: run.kind,
                problem: text!("compile-driver-training-off"),
            });
        }
        let optimizer =
            self.source(run, ports::RUN_OPTIMIZER, &NodeKind::OPTIMIZERS, Hint::OptimizerTrainingOn)?;
        let loss = self.source(optimizer, ports::OPTIMIZER_LOSS, &LOSS_OUTPUTS, Hint::LossOrCombineLoss)?;
        let network = self.source(optimizer, ports::OPTIMIZER_MODEL, &[NodeKind::Network], Hint::Network)?;
        self.expect_same(run, ports::RUN_MODEL, network, Hint::TrainedNetwork)?;
        self.one_optimizer_per_model(optimizer, network)?;
        let batches = self.source(network, ports::NETWORK_INPUT, &[NodeKind::GetBatch], Hint::GetBatch)?;
        let sampler =
            self.source(batches, ports::GET_BATCH_SAMPLER, &[NodeKind::BatchSampler], Hint::BatchSampler)?;
        self.expect_same(run, ports::RUN_SAMPLER, sampler, Hint::NetworksSampler)?;
        let (split, dataset) = self.data_of(sampler, ports::SPLIT_TRAIN)?;
        Ok(Loop { tracker, step: None, optimizer, loss, network, batches, sampler, split, dataset })
    }

    /// The Dataset feeding `sampler`, and the DataSplit in between if there is one, whose
    /// output must then be `split_port`.
    pub(super) fn data_of(
        &self,
        sampler: &Node,
        split_port: OutputName,
    ) -> Result<(Option<&'g Node>, &'g Node), CompileError> {
        let source = self.source(
            sampler,
            ports::SAMPLER_DATASET,
            &[NodeKind::Dataset, NodeKind::DataSplit],
            Hint::DatasetOrSplit,
        )?;
        if source.kind == NodeKind::Dataset {
            return Ok((None, source));
        }
        let port = self
            .graph
            .source_of(sampler.id, ports::SAMPLER_DATASET)
            .and_then(|(_, output)| self.graph.output_spec(output))
            .map(|output| output.name);
        if !port.is_some_and(|port| split_port.is(port)) {
            let role = if split_port == ports::SPLIT_TRAIN { "train" } else { "validation" };
            return Err(CompileError::Conflict {
                node: sampler.id,
                kind: sampler.kind,
                problem: text!(
                    "compile-sampler-split-output",
                    role = role,
                    split = source.id.to_string(),
                    wanted = split_port.name(),
                    found = port.unwrap_or("?"),
                ),
            });
        }
        let dataset = self.source(source, ports::SAMPLER_DATASET, &[NodeKind::Dataset], Hint::Dataset)?;
        Ok((Some(source), dataset))
    }

    /// A model has one optimizer.
    pub(super) fn one_optimizer_per_model(
        &self,
        optimizer: &Node,
        network: &Node,
    ) -> Result<(), CompileError> {
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
}

/// What may feed TrainingStep's `loss`.
pub(super) const LOSS_OUTPUTS: [NodeKind; 4] =
    [NodeKind::CrossEntropyLoss, NodeKind::MseLoss, NodeKind::L1Loss, NodeKind::CombineLoss];

/// The Dataset node's settings, checked against what its kind of dataset allows; a CSV
/// dataset's samples from the file its node names (`core::csv_store`).
pub(super) fn dataset_spec(node: &Node, params: &DatasetParams) -> Result<DatasetSpec, CompileError> {
    let DatasetParams { kind, classes, samples, noise, seed, .. } = *params;
    // The shapes' drawing means nothing to the other kinds: keep plans of equal graphs equal.
    let shapes =
        if kind == DatasetKind::Shapes { ShapesSettings::of(params) } else { ShapesSettings::default() };
    let conflict = |problem: String| CompileError::Conflict { node: node.id, kind: node.kind, problem };
    if kind == DatasetKind::Csv {
        let csv = csv_dataset(params).map_err(|error| conflict(error.to_string()))?;
        return Ok(DatasetSpec {
            kind,
            classes: csv.classes(),
            samples: csv.samples(),
            noise: 0.0,
            seed,
            shapes,
            csv: Some(csv),
        });
    }
    if let Some(fixed) = kind.fixed_classes().filter(|&n| n != classes) {
        return Err(conflict(text!(
            "compile-dataset-fixed-classes",
            dataset = kind.name(),
            fixed = fixed,
            classes = classes,
        )));
    }
    if let Some(max) = kind.max_samples().filter(|&max| samples > max) {
        return Err(conflict(text!(
            "compile-dataset-max-samples",
            dataset = kind.name(),
            max = max,
            samples = samples,
        )));
    }
    Ok(DatasetSpec {
        kind,
        // The class count means nothing to a regression; keep plans of equal graphs equal.
        classes: if kind.task() == Task::Regression { 0 } else { classes },
        samples,
        noise: noise as f32,
        seed,
        shapes,
        csv: None,
    })
}
