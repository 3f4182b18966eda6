//! The page's words are in one place, `text/en/*.ftl` (`core::text`): every message the code
//! names exists there with the arguments the code passes, every kind, parameter and port of
//! the node catalogue has its words there, every message there is used, and the page's code
//! (`src/ui`, `src/web`, `src/editor`) holds no words of its own.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use kindling::core::model::catalogue::NodeKind;
use kindling::core::text::{self, Message};

/// A `text!` call in the source: the id and the names of its arguments.
#[derive(Debug)]
struct Use {
    file: String,
    line: usize,
    id: String,
    arguments: BTreeSet<String>,
}

/// A string literal of the source, escapes left as written, with its line.
#[derive(Debug)]
struct Literal {
    line: usize,
    /// Whether its line says `// not words: <why>` (a literal that reads as words and is code).
    marked: bool,
    text: String,
    /// What comes just before it, spaces dropped: `>`, `title=`, `(`…
    before: String,
}

fn source_files(under: &str) -> Vec<PathBuf> {
    fn collect(dir: &Path, into: &mut Vec<PathBuf>) {
        for entry in std::fs::read_dir(dir).expect("source folder") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                collect(&path, into);
            } else if path.extension().is_some_and(|extension| extension == "rs") {
                into.push(path);
            }
        }
    }
    let mut files = Vec::new();
    collect(&Path::new(env!("CARGO_MANIFEST_DIR")).join(under), &mut files);
    files.sort();
    files
}

/// `source` without its unit tests (a `#[cfg(test)]` module runs last in a file here).
fn without_tests(source: &str) -> &str {
    source.find("#[cfg(test)]").map_or(source, |at| &source[..at])
}

/// The code of `source` with comments blanked (lines kept), and its string literals.
fn literals(source: &str) -> Vec<Literal> {
    let bytes = source.as_bytes();
    let mut literals = Vec::new();
    let mut code = String::new(); // what came before, comments and literals dropped
    let (mut at, mut line) = (0, 1);
    while at < bytes.len() {
        let rest = &source[at..];
        if rest.starts_with("//") {
            let end = rest.find('\n').unwrap_or(rest.len());
            at += end;
        } else if rest.starts_with("/*") {
            let end = rest.find("*/").map_or(rest.len(), |end| end + 2);
            line += rest[..end].matches('\n').count();
            at += end;
        } else if rest.starts_with("r#\"") || rest.starts_with("r\"") {
            let hashes = rest[1..].chars().take_while(|&c| c == '#').count();
            let open = 1 + hashes + 1;
            let close = format!("\"{}", "#".repeat(hashes));
            let end = rest[open..].find(&close).map_or(rest.len(), |end| open + end + close.len());
            let text = rest[open..end.saturating_sub(close.len()).max(open)].to_owned();
            literals.push(Literal { line, marked: false, text, before: tail(&code) });
            line += rest[..end].matches('\n').count();
            at += end;
        } else if rest.starts_with('\'')
            && (rest[1..].starts_with("\\") || rest[1..].chars().nth(1) == Some('\''))
        {
            // A char literal ('"', '\n'); a lifetime ('a) is left to the code.
            let end = rest[1..]
                .find('\'')
                .map_or(rest.len(), |end| if rest[1..].starts_with("\\'") { 4 } else { end + 2 });
            at += end;
        } else if rest.starts_with('"') || rest.starts_with("b\"") {
            let open = if rest.starts_with('b') { 2 } else { 1 };
            let mut end = open;
            let chars = rest.as_bytes();
            while end < chars.len() && chars[end] != b'"' {
                end += if chars[end] == b'\\' { 2 } else { 1 };
            }
            let text = rest[open..end.min(rest.len())].to_owned();
            literals.push(Literal { line, marked: false, text: text.clone(), before: tail(&code) });
            code.push_str("\"\"");
            line += text.matches('\n').count();
            at += end + 1;
        } else {
            let c = rest.chars().next().expect("a character");
            if c == '\n' {
                line += 1;
            }
            if !c.is_whitespace() {
                code.push(c);
            }
            at += c.len_utf8();
        }
    }
    let lines: Vec<&str> = source.lines().collect();
    for literal in &mut literals {
        literal.marked = lines.get(literal.line - 1).is_some_and(|line| line.contains("// not words:"));
    }
    literals
}

