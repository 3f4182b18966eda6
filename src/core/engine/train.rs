//! The training engine: runs a [`TrainingPlan`] on any burn [`Device`], one batch at a time.
//!
//! The engine never blocks for long and never reads a tensor synchronously. `core::run`
//! drives it — the one loop over a trainer — with `train_batch` (a few milliseconds of work)
//! or `train_batch_checked` (which also reads the batch's loss back, to catch divergence at
//! the step it happens) and, when an epoch's batches are done, awaits `finish_epoch`, which
//! runs the validation pass and makes the one read-back of the epoch. The views read the
//! trainer between batches ([`Trainer::field`], [`Trainer::confusion`]).

use burn::module::Module;
use burn::tensor::activation::softmax;
use burn::tensor::{Device, FloatDType, Int, Tensor};
use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;

use crate::core::compile::batch_order::BatchOrder;
use crate::core::compile::early_stop::EarlyStopper;
use crate::core::compile::plan::{OptimizerPlan, TrainingPlan};
use crate::core::compile::schedule::{LrSchedule, SchedulerPlan};
use crate::core::data::dataset::{Dataset, Targets};
use crate::core::document::train_state::{Afresh, TrainerState};
use crate::core::engine::device::cpu_device;
use crate::core::engine::layer_norms::{LayerMeasure, layer_norms_of};
use crate::core::engine::log_window::LogWindow;
use crate::core::engine::metrics::top_k_hits;
use crate::core::engine::mlp::Mlp;
use crate::core::engine::network_optimizer::NetworkOptimizer;
use crate::core::engine::objective::batch_loss;
use crate::core::engine::readback::{one_hot, read};
use crate::core::engine::samples::{Samples, TargetTensor};
use crate::core::engine::step::Stepper;
use crate::core::engine::view_refresh::ViewRefresh;
use crate::core::engine::weights::{self, WeightsError};
use crate::core::model::choices::POINT_FEATURES;
use crate::core::model::params::LayerSpec;
use crate::core::report::class_metrics::{ClassMetrics, class_metrics};
use crate::core::report::confusion::Confusion;
use crate::core::report::epoch_stats::EpochStats;
use crate::core::report::field::Field;
use crate::core::report::layer_stats::ACTIVITY_SAMPLES;
use crate::core::report::retune::Retune;
use crate::core::report::step_log::StepLog;
use crate::core::report::train_error::TrainError;

/// A loss this many times the first batch's has exploded: no training that is working climbs
/// four orders of magnitude above where it started.
pub const EXPLODED_FACTOR: f64 = 1e4;

/// A batch's forward pass, waiting to be counted and applied.
struct ForwardBatch {
    model: Mlp,
    loss: crate::core::engine::objective::BatchLoss,
    hits: Option<(Tensor<1>, Tensor<1, Int>)>,
    /// The outputs, detached, and the targets, when the training batches feed the
    /// classification metrics.
    scores: Option<(Tensor<2>, Tensor<1, Int>)>,
    rows: usize,
}

/// Sums over a pass, kept on the device until the epoch's one read.
#[derive(Default)]
struct Sums {
    /// Σ per-sample loss.
    loss: Option<Tensor<1>>,
    /// Σ top-k hits.
    hits: Option<Tensor<1>>,
    /// Per class: Σ hits and Σ samples, `[classes]` each.
    class_hits: Option<Tensor<1>>,
    class_counts: Option<Tensor<1>>,
    /// For ClassificationMetrics: each batch's class probabilities `[rows × classes]`,
    /// flattened, and its targets as floats `[rows]`.
    scores: Vec<Tensor<1>>,
    score_targets: Vec<Tensor<1>>,
    samples: usize,
}

impl Sums {
    fn add(slot: &mut Option<Tensor<1>>, value: Tensor<1>) {
        *slot = Some(match slot.take() {
            Some(sum) => sum + value,
            None => value,
        });
    }

    /// Adds a batch: its summed loss, and for classes its hits (and per class, if asked).
    fn add_batch(
        &mut self,
        summed_loss: Tensor<1>,
        hits: Option<(Tensor<1>, &Tensor<1, Int>)>,
        per_class: Option<usize>,
    ) {
        Self::add(&mut self.loss, summed_loss);
        if let Some((hits, targets)) = hits {
            if let Some(classes) = per_class {
                let [rows] = hits.dims();
                let one_hot = one_hot(targets.clone(), classes); // [rows, classes]
                let class_hits =
                    (one_hot.clone() * hits.clone().reshape([rows, 1])).sum_dim(0).reshape([classes]);
                Self::add(&mut self.class_hits, class_hits);
                Self::add(&mut self.class_counts, one_hot.sum_dim(0).reshape([classes]));
            }
            Self::add(&mut self.hits, hits.sum());
        }
    }

