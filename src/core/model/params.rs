//! Parameter values as they are stored in a graph, and the layers of a `Network` node with
//! their shapes (their text form: `layer_text`).
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
    /// A 2-D convolution over an image, as `nn.Conv2d(in, out_channels, kernel_size, …)`
    /// with its input channels inferred.
    Conv2d(Conv2dSpec),
    /// The largest value of each window, as `nn.MaxPool2d` (padding counts as −∞).
    MaxPool2d(Pool2dSpec),
    /// The mean of each window, as `nn.AvgPool2d` (padding counts as zeros:
    /// `count_include_pad=True`, PyTorch's default).
    AvgPool2d(Pool2dSpec),
    /// Normalises each channel of an image over the batch and its positions (ε = 1e-5), as
    /// `nn.BatchNorm2d(channels, momentum=momentum)`; running statistics as
    /// [`LayerSpec::BatchNorm`]'s.
    BatchNorm2d {
        momentum: f64,
    },
    /// Zeroes whole channels of an image with probability `p` while training (scaling the
    /// rest by `1 / (1 − p)`), as `nn.Dropout2d`; does nothing in evaluation.
    Dropout2d {
        p: f64,
    },
}

/// `nn.Conv2d`'s settings, square (one number for both sides of the kernel, stride, padding
/// and dilation). Its input channels are what reaches it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Conv2dSpec {
    pub out_channels: usize,
    pub kernel_size: usize,
    pub stride: usize,
    /// Zeros added on every side.
    pub padding: usize,
    /// The spacing between a kernel's taps.
    pub dilation: usize,
    /// Channel groups convolved apart: each output channel sees `in / groups` input channels.
    pub groups: usize,
    pub bias: bool,
}

impl Conv2dSpec {
    /// PyTorch's defaults for the rest: stride 1, no padding, dilation 1, one group, a bias.
    pub fn new(out_channels: usize, kernel_size: usize) -> Self {
        Self { out_channels, kernel_size, stride: 1, padding: 0, dilation: 1, groups: 1, bias: true }
    }
}

/// A pooling window's settings, square, as `nn.MaxPool2d` and `nn.AvgPool2d` take them.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pool2dSpec {
    pub kernel_size: usize,
    /// PyTorch's default is the kernel's size: windows side by side.
    pub stride: usize,
    /// Added on every side; at most half the kernel, as PyTorch requires.
    pub padding: usize,
}

impl Pool2dSpec {
    /// Windows of `kernel_size` side by side, no padding (PyTorch's defaults).
    pub fn new(kernel_size: usize) -> Self {
        Self { kernel_size, stride: kernel_size, padding: 0 }
    }
}

/// One side of a convolution's or a pool's output, as PyTorch computes it:
/// `⌊(size + 2·padding − dilation·(kernel − 1) − 1) / stride⌋ + 1`, or `None` below 1.
pub fn window_output_size(
    size: usize,
    kernel: usize,
    stride: usize,
    padding: usize,
    dilation: usize,
) -> Option<usize> {
    let reach = dilation.checked_mul(kernel.checked_sub(1)?)?.checked_add(1)?;
    let padded = size.checked_add(padding.checked_mul(2)?)?;
    let room = padded.checked_sub(reach)?;
    Some(room / stride.max(1) + 1)
}

/// An image's `[channels, height, width]` (the digits: `[1, 8, 8]`); `None` for any other
/// shape.
pub fn image_shape(shape: &[usize]) -> Option<[usize; 3]> {
    match *shape {
        [channels, height, width] => Some([channels, height, width]),
        _ => None,
    }
}

