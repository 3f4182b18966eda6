//! Parameter values as they are stored in a graph, and the layer list of a `Network` node.
//!
//! Values are plain data so that a graph serialises to readable JSON; what a value *may* be
//! is the catalogue's business (`catalogue::ParamKind`), checked by the compiler.

use serde::{Deserialize, Serialize};

/// One layer of a `Network` node. Input sizes are not stored: the compiler infers them from
/// whatever feeds the network, so a layer list stays valid when the dataset changes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "layer")]
pub enum LayerSpec {
    /// A fully connected layer, `y = x W + b`.
    Linear {
        out_features: usize,
    },
    #[serde(rename = "ReLU")]
    Relu,
    Tanh,
    Sigmoid,
}

impl LayerSpec {
    /// The layer's short name, as nodes display it.
    pub fn name(&self) -> &'static str {
        match self {
            LayerSpec::Linear { .. } => "Linear",
            LayerSpec::Relu => "ReLU",
            LayerSpec::Tanh => "Tanh",
            LayerSpec::Sigmoid => "Sigmoid",
        }
    }

    /// How many features come out of this layer when `in_features` go in.
    ///
    /// # Shapes
    /// `[batch, in_features]` → `[batch, out]`.
    pub fn out_features(&self, in_features: usize) -> usize {
        match self {
            LayerSpec::Linear { out_features } => *out_features,
            LayerSpec::Relu | LayerSpec::Tanh | LayerSpec::Sigmoid => in_features,
        }
    }
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
