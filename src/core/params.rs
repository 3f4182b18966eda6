//! Parameter values as they are stored in a graph, and the layer list of a `Network` node.
//!
//! Values are plain data so that a graph serialises to readable JSON; what a value *may* be
//! is the catalogue's business (`catalogue::ParamKind`), checked by the compiler.

use serde::{Deserialize, Serialize};

/// One layer of a `Network` node. Input sizes are not stored: the compiler infers them from
/// whatever feeds the network, so a layer list stays valid when the dataset changes.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "layer")]
pub enum LayerSpec {
    /// A fully connected layer, `y = x W + b`, over the last dimension.
    Linear {
        out_features: usize,
    },
    #[serde(rename = "ReLU")]
    Relu,
    /// `x` where positive, `negative_slope · x` elsewhere.
    #[serde(rename = "LeakyReLU")]
    LeakyRelu {
        negative_slope: f64,
    },
    Tanh,
    Sigmoid,
    /// The Gaussian error linear unit, exact (erf) form as PyTorch's default.
    #[serde(rename = "GELU")]
    Gelu,
    /// Zeroes each value with probability `p` while training (scaling the rest by
    /// `1 / (1 − p)`); does nothing in evaluation.
    Dropout {
        p: f64,
    },
    /// Normalises each sample over its features (ε = 1e-5), then scales and shifts them by
    /// learned weights, as `nn.LayerNorm(features)`.
    LayerNorm,
    /// Folds every dimension after the batch into one, e.g. an 8×8 image into 64 features.
    Flatten,
}

impl LayerSpec {
    /// The layer's short name, as nodes display it.
    pub fn name(&self) -> &'static str {
        match self {
            LayerSpec::Linear { .. } => "Linear",
            LayerSpec::Relu => "ReLU",
            LayerSpec::LeakyRelu { .. } => "LeakyReLU",
            LayerSpec::Tanh => "Tanh",
            LayerSpec::Sigmoid => "Sigmoid",
            LayerSpec::Gelu => "GELU",
            LayerSpec::Dropout { .. } => "Dropout",
            LayerSpec::LayerNorm => "LayerNorm",
            LayerSpec::Flatten => "Flatten",
        }
    }

    /// The shape of one sample after this layer, given its shape before (both without the
    /// batch dimension).
    ///
    /// # Errors
    /// Why the layer cannot take that shape, for the user: Linear and LayerNorm work on a
    /// flat list of features, so an image must be flattened first.
    ///
    /// # Shapes
    /// `[batch, ..in_shape]` → `[batch, ..out_shape]`.
    pub fn output_shape(&self, in_shape: &[usize]) -> Result<Vec<usize>, String> {
        let flat = |what: &str| match in_shape {
            [_] => Ok(()),
            _ => Err(format!(
                "{what} takes a flat list of features, but its input is {}; put a Flatten layer before it",
                shape_text(in_shape)
            )),
        };
        match self {
            LayerSpec::Linear { out_features } => flat("Linear").map(|()| vec![*out_features]),
            LayerSpec::LayerNorm => flat("LayerNorm").map(|()| in_shape.to_vec()),
            LayerSpec::Flatten => Ok(vec![in_shape.iter().product()]),
            LayerSpec::Relu
            | LayerSpec::LeakyRelu { .. }
            | LayerSpec::Tanh
            | LayerSpec::Sigmoid
            | LayerSpec::Gelu
            | LayerSpec::Dropout { .. } => Ok(in_shape.to_vec()),
        }
    }
}

/// A sample shape as people write it: `[8, 8]`.
pub fn shape_text(shape: &[usize]) -> String {
    let dims: Vec<String> = shape.iter().map(usize::to_string).collect();
    format!("[{}]", dims.join(", "))
}

/// The value of one node parameter.
///
/// Serialised untagged, so a graph's JSON reads `"learning_rate": 0.03`, not an enum wrapper.
/// Integers written where a float is expected are accepted (see [`ParamValue::as_f64`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum ParamValue {
    Bool(bool),
    Int(i64),
    Float(f64),
    Text(String),
    /// A list of numbers, e.g. class weights. Listed before `Layers` so that `[]` reads as
    /// an empty list of numbers; [`ParamValue::as_layers`] accepts that as no layers.
    Floats(Vec<f64>),
    Layers(Vec<LayerSpec>),
}

impl ParamValue {
    /// The value as a float, for `Float` and `Int` values.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            ParamValue::Float(value) => Some(*value),
            ParamValue::Int(value) => Some(*value as f64),
            _ => None,
        }
    }

    /// The value as an integer; a float counts only when it is whole.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            ParamValue::Int(value) => Some(*value),
            ParamValue::Float(value) if value.fract() == 0.0 && value.is_finite() => Some(*value as i64),
            _ => None,
        }
    }

    pub fn as_bool(&self) -> Option<bool> {
        match self {
            ParamValue::Bool(value) => Some(*value),
            _ => None,
        }
    }

    pub fn as_text(&self) -> Option<&str> {
        match self {
            ParamValue::Text(value) => Some(value),
            _ => None,
        }
    }

    pub fn as_layers(&self) -> Option<&[LayerSpec]> {
        match self {
            ParamValue::Layers(layers) => Some(layers),
            ParamValue::Floats(values) if values.is_empty() => Some(&[]),
            _ => None,
        }
    }

    pub fn as_floats(&self) -> Option<&[f64]> {
        match self {
            ParamValue::Floats(values) => Some(values),
            _ => None,
        }
    }
}

impl std::fmt::Display for ParamValue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ParamValue::Bool(value) => write!(f, "{value}"),
            ParamValue::Int(value) => write!(f, "{value}"),
            ParamValue::Float(value) => write!(f, "{value}"),
            ParamValue::Text(value) => write!(f, "{value}"),
            ParamValue::Floats(values) if values.is_empty() => write!(f, "none"),
            ParamValue::Floats(values) => {
                let shown: Vec<String> = values.iter().map(f64::to_string).collect();
                write!(f, "[{}]", shown.join(", "))
            }
            ParamValue::Layers(layers) => write!(f, "{} layers", layers.len()),
        }
    }
}
