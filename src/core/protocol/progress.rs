//! Where a run's current epoch stands, and how fast it trains: the progress bar's numbers.

use serde::{Deserialize, Serialize};

/// Where the current epoch stands, and how fast training goes.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Progress {
    /// Epochs completed (a run restored from a checkpoint starts past 0).
    pub epochs: usize,
    pub batch: usize,
    pub batches: usize,
    /// Training samples per second over the last stretch, once measured.
    pub samples_per_second: Option<f64>,
    /// Seconds left at that rate.
    pub eta_seconds: Option<f64>,
    /// Seconds spent training so far (pauses and the engine's other work left out).
    pub trained_seconds: f64,
}
