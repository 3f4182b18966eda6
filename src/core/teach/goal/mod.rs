//! A lesson step's goal: a condition over the run and the graph, checked live by the page.
//! Written as text in a lesson (`val_loss < 0.1 and epochs_run <= 50`), parsed once when the
//! lesson is read — an unknown name or a malformed condition is refused then, saying where —
//! and checked against [`Facts`] whenever they change. docs/lessons.md documents the language:
//!
//! ```text
//! goal       := any
//! any        := all ("or" all)*
//! all        := unary ("and" unary)*
//! unary      := "not" unary | "(" any ")" | comparison
//! comparison := operand [ ("<" | "<=" | ">" | ">=" | "==" | "!=") operand
//!                       | "in" "[" number "," number "]" ]
//! operand    := number | "text" | true | false | name | call
//! name       := word ("." word)*           e.g. val_loss, run.diverged, SGDOptimizer.momentum
//! call       := param_changed(Kind.param) | uses(Layer) | notice(diagnosis)
//! ```
//!
//! A comparison with a side not measured yet (no epoch run, no validation pass) does not
//! hold; `not` of it does.

mod parse;

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::core::model::catalogue::{NodeKind, ParamKind};
use crate::core::teach::diagnosis::Diagnosis;
use crate::core::teach::facts::{Facts, Value};

/// The longest goal read, in characters.
pub const MAX_GOAL_CHARS: usize = 400;
/// The deepest nesting of `not` and parentheses read.
const MAX_DEPTH: usize = 16;

/// What a name is, in the page's words (`text/en/teach.ftl`).
pub type Meaning = fn() -> String;

/// The names a goal may read, besides `Kind.param` and `sweep.best.param`, each with what it
/// is (what docs/lessons.md lists, and what an unknown name's message offers).
pub const NAMES: [(&str, Meaning); 24] = [
    ("loss", || text!("goal-name-loss")),
    ("accuracy", || text!("goal-name-accuracy")),
    ("train_loss", || text!("goal-name-train-loss")),
    ("train_accuracy", || text!("goal-name-train-accuracy")),
    ("val_loss", || text!("goal-name-val-loss")),
    ("val_accuracy", || text!("goal-name-val-accuracy")),
    ("best_val_loss", || text!("goal-name-best-val-loss")),
    ("loss_gap", || text!("goal-name-loss-gap")),
    ("precision", || text!("goal-name-precision")),
    ("recall", || text!("goal-name-recall")),
    ("f1", || text!("goal-name-f1")),
    ("roc_auc", || text!("goal-name-roc-auc")),
    ("lr", || text!("goal-name-lr")),
    ("epochs_run", || text!("goal-name-epochs-run")),
    ("hidden_units", || text!("goal-name-hidden-units")),
    ("hidden_layers", || text!("goal-name-hidden-layers")),
    ("run.started", || text!("goal-name-run-started")),
    ("run.running", || text!("goal-name-run-running")),
    ("run.finished", || text!("goal-name-run-finished")),
    ("run.diverged", || text!("goal-name-run-diverged")),
    ("range_test.done", || text!("goal-name-range-test-done")),
    ("range_test.suggested", || text!("goal-name-range-test-suggested")),
    ("sweep.finished", || text!("goal-name-sweep-finished")),
    ("sweep.trials", || text!("goal-name-sweep-trials")),
];

/// A parsed goal, kept with the text it was written as (what files and links carry).
#[derive(Clone, Debug, PartialEq)]
pub struct Goal {
    source: String,
    condition: Condition,
}

/// Why a goal's text is not a goal. Reads as a clause after "goal …: ".
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{}", text!("goal-error", message = .message.as_str(), at = *.at))]
pub struct GoalError {
    pub message: String,
    /// 1-based, in characters.
    pub at: usize,
}

#[derive(Clone, Debug, PartialEq)]
enum Condition {
    Any(Vec<Condition>),
    All(Vec<Condition>),
    Not(Box<Condition>),
    /// A comparison, or an operand on its own (which must be true or false), with its text.
    Test {
        test: Test,
        text: String,
    },
}

#[derive(Clone, Debug, PartialEq)]
enum Test {
    Truth(Operand),
    Compare(Operand, Op, Operand),
    Within(Operand, f64, f64),
}

#[derive(Clone, Copy, Debug, PartialEq)]
enum Op {
    Less,
    AtMost,
    Greater,
    AtLeast,
    Equal,
    NotEqual,
}

