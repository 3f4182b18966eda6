//! What the page knows of a run it asked the engine for: its number, where its weights came
//! from, and what the charts begin with once the engine says it started (until then the last
//! run's stay, so a load the engine refuses changes nothing).

use super::run_view::RunSubject;
use crate::core::compile::plan::TrainingPlan;
use crate::core::data::dataset::Dataset;
use crate::core::model::choices::POINT_FEATURES;
use crate::core::model::graph::Graph;
use crate::core::protocol::message::ActivityId;

/// The run the page started last.
#[derive(Clone)]
pub struct Current {
    pub id: ActivityId,
    pub loaded: Option<Loaded>,
    /// Taken when the engine says the run started.
    pub starting: Option<Starting>,
}

/// A run's graph, planned epochs, and what it is of.
#[derive(Clone)]
pub struct Starting {
    pub graph: Graph,
    pub epochs: usize,
    pub subject: RunSubject,
}

impl Starting {
    pub fn of(graph: &Graph, plan: &TrainingPlan) -> Self {
        Self {
            graph: graph.clone(),
            epochs: plan.tracker.epochs,
            subject: RunSubject {
                points: points(plan),
                class_names: plan.dataset.csv.as_ref().map(|csv| csv.labels.clone()).unwrap_or_default(),
                network: plan.network.clone(),
                dataset: plan.dataset.clone(),
            },
        }
    }
}

/// The data a run of `plan` draws over the decision boundary's plane: its dataset, when the
/// network takes points of the plane.
pub fn points(plan: &TrainingPlan) -> Option<Dataset> {
    (plan.network.in_shape == [POINT_FEATURES]).then(|| plan.dataset.generate())
}

/// Weights a run was started from, for the notice that says so.
#[derive(Clone)]
pub struct Loaded {
    /// What they are: "the checkpoint of epoch 12 (…)", "the weights in w.bpk".
    pub from: String,
    /// Whether they came with where their run stood (a checkpoint).
    pub exact: bool,
    pub epoch: usize,
}
