//! The data kinds: Dataset, DataSplit, BatchSampler and GetBatch.

use crate::core::model::choices::{CsvTask, DatasetKind};
use crate::core::model::file_ref::FileRef;
use crate::core::model::graph::Graph;

use super::NodeKind;

use super::node_spec::{Category, NodeSpec};
use super::param_fields::{ParamValues, kind_params};
use super::param_spec::{boolean, choice, column, columns, file, float, int};
use super::port_spec::{PortType, input, optional_input, output};

kind_params! {
    /// Dataset's parameters.
    pub struct DatasetParams in DATASET_PARAMS {
        kind: DatasetKind = choice(DatasetKind::NAMES, DatasetKind::Spiral.name()),
        classes: usize = int(2..=10, 2),
        samples: usize = int(8..=20_000, 1000),
        noise: f64 = float(0.0..=0.5, 0.0),
        seed: u64 = int(0..=u32::MAX as i64, 1),
        /// A CSV dataset's file (`None`: none picked yet).
        file: Option<FileRef> = file(),
        /// A CSV dataset's target column (empty: none picked yet).
        target: String = column(),
        task: CsvTask = choice(CsvTask::NAMES, CsvTask::Classification.name()),
        /// A CSV dataset's feature columns; empty: every column but the target.
        features: Vec<String> = columns(),
        /// The shapes' images: rows and columns.
        image_size: usize = int(8..=28, 16),
        /// The shapes' largest move from the centre, a fraction of the image's side.
        translate: f64 = float(0.0..=0.5, 0.2),
        /// The shapes' largest relative change of size.
        scale: f64 = float(0.0..=0.5, 0.2),
        /// The shapes' largest turn either way, in degrees.
        degrees: f64 = float(0.0..=180.0, 15.0),
    }
}

impl DatasetParams {
    /// The CSV files `graph`'s Dataset nodes train on.
    pub fn files_named_by(graph: &Graph) -> Vec<FileRef> {
        graph
            .nodes_of(NodeKind::Dataset)
            .filter_map(|node| DatasetParams::read(node).ok())
            .filter(|params| params.kind == DatasetKind::Csv)
            .filter_map(|params| params.file)
            .collect()
    }
}

pub(super) static DATASET: NodeSpec = NodeSpec {
    name: "Dataset",
    category: Category::Data,
    inputs: &[],
    outputs: &[output("dataset", PortType::Dataset)],
    params: &DATASET_PARAMS,
};

/// The parameters of a Dataset that only its CSV kind reads.
pub const CSV_PARAMS: [&str; 4] = ["file", "target", "task", "features"];
/// The parameters of a Dataset that only its generated (and shipped) kinds read.
pub const GENERATED_PARAMS: [&str; 3] = ["classes", "samples", "noise"];
/// The parameters of a Dataset that only its shapes kind reads.
pub const SHAPES_PARAMS: [&str; 4] = ["image_size", "translate", "scale", "degrees"];

/// Whether parameter `name` means anything to `node` as its other parameters stand: a
/// Dataset's CSV settings only for kind csv, the generated sets' classes, samples and
/// noise only for the others, and the shapes' drawing only for kind shapes. The inspector
/// and the node show only these.
pub fn param_applies(node: &(impl ParamValues + ?Sized), name: &str) -> bool {
    if node.kind() != super::NodeKind::Dataset {
        return true;
    }
    let kind = node.param("kind").and_then(|kind| kind.as_text().map(str::to_owned));
    let is = |dataset: DatasetKind| kind.as_deref() == Some(dataset.name());
    if SHAPES_PARAMS.contains(&name) {
        return is(DatasetKind::Shapes);
    }
    if is(DatasetKind::Csv) { !GENERATED_PARAMS.contains(&name) } else { !CSV_PARAMS.contains(&name) }
}

kind_params! {
    /// DataSplit's parameters.
    pub struct DataSplitParams in DATA_SPLIT_PARAMS {
        validation_ratio: f64 = float(0.01..=0.9, 0.2).labelled("held out"),
        seed: u64 = int(0..=u32::MAX as i64, 0),
    }
}

pub(super) static DATA_SPLIT: NodeSpec = NodeSpec {
    name: "DataSplit",
    category: Category::Data,
    inputs: &[input("dataset", PortType::Dataset)],
    outputs: &[output("train", PortType::Dataset), output("validation", PortType::Dataset)],
    params: &DATA_SPLIT_PARAMS,
};

kind_params! {
    /// BatchSampler's parameters.
    pub struct BatchSamplerParams in BATCH_SAMPLER_PARAMS {
        batch_size: usize = int(1..=4096, 32).labelled("batch"),
        shuffle: bool = boolean(true),
        seed: u64 = int(0..=u32::MAX as i64, 0),
        drop_last: bool = boolean(false),
    }
}

pub(super) static BATCH_SAMPLER: NodeSpec = NodeSpec {
    name: "BatchSampler",
    category: Category::Data,
    inputs: &[input("dataset", PortType::Dataset)],
    outputs: &[output("sampler", PortType::Sampler)],
    params: &BATCH_SAMPLER_PARAMS,
};

kind_params! {
    /// GetBatch has no parameters.
    pub struct GetBatchParams in GET_BATCH_PARAMS {}
}

pub(super) static GET_BATCH: NodeSpec = NodeSpec {
    name: "GetBatch",
    category: Category::Data,
    inputs: &[input("sampler", PortType::Sampler), optional_input("next", PortType::Trigger)],
    outputs: &[output("inputs", PortType::Tensor), output("targets", PortType::Tensor)],
    params: &GET_BATCH_PARAMS,
};
