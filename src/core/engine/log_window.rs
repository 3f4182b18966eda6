//! The steps since the last log, on the device: their summed loss and each update's gradient
//! norm, read back once per `log_interval` steps (`report::step_log` has what is read).

use burn::tensor::Tensor;

use crate::core::report::step_log::StepLog;
use crate::core::report::train_error::TrainError;

/// The steps since the last log, on the device.
#[derive(Default)]
pub(crate) struct LogWindow {
    /// Σ per-sample loss.
    loss: Option<Tensor<1>>,
    samples: usize,
    steps: usize,
    /// Each update's gradient norm `[1]`, with its step.
    norms: Vec<(usize, Tensor<1>)>,
}

impl LogWindow {
    /// Counts one step: its summed per-sample loss over `rows` samples, and its update's
    /// gradient norm if it updated.
    ///
    /// # Shapes
    /// `summed_loss` `[1]`; `norm` `[1]`.
    pub(crate) fn add(&mut self, summed_loss: Tensor<1>, rows: usize, step: usize, norm: Option<Tensor<1>>) {
        self.loss = Some(match self.loss.take() {
            Some(sum) => sum + summed_loss,
            None => summed_loss,
        });
        self.samples += rows;
        self.steps += 1;
        if let Some(norm) = norm {
            self.norms.push((step, norm));
        }
    }

    /// Reads the window back (one asynchronous read) as the log of `step`, and starts the
    /// next; `None` when no step ran since the last log.
    ///
    /// # Errors
    /// What the device said when the read failed.
    pub(crate) async fn take(&mut self, step: usize) -> Result<Option<StepLog>, TrainError> {
        let window = std::mem::take(self);
        let Some(loss) = window.loss else { return Ok(None) };
        let (norm_steps, norms): (Vec<usize>, Vec<Tensor<1>>) = window.norms.into_iter().unzip();
        let mut tensors = vec![loss];
        if !norms.is_empty() {
            tensors.push(Tensor::cat(norms, 0));
        }
        let values = crate::core::engine::readback::read(tensors).await?;
        let loss_sum = values.first().and_then(|values| values.first()).copied().unwrap_or(f64::NAN);
        let grad_norms = norm_steps.into_iter().zip(values.get(1).cloned().unwrap_or_default()).collect();
        Ok(Some(StepLog {
            step,
            loss: loss_sum / window.samples.max(1) as f64,
            steps: window.steps,
            grad_norms,
        }))
    }
}
