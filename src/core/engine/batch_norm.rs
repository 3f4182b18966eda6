//! `nn.BatchNorm1d` as PyTorch computes it, a layer of a Network.
//!
//! While training (on an autodiff device) each feature is normalised by the batch's mean and
//! biased variance, and the running statistics move towards the batch's: `momentum` of the
//! batch's mean and of its *unbiased* variance (`n / (n − 1)` times the biased one), as
//! PyTorch does. In evaluation (the plain device, `Module::valid`) the running statistics
//! normalise instead, so a sample's output no longer depends on the others in its batch.
//!
//! burn's own `BatchNorm` keeps the biased variance as its running variance, which falls
//! short of PyTorch's by `momentum · variance / (n − 1)` at every step (a tenth of the
//! variance over 8 samples, say, keeps 1.4% of it off): not the layer a graph exported to
//! PyTorch would train.

use crate::core::compile::plan::BATCH_NORM_MIN_BATCH;
use burn::module::{Module, Param, RunningState};
use burn::tensor::module::{batch_norm, batch_norm_train};
use burn::tensor::{Device, Tensor, TensorData};

/// PyTorch's `eps`: added to the variance before its square root.
pub const BATCH_NORM_EPSILON: f64 = 1e-5;

/// A batch normalisation over the features of `[batch, features]`.
#[derive(Module, Debug)]
pub struct BatchNorm1d {
    /// The scale (PyTorch's `weight`, γ), `[features]`.
    pub weight: Param<Tensor<1>>,
    /// The shift (PyTorch's `bias`, β), `[features]`.
    pub bias: Param<Tensor<1>>,
    /// PyTorch's `running_mean`, `[features]`.
    pub running_mean: RunningState<Tensor<1>>,
    /// PyTorch's `running_var` (of unbiased batch variances), `[features]`.
    pub running_var: RunningState<Tensor<1>>,
    /// PyTorch's `num_batches_tracked`: the training batches seen, as a float `[1]`.
    pub batches_tracked: RunningState<Tensor<1>>,
    /// How much of each batch's statistics the running ones take.
    pub momentum: f64,
}

/// A [`BatchNorm1d`]'s values, each its shape's length: `weight`, `bias`, `running_mean`,
/// `running_var` (`[features]`) and `batches_tracked`.
pub struct BatchNormValues {
    pub weight: Vec<f32>,
    pub bias: Vec<f32>,
    pub running_mean: Vec<f32>,
    pub running_var: Vec<f32>,
    pub batches_tracked: f32,
}

impl BatchNorm1d {
    /// The layer with `values`, on `device`.
    pub fn new(values: BatchNormValues, momentum: f64, device: &Device) -> Self {
        let vector = |values: Vec<f32>| {
            let len = values.len();
            Tensor::<1>::from_data(TensorData::new(values, [len]), device)
        };
        Self {
            weight: Param::from_tensor(vector(values.weight)),
            bias: Param::from_tensor(vector(values.bias)),
            running_mean: RunningState::new(vector(values.running_mean)),
            running_var: RunningState::new(vector(values.running_var)),
            batches_tracked: RunningState::new(vector(vec![values.batches_tracked])),
            momentum,
        }
    }

    /// Normalises by the batch's statistics while training (an autodiff device), updating
    /// the running ones; by the running statistics otherwise.
    ///
    /// A training batch of fewer than [`BATCH_NORM_MIN_BATCH`] samples (which the compiler
    /// refuses) is normalised by its statistics without moving the running ones.
    ///
    /// # Shapes
    /// `[batch, features]` → `[batch, features]`.
    pub fn forward(&self, x: Tensor<2>) -> Tensor<2> {
        if !x.device().is_autodiff() {
            let device = x.device();
            return batch_norm(
                x,
                self.weight.val(),
                self.bias.val(),
                self.running_mean.value().to_device(&device),
                self.running_var.value().to_device(&device),
                BATCH_NORM_EPSILON,
            );
        }
        let [rows, _] = x.dims();
        let device = x.device();
        let result = batch_norm_train(x, self.weight.val(), self.bias.val(), BATCH_NORM_EPSILON);
        if rows >= BATCH_NORM_MIN_BATCH {
            let momentum = self.momentum;
            let unbiased = result.variance.detach().mul_scalar(rows as f64 / (rows - 1) as f64);
            let mean = self.running_mean.value_sync().to_device(&device).mul_scalar(1.0 - momentum)
                + result.mean.detach().mul_scalar(momentum);
            let var = self.running_var.value_sync().to_device(&device).mul_scalar(1.0 - momentum)
                + unbiased.mul_scalar(momentum);
            let tracked = self.batches_tracked.value_sync().to_device(&device).add_scalar(1.0);
            self.running_mean.update(mean.detach());
            self.running_var.update(var.detach());
            self.batches_tracked.update(tracked.detach());
        }
        result.output
    }
}
