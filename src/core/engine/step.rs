//! TrainingStep's semantics, as PyTorch code usually writes them: each batch's loss is
//! divided by `accumulation_steps` and backpropagated, the gradients of `accumulation_steps`
//! batches are summed, clipped by their global L2 norm (`gradient_clip`, 0 = off), and the
//! optimizer applies them. `tests/golden.rs` replays PyTorch's own training runs.

use std::collections::HashMap;

use burn::module::{Module, ModuleVisitor, Param, ParamId};
use burn::optim::{GradientsAccumulator, GradientsParams};
use burn::tensor::{Device, Tensor, TensorData, Transaction};

use crate::core::compile::plan::StepPlan;
use crate::core::document::train_state::PendingGradients;
use crate::core::engine::clip::clip_global_norm;
use crate::core::engine::network_optimizer::NetworkOptimizer;

/// Carries gradients between the batches of one accumulation.
pub struct Stepper<M: Module> {
    plan: StepPlan,
    accumulated: GradientsAccumulator<M>,
    batches: usize,
    /// Whether an update without clipping measures its gradient norm too.
    measure_norms: bool,
    /// Parameters whose gradient norms the next update measures, each alone.
    measure_params: Option<Vec<ParamId>>,
}

/// What a step did.
pub struct Stepped {
    /// Whether the model was updated (else its gradients wait for the rest of the
    /// accumulation).
    pub updated: bool,
    /// The update's gradients' global L2 norm before clipping, `[1]`, when it was measured.
    pub grad_norm: Option<Tensor<1>>,
    /// The L2 norm before clipping of each parameter's gradient that
    /// [`Stepper::measure_params`] asked for (`[1]` each; `None` for one without a gradient).
    pub param_grad_norms: Option<Vec<Option<Tensor<1>>>>,
}

impl Stepped {
    const ACCUMULATED: Stepped = Stepped { updated: false, grad_norm: None, param_grad_norms: None };
}

impl<M: Module> Stepper<M> {
    pub fn new(plan: StepPlan) -> Self {
        Self {
            plan,
            accumulated: GradientsAccumulator::new(),
            batches: 0,
            measure_norms: false,
            measure_params: None,
        }
    }

    /// Backpropagates one batch's `loss` (its plain, undivided value) and, on every
    /// `accumulation_steps`-th batch, clips the summed gradients and updates `model`.
    /// Returns the model and whether it was updated — with the global L2 norm of the gradients
    /// it was updated with, before clipping, when clipping computed it or norms are measured
    /// (on the device: nothing is read back).
    ///
    /// # Shapes
    /// `loss` `[1]`; the norm `[1]`.
    pub fn step(
        &mut self,
        loss: Tensor<1>,
        model: M,
        optimizer: &mut NetworkOptimizer,
        learning_rate: f64,
    ) -> (M, Stepped) {
        let steps = self.plan.accumulation_steps.max(1);
        let loss = if steps > 1 { loss.div_scalar(steps as f64) } else { loss };
        let grads = GradientsParams::from_grads(loss.backward(), &model);
        if steps == 1 {
            return self.apply(model, grads, optimizer, learning_rate);
        }
        self.accumulated.accumulate(&model, grads);
        self.batches += 1;
        if self.batches < steps {
            return (model, Stepped::ACCUMULATED);
        }
        self.batches = 0;
        let grads = self.accumulated.grads();
        self.apply(model, grads, optimizer, learning_rate)
    }

    /// Clips `grads` when TrainingStep says so and applies them; returns their global norm
    /// before clipping.
    fn apply(
        &mut self,
        model: M,
        mut grads: GradientsParams,
        optimizer: &mut NetworkOptimizer,
        lr: f64,
    ) -> (M, Stepped) {
        let param_grad_norms = self.measure_params.take().map(|ids| {
            ids.into_iter()
                .map(|id| grads.get::<2>(id).map(|grad| grad.powi_scalar(2).sum().sqrt()))
                .collect()
        });
        let grad_norm = if self.plan.gradient_clip > 0.0 {
            clip_model_gradients(&model, &mut grads, self.plan.gradient_clip)
        } else if self.measure_norms {
            gradient_norm(&model, &grads)
        } else {
            None
        };
        (optimizer.step(lr, model, grads), Stepped { updated: true, grad_norm, param_grad_norms })
    }

    /// Measures the gradient norm of each of the matrices `ids` (2-D parameters), each alone,
    /// at the next update.
    pub fn measure_params(&mut self, ids: Vec<ParamId>) {
        self.measure_params = Some(ids);
    }

    /// Measures every update's gradient norm even when clipping is off (EpochTracker logs
    /// them).
    pub fn measure_norms(mut self, on: bool) -> Self {
        self.measure_norms = on;
        self
    }

    /// Copies the gradients summed so far towards the next update (batches of an
    /// accumulation not yet applied) to the CPU, with one asynchronous read; `None` when no
    /// batch is waiting.
    ///
    /// # Errors
    /// A sentence when the device fails to return the values.
    pub async fn snapshot_pending(&mut self, model: &M) -> Result<Option<PendingGradients>, String> {
        if self.batches == 0 {
            return Ok(None);
        }
        let grads = self.accumulated.grads();
        let mut read = FlatGradients { grads: &grads, flat: Vec::new() };
        model.visit(&mut read);
        let FlatGradients { flat, .. } = read;
        let transaction = flat
            .iter()
            .flatten()
            .cloned()
            .fold(Transaction::default(), |transaction, grad| transaction.register(grad));
        let data = transaction.execute_async().await;
        // The gradients go back where they were, read or not.
        self.accumulated.accumulate(model, grads);
        let mut values = data.map_err(|error| format!("{error:?}"))?.into_iter();
        let grads = flat
            .iter()
            .map(|grad| grad.as_ref().and_then(|_| values.next()).map(|data| data.iter::<f32>().collect()))
            .collect();
        Ok(Some(PendingGradients { batches: self.batches, grads }))
    }

