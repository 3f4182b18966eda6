//! What Leslie Smith's learning-rate range test found: the smoothed loss at each rate, and the
//! rate it suggests.

use serde::{Deserialize, Serialize};

/// What a range test found.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RangeTestResult {
    /// Each batch's learning rate and smoothed loss, in order.
    pub points: Vec<(f64, f64)>,
    /// The suggested learning rate: where the smoothed loss falls fastest against the
    /// logarithm of the rate (`None` when it never falls).
    pub suggestion: Option<f64>,
    /// Whether the loss exploded before the last batch.
    pub exploded: bool,
}
