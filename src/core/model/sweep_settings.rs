//! A graph's sweep as the graph stores it: which parameters of which nodes take several
//! values (as typed), how the values combine, whether bad trials stop early; and the bounds on
//! each. What the values mean and which trials they make is `sweep_spec`'s.

use serde::{Deserialize, Serialize};

use crate::core::model::node_id::NodeId;
use crate::core::model::sweep::Search;

/// The most parameters one sweep varies.
pub const MAX_SWEPT: usize = 16;
/// The longest text of a swept parameter's values, in bytes.
pub const MAX_VALUES_TEXT: usize = 512;
/// The largest reduction factor of successive halving.
pub const MAX_ETA: u32 = 10;
/// The most epochs a pruning rule waits or counts to.
pub const MAX_PRUNING_EPOCHS: u32 = 100_000;

/// A graph's sweep; empty (no swept parameter) when it has none.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Sweep {
    #[serde(default)]
    pub params: Vec<SweptParam>,
    #[serde(default)]
    pub search: SearchSpec,
    #[serde(default)]
    pub pruning: Pruning,
}

/// One swept parameter: parameter `param` of node `node`, and its values as typed.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SweptParam {
    pub node: NodeId,
    pub param: String,
    pub values: String,
}

/// How the swept values combine.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SearchSpec {
    /// Every combination, the last parameter changing fastest.
    #[default]
    Grid,
    /// `trials` combinations drawn at random, without repeats, from `seed`.
    Random { trials: u32, seed: u64 },
}

/// Whether and how bad trials stop before their last epoch.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Pruning {
    /// Every trial runs every epoch.
    #[default]
    Off,
    /// The median rule: after `warmup_epochs`, a trial whose best value so far is below the
    /// median of the other trials' values at the same epoch (once `min_trials` others have
    /// one) stops.
    Median { warmup_epochs: u32, min_trials: u32 },
    /// Successive halving's rungs (ASHA): at epochs `min_epochs × eta^k`, only the top
    /// `1/eta` of the values seen at that rung go on.
    Asha { min_epochs: u32, eta: u32 },
}

impl Sweep {
    /// Whether the graph sweeps nothing.
    pub fn is_empty(&self) -> bool {
        self.params.is_empty()
    }

    /// The swept parameter `param` of `node`, if it is swept.
    pub fn get(&self, node: NodeId, param: &str) -> Option<&SweptParam> {
        self.params.iter().find(|swept| swept.node == node && swept.param == param)
    }

    /// How the trials are chosen, for `sweep::trials`.
    pub fn search(&self) -> Search {
        match self.search {
            SearchSpec::Grid => Search::Grid,
            SearchSpec::Random { trials, seed } => Search::Random { trials: trials as usize, seed },
        }
    }
}
