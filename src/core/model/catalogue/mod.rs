//! The node catalogue: every kind of node a graph may hold, with its typed ports and its
//! parameters — each kind's schema (type, default, valid range) and the struct code reads
//! and writes them through. Their words (each kind's, parameter's and port's help) are in
//! `text/en/catalogue.ftl`, by the kind's name ([`NodeSpec::help`] and its neighbours).
//!
//! The catalogue is static data. The graph stores only a node's kind and its parameter
//! values; everything else about a node is looked up here, so the editor, the validator and
//! the compiler all read one source of truth.
//!
//! A kind is declared once: a line in `node_kinds!`'s table below (its place in links, its
//! catalogue entry, its parameter struct), and its entry and parameters together in the file
//! of its family (`data`, `network`, `losses`, `optimizers`, `schedulers`, `training`,
//! `metrics`), where `kind_params!` declares each parameter's field and schema
//! in one line; its words are messages of `text/en/catalogue.ftl`.

mod data;
mod losses;
mod metrics;
mod network;
mod node_spec;
mod optimizers;
mod param_fields;
mod param_spec;
mod port_spec;
mod schedulers;
mod training;

pub use data::{
    BatchSamplerParams, CSV_PARAMS, DataSplitParams, DatasetParams, GENERATED_PARAMS, GetBatchParams,
    SHAPES_PARAMS, param_applies,
};
pub use losses::{CombineLossParams, CrossEntropyParams, RegressionLossParams};
pub use metrics::{AccuracyMetricParams, ClassificationMetricsParams};
pub use network::NetworkParams;
pub use node_spec::{Category, NodeSpec};
pub use optimizers::{AdamParams, SgdParams};
pub use param_fields::{KindParams, ParamError, ParamField, ParamValues, read_field};
pub(crate) use param_spec::same;
pub use param_spec::{MAX_ACTIVATION_SCALE, MAX_LAYER_WIDTH, ParamDefault, ParamKind, ParamSpec};
pub use port_spec::{PortSpec, PortType, RETIRED_PORTS, RetiredPort};
pub use schedulers::{
    CosineAnnealingParams, LinearLrParams, PlateauParams, SequentialLrParams, StepLrParams,
};
pub use training::{EpochTrackerParams, RunEpochParams, TrainingStepParams};

use crate::core::model::params::ParamValue;

