//! A sweep under way: its trials in order, each one's state and epochs, and the pruning
//! rule's verdict after each epoch. The page and `kindling-run` run the trials (each an
//! ordinary [`Run`](super::run::Run) of the graph [`SweepProgress::start_next`] hands out) and
//! report what happens here; this decides which trial goes next and which stop early.
//!
//! Trials are compared on one metric, the *monitored* one: validation accuracy where the
//! graph validates a classifier, else training accuracy, else the validation loss, else
//! the training loss — chosen from the first epoch any trial closes. Values are signed so
//! that higher is better (a loss counts negated), as the results table shows them.

use super::graph::Graph;
use super::plan::Monitor;
use super::sweep::{Rungs, median_rule_prunes};
use super::sweep_spec::{self, Pruning, Trial};
use super::train::EpochStats;

/// Where a trial stands; `data-state` in the results table.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TrialState {
    Queued,
    Running,
    /// Every epoch ran (or early stopping ended it).
    Done,
    /// The pruning rule stopped it.
    Pruned,
    /// Its loss became non-finite or exploded.
    Diverged,
    /// The sweep was stopped before it finished, or it could not train (see its note).
    Stopped,
}

impl TrialState {
    pub fn label(self) -> &'static str {
        match self {
            TrialState::Queued => "queued",
            TrialState::Running => "running",
            TrialState::Done => "done",
            TrialState::Pruned => "pruned",
            TrialState::Diverged => "diverged",
            TrialState::Stopped => "stopped",
        }
    }
}

/// One trial and what it did.
#[derive(Clone, Debug, PartialEq)]
pub struct TrialRecord {
    pub trial: Trial,
    pub state: TrialState,
    /// The epochs it closed, in order.
    pub epochs: Vec<EpochStats>,
    /// Seconds it trained.
    pub seconds: f64,
    /// The epochs its graph plans (0 until it starts).
    pub planned_epochs: usize,
    /// Why it stopped, when that needs saying (it could not train).
    pub note: Option<String>,
}

impl TrialRecord {
    /// The monitored value of epoch `epoch` (1-based), higher is better.
    pub fn value_at(&self, epoch: usize, monitor: Monitor) -> Option<f64> {
        signed(self.epochs.get(epoch.checked_sub(1)?)?, monitor)
    }

    /// The monitored value of its last epoch, higher is better.
    pub fn final_value(&self, monitor: Monitor) -> Option<f64> {
        self.value_at(self.epochs.len(), monitor)
    }

    /// Its best monitored value, higher is better.
    pub fn best_value(&self, monitor: Monitor) -> Option<f64> {
        self.epochs.iter().filter_map(|stats| signed(stats, monitor)).max_by(f64::total_cmp)
    }

    /// The best of `metric` over its epochs (the lowest when `lower_is_better`).
    pub fn best_of(&self, metric: Monitor) -> Option<f64> {
        let values = self.epochs.iter().filter_map(|stats| stats.get(metric).filter(|v| v.is_finite()));
        if metric.lower_is_better() { values.min_by(f64::total_cmp) } else { values.max_by(f64::total_cmp) }
    }

    /// The last epoch's `metric`.
    pub fn last_of(&self, metric: Monitor) -> Option<f64> {
        self.epochs.last()?.get(metric)
    }

    /// Seconds per epoch it trained at.
    pub fn seconds_per_epoch(&self) -> Option<f64> {
        (!self.epochs.is_empty()).then(|| self.seconds / self.epochs.len() as f64)
    }
}

/// `monitor`'s value in `stats`, signed so that higher is better.
fn signed(stats: &EpochStats, monitor: Monitor) -> Option<f64> {
    let value = stats.get(monitor)?;
    Some(if monitor.lower_is_better() { -value } else { value })
}

/// What the pruning rule says after an epoch.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Verdict {
    GoOn,
    /// Stop the trial: the rule pruned it.
    Prune,
}

/// A sweep's trials and where each stands.
#[derive(Clone, Debug, PartialEq)]
pub struct SweepProgress {
    pub trials: Vec<TrialRecord>,
    pub pruning: Pruning,
    /// The metric trials are compared on, once the first epoch has closed.
    pub monitor: Option<Monitor>,
    /// The graph whose sweep this runs (its settings are written into a copy per trial).
    graph: Graph,
}

impl SweepProgress {
    /// The trials of `graph`'s sweep, every one queued.
    ///
    /// # Errors
    /// What is wrong with the sweep (`sweep_spec::trials`).
    pub fn new(graph: &Graph) -> Result<Self, String> {
        let trials = sweep_spec::trials(graph)?
            .into_iter()
            .map(|trial| TrialRecord {
                trial,
                state: TrialState::Queued,
                epochs: Vec::new(),
                seconds: 0.0,
                planned_epochs: 0,
                note: None,
            })
            .collect();
        Ok(Self { trials, pruning: graph.sweep().pruning, monitor: None, graph: graph.clone() })
    }

