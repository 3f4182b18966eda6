//! What a learner draws, as a model's input: ink on a small image (the drawing pad's 8×8
//! for the digits), in [0, 1] as the digits' pixels are.

/// Ink a stroke adds to the cells beside the one under the pointer: the digits were drawn
/// large and shrunk to 8×8, so their strokes have soft edges.
pub const EDGE_INK: f32 = 0.35;

/// `cells` (`rows × columns`, row by row) with ink at `cell`: full there, softer beside it.
pub fn inked(cells: &[f32], columns: usize, cell: usize) -> Vec<f32> {
    let mut cells = cells.to_vec();
    let rows = cells.len() / columns.max(1);
    let (row, column) = (cell / columns.max(1), cell % columns.max(1));
    if let Some(value) = cells.get_mut(cell) {
        *value = 1.0;
    }
    let beside =
        [(row.wrapping_sub(1), column), (row + 1, column), (row, column.wrapping_sub(1)), (row, column + 1)];
    for (row, column) in beside {
        if row < rows && column < columns {
            let value = &mut cells[row * columns + column];
            *value = (*value + EDGE_INK).min(1.0);
        }
    }
    cells
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stroke_inks_its_cell_fully_and_the_cells_beside_it_softly() {
        let blank = vec![0.0; 9];
        let once = inked(&blank, 3, 4);
        assert_eq!(once, [0.0, EDGE_INK, 0.0, EDGE_INK, 1.0, EDGE_INK, 0.0, EDGE_INK, 0.0]);
        // At a corner, nothing wraps round to the other side.
        let corner = inked(&blank, 3, 0);
        assert_eq!(corner, [1.0, EDGE_INK, 0.0, EDGE_INK, 0.0, 0.0, 0.0, 0.0, 0.0]);
        let again = inked(&inked(&once, 3, 4), 3, 5);
        assert!(again.iter().all(|&value| value <= 1.0));
        assert_eq!(again[5], 1.0);
    }
}
