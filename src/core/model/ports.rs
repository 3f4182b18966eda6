//! The ports that code looks up by name — the compiler following a training loop's wires,
//! shape inference, the budget — each checked, when Kindling itself compiles, against the
//! catalogue entries of the kinds it is looked up on. A misspelt or renamed port is a build
//! error here, never a graph silently "not wired".

use crate::core::model::catalogue::{NodeKind, PortSpec, same};

/// The name of an input that every kind it is used with has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct InputName(&'static str);

impl InputName {
    /// Input `name`, which every kind of `kinds` must have; in a `const`, a kind without it
    /// stops the build.
    pub const fn on(kinds: &[NodeKind], name: &'static str) -> Self {
        let mut at = 0;
        while at < kinds.len() {
            assert!(
                has_port(kinds[at].spec().inputs, name),
                "a kind of node lacks this input (src/core/model/ports.rs)"
            );
            at += 1;
        }
        Self(name)
    }

    pub const fn name(self) -> &'static str {
        self.0
    }
}

/// The name of an output that every kind it is used with has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct OutputName(&'static str);

impl OutputName {
    /// Output `name`, which every kind of `kinds` must have; in a `const`, a kind without it
    /// stops the build.
    pub const fn on(kinds: &[NodeKind], name: &'static str) -> Self {
        let mut at = 0;
        while at < kinds.len() {
            assert!(
                has_port(kinds[at].spec().outputs, name),
                "a kind of node lacks this output (src/core/model/ports.rs)"
            );
            at += 1;
        }
        Self(name)
    }

    pub const fn name(self) -> &'static str {
        self.0
    }

    /// Whether `name` is this output's name.
    pub fn is(self, name: &str) -> bool {
        self.0 == name
    }
}

const fn has_port(ports: &[PortSpec], name: &str) -> bool {
    let mut at = 0;
    while at < ports.len() {
        if same(ports[at].name, name) {
            return true;
        }
        at += 1;
    }
    false
}

use NodeKind::{
    AccuracyMetric, BatchSampler, ClassificationMetrics, CombineLoss, CosineAnnealingLr, CrossEntropyLoss,
    DataSplit, EpochTracker, GetBatch, L1Loss, LinearLr, MseLoss, Network, ReduceLrOnPlateau, RunEpoch,
    SequentialLr, StepLr, TrainingStep,
};

/// The losses and metrics, which compare predictions with targets.
const SCORED: [NodeKind; 5] = [CrossEntropyLoss, MseLoss, L1Loss, AccuracyMetric, ClassificationMetrics];

pub const SAMPLER_DATASET: InputName = InputName::on(&[BatchSampler, DataSplit], "dataset");
pub const GET_BATCH_SAMPLER: InputName = InputName::on(&[GetBatch], "sampler");
pub const NETWORK_INPUT: InputName = InputName::on(&[Network], "input");
pub const PREDICTIONS: InputName = InputName::on(&SCORED, "predictions");
pub const TARGETS: InputName = InputName::on(&SCORED, "targets");
pub const COMBINED_LOSSES: [InputName; 3] = [
    InputName::on(&[CombineLoss], "loss_1"),
    InputName::on(&[CombineLoss], "loss_2"),
    InputName::on(&[CombineLoss], "loss_3"),
];
pub const OPTIMIZER_MODEL: InputName = InputName::on(&NodeKind::OPTIMIZERS, "model");
pub const OPTIMIZER_LOSS: InputName = InputName::on(&NodeKind::OPTIMIZERS, "loss");
pub const STEP_OPTIMIZER: InputName = InputName::on(&[TrainingStep], "optimizer");
pub const STEP_LOSS: InputName = InputName::on(&[TrainingStep], "loss");
pub const RUN_MODEL: InputName = InputName::on(&[RunEpoch], "model");
pub const RUN_SAMPLER: InputName = InputName::on(&[RunEpoch], "sampler");
pub const RUN_OPTIMIZER: InputName = InputName::on(&[RunEpoch], "optimizer");
pub const TRACKER_STEP_COMPLETE: InputName = InputName::on(&[EpochTracker], "step_complete");
pub const TRACKER_LOSS: InputName = InputName::on(&[EpochTracker], "loss");
pub const TRACKER_ACCURACY: InputName = InputName::on(&[EpochTracker], "accuracy");
pub const TRACKER_SCHEDULER: InputName = InputName::on(&[EpochTracker], "scheduler");
pub const SEQUENCE_FIRST: InputName = InputName::on(&[SequentialLr], "first");
pub const SEQUENCE_THEN: InputName = InputName::on(&[SequentialLr], "then");
/// Every scheduler but SequentialLR, which takes its optimizer through the ones it chains.
pub const SCHEDULER_OPTIMIZER: InputName =
    InputName::on(&[StepLr, CosineAnnealingLr, ReduceLrOnPlateau, LinearLr], "optimizer");
pub const PLATEAU_METRIC: InputName = InputName::on(&[ReduceLrOnPlateau], "metric");

pub const DATASET_SAMPLES: OutputName = OutputName::on(&[NodeKind::Dataset], "dataset");
pub const SPLIT_TRAIN: OutputName = OutputName::on(&[DataSplit], "train");
pub const SPLIT_VALIDATION: OutputName = OutputName::on(&[DataSplit], "validation");
pub const SAMPLER_BATCHES: OutputName = OutputName::on(&[BatchSampler], "sampler");
pub const BATCH_INPUTS: OutputName = OutputName::on(&[GetBatch], "inputs");
pub const BATCH_TARGETS: OutputName = OutputName::on(&[GetBatch], "targets");
pub const NETWORK_PREDICTIONS: OutputName = OutputName::on(&[Network], "predictions");
pub const LOSS: OutputName = OutputName::on(&[CrossEntropyLoss, MseLoss, L1Loss, CombineLoss], "loss");
pub const STEP_LOSS_VALUE: OutputName = OutputName::on(&[TrainingStep], "loss_value");
pub const RUN_EPOCH_LOSS: OutputName = OutputName::on(&[RunEpoch], "epoch_loss");
pub const ACCURACY: OutputName = OutputName::on(&[AccuracyMetric, CrossEntropyLoss], "accuracy");
