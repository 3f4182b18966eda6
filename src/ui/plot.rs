//! The live metric charts, drawn by plotters into SVG: loss and accuracy (training and
//! validation, with earlier runs dashed behind for comparison) and the learning rate. The
//! loss can be shown on a log scale; moving the pointer over a chart reads out its epoch.

use leptos::prelude::*;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::chart_backend::{ChartBackend, text_size, themed};
use super::paced::{PacedSvg, paced};
use super::picture_buttons::PictureButtons;
use super::runs::PastRun;
use crate::core::report::decimate::{MAX_CHART_POINTS, decimate};
use crate::core::report::epoch_stats::EpochStats;

// Every chart of the page (these, the sweep's, the range test's) draws with these fonts.
/// A chart's caption.
pub(super) const CAPTION_FONT: (&str, u32) = ("sans-serif", 14);
/// Axis labels.
pub(super) const LABEL_FONT: (&str, u32) = ("sans-serif", 11);
/// Legends, and the labels of small charts.
pub(super) const SMALL_FONT: (&str, u32) = ("sans-serif", 10);
/// The light grid lines: black, faint — the text's colour once the chart is themed
/// (`chart_backend::themed`), so that they stay faint on a dark page too.
pub(super) const GRID: RGBAColor = RGBAColor(0, 0, 0, 0.08);
const WIDTH: u32 = 360;
const HEIGHT: u32 = 190;
/// The plotting area's left and right edges within the chart, from the margins below.
const PLOT_LEFT: f64 = 8.0 + 46.0;
const PLOT_RIGHT: f64 = WIDTH as f64 - 8.0;

pub(super) const TRAIN: RGBColor = RGBColor(214, 69, 65);
const VALIDATION: RGBColor = RGBColor(38, 120, 178);

/// One line of a chart.
pub(super) struct Series {
    pub(super) label: String,
    pub(super) points: Vec<(f64, f64)>,
    pub(super) colour: RGBColor,
    pub(super) dashed: bool,
}

/// What the x axis counts: epochs, or steps (batches).
#[derive(Clone, Copy)]
pub(super) enum XAxis {
    Epochs(usize),
    Steps(usize),
}

impl XAxis {
    fn end(self) -> f64 {
        match self {
            XAxis::Epochs(end) | XAxis::Steps(end) => end.max(2) as f64,
        }
    }

    fn label(self) -> String {
        match self {
            XAxis::Epochs(_) => text!("chart-axis-epoch"),
            XAxis::Steps(_) => text!("chart-axis-step"),
        }
    }
}

/// Renders `series` as an SVG document following the page's theme (`themed`: on a
/// transparent background), or `None` if plotters fails (nothing is then shown, rather than
/// half a chart). With `log`, y values are drawn as log₁₀ and labelled as powers.
pub(super) fn render(
    title: &str,
    series: &[Series],
    x: XAxis,
    y_range: std::ops::Range<f64>,
    log: bool,
) -> Option<String> {
    let mut svg = String::new();
    {
        let root = ChartBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        let mut chart = ChartBuilder::on(&root)
            .caption(title, CAPTION_FONT)
            .margin(8)
            .x_label_area_size(34)
            .y_label_area_size(46)
            .build_cartesian_2d(1f64..x.end(), y_range)
            .ok()?;
        let y_format =
            |value: &f64| if log { format!("{:.0e}", 10f64.powf(*value)) } else { format!("{value:.3}") };
        chart
            .configure_mesh()
            .x_labels(6)
            // Whole epochs and steps only: a short axis (1..2) would label 1.2 as "1".
            .x_label_formatter(&|at| if at.fract().abs() < 1e-9 { format!("{at:.0}") } else { String::new() })
            .x_desc(x.label())
            .y_labels(5)
            .y_label_formatter(&y_format)
            .label_style(LABEL_FONT)
            .light_line_style(GRID)
            .draw()
            .ok()?;
        for line in series.iter().filter(|line| !line.points.is_empty()) {
            let points = line.points.iter().map(|&(x, y)| (x, if log { y.max(1e-12).log10() } else { y }));
            let style = line.colour.stroke_width(if line.dashed { 1 } else { 2 });
            if line.dashed {
                chart.draw_series(DashedLineSeries::new(points, 4, 3, style)).ok()?;
            } else {
                chart.draw_series(LineSeries::new(points, style)).ok()?;
            }
        }
        let labelled: Vec<&Series> = series.iter().filter(|line| !line.points.is_empty()).collect();
        if labelled.len() > 1 {
            draw_legend(&root, &labelled).ok()?;
        }
        root.present().ok()?;
    }
    Some(themed(&svg))
}

