//! A sweep's trials and where each stands: their records, the updates that change them, and
//! the pruning rule's verdict after each epoch.
//!
//! The engine's `SweepRun` decides (which trial goes next, [`SweepProgress::verdict`] after
//! each epoch) and emits each decision as a [`TrialUpdate`]; whoever shows the sweep — the
//! page, from the engine's events — keeps its own copy by [`SweepProgress::record`]ing the same
//! updates in the same order, so both hold the same records without deciding twice.
//!
//! Trials are compared on one metric, the *monitored* one: validation accuracy where the
//! graph validates a classifier, else training accuracy, else the validation loss, else
//! the training loss — chosen from the first epoch any trial closes. Values are signed so
//! that higher is better (a loss counts negated), as the results table shows them.

use serde::{Deserialize, Serialize};

use crate::core::model::choices::Monitor;
use crate::core::model::graph::{Graph, GraphError};
use crate::core::model::sweep::{Rungs, median_rule_judges, median_rule_prunes};
use crate::core::model::sweep_error::SweepError;
use crate::core::model::sweep_settings::Pruning;
use crate::core::model::sweep_spec::{self, Trial};
use crate::core::report::bounded_curve::BoundedCurve;
use crate::core::report::epoch_stats::EpochStats;

/// Where a trial stands; `data-state` in the results table.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum TrialState {
    Queued,
    Running,
    /// Every epoch ran (or early stopping ended it).
    Done,
    /// The pruning rule stopped it.
    Pruned,
    /// Its loss became non-finite or exploded.
    Diverged,
    /// It could not train: its settings did not fit the graph, the graph did not compile, or
    /// training failed (see its note).
    Failed,
    /// The sweep was stopped before it finished.
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
            TrialState::Failed => "failed",
            TrialState::Stopped => "stopped",
        }
    }
}

/// One trial and what it did, at a size that does not grow with its epochs: its last epoch,
/// the best of each metric, the monitored value where the pruning rule compares trials, and
/// the monitored curve bounded for the chart.
#[derive(Clone, Debug, PartialEq)]
pub struct TrialRecord {
    pub trial: Trial,
    pub state: TrialState,
    /// The epochs it closed.
    pub epochs_run: usize,
    /// Its last epoch's statistics.
    pub last: Option<EpochStats>,
    /// The best of each metric over its epochs (the lowest loss, the highest accuracy), by
    /// [`Monitor::ALL`]'s order.
    best: [Option<f64>; Monitor::ALL.len()],
    /// The monitored value (signed) at each epoch the pruning rule judges, in order.
    judged: Vec<(usize, f64)>,
    /// The monitored value (signed) per epoch, bounded.
    pub curve: BoundedCurve,
    /// Seconds it trained.
    pub seconds: f64,
    /// The epochs its graph plans (0 until it starts).
    pub planned_epochs: usize,
    /// Why it stopped, when that needs saying (it could not train).
    pub note: Option<String>,
}

impl TrialRecord {
    fn queued(trial: Trial) -> Self {
        Self {
            trial,
            state: TrialState::Queued,
            epochs_run: 0,
            last: None,
            best: [None; Monitor::ALL.len()],
            judged: Vec::new(),
            curve: BoundedCurve::new(BoundedCurve::TRIAL_BUCKETS),
            seconds: 0.0,
            planned_epochs: 0,
            note: None,
        }
    }

    /// Records the epoch it closed with `stats`, remembering its `monitor`ed value when the
    /// pruning rule `judged` it.
    fn close_epoch(&mut self, stats: &EpochStats, monitor: Monitor, judged: bool) {
        self.epochs_run += 1;
        let value = signed(stats, monitor).unwrap_or(f64::NAN);
        if judged {
            self.judged.push((self.epochs_run, value));
        }
        self.curve.push((self.epochs_run as f64, value));
        for (best, &metric) in self.best.iter_mut().zip(Monitor::ALL) {
            if let Some(value) = stats.get(metric).filter(|value| value.is_finite()) {
                let better = |kept: f64| if metric.lower_is_better() { value < kept } else { value > kept };
                if best.is_none_or(better) {
                    *best = Some(value);
                }
            }
        }
        self.last = Some(stats.clone());
    }

