//! A `Network` node's layer list as people write it in the inspector and read it on nodes:
//! `Conv2d(8, 3, padding=1), ReLU, MaxPool2d(2), Flatten, Linear(10)` — PyTorch's names and
//! argument order, written and read back.

use crate::core::model::params::{
    BATCH_NORM_MOMENTUM, Conv2dSpec, ELU_ALPHA, LayerSpec, Pool2dSpec, SOFTPLUS_BETA,
};

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
        LayerSpec::Conv2d(conv) => {
            let defaults = Conv2dSpec::new(conv.out_channels, conv.kernel_size);
            let mut text = format!("Conv2d({}, {}", conv.out_channels, conv.kernel_size);
            for (name, value, default) in [
                ("stride", conv.stride, defaults.stride),
                ("padding", conv.padding, defaults.padding),
                ("dilation", conv.dilation, defaults.dilation),
                ("groups", conv.groups, defaults.groups),
            ] {
                if value != default {
                    text.push_str(&format!(", {name}={value}"));
                }
            }
            if !conv.bias {
                text.push_str(", bias=false");
            }
            text + ")"
        }
        LayerSpec::MaxPool2d(pool) | LayerSpec::AvgPool2d(pool) => {
            let mut text = format!("{}({}", layer.name(), pool.kernel_size);
            if pool.stride != pool.kernel_size {
                text.push_str(&format!(", stride={}", pool.stride));
            }
            if pool.padding != 0 {
                text.push_str(&format!(", padding={}", pool.padding));
            }
            text + ")"
        }
        LayerSpec::BatchNorm2d { momentum } if momentum == BATCH_NORM_MOMENTUM => "BatchNorm2d".to_owned(),
        LayerSpec::BatchNorm2d { momentum } => format!("BatchNorm2d({momentum})"),
        LayerSpec::Dropout2d { p } => format!("Dropout2d({p})"),
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
            "conv2d" => {
                let settings = WindowSettings::read(
                    name,
                    argument,
                    &["out_channels", "kernel_size", "stride", "padding", "dilation", "groups", "bias"],
                    "Conv2d(16, 3, padding=1)",
                )?;
                let mut conv =
                    Conv2dSpec::new(settings.whole("out_channels", 1)?, settings.whole("kernel_size", 1)?);
                conv.stride = settings.whole_or("stride", 1, conv.stride)?;
                conv.padding = settings.whole_or("padding", 0, conv.padding)?;
                conv.dilation = settings.whole_or("dilation", 1, conv.dilation)?;
                conv.groups = settings.whole_or("groups", 1, conv.groups)?;
                conv.bias = settings.boolean_or("bias", conv.bias)?;
                LayerSpec::Conv2d(conv)
            }
            "maxpool2d" | "avgpool2d" => {
                let settings = WindowSettings::read(
                    name,
                    argument,
                    &["kernel_size", "stride", "padding"],
                    "MaxPool2d(2)",
                )?;
                let mut pool = Pool2dSpec::new(settings.whole("kernel_size", 1)?);
                pool.stride = settings.whole_or("stride", 1, pool.stride)?;
                pool.padding = settings.whole_or("padding", 0, pool.padding)?;
                if name.eq_ignore_ascii_case("maxpool2d") {
                    LayerSpec::MaxPool2d(pool)
                } else {
                    LayerSpec::AvgPool2d(pool)
                }
            }
            "batchnorm2d" => LayerSpec::BatchNorm2d {
                momentum: argument.map_or(Ok(BATCH_NORM_MOMENTUM), |_| number("momentum"))?,
            },
            "dropout2d" => LayerSpec::Dropout2d { p: argument.map_or(Ok(0.5), |_| number("probability"))? },
            _ => {
                return Err(text!("graph-layer-unknown", layer = name));
            }
        };
        layers.push(layer);
        rest = after.trim_start_matches([',', ' ']);
    }
    Ok(layers)
}

/// The settings written in an image layer's parentheses: `16, 3, padding=1` — the first
/// ones in order, then any by name, as in PyTorch.
struct WindowSettings<'a> {
    layer: &'a str,
    /// `(name, value)` as written.
    given: Vec<(&'a str, &'a str)>,
    example: &'static str,
}

impl<'a> WindowSettings<'a> {
    /// Reads `argument` for `layer`, whose settings are `names` in PyTorch's order.
    fn read(
        layer: &'a str,
        argument: Option<&'a str>,
        names: &[&'a str],
        example: &'static str,
    ) -> Result<Self, String> {
        let mut given = Vec::new();
        for (index, part) in argument.unwrap_or("").split(',').map(str::trim).enumerate() {
            if part.is_empty() {
                continue;
            }
            let (name, value) = match part.split_once('=') {
                Some((name, value)) => (name.trim(), value.trim()),
                None => (*names.get(index).unwrap_or(&""), part),
            };
            if !names.contains(&name) || given.iter().any(|(seen, _)| *seen == name) {
                return Err(text!(
                    "graph-layer-setting-unknown",
                    layer = layer,
                    setting = if name.is_empty() { part } else { name },
                    settings = names.join(", "),
                ));
            }
            given.push((name, value));
        }
        Ok(Self { layer, given, example })
    }

    fn value(&self, name: &str) -> Option<&'a str> {
        self.given.iter().find(|(given, _)| *given == name).map(|(_, value)| *value)
    }

