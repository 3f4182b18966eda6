//! Learning-rate schedulers, stepped once per epoch, with PyTorch's semantics: `StepLR`,
//! `CosineAnnealingLR` and `ReduceLROnPlateau`.

use serde::{Deserialize, Serialize};

use super::choice::choices;

/// Which scheduler, with its settings.
#[derive(Clone, Debug, PartialEq)]
pub enum SchedulerPlan {
    /// Multiply the rate by `gamma` every `step_size` epochs.
    Step { step_size: usize, gamma: f64 },
    /// Cosine from the initial rate down to `eta_min` over `t_max` epochs, and back up over
    /// the next `t_max` (PyTorch's schedule continues periodically).
    CosineAnnealing { t_max: usize, eta_min: f64 },
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

choices! {
    /// Whether a lower (loss) or higher (accuracy) metric is better.
    pub enum PlateauMode {
        Min => "min",
        Max => "max",
    }
}

choices! {
    /// Whether `threshold` is relative to the best value so far, or absolute.
    pub enum ThresholdMode {
        Relative => "rel",
        Absolute => "abs",
    }
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
            return Err("its learning rates are not finite".to_owned());
        }
        if progress.best.is_nan() {
            return Err("its best value is not a number".to_owned());
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
        Self { plan, initial_lr, lr: initial_lr, epoch: 0, best, bad_epochs: 0, cooldown_left: 0 }
    }

    /// The rate for the current epoch.
    pub fn lr(&self) -> f64 {
        self.lr
    }

    /// Rescales the schedule to start from `initial_lr` instead, keeping its progress: the
    /// current rate changes in proportion (a learning rate edited mid-run).
    pub fn rebase(&mut self, initial_lr: f64) {
        let ratio = if self.initial_lr > 0.0 { initial_lr / self.initial_lr } else { 1.0 };
        self.lr = if self.initial_lr > 0.0 { self.lr * ratio } else { initial_lr };
        self.initial_lr = initial_lr;
    }

    /// Ends an epoch. `metric` is the watched value (ReduceOnPlateau only; others ignore it).
    pub fn step(&mut self, metric: f64) {
        self.epoch += 1;
        let epoch = self.epoch;
        match self.plan {
            SchedulerPlan::Step { step_size, gamma } => {
                self.lr = self.initial_lr * gamma.powi((epoch / step_size.max(1)) as i32);
            }
            SchedulerPlan::CosineAnnealing { t_max, eta_min } => {
                let phase = std::f64::consts::PI * epoch as f64 / t_max.max(1) as f64;
                self.lr = eta_min + (self.initial_lr - eta_min) * (1.0 + phase.cos()) / 2.0;
            }
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

fn improves(value: f64, best: f64, mode: PlateauMode, threshold: f64, threshold_mode: ThresholdMode) -> bool {
    match (mode, threshold_mode) {
        (PlateauMode::Min, ThresholdMode::Relative) => value < best * (1.0 - threshold),
        (PlateauMode::Min, ThresholdMode::Absolute) => value < best - threshold,
        (PlateauMode::Max, ThresholdMode::Relative) => value > best * (1.0 + threshold),
        (PlateauMode::Max, ThresholdMode::Absolute) => value > best + threshold,
    }
}
