//! Each node kind's parameters as a typed struct, read from a node in one place.
//!
//! A graph stores parameters as named values (`Node::params`: what files and links carry,
//! checked against the catalogue's schema). Everything that acts on them — the compiler,
//! shape inference, the views — reads them through these structs, so each parameter is named
//! once, here. A value that is missing from the catalogue or of the wrong type is an error,
//! never a quiet 0, "" or false; a parameter a node leaves unset takes its catalogue default
//! (`Node::param`), so defaults live in the catalogue only.

use crate::core::model::catalogue::NodeKind;
use crate::core::model::choice::Choice;
use crate::core::model::choices::Average;
use crate::core::model::choices::CsvTask;
use crate::core::model::choices::DatasetKind;
use crate::core::model::choices::Monitor;
use crate::core::model::choices::Reduction;
use crate::core::model::choices::{PlateauMode, ThresholdMode};
use crate::core::model::file_ref::FileRef;
use crate::core::model::graph::Node;
use crate::core::model::node_id::NodeId;
use crate::core::model::params::{LayerSpec, ParamValue};

/// Why a node's parameters could not be read.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ParamError {
    /// A reader asked for a parameter the node's catalogue entry does not have: a bug, or a
    /// struct read from a node of another kind.
    #[error("{kind} {node} has no parameter `{param}`")]
    Unknown { node: NodeId, kind: NodeKind, param: &'static str },
    #[error("{kind} {node}: `{param}` should be {expected}, but is `{found}`")]
    Mistyped { node: NodeId, kind: NodeKind, param: &'static str, expected: &'static str, found: String },
}

impl ParamError {
    /// The node whose parameter it is.
    pub fn node(&self) -> NodeId {
        match self {
            ParamError::Unknown { node, .. } | ParamError::Mistyped { node, .. } => *node,
        }
    }
}

/// Reads one node's parameters by name, each as the type its struct field wants.
struct Reader<'n> {
    node: &'n Node,
}

impl Reader<'_> {
    fn value(&self, name: &'static str) -> Result<ParamValue, ParamError> {
        self.node.param(name).ok_or(ParamError::Unknown {
            node: self.node.id,
            kind: self.node.kind,
            param: name,
        })
    }

    fn mistyped(&self, name: &'static str, expected: &'static str, found: &ParamValue) -> ParamError {
        ParamError::Mistyped {
            node: self.node.id,
            kind: self.node.kind,
            param: name,
            expected,
            found: found.to_string(),
        }
    }

    fn float(&self, name: &'static str) -> Result<f64, ParamError> {
        let value = self.value(name)?;
        value.as_f64().ok_or_else(|| self.mistyped(name, "a number", &value))
    }

    fn int(&self, name: &'static str) -> Result<i64, ParamError> {
        let value = self.value(name)?;
        value.as_i64().ok_or_else(|| self.mistyped(name, "a whole number", &value))
    }

    /// A count, a size or a seed: a whole number ≥ 0, as the type the field wants.
    fn whole<T: TryFrom<i64>>(&self, name: &'static str) -> Result<T, ParamError> {
        let value = self.value(name)?;
        value
            .as_i64()
            .and_then(|number| T::try_from(number).ok())
            .ok_or_else(|| self.mistyped(name, "a whole number ≥ 0", &value))
    }

    fn count(&self, name: &'static str) -> Result<usize, ParamError> {
        self.whole(name)
    }

    fn seed(&self, name: &'static str) -> Result<u64, ParamError> {
        self.whole(name)
    }

    fn flag(&self, name: &'static str) -> Result<bool, ParamError> {
        let value = self.value(name)?;
        value.as_bool().ok_or_else(|| self.mistyped(name, "true or false", &value))
    }

    fn text(&self, name: &'static str) -> Result<String, ParamError> {
        let value = self.value(name)?;
        value.as_text().map(str::to_owned).ok_or_else(|| self.mistyped(name, "text", &value))
    }

    /// A file reference; empty text is none.
    fn file(&self, name: &'static str) -> Result<Option<FileRef>, ParamError> {
        let value = self.value(name)?;
        match value.as_text() {
            Some("") => Ok(None),
            Some(text) => {
                FileRef::from_param(text).map(Some).ok_or_else(|| self.mistyped(name, "a file", &value))
            }
            None => Err(self.mistyped(name, "a file", &value)),
        }
    }

    /// Column names, separated by commas (which no column name holds).
    fn columns(&self, name: &'static str) -> Result<Vec<String>, ParamError> {
        Ok(self
            .text(name)?
            .split(',')
            .map(str::trim)
            .filter(|name| !name.is_empty())
            .map(str::to_owned)
            .collect())
    }

    fn choice<C: Choice>(&self, name: &'static str) -> Result<C, ParamError> {
        let value = self.value(name)?;
        value
            .as_text()
            .and_then(C::from_name)
            .ok_or_else(|| self.mistyped(name, "one of its choices", &value))
    }

    fn floats(&self, name: &'static str) -> Result<Vec<f64>, ParamError> {
        let value = self.value(name)?;
        value.as_floats().map(<[f64]>::to_vec).ok_or_else(|| self.mistyped(name, "a list of numbers", &value))
    }

    fn layers(&self, name: &'static str) -> Result<Vec<LayerSpec>, ParamError> {
        let value = self.value(name)?;
        value
            .as_layers()
            .map(<[LayerSpec]>::to_vec)
            .ok_or_else(|| self.mistyped(name, "a list of layers", &value))
    }
}