    /// The next queued trial, marked running, with the graph it trains: its index here and
    /// the graph. `None` when none is queued.
    ///
    /// A trial whose settings no longer fit is marked stopped with the reason, and the next
    /// one is tried.
    pub fn start_next(&mut self) -> Option<(usize, Graph)> {
        loop {
            let index = self.trials.iter().position(|record| record.state == TrialState::Queued)?;
            match self.trials[index].trial.apply(&self.graph) {
                Ok(graph) => {
                    self.trials[index].state = TrialState::Running;
                    return Some((index, graph));
                }
                Err(reason) => self.end(index, TrialState::Stopped, Some(reason)),
            }
        }
    }

    /// Trial `index` plans `epochs` epochs (known once its graph has compiled).
    pub fn planned(&mut self, index: usize, epochs: usize) {
        if let Some(record) = self.trials.get_mut(index) {
            record.planned_epochs = epochs;
        }
    }

    /// Trial `index` closed an epoch after training `seconds` more: records it and says
    /// whether the trial goes on. A pruned trial is marked so.
    pub fn epoch(&mut self, index: usize, stats: EpochStats, seconds: f64) -> Verdict {
        let monitor = *self.monitor.get_or_insert_with(|| monitor_for(&stats));
        let Some(record) = self.trials.get_mut(index) else { return Verdict::GoOn };
        record.epochs.push(stats);
        record.seconds += seconds;
        let epoch = record.epochs.len();
        if epoch >= record.planned_epochs && record.planned_epochs > 0 {
            return Verdict::GoOn;
        }
        let record = &self.trials[index];
        let prune = match self.pruning {
            Pruning::Off => false,
            Pruning::Median { warmup_epochs, min_trials } => {
                epoch > warmup_epochs as usize && {
                    let best = record.best_value(monitor).unwrap_or(f64::NAN);
                    let others: Vec<f64> = self
                        .trials
                        .iter()
                        .enumerate()
                        .filter(|&(other, _)| other != index)
                        .filter_map(|(_, other)| other.value_at(epoch, monitor))
                        .collect();
                    median_rule_prunes(best, &others, min_trials as usize)
                }
            }
            Pruning::Asha { min_epochs, eta } => {
                let rungs = Rungs { min_epochs: min_epochs as usize, eta: eta as usize };
                rungs.is_rung(epoch) && {
                    let value = record.value_at(epoch, monitor).unwrap_or(f64::NAN);
                    let at_rung: Vec<f64> = self
                        .trials
                        .iter()
                        .filter(|other| other.epochs.len() >= epoch)
                        .map(|other| other.value_at(epoch, monitor).unwrap_or(f64::NAN))
                        .collect();
                    !rungs.promotes(value, &at_rung)
                }
            }
        };
        if prune {
            self.trials[index].state = TrialState::Pruned;
            Verdict::Prune
        } else {
            Verdict::GoOn
        }
    }

    /// Trial `index` ended in `state` (done, diverged, stopped), with a note when the reason
    /// needs saying. A pruned trial stays pruned.
    pub fn end(&mut self, index: usize, state: TrialState, note: Option<String>) {
        if let Some(record) = self.trials.get_mut(index)
            && record.state != TrialState::Pruned
        {
            record.state = state;
            record.note = note;
        }
    }

    /// Stops the sweep: the running trial and every queued one are marked stopped.
    pub fn stop(&mut self) {
        for record in &mut self.trials {
            if matches!(record.state, TrialState::Queued | TrialState::Running) {
                record.state = TrialState::Stopped;
            }
        }
    }

    /// Whether no trial is queued or running.
    pub fn is_over(&self) -> bool {
        !self.trials.iter().any(|record| matches!(record.state, TrialState::Queued | TrialState::Running))
    }

    /// Epochs the pruned trials did not run.
    pub fn epochs_saved(&self) -> usize {
        self.trials
            .iter()
            .filter(|record| record.state == TrialState::Pruned)
            .map(|record| record.planned_epochs.saturating_sub(record.epochs.len()))
            .sum()
    }

    /// The graph the sweep runs on.
    pub fn graph(&self) -> &Graph {
        &self.graph
    }

    /// The index of the trial with the best final monitored value.
    pub fn best(&self) -> Option<usize> {
        let monitor = self.monitor?;
        self.trials
            .iter()
            .enumerate()
            .filter_map(|(index, record)| Some((index, record.final_value(monitor)?)))
            .filter(|(_, value)| value.is_finite())
            .max_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(index, _)| index)
    }
}

