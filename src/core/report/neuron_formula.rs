//! A unit's formula as a learner reads it, with the current numbers plugged in:
//! `ReLU(0.83·x₁ − 1.2·x₂ + 0.1)` — what the neuron view shows on hovering a unit.
//!
//! Units are named as the page marks them: `x₁`, `x₂`… for the inputs, `h0:3` for unit 3 of
//! layer 0 (the units of the network's first linear layer, after what follows it).

use crate::core::model::number_text;
use crate::core::model::params::LayerSpec;
use crate::core::report::neurons::UnitLayer;

/// The most terms a formula writes out; the rest are counted (`+ … 52 more terms`).
pub const MOST_TERMS: usize = 16;

/// The name of what feeds layer `linear`'s units at `index`: an input for layer 0, else a
/// unit of the layer before.
pub fn input_name(linear: usize, index: usize) -> String {
    match linear {
        0 => format!("x{}", subscript(index + 1)),
        _ => unit_name(linear - 1, index),
    }
}

/// Unit `index` of layer `linear`, as `data-neuron` marks it (`0:3` → `h0:3`).
pub fn unit_name(linear: usize, index: usize) -> String {
    format!("h{linear}:{index}")
}

/// `number` in subscript digits.
fn subscript(number: usize) -> String {
    number
        .to_string()
        .chars()
        .map(|digit| char::from_u32(0x2080 + digit.to_digit(10).unwrap_or(0)).unwrap_or(digit))
        .collect()
}

/// What the network applies to linear layer `linear`'s sums before the next linear layer
/// takes them, innermost first: its activation, norms… (`["BatchNorm1d", "ReLU"]`). Dropout
/// and Flatten change nothing in evaluation, where the pictures are computed, and are left out.
pub fn applied_after(layers: &[LayerSpec], linear: usize) -> Vec<&'static str> {
    layers
        .iter()
        .skip_while({
            let mut seen = 0;
            move |layer| {
                if matches!(layer, LayerSpec::Linear { .. }) {
                    seen += 1;
                }
                seen <= linear
            }
        })
        .skip(1)
        .take_while(|layer| !matches!(layer, LayerSpec::Linear { .. }))
        .filter(|layer| !matches!(layer, LayerSpec::Dropout { .. } | LayerSpec::Flatten))
        .map(LayerSpec::name)
        .collect()
}

/// Unit `unit`'s formula: the weighted sum of the inputs shown and the bias, inside the
/// functions `applied` (innermost first). Past [`MOST_TERMS`] the terms are counted, and a
/// layer fed by more units than are shown says so.
pub fn unit_formula(layer: &UnitLayer, unit: usize, applied: &[&str], inputs_width: usize) -> String {
    let inputs = layer.inputs_shown();
    let mut sum = String::new();
    for from in 0..inputs.min(MOST_TERMS) {
        let weight = f64::from(layer.weight(from, unit).unwrap_or(f32::NAN));
        let sign = if weight < 0.0 { " − " } else { " + " };
        if from == 0 {
            sum.push_str(if weight < 0.0 { "−" } else { "" });
        } else {
            sum.push_str(sign);
        }
        sum.push_str(&format!("{}·{}", number_text::short(weight.abs()), input_name(layer.linear, from)));
    }
    let left_out = inputs_width.max(inputs) - inputs.min(MOST_TERMS);
    if left_out > 0 {
        sum.push_str(" + ");
        sum.push_str(&text!("neuron-formula-more-terms", count = left_out));
    }
    let bias = f64::from(layer.biases.get(unit).copied().unwrap_or(f32::NAN));
    sum.push_str(if bias < 0.0 { " − " } else { " + " });
    sum.push_str(&number_text::short(bias.abs()));
    applied.iter().fold(sum, |inner, function| format!("{function}({inner})"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn layer(linear: usize) -> UnitLayer {
        UnitLayer {
            linear,
            output: false,
            width: 2,
            shown: 2,
            values: Vec::new(),
            // From 2 inputs into 2 units: `[inputs][units]`.
            weights: vec![0.83, 0.5, -1.2, 0.25],
            biases: vec![0.1, -2.0],
        }
    }

    #[test]
    fn a_first_layer_unit_reads_as_its_sum_inside_its_activation() {
        assert_eq!(unit_formula(&layer(0), 0, &["ReLU"], 2), "ReLU(0.83·x₁ − 1.2·x₂ + 0.1)");
        assert_eq!(unit_formula(&layer(0), 1, &[], 2), "0.5·x₁ + 0.25·x₂ − 2");
        assert_eq!(
            unit_formula(&layer(1), 1, &["BatchNorm1d", "Tanh"], 2),
            "Tanh(BatchNorm1d(0.5·h0:0 + 0.25·h0:1 − 2))"
        );
    }

    #[test]
    fn a_wide_layer_counts_the_terms_it_leaves_out() {
        let inputs = MOST_TERMS + 4;
        let wide = UnitLayer {
            linear: 1,
            output: false,
            width: 1,
            shown: 1,
            values: Vec::new(),
            weights: vec![-1.0; inputs],
            biases: vec![0.0],
        };
        let formula = unit_formula(&wide, 0, &[], 100);
        assert!(formula.starts_with("−1·h0:0 − 1·h0:1"), "{formula}");
        assert!(formula.ends_with(&format!("+ … {} more terms + 0", 100 - MOST_TERMS)), "{formula}");
        assert_eq!(formula.matches('·').count(), MOST_TERMS);
    }

    #[test]
    fn what_follows_a_linear_layer_is_read_up_to_the_next_one() {
        let layers = [
            LayerSpec::Linear { out_features: 16 },
            LayerSpec::BatchNorm { momentum: 0.1 },
            LayerSpec::Relu,
            LayerSpec::Dropout { p: 0.5 },
            LayerSpec::Linear { out_features: 16 },
            LayerSpec::Tanh,
            LayerSpec::Linear { out_features: 2 },
        ];
        assert_eq!(applied_after(&layers, 0), ["BatchNorm1d", "ReLU"]);
        assert_eq!(applied_after(&layers, 1), ["Tanh"]);
        assert!(applied_after(&layers, 2).is_empty());
        assert_eq!(input_name(0, 9), "x₁₀");
        assert_eq!(unit_name(2, 7), "h2:7");
    }
}