    /// The monitored value of epoch `epoch` (1-based), higher is better, where the pruning
    /// rule judged it (the only epochs whose values a trial keeps).
    pub fn value_at(&self, epoch: usize) -> Option<f64> {
        let found = self.judged.binary_search_by_key(&epoch, |&(judged, _)| judged).ok()?;
        Some(self.judged[found].1)
    }

    /// The monitored value of its last epoch, higher is better.
    pub fn final_value(&self, monitor: Monitor) -> Option<f64> {
        signed(self.last.as_ref()?, monitor)
    }

    /// Its best monitored value, higher is better.
    pub fn best_value(&self, monitor: Monitor) -> Option<f64> {
        let best = self.best_of(monitor)?;
        Some(if monitor.lower_is_better() { -best } else { best })
    }

    /// The best of `metric` over its epochs (the lowest when `lower_is_better`).
    pub fn best_of(&self, metric: Monitor) -> Option<f64> {
        self.best[Monitor::ALL.iter().position(|&kept| kept == metric)?]
    }

    /// The last epoch's `metric`.
    pub fn last_of(&self, metric: Monitor) -> Option<f64> {
        self.last.as_ref()?.get(metric)
    }

    /// Seconds per epoch it trained at.
    pub fn seconds_per_epoch(&self) -> Option<f64> {
        (self.epochs_run > 0).then(|| self.seconds / self.epochs_run as f64)
    }
}

/// `monitor`'s value in `stats`, signed so that higher is better.
fn signed(stats: &EpochStats, monitor: Monitor) -> Option<f64> {
    let value = stats.get(monitor)?;
    Some(if monitor.lower_is_better() { -value } else { value })
}

/// What the pruning rule says after an epoch.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Verdict {
    GoOn,
    /// Stop the trial: the rule pruned it.
    Prune,
}

/// A change to a sweep's records: the engine's decisions and what its trials did, in order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum TrialUpdate {
    /// Trial `index` started, planning `planned_epochs` epochs.
    Started { index: usize, planned_epochs: usize },
    /// Trial `index` closed an epoch after training `seconds` more; `pruned` when the rule
    /// stopped it there.
    Epoch { index: usize, stats: EpochStats, seconds: f64, pruned: bool },
    /// Trial `index` ended (done, diverged or failed), with a note when the reason needs
    /// saying. A pruned trial stays pruned.
    Ended { index: usize, state: TrialState, note: Option<String> },
    /// The sweep was stopped: the trials running and those queued are marked stopped.
    Stopped,
}

