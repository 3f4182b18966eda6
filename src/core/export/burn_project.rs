//! The burn export: a standalone Cargo project (`cargo run --release`) that trains the graph
//! with burn on the CPU (or the GPU, `--features gpu`) from Kindling's initial weights and in
//! its batch order, printing the epoch lines `kindling-run` prints. It depends on published
//! crates only: `main.rs.in` is the training loop, written with Kindling's semantics; this
//! module writes `graph.rs`, the graph's settings.

use std::fmt::Write;

use super::template::{fill, title};
use super::{Compiled, Export, ExportError, ExportFile};
use crate::core::compile::plan::{LossKind, OptimizerPlan, TrainingPlan};
use crate::core::compile::plan_nodes::PlanNodes;
use crate::core::compile::schedule::SchedulerPlan;
use crate::core::model::choices::Reduction;
use crate::core::model::choices::Task;
use crate::core::model::choices::{PlateauMode, ThresholdMode};
use crate::core::model::graph::Graph;
use crate::core::model::params::{LayerSpec, image_shape};

const MAIN: &str = include_str!("burn/main.rs.in");

/// The burn project of `graph`, named `name`.
///
/// # Errors
/// [`ExportError::Compile`] for a graph that cannot train.
pub async fn export(graph: &Graph, name: &str) -> Result<Export, ExportError> {
    let compiled = Compiled::new(graph)?;
    let (plan, nodes) = (&compiled.plan, &compiled.nodes);
    let shared = compiled.shared_files(graph).await?;
    let title = title(name);
    let main = fill(
        MAIN,
        &[
            ("TITLE", &title),
            ("SUMMARY", &format!("{}: {}", nodes.network, plan.network.describe())),
            ("EPOCHS", &plan.tracker.epochs.to_string()),
        ],
    );
    let program = vec![
        ExportFile::text("Cargo.toml", cargo_toml(name)),
        ExportFile::text("src/main.rs", main),
        ExportFile::text("src/graph.rs", graph_rs(plan, nodes)),
        ExportFile::text("README.md", readme(&title, plan, shared.order_epochs)),
    ];
    Ok(compiled.export(program, shared))
}

/// A Cargo package name from the experiment's name: `kindling-` and its letters and digits.
fn package_name(name: &str) -> String {
    let slug: String = name
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() { c.to_ascii_lowercase() } else { '-' })
        .collect::<String>()
        .split('-')
        .filter(|part| !part.is_empty())
        .collect::<Vec<_>>()
        .join("-");
    if slug.is_empty() { "kindling-graph".to_owned() } else { format!("kindling-{slug}") }
}

fn cargo_toml(name: &str) -> String {
    format!(
        "[package]\n\
         name = \"{}\"\n\
         version = \"0.1.0\"\n\
         edition = \"2024\"\n\
         publish = false\n\n\
         [dependencies]\n\
         # burn with its CPU backend (flex) and training (autodiff, optimizers); the version Kindling runs.\n\
         burn = {{ version = \"=0.22.1\", default-features = false, features = [\"std\", \"autodiff\", \"optim\", \"flex\", \"simd\"] }}\n\
         # Reads the initial weights and writes the trained ones (PyTorch's names and layouts).\n\
         safetensors = {{ version = \"0.8\", default-features = false, features = [\"alloc\"] }}\n\n\
         [features]\n\
         # Train on the GPU: burn's wgpu backend (Vulkan, Metal or DirectX 12).\n\
         gpu = [\"burn/wgpu\"]\n\n\
         # A workspace of its own: the project builds wherever it is unpacked, inside another\n\
         # Cargo workspace too (without this table, Cargo takes it for a member there and refuses).\n\
         [workspace]\n",
        package_name(name)
    )
}

fn float(value: f64) -> String {
    format!("{value:?}")
}

fn reduction(reduction: Reduction) -> &'static str {
    match reduction {
        Reduction::Mean => "Reduction::Mean",
        // `none` cannot drive training (the compiler refuses it); summed like Kindling.
        Reduction::Sum | Reduction::Elementwise => "Reduction::Sum",
    }
}

