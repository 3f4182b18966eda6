//! EpochTracker's early stopping: stop when the monitored metric has not improved by more
//! than `min_delta` for `patience` epochs in a row (Keras' and Lightning's rule).

use serde::{Deserialize, Serialize};

use crate::core::compile::plan::EarlyStopping;

/// The state of early stopping over a run.
#[derive(Clone, Debug, PartialEq)]
pub struct EarlyStopper {
    rule: EarlyStopping,
    best: Option<f64>,
    epochs_without_improvement: usize,
}

/// Where early stopping stands, as checkpoints store it (its rule is the graph's).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EarlyStopProgress {
    pub best: Option<f64>,
    pub epochs_without_improvement: usize,
}

impl EarlyStopper {
    pub fn new(rule: EarlyStopping) -> Self {
        Self { rule, best: None, epochs_without_improvement: 0 }
    }

    pub fn progress(&self) -> EarlyStopProgress {
        EarlyStopProgress { best: self.best, epochs_without_improvement: self.epochs_without_improvement }
    }

    /// Early stopping by `rule` going on from `progress`.
    pub fn restore(rule: EarlyStopping, progress: &EarlyStopProgress) -> Self {
        Self {
            rule,
            best: progress.best.filter(|best| !best.is_nan()),
            epochs_without_improvement: progress.epochs_without_improvement,
        }
    }

    /// Records an epoch's value of the monitored metric; true when training should stop.
    pub fn should_stop(&mut self, value: f64) -> bool {
        let improved = match self.best {
            None => true,
            Some(best) if self.rule.monitor.lower_is_better() => value < best - self.rule.min_delta,
            Some(best) => value > best + self.rule.min_delta,
        };
        if improved {
            self.best = Some(value);
            self.epochs_without_improvement = 0;
        } else {
            self.epochs_without_improvement += 1;
        }
        self.epochs_without_improvement >= self.rule.patience
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::choices::Monitor;

    fn stops_at(monitor: Monitor, patience: usize, min_delta: f64, values: &[f64]) -> Option<usize> {
        let mut stopper = EarlyStopper::new(EarlyStopping { monitor, patience, min_delta });
        values.iter().position(|&value| stopper.should_stop(value)).map(|index| index + 1)
    }

    #[test]
    fn stops_after_patience_epochs_without_improvement() {
        let losses = [1.0, 0.8, 0.81, 0.79, 0.85, 0.9, 0.7];
        assert_eq!(stops_at(Monitor::TrainLoss, 2, 0.0, &losses), Some(6));
        assert_eq!(stops_at(Monitor::TrainLoss, 3, 0.0, &losses), None);
    }

    #[test]
    fn improvements_within_min_delta_do_not_count() {
        let losses = [1.0, 0.99, 0.98, 0.97];
        assert_eq!(stops_at(Monitor::ValLoss, 2, 0.05, &losses), Some(3));
        assert_eq!(stops_at(Monitor::ValLoss, 2, 0.0, &losses), None);
    }

    #[test]
    fn accuracy_must_rise() {
        let accuracies = [0.5, 0.6, 0.55, 0.58];
        assert_eq!(stops_at(Monitor::ValAccuracy, 2, 0.0, &accuracies), Some(4));
    }
}
