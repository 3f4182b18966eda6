//! Datasets: the generated 2-D sets, the digits and the shapes, CSV files of the user's own, and the
//! order an epoch visits the samples. Imports `model`.

pub mod column_stats;
pub mod csv_data;
pub mod csv_store;
pub mod dataset;
pub mod drawing;
pub mod model_input;
pub mod shapes;