/// The legend, in the plot's upper right corner: a sample of each line and its label, on a
/// pale box (the panel's colour, once themed). Drawn here rather than by plotters, which would
/// measure each label in the page.
fn draw_legend(
    root: &DrawingArea<ChartBackend, plotters::coord::Shift>,
    series: &[&Series],
) -> Result<(), String> {
    const SAMPLE: i32 = 14;
    const PADDING: i32 = 5;
    let size = SMALL_FONT.1;
    let line_height = (f64::from(size) * 1.3).round() as i32;
    let widest = series.iter().map(|line| text_size(&line.label, f64::from(size)).0).max().unwrap_or(0);
    let width = PADDING * 3 + SAMPLE + widest as i32;
    let height = PADDING * 2 + line_height * series.len() as i32;
    // Inside the plot's right edge, below the chart's margin (8) and caption (≈ 20).
    let (right, top) = (PLOT_RIGHT as i32 - 6, 8 + 20);
    let left = right - width;
    let error = |error: DrawingAreaErrorKind<_>| error.to_string();
    root.draw(&Rectangle::new([(left, top), (right, top + height)], WHITE.mix(0.85).filled()))
        .map_err(error)?;
    root.draw(&Rectangle::new([(left, top), (right, top + height)], BLACK.mix(0.15))).map_err(error)?;
    let font = SMALL_FONT.into_font().color(&BLACK).pos(Pos::new(HPos::Left, VPos::Center));
    for (at, line) in series.iter().enumerate() {
        let y = top + PADDING + line_height * at as i32 + line_height / 2;
        let style = line.colour.stroke_width(if line.dashed { 1 } else { 2 });
        root.draw(&PathElement::new(vec![(left + PADDING, y), (left + PADDING + SAMPLE, y)], style))
            .map_err(error)?;
        root.draw(&Text::new(line.label.as_str(), (left + PADDING * 2 + SAMPLE, y), font.clone()))
            .map_err(error)?;
    }
    Ok(())
}

/// A y range from 0 (or the smallest value, on a log scale) to a little above the largest.
pub(super) fn y_range(series: &[Series], log: bool) -> std::ops::Range<f64> {
    let values = || series.iter().flat_map(|line| line.points.iter().map(|p| p.1)).filter(|v| v.is_finite());
    let highest = values().fold(f64::NAN, f64::max);
    if log {
        let lowest = values().filter(|v| *v > 0.0).fold(f64::NAN, f64::min);
        if lowest.is_finite() && highest.is_finite() {
            return (lowest.log10() - 0.1)..(highest.log10() + 0.1);
        }
        return -3.0..0.0;
    }
    0.0..if highest.is_finite() && highest > 0.0 { highest * 1.08 } else { 1.0 }
}

/// A metric's points over `history`, decimated to at most [`MAX_CHART_POINTS`] (peaks kept):
/// a 100 000-epoch run draws as many as a run of a thousand.
fn points(history: &[EpochStats], value: impl Fn(&EpochStats) -> Option<f64>) -> Vec<(f64, f64)> {
    let all: Vec<(f64, f64)> =
        history.iter().filter_map(|stats| Some((stats.epoch as f64, value(stats)?))).collect();
    decimate(&all, MAX_CHART_POINTS)
}

/// A solid line.
fn line(label: String, colour: RGBColor, points: Vec<(f64, f64)>) -> Series {
    Series { label, points, colour, dashed: false }
}

