//! A graph inside a message, as the JSON a graph file holds: its parameters are written
//! untagged there (`"learning_rate": 0.03`), which only a self-describing format reads back,
//! so a message carries the graph as that text (numbers exact: `serde_json`'s
//! `float_roundtrip`). Use as `#[serde(with = "graph_text")]`, or `graph_text::optional`.

use serde::de::Error;
use serde::{Deserialize, Deserializer, Serializer};

use crate::core::model::graph::Graph;

pub fn serialize<S: Serializer>(graph: &Graph, serializer: S) -> Result<S::Ok, S::Error> {
    serializer.serialize_str(&serde_json::to_string(graph).map_err(serde::ser::Error::custom)?)
}

pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Graph, D::Error> {
    let text = String::deserialize(deserializer)?;
    Graph::from_json(&text).map_err(D::Error::custom)
}

/// The same for an optional graph.
pub mod optional {
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    use crate::core::model::graph::Graph;

    #[derive(Serialize, Deserialize)]
    struct Text(#[serde(with = "super")] Graph);

    pub fn serialize<S: Serializer>(graph: &Option<Graph>, serializer: S) -> Result<S::Ok, S::Error> {
        graph.as_ref().map(|graph| Text(graph.clone())).serialize(serializer)
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<Graph>, D::Error> {
        Ok(Option::<Text>::deserialize(deserializer)?.map(|Text(graph)| graph))
    }
}