/// The metric a sweep compares trials on, from the first epoch's stats.
pub fn monitor_for(stats: &EpochStats) -> Monitor {
    match (stats.val_accuracy, stats.train_accuracy, stats.val_loss) {
        (Some(_), _, _) => Monitor::ValAccuracy,
        (None, Some(_), _) => Monitor::TrainAccuracy,
        (None, None, Some(_)) => Monitor::ValLoss,
        (None, None, None) => Monitor::TrainLoss,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::catalogue::NodeKind;
    use crate::core::sweep_spec::{Sweep, SweptParam};
    use crate::core::templates::basic_loop;

    fn stats(epoch: usize, accuracy: f64) -> EpochStats {
        EpochStats {
            epoch,
            train_loss: 1.0 - accuracy,
            train_accuracy: Some(accuracy),
            val_loss: None,
            val_accuracy: None,
            per_class_accuracy: Vec::new(),
            class_metrics: None,
            lr: 0.1,
        }
    }

    fn progress(values: &str, pruning: Pruning) -> SweepProgress {
        let mut graph = basic_loop();
        let sgd = graph.nodes_of(NodeKind::SgdOptimizer).next().unwrap().id;
        graph.set_sweep(Sweep {
            params: vec![SweptParam { node: sgd, param: "learning_rate".into(), values: values.into() }],
            pruning,
            ..Sweep::default()
        });
        SweepProgress::new(&graph).unwrap()
    }

    /// Runs the next trial through `accuracies`, one epoch each, until pruned; returns how
    /// many epochs it ran.
    fn run(progress: &mut SweepProgress, accuracies: &[f64]) -> usize {
        let (index, _) = progress.start_next().unwrap();
        progress.planned(index, accuracies.len());
        for (epoch, &accuracy) in accuracies.iter().enumerate() {
            if progress.epoch(index, stats(epoch + 1, accuracy), 0.5) == Verdict::Prune {
                return epoch + 1;
            }
        }
        progress.end(index, TrialState::Done, None);
        accuracies.len()
    }

    #[test]
    fn trials_run_in_order_with_their_settings_written_in() {
        let mut progress = progress("0.01, 0.1, 1", Pruning::Off);
        let (index, graph) = progress.start_next().unwrap();
        assert_eq!(index, 0);
        assert_eq!(progress.trials[0].state, TrialState::Running);
        let sgd = graph.nodes_of(NodeKind::SgdOptimizer).next().unwrap();
        assert_eq!(sgd.param("learning_rate").unwrap().as_f64(), Some(0.01));
        assert!(graph.sweep().is_empty());
        progress.epoch(0, stats(1, 0.5), 1.0);
        progress.end(0, TrialState::Done, None);
        assert_eq!(progress.monitor, Some(Monitor::TrainAccuracy));
        assert_eq!(progress.trials[0].final_value(Monitor::TrainAccuracy), Some(0.5));
        assert_eq!(progress.trials[0].final_value(Monitor::TrainLoss), Some(-0.5), "a loss counts negated");
        assert_eq!(progress.start_next().unwrap().0, 1);
        progress.stop();
        assert!(progress.is_over());
        assert_eq!(progress.trials[2].state, TrialState::Stopped);
        assert_eq!(progress.best(), Some(0));
    }

    #[test]
    fn the_median_rule_stops_a_trial_behind_the_others() {
        let mut progress = progress("0.01, 0.1, 1, 10", Pruning::Median { warmup_epochs: 1, min_trials: 2 });
        assert_eq!(run(&mut progress, &[0.5, 0.6, 0.7, 0.8]), 4, "no others yet");
        assert_eq!(run(&mut progress, &[0.5, 0.7, 0.8, 0.9]), 4, "one other: too few to judge");
        assert_eq!(run(&mut progress, &[0.5, 0.55, 0.6, 0.6]), 2, "below the median (0.65) at epoch 2");
        assert_eq!(progress.trials[2].state, TrialState::Pruned);
        assert_eq!(progress.epochs_saved(), 2);
        assert_eq!(run(&mut progress, &[0.9, 0.95, 0.95, 0.95]), 4);
    }

    #[test]
    fn successive_halving_keeps_the_top_of_each_rung() {
        let mut progress = progress("0.01, 0.1, 1, 10", Pruning::Asha { min_epochs: 1, eta: 2 });
        assert_eq!(run(&mut progress, &[0.6, 0.7, 0.8, 0.9, 0.9]), 5, "first at every rung");
        assert_eq!(run(&mut progress, &[0.5, 0.6, 0.7, 0.8, 0.8]), 1, "2 at rung 1, top half: 0.6 only");
        assert_eq!(run(&mut progress, &[0.7, 0.6, 0.9, 0.95, 0.95]), 2, "rung 2: 0.6 of [0.7, 0.6] pruned");
        assert_eq!(run(&mut progress, &[0.8, 0.8, 0.85, 0.95, 0.95]), 5, "best at rungs 1, 2 and 4");
        assert_eq!(progress.epochs_saved(), 4 + 3);
        assert_eq!(progress.best(), Some(3), "0.9 and 0.95 finished: the last is best");
    }
}
