//! The Sweep panel: what the graph's sweep will run (its trials, how they are searched and
//! pruned), the controls that run it as a whole, the results table (sortable; a row
//! highlights its trial, Apply writes its settings into the graph) and the charts.
//!
//! Parameters are swept from the inspector (`data-sweep` beside each parameter); the sweep
//! itself is part of the graph, so it is saved, shared and undone with it.

use std::cmp::Ordering;

use leptos::prelude::*;

use super::editor::Editor;
use super::notices::{NoticeKind, Notices};
use super::picture_buttons::PictureButtons;
use super::session::Session;
use super::sweep_charts::{metric_text, monitor_text, overlay, scatter};
use super::sweep_session::{SweepSession, SweepStatus};
use crate::core::model::choices::Monitor;
use crate::core::model::sweep_settings::{Pruning, SearchSpec, Sweep};
use crate::core::model::sweep_spec::{self};
use crate::core::report::sweep_progress::{SweepProgress, TrialRecord, TrialState};
use crate::web::clock::measured;

/// What the table is sorted by.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum SortKey {
    Trial,
    /// The swept parameter at this position.
    Setting(usize),
    Value,
    Best,
    Epochs,
    Time,
}

/// What a trial sorts by: a number, a choice's text, or nothing yet.
#[derive(PartialEq, PartialOrd)]
enum SortValue {
    Number(f64),
    Text(String),
}

/// Trial `record`'s value for `key`, if it has one yet.
fn sort_value(key: SortKey, monitor: Option<Monitor>, record: &TrialRecord) -> Option<SortValue> {
    let number = match key {
        SortKey::Trial => Some(record.trial.id as f64),
        SortKey::Setting(at) => {
            let value = &record.trial.settings.get(at)?.value;
            return Some(
                value.as_f64().map_or_else(|| SortValue::Text(value.to_string()), SortValue::Number),
            );
        }
        SortKey::Value => record.final_value(monitor?),
        SortKey::Best => record.best_value(monitor?),
        SortKey::Epochs => Some(record.epochs_run as f64),
        SortKey::Time => record.seconds_per_epoch(),
    };
    number.filter(|number| number.is_finite()).map(SortValue::Number)
}

/// The trials' indices in table order; trials without a value last, whichever the direction.
fn sorted(progress: &SweepProgress, key: SortKey, descending: bool) -> Vec<usize> {
    let mut order: Vec<usize> = (0..progress.trials.len()).collect();
    order.sort_by(|&a, &b| {
        let value = |index: usize| sort_value(key, progress.monitor, &progress.trials[index]);
        match (value(a), value(b)) {
            (None, None) => Ordering::Equal,
            (None, Some(_)) => Ordering::Greater,
            (Some(_), None) => Ordering::Less,
            (Some(x), Some(y)) => {
                let ordering = x.partial_cmp(&y).unwrap_or(Ordering::Equal);
                if descending { ordering.reverse() } else { ordering }
            }
        }
    });
    order
}

/// A number for a cell: four significant digits, or a dash.
fn cell(value: Option<f64>) -> String {
    value.filter(|v| v.is_finite()).map_or_else(|| "—".to_owned(), |v| format!("{v:.4}"))
}

