//! The graph model: nodes with positions and parameter values, and wires between ports.
//!
//! This is the data the editor edits, links carry and the compiler reads. It holds no UI
//! types and no training state. Its structure always holds: node ids are unique, every wire
//! joins an output and an input that exist, and an input takes at most one wire (wires are
//! kept by the input they feed). What a graph *computes* may still be wrong — a wire between
//! ports of different types, a parameter out of range, a cycle — and the compiler says so.
//!
//! Nodes and wires are found by id and by input in constant time, in the order they were
//! added (the order they are drawn and saved in).

use std::collections::BTreeMap;

use indexmap::IndexMap;
use serde::{Deserialize, Serialize};

use crate::core::model::catalogue::{KindParams, NodeKind, ParamError, ParamValues, PortSpec};
use crate::core::model::limits::MAX_COORDINATE;
use crate::core::model::node_id::NodeId;
use crate::core::model::params::ParamValue;
use crate::core::model::ports::InputName;
use crate::core::model::sweep_settings::Sweep;

/// A position on the canvas, in canvas units.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Pos {
    pub x: f32,
    pub y: f32,
}

impl Pos {
    /// This position within the canvas a graph may use (`limits::MAX_COORDINATE` from the
    /// origin on each axis; not a number: the origin), where the editor puts every node it
    /// adds or moves, so that no edit makes a graph that cannot be saved or shared.
    pub fn clamped(self) -> Self {
        let clamp =
            |value: f32| if value.is_nan() { 0.0 } else { value.clamp(-MAX_COORDINATE, MAX_COORDINATE) };
        Self { x: clamp(self.x), y: clamp(self.y) }
    }
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
    /// The value of parameter `name`: the node's own, else the catalogue default. Code that
    /// acts on a node's parameters reads them typed, through its kind's struct
    /// (`catalogue::KindParams`).
    pub fn param(&self, name: &str) -> Option<ParamValue> {
        self.params.get(name).cloned().or_else(|| Some(self.kind.spec().param(name)?.default.value()))
    }
}

impl ParamValues for Node {
    fn id(&self) -> NodeId {
        self.id
    }

    fn kind(&self) -> NodeKind {
        self.kind
    }

    fn param(&self, name: &str) -> Option<ParamValue> {
        Node::param(self, name)
    }
}

/// An input of a node: its position among the inputs of the node's catalogue entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct InPort {
    pub node: NodeId,
    pub index: usize,
}

/// An output of a node: its position among the outputs of the node's catalogue entry.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct OutPort {
    pub node: NodeId,
    pub index: usize,
}

/// A wire from an output to an input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Wire {
    pub from: OutPort,
    pub to: InPort,
}

/// Either end of a wire: what a pointer picks on the canvas.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum PortEnd {
    Input(InPort),
    Output(OutPort),
}

impl PortEnd {
    pub fn node(self) -> NodeId {
        match self {
            PortEnd::Input(port) => port.node,
            PortEnd::Output(port) => port.node,
        }
    }
}

