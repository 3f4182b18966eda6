//! The conductor as the page's engine drives it — commands in, advances with deadlines,
//! events out — natively, on a deterministic clock: a run published and finished, one activity
//! at a time, pausing and stepping, edits mid-run, checkpoints, the warm-up giving way, the
//! range test, and a sweep with a helper lane.
#![cfg(not(target_arch = "wasm32"))]

use futures_lite::future::block_on;
use kindling::core::compile::compiler::compile;
use kindling::core::document::checkpoint::Checkpoint;
use kindling::core::engine::conductor::{Conductor, Output};
use kindling::core::engine::device::cpu_device;
use kindling::core::engine::run::range_test::RangeTest;
use kindling::core::model::catalogue::NodeKind;
use kindling::core::model::graph::Graph;
use kindling::core::model::params::{LayerSpec, ParamValue};
use kindling::core::model::sweep_settings::{Pruning, Sweep, SweptParam};
use kindling::core::model::templates::basic_loop;
use kindling::core::protocol::backend::Backend;
use kindling::core::protocol::message::{
    Command, Event, RangeReport, RunReport, SweepReport, TrainRequest, WarmUpReport,
};
use kindling::core::protocol::step_size::StepSize;
use kindling::core::report::neurons::ProbeAnswer;
use kindling::core::report::retune::Retune;
use kindling::core::report::sweep_progress::{TrialReport, TrialState, TrialUpdate};
use kindling::core::report::views::Views;
use support::TestHost;

mod support;

fn graph(epochs: i64) -> Graph {
    let mut graph = basic_loop();
    let tracker = graph.nodes_of(NodeKind::EpochTracker).next().unwrap().id;
    graph.set_param(tracker, "total_epochs", ParamValue::Int(epochs)).unwrap();
    graph
}

fn train(id: u64, graph: Graph) -> Command {
    Command::Train(Box::new(TrainRequest {
        id,
        graph,
        backend: Backend::Cpu,
        from: None,
        paused: false,
        step: None,
    }))
}

/// The page's events among `outputs`.
fn events(outputs: Vec<Output>) -> Vec<Event> {
    outputs
        .into_iter()
        .filter_map(|output| match output {
            Output::Page(event) => Some(event),
            Output::Lane { .. } => None,
        })
        .collect()
}

/// What run `id` reported among `events`.
fn reports(events: &[Event], id: u64) -> Vec<RunReport> {
    events
        .iter()
        .filter_map(|event| match event {
            Event::Run { id: of, report } if *of == id => Some(report.clone()),
            _ => None,
        })
        .collect()
}

/// Advances with 12 ms deadlines on a clock of 1 ms a reading, `times` times or until the
/// conductor waits for a command; every event.
fn advance(conductor: &mut Conductor, host: &TestHost, times: usize) -> Vec<Event> {
    let mut seen = Vec::new();
    for _ in 0..times {
        if conductor.is_waiting() {
            break;
        }
        let deadline = host.peek() + 12.0;
        seen.extend(events(block_on(conductor.advance(deadline, host))));
    }
    seen
}

fn epochs_published(reports: &[RunReport]) -> Vec<usize> {
    reports
        .iter()
        .flat_map(|report| match report {
            RunReport::Published { epochs, .. } => epochs.iter().map(|stats| stats.epoch).collect(),
            _ => Vec::new(),
        })
        .collect()
}

