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
//! A graph with a sweep (`core::model::sweep_spec`) runs its trials one after another — or
//! `--jobs N` at once, each on a thread of its own, with the same decisions — pruned as the
//! sweep says, unless `--no-sweep` is given: each epoch line then starts with the
//! trial's `"trial"` id and `"settings"` (`{"NODE:param": value}`), and each trial ends with
//! a summary line, `{"trial", "settings", "summary": {"state", "epochs", "monitor",
//! "final", "best", "seconds"}}` (`final` and `best` signed so that higher is better).
//!
//! `--predict FILE.csv` then asks the trained model about each row of FILE and prints one
//! line each (`predict.rs`): `{"line", "class", "probabilities"}` or `{"line", "value"}`;
//! with `--weights FILE.bpk` (the page's Download weights) it answers with those weights and
//! trains nothing.

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    runner::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
#[path = "kindling-run/predict.rs"]
mod predict;

#[cfg(not(target_arch = "wasm32"))]
mod runner {
    use std::path::PathBuf;
    use std::process::ExitCode;
    use std::time::Instant;

    use futures_lite::future::block_on;
    use kindling::core::compile::compiler::compile;
    use kindling::core::data::csv_data::{self, CsvSelection, CsvTable};
    use kindling::core::data::csv_store;
    use kindling::core::document::metrics_csv::{self as metrics_csv_file, metrics_csv};
    use kindling::core::document::{checkpoint, graph_file};
    use kindling::core::engine::device::cpu_device;
    use kindling::core::engine::pytorch_weights::to_safetensors;
    use kindling::core::engine::run::{Event, Host, Resume, Run, RunStart};
    use kindling::core::engine::sweep_run::{Lanes, LocalDevice, SweepEvent, SweepRun};
    use kindling::core::engine::trial_run::TrialRun;
    use kindling::core::engine::weights;
    use kindling::core::export::{Export, ExportFile, burn_project, pytorch};
    use kindling::core::model::catalogue::NodeKind;
    use kindling::core::model::catalogue::{DatasetParams, EpochTrackerParams};
    use kindling::core::model::choices::DatasetKind;
    use kindling::core::model::file_ref::FileRef;
    use kindling::core::model::graph::Graph;
    use kindling::core::model::sweep_spec::Trial;
    use kindling::core::protocol::backend::Backend;
    use kindling::core::report::epoch_stats::EpochStats;
    use kindling::core::report::step_log::StepLog;
    use kindling::core::report::sweep_progress::{TrialReport, TrialState, TrialUpdate};
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

    const USAGE: &str = "usage: kindling-run [--data FILE.csv] [--epochs N] [--no-sweep] [--jobs N] [--save-weights FILE.safetensors] [--metrics-csv FILE.csv] [--predict FILE.csv [--weights FILE.bpk]] GRAPH.json\n       kindling-run [--data FILE.csv] --export pytorch|burn DIR [--force] GRAPH.json";

    /// What the command line asks for.
    enum Command {
        Train(TrainOptions),
        /// `force`: write into a folder that holds files already.
        Export {
            format: String,
            dir: PathBuf,
            force: bool,
        },
    }

    #[derive(Default)]
    struct TrainOptions {
        /// Epochs instead of the graph's total.
        epochs: Option<usize>,
        save_weights: Option<PathBuf>,
        metrics_csv: Option<PathBuf>,
        /// Train the graph as it is, not its sweep's trials.
        no_sweep: bool,
        /// Trials of a sweep trained at once, each on a thread of its own (1: one after another).
        jobs: usize,
        /// A CSV file of inputs to ask the trained model about.
        predict: Option<PathBuf>,
        /// Weights to answer `predict` with (the page's Download weights), instead of training.
        weights: Option<PathBuf>,
    }

