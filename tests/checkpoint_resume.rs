//! A run restored from a checkpoint goes on to exactly the numbers of the run that never
//! stopped — with momentum, Adam's moments, a gradient accumulation open across the epoch
//! boundary, a shuffled batch order, dropout, a learning-rate schedule and early stopping —
//! the checkpoint having gone through its stored bytes. Without the state (weights alone)
//! the numbers differ, which shows what the state carries.
#![cfg(not(target_arch = "wasm32"))]

use kindling::core::compile::compiler::compile;
use kindling::core::compile::plan::{EarlyStopping, OptimizerPlan, SchedulerSetup, TrainingPlan};
use kindling::core::compile::schedule::SchedulerPlan;
use kindling::core::document::checkpoint::{Checkpoint, CheckpointError};
use kindling::core::engine::device::cpu_device;
use kindling::core::engine::run::{Event, Resume, Run, RunStart, WeightsCopy};
use kindling::core::engine::weights;
use kindling::core::model::choices::Monitor;
use kindling::core::model::choices::{PlateauMode, ThresholdMode};
use kindling::core::model::params::LayerSpec;
use kindling::core::model::templates::basic_loop;
use kindling::core::protocol::backend::Backend;
use kindling::core::report::epoch_stats::EpochStats;
use support::{TestHost, next_epoch, start, train_plan};

mod support;

const EPOCHS: usize = 7;
const CHECKPOINT_AT: usize = 3;

fn basic(edit: impl FnOnce(&mut TrainingPlan)) -> TrainingPlan {
    let mut plan = compile(&basic_loop()).expect("the default graph compiles");
    plan.tracker.epochs = EPOCHS;
    plan.tracker.save_interval = 1;
    assert!(plan.sampler.shuffle, "the default graph shuffles");
    edit(&mut plan);
    plan
}

/// Plans whose runs carry state across epochs, each named.
fn plans() -> Vec<(&'static str, TrainingPlan)> {
    let adam = OptimizerPlan::Adam {
        learning_rate: 0.01,
        beta1: 0.9,
        beta2: 0.999,
        epsilon: 1e-8,
        weight_decay: 1e-4,
    };
    let adamw = OptimizerPlan::AdamW {
        learning_rate: 0.01,
        beta1: 0.9,
        beta2: 0.99,
        epsilon: 1e-8,
        weight_decay: 0.01,
    };
    vec![
        (
            "SGD with Nesterov momentum and weight decay",
            basic(|plan| {
                plan.optimizer = OptimizerPlan::Sgd {
                    learning_rate: 0.05,
                    momentum: 0.9,
                    weight_decay: 1e-3,
                    nesterov: true,
                };
            }),
        ),
        (
            "Adam, StepLR, dropout",
            basic(|plan| {
                plan.optimizer = adam;
                plan.scheduler = Some(SchedulerSetup {
                    plan: SchedulerPlan::Step { step_size: 2, gamma: 0.5 },
                    monitor: Monitor::TrainLoss,
                });
                plan.network.layers.insert(1, LayerSpec::Dropout { p: 0.2 });
            }),
        ),
        (
            "AdamW, ReduceLROnPlateau, early stopping, accumulation open across epochs",
            basic(|plan| {
                plan.optimizer = adamw;
                plan.scheduler = Some(SchedulerSetup {
                    plan: SchedulerPlan::ReduceOnPlateau {
                        mode: PlateauMode::Min,
                        factor: 0.5,
                        patience: 0,
                        threshold: 0.5,
                        threshold_mode: ThresholdMode::Relative,
                        cooldown: 1,
                        min_lr: 1e-4,
                    },
                    monitor: Monitor::TrainLoss,
                });
                plan.tracker.early_stopping =
                    Some(EarlyStopping { monitor: Monitor::TrainLoss, patience: 50, min_delta: 0.0 });
                plan.step.accumulation_steps = 3;
                plan.step.gradient_clip = 1.0;
            }),
        ),
    ]
}

/// The checkpoint of epoch [`CHECKPOINT_AT`] of a run of `plan`, as the page stores it.
fn checkpoint_of(plan: &TrainingPlan) -> Vec<u8> {
    let host = TestHost::new(1.0);
    let mut run = start(plan.clone(), &cpu_device(), Backend::Cpu);
    let mut copy: Option<WeightsCopy> = None;
    for _ in 0..CHECKPOINT_AT {
        for event in next_epoch(&mut run, &host).1 {
            if let Event::CheckpointDue(due) = event {
                copy = Some(due);
            }
        }
    }
    let copy = copy.expect("save_interval 1: a checkpoint every epoch");
    assert_eq!(copy.epoch, CHECKPOINT_AT);
    assert!(copy.state.is_some(), "a checkpoint between epochs carries the run's state");
    Checkpoint {
        epoch: copy.epoch,
        network: copy.network.describe(),
        weights: weights::to_bytes(&copy.weights).unwrap(),
        state: copy.state,
    }
    .to_bytes()
}

