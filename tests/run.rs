//! A run driven through the sequences the page offers — pause, step, resume, retune mid-epoch,
//! divergence, checkpoints restored, early stopping, moving between devices, a device that
//! fails — natively, on a clock that makes every advance the same.
#![cfg(not(target_arch = "wasm32"))]

use futures_lite::future::block_on;
use kindling::core::compile::compiler::compile;
use kindling::core::compile::plan::TrainingPlan;
use kindling::core::engine::device::cpu_device;
use kindling::core::engine::mlp::Mlp;
use kindling::core::engine::run::{DeviceFailure, Event, Resume, Run, RunStart, RunState, WeightsCopy};
use kindling::core::model::catalogue::NodeKind;
use kindling::core::model::graph::Graph;
use kindling::core::model::params::ParamValue;
use kindling::core::model::templates::basic_loop;
use kindling::core::protocol::backend::Backend;
use kindling::core::protocol::step_size::StepSize;
use kindling::core::report::epoch_stats::EpochStats;
use kindling::core::report::retune::Retune;
use kindling::core::report::step_log::StepLog;
use kindling::core::report::train_error::TrainError;
use support::{TestHost, next_epoch, start, train_plan};

mod support;

fn node(graph: &Graph, kind: NodeKind) -> kindling::core::model::node_id::NodeId {
    graph.nodes_of(kind).next().unwrap().id
}

/// The default graph, `epochs` long, with SGD's momentum set (0: the optimizer keeps no state,
/// so a run that goes on from a copy of the weights is exactly the run that never stopped).
fn graph(epochs: i64, momentum: f64) -> Graph {
    let mut graph = basic_loop();
    graph.set_param(node(&graph, NodeKind::EpochTracker), "total_epochs", ParamValue::Int(epochs)).unwrap();
    graph.set_param(node(&graph, NodeKind::SgdOptimizer), "momentum", ParamValue::Float(momentum)).unwrap();
    graph
}

fn plan(epochs: i64, momentum: f64) -> TrainingPlan {
    compile(&graph(epochs, momentum)).unwrap()
}

/// Every parameter of a network, in order.
fn parameters(model: &Mlp) -> Vec<f32> {
    let read = |tensor: burn::tensor::Tensor<2>| {
        block_on(tensor.into_data_async()).unwrap().iter::<f32>().collect::<Vec<_>>()
    };
    let mut values: Vec<f32> = Vec::new();
    for linear in model.linear_layers() {
        values.extend(read(linear.weight.val()));
        if let Some(bias) = &linear.bias {
            values.extend(read(bias.val().unsqueeze::<2>()));
        }
    }
    values
}

fn weights_now(run: &Run) -> Vec<f32> {
    parameters(run.trainer().model().expect("a model between batches"))
}

/// Advances `run` once with `deadline` on `host`.
fn advance(run: &mut Run, host: &TestHost, deadline: f64) -> Vec<Event> {
    block_on(run.advance(deadline, host))
}