/// The search and pruning settings, editable between sweeps.
#[component]
fn SweepSettings(editor: Editor, notices: Notices, disabled: Signal<bool>) -> impl IntoView {
    let sweep = Memo::new(move |_| editor.graph.read().sweep().clone());
    let change = move |edit: Box<dyn FnOnce(&mut Sweep)>| {
        let mut edited = sweep.get_untracked();
        edit(&mut edited);
        if let Err(reason) = editor.set_sweep(edited) {
            notices.say(NoticeKind::Error, text!("sweep-setting-refused", reason = reason));
        }
    };
    let number = |event: &web_sys::Event| event_target_value(event).trim().parse::<u64>().ok();
    view! {
        <div class="sweep-settings">
            <label>{format!("{} ", text!("sweep-search"))}
                <select data-testid="sweep-search" data-explain="sweep-search" disabled=disabled on:change=move |event| {
                    let random = event_target_value(&event) == "random";
                    change(Box::new(move |sweep| sweep.search = if random {
                        SearchSpec::Random { trials: 10, seed: 0 }
                    } else {
                        SearchSpec::Grid
                    }));
                }>
                    <option value="grid" selected=move || sweep.read().search == SearchSpec::Grid>{text!("sweep-search-grid")}</option>
                    <option value="random" selected=move || matches!(sweep.read().search, SearchSpec::Random { .. })>{text!("sweep-search-random")}</option>
                </select>
            </label>
            {move || match sweep.read().search {
                SearchSpec::Grid => ().into_any(),
                SearchSpec::Random { trials, seed } => view! {
                    <label>{format!("{} ", text!("sweep-random-trials"))} <input type="number" min="1" max="1000" data-testid="sweep-trials" data-explain="sweep-trials" value=trials disabled=disabled
                        on:change=move |event| if let Some(trials) = number(&event) {
                            change(Box::new(move |sweep| sweep.search = SearchSpec::Random { trials: trials.min(u64::from(u32::MAX)) as u32, seed }));
                        } /></label>
                    <label>{format!("{} ", text!("sweep-random-seed"))} <input type="number" min="0" data-testid="sweep-seed" data-explain="sweep-seed" value=seed disabled=disabled
                        on:change=move |event| if let Some(seed) = number(&event) {
                            change(Box::new(move |sweep| sweep.search = SearchSpec::Random { trials, seed }));
                        } /></label>
                }.into_any(),
            }}
            <label title=text!("sweep-pruning-title")>{format!("{} ", text!("sweep-pruning"))}
                <select data-testid="sweep-pruning" data-explain="sweep-pruning" disabled=disabled on:change=move |event| {
                    let pruning = match event_target_value(&event).as_str() {
                        "median" => Pruning::Median { warmup_epochs: 5, min_trials: 3 },
                        "asha" => Pruning::Asha { min_epochs: 5, eta: 3 },
                        _ => Pruning::Off,
                    };
                    change(Box::new(move |sweep| sweep.pruning = pruning));
                }>
                    <option value="off" selected=move || sweep.read().pruning == Pruning::Off>{text!("sweep-pruning-off")}</option>
                    <option value="median" selected=move || matches!(sweep.read().pruning, Pruning::Median { .. })>{text!("sweep-pruning-median")}</option>
                    <option value="asha" selected=move || matches!(sweep.read().pruning, Pruning::Asha { .. })>{text!("sweep-pruning-asha")}</option>
                </select>
            </label>
            {move || match sweep.read().pruning {
                Pruning::Off => ().into_any(),
                Pruning::Median { warmup_epochs, min_trials } => view! {
                    <label title=text!("sweep-warmup-title")>{format!("{} ", text!("sweep-warmup"))} <input type="number" min="0" data-testid="sweep-warmup" data-explain="sweep-warmup" value=warmup_epochs disabled=disabled
                        on:change=move |event| if let Some(warmup) = number(&event) {
                            change(Box::new(move |sweep| sweep.pruning = Pruning::Median { warmup_epochs: warmup.min(u64::from(u32::MAX)) as u32, min_trials }));
                        } /></label>
                    <label title=text!("sweep-min-trials-title")>{format!("{} ", text!("sweep-min-trials-before"))} <input type="number" min="1" data-testid="sweep-min-trials" data-explain="sweep-min-trials" value=min_trials disabled=disabled
                        on:change=move |event| if let Some(min) = number(&event) {
                            change(Box::new(move |sweep| sweep.pruning = Pruning::Median { warmup_epochs, min_trials: min.min(u64::from(u32::MAX)) as u32 }));
                        } /> {format!(" {}", text!("sweep-min-trials-after"))}</label>
                    <p class="param-help">{text!("sweep-median-help")}</p>
                }.into_any(),
                Pruning::Asha { min_epochs, eta } => view! {
                    <label title=text!("sweep-min-epochs-title")>{format!("{} ", text!("sweep-min-epochs"))} <input type="number" min="1" data-testid="sweep-min-epochs" data-explain="sweep-min-epochs" value=min_epochs disabled=disabled
                        on:change=move |event| if let Some(min) = number(&event) {
                            change(Box::new(move |sweep| sweep.pruning = Pruning::Asha { min_epochs: min.min(u64::from(u32::MAX)) as u32, eta }));
                        } /></label>
                    <label title=text!("sweep-eta-title")>{format!("{} ", text!("sweep-eta"))} <input type="number" min="2" max="10" data-testid="sweep-eta" data-explain="sweep-eta" value=eta disabled=disabled
                        on:change=move |event| if let Some(eta) = number(&event) {
                            change(Box::new(move |sweep| sweep.pruning = Pruning::Asha { min_epochs, eta: eta.min(u64::from(u32::MAX)) as u32 }));
                        } /></label>
                    {move || text!("sweep-asha-help", rungs = rungs_text(min_epochs, eta), eta = eta)}
                }.into_any(),
            }}
        </div>
    }
}

