//! A Dataset of the user's own CSV file: hostile files refused whole or their bad rows left
//! out by line, never a panic; a file trained on through the compiler and the trainer; what a
//! link carries of it; `kindling-run` given the file.
#![cfg(not(target_arch = "wasm32"))]

use kindling::core::compile::compiler::compile;
use kindling::core::data::csv_data::{
    CsvError, CsvSelection, CsvTable, CsvTargets, MAX_BYTES, MAX_ROWS, SelectionError,
};
use kindling::core::data::csv_store;
use kindling::core::document::experiment::{Experiment, View};
use kindling::core::document::{graph_file, link};
use kindling::core::engine::device::cpu_device;
use kindling::core::model::catalogue::NodeKind;
use kindling::core::model::choices::CsvTask;
use kindling::core::model::file_ref::FileRef;
use kindling::core::model::graph::Graph;
use kindling::core::model::params::ParamValue;
use kindling::core::model::templates::{basic_loop, regression};

mod support;

fn parse(text: &str) -> Result<CsvTable, CsvError> {
    CsvTable::parse("data.csv", text.as_bytes())
}

fn classes(target: &str) -> CsvSelection {
    CsvSelection { target: target.to_owned(), features: Vec::new(), task: CsvTask::Classification }
}

/// Two classes of points in three features, the label as text: `n` rows, seeded.
fn blobs(n: usize) -> String {
    let mut text = String::from("a,b,c,species\n");
    let mut state = 12345u64;
    let mut noise = || {
        state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        ((state >> 33) as f64 / (1u64 << 31) as f64) - 0.5
    };
    for row in 0..n {
        let class = row % 2;
        let centre = if class == 0 { -1.0 } else { 1.0 };
        let (a, b, c) = (centre + noise(), 10.0 * (centre + noise()), 100.0 + noise());
        text.push_str(&format!("{a:.4},{b:.4},{c:.4},{}\n", ["setosa", "virginica"][class]));
    }
    text
}

#[test]
fn a_file_that_is_not_a_table_is_refused_whole_saying_why() {
    assert_eq!(parse(""), Err(CsvError::Empty));
    assert_eq!(parse("\n \r\n\n"), Err(CsvError::Empty));
    assert_eq!(parse("x,y\n"), Err(CsvError::NoRows));
    assert!(matches!(parse("x,,y\n1,2,3\n"), Err(CsvError::UnnamedColumn { index: 2 })));
    assert!(matches!(parse("x,y,x\n1,2,3\n"), Err(CsvError::DuplicateColumn { .. })));
    assert!(matches!(CsvTable::parse("b.csv", b"x,y\n1,\xff\n"), Err(CsvError::NotText { .. })));
    let huge = vec![b'1'; MAX_BYTES + 1];
    assert!(matches!(CsvTable::parse("huge.csv", &huge), Err(CsvError::TooBig { .. })));
    let long = format!("x,y\n{}", "1,2\n".repeat(MAX_ROWS + 1));
    assert_eq!(parse(&long), Err(CsvError::TooManyRows));
    let wide = (0..300).map(|i| format!("c{i}")).collect::<Vec<_>>().join(",");
    assert!(matches!(parse(&format!("{wide}\n")), Err(CsvError::TooManyColumns { count: 300 })));
    assert!(matches!(parse("\"x,1\",y\n1,2\n"), Err(CsvError::CommaInName { .. })));
    for error in [CsvError::Empty, CsvError::NoRows, CsvError::TooManyRows] {
        assert!(!error.to_string().is_empty());
    }
}

#[test]
fn rows_that_do_not_fit_are_left_out_and_reported_by_line() {
    // Line 3: a field short; line 5: text in a number; line 6: no target; line 7: too many.
    let table = parse("x,y,label\n1,2,a\n3,4\n5,6,b\nseven,8,a\n9,10,\n11,12,b,extra\n13,14,a\n").unwrap();
    let data = table.select(&classes("label")).unwrap();
    assert_eq!(data.samples(), 3, "lines 2, 4 and 8");
    let lines: Vec<u64> = data.left_out.iter().map(|row| row.line).collect();
    assert_eq!(lines, [3, 5, 6, 7]);
    let text = data.left_out_text().unwrap();
    assert!(text.contains("line 3: 2 fields, and the header has 3"), "{text}");
    assert!(text.contains("line 5: `seven` in `x` is not a number"), "{text}");
    assert!(text.contains("line 6: no `label`"), "{text}");
    assert!(text.starts_with("4 of 7 rows of data.csv left out"), "{text}");
    // A column of text is fine where it is not a feature: line 5 fits without `x`.
    let picked = CsvSelection { features: vec!["y".into()], ..classes("label") };
    let lines: Vec<u64> = table.select(&picked).unwrap().left_out.iter().map(|row| row.line).collect();
    assert_eq!(lines, [3, 6, 7]);
}

