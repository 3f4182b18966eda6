//! What the command line asks for, and `main`: read the graph, load its files, dispatch.

use std::path::PathBuf;
use std::process::ExitCode;

use kindling::core::document::graph_file;

use crate::export::export;
use crate::input_files::{load_csv_files, read_bounded};
use crate::sweep::sweep;
use crate::train::train;

pub(crate) const USAGE: &str = "usage: kindling-run [--data FILE.csv] [--epochs N] [--no-sweep] [--jobs N] [--save-weights FILE.safetensors] [--metrics-csv FILE.csv] [--predict FILE.csv [--weights FILE.bpk]] GRAPH.json\n       kindling-run [--data FILE.csv] --export pytorch|burn DIR [--force] GRAPH.json";

/// What the command line asks for.
pub(crate) enum Command {
    Train(TrainOptions),
    /// `force`: write into a folder that holds files already.
    Export {
        format: String,
        dir: PathBuf,
        force: bool,
    },
}

#[derive(Default)]
pub(crate) struct TrainOptions {
    /// Epochs instead of the graph's total.
    pub(crate) epochs: Option<usize>,
    pub(crate) save_weights: Option<PathBuf>,
    pub(crate) metrics_csv: Option<PathBuf>,
    /// Train the graph as it is, not its sweep's trials.
    pub(crate) no_sweep: bool,
    /// Trials of a sweep trained at once, each on a thread of its own (1: one after another).
    pub(crate) jobs: usize,
    /// A CSV file of inputs to ask the trained model about.
    pub(crate) predict: Option<PathBuf>,
    /// Weights to answer `predict` with (the page's Download weights), instead of training.
    pub(crate) weights: Option<PathBuf>,
}

/// The command and the graph file's path, or `None` for a usage error.
pub(crate) fn parse(args: &[String]) -> Option<(Command, String)> {
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

pub(crate) fn main() -> ExitCode {
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
