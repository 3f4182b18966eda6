//! The learning-rate range test on an optimizer's inspector: run it (a throwaway copy of the
//! graph's training, in the engine), plot the smoothed loss against the rate on a log axis
//! with the suggested rate marked, and apply the suggestion.
//!
//! What the test does is `core::engine::run::range_test`'s; the engine runs it as one of its
//! activities, so it waits while a run or a sweep is under way (it says so). The result is
//! kept here, outside the inspector (which is drawn again after every edit), for the node it
//! was run on.

use leptos::prelude::*;
use plotters::prelude::*;

use super::chart_backend::{ChartBackend, themed};
use super::picture_buttons::PictureButtons;

use super::editor::Editor;
use super::engine::Engine;
use super::plot::{GRID, LABEL_FONT};
use crate::core::compile::compiler::compile;
use crate::core::model::catalogue::NodeParams;
use crate::core::model::node_id::NodeId;
use crate::core::model::number_text::{rounded, short};
use crate::core::protocol::message::{ActivityId, Command, RangeReport};
use crate::core::report::range_test::RangeTestResult;

/// The batches the test runs at most (`RangeTest::default`'s), shown until it reports.
const BATCHES: usize = 400;

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
    /// Tests finished since the page opened (a lesson's step counts those since it began).
    pub finished: RwSignal<u64>,
    /// The test under way's number.
    id: StoredValue<Option<ActivityId>>,
    engine: Engine,
}

impl RangeTests {
    pub fn new(engine: Engine) -> Self {
        Self { current: RwSignal::new(None), finished: RwSignal::new(0), id: StoredValue::new(None), engine }
    }

    /// Runs the test on the graph as it stands, for optimizer `node`.
    pub fn run(self, editor: Editor, node: NodeId) {
        let graph = editor.graph.get_untracked();
        if let Err(errors) = compile(&graph) {
            let reasons: Vec<String> = errors.iter().map(ToString::to_string).collect();
            let reason = text!("range-must-train", reasons = reasons.join("; "));
            self.current.set(Some((node, RangeState::Failed(reason))));
            return;
        }
        let id = self.engine.next_id();
        self.id.set_value(Some(id));
        self.engine.send(Command::RangeTest { id, graph });
        self.current.set(Some((node, RangeState::Running { batches: 0, total: BATCHES })));
    }

    /// Shows what the engine reported of test `id`.
    pub fn report(self, id: ActivityId, report: RangeReport) {
        if self.id.get_value() != Some(id) {
            return;
        }
        let state = match report {
            RangeReport::Progress { batches, total } => RangeState::Running { batches, total },
            RangeReport::Done(result) => {
                self.finished.update(|finished| *finished += 1);
                RangeState::Done(result)
            }
            RangeReport::Failed(reason) => RangeState::Failed(reason),
        };
        self.current.update(|current| {
            if let Some((_, shown)) = current {
                *shown = state;
            }
        });
    }

    /// The engine would not start test `id`: why.
    pub fn refused(self, id: ActivityId, reason: &str) {
        self.report(id, RangeReport::Failed(text!("range-cannot-run", reason = reason)));
    }

    /// The engine crashed: a test under way is gone.
    pub fn engine_crashed(self) {
        if let Some(id) = self.id.get_value()
            && matches!(self.current.get_untracked(), Some((_, RangeState::Running { .. })))
        {
            self.report(id, RangeReport::Failed(text!("range-engine-stopped")));
        }
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
        let root = ChartBackend::with_string(&mut svg, (WIDTH, HEIGHT)).into_drawing_area();
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
            .x_desc(text!("range-chart-rate"))
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
    Some(themed(&svg))
}

/// The range test's button, progress, chart and suggestion, for optimizer `node`.
#[component]
pub fn RangeTestPanel(editor: Editor, tests: RangeTests, node: NodeId) -> impl IntoView {
    let state = move || tests.current.get().filter(|(of, _)| *of == node).map(|(_, state)| state);
    let running = move || matches!(state(), Some(RangeState::Running { .. }));
    let refusal = RwSignal::new(None::<String>);
    view! {
        <div class="range-test">
            <button data-testid="lr-range-test" data-explain="lr-range-test" disabled=running
                title=text!("range-run-title")
                on:click=move |_| tests.run(editor, node)>{text!("range-run")}</button>
            {move || match state() {
                None => view! {
                    <p class="param-help">{text!("range-help")}</p>
                }.into_any(),
                Some(RangeState::Running { batches, total }) => view! {
                    <p class="range-status" data-testid="lr-range-status" data-explain="lr-range-status">{text!("range-testing", batches = batches, total = total)}</p>
                }.into_any(),
                Some(RangeState::Failed(reason)) => view! {
                    <p class="param-refusal" role="alert" data-testid="lr-range-status" data-explain="lr-range-status">{reason}</p>
                }.into_any(),
                Some(RangeState::Done(result)) => {
                    let svg = chart(&result).unwrap_or_default();
                    let batches = result.points.len();
                    let tested = if result.exploded {
                        text!("range-tested-exploded", batches = batches)
                    } else {
                        text!("range-tested-to-end", batches = batches)
                    };
                    // Applied as a person would write it: two significant digits.
                    match result.suggestion.map(rounded) {
                        Some(suggestion) => view! {
                            <div class="range-chart" data-testid="lr-range-chart" data-explain="lr-range-chart" inner_html=svg></div>
                            <PictureButtons selector="[data-testid=\"lr-range-chart\"] svg".to_owned() name="lr-range-test".to_owned() />
                            <p class="range-status" data-testid="lr-range-status" data-explain="lr-range-status">
                                {tested} {format!(" {} ", text!("range-fastest-before"))}
                                <strong data-testid="lr-suggestion" data-explain="lr-suggestion" data-value=suggestion.to_string()>{short(suggestion)}</strong>
                                {format!(" {}", text!("range-fastest-after"))}
                            </p>
                            <button data-testid="apply-lr-suggestion" data-explain="apply-lr-suggestion" on:click=move |_| {
                                refusal.set(editor.update_params(node, |params: &mut NodeParams| {
                                    if let Some(learning_rate) = params.learning_rate_mut() {
                                        *learning_rate = suggestion;
                                    }
                                }).err());
                            }>{text!("range-use", rate = short(suggestion))}</button>
                            {move || refusal.get().map(|reason| view! { <p class="param-refusal" role="alert">{reason}</p> })}
                        }.into_any(),
                        None => view! {
                            <div class="range-chart" data-testid="lr-range-chart" data-explain="lr-range-chart" inner_html=svg></div>
                            <PictureButtons selector="[data-testid=\"lr-range-chart\"] svg".to_owned() name="lr-range-test".to_owned() />
                            <p class="range-status" data-testid="lr-range-status" data-explain="lr-range-status">{tested} {format!(" {}", text!("range-never-fell"))}</p>
                        }.into_any(),
                    }
                }
            }}
        </div>
    }
}
