//! The graph and its vocabulary: nodes, ports, wires, parameters and their choices, the
//! catalogue of node kinds, the sweep a graph asks for, templates. Imports nothing else of
//! the core.

pub mod catalogue;
pub mod choice;
pub mod choices;
pub mod file_ref;
pub mod graph;
pub mod graph_check;
pub mod graph_diff;
pub mod layer_text;
pub mod limit_error;
pub mod limits;
pub mod node_id;
pub mod number_text;
pub mod params;
pub mod ports;
pub mod sweep;
pub mod sweep_error;
pub mod sweep_settings;
pub mod sweep_spec;
pub mod templates;
mod value_format;
pub mod wiring;
