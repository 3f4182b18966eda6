//! The lessons Kindling ships: graph files with a lesson (`lessons/*.json`, read at build
//! time), in the order the Lessons panel lists them. Each opens through the same reader as a
//! file the learner imports, so a built-in lesson is held to every bound a shared one is;
//! `tests/lessons.rs` opens them all, and follows each one to its end on a real run.

use crate::core::document::experiment::{Experiment, ReadError};
use crate::core::document::graph_file;

/// A lesson shipped with Kindling: its slug (what `lesson:` links and stored progress name it
/// by) and its file.
#[derive(Clone, Copy, Debug)]
pub struct BuiltInLesson {
    pub slug: &'static str,
    pub file: &'static str,
}

macro_rules! lessons {
    ($($slug:literal),+ $(,)?) => {
        /// Every built-in lesson, in teaching order.
        pub const BUILT_IN_LESSONS: &[BuiltInLesson] = &[
            $(BuiltInLesson { slug: $slug, file: include_str!(concat!("../../../lessons/", $slug, ".json")) }),+
        ];
    };
}

lessons![
    "one-neuron",
    "activations",
    "learning-rate",
    "batch-size",
    "momentum",
    "overfitting",
    "schedules",
    "tuning",
    "rare-class",
    "your-own-data",
];

impl BuiltInLesson {
    /// The lesson called `slug`.
    pub fn find(slug: &str) -> Option<Self> {
        BUILT_IN_LESSONS.iter().find(|lesson| lesson.slug == slug).copied()
    }

    /// The lesson and its starting graph.
    ///
    /// # Errors
    /// What the reader says of its file (a test keeps every built-in one readable).
    pub fn open(&self) -> Result<Experiment, ReadError> {
        graph_file::from_json(self.file)
    }
}
