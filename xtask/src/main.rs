//! `cargo xtask`: Kindling's developer commands. Each installs the tools it lacks first.
//!
//! - `cargo xtask serve` — build and serve the playground with `trunk serve`.
//! - `cargo xtask test`  — every check and test: fmt, clippy, native tests, the checks against
//!   a real PyTorch (golden values regenerated, exported programs run), browser
//!   (wasm-bindgen-test) tests, the release build, and end-to-end tests in headless Chromium.
//! - `cargo xtask build` — the static release build into `dist/`.
//! - `cargo xtask bench` — in headless Chromium: Kindling against TensorFlow.js (samples per
//!   second, start-up, size), an epoch on each CPU backend, the editor's frames on a 500-node
//!   graph, the page's frames while training, a sweep on one worker and on several, a
//!   5 000-epoch run (memory and redraws) and a long sweep (a publish's cost and memory).
//! - `cargo xtask fresh-check [test|serve|all]` — `test` and `serve` as on a fresh machine: each
//!   in a clean clone of `HEAD` with an empty home (no registry, tools or caches); times them.
//! - `cargo xtask fuzz [SECONDS]` — the decoders' fuzzer (`tests/fuzz.rs`) in release mode for
//!   SECONDS (600 by default), printing the cases tried.

mod csp;
mod fresh;
mod tools;

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use tools::Toolbox;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (task, rest) = match args.split_first() {
        Some((task, rest)) => (task.as_str(), rest),
        None => ("help", &[][..]),
    };
    let result = match task {
        "serve" => serve(rest),
        "test" => test(),
        "build" => build().map(|_| ()),
        "bench" => bench(),
        "fuzz" => fuzz(rest),
        "fresh-check" => fresh::Check::parse(rest).and_then(fresh::check),
        _ => {
            eprintln!(
                "usage: cargo xtask <serve [trunk serve args] | test | build | bench | fuzz [SECONDS] | fresh-check [test|serve|all]>"
            );
            return if task == "help" { ExitCode::SUCCESS } else { ExitCode::FAILURE };
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("xtask: {message}");
            ExitCode::FAILURE
        }
    }
}

/// The repository root. Read at run time from `cargo run`'s `CARGO_MANIFEST_DIR`: a binary
/// built in a target directory shared by several clones (CI's) may have been compiled for
/// another clone, whose path `env!` would have baked in.
fn root() -> PathBuf {
    let manifest_dir = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    manifest_dir.parent().map(Path::to_path_buf).unwrap_or_default()
}

fn serve(args: &[String]) -> Result<(), String> {
    let tools = Toolbox::ensure_build_tools()?;
    step(
        "serving the playground with trunk serve, at http://127.0.0.1:8080/ unless told another port (Ctrl+C stops)",
    );
    tools.run(tools.command("trunk").arg("serve").args(args))
}

/// Runs the decoders' fuzzer for `args[0]` seconds (600 by default), optimised.
fn fuzz(args: &[String]) -> Result<(), String> {
    let seconds = match args.first() {
        Some(seconds) => seconds.parse::<u64>().map_err(|_| format!("not a number of seconds: {seconds}"))?,
        None => 600,
    };
    step(&format!("fuzzing the link, file, paste, storage-entry and weights decoders for {seconds} s"));
    let status = Command::new("cargo")
        .current_dir(root())
        .args(["test", "--release", "--test", "fuzz", "--", "--seconds", &seconds.to_string()])
        .status()
        .map_err(|error| format!("cargo: {error}"))?;
    if status.success() {
        Ok(())
    } else {
        Err("the fuzzer found a panic (its input is in tests/fuzz/regressions/)".into())
    }
}

fn build() -> Result<PathBuf, String> {
    let tools = Toolbox::ensure_build_tools()?;
    step("release build: trunk build --release → dist/");
    tools.run(tools.command("trunk").args(["build", "--release"]))?;
    let dist = root().join("dist");
    let policy = csp::apply(&dist)?;
    step(&format!("Content-Security-Policy written into dist/index.html: {policy}"));
    Ok(dist)
}

