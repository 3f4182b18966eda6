//! Inside any network, whatever the data: per linear layer, over the epochs, the norm of its
//! weights, of its gradient and the update-to-weight ratio (with the usual 1e-3 guide) — what
//! practitioners watch for vanishing or exploding gradients and a learning rate off by orders
//! of magnitude; and per hidden layer a histogram of its activations on a fixed batch, with
//! the ReLU units that never fire counted ("dead": they pass no gradient, so they never learn).
//!
//! Test surface: `data-testid="layer-stats"` (`data-epochs`: epochs measured), the charts
//! `layer-weight-chart`, `layer-gradient-chart`, `layer-ratio-chart`, and each hidden layer's
//! `activation-histogram` (`data-layer`, `data-units`, `data-dead` for a ReLU layer).

use leptos::prelude::*;
use plotters::prelude::*;

use super::chart_backend::ChartBackend;
use super::paced::{PacedSvg, paced};
use super::plot::{CAPTION_FONT, Chart, GRID, LABEL_FONT, Series, XAxis, render, y_range};
use super::run_view::RunView;
use crate::core::report::decimate::{MAX_CHART_POINTS, decimate};
use crate::core::report::epoch_stats::EpochStats;
use crate::core::report::layer_stats::{LayerActivity, LayerNorms, UPDATE_RATIO_GUIDE};

/// One colour per layer, input side first (they repeat past eight).
const LAYER_COLOURS: [RGBColor; 8] = [
    RGBColor(63, 127, 191),
    RGBColor(217, 98, 43),
    RGBColor(47, 154, 106),
    RGBColor(122, 92, 194),
    RGBColor(183, 138, 22),
    RGBColor(43, 138, 153),
    RGBColor(194, 85, 58),
    RGBColor(110, 117, 128),
];
const GUIDE: RGBColor = RGBColor(150, 150, 150);

/// One line per layer of `value` of its norms, over `history`.
fn layer_series(history: &[EpochStats], value: fn(&LayerNorms) -> Option<f64>) -> Vec<Series> {
    let layers = history.iter().map(|stats| stats.layers.len()).max().unwrap_or(0);
    (0..layers)
        .map(|layer| {
            let points: Vec<(f64, f64)> = history
                .iter()
                .filter_map(|stats| Some((stats.epoch as f64, value(stats.layers.get(layer)?)?)))
                .filter(|(_, value)| value.is_finite())
                .collect();
            Series {
                label: format!("Linear {layer}"),
                points: decimate(&points, MAX_CHART_POINTS),
                colour: LAYER_COLOURS[layer % LAYER_COLOURS.len()],
                dashed: false,
            }
        })
        .collect()
}

/// A chart of one norm per layer, on a log scale (norms of layers differ by orders of
/// magnitude), with the update ratio's guide where `guide`.
fn norms_chart(
    history: Signal<Vec<EpochStats>>,
    epochs: Signal<usize>,
    title: &'static str,
    value: fn(&LayerNorms) -> Option<f64>,
    guide: bool,
) -> PacedSvg {
    paced(
        move || {
            let mut series = layer_series(&history.read(), value);
            if guide && series.iter().any(|line| !line.points.is_empty()) {
                series.push(Series {
                    label: format!("guide {UPDATE_RATIO_GUIDE:e}"),
                    points: vec![(1.0, UPDATE_RATIO_GUIDE), (epochs.get().max(2) as f64, UPDATE_RATIO_GUIDE)],
                    colour: GUIDE,
                    dashed: true,
                });
            }
            (series, XAxis::Epochs(epochs.get()))
        },
        move |(series, x)| render(title, series, *x, y_range(series, true), true).unwrap_or_default(),
    )
}

