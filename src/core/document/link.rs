//! Share links: an experiment as URL-safe text, for the fragment of a link (`#g=…`).
//!
//! The text is base64url (no padding) of
//!
//! ```text
//! [format version: 1 byte][raw DEFLATE of postcard(LinkV1)]
//! ```
//!
//! where parameters equal to their catalogue default are left out (they come back on
//! reading) and a wire names its ports by their position in the catalogue entry. Reading is total: every string gives an experiment or a [`ReadError`], never a
//! panic. The expanded size is capped while inflating, so a decompression bomb stops at
//! [`MAX_EXPANDED_BYTES`]; what expands is then checked against `limits`.
//!
//! Versions: 1 is the first format; 2 adds the graph's sweep (`sweep_spec`); 3 adds a lesson
//! (`teach::lesson`, as its JSON text: the lesson's own schema, checked on reading). Each is
//! written only when it is needed — a graph without a sweep or a lesson as version 1 — so
//! pages from before sweeps and lessons open what they can. A
//! later version gets a new arm in [`decode`] that reads the old bytes and migrates them;
//! `tests/links/` keeps a link of every version.

use std::io::{Read, Write};

use base64::Engine;
use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
use flate2::Compression;
use flate2::read::DeflateDecoder;
use flate2::write::DeflateEncoder;

use serde::{Deserialize, Serialize};

use crate::core::compile::budget;
use crate::core::document::experiment::{Experiment, ReadError, View, WriteError};
use crate::core::model::graph::{Graph, InPort, Node, OutPort, Wire};
use crate::core::model::limits;
use crate::core::model::node_id::NodeId;
use crate::core::model::sweep_settings::Sweep;
use crate::core::teach::lesson::Lesson;

/// The newest format version links are written in (older when it holds all of the graph).
pub const VERSION: u8 = 3;
/// The longest link text read; longer is refused before decoding.
pub const MAX_TEXT_CHARS: usize = 2 * 1024 * 1024;
/// The most bytes a link may expand to; a 2000-node graph needs a fraction of it.
pub const MAX_EXPANDED_BYTES: usize = 1024 * 1024;

/// base64url without padding; reading also accepts padding.
const BASE64: GeneralPurpose = GeneralPurpose::new(
    &base64::alphabet::URL_SAFE,
    GeneralPurposeConfig::new()
        .with_encode_padding(false)
        .with_decode_padding_mode(DecodePaddingMode::Indifferent),
);

/// Version 1 of the link schema. Nodes are the model's (`NodeKind` by position, parameters
/// by name); every type here is frozen: a change is a new version.
#[derive(Serialize, Deserialize)]
struct LinkV1 {
    nodes: Vec<Node>,
    wires: Vec<WireV1>,
    next_id: u32,
    view: View,
}

/// Version 2: version 1 and the graph's sweep. Frozen like [`LinkV1`].
#[derive(Serialize, Deserialize)]
struct LinkV2 {
    link: LinkV1,
    sweep: Sweep,
}

/// Version 3: version 2 and a lesson, as JSON text. Frozen like [`LinkV1`].
#[derive(Serialize, Deserialize)]
struct LinkV3 {
    link: LinkV1,
    sweep: Sweep,
    lesson: String,
}

/// A wire: output number `output` of node `from` to input number `input` of node `to`.
#[derive(Serialize, Deserialize)]
struct WireV1 {
    from: u32,
    output: u8,
    to: u32,
    input: u8,
}

impl LinkV1 {
    /// `experiment`, which `limits::check` accepted.
    fn new(experiment: &Experiment) -> Result<Self, WriteError> {
        let graph = experiment.graph.without_defaults();
        let position = |index: usize| {
            u8::try_from(index).map_err(|_| WriteError::Encoding(text!("link-too-many-ports")))
        };
        let wires = graph
            .wires()
            .map(|wire| {
                Ok(WireV1 {
                    from: wire.from.node.0,
                    output: position(wire.from.index)?,
                    to: wire.to.node.0,
                    input: position(wire.to.index)?,
                })
            })
            .collect::<Result<_, WriteError>>()?;
        Ok(Self {
            nodes: graph.nodes().cloned().collect(),
            wires,
            next_id: graph.next_id(),
            view: experiment.view,
        })
    }

    fn into_experiment(self) -> Result<Experiment, ReadError> {
        let wires = self
            .wires
            .iter()
            .map(|wire| Wire {
                from: OutPort { node: NodeId(wire.from), index: usize::from(wire.output) },
                to: InPort { node: NodeId(wire.to), index: usize::from(wire.input) },
            })
            .collect();
        let graph = Graph::from_parts(self.nodes, wires, self.next_id).map_err(ReadError::Invalid)?;
        Ok(Experiment::new(graph.with_defaults(), self.view))
    }
}

