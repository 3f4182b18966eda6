//! EpochTracker: how long to train, what it logs, when it stops early.

use crate::core::compile::compile_error::CompileError;
use crate::core::compile::plan::{EarlyStopping, TrackerPlan};
use crate::core::model::catalogue::EpochTrackerParams;
use crate::core::model::catalogue::NodeKind;
use crate::core::model::choices::Monitor;
use crate::core::model::choices::Task;
use crate::core::model::ports;

use super::{Loop, Walk};

impl<'g> Walk<'g> {
    /// EpochTracker's settings, and what its inputs say: the training accuracy it tracks
    /// (`accuracy`: CrossEntropyLoss's top-1, or AccuracyMetric's top-k; none unconnected) and
    /// whether it logs the running loss every `log_interval` steps (`loss`: the step's loss).
    pub(super) fn tracker(
        &self,
        nodes: &Loop<'g>,
        validates: bool,
        task: Task,
        top_k: usize,
    ) -> Result<TrackerPlan, CompileError> {
        let tracker = nodes.tracker;
        let EpochTrackerParams { total_epochs, log_interval, save_interval, patience, min_delta, monitor } =
            EpochTrackerParams::read(tracker)?;
        let conflict =
            |problem: String| CompileError::Conflict { node: tracker.id, kind: tracker.kind, problem };
        if patience > 0 && monitor.needs_validation() && !validates {
            return Err(conflict(format!(
                "early stopping watches {}, but the graph has no validation pass; watch train_loss, or add \
                 a DataSplit and a RunEpoch with training off",
                monitor.name()
            )));
        }
        if patience > 0 && monitor.is_accuracy() && task == Task::Regression {
            return Err(conflict(format!(
                "early stopping watches {}, but a regression has no accuracy; watch a loss",
                monitor.name()
            )));
        }
        let port_name = |port| self.graph.output_spec(port).map_or("?", |spec| spec.name);
        let train_accuracy = match self.graph.source_of(tracker.id, ports::TRACKER_ACCURACY) {
            None => false,
            Some((source, port)) => match (source.kind, port_name(port)) {
                (NodeKind::CrossEntropyLoss, "accuracy") if top_k != 1 => {
                    return Err(conflict(format!(
                        "its accuracy comes from {} {}, the top 1, but the AccuracyMetric scores the top {top_k}; \
                         connect the AccuracyMetric's accuracy instead",
                        source.kind, source.id
                    )));
                }
                (NodeKind::CrossEntropyLoss | NodeKind::AccuracyMetric, "accuracy") => true,
                (kind, port) => {
                    return Err(conflict(format!(
                        "its `accuracy` input comes from {kind} {}'s {port}, which is no accuracy; connect \
                         CrossEntropyLoss's or AccuracyMetric's accuracy, or leave it unconnected",
                        source.id
                    )));
                }
            },
        };
        if patience > 0 && monitor == Monitor::TrainAccuracy && !train_accuracy {
            return Err(conflict(
                "early stopping watches train_accuracy, but nothing feeds the `accuracy` input, so no \
                 training accuracy is tracked; connect CrossEntropyLoss's or AccuracyMetric's accuracy to it"
                    .to_owned(),
            ));
        }
        let driver = self.graph.source_of(tracker.id, ports::TRACKER_STEP_COMPLETE).map(|(node, _)| node.id);
        let step_log = match self.graph.source_of(tracker.id, ports::TRACKER_LOSS) {
            None => false,
            Some((source, port)) => match (source.kind, port_name(port)) {
                (NodeKind::TrainingStep, "loss_value") | (NodeKind::RunEpoch, "epoch_loss")
                    if Some(source.id) == driver =>
                {
                    true
                }
                (kind, port) => {
                    return Err(conflict(format!(
                        "its `loss` input comes from {kind} {}'s {port}; connect the loss_value of the \
                         TrainingStep that drives it (its running average is logged every log_interval \
                         steps), or leave it unconnected",
                        source.id
                    )));
                }
            },
        };
        Ok(TrackerPlan {
            epochs: total_epochs,
            log_interval,
            save_interval,
            early_stopping: (patience > 0).then_some(EarlyStopping { monitor, patience, min_delta }),
            train_accuracy,
            step_log,
        })
    }
}
