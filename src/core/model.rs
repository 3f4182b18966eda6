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
        Self::with_weights(plan, device, |d_in, d_out| {
            let bound = 1.0 / (d_in as f32).sqrt();
            let mut draw =
                |count: usize| -> Vec<f32> { (0..count).map(|_| rng.random_range(-bound..=bound)).collect() };
            (draw(d_in * d_out), draw(d_out))
        })
    }

    /// Builds the network of `plan` on `device` with the weights `weights(d_in, d_out)`
    /// gives for each linear layer in turn: `[d_in × d_out]` row-major, then `[d_out]`.
    pub fn with_weights(
        plan: &NetworkPlan,
        device: &Device,
        mut weights: impl FnMut(usize, usize) -> (Vec<f32>, Vec<f32>),
    ) -> Self {
        let mut width = plan.in_features;
        let layers = plan
            .layers
            .iter()
            .map(|spec| {
                let layer = match spec {
                    LayerSpec::Linear { out_features } => {
                        let (weight, bias) = weights(width, *out_features);
                        Layer::Linear(linear(weight, bias, [width, *out_features], device))
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

    /// The linear layers, input first.
    pub fn linear_layers(&self) -> impl Iterator<Item = &Linear> {
        self.layers.iter().filter_map(|layer| match layer {
            Layer::Linear(linear) => Some(linear),
            _ => None,
        })
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

/// A linear layer from its weights, stored `[in, out]` so that `y = x W + b`.
fn linear(weight: Vec<f32>, bias: Vec<f32>, [d_in, d_out]: [usize; 2], device: &Device) -> Linear {
    let weight = Tensor::<2>::from_data(TensorData::new(weight, [d_in, d_out]), device);
    let bias = Tensor::<1>::from_data(TensorData::new(bias, [d_out]), device);
    Linear { weight: Param::from_tensor(weight), bias: Some(Param::from_tensor(bias)) }
}