#[test]
fn a_run_is_published_in_order_its_views_shown_and_it_finishes() {
    let host = TestHost::new(1.0);
    let mut conductor = Conductor::new();
    let started = events(conductor.command(train(1, graph(5)), &host));
    assert!(matches!(
        reports(&started, 1).as_slice(),
        [RunReport::Started { epoch: 0, epochs_total: 5, backend: Backend::Cpu, .. }]
    ));
    let seen = advance(&mut conductor, &host, 100_000);
    let reports = reports(&seen, 1);
    assert_eq!(epochs_published(&reports), [1, 2, 3, 4, 5], "every epoch once, in order");
    let last = reports.iter().rposition(|report| matches!(report, RunReport::Published { .. })).unwrap();
    let RunReport::Published { progress, .. } = &reports[last] else { unreachable!() };
    assert_eq!(progress.epochs, 5);
    let views = reports.iter().position(|report| matches!(report, RunReport::Views(_))).expect("views shown");
    let RunReport::Views(shown) = &reports[views] else { unreachable!() };
    let Views {
        field: Some(_),
        confusion: Some(_),
        neurons: Some(neurons),
        activity: Some(activity),
        input_weights: None,
    } = shown.as_ref()
    else {
        panic!(
            "the field, the confusion matrix, the neuron pictures and the layers' activity of a 2-D classifier: {:?}",
            reports[views]
        );
    };
    // Each ReLU layer's activations on the fixed batch of 128 samples, every unit counted,
    // its dead units among them.
    let counted: Vec<(usize, usize, u32)> =
        activity.iter().map(|layer| (layer.linear, layer.units, layer.histogram.total())).collect();
    assert_eq!(counted, [(0, 16, 128 * 16), (1, 16, 128 * 16)]);
    assert!(activity.iter().all(|layer| layer.dead.is_some_and(|dead| dead <= 16)), "{activity:?}");
    assert!(activity.iter().all(|layer| layer.histogram.low >= 0.0), "ReLU outputs are never negative");
    // The default network, 2-16-16-2: two hidden layers of 16 units, then the 2 outputs.
    let layers: Vec<(usize, usize, bool)> =
        neurons.layers.iter().map(|layer| (layer.linear, layer.shown, layer.output)).collect();
    assert_eq!(layers, [(0, 16, false), (1, 16, false), (2, 2, true)]);
    assert_eq!(reports.last(), Some(&RunReport::Finished));
    assert!(views < reports.len() - 1, "the final views come before Finished");
    assert!(conductor.is_waiting());
    assert_eq!(conductor.current(), None);
}

