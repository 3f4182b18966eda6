//! The training plan: what the compiler makes of a valid graph, and all the engine needs.
//!
//! A plan holds no node ids or positions, only the settings that shape training, so two
//! graphs that differ in layout compile to equal plans.

use crate::core::compile::schedule::SchedulerPlan;
use crate::core::data::dataset::DatasetSpec;
use crate::core::model::choices::Reduction;
use crate::core::model::choices::{Average, Monitor};
use crate::core::model::params::{ELU_ALPHA, LayerSpec, SOFTPLUS_BETA, shape_text};

/// Everything needed to run one training session.
#[derive(Clone, Debug, PartialEq)]
pub struct TrainingPlan {
    pub dataset: DatasetSpec,
    /// A DataSplit between the dataset and the samplers; `None` trains on every sample.
    pub split: Option<SplitPlan>,
    /// The training batches.
    pub sampler: SamplerPlan,
    /// The validation batches (a RunEpoch with training off), if the graph validates.
    pub validation: Option<SamplerPlan>,
    pub network: NetworkPlan,
    pub loss: LossPlan,
    /// AccuracyMetric's k (1 without one). Classification only.
    pub top_k: usize,
    /// Whether to count per-class accuracy on the training batches (the graph has an
    /// AccuracyMetric and no validation pass, which counts it anyway).
    pub per_class_on_train: bool,
    /// ClassificationMetrics' precision, recall, F1 and ROC-AUC, of the validation pass (else
    /// of the training batches), if the graph has the node. Classification only.
    pub class_metrics: Option<ClassMetricsPlan>,
    pub optimizer: OptimizerPlan,
    pub scheduler: Option<SchedulerSetup>,
    /// TrainingStep's gradient accumulation and clipping.
    pub step: StepPlan,
    pub tracker: TrackerPlan,
    /// Seed of the weight initialisation (and of dropout).
    pub init_seed: u64,
}

/// A random split into training and validation samples.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct SplitPlan {
    /// Share of the samples held out, in (0, 1).
    pub validation_ratio: f64,
    pub seed: u64,
}