/// Declares every kind from one table, in link order: the [`NodeKind`] enum (whose position
/// links store), its catalogue entry, and [`NodeParams`], a node's parameters by kind.
macro_rules! node_kinds {
    ($( $(#[$meta:meta])* $kind:ident => $spec:path, $params:ty; )+) => {
        /// The kinds of node. Serialised under their catalogue names (`"SGDOptimizer"`, …) in
        /// JSON, which are also what the UI shows and error messages cite. Links store a kind
        /// by its position here: **append new kinds at the end**, never reorder (see
        /// `core::document::link`).
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum NodeKind {
            $( $(#[$meta])* $kind, )+
        }

        impl NodeKind {
            /// Every kind, in the order links number them.
            pub const IN_LINK_ORDER: [NodeKind; <[&str]>::len(&[$(stringify!($kind)),+])] = [$(NodeKind::$kind),+];

            /// The catalogue entry for this kind (a `const fn`, so that names looked up in it
            /// are checked when Kindling itself compiles).
            pub const fn spec(self) -> &'static NodeSpec {
                match self {
                    $( NodeKind::$kind => &$spec, )+
                }
            }
        }

        /// A node's parameters, by kind, each as its kind's struct.
        #[derive(Clone, Debug, PartialEq)]
        pub enum NodeParams {
            $( $kind($params), )+
        }

        impl KindParams for NodeParams {
            fn read(node: &(impl ParamValues + ?Sized)) -> Result<Self, ParamError> {
                NodeParams::read(node)
            }

            fn values(&self) -> Vec<(&'static str, ParamValue)> {
                match self {
                    $( NodeParams::$kind(params) => params.values(), )+
                }
            }
        }

        impl NodeParams {
            /// Every parameter of `node`, as its kind's struct.
            ///
            /// # Errors
            /// A parameter of the wrong type (a graph that skipped validation).
            pub fn read(node: &(impl ParamValues + ?Sized)) -> Result<Self, ParamError> {
                Ok(match node.kind() {
                    $( NodeKind::$kind => NodeParams::$kind(<$params>::read(node)?), )+
                })
            }

            /// The kind these parameters are of.
            pub fn kind(&self) -> NodeKind {
                match self {
                    $( NodeParams::$kind(_) => NodeKind::$kind, )+
                }
            }
        }
    };
}

node_kinds! {
    Dataset => data::DATASET, DatasetParams;
    DataSplit => data::DATA_SPLIT, DataSplitParams;
    BatchSampler => data::BATCH_SAMPLER, BatchSamplerParams;
    GetBatch => data::GET_BATCH, GetBatchParams;
    Network => network::NETWORK, NetworkParams;
    CrossEntropyLoss => losses::CROSS_ENTROPY_LOSS, CrossEntropyParams;
    MseLoss => losses::MSE_LOSS, RegressionLossParams;
    L1Loss => losses::L1_LOSS, RegressionLossParams;
    CombineLoss => losses::COMBINE_LOSS, CombineLossParams;
    SgdOptimizer => optimizers::SGD_OPTIMIZER, SgdParams;
    AdamOptimizer => optimizers::ADAM_OPTIMIZER, AdamParams;
    AdamWOptimizer => optimizers::ADAMW_OPTIMIZER, AdamParams;
    StepLr => schedulers::STEP_LR, StepLrParams;
    CosineAnnealingLr => schedulers::COSINE_ANNEALING_LR, CosineAnnealingParams;
    ReduceLrOnPlateau => schedulers::REDUCE_LR_ON_PLATEAU, PlateauParams;
    TrainingStep => training::TRAINING_STEP, TrainingStepParams;
    EpochTracker => training::EPOCH_TRACKER, EpochTrackerParams;
    RunEpoch => training::RUN_EPOCH, RunEpochParams;
    AccuracyMetric => metrics::ACCURACY_METRIC, AccuracyMetricParams;
    LinearLr => schedulers::LINEAR_LR, LinearLrParams;
    SequentialLr => schedulers::SEQUENTIAL_LR, SequentialLrParams;
    ClassificationMetrics => metrics::CLASSIFICATION_METRICS, ClassificationMetricsParams;
}

/// How many kinds there are.
const KINDS: usize = NodeKind::IN_LINK_ORDER.len();

impl NodeKind {
    /// Every kind, in palette order: by [`Category`], and within one in link order.
    pub const ALL: [NodeKind; KINDS] = {
        let mut all = NodeKind::IN_LINK_ORDER;
        let mut next = 0;
        let mut category = 0;
        while category < Category::ALL.len() {
            let mut at = 0;
            while at < KINDS {
                let kind = NodeKind::IN_LINK_ORDER[at];
                if kind.spec().category as u8 == Category::ALL[category] as u8 {
                    all[next] = kind;
                    next += 1;
                }
                at += 1;
            }
            category += 1;
        }
        assert!(next == KINDS, "a kind's category is missing from Category::ALL");
        all
    };

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

    /// The catalogue name, e.g. `SGDOptimizer`.
    pub const fn name(self) -> &'static str {
        self.spec().name
    }

    /// The kind whose catalogue name is `name`.
    pub fn from_name(name: &str) -> Option<NodeKind> {
        NodeKind::IN_LINK_ORDER.into_iter().find(|kind| kind.name() == name)
    }
}

impl std::fmt::Display for NodeKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The catalogue names, in link order: what a reader of a misnamed kind says it expected.
const NAMES: [&str; KINDS] = {
    let mut names = [""; KINDS];
    let mut at = 0;
    while at < KINDS {
        names[at] = NodeKind::IN_LINK_ORDER[at].name();
        at += 1;
    }
    names
};

/// A kind is written as serde's unit variant: by its catalogue name where names are written
/// (JSON), by its position in link order where numbers are (postcard, in links) — what
/// `#[derive(Serialize)]` would write, with the name taken from the catalogue entry.
impl serde::Serialize for NodeKind {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_unit_variant("NodeKind", *self as u32, self.name())
    }
}

impl<'de> serde::Deserialize<'de> for NodeKind {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_enum("NodeKind", &NAMES, KindVisitor)
    }
}

/// Reads a [`NodeKind`] written as a unit variant.
struct KindVisitor;

impl<'de> serde::de::Visitor<'de> for KindVisitor {
    type Value = NodeKind;

    fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
        formatter.write_str("a kind of node")
    }

    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<NodeKind, A::Error> {
        let (KindTag(kind), variant) = data.variant()?;
        serde::de::VariantAccess::unit_variant(variant)?;
        Ok(kind)
    }
}

/// A kind's tag: its name, or its position in link order.
struct KindTag(NodeKind);

impl<'de> serde::Deserialize<'de> for KindTag {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_identifier(TagVisitor).map(KindTag)
    }
}

struct TagVisitor;

