//! PyTorch's optimizers, one parameter tensor at a time: SGD (momentum without dampening,
//! Nesterov, L2 weight decay), Adam (L2 weight decay on the gradient) and AdamW (decoupled
//! weight decay). `tests/golden.rs` checks every update against PyTorch's numbers.
//!
//! Adam and AdamW are burn's, configured to match PyTorch. SGD is written here, with burn's
//! arithmetic in burn's order, because its momentum buffer must be readable: a parameter's
//! state ([`ParamState`]) is plain tensors, so the trainer can copy it off the device
//! asynchronously for a checkpoint and put it back on any device
//! (`core::network_optimizer`).

use burn::optim::decay::WeightDecayConfig;
use burn::optim::{
    Adam, AdamConfig, AdamState, AdamW, AdamWConfig, AdamWState, AdaptiveMomentumState, Optimizer,
};
use burn::tensor::Tensor;

use crate::core::compile::plan::OptimizerPlan;

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

/// What an optimizer remembers about one parameter between updates: its buffers, each
/// flattened to the parameter's length, and the updates made so far.
///
/// SGD with momentum keeps one buffer (the velocity), without momentum none; Adam and AdamW
/// keep two (the first and second moments).
#[derive(Clone, Debug)]
pub struct ParamState {
    pub buffers: Vec<Tensor<1>>,
    /// Updates made (Adam's bias correction counts them).
    pub time: usize,
}

/// How an optimizer updates a parameter from its gradient.
#[derive(Clone)]
pub enum UpdateRule {
    Sgd { momentum: f64, weight_decay: f64, nesterov: bool },
    Adam(Adam),
    AdamW(AdamW),
}

impl UpdateRule {
    /// The rule of an optimizer plan.
    pub fn of(plan: &OptimizerPlan) -> Self {
        match *plan {
            OptimizerPlan::Sgd { momentum, weight_decay, nesterov, .. } => {
                UpdateRule::Sgd { momentum, weight_decay, nesterov }
            }
            OptimizerPlan::Adam { beta1, beta2, epsilon, weight_decay, .. } => {
                UpdateRule::Adam(adam_config(beta1, beta2, epsilon, weight_decay).build())
            }
            OptimizerPlan::AdamW { beta1, beta2, epsilon, weight_decay, .. } => {
                UpdateRule::AdamW(adamw_config(beta1, beta2, epsilon, weight_decay).build())
            }
        }
    }

    /// The rule's name in a stored state: a state is only put back under the same rule.
    pub fn name(&self) -> &'static str {
        match self {
            UpdateRule::Sgd { .. } => "sgd",
            UpdateRule::Adam(_) => "adam",
            UpdateRule::AdamW(_) => "adamw",
        }
    }

    /// How many buffers a parameter's state holds under this rule.
    pub fn buffers(&self) -> usize {
        match self {
            UpdateRule::Sgd { momentum, .. } => usize::from(*momentum > 0.0),
            UpdateRule::Adam(_) | UpdateRule::AdamW(_) => 2,
        }
    }

    /// One update of `param` (a plain tensor, off the autodiff graph) by `grad` at rate
    /// `lr`, from the parameter's state before it (`None` before its first update). Returns
    /// the updated parameter and its state after.
    pub fn step<const D: usize>(
        &self,
        lr: f64,
        param: Tensor<D>,
        grad: Tensor<D>,
        state: Option<ParamState>,
    ) -> (Tensor<D>, ParamState) {
        let shape = param.shape();
        let flat = |tensor: Tensor<D>| tensor.reshape([shape.num_elements()]);
        match self {
            UpdateRule::Sgd { momentum, weight_decay, nesterov } => {
                // burn's SGD, operation for operation (its factors in f32, as burn keeps them).
                let mut grad = grad;
                if *weight_decay > 0.0 {
                    grad = param.clone().mul_scalar(*weight_decay as f32).add(grad);
                }
                let time = state.as_ref().map_or(0, |state| state.time) + 1;
                let mut buffers = Vec::new();
                if *momentum > 0.0 {
                    let momentum = *momentum as f32;
                    let velocity = match state.and_then(|state| state.buffers.into_iter().next()) {
                        // No dampening: the gradient enters whole.
                        Some(velocity) => {
                            grad.clone().add(velocity.reshape(shape.clone()).mul_scalar(momentum))
                        }
                        None => grad.clone(),
                    };
                    grad = if *nesterov {
                        velocity.clone().mul_scalar(momentum).add(grad)
                    } else {
                        velocity.clone()
                    };
                    buffers.push(flat(velocity));
                }
                (param - grad.mul_scalar(lr), ParamState { buffers, time })
            }
            UpdateRule::Adam(adam) => {
                let state = state.and_then(|state| moments(state, &shape)).map(AdamState::new);
                let (param, state) = adam.step(lr, param, grad, state);
                (param, flat_moments(state.map(|state| state.momentum), &shape))
            }
            UpdateRule::AdamW(adamw) => {
                let state = state.and_then(|state| moments(state, &shape)).map(AdamWState::new);
                let (param, state) = adamw.step(lr, param, grad, state);
                (param, flat_moments(state.map(|state| state.momentum), &shape))
            }
        }
    }
}

/// burn's adaptive-moment state from a parameter's state, when it holds both moments.
fn moments<const D: usize>(
    state: ParamState,
    shape: &burn::tensor::Shape,
) -> Option<AdaptiveMomentumState<D>> {
    let [moment_1, moment_2]: [Tensor<1>; 2] = state.buffers.try_into().ok()?;
    Some(AdaptiveMomentumState::new(
        state.time,
        moment_1.reshape(shape.clone()),
        moment_2.reshape(shape.clone()),
    ))
}

/// A parameter's state from burn's adaptive-moment state.
fn flat_moments<const D: usize>(
    momentum: Option<AdaptiveMomentumState<D>>,
    shape: &burn::tensor::Shape,
) -> ParamState {
    let length = shape.num_elements();
    match momentum {
        Some(momentum) => ParamState {
            buffers: vec![momentum.moment_1.reshape([length]), momentum.moment_2.reshape([length])],
            time: momentum.time,
        },
        None => ParamState { buffers: Vec::new(), time: 0 },
    }
}
