//! The confusion matrix of a classifier: how often each class is predicted as each other,
//! and from it each class's accuracy (AccuracyMetric's per-class view).

use serde::{Deserialize, Serialize};

/// Counts of (true class, predicted class) over a set of samples.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Confusion {
    pub classes: usize,
    /// Row-major `[true class][predicted class]`.
    pub counts: Vec<u32>,
    /// Which samples: `"validation"` or `"training"`.
    pub samples: String,
}

impl Confusion {
    pub fn count(&self, truth: usize, predicted: usize) -> u32 {
        self.counts.get(truth * self.classes + predicted).copied().unwrap_or(0)
    }

    /// Samples of class `truth`.
    pub fn total(&self, truth: usize) -> u32 {
        (0..self.classes).map(|predicted| self.count(truth, predicted)).sum()
    }

    /// The share of class `truth`'s samples predicted as it; `None` without samples.
    pub fn class_accuracy(&self, truth: usize) -> Option<f64> {
        let total = self.total(truth);
        (total > 0).then(|| f64::from(self.count(truth, truth)) / f64::from(total))
    }

    /// The share of all samples predicted right.
    pub fn accuracy(&self) -> f64 {
        let total: u32 = self.counts.iter().sum();
        let right: u32 = (0..self.classes).map(|class| self.count(class, class)).sum();
        if total == 0 { 0.0 } else { f64::from(right) / f64::from(total) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accuracies_come_from_the_diagonal() {
        let confusion = Confusion { classes: 2, counts: vec![8, 2, 1, 9], samples: "validation".to_owned() };
        assert_eq!(confusion.total(0), 10);
        assert_eq!(confusion.class_accuracy(0), Some(0.8));
        assert_eq!(confusion.class_accuracy(1), Some(0.9));
        assert!((confusion.accuracy() - 0.85).abs() < 1e-12);
    }
}
