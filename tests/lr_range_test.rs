//! The learning-rate range test on the basic-loop example: the loss falls as the rate grows,
//! then climbs again, and the suggestion trains the example to its documented accuracy
//! (≥ 95% after its 200 epochs, the examples table in docs/runner.md).
#![cfg(not(target_arch = "wasm32"))]

use futures_lite::future::block_on;
use kindling::core::compile::compiler::compile;
use kindling::core::compile::plan::OptimizerPlan;
use kindling::core::engine::device::cpu_device;
use kindling::core::engine::run::range_test::RangeTest;
use kindling::core::model::templates::basic_loop;
use support::train_plan;

mod support;

#[test]
fn the_suggested_rate_trains_the_basic_loop_to_its_documented_accuracy() {
    let plan = compile(&basic_loop()).unwrap();
    let result = block_on(RangeTest::default().run(&plan, &cpu_device())).expect("the test runs");
    let losses: Vec<f64> = result.points.iter().map(|point| point.1).collect();
    let lowest = losses.iter().copied().fold(f64::INFINITY, f64::min);
    assert!(lowest < losses[0] - 0.01, "the loss falls as the rate grows: {lowest} from {}", losses[0]);
    assert!(*losses.last().unwrap() > lowest + 0.05 || result.exploded, "and climbs again at rates up to 10");
    assert!(result.points.windows(2).all(|pair| pair[1].0 > pair[0].0), "the rate only grows");
    let suggestion = result.suggestion.expect("the loss falls somewhere");
    assert!((1e-4..1.0).contains(&suggestion), "suggested {suggestion}");

    let mut tuned = plan.clone();
    let OptimizerPlan::Sgd { learning_rate, .. } = &mut tuned.optimizer else {
        panic!("the basic loop uses SGD")
    };
    *learning_rate = suggestion;
    let last = train_plan(tuned, &cpu_device()).pop().expect("epochs ran");
    let accuracy = last.train_accuracy.expect("a classifier");
    eprintln!("suggested lr {suggestion}: train accuracy {accuracy} after {} epochs", last.epoch);
    assert!(accuracy >= 0.95, "lr {suggestion}: {accuracy} after {} epochs", last.epoch);
}
