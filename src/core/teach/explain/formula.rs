//! Formulas with the current numbers plugged in: the optimizer's update with this run's
//! learning rate and a gradient it measured, a loss with its value, each layer of the
//! network with its sizes, a schedule's rate at this epoch.

use crate::core::model::catalogue::{AdamParams, NodeParams, SgdParams};
use crate::core::model::choices::Reduction;
use crate::core::model::graph::{Graph, Node};
use crate::core::model::params::{LayerSpec, image_shape};
use crate::core::report::epoch_stats::EpochStats;

use super::{Situation, shown};

/// One line of a formula: the rule, and the same rule with this run's numbers (empty when it
/// has none to show).
#[derive(Clone, Debug, PartialEq)]
pub struct FormulaLine {
    pub rule: String,
    pub numbers: String,
}

fn line(rule: impl Into<String>, numbers: impl Into<String>) -> FormulaLine {
    FormulaLine { rule: rule.into(), numbers: numbers.into() }
}

/// `node`'s formula, for an optimizer, a loss, a network or a schedule; empty for the rest.
pub fn of_node(node: &Node, situation: &Situation) -> Vec<FormulaLine> {
    let Ok(params) = NodeParams::read(node) else { return Vec::new() };
    let latest = situation.latest;
    let start_rate = initial_rate(situation.graph);
    let epochs = latest.map_or(0, |stats| stats.epoch);
    match params {
        NodeParams::SgdOptimizer(sgd) => sgd_update(&sgd, latest),
        NodeParams::AdamOptimizer(adam) => adam_update(&adam, false, latest),
        NodeParams::AdamWOptimizer(adam) => adam_update(&adam, true, latest),
        NodeParams::CrossEntropyLoss(loss) => {
            let mut lines = vec![line(
                text!("formula-cross-entropy"),
                loss_now(latest, loss.reduction).unwrap_or_default(),
            )];
            if let Some(stats) = latest.filter(|_| loss.reduction == Reduction::Mean) {
                lines.push(line(
                    text!("formula-cross-entropy-probability"),
                    format!("e^(−{}) = {}", shown(stats.train_loss), shown((-stats.train_loss).exp())),
                ));
            }
            if let Some(classes) = situation.plan.map(|plan| plan.network.out_features()).filter(|c| *c > 1) {
                lines.push(line(
                    text!("formula-cross-entropy-guess"),
                    format!("ln {classes} = {}", shown((classes as f64).ln())),
                ));
            }
            if loss.label_smoothing > 0.0 {
                lines.push(line(
                    text!("formula-label-smoothing"),
                    format!("ε = {}", shown(loss.label_smoothing)),
                ));
            }
            lines
        }
        NodeParams::MseLoss(loss) => {
            let mut lines =
                vec![line(text!("formula-mse"), loss_now(latest, loss.reduction).unwrap_or_default())];
            if let Some(stats) = latest.filter(|_| loss.reduction == Reduction::Mean) {
                lines.push(line(
                    text!("formula-mse-typical-error"),
                    format!("√{} = {}", shown(stats.train_loss), shown(stats.train_loss.max(0.0).sqrt())),
                ));
            }
            lines
        }
        NodeParams::L1Loss(loss) => {
            vec![line(text!("formula-l1"), loss_now(latest, loss.reduction).unwrap_or_default())]
        }
        NodeParams::CombineLoss(combine) => {
            let [a, b, c] = combine.weights();
            vec![line(
                "L = a·L₁ + b·L₂ + c·L₃",
                format!("L = {}·L₁ + {}·L₂ + {}·L₃", shown(a), shown(b), shown(c)),
            )]
        }
        NodeParams::Network(network) => network_layers(&network.layers, situation),
        NodeParams::StepLr(step) => {
            let Some(rate) = start_rate else { return Vec::new() };
            let steps = epochs / step.step_size.max(1);
            vec![line(
                text!("formula-step-lr"),
                format!(
                    "η({epochs}) = {}·{}^⌊{epochs}/{}⌋ = {}",
                    shown(rate),
                    shown(step.gamma),
                    step.step_size,
                    shown(rate * step.gamma.powi(steps as i32))
                ),
            )]
        }
        NodeParams::CosineAnnealingLr(cosine) => {
            let Some(rate) = start_rate else { return Vec::new() };
            let t_max = cosine.t_max.max(1);
            let at = epochs.min(t_max) as f64 / t_max as f64;
            let now =
                cosine.eta_min + (rate - cosine.eta_min) * (1.0 + (std::f64::consts::PI * at).cos()) / 2.0;
            vec![line(
                "η(e) = η_min + (η₀ − η_min)·(1 + cos(π·e / T))/2",
                format!(
                    "η({epochs}) = {} + ({} − {})·(1 + cos(π·{epochs}/{t_max}))/2 = {}",
                    shown(cosine.eta_min),
                    shown(rate),
                    shown(cosine.eta_min),
                    shown(now)
                ),
            )]
        }
        NodeParams::LinearLr(linear) => {
            let Some(rate) = start_rate else { return Vec::new() };
            let total = linear.total_iters.max(1);
            let factor = linear.start_factor
                + (linear.end_factor - linear.start_factor) * epochs.min(total) as f64 / total as f64;
            vec![line(
                text!("formula-linear-lr"),
                format!(
                    "η({epochs}) = {}·({} + ({} − {})·{}/{total}) = {}",
                    shown(rate),
                    shown(linear.start_factor),
                    shown(linear.end_factor),
                    shown(linear.start_factor),
                    epochs.min(total),
                    shown(rate * factor)
                ),
            )]
        }
        NodeParams::ReduceLrOnPlateau(plateau) => vec![line(
            text!("formula-plateau"),
            match latest {
                Some(stats) => format!(
                    "η = {} → max({}·{}, {}) = {}",
                    shown(stats.lr),
                    shown(stats.lr),
                    shown(plateau.factor),
                    shown(plateau.min_lr),
                    shown((stats.lr * plateau.factor).max(plateau.min_lr))
                ),
                None => format!("factor = {}, patience = {}", shown(plateau.factor), plateau.patience),
            },
        )],
        NodeParams::SequentialLr(sequential) => vec![line(
            text!("formula-sequential"),
            format!(
                "milestone = {}: {}",
                sequential.milestone,
                if epochs < sequential.milestone {
                    text!("formula-sequential-first")
                } else {
                    text!("formula-sequential-second")
                }
            ),
        )],
        _ => Vec::new(),
    }
}

