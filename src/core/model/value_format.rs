//! How parameter values and layers serialise.
//!
//! Readable formats (JSON files) get the forms people write by hand: `0.03`, `[0.5, 1.0]`,
//! `{"layer": "Linear", "out_features": 16}`. Binary formats (share links, autosaves, in
//! postcard) get tagged forms: postcard is not self-describing, so it cannot read untagged
//! or internally tagged enums. serde tells the two apart with `is_human_readable`.
//!
//! A tagged form stores a variant by its position: **append new variants at the end** of
//! `TaggedValue` and `TaggedLayer`, never reorder them, or old links read wrongly (the
//! fixture links under `tests/links/` catch that).

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::core::model::params::{
    BATCH_NORM_MOMENTUM, Conv2dSpec, ELU_ALPHA, LayerSpec, ParamValue, Pool2dSpec, SOFTPLUS_BETA,
};

#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum ReadableValue {
    Bool(bool),
    Int(i64),
    Float(f64),
    Text(String),
    /// Before `Layers`, so that `[]` reads as an empty list of numbers.
    Floats(Vec<f64>),
    Layers(Vec<LayerSpec>),
}

#[derive(Serialize, Deserialize)]
enum TaggedValue {
    Bool(bool),
    Int(i64),
    Float(f64),
    Text(String),
    Floats(Vec<f64>),
    Layers(Vec<LayerSpec>),
}

#[derive(Serialize, Deserialize)]
#[serde(tag = "layer")]
enum ReadableLayer {
    Linear {
        out_features: usize,
    },
    #[serde(rename = "ReLU")]
    Relu,
    #[serde(rename = "LeakyReLU")]
    LeakyRelu {
        negative_slope: f64,
    },
    Tanh,
    Sigmoid,
    #[serde(rename = "GELU")]
    Gelu,
    Dropout {
        p: f64,
    },
    LayerNorm,
    Flatten,
    BatchNorm1d {
        momentum: f64,
    },
    #[serde(rename = "ELU")]
    Elu {
        #[serde(default = "elu_alpha")]
        alpha: f64,
    },
    #[serde(rename = "SiLU")]
    Silu,
    Mish,
    Softplus {
        #[serde(default = "softplus_beta")]
        beta: f64,
    },
    /// PyTorch's arguments of `nn.Conv2d` (less `in_channels`), with its defaults.
    Conv2d {
        out_channels: usize,
        kernel_size: usize,
        #[serde(default = "one")]
        stride: usize,
        #[serde(default)]
        padding: usize,
        #[serde(default = "one")]
        dilation: usize,
        #[serde(default = "one")]
        groups: usize,
        #[serde(default = "yes")]
        bias: bool,
    },
    MaxPool2d(ReadablePool),
    AvgPool2d(ReadablePool),
    BatchNorm2d {
        #[serde(default = "batch_norm_momentum")]
        momentum: f64,
    },
    Dropout2d {
        #[serde(default = "half")]
        p: f64,
    },
}

/// `nn.MaxPool2d`'s and `nn.AvgPool2d`'s arguments: `stride` is the kernel's size unless
/// given, as in PyTorch.
#[derive(Serialize, Deserialize)]
struct ReadablePool {
    kernel_size: usize,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    stride: Option<usize>,
    #[serde(default)]
    padding: usize,
}

impl From<Pool2dSpec> for ReadablePool {
    fn from(pool: Pool2dSpec) -> Self {
        Self { kernel_size: pool.kernel_size, stride: Some(pool.stride), padding: pool.padding }
    }
}

impl From<ReadablePool> for Pool2dSpec {
    fn from(pool: ReadablePool) -> Self {
        Self {
            kernel_size: pool.kernel_size,
            stride: pool.stride.unwrap_or(pool.kernel_size),
            padding: pool.padding,
        }
    }
}

fn one() -> usize {
    1
}

fn yes() -> bool {
    true
}

fn half() -> f64 {
    0.5
}

fn batch_norm_momentum() -> f64 {
    BATCH_NORM_MOMENTUM
}

fn elu_alpha() -> f64 {
    ELU_ALPHA
}

fn softplus_beta() -> f64 {
    SOFTPLUS_BETA
}