fn graph_rs(plan: &TrainingPlan, nodes: &PlanNodes) -> String {
    let mut out = String::from(
        "//! The graph's settings, each with the node it comes from (written by Kindling's export).\n\n\
         use crate::{EarlyStopping, LayerSpec, Loss, LossTerm, OptimizerSpec, Reduction, SchedulerSpec};\n\n",
    );
    let classes = match plan.dataset.task() {
        Task::Classification => format!("Some({})", plan.dataset.classes),
        Task::Regression => "None".to_owned(),
    };
    let _ = writeln!(
        out,
        "/// {}: {}, one sample's features, flattened.\npub const INPUT_FEATURES: usize = {};",
        nodes.dataset,
        plan.dataset.kind.name(),
        plan.network.in_features()
    );
    let _ = writeln!(
        out,
        "/// {}: classes, `None` for values (regression).\npub const CLASSES: Option<usize> = {classes};",
        nodes.dataset
    );
    let _ = writeln!(
        out,
        "/// {}: seed (weights, dropout).\npub const SEED: u64 = {};",
        nodes.dataset, plan.init_seed
    );
    let _ = writeln!(
        out,
        "/// {}: batch_size.\npub const BATCH_SIZE: usize = {};",
        nodes.sampler,
        plan.sampler.batch_size.max(1)
    );
    let _ = writeln!(
        out,
        "/// {}: drop_last.\npub const DROP_LAST: bool = {};",
        nodes.sampler, plan.sampler.drop_last
    );
    let validation = match (&plan.validation, &nodes.validation) {
        (Some(sampler), Some((run, node))) => {
            format!(
                "/// {node}, evaluated by {run}: batch size, drop_last.\npub const VALIDATION: Option<(usize, bool)> = Some(({}, {}));",
                sampler.batch_size.max(1),
                sampler.drop_last
            )
        }
        _ => "/// No validation pass.\npub const VALIDATION: Option<(usize, bool)> = None;".to_owned(),
    };
    let _ = writeln!(out, "{validation}");
    let metric =
        nodes.metric.map_or_else(|| "No AccuracyMetric: top 1".to_owned(), |node| format!("{node}: top_k"));
    let _ = writeln!(out, "/// {metric}.\npub const TOP_K: usize = {};", plan.top_k);
    let _ = writeln!(
        out,
        "/// {}: whether an accuracy feeds it (the training accuracy is printed).\npub const TRAIN_ACCURACY: bool = {};",
        nodes.tracker, plan.tracker.train_accuracy
    );
    let step = nodes.step.map_or_else(|| "No TrainingStep".to_owned(), |node| node.to_string());
    let _ = writeln!(
        out,
        "/// {step}: max global L2 norm of the gradients, 0 = off.\npub const GRADIENT_CLIP: f64 = {};",
        float(plan.step.gradient_clip)
    );
    let _ = writeln!(
        out,
        "/// {step}: batches per update.\npub const ACCUMULATION_STEPS: usize = {};",
        plan.step.accumulation_steps.max(1)
    );
    let _ = writeln!(
        out,
        "/// {}: total_epochs.\npub const EPOCHS: usize = {};",
        nodes.tracker, plan.tracker.epochs
    );
    let _ = writeln!(
        out,
        "/// {}: log_interval (steps).\npub const LOG_INTERVAL: usize = {};",
        nodes.tracker,
        plan.tracker.log_interval.max(1)
    );
    let early = match plan.tracker.early_stopping {
        Some(rule) => format!(
            "Some(EarlyStopping {{ monitor: \"{}\", patience: {}, min_delta: {} }})",
            rule.monitor.name(),
            rule.patience,
            float(rule.min_delta)
        ),
        None => "None".to_owned(),
    };
    let _ = writeln!(
        out,
        "/// {}: early stopping (patience 0: off).\npub const EARLY_STOPPING: Option<EarlyStopping> = {early};",
        nodes.tracker
    );
    let monitor = plan.scheduler.as_ref().map_or("train_loss", |setup| setup.monitor.name());
    let _ = writeln!(
        out,
        "/// What ReduceLROnPlateau watches.\npub const SCHEDULER_MONITOR: &str = \"{monitor}\";\n"
    );

    let _ = writeln!(
        out,
        "/// {}: {}.\npub fn layers() -> Vec<LayerSpec> {{\n    vec![",
        nodes.network,
        plan.network.describe()
    );
    let mut width = plan.network.in_features();
    let mut shape = plan.network.in_shape.clone();
    for layer in &plan.network.layers {
        let input = image_shape(&shape).unwrap_or([width, 1, 1]);
        shape = layer.output_shape(&shape).unwrap_or(shape);
        let spec = match *layer {
            LayerSpec::Linear { out_features } => {
                format!("LayerSpec::Linear {{ in_features: {width}, out_features: {out_features} }}")
            }
            LayerSpec::Relu => "LayerSpec::Relu".to_owned(),
            LayerSpec::LeakyRelu { negative_slope } => {
                format!("LayerSpec::LeakyRelu({})", float(negative_slope))
            }
            LayerSpec::Tanh => "LayerSpec::Tanh".to_owned(),
            LayerSpec::Sigmoid => "LayerSpec::Sigmoid".to_owned(),
            LayerSpec::Gelu => "LayerSpec::Gelu".to_owned(),
            LayerSpec::Dropout { p } => format!("LayerSpec::Dropout({})", float(p)),
            LayerSpec::LayerNorm => format!("LayerSpec::LayerNorm({width})"),
            LayerSpec::BatchNorm { momentum } => {
                format!("LayerSpec::BatchNorm({width}, {})", float(momentum))
            }
            LayerSpec::Flatten => "LayerSpec::Flatten".to_owned(),
            LayerSpec::Elu { alpha } => format!("LayerSpec::Elu({})", float(alpha)),
            LayerSpec::Silu => "LayerSpec::Silu".to_owned(),
            LayerSpec::Mish => "LayerSpec::Mish".to_owned(),
            LayerSpec::Softplus { beta } => format!("LayerSpec::Softplus({})", float(beta)),
            LayerSpec::Conv2d(conv) => format!(
                "LayerSpec::Conv2d {{ input: {input:?}, out_channels: {}, kernel_size: {}, stride: {}, padding: {}, \
                 dilation: {}, groups: {}, bias: {} }}",
                conv.out_channels,
                conv.kernel_size,
                conv.stride,
                conv.padding,
                conv.dilation,
                conv.groups,
                conv.bias
            ),
            LayerSpec::MaxPool2d(pool) => format!(
                "LayerSpec::MaxPool2d {{ input: {input:?}, kernel_size: {}, stride: {}, padding: {} }}",
                pool.kernel_size, pool.stride, pool.padding
            ),
            LayerSpec::AvgPool2d(pool) => format!(
                "LayerSpec::AvgPool2d {{ input: {input:?}, kernel_size: {}, stride: {}, padding: {} }}",
                pool.kernel_size, pool.stride, pool.padding
            ),
            LayerSpec::BatchNorm2d { momentum } => {
                format!("LayerSpec::BatchNorm2d({input:?}, {})", float(momentum))
            }
            LayerSpec::Dropout2d { p } => format!("LayerSpec::Dropout2d({input:?}, {})", float(p)),
        };
        width = shape.iter().product();
        let _ = writeln!(out, "        {spec},");
    }
    out.push_str("    ]\n}\n\n");

    let _ = writeln!(
        out,
        "/// {}: what TrainingStep minimises.\npub fn loss_terms() -> Vec<LossTerm> {{\n    vec![",
        nodes.loss
    );
    for (term, node) in plan.loss.terms.iter().zip(&nodes.loss_terms) {
        let loss = match &term.loss {
            LossKind::CrossEntropy(options) => {
                let weight = options.weight.as_ref().map_or_else(
                    || "None".to_owned(),
                    |weight| {
                        format!(
                            "Some(vec![{}])",
                            weight.iter().map(|w| format!("{w:?}")).collect::<Vec<_>>().join(", ")
                        )
                    },
                );
                format!(
                    "Loss::CrossEntropy {{ reduction: {}, label_smoothing: {}, ignore_index: {}, weight: {weight} }}",
                    reduction(options.reduction),
                    float(options.label_smoothing),
                    options.ignore_index
                )
            }
            LossKind::Mse(r) => format!("Loss::Mse({})", reduction(*r)),
            LossKind::L1(r) => format!("Loss::L1({})", reduction(*r)),
        };
        let _ = writeln!(
            out,
            "        // {node}\n        LossTerm {{ weight: {}, loss: {loss} }},",
            float(term.weight)
        );
    }
    out.push_str("    ]\n}\n\n");

    let optimizer = match plan.optimizer {
        OptimizerPlan::Sgd { learning_rate, momentum, weight_decay, nesterov } => format!(
            "OptimizerSpec::Sgd {{ learning_rate: {}, momentum: {}, weight_decay: {}, nesterov: {} }}",
            float(learning_rate),
            float(momentum),
            float(weight_decay),
            nesterov && momentum > 0.0
        ),
        OptimizerPlan::Adam { learning_rate, beta1, beta2, epsilon, weight_decay } => format!(
            "OptimizerSpec::Adam {{ learning_rate: {}, beta1: {}, beta2: {}, epsilon: {}, weight_decay: {} }}",
            float(learning_rate),
            float(beta1),
            float(beta2),
            float(epsilon),
            float(weight_decay)
        ),
        OptimizerPlan::AdamW { learning_rate, beta1, beta2, epsilon, weight_decay } => format!(
            "OptimizerSpec::AdamW {{ learning_rate: {}, beta1: {}, beta2: {}, epsilon: {}, weight_decay: {} }}",
            float(learning_rate),
            float(beta1),
            float(beta2),
            float(epsilon),
            float(weight_decay)
        ),
    };
    let _ = writeln!(
        out,
        "/// {}.\npub fn optimizer() -> OptimizerSpec {{\n    {optimizer}\n}}\n",
        nodes.optimizer
    );

    let scheduler = plan
        .scheduler
        .as_ref()
        .map_or_else(|| "None".to_owned(), |setup| format!("Some({})", scheduler_spec(&setup.plan)));
    let scheduler_node = nodes.scheduler.map_or_else(
        || "No learning-rate scheduler".to_owned(),
        |node| format!("{node}, stepped once per epoch"),
    );
    let _ = writeln!(
        out,
        "/// {scheduler_node}.\npub fn scheduler() -> Option<SchedulerSpec> {{\n    {scheduler}\n}}"
    );
    out
}

