//! The node catalogue: every kind of node a graph may hold, with its typed ports and its
//! parameter schema (type, default, valid range, help text).
//!
//! The catalogue is static data. The graph stores only a node's kind and its parameter
//! values; everything else about a node is looked up here, so the editor, the validator and
//! the compiler all read one source of truth.

use serde::{Deserialize, Serialize};

use crate::core::model::choices::Average;
use crate::core::model::choices::CsvTask;
use crate::core::model::choices::DatasetKind;
use crate::core::model::choices::Monitor;
use crate::core::model::choices::Reduction;
use crate::core::model::choices::{PlateauMode, ThresholdMode};
use crate::core::model::file_ref::{FileRef, MAX_COLUMN_NAME, MAX_COLUMNS};
use crate::core::model::limits::{MAX_LIST, MAX_NAME};
use crate::core::model::number_text::exact;
use crate::core::model::params::{LayerSpec, ParamValue};

/// The kinds of node. Serialised under their catalogue names (`"SGDOptimizer"`, …) in JSON,
/// which are also what the UI shows and error messages cite. Links store a kind by its
/// position here: **append new kinds at the end**, never reorder (see `core::link`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum NodeKind {
    Dataset,
    DataSplit,
    BatchSampler,
    GetBatch,
    Network,
    CrossEntropyLoss,
    #[serde(rename = "MSELoss")]
    MseLoss,
    L1Loss,
    CombineLoss,
    #[serde(rename = "SGDOptimizer")]
    SgdOptimizer,
    AdamOptimizer,
    AdamWOptimizer,
    #[serde(rename = "StepLR")]
    StepLr,
    #[serde(rename = "CosineAnnealingLR")]
    CosineAnnealingLr,
    #[serde(rename = "ReduceLROnPlateau")]
    ReduceLrOnPlateau,
    TrainingStep,
    EpochTracker,
    RunEpoch,
    AccuracyMetric,
    #[serde(rename = "LinearLR")]
    LinearLr,
    #[serde(rename = "SequentialLR")]
    SequentialLr,
    ClassificationMetrics,
}

impl NodeKind {
    /// Every kind, in palette order.
    pub const ALL: [NodeKind; 22] = [
        NodeKind::Dataset,
        NodeKind::DataSplit,
        NodeKind::BatchSampler,
        NodeKind::GetBatch,
        NodeKind::Network,
        NodeKind::CrossEntropyLoss,
        NodeKind::MseLoss,
        NodeKind::L1Loss,
        NodeKind::CombineLoss,
        NodeKind::SgdOptimizer,
        NodeKind::AdamOptimizer,
        NodeKind::AdamWOptimizer,
        NodeKind::StepLr,
        NodeKind::CosineAnnealingLr,
        NodeKind::ReduceLrOnPlateau,
        NodeKind::LinearLr,
        NodeKind::SequentialLr,
        NodeKind::TrainingStep,
        NodeKind::EpochTracker,
        NodeKind::RunEpoch,
        NodeKind::AccuracyMetric,
        NodeKind::ClassificationMetrics,
    ];

    /// The optimizer kinds: any of them can drive a TrainingStep.
    pub const OPTIMIZERS: [NodeKind; 3] =
        [NodeKind::SgdOptimizer, NodeKind::AdamOptimizer, NodeKind::AdamWOptimizer];

    /// The losses computed from predictions and targets.
    pub const LOSSES: [NodeKind; 3] = [NodeKind::CrossEntropyLoss, NodeKind::MseLoss, NodeKind::L1Loss];

    /// The learning-rate schedulers, stepped by EpochTracker once per epoch (SequentialLR
    /// steps the ones it chains).
    pub const SCHEDULERS: [NodeKind; 5] = [
        NodeKind::StepLr,
        NodeKind::CosineAnnealingLr,
        NodeKind::ReduceLrOnPlateau,
        NodeKind::LinearLr,
        NodeKind::SequentialLr,
    ];

    /// The catalogue entry for this kind (a `const fn`, so that [`InputName`]s are checked
    /// against it when Kindling compiles).
    pub const fn spec(self) -> &'static NodeSpec {
        match self {
            NodeKind::Dataset => &DATASET,
            NodeKind::DataSplit => &DATA_SPLIT,
            NodeKind::BatchSampler => &BATCH_SAMPLER,
            NodeKind::GetBatch => &GET_BATCH,
            NodeKind::Network => &NETWORK,
            NodeKind::CrossEntropyLoss => &CROSS_ENTROPY_LOSS,
            NodeKind::MseLoss => &MSE_LOSS,
            NodeKind::L1Loss => &L1_LOSS,
            NodeKind::CombineLoss => &COMBINE_LOSS,
            NodeKind::SgdOptimizer => &SGD_OPTIMIZER,
            NodeKind::AdamOptimizer => &ADAM_OPTIMIZER,
            NodeKind::AdamWOptimizer => &ADAMW_OPTIMIZER,
            NodeKind::StepLr => &STEP_LR,
            NodeKind::CosineAnnealingLr => &COSINE_ANNEALING_LR,
            NodeKind::ReduceLrOnPlateau => &REDUCE_LR_ON_PLATEAU,
            NodeKind::TrainingStep => &TRAINING_STEP,
            NodeKind::EpochTracker => &EPOCH_TRACKER,
            NodeKind::RunEpoch => &RUN_EPOCH,
            NodeKind::AccuracyMetric => &ACCURACY_METRIC,
            NodeKind::LinearLr => &LINEAR_LR,
            NodeKind::SequentialLr => &SEQUENTIAL_LR,
            NodeKind::ClassificationMetrics => &CLASSIFICATION_METRICS,
        }
    }

    /// The catalogue name, e.g. `SGDOptimizer`.
    pub fn name(self) -> &'static str {
        self.spec().name
    }
}

