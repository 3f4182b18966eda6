//! Inside the network, for 2-D data (TensorFlow Playground's signature view): every unit's
//! output over the input plane, drawn small, layer by layer like the network itself, in the
//! decision boundary's colours (blue below zero, orange above, each unit on its own scale);
//! between layers the weights as lines, orange where positive and blue where negative, as
//! thick as they are large. Pointing at a unit or a line writes its formula or weight with
//! the current numbers; clicking a unit shows its picture large, over the data. With a probe,
//! every unit marks the probe's point, filled with the unit's value there.
//!
//! Test surface: `data-testid="neuron-view"` (`data-updates`: refreshes drawn), each unit
//! `data-neuron="L:i"` (outputs also `data-output`; `data-probe-value` once probed),
//! `neuron-formula`, `neuron-large` (`data-neuron`), and a wide layer's pager
//! `neuron-page` (`data-layer`, `data-first`).

mod unit;

use leptos::html::Canvas;
use leptos::prelude::*;

use self::unit::{NeuronLarge, UnitPicture};
use super::colours::value_colour;
use super::picture_buttons::PictureButtons;
use super::run_view::RunView;
use crate::core::compile::plan::NetworkPlan;
use crate::core::model::number_text;
use crate::core::model::params::LayerSpec;
use crate::core::report::field::EXTENT;
use crate::core::report::neuron_formula::{applied_after, input_name, unit_formula, unit_name};
use crate::core::report::neurons::{MOST_UNITS_SHOWN, NeuronPictures};
use crate::web::canvas::{Stroke, draw_strokes, size_canvas};

/// A unit's size on screen, in CSS pixels.
const UNIT: f64 = 34.0;
/// From one unit's top to the next one's.
const PITCH: f64 = 40.0;
/// Between one column's units and the next column's: room for the weights' lines.
const GAP: f64 = 58.0;
/// Room above the units for the columns' titles.
const TOP: f64 = 18.0;
/// Linear layers drawn at most: a deeper network (a Network may list 1024 layers) shows its
/// first ones, and says so.
const MOST_COLUMNS: usize = 10;
/// Units a column shows at once; a wider layer is paged.
const PAGE: usize = 16;
/// The lines' canvas's pixels per CSS pixel: the screen's (at most 2), sharp on high-density
/// screens without a larger canvas than the screen shows.
fn line_pixels() -> f64 {
    web_sys::window().map_or(1.0, |window| window.device_pixel_ratio()).clamp(1.0, 2.0)
}

/// A column of the drawing: the inputs, or a layer of units.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Column {
    /// The layer's index in [`NeuronPictures::layers`], which is the index of the linear
    /// layer whose units these are; `None` for the inputs.
    layer: Option<usize>,
    /// The units the layer has, and how many of them have pictures.
    width: usize,
    shown: usize,
    output: bool,
}

/// The columns of a network of points: the two inputs, then each linear layer's units (as
/// [`NeuronPictures`] will hold them); none for a network of other inputs. Known when the
/// run starts, so the units are in the page before their first pictures come.
fn columns_of(network: &NetworkPlan) -> Vec<Column> {
    if network.in_shape != [2] {
        return Vec::new();
    }
    let widths: Vec<usize> = network
        .layers
        .iter()
        .filter_map(|layer| match layer {
            LayerSpec::Linear { out_features } => Some(*out_features),
            _ => None,
        })
        .collect();
    let last = widths.len().saturating_sub(1);
    std::iter::once(Column { layer: None, width: 2, shown: 2, output: false })
        .chain(widths.iter().take(MOST_COLUMNS).enumerate().map(|(index, &width)| Column {
            layer: Some(index),
            width,
            shown: width.min(MOST_UNITS_SHOWN),
            output: index == last,
        }))
        .collect()
}

/// The units a column shows on page `page`.
fn visible(column: Column, page: usize) -> std::ops::Range<usize> {
    let first = (page * PAGE).min(column.shown.saturating_sub(1) / PAGE * PAGE);
    first..(first + PAGE).min(column.shown)
}

/// Where the drawing puts each column's units: their tops, by column then unit, with the
/// drawing's width and height.
#[derive(PartialEq)]
struct Layout {
    columns: Vec<(Column, std::ops::Range<usize>)>,
    tallest: usize,
}

impl Layout {
    fn new(columns: &[Column], pages: &[usize]) -> Self {
        let columns: Vec<_> = columns
            .iter()
            .enumerate()
            .map(|(at, &column)| (column, visible(column, pages.get(at).copied().unwrap_or(0))))
            .collect();
        let tallest = columns.iter().map(|(_, units)| units.len()).max().unwrap_or(0);
        Self { columns, tallest }
    }

