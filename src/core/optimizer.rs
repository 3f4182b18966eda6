//! PyTorch's optimizers as burn optimizers. burn's SGD, Adam and AdamW compute PyTorch's
//! updates once configured to match (no momentum dampening, L2 versus decoupled weight
//! decay, the plan's epsilon); `tests/golden.rs` checks them against PyTorch's numbers.

use burn::optim::decay::WeightDecayConfig;
use burn::optim::momentum::MomentumConfig;
use burn::optim::{AdamConfig, AdamWConfig, ModuleOptimizer, SgdConfig};

use super::plan::OptimizerPlan;

/// burn's configuration for an SGD plan.
pub fn sgd_config(momentum: f64, weight_decay: f64, nesterov: bool) -> SgdConfig {
    let mut config = SgdConfig::new();
    if momentum > 0.0 {
        // PyTorch's SGD has no dampening by default; burn's default is 0.1.
        config = config.with_momentum(Some(
            MomentumConfig::new().with_momentum(momentum).with_dampening(0.0).with_nesterov(nesterov),
        ));
    }
    if weight_decay > 0.0 {
        config = config.with_weight_decay(Some(WeightDecayConfig::new(weight_decay as f32)));
    }
    config
}

/// burn's configuration for an Adam plan (L2 weight decay on the gradient).
pub fn adam_config(beta1: f64, beta2: f64, epsilon: f64, weight_decay: f64) -> AdamConfig {
    let config =
        AdamConfig::new().with_beta_1(beta1 as f32).with_beta_2(beta2 as f32).with_epsilon(epsilon as f32);
    if weight_decay > 0.0 {
        config.with_weight_decay(Some(WeightDecayConfig::new(weight_decay as f32)))
    } else {
        config
    }
}

/// burn's configuration for an AdamW plan (decoupled weight decay).
pub fn adamw_config(beta1: f64, beta2: f64, epsilon: f64, weight_decay: f64) -> AdamWConfig {
    AdamWConfig::new()
        .with_beta_1(beta1 as f32)
        .with_beta_2(beta2 as f32)
        .with_epsilon(epsilon as f32)
        .with_weight_decay(weight_decay as f32)
}

impl OptimizerPlan {
    /// The optimizer that updates a whole model.
    pub fn module_optimizer(&self) -> ModuleOptimizer {
        match *self {
            OptimizerPlan::Sgd { momentum, weight_decay, nesterov, .. } => {
                sgd_config(momentum, weight_decay, nesterov).init()
            }
            OptimizerPlan::Adam { beta1, beta2, epsilon, weight_decay, .. } => {
                adam_config(beta1, beta2, epsilon, weight_decay).init()
            }
            OptimizerPlan::AdamW { beta1, beta2, epsilon, weight_decay, .. } => {
                adamw_config(beta1, beta2, epsilon, weight_decay).init()
            }
        }
    }
}
