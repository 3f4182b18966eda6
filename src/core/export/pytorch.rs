//! The PyTorch export: `train.py`, a program a person could have written for the graph — the
//! Network as an `nn.Module`, the loss with every option the graph sets, the optimizer and
//! scheduler, TrainingStep's clipping and accumulation, the epoch loop with its validation
//! pass, early stopping and checkpoints — runnable plainly or under `torchrun`
//! (DistributedDataParallel). Beside it: the data, Kindling's initial weights and batch order
//! (for `--reproduce`), the graph, and a README.
//!
//! `train.py.in` is the program; this module writes the parts that depend on the graph.

use std::fmt::Write;

use super::template::{fill, python_title, title};
use super::{Compiled, Export, ExportError, ExportFile};
use crate::core::compile::plan::CrossEntropyOptions;
use crate::core::compile::plan::{LossKind, OptimizerPlan, TrainingPlan};
use crate::core::compile::plan_nodes::PlanNodes;
use crate::core::compile::schedule::SchedulerPlan;
use crate::core::model::choices::Reduction;
use crate::core::model::graph::Graph;
use crate::core::model::params::{LayerSpec, image_shape};

/// The program, with `{{…}}` where the graph's parts go.
const TEMPLATE: &str = include_str!("train.py.in");

/// The PyTorch program of `graph`, named `name` (the experiment's name, for its docstring).
///
/// # Errors
/// [`ExportError::Compile`] for a graph that cannot train.
pub async fn export(graph: &Graph, name: &str) -> Result<Export, ExportError> {
    let compiled = Compiled::new(graph)?;
    let (plan, nodes) = (&compiled.plan, &compiled.nodes);
    let shared = compiled.shared_files(graph).await?;
    let program = fill(
        TEMPLATE,
        &[
            ("TITLE", &python_title(name)),
            ("SUMMARY", &summary(plan, nodes)),
            ("EPOCHS", &plan.tracker.epochs.to_string()),
            ("SETTINGS", &settings(plan, nodes)),
            ("MODEL", &model(plan, nodes)),
            ("LOSS", &loss(plan, nodes)),
            ("OPTIMIZER", &optimizer(plan, nodes)),
            ("SCHEDULER", &scheduler(plan, nodes)),
        ],
    );
    let readme = readme(name, plan, shared.order_epochs);
    Ok(compiled
        .export(vec![ExportFile::text("train.py", program), ExportFile::text("README.md", readme)], shared))
}

/// A float as Python reads it back exactly (`0.03`, `1e-8`, `1.0`).
fn float(value: f64) -> String {
    format!("{value:?}")
}

fn boolean(value: bool) -> &'static str {
    if value { "True" } else { "False" }
}

fn summary(plan: &TrainingPlan, nodes: &PlanNodes) -> String {
    let data = &plan.dataset;
    let what = match data.task() {
        crate::core::model::choices::Task::Classification => format!("{} classes", data.classes),
        crate::core::model::choices::Task::Regression => "values".to_owned(),
    };
    format!(
        "Trains {} ({})\non the {} dataset ({} samples, {what}) for {} epochs.",
        nodes.network,
        plan.network.describe(),
        data.kind.name(),
        data.samples,
        plan.tracker.epochs
    )
}

