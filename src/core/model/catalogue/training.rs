//! The training loop's kinds: TrainingStep, EpochTracker and RunEpoch.

use crate::core::model::choices::Monitor;

use super::node_spec::{Category, NodeSpec};
use super::param_fields::kind_params;
use super::param_spec::{boolean, choice, float, int};
use super::port_spec::{PortType, input, optional_input, output};

kind_params! {
    /// TrainingStep's parameters.
    pub struct TrainingStepParams in TRAINING_STEP_PARAMS {
        gradient_clip: f64 = float(0.0..=1e6, 0.0).labelled("clip"),
        accumulation_steps: usize = int(1..=1024, 1).labelled("accumulate"),
        mixed_precision: bool = boolean(false).labelled("f16"),
    }
}

pub(super) static TRAINING_STEP: NodeSpec = NodeSpec {
    name: "TrainingStep",
    category: Category::Training,
    inputs: &[input("optimizer", PortType::Optimizer), input("loss", PortType::Tensor)],
    outputs: &[output("step_complete", PortType::Trigger), output("loss_value", PortType::Scalar)],
    params: &TRAINING_STEP_PARAMS,
};

kind_params! {
    /// EpochTracker's parameters.
    pub struct EpochTrackerParams in EPOCH_TRACKER_PARAMS {
        total_epochs: usize = int(1..=100_000, 10).labelled("epochs"),
        log_interval: usize = int(1..=1_000_000, 100),
        save_interval: usize = int(1..=100_000, 1),
        /// Early stopping's patience; 0 turns it off.
        patience: usize = int(0..=100_000, 0),
        min_delta: f64 = float(0.0..=1e6, 0.0),
        monitor: Monitor = choice(Monitor::NAMES, Monitor::TrainLoss.name()),
    }
}

pub(super) static EPOCH_TRACKER: NodeSpec = NodeSpec {
    name: "EpochTracker",
    category: Category::Training,
    inputs: &[
        input("step_complete", PortType::Trigger),
        optional_input("loss", PortType::Scalar),
        optional_input("accuracy", PortType::Scalar),
        optional_input("scheduler", PortType::Scheduler),
    ],
    outputs: &[output("epoch_trigger", PortType::Trigger)],
    params: &EPOCH_TRACKER_PARAMS,
};

kind_params! {
    /// RunEpoch's parameters.
    pub struct RunEpochParams in RUN_EPOCH_PARAMS {
        training: bool = boolean(true),
    }
}

pub(super) static RUN_EPOCH: NodeSpec = NodeSpec {
    name: "RunEpoch",
    category: Category::Training,
    inputs: &[
        input("sampler", PortType::Sampler),
        input("model", PortType::Model),
        optional_input("optimizer", PortType::Optimizer),
        optional_input("epoch_num", PortType::Trigger),
    ],
    outputs: &[output("epoch_complete", PortType::Trigger), output("epoch_loss", PortType::Scalar)],
    params: &RUN_EPOCH_PARAMS,
};
