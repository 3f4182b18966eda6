//! The shapes dataset earns its place: on shapes moved anywhere in the image, the "MLP vs CNN"
//! template's small CNN beats its fully-connected network of about as many parameters by a
//! clear margin in validation accuracy (README and docs/nodes.md give both numbers), and the
//! images are the same bits every time they are made, and in the exports.
#![cfg(not(target_arch = "wasm32"))]

use futures_lite::future::block_on;
use kindling::core::compile::budget::NetworkCost;
use kindling::core::compile::compiler::compile;
use kindling::core::engine::device::cpu_device;
use kindling::core::engine::train::split;
use kindling::core::export::{burn_project, pytorch};
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

/// A checksum of every bit of `pixels`.
fn checksum(pixels: impl IntoIterator<Item = f32>) -> u64 {
    pixels.into_iter().fold(0u64, |sum, pixel| sum.rotate_left(5) ^ u64::from(pixel.to_bits()))
}

/// The shapes template's images, checksummed twice, from two compilations (generation depends
/// on nothing but the graph), and once more as both exports' `data.csv` carries them: read
/// back as float32, the pixels are the very bits Kindling trains on.
#[test]
fn the_shapes_are_the_same_bits_every_time_and_in_the_exports() {
    let generated = || {
        let plan = compile(&shapes_cnn()).unwrap();
        let data = plan.dataset.generate();
        assert_eq!(data.sample_shape, [1, 16, 16]);
        let (train, validation) = split(&data, &plan);
        let validation = validation.expect("the template validates");
        (checksum(data.inputs.iter().copied()), checksum(train.inputs.into_iter().chain(validation.inputs)))
    };
    let (whole, in_split_order) = generated();
    assert_eq!((whole, in_split_order), generated());
    for export in [
        block_on(pytorch::export(&shapes_cnn(), "shapes")),
        block_on(burn_project::export(&shapes_cnn(), "shapes")),
    ] {
        let export = export.expect("the template exports");
        let csv = std::str::from_utf8(&export.file("data.csv").expect("data.csv").bytes).unwrap();
        let pixels = csv.lines().skip(1).flat_map(|row| {
            let values: Vec<&str> = row.split(',').collect();
            // split, 256 pixels, target
            assert_eq!(values.len(), 258, "{row}");
            values[1..257].iter().map(|value| value.parse::<f32>().unwrap()).collect::<Vec<_>>()
        });
        assert_eq!(checksum(pixels), in_split_order);
    }
}
