//! Parameter values as they are stored in a graph, and the layer list of a `Network` node.
//!
//! Values are plain data so that a graph serialises to readable JSON; what a value *may* be
//! is the catalogue's business (`catalogue::ParamKind`), checked by the compiler.

/// One layer of a `Network` node. Input sizes are not stored: the compiler infers them from
/// whatever feeds the network, so a layer list stays valid when the dataset changes.
///
/// Serialised as `{"layer": "Linear", "out_features": 16}` in JSON, tagged by position in
/// links (see `value_format`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum LayerSpec {
    /// A fully connected layer, `y = x W + b`, over the last dimension.
    Linear {
        out_features: usize,
    },
    Relu,
    /// `x` where positive, `negative_slope · x` elsewhere.
    LeakyRelu {
        negative_slope: f64,
    },
    Tanh,
    Sigmoid,
    /// The Gaussian error linear unit, exact (erf) form as PyTorch's default.
    Gelu,
    /// Zeroes each value with probability `p` while training (scaling the rest by
    /// `1 / (1 − p)`); does nothing in evaluation.
    Dropout {
        p: f64,
    },
    /// Normalises each sample over its features (ε = 1e-5), then scales and shifts them by
    /// learned weights, as `nn.LayerNorm(features)`.
    LayerNorm,
    /// Normalises each feature over the batch (ε = 1e-5), then scales and shifts it by
    /// learned weights, as `nn.BatchNorm1d(features, momentum=momentum)`: while training by
    /// the batch's mean and (biased) variance, keeping running statistics (`momentum` of
    /// each batch's mean and unbiased variance); in evaluation by those running statistics.
    BatchNorm {
        momentum: f64,
    },
    /// Folds every dimension after the batch into one, e.g. an 8×8 image into 64 features.
    Flatten,
    /// `x` where positive, `alpha · (eˣ − 1)` elsewhere: smooth below zero, never dead.
    Elu {
        alpha: f64,
    },
    /// The sigmoid linear unit (swish), `x · σ(x)`.
    Silu,
    /// `x · tanh(softplus(x))`.
    Mish,
    /// `log(1 + e^(beta·x)) / beta`, a smooth ReLU; linear where `beta · x > 20`, as PyTorch.
    Softplus {
        beta: f64,
    },
}

/// PyTorch's default `alpha` of `nn.ELU`.
pub const ELU_ALPHA: f64 = 1.0;
/// PyTorch's default `beta` of `nn.Softplus`.
pub const SOFTPLUS_BETA: f64 = 1.0;

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
            LayerSpec::BatchNorm { .. } => "BatchNorm1d",
            LayerSpec::Flatten => "Flatten",
            LayerSpec::Elu { .. } => "ELU",
            LayerSpec::Silu => "SiLU",
            LayerSpec::Mish => "Mish",
            LayerSpec::Softplus { .. } => "Softplus",
        }
    }

    /// The shape of one sample after this layer, given its shape before (both without the
    /// batch dimension).
    ///
    /// # Errors
    /// Why the layer cannot take that shape, for the user: Linear and the norms work on a
    /// flat list of features, so an image must be flattened first.
    ///
    /// # Shapes
    /// `[batch, ..in_shape]` → `[batch, ..out_shape]`.
    pub fn output_shape(&self, in_shape: &[usize]) -> Result<Vec<usize>, String> {
        let flat = |layer: &str| match in_shape {
            [_] => Ok(()),
            _ => Err(text!("graph-layer-needs-flat-input", layer = layer, shape = shape_text(in_shape))),
        };
        match self {
            LayerSpec::Linear { out_features } => flat("Linear").map(|()| vec![*out_features]),
            LayerSpec::LayerNorm => flat("LayerNorm").map(|()| in_shape.to_vec()),
            LayerSpec::BatchNorm { .. } => flat("BatchNorm1d").map(|()| in_shape.to_vec()),
            LayerSpec::Flatten => Ok(vec![in_shape.iter().product()]),
            LayerSpec::Relu
            | LayerSpec::LeakyRelu { .. }
            | LayerSpec::Tanh
            | LayerSpec::Sigmoid
            | LayerSpec::Gelu
            | LayerSpec::Elu { .. }
            | LayerSpec::Silu
            | LayerSpec::Mish
            | LayerSpec::Softplus { .. }
            | LayerSpec::Dropout { .. } => Ok(in_shape.to_vec()),
        }
    }
}