#[derive(Clone, Debug, PartialEq)]
enum Operand {
    Constant(Value),
    /// One of [`NAMES`].
    Named(&'static str),
    Param(NodeKind, &'static str),
    SweepBest(String),
    ParamChanged(NodeKind, &'static str),
    Uses(String),
    Notice(Diagnosis),
}

/// How a goal stands: whether it holds, and each of its tests with the value it reads now —
/// what the step shows the learner under its goal.
#[derive(Clone, Debug, PartialEq)]
pub struct GoalCheck {
    pub holds: bool,
    pub tests: Vec<TestReading>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct TestReading {
    /// The test as the goal writes it, e.g. `val_loss < 0.1`.
    pub text: String,
    /// What its first operand reads now (`None` before it is measured).
    pub now: Option<Value>,
    pub holds: bool,
}

impl Goal {
    /// # Errors
    /// What is wrong and where: an unknown name, a parameter the catalogue lacks, a malformed
    /// or too long condition.
    pub fn parse(source: &str) -> Result<Self, GoalError> {
        let chars = source.chars().count();
        if chars > MAX_GOAL_CHARS {
            return Err(GoalError {
                message: text!("goal-too-long", chars = chars, max = MAX_GOAL_CHARS),
                at: 1,
            });
        }
        let condition = parse::condition(source)?;
        Ok(Self { source: source.trim().to_owned(), condition })
    }

    /// The goal as written.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Whether the goal holds for `facts`, with each test's reading.
    pub fn check(&self, facts: &Facts) -> GoalCheck {
        let mut tests = Vec::new();
        let holds = self.condition.holds(facts, &mut tests);
        GoalCheck { holds, tests }
    }
}

impl fmt::Display for Goal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.source)
    }
}

impl Serialize for Goal {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.source)
    }
}

impl<'de> Deserialize<'de> for Goal {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let source = String::deserialize(deserializer)?;
        Goal::parse(&source).map_err(|error| {
            serde::de::Error::custom(text!("goal-in-file", goal = source.as_str(), error = error.to_string()))
        })
    }
}

impl Condition {
    fn holds(&self, facts: &Facts, tests: &mut Vec<TestReading>) -> bool {
        match self {
            // Every test is read (no short cut), so the step can show each one.
            Condition::Any(parts) => {
                parts.iter().map(|part| part.holds(facts, tests)).fold(false, |a, b| a | b)
            }
            Condition::All(parts) => {
                parts.iter().map(|part| part.holds(facts, tests)).fold(true, |a, b| a & b)
            }
            Condition::Not(part) => !part.holds(facts, tests),
            Condition::Test { test, text } => {
                let (now, holds) = test.read(facts);
                tests.push(TestReading { text: text.clone(), now, holds });
                holds
            }
        }
    }
}

impl Test {
    fn read(&self, facts: &Facts) -> (Option<Value>, bool) {
        match self {
            Test::Truth(operand) => {
                let now = operand.value(facts);
                let holds = matches!(now, Some(Value::Bool(true)));
                (now, holds)
            }
            Test::Compare(left, op, right) => {
                let now = left.value(facts);
                let holds = match (&now, right.value(facts)) {
                    (Some(a), Some(b)) => op.holds(a, &b),
                    _ => false,
                };
                (now, holds)
            }
            Test::Within(operand, low, high) => {
                let now = operand.value(facts);
                let holds = matches!(now, Some(Value::Number(x)) if (*low..=*high).contains(&x));
                (now, holds)
            }
        }
    }
}

impl Op {
    fn holds(self, a: &Value, b: &Value) -> bool {
        match (a, b) {
            (Value::Number(a), Value::Number(b)) => match self {
                Op::Less => a < b,
                Op::AtMost => a <= b,
                Op::Greater => a > b,
                Op::AtLeast => a >= b,
                Op::Equal => a == b,
                Op::NotEqual => a != b,
            },
            _ => match self {
                Op::Equal => a == b,
                Op::NotEqual => a != b,
                _ => false,
            },
        }
    }
}

impl Operand {
    fn value(&self, facts: &Facts) -> Option<Value> {
        match self {
            Operand::Constant(value) => Some(value.clone()),
            Operand::Named(name) => facts.named(name),
            Operand::Param(kind, param) => facts.param(*kind, param),
            Operand::SweepBest(param) => facts.sweep_best(param),
            Operand::ParamChanged(kind, param) => Some(Value::Bool(facts.param_changed(*kind, param))),
            Operand::Uses(layer) => Some(Value::Bool(facts.uses(layer))),
            Operand::Notice(diagnosis) => Some(Value::Bool(facts.notices.contains(diagnosis))),
        }
    }

    /// Whether the operand is true or false rather than a number or text (known when parsed).
    fn is_truth(&self) -> bool {
        match self {
            Operand::Constant(value) => matches!(value, Value::Bool(_)),
            Operand::Named(name) => {
                name.starts_with("run.") || *name == "range_test.done" || *name == "sweep.finished"
            }
            Operand::Param(kind, param) => {
                kind.spec().param(param).is_some_and(|spec| matches!(spec.kind, ParamKind::Bool))
            }
            Operand::SweepBest(_) => false,
            Operand::ParamChanged(..) | Operand::Uses(_) | Operand::Notice(_) => true,
        }
    }
}
