//! A lesson as a teacher writes it ("Make a lesson"): every field as typed, so that a half-
//! written goal or a misspelt parameter stays in its field, said wrong beside it, until it
//! reads — and the lesson it makes, checked as a link's reader checks it.
//!
//! A step's highlights are written as a list: a kind of node (`SGDOptimizer`), a parameter
//! (`SGDOptimizer.learning_rate`) or a control or view by its `data-testid` (`loss-chart`);
//! its locks as a list of parameters; its answers one per line.

use crate::core::model::catalogue::NodeKind;
use crate::core::teach::goal::Goal;
use crate::core::teach::lesson::{self, Highlight, Lesson, LessonFile, ParamRef, Prediction, Step};

/// A lesson being written.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct LessonDraft {
    pub title: String,
    pub summary: String,
    pub steps: Vec<StepDraft>,
    /// The data files of the lesson it was made from, kept as they were.
    pub files: Vec<LessonFile>,
}

/// A step being written.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct StepDraft {
    pub text: String,
    pub highlights: String,
    pub locks: String,
    pub question: String,
    /// One answer per line; none: the learner types one.
    pub choices: String,
    pub goal: String,
}

/// What keeps a draft from being a lesson: the step (none: the lesson's own fields), the
/// field, and why.
#[derive(Clone, Debug, PartialEq)]
pub struct DraftProblem {
    pub step: Option<usize>,
    pub field: Field,
    pub reason: String,
}

/// A field of a draft.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Lesson,
    Text,
    Highlights,
    Locks,
    Question,
    Goal,
}

impl LessonDraft {
    /// A first draft over the graph titled `title`: one step to write.
    pub fn new(title: &str) -> Self {
        Self { title: title.to_owned(), steps: vec![StepDraft::default()], ..Self::default() }
    }

    /// `lesson`, to edit.
    pub fn of(lesson: &Lesson) -> Self {
        let list = |items: Vec<String>| items.join(", ");
        Self {
            title: lesson.title.clone(),
            summary: lesson.summary.clone(),
            files: lesson.files.clone(),
            steps: lesson
                .steps
                .iter()
                .map(|step| StepDraft {
                    text: step.text.clone(),
                    highlights: list(step.highlights.iter().map(highlight_text).collect()),
                    locks: list(step.locks.iter().map(ToString::to_string).collect()),
                    question: step.prediction.as_ref().map(|p| p.question.clone()).unwrap_or_default(),
                    choices: step.prediction.as_ref().map(|p| p.choices.join("\n")).unwrap_or_default(),
                    goal: step.goal.as_ref().map(|goal| goal.source().to_owned()).unwrap_or_default(),
                })
                .collect(),
        }
    }

    /// The lesson this draft reads as.
    ///
    /// # Errors
    /// Every field that does not read, each with why; then, once each reads, the first bound
    /// the lesson passes (`lesson::check`).
    pub fn lesson(&self) -> Result<Lesson, Vec<DraftProblem>> {
        let mut problems = Vec::new();
        let mut steps = Vec::with_capacity(self.steps.len());
        for (at, draft) in self.steps.iter().enumerate() {
            let mut problem =
                |field, reason: String| problems.push(DraftProblem { step: Some(at), field, reason });
            if draft.text.trim().is_empty() {
                problem(Field::Text, text!("draft-step-says-nothing"));
            }
            let highlights = items(&draft.highlights).map(parse_highlight).collect::<Result<Vec<_>, _>>();
            let locks = items(&draft.locks).map(ParamRef::parse).collect::<Result<Vec<_>, _>>();
            let goal = match draft.goal.trim() {
                "" => Ok(None),
                source => Goal::parse(source).map(Some).map_err(|error| error.to_string()),
            };
            let choices: Vec<String> = draft
                .choices
                .lines()
                .map(str::trim)
                .filter(|line| !line.is_empty())
                .map(str::to_owned)
                .collect();
            let prediction = match (draft.question.trim(), choices.is_empty()) {
                ("", true) => None,
                ("", false) => {
                    problem(Field::Question, text!("draft-answers-without-question"));
                    None
                }
                (question, _) => Some(Prediction { question: question.to_owned(), choices }),
            };
            match (highlights, locks, goal) {
                (Ok(highlights), Ok(locks), Ok(goal)) => steps.push(Step {
                    text: draft.text.trim().to_owned(),
                    highlights,
                    locks,
                    prediction,
                    goal,
                }),
                (highlights, locks, goal) => {
                    for (field, result) in [
                        (Field::Highlights, highlights.err()),
                        (Field::Locks, locks.err()),
                        (Field::Goal, goal.err()),
                    ] {
                        if let Some(reason) = result {
                            problem(field, reason);
                        }
                    }
                }
            }
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let lesson = Lesson {
            title: self.title.trim().to_owned(),
            summary: self.summary.trim().to_owned(),
            steps,
            files: self.files.clone(),
        };
        lesson::check(&lesson).map_err(|reason| {
            vec![DraftProblem {
                step: None,
                field: Field::Lesson,
                reason: text!("draft-lesson", reason = reason),
            }]
        })?;
        Ok(lesson)
    }
}

/// The items of a list written with commas or on lines.
fn items(text: &str) -> impl Iterator<Item = &str> {
    text.split([',', '\n']).map(str::trim).filter(|item| !item.is_empty())
}

/// A highlight as written: a kind, `Kind.parameter`, or a `data-testid`.
fn parse_highlight(text: &str) -> Result<Highlight, String> {
    if text.contains('.') {
        return ParamRef::parse(text).map(Highlight::Param);
    }
    if let Some(kind) = NodeKind::from_name(text) {
        return Ok(Highlight::Node(kind));
    }
    if text.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-') {
        return Ok(Highlight::Control(text.to_owned()));
    }
    Err(text!("draft-highlight-unknown", text = text))
}

