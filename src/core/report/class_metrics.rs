//! The classification metrics the ClassificationMetrics node charts per epoch, as
//! scikit-learn computes them (checked against its own numbers in `tests/golden.rs`):
//! precision, recall and F1 (`precision_recall_fscore_support` over every class, averaged
//! binary, macro, micro or weighted, `zero_division=0`) and ROC-AUC (`roc_auc_score`: of the
//! positive class for binary, one-vs-rest macro otherwise). Plain arithmetic on scores read
//! back once per epoch.

use serde::{Deserialize, Serialize};

use crate::core::compile::plan::ClassMetricsPlan;
use crate::core::model::choices::Average;

/// One pass's metrics, each a fraction (0–1).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ClassMetrics {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    /// `None` when not asked for, or undefined: a class (binary: the positive or the
    /// negative one) without a sample.
    pub roc_auc: Option<f64>,
}

/// The metrics of `scores` (`[samples × classes]`, row-major; probabilities for the AUC's
/// one-vs-rest) against `targets` (class indices). A sample's prediction is its first class
/// of highest score. Targets out of range count for nothing.
pub fn class_metrics(
    scores: &[f64],
    classes: usize,
    targets: &[usize],
    plan: &ClassMetricsPlan,
) -> ClassMetrics {
    let classes = classes.max(1);
    let rows: Vec<&[f64]> = scores.chunks_exact(classes).take(targets.len()).collect();
    let mut counts = vec![Counts::default(); classes];
    for (row, &target) in rows.iter().zip(targets) {
        if target >= classes {
            continue;
        }
        let predicted = argmax(row);
        counts[target].support += 1;
        if predicted == target {
            counts[target].true_positives += 1;
        } else {
            counts[target].false_negatives += 1;
            counts[predicted].false_positives += 1;
        }
    }
    let (precision, recall, f1) = match plan.average {
        Average::Binary => {
            let counts = counts.get(plan.positive_class).copied().unwrap_or_default();
            (counts.precision(), counts.recall(), counts.f1())
        }
        Average::Micro => {
            let total = counts.iter().fold(Counts::default(), |sum, class| sum.plus(class));
            (total.precision(), total.recall(), total.f1())
        }
        Average::Macro | Average::Weighted => {
            let weights: Vec<f64> = match plan.average {
                Average::Weighted => counts.iter().map(|class| class.support as f64).collect(),
                _ => vec![1.0; classes],
            };
            let total: f64 = weights.iter().sum();
            let mean = |metric: fn(&Counts) -> f64| {
                if total == 0.0 {
                    return 0.0;
                }
                counts.iter().zip(&weights).map(|(class, weight)| metric(class) * weight).sum::<f64>() / total
            };
            (mean(Counts::precision), mean(Counts::recall), mean(Counts::f1))
        }
    };
    let roc_auc = plan.roc_auc.then(|| roc_auc(&rows, classes, targets, plan)).flatten();
    ClassMetrics { precision, recall, f1, roc_auc }
}

/// A class's confusion counts.
#[derive(Clone, Copy, Debug, Default)]
struct Counts {
    true_positives: usize,
    false_positives: usize,
    false_negatives: usize,
    support: usize,
}

impl Counts {
    fn plus(self, other: &Counts) -> Counts {
        Counts {
            true_positives: self.true_positives + other.true_positives,
            false_positives: self.false_positives + other.false_positives,
            false_negatives: self.false_negatives + other.false_negatives,
            support: self.support + other.support,
        }
    }

    /// `numerator / denominator`, 0 where the denominator is (scikit-learn's `zero_division=0`).
    fn ratio(numerator: usize, denominator: usize) -> f64 {
        if denominator == 0 { 0.0 } else { numerator as f64 / denominator as f64 }
    }

    fn precision(&self) -> f64 {
        Self::ratio(self.true_positives, self.true_positives + self.false_positives)
    }

    fn recall(&self) -> f64 {
        Self::ratio(self.true_positives, self.true_positives + self.false_negatives)
    }