/// The binary layout's layers; new ones go last, so that a link made before them still reads.
#[derive(Serialize, Deserialize)]
enum TaggedLayer {
    Linear(usize),
    Relu,
    LeakyRelu(f64),
    Tanh,
    Sigmoid,
    Gelu,
    Dropout(f64),
    LayerNorm,
    Flatten,
    BatchNorm(f64),
    Elu(f64),
    Silu,
    Mish,
    Softplus(f64),
    /// out_channels, kernel_size, stride, padding, dilation, groups, bias.
    Conv2d(usize, usize, usize, usize, usize, usize, bool),
    /// kernel_size, stride, padding.
    MaxPool2d(usize, usize, usize),
    AvgPool2d(usize, usize, usize),
    BatchNorm2d(f64),
    Dropout2d(f64),
}

/// Moves a value between the model's enum and a serialised mirror with the same variants.
macro_rules! mirror {
    ($from:ident => $to:ident, $value:expr) => {
        match $value {
            $from::Bool(value) => $to::Bool(value),
            $from::Int(value) => $to::Int(value),
            $from::Float(value) => $to::Float(value),
            $from::Text(value) => $to::Text(value),
            $from::Floats(value) => $to::Floats(value),
            $from::Layers(value) => $to::Layers(value),
        }
    };
}

impl Serialize for ParamValue {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            mirror!(ParamValue => ReadableValue, self.clone()).serialize(serializer)
        } else {
            mirror!(ParamValue => TaggedValue, self.clone()).serialize(serializer)
        }
    }
}

impl<'de> Deserialize<'de> for ParamValue {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(if deserializer.is_human_readable() {
            mirror!(ReadableValue => ParamValue, ReadableValue::deserialize(deserializer)?)
        } else {
            mirror!(TaggedValue => ParamValue, TaggedValue::deserialize(deserializer)?)
        })
    }
}

impl Serialize for LayerSpec {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        if serializer.is_human_readable() {
            let layer = match *self {
                LayerSpec::Linear { out_features } => ReadableLayer::Linear { out_features },
                LayerSpec::Relu => ReadableLayer::Relu,
                LayerSpec::LeakyRelu { negative_slope } => ReadableLayer::LeakyRelu { negative_slope },
                LayerSpec::Tanh => ReadableLayer::Tanh,
                LayerSpec::Sigmoid => ReadableLayer::Sigmoid,
                LayerSpec::Gelu => ReadableLayer::Gelu,
                LayerSpec::Dropout { p } => ReadableLayer::Dropout { p },
                LayerSpec::LayerNorm => ReadableLayer::LayerNorm,
                LayerSpec::BatchNorm { momentum } => ReadableLayer::BatchNorm1d { momentum },
                LayerSpec::Flatten => ReadableLayer::Flatten,
                LayerSpec::Elu { alpha } => ReadableLayer::Elu { alpha },
                LayerSpec::Silu => ReadableLayer::Silu,
                LayerSpec::Mish => ReadableLayer::Mish,
                LayerSpec::Softplus { beta } => ReadableLayer::Softplus { beta },
                LayerSpec::Conv2d(Conv2dSpec {
                    out_channels,
                    kernel_size,
                    stride,
                    padding,
                    dilation,
                    groups,
                    bias,
                }) => ReadableLayer::Conv2d {
                    out_channels,
                    kernel_size,
                    stride,
                    padding,
                    dilation,
                    groups,
                    bias,
                },
                LayerSpec::MaxPool2d(pool) => ReadableLayer::MaxPool2d(pool.into()),
                LayerSpec::AvgPool2d(pool) => ReadableLayer::AvgPool2d(pool.into()),
                LayerSpec::BatchNorm2d { momentum } => ReadableLayer::BatchNorm2d { momentum },
                LayerSpec::Dropout2d { p } => ReadableLayer::Dropout2d { p },
            };
            layer.serialize(serializer)
        } else {
            let layer = match *self {
                LayerSpec::Linear { out_features } => TaggedLayer::Linear(out_features),
                LayerSpec::Relu => TaggedLayer::Relu,
                LayerSpec::LeakyRelu { negative_slope } => TaggedLayer::LeakyRelu(negative_slope),
                LayerSpec::Tanh => TaggedLayer::Tanh,
                LayerSpec::Sigmoid => TaggedLayer::Sigmoid,
                LayerSpec::Gelu => TaggedLayer::Gelu,
                LayerSpec::Dropout { p } => TaggedLayer::Dropout(p),
                LayerSpec::LayerNorm => TaggedLayer::LayerNorm,
                LayerSpec::BatchNorm { momentum } => TaggedLayer::BatchNorm(momentum),
                LayerSpec::Flatten => TaggedLayer::Flatten,
                LayerSpec::Elu { alpha } => TaggedLayer::Elu(alpha),
                LayerSpec::Silu => TaggedLayer::Silu,
                LayerSpec::Mish => TaggedLayer::Mish,
                LayerSpec::Softplus { beta } => TaggedLayer::Softplus(beta),
                LayerSpec::Conv2d(Conv2dSpec {
                    out_channels,
                    kernel_size,
                    stride,
                    padding,
                    dilation,
                    groups,
                    bias,
                }) => TaggedLayer::Conv2d(out_channels, kernel_size, stride, padding, dilation, groups, bias),
                LayerSpec::MaxPool2d(Pool2dSpec { kernel_size, stride, padding }) => {
                    TaggedLayer::MaxPool2d(kernel_size, stride, padding)
                }
                LayerSpec::AvgPool2d(Pool2dSpec { kernel_size, stride, padding }) => {
                    TaggedLayer::AvgPool2d(kernel_size, stride, padding)
                }
                LayerSpec::BatchNorm2d { momentum } => TaggedLayer::BatchNorm2d(momentum),
                LayerSpec::Dropout2d { p } => TaggedLayer::Dropout2d(p),
            };
            layer.serialize(serializer)
        }
    }
}

