//! What is measured besides the loss: the validation pass and the metrics.

use crate::core::compile::compile_error::{CompileError, Hint};
use crate::core::compile::plan::ClassMetricsPlan;
use crate::core::compile::plan::SamplerPlan;
use crate::core::data::dataset::DatasetSpec;
use crate::core::model::catalogue::NodeKind;
use crate::core::model::catalogue::{AccuracyMetricParams, ClassificationMetricsParams, RunEpochParams};
use crate::core::model::choices::Average;
use crate::core::model::choices::Task;
use crate::core::model::graph::Node;
use crate::core::model::ports;

use super::{Loop, Walk, sampler_plan};

impl<'g> Walk<'g> {
    /// The validation pass: a RunEpoch with training off, running the trained network over
    /// the batches of a sampler fed by the DataSplit's `validation` output.
    pub(super) fn validation(&self, nodes: &Loop<'g>) -> Result<Option<SamplerPlan>, CompileError> {
        let mut runs = Vec::new();
        for node in self.graph.nodes_of(NodeKind::RunEpoch) {
            runs.push((node, RunEpochParams::read(node)?.training));
        }
        // A RunEpoch that trains beside the loop's own driver would train the model twice.
        let driver = nodes
            .step
            .is_none()
            .then(|| self.graph.source_of(nodes.tracker.id, ports::TRACKER_STEP_COMPLETE));
        let driver = driver.flatten().map(|(node, _)| node.id);
        if let Some((extra, _)) = runs.iter().find(|(node, training)| *training && Some(node.id) != driver) {
            let by = if nodes.step.is_some() { "step" } else { "run" };
            return Err(CompileError::Conflict {
                node: extra.id,
                kind: extra.kind,
                problem: text!("compile-second-training-run", by = by),
            });
        }
        let evaluations: Vec<&Node> =
            runs.iter().filter(|(_, training)| !training).map(|(node, _)| *node).collect();
        let run = match evaluations.as_slice() {
            [] => return Ok(None),
            [run] => *run,
            [first, ..] => {
                return Err(CompileError::Duplicate {
                    kind: NodeKind::RunEpoch,
                    count: evaluations.len(),
                    nodes: evaluations.iter().map(|node| node.id.to_string()).collect::<Vec<_>>().join(", "),
                    first: first.id,
                });
            }
        };
        let conflict = |problem: String| CompileError::Conflict { node: run.id, kind: run.kind, problem };
        self.expect_same(run, ports::RUN_MODEL, nodes.network, Hint::TrainedNetwork)?;
        let sampler = self.source(run, ports::RUN_SAMPLER, &[NodeKind::BatchSampler], Hint::BatchSampler)?;
        if sampler.id == nodes.sampler.id {
            return Err(conflict(text!("compile-validation-on-training-batches")));
        }
        let Some(split) = nodes.split else {
            return Err(conflict(text!("compile-validation-without-split")));
        };
        let (val_split, _) = self.data_of(sampler, ports::SPLIT_VALIDATION)?;
        if val_split.map(|node| node.id) != Some(split.id) {
            return Err(conflict(text!("compile-validation-other-split", split = split.id.to_string())));
        }
        Ok(Some(sampler_plan(sampler)?))
    }

    /// The AccuracyMetric's k, if the graph has one: it scores the network's predictions
    /// against the batch's class targets.
    pub(super) fn accuracy_metric(
        &self,
        nodes: &Loop<'g>,
        dataset: &DatasetSpec,
    ) -> Result<Option<usize>, CompileError> {
        let Some(metric) = self.at_most_one(NodeKind::AccuracyMetric)? else { return Ok(None) };
        self.expect_same(metric, ports::PREDICTIONS, nodes.network, Hint::TrainedNetwork)?;
        self.expect_same(metric, ports::TARGETS, nodes.batches, Hint::FeedingGetBatch)?;
        let conflict =
            |problem: String| CompileError::Conflict { node: metric.id, kind: metric.kind, problem };
        if dataset.task() == Task::Regression {
            return Err(conflict(text!("compile-accuracy-on-regression", dataset = dataset.kind.name())));
        }
        let AccuracyMetricParams { top_k } = AccuracyMetricParams::read(metric)?;
        if top_k > dataset.classes {
            return Err(conflict(text!(
                "compile-top-k-over-classes",
                top_k = top_k,
                classes = dataset.classes
            )));
        }
        Ok(Some(top_k))
    }

    /// What ClassificationMetrics computes, if the graph has one: it scores the network's
    /// predictions against the batch's class targets, as AccuracyMetric does.
    pub(super) fn class_metrics(
        &self,
        nodes: &Loop<'g>,
        dataset: &DatasetSpec,
    ) -> Result<Option<ClassMetricsPlan>, CompileError> {
        let Some(metric) = self.at_most_one(NodeKind::ClassificationMetrics)? else { return Ok(None) };
        self.expect_same(metric, ports::PREDICTIONS, nodes.network, Hint::TrainedNetwork)?;
        self.expect_same(metric, ports::TARGETS, nodes.batches, Hint::FeedingGetBatch)?;
        let conflict =
            |problem: String| CompileError::Conflict { node: metric.id, kind: metric.kind, problem };
        if dataset.task() == Task::Regression {
            return Err(conflict(text!(
                "compile-class-metrics-on-regression",
                dataset = dataset.kind.name()
            )));
        }
        let ClassificationMetricsParams { average, positive_class, roc_auc } =
            ClassificationMetricsParams::read(metric)?;
        if average == Average::Binary && dataset.classes != 2 {
            return Err(conflict(text!("compile-binary-average-classes", classes = dataset.classes)));
        }
        if average == Average::Binary && positive_class >= dataset.classes {
            return Err(conflict(text!("compile-positive-class-over", positive_class = positive_class)));
        }
        Ok(Some(ClassMetricsPlan { average, positive_class, roc_auc }))
    }
}
