//! A graph's sweep: its trials one after another, or on `--jobs N` threads (`lanes.rs`), each
//! epoch and each trial's summary printed.

use std::path::PathBuf;
use std::process::ExitCode;

use futures_lite::future::block_on;
use kindling::core::document::metrics_csv as metrics_csv_file;
use kindling::core::engine::device::cpu_device;
use kindling::core::engine::sweep_run::{Lanes, LocalDevice, SweepEvent, SweepRun};
use kindling::core::model::catalogue::{EpochTrackerParams, NodeKind};
use kindling::core::model::graph::Graph;
use kindling::core::protocol::backend::Backend;
use kindling::core::report::epoch_stats::EpochStats;
use kindling::core::report::sweep_progress::TrialUpdate;

use crate::clock::Clock;
use crate::command_line::TrainOptions;
use crate::lanes::LanePool;
use crate::output_lines::{Summary, TrialEpochLine, TrialSummaryLine, epoch_line, settings_json};

/// Runs `graph`'s sweep, printing every trial's epochs and a summary of each: its trials
/// one after another, or on `--jobs N` threads at once (the same decisions either way:
/// `core::engine::sweep_run`).
pub(crate) fn sweep(graph: &Graph, path: &str, options: &TrainOptions) -> ExitCode {
    if options.save_weights.is_some() {
        eprintln!(
            "kindling-run: --save-weights saves one run; with a sweep, add --no-sweep (or Apply a trial in the page)"
        );
        return ExitCode::from(2);
    }
    let mut graph = graph.clone();
    if let Some(epochs) = options.epochs
        && let Err(error) = set_epochs(&mut graph, epochs)
    {
        eprintln!("kindling-run: {error}");
        return ExitCode::FAILURE;
    }
    let jobs = options.jobs.max(1);
    let lanes = if jobs == 1 {
        Lanes {
            local: Some(LocalDevice { device: cpu_device(), backend: Backend::Cpu, f16: false }),
            remote: 0,
        }
    } else {
        Lanes { local: None, remote: jobs }
    };
    let mut sweep = match SweepRun::new(&graph, lanes) {
        Ok(sweep) => sweep,
        Err(error) => {
            eprintln!("kindling-run: {path}'s sweep cannot run: {error}");
            return ExitCode::FAILURE;
        }
    };
    // The metrics file is written as the epochs come: a sweep's records keep only what
    // deciding and summing up need (`TrialRecord`), not every epoch.
    let mut metrics = match options.metrics_csv.as_deref().map(MetricsFile::create).transpose() {
        Ok(metrics) => metrics,
        Err(error) => {
            eprintln!("kindling-run: {error}");
            return ExitCode::FAILURE;
        }
    };
    let mut tell = |sweep: &SweepRun, event: &SweepEvent| {
        print_sweep_event(sweep, event);
        if let (Some(metrics), SweepEvent::Update(TrialUpdate::Epoch { index, stats, .. })) =
            (&mut metrics, event)
        {
            metrics.write(&format!("trial {}", sweep.progress().trials[*index].trial.id), stats);
        }
    };
    let host = Clock::new();
    if jobs == 1 {
        while !sweep.is_over() {
            for event in block_on(sweep.advance(f64::INFINITY, &host)) {
                tell(&sweep, &event);
            }
        }
    } else {
        let pool = LanePool::start(jobs);
        loop {
            for event in block_on(sweep.advance(f64::INFINITY, &host)) {
                tell(&sweep, &event);
                pool.hand_on(event);
            }
            if sweep.is_over() {
                break;
            }
            let Some((lane, report)) = pool.next_report() else {
                eprintln!("kindling-run: a sweep thread stopped unexpectedly");
                return ExitCode::FAILURE;
            };
            for event in sweep.report(lane, report) {
                tell(&sweep, &event);
                pool.hand_on(event);
            }
        }
    }
    let progress = sweep.progress();
    if progress.epochs_saved() > 0 {
        eprintln!("kindling-run: pruning saved {} epochs", progress.epochs_saved());
    }
    if let Some(Err(error)) = metrics.map(MetricsFile::finish) {
        eprintln!("kindling-run: {error}");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}

/// `--metrics-csv` of a sweep: a row per epoch of every trial, written as they close.
pub(crate) struct MetricsFile {
    path: PathBuf,
    writer: std::io::BufWriter<std::fs::File>,
    /// The first write that failed.
    error: Option<std::io::Error>,
}

impl MetricsFile {
    fn create(path: &std::path::Path) -> Result<Self, String> {
        let file = std::fs::File::create(path)
            .map_err(|error| format!("cannot write the metrics to {}: {error}", path.display()))?;
        let mut metrics = Self { path: path.into(), writer: std::io::BufWriter::new(file), error: None };
        metrics.write_line(&format!("{}\n", metrics_csv_file::HEADER));
        Ok(metrics)
    }

    fn write(&mut self, label: &str, stats: &EpochStats) {
        self.write_line(&metrics_csv_file::metrics_row(label, stats));
    }

    fn write_line(&mut self, line: &str) {
        use std::io::Write;
        if self.error.is_none()
            && let Err(error) = self.writer.write_all(line.as_bytes())
        {
            self.error = Some(error);
        }
    }

    fn finish(mut self) -> Result<(), String> {
        use std::io::Write;
        let flushed = self.writer.flush();
        match self.error.take().map_or(flushed, Err) {
            Ok(()) => Ok(()),
            Err(error) => Err(format!("cannot write the metrics to {}: {error}", self.path.display())),
        }
    }
}

/// Sets the EpochTracker's `total_epochs` of `graph` to `epochs`.
pub(crate) fn set_epochs(graph: &mut Graph, epochs: usize) -> Result<(), String> {
    let trackers: Vec<_> = graph.nodes_of(NodeKind::EpochTracker).map(|node| node.id).collect();
    for tracker in trackers {
        graph
            .update_params(tracker, |params: &mut EpochTrackerParams| params.total_epochs = epochs)
            .map_err(|error| format!("--epochs {epochs}: {error}"))?;
    }
    Ok(())
}

/// Prints what a sweep event says: a trial's epoch line, and a summary when a trial ends.
pub(crate) fn print_sweep_event(sweep: &SweepRun, event: &SweepEvent) {
    let progress = sweep.progress();
    let index = match event {
        SweepEvent::Update(TrialUpdate::Epoch { index, stats, seconds, pruned }) => {
            let record = &progress.trials[*index];
            let line = TrialEpochLine {
                trial: record.trial.id,
                settings: settings_json(&record.trial),
                epoch: &epoch_line(stats, *seconds),
            };
            println!("{}", serde_json::to_string(&line).unwrap_or_default());
            if !*pruned {
                return;
            }
            *index
        }
        SweepEvent::Update(TrialUpdate::Ended { index, .. }) => *index,
        _ => return,
    };
    let record = &progress.trials[index];
    let monitor = progress.monitor;
    let summary = Summary {
        state: record.state.label(),
        epochs: record.epochs_run,
        monitor: monitor.map(|monitor| monitor.name()),
        final_value: monitor.and_then(|monitor| record.final_value(monitor)),
        best: monitor.and_then(|monitor| record.best_value(monitor)),
        seconds: record.seconds,
        note: record.note.clone(),
    };
    let line = TrialSummaryLine { trial: record.trial.id, settings: settings_json(&record.trial), summary };
    println!("{}", serde_json::to_string(&line).unwrap_or_default());
}
