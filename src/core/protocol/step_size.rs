//! What a step of a paused run runs: a batch, or the rest of the epoch.

use serde::{Deserialize, Serialize};

/// What a step of a paused run runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum StepSize {
    Batch,
    /// To the end of the current epoch.
    Epoch,
}
