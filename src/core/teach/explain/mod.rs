//! Explain mode's answers: what an element of the page is, why it matters, and — for the
//! optimizer, the losses, the network's layers and the schedules — its formula with the
//! current numbers plugged in.
//!
//! Every element the page explains carries a key (`data-explain`): the name of one of the
//! page's parts (`train-button`, `loss-chart`), explained by the page's text
//! (`text/en/explanations.md`, [`text`]); or one of the graph's own things, explained from the
//! catalogue, that text and the run: `node:3` (node 3), `param:3:learning_rate`,
//! `port:3:in:loss`, `wire:1:batch->3:input`, `kind:SGDOptimizer` (a kind, as the palette
//! offers it), `layer:ReLU`.

pub mod formula;
pub mod text;

use crate::core::compile::plan::TrainingPlan;
use crate::core::model::catalogue::{NodeKind, PortSpec};
use crate::core::model::graph::{Graph, Node};
use crate::core::model::node_id::NodeId;
use crate::core::model::number_text;
use crate::core::report::epoch_stats::EpochStats;

pub use formula::FormulaLine;
pub use text::Entry;

/// What the explanations read of the page's state.
#[derive(Clone, Copy)]
pub struct Situation<'a> {
    pub graph: &'a Graph,
    /// The graph compiled, where it compiles: the shapes a layer's formula shows.
    pub plan: Option<&'a TrainingPlan>,
    /// The run's latest epoch, if one has trained: the numbers formulas plug in.
    pub latest: Option<&'a EpochStats>,
}

/// One element explained.
#[derive(Clone, Debug, PartialEq)]
pub struct Explanation {
    pub title: String,
    /// What it is (inline markdown).
    pub what: String,
    /// Why it matters (inline markdown), where the text says.
    pub why: Option<String>,
    /// Its formula, each line with the current numbers; empty for most elements.
    pub formula: Vec<FormulaLine>,
}

impl Explanation {
    fn from_entry(entry: &Entry) -> Self {
        Self {
            title: entry.title.clone(),
            what: entry.what.clone(),
            why: entry.why.clone(),
            formula: Vec::new(),
        }
    }
}

/// The explanation of the element keyed `key`, in `situation`; `None` for a key nothing
/// explains (a node or a port no longer in the graph, a name the text lacks).
pub fn explain(key: &str, situation: &Situation) -> Option<Explanation> {
    let graph = situation.graph;
    if let Some(id) = key.strip_prefix("node:") {
        let node = graph.node(node_id(id)?)?;
        return Some(node_explained(node, situation));
    }
    if let Some(rest) = key.strip_prefix("param:") {
        let (id, name) = rest.split_once(':')?;
        return param_explained(graph.node(node_id(id)?)?, name);
    }
    if let Some(rest) = key.strip_prefix("port:") {
        let mut parts = rest.splitn(3, ':');
        let node = graph.node(node_id(parts.next()?)?)?;
        let input = match parts.next()? {
            "in" => true,
            "out" => false,
            _ => return None,
        };
        let name = parts.next()?;
        let spec = node.kind.spec();
        let port = if input { spec.input(name) } else { spec.output(name) }?;
        return Some(port_explained(node.kind, port, input));
    }
    if let Some(name) = key.strip_prefix("kind:") {
        let spec = NodeKind::from_name(name)?.spec();
        let entry = text::entry(key);
        return Some(Explanation {
            title: spec.name.to_owned(),
            what: entry.map_or_else(|| spec.help(), |entry| entry.what.clone()),
            why: entry.and_then(|entry| entry.why.clone()),
            formula: Vec::new(),
        });
    }
    if let Some(label) = key.strip_prefix("wire:") {
        return wire_explained(graph, label);
    }
    text::entry(key).map(Explanation::from_entry)
}

fn node_id(text: &str) -> Option<NodeId> {
    text.parse().ok().map(NodeId)
}

fn node_explained(node: &Node, situation: &Situation) -> Explanation {
    let spec = node.kind.spec();
    let entry = text::entry(&format!("kind:{}", spec.name));
    Explanation {
        title: spec.name.to_owned(),
        what: entry.map_or_else(|| spec.help(), |entry| entry.what.clone()),
        why: entry.and_then(|entry| entry.why.clone()),
        formula: formula::of_node(node, situation),
    }
}

fn param_explained(node: &Node, name: &str) -> Option<Explanation> {
    let kind = node.kind.spec();
    kind.param(name)?;
    let entry = text::entry(&format!("param:{}.{name}", kind.name));
    let value = node.param(name).map(|value| value.to_string()).unwrap_or_default();
    let what = entry.map_or_else(|| kind.param_help(name), |entry| entry.what.clone());
    Some(Explanation {
        title: format!("{}.{name}", kind.name),
        what: if value.is_empty() { what } else { text!("explained-param-now", what = what, value = value) },
        why: entry.and_then(|entry| entry.why.clone()),
        formula: Vec::new(),
    })
}

fn port_explained(kind: NodeKind, port: &PortSpec, input: bool) -> Explanation {
    let carried = text::entry(&format!("type:{}", port.ty));
    let spec = kind.spec();
    let help = if input { spec.input_help(port.name) } else { spec.output_help(port.name) };
    let (kind, name) = (spec.name, port.name);
    Explanation {
        title: match input {
            true => text!("explained-input", kind = kind, port = name),
            false => text!("explained-output", kind = kind, port = name),
        },
        what: format!("{}.", help.trim_end_matches('.')),
        why: carried.map(|entry| entry.what.clone()),
        formula: Vec::new(),
    }
}

/// A wire, by the label `Graph::wire_label` gives it (`1:batch->3:input`).
fn wire_explained(graph: &Graph, label: &str) -> Option<Explanation> {
    let wire = graph.wires().find(|wire| graph.wire_label(*wire) == label)?;
    let from = graph.node(wire.from.node)?.kind.spec();
    let to = graph.node(wire.to.node)?.kind.spec();
    let out = graph.output_spec(wire.from)?;
    let into = graph.input_spec(wire.to)?;
    let carried = text::entry(&format!("type:{}", out.ty));
    let general = text::entry("wire");
    Some(Explanation {
        title: format!("{}.{} → {}.{}", from.name, out.name, to.name, into.name),
        what: carried.map_or_else(
            || text!("explained-wire-carries", carried = out.ty.to_string(), from = from.name, to = to.name),
            |entry| entry.what.clone(),
        ),
        why: general.map(|entry| entry.what.clone()),
        formula: Vec::new(),
    })
}

/// `number` as formulas show it.
fn shown(number: f64) -> String {
    number_text::short(number)
}
