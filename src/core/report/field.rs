//! The model's output over the input plane, for 2-D datasets: the decision boundary of a
//! classifier (TensorFlow Playground's signature view) or the fitted surface of a regression.

use serde::{Deserialize, Serialize};

/// The plane shown: `[-EXTENT, EXTENT]²`, a margin around the datasets' `[-1, 1]²`.
pub const EXTENT: f32 = 1.2;

/// The model evaluated at the centre of each cell of a `resolution × resolution` grid, rows
/// from the top (y = +EXTENT) down, columns from the left (x = −EXTENT).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Field {
    pub resolution: usize,
    pub cells: Cells,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum Cells {
    /// Per cell: the most likely class and its probability.
    Classes { class: Vec<u8>, confidence: Vec<f32> },
    /// Per cell: the predicted value.
    Values(Vec<f32>),
}

/// The input points at the grid's cell centres, row-major, `[resolution², 2]` flattened.
pub fn grid_points(resolution: usize) -> Vec<f32> {
    let step = 2.0 * EXTENT / resolution as f32;
    let centre = |index: usize| -EXTENT + (index as f32 + 0.5) * step;
    (0..resolution)
        .flat_map(|row| (0..resolution).flat_map(move |column| [centre(column), -centre(row)]))
        .collect()
}

/// The cell that holds point `(x, y)`, as (row, column), if it lies in the plane shown.
pub fn cell_of(resolution: usize, x: f32, y: f32) -> Option<(usize, usize)> {
    let step = 2.0 * EXTENT / resolution as f32;
    let column = ((x + EXTENT) / step).floor();
    let row = ((EXTENT - y) / step).floor();
    let inside = |v: f32| v >= 0.0 && v < resolution as f32;
    (inside(column) && inside(row)).then_some((row as usize, column as usize))
}

impl Field {
    /// Reads a classifier's probabilities (`[cells, classes]`, row-major) into a field.
    pub fn from_probabilities(resolution: usize, probabilities: &[f32], classes: usize) -> Self {
        let (class, confidence) =
            probabilities
                .chunks(classes.max(1))
                .map(|row| {
                    row.iter().enumerate().fold((0u8, f32::MIN), |(best, p), (index, &q)| {
                        if q > p { (index as u8, q) } else { (best, p) }
                    })
                })
                .unzip();
        Self { resolution, cells: Cells::Classes { class, confidence } }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grid_points_and_cells_agree() {
        let points = grid_points(4);
        assert_eq!(points.len(), 32);
        // First cell: top left; its centre is at (−0.9, 0.9) for an extent of 1.2.
        assert!((points[0] + 0.9).abs() < 1e-6 && (points[1] - 0.9).abs() < 1e-6);
        for (index, point) in points.chunks(2).enumerate() {
            assert_eq!(cell_of(4, point[0], point[1]), Some((index / 4, index % 4)));
        }
        assert_eq!(cell_of(4, 2.0, 0.0), None);
    }

    #[test]
    fn probabilities_become_the_likeliest_class_and_its_confidence() {
        let field = Field::from_probabilities(1, &[0.2, 0.7, 0.1], 3);
        assert_eq!(field.cells, Cells::Classes { class: vec![1], confidence: vec![0.7] });
    }
}
