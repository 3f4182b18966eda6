//! Loss functions and batch metrics, with PyTorch's semantics (`torch.nn.CrossEntropyLoss`),
//! checked against PyTorch's own numbers in `tests/golden.rs`.

use burn::tensor::activation::log_softmax;
use burn::tensor::{Int, Tensor, TensorData};

use crate::core::compile::plan::CrossEntropyOptions;
use crate::core::model::choices::Reduction;

/// Mean cross-entropy of raw `logits` against class indices, as `torch.nn.CrossEntropyLoss()`.
///
/// # Shapes
/// `logits [batch, classes]`, `targets [batch]` → `[1]`.
pub fn cross_entropy(logits: Tensor<2>, targets: Tensor<1, Int>) -> Tensor<1> {
    cross_entropy_with(logits, targets, &CrossEntropyOptions::default())
}

/// Cross-entropy with every option of `torch.nn.CrossEntropyLoss`: class weights, ignored
/// targets, label smoothing and the three reductions. For sample `n` with target `y`, class
/// weights `w`, `C` classes and smoothing `ε`:
/// `(1 − ε) · w[y] · −log p[n, y]  +  ε / C · Σ_c w[c] · −log p[n, c]`, zero for ignored
/// samples; `Mean` divides the sums by `Σ w[y]` over the samples not ignored.
///
/// # Shapes
/// `logits [batch, classes]`, `targets [batch]` → `[1]`, or `[batch]` for
/// [`Reduction::Elementwise`].
pub fn cross_entropy_with(
    logits: Tensor<2>,
    targets: Tensor<1, Int>,
    options: &CrossEntropyOptions,
) -> Tensor<1> {
    let [batch, classes] = logits.dims();
    let device = logits.device();
    let ignored = targets.clone().equal_elem(options.ignore_index); // [batch]
    let kept = ignored.clone().bool_not().float(); // [batch], 1 where the sample counts
    let safe_targets = targets.mask_fill(ignored, 0); // [batch], ignored → class 0
    let log_probs = log_softmax(logits, 1); // [batch, classes]
    let target_log_probs =
        log_probs.clone().gather(1, safe_targets.clone().reshape([batch, 1])).reshape([batch]);

    let weight = options
        .weight
        .as_ref()
        .map(|weight| Tensor::<1>::from_data(TensorData::new(weight.clone(), [classes]), &device));
    let target_weights = match &weight {
        Some(weight) => weight.clone().select(0, safe_targets) * kept.clone(), // [batch]
        None => kept.clone(),
    };
    let nll = target_log_probs.neg() * target_weights.clone(); // [batch]

    let smoothing = options.label_smoothing;
    let per_sample = if smoothing == 0.0 {
        // The common case, and the training loop's: skip the smoothing term's work.
        nll
    } else {
        let class_log_prob_sums = match weight {
            Some(weight) => (log_probs * weight.reshape([1, classes])).sum_dim(1),
            None => log_probs.sum_dim(1),
        }; // [batch, 1]
        let smooth = class_log_prob_sums.reshape([batch]).neg() * kept; // [batch]
        nll.mul_scalar(1.0 - smoothing) + smooth.mul_scalar(smoothing / classes as f64)
    };
    match options.reduction {
        Reduction::Elementwise => per_sample,
        Reduction::Sum => per_sample.sum(),
        Reduction::Mean => per_sample.sum() / target_weights.sum(),
    }
}

/// Squared error, as `torch.nn.MSELoss(reduction)`.
///
/// # Shapes
/// `predictions` and `targets` of the same shape (e.g. `[batch, 1]`) → `[1]`, or every
/// element flattened for [`Reduction::Elementwise`].
pub fn mse<const D: usize>(predictions: Tensor<D>, targets: Tensor<D>, reduction: Reduction) -> Tensor<1> {
    reduce((predictions - targets).powi_scalar(2), reduction)
}

/// Absolute error, as `torch.nn.L1Loss(reduction)`.
///
/// # Shapes
/// As [`mse`].
pub fn l1<const D: usize>(predictions: Tensor<D>, targets: Tensor<D>, reduction: Reduction) -> Tensor<1> {
    reduce((predictions - targets).abs(), reduction)
}

/// Reduces an element-wise loss over all its elements.
fn reduce<const D: usize>(losses: Tensor<D>, reduction: Reduction) -> Tensor<1> {
    let count = losses.shape().num_elements();
    let flat = losses.reshape([count]); // [n]
    match reduction {
        Reduction::Elementwise => flat,
        Reduction::Sum => flat.sum(),
        Reduction::Mean => flat.mean(),
    }
}

/// How many samples of the batch have their target as the top-scoring class.
///
/// # Shapes
/// `logits [batch, classes]`, `targets [batch]` → `[1]`.
pub fn correct_count(logits: Tensor<2>, targets: Tensor<1, Int>) -> Tensor<1, Int> {
    let [batch, _] = logits.dims();
    let predicted = logits.argmax(1).reshape([batch]); // [batch]
    predicted.equal(targets).int().sum()
}

// Native only: the tests await reads with futures-lite, a native dependency.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::core::engine::device::cpu_device;

    #[test]
    fn l1_is_the_absolute_error_reduced_as_asked() {
        let device = cpu_device();
        let predictions = Tensor::<2>::from_data(TensorData::new(vec![1.0f32, 2.0, 3.0], [3, 1]), &device);
        let targets = Tensor::<2>::from_data(TensorData::new(vec![2.0f32, 2.0, 5.0], [3, 1]), &device);
        let read = |tensor: Tensor<1>| {
            futures_lite::future::block_on(tensor.into_data_async()).unwrap().try_to_vec::<f32>().unwrap()
        };
        assert_eq!(read(l1(predictions.clone(), targets.clone(), Reduction::Mean)), [1.0]);
        assert_eq!(read(l1(predictions.clone(), targets.clone(), Reduction::Sum)), [3.0]);
        assert_eq!(read(l1(predictions, targets, Reduction::Elementwise)), [1.0, 0.0, 2.0]);
    }
}
