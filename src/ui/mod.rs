//! The leptos UI: a thin layer over `core` and `web`.
//!
//! `App` owns the graph and the training session and routes the engine's events; the canvas
//! draws the graph; the controls, metric readouts and charts show the session. Training is
//! the engine's, in a worker: the UI sends it commands (`engine`) and draws what it says.

pub mod app;
pub mod backend;
pub mod boundary;
pub mod canvas;
pub mod chart_backend;
pub mod checkpoints;
pub mod colours;
pub mod confusion;
pub mod controls;
pub mod crash;
pub mod csv_files;
pub mod csv_panel;
pub mod csv_probe;
pub mod diagnoses;
pub mod document_bar;
pub mod draw_pad;
pub mod editor;
pub mod embed;
pub mod engine;
pub mod explain;
pub mod export_menu;
pub mod input_weights_view;
pub mod inspector;
pub mod kept_aside;
pub mod layer_stats;
pub mod lessons;
pub mod local_work;
pub mod lr_range;
pub mod metrics;
pub mod minimap;
pub mod mistakes;
pub mod neuron_view;
pub mod node_view;
pub mod notices;
pub mod paced;
pub mod palette;
pub mod picture_buttons;
pub mod plot;
pub mod probe_answer;
pub mod run_start;
pub mod run_status;
pub mod run_view;
pub mod runs;
pub mod session;
pub mod shortcuts;
pub mod step_charts;
pub mod stored_items;
pub mod stored_panel;
pub mod sweep_charts;
pub mod sweep_panel;
pub mod sweep_session;
pub mod toolbar;
pub mod type_sample;
pub mod weights_bar;
pub mod wire_view;
pub mod words;