impl serde::de::Visitor<'_> for TagVisitor {
    type Value = NodeKind;

    fn expecting(&self, formatter: &mut std::fmt::Formatter) -> std::fmt::Result {
        formatter.write_str("a kind of node's name or number")
    }

    fn visit_u64<E: serde::de::Error>(self, index: u64) -> Result<NodeKind, E> {
        usize::try_from(index).ok().and_then(|index| NodeKind::IN_LINK_ORDER.get(index).copied()).ok_or_else(
            || E::invalid_value(serde::de::Unexpected::Unsigned(index), &"a kind of node's number"),
        )
    }

    fn visit_str<E: serde::de::Error>(self, name: &str) -> Result<NodeKind, E> {
        NodeKind::from_name(name).ok_or_else(|| E::unknown_variant(name, &NAMES))
    }

    fn visit_bytes<E: serde::de::Error>(self, bytes: &[u8]) -> Result<NodeKind, E> {
        match std::str::from_utf8(bytes) {
            Ok(name) => self.visit_str(name),
            Err(_) => Err(E::invalid_value(serde::de::Unexpected::Bytes(bytes), &self)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::graph::{Graph, Pos};
    use crate::core::model::params::LayerSpec;

    #[test]
    fn a_datasets_shapes_settings_apply_to_kind_shapes_alone() {
        let mut graph = Graph::new();
        let dataset = graph.add_node(NodeKind::Dataset, Pos { x: 0.0, y: 0.0 });
        let applying = |graph: &Graph| -> Vec<&str> {
            let node = graph.node(dataset).unwrap();
            NodeKind::Dataset
                .spec()
                .params
                .iter()
                .map(|param| param.name)
                .filter(|name| param_applies(node, name))
                .collect()
        };
        for name in SHAPES_PARAMS {
            assert!(!applying(&graph).contains(&name), "{name} on a spiral");
        }
        graph.set_param(dataset, "kind", ParamValue::Text("shapes".into())).unwrap();
        let shapes = applying(&graph);
        for name in SHAPES_PARAMS.iter().chain(&GENERATED_PARAMS) {
            assert!(shapes.contains(name), "{name} on shapes: {shapes:?}");
        }
        assert!(CSV_PARAMS.iter().all(|name| !shapes.contains(name)));
        graph.set_param(dataset, "kind", ParamValue::Text("csv".into())).unwrap();
        assert!(SHAPES_PARAMS.iter().all(|name| !applying(&graph).contains(name)));
    }

    #[test]
    fn every_default_passes_its_own_check() {
        for kind in NodeKind::ALL {
            for param in kind.spec().params {
                assert_eq!(param.check(&param.default.value()), Ok(()), "{kind}.{}", param.name);
            }
        }
    }

    #[test]
    fn a_kind_is_written_by_name_in_json_and_by_its_link_position_in_postcard() {
        for (position, kind) in NodeKind::IN_LINK_ORDER.into_iter().enumerate() {
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.name()));
            assert_eq!(serde_json::from_str::<NodeKind>(&json).unwrap(), kind);
            let bytes = postcard::to_allocvec(&kind).unwrap();
            assert_eq!(bytes, [u8::try_from(position).unwrap()], "{kind}");
            assert_eq!(postcard::from_bytes::<NodeKind>(&bytes).unwrap(), kind);
        }
        let names: std::collections::BTreeSet<_> = NodeKind::ALL.iter().map(|kind| kind.name()).collect();
        assert_eq!(names.len(), NodeKind::ALL.len());
        let unknown = serde_json::from_str::<NodeKind>("\"SGD\"").unwrap_err().to_string();
        assert!(unknown.contains("SGD") && unknown.contains("SGDOptimizer"), "{unknown}");
        assert!(postcard::from_bytes::<NodeKind>(&[u8::try_from(KINDS).unwrap()]).is_err());
    }

    #[test]
    fn the_palette_holds_every_kind_once_grouped_by_category() {
        let palette: std::collections::BTreeSet<_> = NodeKind::ALL.into_iter().collect();
        assert_eq!(palette.len(), KINDS);
        let categories: Vec<usize> = NodeKind::ALL
            .iter()
            .map(|kind| Category::ALL.iter().position(|category| *category == kind.spec().category).unwrap())
            .collect();
        assert!(categories.is_sorted(), "{categories:?}");
        assert_eq!(NodeKind::ALL[0], NodeKind::Dataset);
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
        // Every message of the catalogue is checked in tests/page_text.rs; here, that the
        // entry finds its words.
        let split = NodeKind::DataSplit.spec();
        assert_eq!(split.fed_by("dataset"), "a Dataset's `dataset` output");
        assert_eq!(split.input_help("dataset"), "The dataset to split");
        assert_eq!(split.output_help("train"), "The samples to train on");
        assert!(split.help().starts_with("Splits a dataset"));
    }

    #[test]
    fn adamw_shares_adams_parameters_but_not_its_weight_decay() {
        let adam = NodeKind::AdamOptimizer.spec();
        let adamw = NodeKind::AdamWOptimizer.spec();
        let names = |spec: &NodeSpec| spec.params.iter().map(|param| param.name).collect::<Vec<_>>();
        assert_eq!(names(adam), names(adamw));
        let decay = |spec: &NodeSpec| spec.param("weight_decay").unwrap().default.value();
        assert_eq!((decay(adam), decay(adamw)), (ParamValue::Float(0.0), ParamValue::Float(0.01)));
        assert!(adamw.param_help("weight_decay").contains("Decoupled"));
        assert_eq!(adam.param_help("weight_decay"), "L2 penalty added to the gradient");
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
        use crate::core::model::params::{Conv2dSpec, Pool2dSpec};
        assert_eq!(check(LayerSpec::Conv2d(Conv2dSpec::new(8, 3))), Ok(()));
        let conv = |change: fn(&mut Conv2dSpec)| {
            let mut conv = Conv2dSpec::new(8, 3);
            change(&mut conv);
            check(LayerSpec::Conv2d(conv))
        };
        assert!(conv(|conv| conv.out_channels = 0).unwrap_err().contains("out_channels 0"));
        assert!(conv(|conv| conv.kernel_size = 0).unwrap_err().contains("kernel_size"));
        assert!(conv(|conv| conv.stride = 0).unwrap_err().contains("stride"));
        assert!(conv(|conv| conv.dilation = 1000).unwrap_err().contains("dilation"));
        assert!(conv(|conv| conv.groups = 0).unwrap_err().contains("groups"));
        assert_eq!(conv(|conv| conv.padding = 0), Ok(()));
        assert!(
            check(LayerSpec::MaxPool2d(Pool2dSpec::new(0))).unwrap_err().contains("MaxPool2d kernel_size")
        );
        assert!(
            check(LayerSpec::AvgPool2d(Pool2dSpec { kernel_size: 2, stride: 0, padding: 0 }))
                .unwrap_err()
                .contains("AvgPool2d stride")
        );
        assert_eq!(check(LayerSpec::MaxPool2d(Pool2dSpec::new(2))), Ok(()));
        assert!(check(LayerSpec::Dropout2d { p: 1.0 }).unwrap_err().contains("Dropout2d"));
        assert!(check(LayerSpec::BatchNorm2d { momentum: -0.1 }).unwrap_err().contains("BatchNorm2d"));
    }

    #[test]
    fn out_of_range_and_non_finite_values_are_refused_with_a_reason() {
        let lr = NodeKind::SgdOptimizer.spec().param("learning_rate").unwrap();
        assert!(lr.check(&ParamValue::Float(-1.0)).unwrap_err().contains("outside"));
        assert!(lr.check(&ParamValue::Float(f64::NAN)).unwrap_err().contains("finite"));
        assert!(lr.check(&ParamValue::Text("fast".into())).unwrap_err().contains("number"));
    }

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

    /// Every parameter the catalogue offers is a field of its kind's struct, read and written
    /// back as it was: changing any one of them changes the struct, and the struct's values
    /// are the node's, in the catalogue's order. A parameter nothing reads fails here.
    #[test]
    fn every_parameter_of_every_kind_is_read_and_written_through_its_struct() {
        for kind in NodeKind::ALL {
            let mut graph = Graph::new();
            let id = graph.add_node(kind, Pos { x: 0.0, y: 0.0 });
            let defaults = NodeParams::read(graph.node(id).unwrap())
                .unwrap_or_else(|error| panic!("{kind} with its defaults: {error}"));
            assert_eq!(defaults.kind(), kind);
            let specs = kind.spec().params;
            let expected: Vec<_> = specs.iter().map(|spec| (spec.name, spec.default.value())).collect();
            assert_eq!(defaults.values(), expected, "{kind}'s defaults, written back");
            for spec in specs {
                let mut changed = graph.clone();
                let value = another_value(spec);
                changed.set_param(id, spec.name, value.clone()).unwrap_or_else(|e| panic!("{e}"));
                let read = NodeParams::read(changed.node(id).unwrap()).unwrap();
                assert_ne!(read, defaults, "{kind}.{} = {value} is not read into its struct", spec.name);
                let written = read.values().into_iter().find(|(name, _)| *name == spec.name);
                assert_eq!(written, Some((spec.name, value)), "{kind}.{} is not written back", spec.name);
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