fn test() -> Result<(), String> {
    let tools = Toolbox::ensure_test_tools()?;
    step("cargo fmt --check");
    tools.run(tools.command("cargo").args(["fmt", "--all", "--check"]))?;
    step("clippy, native (-D warnings)");
    tools.run(tools.command("cargo").args([
        "clippy",
        "--workspace",
        "--all-targets",
        "--features",
        "kindling/torch",
        "--",
        "-D",
        "warnings",
    ]))?;
    step("clippy, wasm32 (-D warnings): the engine's build and the tests");
    tools.run(tools.command("cargo").args([
        "clippy",
        "--package",
        "kindling",
        "--target",
        "wasm32-unknown-unknown",
        "--all-targets",
        "--",
        "-D",
        "warnings",
    ]))?;
    step("clippy, wasm32 (-D warnings): the page's build, without the engine");
    tools.run(tools.command("cargo").args([
        "clippy",
        "--package",
        "kindling",
        "--target",
        "wasm32-unknown-unknown",
        "--no-default-features",
        "--bin",
        "kindling",
        "--",
        "-D",
        "warnings",
    ]))?;
    // cargo deny reads the metadata of every package in Cargo.lock, for every platform, and
    // runs offline: fetch them all first (the builds above download only what this machine's
    // targets compile), or a machine with an empty registry fails here.
    step("fetching every crate in Cargo.lock, for every platform (what cargo deny reads)");
    tools.run(tools.command("cargo").args(["fetch", "--locked"]))?;
    step("dependency hygiene: cargo deny check licenses bans sources (deny.toml; advisories need GitHub)");
    tools.run(tools.command("cargo").args(["deny", "--offline", "check", "licenses", "bans", "sources"]))?;
    step("native tests: cargo test");
    tools.run(tools.command("cargo").args(["test", "--workspace"]))?;
    step("PyTorch: the golden values regenerated and compared; the exported programs run against Kindling");
    let python = tools.ensure_torch()?;
    tools.run(tools.command(&python.display().to_string()).args(["golden/generate.py", "--check"]))?;
    tools.run(
        tools
            .command("cargo")
            .args(["test", "--features", "torch", "--test", "export_pytorch"])
            .env("KINDLING_PYTHON", &python),
    )?;
    step("browser tests: wasm-bindgen-test in headless Chromium");
    tools.run(tools.browser_test_command().args(["--test", "web"]))?;
    step("golden values on the WebGPU backend: wasm-bindgen-test in headless Chromium (SwiftShader)");
    serve_golden_files()?;
    tools.run(
        tools
            .browser_test_command()
            .args(["--test", "golden_web"])
            .env("WASM_BINDGEN_TEST_WEBDRIVER_JSON", root().join("tests/webdriver-webgpu.json")),
    )?;
    let dist = build()?;
    step("end-to-end tests: the release build in headless Chromium, served from a sub-path");
    tools.run(
        tools
            .command("node")
            .arg("--test")
            .arg(root().join("tests/e2e"))
            .env("KINDLING_DIST", dist)
            .env("KINDLING_PYTHON", &python),
    )?;
    step("all tests passed");
    Ok(())
}

fn bench() -> Result<(), String> {
    let tools = Toolbox::ensure_test_tools()?;
    step("CPU backends in headless Chromium: flex vs ndarray (wasm32, +simd128, optimised)");
    tools.run(tools.browser_test_command().args([
        "--profile",
        "wasm-bench",
        "--features",
        "ndarray",
        "--test",
        "backend_bench",
        "--",
        "--nocapture",
    ]))?;
    let dist = build()?;
    let peer = tools.ensure_bench_peer()?;
    step("Kindling against TensorFlow.js on the CPU: samples per second, start-up, size");
    tools
        .run(tools.command("node").arg(root().join("tests/e2e/bench-throughput.mjs")).arg(&dist).arg(peer))?;
    step("editor: pan and zoom a 500-node, 1000-wire graph in headless Chromium (frame intervals)");
    tools.run(tools.command("node").arg(root().join("tests/e2e/bench-editor.mjs")).arg(&dist))?;
    step("responsiveness while training the default graph and M (frames, long tasks, long animation frames)");
    tools.run(tools.command("node").arg(root().join("tests/e2e/bench-responsiveness.mjs")).arg(&dist))?;
    step("a sweep of 8 trials on one worker and on the most the page offers (speed-up)");
    tools.run(tools.command("node").arg(root().join("tests/e2e/bench-sweep.mjs")).arg(&dist))?;
    step("a long run in the page: 5 000 epochs; memory, chart redraws and speed at epoch 100 and at the end");
    tools.run(tools.command("node").arg(root().join("tests/e2e/bench-long-run.mjs")).arg(&dist))?;
    step(
        "a long sweep in the page: 8 trials × 3 000 epochs; a publish's cost and memory at the start and the end",
    );
    tools.run(tools.command("node").arg(root().join("tests/e2e/bench-long-sweep.mjs")).arg(&dist))
}

/// Copies the golden files (`KINDLING_GOLDEN_DIR`, or the repository's `golden/`) to `served/golden/`
/// in the crate root, where wasm-bindgen-test's server serves them to the browser test, which
/// fetches them at run time. Copied afresh on every run, so a swapped set is what is tested.
fn serve_golden_files() -> Result<(), String> {
    let source =
        std::env::var_os("KINDLING_GOLDEN_DIR").map(PathBuf::from).unwrap_or_else(|| root().join("golden"));
    let target = root().join("served/golden");
    let _ = std::fs::remove_dir_all(&target);
    std::fs::create_dir_all(&target).map_err(|error| format!("{}: {error}", target.display()))?;
    let entries =
        std::fs::read_dir(&source).map_err(|error| format!("golden data {}: {error}", source.display()))?;
    for entry in entries.flatten() {
        let path = entry.path();
        if path.extension().is_some_and(|extension| extension == "json") {
            std::fs::copy(&path, target.join(entry.file_name()))
                .map_err(|error| format!("{}: {error}", path.display()))?;
        }
    }
    Ok(())
}

/// Announces a step, so long runs show where they are (in bold on a terminal).
fn step(what: &str) {
    if std::io::stderr().is_terminal() {
        eprintln!("\n\x1b[1mxtask: {what}\x1b[0m");
    } else {
        eprintln!("\nxtask: {what}");
    }
}

/// `Command::new`, in the repository root.
fn command(program: &str) -> Command {
    let mut command = Command::new(program);
    command.current_dir(root());
    command
}
