//! Learning-rate schedulers, stepped once per epoch, with PyTorch's semantics: `StepLR`,
//! `CosineAnnealingLR`, `LinearLR` (a warm-up), `SequentialLR` (one schedule after another)
//! and `ReduceLROnPlateau`.

use serde::{Deserialize, Serialize};

use crate::core::model::choices::{PlateauMode, ThresholdMode};

/// Which scheduler, with its settings.
#[derive(Clone, Debug, PartialEq)]
pub enum SchedulerPlan {
    /// Multiply the rate by `gamma` every `step_size` epochs.
    Step { step_size: usize, gamma: f64 },
    /// Cosine from the initial rate down to `eta_min` over `t_max` epochs, and back up over
    /// the next `t_max` (PyTorch's schedule continues periodically).
    CosineAnnealing { t_max: usize, eta_min: f64 },
    /// The rate's factor goes linearly from `start_factor` to `end_factor` over `total_iters`
    /// epochs, then stays: a warm-up when it rises to 1.
    Linear { start_factor: f64, end_factor: f64, total_iters: usize },
    /// `phases[0]` until epoch `milestones[0]`, then `phases[1]` started afresh from the
    /// initial rate, and so on (PyTorch's `SequentialLR`: `milestones` has one entry fewer
    /// than `phases`, ascending). The phases are epoch-driven schedules: no plateau rule.
    Sequential { phases: Vec<SchedulerPlan>, milestones: Vec<usize> },
    /// Multiply the rate by `factor` when the watched metric has not improved for more than
    /// `patience` epochs.
    ReduceOnPlateau {
        mode: PlateauMode,
        factor: f64,
        patience: usize,
        threshold: f64,
        threshold_mode: ThresholdMode,
        cooldown: usize,
        min_lr: f64,
    },
}

/// A scheduler's state over a run.
#[derive(Clone, Debug, PartialEq)]
pub struct LrSchedule {
    plan: SchedulerPlan,
    initial_lr: f64,
    lr: f64,
    /// Epochs stepped so far.
    epoch: usize,
    best: f64,
    bad_epochs: usize,
    cooldown_left: usize,
}

/// Where a schedule stands, as checkpoints store it (its settings are the graph's).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ScheduleProgress {
    pub initial_lr: f64,
    pub lr: f64,
    pub epoch: usize,
    pub best: f64,
    pub bad_epochs: usize,
    pub cooldown_left: usize,
}

impl LrSchedule {
    /// Where the schedule stands.
    pub fn progress(&self) -> ScheduleProgress {
        ScheduleProgress {
            initial_lr: self.initial_lr,
            lr: self.lr,
            epoch: self.epoch,
            best: self.best,
            bad_epochs: self.bad_epochs,
            cooldown_left: self.cooldown_left,
        }
    }

    /// The schedule of `plan` going on from `progress`, rescaled to start from `initial_lr`
    /// when the graph's rate has changed since.
    ///
    /// # Errors
    /// A sentence when a rate is not a positive finite number.
    pub fn restore(
        plan: SchedulerPlan,
        progress: &ScheduleProgress,
        initial_lr: f64,
    ) -> Result<Self, String> {
        if !(progress.lr.is_finite()
            && progress.lr >= 0.0
            && progress.initial_lr.is_finite()
            && progress.initial_lr >= 0.0)
        {
            return Err(text!("compile-schedule-rates-not-finite"));
        }
        if progress.best.is_nan() {
            return Err(text!("compile-schedule-best-not-a-number"));
        }
        let mut schedule = Self {
            plan,
            initial_lr: progress.initial_lr,
            lr: progress.lr,
            epoch: progress.epoch,
            best: progress.best,
            bad_epochs: progress.bad_epochs,
            cooldown_left: progress.cooldown_left,
        };
        if initial_lr != schedule.initial_lr {
            schedule.rebase(initial_lr);
        }
        Ok(schedule)
    }

    pub fn new(plan: SchedulerPlan, initial_lr: f64) -> Self {
        let best = match plan {
            SchedulerPlan::ReduceOnPlateau { mode: PlateauMode::Max, .. } => f64::NEG_INFINITY,
            _ => f64::INFINITY,
        };
        let lr = plan.lr_at(initial_lr, 0).unwrap_or(initial_lr);
        Self { plan, initial_lr, lr, epoch: 0, best, bad_epochs: 0, cooldown_left: 0 }
    }

    /// The rate for the current epoch.
    pub fn lr(&self) -> f64 {
        self.lr
    }

    /// Rescales the schedule to start from `initial_lr` instead, keeping its progress: the
    /// current rate changes in proportion (a learning rate edited mid-run).
    pub fn rebase(&mut self, initial_lr: f64) {
        if let Some(lr) = self.plan.lr_at(initial_lr, self.epoch) {
            self.lr = lr;
            self.initial_lr = initial_lr;
            return;
        }
        let ratio = if self.initial_lr > 0.0 { initial_lr / self.initial_lr } else { 1.0 };
        self.lr = if self.initial_lr > 0.0 { self.lr * ratio } else { initial_lr };
        self.initial_lr = initial_lr;
    }

