//! Experiments and checkpoints as they are stored and shared: links, graph files, autosave
//! entries, checkpoints with the trainer's state. Imports the layers below; never the engine.

pub mod built_in_lessons;
pub mod checkpoint;
pub mod experiment;
pub mod graph_file;
pub mod link;
pub mod metrics_csv;
pub mod saved_graph;
pub mod stored;
pub mod train_state;
