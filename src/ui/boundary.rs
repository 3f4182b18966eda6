//! The decision boundary (TensorFlow Playground's signature view): for a 2-D classifier, each
//! point of the plane coloured by the class the network predicts there, paler where it is
//! less sure, with the data on top; for a 2-D regression, the fitted surface. Updated as the
//! network trains.

use leptos::html::Canvas;
use leptos::prelude::*;

use super::colours::{CLASS_COLOURS, value_colour};
use super::picture_buttons::PictureButtons;
use super::probe_answer::ProbeAnswerView;
use super::run_view::{AskedFrom, RunView};
use crate::core::data::dataset::{Dataset, Targets};
use crate::core::report::field::{Cells, EXTENT, Field};
use crate::web::canvas::{Dots, draw_dots, draw_rings, put_rgba, size_canvas};

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
fn point_colour(data: &Dataset, index: usize) -> [u8; 3] {
    match &data.targets {
        Targets::Classes { labels, .. } => CLASS_COLOURS[labels[index].max(0) as usize % CLASS_COLOURS.len()],
        Targets::Values(values) => value_colour(values[index]),
    }
}

/// Pixels per side of the data points' canvas: twice the plot's 240 CSS pixels, sharp on
/// high-density screens.
const POINTS_PIXELS: u32 = 480;

/// The data points in pixels of a `size`-pixel canvas of the plane, grouped by colour.
pub(super) fn dot_groups(data: &Dataset, size: f64) -> Vec<Dots> {
    let to_pixels = |v: f32| f64::from(v + EXTENT) / f64::from(2.0 * EXTENT) * size;
    let mut groups: Vec<Dots> = Vec::new();
    for (index, point) in data.inputs.chunks(2).enumerate() {
        let colour = point_colour(data, index);
        let centre = (to_pixels(point[0]), size - to_pixels(point[1]));
        match groups.iter_mut().find(|dots| dots.colour == colour) {
            Some(dots) => dots.centres.push(centre),
            None => groups.push(Dots { colour, centres: vec![centre] }),
        }
    }
    groups
}

