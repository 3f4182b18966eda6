//! What the page can hold: budgets on a network's parameters, on the activations of a batch,
//! and on the views' evaluation, so that a graph within the editor's limits (`limits`) cannot
//! exhaust the browser's memory when it trains.
//!
//! Every count in `limits` is modest on its own, yet together they allow a Network of 1024
//! `Linear(4096)` layers: 17 billion parameters from a link a few hundred bytes long. The
//! compiler refuses a graph past any budget here (so nothing trains it), and a graph from
//! outside — a link, a file, a paste, `kindling-run` — is refused on entry, with a sentence
//! naming the node and the figure.
//!
//! The figures are estimates from the graph alone, before anything is allocated: what one
//! sample costs through the network's layers, times the batch sizes that feed it.

use crate::core::compile::compile_error::CompileError;
use crate::core::compile::plan::NetworkPlan;
use crate::core::compile::shapes::{PortShape, infer_shapes};
use crate::core::model::catalogue::NodeKind;
use crate::core::model::catalogue::{BatchSamplerParams, NetworkParams, RunEpochParams};
use crate::core::model::graph::{Graph, Node};
use crate::core::model::node_id::NodeId;
use crate::core::model::number_text::thousands;
use crate::core::model::params::{LayerSpec, image_shape};
use crate::core::model::ports;

/// Bytes per value: the engine trains in float32.
const VALUE_BYTES: u64 = 4;

/// What a graph may cost.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Budget {
    /// Trainable values of one Network. Each takes 16 bytes while training with Adam
    /// (the value, its gradient and two moments).
    pub parameters: u64,
    /// Bytes of one batch's activations: a training batch's, kept for the backward pass
    /// (and as much again for their gradients), or a validation batch's.
    pub activation_bytes: u64,
    /// Bytes the views hold while evaluating: the outputs over the decision-boundary grid,
    /// and one piece of evaluation.
    pub evaluation_bytes: u64,
}

impl Budget {
    /// What the page allows: well inside the 4 GiB a wasm32 module can address, with room
    /// left for the data, the optimizer's state and the browser's own copies on upload.
    pub const PAGE: Budget = Budget {
        parameters: 10_000_000,
        activation_bytes: 512 * 1024 * 1024,
        evaluation_bytes: 256 * 1024 * 1024,
    };
}

/// A graph past a budget: the node, and a sentence with the figure and what to change.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{}", text!(
    "compile-node-problem",
    kind = .kind.to_string(),
    node = .node.to_string(),
    problem = .problem.as_str(),
))]
pub struct OverBudget {
    pub node: NodeId,
    pub kind: NodeKind,
    pub problem: String,
}

/// What one sample costs through a network.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NetworkCost {
    /// Trainable values.
    pub parameters: u64,
    /// Values kept beside them that training updates without gradients: a BatchNorm1d's or
    /// BatchNorm2d's running mean and variance and its count of batches.
    pub buffers: u64,
    /// Values one sample's training pass keeps for the backward pass: its input and every
    /// layer's output.
    pub activations_per_sample: u64,
    /// Values of one sample's widest point: its input or a layer's output. A pass without
    /// gradients holds about two such at a time (a layer's input and output).
    pub widest: u64,
    /// Values one sample's output holds.
    pub out_features: u64,
    /// Floating-point operations of one sample's forward pass.
    pub flop_per_sample: u64,
}