impl SplitPlan {
    /// How many of `samples` are held out for validation: at least one, and at least one
    /// left to train on (as far as `samples` allows).
    pub fn validation_samples(&self, samples: usize) -> usize {
        let held_out = (samples as f64 * self.validation_ratio).round() as usize;
        held_out.clamp(1, samples.saturating_sub(1).max(1)).min(samples)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct SamplerPlan {
    pub batch_size: usize,
    pub shuffle: bool,
    pub seed: u64,
    /// Skip an epoch's last batch when it is smaller than `batch_size`.
    pub drop_last: bool,
}

impl SamplerPlan {
    /// Batches per epoch over `samples` samples.
    pub fn batches(&self, samples: usize) -> usize {
        let size = self.batch_size.max(1);
        if self.drop_last { samples / size } else { samples.div_ceil(size) }
    }
}

/// The network, with every layer's input shape resolved from what feeds it.
#[derive(Clone, Debug, PartialEq)]
pub struct NetworkPlan {
    /// The shape of one sample going in, e.g. `[2]` or `[1, 8, 8]`.
    pub in_shape: Vec<usize>,
    pub layers: Vec<LayerSpec>,
}

impl NetworkPlan {
    /// The network in one line, as its node shows it: input shape, then the layers.
    pub fn describe(&self) -> String {
        format!(
            "{} → {}",
            crate::core::model::params::shape_text(&self.in_shape),
            crate::core::model::layer_text::layers_text(&self.layers)
        )
    }

    /// The shape of one sample after each layer, in order.
    ///
    /// # Errors
    /// The index of the first layer that cannot take its input, and why.
    pub fn shapes(&self) -> Result<Vec<Vec<usize>>, (usize, String)> {
        let mut shape = self.in_shape.clone();
        let mut shapes = Vec::with_capacity(self.layers.len());
        for (index, layer) in self.layers.iter().enumerate() {
            shape = layer.output_shape(&shape).map_err(|problem| (index, problem))?;
            shapes.push(shape.clone());
        }
        Ok(shapes)
    }

    /// The shape of one sample coming out (the input's, for a network that cannot run).
    pub fn out_shape(&self) -> Vec<usize> {
        self.shapes().ok().and_then(|shapes| shapes.last().cloned()).unwrap_or_else(|| self.in_shape.clone())
    }

    /// Features per sample coming out: the last dimension of [`Self::out_shape`].
    pub fn out_features(&self) -> usize {
        self.out_shape().last().copied().unwrap_or(0)
    }

    /// Features per sample going in, flattened: the engine feeds `[batch, in_features]`.
    pub fn in_features(&self) -> usize {
        self.in_shape.iter().product()
    }

    /// One label per layer, with sizes: `Linear 2→16`, `ReLU`, `Flatten [1, 8, 8]→[64]`,
    /// `Conv2d [1, 8, 8]→[4, 6, 6]`.
    pub fn layer_labels(&self) -> Vec<String> {
        let mut shape = self.in_shape.clone();
        self.layers
            .iter()
            .map(|layer| {
                let out = layer.output_shape(&shape).unwrap_or_else(|_| shape.clone());
                let label = match layer {
                    LayerSpec::Linear { .. } => {
                        format!(
                            "Linear {}→{}",
                            shape.iter().product::<usize>(),
                            out.iter().product::<usize>()
                        )
                    }
                    LayerSpec::Flatten => format!("Flatten {}→{}", shape_text(&shape), shape_text(&out)),
                    image if image.is_image_layer() => {
                        format!("{} {}→{}", image.name(), shape_text(&shape), shape_text(&out))
                    }
                    LayerSpec::LeakyRelu { negative_slope } => format!("LeakyReLU {negative_slope}"),
                    LayerSpec::Dropout { p } => format!("Dropout {p}"),
                    LayerSpec::Elu { alpha } if *alpha != ELU_ALPHA => format!("ELU {alpha}"),
                    LayerSpec::Softplus { beta } if *beta != SOFTPLUS_BETA => format!("Softplus {beta}"),
                    other => other.name().to_owned(),
                };
                shape = out;
                label
            })
            .collect()
    }
}

/// What TrainingStep minimises: one loss, or CombineLoss's weighted sum of several.
#[derive(Clone, Debug, PartialEq)]
pub struct LossPlan {
    pub terms: Vec<LossTerm>,
}

impl LossPlan {
    /// A single loss, weight 1.
    pub fn single(loss: LossKind) -> Self {
        Self { terms: vec![LossTerm { weight: 1.0, loss }] }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct LossTerm {
    pub weight: f64,
    pub loss: LossKind,
}

#[derive(Clone, Debug, PartialEq)]
pub enum LossKind {
    /// Cross-entropy from raw logits and class indices, with PyTorch's options.
    CrossEntropy(CrossEntropyOptions),
    /// Squared error against values (`torch.nn.MSELoss`).
    Mse(Reduction),
    /// Absolute error against values (`torch.nn.L1Loss`).
    L1(Reduction),
}

impl LossKind {
    pub fn reduction(&self) -> Reduction {
        match self {
            LossKind::CrossEntropy(options) => options.reduction,
            LossKind::Mse(reduction) | LossKind::L1(reduction) => *reduction,
        }
    }
}

/// The optimizer, with PyTorch's semantics (see `core::optimizer`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum OptimizerPlan {
    /// `torch.optim.SGD`: `weight_decay` adds `wd·p` to the gradient, momentum has no
    /// dampening.
    Sgd { learning_rate: f64, momentum: f64, weight_decay: f64, nesterov: bool },
    /// `torch.optim.Adam`: `weight_decay` is L2, added to the gradient.
    Adam { learning_rate: f64, beta1: f64, beta2: f64, epsilon: f64, weight_decay: f64 },
    /// `torch.optim.AdamW`: `weight_decay` is decoupled, `p ← p·(1 − lr·wd)`.
    AdamW { learning_rate: f64, beta1: f64, beta2: f64, epsilon: f64, weight_decay: f64 },
}

impl TrainingPlan {
    /// The optimizer settings of `other`, when `other` differs from this plan in nothing else
    /// and uses the same optimizer: a change a running session can take at its next step.
    pub fn retuned_optimizer(&self, other: &TrainingPlan) -> Option<OptimizerPlan> {
        if std::mem::discriminant(&self.optimizer) != std::mem::discriminant(&other.optimizer) {
            return None;
        }
        let mut same = other.clone();
        same.optimizer = self.optimizer;
        (same == *self && other.optimizer != self.optimizer).then_some(other.optimizer)
    }
}

impl OptimizerPlan {
    /// Whether `other` is this optimizer with at most another learning rate.
    pub fn only_learning_rate_differs(&self, other: &OptimizerPlan) -> bool {
        let mut same = *other;
        match &mut same {
            OptimizerPlan::Sgd { learning_rate, .. }
            | OptimizerPlan::Adam { learning_rate, .. }
            | OptimizerPlan::AdamW { learning_rate, .. } => *learning_rate = self.learning_rate(),
        }
        same == *self
    }

    /// The initial learning rate (a scheduler changes it per epoch).
    pub fn learning_rate(&self) -> f64 {
        match *self {
            OptimizerPlan::Sgd { learning_rate, .. }
            | OptimizerPlan::Adam { learning_rate, .. }
            | OptimizerPlan::AdamW { learning_rate, .. } => learning_rate,
        }
    }
}

/// A learning-rate scheduler and the metric it is stepped with (ReduceLROnPlateau's; the
/// others ignore it).
#[derive(Clone, Debug, PartialEq)]
pub struct SchedulerSetup {
    pub plan: SchedulerPlan,
    pub monitor: Monitor,
}

/// EpochTracker's settings.
#[derive(Clone, Debug, PartialEq)]
pub struct TrackerPlan {
    pub epochs: usize,
    /// Steps between reads of the running loss.
    pub log_interval: usize,
    /// Epochs between checkpoints.
    pub save_interval: usize,
    pub early_stopping: Option<EarlyStopping>,
    /// Whether the training batches' accuracy is tracked (an accuracy feeds EpochTracker's
    /// `accuracy` input). Classification only; the validation pass always counts its own.
    pub train_accuracy: bool,
    /// Whether the running loss and gradient norms are logged every `log_interval` steps
    /// (the step's loss feeds EpochTracker's `loss` input).
    pub step_log: bool,
}

/// Stop when `monitor` has not improved by more than `min_delta` for `patience` epochs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EarlyStopping {
    pub monitor: Monitor,
    pub patience: usize,
    pub min_delta: f64,
}

/// `torch.nn.CrossEntropyLoss`'s settings.
#[derive(Clone, Debug, PartialEq)]
pub struct CrossEntropyOptions {
    pub reduction: Reduction,
    /// In 0..=1: how much of each target's probability is spread evenly over all classes.
    pub label_smoothing: f64,
    /// Samples whose target is this class contribute nothing, to the loss or its mean.
    pub ignore_index: i64,
    /// A weight per class, or `None` for equal weights.
    pub weight: Option<Vec<f32>>,
}

impl Default for CrossEntropyOptions {
    fn default() -> Self {
        Self { reduction: Reduction::Mean, label_smoothing: 0.0, ignore_index: -100, weight: None }
    }
}

/// TrainingStep's settings.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StepPlan {
    /// Max global L2 norm of the gradients; 0 turns clipping off.
    pub gradient_clip: f64,
    /// Batches whose gradients are summed (each divided by this) before one update.
    pub accumulation_steps: usize,
    /// Compute in f16 where the device can (master weights stay f32).
    pub mixed_precision: bool,
}

impl Default for StepPlan {
    fn default() -> Self {
        Self { gradient_clip: 0.0, accumulation_steps: 1, mixed_precision: false }
    }
}

/// What to compute.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct ClassMetricsPlan {
    pub average: Average,
    /// The class that counts as positive for [`Average::Binary`] and its AUC.
    pub positive_class: usize,
    /// Whether to compute ROC-AUC too (it sorts every sample's scores).
    pub roc_auc: bool,
}

/// The smallest training batch the layer takes: PyTorch refuses one sample, whose variance
/// is 0 and whose unbiased variance is undefined.
pub const BATCH_NORM_MIN_BATCH: usize = 2;