/// Dataset.
#[derive(Clone, Debug, PartialEq)]
pub struct DatasetParams {
    pub kind: DatasetKind,
    pub classes: usize,
    pub samples: usize,
    pub noise: f64,
    pub seed: u64,
    /// A CSV dataset's file (`None`: none picked yet).
    pub file: Option<FileRef>,
    /// A CSV dataset's target column (empty: none picked yet).
    pub target: String,
    pub task: CsvTask,
    /// A CSV dataset's feature columns; empty: every column but the target.
    pub features: Vec<String>,
}

/// DataSplit.
#[derive(Clone, Debug, PartialEq)]
pub struct DataSplitParams {
    pub validation_ratio: f64,
    pub seed: u64,
}

/// BatchSampler.
#[derive(Clone, Debug, PartialEq)]
pub struct BatchSamplerParams {
    pub batch_size: usize,
    pub shuffle: bool,
    pub seed: u64,
    pub drop_last: bool,
}

/// Network.
#[derive(Clone, Debug, PartialEq)]
pub struct NetworkParams {
    pub layers: Vec<LayerSpec>,
}

/// CrossEntropyLoss.
#[derive(Clone, Debug, PartialEq)]
pub struct CrossEntropyParams {
    pub reduction: Reduction,
    pub label_smoothing: f64,
    pub ignore_index: i64,
    /// A weight per class; empty for equal weights.
    pub weight: Vec<f64>,
}

/// MSELoss and L1Loss.
#[derive(Clone, Debug, PartialEq)]
pub struct RegressionLossParams {
    pub reduction: Reduction,
}

/// CombineLoss: the weight of `loss_1`, `loss_2` and `loss_3`, in that order.
#[derive(Clone, Debug, PartialEq)]
pub struct CombineLossParams {
    pub weights: [f64; 3],
}

/// SGDOptimizer.
#[derive(Clone, Debug, PartialEq)]
pub struct SgdParams {
    pub learning_rate: f64,
    pub momentum: f64,
    pub weight_decay: f64,
    pub nesterov: bool,
}

/// AdamOptimizer and AdamWOptimizer.
#[derive(Clone, Debug, PartialEq)]
pub struct AdamParams {
    pub learning_rate: f64,
    pub beta1: f64,
    pub beta2: f64,
    pub epsilon: f64,
    pub weight_decay: f64,
}

/// StepLR.
#[derive(Clone, Debug, PartialEq)]
pub struct StepLrParams {
    pub step_size: usize,
    pub gamma: f64,
}

/// CosineAnnealingLR.
#[derive(Clone, Debug, PartialEq)]
pub struct CosineAnnealingParams {
    pub t_max: usize,
    pub eta_min: f64,
}

/// LinearLR.
#[derive(Clone, Debug, PartialEq)]
pub struct LinearLrParams {
    pub start_factor: f64,
    pub end_factor: f64,
    pub total_iters: usize,
}

