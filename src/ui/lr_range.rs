//! The learning-rate range test on an optimizer's inspector: run it (a throwaway copy of the
//! graph's training on the CPU, a slice of batches per frame), plot the smoothed loss against
//! the rate on a log axis with the suggested rate marked, and apply the suggestion.
//!
//! What the test does is `core::lr_range_test`'s. The result is kept here, outside the
//! inspector (which is drawn again after every edit), for the node it was run on.

use leptos::prelude::*;
use leptos::task::spawn_local;
use plotters::prelude::*;

use super::plot::{GRID, LABEL_FONT};

use super::editor::Editor;
use super::session::SLICE_MILLIS;
use crate::core::compile::compile;
use crate::core::device::cpu_device;
use crate::core::graph::NodeId;
use crate::core::lr_range_test::{RangeTest, RangeTestResult};
use crate::core::params::ParamValue;
use crate::core::sweep_spec::short;
use crate::web::clock::now_millis;
use crate::web::tick::yield_to_next_frame;

// The chart draws with the page's chart fonts (`plot.rs`), which its CSP allows.
const WIDTH: u32 = 300;
const HEIGHT: u32 = 170;

/// Where the test of a node stands.
#[derive(Clone, Debug, PartialEq)]
pub enum RangeState {
    /// `batches` of `total` have run.
    Running {
        batches: usize,
        total: usize,
    },
    Done(RangeTestResult),
    Failed(String),
}

/// The page's range test: at most one, of one optimizer node.
#[derive(Clone, Copy)]
pub struct RangeTests {
    pub current: RwSignal<Option<(NodeId, RangeState)>>,
    /// Bumped by every start; a test task that sees a newer value ends.
    generation: StoredValue<u64>,
}

impl RangeTests {
    pub fn new() -> Self {
        Self { current: RwSignal::new(None), generation: StoredValue::new(0) }
    }

    /// Runs the test on the graph as it stands, for optimizer `node`.
    pub fn run(self, editor: Editor, node: NodeId) {
        let plan = match compile(&editor.graph.read_untracked()) {
            Ok(plan) => plan,
            Err(errors) => {
                let reasons: Vec<String> = errors.iter().map(ToString::to_string).collect();
                let reason = format!("the graph must train first: {}", reasons.join("; "));
                self.current.set(Some((node, RangeState::Failed(reason))));
                return;
            }
        };
        self.generation.update_value(|generation| *generation += 1);
        let generation = self.generation.get_value();
        let test = RangeTest::default();
        self.current.set(Some((node, RangeState::Running { batches: 0, total: test.batches })));
        spawn_local(async move {
            let mut run = test.start(&plan, &cpu_device());
            loop {
                yield_to_next_frame().await;
                if self.generation.get_value() != generation {
                    return;
                }
                let slice_end = now_millis() + SLICE_MILLIS;
                let going = loop {
                    match run.step().await {
                        Ok(true) if now_millis() < slice_end => {}
                        Ok(going) => break Ok(going),
                        Err(error) => break Err(error.to_string()),
                    }
                };
                let (batches, total) = run.progress();
                let state = match going {
                    Ok(true) => RangeState::Running { batches, total },
                    Ok(false) => RangeState::Done(run.result()),
                    Err(reason) => RangeState::Failed(reason),
                };
                let over = !matches!(state, RangeState::Running { .. });
                self.current.set(Some((node, state)));
                if over {
                    return;
                }
            }
        });
    }
}

impl Default for RangeTests {
    fn default() -> Self {
        Self::new()
    }
}

