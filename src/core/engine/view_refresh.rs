//! One refresh of the views — the model over the input plane ([`Field`]), every hidden
//! unit's picture ([`NeuronPictures`]), the answer to a learner's probe ([`ProbeAnswer`]),
//! the hidden layers' activations on a fixed batch ([`LayerActivity`]) and the confusion
//! matrix ([`Confusion`]) — evaluated on a snapshot of the model, a piece at a
//! time.
//!
//! For a wide network the views cost more than the training between two publishes (a
//! 2-256-256-2 MLP: ≈ 0.3 GFLOP for a 48×48 field and ≈ 0.55 GFLOP for the confusion matrix
//! of 4096 samples). Cut into pieces of at most [`PIECE_FLOP`], each piece is a few
//! milliseconds, so the page runs one after a training slice without a long task, and a
//! budget (`core::view_budget`) decides how many.

use burn::tensor::activation::softmax;
use burn::tensor::{Device, Int, Tensor, TensorData};

use crate::core::compile::budget::{PIECE_FLOP, flop_per_row};
use crate::core::compile::plan::NetworkPlan;
use crate::core::engine::mlp::Mlp;
use crate::core::engine::readback::read;
use crate::core::engine::samples::{Samples, TargetTensor};
use crate::core::report::confusion::{Confusion, MOST_MISTAKES_KEPT, Mistake};
use crate::core::report::field::{Cells, Field, grid_points};
use crate::core::report::layer_stats::{HISTOGRAM_BINS, Histogram, LayerActivity, dead_units};
use crate::core::report::neurons::{InputWeights, MOST_UNITS_SHOWN, NeuronPictures, ProbeAnswer, UnitLayer};
use crate::core::report::train_error::TrainError;
use crate::core::report::views::Views;

/// A refresh under way: what is left to evaluate and what has been read back so far.
pub struct ViewRefresh {
    /// The model as it was when the refresh began, on the plain device (no gradients, no
    /// dropout): training goes on meanwhile without changing what the views show.
    model: Mlp,
    /// The plain device the model is on.
    device: Device,
    /// Rows (grid cells or samples) per piece.
    rows_per_piece: usize,
    /// `Some(classes)` for a classifier.
    classes: Option<usize>,
    field: Option<FieldPart>,
    neurons: Option<NeuronPart>,
    probe: Option<ProbePart>,
    activity: Option<ActivityPart>,
    input_weights: Option<InputWeightsPart>,
    confusion: Option<ConfusionPart>,
}

/// The first layer's weights as images: read in one piece.
struct InputWeightsPart {
    shape: [usize; 2],
    weights: Option<InputWeights>,
}

/// The hidden layers' activations on a fixed batch: evaluated in one piece.
struct ActivityPart {
    /// The batch's inputs, `[samples, features]`.
    inputs: Tensor<2>,
    /// For each hidden layer, whether it ends in ReLU (its silent units are counted).
    relu: Vec<bool>,
    layers: Option<Vec<LayerActivity>>,
}

/// The field so far: the grid's points, and the model's outputs for those done.
struct FieldPart {
    resolution: usize,
    points: Vec<f32>,
    /// `Some(classes)` for a classifier: its outputs become probabilities.
    classes: Option<usize>,
    outputs: Vec<f32>,
    done: usize,
}

/// The neuron pictures so far: each layer's shown units at the grid's points done.
struct NeuronPart {
    resolution: usize,
    points: Vec<f32>,
    /// Each layer's width and units shown: the hidden layers, then the output.
    widths: Vec<(usize, usize)>,
    /// Each layer's shown units, point by point: `[points done][shown]`.
    rows: Vec<Vec<f32>>,
    /// Each layer's weights (`[inputs shown][shown]`) and biases, read with the first piece.
    connections: Vec<(Vec<f32>, Vec<f32>)>,
    done: usize,
}

/// A probe: one input, and the model's answer once evaluated.
struct ProbePart {
    inputs: Vec<f32>,
    answer: Option<ProbeAnswer>,
}

/// The confusion matrix so far: counts over the samples done.
struct ConfusionPart {
    samples: Samples,
    which: &'static str,
    classes: usize,
    counts: Vec<u32>,
    mistakes: Vec<Mistake>,
    done: usize,
}