impl<'de> Deserialize<'de> for LayerSpec {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Ok(if deserializer.is_human_readable() {
            match ReadableLayer::deserialize(deserializer)? {
                ReadableLayer::Linear { out_features } => LayerSpec::Linear { out_features },
                ReadableLayer::Relu => LayerSpec::Relu,
                ReadableLayer::LeakyRelu { negative_slope } => LayerSpec::LeakyRelu { negative_slope },
                ReadableLayer::Tanh => LayerSpec::Tanh,
                ReadableLayer::Sigmoid => LayerSpec::Sigmoid,
                ReadableLayer::Gelu => LayerSpec::Gelu,
                ReadableLayer::Dropout { p } => LayerSpec::Dropout { p },
                ReadableLayer::LayerNorm => LayerSpec::LayerNorm,
                ReadableLayer::BatchNorm1d { momentum } => LayerSpec::BatchNorm { momentum },
                ReadableLayer::Flatten => LayerSpec::Flatten,
                ReadableLayer::Elu { alpha } => LayerSpec::Elu { alpha },
                ReadableLayer::Silu => LayerSpec::Silu,
                ReadableLayer::Mish => LayerSpec::Mish,
                ReadableLayer::Softplus { beta } => LayerSpec::Softplus { beta },
                ReadableLayer::Conv2d {
                    out_channels,
                    kernel_size,
                    stride,
                    padding,
                    dilation,
                    groups,
                    bias,
                } => LayerSpec::Conv2d(Conv2dSpec {
                    out_channels,
                    kernel_size,
                    stride,
                    padding,
                    dilation,
                    groups,
                    bias,
                }),
                ReadableLayer::MaxPool2d(pool) => LayerSpec::MaxPool2d(pool.into()),
                ReadableLayer::AvgPool2d(pool) => LayerSpec::AvgPool2d(pool.into()),
                ReadableLayer::BatchNorm2d { momentum } => LayerSpec::BatchNorm2d { momentum },
                ReadableLayer::Dropout2d { p } => LayerSpec::Dropout2d { p },
            }
        } else {
            match TaggedLayer::deserialize(deserializer)? {
                TaggedLayer::Linear(out_features) => LayerSpec::Linear { out_features },
                TaggedLayer::Relu => LayerSpec::Relu,
                TaggedLayer::LeakyRelu(negative_slope) => LayerSpec::LeakyRelu { negative_slope },
                TaggedLayer::Tanh => LayerSpec::Tanh,
                TaggedLayer::Sigmoid => LayerSpec::Sigmoid,
                TaggedLayer::Gelu => LayerSpec::Gelu,
                TaggedLayer::Dropout(p) => LayerSpec::Dropout { p },
                TaggedLayer::LayerNorm => LayerSpec::LayerNorm,
                TaggedLayer::BatchNorm(momentum) => LayerSpec::BatchNorm { momentum },
                TaggedLayer::Flatten => LayerSpec::Flatten,
                TaggedLayer::Elu(alpha) => LayerSpec::Elu { alpha },
                TaggedLayer::Silu => LayerSpec::Silu,
                TaggedLayer::Mish => LayerSpec::Mish,
                TaggedLayer::Softplus(beta) => LayerSpec::Softplus { beta },
                TaggedLayer::Conv2d(out_channels, kernel_size, stride, padding, dilation, groups, bias) => {
                    LayerSpec::Conv2d(Conv2dSpec {
                        out_channels,
                        kernel_size,
                        stride,
                        padding,
                        dilation,
                        groups,
                        bias,
                    })
                }
                TaggedLayer::MaxPool2d(kernel_size, stride, padding) => {
                    LayerSpec::MaxPool2d(Pool2dSpec { kernel_size, stride, padding })
                }
                TaggedLayer::AvgPool2d(kernel_size, stride, padding) => {
                    LayerSpec::AvgPool2d(Pool2dSpec { kernel_size, stride, padding })
                }
                TaggedLayer::BatchNorm2d(momentum) => LayerSpec::BatchNorm2d { momentum },
                TaggedLayer::Dropout2d(p) => LayerSpec::Dropout2d { p },
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn image_layers_read_pytorchs_argument_names_and_defaults() {
        let json = r#"[
            {"layer": "Conv2d", "out_channels": 8, "kernel_size": 3},
            {"layer": "Conv2d", "out_channels": 4, "kernel_size": 5, "stride": 2, "padding": 1,
             "dilation": 2, "groups": 2, "bias": false},
            {"layer": "MaxPool2d", "kernel_size": 2},
            {"layer": "AvgPool2d", "kernel_size": 3, "stride": 1, "padding": 1},
            {"layer": "BatchNorm2d"},
            {"layer": "Dropout2d", "p": 0.25}
        ]"#;
        let layers: Vec<LayerSpec> = serde_json::from_str(json).unwrap();
        let expected = vec![
            LayerSpec::Conv2d(Conv2dSpec::new(8, 3)),
            LayerSpec::Conv2d(Conv2dSpec {
                out_channels: 4,
                kernel_size: 5,
                stride: 2,
                padding: 1,
                dilation: 2,
                groups: 2,
                bias: false,
            }),
            LayerSpec::MaxPool2d(Pool2dSpec { kernel_size: 2, stride: 2, padding: 0 }),
            LayerSpec::AvgPool2d(Pool2dSpec { kernel_size: 3, stride: 1, padding: 1 }),
            LayerSpec::BatchNorm2d { momentum: BATCH_NORM_MOMENTUM },
            LayerSpec::Dropout2d { p: 0.25 },
        ];
        assert_eq!(layers, expected);
        let written = serde_json::to_string(&layers).unwrap();
        assert!(
            written.contains(r#"{"layer":"MaxPool2d","kernel_size":2,"stride":2,"padding":0}"#),
            "{written}"
        );
        assert!(written.contains(r#""dilation":2,"groups":2,"bias":false"#), "{written}");
        assert_eq!(serde_json::from_str::<Vec<LayerSpec>>(&written).unwrap(), expected);
        let bytes = postcard::to_allocvec(&layers).unwrap();
        assert_eq!(postcard::from_bytes::<Vec<LayerSpec>>(&bytes).unwrap(), expected);
    }

    /// The binary form puts new layers after the old ones: a Linear's tag is still 0, and
    /// Conv2d's comes after Softplus's.
    #[test]
    fn image_layers_are_tagged_after_the_old_layers() {
        let tag = |layer: LayerSpec| postcard::to_allocvec(&layer).unwrap()[0];
        assert_eq!(tag(LayerSpec::Linear { out_features: 1 }), 0);
        assert_eq!(tag(LayerSpec::Softplus { beta: 1.0 }), 13);
        assert_eq!(tag(LayerSpec::Conv2d(Conv2dSpec::new(1, 1))), 14);
        assert_eq!(tag(LayerSpec::Dropout2d { p: 0.5 }), 18);
    }
}