/// SequentialLR.
#[derive(Clone, Debug, PartialEq)]
pub struct SequentialLrParams {
    pub milestone: usize,
}

/// ReduceLROnPlateau.
#[derive(Clone, Debug, PartialEq)]
pub struct PlateauParams {
    pub mode: PlateauMode,
    pub factor: f64,
    pub patience: usize,
    pub threshold: f64,
    pub threshold_mode: ThresholdMode,
    pub cooldown: usize,
    pub min_lr: f64,
}

/// TrainingStep.
#[derive(Clone, Debug, PartialEq)]
pub struct TrainingStepParams {
    pub gradient_clip: f64,
    pub accumulation_steps: usize,
    pub mixed_precision: bool,
}

/// EpochTracker.
#[derive(Clone, Debug, PartialEq)]
pub struct EpochTrackerParams {
    pub total_epochs: usize,
    pub log_interval: usize,
    pub save_interval: usize,
    /// Early stopping's patience; 0 turns it off.
    pub patience: usize,
    pub min_delta: f64,
    pub monitor: Monitor,
}

/// RunEpoch.
#[derive(Clone, Debug, PartialEq)]
pub struct RunEpochParams {
    pub training: bool,
}

/// AccuracyMetric.
#[derive(Clone, Debug, PartialEq)]
pub struct AccuracyMetricParams {
    pub top_k: usize,
}

/// ClassificationMetrics.
#[derive(Clone, Debug, PartialEq)]
pub struct ClassificationMetricsParams {
    pub average: Average,
    pub positive_class: usize,
    pub roc_auc: bool,
}

/// A node's parameters, by kind.
#[derive(Clone, Debug, PartialEq)]
pub enum NodeParams {
    Dataset(DatasetParams),
    DataSplit(DataSplitParams),
    BatchSampler(BatchSamplerParams),
    GetBatch,
    Network(NetworkParams),
    CrossEntropyLoss(CrossEntropyParams),
    MseLoss(RegressionLossParams),
    L1Loss(RegressionLossParams),
    CombineLoss(CombineLossParams),
    SgdOptimizer(SgdParams),
    AdamOptimizer(AdamParams),
    AdamWOptimizer(AdamParams),
    StepLr(StepLrParams),
    CosineAnnealingLr(CosineAnnealingParams),
    ReduceLrOnPlateau(PlateauParams),
    TrainingStep(TrainingStepParams),
    EpochTracker(EpochTrackerParams),
    RunEpoch(RunEpochParams),
    AccuracyMetric(AccuracyMetricParams),
    LinearLr(LinearLrParams),
    SequentialLr(SequentialLrParams),
    ClassificationMetrics(ClassificationMetricsParams),
}

impl NodeParams {
    /// Every parameter of `node`, as its kind's struct.
    ///
    /// # Errors
    /// A parameter of the wrong type (a graph that skipped validation).
    pub fn read(node: &Node) -> Result<Self, ParamError> {
        Ok(match node.kind {
            NodeKind::Dataset => NodeParams::Dataset(DatasetParams::read(node)?),
            NodeKind::DataSplit => NodeParams::DataSplit(DataSplitParams::read(node)?),
            NodeKind::BatchSampler => NodeParams::BatchSampler(BatchSamplerParams::read(node)?),
            NodeKind::GetBatch => NodeParams::GetBatch,
            NodeKind::Network => NodeParams::Network(NetworkParams::read(node)?),
            NodeKind::CrossEntropyLoss => NodeParams::CrossEntropyLoss(CrossEntropyParams::read(node)?),
            NodeKind::MseLoss => NodeParams::MseLoss(RegressionLossParams::read(node)?),
            NodeKind::L1Loss => NodeParams::L1Loss(RegressionLossParams::read(node)?),
            NodeKind::CombineLoss => NodeParams::CombineLoss(CombineLossParams::read(node)?),
            NodeKind::SgdOptimizer => NodeParams::SgdOptimizer(SgdParams::read(node)?),
            NodeKind::AdamOptimizer => NodeParams::AdamOptimizer(AdamParams::read(node)?),
            NodeKind::AdamWOptimizer => NodeParams::AdamWOptimizer(AdamParams::read(node)?),
            NodeKind::StepLr => NodeParams::StepLr(StepLrParams::read(node)?),
            NodeKind::CosineAnnealingLr => NodeParams::CosineAnnealingLr(CosineAnnealingParams::read(node)?),
            NodeKind::ReduceLrOnPlateau => NodeParams::ReduceLrOnPlateau(PlateauParams::read(node)?),
            NodeKind::TrainingStep => NodeParams::TrainingStep(TrainingStepParams::read(node)?),
            NodeKind::EpochTracker => NodeParams::EpochTracker(EpochTrackerParams::read(node)?),
            NodeKind::RunEpoch => NodeParams::RunEpoch(RunEpochParams::read(node)?),
            NodeKind::AccuracyMetric => NodeParams::AccuracyMetric(AccuracyMetricParams::read(node)?),
            NodeKind::LinearLr => NodeParams::LinearLr(LinearLrParams::read(node)?),
            NodeKind::SequentialLr => NodeParams::SequentialLr(SequentialLrParams::read(node)?),
            NodeKind::ClassificationMetrics => {
                NodeParams::ClassificationMetrics(ClassificationMetricsParams::read(node)?)
            }
        })
    }
}

