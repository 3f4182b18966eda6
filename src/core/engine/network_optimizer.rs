//! The optimizer that updates a whole network, and its state off the device.
//!
//! It applies an [`UpdateRule`] to every parameter that has a gradient, keeping each
//! parameter's [`ParamState`] by the parameter's position in the network (its visiting
//! order), which copies of the network share on every device. burn's `ModuleOptimizer` does
//! the same but keys states by parameter id and reads them back only synchronously, which
//! panics on WebGPU in the browser; here [`NetworkOptimizer::snapshot`] reads every state
//! with one asynchronous read, so a checkpoint or a move to another device keeps momentum
//! and Adam's moments ([`OptimizerState`]), and [`NetworkOptimizer::restore`] checks a
//! stored state against the network before any of it reaches the device.

use burn::module::{Module, ModuleMapper, ModuleVisitor, Param};
use burn::optim::GradientsParams;
use burn::tensor::{Device, Tensor, TensorData, Transaction};

use crate::core::compile::plan::OptimizerPlan;
use crate::core::document::train_state::{OptimizerState, StoredParam};
use crate::core::engine::optimizer::{ParamState, UpdateRule};

/// The optimizer of a network.
#[derive(Clone)]
pub struct NetworkOptimizer {
    rule: UpdateRule,
    /// Each parameter's state, by position; `None` before its first update.
    states: Vec<Option<ParamState>>,
}

impl NetworkOptimizer {
    /// A fresh optimizer for `plan`: no state yet.
    pub fn new(plan: &OptimizerPlan) -> Self {
        Self { rule: UpdateRule::of(plan), states: Vec::new() }
    }

    /// Updates every parameter of `model` that has a gradient in `grads`, at rate `lr`.
    pub fn step<M: Module>(&mut self, lr: f64, model: M, mut grads: GradientsParams) -> M {
        let mut update =
            Update { rule: &self.rule, states: &mut self.states, grads: &mut grads, lr, position: 0 };
        model.map(&mut update)
    }

    /// Copies the state of `model`'s optimizer to the CPU with one asynchronous read.
    ///
    /// # Errors
    /// A sentence when the device fails to return the values.
    pub async fn snapshot(&self) -> Result<OptimizerState, String> {
        let transaction = self
            .states
            .iter()
            .flatten()
            .flat_map(|state| state.buffers.iter().cloned())
            .fold(Transaction::default(), |transaction, buffer| transaction.register(buffer));
        let data = transaction.execute_async().await.map_err(|error| format!("{error:?}"))?;
        let mut values = data.into_iter();
        let mut params = Vec::with_capacity(self.states.len());
        for state in &self.states {
            params.push(match state {
                None => None,
                Some(state) => {
                    let mut buffers = Vec::with_capacity(state.buffers.len());
                    for _ in &state.buffers {
                        let data = values.next().ok_or_else(|| text!("run-error-fewer-values"))?;
                        buffers.push(data.iter::<f32>().collect());
                    }
                    Some(StoredParam { time: state.time as u64, buffers })
                }
            });
        }
        Ok(OptimizerState { rule: self.rule.name().to_owned(), params })
    }

    /// The optimizer of `plan` going on from `stored`, its buffers placed on `device` —
    /// once `stored` is checked against `model` (the network it will update): the same rule,
    /// a state for no more parameters than the network has, each with the rule's buffers,
    /// every buffer of its parameter's length and finite, and no more than `max_updates`
    /// updates counted.
    ///
    /// # Errors
    /// A sentence saying what does not fit.
    pub fn restore<M: Module>(
        plan: &OptimizerPlan,
        stored: &OptimizerState,
        model: &M,
        max_updates: usize,
        device: &Device,
    ) -> Result<Self, String> {
        let rule = UpdateRule::of(plan);
        if stored.rule != rule.name() {
            return Err(text!("run-error-optimizer-other-rule", stored = &stored.rule, rule = rule.name()));
        }
        let mut lengths = Lengths::default();
        model.visit(&mut lengths);
        if stored.params.len() > lengths.0.len() {
            return Err(text!(
                "run-error-optimizer-more-params",
                stored = stored.params.len(),
                params = lengths.0.len()
            ));
        }
        let mut states = Vec::with_capacity(stored.params.len());
        for (position, (param, &length)) in stored.params.iter().zip(&lengths.0).enumerate() {
            let Some(param) = param else {
                states.push(None);
                continue;
            };
            if param.buffers.len() != rule.buffers() {
                return Err(text!(
                    "run-error-optimizer-buffers",
                    position = position,
                    buffers = param.buffers.len(),
                    rule = rule.name(),
                    kept = rule.buffers()
                ));
            }
            let mut buffers = Vec::with_capacity(param.buffers.len());
            for values in &param.buffers {
                if values.len() != length {
                    return Err(text!(
                        "run-error-optimizer-length",
                        position = position,
                        length = length,
                        stored = values.len()
                    ));
                }
                if values.iter().any(|value| !value.is_finite()) {
                    return Err(text!("run-error-optimizer-not-finite", position = position));
                }
                buffers.push(Tensor::<1>::from_data(TensorData::new(values.clone(), [length]), device));
            }
            let time = usize::try_from(param.time)
                .ok()
                .filter(|&time| time <= max_updates)
                .ok_or_else(|| text!("run-error-optimizer-updates", position = position))?;
            states.push(Some(ParamState { buffers, time }));
        }
        Ok(Self { rule, states })
    }

    /// Changes the rule's settings and keeps the state (a learning rate or settings edited
    /// mid-run that keep the same rule's buffers).
    pub fn set_plan(&mut self, plan: &OptimizerPlan) {
        self.rule = UpdateRule::of(plan);
    }
}

/// The mapper that updates each parameter in turn.
struct Update<'a> {
    rule: &'a UpdateRule,
    states: &'a mut Vec<Option<ParamState>>,
    grads: &'a mut GradientsParams,
    lr: f64,
    /// The next parameter's position.
    position: usize,
}

impl ModuleMapper for Update<'_> {
    fn map_float<const D: usize>(&mut self, param: Param<Tensor<D>>) -> Param<Tensor<D>> {
        let (id, tensor, mapper) = param.consume();
        let position = self.position;
        self.position += 1;
        let Some(grad) = self.grads.remove::<D>(id) else {
            return Param::from_mapped_value(id, tensor, mapper);
        };
        if self.states.len() <= position {
            self.states.resize(position + 1, None);
        }
        let require_grad = tensor.is_require_grad();
        let state = self.states[position].take();
        let (updated, state) = self.rule.step(self.lr, tensor.inner(), grad, state);
        self.states[position] = Some(state);
        let mut updated = Tensor::from_inner(updated);
        if require_grad {
            updated = updated.require_grad();
        }
        Param::from_mapped_value(id, updated, mapper)
    }
}

/// Each float parameter's length, in visiting order.
#[derive(Default)]
struct Lengths(Vec<usize>);

impl ModuleVisitor for Lengths {
    fn visit_float<const D: usize>(&mut self, param: &Param<Tensor<D>>) {
        self.0.push(param.val().shape().num_elements());
    }
}