/// Why an edit was refused.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum GraphError {
    #[error("{}", text!("graph-no-such-node", node = .0.to_string()))]
    NoSuchNode(NodeId),
    #[error("{}", text!("graph-no-such-param", kind = .kind.to_string(), node = .node.to_string(), param = .param))]
    NoSuchParam { node: NodeId, kind: NodeKind, param: String },
    #[error(
        "{}",
        text!(
            "graph-invalid-param",
            kind = .kind.to_string(),
            node = .node.to_string(),
            param = .param,
            reason = .reason
        )
    )]
    InvalidParam { node: NodeId, kind: NodeKind, param: String, reason: String },
    #[error(
        "{}",
        text!("graph-no-such-port", kind = .kind.to_string(), node = .node.to_string(), side = *.side, index = .index)
    )]
    NoSuchPort { node: NodeId, kind: NodeKind, side: &'static str, index: usize },
    #[error("{}", text!("graph-unreadable", reason = .0))]
    Unreadable(String),
    #[error(transparent)]
    Params(#[from] ParamError),
}

/// A training graph.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "named::GraphByNames", into = "named::GraphByNames")]
pub struct Graph {
    nodes: IndexMap<NodeId, Node>,
    /// Each wired input, with the output that feeds it.
    wires: IndexMap<InPort, OutPort>,
    /// The id the next added node gets; only ever grows.
    next_id: u32,
    /// The parameters swept over and how (`core::sweep_spec`); empty when none is.
    sweep: Sweep,
}

impl Graph {
    /// An empty graph.
    pub fn new() -> Self {
        Self::default()
    }

    /// The nodes, in the order they were added.
    pub fn nodes(&self) -> indexmap::map::Values<'_, NodeId, Node> {
        self.nodes.values()
    }

    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    pub fn node(&self, id: NodeId) -> Option<&Node> {
        self.nodes.get(&id)
    }

    /// The nodes of `kind`, in order.
    pub fn nodes_of(&self, kind: NodeKind) -> impl Iterator<Item = &Node> + '_ {
        self.nodes().filter(move |node| node.kind == kind)
    }

    /// The wires, in the order they were made.
    pub fn wires(&self) -> impl ExactSizeIterator<Item = Wire> + '_ {
        self.wires.iter().map(|(&to, &from)| Wire { from, to })
    }

    pub fn wire_count(&self) -> usize {
        self.wires.len()
    }

    /// The output feeding input `to`, if it is wired.
    pub fn wire_into(&self, to: InPort) -> Option<OutPort> {
        self.wires.get(&to).copied()
    }

    /// The wires leaving `node`'s outputs.
    pub fn wires_from(&self, node: NodeId) -> impl Iterator<Item = Wire> + '_ {
        self.wires().filter(move |wire| wire.from.node == node)
    }

    /// Input `name` of `node`, if the node exists and its kind has that input.
    pub fn input(&self, node: NodeId, name: &str) -> Option<InPort> {
        let index = self.node(node)?.kind.spec().inputs.iter().position(|port| port.name == name)?;
        Some(InPort { node, index })
    }

    /// Output `name` of `node`, if the node exists and its kind has that output.
    pub fn output(&self, node: NodeId, name: &str) -> Option<OutPort> {
        let index = self.node(node)?.kind.spec().outputs.iter().position(|port| port.name == name)?;
        Some(OutPort { node, index })
    }

    /// The catalogue entry of input `port`, if it exists.
    pub fn input_spec(&self, port: InPort) -> Option<&'static PortSpec> {
        self.node(port.node)?.kind.spec().inputs.get(port.index)
    }

    /// The catalogue entry of output `port`, if it exists.
    pub fn output_spec(&self, port: OutPort) -> Option<&'static PortSpec> {
        self.node(port.node)?.kind.spec().outputs.get(port.index)
    }

    /// The output feeding input `input` of `node`, with the node it belongs to (`None` when
    /// nothing is wired there, or `node`'s kind has no such input).
    pub fn source_of(&self, node: NodeId, input: InputName) -> Option<(&Node, OutPort)> {
        let from = self.wire_into(self.input(node, input.name())?)?;
        Some((self.node(from.node)?, from))
    }

    /// A wire as the page's `data-wire` and messages write it: `3:predictions->4:predictions`.
    pub fn wire_label(&self, wire: Wire) -> String {
        let name = |spec: Option<&'static PortSpec>| spec.map_or("?", |port| port.name);
        format!(
            "{}:{}->{}:{}",
            wire.from.node.0,
            name(self.output_spec(wire.from)),
            wire.to.node.0,
            name(self.input_spec(wire.to))
        )
    }

    /// Adds a node of `kind` at `pos` with every parameter at its default.
    pub fn add_node(&mut self, kind: NodeKind, pos: Pos) -> NodeId {
        let id = NodeId(self.next_id);
        self.next_id += 1;
        let params =
            kind.spec().params.iter().map(|param| (param.name.to_owned(), param.default.value())).collect();
        self.nodes.insert(id, Node { id, kind, pos: pos.clamped(), params });
        id
    }

    /// Adds a copy of `node` (kind and parameters) at `pos`, under a fresh id.
    pub fn add_copy(&mut self, node: &Node, pos: Pos) -> NodeId {
        let id = NodeId(self.next_id);
        self.next_id += 1;
        self.nodes.insert(id, Node { id, kind: node.kind, pos: pos.clamped(), params: node.params.clone() });
        id
    }

    /// Moves a node; an unknown id is ignored.
    pub fn move_node(&mut self, id: NodeId, pos: Pos) {
        if let Some(node) = self.nodes.get_mut(&id) {
            node.pos = pos.clamped();
        }
    }

    /// Removes a node, every wire touching it and its swept parameters.
    pub fn remove_node(&mut self, id: NodeId) {
        self.nodes.shift_remove(&id);
        self.wires.retain(|to, from| to.node != id && from.node != id);
        self.sweep.params.retain(|swept| swept.node != id);
    }

    /// The sweep the graph asks for (empty when none).
    pub fn sweep(&self) -> &Sweep {
        &self.sweep
    }

    /// Replaces the sweep. Whether it fits the graph is `sweep_spec::check`'s question (the
    /// inspector asks it first; decoders and the compiler of a sweep report it).
    pub fn set_sweep(&mut self, sweep: Sweep) {
        self.sweep = sweep;
    }

    /// Sets a parameter, refusing values of the wrong type or out of range.
    ///
    /// # Errors
    /// [`GraphError::NoSuchNode`], [`GraphError::NoSuchParam`] or [`GraphError::InvalidParam`]
    /// with the reason; the graph is unchanged then.
    pub fn set_param(&mut self, id: NodeId, name: &str, value: ParamValue) -> Result<(), GraphError> {
        self.check_param(id, name, &value)?;
        if let Some(node) = self.nodes.get_mut(&id) {
            node.params.insert(name.to_owned(), value);
        }
        Ok(())
    }

    /// Whether node `id` may take `value` for parameter `name`.
    fn check_param(&self, id: NodeId, name: &str, value: &ParamValue) -> Result<(), GraphError> {
        let node = self.nodes.get(&id).ok_or(GraphError::NoSuchNode(id))?;
        let spec = node.kind.spec().param(name).ok_or_else(|| GraphError::NoSuchParam {
            node: id,
            kind: node.kind,
            param: name.to_owned(),
        })?;
        spec.check(value).map_err(|reason| GraphError::InvalidParam {
            node: id,
            kind: node.kind,
            param: name.to_owned(),
            reason,
        })
    }

    /// Changes parameters of node `id` through its kind's struct `P` (typed, so no name can
    /// be misspelt): `change` edits what the node holds, and every value it changed is
    /// written back, checked like [`Self::set_param`].
    ///
    /// # Errors
    /// [`GraphError::NoSuchNode`]; [`GraphError::Params`] when `P` is not the node's kind's
    /// struct; a value out of range, as [`Self::set_param`]. The graph is unchanged then.
    pub fn update_params<P: KindParams>(
        &mut self,
        id: NodeId,
        change: impl FnOnce(&mut P),
    ) -> Result<(), GraphError> {
        let node = self.nodes.get(&id).ok_or(GraphError::NoSuchNode(id))?;
        let before = P::read(node)?;
        let mut after = P::read(node)?;
        change(&mut after);
        let changed: Vec<(&str, ParamValue)> = before
            .values()
            .into_iter()
            .zip(after.values())
            .filter(|((_, old), (_, new))| old != new)
            .map(|(_, new)| new)
            .collect();
        for (name, value) in &changed {
            self.check_param(id, name, value)?;
        }
        if let Some(node) = self.nodes.get_mut(&id) {
            node.params.extend(changed.into_iter().map(|(name, value)| (name.to_owned(), value)));
        }
        Ok(())
    }

    /// Adds a wire from output `from` to input `to`, replacing any wire that already feeds
    /// `to`: an input takes one wire. Whether the types fit and data still flows one way is
    /// `core::wiring`'s question (the editor asks it first; the compiler reports it).
    ///
    /// # Errors
    /// [`GraphError::NoSuchNode`] or [`GraphError::NoSuchPort`] when an end does not exist;
    /// the graph is unchanged then.
    pub fn connect(&mut self, from: OutPort, to: InPort) -> Result<(), GraphError> {
        self.check_end(from.node, from.index, "output")?;
        self.check_end(to.node, to.index, "input")?;
        self.wires.shift_remove(&to);
        self.wires.insert(to, from);
        Ok(())
    }

    /// Connects output `from_port` of `from` to input `to_port` of `to`, by their names (for
    /// templates and tests).
    ///
    /// # Errors
    /// When a node or a port of that name does not exist; the graph is unchanged then.
    pub fn connect_named(
        &mut self,
        from: NodeId,
        from_port: &str,
        to: NodeId,
        to_port: &str,
    ) -> Result<(), String> {
        let output =
            self.output(from, from_port).ok_or_else(|| format!("node {from} has no output `{from_port}`"))?;
        let input = self.input(to, to_port).ok_or_else(|| format!("node {to} has no input `{to_port}`"))?;
        self.connect(output, input).map_err(|error| error.to_string())
    }

    fn check_end(&self, node: NodeId, index: usize, side: &'static str) -> Result<(), GraphError> {
        let kind = self.node(node).ok_or(GraphError::NoSuchNode(node))?.kind;
        let ports = if side == "output" { kind.spec().outputs } else { kind.spec().inputs };
        if index < ports.len() { Ok(()) } else { Err(GraphError::NoSuchPort { node, kind, side, index }) }
    }

    /// Removes the wire feeding input `to`, if there is one.
    pub fn disconnect(&mut self, to: InPort) {
        self.wires.shift_remove(&to);
    }

    /// A graph of these parts, for decoders, provided they make a graph at all: unique node
    /// ids, wires between ports that exist, one wire per input. `limits::check` then says
    /// whether it is a graph the editor could have made.
    ///
    /// # Errors
    /// The first part that does not fit, as a sentence for the user.
    pub fn from_parts(nodes: Vec<Node>, wires: Vec<Wire>, next_id: u32) -> Result<Self, String> {
        let mut graph = Graph {
            nodes: IndexMap::with_capacity(nodes.len()),
            wires: IndexMap::new(),
            next_id,
            sweep: Sweep::default(),
        };
        for node in nodes {
            let id = node.id;
            if graph.nodes.insert(id, node).is_some() {
                return Err(text!("graph-shared-id", node = id.to_string()));
            }
        }
        for Wire { from, to } in wires {
            if graph.is_retired(from, to) {
                continue;
            }
            graph.connect_new(from, to)?;
        }
        Ok(graph)
    }

    /// This graph with every node at the origin: what it means, apart from how it is laid
    /// out (what the page compiles, so that moving a node recompiles nothing).
    pub fn without_positions(&self) -> Graph {
        let mut graph = self.clone();
        for node in graph.nodes.values_mut() {
            node.pos = Pos { x: 0.0, y: 0.0 };
        }
        graph
    }

    /// The same graph with its nodes numbered 1, 2, … in their order — its wires and its
    /// sweep following them — and `next_id` just past them: room for every id again.
    pub fn renumbered(&self) -> Graph {
        let ids: BTreeMap<NodeId, NodeId> =
            self.nodes.keys().zip(1..).map(|(&old, new)| (old, NodeId(new))).collect();
        let id = |old: NodeId| ids.get(&old).copied().unwrap_or(old);
        let mut sweep = self.sweep.clone();
        for swept in &mut sweep.params {
            swept.node = id(swept.node);
        }
        Graph {
            nodes: self
                .nodes
                .values()
                .map(|node| (id(node.id), Node { id: id(node.id), ..node.clone() }))
                .collect(),
            wires: self
                .wires
                .iter()
                .map(|(to, from)| {
                    (
                        InPort { node: id(to.node), index: to.index },
                        OutPort { node: id(from.node), index: from.index },
                    )
                })
                .collect(),
            next_id: u32::try_from(self.nodes.len()).unwrap_or(u32::MAX).saturating_add(1),
            sweep,
        }
    }

    /// Whether a wire from `from` to `to` touches a port its kind no longer has
    /// (`catalogue::RETIRED_PORTS`): a graph saved before may hold one, and it is dropped.
    fn is_retired(&self, from: OutPort, to: InPort) -> bool {
        let retired = |node: NodeId, output: bool, index: usize| {
            self.node(node).is_some_and(|node| node.kind.retired_port(output, index))
        };
        retired(from.node, true, from.index) || retired(to.node, false, to.index)
    }

    /// Adds a wire to an input that has none, for decoders.
    fn connect_new(&mut self, from: OutPort, to: InPort) -> Result<(), String> {
        let ends =
            self.check_end(from.node, from.index, "output").and(self.check_end(to.node, to.index, "input"));
        match ends {
            Err(GraphError::NoSuchNode(node)) => {
                return Err(text!("graph-wire-to-missing-node", node = node.to_string()));
            }
            Err(error) => return Err(error.to_string()),
            Ok(()) => {}
        }
        if self.wires.contains_key(&to) {
            let name = self.input_spec(to).map_or("?", |port| port.name);
            return Err(text!("graph-input-wired-twice", node = to.node.0.to_string(), port = name));
        }
        self.wires.insert(to, from);
        Ok(())
    }

    /// The id the next added node gets.
    pub fn next_id(&self) -> u32 {
        self.next_id
    }

    /// The graph with every parameter that equals its catalogue default left out: what a
    /// link stores. [`Graph::with_defaults`] undoes it.
    pub fn without_defaults(&self) -> Graph {
        let mut graph = self.clone();
        for node in graph.nodes.values_mut() {
            let spec = node.kind.spec();
            node.params
                .retain(|name, value| spec.param(name).is_none_or(|param| param.default.value() != *value));
        }
        graph
    }

    /// The graph with every missing parameter at its catalogue default, and `next_id` past
    /// every id it holds (a hand-edited file may hold ids at or past it).
    pub fn with_defaults(mut self) -> Graph {
        for node in self.nodes.values_mut() {
            for param in node.kind.spec().params {
                node.params.entry(param.name.to_owned()).or_insert_with(|| param.default.value());
            }
        }
        let highest = self.nodes.keys().map(|id| id.0.saturating_add(1)).max().unwrap_or(0);
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
    /// [`GraphError::Unreadable`] with serde's description of the problem, or of the wire
    /// that does not fit.
    pub fn from_json(json: &str) -> Result<Self, GraphError> {
        let graph: Graph =
            serde_json::from_str(json).map_err(|error| GraphError::Unreadable(error.to_string()))?;
        // A hand-edited file may hold ids at or past `next_id`; keep new ids fresh.
        let highest = graph.nodes.keys().map(|id| id.0.saturating_add(1)).max().unwrap_or(0);
        Ok(Graph { next_id: graph.next_id.max(highest), ..graph })
    }
}

