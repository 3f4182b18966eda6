//! The learning-rate scheduler attached to the optimizer, or a SequentialLR's chain.

use crate::core::compile::compile_error::{CompileError, Hint};
use crate::core::compile::plan::SchedulerSetup;
use crate::core::compile::schedule::SchedulerPlan;
use crate::core::model::catalogue::NodeKind;
use crate::core::model::catalogue::{
    CosineAnnealingParams, LinearLrParams, PlateauParams, SequentialLrParams, StepLrParams,
};
use crate::core::model::choices::Monitor;
use crate::core::model::choices::PlateauMode;
use crate::core::model::choices::Task;
use crate::core::model::graph::Node;
use crate::core::model::ports;

use super::{Loop, Walk};

impl<'g> Walk<'g> {
    /// The learning-rate scheduler, if any: attached to the optimizer, stepped by EpochTracker
    /// — one scheduler, or a SequentialLR and the schedulers it chains.
    pub(super) fn scheduler(
        &self,
        nodes: &Loop<'g>,
        validates: bool,
        task: Task,
    ) -> Result<Option<SchedulerSetup>, CompileError> {
        let schedulers: Vec<&Node> =
            self.graph.nodes().filter(|node| NodeKind::SCHEDULERS.contains(&node.kind)).collect();
        if schedulers.is_empty() {
            return Ok(None);
        }
        let stepped = self
            .graph
            .source_of(nodes.tracker.id, ports::TRACKER_SCHEDULER)
            .map(|(node, _)| node)
            .filter(|node| NodeKind::SCHEDULERS.contains(&node.kind));
        let unstepped = |scheduler: &Node| CompileError::Conflict {
            node: scheduler.id,
            kind: scheduler.kind,
            problem: text!("compile-scheduler-unstepped", tracker = nodes.tracker.id.to_string()),
        };
        let Some(scheduler) = stepped else {
            // Name the chain's head where there is one: connecting it steps the whole chain.
            let head =
                schedulers.iter().find(|node| node.kind == NodeKind::SequentialLr).unwrap_or(&schedulers[0]);
            return Err(unstepped(head));
        };
        let chained = if scheduler.kind == NodeKind::SequentialLr {
            let first =
                self.source(scheduler, ports::SEQUENCE_FIRST, &SEQUENCE_PHASES, Hint::EpochSchedule)?;
            let then = self.source(scheduler, ports::SEQUENCE_THEN, &SEQUENCE_PHASES, Hint::EpochSchedule)?;
            if first.id == then.id {
                return Err(CompileError::Conflict {
                    node: scheduler.id,
                    kind: scheduler.kind,
                    problem: text!(
                        "compile-sequence-same-scheduler",
                        kind = first.kind.to_string(),
                        node = first.id.to_string(),
                    ),
                });
            }
            vec![first, then]
        } else {
            Vec::new()
        };
        if let Some(extra) = schedulers.iter().find(|node| node.id != scheduler.id && !chained.contains(node))
        {
            if chained.is_empty() && extra.kind != NodeKind::SequentialLr {
                return Err(CompileError::Duplicate {
                    kind: scheduler.kind,
                    count: schedulers.len(),
                    nodes: schedulers
                        .iter()
                        .map(|node| format!("{} {}", node.kind, node.id))
                        .collect::<Vec<_>>()
                        .join(", "),
                    first: scheduler.id,
                });
            }
            return Err(unstepped(extra));
        }
        let plan = if chained.is_empty() {
            self.expect_same(scheduler, ports::SCHEDULER_OPTIMIZER, nodes.optimizer, Hint::StepOptimizer)?;
            scheduler_plan(scheduler)?
        } else {
            let SequentialLrParams { milestone } = SequentialLrParams::read(scheduler)?;
            let mut phases = Vec::with_capacity(chained.len());
            for phase in &chained {
                self.expect_same(phase, ports::SCHEDULER_OPTIMIZER, nodes.optimizer, Hint::StepOptimizer)?;
                phases.push(scheduler_plan(phase)?);
            }
            SchedulerPlan::Sequential { phases, milestones: vec![milestone] }
        };
        let monitor = self.plateau_metric(scheduler, validates, task)?;
        if monitor == Monitor::TrainAccuracy
            && self.graph.source_of(nodes.tracker.id, ports::TRACKER_ACCURACY).is_none()
        {
            return Err(CompileError::Conflict {
                node: scheduler.id,
                kind: scheduler.kind,
                problem: text!(
                    "compile-scheduler-untracked-accuracy",
                    tracker = nodes.tracker.id.to_string()
                ),
            });
        }
        if let SchedulerPlan::ReduceOnPlateau { mode, .. } = plan
            && (mode == PlateauMode::Min) != monitor.lower_is_better()
        {
            let (better, fix) = if monitor.lower_is_better() {
                ("lower", PlateauMode::Min.name())
            } else {
                ("higher", PlateauMode::Max.name())
            };
            return Err(CompileError::Conflict {
                node: scheduler.id,
                kind: scheduler.kind,
                problem: text!(
                    "compile-plateau-mode",
                    monitor = monitor.name(),
                    better = better,
                    mode = mode.name(),
                    fix = fix,
                ),
            });
        }
        Ok(Some(SchedulerSetup { plan, monitor }))
    }