impl NetworkCost {
    /// The cost of `network`, as far as its layers can take their inputs (a layer that
    /// cannot is a shape error elsewhere; the layers before it still count).
    pub fn of(network: &NetworkPlan) -> Self {
        let count = |shape: &[usize]| shape.iter().map(|&dim| dim as u64).product::<u64>();
        let mut shape = network.in_shape.clone();
        let mut parameters = 0u64;
        let mut buffers = 0u64;
        let mut activations = count(&shape);
        let mut widest = activations;
        let mut counted = Vec::new();
        for layer in &network.layers {
            let Ok(out) = layer.output_shape(&shape) else { break };
            let (inputs, outputs) = (count(&shape), count(&out));
            let channels = image_shape(&shape).map_or(0, |[channels, _, _]| channels as u64);
            parameters = parameters.saturating_add(match layer {
                LayerSpec::Linear { .. } => inputs.saturating_mul(outputs).saturating_add(outputs),
                LayerSpec::LayerNorm | LayerSpec::BatchNorm { .. } => 2 * outputs,
                LayerSpec::BatchNorm2d { .. } => 2 * channels,
                LayerSpec::Conv2d(conv) => {
                    let (out, k) = (conv.out_channels as u64, conv.kernel_size as u64);
                    let weights =
                        out.saturating_mul(channels / conv.groups.max(1) as u64).saturating_mul(k * k);
                    weights.saturating_add(if conv.bias { out } else { 0 })
                }
                _ => 0,
            });
            match layer {
                LayerSpec::BatchNorm { .. } => buffers = buffers.saturating_add(2 * outputs + 1),
                LayerSpec::BatchNorm2d { .. } => buffers = buffers.saturating_add(2 * channels + 1),
                _ => {}
            }
            activations = activations.saturating_add(outputs);
            widest = widest.max(outputs);
            counted.push(*layer);
            shape = out;
        }
        let counted = NetworkPlan { in_shape: network.in_shape.clone(), layers: counted };
        Self {
            parameters,
            buffers,
            activations_per_sample: activations,
            widest,
            out_features: count(&shape),
            flop_per_sample: flop_per_row(&counted) as u64,
        }
    }

    /// Bytes of the activations of a batch of `batch` samples: when `training`, every
    /// layer's (kept for the backward pass) and as much again for their gradients; else a
    /// layer's input and output at a time.
    pub fn batch_bytes(&self, batch: usize, training: bool) -> u64 {
        let values = if training { self.activations_per_sample } else { self.widest }.saturating_mul(2);
        (batch as u64).saturating_mul(values).saturating_mul(VALUE_BYTES)
    }

    /// Bytes the views hold while evaluating: the outputs over the decision-boundary grid,
    /// and one piece's activations (`core::view_refresh` cuts evaluation into pieces of at
    /// most [`PIECE_FLOP`], and at least one row).
    pub fn evaluation_bytes(&self) -> u64 {
        let rows_per_piece = (PIECE_FLOP as u64 / self.flop_per_sample.max(1)).max(1);
        let grid = ((FIELD_RESOLUTION * FIELD_RESOLUTION) as u64).saturating_mul(self.out_features);
        rows_per_piece
            .saturating_mul(self.widest.saturating_mul(2))
            .saturating_add(grid)
            .saturating_mul(VALUE_BYTES)
    }
}

/// Checks every Network of `graph` against the page's budget.
///
/// # Errors
/// The first Network past it, with the figure.
pub fn check(graph: &Graph) -> Result<(), OverBudget> {
    check_within(graph, &Budget::PAGE)
}

/// Checks every Network of `graph` against `budget`: its parameters; the activations of the
/// training batches that feed it and of the validation batches a RunEpoch runs through it;
/// the views' evaluation. Works on any graph: where a Network's input is not known yet (no
/// wire), one feature per sample and a batch of one are assumed, so the figure is a floor.
///
/// # Errors
/// The first Network past `budget`, with the figure.
pub fn check_within(graph: &Graph, budget: &Budget) -> Result<(), OverBudget> {
    let networks: Vec<&Node> = graph.nodes_of(NodeKind::Network).collect();
    if networks.is_empty() {
        return Ok(());
    }
    let shapes = infer_shapes(graph);
    for node in networks {
        let Ok(NetworkParams { layers }) = NetworkParams::read(node) else { continue };
        let arriving = graph.input(node.id, ports::NETWORK_INPUT.name()).and_then(|port| shapes.input(port));
        let (batch, in_shape) = match arriving {
            Some(PortShape::Tensor(dims)) if !dims.is_empty() => (dims[0], dims[1..].to_vec()),
            _ => (1, vec![1]),
        };
        let cost = NetworkCost::of(&NetworkPlan { in_shape, layers });
        let over = |problem: String| Err(OverBudget { node: node.id, kind: node.kind, problem });
        if cost.parameters > budget.parameters {
            return over(text!(
                "compile-over-parameters",
                parameters = thousands(cost.parameters),
                room = thousands(budget.parameters),
            ));
        }
        let training = cost.batch_bytes(batch, true);
        if training > budget.activation_bytes {
            let fits = budget.activation_bytes / cost.batch_bytes(1, true).max(1);
            return over(text!(
                "compile-over-training-batch",
                batch = batch,
                bytes = bytes_text(training),
                room = bytes_text(budget.activation_bytes),
                fits = fits,
            ));
        }
        for (run, validation_batch) in validation_batches(graph, node.id) {
            let bytes = cost.batch_bytes(validation_batch, false);
            if bytes > budget.activation_bytes {
                let fits = budget.activation_bytes / cost.batch_bytes(1, false).max(1);
                return over(text!(
                    "compile-over-validation-batch",
                    run = run.to_string(),
                    batch = validation_batch,
                    bytes = bytes_text(bytes),
                    room = bytes_text(budget.activation_bytes),
                    fits = fits,
                ));
            }
        }
        let evaluation = cost.evaluation_bytes();
        if evaluation > budget.evaluation_bytes {
            return over(text!(
                "compile-over-evaluation",
                resolution = FIELD_RESOLUTION,
                bytes = bytes_text(evaluation),
                room = bytes_text(budget.evaluation_bytes),
            ));
        }
    }
    Ok(())
}

