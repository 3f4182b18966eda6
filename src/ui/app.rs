//! The root component: owns the graph and the training session and lays out the page.

use std::collections::HashSet;

use leptos::prelude::*;

use super::canvas::GraphCanvas;
use super::controls::Controls;
use super::metrics::Metric;
use super::plot::MetricsChart;
use super::session::Session;
use crate::core::compile::compile;
use crate::core::templates::basic_loop;
use crate::core::train::EpochStats;
use crate::web::url::has_query_flag;

/// The playground page.
#[component]
pub fn App() -> impl IntoView {
    let graph = RwSignal::new(basic_loop());
    let session = Session::new();
    let compiled = Memo::new(move |_| compile(&graph.read()));
    let error_nodes = Signal::derive(move || match &*compiled.read() {
        Ok(_) => HashSet::new(),
        Err(errors) => errors.iter().filter_map(|error| error.node()).collect(),
    });
    let blocked = Signal::derive(move || match &*compiled.read() {
        Ok(_) => None,
        Err(errors) => Some(errors.iter().map(ToString::to_string).collect::<Vec<_>>().join("\n")),
    });
    // Between runs, the progress bar shows what the graph as it stands would run.
    Effect::new(move || {
        if let Ok(plan) = &*compiled.read() {
            session.show_planned_epochs(plan.tracker.epochs);
        }
    });
    let on_train = Callback::new(move |()| session.start(&graph.get_untracked()));
    // `?autorun` trains as soon as the engine has warmed up.
    session.warm_up(&graph.get_untracked(), has_query_flag("autorun").then_some(on_train));

    let last = move |metric: fn(&EpochStats) -> Option<f64>| {
        Signal::derive(move || session.history.read().last().and_then(metric))
    };
    let train_loss = last(|stats| Some(stats.train_loss));
    let train_accuracy = last(|stats| stats.train_accuracy);
    let val_loss = last(|stats| stats.val_loss);
    let val_accuracy = last(|stats| stats.val_accuracy);
    let learning_rate = last(|stats| Some(stats.lr));

    view! {
        <header class="topbar">
            <h1>"Kindling"</h1>
            <p class="tagline">"Wire a training pipeline, press Train, watch it learn."</p>
        </header>
        <main class="workspace">
            <section class="canvas-panel" aria-label="Graph">
                <GraphCanvas graph=graph.into() error_nodes />
            </section>
            <section class="run-panel" aria-label="Training">
                <div class="run-status">
                    <Controls session on_train blocked />
                    {move || session.message.get().map(|message| view! { <p class="message" role="alert">{message}</p> })}
                    {move || blocked.get().map(|reasons| view! { <pre class="message">{reasons}</pre> })}
                    <div class="metrics">
                        <Metric label="train loss" test_id="train-loss" value=train_loss />
                        <Metric label="train accuracy" test_id="train-accuracy" value=train_accuracy percent=true />
                        <Metric label="val loss" test_id="val-loss" value=val_loss />
                        <Metric label="val accuracy" test_id="val-accuracy" value=val_accuracy percent=true />
                        <Metric label="lr" test_id="lr" value=learning_rate />
                    </div>
                </div>
                <MetricsChart history=session.history.into() epochs=session.epochs_total.into() />
            </section>
        </main>
    }
}
