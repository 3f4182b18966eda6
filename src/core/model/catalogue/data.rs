//! The data kinds: Dataset, DataSplit, BatchSampler and GetBatch.

use crate::core::model::choices::{CsvTask, DatasetKind};
use crate::core::model::file_ref::FileRef;
use crate::core::model::graph::Graph;

use super::NodeKind;

use super::node_spec::{Category, NodeSpec};
use super::param_fields::{ParamValues, kind_params};
use super::param_spec::{boolean, choice, column, columns, file, float, int};
use super::port_spec::{FROM_DATASET, FROM_SAMPLER, PortType, input, optional_input, output};

kind_params! {
    /// Dataset's parameters.
    pub struct DatasetParams in DATASET_PARAMS {
        kind: DatasetKind = choice(DatasetKind::NAMES, DatasetKind::Spiral.name(), "Which dataset"),
        classes: usize = int(
            2..=10,
            2,
            "Number of classes (circle and xor have 2, digits 10; regression sets none)",
        ),
        samples: usize = int(8..=20_000, 1000, "Number of samples (digits has 1797)"),
        noise: f64 = float(0.0..=0.5, 0.0, "Uniform jitter added to each input value"),
        seed: u64 = int(0..=u32::MAX as i64, 1, "Seed of the data and noise, and of the weight initialisation"),
        /// A CSV dataset's file (`None`: none picked yet).
        file: Option<FileRef> = file(
            "csv: the file to train on; it stays in this browser, a link carries its name, size and hash",
        ),
        /// A CSV dataset's target column (empty: none picked yet).
        target: String = column("csv: the column to predict"),
        task: CsvTask = choice(
            CsvTask::NAMES,
            CsvTask::Classification.name(),
            "csv: classification (the target's values are classes) or regression (a number to fit)",
        ),
        /// A CSV dataset's feature columns; empty: every column but the target.
        features: Vec<String> = columns(
            "csv: the columns to learn from, numbers (standardised); empty: every column but the target",
        ),
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
    help: "TensorFlow Playground's 2-D sets (classification: spiral, circle, xor, gauss; \
           regression: plane, gaussian) in about [-1, 1]², 8×8 handwritten digits, or a CSV file of \
           your own (csv).",
    inputs: &[],
    outputs: &[output("dataset", PortType::Dataset, "All samples: inputs and targets")],
    params: &DATASET_PARAMS,
};

/// The parameters of a Dataset that only its CSV kind reads.
pub const CSV_PARAMS: [&str; 4] = ["file", "target", "task", "features"];
/// The parameters of a Dataset that only its generated (and shipped) kinds read.
pub const GENERATED_PARAMS: [&str; 3] = ["classes", "samples", "noise"];

/// Whether parameter `name` means anything to `node` as its other parameters stand: a
/// Dataset's CSV settings only for kind csv, and the generated sets' classes, samples and
/// noise only for the others. The inspector and the node show only these.
pub fn param_applies(node: &(impl ParamValues + ?Sized), name: &str) -> bool {
    if node.kind() != super::NodeKind::Dataset {
        return true;
    }
    let csv = node.param("kind").and_then(|kind| kind.as_text().map(|kind| kind == DatasetKind::Csv.name()));
    if csv == Some(true) { !GENERATED_PARAMS.contains(&name) } else { !CSV_PARAMS.contains(&name) }
}

kind_params! {
    /// DataSplit's parameters.
    pub struct DataSplitParams in DATA_SPLIT_PARAMS {
        validation_ratio: f64 = float(0.01..=0.9, 0.2, "Share of the samples held out for validation")
            .labelled("held out"),
        seed: u64 = int(0..=u32::MAX as i64, 0, "Seed of the random split"),
    }
}

pub(super) static DATA_SPLIT: NodeSpec = NodeSpec {
    name: "DataSplit",
    category: Category::Data,
    help: "Splits a dataset at random into a training set and a held-out validation set.",
    inputs: &[input("dataset", PortType::Dataset, "The dataset to split", FROM_DATASET)],
    outputs: &[
        output("train", PortType::Dataset, "The samples to train on"),
        output("validation", PortType::Dataset, "The held-out samples, for RunEpoch with training off"),
    ],
    params: &DATA_SPLIT_PARAMS,
};

kind_params! {
    /// BatchSampler's parameters.
    pub struct BatchSamplerParams in BATCH_SAMPLER_PARAMS {
        batch_size: usize = int(1..=4096, 32, "Samples per batch").labelled("batch"),
        shuffle: bool = boolean(true, "Shuffle the samples at the start of every epoch"),
        seed: u64 = int(0..=u32::MAX as i64, 0, "Seed of the shuffle order"),
        drop_last: bool = boolean(false, "Skip the last batch of an epoch when it is smaller than batch_size"),
    }
}

pub(super) static BATCH_SAMPLER: NodeSpec = NodeSpec {
    name: "BatchSampler",
    category: Category::Data,
    help: "Cuts a dataset into batches, in a fresh shuffled order every epoch.",
    inputs: &[input("dataset", PortType::Dataset, "The dataset to sample from", FROM_DATASET)],
    outputs: &[output("sampler", PortType::Sampler, "Batches of sample indices")],
    params: &BATCH_SAMPLER_PARAMS,
};

kind_params! {
    /// GetBatch has no parameters.
    pub struct GetBatchParams in GET_BATCH_PARAMS {}
}

pub(super) static GET_BATCH: NodeSpec = NodeSpec {
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
    params: &GET_BATCH_PARAMS,
};