#[test]
fn every_line_ending_reads_the_same_and_quotes_and_a_byte_order_mark_are_understood() {
    let unix = parse("x,y\n1,a\n2,b\n3,a\n").unwrap();
    for text in [
        "x,y\r\n1,a\r\n2,b\r\n3,a\r\n",
        "x,y\r1,a\r2,b\r3,a",
        "\u{feff}x,y\n1,a\r\n2,b\r3,a\n\n",
        "x,y\n\"1\",\"a\"\n2,b\n3,a",
    ] {
        let table = parse(text).unwrap_or_else(|error| panic!("{text:?}: {error}"));
        assert_eq!(table.columns, unix.columns, "{text:?}");
        let data = table.select(&classes("y")).unwrap();
        assert_eq!(data.samples(), 3, "{text:?}");
        assert_eq!(data.targets, CsvTargets::Classes(vec![0, 1, 0]), "{text:?}");
    }
    // Semicolons or tabs where the header has no comma.
    assert_eq!(parse("x;y\n1,5;a\n2;b\n").unwrap().columns, ["x", "y"]);
    assert_eq!(parse("x\ty\n1\ta\n2\tb\n").unwrap().columns, ["x", "y"]);
}

#[test]
fn a_selection_that_cannot_make_a_dataset_says_why() {
    let table = parse("x,y,label\n1,2,a\n3,4,a\n").unwrap();
    let error = table.select(&classes("nope")).unwrap_err();
    assert!(matches!(error, SelectionError::NoColumn { ref column, .. } if column == "nope"), "{error}");
    assert!(error.to_string().contains("no column `nope`"), "{error}");
    let error = table.select(&classes("label")).unwrap_err();
    assert!(
        matches!(error, SelectionError::OneClass { .. }) && error.to_string().contains("one class"),
        "{error}"
    );
    let both = CsvSelection { features: vec!["label".into()], ..classes("label") };
    assert!(table.select(&both).unwrap_err().to_string().contains("cannot be a feature too"));
    let text = CsvSelection { target: "x".into(), features: vec!["label".into()], task: CsvTask::Regression };
    let error = table.select(&text).unwrap_err();
    assert!(
        matches!(error, SelectionError::NoRowFits { first: Some(_) }),
        "every row has text in a feature: {error}"
    );
    assert!(error.to_string().contains("no row fits the columns picked (line 2: "), "{error}");
    assert_eq!(table.suggested_task("label"), CsvTask::Classification);
    let values =
        parse(&format!("x,y\n{}", (0..40).map(|i| format!("{i},{}.5\n", i * 3)).collect::<String>()))
            .unwrap();
    assert_eq!(values.suggested_task("y"), CsvTask::Regression);
}

/// `graph` with its Dataset reading `file` (held), predicting `target`.
fn on_csv(mut graph: Graph, table: CsvTable, target: &str, task: CsvTask) -> Graph {
    let file = table.file.clone();
    csv_store::insert(table);
    let dataset = graph.nodes_of(NodeKind::Dataset).next().unwrap().id;
    for (name, value) in [
        ("kind", "csv".to_owned()),
        ("file", file.to_param()),
        ("target", target.to_owned()),
        ("task", task.name().to_owned()),
    ] {
        graph.set_param(dataset, name, ParamValue::Text(value)).unwrap();
    }
    graph
}

#[test]
fn a_csv_file_trains_through_the_compiler_and_the_trainer() {
    let table = CsvTable::parse("blobs.csv", blobs(400).as_bytes()).unwrap();
    let mut graph = on_csv(basic_loop(), table, "species", CsvTask::Classification);
    let tracker = graph.nodes_of(NodeKind::EpochTracker).next().unwrap().id;
    graph.set_param(tracker, "total_epochs", ParamValue::Int(15)).unwrap();
    // The default network's input takes the file's three features, standardised.
    let plan = compile(&graph).unwrap_or_else(|errors| panic!("{errors:?}"));
    assert_eq!(
        (plan.network.in_shape.as_slice(), plan.dataset.classes, plan.dataset.samples),
        (&[3][..], 2, 400)
    );
    let data = plan.dataset.generate();
    let mean_c: f32 = data.inputs.iter().skip(2).step_by(3).sum::<f32>() / 400.0;
    assert!(mean_c.abs() < 1e-4, "standardised: column c's mean is {mean_c}");
    let history = support::train_plan(plan.clone(), &cpu_device());
    let last = history.last().unwrap();
    assert!(last.train_accuracy.unwrap() > 0.9, "{last:?}");
}

