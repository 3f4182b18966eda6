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

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::core::model::catalogue::{NodeKind, ParamKind};
use crate::core::teach::diagnosis::Diagnosis;
use crate::core::teach::facts::{Facts, Value};

/// The longest goal read, in characters.
pub const MAX_GOAL_CHARS: usize = 400;
/// The deepest nesting of `not` and parentheses read.
const MAX_DEPTH: usize = 16;

/// The names a goal may read, besides `Kind.param` and `sweep.best.param`, with what they are
/// (what docs/lessons.md lists, and what an unknown name's message offers).
pub const NAMES: [(&str, &str); 24] = [
    ("loss", "the last epoch's validation loss, or its training loss without a validation pass"),
    ("accuracy", "the last epoch's validation accuracy, or its training accuracy (0–1)"),
    ("train_loss", "the last epoch's training loss"),
    ("train_accuracy", "the last epoch's training accuracy (0–1)"),
    ("val_loss", "the last epoch's validation loss"),
    ("val_accuracy", "the last epoch's validation accuracy (0–1)"),
    ("best_val_loss", "the lowest validation loss of the run"),
    ("loss_gap", "the last epoch's validation loss minus its training loss"),
    ("precision", "the last epoch's precision (ClassificationMetrics, 0–1)"),
    ("recall", "the last epoch's recall (ClassificationMetrics, 0–1)"),
    ("f1", "the last epoch's F1 score (ClassificationMetrics, 0–1)"),
    ("roc_auc", "the last epoch's ROC-AUC (ClassificationMetrics, 0–1)"),
    ("lr", "the learning rate of the last epoch"),
    ("epochs_run", "the epochs the run has finished"),
    ("hidden_units", "the units of the Network's hidden layers, together"),
    ("hidden_layers", "the Network's hidden linear layers"),
    ("run.started", "a run has started since the step began"),
    ("run.running", "a run is training now"),
    ("run.finished", "the run is over: all its epochs, stopped early, or stopped"),
    ("run.diverged", "the run's loss blew up (it paused on the last good weights)"),
    ("range_test.done", "a learning-rate range test has finished"),
    ("range_test.suggested", "the learning rate the range test suggests"),
    ("sweep.finished", "a sweep has finished"),
    ("sweep.trials", "the trials the sweep has run"),
];

/// A parsed goal, kept with the text it was written as (what files and links carry).
#[derive(Clone, Debug, PartialEq)]
pub struct Goal {
    source: String,
    condition: Condition,
}

/// Why a goal's text is not a goal. Reads as a clause after "goal …: ".
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
#[error("{message} (at character {at})")]
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
                message: format!("it is {chars} characters long; at most {MAX_GOAL_CHARS}"),
                at: 1,
            });
        }
        let tokens = tokens(source)?;
        let mut parser = Parser { source, tokens, next: 0, depth: 0 };
        let condition = parser.any()?;
        if let Some(token) = parser.tokens.get(parser.next) {
            return Err(
                parser.error_at(token, format!("expected `and`, `or` or the end, found {}", token.kind))
            );
        }
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
        Goal::parse(&source).map_err(|error| serde::de::Error::custom(format!("goal `{source}`: {error}")))
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

// --- Reading the text ---

#[derive(Clone, Debug, PartialEq)]
enum TokenKind {
    Word(String),
    Number(f64),
    Text(String),
    Symbol(&'static str),
}

impl fmt::Display for TokenKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TokenKind::Word(word) => write!(f, "`{word}`"),
            TokenKind::Number(number) => write!(f, "the number {number}"),
            TokenKind::Text(text) => write!(f, "the text \"{text}\""),
            TokenKind::Symbol(symbol) => write!(f, "`{symbol}`"),
        }
    }
}

#[derive(Clone, Debug)]
struct Token {
    kind: TokenKind,
    /// Byte offsets in the source.
    start: usize,
    end: usize,
}

const SYMBOLS: [&str; 12] = ["<=", ">=", "==", "!=", "<", ">", "(", ")", "[", "]", ",", "."];

