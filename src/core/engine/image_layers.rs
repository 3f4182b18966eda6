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
