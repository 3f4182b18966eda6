//! Training, on burn: the model, losses, optimizers, the trainer, and every long activity as a
//! state machine (`run`). Imports every layer above it in this list but `export`.

pub mod batch_norm;
pub mod clip;
pub mod conductor;
pub mod device;
pub mod image_layers;
pub mod layer_norms;
pub mod log_window;
pub mod loss;
pub mod metrics;
pub mod mlp;
pub mod network_optimizer;
pub mod objective;
pub mod optimizer;
pub mod pytorch_weights;
pub mod readback;
pub mod run;
pub mod samples;
pub mod step;
pub mod sweep_run;
pub mod train;
pub mod trial_run;
pub mod view_budget;
pub mod view_refresh;
pub mod warm_up;
pub mod weights;
