//! The step-level charts, from EpochTracker's log every `log_interval` steps: the running
//! average of the loss since the previous log, and the global gradient norm of every update
//! before clipping (what practitioners watch to set TrainingStep's `gradient_clip`), with the
//! clipping threshold drawn across it when clipping is on.

use leptos::prelude::*;
use plotters::style::RGBColor;

use super::paced::paced;
use super::plot::{Chart, Series, TRAIN, XAxis, render, y_range};
use crate::core::report::decimate::{MAX_CHART_POINTS, decimate};
use crate::core::report::step_log::StepHistory;

const NORM: RGBColor = RGBColor(120, 82, 176);
const THRESHOLD: RGBColor = RGBColor(150, 150, 150);

/// The point of `series` nearest step `at`, as the readout shows it.
fn nearest(series: &[(f64, f64)], at: usize) -> Option<(f64, f64)> {
    series.iter().copied().min_by(|a, b| (a.0 - at as f64).abs().total_cmp(&(b.0 - at as f64).abs()))
}

/// The last step either series reaches.
fn last_step(history: &StepHistory) -> usize {
    let last = |series: &[(f64, f64)]| series.last().map_or(0.0, |point| point.0);
    last(&history.losses).max(last(&history.grad_norms)) as usize
}

/// The running-loss chart: its line and x axis.
fn loss_series(history: &StepHistory) -> ([Series; 1], XAxis) {
    let series = [Series {
        label: text!("chart-running-loss"),
        points: decimate(&history.losses, MAX_CHART_POINTS),
        colour: TRAIN,
        dashed: false,
    }];
    (series, XAxis::Steps(last_step(history)))
}

fn loss_svg((series, x): &([Series; 1], XAxis), log_interval: usize) -> String {
    let title = text!("chart-step-loss-title", interval = log_interval);
    render(&title, series, *x, y_range(series, false), false).unwrap_or_default()
}

/// The gradient-norm chart: its line, and the clipping threshold when `clip` > 0.
fn norm_series(history: &StepHistory, clip: f64) -> (Vec<Series>, XAxis) {
    let end = last_step(history);
    let mut series = vec![Series {
        label: text!("chart-gradient-norm"),
        points: decimate(&history.grad_norms, MAX_CHART_POINTS),
        colour: NORM,
        dashed: false,
    }];
    if clip > 0.0 && end > 0 {
        series.push(Series {
            label: text!("chart-gradient-clip", clip = clip.to_string()),
            points: vec![(1.0, clip), (end.max(2) as f64, clip)],
            colour: THRESHOLD,
            dashed: true,
        });
    }
    (series, XAxis::Steps(end))
}

fn norm_svg((series, x): &(Vec<Series>, XAxis)) -> String {
    render(&text!("chart-gradient-norm-title"), series, *x, y_range(series, false), false).unwrap_or_default()
}

/// Draws both charts once for `history`, throwing the result away: run during the engine's
/// warm-up, so that the first real run does not draw them cold.
pub fn warm_up(history: &StepHistory) {
    let _ = (loss_svg(&loss_series(history), 10), norm_svg(&norm_series(history, 1.0)));
}

#[component]
pub fn StepCharts(
    steps: Signal<StepHistory>,
    /// TrainingStep's `gradient_clip` (0: off), drawn as a line on the norm chart.
    gradient_clip: Signal<f64>,
    /// EpochTracker's `log_interval`, for the caption.
    log_interval: Signal<usize>,
) -> impl IntoView {
    let end = Signal::derive(move || steps.with(last_step));
    let loss = paced(
        move || (steps.with(loss_series), log_interval.get()),
        |(series, log_interval)| loss_svg(series, *log_interval),
    );
    let norms = paced(move || steps.with(|history| norm_series(history, gradient_clip.get())), norm_svg);
    let readout = move |name: String, series: fn(&StepHistory) -> &Vec<(f64, f64)>| {
        Callback::new(move |step: usize| {
            let (at, value) = steps.with_untracked(|history| nearest(series(history), step))?;
            Some(text!(
                "chart-step-readout",
                step = format!("{at:.0}"),
                metric = &name,
                value = format!("{value:.4}")
            ))
        })
    };
    view! {
        <div class="charts step-charts" data-testid="step-charts" data-explain="step-charts"
            data-logs=move || steps.with(|history| history.losses.len())
            data-norms=move || steps.with(|history| history.grad_norms.len())>
            <Chart test_id="step-loss-chart" svg=loss epochs=end
                readout=readout(text!("chart-running-loss"), |history| &history.losses) />
            <Chart test_id="grad-norm-chart" svg=norms epochs=end
                readout=readout(text!("chart-gradient-norm"), |history| &history.grad_norms) />
        </div>
    }
}