    /// Keeps a batch's class probabilities (from its `outputs`) and `targets`, for the
    /// classification metrics.
    ///
    /// # Shapes
    /// `outputs [rows, classes]`, `targets [rows]`.
    fn add_scores(&mut self, outputs: Tensor<2>, targets: &Tensor<1, Int>) {
        let [rows, classes] = outputs.dims();
        self.scores.push(softmax(outputs, 1).reshape([rows * classes]));
        self.score_targets.push(targets.clone().float());
    }

    /// The tensors to read, in a fixed order: loss, hits, class hits, class counts (those
    /// present), then the scores and their targets (when kept), and where each part is.
    fn tensors(&mut self) -> (Vec<Tensor<1>>, SumsLayout) {
        let layout = SumsLayout {
            hits: self.hits.is_some(),
            per_class: self.class_hits.is_some(),
            scores: !self.scores.is_empty(),
        };
        let mut tensors: Vec<Tensor<1>> =
            [self.loss.take(), self.hits.take(), self.class_hits.take(), self.class_counts.take()]
                .into_iter()
                .flatten()
                .collect();
        if layout.scores {
            tensors.push(Tensor::cat(std::mem::take(&mut self.scores), 0));
            tensors.push(Tensor::cat(std::mem::take(&mut self.score_targets), 0));
        }
        (tensors, layout)
    }
}

/// Which parts a pass's read-back holds, after the loss (and the hits, for classes).
#[derive(Clone, Copy, Default)]
struct SumsLayout {
    hits: bool,
    per_class: bool,
    scores: bool,
}

/// What one pass's read-back gives.
struct PassResult {
    loss: f64,
    accuracy: Option<f64>,
    per_class: Vec<Option<f64>>,
    class_metrics: Option<ClassMetrics>,
}

/// A training session in progress.
pub struct Trainer {
    plan: TrainingPlan,
    /// `None` only while an optimizer step owns it.
    model: Option<Mlp>,
    /// The model before the last checked update, whose loss was read and finite: what a
    /// run goes back to when a loss turns non-finite.
    last_good: Option<Mlp>,
    /// The first checked batch's loss: a loss this many times larger has exploded.
    first_loss: Option<f64>,
    /// The last checked batch's loss.
    last_loss: Option<f64>,
    /// Optimizer steps (batches) run since the start.
    steps: usize,
    /// Samples trained on since the start.
    samples_trained: usize,
    optimizer: NetworkOptimizer,
    /// Gradient accumulation and clipping, as the TrainingStep node sets them.
    stepper: Stepper<Mlp>,
    train: Samples,
    /// The validation samples, on the plain device (evaluation needs no gradients).
    validation: Option<Samples>,
    /// The device without autodiff, for evaluation.
    plain_device: Device,
    /// The autodiff device the model trains on (its generator draws dropout's masks).
    device: Device,
    /// The training samples on the plain device, to evaluate on when there is no validation
    /// set.
    eval_train: Samples,
    /// Classes of a classification dataset.
    classes: Option<usize>,
    order: BatchOrder,
    /// Epochs completed.
    epoch: usize,
    /// Batches run in the current epoch.
    batch: usize,
    sums: Sums,
    schedule: Option<LrSchedule>,
    early_stopper: Option<EarlyStopper>,
    stopped_early: bool,
    /// Whether batches compute in f16 (see [`Self::set_mixed_precision`]).
    half: bool,
    /// The steps since EpochTracker's last log: their loss and gradient norms.
    log_window: LogWindow,
    /// The epoch's last measured update, on the device: each linear layer's ‖W‖, ‖∇W‖ and
    /// ‖ΔW‖ (`[1]` each), read with the epoch's metrics.
    layer_norms: Option<Vec<[Tensor<1>; 3]>>,
}

