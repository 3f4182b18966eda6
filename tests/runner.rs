//! The native runner, `kindling-run`: trains a saved graph and prints one JSON line per epoch;
//! refuses a graph it cannot run with the compiler's messages.
#![cfg(not(target_arch = "wasm32"))]

use std::path::PathBuf;
use std::process::{Command, Output};

use kindling::core::catalogue::NodeKind;
use kindling::core::templates::basic_loop;

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kindling-run")).args(args).output().expect("runner starts")
}

fn example(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples").join(name).display().to_string()
}

#[test]
fn the_basic_loop_example_trains_to_95_percent_printing_a_line_per_epoch() {
    let output = run(&[&example("basic_loop.json")]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let lines: Vec<serde_json::Value> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).expect("each line is JSON"))
        .collect();
    assert_eq!(lines.len(), 200);
    let keys: Vec<&str> = lines[0].as_object().unwrap().keys().map(String::as_str).collect();
    let mut expected = ["epoch", "train_loss", "train_accuracy", "val_loss", "val_accuracy", "lr", "seconds"];
    expected.sort_unstable();
    assert_eq!(keys, expected);
    assert_eq!(lines[0]["val_loss"], serde_json::Value::Null);
    let last = lines.last().unwrap();
    assert_eq!(last["epoch"], 200);
    assert!(last["train_accuracy"].as_f64().unwrap() >= 0.95, "{last}");
}

#[test]
fn the_example_is_the_default_graph() {
    let text = std::fs::read_to_string(example("basic_loop.json")).unwrap();
    assert_eq!(kindling::core::graph::Graph::from_json(&text).unwrap(), basic_loop());
}

#[test]
fn an_invalid_graph_exits_non_zero_with_the_compilers_messages() {
    let mut graph = basic_loop();
    let loss = graph.nodes().iter().find(|n| n.kind == NodeKind::CrossEntropyLoss).unwrap().id;
    graph.remove_node(loss);
    let path = std::env::temp_dir().join(format!("kindling-invalid-{}.json", std::process::id()));
    std::fs::write(&path, graph.to_json()).unwrap();
    let output = run(&[path.to_str().unwrap()]);
    std::fs::remove_file(&path).ok();
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("TrainingStep #6: input `loss` is not connected"), "{stderr}");
}

#[test]
fn unreadable_input_and_bad_usage_are_errors() {
    assert_eq!(run(&["/nonexistent/graph.json"]).status.code(), Some(1));
    assert_eq!(run(&[]).status.code(), Some(2));
}
