//! The page's words: every label, button, heading, notice and message the page shows, in
//! Fluent files under `text/en/` (one per part of the page), so whoever edits or translates
//! them finds them in one place. Code names a message by its id and passes the numbers and
//! names it needs; the file decides how they read, plurals included:
//!
//! ```text
//! # text/en/run.ftl
//! run-epochs-done = { $count ->
//!     [one] One epoch trained
//!    *[other] { $count } epochs trained
//! }
//! ```
//!
//! ```ignore
//! text!("run-epochs-done", count = epochs)
//! ```
//!
//! English is the only language shipped. The explanations of Explain mode live beside these
//! files (`text/en/explanations.md`, `teach::explain`): paragraphs, not messages.
//! `tests/page_text.rs` checks that every id the code names is in the files with the
//! arguments it uses, that every message is used, and that the page's code holds no words of
//! its own.

use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

/// The files, English, each with its name (for the tests' messages).
pub const FILES: &[(&str, &str)] = &[
    ("page.ftl", include_str!("../../../text/en/page.ftl")),
    ("editor.ftl", include_str!("../../../text/en/editor.ftl")),
    ("run.ftl", include_str!("../../../text/en/run.ftl")),
    ("data.ftl", include_str!("../../../text/en/data.ftl")),
    ("inside.ftl", include_str!("../../../text/en/inside.ftl")),
    ("documents.ftl", include_str!("../../../text/en/documents.ftl")),
    ("lessons.ftl", include_str!("../../../text/en/lessons.ftl")),
    ("sweep.ftl", include_str!("../../../text/en/sweep.ftl")),
    ("teach.ftl", include_str!("../../../text/en/teach.ftl")),
    ("compile.ftl", include_str!("../../../text/en/compile.ftl")),
    ("model.ftl", include_str!("../../../text/en/model.ftl")),
    ("files.ftl", include_str!("../../../text/en/files.ftl")),
    ("catalogue.ftl", include_str!("../../../text/en/catalogue.ftl")),
];

/// A message's arguments, as `text!` gathers them.
pub type Args<'a> = FluentArgs<'a>;

/// One argument's value: text as it is, a number as Fluent writes it (`3`, `0.5`) and selects
/// plurals by.
pub fn value<'a>(value: impl Into<FluentValue<'a>>) -> FluentValue<'a> {
    value.into()
}

/// The message `id` with `args`, as the page shows it. An id the files lack reads as itself
/// (never a panic; `tests/page_text.rs` keeps it from happening).
pub fn text(id: &str, args: Option<&Args>) -> String {
    let bundle = bundle();
    let Some(pattern) = bundle.get_message(id).and_then(|message| message.value()) else {
        return id.to_owned();
    };
    let mut errors = Vec::new();
    bundle.format_pattern(pattern, args, &mut errors).into_owned()
}

/// The message `id`, formatted with its arguments: `text!("id")`, `text!("id", count = n,
/// name = &name)`. Each argument is anything Fluent takes as a value (text or a number).
#[macro_export]
macro_rules! text {
    ($id:literal $(,)?) => {
        $crate::core::text::text($id, None)
    };
    ($id:literal, $($name:ident = $value:expr),+ $(,)?) => {{
        let mut args = $crate::core::text::Args::new();
        $(args.set(stringify!($name), $crate::core::text::value($value));)+
        $crate::core::text::text($id, Some(&args))
    }};
}

/// Every file parsed into one bundle, once. Placeables are not wrapped in Unicode isolation
/// marks: the page's text is left to right, and the marks would end up in copied text.
fn bundle() -> &'static FluentBundle<FluentResource> {
    static BUNDLE: OnceLock<FluentBundle<FluentResource>> = OnceLock::new();
    BUNDLE.get_or_init(|| {
        let english = "en".parse().expect("`en` is a language identifier");
        let mut bundle = FluentBundle::new_concurrent(vec![english]);
        bundle.set_use_isolating(false);
        for (_, source) in FILES {
            // A file with an error keeps the messages it could read (the tests reject one).
            let resource =
                FluentResource::try_new((*source).to_owned()).unwrap_or_else(|(partial, _)| partial);
            // An id defined twice keeps its first definition (the tests reject it too).
            let _ = bundle.add_resource(resource);
        }
        bundle
    })
}

/// One message of the shipped files.
#[derive(Clone, Debug)]
pub struct Message {
    pub file: &'static str,
    pub id: String,
    /// The variables it uses (`$count`), each once.
    pub variables: Vec<String>,
}

/// Every message of the shipped files, or what is wrong with them (a syntax error, an id
/// two files define, a message without a value).
pub fn messages() -> Result<Vec<Message>, String> {
    use fluent_syntax::ast;
    let mut messages: Vec<Message> = Vec::new();
    for (file, source) in FILES {
        let resource = ast_of(file, source)?;
        for entry in resource.body {
            let ast::Entry::Message(message) = entry else { continue };
            let id = message.id.name.to_owned();
            if let Some(other) = messages.iter().find(|known| known.id == id) {
                return Err(format!("{file}: `{id}` is already defined in {}", other.file));
            }
            let Some(pattern) = message.value else {
                return Err(format!("{file}: `{id}` has no value"));
            };
            let mut variables = Vec::new();
            variables_of(&pattern, &mut variables);
            messages.push(Message { file, id, variables });
        }
    }
    Ok(messages)
}

fn ast_of<'s>(file: &str, source: &'s str) -> Result<fluent_syntax::ast::Resource<&'s str>, String> {
    fluent_syntax::parser::parse(source).map_err(|(_, errors)| {
        let first = errors.first().map(|error| error.to_string()).unwrap_or_default();
        format!("{file}: {} syntax error(s), first: {first}", errors.len())
    })
}

/// The variables `pattern` refers to, added to `into` once each.
fn variables_of(pattern: &fluent_syntax::ast::Pattern<&str>, into: &mut Vec<String>) {
    use fluent_syntax::ast::{Expression, InlineExpression, PatternElement};
    fn inline(inline: &InlineExpression<&str>, into: &mut Vec<String>) {
        match inline {
            InlineExpression::VariableReference { id } if !into.iter().any(|known| known == id.name) => {
                into.push(id.name.to_owned())
            }
            InlineExpression::Placeable { expression: inner } => expression(inner, into),
            _ => {}
        }
    }
    fn expression(expression: &Expression<&str>, into: &mut Vec<String>) {
        match expression {
            Expression::Inline(inner) => inline(inner, into),
            Expression::Select { selector, variants } => {
                inline(selector, into);
                for variant in variants {
                    variables_of(&variant.value, into);
                }
            }
        }
    }
    for element in &pattern.elements {
        if let PatternElement::Placeable { expression: placeable } = element {
            expression(placeable, into);
        }
    }
}