impl Trainer {
    /// Prepares a session: generates and splits the data, initialises the network and the
    /// optimizer on `device` (autodiff is added here; pass a plain backend device).
    pub fn new(plan: TrainingPlan, device: &Device) -> Self {
        let plain = device.clone();
        let device = device.clone().autodiff();
        let data = plan.dataset.generate();
        let classes = match &data.targets {
            Targets::Classes { classes, .. } => Some(*classes),
            Targets::Values(_) => None,
        };
        let (train, validation) = split(&data, &plan);
        let eval_train = Samples::new(&train, &plain);
        let train = Samples::new(&train, &device);
        let validation = validation.map(|data| Samples::new(&data, &plain));
        let model = Mlp::init(&plan.network, plan.init_seed, &device);
        let optimizer = NetworkOptimizer::new(&plan.optimizer);
        let stepper = Stepper::new(plan.step).measure_norms(plan.tracker.step_log);
        let schedule = plan
            .scheduler
            .as_ref()
            .map(|setup| LrSchedule::new(setup.plan.clone(), plan.optimizer.learning_rate()));
        let early_stopper = plan.tracker.early_stopping.map(EarlyStopper::new);
        Self {
            order: BatchOrder::new(&plan.sampler, train.len()),
            plan,
            model: Some(model),
            last_good: None,
            first_loss: None,
            last_loss: None,
            steps: 0,
            samples_trained: 0,
            optimizer,
            stepper,
            train,
            validation,
            plain_device: plain,
            device,
            eval_train,
            classes,
            epoch: 0,
            batch: 0,
            sums: Sums::default(),
            schedule,
            early_stopper,
            stopped_early: false,
            half: false,
            log_window: LogWindow::default(),
            layer_norms: None,
        }
    }

    /// Prepares a session that goes on from `weights` alone (a CPU copy of a network of the
    /// plan: a weights file, or a checkpoint of the first release) after `epochs_done`
    /// epochs, on `device`: the learning-rate schedule is where it was; the optimizer's state
    /// (momentum, Adam's moments) and the batch order start afresh. [`Self::restore`] goes on
    /// exactly, from a [`TrainerState`].
    ///
    /// # Errors
    /// [`WeightsError::Mismatch`] when `weights` do not fit the plan's network.
    pub fn resume(
        plan: TrainingPlan,
        device: &Device,
        weights: &Mlp,
        epochs_done: usize,
    ) -> Result<Self, WeightsError> {
        let mut trainer = Self::new(plan, device);
        trainer.model =
            Some(weights::onto_device(weights, &trainer.plan.network, &device.clone().autodiff())?);
        let epochs_done = epochs_done.min(trainer.plan.tracker.epochs);
        for _ in 0..epochs_done {
            // ReduceLROnPlateau has no past metrics to go on: it starts from the initial rate.
            let by_epoch = !matches!(
                trainer.plan.scheduler.as_ref().map(|setup| &setup.plan),
                Some(SchedulerPlan::ReduceOnPlateau { .. })
            );
            if let Some(schedule) = trainer.schedule.as_mut().filter(|_| by_epoch) {
                schedule.step(0.0);
            }
        }
        trainer.epoch = epochs_done;
        Ok(trainer)
    }

    /// Where the run stands, off the device, for a checkpoint or a move to another device:
    /// one asynchronous read of the optimizer's state and one of any gradients waiting for
    /// the rest of their accumulation. `None` within an epoch: a state is taken between
    /// epochs only.
    ///
    /// # Errors
    /// [`TrainError::Readback`] when the device fails to return the values.
    pub async fn state(&mut self) -> Result<Option<TrainerState>, TrainError> {
        if self.batch != 0 {
            return Ok(None);
        }
        let Some(model) = self.model.as_ref() else { return Ok(None) };
        let optimizer = self.optimizer.snapshot().await.map_err(TrainError::Readback)?;
        let pending = self.stepper.snapshot_pending(model).await.map_err(TrainError::Readback)?;
        Ok(Some(TrainerState {
            epoch: self.epoch,
            steps: self.steps,
            samples_trained: self.samples_trained,
            first_loss: self.first_loss,
            optimizer,
            pending,
            order: self.order.state(),
            schedule: self.schedule.as_ref().map(LrSchedule::progress),
            early_stop: self.early_stopper.as_ref().map(EarlyStopper::progress),
        }))
    }