fn settings(plan: &TrainingPlan, nodes: &PlanNodes) -> String {
    let mut out = String::new();
    let mut line = |name: &str, value: String, comment: String| {
        let _ = writeln!(out, "{:<32}# {comment}", format!("{name} = {value}"));
    };
    let data = &plan.dataset;
    let classification = data.task() == crate::core::model::choices::Task::Classification;
    let shape: Vec<String> = plan.network.in_shape.iter().map(usize::to_string).collect();
    line(
        "INPUT_SHAPE",
        format!("({},)", shape.join(", ")),
        format!("{}: {}, one sample's features", nodes.dataset, data.kind.name()),
    );
    line(
        "CLASSES",
        if classification { data.classes.to_string() } else { "None".to_owned() },
        format!("{}: None for values (regression)", nodes.dataset),
    );
    line("SEED", plan.init_seed.to_string(), format!("{}: seed (weights, dropout)", nodes.dataset));
    let sampler = &plan.sampler;
    line("BATCH_SIZE", sampler.batch_size.to_string(), format!("{}: batch_size", nodes.sampler));
    line("SHUFFLE", boolean(sampler.shuffle).to_owned(), format!("{}: shuffle", nodes.sampler));
    line("SHUFFLE_SEED", sampler.seed.to_string(), format!("{}: seed", nodes.sampler));
    line("DROP_LAST", boolean(sampler.drop_last).to_owned(), format!("{}: drop_last", nodes.sampler));
    match (&plan.validation, &nodes.validation) {
        (Some(validation), Some((run, sampler))) => {
            line(
                "VALIDATION_BATCH_SIZE",
                validation.batch_size.to_string(),
                format!("{sampler}, evaluated in order by {run} (training off)"),
            );
            line(
                "VALIDATION_DROP_LAST",
                boolean(validation.drop_last).to_owned(),
                format!("{sampler}: drop_last"),
            );
        }
        _ => {
            line("VALIDATION_BATCH_SIZE", "None".to_owned(), "no validation pass".to_owned());
            line("VALIDATION_DROP_LAST", "False".to_owned(), "no validation pass".to_owned());
        }
    }
    let metric =
        nodes.metric.map_or_else(|| "no AccuracyMetric: top 1".to_owned(), |node| format!("{node}: top_k"));
    line("TOP_K", plan.top_k.to_string(), metric);
    line(
        "TRAIN_ACCURACY",
        boolean(plan.tracker.train_accuracy).to_owned(),
        format!("{}: whether an accuracy feeds it (the training accuracy is printed)", nodes.tracker),
    );
    let step = nodes.step.map_or_else(|| "no TrainingStep".to_owned(), |node| node.to_string());
    line(
        "GRADIENT_CLIP",
        float(plan.step.gradient_clip),
        format!("{step}: max global L2 norm of the gradients, 0 = off"),
    );
    line(
        "ACCUMULATION_STEPS",
        plan.step.accumulation_steps.max(1).to_string(),
        format!("{step}: batches per update"),
    );
    line(
        "MIXED_PRECISION",
        boolean(plan.step.mixed_precision).to_owned(),
        format!("{step}: float16 autocast, on CUDA only"),
    );
    let tracker = &plan.tracker;
    line("EPOCHS", tracker.epochs.to_string(), format!("{}: total_epochs", nodes.tracker));
    line(
        "LOG_INTERVAL",
        tracker.log_interval.max(1).to_string(),
        format!("{}: log_interval (steps)", nodes.tracker),
    );
    line(
        "SAVE_INTERVAL",
        tracker.save_interval.max(1).to_string(),
        format!("{}: save_interval (epochs between checkpoints)", nodes.tracker),
    );
    match tracker.early_stopping {
        Some(rule) => line(
            "EARLY_STOPPING",
            format!(
                "dict(monitor=\"{}\", patience={}, min_delta={})",
                rule.monitor.name(),
                rule.patience,
                float(rule.min_delta)
            ),
            format!("{}: monitor, patience, min_delta", nodes.tracker),
        ),
        None => line("EARLY_STOPPING", "None".to_owned(), format!("{}: patience 0, off", nodes.tracker)),
    }
    let dropout = plan
        .network
        .layers
        .iter()
        .any(|layer| matches!(layer, LayerSpec::Dropout { p } | LayerSpec::Dropout2d { p } if *p > 0.0));
    line("DROPOUT", boolean(dropout).to_owned(), format!("{}: whether it has dropout", nodes.network));
    out.trim_end().to_owned()
}

