//! Datasets: TensorFlow Playground's 2-D sets (four for classification, two for regression),
//! generated, a small real one shipped with the app, 8×8 handwritten digits, generated images
//! of shapes (`core::data::shapes`), and the user's own CSV file (`core::csv_data`).
//!
//! Generation is seeded and pure, so a graph (and a link) fully determines its data; a CSV
//! file is named by its hash, so a graph determines its data wherever that file is given.

use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use std::sync::Arc;

use crate::core::data::csv_data::{CsvData, CsvTargets};
use crate::core::data::shapes::{ShapesSettings, shapes};
use crate::core::model::choices::{DIGITS_SAMPLES, DatasetKind, POINT_FEATURES, Task};

/// Which dataset to generate, with its settings.
#[derive(Clone, Debug, PartialEq)]
pub struct DatasetSpec {
    pub kind: DatasetKind,
    /// Classes of a classification set (ignored by the others; a CSV's, from its target).
    pub classes: usize,
    /// Samples (a CSV's: the rows that fit).
    pub samples: usize,
    /// Half-width of the uniform jitter added to each coordinate, in data units.
    pub noise: f32,
    pub seed: u64,
    /// How the `shapes` set draws its images (the defaults for the other kinds).
    pub shapes: ShapesSettings,
    /// A CSV dataset's samples (for [`DatasetKind::Csv`] only). Compared by file and
    /// selection, not sample by sample.
    pub csv: Option<Arc<CsvData>>,
}

/// Where the digits come from: scikit-learn's `digits.csv.gz`, unchanged. Each line holds
/// a sample's 64 pixels (row by row, 0–16) and then its digit.
const DIGITS_CSV_GZ: &[u8] = include_bytes!("../../../data/digits.csv.gz");

impl DatasetSpec {
    /// Whether the targets are classes or values.
    pub fn task(&self) -> Task {
        match &self.csv {
            Some(csv) => csv.selection.task.task(),
            None => self.kind.task(),
        }
    }

    /// The shape of one sample's inputs.
    pub fn sample_shape(&self) -> Vec<usize> {
        match &self.csv {
            Some(csv) => vec![csv.features.len()],
            None => self.kind.sample_shape(self.shapes.image_size),
        }
    }

    /// How many samples there are.
    pub fn sample_count(&self) -> usize {
        match &self.csv {
            Some(csv) => csv.samples(),
            None => self.kind.max_samples().map_or(self.samples, |max| self.samples.min(max)),
        }
    }
}

/// What a dataset's samples are to be mapped to.
#[derive(Clone, Debug, PartialEq)]
pub enum Targets {
    /// A class index in `0..classes` per sample.
    Classes { labels: Vec<i64>, classes: usize },
    /// A value per sample.
    Values(Vec<f32>),
}

