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
            text.split_once('.').ok_or_else(|| format!("`{text}` is not `Kind.parameter`"))?;
        let kind = NodeKind::from_name(kind).ok_or_else(|| format!("`{kind}` is not a kind of node"))?;
        let spec = kind.spec().param(param).ok_or_else(|| format!("{kind} has no parameter `{param}`"))?;
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
    let chars = |text: &str| text.chars().count();
    let long = |what: &str, text: &str, max: usize| match chars(text) > max {
        true => Err(format!("{what} is {} characters long; at most {max}", chars(text))),
        false => Ok(()),
    };
    long("its title", &lesson.title, MAX_TITLE_CHARS)?;
    if lesson.title.trim().is_empty() {
        return Err("it has no title".to_owned());
    }
    long("its summary", &lesson.summary, MAX_TEXT_CHARS)?;
    if lesson.steps.is_empty() || lesson.steps.len() > MAX_STEPS {
        return Err(format!("it has {} steps; a lesson has 1 to {MAX_STEPS}", lesson.steps.len()));
    }
    let bytes: usize = lesson.files.iter().map(|file| file.text.len()).sum();
    if lesson.files.len() > MAX_FILES || bytes > MAX_FILES_BYTES {
        return Err(format!(
            "it brings {} data files of {bytes} bytes; at most {MAX_FILES} of {MAX_FILES_BYTES} together",
            lesson.files.len()
        ));
    }
    for file in &lesson.files {
        long("a data file's name", &file.name, MAX_TITLE_CHARS)?;
        if file.name.trim().is_empty() {
            return Err("it brings a data file without a name".to_owned());
        }
    }
    for (at, step) in lesson.steps.iter().enumerate() {
        let step_name = format!("its step {}", at + 1);
        long(&format!("the text of {step_name}"), &step.text, MAX_TEXT_CHARS)?;
        if step.highlights.len() > MAX_MARKS || step.locks.len() > MAX_MARKS {
            return Err(format!("{step_name} marks more than {MAX_MARKS} highlights or locks"));
        }
        for highlight in &step.highlights {
            if let Highlight::Control(id) | Highlight::View(id) = highlight
                && (id.is_empty()
                    || id.len() > 64
                    || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-'))
            {
                return Err(format!("{step_name} highlights `{id}`, which is not a data-testid"));
            }
        }
        if let Some(prediction) = &step.prediction {
            long(&format!("the question of {step_name}"), &prediction.question, MAX_TEXT_CHARS)?;
            if prediction.choices.len() > MAX_CHOICES {
                return Err(format!("{step_name} offers more than {MAX_CHOICES} answers"));
            }
            for choice in &prediction.choices {
                long(&format!("an answer of {step_name}"), choice, MAX_CHOICE_CHARS)?;
            }
        }
    }
    Ok(())
}