impl std::fmt::Display for NodeKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

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

/// One input or output of a node.
#[derive(Debug)]
pub struct PortSpec {
    pub name: &'static str,
    pub ty: PortType,
    /// An input the compiler cannot do without. Outputs are never required.
    pub required: bool,
    pub help: &'static str,
    /// For a required input, what usually feeds it (named when it is not connected); empty
    /// otherwise.
    pub fed_by: &'static str,
}

/// What values a parameter accepts.
#[derive(Debug, PartialEq)]
pub enum ParamKind {
    /// A finite float in `min..=max`.
    Float {
        min: f64,
        max: f64,
    },
    /// A whole number in `min..=max`.
    Int {
        min: i64,
        max: i64,
    },
    Bool,
    /// One of a fixed list of names.
    Choice(&'static [&'static str]),
    /// A list of finite numbers, each in `min..=max`; may be empty.
    FloatList {
        min: f64,
        max: f64,
    },
    /// A list of network layers.
    Layers,
    /// A file the node reads (`file_ref::FileRef`'s text; empty: none yet).
    File,
    /// A column of the node's file, by name (empty: none yet).
    Column,
    /// Columns of the node's file, by name, separated by commas (empty: all but the target).
    Columns,
}

/// A parameter's default, as static data.
#[derive(Debug)]
pub enum ParamDefault {
    Float(f64),
    Int(i64),
    Bool(bool),
    Choice(&'static str),
    /// An empty list of numbers.
    NoFloats,
    /// Text: a file or columns.
    Text(&'static str),
    Layers(&'static [LayerSpec]),
}

impl ParamDefault {
    pub fn value(&self) -> ParamValue {
        match self {
            ParamDefault::Float(value) => ParamValue::Float(*value),
            ParamDefault::Int(value) => ParamValue::Int(*value),
            ParamDefault::Bool(value) => ParamValue::Bool(*value),
            ParamDefault::Choice(value) => ParamValue::Text((*value).to_owned()),
            ParamDefault::NoFloats => ParamValue::Floats(Vec::new()),
            ParamDefault::Text(text) => ParamValue::Text((*text).to_owned()),
            ParamDefault::Layers(layers) => ParamValue::Layers(layers.to_vec()),
        }
    }
}

/// One parameter of a node.
#[derive(Debug)]
pub struct ParamSpec {
    pub name: &'static str,
    /// How a node's summary names it when zoomed out (`lr` for `learning_rate`); its name
    /// unless shorter words say it.
    pub label: &'static str,
    pub kind: ParamKind,
    pub default: ParamDefault,
    pub help: &'static str,
}

impl ParamSpec {
    /// This parameter, named `label` in a node's summary.
    const fn labelled(self, label: &'static str) -> Self {
        Self { label, ..self }
    }

    /// Whether `value` is a choice this parameter no longer offers ([`WITHDRAWN_CHOICES`]):
    /// a graph saved with it still opens, and validation says why it cannot train.
    pub fn is_withdrawn(&self, value: &ParamValue) -> bool {
        matches!(self.kind, ParamKind::Choice(_))
            && value.as_text().is_some_and(|text| {
                WITHDRAWN_CHOICES.iter().any(|(param, name, _)| *param == self.name && *name == text)
            })
    }

    /// Checks `value` as readers of stored graphs do: [`Self::check`], but a withdrawn choice
    /// passes (the graph opens; its node then shows why it cannot train).
    ///
    /// # Errors
    /// As [`Self::check`].
    pub fn check_stored(&self, value: &ParamValue) -> Result<(), String> {
        if self.is_withdrawn(value) { Ok(()) } else { self.check(value) }
    }

    /// Checks `value` against this parameter's type and range.
    ///
    /// # Errors
    /// A sentence saying what is wrong and what is allowed, for the user.
    pub fn check(&self, value: &ParamValue) -> Result<(), String> {
        // Lengths first: a value is echoed in the messages below.
        let max_text = match self.kind {
            ParamKind::File => 64 + 1 + 20 + 1 + 4 * 2 * MAX_COLUMN_NAME,
            ParamKind::Column => 4 * MAX_COLUMN_NAME,
            ParamKind::Columns => MAX_COLUMNS * (4 * MAX_COLUMN_NAME + 2),
            _ => MAX_NAME,
        };
        match value {
            ParamValue::Text(text) if text.len() > max_text => {
                return Err(format!("is {} bytes long; at most {max_text} are allowed", text.len()));
            }
            ParamValue::Floats(values) if values.len() > MAX_LIST => {
                return Err(format!("has {} entries; at most {MAX_LIST} are allowed", values.len()));
            }
            ParamValue::Layers(layers) if layers.len() > MAX_LIST => {
                return Err(format!("has {} layers; at most {MAX_LIST} are allowed", layers.len()));
            }
            _ => {}
        }
        match &self.kind {
            ParamKind::Float { min, max } => match value.as_f64() {
                Some(number) if !number.is_finite() => Err(format!("{number} is not a finite number")),
                Some(number) if number < *min || number > *max => {
                    Err(format!("{} is outside {min}..={max}", exact(number)))
                }
                Some(_) => Ok(()),
                None => Err(format!("expected a number, found `{value}`")),
            },
            ParamKind::Int { min, max } => match value.as_i64() {
                Some(number) if number < *min || number > *max => {
                    Err(format!("{number} is outside {min}..={max}"))
                }
                Some(_) => Ok(()),
                None => Err(format!("expected a whole number, found `{value}`")),
            },
            ParamKind::Bool => match value {
                ParamValue::Bool(_) => Ok(()),
                _ => Err(format!("expected true or false, found `{value}`")),
            },
            ParamKind::Choice(choices) => match value.as_text() {
                Some(text) if choices.contains(&text) => Ok(()),
                Some(text)
                    if let Some((.., reason)) = WITHDRAWN_CHOICES
                        .iter()
                        .find(|(param, name, _)| *param == self.name && *name == text) =>
                {
                    Err((*reason).to_owned())
                }
                _ => Err(format!("expected one of {}, found `{value}`", choices.join(", "))),
            },
            ParamKind::FloatList { min, max } => match value.as_floats() {
                Some(values) => values.iter().try_for_each(|&number| {
                    if !number.is_finite() {
                        Err(format!("{number} is not a finite number"))
                    } else if number < *min || number > *max {
                        Err(format!("{} is outside {min}..={max}", exact(number)))
                    } else {
                        Ok(())
                    }
                }),
                None => Err(format!("expected a list of numbers, found `{value}`")),
            },
            ParamKind::File => match value.as_text() {
                Some(text) if text.is_empty() || FileRef::from_param(text).is_some() => Ok(()),
                _ => Err(format!("expected a file (sha256:size:name), found `{value}`")),
            },
            ParamKind::Column | ParamKind::Columns => match value.as_text() {
                Some(text) if self.kind == ParamKind::Column && text.contains(',') => {
                    Err("is one column; a column's name has no comma".to_owned())
                }
                Some(text) if text.chars().any(char::is_control) => {
                    Err("a column's name has no control character".to_owned())
                }
                Some(_) => Ok(()),
                None => Err(format!("expected column names, found `{value}`")),
            },
            ParamKind::Layers => match value.as_layers() {
                Some([]) => Err("a network needs at least one layer".to_owned()),
                Some(layers) => layers.iter().try_for_each(|layer| match *layer {
                    LayerSpec::Linear { out_features } if !(1..=MAX_LAYER_WIDTH).contains(&out_features) => {
                        Err(format!("Linear out_features {out_features} is outside 1..={MAX_LAYER_WIDTH}"))
                    }
                    LayerSpec::LeakyRelu { negative_slope } if !(0.0..=1.0).contains(&negative_slope) => {
                        Err(format!("LeakyReLU negative_slope {negative_slope} is outside 0..=1"))
                    }
                    LayerSpec::Dropout { p } if !(0.0..1.0).contains(&p) => {
                        Err(format!("Dropout p {p} is outside 0..1 (1 would drop everything)"))
                    }
                    LayerSpec::BatchNorm { momentum } if !(0.0..=1.0).contains(&momentum) => {
                        Err(format!("BatchNorm1d momentum {momentum} is outside 0..=1"))
                    }
                    LayerSpec::Elu { alpha } if !(alpha > 0.0 && alpha <= MAX_ACTIVATION_SCALE) => Err(format!(
                        "ELU alpha {} is outside 0..={MAX_ACTIVATION_SCALE} (above 0)",
                        exact(alpha)
                    )),
                    LayerSpec::Softplus { beta } if !(beta > 0.0 && beta <= MAX_ACTIVATION_SCALE) => Err(format!(
                        "Softplus beta {} is outside 0..={MAX_ACTIVATION_SCALE} (above 0: it divides by beta)",
                        exact(beta)
                    )),
                    _ => Ok(()),
                }),
                None => Err(format!("expected a list of layers, found `{value}`")),
            },
        }
    }
}

/// Choices a parameter once offered and no longer does, with why, for graphs saved before:
/// (parameter, name, the reason shown on the node).
const WITHDRAWN_CHOICES: &[(&str, &str, &str)] = &[(
    "reduction",
    "none",
    "`none` gives one loss per sample, but TrainingStep minimises a single number, so a graph \
     with it can never train; set reduction to mean or sum",
)];

/// The largest ELU `alpha` or Softplus `beta` a layer may declare.
pub const MAX_ACTIVATION_SCALE: f64 = 100.0;

/// The widest layer a `Network` node may declare; keeps a typo from allocating gigabytes.
pub const MAX_LAYER_WIDTH: usize = 4096;

/// A catalogue entry.
#[derive(Debug)]
pub struct NodeSpec {
    pub name: &'static str,
    pub category: Category,
    pub help: &'static str,
    pub inputs: &'static [PortSpec],
    pub outputs: &'static [PortSpec],
    pub params: &'static [ParamSpec],
}

impl NodeSpec {
    pub fn input(&self, name: &str) -> Option<&'static PortSpec> {
        self.inputs.iter().find(|port| port.name == name)
    }

    pub fn output(&self, name: &str) -> Option<&'static PortSpec> {
        self.outputs.iter().find(|port| port.name == name)
    }

    pub fn param(&self, name: &str) -> Option<&'static ParamSpec> {
        self.params.iter().find(|param| param.name == name)
    }
}

