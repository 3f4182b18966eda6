//! The UI-free core: graph model, node catalogue, validation, compiler, training engine.
//!
//! Nothing here depends on a browser: it builds and is tested natively.

pub mod batch_order;
pub mod budget;
pub mod catalogue;
pub mod checkpoint;
pub mod choice;
pub mod clip;
pub mod compile;
pub mod compile_error;
pub mod confusion;
pub mod dataset;
pub mod decimate;
pub mod device;
pub mod early_stop;
pub mod experiment;
pub mod export;
pub mod field;
pub mod graph;
pub mod graph_file;
pub mod limits;
pub mod link;
pub mod loss;
pub mod metrics;
pub mod model;
pub mod node_params;
pub mod objective;
pub mod optimizer;
pub mod params;
pub mod plan;
pub mod plan_nodes;
pub mod pytorch_weights;
pub mod run;
pub mod samples;
pub mod saved_graph;
pub mod schedule;
pub mod shapes;
pub mod step;
pub mod templates;
pub mod train;
pub mod validate;
mod value_format;
pub mod view_budget;
pub mod view_refresh;
pub mod weights;
pub mod wiring;
