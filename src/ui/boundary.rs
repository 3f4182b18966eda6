//! The decision boundary (TensorFlow Playground's signature view): for a 2-D classifier, each
//! point of the plane coloured by the class the network predicts there, paler where it is
//! less sure, with the data on top; for a 2-D regression, the fitted surface. Updated as the
//! network trains.

use leptos::html::Canvas;
use leptos::prelude::*;

use super::session::Session;
use crate::core::dataset::{Dataset, Targets};
use crate::core::field::{Cells, EXTENT, Field};
use crate::web::canvas::put_rgba;

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
fn value_colour(value: f32) -> [u8; 3] {
    let t = value.clamp(-1.0, 1.0).abs();
    let end = if value < 0.0 { CLASS_COLOURS[0] } else { CLASS_COLOURS[1] };
    end.map(|channel| (255.0 + (f32::from(channel) - 255.0) * t) as u8)
}

/// The field as RGBA pixels, one per cell.
pub fn pixels(field: &Field) -> Vec<u8> {
    let colour = |index: usize| match &field.cells {
        Cells::Classes { class, confidence } => {
            let base = CLASS_COLOURS[usize::from(class[index]) % CLASS_COLOURS.len()];
            // Sure → the class colour, softened; unsure → white.
            let strength = 0.55 * confidence[index].clamp(0.0, 1.0);
            base.map(|channel| (255.0 + (f32::from(channel) - 255.0) * strength) as u8)
        }
        Cells::Values(values) => value_colour(values[index]),
    };
    (0..field.resolution * field.resolution)
        .flat_map(|index| {
            let [r, g, b] = colour(index);
            [r, g, b, 255]
        })
        .collect()
}

/// A data point's fill colour.
fn point_colour(data: &Dataset, index: usize) -> String {
    let [r, g, b] = match &data.targets {
        Targets::Classes { labels, .. } => CLASS_COLOURS[labels[index].max(0) as usize % CLASS_COLOURS.len()],
        Targets::Values(values) => value_colour(values[index]),
    };
    format!("rgb({r},{g},{b})")
}

#[component]
pub fn DecisionBoundary(session: Session) -> impl IntoView {
    let canvas = NodeRef::<Canvas>::new();
    let updates = RwSignal::new(0u64);
    Effect::new(move || {
        let field = session.field.read();
        if let (Some(field), Some(canvas)) = (field.as_ref(), canvas.get()) {
            let size = field.resolution as u32;
            canvas.set_width(size);
            canvas.set_height(size);
            put_rgba(&canvas, size, size, &pixels(field));
            updates.update(|count| *count += 1);
        }
    });
    let title = move || match session.field.read().as_ref().map(|field| &field.cells) {
        Some(Cells::Values(_)) => "Fitted surface",
        _ => "Decision boundary",
    };
    let points = move || {
        session.points.read().as_ref().map(|data| {
            data.inputs
                .chunks(2)
                .enumerate()
                .map(|(index, point)| {
                    view! { <circle cx=point[0] cy=-point[1] r="0.022" fill=point_colour(data, index) /> }
                })
                .collect_view()
        })
    };
    let extent = EXTENT;
    view! {
        <figure class="boundary" data-testid="decision-boundary" data-updates=move || updates.get()
            hidden=move || session.field.read().is_none()>
            <div class="boundary-plot">
                <canvas node_ref=canvas aria-hidden="true"></canvas>
                <svg viewBox=format!("{} {} {} {}", -extent, -extent, 2.0 * extent, 2.0 * extent)
                    preserveAspectRatio="none" role="img" aria-label="The training data over the model's predictions">
                    {points}
                </svg>
            </div>
            <figcaption>{title}</figcaption>
        </figure>
    }
}
