//! Weights in PyTorch's names and layouts (safetensors): what the exports start from and the
//! trained-weights download holds. They round-trip, and a file of another network, another
//! type or with non-finite values is refused with the parameter named — never a panic.
#![cfg(not(target_arch = "wasm32"))]

use burn::module::Module;
use burn::tensor::{Tensor, TensorData};
use futures_lite::future::block_on;
use kindling::core::compile::plan::NetworkPlan;
use kindling::core::engine::device::cpu_device;
use kindling::core::engine::mlp::Mlp;
use kindling::core::engine::pytorch_weights::{from_safetensors, to_safetensors};
use kindling::core::engine::weights::WeightsError;
use kindling::core::model::params::LayerSpec;
use safetensors::tensor::TensorView;
use safetensors::{Dtype, SafeTensors};

/// 2 → Linear(3), LayerNorm, ReLU, Linear(2): a network with every kind of parameter.
fn network() -> NetworkPlan {
    NetworkPlan {
        in_shape: vec![2],
        layers: vec![
            LayerSpec::Linear { out_features: 3 },
            LayerSpec::LayerNorm,
            LayerSpec::Relu,
            LayerSpec::Linear { out_features: 2 },
        ],
    }
}

fn outputs(model: &Mlp) -> Vec<f32> {
    let points =
        Tensor::<2>::from_data(TensorData::new(vec![0.5f32, -0.25, -0.8, 0.9], [2, 2]), &cpu_device());
    block_on(model.valid().forward(points).into_data_async()).unwrap().try_to_vec::<f32>().unwrap()
}

fn linear_weight(model: &Mlp) -> Vec<f32> {
    let linear = model.linear_layers().next().expect("a linear layer");
    block_on(linear.weight.val().into_data_async()).unwrap().try_to_vec::<f32>().unwrap()
}

#[test]
fn weights_round_trip_with_pytorchs_names_and_layouts() {
    let model = Mlp::init(&network(), 3, &cpu_device());
    let bytes = block_on(to_safetensors(&model)).expect("written");
    let file = SafeTensors::deserialize(&bytes).expect("a safetensors file");
    let mut names = file.names();
    names.sort_unstable();
    assert_eq!(
        names,
        [
            "layers.0.bias",
            "layers.0.weight",
            "layers.1.bias",
            "layers.1.weight",
            "layers.3.bias",
            "layers.3.weight"
        ]
    );
    // PyTorch's Linear weight is [out, in]: burn's [in, out] transposed.
    let first = file.tensor("layers.0.weight").unwrap();
    assert_eq!(first.shape(), [3, 2]);
    let burn = linear_weight(&model); // [2, 3] row-major
    let torch: Vec<f32> =
        first.data().chunks_exact(4).map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]])).collect();
    for out in 0..3 {
        for input in 0..2 {
            assert_eq!(torch[out * 2 + input], burn[input * 3 + out]);
        }
    }
    let loaded = from_safetensors(&bytes, &network(), &cpu_device()).expect("loads");
    assert_eq!(outputs(&loaded), outputs(&model));
}

/// The file of `model` with tensor `name` replaced by `dtype` bytes of the same shape.
fn with_tensor(model: &Mlp, name: &str, dtype: Dtype, fill: impl Fn(usize) -> Vec<u8>) -> Vec<u8> {
    let bytes = block_on(to_safetensors(model)).unwrap();
    let file = SafeTensors::deserialize(&bytes).unwrap();
    let owned: Vec<(String, Dtype, Vec<usize>, Vec<u8>)> = file
        .tensors()
        .into_iter()
        .map(|(tensor_name, view)| {
            let count: usize = view.shape().iter().product();
            if tensor_name == name {
                (tensor_name, dtype, view.shape().to_vec(), fill(count))
            } else {
                (tensor_name, view.dtype(), view.shape().to_vec(), view.data().to_vec())
            }
        })
        .collect();
    let views = owned.iter().map(|(name, dtype, shape, data)| {
        (name.clone(), TensorView::new(*dtype, shape.clone(), data).unwrap())
    });
    safetensors::serialize(views, None).unwrap()
}

fn refusal(bytes: &[u8]) -> String {
    match from_safetensors(bytes, &network(), &cpu_device()) {
        Err(WeightsError::Mismatch(why) | WeightsError::Format(why)) => why,
        Err(other) => panic!("unexpected error {other:?}"),
        Ok(_) => panic!("hostile weights were accepted"),
    }
}

#[test]
fn other_types_non_finite_values_other_networks_and_garbage_are_refused_by_name() {
    let model = Mlp::init(&network(), 3, &cpu_device());
    let integers = with_tensor(&model, "layers.3.weight", Dtype::I64, |count| vec![0u8; count * 8]);
    assert!(refusal(&integers).contains("layers.3.weight"), "{}", refusal(&integers));
    let halves = with_tensor(&model, "layers.1.weight", Dtype::F16, |count| vec![0u8; count * 2]);
    assert!(refusal(&halves).contains("F16"), "{}", refusal(&halves));
    let nan = with_tensor(&model, "layers.0.bias", Dtype::F32, |count| {
        (0..count).flat_map(|_| f32::NAN.to_le_bytes()).collect()
    });
    assert!(refusal(&nan).contains("finite"), "{}", refusal(&nan));
    let wider = NetworkPlan { in_shape: vec![2], layers: vec![LayerSpec::Linear { out_features: 5 }] };
    let other = block_on(to_safetensors(&Mlp::init(&wider, 1, &cpu_device()))).unwrap();
    assert!(refusal(&other).contains("shape"), "{}", refusal(&other));
    assert!(!refusal(b"not a safetensors file").is_empty());
    assert!(!refusal(&[0xff; 16]).is_empty());
}
