//! The golden-value checks: PyTorch's own numbers (the JSON files of `golden/`)
//! against Kindling's nodes, on whichever burn [`Device`] the caller passes. Each check takes
//! one file's text, a plain backend device (checks that need gradients call `.autodiff()` on
//! it) and a [`Tolerance`]; every case of the file is checked, and an unparsable file or one
//! with no case fails.
//!
//! Every tensor read is async (`into_data_async().await`): a synchronous read panics on
//! WebGPU in the browser. This module blocks on nothing and uses no native-only crate, so it
//! also compiles for wasm32; the test targets include it with
//! `#[path = "golden/checks.rs"] mod checks;` and drive the futures themselves.

use burn::module::Module;
use burn::tensor::{Device, Int, Tensor, TensorData};
use kindling::core::compile::plan::ClassMetricsPlan;
use kindling::core::compile::plan::CrossEntropyOptions;
use kindling::core::compile::plan::StepPlan;
use kindling::core::compile::plan::{NetworkPlan, OptimizerPlan};
use kindling::core::compile::schedule::{LrSchedule, SchedulerPlan};
use kindling::core::engine::batch_norm::BATCH_NORM_EPSILON;
use kindling::core::engine::clip::clip_global_norm;
use kindling::core::engine::layer_norms::{LayerMeasure, read_layer_norms};
use kindling::core::engine::loss::{cross_entropy_with, mse as mean_squared_error};
use kindling::core::engine::metrics::{Accuracy, top_k_hits};
use kindling::core::engine::mlp::{Layer, LayerParameter, Mlp};
use kindling::core::engine::network_optimizer::NetworkOptimizer;
use kindling::core::engine::optimizer::UpdateRule;
use kindling::core::engine::pytorch_weights::{from_safetensors, parameter_name, to_safetensors};
use kindling::core::engine::step::Stepper;
use kindling::core::engine::view_refresh::ViewRefresh;
use kindling::core::model::choices::Average;
use kindling::core::model::choices::Reduction;
use kindling::core::model::choices::{PlateauMode, ThresholdMode};
use kindling::core::model::params::LayerSpec;
use kindling::core::report::class_metrics::class_metrics;
use kindling::core::report::field::grid_points;
use kindling::core::report::layer_stats::LayerNorms;
use serde::Deserialize;
use serde::de::DeserializeOwned;

/// How far a value may stray from PyTorch's: it passes when it is within `absolute` of it or
/// within `relative` times its magnitude (or both are NaN).
#[derive(Clone, Copy, Debug)]
pub struct Tolerance {
    pub relative: f64,
    pub absolute: f64,
}

impl Tolerance {
    /// The CPU backend: 1e-5 relative or 1e-6 absolute.
    #[allow(dead_code)] // each test target uses the tolerance of its backend
    pub const CPU: Tolerance = Tolerance { relative: 1e-5, absolute: 1e-6 };
    /// WebGPU: 1e-4 relative or 1e-5 absolute (its kernels round differently from the CPU's).
    #[allow(dead_code)] // each test target uses the tolerance of its backend
    pub const WEBGPU: Tolerance = Tolerance { relative: 1e-4, absolute: 1e-5 };
}

/// The cases of one golden file (`file` names it in messages); none is a failure.
fn cases<T: DeserializeOwned>(file: &str, text: &str) -> Vec<T> {
    let cases: Vec<T> = serde_json::from_str(text)
        .unwrap_or_else(|error| panic!("golden data {file} does not parse: {error}"));
    assert!(!cases.is_empty(), "golden data {file} holds no case");
    cases
}

fn assert_close(what: &str, actual: &[f32], expected: &[f64], tolerance: Tolerance) {
    assert_eq!(actual.len(), expected.len(), "{what}: length");
    for (index, (&a, &e)) in actual.iter().zip(expected).enumerate() {
        let a = f64::from(a);
        let both_nan = a.is_nan() && e.is_nan();
        let close = (a - e).abs() <= tolerance.absolute || (a - e).abs() <= tolerance.relative * e.abs();
        assert!(both_nan || close, "{what}[{index}]: got {a}, PyTorch {e}");
    }
}

/// [`assert_close`] at the scale `scale` of the terms `expected` was computed from: each value
/// within `relative` times that scale (or `absolute`). A value that comes out of a cancellation
/// of larger terms is rounded by float32 at the terms' scale, not at its own.
fn assert_close_at_scale(what: &str, actual: &[f32], expected: &[f64], scale: f64, tolerance: Tolerance) {
    let tolerance = Tolerance { relative: 0.0, absolute: tolerance.absolute.max(tolerance.relative * scale) };
    assert_close(what, actual, expected, tolerance);
}

/// A reduction as PyTorch names it (Kindling's nodes use the same names).
fn reduction(name: &str) -> Reduction {
    Reduction::from_name(name).unwrap_or_else(|| panic!("unknown reduction {name}"))
}

fn tensor(values: &[f64], device: &Device) -> Tensor<1> {
    let values: Vec<f32> = values.iter().map(|&v| v as f32).collect();
    let len = values.len();
    Tensor::from_data(TensorData::new(values, [len]), device)
}

/// Every number of a nested JSON array, in order.
fn flatten(value: &serde_json::Value) -> Vec<f64> {
    match value {
        serde_json::Value::Array(items) => items.iter().flat_map(flatten).collect(),
        other => vec![other.as_f64().expect("a number")],
    }
}