impl ViewRefresh {
    /// A refresh of `model` (on the plain `device`) for `network`: the field at
    /// `field_resolution` (when the network takes 2-D points; the outputs of a classifier of
    /// `classes` become probabilities), and the confusion matrix over `samples` (named
    /// `which`) of a classifier of `classes`.
    pub fn new(
        model: Mlp,
        network: &NetworkPlan,
        device: Device,
        field_resolution: Option<usize>,
        confusion: Option<(Samples, &'static str, usize)>,
        classes: Option<usize>,
    ) -> Self {
        let rows_per_piece = (PIECE_FLOP / flop_per_row(network).max(1)).max(1);
        let field = field_resolution.map(|resolution| FieldPart {
            resolution,
            points: grid_points(resolution),
            classes,
            outputs: Vec::with_capacity(resolution * resolution * network.out_features()),
            done: 0,
        });
        let confusion = confusion.map(|(samples, which, classes)| ConfusionPart {
            samples,
            which,
            classes,
            counts: vec![0; classes * classes],
            mistakes: Vec::new(),
            done: 0,
        });
        Self {
            model,
            device,
            rows_per_piece,
            classes,
            field,
            neurons: None,
            probe: None,
            activity: None,
            input_weights: None,
            confusion,
        }
    }

    /// Adds every hidden unit's picture (and the outputs') on a `resolution²` grid of the
    /// input plane. Only for a network that takes 2-D points and has a linear layer.
    pub fn with_neurons(mut self, resolution: usize) -> Self {
        let outs: Vec<usize> = self.model.linear_layers().map(|linear| linear.weight.dims()[1]).collect();
        let takes_points = self.model.input_linear().is_some_and(|linear| linear.weight.dims()[0] == 2);
        if takes_points {
            let widths: Vec<(usize, usize)> =
                outs.iter().map(|&width| (width, width.min(MOST_UNITS_SHOWN))).collect();
            self.neurons = Some(NeuronPart {
                resolution,
                points: grid_points(resolution),
                rows: widths
                    .iter()
                    .map(|&(_, shown)| Vec::with_capacity(resolution * resolution * shown))
                    .collect(),
                widths,
                connections: Vec::new(),
                done: 0,
            });
        }
        self
    }

    /// Adds the model's answer to `inputs` (one sample, flattened), when it has the
    /// network's number of features.
    pub fn with_probe(mut self, inputs: Vec<f32>) -> Self {
        let features = self.model.in_features();
        if features == Some(inputs.len()) {
            self.probe = Some(ProbePart { inputs, answer: None });
        }
        self
    }
    /// Adds each hidden layer's activations on `inputs` (`[samples, features]`, a fixed batch
    /// of at most [`ACTIVITY_SAMPLES`]): their histogram, and for the layers `relu` marks
    /// (those ending in ReLU) how many units never fire.
    pub fn with_activity(mut self, inputs: Tensor<2>, relu: Vec<bool>) -> Self {
        if inputs.dims()[0] > 0 {
            self.activity = Some(ActivityPart { inputs, relu, layers: None });
        }
        self
    }

    /// Adds the first linear layer's weights as images of `shape` (`[rows, columns]`), when
    /// it takes the input's pixels (no convolution before it) and that many.
    pub fn with_input_weights(mut self, shape: [usize; 2]) -> Self {
        let features = self.model.input_linear().map(|linear| linear.weight.dims()[0]);
        if features == Some(shape[0] * shape[1]) {
            self.input_weights = Some(InputWeightsPart { shape, weights: None });
        }
        self
    }

    /// Cuts the pieces to `rows` rows each (at least one): what [`PIECE_FLOP`] gives by
    /// default.
    pub fn with_rows_per_piece(mut self, rows: usize) -> Self {
        self.rows_per_piece = rows.max(1);
        self
    }

    /// Whether every piece has been evaluated.
    pub fn is_done(&self) -> bool {
        self.field.as_ref().is_none_or(|part| part.done == part.resolution * part.resolution)
            && self.neurons.as_ref().is_none_or(|part| part.done == part.resolution * part.resolution)
            && self.probe.as_ref().is_none_or(|part| part.answer.is_some())
            && self.activity.as_ref().is_none_or(|part| part.layers.is_some())
            && self.input_weights.as_ref().is_none_or(|part| part.weights.is_some())
            && self.confusion.as_ref().is_none_or(|part| part.done == part.samples.len())
    }

    /// Evaluates the next piece and reads it back (asynchronously); true when that was the
    /// last one.
    ///
    /// # Errors
    /// [`TrainError::Readback`] when the device fails to return the values.
    pub async fn piece(&mut self) -> Result<bool, TrainError> {
        let rows = self.rows_per_piece;
        if let Some(part) = self.field.as_mut().filter(|part| part.done < part.resolution * part.resolution) {
            let cells = part.resolution * part.resolution;
            let end = (part.done + rows).min(cells);
            let points = part.points[2 * part.done..2 * end].to_vec();
            let inputs = Tensor::<2>::from_data(TensorData::new(points, [end - part.done, 2]), &self.device);
            let outputs = self.model.forward(inputs); // [rows, out]
            let outputs = if part.classes.is_some() { softmax(outputs, 1) } else { outputs };
            let [count, width] = outputs.dims();
            let values = read(vec![outputs.reshape([count * width])]).await?;
            part.outputs.extend(values.into_iter().flatten().map(|x| x as f32));
            part.done = end;
        } else if let Some(part) = self.probe.as_mut().filter(|part| part.answer.is_none()) {
            part.answer = Some(answer(&self.model, &self.device, &part.inputs, self.classes).await?);
        } else if let Some(part) =
            self.neurons.as_mut().filter(|part| part.done < part.resolution * part.resolution)
        {
            neurons_piece(&self.model, &self.device, part, rows).await?;
        } else if let Some(part) = self.activity.as_mut().filter(|part| part.layers.is_none()) {
            part.layers = Some(activity(&self.model, part).await?);
        } else if let Some(part) = self.input_weights.as_mut().filter(|part| part.weights.is_none()) {
            part.weights = input_weights(&self.model, part.shape).await?;
        } else if let Some(part) = self.confusion.as_mut().filter(|part| part.done < part.samples.len()) {
            let end = (part.done + rows).min(part.samples.len());
            let order: Vec<i64> = (part.done as i64..end as i64).collect();
            let (inputs, targets) = part.samples.batch(&order);
            if let TargetTensor::Classes(targets) = targets {
                let predicted = self.model.forward(inputs.clone()).argmax(1).reshape([order.len()]); // [rows]
                let values = read(vec![predicted.float(), targets.float()]).await?;
                let (predicted, labels) = (&values[0], &values[1]);
                let mut wrong = Vec::new();
                for (row, (&label, &guess)) in labels.iter().zip(predicted).enumerate() {
                    let (label, guess) = (label as usize, guess as usize);
                    if let Some(count) = part.counts.get_mut(label * part.classes + guess) {
                        *count += 1;
                    }
                    if label != guess && part.mistakes.len() + wrong.len() < MOST_MISTAKES_KEPT {
                        wrong.push((row, label, guess));
                    }
                }
                if !wrong.is_empty() {
                    // The inputs of the samples predicted wrong, in one more read.
                    let rows: Vec<i64> = wrong.iter().map(|&(row, ..)| row as i64).collect();
                    let rows =
                        Tensor::<1, Int>::from_data(TensorData::new(rows, [wrong.len()]), &self.device);
                    let picked = inputs.select(0, rows);
                    let [count, features] = picked.dims();
                    let values = read(vec![picked.reshape([count * features])]).await?;
                    let values = values.into_iter().next().unwrap_or_default();
                    for ((row, label, predicted), inputs) in
                        wrong.into_iter().zip(values.chunks(features.max(1)))
                    {
                        let inputs = inputs.iter().map(|&x| x as f32).collect();
                        part.mistakes.push(Mistake { sample: part.done + row, label, predicted, inputs });
                    }
                }
            }
            part.done = end;
        }
        Ok(self.is_done())
    }

    /// Evaluates every piece left.
    ///
    /// # Errors
    /// [`TrainError::Readback`] when the device fails to return the values.
    pub async fn finish(&mut self) -> Result<(), TrainError> {
        while !self.piece().await? {}
        Ok(())
    }

    /// The field, once its pieces are done; `None` before, or when the network does not
    /// take 2-D points.
    pub fn field(&self) -> Option<Field> {
        let part = self.field.as_ref().filter(|part| part.done == part.resolution * part.resolution)?;
        Some(match part.classes {
            Some(classes) => Field::from_probabilities(part.resolution, &part.outputs, classes),
            None => Field { resolution: part.resolution, cells: Cells::Values(part.outputs.clone()) },
        })
    }

    /// Every hidden unit's picture, once its pieces are done; `None` before, or when the
    /// network does not take 2-D points.
    pub fn neurons(&self) -> Option<NeuronPictures> {
        let part = self.neurons.as_ref().filter(|part| part.done == part.resolution * part.resolution)?;
        let cells = part.resolution * part.resolution;
        let last = part.widths.len().saturating_sub(1);
        let layers = part
            .widths
            .iter()
            .zip(&part.rows)
            .zip(&part.connections)
            .enumerate()
            .map(|(linear, ((&(width, shown), rows), (weights, biases)))| UnitLayer {
                linear,
                output: linear == last,
                width,
                shown,
                // `[cells][shown]` → `[shown][cells]`: each unit's picture in one piece.
                values: (0..shown)
                    .flat_map(|unit| (0..cells).map(move |cell| rows[cell * shown + unit]))
                    .collect(),
                weights: weights.clone(),
                biases: biases.clone(),
            })
            .collect();
        Some(NeuronPictures { resolution: part.resolution, layers })
    }

    /// The model's answer to the probe, once evaluated; `None` before, or without one.
    pub fn probe(&self) -> Option<ProbeAnswer> {
        self.probe.as_ref()?.answer.clone()
    }

    /// Each hidden layer's activations on the fixed batch, once evaluated; `None` before, or
    /// without them.
    pub fn activity(&self) -> Option<Vec<LayerActivity>> {
        self.activity.as_ref()?.layers.clone()
    }

    /// Every view done, as the page receives them.
    pub fn views(&self) -> Views {
        Views {
            field: self.field(),
            confusion: self.confusion(),
            neurons: self.neurons(),
            activity: self.activity(),
            input_weights: self.input_weights.as_ref().and_then(|part| part.weights.clone()),
        }
    }

    /// The confusion matrix, once its pieces are done; `None` before, or for a regression.
    pub fn confusion(&self) -> Option<Confusion> {
        let part = self.confusion.as_ref().filter(|part| part.done == part.samples.len())?;
        Some(Confusion {
            classes: part.classes,
            counts: part.counts.clone(),
            samples: part.which.to_owned(),
            mistakes: part.mistakes.clone(),
        })
    }
}

/// Evaluates the next piece of the neuron pictures: each layer's shown units at the next
/// `rows` points of the grid, and with the first piece the weights and biases between them.
async fn neurons_piece(
    model: &Mlp,
    device: &Device,
    part: &mut NeuronPart,
    rows: usize,
) -> Result<(), TrainError> {
    let cells = part.resolution * part.resolution;
    let end = (part.done + rows).min(cells);
    let count = end - part.done;
    let points = part.points[2 * part.done..2 * end].to_vec();
    let inputs = Tensor::<2>::from_data(TensorData::new(points, [count, 2]), device);
    let (hidden, output) = model.forward_with_hidden(inputs);
    let mut tensors: Vec<Tensor<1>> = hidden
        .into_iter()
        .chain([output])
        .zip(&part.widths)
        .map(|(values, &(_, shown))| values.narrow(1, 0, shown).reshape([count * shown]))
        .collect();
    let layers = tensors.len();
    let first = part.connections.is_empty();
    if first {
        let mut inputs_shown = 2;
        for (linear, &(_, shown)) in model.linear_layers().zip(&part.widths) {
            let weight = linear.weight.val().narrow(0, 0, inputs_shown).narrow(1, 0, shown);
            tensors.push(weight.reshape([inputs_shown * shown]));
            tensors.push(match &linear.bias {
                Some(bias) => bias.val().narrow(0, 0, shown),
                None => Tensor::<1>::zeros([shown], device),
            });
            inputs_shown = shown;
        }
    }
    let mut values =
        read(tensors).await?.into_iter().map(|list| list.into_iter().map(|x| x as f32).collect::<Vec<_>>());
    for rows in part.rows.iter_mut().take(layers) {
        rows.extend(values.next().unwrap_or_default());
    }
    if first {
        part.connections = (0..layers)
            .map(|_| (values.next().unwrap_or_default(), values.next().unwrap_or_default()))
            .collect();
    }
    part.done = end;
    Ok(())
}

/// Each hidden layer's activations on `part`'s batch: the histogram of (at most
/// [`MOST_UNITS_SHOWN`] units') values, and the units silent at every sample — all read in one
/// transaction.
async fn activity(model: &Mlp, part: &ActivityPart) -> Result<Vec<LayerActivity>, TrainError> {
    let (hidden, _) = model.forward_with_hidden(part.inputs.clone());
    let widths: Vec<usize> = hidden.iter().map(|values| values.dims()[1]).collect();
    let tensors = hidden
        .into_iter()
        .flat_map(|values| {
            let [rows, width] = values.dims();
            let shown = width.min(MOST_UNITS_SHOWN);
            // The largest value of each unit over the batch: ≤ 0 for a unit that never fires.
            let most = values.clone().max_dim(0).reshape([width]);
            [values.narrow(1, 0, shown).reshape([rows * shown]), most]
        })
        .collect();
    let values = read(tensors).await?;
    Ok(widths
        .iter()
        .enumerate()
        .map(|(linear, &units)| {
            let sampled: Vec<f32> =
                values.get(2 * linear).map_or(&[][..], Vec::as_slice).iter().map(|&x| x as f32).collect();
            let most: Vec<f32> =
                values.get(2 * linear + 1).map_or(&[][..], Vec::as_slice).iter().map(|&x| x as f32).collect();
            LayerActivity {
                linear,
                units,
                histogram: Histogram::of(&sampled, HISTOGRAM_BINS),
                dead: part.relu.get(linear).copied().unwrap_or(false).then(|| dead_units(&most, units)),
            }
        })
        .collect())
}

/// The first linear layer's weights into its first units, each as an image of `shape`;
/// `None` for a model without a linear layer.
async fn input_weights(model: &Mlp, shape: [usize; 2]) -> Result<Option<InputWeights>, TrainError> {
    let Some(linear) = model.input_linear() else { return Ok(None) };
    let [pixels, width] = linear.weight.dims();
    let shown = width.min(MOST_UNITS_SHOWN);
    // `[pixels][units]` → `[units][pixels]`: each unit's image in one piece.
    let weights = linear.weight.val().narrow(1, 0, shown).transpose().reshape([shown * pixels]);
    let weights = read(vec![weights]).await?.into_iter().next().unwrap_or_default();
    Ok(Some(InputWeights { shape, width, shown, weights: weights.into_iter().map(|w| w as f32).collect() }))
}

/// The model's answer to one input: its outputs (probabilities for a classifier of
/// `classes`) and each hidden layer's first units (as many as the pictures show).
async fn answer(
    model: &Mlp,
    device: &Device,
    inputs: &[f32],
    classes: Option<usize>,
) -> Result<ProbeAnswer, TrainError> {
    let tensor = Tensor::<2>::from_data(TensorData::new(inputs.to_vec(), [1, inputs.len()]), device);
    let (hidden, output) = model.forward_with_hidden(tensor);
    let output = if classes.is_some() { softmax(output, 1) } else { output };
    let tensors = hidden
        .into_iter()
        .map(|values| {
            let shown = values.dims()[1].min(MOST_UNITS_SHOWN);
            values.narrow(1, 0, shown).reshape([shown])
        })
        .chain([output.clone().reshape([output.dims()[1]])])
        .collect();
    let mut values: Vec<Vec<f32>> =
        read(tensors).await?.into_iter().map(|list| list.into_iter().map(|x| x as f32).collect()).collect();
    let outputs = values.pop().unwrap_or_default();
    Ok(ProbeAnswer { inputs: inputs.to_vec(), outputs, probabilities: classes.is_some(), hidden: values })
}
