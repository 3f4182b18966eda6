//! The step the learner is on: its text, the question to answer before running (and, once
//! the goal holds, the answer given beside what happened), the goal with each of its tests
//! and what they read now, and the way on.

use leptos::prelude::*;

use super::super::local_work::LocalWork;
use super::super::notices::{NoticeKind, Notices};
use super::LessonGuide;
use super::text::LessonText;

#[component]
pub fn LessonStepCard(guide: LessonGuide, work: LocalWork, notices: Notices) -> impl IntoView {
    let editor = guide.editor;
    let open_lesson = Callback::new(move |slug: String| {
        if let Err(reason) = guide.open_built_in(&slug, work) {
            notices.say(NoticeKind::Error, text!("lesson-cannot-open", reason = reason));
        }
    });
    move || {
        let lesson = editor.lesson.get()?;
        let at = guide.step.get();
        let step = lesson.steps.get(at)?.clone();
        let count = lesson.steps.len();
        let done = move || guide.done.with(|done| done.contains(&at));
        let prediction = step.prediction.clone().map(|prediction| {
            let typed = RwSignal::new(String::new());
            let answer = move || guide.guesses.with(|guesses| guesses.get(&at).cloned());
            view! {
                <div class="lesson-prediction" data-testid="lesson-prediction" data-explain="lesson-prediction" data-answered=move || answer().is_some().to_string()>
                    <p class="lesson-question">{prediction.question.clone()}</p>
                    {move || match answer() {
                        Some(given) => view! {
                            <p class="lesson-answer">
                                {move || format!("{} ", if done() { text!("lesson-step-you-guessed") } else { text!("lesson-step-your-guess") })}
                                <strong>{given.clone()}</strong>
                                {move || done().then(|| format!(" {}", text!("lesson-step-compare")))}
                            </p>
                        }.into_any(),
                        None if prediction.choices.is_empty() => view! {
                            <form class="lesson-guess" on:submit=move |event: web_sys::SubmitEvent| {
                                event.prevent_default();
                                let text = typed.get_untracked().trim().to_owned();
                                if !text.is_empty() {
                                    guide.guess(text);
                                }
                            }>
                                <input type="text" data-testid="lesson-guess" data-explain="lesson-guess" aria-label=text!("lesson-step-guess-label") maxlength="200"
                                    prop:value=move || typed.get() on:input=move |event| typed.set(event_target_value(&event)) />
                                <button type="submit">{text!("lesson-step-guess")}</button>
                            </form>
                        }.into_any(),
                        None => view! {
                            <div class="lesson-choices" role="group" aria-label=text!("lesson-step-guess-label")>
                                {prediction.choices.iter().cloned().map(|choice| view! {
                                    <button type="button" data-choice=choice.clone()
                                        on:click=move |_| guide.guess(choice.clone())>{choice.clone()}</button>
                                }).collect_view()}
                            </div>
                        }.into_any(),
                    }}
                </div>
            }
        });
        let goal = step.goal.clone().map(|goal| {
            let tests = move || {
                guide.check.get().map(|check| {
                    check
                        .tests
                        .into_iter()
                        .map(|test| {
                            let now = test
                                .now
                                .map(|value| format!(" {}", text!("lesson-step-goal-now", value = value.to_string())))
                                .unwrap_or_default();
                            view! {
                                <li data-test=test.text.clone() data-holds=test.holds.to_string() class:holds=test.holds>
                                    <span class="lesson-mark" aria-hidden="true">{if test.holds { "✓" } else { "○" }}</span>
                                    <code>{test.text.clone()}</code>{now}
                                </li>
                            }
                        })
                        .collect_view()
                })
            };
            view! {
                <div class="lesson-goal" data-testid="lesson-goal" data-explain="lesson-goal">
                    <p>{format!("{} ", text!("lesson-step-goal"))} <code>{goal.source().to_owned()}</code></p>
                    <ul>{tests}</ul>
                    {move || guide.run_from_before().then(|| view! {
                        <p class="lesson-hint" data-testid="lesson-run-before" data-explain="lesson-run-before">
                            {text!("lesson-step-run-before")}
                        </p>
                    })}
                    <p class="lesson-reached" class:shown=done>{move || done().then(|| text!("lesson-step-goal-reached"))}</p>
                </div>
            }
        });
        let last = at + 1 == count;
        Some(view! {
            <section class="lesson-step" data-testid="lesson-step" data-explain="lesson-step" data-step=at data-done=move || done().to_string()
                aria-label=text!("lesson-step-label", title = lesson.title.clone())>
                <header class="lesson-header">
                    <span class="lesson-title">{lesson.title.clone()}</span>
                    <span class="lesson-count">{text!("lesson-step-count", step = at + 1, count = count)}</span>
                    <button type="button" class="lesson-close" data-testid="lesson-close" data-explain="lesson-close" title=text!("lesson-step-leave")
                        on:click=move |_| guide.close()>"×"</button>
                </header>
                <div class="lesson-body">
                    <div class="lesson-text"><LessonText text=step.text.clone() on_lesson=open_lesson /></div>
                    <div class="lesson-side">
                        {prediction}
                        {goal}
                        <div class="lesson-nav">
                            <button type="button" data-testid="lesson-back" data-explain="lesson-back" disabled=at == 0
                                on:click=move |_| guide.go_to(at.saturating_sub(1))>{text!("lesson-step-back")}</button>
                            <button type="button" data-testid="lesson-next" data-explain="lesson-next" class:primary=done
                                on:click=move |_| {
                                    guide.read_step();
                                    if last { guide.close() } else { guide.go_to(at + 1) }
                                }>{if last { text!("lesson-step-finish") } else { text!("lesson-step-next") }}</button>
                        </div>
                    </div>
                </div>
            </section>
        })
    }
}
