//! BatchNorm1d in a whole graph (its numbers against PyTorch's are `golden.rs`'s): it trains,
//! its evaluation normalises each sample by the running statistics (a sample's output does
//! not depend on the others in its batch), the statistics travel with the weights (burn's
//! record and PyTorch's safetensors, PyTorch's own int64 count included), and the compiler
//! refuses the batch of one sample that PyTorch refuses.
#![cfg(not(target_arch = "wasm32"))]

mod support;

use burn::module::Module;
use burn::tensor::{Tensor, TensorData};
use futures_lite::future::block_on;
use kindling::core::compile::compile_error::CompileError;
use kindling::core::compile::compiler::compile;
use kindling::core::engine::device::cpu_device;
use kindling::core::engine::mlp::{Layer, Mlp};
use kindling::core::engine::pytorch_weights::{from_safetensors, to_safetensors};
use kindling::core::engine::weights::{from_bytes, to_bytes};
use kindling::core::model::catalogue::NodeKind;
use kindling::core::model::graph::Graph;
use kindling::core::model::params::{LayerSpec, ParamValue};
use kindling::core::model::templates::basic_loop;
use kindling::core::protocol::backend::Backend;
use safetensors::tensor::TensorView;
use safetensors::{Dtype, SafeTensors};
use support::{TestHost, next_epoch, outputs, start};

fn layers() -> Vec<LayerSpec> {
    vec![
        LayerSpec::Linear { out_features: 16 },
        LayerSpec::BatchNorm { momentum: 0.1 },
        LayerSpec::Relu,
        LayerSpec::Linear { out_features: 16 },
        LayerSpec::BatchNorm { momentum: 0.3 },
        LayerSpec::Relu,
        LayerSpec::Linear { out_features: 2 },
    ]
}

/// The default graph with BatchNorm1d after each hidden Linear, for `epochs` epochs.
fn graph(epochs: i64) -> Graph {
    let mut graph = basic_loop();
    let node = |graph: &Graph, kind| graph.nodes_of(kind).next().unwrap().id;
    graph.set_param(node(&graph, NodeKind::Network), "layers", ParamValue::Layers(layers())).unwrap();
    graph.set_param(node(&graph, NodeKind::EpochTracker), "total_epochs", ParamValue::Int(epochs)).unwrap();
    graph
}

fn set(graph: &mut Graph, kind: NodeKind, name: &str, value: ParamValue) {
    let node = graph.nodes_of(kind).next().unwrap().id;
    graph.set_param(node, name, value).unwrap();
}

/// The running statistics of the network's first BatchNorm1d.
fn running_mean(model: &Mlp) -> Vec<f32> {
    let norm = model
        .layers()
        .iter()
        .find_map(|layer| match layer {
            Layer::BatchNorm(norm) => Some(norm),
            _ => None,
        })
        .expect("a BatchNorm1d");
    block_on(norm.running_mean.value_sync().into_data_async()).unwrap().try_to_vec::<f32>().unwrap()
}

/// Trains the graph for its epochs and returns the first and last epochs' losses and the
/// trained weights (a CPU copy).
fn trained(graph: &Graph) -> (f64, f64, Mlp) {
    let plan = compile(graph).expect("a graph with BatchNorm1d compiles");
    let host = TestHost::new(1.0);
    let mut run = start(plan, &cpu_device(), Backend::Cpu);
    let mut losses = Vec::new();
    while !run.is_over() {
        losses.push(next_epoch(&mut run, &host).0.train_loss);
    }
    let model = block_on(run.trainer().weights()).expect("weights");
    (losses[0], *losses.last().unwrap(), model)
}

#[test]
fn it_trains_and_evaluates_each_sample_by_the_running_statistics() {
    // 40 epochs of the spiral: the plain network of the same widths goes from 0.69 to 0.39.
    let (first, last, model) = trained(&graph(40));
    assert!(last < 0.7 * first, "the loss fell from {first} to {last}");
    // The running mean moved from its start (0) while training.
    assert!(running_mean(&model).iter().any(|mean| mean.abs() > 1e-3), "{:?}", running_mean(&model));
    // In evaluation, a sample's output is the same alone as among others.
    let device = cpu_device();
    let points = [0.5f32, -0.25, -0.8, 0.9, 0.1, 0.0];
    let together = Tensor::<2>::from_data(TensorData::new(points.to_vec(), [3, 2]), &device);
    let together =
        block_on(model.valid().forward(together).into_data_async()).unwrap().try_to_vec::<f32>().unwrap();
    let alone = Tensor::<2>::from_data(TensorData::new(points[2..4].to_vec(), [1, 2]), &device);
    let alone =
        block_on(model.valid().forward(alone).into_data_async()).unwrap().try_to_vec::<f32>().unwrap();
    assert_eq!(alone, together[2..4]);
}