    fn width(&self) -> f64 {
        self.columns.len() as f64 * (UNIT + GAP) - GAP
    }

    fn height(&self) -> f64 {
        TOP + self.tallest as f64 * PITCH
    }

    /// The top left corner of unit `unit` of column `at` (one it shows).
    fn corner(&self, at: usize, unit: usize) -> (f64, f64) {
        let (_, units) = &self.columns[at];
        let offset = (self.tallest - units.len()) as f64 * PITCH / 2.0;
        (at as f64 * (UNIT + GAP), TOP + offset + (unit - units.start) as f64 * PITCH)
    }
}

/// What the pointer is on, for the formula line.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Pointed {
    Unit { column: usize, unit: usize },
    Weight { column: usize, from: usize, to: usize },
}

#[component]
pub fn NeuronView(
    view: RunView,
    /// The graph's network, drawn (without pictures) until a run shows its own.
    preview: Signal<Option<NetworkPlan>>,
    /// Whether the view is on screen: it draws only then.
    shown: Signal<bool>,
) -> impl IntoView {
    // New pictures are drawn in an animation frame of their own, not in the task that brought
    // them with the boundary and the matrix (together they ran past 50 ms): `frame` ticks then,
    // and what draws them tracks it (reading the pictures untracked).
    let frame = RwSignal::new(0u64);
    let updates = RwSignal::new(0u64);
    Effect::new(move || {
        view.neurons.track();
        if !shown.get() {
            return;
        }
        request_animation_frame(move || {
            frame.update(|count| *count += 1);
            if view.neurons.with_untracked(Option::is_some) {
                updates.update(|count| *count += 1);
            }
        });
    });
    let columns = Memo::new(move |_| {
        let network = view.network.read();
        let preview = preview.read();
        network.as_ref().or(preview.as_ref()).map(columns_of).unwrap_or_default()
    });
    let pages = RwSignal::new(Vec::<usize>::new());
    Effect::new(move || pages.set(vec![0; columns.read().len()]));
    // Each unit's picture on its own scale, its largest magnitude: every unit's shape reads
    // (the lines say how much each counts), and a unit that never fires stays white.
    let scales = Memo::new(move |_| {
        frame.track();
        view.neurons
            .read_untracked()
            .as_ref()
            .map(|pictures| {
                pictures
                    .layers
                    .iter()
                    .map(|layer| {
                        (0..layer.shown)
                            .map(|unit| layer.largest_magnitude(unit, pictures.resolution))
                            .collect()
                    })
                    .collect::<Vec<Vec<f32>>>()
            })
            .unwrap_or_default()
    });
    let pointed = RwSignal::new(None::<Pointed>);
    let enlarged = RwSignal::new(None::<(usize, usize)>);
    Effect::new(move || {
        // A new network: nothing pointed at or enlarged in the old one.
        columns.track();
        pointed.set(None);
        enlarged.set(None);
    });
    let layout = Memo::new(move |_| Layout::new(&columns.read(), &pages.read()));
    let lines = NodeRef::<Canvas>::new();
    let drawn_weights = StoredValue::new(Vec::<WeightLine>::new());
    Effect::new(move || {
        frame.track();
        let neurons = view.neurons.read_untracked();
        let (Some(canvas), Some(pictures)) = (lines.get(), neurons.as_ref()) else { return };
        let layout = layout.read();
        let scale = line_pixels();
        size_canvas(&canvas, (layout.width() * scale) as u32, (layout.height() * scale) as u32);
        let (strokes, weights) = weight_lines(pictures, &layout, scale);
        draw_strokes(&canvas, &strokes);
        let _ = canvas.set_attribute("data-lines", &strokes.len().to_string());
        drawn_weights.set_value(weights);
    });
    let on_lines_move = move |event: web_sys::MouseEvent| {
        let (x, y) = (f64::from(event.offset_x()), f64::from(event.offset_y()));
        let nearest = drawn_weights.with_value(|weights| {
            weights
                .iter()
                .map(|line| (line.weight, distance_to_segment((x, y), line.start, line.end)))
                .filter(|(_, distance)| *distance <= 4.0)
                .min_by(|a, b| a.1.total_cmp(&b.1))
                .map(|(weight, _)| weight)
        });
        if nearest.is_some() || matches!(pointed.get_untracked(), Some(Pointed::Weight { .. })) {
            pointed.set(nearest);
        }
    };
    let units = move || {
        let layout = layout.read();
        layout
            .columns
            .iter()
            .enumerate()
            .flat_map(|(at, &(column, ref units))| units.clone().map(move |unit| (at, column, unit)))
            .map(|(at, column, unit)| {
                let (left, top) = layout.corner(at, unit);
                view! { <UnitPicture view column at unit left top scales frame pointed enlarged /> }
            })
            .collect_view()
    };
    let titles = move || {
        let layout = layout.read();
        let network = view.network.read();
        layout
            .columns
            .iter()
            .enumerate()
            .map(|(at, (column, _))| {
                let (title, explained) = match (column.layer, column.output) {
                    (None, _) => (text!("inside-column-inputs"), "neuron-view".to_owned()),
                    (Some(_), true) => (text!("inside-column-outputs"), "layer:Linear".to_owned()),
                    (Some(linear), false) => {
                        let applied = network
                            .as_ref()
                            .map(|network| applied_after(&network.layers, linear))
                            .unwrap_or_default();
                        let last = applied.last().copied().unwrap_or("Linear"); // not words: a layer's kind
                        (text!("inside-column-layer", layer = last, units = column.width), format!("layer:{last}"))
                    }
                };
                let left = at as f64 * (UNIT + GAP) + UNIT / 2.0;
                view! { <span class="neuron-title" data-explain=explained style:left=format!("{left}px")>{title}</span> }
            })
            .collect_view()
    };
    let pagers = move || {
        let layout = layout.read();
        layout
            .columns
            .iter()
            .enumerate()
            .filter(|(_, (column, _))| column.shown > PAGE || column.width > column.shown)
            .map(|(at, &(column, ref units))| {
                let turn = move |by: isize| {
                    pages.update(|pages| {
                        if let Some(page) = pages.get_mut(at) {
                            let last = column.shown.saturating_sub(1) / PAGE;
                            *page = page.saturating_add_signed(by).min(last);
                        }
                    });
                };
                let computed = (column.width > column.shown).then(|| {
                    format!(" {}", text!("inside-page-drawn", shown = column.shown, units = column.width))
                });
                view! {
                    <p class="neuron-page" data-testid="neuron-page" data-explain="neuron-page" data-layer=column.layer
                        data-first=units.start>
                        <button type="button" aria-label=text!("inside-page-earlier") disabled={units.start == 0}
                            on:click=move |_| turn(-1)>"‹"</button>
                        {text!("inside-page", layer = column.layer.unwrap_or(0), first = units.start, last = units.end - 1, shown = column.shown)}
                        {computed}
                        <button type="button" aria-label=text!("inside-page-later") disabled={units.end >= column.shown}
                            on:click=move |_| turn(1)>"›"</button>
                    </p>
                }
            })
            .collect_view()
    };
    let formula = move || {
        let neurons = view.neurons.read();
        let Some(pictures) = neurons.as_ref() else { return String::new() };
        match pointed.get() {
            Some(pointed) => describe(pointed, pictures, &columns.read(), view),
            None => text!("inside-formula-hint"),
        }
    };
    view! {
        <figure class="neuron-view" data-testid="neuron-view" data-explain="neuron-view" data-updates=move || updates.get()
            hidden=move || columns.read().is_empty()>
            <figcaption>{text!("inside-neurons-caption")}
                {move || {
                    let network = view.network.read();
                    let preview = preview.read();
                    let layers = network.as_ref().or(preview.as_ref()).map_or(0, |network| {
                        network.layers.iter().filter(|layer| matches!(layer, LayerSpec::Linear { .. })).count()
                    });
                    (layers > MOST_COLUMNS)
                        .then(|| format!(" {}", text!("inside-neurons-first", shown = MOST_COLUMNS, layers = layers)))
                }}
            </figcaption>
            <div class="neuron-scroll">
                <div class="neuron-net" style:width=move || format!("{}px", layout.read().width())
                    style:height=move || format!("{}px", layout.read().height())
                    on:mouseleave=move |_| pointed.set(None)>
                    <canvas class="neuron-lines" node_ref=lines aria-hidden="true" on:mousemove=on_lines_move></canvas>
                    {titles}
                    {units}
                </div>
            </div>
            {pagers}
            <PictureButtons selector="[data-testid=\"neuron-view\"] .neuron-net".to_owned() name="neuron-view".to_owned() />
            <p class="neuron-formula" data-testid="neuron-formula" data-explain="neuron-formula" aria-live="polite">{formula}</p>
            <NeuronLarge view enlarged columns scales />
        </figure>
    }
}

