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

/// TensorFlow Playground's 2-D classification sets, scaled from its [-5, 5]² to about
/// [-1, 1]².
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DatasetKind {
    /// Interleaved spiral arms, one per class.
    Spiral,
    /// A disc (class 0) inside a ring (class 1). Two classes only.
    Circle,
    /// The four quadrants, alike diagonally opposite ones (XOR of the signs). Two classes only.
    Xor,
    /// One Gaussian blob per class, centres spaced evenly on a circle.
    Gauss,
}

impl DatasetKind {
    /// The catalogue name, as the Dataset node's `kind` parameter spells it.
    pub fn name(self) -> &'static str {
        match self {
            DatasetKind::Spiral => "spiral",
            DatasetKind::Circle => "circle",
            DatasetKind::Xor => "xor",
            DatasetKind::Gauss => "gauss",
        }
    }

    pub fn from_name(name: &str) -> Option<Self> {
        [DatasetKind::Spiral, DatasetKind::Circle, DatasetKind::Xor, DatasetKind::Gauss]
            .into_iter()
            .find(|kind| kind.name() == name)
    }

    /// The one number of classes the set has, if it is fixed.
    pub fn fixed_classes(self) -> Option<usize> {
        match self {
            DatasetKind::Circle | DatasetKind::Xor => Some(2),
            DatasetKind::Spiral | DatasetKind::Gauss => None,
        }
    }
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
        let mut rng = StdRng::seed_from_u64(self.seed);
        let classes = self.classes.max(1);
        let mut inputs = Vec::with_capacity(self.samples * POINT_FEATURES);
        let mut targets = Vec::with_capacity(self.samples);
        for sample in 0..self.samples {
            let class = sample % classes;
            // How far along its class this sample is, in [0, 1).
            let along = (sample / classes) as f32 / self.samples.div_ceil(classes) as f32;
            let [x, y] = match self.kind {
                DatasetKind::Spiral => spiral_point(class, classes, along),
                DatasetKind::Circle => circle_point(class, &mut rng),
                DatasetKind::Xor => xor_point(class, &mut rng),
                DatasetKind::Gauss => gauss_point(class, classes, &mut rng),
            };
            inputs.push(x + rng.random_range(-1.0..=1.0f32) * self.noise);
            inputs.push(y + rng.random_range(-1.0..=1.0f32) * self.noise);
            targets.push(class as i64);
        }
        Dataset { inputs, targets, features: POINT_FEATURES, classes }
    }
}

/// A point on spiral arm `class` (radius grows to 1 over 1.75 turns), `along` its length.
fn spiral_point(class: usize, classes: usize, along: f32) -> [f32; 2] {
    use std::f32::consts::TAU;
    let angle = 1.75 * along * TAU + TAU * class as f32 / classes as f32;
    [along * angle.sin(), along * angle.cos()]
}

/// Class 0 within radius 0.5, class 1 in the ring from 0.7 to 1.
fn circle_point(class: usize, rng: &mut StdRng) -> [f32; 2] {
    let (low, high) = if class == 0 { (0.0, 0.5) } else { (0.7, 1.0) };
    let radius = rng.random_range(low..high);
    let angle = rng.random_range(0.0..std::f32::consts::TAU);
    [radius * angle.sin(), radius * angle.cos()]
}

/// A point in a quadrant of class `class`: 0 where x and y share a sign, 1 where they do
/// not; kept 0.06 off the axes, as TensorFlow Playground pads them.
fn xor_point(class: usize, rng: &mut StdRng) -> [f32; 2] {
    let padded = |value: f32| if value >= 0.0 { value + 0.06 } else { value - 0.06 };
    let x = padded(rng.random_range(-0.94..0.94f32));
    let y = padded(rng.random_range(0.0..0.94f32));
    let same_sign = if x >= 0.0 { y } else { -y };
    [x, if class == 0 { same_sign } else { -same_sign }]
}

/// A Gaussian blob (σ = 0.2) per class, centres 0.57 from the origin at evenly spaced angles
/// (two classes: at (0.4, 0.4) and (−0.4, −0.4), as TensorFlow Playground's (±2, ±2)).
fn gauss_point(class: usize, classes: usize, rng: &mut StdRng) -> [f32; 2] {
    use std::f32::consts::{FRAC_PI_4, TAU};
    let angle = FRAC_PI_4 + TAU * class as f32 / classes as f32;
    let centre = [0.4 * std::f32::consts::SQRT_2 * angle.cos(), 0.4 * std::f32::consts::SQRT_2 * angle.sin()];
    // Box–Muller: two uniforms give two independent standard normals.
    let u = rng.random_range(f32::EPSILON..1.0);
    let v = rng.random_range(0.0..TAU);
    let radius = (-2.0 * u.ln()).sqrt() * 0.2;
    [centre[0] + radius * v.cos(), centre[1] + radius * v.sin()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(seed: u64) -> DatasetSpec {
        DatasetSpec { kind: DatasetKind::Spiral, classes: 3, samples: 301, noise: 0.1, seed }
    }

    /// The class of each sample, as its region of the plane says.
    fn region_agrees(kind: DatasetKind, region: impl Fn(f32, f32) -> i64) {
        let data = DatasetSpec { kind, classes: 2, samples: 400, noise: 0.0, seed: 3 }.generate();
        for (point, &target) in data.inputs.chunks(2).zip(&data.targets) {
            assert_eq!(region(point[0], point[1]), target, "{kind:?} {point:?}");
            assert!(point.iter().all(|v| v.abs() <= 1.0), "{kind:?} {point:?}");
        }
    }

    #[test]
    fn circle_and_xor_points_lie_in_their_class_regions() {
        region_agrees(DatasetKind::Circle, |x, y| i64::from((x * x + y * y).sqrt() > 0.6));
        region_agrees(DatasetKind::Xor, |x, y| i64::from(x * y < 0.0));
    }

    #[test]
    fn gauss_blobs_centre_where_playground_puts_them() {
        let data = DatasetSpec { kind: DatasetKind::Gauss, classes: 2, samples: 2000, noise: 0.0, seed: 5 }
            .generate();
        for (class, expected) in [(0, 0.4), (1, -0.4)] {
            let points: Vec<&[f32]> = data
                .inputs
                .chunks(2)
                .zip(&data.targets)
                .filter(|(_, t)| **t == class)
                .map(|(p, _)| p)
                .collect();
            let mean_x = points.iter().map(|p| p[0]).sum::<f32>() / points.len() as f32;
            let mean_y = points.iter().map(|p| p[1]).sum::<f32>() / points.len() as f32;
            assert!(
                (mean_x - expected).abs() < 0.03 && (mean_y - expected).abs() < 0.03,
                "{mean_x} {mean_y}"
            );
        }
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
