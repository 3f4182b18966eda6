//! The built-in lessons: each opens through the graph-file reader, points only at what its
//! graph has, travels in links and files unchanged, and — followed as a learner would, on real
//! runs of its graph — reaches the goal of every step that trains.
#![cfg(not(target_arch = "wasm32"))]

use futures_lite::future::block_on;
use kindling::core::compile::compiler::compile;
use kindling::core::data::csv_data::CsvTable;
use kindling::core::data::csv_store;
use kindling::core::document::built_in_lessons::{BUILT_IN_LESSONS, BuiltInLesson};
use kindling::core::document::experiment::Experiment;
use kindling::core::document::{graph_file, link};
use kindling::core::engine::device::cpu_device;
use kindling::core::engine::run::{Event, Run, RunStart};
use kindling::core::model::catalogue::NodeKind;
use kindling::core::model::graph::Graph;
use kindling::core::model::layer_text::parse_layers;
use kindling::core::model::params::ParamValue;
use kindling::core::protocol::backend::Backend;
use kindling::core::report::epoch_stats::EpochStats;
use kindling::core::teach::diagnosis::{RunEvidence, diagnose};
use kindling::core::teach::facts::{Facts, RangeTestFacts, RunFacts, SweepFacts};
use kindling::core::teach::lesson::Highlight;
use kindling::core::teach::markdown::{Block, blocks};
use support::TestHost;

mod support;

/// `lesson`, opened, with the data files it brings held as the page holds them.
fn open(lesson: &BuiltInLesson) -> Experiment {
    let experiment = lesson.open().unwrap_or_else(|error| panic!("{}: {error}", lesson.slug));
    for file in experiment.lesson.iter().flat_map(|lesson| &lesson.files) {
        csv_store::insert(CsvTable::parse(&file.name, file.text.as_bytes()).unwrap());
    }
    experiment
}

#[test]
fn every_built_in_lesson_opens_and_points_at_what_its_graph_has() {
    assert!(BUILT_IN_LESSONS.len() >= 10, "{} lessons", BUILT_IN_LESSONS.len());
    for built_in in BUILT_IN_LESSONS {
        let experiment = open(built_in);
        let lesson =
            experiment.lesson.as_ref().unwrap_or_else(|| panic!("{}: no lesson in its file", built_in.slug));
        assert!(lesson.steps.len() >= 2 && !lesson.summary.is_empty(), "{}", built_in.slug);
        let has = |kind: NodeKind| experiment.graph.nodes_of(kind).next().is_some();
        for (at, step) in lesson.steps.iter().enumerate() {
            let here = format!("{} step {}", built_in.slug, at + 1);
            assert!(!blocks(&step.text).is_empty(), "{here}: no text");
            for highlight in &step.highlights {
                match highlight {
                    Highlight::Node(kind) => {
                        assert!(has(*kind), "{here}: highlights a {kind} the graph lacks")
                    }
                    Highlight::Param(param) => assert!(has(param.kind), "{here}: highlights {param}"),
                    Highlight::Control(id) | Highlight::View(id) => assert!(!id.is_empty()),
                }
            }
            for lock in &step.locks {
                assert!(has(lock.kind), "{here}: locks {lock}, whose node the graph lacks");
            }
            for block in blocks(&step.text) {
                let runs = match block {
                    Block::Paragraph(runs) => runs,
                    Block::List { items, .. } => items.concat(),
                };
                for slug in runs.iter().filter_map(|run| run.lesson.as_deref()) {
                    assert!(
                        BuiltInLesson::find(slug).is_some(),
                        "{here}: links to a lesson `{slug}` there is not"
                    );
                }
            }
        }
        if built_in.slug != "your-own-data" {
            compile(&experiment.graph).unwrap_or_else(|errors| panic!("{}: {errors:?}", built_in.slug));
        }
    }
}

#[test]
fn lessons_travel_in_links_and_files_unchanged() {
    for built_in in BUILT_IN_LESSONS {
        let experiment = open(built_in);
        let text = link::encode(&experiment).unwrap();
        assert_eq!(link::decode(&text).unwrap(), experiment, "{} via a link", built_in.slug);
        let file = graph_file::to_json(&experiment);
        assert!(file.contains("\"version\": 3"), "{}", built_in.slug);
        assert_eq!(graph_file::from_json(&file).unwrap(), experiment, "{} via a file", built_in.slug);
    }
    // Without a lesson, links and files keep the versions pages before lessons read.
    let plain = Experiment::new(open(&BUILT_IN_LESSONS[0]).graph, Default::default());
    assert!(graph_file::to_json(&plain).contains("\"version\": 1"));
}

#[test]
fn a_lesson_past_its_bounds_or_with_a_bad_goal_is_refused_saying_which() {
    let file = BUILT_IN_LESSONS[0].file;
    let bad_goal = file.replacen("\"goal\": \"epochs_run >= 30\"", "\"goal\": \"epochs_rum >= 30\"", 1);
    let error = graph_file::from_json(&bad_goal).unwrap_err().to_string();
    assert!(error.contains("`epochs_rum` is not a name goals know"), "{error}");
    let long_title = file.replacen("\"title\": \"", &format!("\"title\": \"{}", "x".repeat(200)), 1);
    let error = graph_file::from_json(&long_title).unwrap_err().to_string();
    assert!(error.contains("its lesson: its title is"), "{error}");
    let mut experiment = open(&BUILT_IN_LESSONS[0]);
    experiment.lesson.as_mut().unwrap().steps.clear();
    assert!(link::encode(&experiment).is_err(), "a lesson without steps is not written");
}

