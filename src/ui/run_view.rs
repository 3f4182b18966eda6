//! What the page shows of the current (or last) run, as signals: its epochs, its step logs,
//! where it stands, and the views of its model. The session fills them from the engine's
//! events; the charts, the progress bar and the views read them.

use leptos::prelude::*;

use crate::core::data::dataset::Dataset;
use crate::core::protocol::progress::Progress;
use crate::core::report::confusion::Confusion;
use crate::core::report::epoch_stats::EpochStats;
use crate::core::report::field::Field;
use crate::core::report::neurons::ProbeAnswer;
use crate::core::report::step_log::{StepHistory, StepLog};

/// The current run as the page shows it. Cheap to copy: all signals.
#[derive(Clone, Copy)]
pub struct RunView {
    pub history: RwSignal<Vec<EpochStats>>,
    /// EpochTracker's step logs: the running loss and each update's gradient norm.
    pub steps: RwSignal<StepHistory>,
    pub progress: RwSignal<Progress>,
    /// How many epochs the plan runs.
    pub epochs_total: RwSignal<usize>,
    /// The model over the input plane, for 2-D datasets, as of the last refresh.
    pub field: RwSignal<Option<Field>>,
    /// The data drawn over the field: the run's dataset, when it is 2-D.
    pub points: RwSignal<Option<Dataset>>,
    /// A classifier's confusion matrix, as of the last refresh.
    pub confusion: RwSignal<Option<Confusion>>,
    /// The classes' names, where the data names them (a CSV's target values); else empty.
    pub class_names: RwSignal<Vec<String>>,
    /// The model's answer to the learner's probe, as of the last refresh.
    pub probe: RwSignal<Option<ProbeAnswer>>,
}

impl RunView {
    pub fn new() -> Self {
        Self {
            history: RwSignal::new(Vec::new()),
            steps: RwSignal::new(StepHistory::default()),
            progress: RwSignal::new(Progress::default()),
            epochs_total: RwSignal::new(0),
            field: RwSignal::new(None),
            points: RwSignal::new(None),
            confusion: RwSignal::new(None),
            class_names: RwSignal::new(Vec::new()),
            probe: RwSignal::new(None),
        }
    }

    /// Epochs completed: the last one shown.
    pub fn epochs_done(self) -> usize {
        let shown = self.history.read().last().map_or(0, |stats| stats.epoch);
        shown.max(self.progress.read().epochs)
    }

    /// Adds what a publish brought.
    pub fn publish(self, epochs: Vec<EpochStats>, logs: &[StepLog], progress: Progress) {
        if !epochs.is_empty() {
            self.history.update(|history| history.extend(epochs));
        }
        if !logs.is_empty() {
            self.steps.update(|steps| logs.iter().for_each(|log| steps.push(log)));
        }
        if self.progress.get_untracked() != progress {
            self.progress.set(progress);
        }
    }

    /// Shows a refresh of the views.
    pub fn show_views(self, field: Option<Field>, confusion: Option<Confusion>) {
        if field.is_some() {
            self.field.set(field);
        }
        if confusion.is_some() {
            self.confusion.set(confusion);
        }
    }

    /// Drops what came after epoch `epoch` (a run that went back to an earlier copy of its
    /// weights).
    pub fn back_to(self, epoch: usize) {
        self.history.update(|history| history.retain(|stats| stats.epoch <= epoch));
        let batches = self.progress.get_untracked().batches;
        self.steps.update(|steps| steps.truncate_after(epoch * batches));
    }

    /// Starts afresh for a run of `epochs_total` epochs from epoch `epoch`, drawing `points`
    /// over the field; returns the epochs the last run showed.
    pub fn begin(
        self,
        epochs_total: usize,
        epoch: usize,
        points: Option<Dataset>,
        class_names: Vec<String>,
    ) -> Vec<EpochStats> {
        let last = self.history.try_update(std::mem::take).unwrap_or_default();
        self.epochs_total.set(epochs_total);
        self.clear_steps();
        self.progress.set(Progress { epochs: epoch, ..Progress::default() });
        self.points.set(points);
        self.class_names.set(class_names);
        self.field.set(None);
        self.confusion.set(None);
        self.probe.set(None);
        last
    }

    /// Back to nothing shown.
    pub fn clear(self) {
        self.history.set(Vec::new());
        self.clear_steps();
        self.progress.set(Progress::default());
        self.field.set(None);
        self.points.set(None);
        self.confusion.set(None);
        self.probe.set(None);
    }

    fn clear_steps(self) {
        if !self.steps.with_untracked(StepHistory::is_empty) {
            self.steps.set(StepHistory::default());
        }
    }
}

impl Default for RunView {
    fn default() -> Self {
        Self::new()
    }
}