/// PyTorch's default `momentum` of `nn.BatchNorm1d`: how much of each batch's statistics
/// the running ones take.
pub const BATCH_NORM_MOMENTUM: f64 = 0.1;

/// A layer list as the inspector writes it: `Linear(16), ReLU, Dropout(0.1)`.
pub fn layers_text(layers: &[LayerSpec]) -> String {
    let layer = |layer: &LayerSpec| match *layer {
        LayerSpec::Linear { out_features } => format!("Linear({out_features})"),
        LayerSpec::LeakyRelu { negative_slope } => format!("LeakyReLU({negative_slope})"),
        LayerSpec::Dropout { p } => format!("Dropout({p})"),
        LayerSpec::BatchNorm { momentum } if momentum == BATCH_NORM_MOMENTUM => "BatchNorm1d".to_owned(),
        LayerSpec::BatchNorm { momentum } => format!("BatchNorm1d({momentum})"),
        LayerSpec::Elu { alpha } if alpha == ELU_ALPHA => "ELU".to_owned(),
        LayerSpec::Elu { alpha } => format!("ELU({alpha})"),
        LayerSpec::Softplus { beta } if beta == SOFTPLUS_BETA => "Softplus".to_owned(),
        LayerSpec::Softplus { beta } => format!("Softplus({beta})"),
        other => other.name().to_owned(),
    };
    layers.iter().map(layer).collect::<Vec<_>>().join(", ")
}

/// Reads a layer list written as [`layers_text`] writes it (names in any case; commas or
/// spaces between layers).
///
/// # Errors
/// What is wrong with which layer, for the user.
pub fn parse_layers(text: &str) -> Result<Vec<LayerSpec>, String> {
    let mut layers = Vec::new();
    let mut rest = text.trim();
    while !rest.is_empty() {
        let end = rest.find([',', ' ', '(']).unwrap_or(rest.len());
        let (name, after) = rest.split_at(end);
        let (argument, after) = match after.strip_prefix('(') {
            Some(inner) => {
                let close = inner.find(')').ok_or_else(|| text!("graph-layer-unclosed", layer = name))?;
                (Some(inner[..close].trim()), &inner[close + 1..])
            }
            None => (None, after),
        };
        // `what`: which setting, as the messages name it (output-size, slope, …).
        let number = |what: &str| -> Result<f64, String> {
            let argument =
                argument.ok_or_else(|| text!("graph-layer-needs-setting", layer = name, what = what))?;
            argument.parse::<f64>().map_err(|_| {
                text!("graph-layer-setting-not-a-number", layer = name, what = what, value = argument)
            })
        };
        let layer = match name.to_ascii_lowercase().as_str() {
            "linear" => {
                let width = number("output-size")?;
                if width.fract() != 0.0 || width < 1.0 {
                    return Err(text!("graph-layer-linear-width", width = width.to_string()));
                }
                LayerSpec::Linear { out_features: width as usize }
            }
            "relu" => LayerSpec::Relu,
            "leakyrelu" => {
                LayerSpec::LeakyRelu { negative_slope: argument.map_or(Ok(0.01), |_| number("slope"))? }
            }
            "tanh" => LayerSpec::Tanh,
            "sigmoid" => LayerSpec::Sigmoid,
            "gelu" => LayerSpec::Gelu,
            "dropout" => LayerSpec::Dropout { p: argument.map_or(Ok(0.5), |_| number("probability"))? },
            "layernorm" => LayerSpec::LayerNorm,
            "batchnorm1d" | "batchnorm" => LayerSpec::BatchNorm {
                momentum: argument.map_or(Ok(BATCH_NORM_MOMENTUM), |_| number("momentum"))?,
            },
            "flatten" => LayerSpec::Flatten,
            "elu" => LayerSpec::Elu { alpha: argument.map_or(Ok(ELU_ALPHA), |_| number("alpha"))? },
            "silu" | "swish" => LayerSpec::Silu,
            "mish" => LayerSpec::Mish,
            "softplus" => {
                LayerSpec::Softplus { beta: argument.map_or(Ok(SOFTPLUS_BETA), |_| number("beta"))? }
            }
            _ => {
                return Err(text!("graph-layer-unknown", layer = name));
            }
        };
        layers.push(layer);
        rest = after.trim_start_matches([',', ' ']);
    }
    Ok(layers)
}