#[test]
fn a_graph_whose_file_is_not_held_says_which_file_to_give() {
    let table = CsvTable::parse("held-elsewhere.csv", b"x,y,label\n1,2,a\n3,4,b\n").unwrap();
    let file = table.file.clone();
    let graph = on_csv(basic_loop(), table, "label", CsvTask::Classification);
    // A link carries the file's name, size and hash, not its rows.
    let experiment = Experiment::new(graph.clone(), View::default());
    let text = link::encode(&experiment).unwrap();
    assert_eq!(link::decode(&text).unwrap(), experiment);
    let json = graph_file::to_json(&experiment);
    assert!(json.contains(&file.sha256) && !json.contains("3,4,b"), "{json}");
    // Elsewhere (a process without the file): the Dataset asks for it by name and size.
    let mut elsewhere = graph.clone();
    let dataset = elsewhere.nodes_of(NodeKind::Dataset).next().unwrap().id;
    let stranger = FileRef { name: "mine.csv".into(), size: 1234, sha256: "ab".repeat(32) };
    elsewhere.set_param(dataset, "file", ParamValue::Text(stranger.to_param())).unwrap();
    let errors = compile(&elsewhere).unwrap_err();
    assert!(
        errors
            .iter()
            .any(|error| error.node() == Some(dataset) && error.to_string().contains("mine.csv (1.2 kB)")),
        "{errors:?}"
    );
}

#[test]
fn a_regression_on_a_csv_file_fits_its_values() {
    let mut text = String::from("u,v,height\n");
    for i in 0..300 {
        let (u, v) = ((i % 17) as f64 / 8.0 - 1.0, (i % 13) as f64 / 6.0 - 1.0);
        text.push_str(&format!("{u},{v},{}\n", 0.6 * (u + v)));
    }
    let table = CsvTable::parse("plane.csv", text.as_bytes()).unwrap();
    assert_eq!(table.suggested_task("height"), CsvTask::Regression);
    let graph = on_csv(regression(), table, "height", CsvTask::Regression);
    let mut plan = compile(&graph).unwrap_or_else(|errors| panic!("{errors:?}"));
    plan.tracker.epochs = 40;
    let history = support::train_plan(plan.clone(), &cpu_device());
    assert!(history.last().unwrap().train_loss < history[0].train_loss / 5.0, "{history:?}");
}

#[test]
fn columns_near_the_limits_of_f64_standardise_to_finite_numbers_and_targets_past_f32_are_left_out() {
    // Their sum overflows f64: the mean and spread must not.
    let mut csv = String::from("huge,tiny,y\n");
    for i in 0..40 {
        let sign = if i % 2 == 0 { 1.0 } else { -1.0 };
        csv.push_str(&format!("{:e},{:e},{}\n", sign * 1.5e308, f64::from(i) * 1e-310, i % 3));
    }
    csv.push_str("1e308,1e-310,3e39\n");
    let table = parse(&csv).unwrap();
    let picked = CsvSelection { target: "y".into(), features: Vec::new(), task: CsvTask::Regression };
    let data = table.select(&picked).unwrap();
    assert!(data.inputs.iter().all(|value| value.is_finite()), "every input is a number");
    let huge = &data.stats[0];
    assert!(huge.mean.is_finite() && huge.std.is_finite() && huge.std > 1e308, "{huge:?}");
    // ±1.5e308 alternate: standardised, ±1.
    assert!(
        (data.inputs[0] - 1.0).abs() < 1e-6 && (data.inputs[2] + 1.0).abs() < 1e-6,
        "{:?}",
        &data.inputs[..4]
    );
    // Subnormal values still spread: not all zeros.
    assert!(data.inputs.iter().skip(1).step_by(2).any(|value| value.abs() > 0.5));
    // 3e39 does not fit a 32-bit float: that row is left out, and said to be.
    assert_eq!(data.left_out.len(), 1);
    assert!(data.left_out[0].problem.contains("32-bit"), "{:?}", data.left_out);
    assert_eq!(data.left_out[0].line, 42);
}

#[test]
fn a_row_of_many_fields_and_many_blank_lines_cost_what_a_short_row_does() {
    let mut csv = String::from("a,b,c\n1,2,x\n9");
    csv.push_str(&",".repeat(500_000));
    csv.push('\n');
    csv.push_str(&"\n".repeat(500_000));
    csv.push_str("3,4\n5,6,y\n");
    let table = parse(&csv).unwrap();
    assert_eq!(table.row_count(), 4);
    let data = table.select(&classes("c")).unwrap();
    let left_out: Vec<(u64, &str)> =
        data.left_out.iter().map(|row| (row.line, row.problem.as_str())).collect();
    assert_eq!(
        left_out,
        [(3, "500001 fields, and the header has 3"), (500_004, "2 fields, and the header has 3")],
        "counted right, and their lines after half a million blank ones"
    );
}