fn tokens(source: &str) -> Result<Vec<Token>, GoalError> {
    let at = |byte: usize| source[..byte].chars().count() + 1;
    let mut out = Vec::new();
    let mut rest = source.char_indices().peekable();
    while let Some(&(start, c)) = rest.peek() {
        if c.is_whitespace() {
            rest.next();
        } else if c.is_ascii_alphabetic() || c == '_' {
            let mut end = start;
            while let Some(&(i, c)) = rest.peek() {
                if !(c.is_ascii_alphanumeric() || c == '_' || c == '-') {
                    break;
                }
                end = i + c.len_utf8();
                rest.next();
            }
            out.push(Token { kind: TokenKind::Word(source[start..end].to_owned()), start, end });
        } else if c.is_ascii_digit()
            || c == '-'
            || (c == '.' && source[start + 1..].starts_with(|d: char| d.is_ascii_digit()))
        {
            let mut end = start + c.len_utf8();
            rest.next();
            while let Some(&(i, c)) = rest.peek() {
                let exponent_sign = (c == '-' || c == '+') && source[..i].ends_with(['e', 'E']);
                if !(c.is_ascii_digit() || c == '.' || c == 'e' || c == 'E' || exponent_sign) {
                    break;
                }
                end = i + 1;
                rest.next();
            }
            let text = &source[start..end];
            let number = text
                .parse::<f64>()
                .ok()
                .filter(|number| number.is_finite())
                .ok_or_else(|| GoalError { message: format!("`{text}` is not a number"), at: at(start) })?;
            out.push(Token { kind: TokenKind::Number(number), start, end });
        } else if c == '"' {
            rest.next();
            let mut end = None;
            for (i, c) in rest.by_ref() {
                if c == '"' {
                    end = Some(i);
                    break;
                }
            }
            let end = end.ok_or_else(|| GoalError {
                message: "a text is not closed with `\"`".to_owned(),
                at: at(start),
            })?;
            out.push(Token { kind: TokenKind::Text(source[start + 1..end].to_owned()), start, end: end + 1 });
        } else if let Some(symbol) = SYMBOLS.iter().find(|symbol| source[start..].starts_with(**symbol)) {
            for _ in 0..symbol.len() {
                rest.next();
            }
            out.push(Token { kind: TokenKind::Symbol(symbol), start, end: start + symbol.len() });
        } else {
            return Err(GoalError { message: format!("`{c}` has no meaning in a goal"), at: at(start) });
        }
    }
    Ok(out)
}

struct Parser<'a> {
    source: &'a str,
    tokens: Vec<Token>,
    next: usize,
    depth: usize,
}

