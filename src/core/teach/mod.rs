//! Teaching: lessons (steps over a starting graph, their text and their goals, checked live
//! against the run), the facts goals read, and the diagnoses of a run, each with its evidence
//! and one change to try. Plain data and arithmetic, tested natively; the page draws them.

pub mod diagnosis;
pub mod explain;
pub mod facts;
pub mod goal;
pub mod lesson;
pub mod lesson_draft;
pub mod markdown;
pub mod network;