    /// The whole number `name` (at least `least`), which must be given.
    fn whole(&self, name: &str, least: usize) -> Result<usize, String> {
        match self.value(name) {
            Some(_) => self.whole_or(name, least, least),
            None => Err(text!(
                "graph-layer-needs-named-setting",
                layer = self.layer,
                setting = name,
                example = self.example,
            )),
        }
    }

    /// The whole number `name` (at least `least`), or `default` where it is not given.
    fn whole_or(&self, name: &str, least: usize, default: usize) -> Result<usize, String> {
        let Some(value) = self.value(name) else { return Ok(default) };
        value.parse::<usize>().ok().filter(|number| *number >= least).ok_or_else(|| {
            text!(
                "graph-layer-setting-whole",
                layer = self.layer,
                setting = name,
                least = least,
                value = value
            )
        })
    }

    /// `true` or `false` (in any case, as Python writes them too), or `default`.
    fn boolean_or(&self, name: &str, default: bool) -> Result<bool, String> {
        match self.value(name).map(str::to_ascii_lowercase).as_deref() {
            None => Ok(default),
            Some("true") => Ok(true),
            Some("false") => Ok(false),
            Some(_) => Err(text!(
                "graph-layer-setting-boolean",
                layer = self.layer,
                setting = name,
                value = self.value(name).unwrap_or_default(),
            )),
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
    fn image_layers_round_trip_through_text_with_pytorchs_defaults() {
        let mut conv = Conv2dSpec::new(8, 3);
        conv.stride = 2;
        conv.padding = 1;
        conv.dilation = 2;
        conv.groups = 2;
        conv.bias = false;
        let layers = vec![
            LayerSpec::Conv2d(Conv2dSpec::new(16, 3)),
            LayerSpec::Conv2d(conv),
            LayerSpec::MaxPool2d(Pool2dSpec::new(2)),
            LayerSpec::AvgPool2d(Pool2dSpec { kernel_size: 3, stride: 1, padding: 1 }),
            LayerSpec::BatchNorm2d { momentum: 0.1 },
            LayerSpec::BatchNorm2d { momentum: 0.3 },
            LayerSpec::Dropout2d { p: 0.2 },
        ];
        assert_eq!(
            layers_text(&layers),
            "Conv2d(16, 3), Conv2d(8, 3, stride=2, padding=1, dilation=2, groups=2, bias=false), MaxPool2d(2), \
             AvgPool2d(3, stride=1, padding=1), BatchNorm2d, BatchNorm2d(0.3), Dropout2d(0.2)"
        );
        assert_eq!(parse_layers(&layers_text(&layers)), Ok(layers));
        assert_eq!(
            parse_layers("conv2d(4, kernel_size=5, bias=False) maxpool2d(kernel_size=3, stride=2)"),
            Ok(vec![
                LayerSpec::Conv2d(Conv2dSpec { bias: false, ..Conv2dSpec::new(4, 5) }),
                LayerSpec::MaxPool2d(Pool2dSpec { kernel_size: 3, stride: 2, padding: 0 }),
            ])
        );
        assert_eq!(parse_layers("Dropout2d"), Ok(vec![LayerSpec::Dropout2d { p: 0.5 }]));
    }

    #[test]
    fn bad_image_layer_text_says_what_is_wrong() {
        assert!(parse_layers("Conv2d(16)").unwrap_err().contains("needs its kernel_size"));
        assert!(parse_layers("Conv2d").unwrap_err().contains("needs its out_channels"));
        assert!(parse_layers("Conv2d(16, 3, strde=2)").unwrap_err().contains("no setting `strde`"));
        assert!(parse_layers("Conv2d(16, 3, 1, 0, 1, 1, true, 9)").unwrap_err().contains("no setting `9`"));
        assert!(
            parse_layers("Conv2d(16, 0)").unwrap_err().contains("kernel_size must be a whole number ≥ 1")
        );
        assert!(parse_layers("MaxPool2d(2, stride=1.5)").unwrap_err().contains("not `1.5`"));
        assert!(parse_layers("Conv2d(4, 3, bias=maybe)").unwrap_err().contains("true or false"));
        assert!(parse_layers("MaxPool2d(2, stride=1, stride=2)").unwrap_err().contains("given twice"));
    }

    #[test]
    fn bad_layer_text_says_what_is_wrong() {
        assert!(parse_layers("Linear").unwrap_err().contains("needs its output size"));
        assert!(parse_layers("Linear(2.5)").unwrap_err().contains("whole number"));
        assert!(parse_layers("Conv(3)").unwrap_err().contains("unknown layer `Conv`"));
        assert!(parse_layers("Dropout(0.1").unwrap_err().contains("closing parenthesis"));
    }
}