/// The parameters of a Dataset that only its CSV kind reads.
pub const CSV_PARAMS: [&str; 4] = ["file", "target", "task", "features"];
/// The parameters of a Dataset that only its generated (and shipped) kinds read.
pub const GENERATED_PARAMS: [&str; 3] = ["classes", "samples", "noise"];

/// Whether parameter `name` means anything to `node` as its other parameters stand: a
/// Dataset's CSV settings only for kind csv, and the generated sets' classes, samples and
/// noise only for the others. The inspector and the node show only these.
pub fn param_applies(node: &Node, name: &str) -> bool {
    if node.kind != NodeKind::Dataset {
        return true;
    }
    let csv = node.param("kind").and_then(|kind| kind.as_text().map(|kind| kind == DatasetKind::Csv.name()));
    if csv == Some(true) { !GENERATED_PARAMS.contains(&name) } else { !CSV_PARAMS.contains(&name) }
}

/// Declares `read` for a parameter struct: each field from the parameter of the same name,
/// through the reader method that gives its type.
macro_rules! reads {
    ($name:ident { $($field:ident: $method:ident),+ $(,)? }) => {
        impl $name {
            /// Reads the struct from `node`.
            ///
            /// # Errors
            /// A parameter the node's kind lacks, or of the wrong type.
            pub fn read(node: &Node) -> Result<Self, ParamError> {
                let reader = Reader { node };
                Ok(Self { $($field: reader.$method(stringify!($field))?),+ })
            }
        }
    };
}

reads!(DatasetParams {
    kind: choice,
    classes: count,
    samples: count,
    noise: float,
    seed: seed,
    file: file,
    target: text,
    task: choice,
    features: columns,
});
reads!(DataSplitParams { validation_ratio: float, seed: seed });
reads!(BatchSamplerParams { batch_size: count, shuffle: flag, seed: seed, drop_last: flag });
reads!(NetworkParams { layers: layers });
reads!(CrossEntropyParams { reduction: choice, label_smoothing: float, ignore_index: int, weight: floats });
reads!(RegressionLossParams { reduction: choice });
reads!(SgdParams { learning_rate: float, momentum: float, weight_decay: float, nesterov: flag });
reads!(AdamParams { learning_rate: float, beta1: float, beta2: float, epsilon: float, weight_decay: float });
reads!(StepLrParams { step_size: count, gamma: float });
reads!(CosineAnnealingParams { t_max: count, eta_min: float });
reads!(LinearLrParams { start_factor: float, end_factor: float, total_iters: count });
reads!(SequentialLrParams { milestone: count });
reads!(PlateauParams {
    mode: choice,
    factor: float,
    patience: count,
    threshold: float,
    threshold_mode: choice,
    cooldown: count,
    min_lr: float,
});
reads!(TrainingStepParams { gradient_clip: float, accumulation_steps: count, mixed_precision: flag });
reads!(EpochTrackerParams {
    total_epochs: count,
    log_interval: count,
    save_interval: count,
    patience: count,
    min_delta: float,
    monitor: choice,
});
reads!(RunEpochParams { training: flag });
reads!(AccuracyMetricParams { top_k: count });
reads!(ClassificationMetricsParams { average: choice, positive_class: count, roc_auc: flag });

