//! The `shapes` dataset: greyscale images `[1, S, S]` of simple shapes — a circle, a square,
//! a triangle, a cross, … one class per shape — each moved, scaled and turned at random and
//! drawn anti-aliased in [0, 1], with optional pixel noise.
//!
//! It is the set where a convolution earns its place: the same shape anywhere in the image
//! is the same class, which a small CNN (shared kernels, pooling) learns from few samples and
//! a fully-connected network of as many parameters must learn position by position.
//!
//! Generation is seeded and pure, and gives the same bits on every platform: the random
//! numbers are the other generated sets' (`StdRng`, ChaCha), and the drawing uses only
//! IEEE-exact arithmetic (`+ − × ÷`, `sqrt`, `abs`, `min`, `max`) — the rotation's sine and
//! cosine come from a polynomial here, not from the platform's `sin`, whose last bits differ
//! between the native C library and WebAssembly's.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use crate::core::model::catalogue::DatasetParams;

/// The shapes, one per class, in class order: a dataset of `c` classes draws the first `c`.
pub const SHAPE_NAMES: [&str; 10] =
    ["circle", "square", "triangle", "cross", "ring", "diamond", "frame", "bar", "x", "half-disc"];

/// A shape's radius in an image of side 1 before scaling: a quarter of the image, so that a
/// shape of default size moved by the default translation stays within the image.
const RADIUS: f32 = 0.25;

/// How the shapes are drawn: the Dataset node's settings for the `shapes` kind, as
/// torchvision's `RandomAffine` names its jitter.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ShapesSettings {
    /// Rows (and columns) of each image, `S`.
    pub image_size: usize,
    /// The largest move of a shape's centre from the image's centre, per axis, as a fraction
    /// of the image's side (`RandomAffine`'s `translate`).
    pub translate: f32,
    /// The largest relative change of a shape's size: its radius is scaled by a factor in
    /// `[1 − scale, 1 + scale]`.
    pub scale: f32,
    /// The largest turn, in degrees, either way (`RandomAffine`'s `degrees`).
    pub degrees: f32,
}

impl ShapesSettings {
    /// How a Dataset node of kind shapes draws its images.
    pub fn of(params: &DatasetParams) -> Self {
        Self {
            image_size: params.image_size,
            translate: params.translate as f32,
            scale: params.scale as f32,
            degrees: params.degrees as f32,
        }
    }
}

impl Default for ShapesSettings {
    /// The Dataset node's defaults (`catalogue::data`).
    fn default() -> Self {
        Self { image_size: 16, translate: 0.2, scale: 0.2, degrees: 15.0 }
    }
}

/// `samples` images of `classes` shapes (at most [`SHAPE_NAMES`]' count), pixels row by
/// row, and their labels: classes take turns, as in the other generated sets. `noise` is the
/// half-width of the uniform noise added to each pixel, which is then kept in [0, 1].
pub fn shapes(
    settings: &ShapesSettings,
    classes: usize,
    samples: usize,
    noise: f32,
    seed: u64,
) -> (Vec<f32>, Vec<i64>) {
    let classes = classes.clamp(1, SHAPE_NAMES.len());
    let side = settings.image_size.max(1);
    let size = side as f32;
    let mut rng = StdRng::seed_from_u64(seed);
    let mut inputs = Vec::with_capacity(samples * side * side);
    let mut labels = Vec::with_capacity(samples);
    for sample in 0..samples {
        let class = sample % classes;
        let mut jitter = |half_width: f32| rng.random_range(-1.0..=1.0f32) * half_width;
        let centre =
            [size / 2.0 + jitter(settings.translate * size), size / 2.0 + jitter(settings.translate * size)];
        let radius = RADIUS * size * (1.0 + jitter(settings.scale));
        let (sin, cos) = sin_cos(f64::from(jitter(settings.degrees)).to_radians());
        let (sin, cos) = (sin as f32, cos as f32);
        for row in 0..side {
            for column in 0..side {
                // The pixel's centre, in the shape's own frame (turned back, in radii).
                let x = column as f32 + 0.5 - centre[0];
                let y = row as f32 + 0.5 - centre[1];
                let point = [(cos * x + sin * y) / radius, (cos * y - sin * x) / radius];
                // Distance to the edge in pixels, negative inside: half a pixel of ramp.
                let distance = signed_distance(class, point) * radius;
                inputs.push((0.5 - distance).clamp(0.0, 1.0));
            }
        }
        if noise > 0.0 {
            let drawn = inputs.len() - side * side;
            for pixel in &mut inputs[drawn..] {
                *pixel = (*pixel + rng.random_range(-1.0..=1.0f32) * noise).clamp(0.0, 1.0);
            }
        }
        labels.push(class as i64);
    }
    (inputs, labels)
}

