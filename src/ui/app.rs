//! The root component: owns the graph and the training session, starts the engine and routes
//! what it says to whichever part of the page it concerns, and lays out the page.

use std::collections::BTreeMap;

use leptos::html::Div;
use leptos::prelude::*;

use super::boundary::{self, DecisionBoundary};
use super::canvas::GraphCanvas;
use super::confusion::ConfusionView;
use super::controls::Controls;
use super::csv_files::CsvFiles;
use super::csv_probe::CsvProbeForm;
use super::diagnoses::Diagnoses;
use super::document_bar::{DocumentBar, accept_dropped_files};
use super::draw_pad::DrawPad;
use super::editor::Editor;
use super::embed::{self, EmbedBar};
use super::engine::Engine;
use super::explain::{ExplainMode, ExplainToggle, ExplanationPanel};
use super::export_menu::Exports;
use super::input_weights_view::InputWeightsView;
use super::inspector::Inspector;
use super::layer_stats::LayerStats;
use super::lessons::{LessonAuthorPanel, LessonAuthoring, LessonGuide, LessonStepCard, LessonsButton};
use super::local_work::LocalWork;
use super::lr_range::RangeTests;
use super::metrics::Metric;
use super::minimap::Minimap;
use super::mistakes::MistakesList;
use super::neuron_view::NeuronView;
use super::notices::{NoticeView, Notices};
use super::palette::{AddMenuView, Palette};
use super::plot::{self, MetricsChart};
use super::run_start;
use super::runs::RunsCompared;
use super::session::Session;
use super::shortcuts;
use super::step_charts::{self, StepCharts};
use super::sweep_panel::SweepPanel;
use super::sweep_session::{SweepSession, max_workers};
use super::toolbar::Toolbar;
use super::type_sample::TypeSample;
use super::weights_bar::WeightsBar;
use crate::core::compile::compiler::compile;
use crate::core::document::saved_graph;
use crate::core::model::catalogue::NodeKind;
use crate::core::model::catalogue::TrainingStepParams;
use crate::core::model::graph::Pos;
use crate::core::model::node_id::NodeId;
use crate::core::model::templates::basic_loop;
use crate::core::protocol::backend::Backend;
use crate::core::protocol::gpu_state::GpuState;
use crate::core::protocol::message::{Command, Event, WarmUpReport};
use crate::core::report::epoch_stats::EpochStats;
use crate::core::report::step_log::StepHistory;
use crate::core::teach::diagnosis::{RunEvidence, diagnose};
use crate::web::clock::mark;
use crate::web::events::client_rect;
use crate::web::hardware::cores;
use crate::web::in_view;
use crate::web::url::{has_query_flag, query_value};

