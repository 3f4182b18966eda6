//! Why training stopped: divergence, a loss that is not a number, a device that failed a read —
//! each a sentence that says what to change.

use serde::{Deserialize, Serialize};

/// Why training stopped early.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
pub enum TrainError {
    #[error(
        "the {which} loss became {loss} in epoch {epoch}: training diverged. Lower the learning \
         rate (now {learning_rate}), or the momentum if the optimizer uses it, or set \
         TrainingStep's gradient_clip"
    )]
    Diverged { epoch: usize, which: String, loss: f64, learning_rate: f64 },
    #[error(
        "The loss became {loss:.4e} at batch {batch} of epoch {epoch} (it started at {first:.4}): training \
         diverged and paused, keeping the weights from before the step that blew up. Likely cause: steps too large for this network — the learning \
         rate is {learning_rate}{}; try {}{}.",
        if *momentum > 0.0 { format!(" with momentum {momentum} adding to each step") } else { String::new() },
        learning_rate / 10.0,
        if *gradient_clip > 0.0 {
            format!(" (gradient_clip is {gradient_clip})")
        } else {
            ", or set TrainingStep's gradient_clip (e.g. 1.0) to bound each step".to_owned()
        }
    )]
    NonFiniteLoss {
        epoch: usize,
        batch: usize,
        loss: f64,
        /// The first batch's loss, for scale.
        first: f64,
        learning_rate: f64,
        momentum: f64,
        gradient_clip: f64,
    },
    #[error("reading the epoch's metrics from the device failed: {0}")]
    Readback(String),
}
