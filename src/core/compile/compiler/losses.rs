//! What the loop minimises: one loss node, or CombineLoss's weighted losses.

use crate::core::compile::compile_error::{CompileError, Hint};
use crate::core::compile::plan::CrossEntropyOptions;
use crate::core::compile::plan::{LossKind, LossPlan, LossTerm, NetworkPlan};
use crate::core::data::dataset::DatasetSpec;
use crate::core::model::catalogue::NodeKind;
use crate::core::model::catalogue::{CombineLossParams, CrossEntropyParams, RegressionLossParams};
use crate::core::model::choices::Reduction;
use crate::core::model::choices::Task;
use crate::core::model::graph::Node;
use crate::core::model::ports;

use super::{Loop, Walk};

impl<'g> Walk<'g> {
    /// What TrainingStep minimises: one loss, or CombineLoss's weighted losses.
    pub(super) fn loss_plan(
        &self,
        nodes: &Loop<'g>,
        dataset: &DatasetSpec,
        network: &NetworkPlan,
    ) -> Result<LossPlan, CompileError> {
        if nodes.loss.kind != NodeKind::CombineLoss {
            return Ok(LossPlan::single(self.loss_kind(nodes.loss, nodes, dataset, network)?));
        }
        let weights = CombineLossParams::read(nodes.loss)?.weights();
        let mut terms = Vec::new();
        for (port, weight) in ports::COMBINED_LOSSES.into_iter().zip(weights) {
            if self.graph.source_of(nodes.loss.id, port).is_none() {
                continue; // loss_3 is optional; validation checked the others.
            }
            let loss = self.source(nodes.loss, port, &NodeKind::LOSSES, Hint::LossNode)?;
            terms.push(LossTerm { weight, loss: self.loss_kind(loss, nodes, dataset, network)? });
        }
        Ok(LossPlan { terms })
    }

    /// One loss node: it must compare the network's predictions with the batch's targets, and
    /// suit the dataset's targets.
    pub(super) fn loss_kind(
        &self,
        loss: &Node,
        nodes: &Loop<'g>,
        dataset: &DatasetSpec,
        network: &NetworkPlan,
    ) -> Result<LossKind, CompileError> {
        self.expect_same(loss, ports::PREDICTIONS, nodes.network, Hint::TrainedNetwork)?;
        self.expect_same(loss, ports::TARGETS, nodes.batches, Hint::FeedingGetBatch)?;
        let conflict =
            |problem: String| CompileError::ShapeMismatch { node: loss.id, kind: loss.kind, problem };
        let reduction = match loss.kind {
            NodeKind::CrossEntropyLoss => CrossEntropyParams::read(loss)?.reduction,
            _ => RegressionLossParams::read(loss)?.reduction,
        };
        if reduction == Reduction::Elementwise {
            return Err(conflict(text!("compile-loss-per-sample")));
        }
        let out = network.out_features();
        let name = dataset.kind.name();
        match (loss.kind, dataset.task()) {
            (NodeKind::CrossEntropyLoss, Task::Classification) => {
                if out != dataset.classes {
                    return Err(CompileError::ShapeMismatch {
                        node: nodes.network.id,
                        kind: nodes.network.kind,
                        problem: text!("compile-scores-per-class", out = out, classes = dataset.classes),
                    });
                }
                cross_entropy_options(loss, reduction, dataset.classes).map(LossKind::CrossEntropy)
            }
            (NodeKind::CrossEntropyLoss, Task::Regression) => {
                Err(conflict(text!("compile-cross-entropy-on-values", dataset = name)))
            }
            (_, Task::Classification) => Err(conflict(text!(
                "compile-regression-loss-on-classes",
                loss = loss.kind.to_string(),
                dataset = name,
            ))),
            (kind, Task::Regression) => {
                if out != 1 {
                    return Err(CompileError::ShapeMismatch {
                        node: nodes.network.id,
                        kind: nodes.network.kind,
                        problem: text!("compile-values-per-target", out = out, loss = kind.to_string()),
                    });
                }
                Ok(if kind == NodeKind::L1Loss { LossKind::L1(reduction) } else { LossKind::Mse(reduction) })
            }
        }
    }
}

/// CrossEntropyLoss's options, checked against the number of classes.
pub(super) fn cross_entropy_options(
    node: &Node,
    reduction: Reduction,
    classes: usize,
) -> Result<CrossEntropyOptions, CompileError> {
    let CrossEntropyParams { label_smoothing, ignore_index, weight, .. } = CrossEntropyParams::read(node)?;
    if !weight.is_empty() && weight.len() != classes {
        return Err(CompileError::ShapeMismatch {
            node: node.id,
            kind: node.kind,
            problem: text!("compile-class-weights", weights = weight.len(), classes = classes),
        });
    }
    Ok(CrossEntropyOptions {
        reduction,
        label_smoothing,
        ignore_index,
        weight: (!weight.is_empty()).then(|| weight.iter().map(|&w| w as f32).collect()),
    })
}