/// Palette groups.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Category {
    Data,
    Network,
    Loss,
    Optimizer,
    Training,
    Metrics,
}

impl Category {
    /// Every category, in palette order.
    pub const ALL: [Category; 6] = [
        Category::Data,
        Category::Network,
        Category::Loss,
        Category::Optimizer,
        Category::Training,
        Category::Metrics,
    ];
}

const fn float(
    name: &'static str,
    range: std::ops::RangeInclusive<f64>,
    default: f64,
    help: &'static str,
) -> ParamSpec {
    let (min, max) = (*range.start(), *range.end());
    ParamSpec {
        name,
        label: name,
        kind: ParamKind::Float { min, max },
        default: ParamDefault::Float(default),
        help,
    }
}

const fn int(
    name: &'static str,
    range: std::ops::RangeInclusive<i64>,
    default: i64,
    help: &'static str,
) -> ParamSpec {
    let (min, max) = (*range.start(), *range.end());
    ParamSpec {
        name,
        label: name,
        kind: ParamKind::Int { min, max },
        default: ParamDefault::Int(default),
        help,
    }
}

const fn boolean(name: &'static str, default: bool, help: &'static str) -> ParamSpec {
    ParamSpec { name, label: name, kind: ParamKind::Bool, default: ParamDefault::Bool(default), help }
}

