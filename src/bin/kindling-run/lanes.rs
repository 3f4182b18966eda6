//! `--jobs N`: a sweep's trials on threads of their own, one per lane.

use futures_lite::future::block_on;
use kindling::core::compile::compiler::compile;
use kindling::core::engine::device::cpu_device;
use kindling::core::engine::run::RunStart;
use kindling::core::engine::sweep_run::SweepEvent;
use kindling::core::engine::trial_run::TrialRun;
use kindling::core::model::graph::Graph;
use kindling::core::protocol::backend::Backend;
use kindling::core::report::sweep_progress::{TrialReport, TrialState};

use crate::clock::Clock;

/// What the main thread tells a lane's thread.
pub(crate) enum LaneCommand {
    Assign(Box<Graph>),
    /// The verdict on its trial's last epoch: go on, or stop the trial.
    Verdict(bool),
}

/// `--jobs N`: a thread per lane, each training one trial at a time as the sweep assigns
/// it, reporting each epoch and waiting for the verdict.
pub(crate) struct LanePool {
    commands: Vec<std::sync::mpsc::Sender<LaneCommand>>,
    reports: std::sync::mpsc::Receiver<(usize, TrialReport)>,
}

impl LanePool {
    pub(crate) fn start(lanes: usize) -> Self {
        let (report, reports) = std::sync::mpsc::channel();
        let commands = (0..lanes)
            .map(|lane| {
                let (command, commands) = std::sync::mpsc::channel();
                let report = report.clone();
                std::thread::spawn(move || lane_thread(lane, &commands, &report));
                command
            })
            .collect();
        Self { commands, reports }
    }

    /// Hands an assignment, a verdict or a cancellation on to its lane.
    pub(crate) fn hand_on(&self, event: SweepEvent) {
        let (lane, command) = match event {
            SweepEvent::Assign { lane, graph, .. } => (lane, LaneCommand::Assign(Box::new(graph))),
            SweepEvent::Verdict { lane, go_on } => (lane, LaneCommand::Verdict(go_on)),
            SweepEvent::Cancel { lane } => (lane, LaneCommand::Verdict(false)),
            SweepEvent::Update(_) | SweepEvent::Finished => return,
        };
        if let Some(sender) = self.commands.get(lane) {
            let _ = sender.send(command);
        }
    }

    pub(crate) fn next_report(&self) -> Option<(usize, TrialReport)> {
        self.reports.recv().ok()
    }
}

/// A lane's thread: trains each trial assigned to it, epoch by epoch, as the verdicts say.
pub(crate) fn lane_thread(
    lane: usize,
    commands: &std::sync::mpsc::Receiver<LaneCommand>,
    reports: &std::sync::mpsc::Sender<(usize, TrialReport)>,
) {
    let host = Clock::new();
    while let Ok(command) = commands.recv() {
        let LaneCommand::Assign(graph) = command else { continue };
        let trial = compile(&graph).map_err(|_| "it cannot train".to_owned()).and_then(|plan| {
            TrialRun::start(plan, RunStart::new(cpu_device(), Backend::Cpu))
                .map_err(|error| error.to_string())
        });
        let mut trial = match trial {
            Ok(trial) => trial,
            Err(note) => {
                let _ =
                    reports.send((lane, TrialReport::Ended { state: TrialState::Failed, note: Some(note) }));
                continue;
            }
        };
        'trial: while !trial.is_over() {
            for report in block_on(trial.advance(f64::INFINITY, &host)) {
                let held = matches!(report, TrialReport::Epoch { .. });
                if reports.send((lane, report)).is_err() {
                    return;
                }
                if held {
                    match commands.recv() {
                        Ok(LaneCommand::Verdict(true)) => trial.go_on(),
                        Ok(LaneCommand::Verdict(false)) => break 'trial,
                        Ok(LaneCommand::Assign(_)) | Err(_) => return,
                    }
                }
            }
        }
    }
}
