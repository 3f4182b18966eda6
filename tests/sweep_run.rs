//! A sweep driven as the page and `kindling-run` drive it — paused, resumed and stopped
//! mid-trial, a trial that diverges, pruning on a trial's last epoch — and the same sweep on a
//! lane elsewhere deciding exactly as on its own, natively, on a deterministic clock.
#![cfg(not(target_arch = "wasm32"))]

use futures_lite::future::block_on;
use kindling::core::compile::compiler::compile;
use kindling::core::engine::device::cpu_device;
use kindling::core::engine::run::RunStart;
use kindling::core::engine::sweep_run::{Lanes, LocalDevice, SweepEvent, SweepRun};
use kindling::core::engine::trial_run::TrialRun;
use kindling::core::model::catalogue::NodeKind;
use kindling::core::model::graph::Graph;
use kindling::core::model::params::ParamValue;
use kindling::core::model::sweep_settings::{Pruning, Sweep, SweptParam};
use kindling::core::model::templates::basic_loop;
use kindling::core::protocol::backend::Backend;
use kindling::core::report::sweep_progress::{TrialState, TrialUpdate};
use support::TestHost;

mod support;

/// The default graph, `epochs` long, sweeping SGD's learning rate over `rates`.
fn swept(rates: &str, epochs: i64, pruning: Pruning) -> Graph {
    let mut graph = basic_loop();
    let tracker = graph.nodes_of(NodeKind::EpochTracker).next().unwrap().id;
    graph.set_param(tracker, "total_epochs", ParamValue::Int(epochs)).unwrap();
    let sgd = graph.nodes_of(NodeKind::SgdOptimizer).next().unwrap().id;
    graph.set_sweep(Sweep {
        params: vec![SweptParam { node: sgd, param: "learning_rate".into(), values: rates.into() }],
        pruning,
        ..Sweep::default()
    });
    graph
}

fn local() -> Lanes {
    Lanes { local: Some(LocalDevice { device: cpu_device(), backend: Backend::Cpu, f16: false }), remote: 0 }
}

/// The updates among `events`, each epoch's seconds zeroed (they are the clock's, not the
/// sweep's decisions).
fn updates(events: &[SweepEvent]) -> Vec<TrialUpdate> {
    events
        .iter()
        .filter_map(|event| match event {
            SweepEvent::Update(TrialUpdate::Epoch { index, stats, pruned, .. }) => Some(TrialUpdate::Epoch {
                index: *index,
                stats: stats.clone(),
                seconds: 0.0,
                pruned: *pruned,
            }),
            SweepEvent::Update(update) => Some(update.clone()),
            _ => None,
        })
        .collect()
}

/// Advances a local sweep to its end; every event.
fn to_the_end(sweep: &mut SweepRun, host: &TestHost) -> Vec<SweepEvent> {
    let mut events = Vec::new();
    while !sweep.is_over() {
        events.extend(block_on(sweep.advance(f64::INFINITY, host)));
    }
    events
}

#[test]
fn a_sweep_pauses_resumes_and_stops_mid_trial() {
    let host = TestHost::new(1.0);
    let mut sweep = SweepRun::new(&swept("0.01, 0.1, 1", 4, Pruning::Off), local()).unwrap();
    let mut events = Vec::new();
    while sweep.progress().trials[0].epochs_run < 2 {
        events.extend(block_on(sweep.advance(f64::INFINITY, &host)));
    }
    sweep.pause();
    let epochs_then = sweep.progress().trials[0].epochs_run;
    for _ in 0..5 {
        assert_eq!(block_on(sweep.advance(f64::INFINITY, &host)), Vec::new(), "nothing trains while paused");
    }
    assert_eq!(sweep.progress().trials[0].epochs_run, epochs_then);
    assert_eq!(sweep.resume(), Vec::new(), "a local lane has no verdict to give");
    while sweep.progress().trials[1].state != TrialState::Running {
        events.extend(block_on(sweep.advance(f64::INFINITY, &host)));
    }
    assert_eq!(sweep.progress().trials[0].state, TrialState::Done);
    assert_eq!(sweep.progress().trials[0].epochs_run, 4, "the first trial ran every epoch");
    let stopped = sweep.stop();
    assert_eq!(updates(&stopped), [TrialUpdate::Stopped]);
    assert!(sweep.is_over());
    let states: Vec<TrialState> = sweep.progress().trials.iter().map(|record| record.state).collect();
    assert_eq!(states, [TrialState::Done, TrialState::Stopped, TrialState::Stopped]);
    assert_eq!(block_on(sweep.advance(f64::INFINITY, &host)), Vec::new(), "a stopped sweep stays stopped");
    assert_eq!(sweep.stop(), Vec::new());
    // Every update, recorded by a copy that only listens, gives the same records.
    let mut copy =
        kindling::core::report::sweep_progress::SweepProgress::new(&swept("0.01, 0.1, 1", 4, Pruning::Off))
            .unwrap();
    for update in updates(&events).iter().chain(&updates(&stopped)) {
        copy.record(update);
    }
    let listened: Vec<TrialState> = copy.trials.iter().map(|record| record.state).collect();
    assert_eq!(listened, states);
}

