//! A kind's parameters as a typed struct, declared with their schema in one place
//! ([`kind_params!`]), read from a node and written back.
//!
//! A graph stores parameters as named values (what files and links carry, checked against
//! the catalogue's schema). Everything that acts on them — the compiler, shape inference, the
//! views, the page's typed edits — reads and writes them through these structs, whose fields
//! are the parameters themselves: a field's name is the parameter's name, so no parameter is
//! named twice. A value that is missing from the catalogue or of the wrong type is an error,
//! never a quiet 0, "" or false; a parameter a node leaves unset takes its catalogue default,
//! so defaults live in the catalogue only.

use crate::core::model::choice::Choice;
use crate::core::model::file_ref::FileRef;
use crate::core::model::node_id::NodeId;
use crate::core::model::params::{LayerSpec, ParamValue};

use super::NodeKind;

/// Where a node's parameter values come from: a node of the graph (`graph::Node`), which
/// gives its own value or else the catalogue default.
pub trait ParamValues {
    fn id(&self) -> NodeId;
    fn kind(&self) -> NodeKind;
    /// The value of parameter `name`: the node's own, else the catalogue default; `None`
    /// when the node's kind has no such parameter.
    fn param(&self, name: &str) -> Option<ParamValue>;
}

impl<T: ParamValues + ?Sized> ParamValues for &T {
    fn id(&self) -> NodeId {
        (**self).id()
    }

    fn kind(&self) -> NodeKind {
        (**self).kind()
    }

    fn param(&self, name: &str) -> Option<ParamValue> {
        (**self).param(name)
    }
}

/// Why a node's parameters could not be read.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum ParamError {
    /// A reader asked for a parameter the node's catalogue entry does not have: a bug, or a
    /// struct read from a node of another kind.
    #[error("{}", text!("param-unknown", kind = .kind.to_string(), node = .node.to_string(), param = *.param))]
    Unknown { node: NodeId, kind: NodeKind, param: &'static str },
    #[error("{}", text!(
        "param-mistyped",
        kind = .kind.to_string(),
        node = .node.to_string(),
        param = *.param,
        expected = *.expected,
        found = .found
    ))]
    Mistyped { node: NodeId, kind: NodeKind, param: &'static str, expected: &'static str, found: String },
}

impl ParamError {
    /// The node whose parameter it is.
    pub fn node(&self) -> NodeId {
        match self {
            ParamError::Unknown { node, .. } | ParamError::Mistyped { node, .. } => *node,
        }
    }
}

/// A kind's parameters as one struct: read from a node, and written back as named values.
pub trait KindParams: Sized {
    /// Reads every parameter of `node`.
    ///
    /// # Errors
    /// A parameter the node's kind lacks, or of the wrong type.
    fn read(node: &(impl ParamValues + ?Sized)) -> Result<Self, ParamError>;