    /// The command and the graph file's path, or `None` for a usage error.
    fn parse(args: &[String]) -> Option<(Command, String)> {
        match args {
            [flag, format, dir, path] if flag == "--export" => {
                return Some((
                    Command::Export { format: format.clone(), dir: dir.into(), force: false },
                    path.clone(),
                ));
            }
            [flag, format, dir, force, path] if flag == "--export" && force == "--force" => {
                return Some((
                    Command::Export { format: format.clone(), dir: dir.into(), force: true },
                    path.clone(),
                ));
            }
            _ => {}
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
                "--predict" => options.predict = Some(value.into()),
                "--weights" => options.weights = Some(value.into()),
                "--jobs" => options.jobs = value.parse().ok().filter(|&n| (1..=64).contains(&n))?,
                _ => return None,
            }
            flags = rest;
        }
        // Weights are only for answering: with them nothing trains.
        if options.weights.is_some() && (options.predict.is_none() || options.epochs.is_some()) {
            return None;
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
            Command::Train(options)
                if !graph.sweep().is_empty() && !options.no_sweep && options.weights.is_none() =>
            {
                sweep(&graph, &path, &options)
            }
            Command::Train(options) => train(&graph, &path, &options),
            Command::Export { format, dir, force } => export(&graph, &path, &format, &dir, force),
        }
    }

    /// Reads the CSV file of every csv Dataset of `graph`: `data` when given (the graph then
    /// trains on it, whatever file it was made with), else the file of the name the graph
    /// gives, beside the graph file at `path` — which must be the very file (its SHA-256).
    fn load_csv_files(graph: &mut Graph, path: &str, data: Option<&std::path::Path>) -> Result<(), String> {
        let datasets: Vec<(kindling::core::model::node_id::NodeId, Option<FileRef>)> = graph
            .nodes_of(NodeKind::Dataset)
            .filter_map(|node| DatasetParams::read(node).ok().map(|params| (node.id, params)))
            .filter(|(_, params)| params.kind == DatasetKind::Csv)
            .map(|(id, params)| (id, params.file))
            .collect();
        for (node, wanted) in datasets {
            let file = match (data, &wanted) {
                (Some(data), _) => data.to_path_buf(),
                (None, Some(wanted)) => {
                    let name = bare_file_name(&wanted.name).ok_or_else(|| {
                        format!(
                            "{path}: its Dataset {node} names its file `{}`, which is not a bare file name; \
                             put the file beside the graph or pass it with --data FILE.csv",
                            wanted.name.escape_debug()
                        )
                    })?;
                    std::path::Path::new(path).parent().unwrap_or(std::path::Path::new(".")).join(name)
                }
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
                        .update_params(node, |params: &mut DatasetParams| {
                            params.file = Some(table.file.clone())
                        })
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
        let metadata =
            std::fs::metadata(file).map_err(|error| format!("cannot read {}: {error}", file.display()))?;
        if !metadata.is_file() {
            // A FIFO or a device would block, or never end.
            return Err(format!("cannot read {}: it is not a regular file", file.display()));
        }
        let opened =
            std::fs::File::open(file).map_err(|error| format!("cannot read {}: {error}", file.display()))?;
        let mut bytes = Vec::new();
        opened
            .take(csv_data::MAX_BYTES as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(|error| format!("cannot read {}: {error}", file.display()))?;
        Ok(bytes)
    }

    /// `name` when it is a bare file name — no folder, no `..`, not absolute — which is all a
    /// graph may name: a graph from elsewhere must not make the runner read any other file.
    fn bare_file_name(name: &str) -> Option<&str> {
        let mut components = std::path::Path::new(name).components();
        let bare =
            matches!((components.next(), components.next()), (Some(std::path::Component::Normal(_)), None));
        (bare && !name.contains(['/', '\\'])).then_some(name)
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

    /// Writes `graph`'s program in `format` into `dir` (which must be empty unless `force`).
    fn export(graph: &Graph, path: &str, format: &str, dir: &std::path::Path, force: bool) -> ExitCode {
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
        if let Err(error) = write_export(dir, &exported.files, force) {
            eprintln!("kindling-run: {error}");
            return ExitCode::FAILURE;
        }
        for note in &exported.notes {
            eprintln!("kindling-run: note: {note}");
        }
        eprintln!("kindling-run: wrote {} files into {}", exported.files.len(), dir.display());
        ExitCode::SUCCESS
    }

    /// Writes `files` into `dir`, creating it: into a folder that holds anything only when
    /// `force` (replacing files of the same names), and never through a symbolic link — each
    /// file is created anew, which does not follow one.
    fn write_export(dir: &std::path::Path, files: &[ExportFile], force: bool) -> Result<(), String> {
        let symlink = |path: &std::path::Path| {
            std::fs::symlink_metadata(path).is_ok_and(|metadata| metadata.file_type().is_symlink())
        };
        if symlink(dir) {
            return Err(format!("{} is a symbolic link; export into a real folder", dir.display()));
        }
        let occupied = std::fs::read_dir(dir).is_ok_and(|mut entries| entries.next().is_some());
        if occupied && !force {
            return Err(format!(
                "{} is not empty; export into an empty or new folder, or pass --force to replace the \
                 files of the same names",
                dir.display()
            ));
        }
        for file in files {
            let target = dir.join(&file.path);
            let cannot =
                |error: &dyn std::fmt::Display| format!("cannot write {}: {error}", target.display());
            if let Some(parent) = target.parent() {
                std::fs::create_dir_all(parent).map_err(|error| cannot(&error))?;
                let mut folder = parent;
                while folder.starts_with(dir) && folder != dir {
                    if symlink(folder) {
                        return Err(cannot(&"a folder on its way is a symbolic link"));
                    }
                    folder = folder.parent().unwrap_or(dir);
                }
            }
            if std::fs::symlink_metadata(&target).is_ok() {
                std::fs::remove_file(&target).map_err(|error| cannot(&error))?;
            }
            let mut created = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .open(&target)
                .map_err(|error| cannot(&error))?;
            std::io::Write::write_all(&mut created, &file.bytes).map_err(|error| cannot(&error))?;
        }
        Ok(())
    }

    /// Trains `graph` as `options` say, printing its epochs.
    fn train(graph: &Graph, path: &str, options: &TrainOptions) -> ExitCode {
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

    /// A paused run of `graph` on the weights in the file `weights` (burn's record format, as
    /// the page's Download weights saves them), which must fit its Network.
    fn start_from(graph: &Graph, path: &str, weights: &std::path::Path) -> Result<Run, String> {
        let plan = compile(graph).map_err(|errors| {
            let errors: Vec<String> = errors.iter().map(|error| format!("  - {error}")).collect();
            format!("{path} cannot train:\n{}", errors.join("\n"))
        })?;
        let metadata = std::fs::metadata(weights)
            .map_err(|error| format!("cannot read {}: {error}", weights.display()))?;
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
    fn train_run(run: &mut Run) -> Result<Vec<EpochStats>, String> {
        let host = Native { started: Instant::now() };
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

    /// An epoch's line: its stats, and the seconds it took.
    fn epoch_line(stats: &EpochStats, seconds: f64) -> EpochLine {
        EpochLine {
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
            seconds,
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

    /// Runs `graph`'s sweep, printing every trial's epochs and a summary of each: its trials
    /// one after another, or on `--jobs N` threads at once (the same decisions either way:
    /// `core::engine::sweep_run`).
    fn sweep(graph: &Graph, path: &str, options: &TrainOptions) -> ExitCode {
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
        let host = Native { started: Instant::now() };
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
    struct MetricsFile {
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
    fn set_epochs(graph: &mut Graph, epochs: usize) -> Result<(), String> {
        let trackers: Vec<_> = graph.nodes_of(NodeKind::EpochTracker).map(|node| node.id).collect();
        for tracker in trackers {
            graph
                .update_params(tracker, |params: &mut EpochTrackerParams| params.total_epochs = epochs)
                .map_err(|error| format!("--epochs {epochs}: {error}"))?;
        }
        Ok(())
    }

    /// Prints what a sweep event says: a trial's epoch line, and a summary when a trial ends.
    fn print_sweep_event(sweep: &SweepRun, event: &SweepEvent) {
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
        let line =
            TrialSummaryLine { trial: record.trial.id, settings: settings_json(&record.trial), summary };
        println!("{}", serde_json::to_string(&line).unwrap_or_default());
    }

    /// What the main thread tells a lane's thread.
    enum LaneCommand {
        Assign(Box<Graph>),
        /// The verdict on its trial's last epoch: go on, or stop the trial.
        Verdict(bool),
    }

    /// `--jobs N`: a thread per lane, each training one trial at a time as the sweep assigns
    /// it, reporting each epoch and waiting for the verdict.
    struct LanePool {
        commands: Vec<std::sync::mpsc::Sender<LaneCommand>>,
        reports: std::sync::mpsc::Receiver<(usize, TrialReport)>,
    }

    impl LanePool {
        fn start(lanes: usize) -> Self {
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
        fn hand_on(&self, event: SweepEvent) {
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

        fn next_report(&self) -> Option<(usize, TrialReport)> {
            self.reports.recv().ok()
        }
    }

    /// A lane's thread: trains each trial assigned to it, epoch by epoch, as the verdicts say.
    fn lane_thread(
        lane: usize,
        commands: &std::sync::mpsc::Receiver<LaneCommand>,
        reports: &std::sync::mpsc::Sender<(usize, TrialReport)>,
    ) {
        let host = Native { started: Instant::now() };
        while let Ok(command) = commands.recv() {
            let LaneCommand::Assign(graph) = command else { continue };
            let trial = compile(&graph).map_err(|_| "it cannot train".to_owned()).and_then(|plan| {
                TrialRun::start(plan, RunStart::new(cpu_device(), Backend::Cpu))
                    .map_err(|error| error.to_string())
            });
            let mut trial = match trial {
                Ok(trial) => trial,
                Err(note) => {
                    let _ = reports
                        .send((lane, TrialReport::Ended { state: TrialState::Failed, note: Some(note) }));
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

    /// Asks the trained model about the rows of `--predict`'s file, if given.
    fn ask(run: &Run, options: &TrainOptions) -> ExitCode {
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