/// The rate the first optimizer of `graph` starts from (what a schedule scales).
fn initial_rate(graph: &Graph) -> Option<f64> {
    graph.nodes().find_map(|node| match NodeParams::read(node).ok()? {
        NodeParams::SgdOptimizer(sgd) => Some(sgd.learning_rate),
        NodeParams::AdamOptimizer(adam) | NodeParams::AdamWOptimizer(adam) => Some(adam.learning_rate),
        _ => None,
    })
}

/// The loss the last epoch trained at, as `L = …` (and its validation loss).
fn loss_now(latest: Option<&EpochStats>, reduction: Reduction) -> Option<String> {
    let stats = latest?;
    let sum =
        if reduction == Reduction::Sum { format!(" {}", text!("formula-loss-sum")) } else { String::new() };
    Some(match stats.val_loss {
        Some(val) => text!(
            "formula-loss-now",
            train = shown(stats.train_loss),
            validation = shown(val),
            sum = sum.as_str()
        ),
        None => format!("L = {}{sum}", shown(stats.train_loss)),
    })
}

/// The rate the last epoch trained with, else the optimizer's own.
fn rate_now(set: f64, latest: Option<&EpochStats>) -> (f64, String) {
    match latest {
        Some(stats) => (stats.lr, text!("formula-rate-last-epoch")),
        None => (set, text!("formula-rate-optimizer")),
    }
}

