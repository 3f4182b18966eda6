//! The trainable model a `Network` node compiles to: a burn [`Module`] built from the plan.
//!
//! Weights are initialised from the plan's seed with our own generator, as PyTorch's
//! `nn.Linear` does (uniform in ±1/√fan_in for weights and biases), so that a seed means
//! the same starting point on every backend.

use burn::module::{Module, Param};
use burn::nn::activation::{Mish, SiLU};
use burn::nn::{
    Dropout, DropoutConfig, Gelu, Identity, LayerNorm, LayerNormConfig, LeakyRelu, Linear, Relu, Sigmoid,
    Softplus, SoftplusConfig, Tanh,
};
use burn::tensor::{Device, FloatDType, Tensor, TensorData};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use crate::core::compile::plan::NetworkPlan;
use crate::core::engine::batch_norm::{BatchNorm1d, BatchNormValues};
use crate::core::model::params::LayerSpec;

/// One layer of a [`Mlp`].
#[derive(Module, Debug)]
pub enum Layer {
    Linear(Linear),
    Relu(Relu),
    LeakyRelu(LeakyRelu),
    Tanh(Tanh),
    Sigmoid(Sigmoid),
    Gelu(Gelu),
    /// Active only on an autodiff device, i.e. while training; evaluation runs the model on
    /// the plain device (`Module::valid`), where it passes its input through.
    Dropout(Dropout),
    LayerNorm(LayerNorm),
    /// Normalises by the batch while training, by its running statistics in evaluation.
    BatchNorm(BatchNorm1d),
    /// Samples travel flattened (`[batch, features]`), so flattening changes only the shape
    /// the compiler reasons about.
    Flatten(Identity),
    Elu(Elu),
    Silu(SiLU),
    Mish(Mish),
    /// Linear where `beta · x > 20`, as PyTorch's default threshold.
    Softplus(Softplus),
}

/// ELU as PyTorch computes it: `x` where positive, `alpha · (eˣ − 1)` elsewhere. burn's
/// `elu` takes the exponential of every input and masks the positive ones out, so an input
/// past 88 makes that unused branch infinite and its gradient NaN (0 · ∞); this takes the
/// exponential of the negative part only.
#[derive(Module, Debug)]
pub struct Elu {
    pub alpha: f64,
}

impl Elu {
    /// # Shapes
    /// `[batch, width]` → `[batch, width]`.
    pub fn forward(&self, x: Tensor<2>) -> Tensor<2> {
        let curve = x.clone().clamp_max(0.0).exp().sub_scalar(1.0).mul_scalar(self.alpha);
        x.clone().mask_where(x.lower_equal_elem(0.0), curve)
    }
}

impl Layer {
    /// # Shapes
    /// `[batch, width_in]` → `[batch, width_out]`.
    fn forward(&self, x: Tensor<2>) -> Tensor<2> {
        match self {
            Layer::Linear(linear) => linear.forward(x),
            Layer::Relu(relu) => relu.forward(x),
            Layer::LeakyRelu(leaky_relu) => leaky_relu.forward(x),
            Layer::Tanh(tanh) => tanh.forward(x),
            Layer::Sigmoid(sigmoid) => sigmoid.forward(x),
            Layer::Gelu(gelu) => gelu.forward(x),
            Layer::Dropout(dropout) => dropout.forward(x),
            Layer::LayerNorm(norm) => norm.forward(x),
            Layer::BatchNorm(norm) => norm.forward(x),
            Layer::Flatten(identity) => identity.forward(x),
            Layer::Elu(elu) => elu.forward(x),
            Layer::Silu(silu) => silu.forward(x),
            Layer::Mish(mish) => mish.forward(x),
            Layer::Softplus(softplus) => softplus.forward(x),
        }
    }
}

