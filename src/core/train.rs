//! The training engine: runs a [`TrainingPlan`] on any burn [`Device`], one batch at a time.
//!
//! The engine never blocks for long and never reads a tensor synchronously: a caller drives
//! it with [`Trainer::train_batch`] (a few milliseconds of work) and, when an epoch's batches
//! are done, awaits [`Trainer::finish_epoch`], the one read-back per epoch. In the browser the
//! caller yields to the event loop between batches; natively it can simply loop.

use burn::optim::ModuleOptimizer;
use burn::tensor::{Device, Int, Tensor, TensorData, Transaction};
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;

use super::loss::{Reduction, correct_count, cross_entropy_with};
use super::model::Mlp;
use super::plan::{LossPlan, TrainingPlan};
use super::step::Stepper;

/// Why training stopped early.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TrainError {
    #[error(
        "the loss became {loss} in epoch {epoch}: training diverged. Lower the learning rate \
         (now {learning_rate}), or the momentum if the optimizer uses it"
    )]
    Diverged { epoch: usize, loss: f64, learning_rate: f64 },
    #[error("reading the epoch's metrics from the device failed: {0}")]
    Readback(String),
}

/// Averages over one epoch.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct EpochStats {
    /// 1-based.
    pub epoch: usize,
    /// Mean per-sample loss over the epoch's batches.
    pub train_loss: f64,
    /// Fraction (0–1) of the epoch's samples classified correctly when their batch ran.
    pub train_accuracy: f64,
}

/// A training session in progress.
pub struct Trainer {
    plan: TrainingPlan,
    device: Device,
    /// `None` only while an optimizer step owns it.
    model: Option<Mlp>,
    optimizer: ModuleOptimizer,
    /// Gradient accumulation and clipping, as the TrainingStep node sets them.
    stepper: Stepper<Mlp>,
    inputs: Tensor<2>,
    targets: Tensor<1, Int>,
    order: Vec<i64>,
    shuffle_rng: StdRng,
    /// Epochs completed.
    epoch: usize,
    /// Batches run in the current epoch.
    batch: usize,
    /// Σ batch loss × batch size over the epoch, kept on the device until it is read.
    loss_sum: Option<Tensor<1>>,
    correct: Option<Tensor<1, Int>>,
}

impl Trainer {
    /// Prepares a session: generates the data, initialises the network and the optimizer on
    /// `device` (autodiff is added here; pass a plain backend device).
    pub fn new(plan: TrainingPlan, device: &Device) -> Self {
        let device = device.clone().autodiff();
        let data = plan.dataset.generate();
        let samples = data.len();
        let inputs = Tensor::<2>::from_data(TensorData::new(data.inputs, [samples, data.features]), &device);
        let targets = Tensor::<1, Int>::from_data(TensorData::new(data.targets, [samples]), &device);
        let model = Mlp::init(&plan.network, plan.init_seed, &device);
        let optimizer = plan.optimizer.module_optimizer();
        let stepper = Stepper::new(plan.step);
        Self {
            shuffle_rng: StdRng::seed_from_u64(plan.sampler.seed),
            order: (0..samples as i64).collect(),
            plan,
            device,
            model: Some(model),
            optimizer,
            stepper,
            inputs,
            targets,
            epoch: 0,
            batch: 0,
            loss_sum: None,
            correct: None,
        }
    }

    pub fn plan(&self) -> &TrainingPlan {
        &self.plan
    }

    /// Epochs completed so far.
    pub fn epochs_done(&self) -> usize {
        self.epoch
    }

    pub fn is_finished(&self) -> bool {
        self.epoch >= self.plan.epochs
    }

    pub fn batches_per_epoch(&self) -> usize {
        self.order.len().div_ceil(self.plan.sampler.batch_size)
    }

    /// Whether the current epoch's batches have all run (then call [`Self::finish_epoch`]).
    pub fn epoch_batches_done(&self) -> bool {
        self.batch >= self.batches_per_epoch()
    }

