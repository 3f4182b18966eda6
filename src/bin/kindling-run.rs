//! `kindling-run GRAPH.json`: trains a graph file (the page's Export JSON, or a bare graph as
//! in `examples/`) headlessly on the CPU backend and prints
//! one JSON line per epoch:
//! `{"epoch", "train_loss", "train_accuracy", "val_loss", "val_accuracy", "lr", "seconds"}`
//! (null where the graph has no such value; accuracies are fractions, 0–1; a graph with a
//! ClassificationMetrics node adds `"precision", "recall", "f1", "roc_auc"` before
//! `"seconds"`); every
//! EpochTracker `log_interval` steps, `{"step", "loss", "steps", "grad_norm_mean",
//! "grad_norm_max"}` on stderr: the running average of the loss over the `steps` since the last
//! log, and the mean and largest global gradient norm (before clipping) of its updates. Exits 1 with the compiler's messages on a graph
//! it cannot run, 2 on a usage error.
//!
//! A graph with a sweep (`core::sweep_spec`) runs its trials one after another, pruned as
//! the sweep says, unless `--no-sweep` is given: each epoch line then starts with the
//! trial's `"trial"` id and `"settings"` (`{"NODE:param": value}`), and each trial ends with
//! a summary line, `{"trial", "settings", "summary": {"state", "epochs", "monitor",
//! "final", "best", "seconds"}}` (`final` and `best` signed so that higher is better).

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    runner::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
mod runner {
    use std::path::PathBuf;
    use std::process::ExitCode;
    use std::time::Instant;

    use futures_lite::future::block_on;
    use kindling::core::catalogue::NodeKind;
    use kindling::core::compile::compile;
    use kindling::core::csv_data::{self, CsvSelection, CsvTable, FileRef};
    use kindling::core::csv_store;
    use kindling::core::dataset::DatasetKind;
    use kindling::core::device::{Backend, cpu_device};
    use kindling::core::export::metrics_csv::metrics_csv;
    use kindling::core::export::{Export, burn_project, pytorch};
    use kindling::core::graph::Graph;
    use kindling::core::graph_file;
    use kindling::core::node_params::DatasetParams;
    use kindling::core::pytorch_weights::to_safetensors;
    use kindling::core::run::{Event, Host, Run, RunStart};
    use kindling::core::step_log::StepLog;
    use kindling::core::sweep_run::{SweepProgress, TrialState, Verdict};
    use kindling::core::sweep_spec::Trial;
    use kindling::core::train::EpochStats;
    use serde::Serialize;

    /// One line of output; fields print in this order.
    #[derive(Serialize)]
    struct EpochLine {
        epoch: usize,
        train_loss: f64,
        train_accuracy: Option<f64>,
        val_loss: Option<f64>,
        val_accuracy: Option<f64>,
        lr: f64,
        /// A ClassificationMetrics node's values (absent without one).
        #[serde(flatten)]
        metrics: Option<MetricsLine>,
        seconds: f64,
    }

    /// ClassificationMetrics' values in an epoch line.
    #[derive(Serialize)]
    struct MetricsLine {
        precision: f64,
        recall: f64,
        f1: f64,
        roc_auc: Option<f64>,
    }

    /// EpochTracker's log as a stderr line.
    #[derive(Serialize)]
    struct StepLine {
        step: usize,
        loss: f64,
        steps: usize,
        grad_norm_mean: Option<f64>,
        grad_norm_max: Option<f64>,
    }

    fn step_log_line(log: &StepLog) -> String {
        let summary = log.grad_norm_summary();
        let line = StepLine {
            step: log.step,
            loss: log.loss,
            steps: log.steps,
            grad_norm_mean: summary.map(|(mean, _)| mean),
            grad_norm_max: summary.map(|(_, max)| max),
        };
        serde_json::to_string(&line).unwrap_or_default()
    }

    /// The process's steady clock.
    struct Native {
        started: Instant,
    }

    impl Host for Native {
        fn now_millis(&self) -> f64 {
            self.started.elapsed().as_secs_f64() * 1000.0
        }
    }