impl Parser<'_> {
    fn error_at(&self, token: &Token, message: String) -> GoalError {
        GoalError { message, at: self.source[..token.start].chars().count() + 1 }
    }

    fn error_here(&self, message: String) -> GoalError {
        match self.tokens.get(self.next) {
            Some(token) => self.error_at(token, message),
            None => GoalError { message, at: self.source.chars().count() + 1 },
        }
    }

    fn peek(&self) -> Option<&TokenKind> {
        self.tokens.get(self.next).map(|token| &token.kind)
    }

    fn eat_word(&mut self, word: &str) -> bool {
        let found = matches!(self.peek(), Some(TokenKind::Word(w)) if w == word);
        self.next += usize::from(found);
        found
    }

    fn eat_symbol(&mut self, symbol: &str) -> bool {
        let found = matches!(self.peek(), Some(TokenKind::Symbol(s)) if *s == symbol);
        self.next += usize::from(found);
        found
    }

    fn expect_symbol(&mut self, symbol: &str) -> Result<(), GoalError> {
        if self.eat_symbol(symbol) {
            return Ok(());
        }
        let found = self.peek().map_or_else(|| "the end".to_owned(), ToString::to_string);
        Err(self.error_here(format!("expected `{symbol}`, found {found}")))
    }

    fn deeper(&mut self) -> Result<(), GoalError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error_here(format!("it nests deeper than {MAX_DEPTH} levels")));
        }
        Ok(())
    }

    fn any(&mut self) -> Result<Condition, GoalError> {
        let mut parts = vec![self.all()?];
        while self.eat_word("or") {
            parts.push(self.all()?);
        }
        Ok(if parts.len() == 1 { parts.remove(0) } else { Condition::Any(parts) })
    }

    fn all(&mut self) -> Result<Condition, GoalError> {
        let mut parts = vec![self.unary()?];
        while self.eat_word("and") {
            parts.push(self.unary()?);
        }
        Ok(if parts.len() == 1 { parts.remove(0) } else { Condition::All(parts) })
    }

    fn unary(&mut self) -> Result<Condition, GoalError> {
        if self.eat_word("not") {
            self.deeper()?;
            let inner = self.unary()?;
            self.depth -= 1;
            return Ok(Condition::Not(Box::new(inner)));
        }
        if self.eat_symbol("(") {
            self.deeper()?;
            let inner = self.any()?;
            self.expect_symbol(")")?;
            self.depth -= 1;
            return Ok(inner);
        }
        self.comparison()
    }

    fn comparison(&mut self) -> Result<Condition, GoalError> {
        let first = self.next;
        let left = self.operand()?;
        let op = match self.peek() {
            Some(TokenKind::Symbol("<")) => Some(Op::Less),
            Some(TokenKind::Symbol("<=")) => Some(Op::AtMost),
            Some(TokenKind::Symbol(">")) => Some(Op::Greater),
            Some(TokenKind::Symbol(">=")) => Some(Op::AtLeast),
            Some(TokenKind::Symbol("==")) => Some(Op::Equal),
            Some(TokenKind::Symbol("!=")) => Some(Op::NotEqual),
            _ => None,
        };
        let test = if let Some(op) = op {
            self.next += 1;
            let right = self.operand()?;
            if matches!(op, Op::Less | Op::AtMost | Op::Greater | Op::AtLeast)
                && (left.is_truth() || right.is_truth() || is_text(&left) || is_text(&right))
            {
                return Err(
                    self.error_at(&self.tokens[first].clone(), "only numbers compare by size".to_owned())
                );
            }
            Test::Compare(left, op, right)
        } else if self.eat_word("in") {
            self.expect_symbol("[")?;
            let low = self.number()?;
            self.expect_symbol(",")?;
            let high = self.number()?;
            self.expect_symbol("]")?;
            if low > high {
                return Err(self.error_here(format!("the range [{low}, {high}] is empty")));
            }
            Test::Within(left, low, high)
        } else if left.is_truth() {
            Test::Truth(left)
        } else {
            return Err(self.error_at(
                &self.tokens[first].clone(),
                "a number or a text needs a comparison (`<`, `<=`, `>`, `>=`, `==`, `!=` or `in [a, b]`)"
                    .to_owned(),
            ));
        };
        let (start, end) = (self.tokens[first].start, self.tokens[self.next - 1].end);
        Ok(Condition::Test { test, text: self.source[start..end].to_owned() })
    }

    fn number(&mut self) -> Result<f64, GoalError> {
        match self.peek() {
            Some(TokenKind::Number(number)) => {
                let number = *number;
                self.next += 1;
                Ok(number)
            }
            _ => Err(self.error_here("expected a number".to_owned())),
        }
    }

    fn operand(&mut self) -> Result<Operand, GoalError> {
        let Some(token) = self.tokens.get(self.next).cloned() else {
            return Err(self.error_here("the goal ends where a value was expected".to_owned()));
        };
        self.next += 1;
        match token.kind.clone() {
            TokenKind::Number(number) => Ok(Operand::Constant(Value::Number(number))),
            TokenKind::Text(text) => Ok(Operand::Constant(Value::Text(text))),
            TokenKind::Word(word) if word == "true" || word == "false" => {
                Ok(Operand::Constant(Value::Bool(word == "true")))
            }
            TokenKind::Word(word) if self.eat_symbol("(") => {
                let argument = self.tokens.get(self.next).cloned();
                let name = self.name()?;
                self.expect_symbol(")")?;
                let argument = argument.unwrap_or(token.clone());
                match word.as_str() {
                    "param_changed" => {
                        let (kind, param) = self.param_of(&argument, &name)?;
                        Ok(Operand::ParamChanged(kind, param))
                    }
                    "uses" => Ok(Operand::Uses(name.join("."))),
                    "notice" => {
                        Diagnosis::from_goal_name(&name.join(".")).map(Operand::Notice).ok_or_else(|| {
                            self.error_at(
                                &argument,
                                format!(
                                    "`{}` is no diagnosis; there are {}",
                                    name.join("."),
                                    Diagnosis::NAMES.join(", ")
                                ),
                            )
                        })
                    }
                    _ => Err(self.error_at(
                        &token,
                        format!("`{word}` is no function; there are param_changed, uses and notice"),
                    )),
                }
            }
            TokenKind::Word(_) => {
                self.next -= 1;
                let name = self.name()?;
                self.resolve(&token, &name)
            }
            TokenKind::Symbol(symbol) => {
                Err(self.error_at(&token, format!("expected a value, found `{symbol}`")))
            }
        }
    }

    /// `word ("." word)*`.
    fn name(&mut self) -> Result<Vec<String>, GoalError> {
        let mut parts = Vec::new();
        loop {
            match self.peek() {
                Some(TokenKind::Word(word)) => {
                    parts.push(word.clone());
                    self.next += 1;
                }
                _ => return Err(self.error_here("expected a name".to_owned())),
            }
            if !self.eat_symbol(".") {
                return Ok(parts);
            }
        }
    }

    fn resolve(&self, token: &Token, name: &[String]) -> Result<Operand, GoalError> {
        let joined = name.join(".");
        if let Some((known, _)) = NAMES.iter().find(|(known, _)| *known == joined) {
            return Ok(Operand::Named(known));
        }
        if let [sweep, best, param] = name
            && sweep == "sweep"
            && best == "best"
        {
            let known = NodeKind::ALL.iter().any(|kind| kind.spec().param(param).is_some());
            return match known {
                true => Ok(Operand::SweepBest(param.clone())),
                false => Err(self.error_at(token, format!("no node has a parameter `{param}`"))),
            };
        }
        if NodeKind::from_name(&name[0]).is_some() {
            let (kind, param) = self.param_of(token, name)?;
            return Ok(Operand::Param(kind, param));
        }
        Err(self.error_at(
            token,
            format!(
                "`{joined}` is not a name goals know: use one of {}, a parameter (`SGDOptimizer.learning_rate`) or `sweep.best.<parameter>`",
                NAMES.iter().map(|(name, _)| *name).collect::<Vec<_>>().join(", ")
            ),
        ))
    }

    fn param_of(&self, token: &Token, name: &[String]) -> Result<(NodeKind, &'static str), GoalError> {
        let [kind, param] = name else {
            return Err(self.error_at(token, format!("`{}` is not `Kind.parameter`", name.join("."))));
        };
        let kind = NodeKind::from_name(kind)
            .ok_or_else(|| self.error_at(token, format!("`{kind}` is not a kind of node")))?;
        let spec = kind.spec().param(param).ok_or_else(|| {
            let known: Vec<_> = kind.spec().params.iter().map(|param| param.name).collect();
            self.error_at(token, format!("{kind} has no parameter `{param}`; it has {}", known.join(", ")))
        })?;
        if matches!(spec.kind, ParamKind::Layers) {
            return Err(self.error_at(
                token,
                format!("{kind}.{param} is a list of layers, not a value; use hidden_units, hidden_layers or uses(ReLU)"),
            ));
        }
        Ok((kind, spec.name))
    }
}

fn is_text(operand: &Operand) -> bool {
    matches!(operand, Operand::Constant(Value::Text(_)))
}