const fn choice(
    name: &'static str,
    choices: &'static [&'static str],
    default: &'static str,
    help: &'static str,
) -> ParamSpec {
    ParamSpec {
        name,
        label: name,
        kind: ParamKind::Choice(choices),
        default: ParamDefault::Choice(default),
        help,
    }
}

/// A required input, with what usually feeds it (`fed_by`).
const fn input(name: &'static str, ty: PortType, help: &'static str, fed_by: &'static str) -> PortSpec {
    PortSpec { name, ty, required: true, help, fed_by }
}

const fn optional_input(name: &'static str, ty: PortType, help: &'static str) -> PortSpec {
    PortSpec { name, ty, required: false, help, fed_by: "" }
}

const fn output(name: &'static str, ty: PortType, help: &'static str) -> PortSpec {
    PortSpec { name, ty, required: false, help, fed_by: "" }
}

// What usually feeds an input, as a message about an unconnected one names it.
const FROM_DATASET: &str = "a Dataset's `dataset` output";
const FROM_SAMPLER: &str = "a BatchSampler's `sampler` output";
const FROM_BATCH_INPUTS: &str = "GetBatch's `inputs` output";
const FROM_BATCH_TARGETS: &str = "GetBatch's `targets` output";
const FROM_PREDICTIONS: &str = "a Network's `predictions` output";
const FROM_MODEL: &str = "a Network's `model` output";
const FROM_LOSS: &str = "a loss node's `loss` output (add a CrossEntropyLoss if there is none)";
const FROM_OPTIMIZER: &str = "an optimizer's `optimizer` output";
const FROM_STEP: &str = "TrainingStep's `step_complete` output";
const FROM_SCHEDULER: &str = "an output of the matching type";

static DATASET: NodeSpec = NodeSpec {
    name: "Dataset",
    category: Category::Data,
    help: "TensorFlow Playground's 2-D sets (classification: spiral, circle, xor, gauss; \
           regression: plane, gaussian) in about [-1, 1]², 8×8 handwritten digits, or a CSV file of \
           your own (csv).",
    inputs: &[],
    outputs: &[output("dataset", PortType::Dataset, "All samples: inputs and targets")],
    params: &[
        choice("kind", DatasetKind::NAMES, DatasetKind::Spiral.name(), "Which dataset"),
        int(
            "classes",
            2..=10,
            2,
            "Number of classes (circle and xor have 2, digits 10; regression sets none)",
        ),
        int("samples", 8..=20_000, 1000, "Number of samples (digits has 1797)"),
        float("noise", 0.0..=0.5, 0.0, "Uniform jitter added to each input value"),
        int("seed", 0..=u32::MAX as i64, 1, "Seed of the data and noise, and of the weight initialisation"),
        ParamSpec {
            name: "file",
            label: "file",
            kind: ParamKind::File,
            default: ParamDefault::Text(""),
            help: "csv: the file to train on; it stays in this browser, a link carries its name, size and hash",
        },
        ParamSpec {
            name: "target",
            label: "target",
            kind: ParamKind::Column,
            default: ParamDefault::Text(""),
            help: "csv: the column to predict",
        },
        choice(
            "task",
            CsvTask::NAMES,
            CsvTask::Classification.name(),
            "csv: classification (the target's values are classes) or regression (a number to fit)",
        ),
        ParamSpec {
            name: "features",
            label: "features",
            kind: ParamKind::Columns,
            default: ParamDefault::Text(""),
            help: "csv: the columns to learn from, numbers (standardised); empty: every column but the target",
        },
    ],
};