/// The last few characters of the code read so far.
fn tail(code: &str) -> String {
    code.chars().rev().take(24).collect::<Vec<_>>().into_iter().rev().collect()
}

/// Whether a literal is words a person reads: a capitalised word, two words in a row, or a
/// sentence's end; its `{placeholders}` and escapes aside. Class lists, ids, CSS, event and
/// key names, formats and JavaScript are not.
fn is_words(literal: &Literal) -> bool {
    if literal.marked {
        return false;
    }
    let text = literal.text.replace("\\n", " ").replace("\\\"", "");
    let mut plain = String::new();
    let mut depth = 0;
    for c in text.chars() {
        match c {
            '{' => depth += 1,
            '}' => depth = (depth - 1).max(0),
            _ if depth == 0 => plain.push(c),
            _ => {}
        }
    }
    if NOT_WORDS.contains(&plain.as_str()) {
        return false;
    }
    let words: Vec<&str> =
        plain.split(|c: char| !c.is_alphabetic() && c != '\'').filter(|w| w.len() > 1).collect();
    if words.is_empty() {
        return false;
    }
    // An element's text in `view!`: `<button>"Train"</button>`.
    if literal.before.ends_with('>') && !literal.before.ends_with("=>") && !literal.before.ends_with("->") {
        return true;
    }
    // Attributes people read.
    for attribute in ["title=", "placeholder=", "aria-label=", "alt=", "label="] {
        if literal.before.ends_with(attribute) {
            return true;
        }
    }
    // Attributes that are not words, and CSS or JavaScript.
    let code_like =
        ["class=", "style=", "id=", "type=", "href=", "accept=", "name=", "role=", "autocomplete="];
    if code_like.iter().any(|attribute| literal.before.ends_with(attribute))
        || literal.before.contains("data-")
        || plain.contains(';')
        || plain.contains("=>")
        || plain.contains("()")
        || (!plain.contains(' ') && plain.contains([':', '(', '/', '.', '_']))
    {
        return false;
    }
    let capitalised = words.iter().any(|word| {
        let mut chars = word.chars();
        chars.next().is_some_and(char::is_uppercase)
            && chars.clone().count() > 1
            && chars.all(char::is_lowercase)
    });
    let sentence = plain.trim_end().ends_with(['.', '?', '!', '…', ':']) && plain.contains(' ');
    let two_words = plain.split_whitespace().collect::<Vec<_>>().windows(2).any(|pair| {
        pair.iter()
            .all(|word| word.len() > 1 && word.chars().all(|c| c.is_lowercase() || c == '\'' || c == ','))
    });
    capitalised || sentence || two_words
}

/// Literals that look like a word and are code: key names (`KeyboardEvent.key`).
const NOT_WORDS: &[&str] =
    &["Escape", "Enter", "Delete", "Backspace", "Tab", "Home", "End", "Shift", "Control", "Meta", "Alt"];

/// Every `text!(…)` call in `source`.
fn uses(file: &str, source: &str) -> Vec<Use> {
    let mut uses = Vec::new();
    let mut from = 0;
    while let Some(found) = source[from..].find("text!(") {
        let start = from + found + "text!(".len();
        from = start;
        // The call's arguments, split at commas outside brackets.
        let (mut depth, mut end, mut parts, mut part) = (0i32, start, Vec::new(), String::new());
        for (offset, c) in source[start..].char_indices() {
            end = start + offset;
            match c {
                '(' | '[' | '{' => depth += 1,
                ')' | ']' | '}' if depth == 0 => break,
                ')' | ']' | '}' => depth -= 1,
                ',' if depth == 0 => {
                    parts.push(std::mem::take(&mut part));
                    continue;
                }
                _ => {}
            }
            part.push(c);
        }
        parts.push(part);
        let line = source[..start].matches('\n').count() + 1;
        let id = parts[0].trim().trim_matches('"').to_owned();
        if !parts[0].trim().starts_with('"') {
            continue; // the macro's own definition
        }
        let arguments = parts[1..]
            .iter()
            .filter_map(|part| part.split_once('=').map(|(name, _)| name.trim().to_owned()))
            .filter(|name| !name.is_empty())
            .collect();
        uses.push(Use { file: file.to_owned(), line, id, arguments });
        from = end;
    }
    uses
}

