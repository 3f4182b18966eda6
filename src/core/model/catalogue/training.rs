//! The training loop's kinds: TrainingStep, EpochTracker and RunEpoch.

use crate::core::model::choices::Monitor;

use super::node_spec::{Category, NodeSpec};
use super::param_fields::kind_params;
use super::param_spec::{boolean, choice, float, int};
use super::port_spec::{
    FROM_LOSS, FROM_MODEL, FROM_OPTIMIZER, FROM_SAMPLER, FROM_STEP, PortType, input, optional_input, output,
};

kind_params! {
    /// TrainingStep's parameters.
    pub struct TrainingStepParams in TRAINING_STEP_PARAMS {
        gradient_clip: f64 = float(0.0..=1e6, 0.0, "Max global L2 norm of the gradients (0 = off)").labelled("clip"),
        accumulation_steps: usize = int(1..=1024, 1, "Batches whose gradients are summed before one update")
            .labelled("accumulate"),
        mixed_precision: bool = boolean(
            false,
            "Compute the forward and backward passes in f16 on a GPU with shader-f16 (weights stay f32); f32 elsewhere",
        )
        .labelled("f16"),
    }
}

pub(super) static TRAINING_STEP: NodeSpec = NodeSpec {
    name: "TrainingStep",
    category: Category::Training,
    help: "One step: backward pass from the loss, optional accumulation and clipping, then the optimizer's update.",
    inputs: &[
        input("optimizer", PortType::Optimizer, "The optimizer that applies the update", FROM_OPTIMIZER),
        input("loss", PortType::Tensor, "The loss to differentiate", FROM_LOSS),
    ],
    outputs: &[
        output("step_complete", PortType::Trigger, "Fires when the step has finished"),
        output("loss_value", PortType::Scalar, "The step's loss, for logging"),
    ],
    params: &TRAINING_STEP_PARAMS,
};

kind_params! {
    /// EpochTracker's parameters.
    pub struct EpochTrackerParams in EPOCH_TRACKER_PARAMS {
        total_epochs: usize = int(1..=100_000, 10, "Number of epochs to train").labelled("epochs"),
        log_interval: usize = int(
            1..=1_000_000,
            100,
            "Steps between logs: the loss averaged over those steps and each update's gradient norm, \
             charted by step (on a GPU, also how often the loss is checked for divergence)",
        ),
        save_interval: usize = int(1..=100_000, 1, "Epochs between checkpoints of the weights"),
        /// Early stopping's patience; 0 turns it off.
        patience: usize = int(
            0..=100_000,
            0,
            "Early stopping: epochs without improvement before stopping (0 = off)",
        ),
        min_delta: f64 = float(0.0..=1e6, 0.0, "Early stopping: smallest change that counts as an improvement"),
        monitor: Monitor = choice(Monitor::NAMES, Monitor::TrainLoss.name(), "Early stopping: the metric to watch"),
    }
}

pub(super) static EPOCH_TRACKER: NodeSpec = NodeSpec {
    name: "EpochTracker",
    category: Category::Training,
    help: "Counts epochs, averages the loss and accuracy over each, steps the scheduler, and stops \
           training at the end or early when the monitored metric stops improving.",
    inputs: &[
        input("step_complete", PortType::Trigger, "From TrainingStep", FROM_STEP),
        optional_input(
            "loss",
            PortType::Scalar,
            "TrainingStep's loss_value: its running average and the gradient norms are logged every \
             log_interval steps (unconnected: epoch averages only)",
        ),
        optional_input(
            "accuracy",
            PortType::Scalar,
            "The training accuracy to track: CrossEntropyLoss's (top 1) or AccuracyMetric's (top k); \
             unconnected, none is",
        ),
        optional_input(
            "scheduler",
            PortType::Scheduler,
            "A learning-rate scheduler to step after each epoch",
        ),
    ],
    outputs: &[output(
        "epoch_trigger",
        PortType::Trigger,
        "Starts the next epoch (and validation, in RunEpoch)",
    )],
    params: &EPOCH_TRACKER_PARAMS,
};

kind_params! {
    /// RunEpoch's parameters.
    pub struct RunEpochParams in RUN_EPOCH_PARAMS {
        training: bool = boolean(true, "Train on the batches (true) or evaluate without gradients (false)"),
    }
}

pub(super) static RUN_EPOCH: NodeSpec = NodeSpec {
    name: "RunEpoch",
    category: Category::Training,
    help: "Runs the model over every batch of a sampler. Training on: trains it with the optimizer, \
           driving EpochTracker in place of a TrainingStep. Training off: evaluates it — no gradients, \
           dropout off, the training loop's loss — the validation pass.",
    inputs: &[
        input("sampler", PortType::Sampler, "The batches to run, e.g. the validation set's", FROM_SAMPLER),
        input("model", PortType::Model, "The network to run", FROM_MODEL),
        optional_input("optimizer", PortType::Optimizer, "The optimizer, when training"),
        optional_input("epoch_num", PortType::Trigger, "EpochTracker's epoch_trigger: run once per epoch"),
    ],
    outputs: &[
        output("epoch_complete", PortType::Trigger, "Fires when the pass has finished"),
        output("epoch_loss", PortType::Scalar, "Mean loss over the pass"),
    ],
    params: &RUN_EPOCH_PARAMS,
};
