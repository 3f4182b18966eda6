//! What an experiment from outside — a link, a file, an old autosave — may hold.
//!
//! Links are untrusted input: anyone can write one. Decoders first bound the bytes they
//! expand (see `document::link`), then check every count, name, number and reference against
//! these bounds (`graph_check`, `document::experiment::check`), so a graph that reaches the
//! editor is one the editor could have made. Anything else is refused whole, with a sentence
//! saying what is wrong: never a half-loaded graph.

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