fn model(plan: &TrainingPlan, nodes: &PlanNodes) -> String {
    let mut layers = Vec::new();
    let mut width = plan.network.in_features();
    let mut shape = plan.network.in_shape.clone();
    for spec in &plan.network.layers {
        let channels = image_shape(&shape).map_or(0, |[channels, _, _]| channels);
        shape = spec.output_shape(&shape).unwrap_or(shape);
        layers.push(match *spec {
            LayerSpec::Linear { out_features } => format!("nn.Linear({width}, {out_features})"),
            LayerSpec::Relu => "nn.ReLU()".to_owned(),
            LayerSpec::LeakyRelu { negative_slope } => format!("nn.LeakyReLU({})", float(negative_slope)),
            LayerSpec::Tanh => "nn.Tanh()".to_owned(),
            LayerSpec::Sigmoid => "nn.Sigmoid()".to_owned(),
            LayerSpec::Gelu => "nn.GELU()".to_owned(),
            LayerSpec::Dropout { p } => format!("nn.Dropout({})", float(p)),
            LayerSpec::LayerNorm => format!("nn.LayerNorm({width})"),
            LayerSpec::BatchNorm { momentum } => {
                format!("nn.BatchNorm1d({width}, momentum={})", float(momentum))
            }
            LayerSpec::Flatten => "nn.Flatten()".to_owned(),
            LayerSpec::Elu { alpha } => format!("nn.ELU({})", float(alpha)),
            LayerSpec::Silu => "nn.SiLU()".to_owned(),
            LayerSpec::Mish => "nn.Mish()".to_owned(),
            LayerSpec::Softplus { beta } => format!("nn.Softplus({})", float(beta)),
            LayerSpec::Conv2d(conv) => format!(
                "nn.Conv2d({channels}, {}, {}, stride={}, padding={}, dilation={}, groups={}, bias={})",
                conv.out_channels,
                conv.kernel_size,
                conv.stride,
                conv.padding,
                conv.dilation,
                conv.groups,
                boolean(conv.bias)
            ),
            LayerSpec::MaxPool2d(pool) => {
                format!(
                    "nn.MaxPool2d({}, stride={}, padding={})",
                    pool.kernel_size, pool.stride, pool.padding
                )
            }
            LayerSpec::AvgPool2d(pool) => {
                format!(
                    "nn.AvgPool2d({}, stride={}, padding={})",
                    pool.kernel_size, pool.stride, pool.padding
                )
            }
            LayerSpec::BatchNorm2d { momentum } => {
                format!("nn.BatchNorm2d({channels}, momentum={})", float(momentum))
            }
            LayerSpec::Dropout2d { p } => format!("nn.Dropout2d({})", float(p)),
        });
        width = shape.iter().product();
    }
    let mut out = format!(
        "class Network(nn.Module):\n    \"\"\"{}: {}.\"\"\"\n\n    def __init__(self):\n        super().__init__()\n        self.layers = nn.Sequential(\n",
        nodes.network,
        plan.network.describe()
    );
    for layer in layers {
        let _ = writeln!(out, "            {layer},");
    }
    out.push_str("        )\n\n    def forward(self, x):\n        return self.layers(x)");
    out
}

fn reduction(reduction: Reduction) -> &'static str {
    match reduction {
        Reduction::Mean => "mean",
        Reduction::Sum => "sum",
        Reduction::Elementwise => "none",
    }
}

fn loss(plan: &TrainingPlan, nodes: &PlanNodes) -> String {
    let mut out = String::new();
    let mut body = String::new();
    let mut parts = Vec::new();
    let classes = plan.dataset.classes as i64;
    for (index, (term, node)) in plan.loss.terms.iter().zip(&nodes.loss_terms).enumerate() {
        let kind = match term.loss {
            LossKind::CrossEntropy(_) => "cross_entropy",
            LossKind::Mse(_) => "mse",
            LossKind::L1(_) => "l1",
        };
        let name = match plan.loss.terms.len() {
            1 => "loss".to_owned(),
            _ if plan
                .loss
                .terms
                .iter()
                .filter(|other| std::mem::discriminant(&other.loss) == std::mem::discriminant(&term.loss))
                .count()
                > 1 =>
            {
                format!("{kind}_{}", index + 1)
            }
            _ => kind.to_owned(),
        };
        let (call, divisor) = match &term.loss {
            LossKind::CrossEntropy(options) => cross_entropy(options, node.id.0, classes, &mut out),
            LossKind::Mse(r) => (
                format!("F.mse_loss(outputs, targets, reduction=\"{}\")", reduction(*r)),
                "targets.numel()".to_owned(),
            ),
            LossKind::L1(r) => (
                format!("F.l1_loss(outputs, targets, reduction=\"{}\")", reduction(*r)),
                "targets.numel()".to_owned(),
            ),
        };
        let value = match term.loss.reduction() {
            Reduction::Mean => format!("shard.part_of_mean({call}, {divisor})"),
            Reduction::Sum => call,
            Reduction::Elementwise => format!("{call}.sum()"),
        };
        let _ = writeln!(body, "    {name} = {value}  # {node}");
        let per_sample = if term.loss.reduction() == Reduction::Mean { " * rows" } else { "" };
        parts.push((term.weight, name, per_sample));
    }
    let weighted = |detach: bool| {
        parts
            .iter()
            .map(|(weight, name, per_sample)| {
                let value = if detach { format!("{name}.detach(){per_sample}") } else { name.clone() };
                if *weight == 1.0 && parts.len() == 1 {
                    value
                } else {
                    format!("{} * {value}", float(*weight))
                }
            })
            .collect::<Vec<_>>()
            .join(" + ")
    };
    let _ = write!(
        out,
        "def batch_loss(outputs, targets, shard):\n    \"\"\"The loss TrainingStep minimises for a batch ({}): this process's part of it, and its\n    sum over the batch's samples, for the epoch's mean per-sample loss.\"\"\"\n    rows = shard.total(len(targets))\n{body}",
        nodes.loss
    );
    if parts.len() == 1 {
        let _ = write!(out, "    return loss, {}", weighted(true));
    } else {
        let _ = write!(
            out,
            "    # {}: the weighted sum of its losses\n    loss = {}\n    return loss, {}",
            nodes.loss,
            weighted(false),
            weighted(true)
        );
    }
    out
}

