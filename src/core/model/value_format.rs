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

use crate::core::model::params::{ELU_ALPHA, LayerSpec, ParamValue, SOFTPLUS_BETA};

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
            }
        })
    }
}
