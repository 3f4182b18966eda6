//! "Make a lesson": the graph shown becomes a lesson's start, and a side panel lets a teacher
//! write its steps — text, highlights, locks, a question, a goal — each field said wrong
//! beside it until it reads. Preview opens it on its start as a learner would; whatever the
//! teacher then does to the graph, the lesson's link ("Share the lesson") carries the start.
//!
//! Test surface: `make-lesson` (in the Lessons list), `lesson-author` (the panel), its fields
//! `author-title`, `author-summary`, each step `author-step` (`data-step`) with
//! `author-text`, `author-highlights`, `author-locks`, `author-question`, `author-choices`,
//! `author-goal`, each problem `[data-problem]` (the field's name), `author-remove-step`;
//! `author-add-step`, `author-preview`, `author-share` (its link in `author-link`),
//! `author-use-graph`, `author-close`, `author-problems` (`data-count`).

use leptos::prelude::*;

use super::LessonGuide;
use crate::core::document::experiment::Experiment;
use crate::core::document::saved_graph;
use crate::core::teach::goal::NAMES;
use crate::core::teach::lesson::Lesson;
use crate::core::teach::lesson::MAX_STEPS;
use crate::core::teach::lesson_draft::{DraftProblem, Field, LessonDraft, StepDraft};
use crate::ui::document_bar::share;
use crate::ui::notices::Notices;
use crate::web::page_rules;

/// The lesson being written, where it starts, and whether its panel is open.
#[derive(Clone, Copy)]
pub struct LessonAuthoring {
    pub open: RwSignal<bool>,
    pub draft: RwSignal<LessonDraft>,
    /// The graph and view the lesson starts from: the page's when the teacher began.
    start: StoredValue<Experiment>,
    /// The lesson last previewed: while the page shows it, the panel reopens on its draft.
    previewed: StoredValue<Option<Lesson>>,
}

impl LessonAuthoring {
    pub fn new() -> Self {
        Self {
            open: RwSignal::new(false),
            draft: RwSignal::new(LessonDraft::default()),
            start: StoredValue::new(Experiment::default()),
            previewed: StoredValue::new(None),
        }
    }

    /// Opens the panel: on the lesson the page shows, to edit it, unless it is the one
    /// previewed from here; else on the draft as it was left, or a new lesson starting from the
    /// graph as it stands. A draft is never dropped but for a lesson the teacher opened since.
    pub fn begin(self, guide: LessonGuide) {
        let shown = guide.editor.lesson.get_untracked();
        let fresh = match &shown {
            Some(lesson) if shown != self.previewed.get_value() => Some(LessonDraft::of(lesson)),
            _ if self.draft.with_untracked(|draft| draft.steps.is_empty()) => {
                Some(LessonDraft::new(&saved_graph::title(&guide.editor.graph.read_untracked())))
            }
            _ => None,
        };
        if let Some(draft) = fresh {
            self.draft.set(draft);
            self.use_graph(guide);
        }
        self.open.set(true);
    }

    /// The lesson starts from the graph and view as they stand now.
    fn use_graph(self, guide: LessonGuide) {
        self.start.set_value(Experiment { lesson: None, ..guide.editor.experiment() });
    }

    /// The lesson, on its start.
    fn experiment(self, lesson: Lesson) -> Experiment {
        Experiment { lesson: Some(lesson), ..self.start.get_value() }
    }
}

impl Default for LessonAuthoring {
    fn default() -> Self {
        Self::new()
    }
}

