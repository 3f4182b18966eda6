//! The native runner, `kindling-run`: trains a saved graph and prints one JSON line per epoch;
//! refuses a graph it cannot run with the compiler's messages.
#![cfg(not(target_arch = "wasm32"))]

use std::path::PathBuf;
use std::process::{Command, Output};

use kindling::core::model::catalogue::NodeKind;
use kindling::core::model::graph::Graph;
use kindling::core::model::templates::{TEMPLATES, basic_loop};

fn run(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_kindling-run")).args(args).output().expect("runner starts")
}

fn example(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("examples").join(name).display().to_string()
}

/// Runs an example and returns its lines.
fn lines_of(name: &str) -> Vec<serde_json::Value> {
    let output = run(&[&example(name)]);
    assert!(output.status.success(), "{name}: {}", String::from_utf8_lossy(&output.stderr));
    String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).expect("each line is JSON"))
        .collect()
}

/// Two classes, `no` and `yes`, on either side of `x1` = 0.6: `rows` rows of `x1,x2,class`,
/// `x1` spread by `spread` within a class.
fn two_sides(rows: usize, spread: f64) -> String {
    let mut csv = String::from("x1,x2,class\n");
    for i in 0..rows {
        let class = i % 2;
        let (x1, x2) = (class as f64 + (i % 7) as f64 * spread, (i % 5) as f64 * 0.1);
        csv.push_str(&format!("{x1},{x2},{}\n", ["no", "yes"][class]));
    }
    csv
}

/// Writes `csv` as `name` in `dir` and, beside it, the basic loop trained on it (target
/// `class`) as `graph.json`, with `epochs` epochs if given; the graph file's path.
fn csv_graph(dir: &std::path::Path, name: &str, csv: &str, epochs: Option<i64>) -> PathBuf {
    use kindling::core::data::csv_data::CsvTable;
    use kindling::core::model::params::ParamValue;
    std::fs::create_dir_all(dir).unwrap();
    std::fs::write(dir.join(name), csv).unwrap();
    let table = CsvTable::parse(name, csv.as_bytes()).unwrap();
    let mut graph = basic_loop();
    let dataset = graph.nodes().find(|n| n.kind == NodeKind::Dataset).unwrap().id;
    for (param, value) in
        [("kind", "csv".to_owned()), ("file", table.file.to_param()), ("target", "class".to_owned())]
    {
        graph.set_param(dataset, param, ParamValue::Text(value)).unwrap();
    }
    if let Some(epochs) = epochs {
        let tracker = graph.nodes().find(|n| n.kind == NodeKind::EpochTracker).unwrap().id;
        graph.set_param(tracker, "total_epochs", ParamValue::Int(epochs)).unwrap();
    }
    let path = dir.join("graph.json");
    std::fs::write(&path, graph.to_json()).unwrap();
    path
}