/// The RunEpochs that evaluate `network` (training off), with their batch sizes.
fn validation_batches(graph: &Graph, network: NodeId) -> Vec<(NodeId, usize)> {
    graph
        .nodes_of(NodeKind::RunEpoch)
        .filter(|run| RunEpochParams::read(run).is_ok_and(|params| !params.training))
        .filter(|run| graph.source_of(run.id, ports::RUN_MODEL).is_some_and(|(model, _)| model.id == network))
        .filter_map(|run| {
            let (sampler, _) = graph.source_of(run.id, ports::RUN_SAMPLER)?;
            let batch = BatchSamplerParams::read(sampler).ok()?.batch_size;
            Some((run.id, batch))
        })
        .collect()
}

/// Bytes in binary units, to three figures: `512 MiB`, `2.13 GiB`.
fn bytes_text(bytes: u64) -> String {
    const UNITS: [&str; 5] = ["bytes", "KiB", "MiB", "GiB", "TiB"];
    let mut value = bytes as f64;
    let mut unit = 0;
    while value >= 1024.0 && unit + 1 < UNITS.len() {
        value /= 1024.0;
        unit += 1;
    }
    if unit == 0 {
        return text!("compile-bytes", count = bytes);
    }
    let decimals = if value >= 100.0 {
        0
    } else if value >= 10.0 {
        1
    } else {
        2
    };
    let digits = format!("{value:.decimals$}");
    let digits =
        if digits.contains('.') { digits.trim_end_matches('0').trim_end_matches('.') } else { &digits };
    format!("{digits} {}", UNITS[unit])
}

/// The most work one piece does, in floating-point operations (a few milliseconds on one
/// core of a laptop with SIMD).
pub const PIECE_FLOP: usize = 24_000_000;

/// Forward FLOP per row: 2 · in · out per linear layer; 2 · (in / groups) · k² per output
/// value of a convolution; k² per output value of a pool (as far as the layers take their
/// inputs).
pub(crate) fn flop_per_row(network: &NetworkPlan) -> usize {
    let mut shape = network.in_shape.clone();
    let mut flop = 0usize;
    for layer in &network.layers {
        let Ok(out) = layer.output_shape(&shape) else { break };
        let outputs = out.iter().product::<usize>();
        let per_output = match *layer {
            LayerSpec::Linear { .. } => 2usize.saturating_mul(shape.iter().product()),
            LayerSpec::Conv2d(conv) => {
                let channels = image_shape(&shape).map_or(0, |[channels, _, _]| channels);
                let window = conv.kernel_size.saturating_mul(conv.kernel_size);
                2usize.saturating_mul(channels / conv.groups.max(1)).saturating_mul(window)
            }
            LayerSpec::MaxPool2d(pool) | LayerSpec::AvgPool2d(pool) => {
                pool.kernel_size.saturating_mul(pool.kernel_size)
            }
            _ => 0,
        };
        flop = flop.saturating_add(per_output.saturating_mul(outputs));
        shape = out;
    }
    flop
}

