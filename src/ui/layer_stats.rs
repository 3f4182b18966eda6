//! Inside any network, whatever the data: per linear layer, over the epochs, the norm of its
//! weights, of its gradient and the update-to-weight ratio (with the usual 1e-3 guide) — what
//! practitioners watch for vanishing or exploding gradients and a learning rate off by orders
//! of magnitude; and per hidden layer a histogram of its activations on a fixed batch, with
//! the ReLU units that never fire counted ("dead": they pass no gradient, so they never learn).
//!
//! Shown from the page's load, its charts empty until a run measures (as the run's own charts
//! are): appearing in a run's first frames, its charts' first layout held the page's thread
//! for 150 ms on a busy machine.
//!
//! Test surface: `data-testid="layer-stats"` (`data-epochs`: epochs measured), the charts
//! `layer-weight-chart`, `layer-gradient-chart`, `layer-ratio-chart`, and each hidden layer's
//! `activation-histogram` (`data-layer`, `data-units`, `data-dead` for a ReLU layer).

use leptos::html::Canvas;
use leptos::prelude::*;
use plotters::style::RGBColor;

use super::paced::{PacedSvg, paced};
use super::picture_buttons::PictureButtons;
use super::plot::{Chart, Series, XAxis, render, y_range};
use super::run_view::RunView;
use crate::core::model::params::LayerSpec;
use crate::core::report::decimate::{MAX_CHART_POINTS, decimate};
use crate::core::report::epoch_stats::EpochStats;
use crate::core::report::layer_stats::{LayerActivity, LayerNorms, UPDATE_RATIO_GUIDE};
use crate::web::canvas::draw_bars;

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
                label: text!("inside-layer-line", layer = layer),
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
    shown: Signal<bool>,
    epochs: Signal<usize>,
    title: String,
    value: fn(&LayerNorms) -> Option<f64>,
    guide: bool,
) -> PacedSvg {
    paced(
        move || {
            // Off screen it follows nothing but whether it is shown: no redraw while a run
            // goes on unseen, one with everything when it comes into view.
            let history = if shown.get() { history.read() } else { history.read_untracked() };
            let mut series = layer_series(&history, value);
            if guide && series.iter().any(|line| !line.points.is_empty()) {
                series.push(Series {
                    label: text!("inside-layer-guide", guide = format!("{UPDATE_RATIO_GUIDE:e}")),
                    points: vec![(1.0, UPDATE_RATIO_GUIDE), (epochs.get().max(2) as f64, UPDATE_RATIO_GUIDE)],
                    colour: GUIDE,
                    dashed: true,
                });
            }
            (series, XAxis::Epochs(epochs.get()))
        },
        move |(series, x)| render(&title, series, *x, y_range(series, true), true).unwrap_or_default(),
    )
}

/// Hidden layer `layer`'s activations on the fixed batch, once a refresh has measured them:
/// bars on a canvas (redrawn at each refresh without a layout of the page), the range and
/// the dead units in words.
#[component]
fn ActivationHistogram(view: RunView, layer: usize, shown: Signal<bool>) -> impl IntoView {
    let activity =
        Memo::new(move |_| view.activity.read().as_ref().and_then(|layers| layers.get(layer).cloned()));
    let canvas = NodeRef::<Canvas>::new();
    Effect::new(move || {
        let (Some(canvas), Some(activity), true) = (canvas.get(), activity.get(), shown.get()) else {
            return;
        };
        let highest = f64::from(activity.histogram.counts.iter().copied().max().unwrap_or(0).max(1));
        let shares: Vec<f64> =
            activity.histogram.counts.iter().map(|&count| f64::from(count) / highest).collect();
        let RGBColor(r, g, b) = LAYER_COLOURS[layer % LAYER_COLOURS.len()];
        draw_bars(&canvas, &shares, [r, g, b]);
    });
    view! {
        <figure class="activation-histogram" data-testid="activation-histogram" data-explain="activation-histogram" hidden=move || activity.read().is_none()
            data-layer=layer data-units=move || activity.read().as_ref().map(|activity| activity.units)
            data-dead=move || activity.read().as_ref().and_then(|activity| activity.dead).map(|dead| dead.to_string())>
            <figcaption class="histogram-title">{text!("inside-histogram-title", layer = layer)}</figcaption>
            <canvas class="histogram-bars" node_ref=canvas width="220" height="90" role="img"
                aria-label=text!("inside-histogram-label", layer = layer)></canvas>
            <p class="histogram-text">{move || activity.read().as_ref().map(activity_text)}</p>
        </figure>
    }
}