/// Where a weight's line lies, in CSS pixels of the drawing: for finding the one pointed at.
struct WeightLine {
    weight: Pointed,
    start: (f64, f64),
    end: (f64, f64),
}

/// The weights between shown units as lines, at `scale` canvas pixels per CSS pixel, and
/// where each lies (in CSS pixels).
fn weight_lines(pictures: &NeuronPictures, layout: &Layout, scale: f64) -> (Vec<Stroke>, Vec<WeightLine>) {
    let mut strokes = Vec::new();
    let mut weights = Vec::new();
    for at in 1..layout.columns.len() {
        let (column, ref units) = layout.columns[at];
        let Some(layer) = column.layer.and_then(|layer| pictures.layers.get(layer)) else { continue };
        let largest =
            layer.weights.iter().fold(0.0f32, |most, w| if w.is_finite() { most.max(w.abs()) } else { most });
        let sources = layout.columns[at - 1].1.clone();
        for from in sources {
            for to in units.clone() {
                let Some(weight) = layer.weight(from, to).filter(|w| w.is_finite()) else { continue };
                let (x0, y0) = layout.corner(at - 1, from);
                let (x1, y1) = layout.corner(at, to);
                let start = (x0 + UNIT, y0 + UNIT / 2.0);
                let end = (x1, y1 + UNIT / 2.0);
                let share = if largest > 0.0 { f64::from(weight.abs() / largest) } else { 0.0 };
                strokes.push(Stroke {
                    from: (start.0 * scale, start.1 * scale),
                    to: (end.0 * scale, end.1 * scale),
                    colour: value_colour(weight.signum()),
                    width: (0.4 + 3.6 * share) * scale,
                });
                weights.push(WeightLine { weight: Pointed::Weight { column: at, from, to }, start, end });
            }
        }
    }
    (strokes, weights)
}

