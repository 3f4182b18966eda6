//! Runs compared: the page keeps the last few runs — their graphs, epochs and training time —
//! and lists them with what each ran differently from the graph as it stands now, its final
//! metrics and its time per epoch. Each can be drawn dashed behind the current run on the
//! charts (`plot.rs`).

use leptos::prelude::*;
use plotters::style::RGBColor;

use super::run_view::RunView;
use crate::core::model::graph::Graph;
use crate::core::model::graph_diff::diff;
use crate::core::report::epoch_stats::EpochStats;

/// How many earlier runs the page keeps.
pub const KEPT_RUNS: usize = 5;

/// The colours of earlier runs' dashed lines, the latest first.
pub const RUN_COLOURS: [RGBColor; KEPT_RUNS] = [
    RGBColor(170, 170, 170),
    RGBColor(201, 160, 100),
    RGBColor(150, 125, 200),
    RGBColor(95, 170, 160),
    RGBColor(205, 130, 150),
];

/// A run the page keeps for comparison.
#[derive(Clone, Debug, PartialEq)]
pub struct PastRun {
    /// Its number in this page's session, from 1.
    pub number: usize,
    pub graph: Graph,
    pub epochs: Vec<EpochStats>,
    /// Seconds it spent training.
    pub trained_seconds: f64,
    /// Whether the charts draw it.
    pub shown: bool,
}

impl PastRun {
    /// Its colour and label on the charts, given its place counted from the latest (0).
    pub fn legend(&self, from_latest: usize) -> (RGBColor, String) {
        let label = if from_latest == 0 {
            text!("run-legend-previous")
        } else {
            text!("run-legend-number", number = self.number)
        };
        (RUN_COLOURS[from_latest.min(KEPT_RUNS - 1)], label)
    }
}

/// The runs kept, and the number and graph of the current one. Cheap to copy.
#[derive(Clone, Copy)]
pub struct PastRuns {
    /// The last few runs before the current one, oldest first.
    pub runs: RwSignal<Vec<PastRun>>,
    /// The number the current (or last) run has; the first is 1.
    pub number: RwSignal<usize>,
    /// The graph the current (or last) run trains.
    graph: StoredValue<Option<Graph>>,
}

impl PastRuns {
    pub fn new() -> Self {
        Self { runs: RwSignal::new(Vec::new()), number: RwSignal::new(0), graph: StoredValue::new(None) }
    }

    /// A new run of `graph` begins: the last one — its `epochs`, `trained_seconds` of
    /// training — is kept, when it trained at all.
    pub fn begin(self, graph: &Graph, epochs: Vec<EpochStats>, trained_seconds: f64) {
        if !epochs.is_empty() {
            let kept = PastRun {
                number: self.number.get_untracked(),
                graph: self.graph.get_value().unwrap_or_default(),
                epochs,
                trained_seconds,
                shown: true,
            };
            self.runs.update(|runs| {
                runs.push(kept);
                let over = runs.len().saturating_sub(KEPT_RUNS);
                runs.drain(..over);
            });
        }
        self.number.update(|number| *number += 1);
        self.graph.set_value(Some(graph.clone()));
    }

    /// The graph the current (or last) run trains.
    pub fn current_graph(self) -> Option<Graph> {
        self.graph.get_value()
    }
}

impl Default for PastRuns {
    fn default() -> Self {
        Self::new()
    }
}

/// Milliseconds per epoch, as text.
fn per_epoch(seconds: f64, epochs: usize) -> String {
    if epochs == 0 {
        "—".to_owned()
    } else {
        text!("run-time-per-epoch", milliseconds = format!("{:.1}", seconds * 1000.0 / epochs as f64))
    }
}

/// A run's last metrics, as text: `epoch 30: loss 0.2126, accuracy 91.3%` (validation's
/// where the graph validates).
fn final_metrics(epochs: &[EpochStats]) -> String {
    let Some(last) = epochs.last() else { return "—".to_owned() };
    let loss = format!("{:.4}", last.val_loss.unwrap_or(last.train_loss));
    match last.val_accuracy.or(last.train_accuracy) {
        Some(accuracy) => text!(
            "run-final-accuracy",
            epoch = last.epoch,
            loss = loss,
            accuracy = format!("{:.1}", accuracy * 100.0)
        ),
        None => text!("run-final", epoch = last.epoch, loss = loss),
    }
}

/// The list of runs kept, with the current one on top.
#[component]
pub fn RunsCompared(runs: PastRuns, view: RunView, graph: Signal<Graph>) -> impl IntoView {
    let past = runs;
    let rows = move || {
        let runs = past.runs.get();
        let now = graph.read();
        let count = runs.len();
        runs.iter()
            .enumerate()
            .rev()
            .map(|(at, run)| {
                let (colour, label) = run.legend(count - 1 - at);
                let changes = diff(&run.graph, &now);
                let what = if changes.is_empty() {
                    text!("run-diff-none")
                } else {
                    // What the run had, against the graph now: `lr 0.3 → 0.03` reads "was 0.3".
                    changes.text()
                };
                let number = run.number;
                view! {
                    <tr data-run=number>
                        <td><label class="toggle">
                            <input type="checkbox" data-testid="run-shown" data-explain="run-shown" checked=run.shown on:change=move |event| {
                                let shown = event_target_checked(&event);
                                past.runs.update(|runs| {
                                    if let Some(run) = runs.iter_mut().find(|run| run.number == number) {
                                        run.shown = shown;
                                    }
                                });
                            } />
                            <span class="run-swatch" style:background-color=format!("rgb({},{},{})", colour.0, colour.1, colour.2)></span>
                            {label}
                        </label></td>
                        <td class="run-diff">{what}</td>
                        <td class="run-final">{final_metrics(&run.epochs)}</td>
                        <td data-testid="run-time-per-epoch" data-explain="run-time-per-epoch">{per_epoch(run.trained_seconds, run.epochs.len())}</td>
                    </tr>
                }
            })
            .collect_view()
    };
    let current = move || {
        let history = view.history.read();
        let seconds = view.progress.read().trained_seconds;
        view! {
            <tr data-run=past.number.get() class="current-run">
                <td>{text!("run-this")}</td>
                <td class="run-diff">"—"</td>
                <td class="run-final">{final_metrics(&history)}</td>
                <td data-testid="run-time-per-epoch" data-explain="run-time-per-epoch">{per_epoch(seconds, history.len())}</td>
            </tr>
        }
    };
    view! {
        <Show when=move || !past.runs.read().is_empty()>
            <details class="runs" data-testid="runs" data-explain="runs" open>
                <summary>{move || text!("run-compared", count = past.runs.read().len())}</summary>
                <div class="runs-table-wrap">
                    <table>
                        <thead><tr>
                            <th>{text!("run-column-run")}</th><th>{text!("run-column-diff")}</th>
                            <th>{text!("run-column-final")}</th><th>{text!("run-column-time")}</th>
                        </tr></thead>
                        <tbody>{current}{rows}</tbody>
                    </table>
                </div>
            </details>
        </Show>
    }
}
