//! The root component: owns the graph and the training session and lays out the page.

use std::collections::BTreeMap;

use leptos::html::Div;
use leptos::prelude::*;

use super::boundary::DecisionBoundary;
use super::canvas::GraphCanvas;
use super::checkpoints::WeightsBar;
use super::confusion::ConfusionView;
use super::controls::Controls;
use super::csv_files::CsvFiles;
use super::document_bar::{DocumentBar, accept_dropped_files};
use super::editor::Editor;
use super::inspector::Inspector;
use super::local_work::LocalWork;
use super::lr_range::RangeTests;
use super::metrics::Metric;
use super::minimap::Minimap;
use super::notices::{NoticeView, Notices};
use super::palette::{AddMenuView, Palette};
use super::plot::MetricsChart;
use super::runs::RunsCompared;
use super::session::Session;
use super::shortcuts;
use super::step_charts::StepCharts;
use super::sweep_panel::SweepPanel;
use super::sweep_session::SweepSession;
use super::toolbar::Toolbar;
use crate::core::catalogue::NodeKind;
use crate::core::compile::compile;
use crate::core::device::Backend;
use crate::core::graph::{NodeId, Pos};
use crate::core::node_params::TrainingStepParams;
use crate::core::saved_graph;
use crate::core::templates::basic_loop;
use crate::core::train::EpochStats;
use crate::web::clock::mark;
use crate::web::events::client_rect;
use crate::web::url::{has_query_flag, query_value};

