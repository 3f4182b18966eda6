//! The page's explanations, as written in `text/en/explanations.md`: one entry per key, a
//! title, what it is and why it matters. The file is the one place this text lives, for
//! whoever edits or translates it; it is read once, when first asked.
//!
//! ```text
//! ## train-button — Train
//!
//! What it is: one paragraph.
//!
//! Why it matters: one paragraph (optional).
//! ```

use std::collections::HashMap;
use std::sync::OnceLock;

/// The explanations, English (the only language shipped).
const EXPLANATIONS: &str = include_str!("../../../../text/en/explanations.md");

/// The prefix that marks an entry's second paragraph.
const WHY: &str = "Why it matters:";

/// One entry of the text.
#[derive(Clone, Debug, PartialEq)]
pub struct Entry {
    pub key: String,
    pub title: String,
    pub what: String,
    pub why: Option<String>,
}

/// The entry keyed `key`, if the text has one.
pub fn entry(key: &str) -> Option<&'static Entry> {
    static ENTRIES: OnceLock<HashMap<String, Entry>> = OnceLock::new();
    ENTRIES
        .get_or_init(|| entries(EXPLANATIONS).into_iter().map(|entry| (entry.key.clone(), entry)).collect())
        .get(key)
}

/// Every entry of the shipped text, in its order.
pub fn all() -> Vec<Entry> {
    entries(EXPLANATIONS)
}

/// The entries of `text`: each `## key — title` heading with the paragraphs under it (the
/// first is what it is; one that begins "Why it matters:" is why). Anything before the first
/// heading (the file's own title) is not an entry; an entry without a paragraph is dropped.
pub fn entries(text: &str) -> Vec<Entry> {
    let mut entries = Vec::new();
    let mut heading: Option<(String, String)> = None;
    let mut paragraphs: Vec<String> = Vec::new();
    let mut paragraph = String::new();
    let mut finish = |heading: Option<(String, String)>, paragraphs: &mut Vec<String>| {
        let taken = std::mem::take(paragraphs);
        let Some((key, title)) = heading else { return };
        let (why, what): (Vec<String>, Vec<String>) = taken.into_iter().partition(|p| p.starts_with(WHY));
        if what.is_empty() {
            return;
        }
        let why = why.first().map(|why| why[WHY.len()..].trim().to_owned());
        entries.push(Entry { key, title, what: what.join(" "), why });
    };
    for line in text.lines().map(str::trim) {
        if line.is_empty() || line.starts_with("## ") || line.starts_with("# ") {
            if !paragraph.is_empty() {
                paragraphs.push(std::mem::take(&mut paragraph));
            }
        } else {
            if !paragraph.is_empty() {
                paragraph.push(' ');
            }
            paragraph.push_str(line);
            continue;
        }
        if let Some(heading_text) = line.strip_prefix("## ") {
            finish(heading.take(), &mut paragraphs);
            let (key, title) = heading_text.split_once(" — ").unwrap_or((heading_text, heading_text));
            heading = Some((key.trim().to_owned(), title.trim().to_owned()));
        } else if line.starts_with("# ") {
            finish(heading.take(), &mut paragraphs);
        }
    }
    if !paragraph.is_empty() {
        paragraphs.push(paragraph);
    }
    finish(heading, &mut paragraphs);
    entries
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_is_a_heading_and_its_paragraphs() {
        let text = "# Explanations\n\nIgnored.\n\n## train-button — Train\n\nStarts a run\nfrom scratch.\n\n\
                    Why it matters: you see it learn.\n\n## lr — Learning rate\n\nThe step.\n\n## empty — Nothing\n";
        let entries = entries(text);
        assert_eq!(entries.len(), 2);
        assert_eq!(entries[0].key, "train-button");
        assert_eq!(entries[0].title, "Train");
        assert_eq!(entries[0].what, "Starts a run from scratch.");
        assert_eq!(entries[0].why.as_deref(), Some("you see it learn."));
        assert_eq!(entries[1].why, None);
    }
}
