//! The trainable model a `Network` node compiles to: a burn [`Module`] built from the plan.
//!
//! Weights are initialised from the plan's seed with our own generator, as PyTorch's
//! `nn.Linear` does (uniform in ±1/√fan_in for weights and biases), so that a seed means
//! the same starting point on every backend.

use burn::module::{Module, Param};
use burn::nn::activation::{Mish, SiLU};
use burn::nn::conv::Conv2d;
use burn::nn::{
    Dropout, DropoutConfig, Gelu, Identity, LayerNorm, LayerNormConfig, LeakyRelu, Linear, Relu, Sigmoid,
    Softplus, SoftplusConfig, Tanh,
};
use burn::tensor::{Device, FloatDType, Tensor, TensorData};
use rand::rngs::StdRng;
use rand::{RngExt, SeedableRng};

use crate::core::compile::plan::NetworkPlan;
use crate::core::engine::batch_norm::{BatchNorm1d, BatchNormValues};
use crate::core::engine::image_layers::{
    ImageAvgPool, ImageBatchNorm, ImageConv, ImageDropout, ImageMaxPool, explicit_padding,
};
use crate::core::model::params::{LayerSpec, image_shape};

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
    /// The image layers see the flattened samples as images (`image_layers`).
    Conv2d(ImageConv),
    MaxPool2d(ImageMaxPool),
    AvgPool2d(ImageAvgPool),
    BatchNorm2d(ImageBatchNorm),
    Dropout2d(ImageDropout),
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
            Layer::Conv2d(conv) => conv.forward(x),
            Layer::MaxPool2d(pool) => pool.forward(x),
            Layer::AvgPool2d(pool) => pool.forward(x),
            Layer::BatchNorm2d(norm) => norm.forward(x),
            Layer::Dropout2d(dropout) => dropout.forward(x),
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
    /// A Conv2d's weight, `[out, in / groups, k, k]` (PyTorch's layout and burn's).
    ConvWeight,
    /// A Conv2d's bias, `[out]`, where it has one.
    ConvBias,
}

/// A stack of layers applied in order.
#[derive(Module, Debug)]
pub struct Mlp {
    layers: Vec<Layer>,
}

impl Mlp {
    /// Builds the network of `plan` on `device`, its weights drawn from `seed`: as PyTorch
    /// initialises `nn.Linear` and `nn.Conv2d` (Kaiming-uniform with a = √5, which is uniform in
    /// ±1/√fan_in, and the bias in the same range), layer by layer, weight then bias.
    pub fn init(plan: &NetworkPlan, seed: u64, device: &Device) -> Self {
        let mut rng = StdRng::seed_from_u64(seed);
        let mut bound = 0.0f32;
        let built = Self::try_from_values(plan, device, |_, parameter, shape| {
            let count = shape.iter().product();
            let mut draw = |fan_in: usize| -> Vec<f32> {
                bound = 1.0 / (fan_in as f32).sqrt();
                (0..count).map(|_| rng.random_range(-bound..=bound)).collect()
            };
            Ok::<_, std::convert::Infallible>(match (parameter, shape) {
                (LayerParameter::LinearWeight, &[d_in, _]) => draw(d_in),
                (LayerParameter::ConvWeight, &[_, seen, k_h, k_w]) => draw(seen * k_h * k_w),
                (LayerParameter::LinearBias | LayerParameter::ConvBias, _) => {
                    let bound = bound;
                    (0..count).map(|_| rng.random_range(-bound..=bound)).collect()
                }
                (LayerParameter::NormWeight | LayerParameter::RunningVar, _) => vec![1.0; count],
                _ => vec![0.0; count],
            })
        });
        match built {
            Ok(model) => model,
            Err(never) => match never {},
        }
    }

