//! What training reports, as plain data: epoch statistics, step logs, the views (field,
//! confusion matrix), classification metrics, a sweep's trials. Imports the layers below.

pub mod bounded_curve;
pub mod class_metrics;
pub mod confusion;
pub mod decimate;
pub mod epoch_stats;
pub mod field;
pub mod layer_stats;
pub mod neuron_formula;
pub mod neurons;
pub mod range_test;
pub mod retune;
pub mod step_log;
pub mod sweep_progress;
pub mod train_error;
pub mod views;
