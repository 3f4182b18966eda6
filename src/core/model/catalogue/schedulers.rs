//! The learning-rate schedulers: StepLR, CosineAnnealingLR, ReduceLROnPlateau, LinearLR and
//! SequentialLR, stepped by EpochTracker once per epoch.

use crate::core::model::choices::{PlateauMode, ThresholdMode};

use super::node_spec::{Category, NodeSpec};
use super::param_fields::kind_params;
use super::param_spec::{choice, float, int};
use super::port_spec::{PortSpec, PortType, input, optional_input, output};

const SCHEDULER_INPUT: PortSpec = input("optimizer", PortType::Optimizer);

const SCHEDULER_OUTPUT: PortSpec = output("scheduler", PortType::Scheduler);

kind_params! {
    /// StepLR's parameters.
    pub struct StepLrParams in STEP_LR_PARAMS {
        step_size: usize = int(1..=100_000, 30),
        gamma: f64 = float(0.0..=1.0, 0.1),
    }
}

pub(super) static STEP_LR: NodeSpec = NodeSpec {
    name: "StepLR",
    category: Category::Optimizer,
    inputs: &[SCHEDULER_INPUT],
    outputs: &[SCHEDULER_OUTPUT],
    params: &STEP_LR_PARAMS,
};

kind_params! {
    /// CosineAnnealingLR's parameters.
    pub struct CosineAnnealingParams in COSINE_ANNEALING_PARAMS {
        t_max: usize = int(1..=100_000, 50),
        eta_min: f64 = float(0.0..=10.0, 0.0),
    }
}

pub(super) static COSINE_ANNEALING_LR: NodeSpec = NodeSpec {
    name: "CosineAnnealingLR",
    category: Category::Optimizer,
    inputs: &[SCHEDULER_INPUT],
    outputs: &[SCHEDULER_OUTPUT],
    params: &COSINE_ANNEALING_PARAMS,
};

kind_params! {
    /// ReduceLROnPlateau's parameters.
    pub struct PlateauParams in PLATEAU_PARAMS {
        mode: PlateauMode = choice(PlateauMode::NAMES, PlateauMode::Min.name()),
        factor: f64 = float(0.0..=0.999999, 0.1),
        patience: usize = int(0..=100_000, 10),
        threshold: f64 = float(0.0..=1.0, 1e-4),
        threshold_mode: ThresholdMode = choice(ThresholdMode::NAMES, ThresholdMode::Relative.name()),
        cooldown: usize = int(0..=100_000, 0),
        min_lr: f64 = float(0.0..=10.0, 0.0),
    }
}

pub(super) static REDUCE_LR_ON_PLATEAU: NodeSpec = NodeSpec {
    name: "ReduceLROnPlateau",
    category: Category::Optimizer,
    inputs: &[SCHEDULER_INPUT, optional_input("metric", PortType::Scalar)],
    outputs: &[SCHEDULER_OUTPUT],
    params: &PLATEAU_PARAMS,
};

kind_params! {
    /// LinearLR's parameters.
    pub struct LinearLrParams in LINEAR_LR_PARAMS {
        start_factor: f64 = float(1e-8..=1.0, 1.0 / 3.0).labelled("from"),
        end_factor: f64 = float(0.0..=1.0, 1.0).labelled("to"),
        total_iters: usize = int(1..=100_000, 5).labelled("over"),
    }
}

pub(super) static LINEAR_LR: NodeSpec = NodeSpec {
    name: "LinearLR",
    category: Category::Optimizer,
    inputs: &[SCHEDULER_INPUT],
    outputs: &[SCHEDULER_OUTPUT],
    params: &LINEAR_LR_PARAMS,
};

kind_params! {
    /// SequentialLR's parameters.
    pub struct SequentialLrParams in SEQUENTIAL_LR_PARAMS {
        milestone: usize = int(1..=100_000, 5),
    }
}

pub(super) static SEQUENTIAL_LR: NodeSpec = NodeSpec {
    name: "SequentialLR",
    category: Category::Optimizer,
    inputs: &[input("first", PortType::Scheduler), input("then", PortType::Scheduler)],
    outputs: &[SCHEDULER_OUTPUT],
    params: &SEQUENTIAL_LR_PARAMS,
};
