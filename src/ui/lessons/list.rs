//! The Lessons button and its list: every built-in lesson with what it teaches and how far
//! the learner got; picking one opens it (the graph shown stays under Recent graphs).

use leptos::prelude::*;

use super::super::local_work::LocalWork;
use super::super::notices::{NoticeKind, Notices};
use super::{LessonAuthoring, LessonGuide, progress};
use crate::core::document::built_in_lessons::BUILT_IN_LESSONS;

/// A built-in lesson as the list shows it.
struct Listed {
    slug: &'static str,
    title: String,
    summary: String,
    steps: usize,
    done: usize,
}

fn listed() -> Vec<Listed> {
    BUILT_IN_LESSONS
        .iter()
        .filter_map(|built_in| {
            let lesson = built_in.open().ok()?.lesson?;
            let done = progress::load_untouched(&progress::key_of(&lesson)).done.len();
            Some(Listed {
                slug: built_in.slug,
                title: lesson.title,
                summary: lesson.summary,
                steps: lesson.steps.len(),
                done,
            })
        })
        .collect()
}

#[component]
pub fn LessonsButton(
    guide: LessonGuide,
    work: LocalWork,
    notices: Notices,
    authoring: LessonAuthoring,
) -> impl IntoView {
    let open = RwSignal::new(false);
    let open_lesson = move |slug: &'static str| {
        open.set(false);
        if let Err(reason) = guide.open_built_in(slug, work) {
            notices.say(NoticeKind::Error, text!("lesson-cannot-open", reason = reason));
        }
    };
    view! {
        <div class="export-menu">
            <button data-testid="lessons-button" data-explain="lessons-button" aria-haspopup="menu" aria-expanded=move || open.get().to_string()
                title=text!("lesson-list-button-title")
                on:click=move |_| open.update(|open| *open = !*open)>
                {text!("lesson-list-button")}
            </button>
            <Show when=move || open.get()>
                <div class="export-backdrop" on:click=move |_| open.set(false)></div>
                <div class="export-panel lessons-panel" data-testid="lessons" data-explain="lessons" role="menu"
                    on:keydown=move |event: web_sys::KeyboardEvent| if event.key() == "Escape" { open.set(false) }>
                    <ol class="lessons-list">
                        {listed().into_iter().map(|lesson| {
                            let complete = lesson.done >= lesson.steps;
                            let slug = lesson.slug;
                            view! {
                                <li>
                                    <button type="button" role="menuitem" data-lesson=slug data-done=complete.to_string()
                                        on:click=move |_| open_lesson(slug)>
                                        <span class="lesson-item-title">{lesson.title}</span>
                                        <span class="lesson-item-progress">
                                            {if complete { text!("lesson-list-done") } else if lesson.done > 0 {
                                                text!("lesson-list-steps-done", done = lesson.done, count = lesson.steps)
                                            } else { text!("lesson-list-steps", count = lesson.steps) }}
                                        </span>
                                        <span class="lesson-item-summary">{lesson.summary}</span>
                                    </button>
                                </li>
                            }
                        }).collect_view()}
                    </ol>
                    <button type="button" role="menuitem" class="make-lesson" data-testid="make-lesson" data-explain="make-lesson"
                        on:click=move |_| {
                            open.set(false);
                            authoring.begin(guide);
                        }>
                        {move || if guide.editor.lesson.read().is_some() { text!("lesson-list-edit") } else { text!("lesson-list-make") }}
                    </button>
                </div>
            </Show>
        </div>
    }
}