static DATA_SPLIT: NodeSpec = NodeSpec {
    name: "DataSplit",
    category: Category::Data,
    help: "Splits a dataset at random into a training set and a held-out validation set.",
    inputs: &[input("dataset", PortType::Dataset, "The dataset to split", FROM_DATASET)],
    outputs: &[
        output("train", PortType::Dataset, "The samples to train on"),
        output("validation", PortType::Dataset, "The held-out samples, for RunEpoch with training off"),
    ],
    params: &[
        float("validation_ratio", 0.01..=0.9, 0.2, "Share of the samples held out for validation")
            .labelled("held out"),
        int("seed", 0..=u32::MAX as i64, 0, "Seed of the random split"),
    ],
};

static BATCH_SAMPLER: NodeSpec = NodeSpec {
    name: "BatchSampler",
    category: Category::Data,
    help: "Cuts a dataset into batches, in a fresh shuffled order every epoch.",
    inputs: &[input("dataset", PortType::Dataset, "The dataset to sample from", FROM_DATASET)],
    outputs: &[output("sampler", PortType::Sampler, "Batches of sample indices")],
    params: &[
        int("batch_size", 1..=4096, 32, "Samples per batch").labelled("batch"),
        boolean("shuffle", true, "Shuffle the samples at the start of every epoch"),
        int("seed", 0..=u32::MAX as i64, 0, "Seed of the shuffle order"),
        boolean("drop_last", false, "Skip the last batch of an epoch when it is smaller than batch_size"),
    ],
};

static GET_BATCH: NodeSpec = NodeSpec {
    name: "GetBatch",
    category: Category::Data,
    help: "Takes the next batch from a sampler; a trigger from EpochTracker starts the next epoch.",
    inputs: &[
        input("sampler", PortType::Sampler, "Where batches come from", FROM_SAMPLER),
        optional_input("next", PortType::Trigger, "Start the next epoch"),
    ],
    outputs: &[
        output("inputs", PortType::Tensor, "The batch's inputs, [batch, features]"),
        output(
            "targets",
            PortType::Tensor,
            "The batch's targets: class indices [batch], or values [batch, 1]",
        ),
    ],
    params: &[],
};

static DEFAULT_LAYERS: [LayerSpec; 5] = [
    LayerSpec::Linear { out_features: 16 },
    LayerSpec::Relu,
    LayerSpec::Linear { out_features: 16 },
    LayerSpec::Relu,
    LayerSpec::Linear { out_features: 2 },
];

static NETWORK: NodeSpec = NodeSpec {
    name: "Network",
    category: Category::Network,
    help: "A stack of layers (Linear, ReLU, LeakyReLU, Tanh, Sigmoid, GELU, Dropout, LayerNorm, \
           BatchNorm1d, Flatten) trained as one model; each layer's input size is inferred. \
           BatchNorm1d(momentum) normalises by the batch while training and by its running \
           statistics in evaluation, as PyTorch's does.",
    inputs: &[input("input", PortType::Tensor, "A batch of inputs, [batch, features]", FROM_BATCH_INPUTS)],
    outputs: &[
        output("predictions", PortType::Tensor, "Raw scores (logits) [batch, classes], or values [batch, 1]"),
        output("model", PortType::Model, "The trainable parameters, for an optimizer"),
    ],
    params: &[ParamSpec {
        name: "layers",
        label: "layers",
        kind: ParamKind::Layers,
        default: ParamDefault::Layers(&DEFAULT_LAYERS),
        help: "Layers from input to output, e.g. Linear(16), BatchNorm1d, ReLU, Dropout(0.1), Linear(2); activations ReLU, LeakyReLU(slope), Tanh, Sigmoid, GELU, ELU(alpha), SiLU, Mish, Softplus(beta)",
    }],
};

static CROSS_ENTROPY_LOSS: NodeSpec = NodeSpec {
    name: "CrossEntropyLoss",
    category: Category::Loss,
    help: "Classification loss: log-softmax of the logits, then the negative log-likelihood.",
    inputs: &[
        input(
            "predictions",
            PortType::Tensor,
            "Raw logits from the network, [batch, classes]",
            FROM_PREDICTIONS,
        ),
        input("targets", PortType::Tensor, "Class indices, [batch]", FROM_BATCH_TARGETS),
    ],
    outputs: &[
        output("loss", PortType::Tensor, "The batch's loss, reduced as `reduction` says"),
        output("accuracy", PortType::Scalar, "Share of the batch classified correctly (top 1)"),
    ],
    params: &[
        choice("reduction", Reduction::MINIMISABLE, Reduction::Mean.name(), REDUCTION_HELP),
        float("label_smoothing", 0.0..=1.0, 0.0, "Share of each target spread evenly over all classes")
            .labelled("smoothing"),
        int("ignore_index", -1_000_000..=1_000_000, -100, "Samples with this target count for nothing"),
        ParamSpec {
            name: "weight",
            label: "weight",
            kind: ParamKind::FloatList { min: 0.0, max: 1e6 },
            default: ParamDefault::NoFloats,
            help: "A weight per class (empty = all equal)",
        },
    ],
};

