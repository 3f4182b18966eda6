//! Dataset generation: the 2-D classification sets that learners see on the canvas.
//!
//! Generation is seeded and pure, so a graph (and a link) fully determines its data.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

/// Features per sample of the 2-D datasets: a point's x and y.
pub const POINT_FEATURES: usize = 2;

/// Which dataset to generate, with its settings.
#[derive(Clone, Debug, PartialEq)]
pub struct DatasetSpec {
    pub kind: DatasetKind,
    pub classes: usize,
    pub samples: usize,
    /// Half-width of the uniform jitter added to each coordinate, in data units.
    pub noise: f32,
    pub seed: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DatasetKind {
    /// TensorFlow Playground's spiral, one arm per class, scaled to about [-1, 1]².
    Spiral,
}

/// Generated samples, row-major.
#[derive(Clone, Debug, PartialEq)]
pub struct Dataset {
    /// `[samples, features]`, row-major.
    pub inputs: Vec<f32>,
    /// `[samples]`, class indices in `0..classes`.
    pub targets: Vec<i64>,
    pub features: usize,
    pub classes: usize,
}

impl Dataset {
    pub fn len(&self) -> usize {
        self.targets.len()
    }

    pub fn is_empty(&self) -> bool {
        self.targets.is_empty()
    }
}

impl DatasetSpec {
    /// Generates the samples. Classes take turns, so every class gets `samples / classes`
    /// points (the first `samples % classes` classes one more).
    pub fn generate(&self) -> Dataset {
        match self.kind {
            DatasetKind::Spiral => spiral(self),
        }
    }
}

/// Points along `classes` interleaved spiral arms, as TensorFlow Playground draws them
/// (radius grows to 5 over 1.75 turns), divided by 5 so they lie in about [-1, 1]².
fn spiral(spec: &DatasetSpec) -> Dataset {
    let mut rng = StdRng::seed_from_u64(spec.seed);
    let classes = spec.classes.max(1);
    let mut inputs = Vec::with_capacity(spec.samples * POINT_FEATURES);
    let mut targets = Vec::with_capacity(spec.samples);
    for sample in 0..spec.samples {
        let class = sample % classes;
        let per_class = spec.samples.div_ceil(classes);
        let along = (sample / classes) as f32 / per_class as f32;
        let radius = along * 5.0;
        let angle =
            1.75 * along * std::f32::consts::TAU + std::f32::consts::TAU * class as f32 / classes as f32;
        let jitter_x = rng.random_range(-1.0..=1.0f32) * spec.noise;
        let jitter_y = rng.random_range(-1.0..=1.0f32) * spec.noise;
        inputs.push(radius * angle.sin() / 5.0 + jitter_x);
        inputs.push(radius * angle.cos() / 5.0 + jitter_y);
        targets.push(class as i64);
    }
    Dataset { inputs, targets, features: POINT_FEATURES, classes }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(seed: u64) -> DatasetSpec {
        DatasetSpec { kind: DatasetKind::Spiral, classes: 3, samples: 301, noise: 0.1, seed }
    }

    #[test]
    fn spiral_is_balanced_bounded_and_seeded() {
        let data = spec(7).generate();
        assert_eq!(data.len(), 301);
        assert_eq!(data.inputs.len(), 602);
        for class in 0..3 {
            let count = data.targets.iter().filter(|&&t| t == class).count();
            assert!((100..=101).contains(&count), "class {class}: {count}");
        }
        assert!(data.inputs.iter().all(|v| v.abs() <= 1.1));
        assert_eq!(data, spec(7).generate());
        assert_ne!(data, spec(8).generate());
    }
}
