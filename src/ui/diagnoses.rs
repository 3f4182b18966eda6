//! What the run's numbers say is going wrong (`teach::diagnosis`): each diagnosis with its
//! evidence and one change to try, applied by "Try it" as one undo step.
//!
//! Test surface: `data-testid="diagnoses"`, each `[data-notice]` (`plateau`, `overfitting`,
//! `underfitting`, `dead-units`, `gradients`) with its button `[data-try]`.

use leptos::prelude::*;

use super::editor::Editor;
use super::notices::{NoticeKind, Notices};
use crate::core::teach::diagnosis::{Diagnosis, Notice, Suggestion};

#[component]
pub fn Diagnoses(
    editor: Editor,
    notices: Notices,
    diagnoses: Memo<Vec<Notice>>,
    /// Runs shown so far: a change tried is not offered again until the next run.
    runs: Signal<u64>,
) -> impl IntoView {
    let tried = RwSignal::new(Vec::<(u64, Diagnosis)>::new());
    let shown = move || {
        let run = runs.get();
        diagnoses
            .get()
            .into_iter()
            .filter(|notice| !tried.with(|tried| tried.contains(&(run, notice.diagnosis))))
            .collect::<Vec<_>>()
    };
    let try_it = move |diagnosis: Diagnosis, suggestion: Suggestion| match apply(editor, &suggestion) {
        Ok(()) => {
            tried.update(|tried| tried.push((runs.get_untracked(), diagnosis)));
            notices.say(NoticeKind::Info, text!("run-diagnosis-tried", change = &suggestion.text));
        }
        Err(reason) => notices.say(
            NoticeKind::Warning,
            text!("run-diagnosis-not-applied", change = &suggestion.text, reason = reason),
        ),
    };
    view! {
        <div class="diagnoses" data-testid="diagnoses" data-explain="diagnoses" aria-live="polite">
            <For each=shown key=|notice| (notice.diagnosis, notice.evidence.clone()) let:notice>
                {
                    let diagnosis = notice.diagnosis;
                    let suggestion = notice.suggestion.clone();
                    view! {
                        <article class="diagnosis" data-notice=diagnosis.name()>
                            <h3>{notice.title}</h3>
                            <p>{notice.evidence.clone()}</p>
                            {suggestion.map(|suggestion| {
                                let text = suggestion.text.clone();
                                view! {
                                    <button type="button" data-try=diagnosis.name() title=text.clone()
                                        on:click=move |_| try_it(diagnosis, suggestion.clone())>
                                        {text!("run-diagnosis-try", change = &text)}
                                    </button>
                                }
                            })}
                        </article>
                    }
                }
            </For>
        </div>
    }
}

/// Applies `suggestion` to the graph: one undo step.
fn apply(editor: Editor, suggestion: &Suggestion) -> Result<(), String> {
    let spec = editor
        .graph
        .read_untracked()
        .node(suggestion.node)
        .and_then(|node| node.kind.spec().param(suggestion.param))
        .ok_or_else(|| text!("run-diagnosis-node-gone"))?;
    editor.set_param(suggestion.node, spec, suggestion.value.clone())
}
