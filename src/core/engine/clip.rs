//! Gradient clipping by the global L2 norm, as `torch.nn.utils.clip_grad_norm_`: every
//! gradient is scaled by `min(1, max_norm / (total_norm + 1e-6))`, where `total_norm` is
//! the L2 norm of all gradients together.

use burn::tensor::Tensor;

/// Scales `grads` so that their global L2 norm is at most `max_norm`; returns them with that
/// norm (before clipping), or with `None` when there is no gradient. Gradients are passed
/// flattened, one `[n]` tensor per parameter.
///
/// # Shapes
/// each `[n_i]` → each `[n_i]`; the norm `[1]`.
pub fn clip_global_norm(grads: Vec<Tensor<1>>, max_norm: f64) -> (Vec<Tensor<1>>, Option<Tensor<1>>) {
    let squares = grads.iter().map(|grad| grad.clone().powi_scalar(2).sum()).reduce(|a, b| a + b);
    let Some(total_norm) = squares.map(Tensor::sqrt) else {
        return (grads, None);
    };
    // min(1, max_norm / (norm + 1e-6)), kept on the device: no read-back in the step.
    let scale = total_norm.clone().add_scalar(1e-6).recip().mul_scalar(max_norm).clamp_max(1.0);
    let clipped = grads.into_iter().map(|grad| grad * scale.clone()).collect();
    (clipped, Some(total_norm))
}