#[test]
fn a_diverging_trial_is_marked_diverged_and_the_sweep_goes_on() {
    let host = TestHost::new(1.0);
    let mut sweep = SweepRun::new(&swept("1000, 0.1", 3, Pruning::Off), local()).unwrap();
    let events = to_the_end(&mut sweep, &host);
    let trials = &sweep.progress().trials;
    assert_eq!(trials[0].state, TrialState::Diverged);
    assert!(trials[0].note.as_deref().is_some_and(|note| note.contains("diverged")), "{:?}", trials[0].note);
    assert_eq!(trials[1].state, TrialState::Done);
    assert_eq!(trials[1].epochs_run, 3);
    let ended = updates(&events)
        .iter()
        .filter(|update| matches!(update, TrialUpdate::Ended { index: 0, .. }))
        .count();
    assert_eq!(ended, 1, "a trial's end is decided once");
    assert_eq!(events.last(), Some(&SweepEvent::Finished));
}

#[test]
fn a_trial_that_cannot_train_is_marked_failed_and_the_next_runs() {
    let host = TestHost::new(1.0);
    // 40 samples, drop_last on: batches of 64 leave no batch, so that trial's graph does not
    // compile; batches of 8 train.
    let mut graph = basic_loop();
    let dataset = graph.nodes_of(NodeKind::Dataset).next().unwrap().id;
    graph.set_param(dataset, "samples", ParamValue::Int(40)).unwrap();
    let tracker = graph.nodes_of(NodeKind::EpochTracker).next().unwrap().id;
    graph.set_param(tracker, "total_epochs", ParamValue::Int(2)).unwrap();
    let sampler = graph.nodes_of(NodeKind::BatchSampler).next().unwrap().id;
    graph.set_param(sampler, "drop_last", ParamValue::Bool(true)).unwrap();
    graph.set_sweep(Sweep {
        params: vec![SweptParam { node: sampler, param: "batch_size".into(), values: "64, 8".into() }],
        ..Sweep::default()
    });
    let mut sweep = SweepRun::new(&graph, local()).unwrap();
    to_the_end(&mut sweep, &host);
    let trials = &sweep.progress().trials;
    assert_eq!(trials[0].state, TrialState::Failed, "{:?}", trials[0].note);
    assert!(trials[0].note.as_deref().is_some_and(|note| note.contains("cannot train")));
    assert_eq!(trials[1].state, TrialState::Done);
}