/// The graph as JSON writes it: ports by name, as people read them.
mod named {
    use serde::{Deserialize, Serialize};

    use super::{Graph, InPort, Node, NodeId, OutPort, Sweep, Wire};

    #[derive(Serialize, Deserialize)]
    pub struct GraphByNames {
        nodes: Vec<Node>,
        #[serde(default)]
        wires: Vec<WireByNames>,
        #[serde(default)]
        next_id: u32,
        #[serde(default, skip_serializing_if = "Sweep::is_empty")]
        sweep: Sweep,
    }

    #[derive(Serialize, Deserialize)]
    struct WireByNames {
        from: PortByName,
        to: PortByName,
    }

    #[derive(Serialize, Deserialize)]
    struct PortByName {
        node: NodeId,
        port: String,
    }

    impl From<Graph> for GraphByNames {
        fn from(graph: Graph) -> Self {
            let name = |spec: Option<&'static crate::core::model::catalogue::PortSpec>| {
                spec.map_or_else(String::new, |port| port.name.to_owned())
            };
            let wires = graph
                .wires()
                .map(|wire| WireByNames {
                    from: PortByName { node: wire.from.node, port: name(graph.output_spec(wire.from)) },
                    to: PortByName { node: wire.to.node, port: name(graph.input_spec(wire.to)) },
                })
                .collect();
            GraphByNames {
                nodes: graph.nodes.into_values().collect(),
                wires,
                next_id: graph.next_id,
                sweep: graph.sweep,
            }
        }
    }

    impl TryFrom<GraphByNames> for Graph {
        type Error = String;

        fn try_from(named: GraphByNames) -> Result<Self, String> {
            let kinds: std::collections::HashMap<NodeId, _> =
                named.nodes.iter().map(|node| (node.id, node.kind)).collect();
            let index = |port: &PortByName, output: bool| -> Result<usize, String> {
                let kind = kinds
                    .get(&port.node)
                    .ok_or_else(|| text!("graph-wire-to-missing-node", node = port.node.to_string()))?;
                let (ports, side) =
                    if output { (kind.spec().outputs, "output") } else { (kind.spec().inputs, "input") };
                ports.iter().position(|spec| spec.name == port.port).ok_or_else(|| {
                    text!(
                        "graph-no-such-named-port",
                        kind = kind.to_string(),
                        node = port.node.to_string(),
                        side = side,
                        port = quoted(&port.port)
                    )
                })
            };
            // A wire to a port its kind no longer has (`catalogue::RETIRED_PORTS`) is dropped.
            let retired = |port: &PortByName, output: bool| {
                kinds.get(&port.node).is_some_and(|kind| kind.retired_port_named(output, &port.port))
            };
            let wires = named
                .wires
                .iter()
                .filter(|wire| !retired(&wire.from, true) && !retired(&wire.to, false))
                .map(|wire| {
                    Ok(Wire {
                        from: OutPort { node: wire.from.node, index: index(&wire.from, true)? },
                        to: InPort { node: wire.to.node, index: index(&wire.to, false)? },
                    })
                })
                .collect::<Result<Vec<_>, String>>()?;
            let mut graph = Graph::from_parts(named.nodes, wires, named.next_id)?;
            graph.set_sweep(named.sweep);
            Ok(graph)
        }
    }

    /// `text` quoted for a message, cut to 40 characters and with control characters
    /// escaped: a hostile name stays short and plain.
    pub(crate) fn quoted(text: &str) -> String {
        let short: String = text.chars().take(40).collect();
        let ellipsis = if short.len() < text.len() { "…" } else { "" };
        format!("{short:?}{ellipsis}")
    }
}

