//! Diagnoses of a run from what it has reported — each with its evidence in numbers and one
//! change to try, which the page applies as one undo step. Beside divergence (which pauses
//! the run: `engine::run`), five things learners meet and do not always see:
//!
//! | diagnosis | when | the change offered |
//! |---|---|---|
//! | `plateau` | the training loss fell less than 1% over the last 8 epochs, and less than half since the first | a learning rate 3× larger |
//! | `overfitting` | the validation loss has risen 10% above its lowest, 3+ epochs ago, while the training loss fell | weight decay (0.01, or 10× more) |
//! | `underfitting` | after 20 epochs the accuracy is within a quarter of chance | a hidden layer; a ReLU between linear layers that have none; or hidden layers twice as wide |
//! | `dead-units` | half or more of a ReLU layer's units are zero on every sample | LeakyReLU(0.01) for ReLU |
//! | `gradients` | from the output back to the first layer the gradient's norm shrinks 1000× (vanishing) or grows 1000× (exploding) | ReLU for Sigmoid and Tanh; else clipping at 1 |
//!
//! Pure arithmetic on the epochs' stats and the views' activation statistics, so a native
//! test provokes each on a real run, and checks that the default graph provokes none.

use crate::core::model::catalogue::{MAX_LAYER_WIDTH, NodeKind};
use crate::core::model::choice::choices;
use crate::core::model::graph::Graph;
use crate::core::model::node_id::NodeId;
use crate::core::model::number_text;
use crate::core::model::params::{LayerSpec, ParamValue};
use crate::core::report::epoch_stats::EpochStats;
use crate::core::report::layer_stats::LayerActivity;
use crate::core::teach::network::network_layers;

/// Epochs the plateau looks back over, and the least it must fall over them, relative; and
/// the share of the first epoch's loss below which a run has got somewhere (a flat loss
/// there is the data's noise, or done, not a stuck run).
pub const PLATEAU_EPOCHS: usize = 8;
pub const PLATEAU_FALL: f64 = 0.01;
pub const PLATEAU_PROGRESS: f64 = 0.5;
/// Above its lowest, relative, the validation loss must be, and epochs since the lowest.
pub const OVERFIT_RISE: f64 = 0.10;
pub const OVERFIT_EPOCHS: usize = 3;
/// Epochs before underfitting is said, and how close to chance (as a share of the way from
/// chance to perfect) the accuracy must be.
pub const UNDERFIT_EPOCHS: usize = 20;
pub const UNDERFIT_SHARE: f64 = 0.25;
/// The share of a layer's ReLU units dead that is worth a notice.
pub const DEAD_SHARE: f64 = 0.5;
/// The ratio of gradient norms from the output layer to the first that is worth a notice.
pub const GRADIENT_RATIO: f64 = 1000.0;

choices! {
    /// What a notice is about (its `data-notice`).
    pub enum Diagnosis {
        Plateau => "plateau",
        Overfitting => "overfitting",
        Underfitting => "underfitting",
        DeadUnits => "dead-units",
        Gradients => "gradients",
    }
}

impl Diagnosis {
    /// The diagnosis a goal names: as `data-notice` writes it, or with `_` for `-`.
    pub fn from_goal_name(name: &str) -> Option<Self> {
        Self::from_name(&name.replace('_', "-"))
    }
}

/// One diagnosis of a run: what it is, the numbers that show it, and a change to try.
#[derive(Clone, Debug, PartialEq)]
pub struct Notice {
    pub diagnosis: Diagnosis,
    /// A short title, e.g. "The loss has stopped falling".
    pub title: String,
    /// The evidence, in numbers from the run.
    pub evidence: String,
    pub suggestion: Option<Suggestion>,
}

/// A change to the graph: one parameter of one node, with what it does in words.
#[derive(Clone, Debug, PartialEq)]
pub struct Suggestion {
    pub node: NodeId,
    pub param: &'static str,
    pub value: ParamValue,
    /// What the button says it does, e.g. "Set SGDOptimizer's learning_rate to 0.3".
    pub text: String,
}

/// What the run shows: its epochs, and the activation statistics of its latest views.
pub struct RunEvidence<'a> {
    pub graph: &'a Graph,
    pub epochs: &'a [EpochStats],
    pub activity: &'a [LayerActivity],
}

