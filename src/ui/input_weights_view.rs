//! For image data, the first layer's weights drawn as images, one per unit: orange where a
//! unit wants ink, blue where it wants none — what each unit looks for, learned live.
//!
//! Test surface: `data-testid="input-weights"` (`data-units`, `data-shown`), each image
//! `data-unit`.

use leptos::html::Canvas;
use leptos::prelude::*;

use super::colours::value_colour;
use super::picture_buttons::PictureButtons;
use super::run_view::RunView;
use crate::web::canvas::{put_rgba, size_canvas};

#[component]
pub fn InputWeightsView(
    view: RunView,
    /// Whether the view is on screen: it draws only then.
    on_screen: Signal<bool>,
) -> impl IntoView {
    let shown =
        Memo::new(move |_| view.input_weights.read().as_ref().map(|weights| (weights.shown, weights.width)));
    let images = move || {
        let (shown, _) = shown.get()?;
        Some((0..shown).map(|unit| view! { <UnitWeights view unit on_screen /> }).collect_view())
    };
    view! {
        <figure class="input-weights" data-testid="input-weights" data-explain="input-weights" hidden=move || shown.get().is_none()
            data-shown=move || shown.get().map(|(shown, _)| shown) data-units=move || shown.get().map(|(_, width)| width)>
            <figcaption>{move || match shown.get() {
                Some((shown, width)) if shown < width => text!("inside-input-weights-some", shown = shown, units = width),
                _ => text!("inside-input-weights"),
            }}</figcaption>
            <div class="input-weights-grid">{images}</div>
            <PictureButtons selector="[data-testid=\"input-weights\"] .input-weights-grid".to_owned() name="input-weights".to_owned() />
        </figure>
    }
}

/// One unit's weights as an image, on its own scale.
#[component]
fn UnitWeights(view: RunView, unit: usize, on_screen: Signal<bool>) -> impl IntoView {
    let canvas = NodeRef::<Canvas>::new();
    Effect::new(move || {
        if !on_screen.get() {
            return;
        }
        let weights = view.input_weights.read();
        let (Some(canvas), Some(weights)) = (canvas.get(), weights.as_ref()) else { return };
        let [rows, columns] = weights.shape;
        let scale = weights.largest_magnitude(unit).max(f32::MIN_POSITIVE);
        let pixels: Vec<u8> = weights
            .image(unit)
            .iter()
            .flat_map(|&weight| {
                let [r, g, b] = value_colour(weight / scale);
                [r, g, b, 255]
            })
            .collect();
        size_canvas(&canvas, columns as u32, rows as u32);
        put_rgba(&canvas, columns as u32, rows as u32, &pixels);
    });
    view! {
        <canvas class="unit-weights" node_ref=canvas data-unit=unit role="img"
            aria-label=text!("inside-input-weights-unit", unit = unit)></canvas>
    }
}