impl Targets {
    pub fn len(&self) -> usize {
        match self {
            Targets::Classes { labels, .. } => labels.len(),
            Targets::Values(values) => values.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The targets of the samples at `indices`, in that order.
    fn select(&self, indices: &[usize]) -> Self {
        match self {
            Targets::Classes { labels, classes } => {
                Targets::Classes { labels: indices.iter().map(|&i| labels[i]).collect(), classes: *classes }
            }
            Targets::Values(values) => Targets::Values(indices.iter().map(|&i| values[i]).collect()),
        }
    }
}

/// Samples, row-major.
#[derive(Clone, Debug, PartialEq)]
pub struct Dataset {
    /// `[samples, features]`, row-major: each sample's inputs flattened.
    pub inputs: Vec<f32>,
    /// The shape of one sample's inputs, e.g. `[2]` or `[1, 8, 8]`.
    pub sample_shape: Vec<usize>,
    pub targets: Targets,
}

impl Dataset {
    pub fn len(&self) -> usize {
        self.targets.len()
    }

    pub fn is_empty(&self) -> bool {
        self.targets.is_empty()
    }

    /// Inputs per sample, flattened.
    pub fn features(&self) -> usize {
        self.sample_shape.iter().product()
    }

    /// The samples at `indices`, in that order.
    pub fn select(&self, indices: &[usize]) -> Self {
        let features = self.features();
        Self {
            inputs: indices
                .iter()
                .flat_map(|&i| &self.inputs[i * features..(i + 1) * features])
                .copied()
                .collect(),
            sample_shape: self.sample_shape.clone(),
            targets: self.targets.select(indices),
        }
    }
}

impl DatasetSpec {
    /// Generates (or, for the digits, loads) the samples. In classification sets classes take
    /// turns, so every class gets `samples / classes` points (the first `samples % classes`
    /// classes one more).
    pub fn generate(&self) -> Dataset {
        if let Some(csv) = &self.csv {
            return Dataset {
                inputs: csv.inputs.clone(),
                sample_shape: self.sample_shape(),
                targets: match &csv.targets {
                    CsvTargets::Classes(labels) => {
                        Targets::Classes { labels: labels.clone(), classes: csv.classes() }
                    }
                    CsvTargets::Values(values) => Targets::Values(values.clone()),
                },
            };
        }
        let mut rng = StdRng::seed_from_u64(self.seed);
        let noise = self.noise;
        let jitter = move |rng: &mut StdRng, value: f32| value + rng.random_range(-1.0..=1.0f32) * noise;
        match self.kind {
            DatasetKind::Digits => {
                let (mut inputs, labels) = digits(self.samples);
                inputs.iter_mut().for_each(|pixel| *pixel = jitter(&mut rng, *pixel));
                Dataset {
                    inputs,
                    sample_shape: self.sample_shape(),
                    targets: Targets::Classes { labels, classes: 10 },
                }
            }
            DatasetKind::Shapes => {
                let (inputs, labels) = shapes(&self.shapes, self.classes, self.samples, noise, self.seed);
                Dataset {
                    inputs,
                    sample_shape: self.sample_shape(),
                    targets: Targets::Classes { labels, classes: self.classes },
                }
            }
            DatasetKind::Plane | DatasetKind::Gaussian => {
                let mut inputs = Vec::with_capacity(self.samples * POINT_FEATURES);
                let mut values = Vec::with_capacity(self.samples);
                for _ in 0..self.samples {
                    let [x, y] = [rng.random_range(-1.0..=1.0f32), rng.random_range(-1.0..=1.0f32)];
                    // As TensorFlow Playground: the value is taken at the jittered point.
                    let (noisy_x, noisy_y) = (jitter(&mut rng, x), jitter(&mut rng, y));
                    values.push(match self.kind {
                        DatasetKind::Plane => 0.6 * (noisy_x + noisy_y),
                        _ => gaussian_bumps(noisy_x, noisy_y),
                    });
                    inputs.extend([x, y]);
                }
                Dataset { inputs, sample_shape: vec![POINT_FEATURES], targets: Targets::Values(values) }
            }
            // A CSV set without its data (a graph whose file is missing compiles to an error,
            // so no plan holds one): no samples.
            DatasetKind::Csv => Dataset {
                inputs: Vec::new(),
                sample_shape: vec![0],
                targets: Targets::Classes { labels: Vec::new(), classes: self.classes },
            },
            DatasetKind::Spiral | DatasetKind::Circle | DatasetKind::Xor | DatasetKind::Gauss => {
                let classes = self.classes.max(1);
                let mut inputs = Vec::with_capacity(self.samples * POINT_FEATURES);
                let mut labels = Vec::with_capacity(self.samples);
                for sample in 0..self.samples {
                    let class = sample % classes;
                    // How far along its class this sample is, in [0, 1).
                    let along = (sample / classes) as f32 / self.samples.div_ceil(classes) as f32;
                    let [x, y] = match self.kind {
                        DatasetKind::Circle => circle_point(class, &mut rng),
                        DatasetKind::Xor => xor_point(class, &mut rng),
                        DatasetKind::Gauss => gauss_point(class, classes, &mut rng),
                        _ => spiral_point(class, classes, along),
                    };
                    let x = jitter(&mut rng, x);
                    inputs.extend([x, jitter(&mut rng, y)]);
                    labels.push(class as i64);
                }
                Dataset {
                    inputs,
                    sample_shape: vec![POINT_FEATURES],
                    targets: Targets::Classes { labels, classes },
                }
            }
        }
    }
}

/// The first `count` digits (at most [`DIGITS_SAMPLES`]): pixels scaled to [0, 1], row-major,
/// and their labels. Read once per process (tens of milliseconds in the browser), then
/// copied.
fn digits(count: usize) -> (Vec<f32>, Vec<i64>) {
    static DIGITS: std::sync::OnceLock<(Vec<f32>, Vec<i64>)> = std::sync::OnceLock::new();
    let (inputs, labels) = DIGITS.get_or_init(|| read_digits(DIGITS_SAMPLES));
    let count = count.min(labels.len());
    (inputs[..count * 64].to_vec(), labels[..count].to_vec())
}

/// Reads the first `count` digits from the compressed CSV. The data is compiled in, so a
/// failure to read it is a build defect.
fn read_digits(count: usize) -> (Vec<f32>, Vec<i64>) {
    use std::io::Read;
    let mut text = String::new();
    let read = flate2::read::GzDecoder::new(DIGITS_CSV_GZ).read_to_string(&mut text);
    debug_assert!(read.is_ok(), "digits.csv.gz: {read:?}");
    let mut inputs = Vec::with_capacity(count * 64);
    let mut labels = Vec::with_capacity(count);
    for line in text.lines().take(count) {
        let values: Vec<f32> = line.split(',').filter_map(|v| v.trim().parse().ok()).collect();
        if let [pixels @ .., label] = values.as_slice()
            && pixels.len() == 64
        {
            inputs.extend(pixels.iter().map(|pixel| pixel / 16.0));
            labels.push(*label as i64);
        }
    }
    (inputs, labels)
}

/// TensorFlow Playground's "multi Gaussian" surface in [-1, 1]²: six bumps of radius 1/3
/// with signs alternating; a point takes the strongest bump's value.
fn gaussian_bumps(x: f32, y: f32) -> f32 {
    const BUMPS: [(f32, f32, f32); 6] = [
        (-4.0, 2.5, 1.0),
        (0.0, 2.5, -1.0),
        (4.0, 2.5, 1.0),
        (-4.0, -2.5, -1.0),
        (0.0, -2.5, 1.0),
        (4.0, -2.5, -1.0),
    ];
    BUMPS.iter().fold(0.0f32, |value, &(cx, cy, sign)| {
        let distance = ((x - cx / 6.0).powi(2) + (y - cy / 6.0).powi(2)).sqrt();
        let bump = sign * (1.0 - 3.0 * distance).clamp(0.0, 1.0);
        if bump.abs() > value.abs() { bump } else { value }
    })
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

    fn labels(data: &Dataset) -> &[i64] {
        match &data.targets {
            Targets::Classes { labels, .. } => labels,
            Targets::Values(_) => panic!("a classification set"),
        }
    }

    fn values(kind: DatasetKind) -> (Vec<f32>, Vec<f32>) {
        let data = DatasetSpec {
            kind,
            classes: 2,
            samples: 500,
            noise: 0.0,
            seed: 4,
            shapes: ShapesSettings::default(),
            csv: None,
        }
        .generate();
        let Targets::Values(values) = data.targets else { panic!("{kind:?} is a regression set") };
        (data.inputs, values)
    }

    #[test]
    fn plane_values_rise_along_the_diagonal() {
        let (inputs, values) = values(DatasetKind::Plane);
        for (point, value) in inputs.chunks(2).zip(values) {
            assert!((value - 0.6 * (point[0] + point[1])).abs() < 1e-6, "{point:?} {value}");
        }
    }

    #[test]
    fn gaussian_values_peak_at_the_bump_centres_and_stay_in_range() {
        assert_eq!(gaussian_bumps(-4.0 / 6.0, 2.5 / 6.0), 1.0);
        assert_eq!(gaussian_bumps(0.0, 2.5 / 6.0), -1.0);
        assert_eq!(gaussian_bumps(0.0, 0.0), 0.0);
        let (inputs, values) = values(DatasetKind::Gaussian);
        assert!(inputs.iter().all(|v| v.abs() <= 1.0));
        assert!(values.iter().all(|v| v.abs() <= 1.0));
        assert!(values.iter().any(|v| *v > 0.5) && values.iter().any(|v| *v < -0.5));
    }

    #[test]
    fn digits_load_all_samples_as_one_channel_8x8_images_of_ten_classes() {
        let data = DatasetSpec {
            kind: DatasetKind::Digits,
            classes: 10,
            samples: DIGITS_SAMPLES,
            noise: 0.0,
            seed: 0,
            shapes: ShapesSettings::default(),
            csv: None,
        }
        .generate();
        assert_eq!(data.len(), DIGITS_SAMPLES);
        assert_eq!(data.sample_shape, [1, 8, 8]);
        assert_eq!(data.inputs.len(), DIGITS_SAMPLES * 64);
        assert!(data.inputs.iter().all(|p| (0.0..=1.0).contains(p)));
        for digit in 0..10 {
            let count = labels(&data).iter().filter(|&&t| t == digit).count();
            assert!((170..=190).contains(&count), "digit {digit}: {count}");
        }
        // scikit-learn's first sample is a 0.
        assert_eq!(labels(&data)[0], 0);
    }

    #[test]
    fn select_takes_the_samples_in_the_order_given() {
        let data = spec(7).generate();
        let picked = data.select(&[5, 0]);
        assert_eq!(picked.inputs, [&data.inputs[10..12], &data.inputs[0..2]].concat());
        assert_eq!(labels(&picked), [labels(&data)[5], labels(&data)[0]]);
    }

    fn spec(seed: u64) -> DatasetSpec {
        DatasetSpec {
            kind: DatasetKind::Spiral,
            classes: 3,
            samples: 301,
            noise: 0.1,
            seed,
            shapes: ShapesSettings::default(),
            csv: None,
        }
    }

    /// The class of each sample, as its region of the plane says.
    fn region_agrees(kind: DatasetKind, region: impl Fn(f32, f32) -> i64) {
        let data = DatasetSpec {
            kind,
            classes: 2,
            samples: 400,
            noise: 0.0,
            seed: 3,
            shapes: ShapesSettings::default(),
            csv: None,
        }
        .generate();
        let Targets::Classes { labels, .. } = &data.targets else { panic!("{kind:?} has classes") };
        for (point, &target) in data.inputs.chunks(2).zip(labels) {
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
        let data = DatasetSpec {
            kind: DatasetKind::Gauss,
            classes: 2,
            samples: 2000,
            noise: 0.0,
            seed: 5,
            shapes: ShapesSettings::default(),
            csv: None,
        }
        .generate();
        let labels = labels(&data);
        for (class, expected) in [(0, 0.4), (1, -0.4)] {
            let points: Vec<&[f32]> =
                data.inputs.chunks(2).zip(labels).filter(|(_, t)| **t == class).map(|(p, _)| p).collect();
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
            let count = labels(&data).iter().filter(|&&t| t == class).count();
            assert!((100..=101).contains(&count), "class {class}: {count}");
        }
        assert!(data.inputs.iter().all(|v| v.abs() <= 1.1));
        assert_eq!(data, spec(7).generate());
        assert_ne!(data, spec(8).generate());
    }
}
