//! The burn export: every example's project (the basic loop's first), one with BatchNorm1d,
//! one with every activation and a CNN with every image layer, builds as a standalone Cargo project (published crates only), trains, and
//! prints `kindling-run`'s epoch lines within 1e-4. Dropout is off (p = 0) on both sides: masks cannot match across programs.
//! Each project is written into a folder inside another Cargo workspace, and builds there.
//!
//! The project is built with Kindling's own `Cargo.lock` copied beside it, so it builds the
//! crate versions Kindling is tested with, into a target folder of its own under Cargo's
//! (kept between runs: the first build compiles burn, about a minute and a half on 2 cores).
#![cfg(not(target_arch = "wasm32"))]

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;
use support::{with_batch_norm, with_cnn, with_every_activation, without_dropout};

mod support;

fn succeeded(what: &str, output: Output) -> String {
    assert!(
        output.status.success(),
        "{what} failed ({}):\n{}\n{}",
        output.status,
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8")
}

fn lines(stdout: &str) -> Vec<Value> {
    stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|_| panic!("not JSON: {line}")))
        .collect()
}

/// The example graph `name` (a graph file's JSON).
fn example(name: &str) -> Value {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("examples").join(format!("{name}.json"))).expect("example");
    serde_json::from_str(&text).unwrap()
}

/// A folder under `scratch` that lies inside a Cargo workspace of its own, as a user's export
/// may: the exported project must build there too (its manifest declares its own workspace;
/// without it Cargo refuses, "current package believes it's in a workspace when it's not").
/// Kindling's own `target/tmp`, where `CARGO_TARGET_DIR` is not set, is such a place as well.
fn inside_a_workspace(scratch: &std::path::Path) -> PathBuf {
    let workspace = scratch.join("a-users-workspace");
    std::fs::create_dir_all(&workspace).unwrap();
    std::fs::write(workspace.join("Cargo.toml"), "[workspace]\nmembers = []\nresolver = \"3\"\n").unwrap();
    workspace
}

/// Exports `graph` (named `example`) as a burn project, builds and runs it for 3 epochs, and
/// compares its lines with `kindling-run`'s.
fn matches_kindling(example: &str, graph: Value) {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let scratch = PathBuf::from(env!("CARGO_TARGET_TMPDIR"));
    let graph_json = graph;
    let graph = scratch.join(format!("exported-burn-{example}.json"));
    std::fs::write(&graph, without_dropout(graph_json).to_string()).unwrap();
    let dir = inside_a_workspace(&scratch).join(format!("exported-burn-{example}"));
    let _ = std::fs::remove_dir_all(&dir);
    let runner = || Command::new(env!("CARGO_BIN_EXE_kindling-run"));
    succeeded(
        "kindling-run --export burn",
        runner().args(["--export", "burn"]).arg(&dir).arg(&graph).output().expect("kindling-run starts"),
    );
    let manifest = std::fs::read_to_string(dir.join("Cargo.toml")).expect("Cargo.toml");
    assert!(!manifest.contains("path ="), "the project depends on published crates only:\n{manifest}");
    assert!(manifest.contains("\n[workspace]\n"), "the project is a workspace of its own:\n{manifest}");
    std::fs::copy(root.join("Cargo.lock"), dir.join("Cargo.lock")).expect("Cargo.lock");

    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let theirs = succeeded(
        &format!("cargo run (the exported {example} project)"),
        Command::new(cargo)
            .args(["run", "--quiet", "--manifest-path"])
            .arg(dir.join("Cargo.toml"))
            .args(["--", "--epochs", "3"])
            .env("CARGO_TARGET_DIR", scratch.join("exported-burn-target"))
            .output()
            .expect("cargo starts"),
    );
    let ours =
        succeeded("kindling-run", runner().args(["--epochs", "3"]).arg(&graph).output().expect("starts"));
    let (ours, theirs) = (lines(&ours), lines(&theirs));
    assert_eq!(ours.len(), 3);
    assert_eq!(ours.len(), theirs.len(), "{example}: {theirs:?}");
    for (our, their) in ours.iter().zip(&theirs) {
        for (key, value) in our.as_object().unwrap() {
            match (key.as_str(), value.as_f64(), their[key].as_f64()) {
                ("seconds", ..) => {}
                (_, Some(a), Some(b)) => assert!(
                    (a - b).abs() <= 1e-4 * a.abs().max(1e-6),
                    "{example}: epoch {}: {key}: Kindling {a}, burn project {b}",
                    our["epoch"]
                ),
                _ => assert_eq!(value, &their[key], "{example}: {key}"),
            }
        }
    }
    assert!(dir.join("trained.safetensors").exists(), "the trained weights are written");
}

#[test]
fn every_example_as_a_burn_project_builds_trains_and_matches_kindling() {
    // One test, one after another: the projects share a target folder (and its lock).
    for name in ["basic_loop", "with_validation", "multi_loss", "regression", "digits", "shapes_cnn"] {
        matches_kindling(name, example(name));
    }
    // BatchNorm1d: Kindling's layer, written out in the project, trains and validates alike.
    matches_kindling("batch_norm", with_batch_norm(example("with_validation"), 3));
    // ELU, SiLU, Mish and Softplus, written out in the project.
    matches_kindling("activations", with_every_activation(example("basic_loop"), 2));
    // Every image layer, written out in the project.
    matches_kindling("cnn", with_cnn(example("digits"), 10));
}