impl CombineLossParams {
    /// Reads the struct from `node`.
    ///
    /// # Errors
    /// A parameter the node's kind lacks, or of the wrong type.
    pub fn read(node: &Node) -> Result<Self, ParamError> {
        let reader = Reader { node };
        Ok(Self {
            weights: [reader.float("weight_1")?, reader.float("weight_2")?, reader.float("weight_3")?],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::catalogue::{ParamDefault, ParamKind, ParamSpec};
    use crate::core::model::graph::{Graph, Pos};

    /// A valid value of `spec` other than its default.
    fn another_value(spec: &ParamSpec) -> ParamValue {
        let default = spec.default.value();
        match (&spec.kind, &spec.default) {
            (ParamKind::Float { min, max }, ParamDefault::Float(value)) => {
                ParamValue::Float(if value == max { *min } else { *max })
            }
            (ParamKind::Int { min, max }, ParamDefault::Int(value)) => {
                ParamValue::Int(if value == max { *min } else { *max })
            }
            (ParamKind::Bool, ParamDefault::Bool(value)) => ParamValue::Bool(!value),
            (ParamKind::Choice(names), _) => {
                let other = names.iter().find(|name| ParamValue::Text((**name).to_owned()) != default);
                ParamValue::Text(other.map_or_else(String::new, |name| (*name).to_owned()))
            }
            (ParamKind::FloatList { min, .. }, _) => ParamValue::Floats(vec![*min, *min]),
            (ParamKind::Layers, _) => ParamValue::Layers(vec![LayerSpec::Tanh]),
            (ParamKind::File, _) => ParamValue::Text(
                crate::core::model::file_ref::FileRef::of("mine.csv", b"x,y\n1,2\n").to_param(),
            ),
            (ParamKind::Column, _) => ParamValue::Text("y".to_owned()),
            (ParamKind::Columns, _) => ParamValue::Text("x1, x2".to_owned()),
            (kind, default) => panic!("{}: a {kind:?} parameter with default {default:?}", spec.name),
        }
    }

    /// Every parameter the catalogue offers is read into its kind's struct: changing any one
    /// of them changes what the struct holds. A parameter nothing reads fails here.
    #[test]
    fn every_parameter_of_every_kind_is_read_through_its_struct() {
        for kind in NodeKind::ALL {
            let mut graph = Graph::new();
            let id = graph.add_node(kind, Pos { x: 0.0, y: 0.0 });
            let defaults = NodeParams::read(graph.node(id).unwrap())
                .unwrap_or_else(|error| panic!("{kind} with its defaults: {error}"));
            for spec in kind.spec().params {
                let mut changed = graph.clone();
                let value = another_value(spec);
                changed.set_param(id, spec.name, value.clone()).unwrap_or_else(|e| panic!("{e}"));
                let read = NodeParams::read(changed.node(id).unwrap()).unwrap();
                assert_ne!(read, defaults, "{kind}.{} = {value} is not read into its struct", spec.name);
            }
        }
    }

    #[test]
    fn a_mistyped_value_is_an_error_naming_the_parameter_not_a_default() {
        let mut graph = Graph::new();
        let id = graph.add_node(NodeKind::SgdOptimizer, Pos { x: 0.0, y: 0.0 });
        let mut node = graph.node(id).unwrap().clone();
        node.params.insert("momentum".to_owned(), ParamValue::Text("fast".to_owned()));
        let error = SgdParams::read(&node).unwrap_err();
        assert!(matches!(error, ParamError::Mistyped { param: "momentum", .. }), "{error}");
        // A struct read from a node of another kind names what that kind lacks.
        let error = AdamParams::read(&node).unwrap_err();
        assert!(matches!(error, ParamError::Unknown { param: "beta1", .. }), "{error}");
    }
}
