//! The layers of a Network that work on images — `nn.Conv2d`, `nn.MaxPool2d`, `nn.AvgPool2d`,
//! `nn.BatchNorm2d`, `nn.Dropout2d` as PyTorch computes them — on burn's own modules.
//!
//! Samples travel between a Network's layers flattened, `[batch, features]`, as every other
//! layer takes them; an image layer knows its input's `[channels, height, width]` (from the
//! plan's shapes), views the batch as `[batch, channels, height, width]` and flattens what it
//! gives back. Flattening keeps PyTorch's order (channel, row, column), so `nn.Flatten` after
//! these layers sees the same features in the same places, and the reshapes move no data.

use burn::module::Module;
use burn::nn::conv::Conv2d;
use burn::nn::pool::{AvgPool2d, AvgPool2dConfig, MaxPool2d, MaxPool2dConfig};
use burn::nn::{Dropout, DropoutConfig, PaddingConfig2d};
use burn::tensor::Tensor;

use crate::core::engine::batch_norm::BatchNorm1d;
use crate::core::model::params::Pool2dSpec;

/// `[batch, channels·height·width]` as `[batch, channels, height, width]`.
fn image(x: Tensor<2>, [channels, height, width]: [usize; 3]) -> Tensor<4> {
    let [batch, _] = x.dims();
    x.reshape([batch, channels, height, width])
}

/// `[batch, channels, height, width]` flattened, in PyTorch's order.
fn flat(x: Tensor<4>) -> Tensor<2> {
    let [batch, channels, height, width] = x.dims();
    x.reshape([batch, channels * height * width])
}

/// `padding` added on every side, as PyTorch's `padding=p`.
pub fn explicit_padding(padding: usize) -> PaddingConfig2d {
    PaddingConfig2d::Explicit(padding, padding, padding, padding)
}

/// A convolution, `nn.Conv2d`: weight `[out, in / groups, k, k]` as PyTorch lays it out.
#[derive(Module, Debug)]
pub struct ImageConv {
    pub conv: Conv2d,
    /// The input's `[channels, height, width]`.
    pub input: [usize; 3],
}

impl ImageConv {
    /// # Shapes
    /// `[batch, in·h·w]` → `[batch, out·h'·w']`.
    pub fn forward(&self, x: Tensor<2>) -> Tensor<2> {
        flat(self.conv.forward(image(x, self.input)))
    }
}

/// `nn.MaxPool2d`: padding counts as −∞.
#[derive(Module, Debug)]
pub struct ImageMaxPool {
    pub pool: MaxPool2d,
    pub input: [usize; 3],
}

impl ImageMaxPool {
    pub fn new(spec: Pool2dSpec, input: [usize; 3]) -> Self {
        let [k, s] = [spec.kernel_size, spec.stride];
        let pool = MaxPool2dConfig::new([k, k])
            .with_strides([s, s])
            .with_padding(explicit_padding(spec.padding))
            .init();
        Self { pool, input }
    }

    /// # Shapes
    /// `[batch, c·h·w]` → `[batch, c·h'·w']`.
    pub fn forward(&self, x: Tensor<2>) -> Tensor<2> {
        flat(self.pool.forward(image(x, self.input)))
    }
}

/// `nn.AvgPool2d` with PyTorch's defaults: padding counts as zeros in every window's mean
/// (`count_include_pad=True`).
#[derive(Module, Debug)]
pub struct ImageAvgPool {
    pub pool: AvgPool2d,
    pub input: [usize; 3],
}

impl ImageAvgPool {
    pub fn new(spec: Pool2dSpec, input: [usize; 3]) -> Self {
        let [k, s] = [spec.kernel_size, spec.stride];
        let pool = AvgPool2dConfig::new([k, k])
            .with_strides([s, s])
            .with_padding(explicit_padding(spec.padding))
            .with_count_include_pad(true)
            .init();
        Self { pool, input }
    }

    /// # Shapes
    /// `[batch, c·h·w]` → `[batch, c·h'·w']`.
    pub fn forward(&self, x: Tensor<2>) -> Tensor<2> {
        flat(self.pool.forward(image(x, self.input)))
    }
}

/// `nn.BatchNorm2d`: each channel normalised over the batch and every position — a
/// [`BatchNorm1d`] over `[batch·h·w, channels]`, which counts `batch·h·w` values per channel
/// (PyTorch's `n` for the unbiased running variance) and keeps the same parameters and
/// running statistics, `[channels]`.
#[derive(Module, Debug)]
pub struct ImageBatchNorm {
    pub norm: BatchNorm1d,
    pub input: [usize; 3],
}

impl ImageBatchNorm {
    /// # Shapes
    /// `[batch, c·h·w]` → `[batch, c·h·w]`.
    pub fn forward(&self, x: Tensor<2>) -> Tensor<2> {
        let [batch, _] = x.dims();
        let [channels, height, width] = self.input;
        let positions = height * width;
        // [batch, c, h·w] → [batch, h·w, c] → [batch·h·w, c]: one row per position.
        let rows =
            x.reshape([batch, channels, positions]).swap_dims(1, 2).reshape([batch * positions, channels]);
        let normalised = self.norm.forward(rows);
        normalised
            .reshape([batch, positions, channels])
            .swap_dims(1, 2)
            .reshape([batch, channels * positions])
    }
}

/// `nn.Dropout2d`: while training, each channel of each sample is zeroed whole with
/// probability `p`, the others scaled by `1 / (1 − p)`; nothing in evaluation.
#[derive(Module, Debug)]
pub struct ImageDropout {
    /// Draws the mask, one value per channel of each sample.
    pub dropout: Dropout,
    pub input: [usize; 3],
}

impl ImageDropout {
    pub fn new(p: f64, input: [usize; 3]) -> Self {
        Self { dropout: DropoutConfig::new(p).init(), input }
    }

    /// # Shapes
    /// `[batch, c·h·w]` → `[batch, c·h·w]`.
    pub fn forward(&self, x: Tensor<2>) -> Tensor<2> {
        if !x.device().is_autodiff() || self.dropout.prob == 0.0 {
            return x;
        }
        let [batch, features] = x.dims();
        let [channels, height, width] = self.input;
        let mask = self.dropout.forward(Tensor::<3>::ones([batch, channels, 1], &x.device()));
        (x.reshape([batch, channels, height * width]) * mask).reshape([batch, features])
    }
}

// Native only: the tests await reads with futures-lite, a native dependency.
#[cfg(all(test, not(target_arch = "wasm32")))]
mod tests {
    use burn::module::Module;

    use super::*;
    use crate::core::compile::plan::NetworkPlan;
    use crate::core::engine::device::cpu_device;
    use crate::core::engine::mlp::{Layer, Mlp};
    use crate::core::model::params::{Conv2dSpec, LayerSpec};

    fn values<const D: usize>(tensor: Tensor<D>) -> Vec<f32> {
        futures_lite::future::block_on(tensor.into_data_async()).unwrap().try_to_vec().unwrap()
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
        let plan = NetworkPlan { in_shape: vec![8, 8], layers: vec![LayerSpec::Conv2d(without)] };
        let model = Mlp::init(&plan, 7, &cpu_device());
        let Some(Layer::Conv2d(conv)) = model.layers().first() else { panic!("a Conv2d") };
        assert!(conv.conv.bias.is_none(), "bias=False has none");
        assert_eq!(conv.conv.weight.dims(), [8, 1, 3, 3], "the digits are one channel");
    }
}
