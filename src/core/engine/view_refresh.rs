//! One refresh of the views — the model over the input plane ([`Field`]) and the confusion
//! matrix ([`Confusion`]) — evaluated on a snapshot of the model, a piece at a time.
//!
//! For a wide network the views cost more than the training between two publishes (a
//! 2-256-256-2 MLP: ≈ 0.3 GFLOP for a 48×48 field and ≈ 0.55 GFLOP for the confusion matrix
//! of 4096 samples). Cut into pieces of at most [`PIECE_FLOP`], each piece is a few
//! milliseconds, so the page runs one after a training slice without a long task, and a
//! budget (`core::view_budget`) decides how many.

use burn::tensor::activation::softmax;
use burn::tensor::{Device, Tensor, TensorData};

use crate::core::compile::budget::{PIECE_FLOP, flop_per_row};
use crate::core::compile::plan::NetworkPlan;
use crate::core::engine::mlp::Mlp;
use crate::core::engine::readback::{one_hot, read};
use crate::core::engine::samples::{Samples, TargetTensor};
use crate::core::report::confusion::Confusion;
use crate::core::report::field::{Cells, Field, grid_points};
use crate::core::report::train_error::TrainError;

/// A refresh under way: what is left to evaluate and what has been read back so far.
pub struct ViewRefresh {
    /// The model as it was when the refresh began, on the plain device (no gradients, no
    /// dropout): training goes on meanwhile without changing what the views show.
    model: Mlp,
    /// The plain device the model is on.
    device: Device,
    /// Rows (grid cells or samples) per piece.
    rows_per_piece: usize,
    field: Option<FieldPart>,
    confusion: Option<ConfusionPart>,
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

/// The confusion matrix so far: counts over the samples done.
struct ConfusionPart {
    samples: Samples,
    which: &'static str,
    classes: usize,
    counts: Vec<u32>,
    done: usize,
}

impl ViewRefresh {
    /// A refresh of `model` (on the plain `device`) for `network`: the field at
    /// `field_resolution` (when the network takes 2-D points; the outputs of a classifier of
    /// `classes` become probabilities), and the confusion matrix over `samples` (named
    /// `which`) of a classifier of `classes`.
    pub(crate) fn new(
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
            done: 0,
        });
        Self { model, device, rows_per_piece, field, confusion }
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
        } else if let Some(part) = self.confusion.as_mut().filter(|part| part.done < part.samples.len()) {
            let end = (part.done + rows).min(part.samples.len());
            let order: Vec<i64> = (part.done as i64..end as i64).collect();
            let (inputs, targets) = part.samples.batch(&order);
            if let TargetTensor::Classes(targets) = targets {
                let classes = part.classes;
                let predicted = self.model.forward(inputs).argmax(1).reshape([order.len()]); // [rows]
                let truth = one_hot(targets, classes); // [rows, classes]
                let guess = one_hot(predicted, classes); // [rows, classes]
                let counts = truth.transpose().matmul(guess).reshape([classes * classes]); // [classes²]
                let values = read(vec![counts]).await?;
                for (count, value) in part.counts.iter_mut().zip(values.into_iter().flatten()) {
                    *count += value.round() as u32;
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

    /// The confusion matrix, once its pieces are done; `None` before, or for a regression.
    pub fn confusion(&self) -> Option<Confusion> {
        let part = self.confusion.as_ref().filter(|part| part.done == part.samples.len())?;
        Some(Confusion { classes: part.classes, counts: part.counts.clone(), samples: part.which.to_owned() })
    }
}