#[test]
fn the_running_statistics_travel_with_the_weights() {
    let (_, _, model) = trained(&graph(2));
    let plan = compile(&graph(2)).unwrap().network;
    // burn's record (checkpoints, the weights download).
    let loaded = from_bytes(&to_bytes(&model).unwrap(), &plan, &cpu_device()).expect("loads");
    assert_eq!(running_mean(&loaded), running_mean(&model));
    assert_eq!(outputs(&loaded), outputs(&model));
    // PyTorch's names: weight, bias and the three buffers of each BatchNorm1d.
    let bytes = block_on(to_safetensors(&model)).unwrap();
    let file = SafeTensors::deserialize(&bytes).unwrap();
    for name in ["weight", "bias", "running_mean", "running_var"] {
        assert_eq!(file.tensor(&format!("layers.1.{name}")).unwrap().shape(), [16], "{name}");
    }
    let count = file.tensor("layers.4.num_batches_tracked").unwrap();
    assert_eq!(count.shape(), [0usize; 0], "PyTorch's count is a scalar");
    let batches = f32::from_le_bytes(count.data().try_into().unwrap());
    assert_eq!(batches, 2.0 * 32.0, "two epochs of 32 batches");
    let loaded = from_safetensors(&bytes, &plan, &cpu_device()).expect("loads");
    assert_eq!(outputs(&loaded), outputs(&model));
    // A file PyTorch wrote holds the count as int64; a negative variance is refused.
    let rewritten = |name: &str, dtype: Dtype, data: Vec<u8>| {
        let tensors: Vec<(String, Dtype, Vec<usize>, Vec<u8>)> = file
            .tensors()
            .into_iter()
            .map(|(other, view)| {
                let replaced = other == name;
                let bytes = if replaced { data.clone() } else { view.data().to_vec() };
                (other, if replaced { dtype } else { view.dtype() }, view.shape().to_vec(), bytes)
            })
            .collect();
        let views = tensors.iter().map(|(name, dtype, shape, data)| {
            (name.clone(), TensorView::new(*dtype, shape.clone(), data).unwrap())
        });
        safetensors::serialize(views, None).unwrap()
    };
    let pytorch = rewritten("layers.4.num_batches_tracked", Dtype::I64, 64i64.to_le_bytes().to_vec());
    let loaded = from_safetensors(&pytorch, &plan, &cpu_device()).expect("PyTorch's int64 count loads");
    assert_eq!(outputs(&loaded), outputs(&model));
    let negative = rewritten("layers.1.running_var", Dtype::F32, (-1.0f32).to_le_bytes().repeat(16));
    let Err(refused) = from_safetensors(&negative, &plan, &cpu_device()) else {
        panic!("a negative variance loaded")
    };
    assert!(refused.to_string().contains("layers.1.running_var"), "{refused}");
}

fn refusal(graph: &Graph) -> String {
    match compile(graph) {
        Err(errors) => errors
            .iter()
            .map(|error| match error {
                CompileError::Conflict { kind, problem, .. } => format!("{kind:?}: {problem}"),
                other => other.to_string(),
            })
            .collect(),
        Ok(_) => panic!("a graph PyTorch would refuse compiled"),
    }
}

#[test]
fn a_training_batch_of_one_sample_is_refused_as_pytorch_refuses_it() {
    let mut one = graph(1);
    set(&mut one, NodeKind::BatchSampler, "batch_size", ParamValue::Int(1));
    let why = refusal(&one);
    assert!(
        why.contains("BatchSampler") && why.contains("BatchNorm1d") && why.contains("batch_size"),
        "{why}"
    );
    // 1000 samples in batches of 37 leave 1 at the end of each epoch: drop_last fixes it.
    let mut remainder = graph(1);
    set(&mut remainder, NodeKind::BatchSampler, "batch_size", ParamValue::Int(37));
    let why = refusal(&remainder);
    assert!(why.contains("batch of 1") && why.contains("drop_last"), "{why}");
    set(&mut remainder, NodeKind::BatchSampler, "drop_last", ParamValue::Bool(true));
    assert!(compile(&remainder).is_ok());
    // Without a BatchNorm1d, batches of one are fine.
    let mut plain = basic_loop();
    set(&mut plain, NodeKind::BatchSampler, "batch_size", ParamValue::Int(1));
    assert!(compile(&plain).is_ok());
}