/// Every diagnosis `evidence` supports, in the order of [`Diagnosis::ALL`].
pub fn diagnose(evidence: &RunEvidence) -> Vec<Notice> {
    // A network that can only draw straight lines, underfitting, has not stalled for want of a
    // larger step: the plateau's advice would mislead.
    let underfitting = underfitting(evidence);
    let plateau =
        plateau(evidence).filter(|_| !(underfitting.is_some() && straight(&network_layers(evidence.graph))));
    [plateau, overfitting(evidence), underfitting, dead_units(evidence), gradients(evidence)]
        .into_iter()
        .flatten()
        .collect()
}

/// Whether `layers` can only draw straight boundaries: one linear layer, or linear layers with
/// nothing between them.
fn straight(layers: &[LayerSpec]) -> bool {
    layers.iter().all(|layer| matches!(layer, LayerSpec::Linear { .. } | LayerSpec::Flatten))
}

fn optimizer(graph: &Graph) -> Option<(NodeId, NodeKind)> {
    NodeKind::OPTIMIZERS
        .iter()
        .find_map(|kind| graph.nodes_of(*kind).map(|node| (node.id, *kind)).min_by_key(|(id, _)| *id))
}

fn set_param(node: NodeId, kind: NodeKind, param: &'static str, value: f64) -> Suggestion {
    Suggestion {
        node,
        param,
        value: ParamValue::Float(value),
        text: text!(
            "diagnosis-set-param",
            kind = kind.to_string(),
            param = param,
            value = number_text::short(value)
        ),
    }
}

fn network_change(graph: &Graph, layers: Vec<LayerSpec>, text: String) -> Option<Suggestion> {
    let network = graph.nodes_of(NodeKind::Network).map(|node| node.id).min()?;
    Some(Suggestion { node: network, param: "layers", value: ParamValue::Layers(layers), text })
}

fn plateau(evidence: &RunEvidence) -> Option<Notice> {
    let epochs = evidence.epochs;
    if epochs.len() <= PLATEAU_EPOCHS {
        return None;
    }
    let last = epochs.last()?;
    let before = &epochs[epochs.len() - 1 - PLATEAU_EPOCHS];
    let first = epochs.first()?;
    let fall = (before.train_loss - last.train_loss) / before.train_loss.abs().max(f64::MIN_POSITIVE);
    // Somewhere, not stuck: the training set (nearly) all right, or the loss well below where
    // it began.
    let done = last.train_accuracy.is_some_and(|accuracy| accuracy >= 0.98)
        || last.train_loss <= first.train_loss.abs() * PLATEAU_PROGRESS;
    if fall.is_nan() || fall >= PLATEAU_FALL || done || !last.train_loss.is_finite() {
        return None;
    }
    let (node, kind) = optimizer(evidence.graph)?;
    let lr = evidence.graph.node(node)?.param("learning_rate")?.as_f64()?;
    let scheduled = last.lr < lr * 0.1;
    // A sentence of its own after the first, or nothing.
    let advice = if scheduled {
        let advice = text!(
            "diagnosis-plateau-scheduled",
            now = number_text::short(last.lr),
            set = number_text::short(lr)
        );
        format!(" {advice}")
    } else {
        String::new()
    };
    Some(Notice {
        diagnosis: Diagnosis::Plateau,
        title: text!("diagnosis-plateau-title"),
        evidence: text!(
            "diagnosis-plateau-evidence",
            before = number_text::short(before.train_loss),
            now = number_text::short(last.train_loss),
            epochs = PLATEAU_EPOCHS,
            change = format!("{:+.2}", -100.0 * fall),
            first = number_text::short(first.train_loss),
            advice = advice,
        ),
        suggestion: Some(set_param(node, kind, "learning_rate", number_text::rounded(lr * 3.0))),
    })
}