/// What a hidden layer's histogram says in words: its range and, for ReLU, its dead units.
fn activity_text(activity: &LayerActivity) -> String {
    let (low, high) = (format!("{:.3}", activity.histogram.low), format!("{:.3}", activity.histogram.high));
    match activity.dead {
        Some(dead) => {
            let share = 100.0 * dead as f64 / activity.units.max(1) as f64;
            text!(
                "inside-histogram-dead",
                low = low,
                high = high,
                dead = dead,
                units = activity.units,
                share = format!("{share:.0}")
            )
        }
        None => text!("inside-histogram-range", low = low, high = high),
    }
}

#[component]
pub fn LayerStats(
    view: RunView,
    /// Whether the view is on screen: it draws only then.
    shown: Signal<bool>,
) -> impl IntoView {
    let history: Signal<Vec<EpochStats>> = view.history.into();
    let epochs: Signal<usize> = view.epochs_total.into();
    let measured =
        Memo::new(move |_| view.history.read().iter().filter(|stats| !stats.layers.is_empty()).count());
    let weight =
        norms_chart(history, shown, epochs, text!("inside-chart-weight"), |norms| Some(norms.weight), false);
    let gradient = norms_chart(
        history,
        shown,
        epochs,
        text!("inside-chart-gradient"),
        |norms| Some(norms.gradient),
        false,
    );
    let ratio =
        norms_chart(history, shown, epochs, text!("inside-chart-ratio"), LayerNorms::update_ratio, true);
    let readout = move |name: &'static str, value: fn(&LayerNorms) -> Option<f64>| {
        Callback::new(move |epoch: usize| {
            let history = history.read_untracked();
            let stats = history.iter().find(|stats| stats.epoch == epoch)?;
            let values: Vec<String> = stats
                .layers
                .iter()
                .enumerate()
                .filter_map(|(layer, norms)| {
                    Some(text!(
                        "inside-readout-layer",
                        layer = layer,
                        value = format!("{:.3e}", value(norms)?)
                    ))
                })
                .collect();
            (!values.is_empty())
                .then(|| text!("inside-readout", epoch = epoch, name = name, values = values.join(", ")))
        })
    };
    // One histogram per hidden layer, made when the run starts (its network known), each
    // redrawn in an animation frame of its own.
    let hidden = Memo::new(move |_| {
        view.network.read().as_ref().map_or(0, |network| {
            network
                .layers
                .iter()
                .filter(|layer| matches!(layer, LayerSpec::Linear { .. }))
                .count()
                .saturating_sub(1)
        })
    });
    let histograms = move || {
        (0..hidden.get()).map(|layer| view! { <ActivationHistogram view layer shown /> }).collect_view()
    };
    view! {
        <section class="layer-stats" data-testid="layer-stats" data-explain="layer-stats" data-epochs=move || measured.get()>
            <h3>{text!("inside-layers-title")}</h3>
            <p class="layer-stats-help">{text!("inside-layers-help")}</p>
            <div class="charts layer-charts">
                <Chart test_id="layer-weight-chart" svg=weight epochs readout=readout("‖W‖", |norms| Some(norms.weight)) />
                <Chart test_id="layer-gradient-chart" svg=gradient epochs readout=readout("‖∇W‖", |norms| Some(norms.gradient)) />
                <Chart test_id="layer-ratio-chart" svg=ratio epochs readout=readout("‖ΔW‖/‖W‖", LayerNorms::update_ratio) />
            </div>
            <div class="activation-histograms">{histograms}</div>
            <PictureButtons selector=".activation-histograms".to_owned() name="activation-histograms".to_owned() />
        </section>
    }
}
