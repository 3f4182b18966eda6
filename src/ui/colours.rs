//! The page's colours for classes and values, shared by every view: the decision boundary,
//! the confusion matrix, the neuron pictures, the probe's bars.

/// Class colours, in class order (they repeat past ten classes).
pub const CLASS_COLOURS: [[u8; 3]; 10] = [
    [63, 127, 191],
    [217, 98, 43],
    [47, 154, 106],
    [122, 92, 194],
    [183, 138, 22],
    [194, 85, 58],
    [43, 138, 153],
    [110, 117, 128],
    [212, 160, 23],
    [90, 62, 153],
];

/// The colour of a regression value: blue below zero, orange above, white at zero.
pub fn value_colour(value: f32) -> [u8; 3] {
    let t = value.clamp(-1.0, 1.0).abs();
    let end = if value < 0.0 { CLASS_COLOURS[0] } else { CLASS_COLOURS[1] };
    end.map(|channel| (255.0 + (f32::from(channel) - 255.0) * t) as u8)
}