    fn f1(&self) -> f64 {
        Self::ratio(
            2 * self.true_positives,
            2 * self.true_positives + self.false_positives + self.false_negatives,
        )
    }
}

/// The first index of the largest value (NaN never wins).
fn argmax(row: &[f64]) -> usize {
    let mut best = 0;
    for (index, &value) in row.iter().enumerate() {
        if value > row[best] || row[best].is_nan() {
            best = index;
        }
    }
    best
}

/// ROC-AUC: binary of the positive class's score; for two classes otherwise, class 1's
/// (one-vs-rest gives the same); else the mean of every class's one-vs-rest AUC. `None`
/// where a class that takes part has no sample, or every sample is of it.
fn roc_auc(rows: &[&[f64]], classes: usize, targets: &[usize], plan: &ClassMetricsPlan) -> Option<f64> {
    let one_vs_rest = |class: usize| {
        let scored: Vec<(f64, bool)> =
            rows.iter().zip(targets).map(|(row, &target)| (row[class], target == class)).collect();
        binary_auc(scored)
    };
    match (plan.average, classes) {
        (Average::Binary, _) => one_vs_rest(plan.positive_class),
        (_, 2) => one_vs_rest(1),
        _ => {
            let aucs: Option<Vec<f64>> = (0..classes).map(one_vs_rest).collect();
            aucs.map(|aucs| aucs.iter().sum::<f64>() / classes as f64)
        }
    }
}

/// The probability that a positive sample scores above a negative one, ties counting half
/// (the Mann–Whitney U statistic over the positives' midranks); `None` without positives
/// or without negatives.
fn binary_auc(mut scored: Vec<(f64, bool)>) -> Option<f64> {
    let positives = scored.iter().filter(|(_, positive)| *positive).count();
    let negatives = scored.len() - positives;
    if positives == 0 || negatives == 0 {
        return None;
    }
    scored.sort_by(|a, b| a.0.total_cmp(&b.0));
    let mut rank_sum = 0.0;
    let mut start = 0;
    while start < scored.len() {
        let end = start + scored[start..].iter().take_while(|(score, _)| *score == scored[start].0).count();
        // Ranks start + 1 ..= end share their mean.
        let midrank = (start + 1 + end) as f64 / 2.0;
        rank_sum += midrank * scored[start..end].iter().filter(|(_, positive)| *positive).count() as f64;
        start = end;
    }
    let positives = positives as f64;
    Some((rank_sum - positives * (positives + 1.0) / 2.0) / (positives * negatives as f64))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(average: Average) -> ClassMetricsPlan {
        ClassMetricsPlan { average, positive_class: 1, roc_auc: true }
    }

    #[test]
    fn a_perfect_classifier_scores_one_everywhere_and_a_constant_one_half_an_auc() {
        let scores = [0.9, 0.1, 0.2, 0.8, 0.7, 0.3, 0.4, 0.6];
        let targets = [0, 1, 0, 1];
        for average in Average::ALL {
            let metrics = class_metrics(&scores, 2, &targets, &plan(*average));
            assert_eq!(metrics, ClassMetrics { precision: 1.0, recall: 1.0, f1: 1.0, roc_auc: Some(1.0) });
        }
        let constant = [0.5; 8];
        assert_eq!(class_metrics(&constant, 2, &targets, &plan(Average::Binary)).roc_auc, Some(0.5));
    }

    #[test]
    fn micro_averages_equal_the_accuracy_and_an_absent_class_leaves_the_auc_undefined() {
        // Three classes, class 2 never a target: one sample in three predicted wrong.
        let scores = [0.8, 0.1, 0.1, 0.1, 0.8, 0.1, 0.2, 0.3, 0.5];
        let metrics = class_metrics(&scores, 3, &[0, 1, 1], &plan(Average::Micro));
        for value in [metrics.precision, metrics.recall, metrics.f1] {
            assert!((value - 2.0 / 3.0).abs() < 1e-12, "{metrics:?}");
        }
        assert_eq!(metrics.roc_auc, None);
    }
}