#[component]
pub fn LessonAuthorPanel(authoring: LessonAuthoring, guide: LessonGuide, notices: Notices) -> impl IntoView {
    let draft = authoring.draft;
    let problems = Memo::new(move |_| draft.with(|draft| draft.lesson().err().unwrap_or_default()));
    let previewed = RwSignal::new(false);
    let shared = RwSignal::new(None::<String>);
    let preview = move |_| {
        if let Ok(lesson) = draft.with_untracked(LessonDraft::lesson) {
            authoring.previewed.set_value(Some(lesson.clone()));
            guide.preview(authoring.experiment(lesson));
            previewed.set(true);
        }
    };
    let share_lesson = move |_| {
        if let Ok(lesson) = draft.with_untracked(LessonDraft::lesson) {
            share(&authoring.experiment(lesson), notices, shared);
        }
    };
    // Open, the panel takes the page's right side, and the page makes room for it.
    Effect::new(move || {
        let css = if authoring.open.get() {
            "@media (min-width: 761px) { body { margin-right: 25rem; } }"
        } else {
            ""
        };
        page_rules::set("lesson-author", css);
    });
    let steps = move || {
        let count = draft.with(|draft| draft.steps.len());
        (0..count).map(|at| view! { <StepFields draft at problems /> }).collect_view()
    };
    view! {
        <Show when=move || authoring.open.get()>
            <aside class="lesson-author" data-testid="lesson-author" data-explain="lesson-author" aria-label=text!("lesson-author-heading")>
                <header class="author-header">
                    <h2>{text!("lesson-author-heading")}</h2>
                    <button type="button" class="lesson-close" data-testid="author-close" data-explain="author-close"
                        aria-label=text!("lesson-author-close") on:click=move |_| authoring.open.set(false)>"×"</button>
                </header>
                <p class="author-intro">{text!("lesson-author-intro")}
                    <button type="button" class="author-use-graph" data-testid="author-use-graph" data-explain="author-use-graph"
                        on:click=move |_| authoring.use_graph(guide)>{text!("lesson-author-use-graph")}</button>
                </p>
                <label class="author-field">{text!("lesson-author-title")}
                    <input type="text" data-testid="author-title" data-explain="author-title" maxlength="120"
                        prop:value=move || draft.with(|draft| draft.title.clone())
                        on:input=move |event| draft.update(|draft| draft.title = event_target_value(&event)) />
                </label>
                <label class="author-field">{text!("lesson-author-summary")}
                    <input type="text" data-testid="author-summary" data-explain="author-summary"
                        prop:value=move || draft.with(|draft| draft.summary.clone())
                        on:input=move |event| draft.update(|draft| draft.summary = event_target_value(&event)) />
                </label>
                <ol class="author-steps">{steps}</ol>
                <div class="author-actions">
                    <button type="button" data-testid="author-add-step" data-explain="author-add-step"
                        disabled=move || draft.with(|draft| draft.steps.len() >= MAX_STEPS)
                        on:click=move |_| draft.update(|draft| draft.steps.push(StepDraft::default()))>{text!("lesson-author-add-step")}</button>
                    <button type="button" data-testid="author-preview" data-explain="author-preview"
                        disabled=move || !problems.read().is_empty() on:click=preview>{text!("lesson-author-preview")}</button>
                    <button type="button" class="primary" data-testid="author-share" data-explain="author-share"
                        disabled=move || !problems.read().is_empty() on:click=share_lesson>{text!("lesson-author-share")}</button>
                </div>
                {move || shared.get().map(|url| view! {
                    <input class="share-link author-link" data-testid="author-link" data-explain="author-link" readonly=true
                        aria-label=text!("lesson-author-link") prop:value=url />
                })}
                <p class="author-problems" data-testid="author-problems" data-explain="author-problems"
                    data-count=move || problems.read().len()>
                    {move || {
                        let problems = problems.read();
                        match problems.iter().find(|problem| problem.step.is_none()) {
                            Some(problem) => problem.reason.clone(),
                            None if problems.is_empty() && previewed.get() => text!("lesson-author-previewed"),
                            None if problems.is_empty() => text!("lesson-author-reads"),
                            None => text!("lesson-author-problems", count = problems.len()),
                        }
                    }}
                </p>
                <details class="author-goal-help">
                    <summary>{text!("lesson-author-goal-help-summary")}</summary>
                    <p>{goal_help()}</p>
                    <ul>{NAMES.iter().map(|(name, meaning)| view! { <li><code>{*name}</code> " — " {meaning()}</li> }).collect_view()}</ul>
                </details>
            </aside>
        </Show>
    }
}

/// What a goal can say: the sentence, its examples of the goal language set as code. Each
/// example goes into the message as a mark (`\u{1}` and its index), split out here again.
fn goal_help() -> impl IntoView {
    const EXAMPLES: [&str; 9] = [
        "and",
        "or",
        "not",
        GOAL_EXAMPLE,
        "SGDOptimizer.momentum >= 0.5",
        "param_changed(Kind.param)",
        "uses(ReLU)",
        "notice(overfitting)",
        "sweep.best.learning_rate in [0.01, 0.1]",
    ];
    let mark = |at: usize| format!("\u{1}{at}\u{1}");
    let sentence = text!(
        "lesson-author-goal-help",
        and = mark(0),
        or = mark(1),
        not = mark(2),
        comparison = mark(3),
        parameter = mark(4),
        changed = mark(5),
        uses = mark(6),
        notice = mark(7),
        sweep = mark(8),
    );
    sentence
        .split('\u{1}')
        .enumerate()
        .map(|(at, piece)| match piece.parse::<usize>().ok().and_then(|example| EXAMPLES.get(example)) {
            Some(example) if at % 2 == 1 => view! { <code>{*example}</code> }.into_any(),
            _ => piece.to_owned().into_any(),
        })
        .collect_view()
}