/// A cross-entropy term's call and the divisor of its mean; class weights become a constant
/// in `out`.
fn cross_entropy(
    options: &CrossEntropyOptions,
    node: u32,
    classes: i64,
    out: &mut String,
) -> (String, String) {
    let ignorable = (0..classes).contains(&options.ignore_index);
    let mut call = format!(
        "F.cross_entropy(outputs, targets, reduction=\"{}\", label_smoothing={}, ignore_index={}",
        reduction(options.reduction),
        float(options.label_smoothing),
        options.ignore_index
    );
    let kept = if ignorable { format!("(targets != {})", options.ignore_index) } else { String::new() };
    let divisor = match &options.weight {
        Some(weight) => {
            let constant = format!("CLASS_WEIGHTS_{node}");
            let values: Vec<String> = weight.iter().map(|w| float(f64::from(*w))).collect();
            let _ = writeln!(
                out,
                "{constant} = torch.tensor([{}])  # CrossEntropyLoss #{node}: weight\n\n",
                values.join(", ")
            );
            let _ = write!(call, ", weight={constant}.to(outputs.device)");
            let weights = format!("{constant}.to(outputs.device)[targets]");
            if ignorable { format!("({weights} * {kept}).sum()") } else { format!("{weights}.sum()") }
        }
        None if ignorable => format!("{kept}.sum()"),
        None => "len(targets)".to_owned(),
    };
    call.push(')');
    (call, divisor)
}

fn optimizer(plan: &TrainingPlan, nodes: &PlanNodes) -> String {
    let node = nodes.optimizer;
    match plan.optimizer {
        OptimizerPlan::Sgd { learning_rate, momentum, weight_decay, nesterov } => {
            // PyTorch refuses Nesterov without momentum; Kindling then runs plain SGD.
            let nesterov = nesterov && momentum > 0.0;
            format!(
                "    \"\"\"{node}.\"\"\"\n    return torch.optim.SGD(parameters, lr={}, momentum={}, weight_decay={}, nesterov={})",
                float(learning_rate),
                float(momentum),
                float(weight_decay),
                boolean(nesterov)
            )
        }
        OptimizerPlan::Adam { learning_rate, beta1, beta2, epsilon, weight_decay } => format!(
            "    \"\"\"{node}: weight decay is L2, added to the gradient.\"\"\"\n    return torch.optim.Adam(parameters, lr={}, betas=({}, {}), eps={}, weight_decay={})",
            float(learning_rate),
            float(beta1),
            float(beta2),
            float(epsilon),
            float(weight_decay)
        ),
        OptimizerPlan::AdamW { learning_rate, beta1, beta2, epsilon, weight_decay } => format!(
            "    \"\"\"{node}: weight decay is decoupled.\"\"\"\n    return torch.optim.AdamW(parameters, lr={}, betas=({}, {}), eps={}, weight_decay={})",
            float(learning_rate),
            float(beta1),
            float(beta2),
            float(epsilon),
            float(weight_decay)
        ),
    }
}

