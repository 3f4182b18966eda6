//! Choice parameters: a fixed list of named options (a dataset, a reduction, a monitored
//! metric), each an enum declared with [`choices!`]. The enum's one list of names is what the
//! catalogue offers (`ParamKind::Choice`), what the inspector's menu shows and what readers
//! of graphs, golden files and plans decode, so the names cannot drift apart.

/// The options of a choice parameter.
pub trait Choice: Copy + Eq + std::fmt::Debug + 'static {
    /// Every option, in menu order.
    const ALL: &'static [Self];
    /// Their names, in the same order: what a graph stores and the catalogue offers.
    const NAMES: &'static [&'static str];

    /// The name a graph stores.
    fn name(self) -> &'static str;

    /// The option called `name`, if there is one.
    fn from_name(name: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|option| option.name() == name)
    }
}

/// Declares a choice enum: its variants, each with the name graphs store, in menu order.
///
/// ```ignore
/// choices! {
///     /// How a per-sample loss is reduced.
///     pub enum Reduction {
///         Mean => "mean",
///         Sum => "sum",
///     }
/// }
/// ```
///
/// gives the enum (`Clone, Copy, Debug, PartialEq, Eq, Hash`), `ALL`, `NAMES`, a `const fn
/// name` (so the catalogue can write a default as `Reduction::Mean.name()`), `from_name` and
/// the [`Choice`] trait.
macro_rules! choices {
    (
        $(#[$meta:meta])*
        $vis:vis enum $name:ident {
            $( $(#[$variant_meta:meta])* $variant:ident => $text:literal ),+ $(,)?
        }
    ) => {
        $(#[$meta])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
        $vis enum $name {
            $( $(#[$variant_meta])* $variant ),+
        }

        impl $name {
            /// Every option, in menu order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            /// The options' names, in the same order: what a graph stores.
            pub const NAMES: &'static [&'static str] = &[$($text),+];

            /// The name a graph stores.
            pub const fn name(self) -> &'static str {
                match self {
                    $($name::$variant => $text),+
                }
            }

            /// The option called `name`, if there is one.
            pub fn from_name(name: &str) -> Option<Self> {
                match name {
                    $($text => Some($name::$variant),)+
                    _ => None,
                }
            }
        }

        impl $crate::core::model::choice::Choice for $name {
            const ALL: &'static [Self] = $name::ALL;
            const NAMES: &'static [&'static str] = $name::NAMES;

            fn name(self) -> &'static str {
                $name::name(self)
            }
        }
    };
}

pub(crate) use choices;