fn sgd_update(sgd: &SgdParams, latest: Option<&EpochStats>) -> Vec<FormulaLine> {
    let (rate, whose) = rate_now(sgd.learning_rate, latest);
    let mut lines = Vec::new();
    if sgd.weight_decay > 0.0 {
        lines.push(line("g = ∇L + λ·w", format!("g = ∇L + {}·w", shown(sgd.weight_decay))));
    } else {
        lines.push(line(text!("formula-sgd-gradient"), ""));
    }
    if sgd.momentum > 0.0 {
        lines.push(line("v ← μ·v + g", format!("v ← {}·v + g", shown(sgd.momentum))));
        if sgd.nesterov {
            lines.push(line(
                "w ← w − η·(g + μ·v)",
                format!("w ← w − {}·(g + {}·v)  ({whose})", shown(rate), shown(sgd.momentum)),
            ));
        } else {
            lines.push(line("w ← w − η·v", format!("w ← w − {}·v  ({whose})", shown(rate))));
        }
    } else {
        lines.push(line("w ← w − η·g", format!("w ← w − {}·g  ({whose})", shown(rate))));
    }
    if let Some(stats) = latest {
        for (at, norms) in stats.layers.iter().enumerate() {
            let plain = sgd.momentum == 0.0 && sgd.weight_decay == 0.0;
            let (gradient, step, update) =
                (shown(norms.gradient), shown(rate * norms.gradient), shown(norms.update));
            lines.push(line(
                text!("formula-linear-update", layer = at + 1),
                if plain {
                    text!(
                        "formula-sgd-update",
                        gradient = gradient,
                        rate = shown(rate),
                        step = step,
                        update = update
                    )
                } else if sgd.momentum > 0.0 {
                    text!("formula-sgd-update-momentum", gradient = gradient, step = step, update = update)
                } else {
                    text!("formula-sgd-update-decay", gradient = gradient, step = step, update = update)
                },
            ));
        }
    }
    lines
}

fn adam_update(adam: &AdamParams, decoupled: bool, latest: Option<&EpochStats>) -> Vec<FormulaLine> {
    let (rate, whose) = rate_now(adam.learning_rate, latest);
    let mut lines = Vec::new();
    if decoupled && adam.weight_decay > 0.0 {
        lines.push(line(
            text!("formula-adam-decoupled-decay"),
            format!("w ← w·(1 − {}·{})", shown(rate), shown(adam.weight_decay)),
        ));
    }
    if !decoupled && adam.weight_decay > 0.0 {
        lines.push(line("g = ∇L + λ·w", format!("g = ∇L + {}·w", shown(adam.weight_decay))));
    }
    lines.push(line(
        "m ← β₁·m + (1 − β₁)·g",
        format!("m ← {}·m + {}·g", shown(adam.beta1), shown(1.0 - adam.beta1)),
    ));
    lines.push(line(
        "v ← β₂·v + (1 − β₂)·g²",
        format!("v ← {}·v + {}·g²", shown(adam.beta2), shown(1.0 - adam.beta2)),
    ));
    lines.push(line(text!("formula-adam-bias-correction"), ""));
    lines.push(line(
        "w ← w − η·m̂/(√v̂ + ε)",
        format!("w ← w − {}·m̂/(√v̂ + {})  ({whose})", shown(rate), shown(adam.epsilon)),
    ));
    if let Some(stats) = latest {
        for (at, norms) in stats.layers.iter().enumerate() {
            lines.push(line(
                text!("formula-linear-update", layer = at + 1),
                text!("formula-adam-update", gradient = shown(norms.gradient), update = shown(norms.update)),
            ));
        }
    }
    lines
}

