//! One unit of the neuron view: its picture, small in the network's columns and large over the
//! data, in the decision boundary's colours on the unit's own scale.

use leptos::html::Canvas;
use leptos::prelude::*;

use super::{Column, Pointed, name_of};
use crate::core::report::field::{EXTENT, grid_points};
use crate::core::report::neuron_formula::{input_name, unit_name};
use crate::core::report::neurons::NEURON_RESOLUTION;
use crate::ui::boundary::dot_groups;
use crate::ui::colours::value_colour;
use crate::ui::run_view::RunView;
use crate::web::canvas::{draw_dots, put_rgba, size_canvas};

/// `values` as RGBA pixels in the boundary's colours, `scale` the magnitude drawn strongest.
fn unit_pixels(values: &[f32], scale: f32) -> Vec<u8> {
    let scale = if scale > 0.0 { scale } else { 1.0 };
    values
        .iter()
        .flat_map(|&value| {
            let [r, g, b] = value_colour(value / scale);
            [r, g, b, 255]
        })
        .collect()
}

/// The scale of unit `unit` of layer `layer`, 1 where there is none.
fn scale_of(scales: &[Vec<f32>], layer: usize, unit: usize) -> f32 {
    scales.get(layer).and_then(|units| units.get(unit)).copied().filter(|scale| *scale > 0.0).unwrap_or(1.0)
}

/// The picture of input `axis` (0: x₁, 1: x₂): the coordinate itself at each cell.
fn input_picture(axis: usize) -> Vec<f32> {
    grid_points(NEURON_RESOLUTION).chunks(2).map(|point| point[axis]).collect()
}

/// One unit: its picture, live, with the probe's point marked.
#[component]
pub(super) fn UnitPicture(
    view: RunView,
    column: Column,
    at: usize,
    unit: usize,
    left: f64,
    top: f64,
    scales: Memo<Vec<Vec<f32>>>,
    /// Ticks in the frame new pictures are drawn in.
    frame: RwSignal<u64>,
    pointed: RwSignal<Option<Pointed>>,
    enlarged: RwSignal<Option<(usize, usize)>>,
) -> impl IntoView {
    let canvas = NodeRef::<Canvas>::new();
    Effect::new(move || {
        frame.track();
        let Some(canvas) = canvas.get() else { return };
        let size = NEURON_RESOLUTION as u32;
        size_canvas(&canvas, size, size);
        match column.layer {
            None => put_rgba(&canvas, size, size, &unit_pixels(&input_picture(unit), EXTENT)),
            Some(layer) => {
                let scales = scales.read();
                let neurons = view.neurons.read_untracked();
                let Some(pictures) = neurons.as_ref() else { return };
                let Some(units) = pictures.layers.get(layer) else { return };
                let scale = scale_of(&scales, layer, unit);
                put_rgba(&canvas, size, size, &unit_pixels(units.picture(unit, pictures.resolution), scale));
            }
        }
    });
    let probe_value = move || {
        let layer = column.layer.filter(|_| !column.output)?;
        view.probe.read().as_ref()?.hidden.get(layer)?.get(unit).copied()
    };
    let marker = move || {
        let probe = view.probe.read();
        let inputs = &probe.as_ref()?.inputs;
        let (x, y) = (*inputs.first()?, *inputs.get(1)?);
        let percent = |v: f32| 100.0 * (v + EXTENT) / (2.0 * EXTENT);
        let fill = match column.layer {
            None => Some(inputs[unit.min(1)] / EXTENT),
            Some(layer) => probe_value().map(|value| value / scale_of(&scales.read(), layer, unit)),
        };
        let fill = fill.map(|share| {
            let [r, g, b] = value_colour(share);
            format!("rgb({r},{g},{b})")
        });
        Some(view! {
            <span class="neuron-probe" style:left=format!("{:.1}%", percent(x))
                style:top=format!("{:.1}%", 100.0 - percent(y)) style:background=fill></span>
        })
    };
    let label = match column.layer {
        None => text!("inside-unit-input", name = input_name(0, unit)),
        Some(linear) if column.output => text!("inside-unit-output", output = unit, layer = linear),
        Some(linear) => text!("inside-unit", name = unit_name(linear, unit), layer = linear),
    };
    let point = move || pointed.set(Some(Pointed::Unit { column: at, unit }));
    view! {
        <button type="button" class="neuron" aria-label=label
            data-neuron=column.layer.map(|linear| format!("{linear}:{unit}"))
            data-input=column.layer.is_none().then_some("")
            data-output=column.output.then_some("")
            data-probe-value=move || probe_value().map(|value| value.to_string())
            class:pointed=move || pointed.get() == Some(Pointed::Unit { column: at, unit })
            style:left=format!("{left}px") style:top=format!("{top}px")
            on:mouseenter=move |_| point() on:focus=move |_| point()
            on:click=move |_| enlarged.update(|open| {
                *open = if *open == Some((at, unit)) { None } else { Some((at, unit)) };
            })>
            <canvas node_ref=canvas aria-hidden="true"></canvas>
            {marker}
        </button>
    }
}

/// The unit clicked, large, over the training data, with its formula; closed by clicking it
/// again or its Close button.
#[component]
pub(super) fn NeuronLarge(
    view: RunView,
    enlarged: RwSignal<Option<(usize, usize)>>,
    columns: Memo<Vec<Column>>,
    scales: Memo<Vec<Vec<f32>>>,
) -> impl IntoView {
    move || {
        let (at, unit) = enlarged.get()?;
        let column = columns.read().get(at).copied()?;
        let picture = NodeRef::<Canvas>::new();
        let points = NodeRef::<Canvas>::new();
        Effect::new(move || {
            let Some(canvas) = picture.get() else { return };
            let size = NEURON_RESOLUTION as u32;
            size_canvas(&canvas, size, size);
            let pixels = match column.layer {
                None => unit_pixels(&input_picture(unit), EXTENT),
                Some(layer) => {
                    let neurons = view.neurons.read();
                    let Some(pictures) = neurons.as_ref() else { return };
                    let Some(units) = pictures.layers.get(layer) else { return };
                    unit_pixels(
                        units.picture(unit, pictures.resolution),
                        scale_of(&scales.read(), layer, unit),
                    )
                }
            };
            put_rgba(&canvas, size, size, &pixels);
        });
        Effect::new(move || {
            let (Some(canvas), Some(data)) = (points.get(), view.points.read().clone()) else { return };
            const PIXELS: u32 = 384;
            size_canvas(&canvas, PIXELS, PIXELS);
            let radius = 0.018 / f64::from(2.0 * EXTENT) * f64::from(PIXELS);
            draw_dots(&canvas, &dot_groups(&data, f64::from(PIXELS)), radius, radius * 0.2);
        });
        let name = name_of(column, unit);
        Some(view! {
            <div class="neuron-large" data-testid="neuron-large" data-explain="neuron-large"
                data-neuron=column.layer.map(|linear| format!("{linear}:{unit}"))>
                <div class="neuron-large-plot">
                    <canvas node_ref=picture aria-hidden="true"></canvas>
                    <canvas class="neuron-large-points" node_ref=points role="img"
                        aria-label=text!("inside-large-plot", name = &name)></canvas>
                </div>
                <p>{text!("inside-large-help", name = &name)}</p>
                <button type="button" on:click=move |_| enlarged.set(None)>{text!("inside-large-close")}</button>
            </div>
        })
    }
}
