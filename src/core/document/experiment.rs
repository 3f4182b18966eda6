//! An experiment: what a share link, a graph file and an autosave carry — the graph (nodes,
//! wires, every parameter, the dataset and its seed, node positions), the view on it, and
//! the lesson it is the start of, if any.

use serde::{Deserialize, Serialize};

use crate::core::model::graph::Graph;
use crate::core::model::graph_check::check_graph;
use crate::core::model::limit_error::LimitError;
use crate::core::model::limits::{MAX_ID, MAX_OFFSET};
use crate::core::teach::lesson::{self, Lesson};

/// The zoom range: from a 500-node overview to reading a single port.
pub const MIN_SCALE: f32 = 0.1;
pub const MAX_SCALE: f32 = 3.0;

/// Which part of the canvas the editor shows: `screen = world · scale + offset`.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct View {
    pub offset_x: f32,
    pub offset_y: f32,
    pub scale: f32,
}

impl Default for View {
    fn default() -> Self {
        Self { offset_x: 0.0, offset_y: 0.0, scale: 1.0 }
    }
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Experiment {
    pub graph: Graph,
    pub view: View,
    /// The lesson whose starting graph this is (kept while the learner follows it).
    #[serde(default)]
    pub lesson: Option<Lesson>,
}

impl Experiment {
    /// `graph` seen from `view`, without a lesson.
    pub fn new(graph: Graph, view: View) -> Self {
        Self { graph, view, lesson: None }
    }
}

/// Why a link, a file or a saved state could not be read. Each reads as a clause after "this
/// link cannot be opened: …" or "the file cannot be imported: …".
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ReadError {
    #[error("{}", text!("file-empty"))]
    Empty,
    #[error("{}", text!("file-too-long", length = *.length, max = *.max))]
    TooLong { length: usize, max: usize },
    #[error("{}", text!("file-damaged", problem = .0))]
    Damaged(String),
    #[error("{}", text!("file-newer", found = .found.to_string(), supported = *.supported))]
    Newer { found: u64, supported: u8 },
    #[error("{}", text!("file-too-large", bytes = *.0))]
    TooLarge(usize),
    #[error("{0}")]
    Invalid(String),
    /// Past a limit a graph from outside is held to, or not what the catalogue allows.
    #[error(transparent)]
    Limits(#[from] LimitError),
    #[error("{}", text!("file-over-budget", reason = .0.to_string()))]
    OverBudget(#[from] crate::core::compile::budget::OverBudget),
}

/// Why an experiment could not be written as a link or a saved entry.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum WriteError {
    /// Past a bound every reader enforces: what was written would not open again.
    #[error(transparent)]
    Unreadable(#[from] ReadError),
    /// The encoder failed (nothing within the bounds makes it).
    #[error("{}", text!("file-not-encoded", error = .0))]
    Encoding(String),
}

/// `experiment` as a reader opens it: a graph whose ids have used up more than half of what
/// ids may reach is renumbered (`Graph::renumbered`), so that no graph the limits accept
/// runs out of ids — a graph that somehow did is exported and imported again.
pub fn with_room(experiment: Experiment) -> Experiment {
    if experiment.graph.next_id() > MAX_ID / 2 {
        Experiment { graph: experiment.graph.renumbered(), ..experiment }
    } else {
        experiment
    }
}

/// Checks `experiment` against every bound above and the catalogue.
///
/// # Errors
/// The first problem found. Names from the input appear quoted and shortened, as text.
pub fn check(experiment: &Experiment) -> Result<(), ReadError> {
    check_graph(&experiment.graph)?;
    if let Some(lesson) = &experiment.lesson {
        lesson::check(lesson)
            .map_err(|problem| ReadError::Invalid(text!("file-lesson-invalid", problem = problem)))?;
    }
    let view = experiment.view;
    if !(view.offset_x.is_finite() && view.offset_y.is_finite() && view.scale.is_finite()) {
        return Err(ReadError::Invalid(text!("file-view-not-finite")));
    }
    if view.offset_x.abs() > MAX_OFFSET || view.offset_y.abs() > MAX_OFFSET {
        return Err(ReadError::Invalid(text!("file-view-panned-too-far", max = MAX_OFFSET.to_string())));
    }
    if !(MIN_SCALE..=MAX_SCALE).contains(&view.scale) {
        return Err(ReadError::Invalid(text!(
            "file-zoom-outside",
            zoom = view.scale.to_string(),
            min = MIN_SCALE.to_string(),
            max = MAX_SCALE.to_string()
        )));
    }
    Ok(())
}
