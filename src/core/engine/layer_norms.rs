//! Each linear layer measured around one optimizer update — ‖W‖ after it, ‖∇W‖ before any
//! clipping, ‖ΔW‖ — on the device, for the layer charts (`report::layer_stats::LayerNorms`).
//! The trainer measures the updates that may end an epoch and reads them with the epoch's
//! sums; the golden replay measures every update the same way.

use burn::module::ParamId;
use burn::tensor::Tensor;

use crate::core::engine::mlp::Mlp;
use crate::core::engine::readback::read;
use crate::core::engine::step::Stepper;
use crate::core::report::layer_stats::LayerNorms;
use crate::core::report::train_error::TrainError;

/// An update being measured: each linear layer's weights before it.
pub struct LayerMeasure {
    before: Vec<Tensor<2>>,
}

impl LayerMeasure {
    /// Before an update of `model`: keeps each linear layer's weights (a handle: a copy only if
    /// the update would have changed them in place) and asks `stepper` for the norm of each
    /// weight's gradient.
    pub fn before(model: &Mlp, stepper: &mut Stepper<Mlp>) -> Self {
        let (ids, before): (Vec<ParamId>, Vec<Tensor<2>>) =
            model.linear_layers().map(|linear| (linear.weight.id, linear.weight.val().inner())).unzip();
        stepper.measure_params(ids);
        Self { before }
    }

    /// After the update: each layer's `[‖W‖, ‖∇W‖, ‖ΔW‖]` (`[1]` each, on the plain device),
    /// from `model` as updated and the gradients' norms the step returned
    /// (`Stepped::param_grad_norms`); `None` when no update ran (its batch was accumulated).
    pub fn after(
        self,
        model: &Mlp,
        gradients: Option<Vec<Option<Tensor<1>>>>,
    ) -> Option<Vec<[Tensor<1>; 3]>> {
        let norm = |weights: Tensor<2>| weights.powi_scalar(2).sum().sqrt();
        model
            .linear_layers()
            .zip(self.before)
            .zip(gradients?)
            .map(|((linear, old), gradient)| {
                let new = linear.weight.val().inner();
                Some([norm(new.clone()), gradient?, norm(new - old)])
            })
            .collect()
    }
}

/// `values` (`‖W‖, ‖∇W‖, ‖ΔW‖` per layer, as read back in order) as each layer's norms.
pub fn layer_norms_of(values: &[Vec<f64>]) -> Vec<LayerNorms> {
    values
        .chunks_exact(3)
        .map(|norms| {
            let value = |at: usize| norms[at].first().copied().unwrap_or(f64::NAN);
            LayerNorms { weight: value(0), gradient: value(1), update: value(2) }
        })
        .collect()
}

/// Reads `measured` back, in one transaction.
///
/// # Errors
/// [`TrainError::Readback`] when the device fails to return the values.
pub async fn read_layer_norms(measured: Vec<[Tensor<1>; 3]>) -> Result<Vec<LayerNorms>, TrainError> {
    let values = read(measured.into_iter().flatten().collect()).await?;
    Ok(layer_norms_of(&values))
}
