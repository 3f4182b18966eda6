//! The views of a model as one refresh computes them: what the page draws of the model
//! itself, beside the epochs' metrics.

use serde::{Deserialize, Serialize};

use crate::core::report::confusion::Confusion;
use crate::core::report::field::Field;
use crate::core::report::layer_stats::LayerActivity;
use crate::core::report::neurons::{InputWeights, NeuronPictures};

/// One refresh's views; each `None` where the model has no such view (or the refresh did
/// not compute it).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Views {
    /// The model over the input plane, for 2-D data.
    pub field: Option<Field>,
    /// A classifier's confusion matrix, with the samples it gets wrong.
    pub confusion: Option<Confusion>,
    /// Every hidden unit's picture over the input plane, for 2-D data.
    pub neurons: Option<NeuronPictures>,
    /// Each hidden layer's activations on a fixed batch.
    pub activity: Option<Vec<LayerActivity>>,
    /// The first layer's weights as images, for image data.
    pub input_weights: Option<InputWeights>,
}
