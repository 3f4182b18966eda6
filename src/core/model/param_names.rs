//! The names parameters are written under from outside the inspector — the range test's
//! suggestion, the CSV panel, a picked file, the runner's `--epochs` — each checked, when
//! Kindling itself compiles, against the catalogue entries of the kinds it is written on. The
//! page's editor writes a parameter only by a [`ParamName`]: one of these, or one taken from a
//! catalogue entry (the inspector's controls), so a misspelt name cannot reach a graph.

use crate::core::model::catalogue::{NodeKind, ParamSpec};
use crate::core::model::ports::same;

/// The name of a parameter that every kind it is written on has.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ParamName(&'static str);

impl ParamName {
    /// Parameter `name`, which every kind of `kinds` must have; in a `const`, a kind without
    /// it stops the build.
    pub const fn on(kinds: &[NodeKind], name: &'static str) -> Self {
        let mut at = 0;
        while at < kinds.len() {
            assert!(
                has_param(kinds[at], name),
                "a kind of node lacks this parameter (src/core/model/param_names.rs)"
            );
            at += 1;
        }
        Self(name)
    }

    /// The name of a catalogue entry's parameter.
    pub const fn of(spec: &'static ParamSpec) -> Self {
        Self(spec.name)
    }

    pub const fn name(self) -> &'static str {
        self.0
    }
}

const fn has_param(kind: NodeKind, name: &str) -> bool {
    let params = kind.spec().params;
    let mut at = 0;
    while at < params.len() {
        if same(params[at].name, name) {
            return true;
        }
        at += 1;
    }
    false
}

pub const LEARNING_RATE: ParamName = ParamName::on(&NodeKind::OPTIMIZERS, "learning_rate");
pub const DATASET_KIND: ParamName = ParamName::on(&[NodeKind::Dataset], "kind");
pub const DATASET_FILE: ParamName = ParamName::on(&[NodeKind::Dataset], "file");
pub const DATASET_TARGET: ParamName = ParamName::on(&[NodeKind::Dataset], "target");
pub const DATASET_TASK: ParamName = ParamName::on(&[NodeKind::Dataset], "task");
pub const DATASET_FEATURES: ParamName = ParamName::on(&[NodeKind::Dataset], "features");
pub const TOTAL_EPOCHS: ParamName = ParamName::on(&[NodeKind::EpochTracker], "total_epochs");
