//! A lesson step's goals: the condition language parses what docs/lessons.md documents,
//! refuses what it does not (saying where), and reads the run and the graph as the page
//! gathers them.

use kindling::core::model::catalogue::NodeKind;
use kindling::core::model::graph::Graph;
use kindling::core::model::params::{LayerSpec, ParamValue};
use kindling::core::model::templates::{basic_loop, with_validation};
use kindling::core::report::epoch_stats::EpochStats;
use kindling::core::teach::diagnosis::Diagnosis;
use kindling::core::teach::facts::{Facts, RangeTestFacts, RunFacts, SweepFacts, Value};
use kindling::core::teach::goal::{Goal, MAX_GOAL_CHARS, NAMES};

fn epoch(epoch: usize, train_loss: f64, val_loss: Option<f64>, accuracy: f64) -> EpochStats {
    EpochStats {
        epoch,
        train_loss,
        train_accuracy: Some(accuracy),
        val_loss,
        val_accuracy: val_loss.map(|_| accuracy - 0.05),
        per_class_accuracy: Vec::new(),
        class_metrics: None,
        lr: 0.1,
        layers: Vec::new(),
    }
}

struct World {
    graph: Graph,
    start: Graph,
    epochs: Vec<EpochStats>,
    run: RunFacts,
    range_test: RangeTestFacts,
    sweep: SweepFacts,
    notices: Vec<Diagnosis>,
}

impl World {
    fn new(graph: Graph) -> Self {
        Self {
            start: graph.clone(),
            graph,
            epochs: Vec::new(),
            run: RunFacts::default(),
            range_test: RangeTestFacts::default(),
            sweep: SweepFacts::default(),
            notices: Vec::new(),
        }
    }

    fn facts(&self) -> Facts<'_> {
        Facts {
            graph: &self.graph,
            step_start: &self.start,
            epochs: &self.epochs,
            run: self.run,
            range_test: self.range_test.clone(),
            sweep: self.sweep.clone(),
            notices: &self.notices,
        }
    }

    fn holds(&self, goal: &str) -> bool {
        Goal::parse(goal).unwrap_or_else(|error| panic!("{goal}: {error}")).check(&self.facts()).holds
    }

    fn set(&mut self, kind: NodeKind, param: &str, value: ParamValue) {
        let id = self.graph.nodes_of(kind).next().unwrap().id;
        self.graph.set_param(id, param, value).unwrap();
    }
}

#[test]
fn metrics_read_the_last_epoch_and_nothing_before_one() {
    let mut world = World::new(with_validation());
    for goal in ["val_loss < 10", "loss < 10", "accuracy >= 0", "epochs_run >= 1", "lr > 0"] {
        assert!(!world.holds(goal), "{goal} before any epoch");
    }
    assert!(world.holds("epochs_run == 0"));
    assert!(world.holds("not val_loss < 10"), "not of an unmeasured test holds");
    world.epochs =
        vec![epoch(1, 0.9, Some(0.8), 0.6), epoch(2, 0.5, Some(0.3), 0.8), epoch(3, 0.2, Some(0.4), 0.9)];
    assert!(world.holds("val_loss < 0.5 and val_loss > 0.35"));
    assert!(world.holds("loss == 0.4"), "loss is the validation loss when there is one");
    assert!(world.holds("train_loss <= 0.2 and train_accuracy in [0.9, 1]"));
    assert!(world.holds("accuracy in [0.849, 0.851]"), "accuracy is the validation accuracy");
    assert!(world.holds("best_val_loss == 0.3"));
    assert!(world.holds("loss_gap > 0.19 and loss_gap < 0.21"));
    assert!(world.holds("epochs_run >= 3 and epochs_run <= 50"));
    assert!(!world.holds("precision > 0"), "no ClassificationMetrics, no precision");
    // Without validation, loss and accuracy are training's.
    world.epochs = vec![epoch(1, 0.25, None, 0.7)];
    assert!(world.holds("loss == 0.25 and accuracy == 0.7"));
}

#[test]
fn the_graph_reads_through_the_catalogue() {
    let mut world = World::new(basic_loop());
    assert!(world.holds("hidden_units == 32 and hidden_layers == 2"), "the default graph is 2-16-16-2");
    assert!(world.holds("uses(ReLU) and not uses(Tanh) and uses(relu)"));
    assert!(world.holds("SGDOptimizer.learning_rate > 0"));
    assert!(world.holds("Dataset.kind == \"spiral\" and Dataset.kind != \"xor\""));
    assert!(!world.holds("param_changed(SGDOptimizer.learning_rate)"));
    world.set(NodeKind::SgdOptimizer, "learning_rate", ParamValue::Float(0.5));
    assert!(
        world.holds("param_changed(SGDOptimizer.learning_rate) and SGDOptimizer.learning_rate in [0.5, 0.5]")
    );
    assert!(!world.holds("param_changed(SGDOptimizer.momentum)"));
    world.set(
        NodeKind::Network,
        "layers",
        ParamValue::Layers(vec![
            LayerSpec::Linear { out_features: 4 },
            LayerSpec::Tanh,
            LayerSpec::Linear { out_features: 2 },
        ]),
    );
    assert!(world.holds("hidden_units == 4 and hidden_layers == 1 and uses(Tanh)"));
    assert!(!world.holds("AdamOptimizer.learning_rate > 0"), "a kind the graph lacks reads as unmeasured");
}

