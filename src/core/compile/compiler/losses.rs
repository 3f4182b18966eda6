//! What the loop minimises: one loss node, or CombineLoss's weighted losses.

use crate::core::compile::compile_error::CompileError;
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
            let loss = self.source(
                nodes.loss,
                port,
                &NodeKind::LOSSES,
                "a loss node (CrossEntropyLoss, MSELoss, L1Loss)",
            )?;
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
        self.expect_same(loss, ports::PREDICTIONS, nodes.network, "the Network that the optimizer trains")?;
        self.expect_same(loss, ports::TARGETS, nodes.batches, "the GetBatch that feeds the Network")?;
        let conflict =
            |problem: String| CompileError::ShapeMismatch { node: loss.id, kind: loss.kind, problem };
        let reduction = match loss.kind {
            NodeKind::CrossEntropyLoss => CrossEntropyParams::read(loss)?.reduction,
            _ => RegressionLossParams::read(loss)?.reduction,
        };
        if reduction == Reduction::Elementwise {
            return Err(conflict(
                "reduction `none` gives one loss per sample, but TrainingStep minimises a single \
                 number; set reduction to mean or sum"
                    .to_owned(),
            ));
        }
        let out = network.out_features();
        let name = dataset.kind.name();
        match (loss.kind, dataset.task()) {
            (NodeKind::CrossEntropyLoss, Task::Classification) => {
                if out != dataset.classes {
                    return Err(CompileError::ShapeMismatch {
                        node: nodes.network.id,
                        kind: nodes.network.kind,
                        problem: format!(
                            "gives {out} scores per sample, but the Dataset has {} classes; make the last \
                             Linear layer's out_features {}",
                            dataset.classes, dataset.classes
                        ),
                    });
                }
                cross_entropy_options(loss, reduction, dataset.classes).map(LossKind::CrossEntropy)
            }
            (NodeKind::CrossEntropyLoss, Task::Regression) => Err(conflict(format!(
                "CrossEntropyLoss needs class targets, but the {name} dataset has a value per sample; \
                 use MSELoss or L1Loss"
            ))),
            (_, Task::Classification) => Err(conflict(format!(
                "{} compares values, but the {name} dataset has class targets; use CrossEntropyLoss, \
                 or a regression dataset (plane, gaussian)",
                loss.kind
            ))),
            (kind, Task::Regression) => {
                if out != 1 {
                    return Err(CompileError::ShapeMismatch {
                        node: nodes.network.id,
                        kind: nodes.network.kind,
                        problem: format!(
                            "gives {out} values per sample, but {kind} compares them with one target \
                             value, [batch, 1]; make the last Linear layer's out_features 1"
                        ),
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
            problem: format!(
                "`weight` has {} values but the Dataset has {classes} classes; give one weight per \
                 class, or none",
                weight.len()
            ),
        });
    }
    Ok(CrossEntropyOptions {
        reduction,
        label_smoothing,
        ignore_index,
        weight: (!weight.is_empty()).then(|| weight.iter().map(|&w| w as f32).collect()),
    })
}
