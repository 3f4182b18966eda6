//! The shapes dataset earns its place: on shapes moved anywhere in the image, the "MLP vs CNN"
//! template's small CNN beats its fully-connected network of about as many parameters by a
//! clear margin in validation accuracy (README and docs/nodes.md give both numbers), and the
//! images are the same bits every time they are made.
#![cfg(not(target_arch = "wasm32"))]

use kindling::core::compile::budget::NetworkCost;
use kindling::core::compile::compiler::compile;
use kindling::core::engine::device::cpu_device;
use kindling::core::model::sweep_spec::trials;
use kindling::core::model::templates::{mlp_vs_cnn, shapes_cnn};
use support::train_plan;

mod support;

/// The margin the CNN's final validation accuracy must beat the MLP's by. Measured with the
/// template's seeds: see README.
const MARGIN: f64 = 0.2;

#[test]
fn on_shapes_a_small_cnn_beats_an_mlp_of_as_many_parameters() {
    let graph = mlp_vs_cnn();
    let trials = trials(&graph).expect("the template's sweep expands");
    assert_eq!(trials.len(), 2, "an MLP and a CNN");
    let mut results = Vec::new();
    for trial in &trials {
        let plan = compile(&trial.apply(&graph).unwrap()).expect("each trial compiles");
        let parameters = NetworkCost::of(&plan.network).parameters;
        let started = std::time::Instant::now();
        let history = train_plan(plan, &cpu_device());
        let accuracy = history.last().and_then(|epoch| epoch.val_accuracy).expect("a validation accuracy");
        eprintln!("{}: {parameters} parameters, {accuracy:.3} after {:?}", trial.label(), started.elapsed());
        results.push((parameters, accuracy));
    }
    let [(mlp_parameters, mlp), (cnn_parameters, cnn)] = results[..] else { unreachable!() };
    let ratio = mlp_parameters as f64 / cnn_parameters as f64;
    assert!(
        (0.95..=1.05).contains(&ratio),
        "about as many parameters: {mlp_parameters} and {cnn_parameters}"
    );
    assert!(cnn >= mlp + MARGIN, "the CNN {cnn:.3} against the MLP {mlp:.3}");
}

#[test]
fn the_cnn_template_is_the_sweeps_cnn() {
    let graph = mlp_vs_cnn();
    let cnn = trials(&graph).unwrap()[1].apply(&graph).unwrap();
    assert_eq!(compile(&cnn).unwrap(), compile(&shapes_cnn()).unwrap());
}

/// A checksum of every bit of the generated images, computed twice, from two compilations:
/// generation depends on nothing but the graph.
#[test]
fn the_shapes_are_the_same_bits_every_time() {
    let checksum = || {
        let data = compile(&shapes_cnn()).unwrap().dataset.generate();
        assert_eq!(data.sample_shape, [1, 16, 16]);
        data.inputs.iter().fold(0u64, |sum, pixel| sum.rotate_left(5) ^ u64::from(pixel.to_bits()))
    };
    assert_eq!(checksum(), checksum());
}