async fn read(tensor: Tensor<1>) -> Vec<f32> {
    tensor.into_data_async().await.expect("read").try_to_vec::<f32>().expect("f32")
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Loss {
    Scalar(f64),
    PerSample(Vec<f64>),
}

#[derive(Deserialize)]
struct CrossEntropyCase {
    logits: Vec<Vec<f64>>,
    targets: Vec<i64>,
    weight: Option<Vec<f64>>,
    ignore_index: i64,
    reduction: String,
    label_smoothing: f64,
    loss: Loss,
    grad_logits: Vec<Vec<f64>>,
}

/// `cross_entropy.json`: the loss and its gradient with respect to the logits.
pub async fn cross_entropy(text: &str, device: &Device, tolerance: Tolerance) {
    let device = device.clone().autodiff();
    for (index, case) in cases::<CrossEntropyCase>("cross_entropy.json", text).into_iter().enumerate() {
        let what = format!(
            "cross_entropy case {index} ({}, smoothing {}, weights {}, ignore {})",
            case.reduction,
            case.label_smoothing,
            case.weight.is_some(),
            case.ignore_index
        );
        let (rows, classes) = (case.logits.len(), case.logits[0].len());
        let flat: Vec<f32> = case.logits.iter().flatten().map(|&v| v as f32).collect();
        let logits = Tensor::<2>::from_data(TensorData::new(flat, [rows, classes]), &device).require_grad();
        let targets = Tensor::<1, Int>::from_data(TensorData::new(case.targets.clone(), [rows]), &device);
        let options = CrossEntropyOptions {
            reduction: reduction(&case.reduction),
            label_smoothing: case.label_smoothing,
            ignore_index: case.ignore_index,
            weight: case.weight.as_ref().map(|w| w.iter().map(|&v| v as f32).collect()),
        };
        let loss = cross_entropy_with(logits.clone(), targets, &options);
        let expected_loss = match &case.loss {
            Loss::Scalar(value) => vec![*value],
            Loss::PerSample(values) => values.clone(),
        };
        let gradients = loss.clone().sum().backward();
        assert_close(&format!("{what}: loss"), &read(loss.detach()).await, &expected_loss, tolerance);
        let grad = logits.grad(&gradients).expect("logits have a gradient");
        let grad = read(grad.reshape([rows * classes])).await;
        let expected_grad: Vec<f64> = case.grad_logits.iter().flatten().copied().collect();
        assert_close(&format!("{what}: grad_logits"), &grad, &expected_grad, tolerance);
    }
}

#[derive(Deserialize)]
struct MseCase {
    /// Any shape; compared element by element.
    predictions: serde_json::Value,
    targets: serde_json::Value,
    reduction: String,
    loss: serde_json::Value,
    grad_predictions: serde_json::Value,
}

/// `mse.json`: the loss and its gradient with respect to the predictions.
pub async fn mse(text: &str, device: &Device, tolerance: Tolerance) {
    let device = device.clone().autodiff();
    for (index, case) in cases::<MseCase>("mse.json", text).into_iter().enumerate() {
        let what = format!("mse case {index} ({})", case.reduction);
        let predictions = tensor(&flatten(&case.predictions), &device).require_grad();
        let targets = tensor(&flatten(&case.targets), &device);
        let loss = mean_squared_error(predictions.clone(), targets, reduction(&case.reduction));
        let gradients = loss.clone().sum().backward();
        assert_close(&format!("{what}: loss"), &read(loss.detach()).await, &flatten(&case.loss), tolerance);
        let grad = predictions.grad(&gradients).expect("predictions have a gradient");
        assert_close(
            &format!("{what}: grad"),
            &read(grad).await,
            &flatten(&case.grad_predictions),
            tolerance,
        );
    }
}

#[derive(Deserialize)]
struct AccuracyCase {
    logits: Vec<Vec<f64>>,
    targets: Vec<i64>,
    top_k: usize,
    accuracy: f64,
    per_class: Vec<Option<f64>>,
}

/// `accuracy.json`: top-k accuracy, overall and per class, in percent.
pub async fn accuracy(text: &str, device: &Device, tolerance: Tolerance) {
    for (index, case) in cases::<AccuracyCase>("accuracy.json", text).into_iter().enumerate() {
        let what = format!("accuracy case {index} (top {})", case.top_k);
        let (rows, classes) = (case.logits.len(), case.logits[0].len());
        let flat: Vec<f32> = case.logits.iter().flatten().map(|&v| v as f32).collect();
        let logits = Tensor::<2>::from_data(TensorData::new(flat, [rows, classes]), device);
        let targets = Tensor::<1, Int>::from_data(TensorData::new(case.targets.clone(), [rows]), device);
        let hits = read(top_k_hits(logits, targets, case.top_k)).await;
        let accuracy = Accuracy::from_hits(&hits, &case.targets, classes);
        // The AccuracyMetric node reports percent (0–100), as these files do.
        assert_close(&format!("{what}: accuracy"), &[accuracy.percent as f32], &[case.accuracy], tolerance);
        assert_eq!(accuracy.per_class_percent.len(), case.per_class.len(), "{what}: classes");
        for (class, (ours, theirs)) in accuracy.per_class_percent.iter().zip(&case.per_class).enumerate() {
            match (ours, theirs) {
                (Some(ours), Some(theirs)) => {
                    assert_close(&format!("{what}: class {class}"), &[*ours as f32], &[*theirs], tolerance)
                }
                (None, None) => {}
                _ => panic!("{what}: class {class}: got {ours:?}, PyTorch {theirs:?}"),
            }
        }
    }
}

#[derive(Deserialize)]
struct ClipCase {
    grads: Vec<serde_json::Value>,
    max_norm: f64,
    total_norm: f64,
    clipped: Vec<serde_json::Value>,
}

/// `clip_grad_norm.json`: the global norm of the gradients, and the gradients clipped to it.
pub async fn global_norm_clipping(text: &str, device: &Device, tolerance: Tolerance) {
    let device = device.clone().autodiff();
    for (index, case) in cases::<ClipCase>("clip_grad_norm.json", text).into_iter().enumerate() {
        let what = format!("clip case {index} (max_norm {})", case.max_norm);
        let grads = case.grads.iter().map(|grad| tensor(&flatten(grad), &device)).collect();
        let (clipped, total_norm) = clip_global_norm(grads, case.max_norm);
        let total_norm = total_norm.expect("there are gradients");
        assert_close(&format!("{what}: total_norm"), &read(total_norm).await, &[case.total_norm], tolerance);
        assert_eq!(clipped.len(), case.clipped.len(), "{what}: count");
        for (ours, theirs) in clipped.into_iter().zip(&case.clipped) {
            assert_close(&format!("{what}: clipped"), &read(ours).await, &flatten(theirs), tolerance);
        }
    }
}

#[derive(Deserialize)]
struct SchedulerCase {
    scheduler: String,
    /// Absent from SequentialLR's schedulers, which start from the sequence's rate.
    #[serde(default)]
    initial_lr: f64,
    step_size: Option<usize>,
    gamma: Option<f64>,
    t_max: Option<usize>,
    eta_min: Option<f64>,
    mode: Option<String>,
    factor: Option<f64>,
    patience: Option<usize>,
    threshold: Option<f64>,
    threshold_mode: Option<String>,
    cooldown: Option<usize>,
    min_lr: Option<f64>,
    start_factor: Option<f64>,
    end_factor: Option<f64>,
    total_iters: Option<usize>,
    /// SequentialLR's schedulers, each a case's settings without rates.
    schedulers: Option<Vec<SchedulerCase>>,
    milestones: Option<Vec<usize>>,
    lr_per_epoch: Option<Vec<f64>>,
    metric_per_epoch: Option<Vec<f64>>,
    lr_after_each_epoch: Option<Vec<f64>>,
}

/// The scheduler a case describes.
fn scheduler_plan(case: &SchedulerCase, what: &str) -> SchedulerPlan {
    match case.scheduler.as_str() {
        "step" => SchedulerPlan::Step { step_size: case.step_size.unwrap(), gamma: case.gamma.unwrap() },
        "cosine_annealing" => {
            SchedulerPlan::CosineAnnealing { t_max: case.t_max.unwrap(), eta_min: case.eta_min.unwrap() }
        }
        "linear" => SchedulerPlan::Linear {
            start_factor: case.start_factor.unwrap(),
            end_factor: case.end_factor.unwrap(),
            total_iters: case.total_iters.unwrap(),
        },
        "sequential" => SchedulerPlan::Sequential {
            phases: case
                .schedulers
                .as_ref()
                .unwrap_or_else(|| panic!("{what}: schedulers"))
                .iter()
                .map(|phase| scheduler_plan(phase, what))
                .collect(),
            milestones: case.milestones.clone().unwrap_or_else(|| panic!("{what}: milestones")),
        },
        "reduce_on_plateau" => SchedulerPlan::ReduceOnPlateau {
            mode: case
                .mode
                .as_deref()
                .and_then(PlateauMode::from_name)
                .unwrap_or_else(|| panic!("{what}: mode {:?}", case.mode)),
            factor: case.factor.unwrap(),
            patience: case.patience.unwrap(),
            threshold: case.threshold.unwrap(),
            threshold_mode: case
                .threshold_mode
                .as_deref()
                .and_then(ThresholdMode::from_name)
                .unwrap_or_else(|| panic!("{what}: threshold_mode {:?}", case.threshold_mode)),
            cooldown: case.cooldown.unwrap(),
            min_lr: case.min_lr.unwrap(),
        },
        other => panic!("{what}: unknown scheduler {other}"),
    }
}

/// `lr_schedulers.json`: the learning rate epoch by epoch. Plain arithmetic: no tensor, so
/// the device goes unused.
pub async fn lr_schedulers(text: &str, device: &Device, tolerance: Tolerance) {
    lr_scheduler_cases(text, device, tolerance, |_| true);
}

/// The warm-up cases of `lr_schedulers.json` (LinearLR, and SequentialLR chaining it before
/// another scheduler), which must be there: a set without them fails.
pub async fn warmup_schedulers(text: &str, device: &Device, tolerance: Tolerance) {
    for kind in ["linear", "sequential"] {
        let found = lr_scheduler_cases(text, device, tolerance, |name| name == kind);
        assert!(found > 0, "golden data lr_schedulers.json holds no `{kind}` case");
    }
}

/// Checks the cases of `lr_schedulers.json` whose scheduler `wanted` accepts; returns how many.
fn lr_scheduler_cases(
    text: &str,
    _device: &Device,
    tolerance: Tolerance,
    wanted: impl Fn(&str) -> bool,
) -> usize {
    let mut checked = 0;
    for (index, case) in cases::<SchedulerCase>("lr_schedulers.json", text).into_iter().enumerate() {
        if !wanted(&case.scheduler) {
            continue;
        }
        checked += 1;
        let what = format!("scheduler case {index} ({})", case.scheduler);
        let plan = scheduler_plan(&case, &what);
        let mut schedule = LrSchedule::new(plan, case.initial_lr);
        if let Some(expected) = &case.lr_per_epoch {
            let mut ours = Vec::new();
            for _ in expected {
                ours.push(schedule.lr() as f32);
                schedule.step(f64::NAN);
            }
            assert_close(&what, &ours, expected, tolerance);
        } else {
            let metrics = case.metric_per_epoch.as_ref().expect("metric_per_epoch");
            let expected = case.lr_after_each_epoch.as_ref().expect("lr_after_each_epoch");
            let ours: Vec<f32> = metrics
                .iter()
                .map(|&metric| {
                    schedule.step(metric);
                    schedule.lr() as f32
                })
                .collect();
            assert_close(&what, &ours, expected, tolerance);
        }
    }
    checked
}

#[derive(Deserialize)]
struct OptimizerCase {
    optimizer: String,
    learning_rate: f64,
    momentum: Option<f64>,
    nesterov: Option<bool>,
    beta1: Option<f64>,
    beta2: Option<f64>,
    epsilon: Option<f64>,
    weight_decay: f64,
    param0: serde_json::Value,
    grads: Vec<serde_json::Value>,
    params_after_each_step: Vec<serde_json::Value>,
}

/// Applies `rule` to `param0` with each gradient in turn; the parameters after each step.
async fn run_steps(rule: UpdateRule, case: &OptimizerCase, device: &Device) -> Vec<Vec<f32>> {
    let mut param = tensor(&flatten(&case.param0), device);
    let mut state = None;
    let mut after_each_step = Vec::new();
    for grad in &case.grads {
        let (updated, new_state) =
            rule.step(case.learning_rate, param, tensor(&flatten(grad), device), state);
        after_each_step.push(read(updated.clone()).await);
        (param, state) = (updated, Some(new_state));
    }
    after_each_step
}

/// `optimizers.json`: SGD, Adam and AdamW, the parameters after each step.
pub async fn optimizers(text: &str, device: &Device, tolerance: Tolerance) {
    let device = device.clone().autodiff();
    for (index, case) in cases::<OptimizerCase>("optimizers.json", text).into_iter().enumerate() {
        let what = format!("optimizer case {index} ({}, lr {})", case.optimizer, case.learning_rate);
        let adam = |case: &OptimizerCase| {
            (case.beta1.unwrap(), case.beta2.unwrap(), case.epsilon.unwrap(), case.weight_decay)
        };
        let plan = match case.optimizer.as_str() {
            "sgd" => OptimizerPlan::Sgd {
                learning_rate: case.learning_rate,
                momentum: case.momentum.unwrap(),
                weight_decay: case.weight_decay,
                nesterov: case.nesterov.unwrap(),
            },
            "adam" => {
                let (beta1, beta2, epsilon, weight_decay) = adam(&case);
                OptimizerPlan::Adam { learning_rate: case.learning_rate, beta1, beta2, epsilon, weight_decay }
            }
            "adamw" => {
                let (beta1, beta2, epsilon, weight_decay) = adam(&case);
                OptimizerPlan::AdamW {
                    learning_rate: case.learning_rate,
                    beta1,
                    beta2,
                    epsilon,
                    weight_decay,
                }
            }
            other => panic!("{what}: unknown optimizer {other}"),
        };
        let ours = run_steps(UpdateRule::of(&plan), &case, &device).await;
        assert_eq!(ours.len(), case.params_after_each_step.len(), "{what}: steps");
        for (step, (ours, theirs)) in ours.iter().zip(&case.params_after_each_step).enumerate() {
            assert_close(&format!("{what}: step {step}"), ours, &flatten(theirs), tolerance);
        }
    }
}

#[derive(Deserialize)]
struct StepOptimizer {
    kind: String,
    lr: f64,
    momentum: Option<f64>,
    nesterov: Option<bool>,
    weight_decay: f64,
}

#[derive(Deserialize)]
struct StepConfig {
    hidden: Vec<usize>,
    activation: String,
    /// ELU's `alpha`, where the activation is ELU.
    alpha: Option<f64>,
    /// Softplus's `beta`, where the activation is Softplus.
    beta: Option<f64>,
    loss: String,
    label_smoothing: f64,
    optimizer: StepOptimizer,
    gradient_clip: f64,
    accumulation_steps: usize,
}

#[derive(Deserialize)]
struct LayerWeights {
    weight_in_out: Vec<Vec<f64>>,
    bias: Vec<f64>,
}

#[derive(Deserialize)]
struct Batch {
    x: Vec<Vec<f64>>,
    y: serde_json::Value,
}

#[derive(Deserialize)]
struct TrainingStepCase {
    config: StepConfig,
    initial_layers: Vec<LayerWeights>,
    batches: Vec<Batch>,
    loss_per_batch: Vec<f64>,
    update_after_batches: Vec<usize>,
    final_layers: Vec<LayerWeights>,
}

/// The layer an activation's PyTorch name stands for (`what` names the case in a panic).
fn activation_layer(name: &str, alpha: Option<f64>, beta: Option<f64>, what: &str) -> LayerSpec {
    match name {
        "relu" => LayerSpec::Relu,
        "tanh" => LayerSpec::Tanh,
        "sigmoid" => LayerSpec::Sigmoid,
        "elu" => LayerSpec::Elu { alpha: alpha.unwrap_or_else(|| panic!("{what}: ELU without alpha")) },
        "silu" => LayerSpec::Silu,
        "mish" => LayerSpec::Mish,
        "softplus" => {
            LayerSpec::Softplus { beta: beta.unwrap_or_else(|| panic!("{what}: Softplus without beta")) }
        }
        other => panic!("{what}: unknown activation {other}"),
    }
}

/// A network of linear layers with `activation` between them, its weights from `layers`.
fn network_of(layers: &[LayerWeights], activation: LayerSpec, device: &Device) -> (NetworkPlan, Mlp) {
    let in_features = layers.first().map_or(0, |layer| layer.weight_in_out.len());
    let mut specs = Vec::new();
    for (index, layer) in layers.iter().enumerate() {
        if index > 0 {
            specs.push(activation);
        }
        specs.push(LayerSpec::Linear { out_features: layer.bias.len() });
    }
    let network = NetworkPlan { in_shape: vec![in_features], layers: specs };
    let mut weights = layers.iter();
    let model = Mlp::with_weights(&network, device, |_, _| {
        let layer = weights.next().expect("a weight per linear layer");
        let weight = layer.weight_in_out.iter().flatten().map(|&v| v as f32).collect();
        (weight, layer.bias.iter().map(|&v| v as f32).collect())
    });
    (network, model)
}

async fn read_param(tensor: Tensor<2>) -> Vec<f32> {
    let [rows, columns] = tensor.dims();
    read(tensor.reshape([rows * columns])).await
}

/// The optimizer a run's JSON describes, with PyTorch's defaults for what it does not set.
fn optimizer_plan(optimizer: &StepOptimizer, what: &str) -> OptimizerPlan {
    // The runs use PyTorch's defaults for what they do not set.
    let (beta1, beta2, epsilon) = (0.9, 0.999, 1e-8);
    match optimizer.kind.as_str() {
        "sgd" => OptimizerPlan::Sgd {
            learning_rate: optimizer.lr,
            momentum: optimizer.momentum.unwrap_or(0.0),
            weight_decay: optimizer.weight_decay,
            nesterov: optimizer.nesterov.unwrap_or(false),
        },
        "adam" => OptimizerPlan::Adam {
            learning_rate: optimizer.lr,
            beta1,
            beta2,
            epsilon,
            weight_decay: optimizer.weight_decay,
        },
        "adamw" => OptimizerPlan::AdamW {
            learning_rate: optimizer.lr,
            beta1,
            beta2,
            epsilon,
            weight_decay: optimizer.weight_decay,
        },
        other => panic!("{what}: unknown optimizer {other}"),
    }
}

/// A training run of `training_step.json` or `layer_norms.json` replayed as the trainer runs
/// it: each batch's loss, the batches after which the optimizer stepped, every Linear layer's
/// norms at each step (measured as the trainer measures them) and the model at the end.
struct Replay {
    losses: Vec<f32>,
    updates: Vec<usize>,
    norms: Vec<Vec<LayerNorms>>,
    model: Mlp,
}

async fn replay(
    config: &StepConfig,
    initial_layers: &[LayerWeights],
    batches: &[Batch],
    device: &Device,
    what: &str,
) -> Replay {
    let activation = activation_layer(&config.activation, config.alpha, config.beta, what);
    let (network, mut model) = network_of(initial_layers, activation, device);
    assert_eq!(model.linear_layers().count(), config.hidden.len() + 1, "{what}: layers");
    let in_features = network.in_features();
    let outputs = initial_layers.last().expect("layers").bias.len();

    let plan = optimizer_plan(&config.optimizer, what);
    let mut network_optimizer = NetworkOptimizer::new(&plan);
    let mut stepper = Stepper::new(StepPlan {
        gradient_clip: config.gradient_clip,
        accumulation_steps: config.accumulation_steps,
        mixed_precision: false,
    });

    let (mut losses, mut updates, mut norms) = (Vec::new(), Vec::new(), Vec::new());
    for (batch_index, batch) in batches.iter().enumerate() {
        let rows = batch.x.len();
        let x: Vec<f32> = batch.x.iter().flatten().map(|&v| v as f32).collect();
        let logits = model.forward(Tensor::from_data(TensorData::new(x, [rows, in_features]), device));
        let loss = match config.loss.as_str() {
            "cross_entropy" => {
                let targets: Vec<i64> = flatten(&batch.y).iter().map(|&v| v as i64).collect();
                let targets = Tensor::<1, Int>::from_data(TensorData::new(targets, [rows]), device);
                let options =
                    CrossEntropyOptions { label_smoothing: config.label_smoothing, ..Default::default() };
                cross_entropy_with(logits, targets, &options)
            }
            "mse" => {
                let predictions = logits.reshape([rows * outputs]);
                mean_squared_error(predictions, tensor(&flatten(&batch.y), device), Reduction::Mean)
            }
            other => panic!("{what}: unknown loss {other}"),
        };
        losses.extend(read(loss.clone().detach()).await);
        // Every update measured, as the trainer measures an epoch's last.
        let measure = LayerMeasure::before(&model, &mut stepper);
        let (updated, stepped) = stepper.step(loss, model, &mut network_optimizer, plan.learning_rate());
        model = updated;
        if stepped.updated {
            updates.push(batch_index);
            let measured = measure.after(&model, stepped.param_grad_norms).expect("an update is measured");
            norms.push(read_layer_norms(measured).await.expect("the norms read back"));
        }
    }
    Replay { losses, updates, norms, model }
}

/// `training_step.json`: whole training runs (model, loss, clipping, accumulation, optimizer),
/// the loss of each batch, when the optimizer stepped and the final weights.
pub async fn training_steps(text: &str, device: &Device, tolerance: Tolerance) {
    let device = device.clone().autodiff();
    for (index, case) in cases::<TrainingStepCase>("training_step.json", text).into_iter().enumerate() {
        let what = run_name("training run", index, &case.config);
        let Replay { losses, updates, model, .. } =
            replay(&case.config, &case.initial_layers, &case.batches, &device, &what).await;
        assert_close(&format!("{what}: loss per batch"), &losses, &case.loss_per_batch, tolerance);
        assert_eq!(updates, case.update_after_batches, "{what}: batches after which the optimizer stepped");
        for (layer, (ours, theirs)) in model.linear_layers().zip(&case.final_layers).enumerate() {
            let weight: Vec<f64> = theirs.weight_in_out.iter().flatten().copied().collect();
            let ours_weight = read_param(ours.weight.val()).await;
            assert_close(&format!("{what}: layer {layer} weight"), &ours_weight, &weight, tolerance);
            let bias = ours.bias.as_ref().expect("bias").val();
            assert_close(&format!("{what}: layer {layer} bias"), &read(bias).await, &theirs.bias, tolerance);
        }
    }
}

/// A run's name in a failure: its activation, loss, optimizer, clipping and accumulation.
fn run_name(kind: &str, index: usize, config: &StepConfig) -> String {
    format!(
        "{kind} {index} ({}, {}, {}, clip {}, accumulate {})",
        config.activation,
        config.loss,
        config.optimizer.kind,
        config.gradient_clip,
        config.accumulation_steps
    )
}

#[derive(Deserialize)]
struct LayerNormsCase {
    config: StepConfig,
    initial_layers: Vec<LayerWeights>,
    batches: Vec<Batch>,
    update_after_batches: Vec<usize>,
    layer_norms: Vec<Vec<ExpectedNorms>>,
}

#[derive(Deserialize)]
struct ExpectedNorms {
    weight: f64,
    gradient: f64,
    update: f64,
}

/// `layer_norms.json`: each Linear layer's ‖W‖ after each step, ‖∇W‖ before clipping and
/// ‖ΔW‖, as the trainer measures them for the layer charts. ‖ΔW‖ is a difference of weights:
/// compared at the weights' scale.
pub async fn layer_norms(text: &str, device: &Device, tolerance: Tolerance) {
    let device = device.clone().autodiff();
    for (index, case) in cases::<LayerNormsCase>("layer_norms.json", text).into_iter().enumerate() {
        let what = run_name("layer norms run", index, &case.config);
        let Replay { updates, norms, .. } =
            replay(&case.config, &case.initial_layers, &case.batches, &device, &what).await;
        assert_eq!(updates, case.update_after_batches, "{what}: batches after which the optimizer stepped");
        assert_eq!(norms.len(), case.layer_norms.len(), "{what}: steps measured");
        for (step, (ours, theirs)) in norms.iter().zip(&case.layer_norms).enumerate() {
            assert_eq!(ours.len(), theirs.len(), "{what}: step {step}: layers");
            for (layer, (ours, theirs)) in ours.iter().zip(theirs).enumerate() {
                let at = format!("{what}: step {step}, layer {layer}");
                let value = |norm: f64| [norm as f32];
                assert_close(&format!("{at}: ‖W‖"), &value(ours.weight), &[theirs.weight], tolerance);
                assert_close(&format!("{at}: ‖∇W‖"), &value(ours.gradient), &[theirs.gradient], tolerance);
                assert_close_at_scale(
                    &format!("{at}: ‖ΔW‖"),
                    &value(ours.update),
                    &[theirs.update],
                    theirs.weight,
                    tolerance,
                );
            }
        }
    }
}

#[derive(Deserialize)]
struct ClassMetricsCase {
    scores: Vec<Vec<f64>>,
    targets: Vec<usize>,
    average: String,
    positive_class: Option<usize>,
    precision: f64,
    recall: f64,
    f1: f64,
    roc_auc: Option<f64>,
}

/// `classification_metrics.json`: scikit-learn's precision, recall, F1 and ROC-AUC of the
/// stored scores. Plain arithmetic on scores read back: the device goes unused.
pub async fn classification_metrics(text: &str, _device: &Device, tolerance: Tolerance) {
    for (index, case) in
        cases::<ClassMetricsCase>("classification_metrics.json", text).into_iter().enumerate()
    {
        let what = format!("classification metrics case {index} ({})", case.average);
        let classes = case.scores.first().map_or(0, Vec::len);
        let plan = ClassMetricsPlan {
            average: Average::from_name(&case.average).unwrap_or_else(|| panic!("{what}: average")),
            positive_class: case.positive_class.unwrap_or(1),
            roc_auc: true,
        };
        let metrics = class_metrics(&case.scores.concat(), classes, &case.targets, &plan);
        let ours = [metrics.precision, metrics.recall, metrics.f1].map(|value| value as f32);
        assert_close(&what, &ours, &[case.precision, case.recall, case.f1], tolerance);
        match (metrics.roc_auc, case.roc_auc) {
            (Some(ours), Some(theirs)) => {
                assert_close(&format!("{what}: roc_auc"), &[ours as f32], &[theirs], tolerance)
            }
            (None, None) => {}
            (ours, theirs) => panic!("{what}: roc_auc {ours:?}, scikit-learn {theirs:?}"),
        }
    }
}

#[derive(Deserialize)]
struct BatchNormStep {
    x: Vec<Vec<f64>>,
    grad_output: Vec<Vec<f64>>,
    output: Vec<Vec<f64>>,
    grad_input: Vec<Vec<f64>>,
    grad_weight: Vec<f64>,
    grad_bias: Vec<f64>,
    running_mean: Vec<f64>,
    running_var: Vec<f64>,
    num_batches_tracked: u64,
}

#[derive(Deserialize)]
struct BatchNormEval {
    x: Vec<Vec<f64>>,
    output: Vec<Vec<f64>>,
}

#[derive(Deserialize)]
struct BatchNormCase {
    features: usize,
    momentum: f64,
    eps: f64,
    weight: Vec<f64>,
    bias: Vec<f64>,
    train_steps: Vec<BatchNormStep>,
    eval: BatchNormEval,
}

fn matrix(rows: &[Vec<f64>], device: &Device) -> Tensor<2> {
    let flat: Vec<f32> = rows.iter().flatten().map(|&v| v as f32).collect();
    let columns = rows.first().map_or(0, Vec::len);
    Tensor::from_data(TensorData::new(flat, [rows.len(), columns]), device)
}

/// `batch_norm.json`: a Network of one `BatchNorm1d` — in training, each batch's output, the
/// gradients through it and the running statistics after it; then, in evaluation, the output
/// normalised by those statistics.
pub async fn batch_norm(text: &str, device: &Device, tolerance: Tolerance) {
    let plain = device.clone();
    let device = device.clone().autodiff();
    for (index, case) in cases::<BatchNormCase>("batch_norm.json", text).into_iter().enumerate() {
        let what =
            format!("batch norm case {index} ({} features, momentum {})", case.features, case.momentum);
        assert_eq!(case.eps, BATCH_NORM_EPSILON, "{what}: Kindling's BatchNorm1d has PyTorch's default eps");
        let network = NetworkPlan {
            in_shape: vec![case.features],
            layers: vec![LayerSpec::BatchNorm { momentum: case.momentum }],
        };
        let as_f32 = |values: &[f64]| values.iter().map(|&v| v as f32).collect::<Vec<f32>>();
        let model = Mlp::try_from_values(&network, &device, |_, parameter, shape| {
            Ok::<_, String>(match parameter {
                LayerParameter::NormWeight => as_f32(&case.weight),
                LayerParameter::NormBias => as_f32(&case.bias),
                LayerParameter::RunningVar => vec![1.0; shape.iter().product()],
                _ => vec![0.0; shape.iter().product()],
            })
        })
        .expect("a BatchNorm1d");
        let Some(Layer::BatchNorm(norm)) = model.layers().first() else {
            panic!("{what}: not a BatchNorm1d")
        };
        for (step, batch) in case.train_steps.iter().enumerate() {
            let what = format!("{what}, training step {step}");
            let x = matrix(&batch.x, &device).require_grad();
            let output = model.forward(x.clone());
            let loss = (output.clone() * matrix(&batch.grad_output, &device)).sum();
            let grads = loss.backward();
            let output = read_param(output.detach()).await;
            assert_close(&format!("{what}: output"), &output, &batch.output.concat(), tolerance);
            let grad_input = x.grad(&grads).expect("a gradient for the input");
            // BatchNorm's input gradient is γ/σ · (dy − mean(dy) − x̂·mean(dy·x̂)): a difference
            // of terms of size γ/σ·|dy|, which can nearly cancel (in a batch of two, exactly but
            // for ε); float32 rounds it at the terms' scale.
            let rows = batch.x.len() as f64;
            let scale = (0..case.features)
                .map(|feature| {
                    let column = || batch.x.iter().map(|row| row[feature]);
                    let mean = column().sum::<f64>() / rows;
                    let variance = column().map(|x| (x - mean).powi(2)).sum::<f64>() / rows;
                    let dy =
                        batch.grad_output.iter().fold(0.0f64, |largest, row| largest.max(row[feature].abs()));
                    case.weight[feature].abs() / (variance + case.eps).sqrt() * dy
                })
                .fold(0.0, f64::max);
            let grad_input = read_param(grad_input).await;
            let expected = batch.grad_input.concat();
            assert_close_at_scale(&format!("{what}: grad input"), &grad_input, &expected, scale, tolerance);
            let grad_weight = norm.weight.val().grad(&grads).expect("a gradient for the weight");
            assert_close(
                &format!("{what}: grad weight"),
                &read(grad_weight).await,
                &batch.grad_weight,
                tolerance,
            );
            let grad_bias = norm.bias.val().grad(&grads).expect("a gradient for the bias");
            assert_close(&format!("{what}: grad bias"), &read(grad_bias).await, &batch.grad_bias, tolerance);
            let mean = read(norm.running_mean.value_sync()).await;
            assert_close(&format!("{what}: running mean"), &mean, &batch.running_mean, tolerance);
            let var = read(norm.running_var.value_sync()).await;
            assert_close(&format!("{what}: running var (unbiased)"), &var, &batch.running_var, tolerance);
            let tracked = read(norm.batches_tracked.value_sync()).await;
            assert_eq!(tracked, [batch.num_batches_tracked as f32], "{what}: batches tracked");
        }
        // Evaluation: the plain device, by the running statistics.
        let output = model.valid().forward(matrix(&case.eval.x, &plain));
        let output = read_param(output).await;
        assert_close(&format!("{what}: evaluation output"), &output, &case.eval.output.concat(), tolerance);
    }
}

#[derive(Deserialize)]
struct NeuronConfig {
    hidden: Vec<usize>,
    activation: String,
    alpha: Option<f64>,
    beta: Option<f64>,
}

#[derive(Deserialize)]
struct Probe {
    x: Vec<f64>,
    answer: Vec<f64>,
}

#[derive(Deserialize)]
struct NeuronPicturesCase {
    config: NeuronConfig,
    outputs: usize,
    layers: Vec<LayerWeights>,
    resolution: usize,
    grid: Vec<Vec<f64>>,
    hidden: Vec<Vec<Vec<f64>>>,
    output: Vec<Vec<f64>>,
    probe: Probe,
}

/// `neuron_pictures.json`: each unit's picture over the grid of the input plane, and a
/// probe's answer, as the views compute them (`ViewRefresh`, in pieces of a few rows).
pub async fn neuron_pictures(text: &str, device: &Device, tolerance: Tolerance) {
    for (index, case) in cases::<NeuronPicturesCase>("neuron_pictures.json", text).into_iter().enumerate() {
        let config = &case.config;
        let what = format!("neuron pictures {index} ({:?}, {})", config.hidden, config.activation);
        let activation = activation_layer(&config.activation, config.alpha, config.beta, &what);
        let (network, model) = network_of(&case.layers, activation, device);
        assert_eq!(model.linear_layers().count(), config.hidden.len() + 1, "{what}: layers");
        // The grid is the one Kindling draws the plane on.
        let grid: Vec<f32> = grid_points(case.resolution);
        assert_close(&format!("{what}: grid"), &grid, &case.grid.concat(), tolerance);
        let classes = (case.outputs > 1).then_some(case.outputs);
        let probe: Vec<f32> = case.probe.x.iter().map(|&v| v as f32).collect();
        let mut refresh = ViewRefresh::new(model, &network, device.clone(), None, None, classes)
            .with_neurons(case.resolution)
            .with_probe(probe)
            .with_rows_per_piece(7);
        refresh.finish().await.expect("the views evaluate");
        let pictures = refresh.neurons().expect("pictures of a network that takes points");
        assert_eq!(
            pictures.layers.len(),
            case.hidden.len() + 1,
            "{what}: a layer per hidden layer, then the output"
        );
        let expected = case.hidden.iter().chain([&case.output]);
        for (layer, values) in pictures.layers.iter().zip(expected) {
            let width = values[0].len();
            assert_eq!((layer.width, layer.shown), (width, width), "{what}: layer {} width", layer.linear);
            assert_eq!(layer.output, layer.linear == config.hidden.len(), "{what}: the outputs are marked");
            for unit in 0..width {
                let column: Vec<f64> = values.iter().map(|row| row[unit]).collect();
                let picture = layer.picture(unit, case.resolution);
                assert_close(&format!("{what}: unit {}:{unit}", layer.linear), picture, &column, tolerance);
            }
            // The weights and biases drawn between the units are the layer's own.
            let weights = &case.layers[layer.linear];
            let as_f32 = |values: Vec<f64>| values.into_iter().map(|v| v as f32).collect::<Vec<_>>();
            assert_eq!(layer.weights, as_f32(weights.weight_in_out.concat()), "{what}: weights");
            assert_eq!(layer.biases, as_f32(weights.bias.clone()), "{what}: biases");
        }
        let answer = refresh.probe().expect("the probe answered");
        assert_close(&format!("{what}: probe"), &answer.outputs, &case.probe.answer, tolerance);
        assert_eq!(answer.probabilities, classes.is_some(), "{what}: probabilities for a classifier");
        assert_eq!(answer.hidden.len(), config.hidden.len(), "{what}: the probe's hidden layers");
    }
}

/// The largest magnitude among `values`: the scale of the terms a convolution's or a pool's
/// sums are made of, at which float32 rounds each of them (see [`assert_close_at_scale`]).
fn largest(values: &[f64]) -> f64 {
    values.iter().fold(0.0f64, |largest, value| largest.max(value.abs()))
}

/// The dimensions of a nested JSON array (`[[1, 2, 3], [4, 5, 6]]`: `[2, 3]`; a number: `[]`).
fn dims_of(value: &serde_json::Value) -> Vec<usize> {
    match value {
        serde_json::Value::Array(items) => {
            [vec![items.len()], items.first().map(dims_of).unwrap_or_default()].concat()
        }
        _ => Vec::new(),
    }
}

/// Samples written `[batch][…]` as the network takes them: `[batch, features]`, flattened in
/// PyTorch's order.
fn samples(value: &serde_json::Value, device: &Device) -> Tensor<2> {
    let values: Vec<f32> = flatten(value).iter().map(|&v| v as f32).collect();
    let rows = dims_of(value).first().copied().unwrap_or(0);
    let columns = values.len() / rows.max(1);
    Tensor::from_data(TensorData::new(values, [rows, columns]), device)
}

#[derive(Deserialize)]
struct ImageLayerCase {
    layer: LayerSpec,
    input_shape: Vec<usize>,
    training: bool,
    params: std::collections::BTreeMap<String, serde_json::Value>,
    x: serde_json::Value,
    grad_output: serde_json::Value,
    output: serde_json::Value,
    grad_input: serde_json::Value,
    grad_params: std::collections::BTreeMap<String, serde_json::Value>,
}

/// `image_layers.json`: a Network of one image layer (read from the case's JSON, as a graph
/// file writes it) — its output, and while training the gradients through it to its input
/// and its weights.
pub async fn image_layers(text: &str, device: &Device, tolerance: Tolerance) {
    let plain = device.clone();
    let device = device.clone().autodiff();
    for (index, case) in cases::<ImageLayerCase>("image_layers.json", text).into_iter().enumerate() {
        let what = format!("image layer case {index} ({:?} on {:?})", case.layer, case.input_shape);
        let network = NetworkPlan { in_shape: case.input_shape.clone(), layers: vec![case.layer] };
        let model = Mlp::try_from_values(&network, &device, |layer, parameter, _| {
            let name = parameter_name(layer, parameter);
            let name = name.trim_start_matches("layers.0.");
            let values = case.params.get(name).ok_or_else(|| format!("{what}: no {name} in the case"))?;
            Ok::<_, String>(flatten(values).iter().map(|&v| v as f32).collect())
        })
        .unwrap_or_else(|error| panic!("{error}"));
        let expected_output = flatten(&case.output);
        if !case.training {
            // Evaluation: the plain device, where dropout passes its input through.
            let output = read_param(model.valid().forward(samples(&case.x, &plain))).await;
            assert_close(&format!("{what}: evaluation output"), &output, &expected_output, tolerance);
            continue;
        }
        let x = samples(&case.x, &device).require_grad();
        let output = model.forward(x.clone());
        let [rows, columns] = output.dims();
        let grad_output = flatten(&case.grad_output);
        assert_eq!(rows * columns, grad_output.len(), "{what}: output size");
        let loss = (output.clone() * samples(&case.grad_output, &device).reshape([rows, columns])).sum();
        let grads = loss.backward();
        let output = read_param(output.detach()).await;
        let scale = largest(&expected_output);
        assert_close_at_scale(&format!("{what}: output"), &output, &expected_output, scale, tolerance);
        let grad_input = read_param(x.grad(&grads).expect("a gradient for the input")).await;
        let expected = flatten(&case.grad_input);
        assert_close_at_scale(
            &format!("{what}: grad input"),
            &grad_input,
            &expected,
            largest(&expected),
            tolerance,
        );
        let weights: Vec<(&str, Tensor<1>)> = match model.layers().first() {
            Some(Layer::Conv2d(conv)) => {
                let weight = conv.conv.weight.val();
                let count = weight.shape().num_elements();
                let mut weights =
                    vec![("weight", weight.grad(&grads).expect("a weight gradient").reshape([count]))];
                if let Some(bias) = &conv.conv.bias {
                    weights.push(("bias", bias.val().grad(&grads).expect("a bias gradient")));
                }
                weights
            }
            _ => Vec::new(),
        };
        let names: Vec<&str> = weights.iter().map(|(name, _)| *name).collect();
        let expected_names: Vec<&str> = case.grad_params.keys().map(String::as_str).collect();
        assert_eq!(
            {
                let mut names = names.clone();
                names.sort_unstable();
                names
            },
            expected_names,
            "{what}: the parameters"
        );
        for (name, gradient) in weights {
            let expected = flatten(&case.grad_params[name]);
            let gradient = read(gradient).await;
            let what = format!("{what}: grad {name}");
            assert_close_at_scale(&what, &gradient, &expected, largest(&expected), tolerance);
        }
    }
}

#[derive(Deserialize)]
struct BatchNorm2dStep {
    x: serde_json::Value,
    grad_output: serde_json::Value,
    output: serde_json::Value,
    grad_input: serde_json::Value,
    grad_weight: Vec<f64>,
    grad_bias: Vec<f64>,
    running_mean: Vec<f64>,
    running_var: Vec<f64>,
    num_batches_tracked: u64,
}

#[derive(Deserialize)]
struct BatchNorm2dEval {
    x: serde_json::Value,
    output: serde_json::Value,
}

#[derive(Deserialize)]
struct BatchNorm2dCase {
    input_shape: Vec<usize>,
    momentum: f64,
    eps: f64,
    weight: Vec<f64>,
    bias: Vec<f64>,
    train_steps: Vec<BatchNorm2dStep>,
    eval: BatchNorm2dEval,
}

/// `batch_norm_2d.json`: a Network of one `BatchNorm2d`, as [`batch_norm`] checks
/// `BatchNorm1d`: each channel normalised over the batch and its positions.
pub async fn batch_norm_2d(text: &str, device: &Device, tolerance: Tolerance) {
    let plain = device.clone();
    let device = device.clone().autodiff();
    for (index, case) in cases::<BatchNorm2dCase>("batch_norm_2d.json", text).into_iter().enumerate() {
        let what = format!("batch norm 2d case {index} ({:?}, momentum {})", case.input_shape, case.momentum);
        assert_eq!(case.eps, BATCH_NORM_EPSILON, "{what}: Kindling's BatchNorm2d has PyTorch's default eps");
        let network = NetworkPlan {
            in_shape: case.input_shape.clone(),
            layers: vec![LayerSpec::BatchNorm2d { momentum: case.momentum }],
        };
        let as_f32 = |values: &[f64]| values.iter().map(|&v| v as f32).collect::<Vec<f32>>();
        let model = Mlp::try_from_values(&network, &device, |_, parameter, shape| {
            Ok::<_, String>(match parameter {
                LayerParameter::NormWeight => as_f32(&case.weight),
                LayerParameter::NormBias => as_f32(&case.bias),
                LayerParameter::RunningVar => vec![1.0; shape.iter().product()],
                _ => vec![0.0; shape.iter().product()],
            })
        })
        .expect("a BatchNorm2d");
        let Some(Layer::BatchNorm2d(image)) = model.layers().first() else {
            panic!("{what}: not a BatchNorm2d")
        };
        let norm = &image.norm;
        let [channels, height, width] = [case.input_shape[0], case.input_shape[1], case.input_shape[2]];
        let positions = height * width;
        for (step, batch) in case.train_steps.iter().enumerate() {
            let what = format!("{what}, training step {step}");
            let x = samples(&batch.x, &device).require_grad();
            let output = model.forward(x.clone());
            let loss = (output.clone() * samples(&batch.grad_output, &device)).sum();
            let grads = loss.backward();
            let output = read_param(output.detach()).await;
            assert_close(&format!("{what}: output"), &output, &flatten(&batch.output), tolerance);
            // As for BatchNorm1d, the input's gradient is a difference of terms of size
            // γ/σ·|dy|, per channel, that can nearly cancel.
            let (xs, dys) = (flatten(&batch.x), flatten(&batch.grad_output));
            let channel_of = |i: usize| (i / positions) % channels;
            let scale = (0..channels)
                .map(|channel| {
                    let values: Vec<f64> = xs
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| channel_of(*i) == channel)
                        .map(|(_, &x)| x)
                        .collect();
                    let n = values.len() as f64;
                    let mean = values.iter().sum::<f64>() / n;
                    let variance = values.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / n;
                    let dy = dys
                        .iter()
                        .enumerate()
                        .filter(|(i, _)| channel_of(*i) == channel)
                        .fold(0.0f64, |largest, (_, dy)| largest.max(dy.abs()));
                    case.weight[channel].abs() / (variance + case.eps).sqrt() * dy
                })
                .fold(0.0, f64::max);
            let grad_input = read_param(x.grad(&grads).expect("a gradient for the input")).await;
            let expected = flatten(&batch.grad_input);
            assert_close_at_scale(&format!("{what}: grad input"), &grad_input, &expected, scale, tolerance);
            // Sums over the batch and every position.
            let grad_weight = read(norm.weight.val().grad(&grads).expect("a gradient for the weight")).await;
            let at = largest(&batch.grad_weight);
            assert_close_at_scale(
                &format!("{what}: grad weight"),
                &grad_weight,
                &batch.grad_weight,
                at,
                tolerance,
            );
            let grad_bias = read(norm.bias.val().grad(&grads).expect("a gradient for the bias")).await;
            let at = largest(&batch.grad_bias);
            assert_close_at_scale(&format!("{what}: grad bias"), &grad_bias, &batch.grad_bias, at, tolerance);
            let mean = read(norm.running_mean.value_sync()).await;
            assert_close(&format!("{what}: running mean"), &mean, &batch.running_mean, tolerance);
            let var = read(norm.running_var.value_sync()).await;
            assert_close(&format!("{what}: running var (unbiased)"), &var, &batch.running_var, tolerance);
            let tracked = read(norm.batches_tracked.value_sync()).await;
            assert_eq!(tracked, [batch.num_batches_tracked as f32], "{what}: batches tracked");
        }
        let output = read_param(model.valid().forward(samples(&case.eval.x, &plain))).await;
        assert_close(&format!("{what}: evaluation output"), &output, &flatten(&case.eval.output), tolerance);
    }
}

