//! What the page shows of the current (or last) run, as signals: its epochs, its step logs,
//! where it stands, and the views of its model. The session fills them from the engine's
//! events; the charts, the progress bar and the views read them.

use leptos::prelude::*;

use crate::core::compile::plan::NetworkPlan;
use crate::core::data::dataset::{Dataset, DatasetSpec};
use crate::core::model::params::greyscale_image;
use crate::core::protocol::progress::Progress;
use crate::core::report::confusion::Confusion;
use crate::core::report::epoch_stats::EpochStats;
use crate::core::report::field::Field;
use crate::core::report::layer_stats::LayerActivity;
use crate::core::report::neurons::{InputWeights, NeuronPictures, ProbeAnswer};
use crate::core::report::step_log::{StepHistory, StepLog};
use crate::core::report::views::Views;

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
    /// Every hidden unit's picture over the input plane, for 2-D data, as of the last refresh.
    pub neurons: RwSignal<Option<NeuronPictures>>,
    /// The first layer's weights as images, for image data, as of the last refresh.
    pub input_weights: RwSignal<Option<InputWeights>>,
    /// Each hidden layer's activations on a fixed batch, as of the last refresh.
    pub activity: RwSignal<Option<Vec<LayerActivity>>>,
    /// The run's network.
    pub network: RwSignal<Option<NetworkPlan>>,
    /// The run's dataset.
    pub dataset: RwSignal<Option<DatasetSpec>>,
    /// What the learner asked the model about (a point, a drawing, a row): asked again of
    /// each new run that takes inputs of its size.
    pub asked: RwSignal<Option<Vec<f32>>>,
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
            neurons: RwSignal::new(None),
            input_weights: RwSignal::new(None),
            activity: RwSignal::new(None),
            network: RwSignal::new(None),
            dataset: RwSignal::new(None),
            asked: RwSignal::new(None),
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

    /// Shows a refresh of the views (keeping the last of any it lacks).
    pub fn show_views(self, views: Views) {
        let Views { field, confusion, neurons, activity, input_weights } = views;
        if field.is_some() {
            self.field.set(field);
        }
        if neurons.is_some() {
            self.neurons.set(neurons);
        }
        if activity.is_some() {
            self.activity.set(activity);
        }
        if input_weights.is_some() {
            self.input_weights.set(input_weights);
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

    /// Starts afresh for a run of `subject` for `epochs_total` epochs from epoch `epoch`;
    /// returns the epochs the last run showed. What the
    /// learner asked is kept if the network takes inputs of its size.
    pub fn begin(self, epochs_total: usize, epoch: usize, subject: RunSubject) -> Vec<EpochStats> {
        let RunSubject { points, class_names, network, dataset } = subject;
        let last = self.history.try_update(std::mem::take).unwrap_or_default();
        self.epochs_total.set(epochs_total);
        self.clear_steps();
        self.progress.set(Progress { epochs: epoch, ..Progress::default() });
        self.points.set(points);
        self.class_names.set(class_names);
        self.field.set(None);
        self.confusion.set(None);
        self.neurons.set(None);
        self.activity.set(None);
        self.input_weights.set(None);
        self.probe.set(None);
        if self
            .asked
            .with_untracked(|asked| asked.as_ref().is_some_and(|asked| asked.len() != network.in_features()))
        {
            self.asked.set(None);
        }
        self.network.set(Some(network));
        self.dataset.set(Some(dataset));
        last
    }

    /// [`Self::asked_from`], untracked.
    pub fn asked_from_untracked(self) -> Option<AskedFrom> {
        untrack(move || self.asked_from())
    }

    /// Where the learner asks the current run's model a question: on the plane (2-D
    /// points), on the drawing pad (images), in the form (a CSV's rows); `None` before a run.
    pub fn asked_from(self) -> Option<AskedFrom> {
        let network = self.network.read();
        let network = network.as_ref()?;
        if self.dataset.read().as_ref().is_some_and(|dataset| dataset.csv.is_some()) {
            return Some(AskedFrom::Form);
        }
        match network.in_shape.as_slice() {
            [2] => Some(AskedFrom::Plane),
            shape if greyscale_image(shape).is_some() => Some(AskedFrom::Drawing),
            _ => None,
        }
    }

    /// Back to nothing shown.
    pub fn clear(self) {
        self.history.set(Vec::new());
        self.clear_steps();
        self.progress.set(Progress::default());
        self.field.set(None);
        self.points.set(None);
        self.confusion.set(None);
        self.neurons.set(None);
        self.activity.set(None);
        self.input_weights.set(None);
        self.network.set(None);
        self.dataset.set(None);
        self.asked.set(None);
        self.probe.set(None);
    }

    fn clear_steps(self) {
        if !self.steps.with_untracked(StepHistory::is_empty) {
            self.steps.set(StepHistory::default());
        }
    }
}

/// What a run is of: its data, named classes and network.
#[derive(Clone)]
pub struct RunSubject {
    /// The data drawn over the field: the run's dataset, when it is 2-D.
    pub points: Option<Dataset>,
    /// The classes' names, where the data names them (a CSV's target values).
    pub class_names: Vec<String>,
    pub network: NetworkPlan,
    pub dataset: DatasetSpec,
}

/// Where the learner asks the model a question.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AskedFrom {
    /// Clicking the decision boundary's plane.
    Plane,
    /// The drawing pad, for images.
    Drawing,
    /// The form of a CSV's feature columns.
    Form,
}

impl Default for RunView {
    fn default() -> Self {
        Self::new()
    }
}
