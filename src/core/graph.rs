//! The graph model: nodes with positions and parameter values, and wires between ports.
//!
//! This is the data the editor edits, links carry and the compiler reads. It holds no UI
//! types and no training state. A graph may be invalid (a wire to a missing port, a value
//! out of range): the compiler reports that, the model only keeps ids consistent.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::catalogue::NodeKind;
use super::params::ParamValue;

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

/// A position on the canvas, in canvas units.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pos {
    pub x: f32,
    pub y: f32,
}

/// One node: its kind (which names its catalogue entry), where it sits, and its parameters.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Node {
    pub id: NodeId,
    pub kind: NodeKind,
    pub pos: Pos,
    /// Parameter values by name. A parameter missing here takes its catalogue default.
    #[serde(default)]
    pub params: BTreeMap<String, ParamValue>,
}

impl Node {
    /// The value of parameter `name`: the node's own, else the catalogue default.
    pub fn param(&self, name: &str) -> Option<ParamValue> {
        self.params.get(name).cloned().or_else(|| Some(self.kind.spec().param(name)?.default.value()))
    }
}

/// One end of a wire: a node and the name of one of its ports.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct PortRef {
    pub node: NodeId,
    pub port: String,
}

impl PortRef {
    pub fn new(node: NodeId, port: &str) -> Self {
        Self { node, port: port.to_owned() }
    }
}

impl std::fmt::Display for PortRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}:{}", self.node.0, self.port)
    }
}

/// A wire from an output port to an input port.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Wire {
    pub from: PortRef,
    pub to: PortRef,
}

/// Why an edit was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GraphError {
    #[error("there is no node {0}")]
    NoSuchNode(NodeId),
    #[error("{kind} {node} has no parameter `{param}`")]
    NoSuchParam { node: NodeId, kind: NodeKind, param: String },
    #[error("{kind} {node}: `{param}` {reason}")]
    InvalidParam { node: NodeId, kind: NodeKind, param: String, reason: String },
    #[error("the graph file could not be read: {0}")]
    Unreadable(String),
}

/// A training graph.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Graph {
    nodes: Vec<Node>,
    #[serde(default)]
    wires: Vec<Wire>,
    /// The id the next added node gets; only ever grows.
    #[serde(default)]
    next_id: u32,
}

impl Graph {
    /// An empty graph.
    pub fn new() -> Self {
        Self::default()
    }

    pub fn nodes(&self) -> &[Node] {
        &self.nodes
    }

    pub fn wires(&self) -> &[Wire] {
        &self.wires
    }

    pub fn node(&self, id: NodeId) -> Option<&Node> {
        self.nodes.iter().find(|node| node.id == id)
    }

    /// Adds a node of `kind` at `pos` with every parameter at its default.
    pub fn add_node(&mut self, kind: NodeKind, pos: Pos) -> NodeId {
        let id = NodeId(self.next_id);
        self.next_id += 1;
        let params =
            kind.spec().params.iter().map(|param| (param.name.to_owned(), param.default.value())).collect();
        self.nodes.push(Node { id, kind, pos, params });
        id
    }

    /// Adds a copy of `node` (kind and parameters) at `pos`, under a fresh id.
    pub fn add_copy(&mut self, node: &Node, pos: Pos) -> NodeId {
        let id = NodeId(self.next_id);
        self.next_id += 1;
        self.nodes.push(Node { id, kind: node.kind, pos, params: node.params.clone() });
        id
    }

    /// Moves a node; an unknown id is ignored.
    pub fn move_node(&mut self, id: NodeId, pos: Pos) {
        if let Some(node) = self.nodes.iter_mut().find(|node| node.id == id) {
            node.pos = pos;
        }
    }

    /// Removes a node and every wire touching it.
    pub fn remove_node(&mut self, id: NodeId) {
        self.nodes.retain(|node| node.id != id);
        self.wires.retain(|wire| wire.from.node != id && wire.to.node != id);
    }

    /// Sets a parameter, refusing values of the wrong type or out of range.
    ///
    /// # Errors
    /// [`GraphError::NoSuchNode`], [`GraphError::NoSuchParam`] or [`GraphError::InvalidParam`]
    /// with the reason; the graph is unchanged then.
    pub fn set_param(&mut self, id: NodeId, name: &str, value: ParamValue) -> Result<(), GraphError> {
        let node = self.nodes.iter_mut().find(|node| node.id == id).ok_or(GraphError::NoSuchNode(id))?;
        let spec = node.kind.spec().param(name).ok_or_else(|| GraphError::NoSuchParam {
            node: id,
            kind: node.kind,
            param: name.to_owned(),
        })?;
        spec.check(&value).map_err(|reason| GraphError::InvalidParam {
            node: id,
            kind: node.kind,
            param: name.to_owned(),
            reason,
        })?;
        node.params.insert(name.to_owned(), value);
        Ok(())
    }