    /// Builds the network of `plan` on `device` with the weights `weights(d_in, d_out)` gives
    /// for each linear layer in turn: `[d_in × d_out]` row-major, then `[d_out]`. LayerNorms
    /// and BatchNorms start as PyTorch's do (weight 1, bias 0; running mean 0, variance 1); a
    /// Conv2d's weights are zeros.
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
    /// (`[width]`) then its count of batches (`[]`), a Conv2d's weight `[out, in / groups, k,
    /// k]` then its bias `[out]` (if it has one), a BatchNorm2d's as a BatchNorm1d's over its
    /// channels. Each value list must have its shape's length (a scalar's is 1).
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
        // Every layer sees `[batch, width]`: a sample's features, flattened; an image layer
        // knows the image they are (`shape`, a compiled plan's; anything else falls back to
        // one pixel per feature).
        let mut width = plan.in_features();
        let mut shape = plan.in_shape.clone();
        let mut layers = Vec::with_capacity(plan.layers.len());
        for (index, spec) in plan.layers.iter().enumerate() {
            let image = image_shape(&shape).unwrap_or([width, 1, 1]);
            shape = spec.output_shape(&shape).unwrap_or(shape);
            let mut batch_norm = |width: usize, momentum: f64| -> Result<BatchNorm1d, E> {
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
                Ok(BatchNorm1d::new(values, momentum, device))
            };
            let layer = match *spec {
                LayerSpec::Linear { out_features } => {
                    let weight = values(index, LayerParameter::LinearWeight, &[width, out_features])?;
                    let bias = values(index, LayerParameter::LinearBias, &[out_features])?;
                    Layer::Linear(linear(weight, bias, [width, out_features], device))
                }
                LayerSpec::LayerNorm => {
                    let mut norm = LayerNormConfig::new(width).init(device);
                    norm.gamma = vector(values(index, LayerParameter::NormWeight, &[width])?, width);
                    norm.beta = Some(vector(values(index, LayerParameter::NormBias, &[width])?, width));
                    Layer::LayerNorm(norm)
                }
                LayerSpec::BatchNorm { momentum } => Layer::BatchNorm(batch_norm(width, momentum)?),
                LayerSpec::BatchNorm2d { momentum } => {
                    Layer::BatchNorm2d(ImageBatchNorm { norm: batch_norm(image[0], momentum)?, input: image })
                }
                LayerSpec::Conv2d(conv) => {
                    let [channels, _, _] = image;
                    let (k, out) = (conv.kernel_size, conv.out_channels);
                    let weight_shape = [out, channels / conv.groups.max(1), k, k];
                    let weight = values(index, LayerParameter::ConvWeight, &weight_shape)?;
                    let bias = match conv.bias {
                        true => Some(values(index, LayerParameter::ConvBias, &[out])?),
                        false => None,
                    };
                    let weight = Tensor::<4>::from_data(TensorData::new(weight, weight_shape), device);
                    Layer::Conv2d(ImageConv {
                        conv: Conv2d {
                            weight: Param::from_tensor(weight),
                            bias: bias.map(|bias| vector(bias, out)),
                            stride: [conv.stride; 2],
                            kernel_size: [k; 2],
                            dilation: [conv.dilation; 2],
                            groups: conv.groups.max(1),
                            padding: explicit_padding(conv.padding),
                        },
                        input: image,
                    })
                }
                LayerSpec::MaxPool2d(pool) => Layer::MaxPool2d(ImageMaxPool::new(pool, image)),
                LayerSpec::AvgPool2d(pool) => Layer::AvgPool2d(ImageAvgPool::new(pool, image)),
                LayerSpec::Dropout2d { p } => Layer::Dropout2d(ImageDropout::new(p, image)),
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
            width = shape.iter().product();
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

    /// The first layer that sees the input's own features — the first Linear or image layer.
    fn first_weighing(&self) -> Option<&Layer> {
        self.layers.iter().find(|layer| {
            matches!(
                layer,
                Layer::Linear(_)
                    | Layer::Conv2d(_)
                    | Layer::MaxPool2d(_)
                    | Layer::AvgPool2d(_)
                    | Layer::BatchNorm2d(_)
                    | Layer::Dropout2d(_)
            )
        })
    }

    /// The features one sample brings, as far as a layer tells: the first Linear's inputs or
    /// the first image layer's image.
    pub fn in_features(&self) -> Option<usize> {
        match self.first_weighing()? {
            Layer::Linear(linear) => Some(linear.weight.dims()[0]),
            Layer::Conv2d(ImageConv { input, .. })
            | Layer::MaxPool2d(ImageMaxPool { input, .. })
            | Layer::AvgPool2d(ImageAvgPool { input, .. })
            | Layer::BatchNorm2d(ImageBatchNorm { input, .. })
            | Layer::Dropout2d(ImageDropout { input, .. }) => Some(input.iter().product()),
            _ => None,
        }
    }

    /// The first linear layer when it takes the input's own features (no image layer comes
    /// before it), so that its weights are one per input feature.
    pub fn input_linear(&self) -> Option<&Linear> {
        match self.first_weighing()? {
            Layer::Linear(linear) => Some(linear),
            _ => None,
        }
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
            Layer::Conv2d(conv) => {
                let [channels, height, width] = conv.input;
                let [batch, _] = x.dims();
                let conv = &conv.conv;
                // Built with explicit, equal padding on every side (`image_layers`).
                let padding = match conv.padding {
                    burn::nn::PaddingConfig2d::Explicit(top, ..) => top,
                    _ => 0,
                };
                let options = burn::tensor::ops::ConvOptions::new(
                    conv.stride,
                    [padding; 2],
                    conv.dilation,
                    conv.groups,
                );
                let output = burn::tensor::module::conv2d(
                    x.reshape([batch, channels, height, width]),
                    conv.weight.val().cast(FloatDType::F16),
                    conv.bias.as_ref().map(|bias| bias.val().cast(FloatDType::F16)),
                    options,
                );
                let [_, out, rows, columns] = output.dims();
                output.reshape([batch, out * rows * columns])
            }
            Layer::LayerNorm(norm) => half(norm.forward(x.cast(FloatDType::F32))),
            Layer::BatchNorm(norm) => half(norm.forward(x.cast(FloatDType::F32))),
            Layer::BatchNorm2d(norm) => half(norm.forward(x.cast(FloatDType::F32))),
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

    fn values<const D: usize>(tensor: Tensor<D>) -> Vec<f32> {
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

    /// Mixed precision runs each image layer too: a CNN's f16 forward pass stays within
    /// f16's rounding of the f32 one.
    #[test]
    fn a_cnn_computes_in_half_precision_close_to_full() {
        use crate::core::model::params::{Conv2dSpec, Pool2dSpec};
        let device = cpu_device();
        assert!(device.supports_dtype(FloatDType::F16), "the CPU backend computes in f16");
        let plan = NetworkPlan {
            in_shape: vec![2, 6, 6],
            layers: vec![
                LayerSpec::Conv2d(Conv2dSpec { padding: 1, groups: 2, ..Conv2dSpec::new(4, 3) }),
                LayerSpec::BatchNorm2d { momentum: 0.1 },
                LayerSpec::Relu,
                LayerSpec::AvgPool2d(Pool2dSpec::new(2)),
                LayerSpec::Conv2d(Conv2dSpec { bias: false, ..Conv2dSpec::new(3, 2) }),
                LayerSpec::MaxPool2d(Pool2dSpec { kernel_size: 2, stride: 1, padding: 1 }),
                LayerSpec::Flatten,
                LayerSpec::Linear { out_features: 3 },
            ],
        };
        let model = Mlp::init(&plan, 5, &device);
        let pixels: Vec<f32> = (0..4 * 72).map(|i| ((i * 29) % 23) as f32 / 11.0 - 1.0).collect();
        let input = Tensor::<2>::from_data(TensorData::new(pixels, [4, 72]), &device);
        let full = values(model.forward(input.clone()));
        let half = values(model.forward_half(input));
        assert_eq!(full.len(), 12);
        for (f, h) in full.iter().zip(&half) {
            assert!((f - h).abs() < 1e-2 * f.abs().max(1.0), "{f} vs {h}");
        }
        assert_ne!(full, half, "f16 rounds differently");
    }

    /// Dropout2d's mask is random, so its statistics are checked: each channel of each
    /// sample kept whole (×2 for p = 0.5) or zeroed whole, about half of them zeroed; in
    /// evaluation it passes everything through.
    #[test]
    fn dropout_2d_drops_whole_channels_while_training_only() {
        let device = cpu_device().autodiff();
        let plan = NetworkPlan { in_shape: vec![4, 3, 3], layers: vec![LayerSpec::Dropout2d { p: 0.5 }] };
        let model = Mlp::init(&plan, 1, &device);
        let (samples, channels, positions) = (200, 4, 9);
        let output = values(model.forward(Tensor::<2>::ones([samples, channels * positions], &device)));
        let mut dropped = 0;
        for channel in output.chunks(positions) {
            assert!(
                channel.iter().all(|&v| v == channel[0]),
                "a channel is kept or dropped whole: {channel:?}"
            );
            assert!(channel[0] == 0.0 || channel[0] == 2.0, "{channel:?}");
            dropped += usize::from(channel[0] == 0.0);
        }
        let share = dropped as f64 / (samples * channels) as f64;
        assert!((0.4..0.6).contains(&share), "dropped {share} of the channels");
        let evaluated = values(model.valid().forward(Tensor::<2>::ones([8, 36], &cpu_device())));
        assert!(evaluated.iter().all(|&v| v == 1.0));
    }

    /// A convolution's weights and bias start uniform in ±1/√fan_in, fan_in = (in / groups)·k²,
    /// as PyTorch's `nn.Conv2d` (Kaiming-uniform with a = √5).
    #[test]
    fn convolutions_start_as_pytorchs() {
        use crate::core::model::params::Conv2dSpec;
        let conv = Conv2dSpec { groups: 2, ..Conv2dSpec::new(8, 3) };
        let plan = NetworkPlan { in_shape: vec![4, 6, 6], layers: vec![LayerSpec::Conv2d(conv)] };
        let model = Mlp::init(&plan, 7, &cpu_device());
        let Some(Layer::Conv2d(conv)) = model.layers().first() else { panic!("a Conv2d") };
        assert_eq!(conv.conv.weight.dims(), [8, 2, 3, 3], "PyTorch's [out, in / groups, k, k]");
        let bound = 1.0 / (2.0f32 * 9.0).sqrt();
        let weights = values(conv.conv.weight.val());
        assert!(weights.iter().all(|w| w.abs() <= bound));
        assert!(weights.iter().any(|w| w.abs() > 0.9 * bound), "spread over the whole range");
        let bias = values(conv.conv.bias.as_ref().expect("a bias").val());
        assert!(bias.iter().all(|b| b.abs() <= bound) && bias.len() == 8);
        let without = Conv2dSpec { bias: false, ..Conv2dSpec::new(8, 3) };
        let plan = NetworkPlan { in_shape: vec![1, 8, 8], layers: vec![LayerSpec::Conv2d(without)] };
        let model = Mlp::init(&plan, 7, &cpu_device());
        let Some(Layer::Conv2d(conv)) = model.layers().first() else { panic!("a Conv2d") };
        assert!(conv.conv.bias.is_none(), "bias=False has none");
        assert_eq!(conv.conv.weight.dims(), [8, 1, 3, 3], "the digits are one channel");
    }
}
