//! Classification metrics, as the AccuracyMetric node reports them: top-k accuracy in percent
//! (0–100) and the accuracy of each class.

use burn::tensor::{Int, Tensor};

/// 1 for each sample whose target is among its `k` highest logits, else 0. A sample's rank
/// is the number of classes that score strictly higher than its target.
///
/// # Shapes
/// `logits [batch, classes]`, `targets [batch]` → `[batch]`.
pub fn top_k_hits(logits: Tensor<2>, targets: Tensor<1, Int>, k: usize) -> Tensor<1> {
    let [batch, classes] = logits.dims();
    let target_scores = logits.clone().gather(1, targets.reshape([batch, 1])); // [batch, 1]
    let higher = logits.greater(target_scores.expand([batch, classes])).int().sum_dim(1); // [batch, 1]
    higher.lower_elem(k as i64).float().reshape([batch])
}

/// Top-k accuracy and per-class accuracy of a batch.
#[derive(Clone, Debug, PartialEq)]
pub struct Accuracy {
    /// Percent (0–100) of the samples with their target in the top k.
    pub percent: f64,
    /// For each class, the percent of its samples with their target in the top k; `None`
    /// for a class with no sample.
    pub per_class_percent: Vec<Option<f64>>,
}

impl Accuracy {
    /// Summarises `hits` (from [`top_k_hits`]) against the samples' `targets`.
    pub fn from_hits(hits: &[f32], targets: &[i64], classes: usize) -> Self {
        let mut per_class = vec![(0usize, 0usize); classes];
        for (&hit, &target) in hits.iter().zip(targets) {
            if let Some(class) = usize::try_from(target).ok().and_then(|t| per_class.get_mut(t)) {
                class.0 += usize::from(hit > 0.5);
                class.1 += 1;
            }
        }
        let correct: f32 = hits.iter().sum();
        let percent = |correct: f64, total: usize| 100.0 * correct / total as f64;
        Self {
            percent: if hits.is_empty() { 0.0 } else { percent(f64::from(correct), hits.len()) },
            per_class_percent: per_class
                .into_iter()
                .map(|(correct, total)| (total > 0).then(|| percent(correct as f64, total)))
                .collect(),
        }
    }
}
