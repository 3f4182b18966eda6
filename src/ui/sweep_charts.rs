//! A sweep's charts, drawn by plotters into SVG as the metric charts are: every trial's
//! curve of the monitored metric overlaid (the selected trial highlighted, pruned trials
//! where they stopped), and one scatter per swept parameter of the final value against the
//! parameter's values (on a log axis where they span decades).

use plotters::prelude::*;

use super::chart_backend::{ChartBackend, themed};

use super::plot::{CAPTION_FONT, GRID, LABEL_FONT, SMALL_FONT};

use crate::core::model::choices::Monitor;
use crate::core::model::number_text::short;
use crate::core::model::params::ParamValue;
use crate::core::report::decimate::{MAX_CHART_POINTS, decimate};
use crate::core::report::sweep_progress::{SweepProgress, TrialState};

// The font sizes are the metric charts' (`plot.rs`), which the page's CSP allows.
const WIDTH: u32 = 360;
const HEIGHT: u32 = 200;

const OTHER: RGBColor = RGBColor(150, 165, 185);
/// Pruned trials: faint, in the text's colour once the chart is themed (`themed`).
const PRUNED: RGBAColor = RGBAColor(0, 0, 0, 0.22);
const SELECTED: RGBColor = RGBColor(214, 69, 65);
const BEST: RGBColor = RGBColor(47, 154, 106);

/// A metric's name as the table and the charts read it: `val loss`.
pub fn metric_text(monitor: Monitor) -> String {
    match monitor {
        Monitor::TrainLoss => text!("sweep-metric-train-loss"),
        Monitor::TrainAccuracy => text!("sweep-metric-train-accuracy"),
        Monitor::ValLoss => text!("sweep-metric-val-loss"),
        Monitor::ValAccuracy => text!("sweep-metric-val-accuracy"),
    }
}

/// How a metric reads in a caption: accuracy, or minus a loss.
pub fn monitor_text(monitor: Monitor) -> String {
    let name = metric_text(monitor);
    if monitor.lower_is_better() { text!("sweep-metric-negated", metric = name) } else { name }
}

/// A y range around `values`, or 0..1 for accuracies.
fn y_range(values: impl Iterator<Item = f64>, monitor: Monitor) -> std::ops::Range<f64> {
    if monitor.is_accuracy() {
        return 0.0..1.0;
    }
    let (low, high) = values
        .filter(|v| v.is_finite())
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(low, high), v| (low.min(v), high.max(v)));
    if !(low.is_finite() && high.is_finite()) {
        return -1.0..0.0;
    }
    let margin = ((high - low) * 0.08).max(1e-6);
    (low - margin)..(high + margin)
}

/// The most points the overlay of every trial's curve draws, all trials together.
const OVERLAY_POINTS: usize = 24_000;

/// Every trial's monitored metric per epoch, `selected` on top in red and the best in green.
pub fn overlay(progress: &SweepProgress, selected: Option<usize>) -> Option<String> {
    let monitor = progress.monitor?;
    let epochs =
        progress.trials.iter().map(|record| record.planned_epochs.max(record.epochs_run)).max()?.max(2);
    // Each trial's curve is bounded as it grows (`BoundedCurve`), and thinned again here so
    // that the chart draws at most OVERLAY_POINTS points in all, whatever the epochs.
    let per_trial = (OVERLAY_POINTS / progress.trials.len().max(1)).clamp(16, MAX_CHART_POINTS);
    let all: Vec<Vec<(f64, f64)>> =
        progress.trials.iter().map(|record| decimate(&record.curve.points(), per_trial)).collect();
    let range = y_range(all.iter().flatten().map(|p| p.1), monitor);
    let best = progress.best();
    let mut svg = String::new();
    {
        let root = ChartBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        let mut chart = ChartBuilder::on(&root)
            .caption(text!("sweep-curves-caption", metric = monitor_text(monitor)), CAPTION_FONT)
            .margin(8)
            .x_label_area_size(30)
            .y_label_area_size(46)
            .build_cartesian_2d(1f64..epochs as f64, range)
            .ok()?;
        chart
            .configure_mesh()
            .x_labels(6)
            .x_label_formatter(&|epoch| format!("{epoch:.0}"))
            .x_desc(text!("sweep-curves-epoch"))
            .y_labels(5)
            .y_label_formatter(&|value| format!("{value:.3}"))
            .label_style(LABEL_FONT)
            .light_line_style(GRID)
            .draw()
            .ok()?;
        // Background first, then the best, then the selected one on top.
        let order = (0..all.len())
            .filter(|&index| Some(index) != selected && Some(index) != best)
            .chain(best.filter(|&best| Some(best) != selected))
            .chain(selected.filter(|&index| index < all.len()));
        for index in order {
            let colour = if Some(index) == selected {
                SELECTED.stroke_width(3)
            } else if Some(index) == best {
                BEST.stroke_width(2)
            } else if progress.trials[index].state == TrialState::Pruned {
                PRUNED.stroke_width(1)
            } else {
                OTHER.stroke_width(1)
            };
            chart.draw_series(LineSeries::new(all[index].iter().copied(), colour)).ok()?;
        }
        root.present().ok()?;
    }
    Some(themed(&svg))
}

