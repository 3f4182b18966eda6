//! What an experiment from outside — a link, a file, an old autosave — may hold.
//!
//! Links are untrusted input: anyone can write one. Decoders first bound the bytes they
//! expand (see `link`), then [`check`] every count, name, number and reference here, so a
//! graph that reaches the editor is one the editor could have made. Anything else is refused
//! whole, with a sentence saying what is wrong: never a half-loaded graph.

use std::collections::{BTreeMap, BTreeSet};

use super::experiment::{Experiment, MAX_SCALE, MIN_SCALE};
use super::graph::{Graph, Node};
use super::params::ParamValue;

/// The most nodes a graph may hold (the editor stays responsive well past this).
pub const MAX_NODES: usize = 2000;
/// The most wires a graph may hold.
pub const MAX_WIRES: usize = 8000;
/// The largest node id, and `next_id`; far past what editing makes, and far from overflow.
pub const MAX_ID: u32 = 1_000_000_000;
/// How far from the origin a node may sit, in canvas units.
pub const MAX_COORDINATE: f32 = 1.0e6;
/// How far the view may be panned, in screen pixels.
pub const MAX_OFFSET: f32 = 1.0e7;
/// The most entries in a list parameter (class weights, layers).
pub const MAX_LIST: usize = 1024;
/// The longest name or text value (parameter, port, choice), in bytes.
pub const MAX_NAME: usize = 64;

/// Checks `experiment` against every bound above and the catalogue.
///
/// # Errors
/// The first problem found, as a sentence for the user. Names from the input appear quoted
/// and shortened, as text.
pub fn check(experiment: &Experiment) -> Result<(), String> {
    check_graph(&experiment.graph)?;
    let view = experiment.view;
    if !(view.offset_x.is_finite() && view.offset_y.is_finite() && view.scale.is_finite()) {
        return Err("its view holds a number that is not finite".to_owned());
    }
    if view.offset_x.abs() > MAX_OFFSET || view.offset_y.abs() > MAX_OFFSET {
        return Err(format!("its view is panned further than {MAX_OFFSET} pixels"));
    }
    if !(MIN_SCALE..=MAX_SCALE).contains(&view.scale) {
        return Err(format!("its zoom {} is outside {MIN_SCALE}..={MAX_SCALE}", view.scale));
    }
    Ok(())
}

fn check_graph(graph: &Graph) -> Result<(), String> {
    if graph.nodes().len() > MAX_NODES {
        return Err(format!("it has {} nodes; at most {MAX_NODES} are allowed", graph.nodes().len()));
    }
    if graph.wires().len() > MAX_WIRES {
        return Err(format!("it has {} wires; at most {MAX_WIRES} are allowed", graph.wires().len()));
    }
    if graph.next_id() > MAX_ID {
        return Err(format!("its next node id {} is past {MAX_ID}", graph.next_id()));
    }
    // By id, so that checking 8000 wires does not search 2000 nodes for each end.
    let mut nodes = BTreeMap::new();
    for node in graph.nodes() {
        if node.id.0 > MAX_ID {
            return Err(format!("node id {} is past {MAX_ID}", node.id.0));
        }
        if nodes.insert(node.id, node).is_some() {
            return Err(format!("two nodes share the id {}", node.id));
        }
        check_node(node)?;
    }
    let mut fed = BTreeSet::new();
    for wire in graph.wires() {
        let end = |port: &super::graph::PortRef, output: bool| -> Result<(), String> {
            let node = nodes
                .get(&port.node)
                .ok_or_else(|| format!("a wire ends at node {}, which is missing", port.node))?;
            let spec = node.kind.spec();
            let found =
                if output { spec.output(&port.port).is_some() } else { spec.input(&port.port).is_some() };
            if found {
                Ok(())
            } else {
                let side = if output { "output" } else { "input" };
                Err(format!("{} {} has no {side} {}", node.kind, node.id, quoted(&port.port)))
            }
        };
        end(&wire.from, true)?;
        end(&wire.to, false)?;
        if !fed.insert(&wire.to) {
            return Err(format!("input {} takes two wires; an input takes one", wire.to));
        }
    }
    Ok(())
}

fn check_node(node: &Node) -> Result<(), String> {
    let (x, y) = (node.pos.x, node.pos.y);
    if !(x.is_finite() && y.is_finite()) {
        return Err(format!("{} {} sits at a position that is not a finite number", node.kind, node.id));
    }
    if x.abs() > MAX_COORDINATE || y.abs() > MAX_COORDINATE {
        return Err(format!("{} {} sits further than {MAX_COORDINATE} from the origin", node.kind, node.id));
    }
    let spec = node.kind.spec();
    for (name, value) in &node.params {
        let param = spec
            .param(name)
            .ok_or_else(|| format!("{} {} has no parameter {}", node.kind, node.id, quoted(name)))?;
        let too_long = match value {
            ParamValue::Text(text) => text.len() > MAX_NAME,
            ParamValue::Floats(values) => values.len() > MAX_LIST,
            ParamValue::Layers(layers) => layers.len() > MAX_LIST,
            _ => false,
        };
        if too_long {
            return Err(format!("{} {}: `{name}` is longer than allowed", node.kind, node.id));
        }
        param.check(value).map_err(|reason| format!("{} {}: `{name}` {reason}", node.kind, node.id))?;
    }
    Ok(())
}

/// `text` quoted for a message, cut to 40 characters and with control characters escaped:
/// a hostile name stays short and plain.
fn quoted(text: &str) -> String {
    let short: String = text.chars().take(40).collect();
    let ellipsis = if short.len() < text.len() { "…" } else { "" };
    format!("{short:?}{ellipsis}")
}