/// Cells per side of the grid the page evaluates: fine enough to look smooth once scaled
/// up, small enough to cost well under a millisecond per update for a small network (a wide
/// one refreshes in pieces, within the views' budget).
pub const FIELD_RESOLUTION: usize = 48;

/// Room a weights file may take past its values: the header, the names and shapes, and the
/// alignment of each tensor's data.
const FILE_OVERHEAD_BYTES: usize = 64 * 1024;

/// The largest weights file for a network of `plan`: its float32 values and the format's
/// overhead. A larger file is refused before it is read.
pub fn max_file_bytes(plan: &NetworkPlan) -> usize {
    let cost = NetworkCost::of(plan);
    let bytes = cost
        .parameters
        .saturating_add(cost.buffers)
        .saturating_mul(4)
        .saturating_add((FILE_OVERHEAD_BYTES + 256 * 2 * plan.layers.len()) as u64);
    usize::try_from(bytes).unwrap_or(usize::MAX)
}

impl From<OverBudget> for CompileError {
    fn from(over: OverBudget) -> Self {
        CompileError::Conflict { node: over.node, kind: over.kind, problem: over.problem }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bytes_read_in_binary_units() {
        assert_eq!(bytes_text(12), "12 bytes");
        assert_eq!(bytes_text(512 * 1024 * 1024), "512 MiB");
        assert_eq!(bytes_text(3 * 1024 * 1024 * 1024 / 2), "1.5 GiB");
    }

    #[test]
    fn a_network_costs_its_layers() {
        let network = NetworkPlan {
            in_shape: vec![1, 8, 8],
            layers: vec![
                LayerSpec::Flatten,
                LayerSpec::Linear { out_features: 32 },
                LayerSpec::LayerNorm,
                LayerSpec::Relu,
                LayerSpec::Linear { out_features: 10 },
            ],
        };
        let cost = NetworkCost::of(&network);
        assert_eq!(cost.parameters, 64 * 32 + 32 + 2 * 32 + 32 * 10 + 10);
        assert_eq!(cost.activations_per_sample, 64 + 64 + 32 + 32 + 32 + 10);
        assert_eq!(cost.widest, 64);
        assert_eq!(cost.out_features, 10);
        assert_eq!(cost.flop_per_sample, 2 * (64 * 32 + 32 * 10));
        assert_eq!(cost.batch_bytes(4, true), 4 * cost.activations_per_sample * 8);
        assert_eq!(cost.batch_bytes(4, false), 4 * 64 * 8);
    }

    #[test]
    fn a_convolutional_network_costs_its_kernels_and_feature_maps() {
        use crate::core::model::params::{Conv2dSpec, Pool2dSpec};
        let grouped = Conv2dSpec { groups: 2, padding: 1, bias: false, ..Conv2dSpec::new(8, 3) };
        let network = NetworkPlan {
            in_shape: vec![1, 8, 8],
            layers: vec![
                LayerSpec::Conv2d(Conv2dSpec { padding: 1, ..Conv2dSpec::new(4, 3) }),
                LayerSpec::BatchNorm2d { momentum: 0.1 },
                LayerSpec::Relu,
                LayerSpec::MaxPool2d(Pool2dSpec::new(2)),
                LayerSpec::Conv2d(grouped),
                LayerSpec::Flatten,
                LayerSpec::Linear { out_features: 10 },
            ],
        };
        let cost = NetworkCost::of(&network);
        // 4 kernels of 1×3×3 and 4 biases; γ and β of 4 channels; 8 kernels of 2×3×3, no bias.
        assert_eq!(cost.parameters, (4 * 9 + 4) + 2 * 4 + 8 * 2 * 9 + 128 * 10 + 10);
        assert_eq!(cost.buffers, 2 * 4 + 1);
        assert_eq!(cost.activations_per_sample, 64 + 256 + 256 + 256 + 64 + 128 + 128 + 10);
        assert_eq!(cost.widest, 256);
        // Per output value: 2·1·9 for the first convolution, 4 for the pool, 2·2·9 for the grouped one.
        assert_eq!(cost.flop_per_sample, 2 * 9 * 256 + 4 * 64 + 2 * 2 * 9 * 128 + 2 * 128 * 10);
    }
}
