//! Inside the network, for 2-D datasets: every hidden unit's output over the input plane
//! (TensorFlow Playground's neuron pictures), and the weights and biases between the units
//! shown, from which the page draws the lines and writes each unit's formula.
//!
//! A hidden layer is what feeds a linear layer after the first: the units of the linear
//! layer before it, after its activation (and any norm or dropout in between). Layers are
//! named by the index of the linear layer the units belong to, counting from 0, so the
//! default 2-16-16-2 network has hidden layers 0 and 1 of 16 units, and its outputs are
//! linear layer 2.

use serde::{Deserialize, Serialize};

/// The grid the pictures are evaluated on: `NEURON_RESOLUTION²` cells of the field's plane
/// (`report::field::grid_points`). Coarser than the decision boundary's: a picture is drawn
/// small, and there is one per unit.
pub const NEURON_RESOLUTION: usize = 24;

/// The most units of a layer whose pictures and weights are computed: the first ones. A wider
/// layer is summarised by the page (how many units it has, how many are shown).
pub const MOST_UNITS_SHOWN: usize = 64;

/// The pictures of every hidden unit shown, and the outputs', on a grid of the input plane.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NeuronPictures {
    /// Cells per side of each picture (rows from the top, as in `report::field`).
    pub resolution: usize,
    /// The hidden layers, input side first, then the output layer.
    pub layers: Vec<UnitLayer>,
}

/// One layer of units: their pictures, and the weights into them from the units shown in
/// the layer before (or from the inputs).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct UnitLayer {
    /// The index of the linear layer the units belong to, counting from 0.
    pub linear: usize,
    /// Whether these are the network's outputs (raw, before any softmax).
    pub output: bool,
    /// How many units the layer has.
    pub width: usize,
    /// How many are shown: the first `shown` (at most [`MOST_UNITS_SHOWN`]).
    pub shown: usize,
    /// Each unit's value at each cell: `[shown][resolution²]`, unit by unit.
    pub values: Vec<f32>,
    /// The weights into the units shown from the units (or inputs) shown before:
    /// `[inputs shown][shown]`, row-major, as burn stores a linear layer (`y = x W + b`).
    pub weights: Vec<f32>,
    /// Each shown unit's bias.
    pub biases: Vec<f32>,
}

impl UnitLayer {
    /// Unit `unit`'s picture: its value at each cell.
    pub fn picture(&self, unit: usize, resolution: usize) -> &[f32] {
        let cells = resolution * resolution;
        self.values.get(unit * cells..(unit + 1) * cells).unwrap_or(&[])
    }

    /// The weight from input `from` (of those shown before) into unit `to`.
    pub fn weight(&self, from: usize, to: usize) -> Option<f32> {
        self.weights.get(from * self.shown + to).copied()
    }

    /// How many inputs of this layer are shown (the units shown in the layer before).
    pub fn inputs_shown(&self) -> usize {
        self.weights.len().checked_div(self.shown).unwrap_or(0)
    }

    /// The largest magnitude in unit `unit`'s picture: the scale it is drawn on.
    pub fn largest_magnitude(&self, unit: usize, resolution: usize) -> f32 {
        largest_magnitude(self.picture(unit, resolution))
    }
}

/// The first linear layer's weights for image data, one image per unit: what each unit of
/// the first layer looks for in the picture (positive weights where it wants ink).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct InputWeights {
    /// The image's shape, `[rows, columns]` (the digits: `[8, 8]`, of their `[1, 8, 8]`).
    pub shape: [usize; 2],
    /// Units in the layer.
    pub width: usize,
    /// Units shown: the first `shown` (at most [`MOST_UNITS_SHOWN`]).
    pub shown: usize,
    /// Each shown unit's weights, unit by unit: `[shown][rows × columns]`.
    pub weights: Vec<f32>,
}

impl InputWeights {
    /// Unit `unit`'s weights, pixel by pixel, row by row.
    pub fn image(&self, unit: usize) -> &[f32] {
        let pixels = self.shape[0] * self.shape[1];
        self.weights.get(unit * pixels..(unit + 1) * pixels).unwrap_or(&[])
    }

    /// The largest magnitude in unit `unit`'s image: the scale it is drawn on.
    pub fn largest_magnitude(&self, unit: usize) -> f32 {
        largest_magnitude(self.image(unit))
    }
}

/// The largest magnitude among `values` (finite ones; 0 for none).
fn largest_magnitude(values: &[f32]) -> f32 {
    values.iter().filter(|value| value.is_finite()).fold(0.0, |most, value| most.max(value.abs()))
}

/// What the model says of one input a learner gives it (a point, a drawing, a row).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ProbeAnswer {
    /// The input, flattened, as it was asked.
    pub inputs: Vec<f32>,
    /// A classifier's class probabilities (they sum to 1), or a regression's value.
    pub outputs: Vec<f32>,
    /// Whether `outputs` are probabilities.
    pub probabilities: bool,
    /// Each hidden layer's shown units at this input (as [`UnitLayer::shown`]).
    pub hidden: Vec<Vec<f32>>,
}

impl ProbeAnswer {
    /// The predicted class: the likeliest (the first of equals); `None` for a regression.
    pub fn class(&self) -> Option<usize> {
        if !self.probabilities {
            return None;
        }
        self.outputs
            .iter()
            .enumerate()
            .fold(None, |best: Option<(usize, f32)>, (index, &p)| match best {
                Some((_, q)) if q >= p => best,
                _ => Some((index, p)),
            })
            .map(|(index, _)| index)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layer() -> UnitLayer {
        UnitLayer {
            linear: 1,
            output: false,
            width: 3,
            shown: 2,
            values: vec![0.0, 1.0, -3.0, 2.0, 4.0, 5.0, 6.0, f32::NAN],
            weights: vec![0.1, 0.2, 0.3, 0.4, 0.5, 0.6],
            biases: vec![1.0, -1.0],
        }
    }

    #[test]
    fn a_layer_reads_each_units_picture_and_each_weight() {
        let layer = layer();
        assert_eq!(layer.picture(0, 2), [0.0, 1.0, -3.0, 2.0]);
        assert_eq!(layer.picture(1, 2)[..3], [4.0, 5.0, 6.0]);
        assert!(layer.picture(2, 2).is_empty());
        assert_eq!(layer.inputs_shown(), 3);
        assert_eq!(layer.weight(2, 1), Some(0.6));
        assert_eq!(layer.weight(1, 0), Some(0.3));
        assert_eq!(layer.largest_magnitude(0, 2), 3.0);
        assert_eq!(layer.largest_magnitude(1, 2), 6.0, "NaN left out");
    }

    #[test]
    fn a_probe_predicts_the_likeliest_class_and_a_regression_none() {
        let answer = |outputs: Vec<f32>, probabilities| ProbeAnswer {
            inputs: vec![0.0, 0.0],
            outputs,
            probabilities,
            hidden: Vec::new(),
        };
        assert_eq!(answer(vec![0.2, 0.5, 0.3], true).class(), Some(1));
        assert_eq!(answer(vec![0.5, 0.5], true).class(), Some(0));
        assert_eq!(answer(vec![0.7], false).class(), None);
    }
}