/// A trial's state as the table shows it (`data-state` holds its name).
fn state_text(state: TrialState) -> String {
    match state {
        TrialState::Queued => text!("sweep-trial-queued"),
        TrialState::Running => text!("sweep-trial-running"),
        TrialState::Done => text!("sweep-trial-done"),
        TrialState::Pruned => text!("sweep-trial-pruned"),
        TrialState::Diverged => text!("sweep-trial-diverged"),
        TrialState::Failed => text!("sweep-trial-failed"),
        TrialState::Stopped => text!("sweep-trial-stopped"),
    }
}

/// The first rungs of successive halving, `1, 3, 9, …`.
fn rungs_text(min_epochs: u32, eta: u32) -> String {
    let mut rung = u64::from(min_epochs.max(1));
    let mut rungs = Vec::new();
    while rungs.len() < 4 {
        rungs.push(rung.to_string());
        rung = rung.saturating_mul(u64::from(eta.max(2)));
    }
    rungs.join(", ") + ", …"
}

/// The Sweep panel.
#[component]
pub fn SweepPanel(editor: Editor, sweep: SweepSession, session: Session) -> impl IntoView {
    let notices = session.notices;
    // What the sweep will run: redrawn when the sweep changes, not on every edit (a drag).
    let swept = Memo::new(move |_| editor.graph.read().sweep().clone());
    let plan = Memo::new(move |_| {
        if swept.read().is_empty() {
            return Ok(None);
        }
        let graph = editor.graph.read_untracked();
        sweep_spec::trial_count(&graph).map(|trials| {
            let names: Vec<String> = graph
                .sweep()
                .params
                .iter()
                .map(|swept| {
                    let kind = graph.node(swept.node).map_or_else(String::new, |node| node.kind.to_string());
                    format!("{kind} {} {}", swept.node, swept.param)
                })
                .collect();
            Some((names, trials))
        })
    });
    let status = move || sweep.status.get();
    let running = Signal::derive(move || matches!(status(), SweepStatus::Running | SweepStatus::Paused));
    let sort = RwSignal::new((SortKey::Trial, false));
    let header = move |key: SortKey, label: String, test_id: String| {
        let arrow = move || match sort.get() {
            (current, descending) if current == key => {
                if descending {
                    " ▼"
                } else {
                    " ▲"
                }
            }
            _ => "",
        };
        view! {
            <th><button class="sort" data-testid=test_id data-explain="sweep-sort" on:click=move |_| sort.update(|(current, descending)| {
                // A value sorts best first; anything else ascending first.
                let first_descending = matches!(key, SortKey::Value | SortKey::Best);
                *descending = if *current == key { !*descending } else { first_descending };
                *current = key;
            })>{label}{arrow}</button></th>
        }
    };
    let apply = move |index: usize| {
        let Some(trial) = sweep
            .progress
            .read_untracked()
            .as_ref()
            .and_then(|p| p.trials.get(index))
            .map(|r| r.trial.clone())
        else {
            return;
        };
        match editor.apply_trial(&trial) {
            Ok(()) => notices
                .say(NoticeKind::Info, text!("sweep-applied", trial = trial.id, settings = trial.label())),
            Err(reason) => notices
                .say(NoticeKind::Error, text!("sweep-apply-refused", trial = trial.id, reason = reason)),
        }
    };
    let table = move || {
        measured("kindling:sweep-table", || {
            let progress = sweep.progress.read();
            let progress = progress.as_ref()?;
            let monitor = progress.monitor;
            let names: Vec<String> = progress
                .graph()
                .sweep()
                .params
                .iter()
                .map(|swept| format!("{} ({})", swept.param, swept.node))
                .collect();
            let has = |metric: Monitor| progress.trials.iter().any(|record| record.last_of(metric).is_some());
            // Each metric's final and best value; the monitored one has its own columns.
            let metrics: Vec<Monitor> =
                [Monitor::TrainLoss, Monitor::TrainAccuracy, Monitor::ValLoss, Monitor::ValAccuracy]
                    .into_iter()
                    .filter(|&metric| has(metric) && Some(metric) != monitor)
                    .collect();
            let (key, descending) = sort.get();
            let selected = sweep.selected.get();
            let rows = sorted(progress, key, descending).into_iter().map(|index| {
                let record = &progress.trials[index];
                let value = monitor.and_then(|monitor| record.final_value(monitor));
                let best = monitor.and_then(|monitor| record.best_value(monitor));
                let settings = record.trial.settings.iter().map(|setting| view! { <td class="setting">{setting.value_text()}</td> }).collect_view();
                let metric_cells = metrics.iter().map(|&metric| {
                    view! { <td>{format!("{} / {}", cell(record.last_of(metric)), cell(record.best_of(metric)))}</td> }
                }).collect_view();
                let planned = if record.planned_epochs > 0 { format!("/{}", record.planned_epochs) } else { String::new() };
                view! {
                    <tr data-trial=record.trial.id data-state=record.state.label()
                        data-value=value.map(|v| v.to_string()).unwrap_or_default()
                        class:selected=selected == Some(index)
                        on:click=move |_| sweep.selected.update(|selected| *selected = if *selected == Some(index) { None } else { Some(index) })>
                        <td>{record.trial.id}</td>
                        {settings}
                        <td><span class="trial-state" data-state=record.state.label() title=record.note.clone().unwrap_or_default()>{state_text(record.state)}</span></td>
                        <td class="value">{cell(value)}</td>
                        <td>{cell(best)}</td>
                        {metric_cells}
                        <td>{format!("{}{planned}", record.epochs_run)}</td>
                        <td>{record.seconds_per_epoch().map_or_else(|| "—".to_owned(), |s| text!("sweep-time-per-epoch", ms = format!("{:.0}", s * 1000.0)))}</td>
                        <td><button data-testid="apply-trial" data-explain="apply-trial" title=text!("sweep-apply-title")
                            on:click=move |event| { event.stop_propagation(); apply(index); }>{text!("sweep-apply")}</button></td>
                    </tr>
                }
            }).collect_view();
            let value_label = monitor.map_or_else(|| text!("sweep-metric-none"), monitor_text);
            Some(view! {
                <div class="sweep-table-wrap">
                    <table class="sweep-table" data-testid="sweep-table" data-explain="sweep-table" data-monitor=monitor.map(|m| m.name()).unwrap_or_default()>
                        <thead><tr>
                            {header(SortKey::Trial, text!("sweep-column-trial"), "sweep-sort-trial".to_owned())}
                            {names.into_iter().enumerate().map(|(at, name)| header(SortKey::Setting(at), name, format!("sweep-sort-setting-{at}"))).collect_view()}
                            <th>{text!("sweep-column-state")}</th>
                            {header(SortKey::Value, text!("sweep-column-final", metric = value_label), "sweep-sort-value".to_owned())}
                            {header(SortKey::Best, text!("sweep-column-best"), "sweep-sort-best".to_owned())}
                            {metrics.iter().map(|&metric| view! { <th>{text!("sweep-column-metric", metric = metric_text(metric))}</th> }).collect_view()}
                            {header(SortKey::Epochs, text!("sweep-column-epochs"), "sweep-sort-epochs".to_owned())}
                            {header(SortKey::Time, text!("sweep-column-time"), "sweep-sort-time".to_owned())}
                            <th></th>
                        </tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                </div>
            })
        })
    };
    let charts = move || {
        measured("kindling:sweep-charts", || {
            let progress = sweep.progress.read();
            let progress = progress.as_ref()?;
            let selected = sweep.selected.get();
            let curves = overlay(progress, selected)?;
            let scatters = progress
                .graph()
                .sweep()
                .params
                .iter()
                .enumerate()
                .filter_map(|(at, swept)| scatter(progress, at, &swept.param, selected))
                .map(|svg| view! { <div class="sweep-scatter" inner_html=svg></div> })
                .collect_view();
            Some(view! {
                <div class="sweep-charts">
                    <div class="chart" data-testid="sweep-curves" data-explain="sweep-curves">
                        <div inner_html=curves></div>
                        <PictureButtons selector="[data-testid=\"sweep-curves\"] svg".to_owned() name="sweep-curves".to_owned() />
                    </div>
                    <div class="sweep-scatters" data-testid="sweep-scatter" data-explain="sweep-scatter">{scatters}</div>
                    <PictureButtons selector="[data-testid=\"sweep-scatter\"]".to_owned() name="sweep-scatter".to_owned() />
                </div>
            })
        })
    };
    let summary = move || {
        let progress = sweep.progress.read();
        let progress = progress.as_ref()?;
        let finished = progress
            .trials
            .iter()
            .filter(|record| !matches!(record.state.label(), "queued" | "running"))
            .count();
        let saved = progress.epochs_saved();
        Some(view! {
            <span class="sweep-count">{text!("sweep-trials-ended", finished = finished, trials = progress.trials.len())}</span>
            <span class="sweep-count" data-testid="sweep-epochs-saved" data-explain="sweep-epochs-saved" data-value=saved>
                {(saved > 0).then(|| text!("sweep-epochs-saved", saved = saved))}
            </span>
            {progress.best().map(|best| {
                let record = &progress.trials[best];
                view! { <span class="sweep-best">{text!("sweep-best", trial = record.trial.id, settings = record.trial.label())}</span> }
            })}
        })
    };
    view! {
        <section class="sweep-panel" aria-label=text!("sweep-heading") data-testid="sweep-panel" data-explain="sweep-panel">
            <div class="sweep-head">
                <h2>{text!("sweep-heading")}</h2>
                {move || match plan.get() {
                    Ok(None) => view! {
                        <p class="hint">{text!("sweep-hint")}</p>
                    }.into_any(),
                    Ok(Some((names, trials))) => view! {
                        <p class="sweep-plan" data-testid="sweep-plan" data-explain="sweep-plan" data-trials=trials>
                            {text!("sweep-plan", trials = trials, params = names.join(" × "))}
                        </p>
                    }.into_any(),
                    Err(error) => view! { <p class="param-refusal" role="alert" data-testid="sweep-plan" data-explain="sweep-plan">{error.to_string()}</p> }.into_any(),
                }}
            </div>
            {move || (!matches!(plan.get(), Ok(None))).then(|| view! {
                <SweepSettings editor notices disabled=running />
            })}
            <div class="sweep-controls">
                <button class="primary" data-testid="sweep-run" data-explain="sweep-run"
                    disabled=move || running.get() || !matches!(plan.get(), Ok(Some(_)))
                    title=text!("sweep-run-title")
                    on:click=move |_| sweep.start(&editor.graph.get_untracked(), session)>{text!("sweep-run")}</button>
                <label class="sweep-workers" title=text!("sweep-workers-title")>
                    {format!("{} ", text!("sweep-workers"))}
                    <select data-testid="sweep-workers" data-explain="sweep-workers" disabled=running
                        prop:value=move || sweep.workers.get().to_string()
                        on:change=move |event| {
                            if let Ok(workers) = event_target_value(&event).parse::<usize>() {
                                sweep.workers.set(workers.clamp(1, sweep.max_workers));
                            }
                        }>
                        {(1..=sweep.max_workers).map(|count| view! { <option value=count.to_string()>{count}</option> }).collect_view()}
                    </select>
                </label>
                {move || if status() == SweepStatus::Paused {
                    view! { <button data-testid="sweep-resume" data-explain="sweep-resume" on:click=move |_| sweep.resume()>{text!("sweep-resume")}</button> }.into_any()
                } else {
                    view! { <button data-testid="sweep-pause" data-explain="sweep-pause" disabled=move || status() != SweepStatus::Running
                        on:click=move |_| sweep.pause()>{text!("sweep-pause")}</button> }.into_any()
                }}
                <button data-testid="sweep-stop" data-explain="sweep-stop" disabled=move || !running.get() on:click=move |_| sweep.stop()>{text!("sweep-stop")}</button>
                <span class="pill">{format!("{} ", text!("sweep-status"))} <span data-testid="sweep-status" data-explain="sweep-status"
                    data-status=move || status().label()>{move || status().text()}</span></span>
                {summary}
            </div>
            {table}
            {charts}
        </section>
    }
}