/// How far `point` lies from the segment `from`–`to`.
fn distance_to_segment(point: (f64, f64), from: (f64, f64), to: (f64, f64)) -> f64 {
    let (dx, dy) = (to.0 - from.0, to.1 - from.1);
    let length = dx * dx + dy * dy;
    let t = if length > 0.0 {
        (((point.0 - from.0) * dx + (point.1 - from.1) * dy) / length).clamp(0.0, 1.0)
    } else {
        0.0
    };
    let (x, y) = (from.0 + t * dx, from.1 + t * dy);
    ((point.0 - x).powi(2) + (point.1 - y).powi(2)).sqrt()
}

/// The name of unit `unit` of `column`, as formulas write it.
fn name_of(column: Column, unit: usize) -> String {
    match column.layer {
        None => input_name(0, unit),
        Some(linear) => unit_name(linear, unit),
    }
}

/// The formula line for what the pointer is on, with the current numbers.
fn describe(pointed: Pointed, pictures: &NeuronPictures, columns: &[Column], view: RunView) -> String {
    match pointed {
        Pointed::Unit { column, unit } => {
            let Some(&at) = columns.get(column) else { return String::new() };
            let Some(layer) = at.layer.and_then(|layer| pictures.layers.get(layer)) else {
                return text!(
                    "inside-formula-input",
                    name = name_of(at, unit),
                    input = unit + 1,
                    extent = EXTENT.to_string()
                );
            };
            let applied = match at.output {
                true => Vec::new(),
                false => view
                    .network
                    .read()
                    .as_ref()
                    .map(|network| applied_after(&network.layers, layer.linear))
                    .unwrap_or_default(),
            };
            let before =
                column.checked_sub(1).and_then(|before| columns.get(before)).map_or(2, |before| before.width);
            let formula = unit_formula(layer, unit, &applied, before);
            let probed = view
                .probe
                .read()
                .as_ref()
                .and_then(|probe| probe.hidden.get(layer.linear)?.get(unit).copied());
            match (at.output, probed) {
                (true, _) => text!("inside-formula-output", output = unit, formula = formula),
                (false, Some(value)) => text!(
                    "inside-formula-unit-probed",
                    name = name_of(at, unit),
                    formula = formula,
                    value = number_text::short(f64::from(value))
                ),
                (false, None) => text!("inside-formula-unit", name = name_of(at, unit), formula = formula),
            }
        }
        Pointed::Weight { column, from, to } => {
            let (Some(&source), Some(&target)) = (columns.get(column - 1), columns.get(column)) else {
                return String::new();
            };
            let weight = target.layer.and_then(|layer| pictures.layers.get(layer)?.weight(from, to));
            let weight = weight.map_or_else(|| "—".to_owned(), |w| number_text::short(f64::from(w)));
            text!(
                "inside-formula-weight",
                weight = weight,
                from = name_of(source, from),
                to = name_of(target, to)
            )
        }
    }
}