#[derive(Deserialize)]
struct CnnBatch {
    x: serde_json::Value,
    y: Vec<i64>,
}

#[derive(Deserialize)]
struct CnnTrainingCase {
    layers: Vec<LayerSpec>,
    input_shape: Vec<usize>,
    classes: usize,
    optimizer: StepOptimizer,
    initial: std::collections::BTreeMap<String, serde_json::Value>,
    batches: Vec<CnnBatch>,
    loss_per_batch: Vec<f64>,
    #[serde(rename = "final")]
    final_state: std::collections::BTreeMap<String, serde_json::Value>,
}

/// PyTorch's state dict, as a safetensors file of float32 values (a count of batches too).
fn state_file(state: &std::collections::BTreeMap<String, serde_json::Value>) -> Vec<u8> {
    let tensors: Vec<(String, Vec<usize>, Vec<u8>)> = state
        .iter()
        .map(|(name, value)| {
            let bytes = flatten(value).iter().flat_map(|&v| (v as f32).to_le_bytes()).collect();
            (name.clone(), dims_of(value), bytes)
        })
        .collect();
    let views = tensors.iter().map(|(name, shape, bytes)| {
        (
            name.clone(),
            safetensors::tensor::TensorView::new(safetensors::Dtype::F32, shape.clone(), bytes)
                .expect("a tensor"),
        )
    });
    safetensors::serialize(views, None).expect("a safetensors file")
}

