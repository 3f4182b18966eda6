//! Every choice a node's parameters offer (see [`choice`](super::choice)): the datasets, the
//! reductions, the monitored metrics, the plateau scheduler's modes, the averages of the
//! classification metrics, what a CSV's target holds. They are the graph's vocabulary, so
//! they live with it; what each means to training is the engine's and the compiler's.

use super::choice::choices;

choices! {
    /// The datasets a `Dataset` node offers. The 2-D sets are TensorFlow Playground's, scaled
    /// from its [-5, 5]² (the regression sets: [-6, 6]²) to about [-1, 1]².
    pub enum DatasetKind {
        /// Interleaved spiral arms, one per class.
        Spiral => "spiral",
        /// A disc (class 0) inside a ring (class 1). Two classes only.
        Circle => "circle",
        /// The four quadrants, alike diagonally opposite ones (XOR of the signs). Two classes only.
        Xor => "xor",
        /// One Gaussian blob per class, centres spaced evenly on a circle.
        Gauss => "gauss",
        /// Regression: a value rising linearly along the diagonal, `0.6 · (x + y)`.
        Plane => "plane",
        /// Regression: six Gaussian bumps, alternately +1 and −1 at their centres.
        Gaussian => "gaussian",
        /// The 1797 8×8 handwritten digits of UCI (scikit-learn's copy), pixels scaled to
        /// [0, 1]. Ten classes.
        Digits => "digits",
        /// The user's own CSV file: a target column, numeric feature columns.
        Csv => "csv",
        /// Generated greyscale images of shapes (circle, square, triangle, cross, …), one
        /// class per shape, moved, scaled and turned at random (`core::data::shapes`).
        Shapes => "shapes",
    }
}

/// Whether a dataset's targets are classes or values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Task {
    Classification,
    Regression,
}

choices! {
    /// How a per-sample loss is reduced to what the loss node outputs (PyTorch's `reduction`).
    pub enum Reduction {
        /// The mean over the samples (weighted by their class weights, when there are any).
        Mean => "mean",
        /// The sum over the samples.
        Sum => "sum",
        /// One loss per sample (PyTorch's `reduction="none"`).
        Elementwise => "none",
    }
}

impl Reduction {
    /// The reductions to a single number, which a loss node offers: TrainingStep minimises
    /// one number, so `none` (one loss per sample) is for the loss functions alone.
    pub const MINIMISABLE: &'static [&'static str] = &[Reduction::Mean.name(), Reduction::Sum.name()];
}

choices! {
    /// A metric of an epoch, as early stopping and a plateau scheduler watch it.
    pub enum Monitor {
        TrainLoss => "train_loss",
        TrainAccuracy => "train_accuracy",
        ValLoss => "val_loss",
        ValAccuracy => "val_accuracy",
    }
}

impl Monitor {
    /// Whether lower values are better.
    pub fn lower_is_better(self) -> bool {
        matches!(self, Monitor::TrainLoss | Monitor::ValLoss)
    }

    /// Whether it needs a validation pass.
    pub fn needs_validation(self) -> bool {
        matches!(self, Monitor::ValLoss | Monitor::ValAccuracy)
    }

    /// Whether it needs classes.
    pub fn is_accuracy(self) -> bool {
        matches!(self, Monitor::TrainAccuracy | Monitor::ValAccuracy)
    }
}

choices! {
    /// Whether a lower (loss) or higher (accuracy) metric is better.
    pub enum PlateauMode {
        Min => "min",
        Max => "max",
    }
}

choices! {
    /// Whether `threshold` is relative to the best value so far, or absolute.
    pub enum ThresholdMode {
        Relative => "rel",
        Absolute => "abs",
    }
}

choices! {
    /// How per-class precision, recall and F1 become one number (scikit-learn's `average`).
    pub enum Average {
        /// The unweighted mean over the classes: each class counts the same.
        Macro => "macro",
        /// From the counts summed over the classes: each sample counts the same (for
        /// single-label classes, all three equal the accuracy).
        Micro => "micro",
        /// The mean over the classes weighted by their number of samples.
        Weighted => "weighted",
        /// The positive class alone (two classes only).
        Binary => "binary",
    }
}

choices! {
    /// What a CSV's target column holds: classes (any values, text or numbers) or values.
    pub enum CsvTask {
        Classification => "classification",
        Regression => "regression",
    }
}

impl CsvTask {
    pub fn task(self) -> Task {
        match self {
            CsvTask::Classification => Task::Classification,
            CsvTask::Regression => Task::Regression,
        }
    }
}

/// Features per sample of the 2-D datasets: a point's x and y.
pub const POINT_FEATURES: usize = 2;

/// Samples in the digits set.
pub const DIGITS_SAMPLES: usize = 1797;

/// Rows (and columns) of a digit's image.
pub const DIGITS_SIDE: usize = 8;

impl DatasetKind {
    /// The task of a generated or shipped set (a CSV's is its node's `task`).
    pub fn task(self) -> Task {
        match self {
            DatasetKind::Plane | DatasetKind::Gaussian => Task::Regression,
            _ => Task::Classification,
        }
    }

    /// The one number of classes the set has, if it is fixed.
    pub fn fixed_classes(self) -> Option<usize> {
        match self {
            DatasetKind::Circle | DatasetKind::Xor => Some(2),
            DatasetKind::Digits => Some(10),
            _ => None,
        }
    }

    /// The most samples the set has, if it is not generated.
    pub fn max_samples(self) -> Option<usize> {
        (self == DatasetKind::Digits).then_some(DIGITS_SAMPLES)
    }

    /// The shape of one sample's inputs (a CSV's: its features, known once it is read):
    /// images are `[channels, height, width]`, as `nn.Conv2d` takes them — the digits
    /// `[1, 8, 8]`, the shapes `[1, image_size, image_size]`.
    pub fn sample_shape(self, image_size: usize) -> Vec<usize> {
        match self {
            DatasetKind::Digits => vec![1, DIGITS_SIDE, DIGITS_SIDE],
            DatasetKind::Shapes => vec![1, image_size, image_size],
            _ => vec![POINT_FEATURES],
        }
    }
}
