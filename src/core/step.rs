//! TrainingStep's semantics, as PyTorch code usually writes them: each batch's loss is
//! divided by `accumulation_steps` and backpropagated, the gradients of `accumulation_steps`
//! batches are summed, clipped by their global L2 norm (`gradient_clip`, 0 = off), and the
//! optimizer applies them. `tests/golden.rs` replays PyTorch's own training runs.

use std::collections::HashMap;

use burn::module::{Module, ModuleVisitor, Param, ParamId};
use burn::optim::{GradientsAccumulator, GradientsParams, ModuleOptimizer};
use burn::tensor::Tensor;

use super::clip::clip_global_norm;

/// TrainingStep's settings.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct StepPlan {
    /// Max global L2 norm of the gradients; 0 turns clipping off.
    pub gradient_clip: f64,
    /// Batches whose gradients are summed (each divided by this) before one update.
    pub accumulation_steps: usize,
    /// Compute in f16 where the device can (master weights stay f32).
    pub mixed_precision: bool,
}

impl Default for StepPlan {
    fn default() -> Self {
        Self { gradient_clip: 0.0, accumulation_steps: 1, mixed_precision: false }
    }
}

/// Carries gradients between the batches of one accumulation.
pub struct Stepper<M: Module> {
    plan: StepPlan,
    accumulated: GradientsAccumulator<M>,
    batches: usize,
}

impl<M: Module> Stepper<M> {
    pub fn new(plan: StepPlan) -> Self {
        Self { plan, accumulated: GradientsAccumulator::new(), batches: 0 }
    }

    /// Backpropagates one batch's `loss` (its plain, undivided value) and, on every
    /// `accumulation_steps`-th batch, clips the summed gradients and updates `model`.
    /// Returns the model and whether it was updated.
    pub fn step(
        &mut self,
        loss: Tensor<1>,
        model: M,
        optimizer: &mut ModuleOptimizer,
        learning_rate: f64,
    ) -> (M, bool) {
        let steps = self.plan.accumulation_steps.max(1);
        let loss = if steps > 1 { loss.div_scalar(steps as f64) } else { loss };
        let grads = GradientsParams::from_grads(loss.backward(), &model);
        if steps == 1 {
            return (self.apply(model, grads, optimizer, learning_rate), true);
        }
        self.accumulated.accumulate(&model, grads);
        self.batches += 1;
        if self.batches < steps {
            return (model, false);
        }
        self.batches = 0;
        let grads = self.accumulated.grads();
        (self.apply(model, grads, optimizer, learning_rate), true)
    }

    fn apply(&self, model: M, mut grads: GradientsParams, optimizer: &mut ModuleOptimizer, lr: f64) -> M {
        if self.plan.gradient_clip > 0.0 {
            clip_model_gradients(&model, &mut grads, self.plan.gradient_clip);
        }
        optimizer.step(lr, model, grads)
    }
}

/// Clips all of `model`'s gradients in `grads` together by their global L2 norm.
fn clip_model_gradients<M: Module>(model: &M, grads: &mut GradientsParams, max_norm: f64) {
    let mut taken = TakeFlat { grads, taken: Vec::new() };
    model.visit(&mut taken);
    let TakeFlat { grads, taken } = taken;
    let (ids, rest): (Vec<ParamId>, Vec<(Tensor<1>, Vec<usize>)>) = taken.into_iter().unzip();
    let (flat, shapes): (Vec<Tensor<1>>, Vec<Vec<usize>>) = rest.into_iter().unzip();
    let (clipped, _) = clip_global_norm(flat, max_norm);
    let clipped = ids.into_iter().zip(clipped.into_iter().zip(shapes)).collect();
    model.visit(&mut PutBack { grads, clipped });
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
