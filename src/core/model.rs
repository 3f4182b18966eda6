//! The trainable model a `Network` node compiles to: a burn [`Module`] built from the plan.
//!
//! Weights are initialised from the plan's seed with our own generator, as PyTorch's
//! `nn.Linear` does (uniform in ±1/√fan_in for weights and biases), so that a seed means
//! the same starting point on every backend.

use burn::module::{Module, Param};
use burn::nn::{Linear, Relu, Sigmoid, Tanh};
use burn::tensor::{Device, Tensor, TensorData};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use super::params::LayerSpec;
use super::plan::NetworkPlan;

/// One layer of a [`Mlp`].
#[derive(Module, Debug)]
pub enum Layer {
    Linear(Linear),
    Relu(Relu),
    Tanh(Tanh),
    Sigmoid(Sigmoid),
}

/// A stack of layers applied in order.
#[derive(Module, Debug)]
pub struct Mlp {
    layers: Vec<Layer>,
}

impl Mlp {
    /// Builds the network of `plan` on `device`, its weights drawn from `seed`.
    pub fn init(plan: &NetworkPlan, seed: u64, device: &Device) -> Self {
        let mut rng = StdRng::seed_from_u64(seed);
        let mut width = plan.in_features;
        let layers = plan
            .layers
            .iter()
            .map(|spec| {
                let layer = match spec {
                    LayerSpec::Linear { out_features } => {
                        Layer::Linear(linear(width, *out_features, &mut rng, device))
                    }
                    LayerSpec::Relu => Layer::Relu(Relu),
                    LayerSpec::Tanh => Layer::Tanh(Tanh),
                    LayerSpec::Sigmoid => Layer::Sigmoid(Sigmoid),
                };
                width = spec.out_features(width);
                layer
            })
            .collect();
        Self { layers }
    }

    /// # Shapes
    /// `[batch, in_features]` → `[batch, out_features]`.
    pub fn forward(&self, input: Tensor<2>) -> Tensor<2> {
        self.layers.iter().fold(input, |x, layer| match layer {
            Layer::Linear(linear) => linear.forward(x),
            Layer::Relu(relu) => relu.forward(x),
            Layer::Tanh(tanh) => tanh.forward(x),
            Layer::Sigmoid(sigmoid) => sigmoid.forward(x),
        })
    }
}

/// A linear layer with PyTorch's default initialisation, weights stored `[in, out]`.
fn linear(d_in: usize, d_out: usize, rng: &mut StdRng, device: &Device) -> Linear {
    let bound = 1.0 / (d_in as f32).sqrt();
    let mut draw =
        |count: usize| -> Vec<f32> { (0..count).map(|_| rng.random_range(-bound..=bound)).collect() };
    let weight = Tensor::<2>::from_data(TensorData::new(draw(d_in * d_out), [d_in, d_out]), device);
    let bias = Tensor::<1>::from_data(TensorData::new(draw(d_out), [d_out]), device);
    Linear { weight: Param::from_tensor(weight), bias: Some(Param::from_tensor(bias)) }
}
