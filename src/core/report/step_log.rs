//! EpochTracker's step-level log, as its seed describes it ("maintains running averages",
//! "logs periodically"): every `log_interval` steps, the running average of the loss since
//! the last log — not the last batch's loss — and the global gradient norm of every update in
//! between (before clipping), which practitioners watch to tune clipping. Both are gathered
//! on the device and read back once per log, so WebGPU stalls once per `log_interval` steps.

use serde::{Deserialize, Serialize};

/// One log: what the step chart and `kindling-run`'s stderr show.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct StepLog {
    /// Steps (batches) trained since the start of the run, when the log was taken.
    pub step: usize,
    /// The mean per-sample loss over the steps since the last log (what `train_loss` is
    /// over an epoch), or NaN once a loss was not a number.
    pub loss: f64,
    /// How many steps that average covers (`log_interval`, fewer in a run's first log after
    /// a restore).
    pub steps: usize,
    /// The global L2 norm of each update's gradients before clipping, with the step it
    /// followed (one per `accumulation_steps` batches).
    pub grad_norms: Vec<(usize, f64)>,
}

impl StepLog {
    /// The mean and the largest of the window's gradient norms (`None` without an update).
    pub fn grad_norm_summary(&self) -> Option<(f64, f64)> {
        if self.grad_norms.is_empty() {
            return None;
        }
        let norms = || self.grad_norms.iter().map(|&(_, norm)| norm);
        let mean = norms().sum::<f64>() / self.grad_norms.len() as f64;
        Some((mean, norms().fold(f64::NEG_INFINITY, f64::max)))
    }
}

/// The most points a step series keeps. Past twice this, it is decimated back to it (min-max:
/// spikes stay), so a long run's step charts hold bounded memory.
pub const MAX_STEP_POINTS: usize = 4 * crate::core::report::decimate::MAX_CHART_POINTS;

/// A run's logs as the step charts draw them: the running loss at each log, and every
/// update's gradient norm, by step.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StepHistory {
    /// (step, running average of the loss since the previous log).
    pub losses: Vec<(f64, f64)>,
    /// (step, global gradient norm before clipping).
    pub grad_norms: Vec<(f64, f64)>,
}

impl StepHistory {
    /// Adds a log.
    pub fn push(&mut self, log: &StepLog) {
        self.losses.push((log.step as f64, log.loss));
        self.grad_norms.extend(log.grad_norms.iter().map(|&(step, norm)| (step as f64, norm)));
        for series in [&mut self.losses, &mut self.grad_norms] {
            if series.len() > 2 * MAX_STEP_POINTS {
                *series = crate::core::report::decimate::decimate(series, MAX_STEP_POINTS);
            }
        }
    }

    /// Drops what came after `step` (a run that went back to an earlier copy of its weights).
    pub fn truncate_after(&mut self, step: usize) {
        let step = step as f64;
        self.losses.retain(|&(at, _)| at <= step);
        self.grad_norms.retain(|&(at, _)| at <= step);
    }

    pub fn is_empty(&self) -> bool {
        self.losses.is_empty() && self.grad_norms.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn log(step: usize, loss: f64) -> StepLog {
        StepLog { step, loss, steps: 1, grad_norms: vec![(step, loss * 2.0)] }
    }

    #[test]
    fn a_long_runs_history_stays_bounded_and_keeps_its_spikes() {
        let mut history = StepHistory::default();
        for step in 1..=20 * MAX_STEP_POINTS {
            history.push(&log(step, if step == 12_345 { 50.0 } else { 1.0 }));
        }
        assert!(
            history.losses.len() <= 2 * MAX_STEP_POINTS && history.grad_norms.len() <= 2 * MAX_STEP_POINTS
        );
        assert!(history.losses.iter().any(|&(step, loss)| step == 12_345.0 && loss == 50.0));
        assert!(history.grad_norms.iter().any(|&(_, norm)| norm == 100.0));
        history.truncate_after(100);
        assert!(history.losses.iter().all(|&(step, _)| step <= 100.0));
    }

    #[test]
    fn the_grad_norm_summary_is_the_mean_and_the_largest() {
        let log = StepLog { step: 3, loss: 1.0, steps: 3, grad_norms: vec![(1, 1.0), (2, 4.0), (3, 1.0)] };
        assert_eq!(log.grad_norm_summary(), Some((2.0, 4.0)));
        assert_eq!(StepLog { grad_norms: Vec::new(), ..log }.grad_norm_summary(), None);
    }
}