/// The signed distance from `point` to shape `class`'s edge, for a shape of radius 1 centred
/// at the origin (negative inside). `y` points down, as rows do.
fn signed_distance(class: usize, [x, y]: [f32; 2]) -> f32 {
    /// √½, to turn by 45°.
    const HALF_SQRT_2: f32 = std::f32::consts::FRAC_1_SQRT_2;
    let turned = [(x + y) * HALF_SQRT_2, (y - x) * HALF_SQRT_2];
    match class {
        0 => length(x, y) - 1.0,
        1 => rectangle([x, y], 0.85, 0.85),
        2 => triangle([x, y]),
        3 => rectangle([x, y], 1.0, 0.3).min(rectangle([x, y], 0.3, 1.0)),
        4 => (length(x, y) - 0.72).abs() - 0.28,
        5 => rectangle(turned, 0.8, 0.8),
        6 => rectangle([x, y], 0.9, 0.9).max(-rectangle([x, y], 0.5, 0.5)),
        7 => rectangle([x, y], 1.0, 0.35),
        8 => rectangle(turned, 1.05, 0.28).min(rectangle(turned, 0.28, 1.05)),
        _ => (length(x, y + 0.45) - 1.0).max(y - 0.45),
    }
}

fn length(x: f32, y: f32) -> f32 {
    (x * x + y * y).sqrt()
}

/// An axis-aligned rectangle of half-width `half_x` and half-height `half_y`.
fn rectangle([x, y]: [f32; 2], half_x: f32, half_y: f32) -> f32 {
    let (dx, dy) = (x.abs() - half_x, y.abs() - half_y);
    length(dx.max(0.0), dy.max(0.0)) + dx.max(dy).min(0.0)
}

/// An equilateral triangle, point up, inscribed in the unit circle shifted down so that its
/// centroid is the origin (Inigo Quilez's exact distance).
fn triangle([x, y]: [f32; 2]) -> f32 {
    /// √3.
    const SQRT_3: f32 = 1.732_050_8;
    // Side √3 (circumradius 1); in the frame of the formula y points up.
    let half_side = SQRT_3 / 2.0;
    let (mut px, mut py) = (x.abs() - half_side, -y + 0.5);
    if px + SQRT_3 * py > 0.0 {
        (px, py) = ((px - SQRT_3 * py) / 2.0, (-SQRT_3 * px - py) / 2.0);
    }
    px -= px.clamp(-2.0 * half_side, 0.0);
    -length(px, py) * py.signum()
}

