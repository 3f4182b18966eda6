//! Training one run: from the graph or from saved weights, its epochs printed, its weights and
//! metrics saved, then `--predict` asked.

use std::process::ExitCode;
use std::time::Instant;

use futures_lite::future::block_on;
use kindling::core::compile::compiler::compile;
use kindling::core::document::checkpoint;
use kindling::core::document::metrics_csv::metrics_csv;
use kindling::core::engine::device::cpu_device;
use kindling::core::engine::pytorch_weights::to_safetensors;
use kindling::core::engine::run::{Event, Resume, Run, RunStart};
use kindling::core::engine::weights;
use kindling::core::model::graph::Graph;
use kindling::core::protocol::backend::Backend;
use kindling::core::report::epoch_stats::EpochStats;

use crate::clock::Clock;
use crate::command_line::TrainOptions;
use crate::input_files::read_csv_file;
use crate::output_lines::{epoch_line, step_log_line};

/// Trains `graph` as `options` say, printing its epochs.
pub(crate) fn train(graph: &Graph, path: &str, options: &TrainOptions) -> ExitCode {
    if let Some(weights) = &options.weights {
        return match start_from(graph, path, weights) {
            Ok(run) => ask(&run, options),
            Err(error) => {
                eprintln!("kindling-run: {error}");
                ExitCode::FAILURE
            }
        };
    }
    let Some(mut run) = start(graph, path, options) else { return ExitCode::FAILURE };
    match train_run(&mut run) {
        Ok(epochs) => {
            let saved = save(&run, &epochs, options);
            if saved == ExitCode::SUCCESS { ask(&run, options) } else { saved }
        }
        Err(error) => {
            eprintln!("kindling-run: {error}");
            ExitCode::FAILURE
        }
    }
}

/// A run of `graph`, with `options`' epochs; `None` after saying why it cannot train.
pub(crate) fn start(graph: &Graph, path: &str, options: &TrainOptions) -> Option<Run> {
    let mut plan = match compile(graph) {
        Ok(plan) => plan,
        Err(errors) => {
            eprintln!("kindling-run: {path} cannot train:");
            for error in errors {
                eprintln!("  - {error}");
            }
            return None;
        }
    };
    if let Some(epochs) = options.epochs {
        plan.tracker.epochs = epochs;
    }
    if plan.step.mixed_precision {
        eprintln!(
            "kindling-run: note: TrainingStep asks for mixed precision, which the CPU backend cannot honour: \
             this run computes in f32 (the page computes in f16 on a WebGPU adapter with shader-f16)"
        );
    }
    Run::start(plan, RunStart::new(cpu_device(), Backend::Cpu))
        .map_err(|error| eprintln!("kindling-run: {error}"))
        .ok()
}

/// A paused run of `graph` on the weights in the file `weights` (burn's record format, as
/// the page's Download weights saves them), which must fit its Network.
pub(crate) fn start_from(graph: &Graph, path: &str, weights: &std::path::Path) -> Result<Run, String> {
    let plan = compile(graph).map_err(|errors| {
        let errors: Vec<String> = errors.iter().map(|error| format!("  - {error}")).collect();
        format!("{path} cannot train:\n{}", errors.join("\n"))
    })?;
    let metadata =
        std::fs::metadata(weights).map_err(|error| format!("cannot read {}: {error}", weights.display()))?;
    if !metadata.is_file() {
        // A FIFO or a device would block, or never end.
        return Err(format!("cannot read {}: it is not a regular file", weights.display()));
    }
    let size = metadata.len();
    if size > checkpoint::MAX_BYTES as u64 {
        return Err(format!("{} is larger than weights can be ({} bytes)", weights.display(), size));
    }
    let bytes =
        std::fs::read(weights).map_err(|error| format!("cannot read {}: {error}", weights.display()))?;
    let model = weights::from_bytes(&bytes, &plan.network, &cpu_device()).map_err(|error| {
        format!("{}: {error} (this graph's Network is {})", weights.display(), plan.network.describe())
    })?;
    let start = RunStart {
        from: Some(Resume { weights: model, epoch: 0, state: None }),
        paused: true,
        ..RunStart::new(cpu_device(), Backend::Cpu)
    };
    Run::start(plan, start).map_err(|error| error.to_string())
}

/// Advances `run` to its end, printing each epoch's line and each step log; the epochs,
/// or why it diverged or failed.
pub(crate) fn train_run(run: &mut Run) -> Result<Vec<EpochStats>, String> {
    let host = Clock::new();
    let mut epoch_started = Instant::now();
    let mut epochs = Vec::new();
    loop {
        // No deadline: the run comes back at the end of each epoch.
        for event in block_on(run.advance(f64::INFINITY, &host)) {
            match event {
                Event::Epoch(stats) => {
                    let line = epoch_line(&stats, epoch_started.elapsed().as_secs_f64());
                    // Plain numbers and options serialise without fail.
                    println!("{}", serde_json::to_string(&line).unwrap_or_default());
                    epochs.push(stats);
                    epoch_started = Instant::now();
                }
                Event::Log(log) => eprintln!("{}", step_log_line(&log)),
                Event::StoppedEarly { epoch } => {
                    eprintln!("kindling-run: stopped early after epoch {epoch}: no improvement");
                }
                Event::Finished => return Ok(epochs),
                Event::Diverged(error) | Event::Failed(error) => return Err(error.to_string()),
                // The CPU never fails over and nothing asks it to pause, step or move;
                // checkpoints are the page's.
                Event::CheckpointDue(_)
                | Event::Copied(_)
                | Event::Stepped
                | Event::Moved { .. }
                | Event::MoveRefused { .. }
                | Event::DeviceFailed { .. } => {}
            }
        }
    }
}
/// Asks the trained model about the rows of `--predict`'s file, if given.
pub(crate) fn ask(run: &Run, options: &TrainOptions) -> ExitCode {
    let Some(path) = &options.predict else { return ExitCode::SUCCESS };
    let name = path
        .file_name()
        .map_or_else(|| path.display().to_string(), |name| name.to_string_lossy().into_owned());
    match read_csv_file(path).and_then(|bytes| crate::predict::predict(run.trainer(), &name, &bytes)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("kindling-run: --predict: {error}");
            ExitCode::FAILURE
        }
    }
}

/// Writes what `options` ask for at the end of a run: the weights, the metrics.
pub(crate) fn save(run: &Run, epochs: &[EpochStats], options: &TrainOptions) -> ExitCode {
    if let Some(path) = &options.save_weights {
        let bytes = block_on(run.trainer().weights())
            .map_err(|error| error.to_string())
            .and_then(|model| block_on(to_safetensors(&model)).map_err(|error| error.to_string()));
        if let Err(error) =
            bytes.and_then(|bytes| std::fs::write(path, bytes).map_err(|error| error.to_string()))
        {
            eprintln!("kindling-run: cannot write the weights to {}: {error}", path.display());
            return ExitCode::FAILURE;
        }
    }
    if let Some(path) = &options.metrics_csv
        && let Err(error) = std::fs::write(path, metrics_csv([("current", epochs)]))
    {
        eprintln!("kindling-run: cannot write the metrics to {}: {error}", path.display());
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
