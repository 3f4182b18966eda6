//! The docs stay true to the tree: every relative link in README.md, ARCHITECTURE.md,
//! CONTRIBUTING.md and docs/*.md leads to a file that exists, every repository path they name
//! in backticks (`src/ui/paced.rs`, `tests/e2e/`, `examples/digits.json`) exists, and every
//! module they name (`engine::view_refresh`, `core::model::catalogue`, `ui::paced`) is a module
//! of the crate. A file moved or renamed without its docs fails here.
#![cfg(not(target_arch = "wasm32"))]

use std::path::{Path, PathBuf};

/// The core's layers: a module path may leave out `core::` before them.
const CORE_LAYERS: &[&str] =
    &["model", "data", "compile", "report", "document", "protocol", "engine", "export"];
/// The crate's top-level modules.
const TOP_MODULES: &[&str] = &["core", "ui", "web", "editor"];

/// The top-level folders whose paths the docs name.
const TREE_ROOTS: &[&str] = &["src/", "tests/", "examples/", "xtask/", "golden/", "docs/", ".ci/"];

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The Markdown files a reader is sent to.
fn documents() -> Vec<PathBuf> {
    let mut documents: Vec<PathBuf> =
        ["README.md", "ARCHITECTURE.md", "CONTRIBUTING.md"].iter().map(|name| root().join(name)).collect();
    let docs = std::fs::read_dir(root().join("docs")).expect("docs/ is readable");
    documents.extend(
        docs.map(|entry| entry.expect("a docs/ entry").path())
            .filter(|path| path.extension().is_some_and(|extension| extension == "md")),
    );
    documents.sort();
    documents
}

/// The targets of `](target)` links that are neither web addresses nor anchors, outside fenced
/// code blocks (an example there is not a link of the docs).
fn relative_links(text: &str) -> Vec<String> {
    outside_fences(text)
        .split("](")
        .skip(1)
        .filter_map(|rest| rest.split(')').next())
        .map(|target| target.split('#').next().unwrap_or_default().trim().to_owned())
        .filter(|target| !target.is_empty() && !target.contains("://") && !target.starts_with("mailto:"))
        .collect()
}

/// Repository paths in backticks: `src/…`, `tests/…` and the other roots, up to the first
/// character that cannot be part of a path (so `src/main.rs:12` and `tests/e2e/ (…)` name
/// `src/main.rs` and `tests/e2e/`).
/// Fenced code blocks are left out: they show other trees too (an exported project's files).
fn tree_paths(text: &str) -> Vec<String> {
    let prose = outside_fences(text);
    prose
        .split('`')
        .skip(1)
        .step_by(2)
        .flat_map(|code| code.split_whitespace())
        .filter(|word| TREE_ROOTS.iter().any(|root| word.starts_with(root)) && !word.contains('*'))
        .map(|word| {
            word.chars()
                .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '/' | '.' | '_' | '-'))
                .collect::<String>()
                .trim_end_matches('.')
                .to_owned()
        })
        .collect()
}

/// `text` without its fenced code blocks (lines from a ``` line to the next).
fn outside_fences(text: &str) -> String {
    let mut fenced = false;
    let mut prose = String::new();
    for line in text.lines() {
        if line.trim_start().starts_with("```") {
            fenced = !fenced;
        } else if !fenced {
            prose.push_str(line);
            prose.push('\n');
        }
    }
    prose
}

/// Module paths in backticks that start at a top-level module or a core layer, e.g.
/// `engine::warm_up::WarmUp` (read up to the first character that cannot be part of a path).
fn module_paths(text: &str) -> Vec<String> {
    outside_fences(text)
        .split('`')
        .skip(1)
        .step_by(2)
        .flat_map(|code| code.split(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':')))
        .map(|word| word.trim_start_matches("crate::").trim_end_matches(':'))
        .filter(|word| {
            let first = word.split("::").next().unwrap_or_default();
            word.contains("::") && (TOP_MODULES.contains(&first) || CORE_LAYERS.contains(&first))
        })
        .map(str::to_owned)
        .collect()
}

/// Whether `path`'s modules are the crate's: every lowercase segment up to the first that is
/// not a module (an item: `Conductor`, `yield_to_next_frame`) names a file or folder, and so
/// does at least the module under the top one or the layer (`ui::paced`, `engine::run`).
fn is_module(path: &str) -> bool {
    let mut segments: Vec<&str> = path.split("::").collect();
    if CORE_LAYERS.contains(&segments[0]) {
        segments.insert(0, "core");
    }
    // The top module and its module (`ui::paced`), or the core, a layer and its module.
    let needed = if segments[0] == "core" && segments.get(1).is_some_and(|layer| CORE_LAYERS.contains(layer))
    {
        3
    } else {
        2
    };
    let mut folder = root().join("src");
    for (at, segment) in segments.iter().enumerate() {
        let (file, dir) = (folder.join(format!("{segment}.rs")), folder.join(segment));
        if !file.exists() && !dir.is_dir() {
            return at >= needed;
        }
        folder = dir;
    }
    true
}

#[test]
fn every_link_and_path_in_the_docs_exists() {
    let mut missing = Vec::new();
    for document in documents() {
        let text = std::fs::read_to_string(&document).expect("a readable document");
        let name = document.strip_prefix(root()).unwrap_or(&document).display().to_string();
        let folder = document.parent().unwrap_or(Path::new("."));
        for link in relative_links(&text) {
            if !folder.join(&link).exists() {
                missing.push(format!("{name}: link to {link}"));
            }
        }
        for path in tree_paths(&text) {
            if !root().join(&path).exists() {
                missing.push(format!("{name}: `{path}`"));
            }
        }
        for path in module_paths(&text) {
            if !is_module(&path) {
                missing.push(format!("{name}: module `{path}`"));
            }
        }
    }
    assert!(missing.is_empty(), "the docs name what is not in the tree:\n{}", missing.join("\n"));
}

#[test]
fn the_checks_find_links_and_paths() {
    let text = "see [the guide](docs/testing.md#fresh) and [burn](https://burn.dev); \
                `src/ui/paced.rs`, `tests/e2e/ (the suite)`, `cargo run --bin x -- examples/digits.json`,\n\
                ```\nsrc/graph.rs `src/elsewhere.rs`\n```\n`tests/e2e/screenshots-*.mjs`";
    assert_eq!(relative_links(text), ["docs/testing.md"]);
    assert_eq!(tree_paths(text), ["src/ui/paced.rs", "tests/e2e/", "examples/digits.json"]);
    let modules = "`engine::warm_up::WarmUp`, `crate::ui::paced`, `web::tick::sleep(ms)`, `tick::sleep`";
    assert_eq!(module_paths(modules), ["engine::warm_up::WarmUp", "ui::paced", "web::tick::sleep"]);
    assert!(module_paths(modules).iter().all(|path| is_module(path)));
    assert!(!is_module("engine::no_such_module") && !is_module("core::no_such_layer::graph"));
}