/// A parameter of a layer, in the order a layer holds them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LayerParameter {
    /// A Linear's weight, `[in, out]` (burn's layout: `y = x W + b`).
    LinearWeight,
    /// A Linear's bias, `[out]`.
    LinearBias,
    /// A LayerNorm's (burn's `gamma`) or BatchNorm1d's scale, `[width]`.
    NormWeight,
    /// A LayerNorm's (burn's `beta`) or BatchNorm1d's shift, `[width]`.
    NormBias,
    /// A BatchNorm1d's running mean, `[width]`.
    RunningMean,
    /// A BatchNorm1d's running variance, `[width]`.
    RunningVar,
    /// A BatchNorm1d's count of training batches, a scalar (shape `[]`).
    BatchesTracked,
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

    /// Builds the network of `plan` on `device` with the weights `weights(d_in, d_out)` gives
    /// for each linear layer in turn: `[d_in × d_out]` row-major, then `[d_out]`. LayerNorms
    /// and BatchNorms start as PyTorch's do (weight 1, bias 0; running mean 0, variance 1).
    pub fn with_weights(
        plan: &NetworkPlan,
        device: &Device,
        mut weights: impl FnMut(usize, usize) -> (Vec<f32>, Vec<f32>),
    ) -> Self {
        let mut bias = Vec::new();
        let built = Self::try_from_values(plan, device, |_, parameter, shape| {
            Ok::<_, std::convert::Infallible>(match (parameter, shape) {
                (LayerParameter::LinearWeight, &[d_in, d_out]) => {
                    let (weight, linear_bias) = weights(d_in, d_out);
                    bias = linear_bias;
                    weight
                }
                (LayerParameter::LinearBias, _) => std::mem::take(&mut bias),
                (LayerParameter::NormWeight | LayerParameter::RunningVar, shape) => {
                    vec![1.0; shape.iter().product()]
                }
                (_, shape) => vec![0.0; shape.iter().product()],
            })
        });
        match built {
            Ok(model) => model,
            Err(never) => match never {},
        }
    }

    /// Builds the network of `plan` on `device` with the values `values(layer, parameter,
    /// shape)` gives for each parameter, layer by layer (`layer` is the index in the Network's
    /// list): a Linear's weight `[in, out]` then its bias `[out]`, a LayerNorm's weight then
    /// its bias `[width]`, a BatchNorm1d's weight, bias, running mean and running variance
    /// (`[width]`) then its count of batches (`[]`). Each value list must have its shape's
    /// length (a scalar's is 1).
    ///
    /// # Errors
    /// The first error `values` returns.
    pub fn try_from_values<E>(
        plan: &NetworkPlan,
        device: &Device,
        mut values: impl FnMut(usize, LayerParameter, &[usize]) -> Result<Vec<f32>, E>,
    ) -> Result<Self, E> {
        let vector = |values: Vec<f32>, width: usize| {
            Param::from_tensor(Tensor::<1>::from_data(TensorData::new(values, [width]), device))
        };
        // Every layer sees `[batch, width]`: a sample's features, flattened.
        let mut width = plan.in_features();
        let mut layers = Vec::with_capacity(plan.layers.len());
        for (index, spec) in plan.layers.iter().enumerate() {
            let layer = match *spec {
                LayerSpec::Linear { out_features } => {
                    let weight = values(index, LayerParameter::LinearWeight, &[width, out_features])?;
                    let bias = values(index, LayerParameter::LinearBias, &[out_features])?;
                    let layer = Layer::Linear(linear(weight, bias, [width, out_features], device));
                    width = out_features;
                    layer
                }
                LayerSpec::LayerNorm => {
                    let mut norm = LayerNormConfig::new(width).init(device);
                    norm.gamma = vector(values(index, LayerParameter::NormWeight, &[width])?, width);
                    norm.beta = Some(vector(values(index, LayerParameter::NormBias, &[width])?, width));
                    Layer::LayerNorm(norm)
                }
                LayerSpec::BatchNorm { momentum } => {
                    let mut parameter = |parameter, shape: &[usize]| values(index, parameter, shape);
                    let values = BatchNormValues {
                        weight: parameter(LayerParameter::NormWeight, &[width])?,
                        bias: parameter(LayerParameter::NormBias, &[width])?,
                        running_mean: parameter(LayerParameter::RunningMean, &[width])?,
                        running_var: parameter(LayerParameter::RunningVar, &[width])?,
                        batches_tracked: parameter(LayerParameter::BatchesTracked, &[])?
                            .first()
                            .copied()
                            .unwrap_or(0.0),
                    };
                    Layer::BatchNorm(BatchNorm1d::new(values, momentum, device))
                }
                LayerSpec::Relu => Layer::Relu(Relu),
                LayerSpec::LeakyRelu { negative_slope } => Layer::LeakyRelu(LeakyRelu { negative_slope }),
                LayerSpec::Tanh => Layer::Tanh(Tanh),
                LayerSpec::Sigmoid => Layer::Sigmoid(Sigmoid),
                LayerSpec::Gelu => Layer::Gelu(Gelu::new()),
                LayerSpec::Dropout { p } => Layer::Dropout(DropoutConfig::new(p).init()),
                LayerSpec::Flatten => Layer::Flatten(Identity),
                LayerSpec::Elu { alpha } => Layer::Elu(Elu { alpha }),
                LayerSpec::Silu => Layer::Silu(SiLU::new()),
                LayerSpec::Mish => Layer::Mish(Mish::new()),
                LayerSpec::Softplus { beta } => Layer::Softplus(SoftplusConfig::new().with_beta(beta).init()),
            };
            layers.push(layer);
        }
        Ok(Self { layers })
    }

    /// The layers, in the Network's order.
    pub fn layers(&self) -> &[Layer] {
        &self.layers
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
        self.layers.iter().fold(input, |x, layer| layer.forward(x))
    }

    /// [`Self::forward`], keeping what each hidden layer gives: the input of every linear
    /// layer after the first — its units after their activation (and any norm or dropout in
    /// between) — in order, then the output.
    ///
    /// # Shapes
    /// `[batch, in_features]` → `[batch, width]` per hidden layer, and `[batch, out_features]`.
    pub fn forward_with_hidden(&self, input: Tensor<2>) -> (Vec<Tensor<2>>, Tensor<2>) {
        let mut hidden = Vec::new();
        let mut seen_linear = false;
        let output = self.layers.iter().fold(input, |x, layer| {
            if matches!(layer, Layer::Linear(_)) {
                if seen_linear {
                    hidden.push(x.clone());
                }
                seen_linear = true;
            }
            layer.forward(x)
        });
        (hidden, output)
    }

    /// [`Self::forward`] in mixed precision, as PyTorch's autocast does it: linear layers and
    /// activations compute in f16 from f16 casts of the f32 weights (gradients flow back
    /// through the casts to the f32 master weights); LayerNorm and BatchNorm1d compute in f32
    /// (their statistics would lose digits in f16, as under autocast); the output
    /// comes back as f32 for the loss.
    ///
    /// # Shapes
    /// `[batch, in_features]` → `[batch, out_features]`.
    pub fn forward_half(&self, input: Tensor<2>) -> Tensor<2> {
        let half = |x: Tensor<2>| x.cast(FloatDType::F16);
        let output = self.layers.iter().fold(half(input), |x, layer| match layer {
            Layer::Linear(linear) => {
                let weight = linear.weight.val().cast(FloatDType::F16);
                let product = x.matmul(weight);
                match &linear.bias {
                    Some(bias) => product + bias.val().cast(FloatDType::F16).unsqueeze::<2>(),
                    None => product,
                }
            }
            Layer::LayerNorm(norm) => half(norm.forward(x.cast(FloatDType::F32))),
            Layer::BatchNorm(norm) => half(norm.forward(x.cast(FloatDType::F32))),
            // Activations, dropout and flatten compute in the dtype they are given.
            other => other.forward(x),
        });
        output.cast(FloatDType::F32)
    }
}