fn readme(title: &str, plan: &TrainingPlan, order_epochs: usize) -> String {
    format!(
        "# {title} — exported from Kindling as a burn project\n\n\
         A standalone Rust program that trains the graph (`graph.json`) with burn {burn}.\n\n\
         ```sh\n\
         cargo run --release                   # the graph's {epochs} epochs on the CPU (burn's flex backend)\n\
         cargo run --release -- --epochs 3\n\
         cargo run --release --features gpu    # on the GPU: burn's wgpu backend (Vulkan, Metal, DirectX 12)\n\
         ```\n\n\
         It starts from Kindling's initial weights (`initial_weights.safetensors`) and visits the\n\
         samples (`data.csv`) in Kindling's order (`batch_order.csv`, {order_epochs} of {epochs} epochs), so\n\
         each epoch's JSON line on stdout (`epoch`, `train_loss`, `train_accuracy`, `val_loss`,\n\
         `val_accuracy`, `lr`, `seconds`) matches `kindling-run`'s. The trained weights go to\n\
         `trained.safetensors`, in PyTorch's names and layouts.\n\n\
         `src/graph.rs` holds the graph's settings, each with its node; `src/main.rs` is the training\n\
         loop (loss, metrics, accumulation and clipping, scheduler, early stopping), with Kindling's\n\
         semantics, which are PyTorch's.\n",
        burn = "0.22.1",
        epochs = plan.tracker.epochs,
    )
}

