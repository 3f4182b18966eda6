//! A parameter of a node kind: what values it accepts, its default, and how a value is
//! checked against it.

use crate::core::model::file_ref::{FileRef, MAX_COLUMN_NAME, MAX_COLUMNS};
use crate::core::model::limits::{MAX_LIST, MAX_NAME};
use crate::core::model::number_text::exact;
use crate::core::model::params::{LayerSpec, ParamValue};

/// What values a parameter accepts.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum ParamKind {
    /// A finite float in `min..=max`.
    Float {
        min: f64,
        max: f64,
    },
    /// A whole number in `min..=max`.
    Int {
        min: i64,
        max: i64,
    },
    Bool,
    /// One of a fixed list of names.
    Choice(&'static [&'static str]),
    /// A list of finite numbers, each in `min..=max`; may be empty.
    FloatList {
        min: f64,
        max: f64,
    },
    /// A list of network layers.
    Layers,
    /// A file the node reads (`file_ref::FileRef`'s text; empty: none yet).
    File,
    /// A column of the node's file, by name (empty: none yet).
    Column,
    /// Columns of the node's file, by name, separated by commas (empty: all but the target).
    Columns,
}

/// A parameter's default, as static data.
#[derive(Clone, Copy, Debug)]
pub enum ParamDefault {
    Float(f64),
    Int(i64),
    Bool(bool),
    Choice(&'static str),
    /// An empty list of numbers.
    NoFloats,
    /// Text: a file or columns.
    Text(&'static str),
    Layers(&'static [LayerSpec]),
}

impl ParamDefault {
    pub fn value(&self) -> ParamValue {
        match self {
            ParamDefault::Float(value) => ParamValue::Float(*value),
            ParamDefault::Int(value) => ParamValue::Int(*value),
            ParamDefault::Bool(value) => ParamValue::Bool(*value),
            ParamDefault::Choice(value) => ParamValue::Text((*value).to_owned()),
            ParamDefault::NoFloats => ParamValue::Floats(Vec::new()),
            ParamDefault::Text(text) => ParamValue::Text((*text).to_owned()),
            ParamDefault::Layers(layers) => ParamValue::Layers(layers.to_vec()),
        }
    }
}

/// One parameter of a node. What it sets is words, in `text/en/catalogue.ftl`
/// (`NodeSpec::param_help`).
#[derive(Clone, Copy, Debug)]
pub struct ParamSpec {
    pub name: &'static str,
    /// How a node's summary names it when zoomed out (`lr` for `learning_rate`); its name
    /// unless shorter words say it.
    pub label: &'static str,
    pub kind: ParamKind,
    pub default: ParamDefault,
}

impl ParamSpec {
    /// This parameter, named `label` in a node's summary.
    pub(super) const fn labelled(self, label: &'static str) -> Self {
        Self { label, ..self }
    }

    /// Whether `value` is a choice this parameter no longer offers ([`WITHDRAWN_CHOICES`]):
    /// a graph saved with it still opens, and validation says why it cannot train.
    pub fn is_withdrawn(&self, value: &ParamValue) -> bool {
        matches!(self.kind, ParamKind::Choice(_))
            && value.as_text().is_some_and(|text| {
                WITHDRAWN_CHOICES.iter().any(|(param, name, _)| *param == self.name && *name == text)
            })
    }

    /// Checks `value` as readers of stored graphs do: [`Self::check`], but a withdrawn choice
    /// passes (the graph opens; its node then shows why it cannot train).
    ///
    /// # Errors
    /// As [`Self::check`].
    pub fn check_stored(&self, value: &ParamValue) -> Result<(), String> {
        if self.is_withdrawn(value) { Ok(()) } else { self.check(value) }
    }

    /// Checks `value` against this parameter's type and range.
    ///
    /// # Errors
    /// A sentence saying what is wrong and what is allowed, for the user.
    pub fn check(&self, value: &ParamValue) -> Result<(), String> {
        // Lengths first: a value is echoed in the messages below.
        let max_text = match self.kind {
            ParamKind::File => 64 + 1 + 20 + 1 + 4 * 2 * MAX_COLUMN_NAME,
            ParamKind::Column => 4 * MAX_COLUMN_NAME,
            ParamKind::Columns => MAX_COLUMNS * (4 * MAX_COLUMN_NAME + 2),
            _ => MAX_NAME,
        };
        match value {
            ParamValue::Text(text) if text.len() > max_text => {
                return Err(format!("is {} bytes long; at most {max_text} are allowed", text.len()));
            }
            ParamValue::Floats(values) if values.len() > MAX_LIST => {
                return Err(text!("param-too-many-entries", count = values.len(), max = MAX_LIST));
            }
            ParamValue::Layers(layers) if layers.len() > MAX_LIST => {
                return Err(text!("param-too-many-layers", count = layers.len(), max = MAX_LIST));
            }
            _ => {}
        }
        match &self.kind {
            ParamKind::Float { min, max } => match value.as_f64() {
                Some(number) if !number.is_finite() => {
                    Err(text!("param-not-finite", number = number.to_string()))
                }
                Some(number) if number < *min || number > *max => Err(text!(
                    "param-outside",
                    number = exact(number),
                    min = min.to_string(),
                    max = max.to_string()
                )),
                Some(_) => Ok(()),
                None => Err(text!("param-not-a-number", value = value.to_string())),
            },
            ParamKind::Int { min, max } => match value.as_i64() {
                Some(number) if number < *min || number > *max => Err(text!(
                    "param-outside",
                    number = number.to_string(),
                    min = min.to_string(),
                    max = max.to_string()
                )),
                Some(_) => Ok(()),
                None => Err(text!("param-not-a-whole-number", value = value.to_string())),
            },
            ParamKind::Bool => match value {
                ParamValue::Bool(_) => Ok(()),
                _ => Err(text!("param-not-a-bool", value = value.to_string())),
            },
            ParamKind::Choice(choices) => match value.as_text() {
                Some(text) if choices.contains(&text) => Ok(()),
                Some(text)
                    if let Some((.., reason)) = WITHDRAWN_CHOICES
                        .iter()
                        .find(|(param, name, _)| *param == self.name && *name == text) =>
                {
                    Err((*reason).to_owned())
                }
                _ => {
                    Err(text!("param-not-a-choice", choices = choices.join(", "), value = value.to_string()))
                }
            },
            ParamKind::FloatList { min, max } => match value.as_floats() {
                Some(values) => values.iter().try_for_each(|&number| {
                    if !number.is_finite() {
                        Err(text!("param-not-finite", number = number.to_string()))
                    } else if number < *min || number > *max {
                        Err(text!(
                            "param-outside",
                            number = exact(number),
                            min = min.to_string(),
                            max = max.to_string()
                        ))
                    } else {
                        Ok(())
                    }
                }),
                None => Err(text!("param-not-numbers", value = value.to_string())),
            },
            ParamKind::File => match value.as_text() {
                Some(text) if text.is_empty() || FileRef::from_param(text).is_some() => Ok(()),
                _ => Err(text!("param-not-a-file", value = value.to_string())),
            },
            ParamKind::Column | ParamKind::Columns => match value.as_text() {
                Some(text) if self.kind == ParamKind::Column && text.contains(',') => {
                    Err(text!("param-column-comma"))
                }
                Some(text) if text.chars().any(char::is_control) => Err(text!("param-column-control")),
                Some(_) => Ok(()),
                None => Err(text!("param-not-columns", value = value.to_string())),
            },
            ParamKind::Layers => match value.as_layers() {
                Some([]) => Err(text!("param-no-layer")),
                Some(layers) => layers.iter().try_for_each(|layer| match *layer {
                    LayerSpec::Linear { out_features } if !(1..=MAX_LAYER_WIDTH).contains(&out_features) => {
                        Err(text!("param-linear-width", value = out_features, max = MAX_LAYER_WIDTH))
                    }
                    LayerSpec::LeakyRelu { negative_slope } if !(0.0..=1.0).contains(&negative_slope) => {
                        Err(text!("param-leaky-slope", value = negative_slope.to_string()))
                    }
                    LayerSpec::Dropout { p } if !(0.0..1.0).contains(&p) => {
                        Err(text!("param-dropout-p", value = p.to_string()))
                    }
                    LayerSpec::BatchNorm { momentum } if !(0.0..=1.0).contains(&momentum) => {
                        Err(text!("param-batch-norm-momentum", value = momentum.to_string()))
                    }
                    LayerSpec::Elu { alpha } if !(alpha > 0.0 && alpha <= MAX_ACTIVATION_SCALE) => {
                        Err(text!(
                            "param-elu-alpha",
                            value = exact(alpha),
                            max = MAX_ACTIVATION_SCALE.to_string()
                        ))
                    }
                    LayerSpec::Softplus { beta } if !(beta > 0.0 && beta <= MAX_ACTIVATION_SCALE) => {
                        Err(text!(
                            "param-softplus-beta",
                            value = exact(beta),
                            max = MAX_ACTIVATION_SCALE.to_string()
                        ))
                    }
                    LayerSpec::Dropout2d { p } if !(0.0..1.0).contains(&p) => {
                        Err(text!("param-dropout2d-p", value = p.to_string()))
                    }
                    LayerSpec::BatchNorm2d { momentum } if !(0.0..=1.0).contains(&momentum) => {
                        Err(text!("param-batch-norm2d-momentum", value = momentum.to_string()))
                    }
                    LayerSpec::Conv2d(conv) => {
                        let within = |name: &str, value: usize, range: std::ops::RangeInclusive<usize>| {
                            if range.contains(&value) {
                                Ok(())
                            } else {
                                Err(text!(
                                    "param-window-outside",
                                    layer = "Conv2d",
                                    field = name,
                                    value = value,
                                    min = *range.start(),
                                    max = *range.end()
                                ))
                            }
                        };
                        within("out_channels", conv.out_channels, 1..=MAX_LAYER_WIDTH)?;
                        within("kernel_size", conv.kernel_size, 1..=MAX_WINDOW)?;
                        within("stride", conv.stride, 1..=MAX_WINDOW)?;
                        within("padding", conv.padding, 0..=MAX_WINDOW)?;
                        within("dilation", conv.dilation, 1..=MAX_WINDOW)?;
                        within("groups", conv.groups, 1..=MAX_LAYER_WIDTH)
                    }
                    LayerSpec::MaxPool2d(pool) | LayerSpec::AvgPool2d(pool) => {
                        let within = |name: &str, value: usize, min: usize| {
                            if (min..=MAX_WINDOW).contains(&value) {
                                Ok(())
                            } else {
                                Err(text!(
                                    "param-window-outside",
                                    layer = layer.name(),
                                    field = name,
                                    value = value,
                                    min = min,
                                    max = MAX_WINDOW
                                ))
                            }
                        };
                        within("kernel_size", pool.kernel_size, 1)?;
                        within("stride", pool.stride, 1)?;
                        within("padding", pool.padding, 0)
                    }
                    _ => Ok(()),
                }),
                None => Err(text!("param-not-layers", value = value.to_string())),
            },
        }
    }
}

/// Choices a parameter once offered and no longer does, with why, for graphs saved before:
/// (parameter, name, the reason shown on the node).
const WITHDRAWN_CHOICES: &[(&str, &str, &str)] = &[(
    "reduction",
    "none",
    "`none` gives one loss per sample, but TrainingStep minimises a single number, so a graph \
     with it can never train; set reduction to mean or sum",
)];

/// The largest ELU `alpha` or Softplus `beta` a layer may declare.
pub const MAX_ACTIVATION_SCALE: f64 = 100.0;

/// The largest kernel, stride, padding or dilation an image layer may declare.
pub const MAX_WINDOW: usize = 64;

/// The widest layer a `Network` node may declare; keeps a typo from allocating gigabytes.
pub const MAX_LAYER_WIDTH: usize = 4096;

pub(super) const fn float(
    name: &'static str,
    range: std::ops::RangeInclusive<f64>,
    default: f64,
) -> ParamSpec {
    let (min, max) = (*range.start(), *range.end());
    ParamSpec {
        name,
        label: name,
        kind: ParamKind::Float { min, max },
        default: ParamDefault::Float(default),
    }
}

pub(super) const fn int(name: &'static str, range: std::ops::RangeInclusive<i64>, default: i64) -> ParamSpec {
    let (min, max) = (*range.start(), *range.end());
    ParamSpec { name, label: name, kind: ParamKind::Int { min, max }, default: ParamDefault::Int(default) }
}

pub(super) const fn boolean(name: &'static str, default: bool) -> ParamSpec {
    ParamSpec { name, label: name, kind: ParamKind::Bool, default: ParamDefault::Bool(default) }
}

pub(super) const fn choice(
    name: &'static str,
    choices: &'static [&'static str],
    default: &'static str,
) -> ParamSpec {
    ParamSpec { name, label: name, kind: ParamKind::Choice(choices), default: ParamDefault::Choice(default) }
}

pub(super) const fn file(name: &'static str) -> ParamSpec {
    ParamSpec { name, label: name, kind: ParamKind::File, default: ParamDefault::Text("") }
}

pub(super) const fn column(name: &'static str) -> ParamSpec {
    ParamSpec { name, label: name, kind: ParamKind::Column, default: ParamDefault::Text("") }
}

pub(super) const fn columns(name: &'static str) -> ParamSpec {
    ParamSpec { name, label: name, kind: ParamKind::Columns, default: ParamDefault::Text("") }
}

/// A list of numbers, empty by default.
pub(super) const fn floats(name: &'static str, range: std::ops::RangeInclusive<f64>) -> ParamSpec {
    let (min, max) = (*range.start(), *range.end());
    ParamSpec { name, label: name, kind: ParamKind::FloatList { min, max }, default: ParamDefault::NoFloats }
}

pub(super) const fn layers(name: &'static str, default: &'static [LayerSpec]) -> ParamSpec {
    ParamSpec { name, label: name, kind: ParamKind::Layers, default: ParamDefault::Layers(default) }
}

/// `params` with the parameter of `by`'s name replaced by `by`: a kind that shares another's
/// parameters but not all their defaults. A name `params` lacks stops the build.
pub(super) const fn replaced<const N: usize>(mut params: [ParamSpec; N], by: ParamSpec) -> [ParamSpec; N] {
    let mut at = 0;
    while at < N {
        if same(params[at].name, by.name) {
            params[at] = by;
            return params;
        }
        at += 1;
    }
    panic!("no parameter of this name to replace (src/core/model/catalogue)") // not words: a bug's panic
}

/// Whether two names are the same (`==` is not `const`): how names are checked against the
/// catalogue when Kindling itself compiles.
pub(crate) const fn same(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut at = 0;
    while at < a.len() {
        if a[at] != b[at] {
            return false;
        }
        at += 1;
    }
    true
}