fn epochs_of(events: &[Event]) -> Vec<EpochStats> {
    events
        .iter()
        .filter_map(|event| match event {
            Event::Epoch(stats) => Some(stats.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn an_advance_runs_batches_until_its_deadline_and_stops_at_the_end_of_an_epoch() {
    // Each batch reads the clock once, after it ran: with a deadline 5 ms ahead on a clock
    // that moves 1 ms a reading, the sixth batch finds it passed.
    let host = TestHost::new(1.0);
    let mut run = start(plan(3, 0.9), &cpu_device(), Backend::Cpu);
    let deadline = host.peek() + 5.0;
    assert!(advance(&mut run, &host, deadline).is_empty());
    assert_eq!(run.trainer().batches_done(), 6);
    // A deadline already passed still runs one batch.
    assert!(advance(&mut run, &host, 0.0).is_empty());
    assert_eq!(run.trainer().batches_done(), 7);
    // However far the deadline, an advance comes back when an epoch closes.
    let events = advance(&mut run, &host, f64::INFINITY);
    assert_eq!(epochs_of(&events).len(), 1);
    assert_eq!((run.trainer().epochs_done(), run.trainer().batches_done()), (1, 0));
    assert!(matches!(events.last(), Some(Event::CheckpointDue(copy)) if copy.epoch == 1), "{events:?}");
    assert_eq!(run.samples_trained(), 1000);
}

#[test]
fn pause_then_step_a_batch_then_an_epoch_then_resume_trains_the_same_numbers() {
    let plan = plan(4, 0.9);
    let straight = train_plan(plan.clone(), &cpu_device());
    let host = TestHost::new(1.0);
    let mut run = start(plan, &cpu_device(), Backend::Cpu);
    let mut history = Vec::new();
    history.extend(epochs_of(&advance(&mut run, &host, f64::INFINITY)));
    advance(&mut run, &host, host.peek() + 3.0);
    run.pause();
    let at = run.trainer().batches_done();
    // Paused: nothing trains; the weights are copied once, for downloads and failures.
    let events = advance(&mut run, &host, f64::INFINITY);
    assert!(matches!(events.as_slice(), [Event::Copied(copy)] if copy.epoch == 1), "{events:?}");
    assert!(advance(&mut run, &host, f64::INFINITY).is_empty(), "one copy per pause");
    assert_eq!((run.state(), run.trainer().batches_done()), (RunState::Paused, at));
    run.step(StepSize::Batch);
    let events = advance(&mut run, &host, f64::INFINITY);
    assert!(matches!(events.as_slice(), [Event::Stepped]), "{events:?}");
    assert_eq!((run.state(), run.trainer().batches_done()), (RunState::Paused, at + 1));
    run.step(StepSize::Epoch);
    let events = advance(&mut run, &host, f64::INFINITY);
    assert!(matches!(events.last(), Some(Event::Stepped)), "{events:?}");
    history.extend(epochs_of(&events));
    assert_eq!((run.trainer().epochs_done(), run.trainer().batches_done()), (2, 0));
    run.resume();
    while !run.is_over() {
        history.extend(epochs_of(&advance(&mut run, &host, host.peek() + 7.0)));
    }
    assert_eq!(history, straight, "pausing and stepping change nothing the run computes");
}

#[test]
fn a_new_learning_rate_mid_epoch_keeps_the_momentum_buffers_and_other_settings_start_them_afresh() {
    // With momentum, SGD moves the weights by lr · v where v = 0.9 · v_before + g. Two runs
    // identical to batch 5 of epoch 2 then take one more step, one at the old rate and one at
    // a new rate: their moves, divided by their rates, agree only if v_before was kept.
    let base = graph(3, 0.9);
    let host = TestHost::new(1.0);
    let to_batch = |run: &mut Run| {
        next_epoch(run, &host);
        advance(run, &host, host.peek() + 5.0);
        run.pause();
        advance(run, &host, f64::INFINITY); // the pause's copy
    };
    let step = |run: &mut Run| {
        let before = weights_now(run);
        run.step(StepSize::Batch);
        advance(run, &host, f64::INFINITY);
        let after = weights_now(run);
        before.iter().zip(after).map(|(b, a)| a - b).collect::<Vec<f32>>()
    };
    let edited = |settings: &[(&str, f64)]| {
        let mut graph = base.clone();
        for (name, value) in settings {
            graph.set_param(node(&graph, NodeKind::SgdOptimizer), name, ParamValue::Float(*value)).unwrap();
        }
        compile(&graph).unwrap()
    };
    let mut plain = start(compile(&base).unwrap(), &cpu_device(), Backend::Cpu);
    to_batch(&mut plain);
    let plain_move = step(&mut plain);

    let mut faster = start(compile(&base).unwrap(), &cpu_device(), Backend::Cpu);
    to_batch(&mut faster);
    assert_eq!(faster.retune(&compile(&base).unwrap()), Retune::Unchanged);
    assert_eq!(faster.retune(&edited(&[("learning_rate", 0.09)])), Retune::LearningRate(0.09));
    let faster_move = step(&mut faster);
    // How far `moved` is from 3× the plain run's move, relative to that move.
    let off_three_times = |moved: &[f32]| {
        let (mut diff, mut norm) = (0.0f64, 0.0f64);
        for (m, p) in moved.iter().zip(&plain_move) {
            diff += f64::from(m - 3.0 * p).powi(2);
            norm += f64::from(3.0 * p).powi(2);
        }
        assert!(norm > 0.0, "the step moved the weights");
        (diff / norm).sqrt()
    };
    let kept = off_three_times(&faster_move);
    assert!(kept < 1e-3, "3× the rate, the same momentum: off by {kept}");

    let mut fresh = start(compile(&base).unwrap(), &cpu_device(), Backend::Cpu);
    to_batch(&mut fresh);
    let answer = fresh.retune(&edited(&[("learning_rate", 0.09), ("momentum", 0.8)]));
    assert_eq!(answer, Retune::FreshOptimizerState(0.09));
    let fresh_move = step(&mut fresh);
    let afresh = off_three_times(&fresh_move);
    assert!(afresh > 0.05, "a fresh momentum buffer moves by the gradient alone: off by {afresh}");

    // Anything but the optimizer's settings needs a fresh run, and changes nothing.
    let mut structural = base.clone();
    structural.set_param(node(&base, NodeKind::BatchSampler), "batch_size", ParamValue::Int(64)).unwrap();
    assert_eq!(fresh.retune(&compile(&structural).unwrap()), Retune::Restart);
}

#[test]
fn divergence_pauses_the_run_back_on_the_weights_before_the_step_that_blew_up() {
    // A step is checked by the loss of the batch after it: when that loss has blown up, the
    // step before it is undone too, back to the last weights whose loss was read and finite.
    let mut graph = graph(5, 0.9);
    graph
        .set_param(node(&graph, NodeKind::SgdOptimizer), "learning_rate", ParamValue::Float(1000.0))
        .unwrap();
    let host = TestHost::new(1.0);
    let mut run = start(compile(&graph).unwrap(), &cpu_device(), Backend::Cpu);
    run.pause();
    let mut before_each_step = vec![weights_now(&run)];
    let error = loop {
        run.step(StepSize::Batch);
        let events = advance(&mut run, &host, f64::INFINITY);
        if let Some(error) = events.iter().find_map(|event| match event {
            Event::Diverged(error) => Some(error.clone()),
            _ => None,
        }) {
            break error;
        }
        before_each_step.push(weights_now(&run));
        assert!(run.trainer().steps() < 200, "lr 1000 diverges within a few steps");
    };
    assert!(before_each_step.len() >= 2, "the first batch sets the scale; a later one blows up");
    // The last entry is where the failing batch started: the weights the step that blew up made.
    let kept = &before_each_step[before_each_step.len() - 2];
    assert_eq!(&weights_now(&run), kept, "back before the step that blew up");
    assert!(kept.iter().all(|value| value.is_finite()));
    assert!(matches!(error, TrainError::NonFiniteLoss { .. }), "{error}");
    assert_eq!(run.state(), RunState::Paused);
    assert!(!run.is_stepping());
}

#[test]
fn a_checkpoint_restored_mid_run_goes_on_to_the_numbers_of_the_run_that_never_stopped() {
    let plan = plan(6, 0.0);
    let straight = train_plan(plan.clone(), &cpu_device());
    let host = TestHost::new(1.0);
    let mut first = start(plan.clone(), &cpu_device(), Backend::Cpu);
    let mut checkpoint: Option<WeightsCopy> = None;
    for _ in 0..3 {
        for event in next_epoch(&mut first, &host).1 {
            if let Event::CheckpointDue(copy) = event {
                checkpoint = Some(copy);
            }
        }
    }
    let checkpoint = checkpoint.expect("save_interval 1 checkpoints every epoch");
    assert_eq!(checkpoint.epoch, 3);
    let restored = RunStart {
        from: Some(Resume { weights: checkpoint.weights, epoch: checkpoint.epoch, state: checkpoint.state }),
        paused: true,
        ..RunStart::new(cpu_device(), Backend::Cpu)
    };
    let mut resumed = Run::start(plan, restored).expect("the copy fits");
    assert_eq!((resumed.state(), resumed.trainer().epochs_done()), (RunState::Paused, 3));
    assert_eq!(resumed.copy().map(|copy| copy.epoch), Some(3), "what a download would hold");
    resumed.resume();
    let mut rest = Vec::new();
    while !resumed.is_over() {
        rest.push(next_epoch(&mut resumed, &host).0);
    }
    assert_eq!(rest.len(), 3);
    for (got, expected) in rest.iter().zip(&straight[3..]) {
        assert_eq!(got.epoch, expected.epoch);
        let close = (got.train_loss - expected.train_loss).abs() <= 1e-5 * expected.train_loss;
        assert!(
            close,
            "epoch {}: restored {} vs straight {}",
            got.epoch, got.train_loss, expected.train_loss
        );
    }
}

#[test]
fn weights_that_do_not_fit_the_network_do_not_start_a_run() {
    let small = plan(2, 0.9);
    let mut graph = graph(2, 0.9);
    let layers = vec![
        kindling::core::model::params::LayerSpec::Linear { out_features: 8 },
        kindling::core::model::params::LayerSpec::Relu,
        kindling::core::model::params::LayerSpec::Linear { out_features: 2 },
    ];
    graph.set_param(node(&graph, NodeKind::Network), "layers", ParamValue::Layers(layers)).unwrap();
    let other = compile(&graph).unwrap();
    let weights = Mlp::init(&other.network, 1, &cpu_device());
    let start = RunStart {
        from: Some(Resume { weights, epoch: 1, state: None }),
        ..RunStart::new(cpu_device(), Backend::Cpu)
    };
    assert!(Run::start(small, start).is_err());
}

#[test]
fn early_stopping_ends_the_run_saying_so() {
    let mut graph = graph(50, 0.9);
    let tracker = node(&graph, NodeKind::EpochTracker);
    graph.set_param(tracker, "patience", ParamValue::Int(2)).unwrap();
    graph.set_param(tracker, "min_delta", ParamValue::Float(100.0)).unwrap();
    let host = TestHost::new(1.0);
    let mut run = start(compile(&graph).unwrap(), &cpu_device(), Backend::Cpu);
    let mut events = Vec::new();
    while !run.is_over() {
        events.extend(advance(&mut run, &host, host.peek() + 10.0));
    }
    assert_eq!(run.state(), RunState::Done);
    let tail: Vec<String> = events.iter().rev().take(3).map(|event| format!("{event:?}")).collect();
    assert!(tail[0] == "Finished" && tail[1] == "StoppedEarly { epoch: 3 }", "{tail:?}");
    assert!(tail[2].starts_with("Copied("), "the final weights are copied: {tail:?}");
    assert!(advance(&mut run, &host, f64::INFINITY).is_empty(), "a finished run does nothing");
}

#[test]
fn a_lost_device_goes_on_on_the_cpu_from_the_last_copy_of_the_weights() {
    // The run starts as the page starts one on WebGPU (its policy: check every log_interval
    // steps); the device is flex, so the test runs anywhere. The host reports the device lost
    // mid-epoch 4; the last copy is epoch 3's checkpoint, with the run's state.
    let plan = plan(6, 0.9);
    let straight = train_plan(plan.clone(), &cpu_device());
    let host = TestHost::new(1.0);
    let mut run = start(plan, &cpu_device(), Backend::WebGpu);
    let mut history = Vec::new();
    for _ in 0..3 {
        history.push(next_epoch(&mut run, &host).0);
    }
    advance(&mut run, &host, host.peek() + 3.0);
    assert_eq!(run.trainer().batches_done(), 4);
    host.lose_device("the GPU process crashed");
    let events = advance(&mut run, &host, host.peek());
    let [Event::DeviceFailed { failure, resumed_from }, ..] = events.as_slice() else { panic!("{events:?}") };
    assert_eq!((failure, *resumed_from), (&DeviceFailure::Lost("the GPU process crashed".to_owned()), 3));
    assert_eq!(run.backend(), Backend::Cpu);
    assert_eq!(
        (run.trainer().epochs_done(), run.trainer().batches_done()),
        (3, 1),
        "epoch 4 again, one batch in"
    );
    while !run.is_over() {
        history.extend(epochs_of(&advance(&mut run, &host, f64::INFINITY)));
    }
    assert_eq!(history.len(), 6);
    // Momentum's buffers and the batch order came along: every number, exactly.
    assert_eq!(history, straight);
}

#[test]
fn a_move_waits_for_the_end_of_the_epoch_and_goes_on_from_where_the_run_stood() {
    let plan = plan(4, 0.9);
    let straight = train_plan(plan.clone(), &cpu_device());
    let host = TestHost::new(1.0);
    let mut run = start(plan, &cpu_device(), Backend::WebGpu);
    let mut history = vec![next_epoch(&mut run, &host).0];
    advance(&mut run, &host, host.peek() + 3.0);
    run.move_to(cpu_device(), Backend::Cpu, false);
    let events = advance(&mut run, &host, f64::INFINITY);
    assert!(!events.iter().any(|event| matches!(event, Event::Moved { .. })), "not mid-epoch");
    history.extend(epochs_of(&events));
    let events = advance(&mut run, &host, host.peek());
    assert!(
        matches!(events.first(), Some(Event::Moved { backend: Backend::Cpu, epoch: 2, .. })),
        "{events:?}"
    );
    assert_eq!(run.backend(), Backend::Cpu);
    while !run.is_over() {
        history.extend(epochs_of(&advance(&mut run, &host, f64::INFINITY)));
    }
    // Momentum's buffers and the batch order came along: every number, exactly.
    assert_eq!(history, straight);
}

fn logs(events: &[Event]) -> Vec<StepLog> {
    events
        .iter()
        .filter_map(|event| match event {
            Event::Log(log) => Some(log.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn every_log_interval_steps_the_running_average_of_the_loss_and_each_updates_gradient_norm_are_logged() {
    let mut logged = graph(1, 0.9);
    logged.set_param(node(&logged, NodeKind::EpochTracker), "log_interval", ParamValue::Int(10)).unwrap();
    let host = TestHost::new(1.0);
    // Read once per log on either backend (on WebGPU, a read stalls the queue).
    for backend in [Backend::Cpu, Backend::WebGpu] {
        let mut run = start(compile(&logged).unwrap(), &cpu_device(), backend);
        let logs = logs(&advance(&mut run, &host, f64::INFINITY));
        let steps: Vec<usize> = logs.iter().map(|log| log.step).collect();
        assert_eq!(steps, [10, 20, 30], "{backend:?}");
        for log in &logs {
            assert_eq!(log.steps, 10);
            assert!(log.loss.is_finite() && log.loss > 0.0, "{log:?}");
            let norm_steps: Vec<usize> = log.grad_norms.iter().map(|&(step, _)| step).collect();
            assert_eq!(norm_steps, ((log.step - 9)..=log.step).collect::<Vec<_>>(), "one norm per update");
            assert!(log.grad_norms.iter().all(|&(_, norm)| norm.is_finite() && norm > 0.0), "{log:?}");
        }
    }
    // A window of the whole epoch averages what the epoch's train_loss averages: the same
    // samples, so the same number. Not the last batch's loss.
    let mut graph = graph(2, 0.9);
    let batches = compile(&graph).unwrap().sampler.batches(1000);
    let tracker = node(&graph, NodeKind::EpochTracker);
    graph.set_param(tracker, "log_interval", ParamValue::Int(batches as i64)).unwrap();
    let step = node(&graph, NodeKind::TrainingStep);
    graph.set_param(step, "accumulation_steps", ParamValue::Int(2)).unwrap();
    graph.set_param(step, "gradient_clip", ParamValue::Float(0.05)).unwrap();
    let mut run = start(compile(&graph).unwrap(), &cpu_device(), Backend::Cpu);
    let mut events = advance(&mut run, &host, f64::INFINITY);
    events.extend(advance(&mut run, &host, f64::INFINITY));
    let (logs, epochs) = (logs(&events), epochs_of(&events));
    assert_eq!(logs.len(), 2);
    for (log, epoch) in logs.iter().zip(&epochs) {
        assert!((log.loss - epoch.train_loss).abs() < 1e-6 * epoch.train_loss, "{log:?} vs {epoch:?}");
        // With two batches an update, a norm every other step; measured before clipping,
        // so above the clipping threshold where clipping acts.
        assert_eq!(log.grad_norms.len(), batches / 2);
        assert!(log.grad_norms.iter().all(|&(step, _)| step % 2 == 0), "{log:?}");
        assert!(log.grad_norms.iter().any(|&(_, norm)| norm > 0.05), "{log:?}");
    }
    assert_ne!(logs[0].loss, logs[1].loss);
}

#[test]
fn a_tracker_without_its_loss_and_accuracy_inputs_logs_no_steps_and_tracks_no_training_accuracy() {
    let mut graph = graph(1, 0.9);
    let tracker = node(&graph, NodeKind::EpochTracker);
    graph.set_param(tracker, "log_interval", ParamValue::Int(10)).unwrap();
    for port in ["accuracy", "loss"] {
        graph.disconnect(graph.input(tracker, port).unwrap());
    }
    let mut run = start(compile(&graph).unwrap(), &cpu_device(), Backend::Cpu);
    let events = advance(&mut run, &TestHost::new(1.0), f64::INFINITY);
    assert!(logs(&events).is_empty(), "{events:?}");
    let epochs = epochs_of(&events);
    assert_eq!(epochs.len(), 1);
    assert_eq!(epochs[0].train_accuracy, None);
    assert!(epochs[0].train_loss.is_finite());
}
