//! An experiment: what a share link, a graph file and an autosave carry — the graph (nodes,
//! wires, every parameter, the dataset and its seed, node positions) and the view on it.

use serde::{Deserialize, Serialize};

use super::graph::Graph;

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
}

/// Why a link, a file or a saved state could not be read. Each reads as a clause after "this
/// link cannot be opened: …" or "the file cannot be imported: …".
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ReadError {
    #[error("it holds no Kindling experiment")]
    Empty,
    #[error("it is too long ({length} characters; at most {max})")]
    TooLong { length: usize, max: usize },
    #[error("it is damaged ({0}); it may have been cut off or edited")]
    Damaged(String),
    #[error(
        "it was made by a newer Kindling (format version {found}; this page reads up to version {supported}). \
         Nothing was changed: open it with the newer Kindling"
    )]
    Newer { found: u64, supported: u8 },
    #[error("it expands past {0} bytes, more than any graph needs; it was not expanded")]
    TooLarge(usize),
    #[error("{0}")]
    Invalid(String),
    #[error("it would not fit in the page: {0}")]
    OverBudget(#[from] super::budget::OverBudget),
}
