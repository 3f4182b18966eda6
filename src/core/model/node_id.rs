//! A node's id: unique within its graph, never reused, shown as `#7`.

use serde::{Deserialize, Serialize};

/// A node's id. Ids are never reused after a deletion, so links and messages that cite one
/// stay unambiguous.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(transparent)]
pub struct NodeId(pub u32);

impl std::fmt::Display for NodeId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "#{}", self.0)
    }
}