/// Only the reductions to one number are offered: every loss feeds a TrainingStep (or a
/// CombineLoss), which minimises a single number, so PyTorch's `none` could never train.
const REDUCTION_HELP: &str = "mean or sum of the samples' losses (the number TrainingStep minimises)";

const REGRESSION_LOSS_INPUTS: &[PortSpec] = &[
    input("predictions", PortType::Tensor, "The network's values, [batch, 1]", FROM_PREDICTIONS),
    input("targets", PortType::Tensor, "The true values, [batch, 1]", FROM_BATCH_TARGETS),
];

static MSE_LOSS: NodeSpec = NodeSpec {
    name: "MSELoss",
    category: Category::Loss,
    help: "Regression loss: the squared difference between prediction and target (torch.nn.MSELoss).",
    inputs: REGRESSION_LOSS_INPUTS,
    outputs: &[output("loss", PortType::Tensor, "The batch's loss, reduced as `reduction` says")],
    params: &[choice("reduction", Reduction::MINIMISABLE, Reduction::Mean.name(), REDUCTION_HELP)],
};

static L1_LOSS: NodeSpec = NodeSpec {
    name: "L1Loss",
    category: Category::Loss,
    help: "Regression loss: the absolute difference (MAE), less swayed by outliers than MSE (torch.nn.L1Loss).",
    inputs: REGRESSION_LOSS_INPUTS,
    outputs: &[output("loss", PortType::Tensor, "The batch's loss, reduced as `reduction` says")],
    params: &[choice("reduction", Reduction::MINIMISABLE, Reduction::Mean.name(), REDUCTION_HELP)],
};

static COMBINE_LOSS: NodeSpec = NodeSpec {
    name: "CombineLoss",
    category: Category::Loss,
    help: "A weighted sum of losses, minimised together: weight_1·loss_1 + weight_2·loss_2 (+ weight_3·loss_3).",
    inputs: &[
        input("loss_1", PortType::Tensor, "A loss", FROM_LOSS),
        input("loss_2", PortType::Tensor, "Another loss", FROM_LOSS),
        optional_input("loss_3", PortType::Tensor, "An optional third loss"),
    ],
    outputs: &[output("loss", PortType::Tensor, "The weighted sum")],
    params: &[
        float("weight_1", 0.0..=1000.0, 1.0, "Weight of loss_1"),
        float("weight_2", 0.0..=1000.0, 1.0, "Weight of loss_2"),
        float("weight_3", 0.0..=1000.0, 1.0, "Weight of loss_3"),
    ],
};

static SGD_OPTIMIZER: NodeSpec = NodeSpec {
    name: "SGDOptimizer",
    category: Category::Optimizer,
    help: "Stochastic gradient descent with optional momentum (PyTorch's torch.optim.SGD).",
    inputs: OPTIMIZER_INPUTS,
    outputs: OPTIMIZER_OUTPUTS,
    params: &[
        float("learning_rate", 0.0..=1000.0, 0.01, "Step size of each update").labelled("lr"),
        float("momentum", 0.0..=1.0, 0.0, "Momentum factor (0 = plain SGD)"),
        float("weight_decay", 0.0..=1.0, 0.0, "L2 penalty added to the gradient").labelled("decay"),
        boolean("nesterov", false, "Use Nesterov momentum (needs a momentum above 0)"),
    ],
};

const OPTIMIZER_INPUTS: &[PortSpec] = &[
    input("model", PortType::Model, "The model whose parameters it updates", FROM_MODEL),
    input("loss", PortType::Tensor, "The loss to minimise", FROM_LOSS),
];

const OPTIMIZER_OUTPUTS: &[PortSpec] =
    &[output("optimizer", PortType::Optimizer, "The configured optimizer")];

/// Adam's and AdamW's parameters, with PyTorch's defaults except weight decay's.
const fn adam_params(weight_decay: f64, weight_decay_help: &'static str) -> [ParamSpec; 5] {
    [
        float("learning_rate", 0.0..=1000.0, 0.001, "Step size of each update").labelled("lr"),
        float("beta1", 0.0..=0.999999, 0.9, "Decay of the running mean of the gradient"),
        float("beta2", 0.0..=0.999999, 0.999, "Decay of the running mean of the squared gradient"),
        float("epsilon", 1e-12..=1.0, 1e-8, "Added to the denominator for stability"),
        float("weight_decay", 0.0..=1.0, weight_decay, weight_decay_help).labelled("decay"),
    ]
}

static ADAM_PARAMS: [ParamSpec; 5] = adam_params(0.0, "L2 penalty added to the gradient");
static ADAMW_PARAMS: [ParamSpec; 5] = adam_params(0.01, "Decoupled decay: p ← p·(1 − lr·wd) each step");

static ADAM_OPTIMIZER: NodeSpec = NodeSpec {
    name: "AdamOptimizer",
    category: Category::Optimizer,
    help: "Adam: per-parameter steps from running means of the gradient (torch.optim.Adam).",
    inputs: OPTIMIZER_INPUTS,
    outputs: OPTIMIZER_OUTPUTS,
    params: &ADAM_PARAMS,
};

static ADAMW_OPTIMIZER: NodeSpec = NodeSpec {
    name: "AdamWOptimizer",
    category: Category::Optimizer,
    help: "AdamW: Adam with weight decay applied to the weights directly (torch.optim.AdamW).",
    inputs: OPTIMIZER_INPUTS,
    outputs: OPTIMIZER_OUTPUTS,
    params: &ADAMW_PARAMS,
};