/// Each layer of a network, with its sizes where the graph compiles and its norms where a
/// run measured them; then the parameters in all.
fn network_layers(layers: &[LayerSpec], situation: &Situation) -> Vec<FormulaLine> {
    let network = situation.plan.map(|plan| &plan.network).filter(|network| network.layers == layers);
    let mut shape: Option<Vec<usize>> = network.map(|network| network.in_shape.clone());
    let norms = situation.latest.map(|stats| stats.layers.as_slice()).unwrap_or_default();
    let mut linear = 0;
    let mut parameters = 0;
    let mut lines = Vec::new();
    for layer in layers {
        let input = shape.clone();
        shape = shape.and_then(|shape| layer.output_shape(&shape).ok());
        let features =
            |shape: &Option<Vec<usize>>| shape.as_ref().map(|shape| shape.iter().product::<usize>());
        let (rule, mut numbers) = match *layer {
            LayerSpec::Linear { out_features } => {
                let numbers = match features(&input) {
                    Some(inputs) => {
                        let count = out_features * inputs + out_features;
                        parameters += count;
                        text!("formula-linear-sizes", outputs = out_features, inputs = inputs, count = count)
                    }
                    None => text!("formula-linear-outputs", count = out_features),
                };
                ("Linear: y = W·x + b".to_owned(), numbers)
            }
            LayerSpec::Relu => ("ReLU: y = max(0, x)".to_owned(), String::new()),
            LayerSpec::LeakyRelu { negative_slope } => {
                (text!("formula-leaky-relu"), format!("slope = {}", shown(negative_slope)))
            }
            LayerSpec::Tanh => ("Tanh: y = (eˣ − e⁻ˣ)/(eˣ + e⁻ˣ)".to_owned(), String::new()),
            LayerSpec::Sigmoid => ("Sigmoid: y = 1/(1 + e⁻ˣ)".to_owned(), String::new()),
            LayerSpec::Gelu => (text!("formula-gelu"), String::new()),
            LayerSpec::Elu { alpha } => (text!("formula-elu"), format!("α = {}", shown(alpha))),
            LayerSpec::Silu => ("SiLU: y = x·σ(x)".to_owned(), String::new()),
            LayerSpec::Mish => ("Mish: y = x·tanh(ln(1 + eˣ))".to_owned(), String::new()),
            LayerSpec::Softplus { beta } => {
                ("Softplus: y = ln(1 + e^(β·x))/β".to_owned(), format!("β = {}", shown(beta)))
            }
            LayerSpec::Dropout { p } => (
                text!("formula-dropout"),
                text!("formula-dropout-kept", p = shown(p), scale = shown(1.0 / (1.0 - p).max(f64::EPSILON))),
            ),
            LayerSpec::LayerNorm => {
                if let Some(inputs) = features(&input) {
                    parameters += 2 * inputs;
                }
                (text!("formula-layer-norm"), String::new())
            }
            LayerSpec::BatchNorm { momentum } => {
                if let Some(inputs) = features(&input) {
                    parameters += 2 * inputs;
                }
                (text!("formula-batch-norm"), text!("formula-batch-norm-running", momentum = shown(momentum)))
            }
            LayerSpec::Flatten => (text!("formula-flatten"), String::new()),
            LayerSpec::Conv2d(conv) => {
                let numbers = match input.as_deref().and_then(image_shape) {
                    Some([channels, _, _]) => {
                        let seen = channels / conv.groups.max(1);
                        let count = conv.out_channels * seen * conv.kernel_size * conv.kernel_size
                            + if conv.bias { conv.out_channels } else { 0 };
                        parameters += count;
                        text!(
                            "formula-conv2d-sizes",
                            kernels = conv.out_channels,
                            channels = seen,
                            kernel = conv.kernel_size,
                            bias = if conv.bias { "yes" } else { "no" },
                            count = count,
                        )
                    }
                    None => text!("formula-linear-outputs", count = conv.out_channels),
                };
                (text!("formula-conv2d"), numbers)
            }
            LayerSpec::MaxPool2d(pool) | LayerSpec::AvgPool2d(pool) => (
                if matches!(layer, LayerSpec::MaxPool2d(_)) {
                    text!("formula-max-pool")
                } else {
                    text!("formula-avg-pool")
                },
                text!(
                    "formula-window",
                    kernel = pool.kernel_size,
                    stride = pool.stride,
                    padding = pool.padding
                ),
            ),
            LayerSpec::BatchNorm2d { momentum } => {
                if let Some([channels, _, _]) = input.as_deref().and_then(image_shape) {
                    parameters += 2 * channels;
                }
                (
                    text!("formula-batch-norm-2d"),
                    text!("formula-batch-norm-running", momentum = shown(momentum)),
                )
            }
            LayerSpec::Dropout2d { p } => (
                text!("formula-dropout-2d"),
                text!("formula-dropout-kept", p = shown(p), scale = shown(1.0 / (1.0 - p).max(f64::EPSILON))),
            ),
        };
        if let LayerSpec::Linear { .. } = layer {
            if let Some(measured) = norms.get(linear) {
                numbers.push_str(&format!(
                    "; ‖W‖ = {}, ‖∇W‖ = {}",
                    shown(measured.weight),
                    shown(measured.gradient)
                ));
            }
            linear += 1;
        }
        if let (Some(from), Some(to)) = (&input, &shape)
            && from != to
        {
            numbers = if numbers.is_empty() {
                format!("{from:?} → {to:?}")
            } else {
                format!("{from:?} → {to:?}: {numbers}")
            };
        }
        lines.push(line(rule, numbers));
    }
    if network.is_some() && parameters > 0 {
        lines.push(line(text!("formula-parameters"), parameters.to_string()));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::compile::compiler::compile;
    use crate::core::model::catalogue::NodeKind;
    use crate::core::model::params::{Conv2dSpec, ParamValue, Pool2dSpec};
    use crate::core::model::templates::digits;

    /// A CNN's layers, each with its shapes and what it learns: the kernels of a Conv2d (its
    /// input channels per group inferred), a pool's window, a BatchNorm2d's per channel.
    #[test]
    fn a_cnn_explains_its_kernels_windows_and_parameters() {
        let mut graph = digits();
        let network = graph.nodes_of(NodeKind::Network).next().unwrap().id;
        let layers = vec![
            LayerSpec::Conv2d(Conv2dSpec { padding: 1, ..Conv2dSpec::new(4, 3) }),
            LayerSpec::BatchNorm2d { momentum: 0.1 },
            LayerSpec::Relu,
            LayerSpec::MaxPool2d(Pool2dSpec::new(2)),
            LayerSpec::Conv2d(Conv2dSpec { groups: 2, bias: false, ..Conv2dSpec::new(2, 3) }),
            LayerSpec::Flatten,
            LayerSpec::Linear { out_features: 10 },
        ];
        graph.set_param(network, "layers", ParamValue::Layers(layers)).unwrap();
        let plan = compile(&graph).expect("compiles");
        let situation = Situation { graph: &graph, plan: Some(&plan), latest: None };
        let lines = of_node(graph.node(network).unwrap(), &situation);
        let numbers: Vec<&str> = lines.iter().map(|line| line.numbers.as_str()).collect();
        assert_eq!(numbers[0], "[1, 8, 8] → [4, 8, 8]: 4 kernels of 1×3×3, b: 4 — 40 parameters");
        assert!(lines[1].rule.starts_with("BatchNorm2d"), "{:?}", lines[1]);
        assert_eq!(numbers[3], "[4, 8, 8] → [4, 4, 4]: kernel_size = 2, stride = 2, padding = 0");
        assert_eq!(numbers[4], "[4, 4, 4] → [2, 2, 2]: 2 kernels of 2×3×3 — 36 parameters");
        // 40 + 8 (γ, β of 4 channels) + 36 + 8·10 + 10.
        assert_eq!(lines.last().unwrap().numbers, "174");
    }
}