/// A run of `graph` to its end, or to its divergence: its epochs, and whether it diverged.
fn train(graph: &Graph) -> (Vec<EpochStats>, bool) {
    let plan = compile(graph).unwrap_or_else(|errors| panic!("{errors:?}"));
    let host = TestHost::new(1.0);
    let mut run = Run::start(plan, RunStart::new(cpu_device(), Backend::Cpu)).unwrap();
    let mut epochs = Vec::new();
    while !run.is_over() {
        for event in block_on(run.advance(f64::INFINITY, &host)) {
            match event {
                Event::Epoch(stats) => epochs.push(stats),
                Event::Diverged(_) => return (epochs, true),
                Event::Failed(error) => panic!("the run failed: {error}"),
                _ => {}
            }
        }
    }
    (epochs, false)
}

/// What a learner does in a step: parameters set (`Kind.param`, value as the inspector takes
/// it), then whether they train.
type Action = (&'static [(&'static str, &'static str)], bool);

fn set(graph: &mut Graph, param: &str, value: &str) {
    let (kind, name) = param.split_once('.').unwrap();
    let kind = NodeKind::from_name(kind).unwrap();
    let id = graph.nodes_of(kind).map(|node| node.id).min().unwrap();
    let value = match name {
        "layers" => ParamValue::Layers(parse_layers(value).unwrap()),
        "weight" => {
            ParamValue::Floats(value.split(',').map(|number| number.trim().parse().unwrap()).collect())
        }
        _ => match value.parse::<i64>() {
            Ok(whole)
                if !value.contains('.')
                    && kind.spec().param(name).unwrap().default.value().as_i64().is_some() =>
            {
                ParamValue::Int(whole)
            }
            _ => ParamValue::Float(value.parse().unwrap()),
        },
    };
    graph.set_param(id, name, value).unwrap();
}

/// The lessons a learner follows on the CPU, step by step: each step's edits and run.
const FOLLOWED: &[(&str, &[Action])] = &[
    ("one-neuron", &[(&[], true), (&[("Network.layers", "Linear(4), ReLU, Linear(2)")], true), (&[], false)]),
    (
        "activations",
        &[
            (&[], true),
            (&[("Network.layers", "Linear(8), ReLU, Linear(8), ReLU, Linear(2)")], true),
            (&[("Network.layers", "Linear(8), Tanh, Linear(8), Tanh, Linear(2)")], true),
        ],
    ),
    (
        "learning-rate",
        &[
            (&[], true),
            (&[("SGDOptimizer.learning_rate", "50")], true),
            (&[("SGDOptimizer.learning_rate", "1")], true),
        ],
    ),
    (
        "batch-size",
        &[
            (&[("BatchSampler.batch_size", "1")], true),
            (&[("BatchSampler.batch_size", "400")], true),
            (&[("BatchSampler.batch_size", "32")], true),
        ],
    ),
    (
        "momentum",
        &[
            (&[], true),
            (&[("SGDOptimizer.momentum", "0.9")], true),
            (&[("SGDOptimizer.momentum", "0.99")], true),
        ],
    ),
    ("overfitting", &[(&[], true), (&[("AdamOptimizer.weight_decay", "0.01")], true), (&[], false)]),
    ("rare-class", &[(&[], true), (&[("CrossEntropyLoss.weight", "10, 1")], true), (&[], false)]),
    (
        "schedules",
        &[
            (&[], true),
            (&[("CosineAnnealingLR.eta_min", "0")], true),
            (&[("LinearLR.start_factor", "0.1")], true),
        ],
    ),
];

#[test]
fn following_each_lesson_on_real_runs_reaches_every_goal() {
    for (slug, actions) in FOLLOWED {
        let experiment = open(&BuiltInLesson::find(slug).unwrap());
        let lesson = experiment.lesson.unwrap();
        assert_eq!(lesson.steps.len(), actions.len(), "{slug}: one action per step");
        let mut graph = experiment.graph;
        for (at, (step, (edits, trains))) in lesson.steps.iter().zip(actions.iter()).enumerate() {
            let start = graph.clone();
            for (param, value) in edits.iter() {
                set(&mut graph, param, value);
            }
            let (epochs, diverged) = if *trains { train(&graph) } else { (Vec::new(), false) };
            let evidence = RunEvidence { graph: &graph, epochs: &epochs, activity: &[] };
            let notices: Vec<_> = diagnose(&evidence).into_iter().map(|notice| notice.diagnosis).collect();
            let facts = Facts {
                graph: &graph,
                step_start: &start,
                epochs: &epochs,
                run: RunFacts { started: *trains, running: false, finished: *trains, diverged },
                range_test: RangeTestFacts::default(),
                sweep: SweepFacts::default(),
                notices: &notices,
            };
            let last = epochs.last();
            eprintln!(
                "{slug} step {}: {} epochs, loss {:?}, val {:?}, accuracy {:?}, recall {:?}, diverged {diverged}, notices {notices:?}",
                at + 1,
                epochs.len(),
                last.map(|epoch| epoch.train_loss),
                last.and_then(|epoch| epoch.val_loss),
                last.and_then(|epoch| epoch.val_accuracy.or(epoch.train_accuracy)),
                last.and_then(|epoch| Some(epoch.class_metrics?.recall)),
            );
            if let Some(goal) = &step.goal {
                let check = goal.check(&facts);
                assert!(check.holds, "{slug} step {}: `{goal}` does not hold: {:?}", at + 1, check.tests);
            }
        }
    }
}