    /// Runs one batch: forward, loss, backward and, per the TrainingStep settings, the
    /// optimizer step. Reads nothing back.
    /// Does nothing once the epoch's batches are done or training is finished.
    pub fn train_batch(&mut self) {
        if self.is_finished() || self.epoch_batches_done() {
            return;
        }
        if self.batch == 0 && self.plan.sampler.shuffle {
            self.order.shuffle(&mut self.shuffle_rng);
        }
        let batch_size = self.plan.sampler.batch_size;
        let start = self.batch * batch_size;
        let end = (start + batch_size).min(self.order.len());
        let rows = end - start;
        let indices = Tensor::<1, Int>::from_data(
            TensorData::new(self.order[start..end].to_vec(), [rows]),
            &self.device,
        );
        let inputs = self.inputs.clone().select(0, indices.clone()); // [rows, features]
        let targets = self.targets.clone().select(0, indices); // [rows]

        let Some(model) = self.model.take() else { return };
        let logits = model.forward(inputs); // [rows, classes]
        let LossPlan::CrossEntropy(options) = &self.plan.loss;
        let loss = cross_entropy_with(logits.clone(), targets.clone(), options);
        let correct = correct_count(logits.detach(), targets);
        // Summed over the epoch, then divided by its samples: the mean per-sample loss.
        let weighted = match options.reduction {
            Reduction::Mean => loss.clone().detach().mul_scalar(rows as f64),
            Reduction::Sum | Reduction::Elementwise => loss.clone().detach().sum(),
        };
        self.loss_sum = Some(match self.loss_sum.take() {
            Some(sum) => sum + weighted,
            None => weighted,
        });
        self.correct = Some(match self.correct.take() {
            Some(sum) => sum + correct,
            None => correct,
        });

        let learning_rate = self.plan.optimizer.learning_rate();
        let (model, _) = self.stepper.step(loss, model, &mut self.optimizer, learning_rate);
        self.model = Some(model);
        self.batch += 1;
    }

    /// Closes the epoch: reads its loss and accuracy back (asynchronously: the only read of
    /// the epoch) and resets the counters.
    ///
    /// # Errors
    /// [`TrainError::Diverged`] when the epoch's loss is not finite; [`TrainError::Readback`]
    /// when the device fails to return the values.
    pub async fn finish_epoch(&mut self) -> Result<EpochStats, TrainError> {
        let samples = self.order.len().min(self.batch * self.plan.sampler.batch_size).max(1);
        let (Some(loss_sum), Some(correct)) = (self.loss_sum.take(), self.correct.take()) else {
            return Err(TrainError::Readback("no batch ran in this epoch".to_owned()));
        };
        let data = Transaction::default()
            .register(loss_sum)
            .register(correct)
            .execute_async()
            .await
            .map_err(|error| TrainError::Readback(format!("{error:?}")))?;
        let [loss_data, correct_data] = data.as_slice() else {
            return Err(TrainError::Readback("expected two values".to_owned()));
        };
        let loss_sum = first_value(loss_data)?;
        let correct = first_value(correct_data)?;
        self.epoch += 1;
        self.batch = 0;
        let train_loss = loss_sum / samples as f64;
        if !train_loss.is_finite() {
            let learning_rate = self.plan.optimizer.learning_rate();
            return Err(TrainError::Diverged { epoch: self.epoch, loss: train_loss, learning_rate });
        }
        Ok(EpochStats { epoch: self.epoch, train_loss, train_accuracy: correct / samples as f64 })
    }

    /// Runs every remaining batch of the epoch, then closes it. For callers that need not
    /// yield between batches (native runs, tests).
    ///
    /// # Errors
    /// As [`Self::finish_epoch`].
    pub async fn run_epoch(&mut self) -> Result<EpochStats, TrainError> {
        while !self.epoch_batches_done() {
            self.train_batch();
        }
        self.finish_epoch().await
    }
}

/// The first element of a read-back tensor, as f64, whatever its element type.
fn first_value(data: &TensorData) -> Result<f64, TrainError> {
    data.iter::<f64>().next().ok_or_else(|| TrainError::Readback("empty tensor".to_owned()))
}