/// ClassificationMetrics' chart: precision, recall, F1 and ROC-AUC of the validation pass.
fn class_metrics_chart(history: Signal<Vec<EpochStats>>, epochs: Signal<usize>) -> PacedSvg {
    paced(
        move || {
            let history = history.read();
            let metric =
                |label: String, colour: RGBColor, value: Metric| line(label, colour, points(&history, value));
            let series = [
                metric(text!("chart-precision"), RGBColor(38, 120, 178), |s| {
                    s.class_metrics.map(|m| m.precision)
                }),
                metric(text!("chart-recall"), RGBColor(230, 140, 30), |s| s.class_metrics.map(|m| m.recall)),
                metric(text!("chart-f1"), TRAIN, |s| s.class_metrics.map(|m| m.f1)),
                metric(text!("chart-roc-auc"), RGBColor(47, 154, 106), |s| {
                    s.class_metrics.and_then(|m| m.roc_auc)
                }),
            ];
            (series, XAxis::Epochs(epochs.get()))
        },
        |(series, axis)| {
            render(&text!("chart-class-metrics-title"), series, *axis, 0.0..1.0, false).unwrap_or_default()
        },
    )
}

/// Reads one metric of an epoch.
type Metric = fn(&EpochStats) -> Option<f64>;

/// Draws the three charts once for a made-up history, throwing the result away: run during
/// the engine's warm-up so that the first real run does not compile the drawing code cold.
pub fn warm_up(epochs: &[EpochStats]) {
    let series = |value: Metric| Series {
        label: "train".to_owned(),
        points: points(epochs, value),
        colour: TRAIN,
        dashed: false,
    };
    let metrics: [(Metric, bool); 2] = [(|s| Some(s.train_loss), true), (|s| s.train_accuracy, false)];
    for (value, log) in metrics {
        let lines = [series(value), Series { dashed: true, ..series(value) }];
        let _ = render("warm-up", &lines, XAxis::Epochs(epochs.len()), y_range(&lines, log), log);
    }
}

/// One chart with its pointer readout.
#[component]
pub(super) fn Chart(
    test_id: &'static str,
    svg: PacedSvg,
    /// The readout for the epoch (or step) under the pointer.
    readout: Callback<usize, Option<String>>,
    /// Where the x axis ends: the epochs planned, or the steps run.
    epochs: Signal<usize>,
) -> impl IntoView {
    let hovered = RwSignal::new(None::<String>);
    let on_move = move |event: web_sys::PointerEvent| {
        let Some(element) =
            event.current_target().and_then(|t| wasm_bindgen::JsCast::dyn_into::<web_sys::Element>(t).ok())
        else {
            return;
        };
        let rect = element.get_bounding_client_rect();
        let x = (f64::from(event.client_x()) - rect.left()) * f64::from(WIDTH) / rect.width().max(1.0);
        let fraction = ((x - PLOT_LEFT) / (PLOT_RIGHT - PLOT_LEFT)).clamp(0.0, 1.0);
        let epoch = 1 + (fraction * (epochs.get_untracked().max(2) - 1) as f64).round() as usize;
        hovered.set(readout.run(epoch));
    };
    view! {
        <div class="chart" data-testid=test_id data-explain=test_id data-pending=move || svg.pending.get().to_string() on:pointermove=on_move on:pointerleave=move |_| hovered.set(None)>
            <div inner_html=svg.svg></div>
            <p class="chart-readout" data-testid=format!("{test_id}-readout") data-explain=test_id>{move || hovered.get().unwrap_or_default()}</p>
            <PictureButtons selector=format!("[data-testid=\"{test_id}\"] > div > svg") name=test_id.to_owned() />
        </div>
    }
}

/// The shown earlier runs' lines of `value`, dashed, the latest last (on top).
fn past_series(past: &[PastRun], value: Metric) -> Vec<Series> {
    let count = past.len();
    past.iter()
        .enumerate()
        .filter(|(_, run)| run.shown)
        .map(|(at, run)| {
            let (colour, label) = run.legend(count - 1 - at);
            Series { label, points: points(&run.epochs, value), colour, dashed: true }
        })
        .collect()
}

