//! Loss functions and batch metrics, with PyTorch's semantics.

use burn::tensor::activation::log_softmax;
use burn::tensor::{Int, Tensor};

/// Mean cross-entropy of raw `logits` against class indices, as `torch.nn.CrossEntropyLoss()`.
///
/// # Shapes
/// `logits [batch, classes]`, `targets [batch]` → `[1]`.
pub fn cross_entropy(logits: Tensor<2>, targets: Tensor<1, Int>) -> Tensor<1> {
    let [batch, _] = logits.dims();
    let log_probs = log_softmax(logits, 1); // [batch, classes]
    let picked = log_probs.gather(1, targets.reshape([batch, 1])); // [batch, 1]
    picked.mean().neg()
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