/// The probe's answers among `reports`.
fn answers(reports: &[RunReport]) -> Vec<ProbeAnswer> {
    reports
        .iter()
        .filter_map(|report| match report {
            RunReport::Probe(answer) => Some(answer.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn a_probe_is_answered_at_once_with_every_refresh_after_and_once_the_run_is_over() {
    let host = TestHost::new(1.0);
    let mut conductor = Conductor::new();
    conductor.command(train(1, graph(40)), &host);
    advance(&mut conductor, &host, 20);
    conductor.command(Command::Probe { id: 1, inputs: Some(vec![0.5, -0.25]) }, &host);
    let seen = reports(&advance(&mut conductor, &host, 100_000), 1);
    let during = answers(&seen);
    assert!(during.len() >= 2, "answered at once and with the refreshes after: {}", during.len());
    for answer in &during {
        assert_eq!(answer.inputs, [0.5, -0.25]);
        assert!(answer.probabilities && answer.outputs.len() == 2);
        assert!((answer.outputs.iter().sum::<f32>() - 1.0).abs() < 1e-5, "{:?}", answer.outputs);
        assert_eq!(answer.hidden.iter().map(Vec::len).collect::<Vec<_>>(), [16, 16]);
    }
    assert_ne!(during.first().unwrap().outputs, during.last().unwrap().outputs, "it follows the training");
    assert_eq!(seen.last(), Some(&RunReport::Finished));
    assert!(conductor.is_waiting());
    // Over, the run's model still answers: the final model's answer, the same as the last.
    conductor.command(Command::Probe { id: 1, inputs: Some(vec![0.5, -0.25]) }, &host);
    assert!(!conductor.is_waiting());
    let after = answers(&reports(&advance(&mut conductor, &host, 10), 1));
    assert_eq!(after, [during.last().unwrap().clone()]);
    // An input of another size is never answered; a probe of another run neither.
    conductor.command(Command::Probe { id: 1, inputs: Some(vec![0.5]) }, &host);
    conductor.command(Command::Probe { id: 7, inputs: Some(vec![0.5, 0.5]) }, &host);
    assert!(answers(&reports(&advance(&mut conductor, &host, 10), 1)).is_empty());
    // Another activity starts: the old model is let go.
    conductor.command(Command::RangeTest { id: 2, graph: graph(40) }, &host);
    conductor.command(Command::Probe { id: 1, inputs: Some(vec![0.5, -0.25]) }, &host);
    assert!(answers(&reports(&advance(&mut conductor, &host, 10), 1)).is_empty());
}

#[test]
fn one_activity_at_a_time_train_takes_over_and_the_range_test_waits() {
    let host = TestHost::new(1.0);
    let mut conductor = Conductor::new();
    conductor.command(train(1, graph(50)), &host);
    advance(&mut conductor, &host, 3);
    let refused = events(conductor.command(Command::RangeTest { id: 2, graph: graph(50) }, &host));
    assert!(
        matches!(refused.as_slice(), [Event::Refused { id: 2, reason }] if reason.contains("run")),
        "{refused:?}"
    );
    assert_eq!(conductor.current(), Some(1), "the run goes on");
    // Train again: the first run stops, and says so, before the second starts.
    let replaced = events(conductor.command(train(3, graph(50)), &host));
    assert_eq!(reports(&replaced, 1).last(), Some(&RunReport::Stopped));
    assert!(matches!(reports(&replaced, 3).first(), Some(RunReport::Started { .. })));
    let later = advance(&mut conductor, &host, 20);
    assert!(reports(&later, 1).is_empty(), "nothing more of the stopped run");
    // Stopping with another activity's number does nothing.
    assert!(events(conductor.command(Command::Stop { id: 1 }, &host)).is_empty());
    assert_eq!(conductor.current(), Some(3));
    let stopped = events(conductor.command(Command::Stop { id: 3 }, &host));
    assert_eq!(reports(&stopped, 3).last(), Some(&RunReport::Stopped));
    // With nothing under way the range test starts, and Train stops it.
    assert!(events(conductor.command(Command::RangeTest { id: 4, graph: graph(50) }, &host)).is_empty());
    advance(&mut conductor, &host, 2);
    let replaced = events(conductor.command(train(5, graph(50)), &host));
    assert!(replaced.contains(&Event::RangeTest { id: 4, report: RangeReport::Failed("stopped".into()) }));
}

#[test]
fn a_paused_run_is_held_a_step_runs_and_shows_the_views_and_resume_goes_on() {
    let host = TestHost::new(1.0);
    let mut conductor = Conductor::new();
    let request =
        TrainRequest { id: 1, graph: graph(20), backend: Backend::Cpu, from: None, paused: true, step: None };
    conductor.command(Command::Train(Box::new(request)), &host);
    let seen = advance(&mut conductor, &host, 10);
    assert!(reports(&seen, 1).contains(&RunReport::Held(true)));
    assert!(conductor.is_waiting(), "a held run waits for a command");
    conductor.command(Command::Step { id: 1, size: StepSize::Epoch }, &host);
    let stepped = reports(&advance(&mut conductor, &host, 1000), 1);
    let order: Vec<&str> = stepped
        .iter()
        .filter_map(|report| match report {
            RunReport::Held(false) => Some("released"),
            RunReport::Stepped => Some("stepped"),
            RunReport::Held(true) => Some("held"),
            RunReport::Views(_) => Some("views"),
            _ => None,
        })
        .collect();
    assert_eq!(order, ["released", "stepped", "held", "views"]);
    assert_eq!(epochs_published(&stepped), [1]);
    conductor.command(Command::Resume { id: 1 }, &host);
    let resumed = reports(&advance(&mut conductor, &host, 100_000), 1);
    assert_eq!(resumed.first(), Some(&RunReport::Held(false)));
    assert_eq!(epochs_published(&resumed), (2..=20).collect::<Vec<_>>());
    assert_eq!(resumed.last(), Some(&RunReport::Finished));
}

#[test]
fn an_edit_retunes_the_optimizer_or_stops_the_run() {
    let host = TestHost::new(1.0);
    let mut conductor = Conductor::new();
    let mut edited = graph(100);
    conductor.command(train(1, edited.clone()), &host);
    advance(&mut conductor, &host, 3);
    let sgd = edited.nodes_of(NodeKind::SgdOptimizer).next().unwrap().id;
    edited.set_param(sgd, "learning_rate", ParamValue::Float(0.05)).unwrap();
    let retuned = events(conductor.command(Command::Edited { id: 1, graph: Some(edited.clone()) }, &host));
    assert_eq!(reports(&retuned, 1), [RunReport::Retuned(Retune::LearningRate(0.05))]);
    // A node moved: nothing to say.
    assert!(
        events(conductor.command(Command::Edited { id: 1, graph: Some(edited.clone()) }, &host)).is_empty()
    );
    let network = edited.nodes_of(NodeKind::Network).next().unwrap().id;
    let layers =
        vec![LayerSpec::Linear { out_features: 8 }, LayerSpec::Relu, LayerSpec::Linear { out_features: 2 }];
    edited.set_param(network, "layers", ParamValue::Layers(layers)).unwrap();
    let restarted =
        reports(&events(conductor.command(Command::Edited { id: 1, graph: Some(edited) }, &host)), 1);
    assert_eq!(restarted.first(), Some(&RunReport::Retuned(Retune::Restart)));
    assert_eq!(restarted.last(), Some(&RunReport::Stopped));
    assert_eq!(conductor.current(), None);
}

#[test]
fn a_checkpoint_comes_due_at_save_interval_encoded_once_per_publish() {
    let host = TestHost::new(1.0);
    let mut conductor = Conductor::new();
    let mut graph = graph(6);
    let tracker = graph.nodes_of(NodeKind::EpochTracker).next().unwrap().id;
    graph.set_param(tracker, "save_interval", ParamValue::Int(3)).unwrap();
    conductor.command(train(1, graph), &host);
    let reports = reports(&advance(&mut conductor, &host, 100_000), 1);
    let due: Vec<usize> = reports
        .iter()
        .filter_map(|report| match report {
            RunReport::Checkpoint { epoch, bytes, due: true } => {
                let checkpoint = Checkpoint::from_bytes(bytes).expect("a checkpoint document");
                assert_eq!(checkpoint.epoch, *epoch);
                assert!(checkpoint.state.is_some(), "with where the run stood");
                Some(*epoch)
            }
            _ => None,
        })
        .collect();
    assert_eq!(due, [3, 6]);
    assert!(
        reports.iter().any(|report| matches!(report, RunReport::Checkpoint { epoch: 6, due: false, .. })),
        "the weights at the end, to download"
    );
}

#[test]
fn the_warm_up_gives_way_to_a_run_and_says_what_it_showed() {
    let host = TestHost::new(1.0);
    let mut conductor = Conductor::new();
    conductor.warm_up();
    assert!(!conductor.is_waiting());
    let warming = advance(&mut conductor, &host, 30);
    assert!(
        warming.iter().any(|event| matches!(event, Event::WarmUp(WarmUpReport::Epoch(_)))),
        "{warming:?}"
    );
    conductor.command(train(1, graph(2)), &host);
    let after = advance(&mut conductor, &host, 100_000);
    assert!(
        !after.iter().any(|event| matches!(event, Event::WarmUp(_))),
        "no warm-up once a run has started"
    );
    assert_eq!(reports(&after, 1).last(), Some(&RunReport::Finished));
    // Alone, it runs to its end.
    let mut alone = Conductor::new();
    alone.warm_up();
    let all = advance(&mut alone, &host, 1_000_000);
    assert_eq!(all.last(), Some(&Event::WarmUp(WarmUpReport::Done)));
    assert!(alone.is_waiting());
}

#[test]
fn the_range_test_reports_progress_and_suggests_what_the_test_alone_suggests() {
    let host = TestHost::new(1.0);
    let mut conductor = Conductor::new();
    conductor.command(Command::RangeTest { id: 9, graph: graph(200) }, &host);
    let seen = advance(&mut conductor, &host, 100_000);
    let reports: Vec<&RangeReport> = seen
        .iter()
        .filter_map(|event| match event {
            Event::RangeTest { id: 9, report } => Some(report),
            _ => None,
        })
        .collect();
    assert!(matches!(reports.first(), Some(RangeReport::Progress { .. })));
    let Some(RangeReport::Done(result)) = reports.last() else { panic!("{reports:?}") };
    let alone = block_on(RangeTest::default().run(&compile(&graph(200)).unwrap(), &cpu_device())).unwrap();
    assert_eq!(result.suggestion, alone.suggestion);
    assert!(result.suggestion.is_some());
    assert_eq!(conductor.current(), None);
}

#[test]
fn a_sweep_with_a_helper_lane_orders_it_and_hears_its_reports() {
    let host = TestHost::new(1.0);
    let mut conductor = Conductor::new();
    let mut graph = graph(2);
    let sgd = graph.nodes_of(NodeKind::SgdOptimizer).next().unwrap().id;
    graph.set_sweep(Sweep {
        params: vec![SweptParam { node: sgd, param: "learning_rate".into(), values: "0.1, 0.01".into() }],
        pruning: Pruning::Off,
        ..Sweep::default()
    });
    assert!(events(conductor.command(Command::Sweep { id: 4, graph, lanes: 2 }, &host)).is_empty());
    let first = block_on(conductor.advance(host.peek() + 12.0, &host));
    let assigned = first
        .iter()
        .find_map(|output| match output {
            Output::Lane { lane: 1, command } => match command.as_ref() {
                Command::Trial { id: 4, graph } => Some(graph.clone()),
                _ => None,
            },
            _ => None,
        })
        .expect("the helper lane gets the second trial");
    let sgd_rate = assigned.nodes_of(NodeKind::SgdOptimizer).next().unwrap().param("learning_rate");
    assert_eq!(sgd_rate, Some(ParamValue::Float(0.01)));
    // The helper reports an epoch: the sweep judges it and answers the lane.
    let stats = kindling::core::report::epoch_stats::EpochStats {
        epoch: 1,
        train_loss: 0.5,
        train_accuracy: Some(0.8),
        val_loss: None,
        val_accuracy: None,
        per_class_accuracy: Vec::new(),
        class_metrics: None,
        lr: 0.01,
        layers: Vec::new(),
    };
    let answered = conductor
        .command(Command::LaneReport { lane: 1, report: TrialReport::Epoch { stats, seconds: 0.1 } }, &host);
    assert!(
        answered
            .contains(&Output::Lane { lane: 1, command: Box::new(Command::Verdict { id: 4, go_on: true }) })
    );
    // Its worker dies: the trial is failed, and the sweep goes on to its end.
    let mut rest =
        events(conductor.command(Command::LaneLost { lane: 1, reason: "out of memory".into() }, &host));
    rest.extend(advance(&mut conductor, &host, 100_000));
    let updates: Vec<TrialUpdate> = rest
        .iter()
        .filter_map(|event| match event {
            Event::Sweep { id: 4, report: SweepReport::Updates(updates) } => Some(updates.clone()),
            _ => None,
        })
        .flatten()
        .collect();
    assert!(updates.iter().any(|update| matches!(
        update,
        TrialUpdate::Ended { index: 1, state: TrialState::Failed, note: Some(note) } if note.contains("out of memory")
    )));
    assert!(
        updates
            .iter()
            .any(|update| matches!(update, TrialUpdate::Ended { index: 0, state: TrialState::Done, .. }))
    );
    assert_eq!(rest.last(), Some(&Event::Sweep { id: 4, report: SweepReport::Finished }), "{rest:?}");
}

/// The page's engine and `kindling-run` drive the same sweep to the same records: the
/// conductor's updates are the `SweepRun`'s, advanced as the runner advances it.
#[test]
fn a_sweep_in_the_conductor_decides_as_the_runner_does() {
    use kindling::core::engine::sweep_run::{Lanes, LocalDevice, SweepEvent, SweepRun};
    let host = TestHost::new(1.0);
    let mut graph = graph(3);
    let sgd = graph.nodes_of(NodeKind::SgdOptimizer).next().unwrap().id;
    graph.set_sweep(Sweep {
        params: vec![SweptParam {
            node: sgd,
            param: "learning_rate".into(),
            values: "0.3, 0.0001, 0.1".into(),
        }],
        pruning: Pruning::Median { warmup_epochs: 0, min_trials: 1 },
        ..Sweep::default()
    });
    let without_seconds = |update: TrialUpdate| match update {
        TrialUpdate::Epoch { index, stats, pruned, .. } => {
            TrialUpdate::Epoch { index, stats, seconds: 0.0, pruned }
        }
        update => update,
    };
    // As kindling-run drives it.
    let local = LocalDevice { device: cpu_device(), backend: Backend::Cpu, f16: false };
    let mut runner = SweepRun::new(&graph, Lanes { local: Some(local), remote: 0 }).unwrap();
    let mut by_runner = Vec::new();
    while !runner.is_over() {
        for event in block_on(runner.advance(f64::INFINITY, &host)) {
            if let SweepEvent::Update(update) = event {
                by_runner.push(without_seconds(update));
            }
        }
    }
    // As the page's engine drives it.
    let mut conductor = Conductor::new();
    conductor.command(Command::Sweep { id: 1, graph, lanes: 1 }, &host);
    let by_engine: Vec<TrialUpdate> = advance(&mut conductor, &host, 1_000_000)
        .into_iter()
        .filter_map(|event| match event {
            Event::Sweep { report: SweepReport::Updates(updates), .. } => Some(updates),
            _ => None,
        })
        .flatten()
        .map(without_seconds)
        .collect();
    assert_eq!(by_engine, by_runner);
    assert!(by_runner.iter().any(|update| matches!(update, TrialUpdate::Epoch { pruned: true, .. })));
}