/// What a trial reports to the sweep that runs it, from wherever it runs.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum TrialReport {
    /// It closed an epoch after training `seconds` more, and holds until the sweep's verdict.
    Epoch { stats: EpochStats, seconds: f64 },
    /// It ended on its own: done, diverged or failed (with a note for the last two).
    Ended { state: TrialState, note: Option<String> },
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
    pub fn new(graph: &Graph) -> Result<Self, SweepError> {
        let trials = sweep_spec::trials(graph)?.into_iter().map(TrialRecord::queued).collect();
        Ok(Self { trials, pruning: graph.sweep().pruning, monitor: None, graph: graph.clone() })
    }

    /// The next queued trial: its index, and the graph it trains (its settings written into
    /// the sweep's graph) or why its settings no longer fit. `None` when none is queued.
    pub fn next_queued(&self) -> Option<(usize, Result<Graph, GraphError>)> {
        let index = self.trials.iter().position(|record| record.state == TrialState::Queued)?;
        Some((index, self.trials[index].trial.apply(&self.graph)))
    }

    /// What the pruning rule says of trial `index` once it has closed an epoch with `stats`
    /// (not yet recorded). It judges only at the epochs of [`Self::judges`]; the last epoch a
    /// trial plans always goes on: it ends done.
    pub fn verdict(&self, index: usize, stats: &EpochStats) -> Verdict {
        let Some(record) = self.trials.get(index) else { return Verdict::GoOn };
        let epoch = record.epochs_run + 1;
        if !self.judges(epoch) || (record.planned_epochs > 0 && epoch >= record.planned_epochs) {
            return Verdict::GoOn;
        }
        let monitor = self.monitor.unwrap_or_else(|| monitor_for(stats));
        let value = signed(stats, monitor).unwrap_or(f64::NAN);
        let others =
            self.trials.iter().enumerate().filter(|&(other, _)| other != index).map(|(_, other)| other);
        let prune = match self.pruning {
            Pruning::Off => false,
            Pruning::Median { min_trials, .. } => {
                let best = record.best_value(monitor).map_or(value, |best| best.max(value));
                let at_epoch: Vec<f64> = others.filter_map(|other| other.value_at(epoch)).collect();
                median_rule_prunes(best, &at_epoch, min_trials as usize)
            }
            Pruning::Asha { min_epochs, eta } => {
                let rungs = Rungs { min_epochs: min_epochs as usize, eta: eta as usize };
                let at_rung: Vec<f64> = others
                    .filter(|other| other.epochs_run >= epoch)
                    .map(|other| other.value_at(epoch).unwrap_or(f64::NAN))
                    .chain(std::iter::once(value))
                    .collect();
                !rungs.promotes(value, &at_rung)
            }
        };
        if prune { Verdict::Prune } else { Verdict::GoOn }
    }

    /// Applies `update`: what the sweep decided or a trial did.
    pub fn record(&mut self, update: &TrialUpdate) {
        match update {
            TrialUpdate::Started { index, planned_epochs } => {
                if let Some(record) = self.trials.get_mut(*index) {
                    record.state = TrialState::Running;
                    record.planned_epochs = *planned_epochs;
                }
            }
            TrialUpdate::Epoch { index, stats, seconds, pruned } => {
                let monitor = *self.monitor.get_or_insert_with(|| monitor_for(stats));
                let epoch = self.trials.get(*index).map_or(0, |record| record.epochs_run + 1);
                let judged = self.judges(epoch);
                if let Some(record) = self.trials.get_mut(*index) {
                    record.close_epoch(stats, monitor, judged);
                    record.seconds += seconds;
                    if *pruned {
                        record.state = TrialState::Pruned;
                    }
                }
            }
            TrialUpdate::Ended { index, state, note } => {
                if let Some(record) = self.trials.get_mut(*index)
                    && record.state != TrialState::Pruned
                {
                    record.state = *state;
                    record.note = note.clone();
                }
            }
            TrialUpdate::Stopped => {
                for record in &mut self.trials {
                    if matches!(record.state, TrialState::Queued | TrialState::Running) {
                        record.state = TrialState::Stopped;
                    }
                }
            }
        }
    }

    /// Whether the pruning rule judges trials at epoch `epoch` (1-based): the epochs whose
    /// monitored values the records keep.
    fn judges(&self, epoch: usize) -> bool {
        match self.pruning {
            Pruning::Off => false,
            Pruning::Median { warmup_epochs, .. } => {
                epoch > warmup_epochs as usize && median_rule_judges(epoch)
            }
            Pruning::Asha { min_epochs, eta } => {
                Rungs { min_epochs: min_epochs as usize, eta: eta as usize }.is_rung(epoch)
            }
        }
    }

    /// The trials running now, by index.
    pub fn running(&self) -> impl Iterator<Item = usize> + '_ {
        self.trials
            .iter()
            .enumerate()
            .filter(|(_, record)| record.state == TrialState::Running)
            .map(|(index, _)| index)
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
            .map(|record| record.planned_epochs.saturating_sub(record.epochs_run))
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
    use crate::core::model::catalogue::NodeKind;
    use crate::core::model::sweep_settings::{Sweep, SweptParam};
    use crate::core::model::templates::basic_loop;

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
            layers: Vec::new(),
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
        let (index, graph) = progress.next_queued().unwrap();
        assert!(graph.is_ok());
        progress.record(&TrialUpdate::Started { index, planned_epochs: accuracies.len() });
        for (epoch, &accuracy) in accuracies.iter().enumerate() {
            let stats = stats(epoch + 1, accuracy);
            let pruned = progress.verdict(index, &stats) == Verdict::Prune;
            progress.record(&TrialUpdate::Epoch { index, stats, seconds: 0.5, pruned });
            if pruned {
                return epoch + 1;
            }
        }
        progress.record(&TrialUpdate::Ended { index, state: TrialState::Done, note: None });
        accuracies.len()
    }

    #[test]
    fn trials_run_in_order_with_their_settings_written_in() {
        let mut progress = progress("0.01, 0.1, 1", Pruning::Off);
        let (index, graph) = progress.next_queued().unwrap();
        let graph = graph.unwrap();
        assert_eq!(index, 0);
        progress.record(&TrialUpdate::Started { index, planned_epochs: 1 });
        assert_eq!(progress.trials[0].state, TrialState::Running);
        assert_eq!(progress.running().collect::<Vec<_>>(), [0]);
        let sgd = graph.nodes_of(NodeKind::SgdOptimizer).next().unwrap();
        assert_eq!(sgd.param("learning_rate").unwrap().as_f64(), Some(0.01));
        assert!(graph.sweep().is_empty());
        progress.record(&TrialUpdate::Epoch { index: 0, stats: stats(1, 0.5), seconds: 1.0, pruned: false });
        progress.record(&TrialUpdate::Ended { index: 0, state: TrialState::Done, note: None });
        assert_eq!(progress.monitor, Some(Monitor::TrainAccuracy));
        assert_eq!(progress.trials[0].final_value(Monitor::TrainAccuracy), Some(0.5));
        assert_eq!(progress.trials[0].final_value(Monitor::TrainLoss), Some(-0.5), "a loss counts negated");
        let (next, _) = progress.next_queued().unwrap();
        assert_eq!(next, 1);
        progress.record(&TrialUpdate::Started { index: next, planned_epochs: 1 });
        progress.record(&TrialUpdate::Stopped);
        assert!(progress.is_over());
        assert_eq!(progress.trials[1].state, TrialState::Stopped);
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

    #[test]
    fn a_record_keeps_the_same_size_however_many_epochs_its_trial_runs() {
        let epochs = 100_000;
        let mut progress = progress("0.01, 0.1", Pruning::Median { warmup_epochs: 257, min_trials: 1 });
        progress.record(&TrialUpdate::Started { index: 0, planned_epochs: epochs });
        let accuracy = |epoch: usize| 0.5 + 0.4 * (epoch as f64 / epochs as f64);
        for epoch in 1..=epochs {
            let stats = stats(epoch, if epoch == 777 { 0.99 } else { accuracy(epoch) });
            progress.record(&TrialUpdate::Epoch { index: 0, stats, seconds: 0.001, pruned: false });
        }
        let record = &progress.trials[0];
        assert_eq!(record.epochs_run, epochs);
        assert!(record.judged.len() < 1000, "{} values kept", record.judged.len());
        assert!(record.curve.points().len() <= 2 * BoundedCurve::TRIAL_BUCKETS + 2);
        assert_eq!(record.best_of(Monitor::TrainAccuracy), Some(0.99));
        assert_eq!(record.best_of(Monitor::TrainLoss), Some(1.0 - 0.99));
        assert_eq!(record.last_of(Monitor::TrainAccuracy), Some(accuracy(epochs)));
        assert_eq!(record.value_at(260), Some(accuracy(260)));
        assert_eq!(record.value_at(258), None, "not an epoch the rule judges");
        assert_eq!(record.value_at(100), None, "in the warm-up");
        assert!((record.seconds_per_epoch().unwrap() - 0.001).abs() < 1e-9);

        // The second trial, far behind, goes on where the rule does not judge and is
        // stopped at the first epoch it does.
        progress.record(&TrialUpdate::Started { index: 1, planned_epochs: epochs });
        for epoch in 1..=259 {
            let stats = stats(epoch, 0.1);
            assert_eq!(progress.verdict(1, &stats), Verdict::GoOn, "epoch {epoch} is not judged");
            progress.record(&TrialUpdate::Epoch { index: 1, stats, seconds: 0.0, pruned: false });
        }
        assert_eq!(progress.verdict(1, &stats(260, 0.1)), Verdict::Prune);
    }
}
