//! Inside any network, whatever the data: each linear layer's weights, gradients and
//! updates at the end of each epoch (what practitioners watch for vanishing or exploding
//! gradients and a learning rate off by orders of magnitude), and each hidden layer's
//! activations on a fixed batch (for saturated or dead units).

use serde::{Deserialize, Serialize};

/// The usual guide for the update-to-weight ratio: near 1e-3 an update changes the weights
/// by a thousandth, far below and the layer barely learns, far above and it may be thrown
/// about (Karpathy's CS231n notes).
pub const UPDATE_RATIO_GUIDE: f64 = 1e-3;

/// Bins of an activation histogram.
pub const HISTOGRAM_BINS: usize = 20;

/// The most samples of the fixed batch whose activations are counted.
pub const ACTIVITY_SAMPLES: usize = 128;

/// One linear layer's weights as the epoch's last update left them, and that update (L2
/// norms; biases left out, as the usual guide reads them).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct LayerNorms {
    /// ‖W‖ after the update.
    pub weight: f64,
    /// ‖∂loss/∂W‖ of the update, before any clipping.
    pub gradient: f64,
    /// ‖ΔW‖: how far the update moved the weights.
    pub update: f64,
}

impl LayerNorms {
    /// ‖ΔW‖ / ‖W‖, against [`UPDATE_RATIO_GUIDE`]; `None` for weights of norm zero.
    pub fn update_ratio(&self) -> Option<f64> {
        (self.weight > 0.0).then(|| self.update / self.weight)
    }
}

/// A hidden layer's activations on the fixed batch.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LayerActivity {
    /// The index of the linear layer whose units these are.
    pub linear: usize,
    /// Units in the layer.
    pub units: usize,
    /// The histogram of every unit's value at every sample of the batch.
    pub histogram: Histogram,
    /// For a layer ending in ReLU: how many units are zero at every sample of the batch
    /// (they pass no gradient: "dead"). `None` for other activations.
    pub dead: Option<usize>,
}

/// Counts of values in equal bins from `low` to `high`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Histogram {
    pub low: f32,
    pub high: f32,
    pub counts: Vec<u32>,
}

impl Histogram {
    /// `values` (non-finite ones left out) in `bins` equal bins spanning them.
    pub fn of(values: &[f32], bins: usize) -> Self {
        let bins = bins.max(1);
        let finite = values.iter().copied().filter(|value| value.is_finite());
        let (low, high) = finite
            .clone()
            .fold((f32::INFINITY, f32::NEG_INFINITY), |(low, high), value| (low.min(value), high.max(value)));
        if low > high {
            return Self { low: 0.0, high: 0.0, counts: vec![0; bins] };
        }
        let width = (high - low) / bins as f32;
        let mut counts = vec![0; bins];
        for value in finite {
            let bin = if width > 0.0 { ((value - low) / width) as usize } else { 0 };
            counts[bin.min(bins - 1)] += 1;
        }
        Self { low, high, counts }
    }

    /// How many values were counted.
    pub fn total(&self) -> u32 {
        self.counts.iter().sum()
    }
}

/// Units of `values` (`[samples][units]`, row-major) that are zero (or below) at every sample.
pub fn dead_units(values: &[f32], units: usize) -> usize {
    if units == 0 || values.is_empty() {
        return 0;
    }
    (0..units).filter(|&unit| values.iter().skip(unit).step_by(units).all(|&value| value <= 0.0)).count()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_histogram_spans_its_values_in_equal_bins() {
        let histogram = Histogram::of(&[0.0, 0.1, 0.5, 1.0, f32::NAN, 0.99], 4);
        assert_eq!((histogram.low, histogram.high), (0.0, 1.0));
        assert_eq!(histogram.counts, [2, 0, 1, 2]);
        assert_eq!(histogram.total(), 5);
        let flat = Histogram::of(&[3.0, 3.0], 3);
        assert_eq!(flat.counts, [2, 0, 0]);
        assert_eq!(Histogram::of(&[], 2).total(), 0);
    }

    #[test]
    fn a_unit_is_dead_when_no_sample_makes_it_fire() {
        // Three samples of three units; unit 1 never fires.
        let values = [0.5, 0.0, 0.0, 0.0, 0.0, 2.0, 1.0, 0.0, 0.0];
        assert_eq!(dead_units(&values, 3), 1);
        assert_eq!(dead_units(&[], 3), 0);
        let norms = LayerNorms { weight: 2.0, gradient: 0.3, update: 0.002 };
        assert_eq!(norms.update_ratio(), Some(0.001));
        assert_eq!(LayerNorms { weight: 0.0, ..norms }.update_ratio(), None);
    }
}