    /// Prepares a session that goes on from `weights` (a CPU copy of a network of the plan)
    /// and `state` (from [`Self::state`]) on `device`: with the same plan, it trains on to
    /// the same numbers as the run the state was taken from. Each part of `state` is
    /// checked against the plan first; a part that does not fit (the graph changed since)
    /// starts afresh and is named in the [`Afresh`] returned.
    ///
    /// # Errors
    /// [`WeightsError::Mismatch`] when `weights` do not fit the plan's network.
    pub fn restore(
        plan: TrainingPlan,
        device: &Device,
        weights: &Mlp,
        state: &TrainerState,
    ) -> Result<(Self, Afresh), WeightsError> {
        let mut trainer = Self::new(plan, device);
        let model = weights::onto_device(weights, &trainer.plan.network, &trainer.device)?;
        let mut afresh = Afresh::default();
        trainer.epoch = state.epoch.min(trainer.plan.tracker.epochs);
        // Counts a damaged state could not have reached are held to what the epochs allow.
        trainer.steps = state.steps.min(trainer.epoch.saturating_mul(trainer.batches_per_epoch()));
        trainer.samples_trained =
            state.samples_trained.min(trainer.epoch.saturating_mul(trainer.train.len()));
        trainer.first_loss = state.first_loss.filter(|loss| loss.is_finite());
        match NetworkOptimizer::restore(
            &trainer.plan.optimizer,
            &state.optimizer,
            &model,
            trainer.steps,
            &trainer.plain_device,
        ) {
            Ok(optimizer) => trainer.optimizer = optimizer,
            Err(reason) => afresh.0.push((text!("run-error-part-optimizer"), reason)),
        }
        if let Some(pending) = &state.pending
            && let Err(reason) = trainer.stepper.restore_pending(pending, &model, &trainer.plain_device)
        {
            afresh.0.push((text!("run-error-part-accumulation"), reason));
        }
        match BatchOrder::restore(&trainer.plan.sampler, trainer.train.len(), &state.order) {
            Ok(order) => trainer.order = order,
            Err(reason) => afresh.0.push((text!("run-error-part-batch-order"), reason)),
        }
        let initial_lr = trainer.plan.optimizer.learning_rate();
        match (trainer.plan.scheduler.as_ref(), &state.schedule) {
            (Some(setup), Some(progress)) => {
                match LrSchedule::restore(setup.plan.clone(), progress, initial_lr) {
                    Ok(schedule) => trainer.schedule = Some(schedule),
                    Err(reason) => afresh.0.push((text!("run-error-part-schedule"), reason)),
                }
            }
            (Some(_), None) => {
                afresh.0.push((text!("run-error-part-schedule"), text!("run-error-no-schedule")));
            }
            (None, _) => {}
        }
        if let (Some(rule), Some(progress)) = (trainer.plan.tracker.early_stopping, &state.early_stop) {
            trainer.early_stopper = Some(EarlyStopper::restore(rule, progress));
        }
        trainer.model = Some(model);
        Ok((trainer, afresh))
    }

    /// A copy of the network's current weights on the CPU backend, read back asynchronously:
    /// for checkpoints, downloads, and going on on the CPU when the GPU is lost.
    ///
    /// # Errors
    /// [`TrainError::Readback`] when the device fails to return the values.
    pub async fn weights(&self) -> Result<Mlp, TrainError> {
        let model = self.model.as_ref().ok_or_else(|| TrainError::Readback(text!("run-error-no-model")))?;
        weights::snapshot(model, &cpu_device()).await.map_err(|error| TrainError::Readback(error.to_string()))
    }

    /// Turns mixed precision on (f16 compute, f32 weights: [`Mlp::forward_half`]) when `on`
    /// and the device computes in f16; returns whether it is on. Callers decide where it
    /// applies: the page asks for it on a WebGPU adapter with `shader-f16` only.
    pub fn set_mixed_precision(&mut self, on: bool) -> bool {
        self.half = on && self.plain_device.supports_dtype(FloatDType::F16);
        self.half
    }

    /// Whether batches compute in f16.
    pub fn mixed_precision(&self) -> bool {
        self.half
    }

    pub fn plan(&self) -> &TrainingPlan {
        &self.plan
    }

    /// Epochs completed so far.
    pub fn epochs_done(&self) -> usize {
        self.epoch
    }

    /// Whether every epoch has run, or early stopping ended the run.
    pub fn is_finished(&self) -> bool {
        self.stopped_early || self.epoch >= self.plan.tracker.epochs
    }

    /// Whether early stopping ended the run.
    pub fn stopped_early(&self) -> bool {
        self.stopped_early
    }

    /// Training samples (after the split).
    pub fn train_samples(&self) -> usize {
        self.train.len()
    }

    /// Validation samples, 0 without a validation pass.
    pub fn validation_samples(&self) -> usize {
        self.validation.as_ref().map_or(0, Samples::len)
    }

    pub fn batches_per_epoch(&self) -> usize {
        self.plan.sampler.batches(self.train.len())
    }

    /// The learning rate of the current epoch.
    pub fn learning_rate(&self) -> f64 {
        self.schedule.as_ref().map_or_else(|| self.plan.optimizer.learning_rate(), LrSchedule::lr)
    }

    /// Trains at learning rate `lr` from the next step, the optimizer's state kept (the
    /// range test's rates; a schedule, if any, is left as it is and still decides).
    pub(crate) fn set_learning_rate(&mut self, lr: f64) {
        match &mut self.plan.optimizer {
            OptimizerPlan::Sgd { learning_rate, .. }
            | OptimizerPlan::Adam { learning_rate, .. }
            | OptimizerPlan::AdamW { learning_rate, .. } => *learning_rate = lr,
        }
    }