/// A sample shape as people write it: `[8, 8]`.
pub fn shape_text(shape: &[usize]) -> String {
    let dims: Vec<String> = shape.iter().map(usize::to_string).collect();
    format!("[{}]", dims.join(", "))
}

/// The value of one node parameter.
///
/// Serialised untagged in JSON, so a graph's file reads `"learning_rate": 0.03`, not an enum
/// wrapper; tagged in links (see `value_format`). Integers written where a float is expected
/// are accepted (see [`ParamValue::as_f64`]).
#[derive(Clone, Debug, PartialEq)]
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
            ParamValue::Floats(values) if values.is_empty() => f.write_str(&text!("graph-value-none")),
            ParamValue::Floats(values) => {
                let shown: Vec<String> = values.iter().map(f64::to_string).collect();
                write!(f, "[{}]", shown.join(", "))
            }
            ParamValue::Layers(layers) => f.write_str(&text!("graph-value-layers", count = layers.len())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn layer_lists_round_trip_through_text() {
        let layers = vec![
            LayerSpec::Flatten,
            LayerSpec::Linear { out_features: 16 },
            LayerSpec::LeakyRelu { negative_slope: 0.2 },
            LayerSpec::Dropout { p: 0.1 },
            LayerSpec::LayerNorm,
            LayerSpec::BatchNorm { momentum: 0.1 },
            LayerSpec::BatchNorm { momentum: 0.3 },
            LayerSpec::Gelu,
            LayerSpec::Elu { alpha: 1.0 },
            LayerSpec::Elu { alpha: 0.5 },
            LayerSpec::Silu,
            LayerSpec::Mish,
            LayerSpec::Softplus { beta: 1.0 },
            LayerSpec::Softplus { beta: 2.0 },
            LayerSpec::Linear { out_features: 2 },
        ];
        assert_eq!(layers_text(&layers[8..14]), "ELU, ELU(0.5), SiLU, Mish, Softplus, Softplus(2)");
        assert_eq!(layers_text(&layers[5..7]), "BatchNorm1d, BatchNorm1d(0.3)");
        assert_eq!(parse_layers("batchnorm"), Ok(vec![LayerSpec::BatchNorm { momentum: 0.1 }]));
        assert_eq!(parse_layers(&layers_text(&layers)), Ok(layers));
        assert_eq!(
            parse_layers("linear(4) relu  Tanh,sigmoid"),
            Ok(vec![
                LayerSpec::Linear { out_features: 4 },
                LayerSpec::Relu,
                LayerSpec::Tanh,
                LayerSpec::Sigmoid
            ])
        );
    }

    #[test]
    fn bad_layer_text_says_what_is_wrong() {
        assert!(parse_layers("Linear").unwrap_err().contains("needs its output size"));
        assert!(parse_layers("Linear(2.5)").unwrap_err().contains("whole number"));
        assert!(parse_layers("Conv(3)").unwrap_err().contains("unknown layer `Conv`"));
        assert!(parse_layers("Dropout(0.1").unwrap_err().contains("closing parenthesis"));
    }
}
