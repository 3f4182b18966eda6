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
    /// The samples predicted wrong, in the order of the samples: the first
    /// [`MOST_MISTAKES_KEPT`] (the counts hold how many there are in all).
    pub mistakes: Vec<Mistake>,
}

/// The most mistakes a [`Confusion`] lists.
pub const MOST_MISTAKES_KEPT: usize = 256;

/// A sample the model predicts wrong.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Mistake {
    /// Its index among the samples counted.
    pub sample: usize,
    pub label: usize,
    pub predicted: usize,
    /// Its input, flattened (a point, an image, a row's features as the network sees them).
    pub inputs: Vec<f32>,
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

    /// How many samples are predicted wrong: everything off the diagonal.
    pub fn wrong(&self) -> u32 {
        let right: u32 = (0..self.classes).map(|class| self.count(class, class)).sum();
        self.counts.iter().sum::<u32>() - right
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
        let confusion = Confusion {
            classes: 2,
            counts: vec![8, 2, 1, 9],
            samples: "validation".to_owned(),
            mistakes: Vec::new(),
        };
        assert_eq!(confusion.wrong(), 3);
        assert_eq!(confusion.total(0), 10);
        assert_eq!(confusion.class_accuracy(0), Some(0.8));
        assert_eq!(confusion.class_accuracy(1), Some(0.9));
        assert!((confusion.accuracy() - 0.85).abs() < 1e-12);
    }
}