const SCHEDULER_INPUT: PortSpec =
    input("optimizer", PortType::Optimizer, "The optimizer whose learning rate it sets", FROM_OPTIMIZER);

const SCHEDULER_OUTPUT: PortSpec =
    output("scheduler", PortType::Scheduler, "Connect to EpochTracker, which steps it once per epoch");

static STEP_LR: NodeSpec = NodeSpec {
    name: "StepLR",
    category: Category::Optimizer,
    help: "Multiplies the learning rate by gamma every step_size epochs (torch.optim.lr_scheduler.StepLR).",
    inputs: &[SCHEDULER_INPUT],
    outputs: &[SCHEDULER_OUTPUT],
    params: &[
        int("step_size", 1..=100_000, 30, "Epochs between reductions"),
        float("gamma", 0.0..=1.0, 0.1, "Factor applied at each reduction"),
    ],
};

static COSINE_ANNEALING_LR: NodeSpec = NodeSpec {
    name: "CosineAnnealingLR",
    category: Category::Optimizer,
    help: "Lowers the learning rate along a cosine to eta_min over t_max epochs (torch.optim.lr_scheduler.CosineAnnealingLR).",
    inputs: &[SCHEDULER_INPUT],
    outputs: &[SCHEDULER_OUTPUT],
    params: &[
        int("t_max", 1..=100_000, 50, "Epochs from the initial rate down to eta_min"),
        float("eta_min", 0.0..=10.0, 0.0, "The lowest learning rate"),
    ],
};

static REDUCE_LR_ON_PLATEAU: NodeSpec = NodeSpec {
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
    params: &[
        choice(
            "mode",
            PlateauMode::NAMES,
            PlateauMode::Min.name(),
            "min: the metric should fall (a loss); max: rise (an accuracy)",
        ),
        float("factor", 0.0..=0.999999, 0.1, "Factor applied at each reduction"),
        int("patience", 0..=100_000, 10, "Epochs without improvement tolerated before reducing"),
        float("threshold", 0.0..=1.0, 1e-4, "Smallest change that counts as an improvement"),
        choice(
            "threshold_mode",
            ThresholdMode::NAMES,
            ThresholdMode::Relative.name(),
            "rel: threshold relative to the best value; abs: absolute",
        ),
        int("cooldown", 0..=100_000, 0, "Epochs to wait after a reduction before counting again"),
        float("min_lr", 0.0..=10.0, 0.0, "The learning rate never goes below this"),
    ],
};

static LINEAR_LR: NodeSpec = NodeSpec {
    name: "LinearLR",
    category: Category::Optimizer,
    help: "Scales the learning rate by a factor going linearly from start_factor to end_factor over \
           total_iters epochs, then keeps it: a warm-up (torch.optim.lr_scheduler.LinearLR). Chain it \
           before another scheduler with SequentialLR.",
    inputs: &[SCHEDULER_INPUT],
    outputs: &[SCHEDULER_OUTPUT],
    params: &[
        float("start_factor", 1e-8..=1.0, 1.0 / 3.0, "Factor of the learning rate in the first epoch")
            .labelled("from"),
        float("end_factor", 0.0..=1.0, 1.0, "Factor reached after total_iters epochs, and kept")
            .labelled("to"),
        int("total_iters", 1..=100_000, 5, "Epochs from start_factor to end_factor").labelled("over"),
    ],
};

static SEQUENTIAL_LR: NodeSpec = NodeSpec {
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
    params: &[int("milestone", 1..=100_000, 5, "The epoch at which the second scheduler takes over")],
};

static TRAINING_STEP: NodeSpec = NodeSpec {
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
    params: &[
        float("gradient_clip", 0.0..=1e6, 0.0, "Max global L2 norm of the gradients (0 = off)").labelled("clip"),
        int("accumulation_steps", 1..=1024, 1, "Batches whose gradients are summed before one update").labelled("accumulate"),
        boolean(
            "mixed_precision",
            false,
            "Compute the forward and backward passes in f16 on a GPU with shader-f16 (weights stay f32); f32 elsewhere",
        ).labelled("f16"),
    ],
};

static EPOCH_TRACKER: NodeSpec = NodeSpec {
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
    params: &[
        int("total_epochs", 1..=100_000, 10, "Number of epochs to train").labelled("epochs"),
        int(
            "log_interval",
            1..=1_000_000,
            100,
            "Steps between logs: the loss averaged over those steps and each update's gradient norm, \
             charted by step (on a GPU, also how often the loss is checked for divergence)",
        ),
        int("save_interval", 1..=100_000, 1, "Epochs between checkpoints of the weights"),
        int(
            "patience",
            0..=100_000,
            0,
            "Early stopping: epochs without improvement before stopping (0 = off)",
        ),
        float("min_delta", 0.0..=1e6, 0.0, "Early stopping: smallest change that counts as an improvement"),
        choice("monitor", Monitor::NAMES, Monitor::TrainLoss.name(), "Early stopping: the metric to watch"),
    ],
};

static RUN_EPOCH: NodeSpec = NodeSpec {
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
    params: &[boolean("training", true, "Train on the batches (true) or evaluate without gradients (false)")],
};

