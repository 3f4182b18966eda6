//! `kindling-run GRAPH.json`: trains a graph file (the page's Export JSON, or a bare graph as
//! in `examples/`) headlessly on the CPU backend and prints
//! one JSON line per epoch:
//! `{"epoch", "train_loss", "train_accuracy", "val_loss", "val_accuracy", "lr", "seconds"}`
//! (null where the graph has no such value; accuracies are fractions, 0–1); every
//! EpochTracker `log_interval` steps, `{"step", "loss"}` on stderr. Exits 1 with the compiler's messages on a graph
//! it cannot run, 2 on a usage error.

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    runner::main()
}

#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
mod runner {
    use std::process::ExitCode;
    use std::time::Instant;

    use futures_lite::future::block_on;
    use kindling::core::compile::compile;
    use kindling::core::device::{Backend, cpu_device};
    use kindling::core::graph_file;
    use kindling::core::run::{Event, Host, Run, RunStart};
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
        seconds: f64,
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

    pub fn main() -> ExitCode {
        let args: Vec<String> = std::env::args().skip(1).collect();
        let [path] = args.as_slice() else {
            eprintln!("usage: kindling-run GRAPH.json");
            return ExitCode::from(2);
        };
        let text = match std::fs::read_to_string(path) {
            Ok(text) => text,
            Err(error) => {
                eprintln!("kindling-run: cannot read {path}: {error}");
                return ExitCode::FAILURE;
            }
        };
        // Any graph file: an export from the page (versioned) or a bare graph as in examples/.
        let graph = match graph_file::from_json(&text) {
            Ok(experiment) => experiment.graph,
            Err(error) => {
                eprintln!("kindling-run: {path} cannot be read: {error}");
                return ExitCode::FAILURE;
            }
        };
        let plan = match compile(&graph) {
            Ok(plan) => plan,
            Err(errors) => {
                eprintln!("kindling-run: {path} cannot train:");
                for error in errors {
                    eprintln!("  - {error}");
                }
                return ExitCode::FAILURE;
            }
        };
        let mut run = match Run::start(plan, RunStart::new(cpu_device(), Backend::Cpu)) {
            Ok(run) => run,
            Err(error) => {
                eprintln!("kindling-run: {error}");
                return ExitCode::FAILURE;
            }
        };
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
                            seconds: epoch_started.elapsed().as_secs_f64(),
                        };
                        // Plain numbers and options serialise without fail.
                        println!("{}", serde_json::to_string(&line).unwrap_or_default());
                        epoch_started = Instant::now();
                    }
                    Event::Log { step, loss } => eprintln!("{{\"step\":{step},\"loss\":{loss}}}"),
                    Event::StoppedEarly { epoch } => {
                        eprintln!("kindling-run: stopped early after epoch {epoch}: no improvement");
                    }
                    Event::Finished => return ExitCode::SUCCESS,
                    Event::Diverged(error) | Event::Failed(error) => {
                        eprintln!("kindling-run: {error}");
                        return ExitCode::FAILURE;
                    }
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
}