    /// Batches run in the current epoch.
    pub fn batches_done(&self) -> usize {
        self.batch
    }

    /// Takes an edited plan: compares it with the plan it runs and, when only the optimizer's
    /// settings differ, trains with them from the next step (see [`Retune`] for what happens
    /// to the optimizer's state). Anything else is [`Retune::Restart`], and nothing changes.
    pub fn retune(&mut self, edited: &TrainingPlan) -> Retune {
        if *edited == self.plan {
            return Retune::Unchanged;
        }
        let Some(optimizer) = self.plan.retuned_optimizer(edited) else { return Retune::Restart };
        let state_kept = self.plan.optimizer.only_learning_rate_differs(&optimizer);
        if state_kept {
            self.optimizer.set_plan(&optimizer);
        } else {
            self.optimizer = NetworkOptimizer::new(&optimizer);
        }
        if let Some(schedule) = self.schedule.as_mut() {
            schedule.rebase(optimizer.learning_rate());
        }
        self.plan.optimizer = optimizer;
        if state_kept {
            Retune::LearningRate(optimizer.learning_rate())
        } else {
            Retune::FreshOptimizerState(optimizer.learning_rate())
        }
    }

    /// Whether the current epoch's batches have all run (then call [`Self::finish_epoch`]).
    pub fn epoch_batches_done(&self) -> bool {
        self.batch >= self.batches_per_epoch()
    }

    /// Runs one batch: forward, loss, backward and, per the TrainingStep settings, the
    /// optimizer step. Reads nothing back.
    /// Does nothing once the epoch's batches are done or training is finished.
    pub(crate) fn train_batch(&mut self) {
        if let Some(batch) = self.forward_batch() {
            self.apply_batch(batch);
        }
    }

    /// Runs one batch as [`Self::train_batch`] does, but reads its loss back first and, if it
    /// is not finite or has exploded ([`EXPLODED_FACTOR`] × the first batch's), makes no update
    /// and goes back to the weights before the last checked update. Checking every batch (the
    /// CPU backend, where a read costs next to nothing) catches divergence within one step;
    /// the WebGPU loop checks every EpochTracker `log_interval` steps instead.
    ///
    /// # Errors
    /// [`TrainError::NonFiniteLoss`], with what to change; [`TrainError::Readback`].
    pub(crate) async fn train_batch_checked(&mut self) -> Result<(), TrainError> {
        let Some(batch) = self.forward_batch() else { return Ok(()) };
        let read = read(vec![batch.loss.value.clone().detach()]).await?;
        let loss = read.first().and_then(|values| values.first().copied()).unwrap_or(f64::NAN);
        self.last_loss = Some(loss);
        let first = *self.first_loss.get_or_insert(loss);
        let exploded = first.is_finite() && loss > EXPLODED_FACTOR * first.max(1e-3);
        if loss.is_finite() && !exploded {
            // Tensors are immutable: keeping the old model costs one set of parameters.
            self.last_good = Some(batch.model.clone());
            self.apply_batch(batch);
            return Ok(());
        }
        self.model = self.last_good.take().or(Some(batch.model));
        let momentum = match self.plan.optimizer {
            OptimizerPlan::Sgd { momentum, .. } => momentum,
            _ => 0.0,
        };
        Err(TrainError::NonFiniteLoss {
            epoch: self.epoch + 1,
            batch: self.batch + 1,
            loss,
            first,
            learning_rate: self.learning_rate(),
            momentum,
            gradient_clip: self.plan.step.gradient_clip,
        })
    }

    /// The forward half of a batch: its loss and metrics, not yet counted or applied.
    fn forward_batch(&mut self) -> Option<ForwardBatch> {
        if self.is_finished() || self.epoch_batches_done() {
            return None;
        }
        if self.batch == 0 && self.has_dropout() {
            // Dropout draws from the device's generator (the backend's, shared by every run in
            // the process): each epoch's masks from a seed of their own, for repeatable runs
            // and restored ones that draw the same. Runs without dropout leave it alone.
            self.device.seed(dropout_seed(self.plan.init_seed, self.epoch));
        }
        let order = if self.batch == 0 { self.order.next_epoch() } else { self.order.current() };
        let batch_size = self.plan.sampler.batch_size;
        let start = self.batch * batch_size;
        let end = (start + batch_size).min(order.len());
        let (inputs, targets) = self.train.batch(&order[start..end]);

        let model = self.model.take()?;
        let outputs = if self.half { model.forward_half(inputs) } else { model.forward(inputs) }; // [rows, out]
        let loss = batch_loss(&self.plan.loss, outputs.clone(), &targets);
        let scores = self.scores_on_train().then(|| outputs.clone().detach());
        let hits =
            if self.plan.tracker.train_accuracy { self.hits(outputs.detach(), &targets) } else { None };
        let score_targets = match (&scores, &targets) {
            (Some(_), TargetTensor::Classes(classes)) => Some(classes.clone()),
            _ => None,
        };
        let scores = scores.zip(score_targets);
        Some(ForwardBatch { model, loss, hits, scores, rows: end - start })
    }