/// A goal, as the help and the goal field's placeholder show one.
const GOAL_EXAMPLE: &str = "val_loss < 0.1 and epochs_run <= 50";

/// One step's fields.
#[component]
fn StepFields(draft: RwSignal<LessonDraft>, at: usize, problems: Memo<Vec<DraftProblem>>) -> impl IntoView {
    let read = move |field: fn(&StepDraft) -> &String| {
        move || draft.with(|draft| draft.steps.get(at).map(|step| field(step).clone()).unwrap_or_default())
    };
    let write = move |field: fn(&mut StepDraft) -> &mut String| {
        move |event: web_sys::Event| {
            let value = event_target_value(&event);
            draft.update(|draft| {
                if let Some(step) = draft.steps.get_mut(at) {
                    *field(step) = value;
                }
            });
        }
    };
    let problem = move |field: Field| {
        move || {
            problems.with(|problems| {
                problems.iter().find(|problem| problem.step == Some(at) && problem.field == field).map(|problem| {
                    view! { <p class="param-refusal" data-problem=format!("{field:?}").to_lowercase()>{problem.reason.clone()}</p> }
                })
            })
        }
    };
    let remove = move |_| {
        draft.update(|draft| {
            if draft.steps.len() > 1 && at < draft.steps.len() {
                draft.steps.remove(at);
            }
        })
    };
    view! {
        <li class="author-step" data-testid="author-step" data-explain="author-step" data-step=at>
            <div class="author-step-header">
                <strong>{text!("lesson-author-step", number = at + 1)}</strong>
                <button type="button" class="author-remove" data-testid="author-remove-step" data-explain="author-remove-step"
                    disabled=move || draft.with(|draft| draft.steps.len() <= 1) on:click=remove>{text!("lesson-author-remove-step")}</button>
            </div>
            <label class="author-field">{text!("lesson-author-text")}
                <textarea rows="4" data-testid="author-text" data-explain="author-text" prop:value=read(|step| &step.text)
                    on:input=write(|step| &mut step.text)></textarea>
            </label>
            {problem(Field::Text)}
            <label class="author-field">{text!("lesson-author-highlights")}
                <input type="text" data-testid="author-highlights" data-explain="author-highlights" spellcheck="false"
                    placeholder="SGDOptimizer.learning_rate, loss-chart" // not words: highlights, as a lesson writes them
                    prop:value=read(|step| &step.highlights) on:input=write(|step| &mut step.highlights) />
            </label>
            {problem(Field::Highlights)}
            <label class="author-field">{text!("lesson-author-locks")}
                <input type="text" data-testid="author-locks" data-explain="author-locks" spellcheck="false"
                    placeholder="SGDOptimizer.momentum" // not words: a lock, as a lesson writes it
                    prop:value=read(|step| &step.locks) on:input=write(|step| &mut step.locks) />
            </label>
            {problem(Field::Locks)}
            <label class="author-field">{text!("lesson-author-question")}
                <input type="text" data-testid="author-question" data-explain="author-question"
                    placeholder=text!("lesson-author-question-placeholder")
                    prop:value=read(|step| &step.question) on:input=write(|step| &mut step.question) />
            </label>
            <label class="author-field">{text!("lesson-author-choices")}
                <textarea rows="2" data-testid="author-choices" data-explain="author-choices" prop:value=read(|step| &step.choices)
                    on:input=write(|step| &mut step.choices)></textarea>
            </label>
            {problem(Field::Question)}
            <label class="author-field">{text!("lesson-author-goal")}
                <input type="text" data-testid="author-goal" data-explain="author-goal" spellcheck="false"
                    placeholder=GOAL_EXAMPLE
                    prop:value=read(|step| &step.goal) on:input=write(|step| &mut step.goal) />
            </label>
            {problem(Field::Goal)}
        </li>
    }
}