/// The rest of a run of `plan` from stored checkpoint bytes, with or without its state.
fn resumed(plan: &TrainingPlan, bytes: &[u8], with_state: bool) -> Vec<EpochStats> {
    let checkpoint = Checkpoint::from_bytes(bytes).expect("the stored bytes read back");
    let weights = weights::from_bytes(&checkpoint.weights, &plan.network, &cpu_device()).unwrap();
    let state = checkpoint.state.filter(|_| with_state);
    let from = Resume { weights, epoch: checkpoint.epoch, state };
    let mut run =
        Run::start(plan.clone(), RunStart { from: Some(from), ..RunStart::new(cpu_device(), Backend::Cpu) })
            .expect("the checkpoint fits its graph");
    assert!(run.afresh().is_empty(), "{}", run.afresh().describe());
    let host = TestHost::new(1.0);
    let mut rest = Vec::new();
    while !run.is_over() {
        rest.push(next_epoch(&mut run, &host).0);
    }
    rest
}

#[test]
fn a_restored_run_goes_on_to_the_numbers_of_the_run_that_never_stopped() {
    for (name, plan) in plans() {
        let straight = train_plan(plan.clone(), &cpu_device());
        assert_eq!(straight.len(), EPOCHS, "{name}");
        let bytes = checkpoint_of(&plan);
        let rest = resumed(&plan, &bytes, true);
        assert_eq!(rest.as_slice(), &straight[CHECKPOINT_AT..], "{name}: every number, exactly");
        let weights_alone = resumed(&plan, &bytes, false);
        assert_eq!(weights_alone.len(), rest.len(), "{name}");
        assert_ne!(
            weights_alone[0].train_loss, rest[0].train_loss,
            "{name}: from the weights alone the next epoch differs (the state matters)"
        );
    }
}

#[test]
fn a_state_that_no_longer_fits_its_graph_starts_those_parts_afresh_and_says_which() {
    let (_, plan) = plans().remove(0);
    let bytes = checkpoint_of(&plan);
    let checkpoint = Checkpoint::from_bytes(&bytes).unwrap();
    // The graph changed since: Adam instead of SGD, and a larger training set.
    let mut edited = plan.clone();
    edited.optimizer = OptimizerPlan::Adam {
        learning_rate: 0.01,
        beta1: 0.9,
        beta2: 0.999,
        epsilon: 1e-8,
        weight_decay: 0.0,
    };
    edited.dataset.samples += 10;
    let weights = weights::from_bytes(&checkpoint.weights, &plan.network, &cpu_device()).unwrap();
    let from = Resume { weights, epoch: checkpoint.epoch, state: checkpoint.state };
    let run = Run::start(edited, RunStart { from: Some(from), ..RunStart::new(cpu_device(), Backend::Cpu) })
        .unwrap();
    let afresh = run.afresh().describe();
    assert!(afresh.contains("the optimizer's state started afresh (it was made by sgd"), "{afresh}");
    assert!(afresh.contains("the batch order started afresh"), "{afresh}");
    assert_eq!(run.trainer().epochs_done(), CHECKPOINT_AT);
}

#[test]
fn damaged_or_foreign_checkpoint_bytes_are_refused_with_a_reason() {
    // Not the plan with dropout: its masks come from the backend's generator, which one run
    // at a time may seed (the first test trains that plan).
    let (_, plan) = plans().remove(2);
    let bytes = checkpoint_of(&plan);
    let error = Checkpoint::from_bytes(&bytes[..bytes.len() / 2]).unwrap_err();
    assert!(matches!(error, CheckpointError::Damaged(_)) && error.to_string().contains("damaged"), "{error}");
    let error = Checkpoint::from_bytes(b"{\"format\":\"kindling-checkpoint\"}").unwrap_err();
    assert_eq!(error, CheckpointError::NotACheckpoint);
    assert!(error.to_string().contains("not a Kindling"));
    let mut newer = bytes.clone();
    let at = b"kindling-checkpoint\0".len();
    newer[at..at + 4].copy_from_slice(&3u32.to_le_bytes());
    let error = Checkpoint::from_bytes(&newer).unwrap_err();
    assert_eq!(error, CheckpointError::Newer { version: 3 });
    assert!(error.to_string().contains("newer Kindling (format 3; this one reads 2)"), "{error}");
    // A state that decodes but does not fit is caught before it reaches the device.
    let mut checkpoint = Checkpoint::from_bytes(&bytes).unwrap();
    let state = checkpoint.state.as_mut().unwrap();
    state.optimizer.params[0].as_mut().unwrap().buffers[0].truncate(3);
    state.order.order[0] = state.order.order[1];
    let weights = weights::from_bytes(&checkpoint.weights, &plan.network, &cpu_device()).unwrap();
    let from = Resume { weights, epoch: checkpoint.epoch, state: checkpoint.state };
    let run =
        Run::start(plan, RunStart { from: Some(from), ..RunStart::new(cpu_device(), Backend::Cpu) }).unwrap();
    let afresh = run.afresh().describe();
    assert!(afresh.contains("the optimizer's state started afresh (parameter 0 has"), "{afresh}");
    assert!(afresh.contains("the batch order started afresh (its sample order is not an order"), "{afresh}");
}
