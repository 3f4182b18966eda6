//! What TrainingStep minimises for one batch: the plan's loss, or CombineLoss's weighted sum
//! of several, and the same quantity summed per sample for the epoch's average.

use burn::tensor::Tensor;

use crate::core::compile::plan::{LossKind, LossPlan};
use crate::core::engine::loss::{cross_entropy_with, l1, mse};
use crate::core::engine::samples::TargetTensor;
use crate::core::model::choices::Reduction;

/// One batch's loss.
pub struct BatchLoss {
    /// The value to differentiate, `[1]`.
    pub value: Tensor<1>,
    /// Its contribution to the epoch's mean per-sample loss: each term's sum over the batch
    /// (a mean times the batch's rows), weighted. Detached. `[1]`.
    pub summed: Tensor<1>,
}

/// Evaluates `plan` on a batch's `outputs` and `targets`.
///
/// A term whose targets are of the wrong kind (class indices for MSE, values for
/// cross-entropy) contributes nothing: the compiler refuses such graphs before they run.
///
/// # Shapes
/// `outputs [rows, out]`; targets `[rows]` (classes) or `[rows, 1]` (values).
pub fn batch_loss(plan: &LossPlan, outputs: Tensor<2>, targets: &TargetTensor) -> BatchLoss {
    let [rows, _] = outputs.dims();
    let mut total: Option<(Tensor<1>, Tensor<1>)> = None;
    for term in &plan.terms {
        let loss = match (&term.loss, targets) {
            (LossKind::CrossEntropy(options), TargetTensor::Classes(classes)) => {
                cross_entropy_with(outputs.clone(), classes.clone(), options)
            }
            (LossKind::Mse(reduction), TargetTensor::Values(values)) => {
                mse(outputs.clone(), values.clone(), *reduction)
            }
            (LossKind::L1(reduction), TargetTensor::Values(values)) => {
                l1(outputs.clone(), values.clone(), *reduction)
            }
            _ => continue,
        };
        let (loss, batch_sum) = match term.loss.reduction() {
            Reduction::Mean => (loss.clone(), loss.detach().mul_scalar(rows as f64)),
            Reduction::Sum => (loss.clone(), loss.detach()),
            // The compiler refuses `none` on a trained loss; summing keeps the shape [1].
            Reduction::Elementwise => (loss.clone().sum(), loss.detach().sum()),
        };
        // A lone loss of weight 1, the common case, adds no operations.
        let weighted =
            |tensor: Tensor<1>| if term.weight == 1.0 { tensor } else { tensor.mul_scalar(term.weight) };
        let (loss, batch_sum) = (weighted(loss), weighted(batch_sum));
        total = Some(match total {
            Some((value, summed)) => (value + loss, summed + batch_sum),
            None => (loss, batch_sum),
        });
    }
    let (value, summed) = total.unwrap_or_else(|| {
        let zero = Tensor::<1>::zeros([1], &outputs.device());
        (zero.clone(), zero)
    });
    BatchLoss { value, summed }
}
