//! The live metric chart: train loss and accuracy per epoch, drawn by plotters into SVG.

use leptos::prelude::*;
use plotters::prelude::*;

use crate::core::train::EpochStats;

const WIDTH: u32 = 360;
const HEIGHT: u32 = 180;

/// Renders one series as an SVG document, or `None` if plotters fails (nothing is then
/// shown, rather than half a chart).
fn render(
    title: &str,
    points: &[(f64, f64)],
    epochs: usize,
    y_range: std::ops::Range<f64>,
    colour: RGBColor,
) -> Option<String> {
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).ok()?;
        let mut chart = ChartBuilder::on(&root)
            .caption(title, ("sans-serif", 14))
            .margin(8)
            .x_label_area_size(34)
            .y_label_area_size(40)
            .build_cartesian_2d(1f64..(epochs.max(2) as f64), y_range)
            .ok()?;
        chart
            .configure_mesh()
            .x_labels(6)
            .x_label_formatter(&|epoch| format!("{epoch:.0}"))
            .x_desc("epoch")
            .y_labels(5)
            .label_style(("sans-serif", 11))
            .light_line_style(RGBColor(238, 238, 238))
            .draw()
            .ok()?;
        chart.draw_series(LineSeries::new(points.iter().copied(), colour.stroke_width(2))).ok()?;
        root.present().ok()?;
    }
    Some(svg)
}

/// Loss and accuracy charts for `history`, with the x axis spanning `epochs`.
#[component]
pub fn MetricsChart(
    /// Stats of every epoch so far.
    history: Signal<Vec<EpochStats>>,
    /// Epochs planned, for the x axis.
    epochs: Signal<usize>,
) -> impl IntoView {
    let loss_svg = move || {
        let history = history.read();
        let points: Vec<(f64, f64)> = history.iter().map(|s| (s.epoch as f64, s.train_loss)).collect();
        let highest = points.iter().map(|p| p.1).fold(f64::NAN, f64::max);
        let top = if highest.is_finite() && highest > 0.0 { highest * 1.05 } else { 1.0 };
        render("Train loss", &points, epochs.get(), 0.0..top, RGBColor(214, 69, 65)).unwrap_or_default()
    };
    let accuracy_svg = move || {
        let history = history.read();
        let points: Vec<(f64, f64)> =
            history.iter().filter_map(|s| Some((s.epoch as f64, s.train_accuracy?))).collect();
        render("Train accuracy", &points, epochs.get(), 0.0..1.0, RGBColor(38, 120, 178)).unwrap_or_default()
    };
    view! {
        <div class="charts" data-testid="charts">
            <div class="chart" data-testid="loss-chart" inner_html=loss_svg></div>
            <div class="chart" data-testid="accuracy-chart" inner_html=accuracy_svg></div>
        </div>
    }
}
