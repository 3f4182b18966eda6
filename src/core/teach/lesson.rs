//! A lesson: a title and ordered steps over a starting graph (the experiment that carries the
//! lesson). A step has its text (a small markdown subset: `markdown`), what it points at,
//! what it locks, a question to answer before running, and a goal checked live (`goal`).
//!
//! Lessons travel in share links and graph files with their graph, so every field is bounded
//! here ([`check`]) and these types are frozen: links serialise them by position (postcard),
//! so a change is a new link version (`document::link`).

use serde::{Deserialize, Serialize};

use crate::core::model::catalogue::{NodeKind, ParamKind};
use crate::core::teach::goal::Goal;

/// The most steps a lesson has, and the longest texts it holds (in characters).
pub const MAX_STEPS: usize = 40;
pub const MAX_TITLE_CHARS: usize = 120;
pub const MAX_TEXT_CHARS: usize = 4000;
pub const MAX_CHOICES: usize = 8;
pub const MAX_CHOICE_CHARS: usize = 200;
/// The most highlights and locks a step has.
pub const MAX_MARKS: usize = 16;
/// The most data files a lesson brings, and their bytes together: room for small tables
/// within what a link expands to (`document::link::MAX_EXPANDED_BYTES`).
pub const MAX_FILES: usize = 4;
pub const MAX_FILES_BYTES: usize = 256 * 1024;

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Lesson {
    pub title: String,
    /// One line on what it teaches, for the list of lessons.
    #[serde(default)]
    pub summary: String,
    pub steps: Vec<Step>,
    /// Data files the lesson brings (a CSV its Dataset trains on): the page holds them as if
    /// the learner had picked them, so the lesson works in any browser.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub files: Vec<LessonFile>,
}

/// A data file carried in a lesson: its name (what the Dataset's `file` names) and its text.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct LessonFile {
    pub name: String,
    pub text: String,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Step {
    /// What the step says, in the markdown subset of `markdown`.
    pub text: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub highlights: Vec<Highlight>,
    /// Parameters the learner cannot change during this step.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub locks: Vec<ParamRef>,
    /// A question answered before running; the answer is shown beside the outcome.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prediction: Option<Prediction>,
    /// When the step is done; without one, it is done once read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub goal: Option<Goal>,
}

/// What a step points at: a node (by kind), a parameter, a control or a view (by its
/// `data-testid`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Highlight {
    Node(NodeKind),
    Param(ParamRef),
    Control(String),
    View(String),
}

/// A parameter of the graph's first node of a kind, written `SGDOptimizer.learning_rate`.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub struct ParamRef {
    pub kind: NodeKind,
    pub param: &'static str,
}

#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Prediction {
    pub question: String,
    /// The answers to pick from; none: the learner types one.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<String>,
}

impl ParamRef {
    /// # Errors
    /// Why `text` names no parameter, for the learner.
    pub fn parse(text: &str) -> Result<Self, String> {
        let (kind, param) =
            text.split_once('.').ok_or_else(|| text!("goal-param-not-kind-parameter", text = text))?;
        let kind = NodeKind::from_name(kind).ok_or_else(|| text!("goal-param-not-a-kind", kind = kind))?;
        let spec = kind
            .spec()
            .param(param)
            .ok_or_else(|| text!("goal-param-missing", kind = kind.to_string(), param = param))?;
        Ok(Self { kind, param: spec.name })
    }

    /// Whether it is a parameter whose value a goal can read (not a Network's layers).
    pub fn is_value(&self) -> bool {
        self.kind.spec().param(self.param).is_some_and(|spec| !matches!(spec.kind, ParamKind::Layers))
    }
}

impl std::fmt::Display for ParamRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}.{}", self.kind, self.param)
    }
}

impl Serialize for ParamRef {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for ParamRef {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        ParamRef::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// Checks `lesson` against every bound above: what a reader of a link or a file enforces.
///
/// # Errors
/// The first bound passed, for the learner ("its step 3 …").
pub fn check(lesson: &Lesson) -> Result<(), String> {
    // A text longer than `max`: why, said by `said` with its length.
    let long = |text: &str, max: usize, said: &dyn Fn(usize) -> String| match text.chars().count() {
        chars if chars > max => Err(said(chars)),
        _ => Ok(()),
    };
    long(&lesson.title, MAX_TITLE_CHARS, &|chars| {
        text!("lesson-text-title-long", chars = chars, max = MAX_TITLE_CHARS)
    })?;
    if lesson.title.trim().is_empty() {
        return Err(text!("lesson-text-no-title"));
    }
    long(&lesson.summary, MAX_TEXT_CHARS, &|chars| {
        text!("lesson-text-summary-long", chars = chars, max = MAX_TEXT_CHARS)
    })?;
    if lesson.steps.is_empty() || lesson.steps.len() > MAX_STEPS {
        return Err(text!("lesson-text-steps", count = lesson.steps.len(), max = MAX_STEPS));
    }
    let bytes: usize = lesson.files.iter().map(|file| file.text.len()).sum();
    if lesson.files.len() > MAX_FILES || bytes > MAX_FILES_BYTES {
        return Err(text!(
            "lesson-text-files",
            count = lesson.files.len(),
            bytes = bytes,
            max = MAX_FILES,
            max_bytes = MAX_FILES_BYTES
        ));
    }
    for file in &lesson.files {
        long(&file.name, MAX_TITLE_CHARS, &|chars| {
            text!("lesson-text-file-name-long", chars = chars, max = MAX_TITLE_CHARS)
        })?;
        if file.name.trim().is_empty() {
            return Err(text!("lesson-text-file-unnamed"));
        }
    }
    for (at, step) in lesson.steps.iter().enumerate() {
        let number = at + 1;
        long(&step.text, MAX_TEXT_CHARS, &|chars| {
            text!("lesson-text-step-text-long", step = number, chars = chars, max = MAX_TEXT_CHARS)
        })?;
        if step.highlights.len() > MAX_MARKS || step.locks.len() > MAX_MARKS {
            return Err(text!("lesson-text-step-marks", step = number, max = MAX_MARKS));
        }
        for highlight in &step.highlights {
            if let Highlight::Control(id) | Highlight::View(id) = highlight
                && (id.is_empty()
                    || id.len() > 64
                    || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
            {
                return Err(text!("lesson-text-step-highlight", step = number, id = id));
            }
        }
        if let Some(prediction) = &step.prediction {
            long(&prediction.question, MAX_TEXT_CHARS, &|chars| {
                text!("lesson-text-question-long", step = number, chars = chars, max = MAX_TEXT_CHARS)
            })?;
            if prediction.choices.len() > MAX_CHOICES {
                return Err(text!("lesson-text-step-answers", step = number, max = MAX_CHOICES));
            }
            for choice in &prediction.choices {
                long(choice, MAX_CHOICE_CHARS, &|chars| {
                    text!("lesson-text-answer-long", step = number, chars = chars, max = MAX_CHOICE_CHARS)
                })?;
            }
        }
    }
    Ok(())
}