/// `experiment` as link text.
///
/// # Errors
/// When the experiment is past the bounds every reader enforces (it could not be opened).
pub fn encode(experiment: &Experiment) -> Result<String, WriteError> {
    crate::core::document::experiment::check(experiment)?;
    let link = LinkV1::new(experiment)?;
    let sweep = experiment.graph.sweep();
    let (version, bytes) = match &experiment.lesson {
        Some(lesson) => {
            let lesson =
                serde_json::to_string(lesson).map_err(|error| WriteError::Encoding(error.to_string()))?;
            (3, postcard::to_allocvec(&LinkV3 { link, sweep: sweep.clone(), lesson }))
        }
        None if sweep.is_empty() => (1, postcard::to_allocvec(&link)),
        None => (2, postcard::to_allocvec(&LinkV2 { link, sweep: sweep.clone() })),
    };
    let encoding = |error: &dyn std::fmt::Display| WriteError::Encoding(error.to_string());
    let bytes = bytes.map_err(|error| encoding(&error))?;
    let mut deflate = DeflateEncoder::new(vec![version], Compression::best());
    deflate.write_all(&bytes).map_err(|error| encoding(&error))?;
    let packed = deflate.finish().map_err(|error| encoding(&error))?;
    Ok(BASE64.encode(packed))
}

/// Reads link text (the part after `#g=`).
///
/// # Errors
/// Why it cannot be opened, as a [`ReadError`].
pub fn decode(text: &str) -> Result<Experiment, ReadError> {
    let text = text.trim();
    if text.is_empty() {
        return Err(ReadError::Empty);
    }
    if text.len() > MAX_TEXT_CHARS {
        return Err(ReadError::TooLong { length: text.len(), max: MAX_TEXT_CHARS });
    }
    let bytes = BASE64.decode(text).map_err(|_| ReadError::Damaged(text!("link-not-base64")))?;
    let (&version, body) = bytes.split_first().ok_or(ReadError::Empty)?;
    match version {
        1 => decode_v1(body),
        2 => decode_v2(body),
        3 => decode_v3(body),
        0 => Err(ReadError::Damaged(text!("link-version-zero"))),
        newer => Err(ReadError::Newer { found: newer.into(), supported: VERSION }),
    }
}

/// Reads a link someone shared: [`decode`], then the page's budgets (`budget`), so a graph
/// the page has no room to train is refused on opening, with the figure. Autosaved entries
/// are read with [`decode`] alone: the editor made them, and nothing trains a graph past
/// the budgets (the compiler refuses it).
///
/// # Errors
/// Why it cannot be opened, as a [`ReadError`].
pub fn open(text: &str) -> Result<Experiment, ReadError> {
    let experiment = decode(text)?;
    budget::check(&experiment.graph)?;
    Ok(experiment)
}

/// Version 1: postcard of [`LinkV1`], deflated.
fn decode_v1(body: &[u8]) -> Result<Experiment, ReadError> {
    let link: LinkV1 = read_postcard(&inflate(body)?)?;
    into_checked(link, Sweep::default(), None)
}

/// Version 2: postcard of [`LinkV2`], deflated.
fn decode_v2(body: &[u8]) -> Result<Experiment, ReadError> {
    let LinkV2 { link, sweep }: LinkV2 = read_postcard(&inflate(body)?)?;
    into_checked(link, sweep, None)
}

/// Version 3: postcard of [`LinkV3`], deflated.
fn decode_v3(body: &[u8]) -> Result<Experiment, ReadError> {
    let LinkV3 { link, sweep, lesson }: LinkV3 = read_postcard(&inflate(body)?)?;
    let lesson = serde_json::from_str(&lesson)
        .map_err(|error| ReadError::Invalid(text!("link-lesson-unreadable", error = error.to_string())))?;
    into_checked(link, sweep, Some(lesson))
}

/// The value postcard `bytes` hold, and nothing after it.
fn read_postcard<'a, T: Deserialize<'a>>(bytes: &'a [u8]) -> Result<T, ReadError> {
    let (value, rest): (T, &[u8]) =
        postcard::take_from_bytes(bytes).map_err(|_| ReadError::Damaged(text!("link-not-a-graph")))?;
    if !rest.is_empty() {
        return Err(ReadError::Damaged(text!("link-bytes-past-end")));
    }
    Ok(value)
}

/// The experiment `link`, `sweep` and `lesson` make, once within every bound.
fn into_checked(link: LinkV1, sweep: Sweep, lesson: Option<Lesson>) -> Result<Experiment, ReadError> {
    if link.nodes.len() > limits::MAX_NODES || link.wires.len() > limits::MAX_WIRES {
        return Err(ReadError::Invalid(text!(
            "link-too-big",
            nodes = link.nodes.len(),
            wires = link.wires.len(),
            max_nodes = limits::MAX_NODES,
            max_wires = limits::MAX_WIRES
        )));
    }
    let mut experiment = link.into_experiment()?;
    experiment.graph.set_sweep(sweep);
    experiment.lesson = lesson;
    crate::core::document::experiment::check(&experiment)?;
    Ok(crate::core::document::experiment::with_room(experiment))
}

/// Inflates `body`, stopping one byte past [`MAX_EXPANDED_BYTES`]: memory stays bounded
/// whatever the input claims.
fn inflate(body: &[u8]) -> Result<Vec<u8>, ReadError> {
    let mut bytes = Vec::new();
    DeflateDecoder::new(body)
        .take(MAX_EXPANDED_BYTES as u64 + 1)
        .read_to_end(&mut bytes)
        .map_err(|_| ReadError::Damaged(text!("link-compressed-broken")))?;
    if bytes.len() > MAX_EXPANDED_BYTES {
        return Err(ReadError::TooLarge(MAX_EXPANDED_BYTES));
    }
    Ok(bytes)
}
