//! A lesson's text, drawn from its markdown blocks (`teach::markdown`) as elements: text from
//! a link never becomes markup.

use leptos::prelude::*;

use crate::core::teach::markdown::{Block, Run, blocks};

#[component]
pub fn LessonText(
    text: String,
    /// A link to another lesson was followed: its slug.
    on_lesson: Callback<String>,
) -> impl IntoView {
    blocks(&text)
        .into_iter()
        .map(|block| match block {
            Block::Paragraph(runs) => view! { <p>{runs_view(runs, on_lesson)}</p> }.into_any(),
            Block::List { ordered, items } => {
                let items = items
                    .into_iter()
                    .map(|runs| view! { <li>{runs_view(runs, on_lesson)}</li> })
                    .collect_view();
                match ordered {
                    true => view! { <ol>{items}</ol> }.into_any(),
                    false => view! { <ul>{items}</ul> }.into_any(),
                }
            }
        })
        .collect_view()
}

fn runs_view(runs: Vec<Run>, on_lesson: Callback<String>) -> impl IntoView {
    runs.into_iter().map(|run| run_view(run, on_lesson)).collect_view()
}

fn run_view(run: Run, on_lesson: Callback<String>) -> AnyView {
    let mut shown = view! { {run.text} }.into_any();
    if run.code {
        shown = view! { <code>{shown}</code> }.into_any();
    }
    if run.emphasis {
        shown = view! { <em>{shown}</em> }.into_any();
    }
    if run.strong {
        shown = view! { <strong>{shown}</strong> }.into_any();
    }
    match run.lesson {
        Some(slug) => view! {
            <button type="button" class="link-button" data-lesson-link=slug.clone()
                on:click=move |_| on_lesson.run(slug.clone())>{shown}</button>
        }
        .into_any(),
        None => shown,
    }
}
