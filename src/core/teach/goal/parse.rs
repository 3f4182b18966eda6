//! Reading a goal's text: tokens, then a recursive descent over the grammar in the parent
//! module's documentation, names resolved against the catalogue and [`NAMES`] as they are read.

use std::fmt;

use super::{Condition, GoalError, MAX_DEPTH, NAMES, Op, Operand, Test};
use crate::core::model::catalogue::{NodeKind, ParamKind};
use crate::core::teach::diagnosis::Diagnosis;
use crate::core::teach::facts::Value;

/// The condition `source` writes.
///
/// # Errors
/// What is wrong and where.
pub(super) fn condition(source: &str) -> Result<Condition, GoalError> {
    let tokens = tokens(source)?;
    let mut parser = Parser { source, tokens, next: 0, depth: 0 };
    let condition = parser.any()?;
    if let Some(token) = parser.tokens.get(parser.next) {
        return Err(parser.error_at(token, text!("goal-expected-end", found = token.kind.to_string())));
    }
    Ok(condition)
}

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
            TokenKind::Number(number) => {
                f.write_str(&text!("goal-token-number", number = number.to_string()))
            }
            TokenKind::Text(text) => f.write_str(&text!("goal-token-text", text = text.as_str())),
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
            let number = text.parse::<f64>().ok().filter(|number| number.is_finite()).ok_or_else(|| {
                GoalError { message: text!("goal-not-a-number", text = text), at: at(start) }
            })?;
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
            let end =
                end.ok_or_else(|| GoalError { message: text!("goal-text-not-closed"), at: at(start) })?;
            out.push(Token { kind: TokenKind::Text(source[start + 1..end].to_owned()), start, end: end + 1 });
        } else if let Some(symbol) = SYMBOLS.iter().find(|symbol| source[start..].starts_with(**symbol)) {
            for _ in 0..symbol.len() {
                rest.next();
            }
            out.push(Token { kind: TokenKind::Symbol(symbol), start, end: start + symbol.len() });
        } else {
            return Err(GoalError {
                message: text!("goal-meaningless", character = c.to_string()),
                at: at(start),
            });
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
        let found = self.peek().map_or_else(|| text!("goal-found-end"), ToString::to_string);
        Err(self.error_here(text!("goal-expected-symbol", symbol = symbol, found = found)))
    }

    fn deeper(&mut self) -> Result<(), GoalError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error_here(text!("goal-too-deep", depth = MAX_DEPTH)));
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
                return Err(self.error_at(&self.tokens[first].clone(), text!("goal-size-of-non-number")));
            }
            Test::Compare(left, op, right)
        } else if self.eat_word("in") {
            self.expect_symbol("[")?;
            let low = self.number()?;
            self.expect_symbol(",")?;
            let high = self.number()?;
            self.expect_symbol("]")?;
            if low > high {
                return Err(self.error_here(text!(
                    "goal-empty-range",
                    low = low.to_string(),
                    high = high.to_string()
                )));
            }
            Test::Within(left, low, high)
        } else if left.is_truth() {
            Test::Truth(left)
        } else {
            return Err(self.error_at(&self.tokens[first].clone(), text!("goal-needs-comparison")));
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
            _ => Err(self.error_here(text!("goal-expected-number"))),
        }
    }

    fn operand(&mut self) -> Result<Operand, GoalError> {
        let Some(token) = self.tokens.get(self.next).cloned() else {
            return Err(self.error_here(text!("goal-ends-early")));
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
                                text!(
                                    "goal-unknown-diagnosis",
                                    name = name.join("."),
                                    diagnoses = Diagnosis::NAMES.join(", ")
                                ),
                            )
                        })
                    }
                    _ => Err(self.error_at(&token, text!("goal-unknown-function", word = word))),
                }
            }
            TokenKind::Word(_) => {
                self.next -= 1;
                let name = self.name()?;
                self.resolve(&token, &name)
            }
            TokenKind::Symbol(symbol) => {
                Err(self.error_at(&token, text!("goal-expected-value", symbol = symbol)))
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
                _ => return Err(self.error_here(text!("goal-expected-name"))),
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
                false => Err(self.error_at(token, text!("goal-unknown-parameter", param = param))),
            };
        }
        if NodeKind::from_name(&name[0]).is_some() {
            let (kind, param) = self.param_of(token, name)?;
            return Ok(Operand::Param(kind, param));
        }
        Err(self.error_at(
            token,
            text!(
                "goal-unknown-name",
                name = joined.as_str(),
                names = NAMES.iter().map(|(name, _)| *name).collect::<Vec<_>>().join(", ")
            ),
        ))
    }

    fn param_of(&self, token: &Token, name: &[String]) -> Result<(NodeKind, &'static str), GoalError> {
        let [kind, param] = name else {
            return Err(self.error_at(token, text!("goal-param-not-kind-parameter", text = name.join("."))));
        };
        let kind = NodeKind::from_name(kind)
            .ok_or_else(|| self.error_at(token, text!("goal-param-not-a-kind", kind = kind)))?;
        let spec = kind.spec().param(param).ok_or_else(|| {
            let known: Vec<_> = kind.spec().params.iter().map(|param| param.name).collect();
            self.error_at(
                token,
                text!(
                    "goal-param-missing-known",
                    kind = kind.to_string(),
                    param = param,
                    known = known.join(", ")
                ),
            )
        })?;
        if matches!(spec.kind, ParamKind::Layers) {
            return Err(
                self.error_at(token, text!("goal-param-layers", kind = kind.to_string(), param = param))
            );
        }
        Ok((kind, spec.name))
    }
}

fn is_text(operand: &Operand) -> bool {
    matches!(operand, Operand::Constant(Value::Text(_)))
}