/// The sine and cosine of `angle` (radians, |angle| ≤ π) from their Taylor series, in
/// float64, with arithmetic alone: the same bits on every platform.
fn sin_cos(angle: f64) -> (f64, f64) {
    let (mut sin, mut cos) = (0.0, 0.0);
    let (mut sin_term, mut cos_term) = (angle, 1.0);
    for n in 0..16 {
        sin += sin_term;
        cos += cos_term;
        let k = f64::from(2 * n + 1);
        sin_term = -sin_term * angle * angle / ((k + 1.0) * (k + 2.0));
        cos_term = -cos_term * angle * angle / (k * (k + 1.0));
    }
    (sin, cos)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn settings(image_size: usize) -> ShapesSettings {
        ShapesSettings { image_size, ..ShapesSettings::default() }
    }

    #[test]
    fn the_defaults_are_the_dataset_nodes() {
        use crate::core::model::catalogue::NodeKind;
        use crate::core::model::graph::{Graph, Pos};
        let mut graph = Graph::new();
        let dataset = graph.add_node(NodeKind::Dataset, Pos { x: 0.0, y: 0.0 });
        let params = DatasetParams::read(graph.node(dataset).unwrap()).unwrap();
        assert_eq!(ShapesSettings::of(&params), ShapesSettings::default());
    }

    #[test]
    fn the_polynomial_sine_and_cosine_match_the_platforms() {
        for step in -32..=32 {
            let angle = f64::from(step) * std::f64::consts::PI / 32.0;
            let (sin, cos) = sin_cos(angle);
            assert!((sin - angle.sin()).abs() < 1e-12 && (cos - angle.cos()).abs() < 1e-12, "{angle}");
        }
    }

    #[test]
    fn each_shape_covers_its_centre_and_not_the_corners() {
        for (class, name) in SHAPE_NAMES.iter().enumerate() {
            let inside = if class == 4 || class == 6 { [0.0, 0.75] } else { [0.0, 0.1] };
            assert!(signed_distance(class, inside) < 0.0, "{name} inside");
            for corner in [[1.2, 1.2], [-1.2, 1.2], [1.2, -1.2], [-1.2, -1.2]] {
                assert!(signed_distance(class, corner) > 0.0, "{name} at {corner:?}");
            }
        }
        // The ring and the frame are hollow.
        assert!(signed_distance(4, [0.0, 0.0]) > 0.0 && signed_distance(6, [0.0, 0.0]) > 0.0);
    }

    #[test]
    fn images_are_in_range_balanced_and_differ_by_class() {
        let (inputs, labels) = shapes(&settings(16), 4, 400, 0.1, 3);
        assert_eq!((inputs.len(), labels.len()), (400 * 256, 400));
        assert!(inputs.iter().all(|pixel| (0.0..=1.0).contains(pixel)));
        for class in 0..4 {
            assert_eq!(labels.iter().filter(|&&label| label == class).count(), 100);
        }
        // Anti-aliased: edges hold greys, not only 0 and 1.
        let (clean, _) = shapes(&settings(16), 4, 40, 0.0, 3);
        assert!(clean.iter().any(|pixel| *pixel > 0.1 && *pixel < 0.9));
        // The mean ink of a ring is less than a circle's of the same size.
        let ink = |class: i64| -> f32 {
            let (inputs, labels) = shapes(&ShapesSettings { scale: 0.0, ..settings(16) }, 5, 100, 0.0, 1);
            inputs
                .chunks(256)
                .zip(&labels)
                .filter(|(_, label)| **label == class)
                .map(|(image, _)| image.iter().sum::<f32>())
                .sum()
        };
        assert!(ink(4) < 0.9 * ink(0), "ring {} circle {}", ink(4), ink(0));
    }

    #[test]
    fn a_shape_moves_with_translation_and_stays_put_without() {
        let centre_of_ink = |settings: &ShapesSettings, seed| {
            let (image, _) = shapes(settings, 1, 1, 0.0, seed);
            let total: f32 = image.iter().sum();
            let column: f32 = image.iter().enumerate().map(|(i, p)| (i % 16) as f32 * p).sum::<f32>() / total;
            column
        };
        let still = ShapesSettings { translate: 0.0, ..settings(16) };
        for seed in 0..5 {
            assert!((centre_of_ink(&still, seed) - 7.5).abs() < 0.2);
        }
        let moved = ShapesSettings { translate: 0.25, ..settings(16) };
        assert!((0..10).any(|seed| (centre_of_ink(&moved, seed) - 7.5).abs() > 2.0));
    }

    #[test]
    fn generation_is_seeded() {
        let first = shapes(&settings(12), 3, 30, 0.2, 9);
        assert_eq!(first, shapes(&settings(12), 3, 30, 0.2, 9));
        assert_ne!(first, shapes(&settings(12), 3, 30, 0.2, 10));
    }
}