/// The final monitored value of every trial that has one, against swept parameter
/// `param` (by position in the sweep); `None` when no trial has a value yet.
pub fn scatter(
    progress: &SweepProgress,
    param: usize,
    name: &str,
    selected: Option<usize>,
) -> Option<String> {
    let monitor = progress.monitor?;
    // Each trial's x: a number's value, or a choice's place among the values seen.
    let mut categories: Vec<String> = Vec::new();
    let mut points = Vec::new();
    for (index, record) in progress.trials.iter().enumerate() {
        let (Some(setting), Some(value)) = (record.trial.settings.get(param), record.final_value(monitor))
        else {
            continue;
        };
        let x = match &setting.value {
            ParamValue::Float(number) => *number,
            ParamValue::Int(number) => *number as f64,
            other => {
                let text = other.to_string();
                let at = categories.iter().position(|seen| *seen == text).unwrap_or_else(|| {
                    categories.push(text);
                    categories.len() - 1
                });
                at as f64
            }
        };
        points.push((index, x, value));
    }
    if points.is_empty() {
        return None;
    }
    let (low, high) =
        points.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(l, h), p| (l.min(p.1), h.max(p.1)));
    let log = categories.is_empty() && low > 0.0 && high / low >= 20.0;
    let position = |x: f64| if log { x.log10() } else { x };
    let (from, to) = (position(low), position(high));
    let pad = if to > from { (to - from) * 0.08 } else { 0.5 };
    let range = y_range(points.iter().map(|p| p.2), monitor);
    let mut svg = String::new();
    {
        let root = ChartBackend::with_string(&mut svg, (WIDTH / 2 + 40, HEIGHT)).into_drawing_area();
        let mut chart = ChartBuilder::on(&root)
            .caption(name, CAPTION_FONT)
            .margin(8)
            .x_label_area_size(30)
            .y_label_area_size(42)
            .build_cartesian_2d((from - pad)..(to + pad), range)
            .ok()?;
        let label_x = |x: &f64| {
            if !categories.is_empty() {
                let at = x.round();
                return if (x - at).abs() < 1e-6 && at >= 0.0 {
                    categories.get(at as usize).cloned().unwrap_or_default()
                } else {
                    String::new()
                };
            }
            short(if log { 10f64.powf(*x) } else { *x })
        };
        chart
            .configure_mesh()
            .x_labels(if categories.is_empty() { 4 } else { categories.len() * 2 + 1 })
            .x_label_formatter(&label_x)
            .y_labels(5)
            .y_label_formatter(&|value| format!("{value:.2}"))
            .label_style(SMALL_FONT)
            .light_line_style(GRID)
            .draw()
            .ok()?;
        chart
            .draw_series(points.iter().map(|&(index, x, value)| {
                let colour = if Some(index) == selected { SELECTED } else { RGBColor(38, 120, 178) };
                Circle::new(
                    (position(x), value),
                    if Some(index) == selected { 5 } else { 4 },
                    colour.filled(),
                )
            }))
            .ok()?;
        root.present().ok()?;
    }
    Some(themed(&svg))
}