    /// Counts a batch in the epoch's sums and applies its update.
    fn apply_batch(&mut self, batch: ForwardBatch) {
        let ForwardBatch { model, loss, hits, scores, rows } = batch;
        if let Some((scores, targets)) = scores {
            self.sums.add_scores(scores, &targets);
        }
        let summed = loss.summed.clone().inner();
        let per_class =
            if self.plan.per_class_on_train && self.validation.is_none() { self.classes } else { None };
        self.sums.add_batch(
            loss.summed,
            hits.as_ref().map(|(hits, targets)| (hits.clone(), targets)),
            per_class,
        );
        self.sums.samples += rows;
        let learning_rate = self.learning_rate();
        // The updates that may be the epoch's last measure each layer (a few reductions on
        // the device, read with the epoch's metrics).
        let last_updates = self.plan.step.accumulation_steps.max(1);
        let measure = (self.batch + last_updates >= self.batches_per_epoch())
            .then(|| LayerMeasure::before(&model, &mut self.stepper));
        let (model, stepped) = self.stepper.step(loss.value, model, &mut self.optimizer, learning_rate);
        if let Some(measured) = measure.and_then(|measure| measure.after(&model, stepped.param_grad_norms)) {
            self.layer_norms = Some(measured);
        }
        self.model = Some(model);
        self.batch += 1;
        self.steps += 1;
        if self.plan.tracker.step_log {
            self.log_window.add(summed, rows, self.steps, stepped.grad_norm);
        }
        self.samples_trained += rows;
    }

    /// Whether the classification metrics come from the training batches (the graph asks
    /// for them and has no validation pass).
    fn scores_on_train(&self) -> bool {
        self.plan.class_metrics.is_some() && self.validation.is_none() && self.classes.is_some()
    }

    fn has_dropout(&self) -> bool {
        self.plan
            .network
            .layers
            .iter()
            .any(|layer| matches!(layer, LayerSpec::Dropout { .. } | LayerSpec::Dropout2d { .. }))
    }

    /// Batches trained since the start.
    pub fn steps(&self) -> usize {
        self.steps
    }

    /// Samples trained on since the start.
    pub fn samples_trained(&self) -> usize {
        self.samples_trained
    }

    /// The loss of the last batch run by [`Self::train_batch_checked`].
    pub fn last_loss(&self) -> Option<f64> {
        self.last_loss
    }

    /// Whether EpochTracker's `log_interval` says to log after the latest step.
    pub fn log_due(&self) -> bool {
        self.steps > 0 && self.steps.is_multiple_of(self.plan.tracker.log_interval.max(1))
    }

    /// EpochTracker's log of the steps since the last one (one asynchronous read), and the
    /// start of the next; `None` when no step ran since.
    ///
    /// # Errors
    /// [`TrainError::Readback`].
    pub async fn take_log(&mut self) -> Result<Option<StepLog>, TrainError> {
        self.log_window.take(self.steps).await
    }

    /// The network as it stands (between batches).
    pub fn model(&self) -> Option<&Mlp> {
        self.model.as_ref()
    }

    /// Top-k hits of a classification batch, with its targets; `None` for values.
    fn hits(&self, outputs: Tensor<2>, targets: &TargetTensor) -> Option<(Tensor<1>, Tensor<1, Int>)> {
        match targets {
            TargetTensor::Classes(classes) => {
                Some((top_k_hits(outputs, classes.clone(), self.plan.top_k), classes.clone()))
            }
            TargetTensor::Values(_) => None,
        }
    }