/// `cnn_training.json`: short training runs of small CNNs, their layers as a graph file
/// writes them, from PyTorch's initial weights (loaded as the page loads a weights file, by
/// PyTorch's names and layouts): the loss of each batch, and every parameter and running
/// statistic at the end (read back as the page saves a weights file).
pub async fn cnn_training(text: &str, device: &Device, tolerance: Tolerance) {
    let device = device.clone().autodiff();
    for (index, case) in cases::<CnnTrainingCase>("cnn_training.json", text).into_iter().enumerate() {
        let what =
            format!("CNN run {index} ({})", kindling::core::model::layer_text::layers_text(&case.layers));
        let network = NetworkPlan { in_shape: case.input_shape.clone(), layers: case.layers.clone() };
        assert_eq!(network.out_features(), case.classes, "{what}: classes");
        let mut model = from_safetensors(&state_file(&case.initial), &network, &device)
            .unwrap_or_else(|error| panic!("{what}: the initial weights: {error}"));
        let plan = optimizer_plan(&case.optimizer, &what);
        let mut network_optimizer = NetworkOptimizer::new(&plan);
        let mut stepper = Stepper::new(StepPlan::default());
        let mut losses = Vec::new();
        for batch in &case.batches {
            let logits = model.forward(samples(&batch.x, &device));
            let rows = batch.y.len();
            let targets = Tensor::<1, Int>::from_data(TensorData::new(batch.y.clone(), [rows]), &device);
            let loss = cross_entropy_with(logits, targets, &CrossEntropyOptions::default());
            losses.extend(read(loss.clone().detach()).await);
            let (updated, _) = stepper.step(loss, model, &mut network_optimizer, plan.learning_rate());
            model = updated;
        }
        assert_close(&format!("{what}: loss per batch"), &losses, &case.loss_per_batch, tolerance);
        let saved = to_safetensors(&model).await.expect("the weights read back");
        let saved = safetensors::SafeTensors::deserialize(&saved).expect("a safetensors file");
        let mut names: Vec<String> = saved.names().into_iter().map(str::to_owned).collect();
        names.sort();
        assert_eq!(names, case.final_state.keys().cloned().collect::<Vec<_>>(), "{what}: the parameters");
        for (name, expected) in &case.final_state {
            let tensor = saved.tensor(name).expect("a saved tensor");
            assert_eq!(tensor.shape(), dims_of(expected).as_slice(), "{what}: {name}'s shape");
            let values: Vec<f32> = tensor
                .data()
                .chunks_exact(4)
                .map(|bytes| f32::from_le_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))
                .collect();
            assert_close(&format!("{what}: final {name}"), &values, &flatten(expected), tolerance);
        }
    }
}