/// The torch scheduler of `plan`, on `optimizer`.
fn torch_scheduler(plan: &SchedulerPlan) -> String {
    match *plan {
        SchedulerPlan::Step { step_size, gamma } => {
            format!(
                "torch.optim.lr_scheduler.StepLR(optimizer, step_size={step_size}, gamma={})",
                float(gamma)
            )
        }
        SchedulerPlan::CosineAnnealing { t_max, eta_min } => format!(
            "torch.optim.lr_scheduler.CosineAnnealingLR(optimizer, T_max={t_max}, eta_min={})",
            float(eta_min)
        ),
        SchedulerPlan::Linear { start_factor, end_factor, total_iters } => format!(
            "torch.optim.lr_scheduler.LinearLR(optimizer, start_factor={}, end_factor={}, total_iters={total_iters})",
            float(start_factor),
            float(end_factor)
        ),
        SchedulerPlan::Sequential { ref phases, ref milestones } => {
            let phases: Vec<String> =
                phases.iter().map(|phase| format!("\n            {},", torch_scheduler(phase))).collect();
            let milestones: Vec<String> = milestones.iter().map(usize::to_string).collect();
            format!(
                "torch.optim.lr_scheduler.SequentialLR(\n        optimizer,\n        schedulers=[{}\n        ],\n        milestones=[{}],\n    )",
                phases.concat(),
                milestones.join(", ")
            )
        }
        SchedulerPlan::ReduceOnPlateau {
            mode,
            factor,
            patience,
            threshold,
            threshold_mode,
            cooldown,
            min_lr,
        } => format!(
            "torch.optim.lr_scheduler.ReduceLROnPlateau(\n        optimizer, mode=\"{}\", factor={}, patience={patience}, threshold={}, threshold_mode=\"{}\", cooldown={cooldown}, min_lr={}\n    )",
            mode.name(),
            float(factor),
            float(threshold),
            threshold_mode.name(),
            float(min_lr)
        ),
    }
}

fn scheduler(plan: &TrainingPlan, nodes: &PlanNodes) -> String {
    let (Some(setup), Some(node)) = (&plan.scheduler, nodes.scheduler) else {
        return "    \"\"\"The graph has no learning-rate scheduler.\"\"\"\n    return None\n\n\ndef step_scheduler(scheduler, stats):\n    pass".to_owned();
    };
    let make = torch_scheduler(&setup.plan);
    let step = match setup.plan {
        SchedulerPlan::ReduceOnPlateau { .. } => format!(
            "scheduler.step(stats[\"{0}\"] if stats[\"{0}\"] is not None else stats[\"train_loss\"])",
            setup.monitor.name()
        ),
        _ => "scheduler.step()".to_owned(),
    };
    format!(
        "    \"\"\"{node}, stepped once per epoch.\"\"\"\n    return {make}\n\n\ndef step_scheduler(scheduler, stats):\n    \"\"\"Ends an epoch for {node}.\"\"\"\n    {step}"
    )
}

fn readme(name: &str, plan: &TrainingPlan, order_epochs: usize) -> String {
    format!(
        "# {title} — exported from Kindling as a PyTorch program\n\n\
         `train.py` trains the graph (`graph.json`) with PyTorch alone: `pip install torch`.\n\n\
         ```sh\n\
         python train.py                          # the graph's {epochs} epochs, one process\n\
         python train.py --epochs 3 --reproduce   # Kindling's initial weights and batch order\n\
         torchrun --nproc_per_node=4 train.py     # data-parallel (gloo on CPU, nccl with --device cuda)\n\
         python train.py --weights trained.safetensors --evaluate   # the metrics of saved weights\n\
         ```\n\n\
         Each epoch prints one JSON line on stdout (`epoch`, `train_loss`, `train_accuracy`, `val_loss`,\n\
         `val_accuracy`, `lr`, `seconds`), as `kindling-run` does; logs go to stderr. The trained weights\n\
         go to `trained.safetensors` (`--save-weights`), checkpoints to `checkpoints/` every save interval\n\
         (`--checkpoint-dir`).\n\n\
         ## Files\n\n\
         - `train.py` — the program; comments name the node each setting comes from.\n\
         - `data.csv` — the samples Kindling generated, after its DataSplit: split, features, target.\n\
         - `initial_weights.safetensors` — Kindling's initial weights, in PyTorch's names and layouts\n  \
           (`model.load_state_dict` takes them).\n\
         - `batch_order.csv` — the order Kindling visits the training samples, one line per epoch\n  \
           ({order_epochs} of {epochs} epochs).\n\
         - `graph.json` — the graph: open it in Kindling with Import.\n\n\
         ## Reproducing Kindling's numbers\n\n\
         `--reproduce` starts from Kindling's initial weights and replays its batch order, so the epoch\n\
         lines match `kindling-run`'s within float32 rounding. Under `torchrun`, every process takes every\n\
         N-th sample of the same batches, and each process's loss is weighted by its share of the batch,\n\
         so the averaged gradients equal the whole batch's. Dropout masks come from PyTorch's generator,\n\
         not Kindling's: with dropout, reproduced numbers match only with dropout off (p = 0) in both.\n",
        title = title(name),
        epochs = plan.tracker.epochs,
    )
}
