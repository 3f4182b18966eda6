//! The learning-rate schedulers: StepLR, CosineAnnealingLR, ReduceLROnPlateau, LinearLR and
//! SequentialLR, stepped by EpochTracker once per epoch.

use crate::core::model::choices::{PlateauMode, ThresholdMode};

use super::node_spec::{Category, NodeSpec};
use super::param_fields::kind_params;
use super::param_spec::{choice, float, int};
use super::port_spec::{FROM_OPTIMIZER, FROM_SCHEDULER, PortSpec, PortType, input, optional_input, output};

const SCHEDULER_INPUT: PortSpec =
    input("optimizer", PortType::Optimizer, "The optimizer whose learning rate it sets", FROM_OPTIMIZER);

const SCHEDULER_OUTPUT: PortSpec =
    output("scheduler", PortType::Scheduler, "Connect to EpochTracker, which steps it once per epoch");

kind_params! {
    /// StepLR's parameters.
    pub struct StepLrParams in STEP_LR_PARAMS {
        step_size: usize = int(1..=100_000, 30, "Epochs between reductions"),
        gamma: f64 = float(0.0..=1.0, 0.1, "Factor applied at each reduction"),
    }
}

pub(super) static STEP_LR: NodeSpec = NodeSpec {
    name: "StepLR",
    category: Category::Optimizer,
    help: "Multiplies the learning rate by gamma every step_size epochs (torch.optim.lr_scheduler.StepLR).",
    inputs: &[SCHEDULER_INPUT],
    outputs: &[SCHEDULER_OUTPUT],
    params: &STEP_LR_PARAMS,
};

kind_params! {
    /// CosineAnnealingLR's parameters.
    pub struct CosineAnnealingParams in COSINE_ANNEALING_PARAMS {
        t_max: usize = int(1..=100_000, 50, "Epochs from the initial rate down to eta_min"),
        eta_min: f64 = float(0.0..=10.0, 0.0, "The lowest learning rate"),
    }
}

pub(super) static COSINE_ANNEALING_LR: NodeSpec = NodeSpec {
    name: "CosineAnnealingLR",
    category: Category::Optimizer,
    help: "Lowers the learning rate along a cosine to eta_min over t_max epochs (torch.optim.lr_scheduler.CosineAnnealingLR).",
    inputs: &[SCHEDULER_INPUT],
    outputs: &[SCHEDULER_OUTPUT],
    params: &COSINE_ANNEALING_PARAMS,
};

kind_params! {
    /// ReduceLROnPlateau's parameters.
    pub struct PlateauParams in PLATEAU_PARAMS {
        mode: PlateauMode = choice(
            PlateauMode::NAMES,
            PlateauMode::Min.name(),
            "min: the metric should fall (a loss); max: rise (an accuracy)",
        ),
        factor: f64 = float(0.0..=0.999999, 0.1, "Factor applied at each reduction"),
        patience: usize = int(0..=100_000, 10, "Epochs without improvement tolerated before reducing"),
        threshold: f64 = float(0.0..=1.0, 1e-4, "Smallest change that counts as an improvement"),
        threshold_mode: ThresholdMode = choice(
            ThresholdMode::NAMES,
            ThresholdMode::Relative.name(),
            "rel: threshold relative to the best value; abs: absolute",
        ),
        cooldown: usize = int(0..=100_000, 0, "Epochs to wait after a reduction before counting again"),
        min_lr: f64 = float(0.0..=10.0, 0.0, "The learning rate never goes below this"),
    }
}

pub(super) static REDUCE_LR_ON_PLATEAU: NodeSpec = NodeSpec {
    name: "ReduceLROnPlateau",
    category: Category::Optimizer,
    help: "Multiplies the learning rate by factor when a metric stops improving \
           (torch.optim.lr_scheduler.ReduceLROnPlateau). Watches the training loss unless `metric` is connected.",
    inputs: &[
        SCHEDULER_INPUT,
        optional_input(
            "metric",
            PortType::Scalar,
            "The metric to watch: RunEpoch's epoch_loss (validation loss) or an accuracy",
        ),
    ],
    outputs: &[SCHEDULER_OUTPUT],
    params: &PLATEAU_PARAMS,
};

kind_params! {
    /// LinearLR's parameters.
    pub struct LinearLrParams in LINEAR_LR_PARAMS {
        start_factor: f64 = float(1e-8..=1.0, 1.0 / 3.0, "Factor of the learning rate in the first epoch")
            .labelled("from"),
        end_factor: f64 = float(0.0..=1.0, 1.0, "Factor reached after total_iters epochs, and kept")
            .labelled("to"),
        total_iters: usize = int(1..=100_000, 5, "Epochs from start_factor to end_factor").labelled("over"),
    }
}

pub(super) static LINEAR_LR: NodeSpec = NodeSpec {
    name: "LinearLR",
    category: Category::Optimizer,
    help: "Scales the learning rate by a factor going linearly from start_factor to end_factor over \
           total_iters epochs, then keeps it: a warm-up (torch.optim.lr_scheduler.LinearLR). Chain it \
           before another scheduler with SequentialLR.",
    inputs: &[SCHEDULER_INPUT],
    outputs: &[SCHEDULER_OUTPUT],
    params: &LINEAR_LR_PARAMS,
};

kind_params! {
    /// SequentialLR's parameters.
    pub struct SequentialLrParams in SEQUENTIAL_LR_PARAMS {
        milestone: usize = int(1..=100_000, 5, "The epoch at which the second scheduler takes over"),
    }
}

pub(super) static SEQUENTIAL_LR: NodeSpec = NodeSpec {
    name: "SequentialLR",
    category: Category::Optimizer,
    help: "Runs one scheduler, then another from the milestone epoch on, restarted from the initial \
           rate — e.g. a LinearLR warm-up, then CosineAnnealingLR (torch.optim.lr_scheduler.SequentialLR).",
    inputs: &[
        input(
            "first",
            PortType::Scheduler,
            "The scheduler of the first epochs, e.g. a LinearLR warm-up",
            FROM_SCHEDULER,
        ),
        input(
            "then",
            PortType::Scheduler,
            "The scheduler from the milestone on (StepLR, CosineAnnealingLR, LinearLR)",
            FROM_SCHEDULER,
        ),
    ],
    outputs: &[SCHEDULER_OUTPUT],
    params: &SEQUENTIAL_LR_PARAMS,
};