/// A linear layer from its weights, stored `[in, out]` so that `y = x W + b`.
fn linear(weight: Vec<f32>, bias: Vec<f32>, [d_in, d_out]: [usize; 2], device: &Device) -> Linear {
    let weight = Tensor::<2>::from_data(TensorData::new(weight, [d_in, d_out]), device);
    let bias = Tensor::<1>::from_data(TensorData::new(bias, [d_out]), device);
    Linear { weight: Param::from_tensor(weight), bias: Some(Param::from_tensor(bias)) }
}

// Native only: the tests await reads with futures-lite, a native dependency.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use super::*;
    use crate::core::engine::device::cpu_device;

    fn network(layers: Vec<LayerSpec>) -> NetworkPlan {
        NetworkPlan { in_shape: vec![4], layers }
    }

    fn values(tensor: Tensor<2>) -> Vec<f32> {
        futures_lite::future::block_on(tensor.into_data_async()).unwrap().try_to_vec().unwrap()
    }

    #[test]
    fn dropout_drops_while_training_and_passes_through_in_evaluation() {
        let device = cpu_device().autodiff();
        let plan = network(vec![LayerSpec::Dropout { p: 0.5 }]);
        let model = Mlp::init(&plan, 1, &device);
        let input = Tensor::<2>::ones([64, 4], &device);
        let trained = values(model.forward(input.clone()));
        assert!(trained.contains(&0.0) && trained.contains(&2.0), "{trained:?}");
        let evaluated = values(model.valid().forward(Tensor::ones([64, 4], &cpu_device())));
        assert!(evaluated.iter().all(|v| *v == 1.0), "{evaluated:?}");
    }

    #[test]
    fn leaky_relu_layer_norm_and_flatten_compute_what_pytorch_does() {
        let device = cpu_device();
        let input = Tensor::<2>::from_data(TensorData::new(vec![-2.0f32, 0.0, 1.0, 5.0], [1, 4]), &device);
        let leaky = Mlp::init(&network(vec![LayerSpec::LeakyRelu { negative_slope: 0.1 }]), 0, &device);
        assert_eq!(values(leaky.forward(input.clone())), [-0.2, 0.0, 1.0, 5.0]);
        let flatten = Mlp::init(&network(vec![LayerSpec::Flatten]), 0, &device);
        assert_eq!(values(flatten.forward(input.clone())), [-2.0, 0.0, 1.0, 5.0]);
        // A fresh LayerNorm (weight 1, bias 0): (x − mean) / √(biased variance + 1e-5).
        let norm = Mlp::init(&network(vec![LayerSpec::LayerNorm]), 0, &device);
        let (mean, variance) = (1.0f32, (9.0f32 + 1.0 + 0.0 + 16.0) / 4.0);
        let expected = [-2.0f32, 0.0, 1.0, 5.0].map(|x| (x - mean) / (variance + 1e-5).sqrt());
        for (got, want) in values(norm.forward(input)).iter().zip(expected) {
            assert!((got - want).abs() < 1e-6, "{got} vs {want}");
        }
    }

    #[test]
    fn elu_is_pytorchs_and_a_large_input_leaves_its_gradient_finite() {
        let device = cpu_device().autodiff();
        let input = Tensor::<2>::from_data(TensorData::new(vec![-2.0f32, 0.0, 1.0, 200.0], [1, 4]), &device)
            .require_grad();
        let elu = Mlp::init(&network(vec![LayerSpec::Elu { alpha: 0.7 }]), 0, &device);
        let output = elu.forward(input.clone());
        let expected = [0.7 * ((-2.0f32).exp() - 1.0), 0.0, 1.0, 200.0];
        for (got, want) in values(output.clone()).iter().zip(expected) {
            assert!((got - want).abs() < 1e-6, "{got} vs {want}");
        }
        // e²⁰⁰ is infinite in f32: an exponential of every input would make this gradient NaN.
        let gradients = output.sum().backward();
        let gradient = values(input.grad(&gradients).expect("a gradient"));
        assert_eq!(gradient[2..], [1.0, 1.0], "{gradient:?}");
        assert!((gradient[0] - 0.7 * (-2.0f32).exp()).abs() < 1e-6, "{gradient:?}");
    }
}