    /// What ReduceLROnPlateau watches: the source of its `metric` input, else the training loss.
    pub(super) fn plateau_metric(
        &self,
        scheduler: &Node,
        validates: bool,
        task: Task,
    ) -> Result<Monitor, CompileError> {
        let Some((source, output)) = self.graph.source_of(scheduler.id, ports::PLATEAU_METRIC) else {
            return Ok(Monitor::TrainLoss);
        };
        let port = self.graph.output_spec(output).map_or("?", |port| port.name);
        let monitor = match source.kind {
            NodeKind::RunEpoch if validates && ports::RUN_EPOCH_LOSS.is(port) => Monitor::ValLoss,
            NodeKind::TrainingStep if ports::STEP_LOSS_VALUE.is(port) => Monitor::TrainLoss,
            NodeKind::AccuracyMetric | NodeKind::CrossEntropyLoss
                if ports::ACCURACY.is(port) && task == Task::Classification =>
            {
                Monitor::TrainAccuracy
            }
            _ => {
                return Err(CompileError::Conflict {
                    node: scheduler.id,
                    kind: scheduler.kind,
                    problem: text!(
                        "compile-plateau-metric-unwatchable",
                        output = format!("{}:{port}", source.id.0),
                    ),
                });
            }
        };
        Ok(monitor)
    }
}

/// What SequentialLR may chain: the schedulers that depend on the epoch alone.
pub(super) const SEQUENCE_PHASES: [NodeKind; 3] =
    [NodeKind::LinearLr, NodeKind::StepLr, NodeKind::CosineAnnealingLr];

/// The settings of one scheduler node (not a SequentialLR, which chains others).
pub(super) fn scheduler_plan(scheduler: &Node) -> Result<SchedulerPlan, CompileError> {
    Ok(match scheduler.kind {
        NodeKind::StepLr => {
            let StepLrParams { step_size, gamma } = StepLrParams::read(scheduler)?;
            SchedulerPlan::Step { step_size, gamma }
        }
        NodeKind::CosineAnnealingLr => {
            let CosineAnnealingParams { t_max, eta_min } = CosineAnnealingParams::read(scheduler)?;
            SchedulerPlan::CosineAnnealing { t_max, eta_min }
        }
        NodeKind::LinearLr => {
            let LinearLrParams { start_factor, end_factor, total_iters } = LinearLrParams::read(scheduler)?;
            SchedulerPlan::Linear { start_factor, end_factor, total_iters }
        }
        _ => {
            let PlateauParams { mode, factor, patience, threshold, threshold_mode, cooldown, min_lr } =
                PlateauParams::read(scheduler)?;
            SchedulerPlan::ReduceOnPlateau {
                mode,
                factor,
                patience,
                threshold,
                threshold_mode,
                cooldown,
                min_lr,
            }
        }
    })
}