    /// Adds a wire from `from` (an output) to `to` (an input), replacing any wire that already
    /// feeds `to`: an input takes one wire. Type checks are the compiler's (see `compile`).
    pub fn connect(&mut self, from: PortRef, to: PortRef) {
        self.wires.retain(|wire| wire.to != to);
        self.wires.push(Wire { from, to });
    }

    /// Removes the wire feeding input `to`, if there is one.
    pub fn disconnect(&mut self, to: &PortRef) {
        self.wires.retain(|wire| &wire.to != to);
    }

    /// The wire feeding input `port` of `node`, if any.
    pub fn wire_into(&self, node: NodeId, port: &str) -> Option<&Wire> {
        self.wires.iter().find(|wire| wire.to.node == node && wire.to.port == port)
    }

    /// A graph of these parts as they are, for decoders; `limits::check` says whether they
    /// make a graph the editor could have made.
    pub fn from_parts(nodes: Vec<Node>, wires: Vec<Wire>, next_id: u32) -> Self {
        Self { nodes, wires, next_id }
    }

    /// The id the next added node gets.
    pub fn next_id(&self) -> u32 {
        self.next_id
    }

    /// The graph with every parameter that equals its catalogue default left out: what a
    /// link stores. [`Graph::with_defaults`] undoes it.
    pub fn without_defaults(&self) -> Graph {
        let mut graph = self.clone();
        for node in &mut graph.nodes {
            let spec = node.kind.spec();
            node.params
                .retain(|name, value| spec.param(name).is_none_or(|param| param.default.value() != *value));
        }
        graph
    }

    /// The graph with every missing parameter at its catalogue default, and `next_id` past
    /// every id it holds (a hand-edited file may hold ids at or past it).
    pub fn with_defaults(mut self) -> Graph {
        for node in &mut self.nodes {
            for param in node.kind.spec().params {
                node.params.entry(param.name.to_owned()).or_insert_with(|| param.default.value());
            }
        }
        let highest = self.nodes.iter().map(|node| node.id.0.saturating_add(1)).max().unwrap_or(0);
        self.next_id = self.next_id.max(highest);
        self
    }

    /// The graph as pretty-printed JSON.
    pub fn to_json(&self) -> String {
        // Serialising plain data with string keys cannot fail.
        serde_json::to_string_pretty(self).unwrap_or_default()
    }

    /// Reads a graph from JSON.
    ///
    /// # Errors
    /// [`GraphError::Unreadable`] with serde's description of the problem.
    pub fn from_json(json: &str) -> Result<Self, GraphError> {
        let mut graph: Graph =
            serde_json::from_str(json).map_err(|error| GraphError::Unreadable(error.to_string()))?;
        // A hand-edited file may hold ids at or past `next_id`; keep new ids fresh.
        let highest = graph.nodes.iter().map(|node| node.id.0.saturating_add(1)).max().unwrap_or(0);
        graph.next_id = graph.next_id.max(highest);
        Ok(graph)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_not_reused_after_a_deletion() {
        let mut graph = Graph::new();
        let first = graph.add_node(NodeKind::Dataset, Pos { x: 0.0, y: 0.0 });
        graph.remove_node(first);
        let second = graph.add_node(NodeKind::Dataset, Pos { x: 0.0, y: 0.0 });
        assert_ne!(first, second);
    }

    #[test]
    fn an_input_takes_one_wire() {
        let mut graph = Graph::new();
        let a = graph.add_node(NodeKind::Dataset, Pos { x: 0.0, y: 0.0 });
        let b = graph.add_node(NodeKind::Dataset, Pos { x: 0.0, y: 0.0 });
        let sampler = graph.add_node(NodeKind::BatchSampler, Pos { x: 0.0, y: 0.0 });
        graph.connect(PortRef::new(a, "dataset"), PortRef::new(sampler, "dataset"));
        graph.connect(PortRef::new(b, "dataset"), PortRef::new(sampler, "dataset"));
        assert_eq!(graph.wires().len(), 1);
        assert_eq!(graph.wire_into(sampler, "dataset").unwrap().from.node, b);
    }

    #[test]
    fn invalid_parameter_values_are_refused_and_leave_the_graph_unchanged() {
        let mut graph = Graph::new();
        let sgd = graph.add_node(NodeKind::SgdOptimizer, Pos { x: 0.0, y: 0.0 });
        let before = graph.clone();
        let error = graph.set_param(sgd, "momentum", ParamValue::Float(1.5)).unwrap_err();
        assert!(matches!(error, GraphError::InvalidParam { .. }), "{error}");
        assert_eq!(graph, before);
    }
}