    /// Every parameter, by name, as a graph stores it.
    fn values(&self) -> Vec<(&'static str, ParamValue)>;
}

/// A Rust type a parameter is read as, and written back from.
pub trait ParamField: Sized {
    /// What a message about a mistyped value says was expected.
    const EXPECTED: &'static str;
    fn from_value(value: &ParamValue) -> Option<Self>;
    fn to_value(&self) -> ParamValue;
}

/// Parameter `name` of `node`, as the type `T` of the field it is read into.
///
/// # Errors
/// The node's kind has no such parameter, or its value is not a `T`.
pub fn read_field<T: ParamField>(
    node: &(impl ParamValues + ?Sized),
    name: &'static str,
) -> Result<T, ParamError> {
    let value =
        node.param(name).ok_or(ParamError::Unknown { node: node.id(), kind: node.kind(), param: name })?;
    T::from_value(&value).ok_or_else(|| ParamError::Mistyped {
        node: node.id(),
        kind: node.kind(),
        param: name,
        expected: T::EXPECTED,
        found: value.to_string(),
    })
}

impl ParamField for f64 {
    const EXPECTED: &'static str = "number";
    fn from_value(value: &ParamValue) -> Option<Self> {
        value.as_f64()
    }
    fn to_value(&self) -> ParamValue {
        ParamValue::Float(*self)
    }
}

impl ParamField for i64 {
    const EXPECTED: &'static str = "whole-number";
    fn from_value(value: &ParamValue) -> Option<Self> {
        value.as_i64()
    }
    fn to_value(&self) -> ParamValue {
        ParamValue::Int(*self)
    }
}

/// A count, a size or a seed: a whole number ≥ 0.
macro_rules! whole_field {
    ($($ty:ty),+) => {$(
        impl ParamField for $ty {
            const EXPECTED: &'static str = "count";
            fn from_value(value: &ParamValue) -> Option<Self> {
                value.as_i64().and_then(|number| <$ty>::try_from(number).ok())
            }
            fn to_value(&self) -> ParamValue {
                ParamValue::Int(i64::try_from(*self).unwrap_or(i64::MAX))
            }
        }
    )+};
}
whole_field!(usize, u64);

impl ParamField for bool {
    const EXPECTED: &'static str = "bool";
    fn from_value(value: &ParamValue) -> Option<Self> {
        value.as_bool()
    }
    fn to_value(&self) -> ParamValue {
        ParamValue::Bool(*self)
    }
}

/// Text: a column's name.
impl ParamField for String {
    const EXPECTED: &'static str = "text";
    fn from_value(value: &ParamValue) -> Option<Self> {
        value.as_text().map(str::to_owned)
    }
    fn to_value(&self) -> ParamValue {
        ParamValue::Text(self.clone())
    }
}

/// A file; empty text is none.
impl ParamField for Option<FileRef> {
    const EXPECTED: &'static str = "file";
    fn from_value(value: &ParamValue) -> Option<Self> {
        match value.as_text()? {
            "" => Some(None),
            text => FileRef::from_param(text).map(Some),
        }
    }
    fn to_value(&self) -> ParamValue {
        ParamValue::Text(self.as_ref().map(FileRef::to_param).unwrap_or_default())
    }
}

/// Column names, separated by commas (which no column name holds).
impl ParamField for Vec<String> {
    const EXPECTED: &'static str = "columns";
    fn from_value(value: &ParamValue) -> Option<Self> {
        let names = value.as_text()?.split(',').map(str::trim).filter(|name| !name.is_empty());
        Some(names.map(str::to_owned).collect())
    }
    fn to_value(&self) -> ParamValue {
        ParamValue::Text(self.join(", "))
    }
}

impl ParamField for Vec<f64> {
    const EXPECTED: &'static str = "numbers";
    fn from_value(value: &ParamValue) -> Option<Self> {
        value.as_floats().map(<[f64]>::to_vec)
    }
    fn to_value(&self) -> ParamValue {
        ParamValue::Floats(self.clone())
    }
}

impl ParamField for Vec<LayerSpec> {
    const EXPECTED: &'static str = "layers";
    fn from_value(value: &ParamValue) -> Option<Self> {
        value.as_layers().map(<[LayerSpec]>::to_vec)
    }
    fn to_value(&self) -> ParamValue {
        ParamValue::Layers(self.clone())
    }
}

/// One of a choice's options, stored by its name.
impl<C: Choice> ParamField for C {
    const EXPECTED: &'static str = "choice";
    fn from_value(value: &ParamValue) -> Option<Self> {
        value.as_text().and_then(C::from_name)
    }
    fn to_value(&self) -> ParamValue {
        ParamValue::Text(self.name().to_owned())
    }
}

/// Declares a kind's parameters once: a struct whose fields are the parameters (its read and
/// write), and the schema the catalogue entry lists, in the inspector's order. Each field
/// gives its type and its schema's constructor without the name, which is the field's:
///
/// ```ignore
/// kind_params! {
///     /// SGDOptimizer's parameters.
///     pub struct SgdParams in SGD_PARAMS {
///         learning_rate: f64 = float(0.0..=1000.0, 0.01).labelled("lr"),
///         nesterov: bool = boolean(false),
///     }
/// }
/// ```
///
/// What each one sets is words, in `text/en/catalogue.ftl` (`kind-SGDOptimizer-nesterov`).
macro_rules! kind_params {
    (
        $(#[$meta:meta])*
        pub struct $name:ident in $specs:ident {
            $(
                $(#[$field_meta:meta])*
                $field:ident : $ty:ty = $make:ident ( $($arg:expr),* $(,)? )
                    $( . $modifier:ident ( $($modifier_arg:expr),* ) )*
            ),* $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Debug, PartialEq)]
        pub struct $name {
            $( $(#[$field_meta])* pub $field: $ty, )*
        }

        /// The schema of these parameters, in the inspector's order.
        pub(super) const $specs: [$crate::core::model::catalogue::ParamSpec;
            <[&str]>::len(&[$(stringify!($field)),*])] =
            [ $( $make(stringify!($field), $($arg),*) $( .$modifier($($modifier_arg),*) )* ),* ];

        impl $name {
            /// Reads every parameter of `node`.
            ///
            /// # Errors
            /// A parameter the node's kind lacks, or of the wrong type.
            #[allow(unused_variables)]
            pub fn read(
                node: &(impl $crate::core::model::catalogue::ParamValues + ?Sized),
            ) -> Result<Self, $crate::core::model::catalogue::ParamError> {
                Ok(Self { $( $field: $crate::core::model::catalogue::read_field(node, stringify!($field))?, )* })
            }
        }

        impl $crate::core::model::catalogue::KindParams for $name {
            fn read(
                node: &(impl $crate::core::model::catalogue::ParamValues + ?Sized),
            ) -> Result<Self, $crate::core::model::catalogue::ParamError> {
                $name::read(node)
            }

            fn values(&self) -> Vec<(&'static str, $crate::core::model::params::ParamValue)> {
                vec![ $( (stringify!($field), $crate::core::model::catalogue::ParamField::to_value(&self.$field)) ),* ]
            }
        }
    };
}
pub(super) use kind_params;