/// Shown wherever the data is 2-D: before a run, the graph's data (`preview`) on a blank
/// plane; from a run's start, the run's data, with the network's answer once it comes.
/// Clicking the plane once the network has answered asks it about that point (`on_probe`,
/// in the plane's coordinates): a marker there, and its answer below, live as it trains.
///
/// The answer is `probe_answer`'s.
#[component]
pub fn DecisionBoundary(
    view: RunView,
    preview: Signal<Option<Dataset>>,
    on_probe: Callback<(f32, f32)>,
) -> impl IntoView {
    let canvas = NodeRef::<Canvas>::new();
    let updates = RwSignal::new(0u64);
    Effect::new(move || {
        let field = view.field.read();
        let Some(canvas) = canvas.get() else { return };
        match field.as_ref() {
            Some(field) => {
                let size = field.resolution as u32;
                size_canvas(&canvas, size, size);
                put_rgba(&canvas, size, size, &pixels(field));
                updates.update(|count| *count += 1);
            }
            // A new run: a blank plane under its data until the network's first answer
            // (setting a canvas's size clears it).
            None => canvas.set_width(canvas.width()),
        }
    });
    let title = move || match view.field.read().as_ref().map(|field| &field.cells) {
        Some(Cells::Values(_)) => text!("boundary-surface"),
        _ => text!("boundary-title"),
    };
    // The data, drawn on a canvas of its own above the field's when it changes: thousands of
    // SVG circles took ~70 ms to create for 4096 points.
    let dots = NodeRef::<Canvas>::new();
    let drawn = StoredValue::new(None::<Dataset>);
    Effect::new(move || {
        let (run_points, preview) = (view.points.read(), preview.read());
        let points: &Option<Dataset> = if run_points.is_some() { &run_points } else { &preview };
        let Some(canvas) = dots.get() else { return };
        // The run's data is most often the preview's: drawn already.
        if drawn.with_value(|drawn| drawn == points) {
            return;
        }
        drawn.set_value(points.clone());
        size_canvas(&canvas, POINTS_PIXELS, POINTS_PIXELS);
        let groups =
            points.as_ref().map(|data| dot_groups(data, f64::from(POINTS_PIXELS))).unwrap_or_default();
        // Radius 0.022 of the plane's 2.4, as before; a thin white outline.
        let radius = 0.022 / f64::from(2.0 * EXTENT) * f64::from(POINTS_PIXELS);
        draw_dots(&canvas, &groups, radius, radius * 0.18);
    });
    // The samples the model gets wrong, ringed.
    let rings = NodeRef::<Canvas>::new();
    Effect::new(move || {
        let confusion = view.confusion.read();
        let Some(canvas) = rings.get() else { return };
        size_canvas(&canvas, POINTS_PIXELS, POINTS_PIXELS);
        let size = f64::from(POINTS_PIXELS);
        let to_pixels = |v: f32| f64::from(v + EXTENT) / f64::from(2.0 * EXTENT) * size;
        let centres: Vec<(f64, f64)> = confusion
            .as_ref()
            .filter(|_| view.asked_from() == Some(AskedFrom::Plane))
            .map(|confusion| {
                confusion
                    .mistakes
                    .iter()
                    .filter_map(|mistake| match mistake.inputs.as_slice() {
                        [x, y] => Some((to_pixels(*x), size - to_pixels(*y))),
                        _ => None,
                    })
                    .collect()
            })
            .unwrap_or_default();
        draw_rings(&canvas, &centres, 0.04 / f64::from(2.0 * EXTENT) * size, [201, 48, 44]);
        let _ = canvas.set_attribute("data-rings", &centres.len().to_string());
    });
    let count = move || view.points.read().as_ref().or(preview.read().as_ref()).map_or(0, Dataset::len);
    let plot = NodeRef::<leptos::html::Div>::new();
    let on_click = move |event: web_sys::MouseEvent| {
        if view.field.read_untracked().is_none() {
            return;
        }
        let Some(plot) = plot.get_untracked() else { return };
        let rect = plot.get_bounding_client_rect();
        if rect.width() <= 0.0 || rect.height() <= 0.0 {
            return;
        }
        let across = ((f64::from(event.client_x()) - rect.left()) / rect.width()) as f32;
        let down = ((f64::from(event.client_y()) - rect.top()) / rect.height()) as f32;
        on_probe.run((-EXTENT + across * 2.0 * EXTENT, EXTENT - down * 2.0 * EXTENT));
    };
    // Where the probe is, in percent of the plot, from the inputs it was asked about.
    let marker = move || {
        let probe = view.probe.read();
        let inputs = &probe.as_ref()?.inputs;
        let (x, y) = (*inputs.first()?, *inputs.get(1)?);
        let percent = |v: f32| 100.0 * (v + EXTENT) / (2.0 * EXTENT);
        Some(view! {
            <span class="probe-marker" style:left=format!("{:.2}%", percent(x))
                style:top=format!("{:.2}%", 100.0 - percent(y))></span>
        })
    };
    view! {
        <figure class="boundary" data-testid="decision-boundary" data-explain="decision-boundary" data-updates=move || updates.get()
            hidden=move || view.field.read().is_none() && view.points.read().is_none() && preview.read().is_none()>
            <div class="boundary-plot" node_ref=plot on:click=on_click
                title=move || view.field.read().is_some().then(|| text!("boundary-click"))>
                <canvas node_ref=canvas aria-hidden="true"></canvas>
                <canvas class="boundary-mistakes" node_ref=rings data-testid="boundary-mistakes" data-explain="boundary-mistakes" aria-hidden="true"></canvas>
                <canvas class="boundary-points" node_ref=dots data-testid="boundary-points" data-explain="boundary-points" data-points=count
                    role="img" aria-label=text!("boundary-points")></canvas>
                {marker}
            </div>
            <figcaption>{title}</figcaption>
            // Over the figure's corner, out of the flow: the run panel's auto column is sized by
            // its content, and a caption widened by buttons made that a 100 ms layout.
            <PictureButtons selector="[data-testid=\"decision-boundary\"] .boundary-plot".to_owned() name="decision-boundary".to_owned() />
            <ProbeAnswerView view place=AskedFrom::Plane />
        </figure>
    }
}