/// `plan` as the project's `SchedulerSpec` expression.
fn scheduler_spec(plan: &SchedulerPlan) -> String {
    match *plan {
        SchedulerPlan::Step { step_size, gamma } => {
            format!("SchedulerSpec::Step {{ step_size: {step_size}, gamma: {} }}", float(gamma))
        }
        SchedulerPlan::CosineAnnealing { t_max, eta_min } => {
            format!("SchedulerSpec::CosineAnnealing {{ t_max: {t_max}, eta_min: {} }}", float(eta_min))
        }
        SchedulerPlan::Linear { start_factor, end_factor, total_iters } => format!(
            "SchedulerSpec::Linear {{ start_factor: {}, end_factor: {}, total_iters: {total_iters} }}",
            float(start_factor),
            float(end_factor)
        ),
        SchedulerPlan::Sequential { ref phases, ref milestones } => format!(
            "SchedulerSpec::Sequential {{\n        phases: &[{}],\n        milestones: &[{}],\n    }}",
            phases.iter().map(scheduler_spec).collect::<Vec<_>>().join(", "),
            milestones.iter().map(usize::to_string).collect::<Vec<_>>().join(", ")
        ),
        SchedulerPlan::ReduceOnPlateau {
            mode,
            factor,
            patience,
            threshold,
            threshold_mode,
            cooldown,
            min_lr,
        } => {
            format!(
                "SchedulerSpec::ReduceOnPlateau {{\n        max_mode: {},\n        factor: {},\n        patience: {patience},\n        threshold: {},\n        relative: {},\n        cooldown: {cooldown},\n        min_lr: {},\n    }}",
                mode == PlateauMode::Max,
                float(factor),
                float(threshold),
                threshold_mode == ThresholdMode::Relative,
                float(min_lr)
            )
        }
    }
}