pub(crate) use named::quoted;

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
        graph.connect_named(a, "dataset", sampler, "dataset").unwrap();
        graph.connect_named(b, "dataset", sampler, "dataset").unwrap();
        assert_eq!(graph.wire_count(), 1);
        let input = graph.input(sampler, "dataset").unwrap();
        assert_eq!(graph.wire_into(input).unwrap().node, b);
    }

    #[test]
    fn a_wire_to_a_port_that_does_not_exist_is_refused() {
        let mut graph = Graph::new();
        let a = graph.add_node(NodeKind::Dataset, Pos { x: 0.0, y: 0.0 });
        let before = graph.clone();
        let error = graph.connect(OutPort { node: a, index: 0 }, InPort { node: a, index: 0 }).unwrap_err();
        assert!(matches!(error, GraphError::NoSuchPort { side: "input", .. }), "{error}");
        assert_eq!(
            graph.connect_named(a, "dataset", NodeId(9), "dataset").unwrap_err(),
            "node #9 has no input `dataset`"
        );
        assert_eq!(graph, before);
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

    #[test]
    fn nodes_are_added_and_moved_only_within_the_coordinates_a_graph_may_use() {
        use crate::core::model::graph_check::check_graph;
        use crate::core::model::limits::MAX_COORDINATE;
        let mut graph = Graph::new();
        let far = graph.add_node(NodeKind::Network, Pos { x: 5.0e6, y: f32::NAN });
        assert_eq!(graph.node(far).unwrap().pos, Pos { x: MAX_COORDINATE, y: 0.0 });
        graph.move_node(far, Pos { x: f32::NEG_INFINITY, y: 2.0e6 });
        assert_eq!(graph.node(far).unwrap().pos, Pos { x: -MAX_COORDINATE, y: MAX_COORDINATE });
        let copy =
            graph.add_copy(&graph.node(far).unwrap().clone(), Pos { x: -MAX_COORDINATE - 30.0, y: 0.0 });
        assert_eq!(graph.node(copy).unwrap().pos.x, -MAX_COORDINATE);
        assert_eq!(check_graph(&graph), Ok(()), "what the editor made, a link can carry");
    }

    #[test]
    fn a_renumbered_graph_is_the_same_graph_with_room_for_ids() {
        use crate::core::model::sweep_settings::SweptParam;
        let mut graph = crate::core::model::templates::basic_loop();
        let sgd = graph.nodes_of(NodeKind::SgdOptimizer).next().unwrap().id;
        let mut sweep = graph.sweep().clone();
        sweep.params.push(SweptParam {
            node: sgd,
            param: "learning_rate".to_owned(),
            values: "0.1, 0.3".to_owned(),
        });
        graph.set_sweep(sweep);
        let far = Graph::from_parts(
            graph.nodes().map(|node| Node { id: NodeId(node.id.0 + 900_000_000), ..node.clone() }).collect(),
            graph
                .wires()
                .map(|wire| Wire {
                    from: OutPort { node: NodeId(wire.from.node.0 + 900_000_000), index: wire.from.index },
                    to: InPort { node: NodeId(wire.to.node.0 + 900_000_000), index: wire.to.index },
                })
                .collect(),
            999_999_999,
        )
        .unwrap();
        let mut far = far;
        let mut sweep = graph.sweep().clone();
        sweep.params[0].node = NodeId(sgd.0 + 900_000_000);
        far.set_sweep(sweep);
        let renumbered = far.renumbered();
        assert_eq!(renumbered.next_id(), u32::try_from(graph.node_count()).unwrap() + 1);
        assert_eq!(renumbered.wire_count(), graph.wire_count());
        let kinds = |graph: &Graph| {
            graph
                .wires()
                .map(|wire| {
                    (
                        graph.node(wire.from.node).unwrap().kind,
                        wire.from.index,
                        graph.node(wire.to.node).unwrap().kind,
                        wire.to.index,
                    )
                })
                .collect::<Vec<_>>()
        };
        assert_eq!(kinds(&renumbered), kinds(&graph), "the same wires between the same kinds");
        let swept = renumbered.sweep().params[0].node;
        assert_eq!(
            renumbered.node(swept).unwrap().kind,
            NodeKind::SgdOptimizer,
            "the sweep follows its node"
        );
    }

    #[test]
    fn typed_updates_write_only_what_changed_and_refuse_as_set_param_does() {
        use crate::core::model::catalogue::{AdamParams, NodeParams, SgdParams};
        let mut graph = Graph::new();
        let sgd = graph.add_node(NodeKind::SgdOptimizer, Pos { x: 0.0, y: 0.0 });
        let mut node = graph.node(sgd).unwrap().clone();
        graph.update_params(sgd, |params: &mut SgdParams| params.momentum = 0.9).unwrap();
        node.params.insert("momentum".to_owned(), ParamValue::Float(0.9));
        assert_eq!(graph.node(sgd), Some(&node), "momentum changed, and nothing else");
        // Any optimizer's learning rate, through the parameters of whatever kind it is.
        graph
            .update_params(sgd, |params: &mut NodeParams| *params.learning_rate_mut().unwrap() = 0.5)
            .unwrap();
        assert_eq!(SgdParams::read(graph.node(sgd).unwrap()).unwrap().learning_rate, 0.5);

        let before = graph.clone();
        let error = graph
            .update_params(sgd, |params: &mut SgdParams| {
                params.weight_decay = 0.1;
                params.momentum = 1.5;
            })
            .unwrap_err();
        assert!(
            matches!(error, GraphError::InvalidParam { ref param, .. } if param == "momentum"),
            "{error}"
        );
        assert_eq!(graph, before, "nothing of a refused update is written");
        let error = graph.update_params(sgd, |params: &mut AdamParams| params.beta1 = 0.5).unwrap_err();
        assert!(matches!(error, GraphError::Params(_)), "{error}");
        assert_eq!(graph, before);
    }

    #[test]
    fn json_names_ports_and_reads_back_the_same_graph() {
        let graph = crate::core::model::templates::basic_loop();
        let json = graph.to_json();
        assert!(json.contains("\"port\": \"predictions\""), "{json}");
        assert_eq!(Graph::from_json(&json).unwrap(), graph);
    }
}
