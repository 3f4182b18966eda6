//! The training plan: what the compiler makes of a valid graph, and all the engine needs.
//!
//! A plan holds no node ids or positions, only the settings that shape training, so two
//! graphs that differ in layout compile to equal plans.

use super::dataset::DatasetSpec;
use super::loss::CrossEntropyOptions;
use super::params::LayerSpec;
use super::step::StepPlan;

/// Everything needed to run one training session.
#[derive(Clone, Debug, PartialEq)]
pub struct TrainingPlan {
    pub dataset: DatasetSpec,
    pub sampler: SamplerPlan,
    pub network: NetworkPlan,
    pub loss: LossPlan,
    pub optimizer: OptimizerPlan,
    /// TrainingStep's gradient accumulation and clipping.
    pub step: StepPlan,
    pub epochs: usize,
    /// Seed of the weight initialisation.
    pub init_seed: u64,
}

#[derive(Clone, Debug, PartialEq)]
pub struct SamplerPlan {
    pub batch_size: usize,
    pub shuffle: bool,
    pub seed: u64,
}

/// The network, with every layer's input size resolved.
#[derive(Clone, Debug, PartialEq)]
pub struct NetworkPlan {
    pub in_features: usize,
    pub layers: Vec<LayerSpec>,
}

impl NetworkPlan {
    /// Output size of the whole network.
    pub fn out_features(&self) -> usize {
        self.layers.iter().fold(self.in_features, |width, layer| layer.out_features(width))
    }

    /// One label per layer, with sizes: `Linear 2→16`, `ReLU`.
    pub fn layer_labels(&self) -> Vec<String> {
        let mut width = self.in_features;
        self.layers
            .iter()
            .map(|layer| {
                let out = layer.out_features(width);
                let label = match layer {
                    LayerSpec::Linear { .. } => format!("Linear {width}→{out}"),
                    other => other.name().to_owned(),
                };
                width = out;
                label
            })
            .collect()
    }
}

#[derive(Clone, Debug, PartialEq)]
pub enum LossPlan {
    /// Cross-entropy from raw logits and class indices, with PyTorch's options.
    CrossEntropy(CrossEntropyOptions),
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

impl OptimizerPlan {
    pub fn learning_rate(&self) -> f64 {
        match *self {
            OptimizerPlan::Sgd { learning_rate, .. }
            | OptimizerPlan::Adam { learning_rate, .. }
            | OptimizerPlan::AdamW { learning_rate, .. } => learning_rate,
        }
    }
}
