//! The data an exported program trains on, as Kindling generates it: the samples after the
//! DataSplit (`data.csv`), and the order in which each epoch visits the training samples
//! (`batch_order.csv`).

use std::fmt::Write;

use crate::core::compile::batch_order::BatchOrder;
use crate::core::compile::plan::TrainingPlan;
use crate::core::data::dataset::{Dataset, Targets};
use crate::core::engine::train::split;

/// At most this many sample indices go into `batch_order.csv` (about 20 MB of text): a long
/// run of a large dataset exports the order of its first epochs only.
pub const MAX_BATCH_ORDER_ENTRIES: usize = 4_000_000;

/// `data.csv`: a header (`split,x0,…,target`), then one sample per line: its split (`train`
/// or `validation`), its features flattened, its target (a class index or a value). Numbers
/// are written shortest-first, so they read back as the same float32.
pub fn data_csv(plan: &TrainingPlan) -> String {
    let data = plan.dataset.generate();
    let (train, validation) = split(&data, plan);
    let mut text = String::from("split");
    for feature in 0..data.features() {
        let _ = write!(text, ",x{feature}");
    }
    text.push_str(",target\n");
    write_rows(&mut text, "train", &train);
    if let Some(validation) = &validation {
        write_rows(&mut text, "validation", validation);
    }
    text
}

fn write_rows(text: &mut String, split: &str, data: &Dataset) {
    let features = data.features();
    for (index, sample) in data.inputs.chunks(features.max(1)).enumerate() {
        text.push_str(split);
        for value in sample {
            let _ = write!(text, ",{value}");
        }
        let _ = match &data.targets {
            Targets::Classes { labels, .. } => writeln!(text, ",{}", labels[index]),
            Targets::Values(values) => writeln!(text, ",{}", values[index]),
        };
    }
}

/// The training samples and how many epochs of their order `batch_order.csv` holds.
pub fn batch_order_size(plan: &TrainingPlan) -> (usize, usize) {
    let total = plan.dataset.sample_count();
    let samples = match plan.split {
        Some(split) => total - split.validation_samples(total),
        None => total,
    };
    (samples, plan.tracker.epochs.min((MAX_BATCH_ORDER_ENTRIES / samples.max(1)).max(1)))
}

/// `batch_order.csv`: one line per epoch, the training samples' indices (rows of `data.csv`'s
/// `train` part) in the order Kindling's BatchSampler visits them; and how many epochs it
/// holds (all of them, or as many as [`MAX_BATCH_ORDER_ENTRIES`] allows).
pub fn batch_order_csv(plan: &TrainingPlan) -> (String, usize) {
    let data = plan.dataset.generate();
    let (train, _) = split(&data, plan);
    let samples = train.len();
    let (_, epochs) = batch_order_size(plan);
    let mut order = BatchOrder::new(&plan.sampler, samples);
    let mut text = String::new();
    for _ in 0..epochs {
        let line: Vec<String> = order.next_epoch().iter().map(i64::to_string).collect();
        text.push_str(&line.join(","));
        text.push('\n');
    }
    (text, epochs)
}