    /// Runs the validation pass: the model without autodiff (so without dropout) over every
    /// validation batch in order. Queues its sums on the device; reads nothing.
    fn validate(&self) -> Option<Sums> {
        let (validation, sampler, model) =
            (self.validation.as_ref()?, self.plan.validation.as_ref()?, self.model.as_ref()?);
        let model = model.valid();
        let mut sums = Sums::default();
        let order: Vec<i64> = (0..validation.len() as i64).collect();
        for rows in order.chunks(sampler.batch_size.max(1)).take(sampler.batches(validation.len())) {
            let (inputs, targets) = validation.batch(rows);
            let outputs = model.forward(inputs);
            let loss = batch_loss(&self.plan.loss, outputs.clone(), &targets);
            if let (Some(_), TargetTensor::Classes(classes)) = (self.plan.class_metrics, &targets) {
                sums.add_scores(outputs.clone(), classes);
            }
            let hits = self.hits(outputs, &targets);
            sums.add_batch(
                loss.summed,
                hits.as_ref().map(|(hits, targets)| (hits.clone(), targets)),
                self.classes,
            );
            sums.samples += rows.len();
        }
        Some(sums)
    }

    /// Closes the epoch: runs the validation pass, reads the epoch's metrics back
    /// (asynchronously: the only read of the epoch), steps the scheduler and early stopping.
    ///
    /// # Errors
    /// [`TrainError::Diverged`] when a loss is not finite; [`TrainError::Readback`] when the
    /// device fails to return the values.
    pub(crate) async fn finish_epoch(&mut self) -> Result<EpochStats, TrainError> {
        let mut train = std::mem::take(&mut self.sums);
        if train.samples == 0 {
            return Err(TrainError::Readback(text!("run-error-no-batch")));
        }
        let mut validation = self.validate();
        let (mut train_tensors, train_layout) = train.tensors();
        // The layers' norms come back in the same read, after the sums.
        let norms = self.layer_norms.take().unwrap_or_default();
        let sums = train_tensors.len();
        // On the autodiff device with the sums: one transaction reads one device's tensors.
        train_tensors.extend(norms.into_iter().flatten().map(Tensor::from_inner));
        let mut train_values = read(train_tensors).await?;
        let layers = layer_norms_of(&train_values.split_off(sums.min(train_values.len())));
        // Validation ran on the plain device: its tensors are read in a transaction of their own.
        let (val_values, val_layout) = match validation.as_mut() {
            Some(sums) => {
                let (tensors, layout) = sums.tensors();
                (read(tensors).await?, layout)
            }
            None => (Vec::new(), SumsLayout::default()),
        };

        let learning_rate = self.learning_rate();
        self.epoch += 1;
        self.batch = 0;
        let train = self.pass_result(&train_values, train_layout, train.samples)?;
        let val =
            validation.map(|sums| self.pass_result(&val_values, val_layout, sums.samples)).transpose()?;
        for (which, loss) in [("training", Some(train.loss)), ("validation", val.as_ref().map(|v| v.loss))] {
            if let Some(loss) = loss.filter(|loss| !loss.is_finite()) {
                // Back to the last weights known good (the WebGPU loop checks now and then).
                if let Some(good) = self.last_good.take() {
                    self.model = Some(good);
                }
                return Err(TrainError::Diverged {
                    epoch: self.epoch,
                    which: which.to_owned(),
                    loss,
                    learning_rate,
                });
            }
        }
        let stats = EpochStats {
            epoch: self.epoch,
            train_loss: train.loss,
            train_accuracy: train.accuracy,
            val_loss: val.as_ref().map(|v| v.loss),
            val_accuracy: val.as_ref().and_then(|v| v.accuracy),
            per_class_accuracy: match &val {
                Some(val) => val.per_class.clone(),
                None => train.per_class,
            },
            class_metrics: match &val {
                Some(val) => val.class_metrics,
                None => train.class_metrics,
            },
            lr: learning_rate,
            layers,
        };
        if let (Some(schedule), Some(setup)) = (self.schedule.as_mut(), self.plan.scheduler.as_ref()) {
            schedule.step(stats.get(setup.monitor).unwrap_or(stats.train_loss));
        }
        if let (Some(stopper), Some(rule)) = (self.early_stopper.as_mut(), self.plan.tracker.early_stopping) {
            let value = stats.get(rule.monitor).unwrap_or(stats.train_loss);
            self.stopped_early = stopper.should_stop(value) && self.epoch < self.plan.tracker.epochs;
        }
        Ok(stats)
    }