#[test]
fn pruning_is_decided_on_every_epoch_but_the_last() {
    let host = TestHost::new(1.0);
    // ASHA with rungs at 1, 2, 4…: the second trial (a rate far too small) is behind the first
    // at rung 1. With two epochs planned it is pruned there; with one, rung 1 is its last
    // epoch, which always goes on — it ends done, not pruned.
    let asha = Pruning::Asha { min_epochs: 1, eta: 2 };
    let mut two = SweepRun::new(&swept("0.1, 0.00001", 2, asha), local()).unwrap();
    let events = to_the_end(&mut two, &host);
    assert_eq!(two.progress().trials[1].state, TrialState::Pruned);
    assert_eq!(two.progress().trials[1].epochs_run, 1);
    assert_eq!(two.progress().epochs_saved(), 1);
    assert!(updates(&events).contains(&TrialUpdate::Epoch {
        index: 1,
        stats: two.progress().trials[1].last.clone().unwrap(),
        seconds: 0.0,
        pruned: true
    }));
    assert!(!updates(&events).iter().any(|update| matches!(update, TrialUpdate::Ended { index: 1, .. })));
    let mut one = SweepRun::new(&swept("0.1, 0.00001", 1, asha), local()).unwrap();
    to_the_end(&mut one, &host);
    assert_eq!(one.progress().trials[1].state, TrialState::Done);
}

/// Drives `sweep`, whose lanes are all remote, with a [`TrialRun`] per lane trained here, as a
/// worker or a thread would; every event.
fn drive_remotely(sweep: &mut SweepRun, host: &TestHost) -> Vec<SweepEvent> {
    let mut trials: Vec<Option<TrialRun>> = Vec::new();
    let mut events = block_on(sweep.advance(f64::INFINITY, host));
    let mut handled = 0;
    while !sweep.is_over() {
        // Hand on every order given so far.
        while handled < events.len() {
            match &events[handled] {
                SweepEvent::Assign { lane, graph, .. } => {
                    trials.resize_with(trials.len().max(lane + 1), || None);
                    let plan = compile(graph).expect("an assigned trial compiles");
                    trials[*lane] =
                        Some(TrialRun::start(plan, RunStart::new(cpu_device(), Backend::Cpu)).unwrap());
                }
                // A verdict on a trial's last epoch may come after it has ended.
                SweepEvent::Verdict { lane, go_on: true } => {
                    if let Some(trial) = trials[*lane].as_mut() {
                        trial.go_on();
                    }
                }
                SweepEvent::Verdict { lane, go_on: false } | SweepEvent::Cancel { lane } => {
                    trials[*lane] = None
                }
                _ => {}
            }
            handled += 1;
        }
        let (lane, trial) = trials
            .iter_mut()
            .enumerate()
            .find_map(|(lane, trial)| {
                trial.as_mut().filter(|trial| !trial.is_held() && !trial.is_over()).map(|t| (lane, t))
            })
            .expect("a lane has work while the sweep goes on");
        for report in block_on(trial.advance(f64::INFINITY, host)) {
            events.extend(sweep.report(lane, report));
        }
        if trial.is_over() {
            trials[lane] = None;
        }
        events.extend(block_on(sweep.advance(f64::INFINITY, host)));
    }
    events
}

#[test]
fn a_sweep_on_a_lane_elsewhere_decides_exactly_as_on_its_own() {
    let graph = swept("0.3, 0.03, 0.003, 0.0003", 4, Pruning::Median { warmup_epochs: 1, min_trials: 1 });
    let host = TestHost::new(1.0);
    let mut here = SweepRun::new(&graph, local()).unwrap();
    let local_events = to_the_end(&mut here, &host);
    let mut elsewhere = SweepRun::new(&graph, Lanes { local: None, remote: 1 }).unwrap();
    let remote_events = drive_remotely(&mut elsewhere, &host);
    assert_eq!(updates(&local_events), updates(&remote_events));
    assert!(
        here.progress().trials.iter().any(|record| record.state == TrialState::Pruned),
        "the median rule had something to decide"
    );
    assert!(remote_events.iter().any(|event| matches!(event, SweepEvent::Verdict { go_on: false, .. })));
    // Two lanes train two trials at once; every trial still ends, once.
    let mut two = SweepRun::new(&graph, Lanes { local: None, remote: 2 }).unwrap();
    let events = drive_remotely(&mut two, &host);
    assert!(two.progress().is_over());
    let assigned: Vec<usize> = events
        .iter()
        .filter_map(|event| match event {
            SweepEvent::Assign { lane, .. } => Some(*lane),
            _ => None,
        })
        .collect();
    assert_eq!(&assigned[..2], [0, 1], "both lanes start at once");
    assert_eq!(assigned.len(), 4);
}