/// A hidden layer's histogram as an SVG document (bars over the values' range).
fn histogram_svg(activity: &LayerActivity) -> Option<String> {
    const WIDTH: u32 = 220;
    const HEIGHT: u32 = 130;
    let histogram = &activity.histogram;
    let bins = histogram.counts.len().max(1);
    let highest = histogram.counts.iter().copied().max().unwrap_or(0).max(1);
    let (low, high) = (f64::from(histogram.low), f64::from(histogram.high));
    let span = if high > low { high - low } else { 1.0 };
    let mut svg = String::new();
    {
        let root = ChartBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).ok()?;
        let mut chart = ChartBuilder::on(&root)
            .caption(format!("Layer {} activations", activity.linear), (CAPTION_FONT.0, 12))
            .margin(6)
            .x_label_area_size(22)
            .y_label_area_size(34)
            .build_cartesian_2d(low..low + span, 0u32..highest + highest / 10 + 1)
            .ok()?;
        chart
            .configure_mesh()
            .x_labels(4)
            .x_label_formatter(&|value| format!("{value:.2}"))
            .y_labels(3)
            .label_style((LABEL_FONT.0, 9))
            .light_line_style(GRID)
            .draw()
            .ok()?;
        let width = span / bins as f64;
        let colour = LAYER_COLOURS[activity.linear % LAYER_COLOURS.len()];
        chart
            .draw_series(histogram.counts.iter().enumerate().map(|(bin, &count)| {
                let left = low + bin as f64 * width;
                Rectangle::new([(left, 0), (left + width * 0.92, count)], colour.filled())
            }))
            .ok()?;
        root.present().ok()?;
    }
    Some(svg)
}

/// What a hidden layer's histogram says in words: its range and, for ReLU, its dead units.
fn activity_text(activity: &LayerActivity) -> String {
    let range = format!("values from {:.3} to {:.3}", activity.histogram.low, activity.histogram.high);
    match activity.dead {
        Some(dead) => {
            let share = 100.0 * dead as f64 / activity.units.max(1) as f64;
            format!("{range}; {dead} of {} ReLU units never fire on this batch ({share:.0}%)", activity.units)
        }
        None => range,
    }
}

#[component]
pub fn LayerStats(view: RunView) -> impl IntoView {
    let history: Signal<Vec<EpochStats>> = view.history.into();
    let epochs: Signal<usize> = view.epochs_total.into();
    let measured =
        Memo::new(move |_| view.history.read().iter().filter(|stats| !stats.layers.is_empty()).count());
    let weight = norms_chart(history, epochs, "Weight norm ‖W‖ per layer", |norms| Some(norms.weight), false);
    let gradient =
        norms_chart(history, epochs, "Gradient norm ‖∇W‖ per layer", |norms| Some(norms.gradient), false);
    let ratio = norms_chart(history, epochs, "Update / weight ‖ΔW‖/‖W‖", LayerNorms::update_ratio, true);
    let readout = move |name: &'static str, value: fn(&LayerNorms) -> Option<f64>| {
        Callback::new(move |epoch: usize| {
            let history = history.read_untracked();
            let stats = history.iter().find(|stats| stats.epoch == epoch)?;
            let values: Vec<String> = stats
                .layers
                .iter()
                .enumerate()
                .filter_map(|(layer, norms)| Some(format!("layer {layer} {:.3e}", value(norms)?)))
                .collect();
            (!values.is_empty()).then(|| format!("epoch {epoch}: {name} {}", values.join(", ")))
        })
    };
    let histograms = move || {
        view.activity
            .get()
            .unwrap_or_default()
            .into_iter()
            .map(|activity| {
                let svg = histogram_svg(&activity).unwrap_or_default();
                let text = activity_text(&activity);
                view! {
                    <figure class="activation-histogram" data-testid="activation-histogram"
                        data-layer=activity.linear data-units=activity.units
                        data-dead=activity.dead.map(|dead| dead.to_string())>
                        <div class="histogram-svg" inner_html=svg></div>
                        <figcaption>{text}</figcaption>
                    </figure>
                }
            })
            .collect_view()
    };
    view! {
        <section class="layer-stats" data-testid="layer-stats" data-epochs=move || measured.get()
            hidden=move || measured.get() == 0 && view.activity.read().is_none()>
            <h3>"Inside every layer"</h3>
            <p class="layer-stats-help">"Norms on a log scale. An update near a thousandth of its weights (the dashed guide) is the usual sign of a healthy learning rate; gradients shrinking layer after layer toward the input mean they vanish."</p>
            <div class="charts layer-charts">
                <Chart test_id="layer-weight-chart" svg=weight epochs readout=readout("‖W‖", |norms| Some(norms.weight)) />
                <Chart test_id="layer-gradient-chart" svg=gradient epochs readout=readout("‖∇W‖", |norms| Some(norms.gradient)) />
                <Chart test_id="layer-ratio-chart" svg=ratio epochs readout=readout("‖ΔW‖/‖W‖", LayerNorms::update_ratio) />
            </div>
            <div class="activation-histograms">{histograms}</div>
        </section>
    }
}