    /// Turns a pass's read-back sums (in [`Sums::tensors`]' order) into its metrics.
    fn pass_result(
        &self,
        values: &[Vec<f64>],
        layout: SumsLayout,
        samples: usize,
    ) -> Result<PassResult, TrainError> {
        let first = |index: usize| {
            values
                .get(index)
                .and_then(|values| values.first().copied())
                .ok_or_else(|| TrainError::Readback(text!("run-error-value-missing", index = index)))
        };
        let samples = samples.max(1) as f64;
        let loss = first(0)? / samples;
        let accuracy = match (self.classes, layout.hits) {
            (Some(_), true) => Some(first(1)? / samples),
            _ => None,
        };
        let per_class_at = if layout.hits { 2 } else { 1 };
        let per_class = match (layout.per_class, values.get(per_class_at), values.get(per_class_at + 1)) {
            (true, Some(hits), Some(counts)) => {
                hits.iter().zip(counts).map(|(&hits, &count)| (count > 0.0).then(|| hits / count)).collect()
            }
            _ => Vec::new(),
        };
        let scores_at = per_class_at + if layout.per_class { 2 } else { 0 };
        let class_metrics = match (layout.scores, self.plan.class_metrics, self.classes) {
            (true, Some(plan), Some(classes)) => {
                let scores = values.get(scores_at).map_or(&[][..], Vec::as_slice);
                // Targets are class indices sent as floats: exact below 2^24.
                let targets: Vec<usize> = values
                    .get(scores_at + 1)
                    .map_or(&[][..], Vec::as_slice)
                    .iter()
                    .map(|&target| target as usize)
                    .collect();
                Some(class_metrics(scores, classes, &targets, &plan))
            }
            _ => None,
        };
        Ok(PassResult { loss, accuracy, per_class, class_metrics })
    }

    /// The fixed batch the layers' activations are shown on: [`ACTIVITY_SAMPLES`] training
    /// samples spread evenly over them (the first ones alone may all lie in one corner of the
    /// data: a spiral's start), on the plain device.
    pub fn activity_batch(&self) -> Tensor<2> {
        let samples = self.eval_train.len();
        let count = samples.min(ACTIVITY_SAMPLES);
        let rows: Vec<i64> = (0..count).map(|at| (at * samples / count.max(1)) as i64).collect();
        self.eval_train.batch(&rows).0
    }

    /// A refresh of the views on the model as it stands, evaluated without gradients or
    /// dropout: the field at `field_resolution` (2-D datasets only) and, with `confusion`, a
    /// classifier's confusion matrix on the validation samples (or, without a validation
    /// pass, the training samples). `None` while an optimizer step holds the model.
    pub fn view_refresh(&self, field_resolution: Option<usize>, confusion: bool) -> Option<ViewRefresh> {
        let model = self.model.as_ref()?.valid();
        let points = matches!(self.plan.network.in_shape.as_slice(), [POINT_FEATURES]);
        let confusion = self.classes.filter(|_| confusion).map(|classes| match &self.validation {
            Some(validation) => (validation.clone(), "validation", classes),
            None => (self.eval_train.clone(), "training", classes),
        });
        Some(ViewRefresh::new(
            model,
            &self.plan.network,
            self.plain_device.clone(),
            field_resolution.filter(|_| points),
            confusion,
            self.classes,
        ))
    }

    /// The confusion matrix of a classifier (see [`Self::view_refresh`]), whole; `None` for
    /// a regression.
    ///
    /// # Errors
    /// [`TrainError::Readback`] when the device fails to return the values.
    pub async fn confusion(&self) -> Result<Option<Confusion>, TrainError> {
        let Some(mut refresh) = self.view_refresh(None, true) else { return Ok(None) };
        refresh.finish().await?;
        Ok(refresh.confusion())
    }

    /// The model over the input plane (`core::field`, see [`Self::view_refresh`]), whole;
    /// `None` for datasets that are not 2-D.
    ///
    /// # Errors
    /// [`TrainError::Readback`] when the device fails to return the values.
    pub async fn field(&self, resolution: usize) -> Result<Option<Field>, TrainError> {
        let Some(mut refresh) = self.view_refresh(Some(resolution), false) else { return Ok(None) };
        refresh.finish().await?;
        Ok(refresh.field())
    }
}

/// The seed of dropout's masks in `epoch` (counted from 0): the run's seed in the first, so
/// a run's first epoch draws what it always did.
fn dropout_seed(seed: u64, epoch: usize) -> u64 {
    seed ^ (epoch as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15)
}

/// The training and validation samples: a DataSplit's random split, or every sample for
/// training (and no validation samples without a validation pass).
pub fn split(data: &Dataset, plan: &TrainingPlan) -> (Dataset, Option<Dataset>) {
    let Some(split) = plan.split else { return (data.clone(), None) };
    let mut indices: Vec<usize> = (0..data.len()).collect();
    indices.shuffle(&mut StdRng::seed_from_u64(split.seed));
    let (validation, train) = indices.split_at(split.validation_samples(data.len()));
    (data.select(train), plan.validation.is_some().then(|| data.select(validation)))
}