/// The playground page.
#[component]
pub fn App() -> impl IntoView {
    let editor = Editor::new(basic_loop());
    let graph = editor.graph;
    let notices = Notices::new();
    let session = Session::new(notices);
    // Before anything reads the graph: this tab's autosaved graph, or the shared link's.
    let work = LocalWork::start(editor, notices);
    // CSV files: those the graph names are looked for in this browser's storage; compiling
    // looks again whenever one comes in.
    let files = CsvFiles::new(notices);
    Effect::new(move || files.find_files(&graph.read()));
    let compiled = Memo::new(move |_| {
        files.version.track();
        compile(&graph.read())
    });
    let errors = Signal::derive(move || {
        let mut by_node: BTreeMap<NodeId, Vec<String>> = BTreeMap::new();
        if let Err(errors) = &*compiled.read() {
            for error in errors {
                if let Some(node) = error.node() {
                    by_node.entry(node).or_default().push(error.to_string());
                }
            }
        }
        by_node
    });
    // TrainingStep says which precision it computes in, when mixed precision is asked for.
    let notes = Signal::derive(move || {
        let (short, full) = session.backends.precision();
        graph
            .read()
            .nodes_of(NodeKind::TrainingStep)
            .filter(|node| TrainingStepParams::read(node).is_ok_and(|params| params.mixed_precision))
            .map(|node| (node.id, (short.to_owned(), full.to_owned())))
            .collect::<BTreeMap<_, _>>()
    });
    let blocked = Signal::derive(move || match &*compiled.read() {
        Ok(_) => None,
        Err(errors) => Some(errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")),
    });
    // Between runs, the progress bar shows what the graph as it stands would run; during a
    // run, an edit either retunes it (optimizer settings) or stops it.
    Effect::new(move || {
        let compiled = compiled.read();
        if let Ok(plan) = &*compiled {
            session.show_planned_epochs(plan.tracker.epochs);
        }
        session.graph_changed(compiled.as_ref().ok());
    });
    // Checkpoints belong to the graph the tab shows (its id), named by its title.
    let title = Memo::new(move |_| saved_graph::title(&graph.read()));
    Effect::new(move || session.checkpoints.show_graph(work.checkpoint_id().get(), title.get_untracked()));
    Effect::new(move || session.checkpoints.retitle(title.get()));
    // A run and a sweep share the backend: starting one stops the other.
    let sweep = SweepSession::new();
    let range_tests = RangeTests::new();
    let on_train = Callback::new(move |()| {
        sweep.stop();
        session.start(&graph.get_untracked());
    });
    let on_step = Callback::new(move |size| {
        sweep.stop();
        session.start_stepping(&graph.get_untracked(), size);
    });
    // `?backend=cpu|webgpu` picks the backend (WebGPU where the browser has it, by default);
    // `?autorun` trains as soon as it has warmed up; `?views=off` refreshes the decision
    // boundary and the confusion matrix only when a run pauses or ends (to time the engine).
    if query_value("views").as_deref() == Some("off") {
        session.views_only_when_stopped();
    }
    // The benchmark's start-up times: editor usable, then training ready.
    Effect::new(move |_| {
        if session.engine_ready.get() {
            mark("kindling-ready");
        }
    });
    let requested = query_value("backend").and_then(|label| Backend::parse(&label));
    session.start_up(requested, has_query_flag("autorun").then_some(on_train));

    let canvas = NodeRef::<Div>::new();
    let pointer = RwSignal::new(((0.0, 0.0), Pos { x: 0.0, y: 0.0 }));
    shortcuts::install(editor, canvas, pointer.into());
    accept_dropped_files(canvas, editor, notices, work, files);
    let view_centre = Callback::new(move |()| {
        let (width, height) = canvas.get_untracked().map_or((800.0, 400.0), |element| {
            let (_, _, width, height) = client_rect(&element);
            (width, height)
        });
        let centre = editor.viewport.get_untracked().to_world(width / 2.0, height / 2.0);
        Pos { x: centre.x - 95.0, y: centre.y - 40.0 }
    });

    let last = move |metric: fn(&EpochStats) -> Option<f64>| {
        Signal::derive(move || session.history.read().last().and_then(metric))
    };
    let train_loss = last(|stats| Some(stats.train_loss));
    let train_accuracy = last(|stats| stats.train_accuracy);
    let val_loss = last(|stats| stats.val_loss);
    let val_accuracy = last(|stats| stats.val_accuracy);
    let learning_rate = last(|stats| Some(stats.lr));
    // The step charts' settings, from the graph as it stands (an edit that changes them stops
    // a run; without a plan, the last known).
    let gradient_clip = Memo::new(move |previous: Option<&f64>| {
        compiled.read().as_ref().map_or(previous.copied().unwrap_or(0.0), |plan| plan.step.gradient_clip)
    });
    let log_interval = Memo::new(move |previous: Option<&usize>| {
        compiled.read().as_ref().map_or(previous.copied().unwrap_or(1), |plan| plan.tracker.log_interval)
    });

    view! {
        <header class="topbar">
            <h1>"Kindling"</h1>
            <p class="tagline">"Wire a training pipeline, press Train, watch it learn."</p>
            <DocumentBar editor notices work session />
        </header>
        // Under the top bar, and sticky: seen on opening a link and while scrolled to the charts.
        <div class="notice-bar"><NoticeView notices /></div>
        <main class="workspace">
            <section class="editor-panel" aria-label="Graph editor">
                <Toolbar editor canvas work />
                <div class="editor-body">
                    <Palette editor view_centre />
                    <GraphCanvas editor errors notes canvas pointer>
                        <Minimap editor canvas />
                        <AddMenuView editor canvas />
                    </GraphCanvas>
                    <Inspector editor errors range_tests files />
                </div>
            </section>
            <section class="run-panel" aria-label="Training">
                <div class="run-status">
                    <Controls session on_train on_step blocked />
                    <WeightsBar session graph=graph.into() />
                    {move || blocked.get().map(|reasons| view! { <pre class="message" data-testid="blocked">{reasons}</pre> })}
                    <div class="metrics">
                        <Metric label="train loss" test_id="train-loss" value=train_loss />
                        <Metric label="train accuracy" test_id="train-accuracy" value=train_accuracy percent=true />
                        <Metric label="val loss" test_id="val-loss" value=val_loss />
                        <Metric label="val accuracy" test_id="val-accuracy" value=val_accuracy percent=true />
                        <Metric label="lr" test_id="lr" value=learning_rate />
                    </div>
                </div>
                <div class="views">
                    <DecisionBoundary session />
                    <ConfusionView session />
                </div>
                <div class="charts-column">
                    <MetricsChart history=session.history.into() past=session.runs.into() epochs=session.epochs_total.into() />
                    <StepCharts steps=session.steps.into() gradient_clip=gradient_clip.into() log_interval=log_interval.into() />
                    <RunsCompared session graph=graph.into() />
                </div>
            </section>
            <SweepPanel editor sweep session />
        </main>
    }
}