    /// Ends an epoch. `metric` is the watched value (ReduceOnPlateau only; others ignore it).
    pub fn step(&mut self, metric: f64) {
        self.epoch += 1;
        if let Some(lr) = self.plan.lr_at(self.initial_lr, self.epoch) {
            self.lr = lr;
            return;
        }
        match self.plan {
            SchedulerPlan::Step { .. }
            | SchedulerPlan::CosineAnnealing { .. }
            | SchedulerPlan::Linear { .. }
            | SchedulerPlan::Sequential { .. } => {}
            SchedulerPlan::ReduceOnPlateau {
                mode,
                factor,
                patience,
                threshold,
                threshold_mode,
                cooldown,
                min_lr,
            } => {
                if improves(metric, self.best, mode, threshold, threshold_mode) {
                    self.best = metric;
                    self.bad_epochs = 0;
                } else {
                    self.bad_epochs += 1;
                }
                if self.cooldown_left > 0 {
                    self.cooldown_left -= 1;
                    self.bad_epochs = 0;
                }
                if self.bad_epochs > patience {
                    let reduced = (self.lr * factor).max(min_lr);
                    // PyTorch skips reductions smaller than 1e-8.
                    if self.lr - reduced > 1e-8 {
                        self.lr = reduced;
                    }
                    self.cooldown_left = cooldown;
                    self.bad_epochs = 0;
                }
            }
        }
    }
}

impl SchedulerPlan {
    /// The rate during `epoch` (0 for the first) of a schedule that depends on the epoch
    /// alone, starting from `initial_lr`; `None` for ReduceOnPlateau, which depends on the
    /// metric it is fed. PyTorch computes these recursively, epoch by epoch; the closed forms
    /// here give the same rates (its own `_get_closed_form_lr`).
    pub fn lr_at(&self, initial_lr: f64, epoch: usize) -> Option<f64> {
        match *self {
            SchedulerPlan::Step { step_size, gamma } => {
                Some(initial_lr * gamma.powi(i32::try_from(epoch / step_size.max(1)).unwrap_or(i32::MAX)))
            }
            SchedulerPlan::CosineAnnealing { t_max, eta_min } => {
                let phase = std::f64::consts::PI * epoch as f64 / t_max.max(1) as f64;
                Some(eta_min + (initial_lr - eta_min) * (1.0 + phase.cos()) / 2.0)
            }
            SchedulerPlan::Linear { start_factor, end_factor, total_iters } => {
                let progress = epoch.min(total_iters) as f64 / total_iters.max(1) as f64;
                Some(initial_lr * (start_factor + (end_factor - start_factor) * progress))
            }
            SchedulerPlan::Sequential { ref phases, ref milestones } => {
                // SequentialLR restarts phase k at its milestone (its `step(0)`), so each phase
                // runs on its own epoch count from the initial rate.
                let phase = milestones.iter().take_while(|&&milestone| milestone <= epoch).count();
                let start = phase.checked_sub(1).map_or(0, |previous| milestones[previous]);
                phases.get(phase)?.lr_at(initial_lr, epoch - start)
            }
            SchedulerPlan::ReduceOnPlateau { .. } => None,
        }
    }
}

fn improves(value: f64, best: f64, mode: PlateauMode, threshold: f64, threshold_mode: ThresholdMode) -> bool {
    match (mode, threshold_mode) {
        (PlateauMode::Min, ThresholdMode::Relative) => value < best * (1.0 - threshold),
        (PlateauMode::Min, ThresholdMode::Absolute) => value < best - threshold,
        (PlateauMode::Max, ThresholdMode::Relative) => value > best * (1.0 + threshold),
        (PlateauMode::Max, ThresholdMode::Absolute) => value > best + threshold,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rates(plan: SchedulerPlan, epochs: usize) -> Vec<f64> {
        let mut schedule = LrSchedule::new(plan, 0.1);
        (0..epochs)
            .map(|_| {
                let lr = schedule.lr();
                schedule.step(f64::NAN);
                lr
            })
            .collect()
    }

    fn assert_rates(got: &[f64], want: &[f64]) {
        assert_eq!(got.len(), want.len());
        for (got, want) in got.iter().zip(want) {
            assert!((got - want).abs() < 1e-12, "{got:?} vs {want:?}");
        }
    }

    #[test]
    fn a_linear_warm_up_rises_to_its_end_factor_and_stays() {
        let warmup = SchedulerPlan::Linear { start_factor: 0.5, end_factor: 1.0, total_iters: 2 };
        assert_rates(&rates(warmup, 4), &[0.05, 0.075, 0.1, 0.1]);
    }

    #[test]
    fn a_sequence_restarts_its_next_phase_from_the_initial_rate_at_the_milestone() {
        let sequence = SchedulerPlan::Sequential {
            phases: vec![
                SchedulerPlan::Linear { start_factor: 0.5, end_factor: 1.0, total_iters: 2 },
                SchedulerPlan::Step { step_size: 1, gamma: 0.5 },
            ],
            milestones: vec![2],
        };
        assert_rates(&rates(sequence.clone(), 5), &[0.05, 0.075, 0.1, 0.05, 0.025]);
        // A checkpoint's progress, restored onto a new initial rate, goes on in proportion.
        let mut schedule = LrSchedule::new(sequence.clone(), 0.1);
        schedule.step(f64::NAN);
        let restored = LrSchedule::restore(sequence, &schedule.progress(), 0.2).unwrap();
        assert!((restored.lr() - 0.15).abs() < 1e-12, "{}", restored.lr());
    }
}