/// A greyscale image's `[rows, columns]`: a sample of one channel (`[1, 8, 8]`, the digits),
/// which the drawing pad, the mistakes and the first layer's weights show as a picture;
/// `None` for any other shape.
pub fn greyscale_image(shape: &[usize]) -> Option<[usize; 2]> {
    match *shape {
        [1, rows, columns] => Some([rows, columns]),
        _ => None,
    }
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
            LayerSpec::Conv2d(_) => "Conv2d",
            LayerSpec::MaxPool2d(_) => "MaxPool2d",
            LayerSpec::AvgPool2d(_) => "AvgPool2d",
            LayerSpec::BatchNorm2d { .. } => "BatchNorm2d",
            LayerSpec::Dropout2d { .. } => "Dropout2d",
        }
    }

    /// Whether the layer works on images (`[channels, height, width]`).
    pub fn is_image_layer(&self) -> bool {
        matches!(
            self,
            LayerSpec::Conv2d(_)
                | LayerSpec::MaxPool2d(_)
                | LayerSpec::AvgPool2d(_)
                | LayerSpec::BatchNorm2d { .. }
                | LayerSpec::Dropout2d { .. }
        )
    }

    /// The shape of one sample after this layer, given its shape before (both without the
    /// batch dimension).
    ///
    /// # Errors
    /// Why the layer cannot take that shape, for the user: Linear and the norms work on a
    /// flat list of features, so an image must be flattened first; the image layers take an
    /// image (a sample of two dimensions is one channel), within which their windows fit.
    ///
    /// # Shapes
    /// `[batch, ..in_shape]` → `[batch, ..out_shape]`.
    pub fn output_shape(&self, in_shape: &[usize]) -> Result<Vec<usize>, String> {
        let flat = |layer: &str| match in_shape {
            [_] => Ok(()),
            _ => Err(text!("graph-layer-needs-flat-input", layer = layer, shape = shape_text(in_shape))),
        };
        let image = |layer: &str| {
            image_shape(in_shape)
                .ok_or_else(|| text!("graph-layer-needs-image", layer = layer, shape = shape_text(in_shape)))
        };
        let windows = |layer: &str, height, width, kernel, stride, padding, dilation| {
            let side = |size| window_output_size(size, kernel, stride, padding, dilation);
            match (side(height), side(width)) {
                (Some(rows), Some(columns)) => Ok((rows, columns)),
                _ => Err(text!(
                    "graph-layer-window-too-large",
                    layer = layer,
                    height = height,
                    width = width,
                    reach = dilation * kernel.saturating_sub(1) + 1,
                    padding = padding,
                )),
            }
        };
        match self {
            LayerSpec::Linear { out_features } => flat("Linear").map(|()| vec![*out_features]),
            LayerSpec::LayerNorm => flat("LayerNorm").map(|()| in_shape.to_vec()),
            LayerSpec::BatchNorm { .. } => flat("BatchNorm1d").map(|()| in_shape.to_vec()),
            LayerSpec::Flatten => Ok(vec![in_shape.iter().product()]),
            LayerSpec::Conv2d(conv) => {
                let [channels, height, width] = image(self.name())?;
                if channels % conv.groups.max(1) != 0 || conv.out_channels % conv.groups.max(1) != 0 {
                    return Err(text!(
                        "graph-layer-conv-groups",
                        groups = conv.groups,
                        in_channels = channels,
                        out_channels = conv.out_channels,
                    ));
                }
                let (rows, columns) = windows(
                    self.name(),
                    height,
                    width,
                    conv.kernel_size,
                    conv.stride,
                    conv.padding,
                    conv.dilation,
                )?;
                Ok(vec![conv.out_channels, rows, columns])
            }
            LayerSpec::MaxPool2d(pool) | LayerSpec::AvgPool2d(pool) => {
                let [channels, height, width] = image(self.name())?;
                if pool.padding.saturating_mul(2) > pool.kernel_size {
                    return Err(text!(
                        "graph-layer-pool-padding",
                        layer = self.name(),
                        padding = pool.padding,
                        kernel = pool.kernel_size,
                    ));
                }
                let (rows, columns) =
                    windows(self.name(), height, width, pool.kernel_size, pool.stride, pool.padding, 1)?;
                Ok(vec![channels, rows, columns])
            }
            LayerSpec::BatchNorm2d { .. } | LayerSpec::Dropout2d { .. } => Ok(image(self.name())?.to_vec()),
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
    fn image_layers_compute_pytorchs_output_sizes() {
        let shape = |layer: LayerSpec, input: &[usize]| layer.output_shape(input);
        // The digits, [1, 8, 8], are one channel.
        assert_eq!(shape(LayerSpec::Conv2d(Conv2dSpec::new(4, 3)), &[1, 8, 8]), Ok(vec![4, 6, 6]));
        let padded = Conv2dSpec { padding: 1, ..Conv2dSpec::new(4, 3) };
        assert_eq!(shape(LayerSpec::Conv2d(padded), &[3, 8, 8]), Ok(vec![4, 8, 8]));
        // ⌊(7 + 2·1 − 2·(3 − 1) − 1) / 2⌋ + 1 = 3
        let strided = Conv2dSpec { stride: 2, padding: 1, dilation: 2, ..Conv2dSpec::new(6, 3) };
        assert_eq!(shape(LayerSpec::Conv2d(strided), &[2, 7, 9]), Ok(vec![6, 3, 4]));
        assert_eq!(shape(LayerSpec::MaxPool2d(Pool2dSpec::new(2)), &[4, 7, 6]), Ok(vec![4, 3, 3]));
        let overlapping = Pool2dSpec { kernel_size: 3, stride: 2, padding: 1 };
        assert_eq!(shape(LayerSpec::AvgPool2d(overlapping), &[1, 5, 5]), Ok(vec![1, 3, 3]));
        assert_eq!(shape(LayerSpec::BatchNorm2d { momentum: 0.1 }, &[1, 8, 8]), Ok(vec![1, 8, 8]));
        assert_eq!(shape(LayerSpec::Dropout2d { p: 0.1 }, &[3, 4, 4]), Ok(vec![3, 4, 4]));
        assert_eq!(shape(LayerSpec::Relu, &[3, 4, 4]), Ok(vec![3, 4, 4]));
        assert_eq!(shape(LayerSpec::Flatten, &[3, 4, 4]), Ok(vec![48]));
    }

    #[test]
    fn impossible_image_layers_name_the_fix() {
        let error = |layer: LayerSpec, input: &[usize]| layer.output_shape(input).unwrap_err();
        let conv = LayerSpec::Conv2d(Conv2dSpec::new(4, 3));
        assert!(error(conv, &[2]).contains("Conv2d takes an image"), "{}", error(conv, &[2]));
        assert!(error(conv, &[2]).contains("[2]"));
        assert!(error(LayerSpec::MaxPool2d(Pool2dSpec::new(2)), &[64]).contains("MaxPool2d takes an image"));
        let large = error(LayerSpec::Conv2d(Conv2dSpec::new(4, 9)), &[1, 8, 8]);
        assert!(
            large.contains("spans 9 pixels")
                && large.contains("8×8")
                && large.contains("smaller kernel_size"),
            "{large}"
        );
        let dilated = Conv2dSpec { dilation: 4, ..Conv2dSpec::new(4, 3) };
        assert!(error(LayerSpec::Conv2d(dilated), &[1, 8, 8]).contains("spans 9 pixels"));
        let grouped = Conv2dSpec { groups: 2, ..Conv2dSpec::new(4, 3) };
        let groups = error(LayerSpec::Conv2d(grouped), &[3, 8, 8]);
        assert!(groups.contains("groups (2) must divide both its 3 input channels"), "{groups}");
        assert_eq!(LayerSpec::Conv2d(grouped).output_shape(&[6, 8, 8]), Ok(vec![4, 6, 6]));
        let too_odd = Conv2dSpec { groups: 2, ..Conv2dSpec::new(3, 3) };
        assert!(error(LayerSpec::Conv2d(too_odd), &[4, 8, 8]).contains("3 output channels"));
        let padding =
            error(LayerSpec::MaxPool2d(Pool2dSpec { kernel_size: 2, stride: 2, padding: 2 }), &[1, 8, 8]);
        assert!(padding.contains("at most half its kernel_size (2)"), "{padding}");
        // After an image, a Linear still asks for a Flatten.
        let linear = error(LayerSpec::Linear { out_features: 3 }, &[4, 6, 6]);
        assert!(linear.contains("put a Flatten layer before it"), "{linear}");
        // An image of two dimensions is not one: images carry their channels.
        assert!(error(conv, &[8, 8]).contains("Conv2d takes an image"));
    }
}