static ACCURACY_METRIC: NodeSpec = NodeSpec {
    name: "AccuracyMetric",
    category: Category::Metrics,
    help: "Classification accuracy in percent (0–100): a sample counts when its target is among \
           its top_k scores; also per class. Applies to training and validation.",
    inputs: &[
        input("predictions", PortType::Tensor, "Scores or logits, [batch, classes]", FROM_PREDICTIONS),
        input("targets", PortType::Tensor, "Class indices, [batch]", FROM_BATCH_TARGETS),
    ],
    outputs: &[output("accuracy", PortType::Scalar, "Percent of samples with the target in the top k")],
    params: &[int("top_k", 1..=100, 1, "How many of the highest scores may hold the target")],
};

static CLASSIFICATION_METRICS: NodeSpec = NodeSpec {
    name: "ClassificationMetrics",
    category: Category::Metrics,
    help: "Precision, recall and F1, averaged as `average` says, and ROC-AUC (binary, or one-vs-rest \
           macro), of the validation pass after every epoch (else of the training batches), charted \
           per epoch — scikit-learn's definitions.",
    inputs: &[
        input("predictions", PortType::Tensor, "Scores or logits, [batch, classes]", FROM_PREDICTIONS),
        input("targets", PortType::Tensor, "Class indices, [batch]", FROM_BATCH_TARGETS),
    ],
    outputs: &[],
    params: &[
        choice(
            "average",
            Average::NAMES,
            Average::Macro.name(),
            "macro: each class counts the same; micro: each sample; weighted: by class size; binary: \
             the positive class alone (two classes)",
        ),
        int("positive_class", 0..=1_000_000, 1, "The class that counts as positive for binary"),
        boolean("roc_auc", true, "Also compute ROC-AUC (sorts every sample's scores each epoch)"),
    ],
};

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_default_passes_its_own_check() {
        for kind in NodeKind::ALL {
            for param in kind.spec().params {
                assert_eq!(param.check(&param.default.value()), Ok(()), "{kind}.{}", param.name);
            }
        }
    }

    #[test]
    fn names_round_trip_through_serde_and_each_kind_has_its_own_spec() {
        for kind in NodeKind::ALL {
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.name()));
            assert_eq!(serde_json::from_str::<NodeKind>(&json).unwrap(), kind);
        }
        let names: std::collections::BTreeSet<_> = NodeKind::ALL.iter().map(|kind| kind.name()).collect();
        assert_eq!(names.len(), NodeKind::ALL.len());
    }

    #[test]
    fn every_parameter_has_a_label_no_longer_than_its_name() {
        for kind in NodeKind::ALL {
            for param in kind.spec().params {
                assert!(
                    !param.label.is_empty() && param.label.len() <= param.name.len(),
                    "{kind} `{}`",
                    param.name
                );
            }
        }
        assert_eq!(NodeKind::SgdOptimizer.spec().param("learning_rate").map(|param| param.label), Some("lr"));
    }

    #[test]
    fn every_required_input_says_what_feeds_it() {
        for kind in NodeKind::ALL {
            for port in kind.spec().inputs {
                assert_eq!(port.required, !port.fed_by.is_empty(), "{kind} `{}`", port.name);
            }
            assert!(kind.spec().outputs.iter().all(|port| port.fed_by.is_empty()), "{kind}");
        }
    }

    #[test]
    fn layer_settings_are_checked() {
        let layers = NodeKind::Network.spec().param("layers").unwrap();
        let check = |layer| layers.check(&ParamValue::Layers(vec![layer]));
        assert!(check(LayerSpec::Dropout { p: 1.0 }).unwrap_err().contains("Dropout"));
        assert!(check(LayerSpec::LeakyRelu { negative_slope: -0.5 }).unwrap_err().contains("LeakyReLU"));
        assert_eq!(check(LayerSpec::Dropout { p: 0.5 }), Ok(()));
        assert!(check(LayerSpec::BatchNorm { momentum: 1.5 }).unwrap_err().contains("BatchNorm1d"));
        assert!(check(LayerSpec::BatchNorm { momentum: f64::NAN }).is_err());
        assert_eq!(check(LayerSpec::BatchNorm { momentum: 0.1 }), Ok(()));
        assert!(check(LayerSpec::Elu { alpha: 0.0 }).unwrap_err().contains("ELU alpha"));
        assert!(check(LayerSpec::Softplus { beta: 0.0 }).unwrap_err().contains("divides by beta"));
        assert!(check(LayerSpec::Softplus { beta: 1e300 }).unwrap_err().contains("1e300"));
        assert_eq!(check(LayerSpec::Elu { alpha: 1.0 }), Ok(()));
        assert_eq!(check(LayerSpec::Softplus { beta: 2.0 }), Ok(()));
    }

    #[test]
    fn out_of_range_and_non_finite_values_are_refused_with_a_reason() {
        let lr = NodeKind::SgdOptimizer.spec().param("learning_rate").unwrap();
        assert!(lr.check(&ParamValue::Float(-1.0)).unwrap_err().contains("outside"));
        assert!(lr.check(&ParamValue::Float(f64::NAN)).unwrap_err().contains("finite"));
        assert!(lr.check(&ParamValue::Text("fast".into())).unwrap_err().contains("number"));
    }
}