    /// Puts back gradients [`Self::snapshot_pending`] copied, for `model` (a network of the
    /// same shape) on `device` (its plain device).
    ///
    /// # Errors
    /// A sentence when they do not fit: more batches than an update takes, a gradient of
    /// another length, or a value that is not finite.
    pub fn restore_pending(
        &mut self,
        pending: &PendingGradients,
        model: &M,
        device: &Device,
    ) -> Result<(), String> {
        if pending.batches == 0 || pending.batches >= self.plan.accumulation_steps.max(1) {
            return Err(text!(
                "run-error-pending-batches",
                batches = pending.batches,
                steps = self.plan.accumulation_steps
            ));
        }
        let mut put = PutPending {
            pending: &pending.grads,
            position: 0,
            device,
            grads: GradientsParams::new(),
            error: None,
        };
        model.visit(&mut put);
        if let Some(error) = put.error {
            return Err(error);
        }
        if pending.grads.len() > put.position {
            return Err(text!(
                "run-error-pending-params",
                stored = pending.grads.len(),
                params = put.position
            ));
        }
        self.accumulated = GradientsAccumulator::new();
        self.accumulated.accumulate(model, put.grads);
        self.batches = pending.batches;
        Ok(())
    }
}

/// Each parameter's gradient in `grads`, flattened, by position.
struct FlatGradients<'a> {
    grads: &'a GradientsParams,
    flat: Vec<Option<Tensor<1>>>,
}

impl ModuleVisitor for FlatGradients<'_> {
    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        let grad = self.grads.get::<D>(param.id).map(|grad| {
            let length = grad.shape().num_elements();
            grad.reshape([length])
        });
        self.flat.push(grad);
    }
}

/// Gradients by position, registered under the parameters of the network visited.
struct PutPending<'a> {
    pending: &'a [Option<Vec<f32>>],
    position: usize,
    device: &'a Device,
    grads: GradientsParams,
    error: Option<String>,
}

impl ModuleVisitor for PutPending<'_> {
    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        let position = self.position;
        self.position += 1;
        let Some(Some(values)) = self.pending.get(position) else { return };
        let shape = param.val().shape();
        if values.len() != shape.num_elements() {
            self.error.get_or_insert(text!(
                "run-error-pending-length",
                position = position,
                length = shape.num_elements(),
                stored = values.len()
            ));
            return;
        }
        if values.iter().any(|value| !value.is_finite()) {
            self.error.get_or_insert(text!("run-error-pending-not-finite", position = position));
            return;
        }
        let grad = Tensor::<1>::from_data(TensorData::new(values.clone(), [values.len()]), self.device)
            .reshape(shape);
        self.grads.register::<D>(param.id, grad);
    }
}

/// Clips all of `model`'s gradients in `grads` together by their global L2 norm.
fn clip_model_gradients<M: Module>(
    model: &M,
    grads: &mut GradientsParams,
    max_norm: f64,
) -> Option<Tensor<1>> {
    let mut taken = TakeFlat { grads, taken: Vec::new() };
    model.visit(&mut taken);
    let TakeFlat { grads, taken } = taken;
    let (ids, rest): (Vec<ParamId>, Vec<(Tensor<1>, Vec<usize>)>) = taken.into_iter().unzip();
    let (flat, shapes): (Vec<Tensor<1>>, Vec<Vec<usize>>) = rest.into_iter().unzip();
    let (clipped, norm) = clip_global_norm(flat, max_norm);
    let clipped = ids.into_iter().zip(clipped.into_iter().zip(shapes)).collect();
    model.visit(&mut PutBack { grads, clipped });
    norm
}

/// The global L2 norm of `model`'s gradients in `grads`, as clipping computes it, in a few
/// device operations whatever the number of parameters (one concatenation, then one square,
/// sum and root); `None` when there is no gradient.
fn gradient_norm<M: Module>(model: &M, grads: &GradientsParams) -> Option<Tensor<1>> {
    let mut read = FlatGradients { grads, flat: Vec::new() };
    model.visit(&mut read);
    let flat: Vec<Tensor<1>> = read.flat.into_iter().flatten().collect();
    if flat.is_empty() {
        return None;
    }
    Some(Tensor::cat(flat, 0).powi_scalar(2).sum().sqrt())
}

/// Takes each parameter's gradient out of `grads`, flattened, with its shape.
struct TakeFlat<'a> {
    grads: &'a mut GradientsParams,
    taken: Vec<(ParamId, (Tensor<1>, Vec<usize>))>,
}

impl ModuleVisitor for TakeFlat<'_> {
    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        if let Some(grad) = self.grads.remove::<D>(param.id) {
            let dims = grad.dims();
            let flat = grad.reshape([dims.iter().product::<usize>()]);
            self.taken.push((param.id, (flat, dims.to_vec())));
        }
    }
}

/// Puts the clipped gradients back under their parameters, in their shapes.
struct PutBack<'a> {
    grads: &'a mut GradientsParams,
    clipped: HashMap<ParamId, (Tensor<1>, Vec<usize>)>,
}

impl ModuleVisitor for PutBack<'_> {
    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        let Some((grad, shape)) = self.clipped.remove(&param.id) else { return };
        if let Ok(dims) = <[usize; D]>::try_from(shape) {
            self.grads.register::<D>(param.id, grad.reshape(dims));
        }
    }
}
