//! Lessons on the page: the list of them, the step the learner is on, its goal checked live
//! against the run, the question asked before running, what the step points at and locks.
//!
//! The lesson itself travels with the graph ([`Editor::lesson`]: links, files, autosave);
//! where the learner stands in it — the step, the steps done, the guesses — is kept in this
//! browser per lesson (`progress`), and in the tab across a reload.
//!
//! Test surface: `data-testid="lessons"` (items `[data-lesson]`, `data-done` when every step
//! is done), `lesson-step` (`data-step`, `data-done` once the step's goal has held),
//! `lesson-next`, `lesson-back`, `lesson-close`, `lesson-prediction` (answers `[data-choice]`,
//! `lesson-guess` for a typed one, `data-answered`), `lesson-goal` (tests `[data-test]` with
//! `data-holds`); highlighted elements carry the class `lesson-highlight`.

mod author;
mod highlight;
mod list;
mod progress;
mod step_card;
pub mod text;

use std::collections::{BTreeMap, BTreeSet};

use leptos::prelude::*;

pub use author::{LessonAuthorPanel, LessonAuthoring};
pub use list::LessonsButton;
pub use step_card::LessonStepCard;

use super::csv_files::CsvFiles;
use super::editor::Editor;
use super::local_work::LocalWork;
use super::lr_range::{RangeState, RangeTests};
use super::run_status::RunStatus;
use super::session::Session;
use super::sweep_session::SweepSession;
use crate::core::document::built_in_lessons::BuiltInLesson;
use crate::core::document::experiment::Experiment;
use crate::core::model::graph::Graph;
use crate::core::teach::diagnosis::Diagnosis;
use crate::core::teach::facts::{Facts, RangeTestFacts, RunFacts, SweepFacts};
use crate::core::teach::goal::GoalCheck;
use crate::core::teach::lesson::Lesson;

/// Where the current step began: the graph then, and how many runs, range tests and sweeps
/// the page had shown (a goal reads only what came after).
#[derive(Clone, Debug, Default, PartialEq)]
struct StepStart {
    graph: Graph,
    runs: u64,
    range_tests: u64,
    sweeps: u64,
}

/// The lesson the learner follows, and where they stand in it.
#[derive(Clone, Copy)]
pub struct LessonGuide {
    editor: Editor,
    session: Session,
    range_tests: RangeTests,
    sweep: SweepSession,
    files: CsvFiles,
    /// The step shown (an index into the lesson's steps).
    pub step: RwSignal<usize>,
    began: RwSignal<StepStart>,
    /// The learner's answers to the steps' questions, by step.
    pub guesses: RwSignal<BTreeMap<usize, String>>,
    /// The steps whose goal has held (or, without a goal, that were read).
    pub done: RwSignal<BTreeSet<usize>>,
    /// What progress is stored under: a hash of the lesson's text (`progress::key_of`).
    key: RwSignal<String>,
    /// The goal of the step shown, checked against the page as it stands.
    pub check: Memo<Option<GoalCheck>>,
}

impl LessonGuide {
    pub fn new(
        editor: Editor,
        session: Session,
        range_tests: RangeTests,
        sweep: SweepSession,
        files: CsvFiles,
        diagnoses: Signal<Vec<Diagnosis>>,
    ) -> Self {
        let step = RwSignal::new(0);
        let began = RwSignal::new(StepStart::default());
        let check = Memo::new(move |_| {
            let lesson = editor.lesson.read();
            let goal = lesson.as_ref()?.steps.get(step.get())?.goal.as_ref()?;
            let began = began.read();
            let graph = editor.graph.read();
            let ran = session.runs_shown.get() > began.runs;
            let history = session.view.history.read();
            let status = session.status.get();
            let range_done = range_tests.finished.get() > began.range_tests;
            let suggested = match &*range_tests.current.read() {
                Some((_, RangeState::Done(result))) if range_done => result.suggestion,
                _ => None,
            };
            let sweep_done = sweep.finished.get() > began.sweeps;
            let sweep_facts = sweep
                .progress
                .read()
                .as_ref()
                .filter(|_| sweep_done)
                .map(|progress| SweepFacts {
                    finished: true,
                    trials: progress.trials.iter().filter(|record| record.epochs_run > 0).count(),
                    best: progress
                        .best()
                        .map(|best| {
                            progress.trials[best]
                                .trial
                                .settings
                                .iter()
                                .filter_map(|setting| Some((setting.param.clone(), setting.value.as_f64()?)))
                                .collect()
                        })
                        .unwrap_or_default(),
                })
                .unwrap_or_default();
            let notices = diagnoses.get();
            let facts = Facts {
                graph: &graph,
                step_start: &began.graph,
                epochs: if ran { &history } else { &[] },
                run: RunFacts {
                    started: ran,
                    running: ran && status == RunStatus::Training,
                    finished: ran && matches!(status, RunStatus::Done | RunStatus::Idle | RunStatus::Error),
                    diverged: ran && session.diverged.get(),
                },
                range_test: RangeTestFacts { done: range_done, suggested },
                sweep: sweep_facts,
                notices: &notices,
            };
            Some(goal.check(&facts))
        });
        let guide = Self {
            editor,
            session,
            range_tests,
            sweep,
            files,
            step,
            began,
            guesses: RwSignal::new(BTreeMap::new()),
            done: RwSignal::new(BTreeSet::new()),
            key: RwSignal::new(String::new()),
            check,
        };
        // A goal that holds marks its step done, for good.
        Effect::new(move || {
            if guide.check.get().is_some_and(|check| check.holds) {
                guide.mark_done(step.get_untracked());
            }
        });
        // The lesson the page shows (opened, restored, or gone): its progress, its locks.
        Effect::new(move |previous: Option<Option<Lesson>>| {
            let lesson = editor.lesson.get();
            if previous.as_ref() != Some(&lesson) {
                guide.shown(lesson.as_ref());
            }
            lesson
        });
        guide
    }