/// Loss, accuracy and learning-rate charts for `history` (and the earlier runs in `past`
/// that are shown), with the x axis spanning `epochs`.
#[component]
pub fn MetricsChart(
    /// Stats of every epoch so far.
    history: Signal<Vec<EpochStats>>,
    /// Earlier runs, those shown drawn dashed for comparison.
    past: Signal<Vec<PastRun>>,
    /// Epochs planned, for the x axis.
    epochs: Signal<usize>,
) -> impl IntoView {
    let log_loss = RwSignal::new(false);
    let axis = move || XAxis::Epochs(epochs.get());
    let loss = paced(
        move || {
            let history = history.read();
            let mut loss = past_series(&past.read(), |s| Some(s.train_loss));
            loss.push(line(text!("chart-train"), TRAIN, points(&history, |s| Some(s.train_loss))));
            loss.push(line(text!("chart-validation"), VALIDATION, points(&history, |s| s.val_loss)));
            (loss, axis(), log_loss.get())
        },
        |(loss, axis, log)| {
            render(&text!("chart-loss-title"), loss, *axis, y_range(loss, *log), *log).unwrap_or_default()
        },
    );
    let accuracy = paced(
        move || {
            let history = history.read();
            let mut accuracy = past_series(&past.read(), |s| s.train_accuracy);
            accuracy.push(line(text!("chart-train"), TRAIN, points(&history, |s| s.train_accuracy)));
            accuracy.push(line(text!("chart-validation"), VALIDATION, points(&history, |s| s.val_accuracy)));
            (accuracy, axis())
        },
        |(accuracy, axis)| {
            render(&text!("chart-accuracy-title"), accuracy, *axis, 0.0..1.0, false).unwrap_or_default()
        },
    );
    let lr = paced(
        move || {
            let lr = points(&history.read(), |s| Some(s.lr));
            ([line(text!("chart-learning-rate"), RGBColor(47, 154, 106), lr)], axis())
        },
        |(lr, axis)| {
            render(&text!("chart-learning-rate-title"), lr, *axis, y_range(lr, false), false)
                .unwrap_or_default()
        },
    );
    // ClassificationMetrics' chart, when the run has them.
    let has_class_metrics =
        Signal::derive(move || history.read().last().is_some_and(|stats| stats.class_metrics.is_some()));
    let class_metrics_readout = Callback::new(move |epoch: usize| {
        let history = history.read_untracked();
        let metrics = history.iter().find(|stats| stats.epoch == epoch)?.class_metrics?;
        let [precision, recall, f1] =
            [metrics.precision, metrics.recall, metrics.f1].map(|v| format!("{v:.4}"));
        Some(match metrics.roc_auc {
            Some(auc) => text!(
                "chart-class-metrics-readout-auc",
                epoch = epoch,
                precision = precision,
                recall = recall,
                f1 = f1,
                auc = format!("{auc:.4}")
            ),
            None => text!(
                "chart-class-metrics-readout",
                epoch = epoch,
                precision = precision,
                recall = recall,
                f1 = f1
            ),
        })
    });
    let readout =
        move |name: String, value: fn(&EpochStats) -> Option<f64>, val: fn(&EpochStats) -> Option<f64>| {
            Callback::new(move |epoch: usize| {
                let history = history.read_untracked();
                let stats = history.iter().find(|stats| stats.epoch == epoch)?;
                let shown = format!("{:.4}", value(stats)?);
                Some(match val(stats) {
                    Some(v) => text!(
                        "chart-readout-validation",
                        epoch = epoch,
                        metric = &name,
                        value = shown,
                        validation = format!("{v:.4}")
                    ),
                    None => text!("chart-readout", epoch = epoch, metric = &name, value = shown),
                })
            })
        };
    view! {
        <div class="charts" data-testid="charts" data-explain="charts">
            <Chart test_id="loss-chart" svg=loss epochs readout=readout(text!("chart-loss"), |s| Some(s.train_loss), |s| s.val_loss) />
            <Chart test_id="accuracy-chart" svg=accuracy epochs readout=readout(text!("chart-accuracy"), |s| s.train_accuracy, |s| s.val_accuracy) />
            <Chart test_id="lr-chart" svg=lr epochs readout=readout(text!("chart-learning-rate"), |s| Some(s.lr), |_| None) />
            <Show when=move || has_class_metrics.get()>
                <Chart test_id="class-metrics-chart" svg=class_metrics_chart(history, epochs) epochs readout=class_metrics_readout />
            </Show>
            <label class="toggle chart-option">
                <input type="checkbox" data-testid="log-scale" data-explain="log-scale" on:change=move |event| log_loss.set(event_target_checked(&event)) />
                {text!("chart-log-scale")}
            </label>
        </div>
    }
}