#[test]
fn the_basic_loop_example_trains_to_95_percent_printing_a_line_per_epoch() {
    let lines = lines_of("basic_loop.json");
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

/// The results docs/runner.md's table of examples promises.
#[test]
fn every_example_trains_to_its_documented_result() {
    let last =
        |lines: &[serde_json::Value], key: &str| lines.last().and_then(|line| line[key].as_f64()).unwrap();
    let first = |lines: &[serde_json::Value], key: &str| lines[0][key].as_f64().unwrap();

    let lines = lines_of("with_validation.json");
    assert!(last(&lines, "val_accuracy") >= 0.9, "{:?}", lines.last());
    assert!(last(&lines, "lr") < first(&lines, "lr"), "ReduceLROnPlateau lowered the rate");

    let lines = lines_of("digits.json");
    assert!(last(&lines, "val_accuracy") >= 0.9, "{:?}", lines.last());

    let lines = lines_of("digits_cnn.json");
    assert!(last(&lines, "val_accuracy") >= 0.95, "{:?}", lines.last());

    let lines = lines_of("shapes_cnn.json");
    assert!(last(&lines, "val_accuracy") >= 0.95, "{:?}", lines.last());

    // A sweep of two trials: the MLP, then the CNN, each judged on validation accuracy.
    let lines = lines_of("mlp_vs_cnn.json");
    let finals: Vec<f64> = lines
        .iter()
        .filter_map(|line| line.get("summary"))
        .inspect(|summary| assert_eq!(summary["monitor"], "val_accuracy"))
        .map(|summary| summary["final"].as_f64().unwrap())
        .collect();
    assert!(matches!(finals[..], [mlp, cnn] if cnn >= mlp + 0.2 && mlp < 0.85), "{finals:?}");

    let lines = lines_of("regression.json");
    assert!(last(&lines, "train_loss") < 0.01, "{:?}", lines.last());
    assert_eq!(lines[0]["train_accuracy"], serde_json::Value::Null, "a regression has no accuracy");

    let lines = lines_of("multi_loss.json");
    assert!(last(&lines, "train_loss") < first(&lines, "train_loss") / 2.0, "{:?}", lines.last());
}

/// `examples/NAME.json` is the template of that name, so the files and the app's menu never
/// drift apart. `KINDLING_BLESS=1 cargo test --test runner` rewrites the files from the
/// templates after a deliberate change.
#[test]
fn every_example_is_its_template() {
    let bless = std::env::var_os("KINDLING_BLESS").is_some();
    for template in TEMPLATES.iter().filter(|template| template.slug != "blank") {
        let path = example(&format!("{}.json", template.slug));
        let graph = (template.build)();
        if bless {
            std::fs::write(&path, graph.to_json() + "\n").unwrap();
        }
        let text = std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{path}: {error}"));
        assert_eq!(Graph::from_json(&text).unwrap(), graph, "{path} differs from its template");
    }
}

#[test]
fn an_invalid_graph_exits_non_zero_with_the_compilers_messages() {
    let mut graph = basic_loop();
    let loss = graph.nodes().find(|n| n.kind == NodeKind::CrossEntropyLoss).unwrap().id;
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

#[test]
fn the_running_loss_is_logged_every_log_interval_steps_and_divergence_stops_the_run() {
    let mut graph = basic_loop();
    let tracker = graph.nodes().find(|n| n.kind == NodeKind::EpochTracker).unwrap().id;
    graph.set_param(tracker, "total_epochs", kindling::core::model::params::ParamValue::Int(2)).unwrap();
    graph.set_param(tracker, "log_interval", kindling::core::model::params::ParamValue::Int(10)).unwrap();
    let path = std::env::temp_dir().join(format!("kindling-log-{}.json", std::process::id()));
    // A file as the page's Export JSON writes it (the examples are bare graphs, version 0).
    let experiment = kindling::core::document::experiment::Experiment::new(graph.clone(), Default::default());
    std::fs::write(&path, kindling::core::document::graph_file::to_json(&experiment)).unwrap();
    let output = run(&[path.to_str().unwrap()]);
    assert!(output.status.success());
    let logged: Vec<serde_json::Value> = String::from_utf8_lossy(&output.stderr)
        .lines()
        .filter_map(|line| serde_json::from_str(line).ok())
        .collect();
    // 2 epochs × 32 batches: steps 10, 20, …, 60.
    let steps: Vec<u64> = logged.iter().map(|line| line["step"].as_u64().unwrap()).collect();
    assert_eq!(steps, [10, 20, 30, 40, 50, 60]);
    assert!(logged.iter().all(|line| line["loss"].as_f64().is_some_and(f64::is_finite)));
    // The running average of the ten steps since the last log, and their updates' gradient
    // norms (one update a step here).
    for line in &logged {
        assert_eq!(line["steps"], 10, "{line}");
        let (mean, max) = (line["grad_norm_mean"].as_f64().unwrap(), line["grad_norm_max"].as_f64().unwrap());
        assert!(mean > 0.0 && max >= mean, "{line}");
    }

    let sgd = graph.nodes().find(|n| n.kind == NodeKind::SgdOptimizer).unwrap().id;
    graph.set_param(sgd, "learning_rate", kindling::core::model::params::ParamValue::Float(1000.0)).unwrap();
    std::fs::write(&path, graph.to_json()).unwrap();
    let output = run(&[path.to_str().unwrap()]);
    std::fs::remove_file(&path).ok();
    assert_eq!(output.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("diverged"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

/// A graph file with a sweep runs its trials: one line per trial epoch with the trial's id
/// and settings, a summary per trial, and pruned trials stopped early.
#[test]
fn a_sweep_runs_its_trials_with_a_line_per_epoch_and_a_summary_per_trial() {
    use kindling::core::model::sweep_settings::{Pruning, Sweep, SweptParam};
    let mut graph = basic_loop();
    let sgd = graph.nodes().find(|n| n.kind == NodeKind::SgdOptimizer).unwrap().id;
    let dataset = graph.nodes().find(|n| n.kind == NodeKind::Dataset).unwrap().id;
    graph.set_sweep(Sweep {
        params: vec![
            SweptParam { node: sgd, param: "learning_rate".into(), values: "0.3, 0.0001".into() },
            SweptParam { node: dataset, param: "seed".into(), values: "1, 2".into() },
        ],
        pruning: Pruning::Asha { min_epochs: 1, eta: 2 },
        ..Sweep::default()
    });
    let path = std::env::temp_dir().join(format!("kindling-sweep-{}.json", std::process::id()));
    let experiment = kindling::core::document::experiment::Experiment::new(graph, Default::default());
    std::fs::write(&path, kindling::core::document::graph_file::to_json(&experiment)).unwrap();
    let metrics = path.with_extension("csv");
    let output = run(&["--epochs", "4", "--metrics-csv", metrics.to_str().unwrap(), path.to_str().unwrap()]);
    let alone = run(&["--epochs", "2", "--no-sweep", path.to_str().unwrap()]);
    let metrics_csv = std::fs::read_to_string(&metrics).unwrap_or_default();
    std::fs::remove_file(&path).ok();
    std::fs::remove_file(&metrics).ok();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    let summaries: Vec<&serde_json::Value> =
        lines.iter().filter(|line| line.get("summary").is_some()).collect();
    assert_eq!(summaries.len(), 4, "a summary per trial");
    let ids: Vec<u64> = summaries.iter().map(|line| line["trial"].as_u64().unwrap()).collect();
    assert_eq!(ids, [1, 2, 3, 4]);
    let setting = |line: &serde_json::Value, key: &str| line["settings"][key].clone();
    assert_eq!(setting(summaries[2], &format!("{}:learning_rate", sgd.0)), 0.0001);
    assert_eq!(setting(summaries[1], &format!("{}:seed", dataset.0)), 2);
    for summary in &summaries {
        let trial = summary["trial"].as_u64().unwrap();
        let epochs = lines
            .iter()
            .filter(|line| line.get("epoch").is_some() && line["trial"].as_u64() == Some(trial))
            .count();
        assert_eq!(summary["summary"]["epochs"].as_u64().unwrap() as usize, epochs, "trial {trial}");
        assert_eq!(summary["summary"]["monitor"], "train_accuracy");
    }
    assert_eq!(summaries[0]["summary"]["state"], "done");
    assert_eq!(summaries[0]["summary"]["epochs"], 4);
    // A rate of 0.0001 barely moves: successive halving stops it at the first rung.
    assert_eq!(summaries[2]["summary"]["state"], "pruned", "{}", summaries[2]);
    assert!(summaries[2]["summary"]["epochs"].as_u64().unwrap() < 4);
    assert!(String::from_utf8_lossy(&output.stderr).contains("pruning saved"));
    // --metrics-csv: a row per trial epoch, written as they closed, labelled by trial.
    let rows: Vec<&str> = metrics_csv.lines().collect();
    assert_eq!(rows.first(), Some(&kindling::core::document::metrics_csv::HEADER));
    let epoch_lines = lines.iter().filter(|line| line.get("epoch").is_some()).count();
    assert_eq!(rows.len() - 1, epoch_lines);
    assert_eq!(rows.iter().filter(|row| row.starts_with("trial 1,")).count(), 4);
    assert!(rows[1..].iter().all(|row| row.starts_with("trial ")), "{metrics_csv}");
    // --no-sweep trains the graph as it stands: plain epoch lines.
    assert!(alone.status.success());
    let plain: Vec<serde_json::Value> = String::from_utf8_lossy(&alone.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(plain.len(), 2);
    assert!(plain[0].get("trial").is_none());
}

/// `--jobs 2` trains two trials at once, on threads, to the very numbers one job gives: each
/// trial's training is its own, whatever runs beside it.
#[test]
fn a_sweep_on_two_jobs_trains_each_trial_to_the_numbers_of_one_job() {
    use kindling::core::model::sweep_settings::{Sweep, SweptParam};
    let mut graph = basic_loop();
    let sgd = graph.nodes().find(|n| n.kind == NodeKind::SgdOptimizer).unwrap().id;
    graph.set_sweep(Sweep {
        params: vec![SweptParam {
            node: sgd,
            param: "learning_rate".into(),
            values: "0.01, 0.03, 0.1, 0.3".into(),
        }],
        ..Sweep::default()
    });
    let path = std::env::temp_dir().join(format!("kindling-sweep-jobs-{}.json", std::process::id()));
    std::fs::write(&path, graph.to_json()).unwrap();
    let summaries = |jobs: &str| {
        let output = run(&["--jobs", jobs, "--epochs", "3", path.to_str().unwrap()]);
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        let mut summaries: Vec<(u64, String, serde_json::Value)> = String::from_utf8_lossy(&output.stdout)
            .lines()
            .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap())
            .filter(|line| line.get("summary").is_some())
            .map(|line| {
                let summary = &line["summary"];
                (line["trial"].as_u64().unwrap(), summary["state"].to_string(), summary["final"].clone())
            })
            .collect();
        summaries.sort_by_key(|(trial, ..)| *trial);
        summaries
    };
    let (one, two) = (summaries("1"), summaries("2"));
    std::fs::remove_file(&path).ok();
    assert_eq!(one.len(), 4);
    assert_eq!(one, two, "the same trials end the same way, with the same values");
    assert_eq!(run(&["--jobs", "0", "x.json"]).status.code(), Some(2), "a usage error");
}

/// A trial that diverges is marked so and the sweep goes on to the next.
#[test]
fn a_diverging_trial_is_marked_and_the_sweep_goes_on() {
    use kindling::core::model::sweep_settings::{Sweep, SweptParam};
    let mut graph = basic_loop();
    let sgd = graph.nodes().find(|n| n.kind == NodeKind::SgdOptimizer).unwrap().id;
    graph.set_sweep(Sweep {
        params: vec![SweptParam { node: sgd, param: "learning_rate".into(), values: "1000, 0.03".into() }],
        ..Sweep::default()
    });
    let path = std::env::temp_dir().join(format!("kindling-sweep-diverge-{}.json", std::process::id()));
    std::fs::write(&path, graph.to_json()).unwrap();
    let output = run(&["--epochs", "2", path.to_str().unwrap()]);
    std::fs::remove_file(&path).ok();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let summaries: Vec<serde_json::Value> = String::from_utf8_lossy(&output.stdout)
        .lines()
        .map(|line| serde_json::from_str::<serde_json::Value>(line).unwrap())
        .filter(|line| line.get("summary").is_some())
        .collect();
    assert_eq!(summaries[0]["summary"]["state"], "diverged");
    assert!(summaries[0]["summary"]["note"].as_str().unwrap().contains("diverged"), "{}", summaries[0]);
    assert_eq!(summaries[1]["summary"]["state"], "done");
    assert_eq!(summaries[1]["summary"]["epochs"], 2);
}

/// A graph asking for mixed precision, which the CPU cannot honour, is told so.
#[test]
fn mixed_precision_the_cpu_cannot_honour_is_said() {
    let mut graph = basic_loop();
    let step = graph.nodes().find(|n| n.kind == NodeKind::TrainingStep).unwrap().id;
    graph.set_param(step, "mixed_precision", kindling::core::model::params::ParamValue::Bool(true)).unwrap();
    let path = std::env::temp_dir().join(format!("kindling-f16-{}.json", std::process::id()));
    std::fs::write(&path, graph.to_json()).unwrap();
    let output = run(&["--epochs", "1", path.to_str().unwrap()]);
    std::fs::remove_file(&path).ok();
    assert!(output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("mixed precision, which the CPU backend cannot honour"), "{stderr}");
    assert!(stderr.contains("f32"), "{stderr}");
}

#[test]
fn a_csv_dataset_trains_on_the_file_beside_the_graph_or_the_one_given_with_data() {
    use kindling::core::model::file_ref::FileRef;
    use kindling::core::model::params::ParamValue;
    let dir = std::env::temp_dir().join(format!("kindling-csv-{}", std::process::id()));
    let csv = two_sides(120, 0.05);
    let path = csv_graph(&dir, "points.csv", &csv, Some(3));
    let path = path.to_str().unwrap();
    let output = run(&[path]);
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(String::from_utf8_lossy(&output.stdout).lines().count(), 3);
    // Another file of that name is not the file the graph was made with...
    let edited = csv.replace("0.1,no", "0.2,no");
    std::fs::write(dir.join("points.csv"), &edited).unwrap();
    let output = run(&[path]);
    assert_eq!(output.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("differs from the file"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // ...unless given on purpose; a file with rows that do not fit says which.
    let broken = dir.join("broken.csv");
    std::fs::write(&broken, format!("{edited}1,2\n")).unwrap();
    let output = run(&["--data", broken.to_str().unwrap(), path]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(
        stderr.contains("not the file the graph was made with") && stderr.contains("line 122: 2 fields"),
        "{stderr}"
    );
    let missing = run(&["--data", dir.join("nope.csv").to_str().unwrap(), path]);
    assert_eq!(missing.status.code(), Some(1));
    // A graph names a file beside it, nothing else: not a folder's, not a device.
    let secret = dir.join("secret.csv");
    std::fs::write(&secret, &csv).unwrap();
    let inner = dir.join("inner");
    std::fs::create_dir_all(&inner).unwrap();
    let graph = Graph::from_json(&std::fs::read_to_string(path).unwrap()).unwrap();
    let dataset = graph.nodes().find(|n| n.kind == NodeKind::Dataset).unwrap().id;
    let points = FileRef::of("points.csv", csv.as_bytes());
    let named = |name: &str| {
        let file = FileRef { name: name.to_owned(), ..points.clone() };
        let mut named = graph.clone();
        named.set_param(dataset, "file", ParamValue::Text(file.to_param())).unwrap();
        let path = inner.join("graph.json");
        std::fs::write(&path, named.to_json()).unwrap();
        run(&[path.to_str().unwrap()])
    };
    for name in ["../secret.csv", secret.to_str().unwrap(), "./points.csv", "..", "a\\..\\b.csv"] {
        let output = named(name);
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(1), "{name}: {stderr}");
        assert!(stderr.contains("not a bare file name"), "{name}: {stderr}");
    }
    let output = run(&["--data", "/dev/null", path]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("not a regular file"), "{stderr}");
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn an_export_refuses_a_folder_with_files_unless_forced_and_never_writes_through_a_link() {
    let dir = std::env::temp_dir().join(format!("kindling-export-into-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let project = dir.join("project");
    std::fs::create_dir_all(&project).unwrap();
    std::fs::write(project.join("Cargo.toml"), "[package]\nname = \"mine\"\n").unwrap();
    let graph = example("basic_loop.json");
    let export = |force: bool| {
        let mut args = vec!["--export", "burn", project.to_str().unwrap()];
        if force {
            args.push("--force");
        }
        args.push(&graph);
        run(&args)
    };
    let refused = export(false);
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert_eq!(refused.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("is not empty") && stderr.contains("--force"), "{stderr}");
    assert_eq!(std::fs::read_to_string(project.join("Cargo.toml")).unwrap(), "[package]\nname = \"mine\"\n");

    #[cfg(unix)]
    {
        let outside = dir.join("outside.rs");
        std::fs::write(&outside, "// mine\n").unwrap();
        std::fs::create_dir_all(project.join("src")).unwrap();
        std::os::unix::fs::symlink(&outside, project.join("src/main.rs")).unwrap();
    }
    let forced = export(true);
    assert!(forced.status.success(), "{}", String::from_utf8_lossy(&forced.stderr));
    assert!(std::fs::read_to_string(project.join("Cargo.toml")).unwrap().contains("[workspace]"));
    #[cfg(unix)]
    {
        let main = project.join("src/main.rs");
        assert!(!std::fs::symlink_metadata(&main).unwrap().file_type().is_symlink(), "the link was replaced");
        assert_eq!(
            std::fs::read_to_string(dir.join("outside.rs")).unwrap(),
            "// mine\n",
            "not written through"
        );
    }
    std::fs::remove_dir_all(&dir).ok();
}

#[test]
fn predict_answers_each_row_as_the_trained_model_does() {
    let dir = std::env::temp_dir().join(format!("kindling-predict-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let answers = |output: Output| -> Vec<serde_json::Value> {
        assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
        let text = String::from_utf8(output.stdout).unwrap();
        text.lines()
            .filter_map(|line| serde_json::from_str(line).ok())
            .filter(|line: &serde_json::Value| line.get("line").is_some())
            .collect()
    };
    // A CSV dataset whose class is which side of 0.6 `x1` lies: asked with its columns in
    // another order and raw values, standardised as the training rows were.
    let path = csv_graph(&dir, "sides.csv", &two_sides(200, 0.02), None);
    let asked = dir.join("ask.csv");
    std::fs::write(&asked, "x2,x1\n0.2,0.05\n0.3,1.1\n").unwrap();
    let lines =
        answers(run(&["--epochs", "30", "--predict", asked.to_str().unwrap(), path.to_str().unwrap()]));
    assert_eq!(lines.len(), 2, "{lines:?}");
    for (line, (number, class)) in lines.iter().zip([(2, 0), (3, 1)]) {
        assert_eq!(line["line"], number);
        assert_eq!(line["class"], class, "{line}");
        let probabilities: Vec<f64> =
            line["probabilities"].as_array().unwrap().iter().map(|p| p.as_f64().unwrap()).collect();
        assert_eq!(probabilities.len(), 2);
        assert!((probabilities.iter().sum::<f64>() - 1.0).abs() < 1e-5, "{probabilities:?}");
        assert!(probabilities[class] > 0.9, "{probabilities:?}");
    }
    // A regression answers with its value; points are read as they are.
    std::fs::write(&asked, "x,y\n0.5,-0.5\n").unwrap();
    let lines =
        answers(run(&["--epochs", "2", "--predict", asked.to_str().unwrap(), &example("regression.json")]));
    assert!(
        lines.len() == 1 && lines[0]["value"].is_number() && lines[0].get("probabilities").is_none(),
        "{lines:?}"
    );
    // A row that is not all numbers fails, naming its line; so does a missing column.
    std::fs::write(&asked, "x2,x1\n0.2,0.05\n0.3,oops\n").unwrap();
    let output = run(&["--epochs", "1", "--predict", asked.to_str().unwrap(), path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("ask.csv line 3: `x1` is not a number: `oops`"), "{stderr}");
    std::fs::write(&asked, "x2\n0.2\n").unwrap();
    let output = run(&["--epochs", "1", "--predict", asked.to_str().unwrap(), path.to_str().unwrap()]);
    assert!(String::from_utf8_lossy(&output.stderr).contains("no column `x1`"));
}

#[test]
fn predict_answers_with_weights_from_the_page_without_training() {
    use futures_lite::future::block_on;
    use kindling::core::compile::compiler::compile;
    use kindling::core::compile::plan::NetworkPlan;
    use kindling::core::engine::device::cpu_device;
    use kindling::core::engine::mlp::Mlp;
    use kindling::core::engine::view_refresh::ViewRefresh;
    use kindling::core::engine::weights;
    use kindling::core::model::params::LayerSpec;
    let dir = std::env::temp_dir().join(format!("kindling-weights-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    // Weights as the page's Download weights writes them, for the basic loop's network.
    let plan = compile(&basic_loop()).unwrap();
    let model = Mlp::init(&plan.network, 11, &cpu_device());
    let file = dir.join("weights.bpk");
    std::fs::write(&file, weights::to_bytes(&model).unwrap()).unwrap();
    let asked = dir.join("ask.csv");
    std::fs::write(&asked, "x,y\n0.3,-0.7\n").unwrap();
    // The basic loop asked about `asked` with the weights in `file`.
    let predict = || {
        run(&[
            "--predict",
            asked.to_str().unwrap(),
            "--weights",
            file.to_str().unwrap(),
            &example("basic_loop.json"),
        ])
    };
    let output = predict();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    let lines: Vec<serde_json::Value> = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect();
    assert_eq!(lines.len(), 1, "no epoch trained, one answer: {lines:?}");
    // The same answer the page's probe computes with these weights.
    let mut refresh =
        ViewRefresh::new(model, &plan.network, cpu_device(), None, None, Some(2)).with_probe(vec![0.3, -0.7]);
    block_on(refresh.finish()).unwrap();
    let expected = refresh.probe().unwrap().outputs;
    let got: Vec<f64> =
        lines[0]["probabilities"].as_array().unwrap().iter().map(|p| p.as_f64().unwrap()).collect();
    for (got, expected) in got.iter().zip(&expected) {
        assert!((got - f64::from(*expected)).abs() < 1e-6, "{got} vs {expected}");
    }
    // Weights of another network are refused, saying why; weights without --predict, or with
    // --epochs, are a usage error.
    let narrower = NetworkPlan {
        in_shape: vec![2],
        layers: vec![
            LayerSpec::Linear { out_features: 3 },
            LayerSpec::Relu,
            LayerSpec::Linear { out_features: 2 },
        ],
    };
    let other = Mlp::init(&narrower, 1, &cpu_device());
    std::fs::write(&file, weights::to_bytes(&other).unwrap()).unwrap();
    let output = predict();
    assert_eq!(output.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&output.stderr).contains("this graph's Network is"),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert_eq!(
        run(&["--weights", file.to_str().unwrap(), &example("basic_loop.json")]).status.code(),
        Some(2)
    );
    let with_epochs = [
        "--epochs",
        "3",
        "--predict",
        asked.to_str().unwrap(),
        "--weights",
        file.to_str().unwrap(),
        &example("basic_loop.json"),
    ];
    assert_eq!(run(&with_epochs).status.code(), Some(2));
    // A device or a FIFO is not read: it would block.
    let device =
        run(&["--predict", asked.to_str().unwrap(), "--weights", "/dev/null", &example("basic_loop.json")]);
    assert_eq!(device.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&device.stderr).contains("not a regular file"));
}
