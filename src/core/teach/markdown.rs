//! The markdown a lesson's text is written in, as far as a lesson needs it: paragraphs,
//! emphasis, strong, inline code, lists, and links to other lessons (`[text](lesson:slug)`).
//! Parsed by pulldown-cmark (CommonMark); everything else — HTML, images, other links — is
//! kept as its plain text or dropped, so text from a link can never become markup: the page
//! draws these blocks as elements, never as HTML.

use pulldown_cmark::{Event, Parser, Tag, TagEnd};

#[derive(Clone, Debug, PartialEq)]
pub enum Block {
    Paragraph(Vec<Run>),
    List { ordered: bool, items: Vec<Vec<Run>> },
}

/// A run of text in one style.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Run {
    pub text: String,
    pub emphasis: bool,
    pub strong: bool,
    pub code: bool,
    /// The lesson it links to, by slug.
    pub lesson: Option<String>,
}

/// The blocks of `text`.
pub fn blocks(text: &str) -> Vec<Block> {
    let mut out = Vec::new();
    let mut runs: Vec<Run> = Vec::new();
    // The open list (nested lists join it) and how deep in lists the text is.
    let mut list: Option<(bool, Vec<Vec<Run>>)> = None;
    let mut depth = 0usize;
    let mut style = Run::default();
    let (mut emphasis, mut strong) = (0usize, 0usize);
    for event in Parser::new(text) {
        match event {
            Event::Start(Tag::List(first)) => {
                flush(&mut runs, &mut list, &mut out);
                depth += 1;
                if list.is_none() {
                    list = Some((first.is_some(), Vec::new()));
                }
            }
            Event::End(TagEnd::List(_)) => {
                flush(&mut runs, &mut list, &mut out);
                depth = depth.saturating_sub(1);
                if depth == 0
                    && let Some((ordered, items)) = list.take()
                {
                    out.push(Block::List { ordered, items });
                }
            }
            Event::Start(Tag::Item) => flush(&mut runs, &mut list, &mut out),
            Event::End(TagEnd::Item | TagEnd::Paragraph | TagEnd::BlockQuote(_) | TagEnd::CodeBlock) => {
                flush(&mut runs, &mut list, &mut out);
            }
            Event::Start(Tag::Emphasis) => emphasis += 1,
            Event::End(TagEnd::Emphasis) => emphasis = emphasis.saturating_sub(1),
            Event::Start(Tag::Strong | Tag::Heading { .. }) => strong += 1,
            Event::End(TagEnd::Strong) => strong = strong.saturating_sub(1),
            Event::End(TagEnd::Heading(_)) => {
                strong = strong.saturating_sub(1);
                flush(&mut runs, &mut list, &mut out);
            }
            Event::Start(Tag::Link { dest_url, .. }) => {
                style.lesson =
                    dest_url.strip_prefix("lesson:").filter(|slug| is_slug(slug)).map(str::to_owned);
            }
            Event::End(TagEnd::Link) => style.lesson = None,
            Event::Text(text) => push(
                &mut runs,
                &text,
                Run { code: false, emphasis: emphasis > 0, strong: strong > 0, ..style.clone() },
            ),
            Event::Code(text) => push(
                &mut runs,
                &text,
                Run { code: true, emphasis: emphasis > 0, strong: strong > 0, ..style.clone() },
            ),
            Event::SoftBreak | Event::HardBreak => {
                push(
                    &mut runs,
                    " ",
                    Run { code: false, emphasis: emphasis > 0, strong: strong > 0, ..style.clone() },
                );
            }
            _ => {}
        }
    }
    flush(&mut runs, &mut list, &mut out);
    if let Some((ordered, items)) = list.take().filter(|(_, items)| !items.is_empty()) {
        out.push(Block::List { ordered, items });
    }
    out
}

/// Adds `text` in `style` (whose own text is empty), to the last run where it has that style.
fn push(runs: &mut Vec<Run>, text: &str, style: Run) {
    if text.is_empty() {
        return;
    }
    match runs.last_mut() {
        Some(last) if Run { text: String::new(), ..last.clone() } == style => last.text.push_str(text),
        _ => runs.push(Run { text: text.to_owned(), ..style }),
    }
}

/// Ends the runs so far: an item of the open list, or a paragraph.
fn flush(runs: &mut Vec<Run>, list: &mut Option<(bool, Vec<Vec<Run>>)>, out: &mut Vec<Block>) {
    if runs.is_empty() {
        return;
    }
    let taken = std::mem::take(runs);
    match list {
        Some((_, items)) => items.push(taken),
        None => out.push(Block::Paragraph(taken)),
    }
}

/// Whether `text` is a lesson's slug: lowercase letters, digits and `-`.
pub fn is_slug(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 64
        && text.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}