fn all_uses() -> Vec<Use> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    source_files("src")
        .into_iter()
        .flat_map(|path| {
            let source = std::fs::read_to_string(&path).expect("source");
            let name = path.strip_prefix(root).expect("under the crate").display().to_string();
            // Comments' lines blanked, lines kept: examples in doc comments are not uses.
            let code: String = without_tests(&source)
                .lines()
                .map(|line| if line.trim_start().starts_with("//") { "\n" } else { line })
                .flat_map(|line| [line, "\n"])
                .collect();
            uses(&name, &code)
        })
        .collect()
}

#[test]
fn the_files_parse_and_each_id_is_defined_once() {
    let messages = text::messages().unwrap_or_else(|problem| panic!("{problem}"));
    assert!(messages.len() > 100, "the page's messages: {}", messages.len());
}

/// Every message of `text/en/`, by its id.
fn messages_by_id() -> BTreeMap<String, Message> {
    text::messages()
        .expect("the files parse")
        .into_iter()
        .map(|message| (message.id.clone(), message))
        .collect()
}

#[test]
fn every_message_the_code_names_exists_with_the_arguments_it_passes() {
    let messages = messages_by_id();
    let uses = all_uses();
    assert!(uses.len() > 100, "text! calls found: {}", uses.len());
    let mut problems = Vec::new();
    for used in &uses {
        let Some(message) = messages.get(&used.id) else {
            problems.push(format!("{}:{}: `{}` is in no file of text/en/", used.file, used.line, used.id));
            continue;
        };
        let wanted: BTreeSet<String> = message.variables.iter().cloned().collect();
        if wanted != used.arguments {
            problems.push(format!(
                "{}:{}: `{}` ({}) takes {wanted:?}, the code passes {:?}",
                used.file, used.line, used.id, message.file, used.arguments
            ));
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// The ids of the catalogue's words (`text/en/catalogue.ftl`), which the catalogue builds from
/// its names rather than naming with `text!`.
fn catalogue_ids() -> BTreeSet<String> {
    NodeKind::ALL.iter().flat_map(|kind| kind.spec().text_ids()).collect()
}

#[test]
fn every_kind_parameter_and_port_of_the_catalogue_has_its_words() {
    let messages = messages_by_id();
    let mut problems = Vec::new();
    let mut count = 0;
    for kind in NodeKind::ALL {
        let spec = kind.spec();
        let ids = spec.text_ids();
        // Its help, each parameter's and port's, and what feeds each required input.
        let required = spec.inputs.iter().filter(|port| port.required).count();
        assert_eq!(
            ids.len(),
            1 + spec.params.len() + spec.inputs.len() + spec.outputs.len() + required,
            "{kind}'s ids: {ids:?}"
        );
        for id in ids {
            count += 1;
            let Some(message) = messages.get(&id) else {
                problems.push(format!("{kind}: `{id}` is in no file of text/en/ (catalogue.ftl)"));
                continue;
            };
            let words = text::text(&id, None);
            if message.file != "catalogue.ftl" {
                problems.push(format!("{kind}: `{id}` is in {}, not catalogue.ftl", message.file));
            } else if !message.variables.is_empty() {
                problems
                    .push(format!("{kind}: `{id}` takes {:?}; the catalogue passes none", message.variables));
            } else if words.trim().is_empty() {
                problems.push(format!("{kind}: `{id}` is empty"));
            } else if words.contains(['{', '}']) {
                // A term that is not defined reads as `{-term}`.
                problems.push(format!("{kind}: `{id}` reads “{words}”"));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    assert!(count > 150, "the catalogue's messages: {count}");
    // The methods read them, shared terms included.
    let cross_entropy = NodeKind::CrossEntropyLoss.spec();
    assert_eq!(
        cross_entropy.help(),
        "Classification loss: log-softmax of the logits, then the negative log-likelihood."
    );
    assert_eq!(
        cross_entropy.param_help("label_smoothing"),
        "Share of each target spread evenly over all classes"
    );
    assert_eq!(NodeKind::MseLoss.spec().param_help("reduction"), cross_entropy.param_help("reduction"));
    assert_eq!(NodeKind::L1Loss.spec().input_help("targets"), "The true values, [batch, 1]");
    assert_eq!(cross_entropy.output_help("accuracy"), "Share of the batch classified correctly (top 1)");
    assert_eq!(cross_entropy.fed_by("predictions"), "a Network's `predictions` output");
}

#[test]
fn every_message_is_used() {
    let catalogue = catalogue_ids();
    let used: BTreeSet<String> = all_uses().into_iter().map(|used| used.id).chain(catalogue).collect();
    let (stale, unused): (Vec<Message>, Vec<Message>) = text::messages()
        .expect("the files parse")
        .into_iter()
        .filter(|message| !used.contains(&message.id))
        .partition(|message| message.id.starts_with("kind-"));
    let listed = |messages: Vec<Message>| {
        messages.into_iter().map(|message| format!("{}: {}", message.file, message.id)).collect::<Vec<_>>()
    };
    assert!(
        stale.is_empty(),
        "`kind-…` messages that match no kind, parameter or port of the catalogue (renamed or removed?):\n{}",
        listed(stale).join("\n")
    );
    assert!(unused.is_empty(), "messages no code uses:\n{}", listed(unused).join("\n"));
}

#[test]
fn the_page_code_holds_no_words_of_its_own() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut found = Vec::new();
    for path in ["src/ui", "src/web", "src/editor"].into_iter().flat_map(source_files) {
        let source = std::fs::read_to_string(&path).expect("source");
        for literal in literals(without_tests(&source)).iter().filter(|literal| is_words(literal)) {
            let name = path.strip_prefix(root).expect("under the crate").display();
            found.push(format!("{name}:{}: \"{}\"", literal.line, literal.text));
        }
    }
    assert!(
        found.is_empty(),
        "{} literals read as words; move them to text/en/ and name them with text!:\n{}",
        found.len(),
        found.join("\n")
    );
}

#[test]
fn the_scanner_tells_words_from_code() {
    // The scanner itself: what it must catch and must leave.
    let caught = |source: &str| literals(source).iter().filter(|literal| is_words(literal)).count();
    assert_eq!(caught(r#"view! { <button title="Fit the graph">"Train"</button> }"#), 2);
    assert_eq!(caught(r#"notify(format!("Saved {name}.")); // "a comment""#), 1);
    assert_eq!(caught(r#"view! { <div class="node selected" data-testid="train-button">{x}</div> }"#), 0);
    assert_eq!(caught(r#"let css = "div { display: none; }"; let key = "Escape";"#), 0);
    assert_eq!(
        caught(
            r#"match status { Status::Idle => "idle", _ => "Kindling" } // not words: a data-status value"#
        ),
        0
    );
    assert_eq!(caught(r#"match status { Status::Idle => "Idle", _ => "Done" }"#), 2);
    assert_eq!(uses("f", r#"text!("run-done", count = n.max(1), name = &name)"#)[0].arguments.len(), 2);
}

#[test]
fn a_message_reads_with_its_arguments_and_plurals() {
    assert_eq!(kindling::text!("app-name"), "Kindling");
    assert_eq!(
        kindling::text!("sweep-plan", trials = 1, params = "learning_rate"),
        "1 trial over learning_rate"
    );
    assert_eq!(kindling::text!("sweep-plan", trials = 12, params = "lr × seed"), "12 trials over lr × seed");
    // An id the files lack reads as itself, never a panic.
    assert_eq!(text::text("no-such-message", None), "no-such-message");
}
