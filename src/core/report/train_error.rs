//! Why training stopped: divergence, a loss that is not a number, a device that failed a read —
//! each a sentence that says what to change.

use serde::{Deserialize, Serialize};

/// Why training stopped early.
#[derive(Debug, Clone, PartialEq, thiserror::Error, Serialize, Deserialize)]
pub enum TrainError {
    #[error(
        "{}",
        text!(
            "run-error-diverged",
            which = .which,
            loss = .loss.to_string(),
            epoch = *.epoch,
            learning_rate = .learning_rate.to_string()
        )
    )]
    Diverged { epoch: usize, which: String, loss: f64, learning_rate: f64 },
    #[error(
        "{}",
        text!(
            "run-error-non-finite-loss",
            loss = format!("{:.4e}", .loss),
            batch = *.batch,
            epoch = *.epoch,
            first = format!("{:.4}", .first),
            learning_rate = .learning_rate.to_string(),
            momentum = if *.momentum > 0.0 { .momentum.to_string() } else { "none".to_owned() },
            lower_rate = (*.learning_rate / 10.0).to_string(),
            gradient_clip = if *.gradient_clip > 0.0 { .gradient_clip.to_string() } else { "none".to_owned() }
        )
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
    #[error("{}", text!("run-error-metrics-readback", error = .0))]
    Readback(String),
}