fn overfitting(evidence: &RunEvidence) -> Option<Notice> {
    let epochs = evidence.epochs;
    let last = epochs.last()?;
    let (lowest_at, lowest) = epochs
        .iter()
        .enumerate()
        .filter_map(|(at, epoch)| Some((at, epoch.val_loss?)))
        .min_by(|a, b| a.1.total_cmp(&b.1))?;
    let now = last.val_loss?;
    let since = epochs.len() - 1 - lowest_at;
    let train_then = epochs[lowest_at].train_loss;
    if since < OVERFIT_EPOCHS || now < lowest * (1.0 + OVERFIT_RISE) || last.train_loss >= train_then {
        return None;
    }
    let (node, kind) = optimizer(evidence.graph)?;
    let decay = evidence.graph.node(node)?.param("weight_decay")?.as_f64().unwrap_or(0.0);
    let value = if decay > 0.0 { number_text::rounded(decay * 10.0) } else { 0.01 };
    Some(Notice {
        diagnosis: Diagnosis::Overfitting,
        title: text!("diagnosis-overfitting-title"),
        evidence: text!(
            "diagnosis-overfitting-evidence",
            epoch = epochs[lowest_at].epoch,
            lowest = number_text::short(lowest),
            now = number_text::short(now),
            train_then = number_text::short(train_then),
            train_now = number_text::short(last.train_loss),
            gap = number_text::short(now - last.train_loss),
        ),
        suggestion: Some(set_param(node, kind, "weight_decay", value)),
    })
}

fn underfitting(evidence: &RunEvidence) -> Option<Notice> {
    let last = evidence.epochs.last()?;
    let accuracy = last.val_accuracy.or(last.train_accuracy)?;
    let layers = network_layers(evidence.graph);
    let classes = layers.iter().rev().find_map(|layer| match layer {
        LayerSpec::Linear { out_features } => Some(*out_features),
        _ => None,
    })?;
    if last.epoch < UNDERFIT_EPOCHS || classes < 2 {
        return None;
    }
    let chance = 1.0 / classes as f64;
    if accuracy > chance + (1.0 - chance) * UNDERFIT_SHARE {
        return None;
    }
    let linears = layers.iter().filter(|layer| matches!(layer, LayerSpec::Linear { .. })).count();
    let (changed, what) = if linears <= 1 {
        // A hidden layer just before the last Linear: after whatever flattens or convolves an
        // image, where a Linear can take its input.
        let units = 8;
        let at = layers.iter().rposition(|layer| matches!(layer, LayerSpec::Linear { .. })).unwrap_or(0);
        let mut changed = layers.clone();
        changed.splice(at..at, [LayerSpec::Linear { out_features: units }, LayerSpec::Relu]);
        (changed, text!("diagnosis-underfitting-add-layer", units = units))
    } else if straight(&layers) {
        // Linear layers stacked with nothing between them are one linear layer.
        let mut seen = 0;
        let mut changed = Vec::new();
        for layer in &layers {
            changed.push(*layer);
            if matches!(layer, LayerSpec::Linear { .. }) {
                seen += 1;
                if seen < linears {
                    changed.push(LayerSpec::Relu);
                }
            }
        }
        (changed, text!("diagnosis-underfitting-add-relu"))
    } else {
        let mut seen = 0;
        let changed = layers
            .iter()
            .map(|layer| match layer {
                LayerSpec::Linear { out_features } => {
                    seen += 1;
                    match seen < linears {
                        true => LayerSpec::Linear { out_features: (out_features * 2).min(MAX_LAYER_WIDTH) },
                        false => *layer,
                    }
                }
                other => *other,
            })
            .collect();
        (changed, text!("diagnosis-underfitting-widen"))
    };
    Some(Notice {
        diagnosis: Diagnosis::Underfitting,
        title: text!("diagnosis-underfitting-title"),
        evidence: text!(
            "diagnosis-underfitting-evidence",
            epochs = last.epoch,
            accuracy = format!("{:.0}", 100.0 * accuracy),
            classes = classes,
            chance = format!("{:.0}", 100.0 * chance),
        ),
        suggestion: network_change(evidence.graph, changed, what),
    })
}

fn dead_units(evidence: &RunEvidence) -> Option<Notice> {
    let worst = evidence
        .activity
        .iter()
        .filter_map(|layer| Some((layer, layer.dead? as f64 / layer.units.max(1) as f64)))
        .filter(|(_, share)| *share >= DEAD_SHARE)
        .max_by(|a, b| a.1.total_cmp(&b.1))?;
    if evidence.epochs.is_empty() {
        return None;
    }
    let (layer, _) = worst;
    let layers = network_layers(evidence.graph);
    let changed: Vec<LayerSpec> = layers
        .iter()
        .map(|layer| match layer {
            LayerSpec::Relu => LayerSpec::LeakyRelu { negative_slope: 0.01 },
            other => *other,
        })
        .collect();
    Some(Notice {
        diagnosis: Diagnosis::DeadUnits,
        title: text!("diagnosis-dead-units-title"),
        evidence: text!(
            "diagnosis-dead-units-evidence",
            dead = layer.dead.unwrap_or(0),
            units = layer.units,
            layer = layer.linear,
        ),
        suggestion: network_change(evidence.graph, changed, text!("diagnosis-dead-units-leaky-relu")),
    })
}