/// The loss against the rate, log₁₀ on the x axis, the suggestion marked.
fn chart(result: &RangeTestResult) -> Option<String> {
    let points: Vec<(f64, f64)> = result.points.iter().map(|&(lr, loss)| (lr.log10(), loss)).collect();
    let (first, last) = (points.first()?.0, points.last()?.0);
    let highest = points.iter().map(|p| p.1).fold(f64::NAN, f64::max);
    let lowest = points.iter().map(|p| p.1).fold(f64::NAN, f64::min);
    let margin = ((highest - lowest) * 0.08).max(1e-6);
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
        root.fill(&WHITE).ok()?;
        let mut chart = ChartBuilder::on(&root)
            .margin(8)
            .x_label_area_size(30)
            .y_label_area_size(42)
            .build_cartesian_2d(first..last.max(first + 1e-9), (lowest - margin)..(highest + margin))
            .ok()?;
        chart
            .configure_mesh()
            .x_labels(5)
            .x_label_formatter(&|x| format!("{:.0e}", 10f64.powf(*x)))
            .x_desc("learning rate")
            .y_labels(4)
            .y_label_formatter(&|y| format!("{y:.2}"))
            .label_style(LABEL_FONT)
            .light_line_style(GRID)
            .draw()
            .ok()?;
        chart
            .draw_series(LineSeries::new(points.iter().copied(), RGBColor(214, 69, 65).stroke_width(2)))
            .ok()?;
        if let Some(suggestion) = result.suggestion {
            let x = suggestion.log10();
            let marker = RGBColor(47, 154, 106).stroke_width(2);
            chart.draw_series(LineSeries::new([(x, lowest - margin), (x, highest + margin)], marker)).ok()?;
        }
        root.present().ok()?;
    }
    Some(svg)
}

/// The range test's button, progress, chart and suggestion, for optimizer `node`.
#[component]
pub fn RangeTestPanel(editor: Editor, tests: RangeTests, node: NodeId) -> impl IntoView {
    let state = move || tests.current.get().filter(|(of, _)| *of == node).map(|(_, state)| state);
    let running = move || matches!(state(), Some(RangeState::Running { .. }));
    let refusal = RwSignal::new(None::<String>);
    view! {
        <div class="range-test">
            <button data-testid="lr-range-test" disabled=running
                title="Train a throwaway copy for a few hundred batches while the rate grows from 1e-5 to 10; plot the loss"
                on:click=move |_| tests.run(editor, node)>"Find a learning rate"</button>
            {move || match state() {
                None => view! {
                    <p class="param-help">"Leslie Smith's range test: the loss against a growing rate shows where training is fastest."</p>
                }.into_any(),
                Some(RangeState::Running { batches, total }) => view! {
                    <p class="range-status" data-testid="lr-range-status">{format!("testing… batch {batches} of at most {total}")}</p>
                }.into_any(),
                Some(RangeState::Failed(reason)) => view! {
                    <p class="param-refusal" role="alert" data-testid="lr-range-status">{reason}</p>
                }.into_any(),
                Some(RangeState::Done(result)) => {
                    let svg = chart(&result).unwrap_or_default();
                    let ending = if result.exploded { "until the loss exploded" } else { "to the end of the range" };
                    let tested = format!("{} batches, {ending}.", result.points.len());
                    match result.suggestion {
                        Some(suggestion) => view! {
                            <div class="range-chart" data-testid="lr-range-chart" inner_html=svg></div>
                            <p class="range-status" data-testid="lr-range-status">
                                {tested} " Fastest fall at "
                                <strong data-testid="lr-suggestion" data-value=suggestion.to_string()>{short(suggestion)}</strong>
                                " (green line)."
                            </p>
                            <button data-testid="apply-lr-suggestion" on:click=move |_| {
                                refusal.set(editor.set_param(node, "learning_rate", ParamValue::Float(suggestion)).err());
                            }>{format!("Use {}", short(suggestion))}</button>
                            {move || refusal.get().map(|reason| view! { <p class="param-refusal" role="alert">{reason}</p> })}
                        }.into_any(),
                        None => view! {
                            <div class="range-chart" data-testid="lr-range-chart" inner_html=svg></div>
                            <p class="range-status" data-testid="lr-range-status">{tested} " The loss never fell: no rate to suggest."</p>
                        }.into_any(),
                    }
                }
            }}
        </div>
    }
}