    /// Opens built-in lesson `slug` — a new graph, the one shown kept under Recent graphs —
    /// at the first step not done yet.
    pub fn open_built_in(self, slug: &str, work: LocalWork) -> Result<(), String> {
        let lesson = BuiltInLesson::find(slug).ok_or_else(|| text!("lesson-not-found", slug = slug))?;
        let experiment = lesson.open().map_err(|error| error.to_string())?;
        work.keep_current();
        if let Some(lesson) = &experiment.lesson {
            progress::resume(lesson);
        }
        self.editor.open(experiment);
        Ok(())
    }

    /// Opens `experiment` (a teacher's lesson, being written, on its start) at its first
    /// step, as a learner who had never opened it would see it; undo brings the graph back.
    pub fn preview(self, experiment: Experiment) {
        let Some(lesson) = &experiment.lesson else { return };
        progress::save(&progress::key_of(lesson), &progress::Progress::default());
        let same = self.editor.lesson.with_untracked(|shown| shown.as_ref() == Some(lesson));
        self.editor.open(experiment);
        if same {
            self.done.set(BTreeSet::new());
            self.guesses.set(BTreeMap::new());
            self.go_to(0);
        }
    }

    /// Leaves the lesson: the graph stays as it is.
    pub fn close(self) {
        self.editor.lesson.set(None);
    }

    /// Shows step `step` (within the lesson).
    pub fn go_to(self, step: usize) {
        let steps = self
            .editor
            .lesson
            .with_untracked(|lesson| lesson.as_ref().map_or(0, |lesson| lesson.steps.len()));
        if step >= steps {
            return;
        }
        self.step.set(step);
        self.begin_step();
        self.save();
    }

    /// Records the learner's answer to the step's question.
    pub fn guess(self, answer: String) {
        let step = self.step.get_untracked();
        self.guesses.update(|guesses| {
            guesses.insert(step, answer);
        });
        self.save();
    }

    /// Whether a run that began before the step shown is still under way: the step's goal
    /// reads only runs started in it.
    pub fn run_from_before(self) -> bool {
        matches!(self.session.status.get(), RunStatus::Training | RunStatus::Paused)
            && self.session.runs_shown.get() <= self.began.with(|began| began.runs)
    }

    /// Whether the step shown asks a question not answered yet: Train waits for it.
    pub fn question_pending(self) -> bool {
        let step = self.step.get();
        self.editor.lesson.with(|lesson| {
            lesson
                .as_ref()
                .and_then(|lesson| lesson.steps.get(step))
                .is_some_and(|step| step.prediction.is_some())
        }) && !self.guesses.with(|guesses| guesses.contains_key(&step))
    }

    fn mark_done(self, step: usize) {
        if !self.done.with_untracked(|done| done.contains(&step)) {
            self.done.update(|done| {
                done.insert(step);
            });
            self.save();
        }
    }

    /// The step is read: a step without a goal is done once the learner moves on from it.
    pub fn read_step(self) {
        let step = self.step.get_untracked();
        let has_goal = self.editor.lesson.with_untracked(|lesson| {
            lesson.as_ref().and_then(|lesson| lesson.steps.get(step)).is_some_and(|step| step.goal.is_some())
        });
        if !has_goal {
            self.mark_done(step);
        }
    }

    /// A lesson came into view (or left it): where the learner stood in it.
    fn shown(self, lesson: Option<&Lesson>) {
        let Some(lesson) = lesson else {
            self.editor.locks.set(Vec::new());
            highlight::clear();
            return;
        };
        for file in &lesson.files {
            self.files.hold_lesson_file(&file.name, file.text.as_bytes());
        }
        let key = progress::key_of(lesson);
        let stored = progress::load(&key);
        self.key.set(key);
        self.done.set(stored.done);
        self.guesses.set(stored.guesses);
        self.step.set(stored.step.min(lesson.steps.len().saturating_sub(1)));
        self.begin_step();
    }

    /// The step shown begins now: the graph and the counts as they stand, its locks and
    /// highlights.
    fn begin_step(self) {
        self.began.set(StepStart {
            graph: self.editor.graph.get_untracked(),
            runs: self.session.runs_shown.get_untracked(),
            range_tests: self.range_tests.finished.get_untracked(),
            sweeps: self.sweep.finished.get_untracked(),
        });
        let step = self.step.get_untracked();
        let (locks, highlights) = self.editor.lesson.with_untracked(|lesson| {
            lesson
                .as_ref()
                .and_then(|lesson| lesson.steps.get(step))
                .map(|step| (step.locks.clone(), step.highlights.clone()))
                .unwrap_or_default()
        });
        self.editor.locks.set(locks);
        highlight::show(&highlights);
    }

    fn save(self) {
        progress::save(
            &self.key.get_untracked(),
            &progress::Progress {
                step: self.step.get_untracked(),
                done: self.done.get_untracked(),
                guesses: self.guesses.get_untracked(),
            },
        );
    }
}