/// The playground page.
#[component]
pub fn App() -> impl IntoView {
    let editor = Editor::new(basic_loop());
    let graph = editor.graph;
    let notices = Notices::new();
    let engine = Engine::new(notices);
    let session = Session::new(engine, notices);
    let sweep = SweepSession::new(engine, notices, max_workers(cores()));
    let range_tests = RangeTests::new(engine);
    let exports = Exports::new(engine, notices);
    // What the engine says, to whom it concerns.
    let warming = StoredValue::new((Vec::<EpochStats>::new(), StepHistory::default()));
    // Whether the engine has warmed up (or prepared the GPU, which warms it as much).
    let warm = RwSignal::new(false);
    engine.start(move |event| match event {
        Event::Ready | Event::Crashed { .. } | Event::Trial { .. } => {}
        Event::Gpu(state) => {
            if matches!(state, GpuState::Ready { .. }) {
                warm.set(true);
            }
            if session.backends.gpu(state) {
                session.pick_backend(Backend::WebGpu);
            }
        }
        Event::WarmUp(report) => {
            if report == WarmUpReport::Done {
                warm.set(true);
            }
            warm_up_charts(report, warming);
        }
        Event::Run { id, report } => session.report(id, report),
        Event::Sweep { id, report } => sweep.report(id, report),
        Event::RangeTest { id, report } => range_tests.report(id, report),
        Event::Refused { id, reason } => {
            session.refused(id, &reason);
            sweep.refused(id, &reason);
            range_tests.refused(id, &reason);
        }
        answer @ (Event::ExportNotes { .. } | Event::Exported { .. } | Event::Safetensors { .. }) => {
            exports.answer(answer)
        }
    });
    Effect::new(move |seen: Option<u32>| {
        let crashes = engine.crashes.get();
        if seen.is_some_and(|seen| seen != crashes) {
            session.engine_crashed();
            sweep.engine_crashed();
            range_tests.engine_crashed();
        }
        crashes
    });
    // Before anything reads the graph: this tab's autosaved graph, or the shared link's.
    // Embedded in another page (`?embed`): compact, read-only until Edit, and nothing of the
    // reader's own graphs read or written.
    let embedded = has_query_flag("embed");
    let work = if embedded {
        editor.read_only.set(true);
        embed::compact();
        LocalWork::start_embedded(editor, notices)
    } else {
        LocalWork::start(editor, notices)
    };
    // CSV files: those the graph names are looked for in this browser's storage; compiling
    // looks again whenever one comes in.
    let files = CsvFiles::new(engine, notices);
    Effect::new(move || files.find_files(&editor.structure.read()));
    let compiled = Memo::new(move |_| {
        files.version.track();
        compile(&editor.structure.read())
    });
    // The graph's data as it stands, on the decision boundary's plane until a run shows its
    // own: the learner sees the data before training, and the page's layout does not move
    // when the first run starts.
    let data_preview = Memo::new(move |_| compiled.read().as_ref().ok().and_then(run_start::points));
    // The graph's network as it stands, for the neuron view's units until a run shows its
    // own (the same reasons).
    let network_preview = Memo::new(move |_| compiled.read().as_ref().ok().map(|plan| plan.network.clone()));
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
    // What the run's numbers say is going wrong, each with a change to try.
    let diagnoses = Memo::new(move |_| {
        let graph = editor.structure.read();
        let history = session.view.history.read();
        let activity = session.view.activity.read();
        diagnose(&RunEvidence {
            graph: &graph,
            epochs: &history,
            activity: activity.as_deref().unwrap_or(&[]),
        })
    });
    let guide = LessonGuide::new(
        editor,
        session,
        range_tests,
        sweep,
        files,
        Signal::derive(move || diagnoses.read().iter().map(|notice| notice.diagnosis).collect()),
    );
    let blocked = Signal::derive(move || match &*compiled.read() {
        Ok(_) if guide.question_pending() => Some(text!("lesson-answer-first")),
        Ok(_) => None,
        Err(errors) => Some(errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")),
    });
    // Between runs, the progress bar shows what the graph as it stands would run; during a
    // run, an edit either retunes it (optimizer settings) or stops it. Only a change of what
    // the graph compiles to is said (the memo compares plans): moving a node says nothing.
    Effect::new(move || {
        let compiled = compiled.read();
        if let Ok(plan) = &*compiled {
            session.show_planned_epochs(plan.tracker.epochs);
        }
        session.graph_changed(&graph.read_untracked(), compiled.is_ok());
    });
    // Checkpoints belong to the graph the tab shows (its id), named by its title.
    let title = Memo::new(move |_| saved_graph::title(&editor.structure.read()));
    Effect::new(move || session.checkpoints.show_graph(work.checkpoint_id().get(), title.get_untracked()));
    Effect::new(move || session.checkpoints.retitle(title.get()));
    // A run and a sweep share the engine: starting one stops the other.
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
    let live_views = query_value("views").as_deref() != Some("off");
    engine.send_to_every_engine(Command::Configure { live_views });
    let requested = query_value("backend").and_then(|label| Backend::parse(&label));
    session.backends.start(requested);
    // Ready to train: the engine is up and warm, and the backend settled (no GPU still being
    // prepared): the first run is as fast, and the page as smooth, as any later one.
    let ready = Memo::new(move |_| engine.ready.get() && warm.get() && session.backends.settled());
    // The benchmark's start-up times: editor usable (`main`), then training ready; `?autorun`
    // trains then, once.
    let autorun = StoredValue::new(has_query_flag("autorun"));
    Effect::new(move |_| {
        if ready.get() {
            mark("kindling-ready");
            if autorun.get_value() {
                autorun.set_value(false);
                on_train.run(());
            }
        }
    });

    let canvas = NodeRef::<Div>::new();
    let pointer = RwSignal::new(((0.0, 0.0), Pos { x: 0.0, y: 0.0 }));
    let explaining = ExplainMode::install();
    let authoring = LessonAuthoring::new();
    shortcuts::install(editor, canvas, pointer.into(), explaining);
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
        Signal::derive(move || session.view.history.read().last().and_then(metric))
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

    // The learner's questions to the model: a drawing, a row, a mistake clicked.
    let ask = Callback::new(move |inputs: Vec<f32>| session.ask(inputs));
    // The views inside the network redraw at every refresh only while on (or near) the
    // screen: below the first screen they cost the page's frames nothing while it trains.
    let inside = NodeRef::<leptos::html::Section>::new();
    let inside_shown = RwSignal::new(false);
    let watching = StoredValue::new_local(None::<in_view::InView>);
    Effect::new(move || {
        if let Some(element) = inside.get() {
            watching.set_value(Some(in_view::watch(&element, "300px", move |shown| inside_shown.set(shown))));
        }
    });

    view! {
        {if embedded {
            view! { <EmbedBar editor explaining /> }.into_any()
        } else {
            view! {
                <header class="topbar">
                    <h1>{text!("app-name")}</h1>
                    <p class="tagline">{text!("app-tagline")}</p>
                    <LessonsButton guide work notices authoring />
                    <ExplainToggle mode=explaining />
                    <DocumentBar editor notices work session exports />
                </header>
            }.into_any()
        }}
        // Under the top bar, and sticky: seen on opening a link and while scrolled to the charts.
        <div class="notice-bar"><NoticeView notices /></div>
        <main class="workspace">
            <LessonStepCard guide work notices />
            <section class="editor-panel" aria-label=text!("app-graph-editor")>
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
            <section class="run-panel" aria-label=text!("app-training")>
                <div class="run-status">
                    <Controls session on_train on_step blocked ready=ready.into() />
                    <WeightsBar session graph=graph.into() />
                    {move || blocked.get().map(|reasons| view! { <pre class="message" data-testid="blocked" data-explain="blocked">{reasons}</pre> })}
                    <div class="metrics">
                        <Metric label=text!("metric-train-loss") test_id="train-loss" value=train_loss />
                        <Metric label=text!("metric-train-accuracy") test_id="train-accuracy" value=train_accuracy percent=true />
                        <Metric label=text!("metric-val-loss") test_id="val-loss" value=val_loss />
                        <Metric label=text!("metric-val-accuracy") test_id="val-accuracy" value=val_accuracy percent=true />
                        <Metric label=text!("metric-learning-rate") test_id="lr" value=learning_rate />
                    </div>
                    <Diagnoses editor notices diagnoses runs=session.runs_shown.into() />
                </div>
                <div class="views">
                    <DecisionBoundary view=session.view preview=data_preview.into()
                        on_probe=Callback::new(move |(x, y): (f32, f32)| session.ask(vec![x, y])) />
                    <ConfusionView view=session.view />
                </div>
                <div class="charts-column">
                    <MetricsChart history=session.view.history.into() past=session.runs.runs.into() epochs=session.view.epochs_total.into() />
                    <StepCharts steps=session.view.steps.into() gradient_clip=gradient_clip.into() log_interval=log_interval.into() />
                    <RunsCompared runs=session.runs view=session.view graph=graph.into() />
                </div>
            </section>
            // Outside the run panel's grid: its many, wrapping items would take part in sizing
            // the grid's auto column, a 100 ms layout when they first appear.
            <section class="inside" aria-label=text!("app-inside") node_ref=inside>
                <NeuronView view=session.view preview=network_preview.into() shown=inside_shown.into() />
                <InputWeightsView view=session.view on_screen=inside_shown.into() />
                <DrawPad view=session.view on_ask=ask />
                <CsvProbeForm view=session.view on_ask=ask />
                <MistakesList view=session.view on_ask=ask shown=inside_shown.into() />
                <LayerStats view=session.view shown=inside_shown.into() />
            </section>
            <SweepPanel editor sweep session />
            <TypeSample />
        </main>
        <LessonAuthorPanel authoring guide notices />
        <ExplanationPanel mode=explaining graph=graph.into() compiled history=session.view.history.into() />
    }
}

/// Draws what the engine's warm-up showed, unseen, so that the charts' own code is warm by the
/// first real run: the metric charts, the step charts, the decision boundary's pixels — every
/// few epochs and logs, not each (the warm-up's come in bursts; each draw is a few
/// milliseconds the page's frames must keep).
fn warm_up_charts(report: WarmUpReport, warming: StoredValue<(Vec<EpochStats>, StepHistory)>) {
    /// Draw on every this many epochs and logs.
    const EVERY: usize = 4;
    match report {
        WarmUpReport::Epoch(stats) => warming.update_value(|(epochs, _)| {
            epochs.push(stats);
            if epochs.len() % EVERY == 1 {
                plot::warm_up(epochs);
            }
        }),
        WarmUpReport::Log(log) => warming.update_value(|(_, steps)| {
            steps.push(&log);
            if steps.losses.len() % EVERY == 1 {
                step_charts::warm_up(steps);
            }
        }),
        WarmUpReport::Field(field) => {
            let _ = boundary::pixels(&field);
        }
        WarmUpReport::Done => warming.set_value(Default::default()),
    }
}