#[test]
fn run_range_test_sweep_and_notices_read_as_the_page_gives_them() {
    let mut world = World::new(basic_loop());
    assert!(world.holds("not run.started and not run.diverged and not sweep.finished and sweep.trials == 0"));
    world.run = RunFacts { started: true, running: false, finished: true, diverged: true };
    assert!(world.holds("run.started and run.finished and run.diverged and not run.running"));
    assert!(!world.holds("range_test.done") && !world.holds("range_test.suggested > 0"));
    world.range_test = RangeTestFacts { done: true, suggested: Some(0.084) };
    assert!(world.holds("range_test.done and range_test.suggested in [0.01, 0.1]"));
    world.sweep = SweepFacts { finished: true, trials: 12, best: vec![("learning_rate".to_owned(), 0.03)] };
    assert!(world.holds("sweep.finished and sweep.trials >= 12 and sweep.best.learning_rate in [0.01, 0.1]"));
    assert!(!world.holds("sweep.best.momentum > 0"), "a parameter the sweep did not vary");
    assert!(!world.holds("notice(overfitting)"));
    world.notices = vec![Diagnosis::Overfitting, Diagnosis::DeadUnits];
    assert!(
        world.holds(
            "notice(overfitting) and notice(dead-units) and notice(dead_units) and not notice(plateau)"
        )
    );
}

#[test]
fn and_binds_tighter_than_or_and_parentheses_group() {
    let world = World::new(basic_loop());
    assert!(world.holds("true or false and false"), "and first: true or (false and false)");
    assert!(!world.holds("(true or false) and false"));
    assert!(world.holds("not (false or false) and not not true"));
}

#[test]
fn a_check_reads_every_test_with_its_value() {
    let mut world = World::new(with_validation());
    world.epochs = vec![epoch(4, 0.5, Some(0.25), 0.8)];
    let goal = Goal::parse("val_loss < 0.1  and epochs_run <= 50").unwrap();
    let check = goal.check(&world.facts());
    assert!(!check.holds);
    assert_eq!(check.tests.len(), 2, "both read, though the first fails");
    assert_eq!(check.tests[0].text, "val_loss < 0.1");
    assert_eq!(check.tests[0].now, Some(Value::Number(0.25)));
    assert!(!check.tests[0].holds && check.tests[1].holds);
    assert_eq!(check.tests[0].now.as_ref().unwrap().to_string(), "0.25");
    assert_eq!(goal.source(), "val_loss < 0.1  and epochs_run <= 50");
}

#[test]
fn every_documented_name_parses() {
    for (name, what) in NAMES {
        assert!(!what().is_empty());
        let truth = name.starts_with("run.") || matches!(name, "range_test.done" | "sweep.finished");
        let goal = if truth { name.to_string() } else { format!("{name} >= 0") };
        Goal::parse(&goal).unwrap_or_else(|error| panic!("{goal}: {error}"));
    }
    for goal in [
        "1e-3 < lr",
        "lr > .5",
        "lr > -2.5e-1",
        "TrainingStep.mixed_precision",
        "not EpochTracker.total_epochs == 5",
    ] {
        Goal::parse(goal).unwrap_or_else(|error| panic!("{goal}: {error}"));
    }
}

#[test]
fn malformed_goals_are_refused_saying_where() {
    let cases: [(&str, &str, usize); 16] = [
        ("", "ends where a value was expected", 1),
        ("val_loss <", "ends where a value was expected", 11),
        ("val_los < 0.1", "`val_los` is not a name goals know", 1),
        ("val_loss < 0.1 and", "ends where a value was expected", 19),
        ("val_loss", "needs a comparison", 1),
        ("val_loss < 0.1 val_loss", "expected `and`, `or` or the end", 16),
        ("(val_loss < 0.1", "expected `)`", 16),
        ("SGDOptimizer.learning_rat > 0", "SGDOptimizer has no parameter `learning_rat`", 1),
        ("Sgd.learning_rate > 0", "not a name goals know", 1),
        ("Network.layers == 2", "is a list of layers", 1),
        ("run.diverged < 2", "only numbers compare by size", 1),
        ("lr in [1, 0]", "is empty", 13),
        ("notice(boredom)", "`boredom` is no diagnosis", 8),
        ("explode(lr)", "`explode` is no function", 1),
        ("lr > 1e999", "is not a number", 6),
        ("lr > 0 ; drop", "`;` has no meaning", 8),
    ];
    for (goal, message, at) in cases {
        let error = Goal::parse(goal).expect_err(goal);
        assert!(error.message.contains(message), "{goal}: {error}");
        assert_eq!(error.at, at, "{goal}: {error}");
    }
    let long = format!("lr > 0{}", " and lr > 0".repeat(MAX_GOAL_CHARS / 10));
    assert!(Goal::parse(&long).unwrap_err().message.contains("characters long"));
    let deep = format!("{}lr > 0{}", "(".repeat(40), ")".repeat(40));
    assert!(Goal::parse(&deep).unwrap_err().message.contains("nests deeper"));
    let nots = format!("{}run.started", "not ".repeat(40));
    assert!(Goal::parse(&nots).unwrap_err().message.contains("nests deeper"));
}

#[test]
fn goals_round_trip_through_json_as_their_text() {
    let goal = Goal::parse("sweep.best.learning_rate in [0.01, 0.1]").unwrap();
    let json = serde_json::to_string(&goal).unwrap();
    assert_eq!(json, "\"sweep.best.learning_rate in [0.01, 0.1]\"");
    assert_eq!(serde_json::from_str::<Goal>(&json).unwrap(), goal);
    let error = serde_json::from_str::<Goal>("\"val_loss <\"").unwrap_err().to_string();
    assert!(error.contains("goal `val_loss <`"), "{error}");
}
