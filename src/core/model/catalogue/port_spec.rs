//! A port of a node kind: what travels along a wire, and the ports kinds had in earlier
//! releases that graphs saved then may still wire.

use serde::{Deserialize, Serialize};

use super::NodeKind;

/// What travels along a wire. Only equal types may be connected.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PortType {
    /// A whole dataset (inputs and targets).
    Dataset,
    /// A batch sampler: an order over a dataset, cut into batches.
    Sampler,
    /// A tensor: a batch of inputs, predictions, targets or a loss.
    Tensor,
    /// A trainable model.
    Model,
    /// A configured optimizer.
    Optimizer,
    /// A learning-rate scheduler attached to an optimizer.
    Scheduler,
    /// A control signal: "a step finished", "start the next epoch".
    Trigger,
    /// A plain number such as a loss value or an accuracy.
    Scalar,
}

impl std::fmt::Display for PortType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let name = match self {
            PortType::Dataset => "dataset",
            PortType::Sampler => "sampler",
            PortType::Tensor => "tensor",
            PortType::Model => "model",
            PortType::Optimizer => "optimizer",
            PortType::Scheduler => "scheduler",
            PortType::Trigger => "trigger",
            PortType::Scalar => "scalar",
        };
        f.write_str(name)
    }
}

/// One input or output of a node. What it carries and, for a required input, what usually
/// feeds it are words, in `text/en/catalogue.ftl` (`NodeSpec::input_help`, `output_help`,
/// `fed_by`).
#[derive(Debug)]
pub struct PortSpec {
    pub name: &'static str,
    pub ty: PortType,
    /// An input the compiler cannot do without. Outputs are never required.
    pub required: bool,
}

/// A port a kind had in an earlier release and no longer has: graphs saved then may hold
/// wires to it, which readers drop (each was at the end of its list, so the ports before it
/// keep their positions, which links store). Its position stays reserved: a port added to
/// such a kind later needs a new link version that tells old positions from new ones.
#[derive(Debug)]
pub struct RetiredPort {
    pub kind: NodeKind,
    /// An output (else an input).
    pub output: bool,
    /// Its position then.
    pub index: usize,
    pub name: &'static str,
}

/// Every retired port. None ever did anything: TrainingStep's `trigger` was never read, and
/// nothing could take `epoch_stats` or `epoch_metrics` (no input took their type) or used
/// `training_complete` — the run itself ends training, EpochTracker's inputs say what it
/// tracks, and the charts and the metrics CSV show every epoch statistic.
pub const RETIRED_PORTS: &[RetiredPort] = &[
    RetiredPort { kind: NodeKind::TrainingStep, output: false, index: 2, name: "trigger" },
    RetiredPort { kind: NodeKind::EpochTracker, output: true, index: 1, name: "training_complete" },
    RetiredPort { kind: NodeKind::EpochTracker, output: true, index: 2, name: "epoch_stats" },
    RetiredPort { kind: NodeKind::RunEpoch, output: true, index: 2, name: "epoch_metrics" },
];

impl NodeKind {
    /// Whether port `index` (an output, or an input) of this kind is retired.
    pub fn retired_port(self, output: bool, index: usize) -> bool {
        RETIRED_PORTS.iter().any(|port| port.kind == self && port.output == output && port.index == index)
    }

    /// Whether the port called `name` (an output, or an input) of this kind is retired.
    pub fn retired_port_named(self, output: bool, name: &str) -> bool {
        RETIRED_PORTS.iter().any(|port| port.kind == self && port.output == output && port.name == name)
    }
}

/// A required input (what usually feeds it is in `text/en/catalogue.ftl`,
/// `kind-<Kind>-in-<port>-fed-by`).
pub(super) const fn input(name: &'static str, ty: PortType) -> PortSpec {
    PortSpec { name, ty, required: true }
}

pub(super) const fn optional_input(name: &'static str, ty: PortType) -> PortSpec {
    PortSpec { name, ty, required: false }
}

pub(super) const fn output(name: &'static str, ty: PortType) -> PortSpec {
    PortSpec { name, ty, required: false }
}
