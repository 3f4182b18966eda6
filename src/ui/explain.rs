//! Explain mode: with it on (the toolbar's Explain, or `?`), pointing at anything on the page
//! — or moving the keyboard's focus onto it — shows what it is, why it matters and, for the
//! optimizer, the losses, the network and the schedules, its formula with this run's numbers
//! (`teach::explain`). Every element that can be explained carries its key in `data-explain`.

use leptos::ev;
use leptos::prelude::*;

use crate::core::compile::compile_error::CompileError;
use crate::core::compile::plan::TrainingPlan;
use crate::core::model::graph::Graph;
use crate::core::report::epoch_stats::EpochStats;
use crate::core::teach::explain::{Explanation, Situation, explain};
use crate::ui::lessons::text::LessonText;
use crate::web::events::{explained_by, within};
use crate::web::page_rules;

const RULES: &str = "explain-mode";

/// Whether Explain mode is on, and the key of what it explains now.
#[derive(Clone, Copy)]
pub struct ExplainMode {
    pub on: RwSignal<bool>,
    pub key: RwSignal<Option<String>>,
}

impl ExplainMode {
    /// Off; listens, for the page's lifetime, to the pointer and the focus.
    pub fn install() -> Self {
        let mode = Self { on: RwSignal::new(false), key: RwSignal::new(None) };
        let point = move |target: Option<web_sys::EventTarget>| {
            if !mode.on.get_untracked() {
                return;
            }
            if let Some(key) = explained_by(target)
                && mode.key.read_untracked().as_deref() != Some(key.as_str())
            {
                mode.key.set(Some(key));
            }
        };
        // The pointer in the panel keeps what it explains (to scroll it, to read it); the
        // panel explains itself to the keyboard's focus.
        let over = window_event_listener(ev::pointerover, move |event| {
            if !in_the_panel(event.target()) {
                point(event.target());
            }
        });
        let focus = window_event_listener(ev::focusin, move |event| point(event.target()));
        // The listeners live as long as the page.
        std::mem::forget((over, focus));
        // What is explained is outlined; whatever can be, shows the help cursor.
        Effect::new(move || {
            let css = match (mode.on.get(), mode.key.get()) {
                (false, _) => String::new(),
                (true, key) => {
                    let mut css = "[data-explain] { cursor: help; }\n".to_owned();
                    if let Some(key) = key.filter(|key| !key.contains(['"', '\\']))
                        && key != "explanation"
                    {
                        css.push_str(&format!(
                            "[data-explain=\"{key}\"] {{ outline: 2px dashed var(--accent); outline-offset: 2px; }}\n"
                        ));
                    }
                    css
                }
            };
            page_rules::set(RULES, &css);
        });
        mode
    }

    pub fn toggle(self) {
        self.on.update(|on| *on = !*on);
        if !self.on.get_untracked() {
            self.key.set(None);
        }
    }
}

fn in_the_panel(target: Option<web_sys::EventTarget>) -> bool {
    within(target, ".explanation")
}

/// The toolbar's switch.
#[component]
pub fn ExplainToggle(mode: ExplainMode) -> impl IntoView {
    view! {
        <button type="button" class="explain-toggle" class:on=move || mode.on.get() data-testid="explain-toggle"
            data-explain="explain-toggle" aria-pressed=move || mode.on.get().to_string()
            aria-keyshortcuts="?" title=text!("explain-toggle-title")
            on:click=move |_| mode.toggle()>
            {text!("explain-toggle")}
        </button>
    }
}

/// The explanation of what is pointed at, while Explain mode is on.
#[component]
pub fn ExplanationPanel(
    mode: ExplainMode,
    graph: Signal<Graph>,
    compiled: Memo<Result<TrainingPlan, Vec<CompileError>>>,
    history: Signal<Vec<EpochStats>>,
) -> impl IntoView {
    let explanation = Memo::new(move |_| {
        let key = mode.key.get()?;
        let graph = graph.read();
        let compiled = compiled.read();
        let history = history.read();
        let situation = Situation { graph: &graph, plan: compiled.as_ref().ok(), latest: history.last() };
        Some((key.clone(), explain(&key, &situation)))
    });
    let no_lesson = Callback::new(|_: String| ());
    view! {
        <Show when=move || mode.on.get()>
            <aside class="explanation" data-testid="explanation" data-explain="explanation" aria-live="polite"
                data-key=move || explanation.read().as_ref().map(|(key, _)| key.clone()).unwrap_or_default()
                data-explained=move || explanation.read().as_ref().is_some_and(|(_, found)| found.is_some()).to_string()>
                <button type="button" class="explanation-close" aria-label=text!("explain-close")
                    on:click=move |_| mode.toggle()>"×"</button>
                {move || match explanation.get() {
                    None => view! {
                        <p class="explanation-hint">{text!("explain-hint")}</p>
                    }.into_any(),
                    Some((key, None)) => view! {
                        <p class="explanation-hint">{text!("explain-unknown", key = key)}</p>
                    }.into_any(),
                    Some((_, Some(explanation))) => explained(explanation, no_lesson).into_any(),
                }}
            </aside>
        </Show>
    }
}

fn explained(explanation: Explanation, no_lesson: Callback<String>) -> impl IntoView {
    let Explanation { title, what, why, formula } = explanation;
    view! {
        <h2 class="explanation-title">{title}</h2>
        <div class="explanation-what"><LessonText text=what on_lesson=no_lesson /></div>
        {why.map(|why| view! {
            <div class="explanation-why"><strong>{format!("{} ", text!("explain-why"))}</strong><LessonText text=why on_lesson=no_lesson /></div>
        })}
        {(!formula.is_empty()).then(|| view! {
            <table class="explanation-formula" data-testid="explanation-formula">
                <tbody>
                    {formula.into_iter().map(|line| view! {
                        <tr><td class="formula-rule">{line.rule}</td><td class="formula-numbers">{line.numbers}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        })}
    }
}
