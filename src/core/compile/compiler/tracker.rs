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
            return Err(conflict(text!("compile-early-stop-without-validation", monitor = monitor.name())));
        }
        if patience > 0 && monitor.is_accuracy() && task == Task::Regression {
            return Err(conflict(text!(
                "compile-early-stop-accuracy-on-regression",
                monitor = monitor.name()
            )));
        }
        let port_name = |port| self.graph.output_spec(port).map_or("?", |spec| spec.name);
        let train_accuracy = match self.graph.source_of(tracker.id, ports::TRACKER_ACCURACY) {
            None => false,
            Some((source, port)) => match (source.kind, port_name(port)) {
                (NodeKind::CrossEntropyLoss, "accuracy") if top_k != 1 => {
                    return Err(conflict(text!(
                        "compile-tracker-top-1-accuracy",
                        kind = source.kind.to_string(),
                        node = source.id.to_string(),
                        top_k = top_k,
                    )));
                }
                (NodeKind::CrossEntropyLoss | NodeKind::AccuracyMetric, "accuracy") => true,
                (kind, port) => {
                    return Err(conflict(text!(
                        "compile-tracker-accuracy-source",
                        kind = kind.to_string(),
                        node = source.id.to_string(),
                        port = port,
                    )));
                }
            },
        };
        if patience > 0 && monitor == Monitor::TrainAccuracy && !train_accuracy {
            return Err(conflict(text!("compile-early-stop-untracked-accuracy")));
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
                    return Err(conflict(text!(
                        "compile-tracker-loss-source",
                        kind = kind.to_string(),
                        node = source.id.to_string(),
                        port = port,
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