fn gradients(evidence: &RunEvidence) -> Option<Notice> {
    let norms = &evidence.epochs.last()?.layers;
    let (first, output) = (norms.first()?.gradient, norms.last()?.gradient);
    if norms.len() < 2 || !(first.is_finite() && output.is_finite()) || output <= 0.0 {
        return None;
    }
    let ratio = first / output;
    let vanishing = ratio <= 1.0 / GRADIENT_RATIO;
    if !(vanishing || ratio >= GRADIENT_RATIO) {
        return None;
    }
    let layers = network_layers(evidence.graph);
    let saturating = layers.iter().any(|layer| matches!(layer, LayerSpec::Sigmoid | LayerSpec::Tanh));
    let suggestion = if vanishing && saturating {
        let changed = layers
            .iter()
            .map(|layer| match layer {
                LayerSpec::Sigmoid | LayerSpec::Tanh => LayerSpec::Relu,
                other => *other,
            })
            .collect();
        network_change(evidence.graph, changed, text!("diagnosis-gradients-relu"))
    } else {
        let step = evidence.graph.nodes_of(NodeKind::TrainingStep).map(|node| node.id).min()?;
        Some(set_param(step, NodeKind::TrainingStep, "gradient_clip", 1.0))
    };
    let first = number_text::short(first);
    let output = number_text::short(output);
    let (title, evidence) = match vanishing {
        true => (
            text!("diagnosis-vanishing-title"),
            text!(
                "diagnosis-vanishing-evidence",
                first = first,
                output = output,
                ratio = number_text::short(number_text::rounded(1.0 / ratio))
            ),
        ),
        false => (
            text!("diagnosis-exploding-title"),
            text!(
                "diagnosis-exploding-evidence",
                first = first,
                output = output,
                ratio = number_text::short(number_text::rounded(ratio))
            ),
        ),
    };
    Some(Notice { diagnosis: Diagnosis::Gradients, title, evidence, suggestion })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::layer_text::layers_text;
    use crate::core::model::params::{Conv2dSpec, Pool2dSpec};
    use crate::core::model::templates::digits;

    /// A CNN with one Linear that guesses: the hidden layer offered goes after the Flatten,
    /// where a Linear takes the feature maps, not before the convolution.
    #[test]
    fn an_underfitting_cnn_is_offered_a_hidden_layer_after_its_flatten() {
        let mut graph = digits();
        let network = graph.nodes_of(NodeKind::Network).next().unwrap().id;
        let layers = vec![
            LayerSpec::Conv2d(Conv2dSpec::new(4, 3)),
            LayerSpec::Relu,
            LayerSpec::MaxPool2d(Pool2dSpec::new(2)),
            LayerSpec::Flatten,
            LayerSpec::Linear { out_features: 10 },
        ];
        graph.set_param(network, "layers", ParamValue::Layers(layers)).unwrap();
        let epoch = EpochStats {
            epoch: UNDERFIT_EPOCHS,
            train_loss: 2.3,
            train_accuracy: Some(0.1),
            val_loss: Some(2.3),
            val_accuracy: Some(0.1),
            per_class_accuracy: Vec::new(),
            class_metrics: None,
            lr: 0.001,
            layers: Vec::new(),
        };
        let epochs = [epoch];
        let notices = diagnose(&RunEvidence { graph: &graph, epochs: &epochs, activity: &[] });
        let notice =
            notices.iter().find(|notice| notice.diagnosis == Diagnosis::Underfitting).expect("underfits");
        let Some(ParamValue::Layers(changed)) =
            notice.suggestion.as_ref().map(|suggestion| &suggestion.value)
        else {
            panic!("a change of layers")
        };
        assert_eq!(
            layers_text(changed),
            "Conv2d(4, 3), ReLU, MaxPool2d(2), Flatten, Linear(8), ReLU, Linear(10)"
        );
    }
}