fn highlight_text(highlight: &Highlight) -> String {
    match highlight {
        Highlight::Node(kind) => kind.to_string(),
        Highlight::Param(param) => param.to_string(),
        Highlight::Control(id) | Highlight::View(id) => id.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn step(text: &str) -> StepDraft {
        StepDraft { text: text.to_owned(), ..StepDraft::default() }
    }

    #[test]
    fn a_draft_reads_as_the_lesson_it_says_and_back() {
        let draft = LessonDraft {
            title: "Momentum".to_owned(),
            summary: "Why a ball rolls faster".to_owned(),
            steps: vec![
                StepDraft {
                    text: "Train with *no* momentum.".to_owned(),
                    highlights: "SGDOptimizer, SGDOptimizer.momentum,\nloss-chart".to_owned(),
                    locks: "SGDOptimizer.learning_rate".to_owned(),
                    question: "Faster or slower?".to_owned(),
                    choices: "faster\n\nslower\n".to_owned(),
                    goal: "epochs_run >= 5".to_owned(),
                },
                step("Now try 0.9."),
            ],
            files: Vec::new(),
        };
        let lesson = draft.lesson().unwrap();
        assert_eq!(lesson.steps.len(), 2);
        let first = &lesson.steps[0];
        assert_eq!(first.highlights.len(), 3);
        assert!(matches!(first.highlights[0], Highlight::Node(NodeKind::SgdOptimizer)));
        assert!(matches!(&first.highlights[2], Highlight::Control(id) if id == "loss-chart"));
        assert_eq!(first.locks[0].to_string(), "SGDOptimizer.learning_rate");
        assert_eq!(first.prediction.as_ref().unwrap().choices, ["faster", "slower"]);
        assert_eq!(first.goal.as_ref().unwrap().source(), "epochs_run >= 5");
        assert_eq!(lesson.steps[1].goal, None);
        assert_eq!(LessonDraft::of(&lesson).lesson().unwrap(), lesson, "written back, it reads the same");
    }

    #[test]
    fn each_field_that_does_not_read_is_said_where_it_is() {
        let draft = LessonDraft {
            title: "A".to_owned(),
            steps: vec![
                StepDraft {
                    text: "x".to_owned(),
                    highlights: "SGDOptimizer.speed".to_owned(),
                    locks: "Nothing.at_all".to_owned(),
                    goal: "val_loss <".to_owned(),
                    ..StepDraft::default()
                },
                StepDraft { choices: "yes".to_owned(), ..StepDraft::default() },
            ],
            ..LessonDraft::default()
        };
        let problems = draft.lesson().unwrap_err();
        let at = |step, field| problems.iter().any(|p| p.step == Some(step) && p.field == field);
        assert!(at(0, Field::Highlights) && at(0, Field::Locks) && at(0, Field::Goal), "{problems:?}");
        assert!(at(1, Field::Text) && at(1, Field::Question), "{problems:?}");
        assert!(LessonDraft::new("").lesson().is_err(), "a title is needed");
        let untitled = LessonDraft { steps: vec![step("x")], ..LessonDraft::default() };
        assert_eq!(untitled.lesson().unwrap_err()[0].field, Field::Lesson);
    }
}