    /// A sweep's epoch line: the trial, then the epoch's fields.
    #[derive(Serialize)]
    struct TrialEpochLine<'a> {
        trial: usize,
        settings: serde_json::Value,
        #[serde(flatten)]
        epoch: &'a EpochLine,
    }

    /// A sweep's line at the end of a trial.
    #[derive(Serialize)]
    struct TrialSummaryLine {
        trial: usize,
        settings: serde_json::Value,
        summary: Summary,
    }

    #[derive(Serialize)]
    struct Summary {
        state: &'static str,
        epochs: usize,
        monitor: Option<&'static str>,
        #[serde(rename = "final")]
        final_value: Option<f64>,
        best: Option<f64>,
        seconds: f64,
        #[serde(skip_serializing_if = "Option::is_none")]
        note: Option<String>,
    }

    const USAGE: &str = "usage: kindling-run [--data FILE.csv] [--epochs N] [--no-sweep] [--save-weights FILE.safetensors] [--metrics-csv FILE.csv] GRAPH.json\n       kindling-run [--data FILE.csv] --export pytorch|burn DIR GRAPH.json";

    /// What the command line asks for.
    enum Command {
        Train(TrainOptions),
        Export { format: String, dir: PathBuf },
    }

    #[derive(Default)]
    struct TrainOptions {
        /// Epochs instead of the graph's total.
        epochs: Option<usize>,
        save_weights: Option<PathBuf>,
        metrics_csv: Option<PathBuf>,
        /// Train the graph as it is, not its sweep's trials.
        no_sweep: bool,
    }

    /// The command and the graph file's path, or `None` for a usage error.
    fn parse(args: &[String]) -> Option<(Command, String)> {
        if let [flag, format, dir, path] = args
            && flag == "--export"
        {
            return Some((Command::Export { format: format.clone(), dir: dir.into() }, path.clone()));
        }
        let (path, mut flags) = args.split_last()?;
        if path.starts_with("--") {
            return None;
        }
        let mut options = TrainOptions::default();
        while let Some((flag, rest)) = flags.split_first() {
            if flag == "--no-sweep" {
                options.no_sweep = true;
                flags = rest;
                continue;
            }
            let (value, rest) = rest.split_first()?;
            match flag.as_str() {
                "--epochs" => options.epochs = Some(value.parse().ok().filter(|&n| n > 0)?),
                "--save-weights" => options.save_weights = Some(value.into()),
                "--metrics-csv" => options.metrics_csv = Some(value.into()),
                _ => return None,
            }
            flags = rest;
        }
        Some((Command::Train(options), path.clone()))
    }

    pub fn main() -> ExitCode {
        let mut args: Vec<String> = std::env::args().skip(1).collect();
        // `--data FILE` (anywhere before the graph): the CSV file a csv Dataset trains on.
        let data = match args.iter().position(|arg| arg == "--data") {
            Some(at) if at + 2 < args.len() => {
                let file = args.remove(at + 1);
                args.remove(at);
                Some(PathBuf::from(file))
            }
            Some(_) => {
                eprintln!("{USAGE}");
                return ExitCode::from(2);
            }
            None => None,
        };
        let Some((command, path)) = parse(&args) else {
            eprintln!("{USAGE}");
            return ExitCode::from(2);
        };
        let text = match read_bounded(&path) {
            Ok(text) => text,
            Err(error) => {
                eprintln!("kindling-run: cannot read {path}: {error}");
                return ExitCode::FAILURE;
            }
        };
        // Any graph file: an export from the page (versioned) or a bare graph as in examples/.
        let mut graph = match graph_file::from_json(&text) {
            Ok(experiment) => experiment.graph,
            Err(error) => {
                eprintln!("kindling-run: {path} cannot be read: {error}");
                return ExitCode::FAILURE;
            }
        };
        if let Err(error) = load_csv_files(&mut graph, &path, data.as_deref()) {
            eprintln!("kindling-run: {error}");
            return ExitCode::FAILURE;
        }
        match command {
            Command::Train(options) if !graph.sweep().is_empty() && !options.no_sweep => {
                sweep(&graph, &path, &options)
            }
            Command::Train(options) => train(&graph, &path, &options),
            Command::Export { format, dir } => export(&graph, &path, &format, &dir),
        }
    }

    /// Reads the CSV file of every csv Dataset of `graph`: `data` when given (the graph then
    /// trains on it, whatever file it was made with), else the file of the name the graph
    /// gives, beside the graph file at `path` — which must be the very file (its SHA-256).
    fn load_csv_files(graph: &mut Graph, path: &str, data: Option<&std::path::Path>) -> Result<(), String> {
        let datasets: Vec<(kindling::core::graph::NodeId, Option<FileRef>)> = graph
            .nodes_of(NodeKind::Dataset)
            .filter_map(|node| DatasetParams::read(node).ok().map(|params| (node.id, params)))
            .filter(|(_, params)| params.kind == DatasetKind::Csv)
            .map(|(id, params)| (id, params.file))
            .collect();
        for (node, wanted) in datasets {
            let file = match (data, &wanted) {
                (Some(data), _) => data.to_path_buf(),
                (None, Some(wanted)) => std::path::Path::new(path)
                    .parent()
                    .unwrap_or(std::path::Path::new("."))
                    .join(&wanted.name),
                (None, None) => {
                    return Err(format!(
                        "{path}: its Dataset {node} has no file; pass one with --data FILE.csv"
                    ));
                }
            };
            let bytes = read_csv_file(&file)?;
            let name = file.file_name().map_or_else(String::new, |name| name.to_string_lossy().into_owned());
            let table = CsvTable::parse(&name, &bytes)
                .map_err(|error| format!("{} cannot be used as a dataset: {error}", file.display()))?;
            match &wanted {
                Some(wanted) if wanted.sha256 == table.file.sha256 => {}
                Some(wanted) if data.is_none() => {
                    return Err(format!(
                        "{} differs from the file {path} was made with ({}, sha256 {}…); pass it with --data to train on it anyway",
                        file.display(),
                        wanted.describe(),
                        &wanted.sha256[..12]
                    ));
                }
                _ => {
                    if let Some(wanted) = &wanted {
                        eprintln!(
                            "kindling-run: note: {} is not the file the graph was made with ({})",
                            file.display(),
                            wanted.describe()
                        );
                    }
                    graph
                        .set_param(
                            node,
                            "file",
                            kindling::core::params::ParamValue::Text(table.file.to_param()),
                        )
                        .map_err(|error| error.to_string())?;
                }
            }
            if let Some(params) = graph.node(node).and_then(|node| DatasetParams::read(node).ok())
                && let Ok(data) = table.select(&CsvSelection {
                    target: params.target.clone(),
                    features: params.features.clone(),
                    task: params.task,
                })
                && let Some(text) = data.left_out_text()
            {
                eprintln!("kindling-run: note: {text}");
            }
            csv_store::insert(table);
        }
        Ok(())
    }

    /// The bytes of a CSV file, reading at most one byte past the largest one read.
    fn read_csv_file(file: &std::path::Path) -> Result<Vec<u8>, String> {
        use std::io::Read;
        let opened =
            std::fs::File::open(file).map_err(|error| format!("cannot read {}: {error}", file.display()))?;
        let mut bytes = Vec::new();
        opened
            .take(csv_data::MAX_BYTES as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(|error| format!("cannot read {}: {error}", file.display()))?;
        Ok(bytes)
    }

    /// The text of the file at `path`, reading at most one byte past what a graph file may
    /// hold: a larger file is refused in bounded memory, whatever its size.
    fn read_bounded(path: &str) -> Result<String, String> {
        use std::io::Read;
        let file = std::fs::File::open(path).map_err(|error| error.to_string())?;
        let mut bytes = Vec::new();
        file.take(graph_file::MAX_FILE_BYTES as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(|error| error.to_string())?;
        if bytes.len() > graph_file::MAX_FILE_BYTES {
            return Err(format!(
                "it is larger than {} MiB, more than any graph file",
                graph_file::MAX_FILE_BYTES >> 20
            ));
        }
        String::from_utf8(bytes).map_err(|_| "it is not UTF-8 text".to_owned())
    }

    /// Writes `graph`'s program in `format` into `dir`.
    fn export(graph: &Graph, path: &str, format: &str, dir: &std::path::Path) -> ExitCode {
        let name = std::path::Path::new(path)
            .file_stem()
            .map_or_else(String::new, |stem| stem.to_string_lossy().into_owned());
        let exported: Result<Export, _> = match format {
            "pytorch" => block_on(pytorch::export(graph, &name)),
            "burn" => block_on(burn_project::export(graph, &name)),
            _ => {
                eprintln!("kindling-run: no export format {format:?}; there are pytorch and burn\n{USAGE}");
                return ExitCode::from(2);
            }
        };
        let exported = match exported {
            Ok(exported) => exported,
            Err(error) => {
                eprintln!("kindling-run: {path} cannot be exported: {error}");
                return ExitCode::FAILURE;
            }
        };
        for file in &exported.files {
            let target = dir.join(&file.path);
            let written = target
                .parent()
                .map_or(Ok(()), std::fs::create_dir_all)
                .and_then(|()| std::fs::write(&target, &file.bytes));
            if let Err(error) = written {
                eprintln!("kindling-run: cannot write {}: {error}", target.display());
                return ExitCode::FAILURE;
            }
        }
        for note in &exported.notes {
            eprintln!("kindling-run: note: {note}");
        }
        eprintln!("kindling-run: wrote {} files into {}", exported.files.len(), dir.display());
        ExitCode::SUCCESS
    }

    /// Trains `graph` as `options` say, printing its epochs.
    fn train(graph: &Graph, path: &str, options: &TrainOptions) -> ExitCode {
        let Some(mut run) = start(graph, path, options) else { return ExitCode::FAILURE };
        let mut epochs = Vec::new();
        let ended = train_run(&mut run, |line, stats| {
            // Plain numbers and options serialise without fail.
            println!("{}", serde_json::to_string(line).unwrap_or_default());
            epochs.push(stats);
            Verdict::GoOn
        });
        match ended {
            Ended::Finished => save(&run, &epochs, options),
            Ended::Halted(error) => {
                eprintln!("kindling-run: {error}");
                ExitCode::FAILURE
            }
            Ended::Pruned => ExitCode::SUCCESS,
        }
    }

    /// A run of `graph`, with `options`' epochs; `None` after saying why it cannot train.
    fn start(graph: &Graph, path: &str, options: &TrainOptions) -> Option<Run> {
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

    /// How a run ended.
    enum Ended {
        Finished,
        /// The epoch callback said to stop.
        Pruned,
        /// It diverged or failed, with why.
        Halted(String),
    }

    /// Advances `run` to its end, handing each epoch's line and stats to `epoch`, which
    /// says whether the run goes on.
    fn train_run(run: &mut Run, mut epoch: impl FnMut(&EpochLine, EpochStats) -> Verdict) -> Ended {
        let host = Native { started: Instant::now() };
        let mut epoch_started = Instant::now();
        loop {
            // No deadline: the run comes back at the end of each epoch.
            for event in block_on(run.advance(f64::INFINITY, &host)) {
                match event {
                    Event::Epoch(stats) => {
                        let line = EpochLine {
                            epoch: stats.epoch,
                            train_loss: stats.train_loss,
                            train_accuracy: stats.train_accuracy,
                            val_loss: stats.val_loss,
                            val_accuracy: stats.val_accuracy,
                            lr: stats.lr,
                            metrics: stats.class_metrics.map(|metrics| MetricsLine {
                                precision: metrics.precision,
                                recall: metrics.recall,
                                f1: metrics.f1,
                                roc_auc: metrics.roc_auc,
                            }),
                            seconds: epoch_started.elapsed().as_secs_f64(),
                        };
                        let last = stats.epoch >= run.trainer().plan().tracker.epochs;
                        if epoch(&line, stats) == Verdict::Prune && !last {
                            return Ended::Pruned;
                        }
                        epoch_started = Instant::now();
                    }
                    Event::Log(log) => eprintln!("{}", step_log_line(&log)),
                    Event::StoppedEarly { epoch } => {
                        eprintln!("kindling-run: stopped early after epoch {epoch}: no improvement");
                    }
                    Event::Finished => return Ended::Finished,
                    Event::Diverged(error) | Event::Failed(error) => return Ended::Halted(error.to_string()),
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

    /// A trial's settings as JSON: `{"NODE:param": value}`.
    fn settings_json(trial: &Trial) -> serde_json::Value {
        trial
            .settings
            .iter()
            .map(|setting| {
                let value = serde_json::to_value(&setting.value).unwrap_or(serde_json::Value::Null);
                (format!("{}:{}", setting.node.0, setting.param), value)
            })
            .collect::<serde_json::Map<_, _>>()
            .into()
    }

    /// Runs `graph`'s sweep, printing every trial's epochs and a summary of each.
    fn sweep(graph: &Graph, path: &str, options: &TrainOptions) -> ExitCode {
        if options.save_weights.is_some() {
            eprintln!(
                "kindling-run: --save-weights saves one run; with a sweep, add --no-sweep (or Apply a trial in the page)"
            );
            return ExitCode::from(2);
        }
        let mut progress = match SweepProgress::new(graph) {
            Ok(progress) => progress,
            Err(error) => {
                eprintln!("kindling-run: {path}'s sweep cannot run: {error}");
                return ExitCode::FAILURE;
            }
        };
        while let Some((index, trial_graph)) = progress.start_next() {
            let trial = progress.trials[index].trial.clone();
            let settings = settings_json(&trial);
            let ended = match start(&trial_graph, path, options) {
                None => Some((TrialState::Stopped, Some("it cannot train (see above)".to_owned()))),
                Some(mut run) => {
                    progress.planned(index, run.trainer().plan().tracker.epochs);
                    let ended = train_run(&mut run, |line, stats| {
                        let line =
                            TrialEpochLine { trial: trial.id, settings: settings.clone(), epoch: line };
                        println!("{}", serde_json::to_string(&line).unwrap_or_default());
                        progress.epoch(index, stats, line.epoch.seconds)
                    });
                    match ended {
                        Ended::Finished => Some((TrialState::Done, None)),
                        Ended::Pruned => None,
                        Ended::Halted(error) => Some((TrialState::Diverged, Some(error))),
                    }
                }
            };
            if let Some((state, note)) = ended {
                progress.end(index, state, note);
            }
            let record = &progress.trials[index];
            let monitor = progress.monitor;
            let summary = Summary {
                state: record.state.label(),
                epochs: record.epochs.len(),
                monitor: monitor.map(|monitor| monitor.name()),
                final_value: monitor.and_then(|monitor| record.final_value(monitor)),
                best: monitor.and_then(|monitor| record.best_value(monitor)),
                seconds: record.seconds,
                note: record.note.clone(),
            };
            let line = TrialSummaryLine { trial: trial.id, settings, summary };
            println!("{}", serde_json::to_string(&line).unwrap_or_default());
        }
        if progress.epochs_saved() > 0 {
            eprintln!("kindling-run: pruning saved {} epochs", progress.epochs_saved());
        }
        if let Some(path) = &options.metrics_csv {
            let labels: Vec<String> =
                progress.trials.iter().map(|record| format!("trial {}", record.trial.id)).collect();
            let runs = progress
                .trials
                .iter()
                .zip(&labels)
                .map(|(record, label)| (label.as_str(), &record.epochs[..]));
            if let Err(error) = std::fs::write(path, metrics_csv(runs)) {
                eprintln!("kindling-run: cannot write the metrics to {}: {error}", path.display());
                return ExitCode::FAILURE;
            }
        }
        ExitCode::SUCCESS
    }

    /// Writes what `options` ask for at the end of a run: the weights, the metrics.
    fn save(run: &Run, epochs: &[EpochStats], options: &TrainOptions) -> ExitCode {
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
}
