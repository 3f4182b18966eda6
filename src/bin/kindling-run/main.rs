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
//!
//! One file per part: the command line (`command_line.rs`), the files it reads
//! (`input_files.rs`), training (`train.rs`), sweeps (`sweep.rs`, their threads in
//! `lanes.rs`), `--predict` (`predict.rs`), `--export` (`export.rs`), and the JSON lines it
//! prints (`output_lines.rs`).

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    command_line::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
mod clock;
#[cfg(not(target_arch = "wasm32"))]
mod command_line;
#[cfg(not(target_arch = "wasm32"))]
mod export;
#[cfg(not(target_arch = "wasm32"))]
mod input_files;
#[cfg(not(target_arch = "wasm32"))]
mod lanes;
#[cfg(not(target_arch = "wasm32"))]
mod output_lines;
#[cfg(not(target_arch = "wasm32"))]
mod predict;
#[cfg(not(target_arch = "wasm32"))]
mod sweep;
#[cfg(not(target_arch = "wasm32"))]
mod train;
