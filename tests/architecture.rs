//! The crate's layers, as ARCHITECTURE.md states them, checked against its own source: every
//! `crate::…` and `super::…` path in `src/` (tests left out) is read, each module's imports
//! must point down the layers, never up, and no modules anywhere import each other in a cycle.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers, lowest first, each with the layers it may import (ARCHITECTURE.md). A module
/// belongs to the first layer whose path its own starts with; the binaries and the crate's
/// root may import anything.
const LAYERS: &[(&str, &[&str])] = &[
    ("core::text", &[]),
    ("core::model", &["core::text"]),
    ("core::data", &["core::text", "core::model"]),
    ("core::compile", &["core::text", "core::model", "core::data"]),
    ("core::report", &["core::text", "core::model", "core::data", "core::compile"]),
    ("core::teach", &["core::text", "core::model", "core::data", "core::compile", "core::report"]),
    (
        "core::document",
        &["core::text", "core::model", "core::data", "core::compile", "core::report", "core::teach"],
    ),
    (
        "core::protocol",
        &[
            "core::text",
            "core::model",
            "core::data",
            "core::compile",
            "core::report",
            "core::teach",
            "core::document",
        ],
    ),
    (
        "core::engine",
        &[
            "core::text",
            "core::model",
            "core::data",
            "core::compile",
            "core::report",
            "core::teach",
            "core::document",
            "core::protocol",
        ],
    ),
    (
        "core::export",
        &[
            "core::text",
            "core::model",
            "core::data",
            "core::compile",
            "core::report",
            "core::teach",
            "core::document",
            "core::protocol",
            "core::engine",
        ],
    ),
    (
        "editor",
        &[
            "core::text",
            "core::model",
            "core::data",
            "core::compile",
            "core::report",
            "core::teach",
            "core::document",
            "core::protocol",
        ],
    ),
    (
        "web",
        &[
            "core::text",
            "core::model",
            "core::data",
            "core::compile",
            "core::report",
            "core::teach",
            "core::document",
            "core::protocol",
            "core::engine",
            "core::export",
        ],
    ),
    // The page never imports the engine: it talks to it through `core::protocol`, and its
    // WebAssembly is built without it.
    (
        "ui",
        &[
            "core::text",
            "core::model",
            "core::data",
            "core::compile",
            "core::report",
            "core::teach",
            "core::document",
            "core::protocol",
            "editor",
            "web",
        ],
    ),
];

/// A module of the crate: its path (`core::model::graph`) and its source, tests and comments
/// left out.
struct Module {
    path: String,
    code: String,
}

fn modules() -> Vec<Module> {
    let src = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    collect(&src, &mut files);
    files
        .into_iter()
        .filter_map(|file| {
            let relative = file.strip_prefix(&src).ok()?.with_extension("");
            let mut parts: Vec<String> =
                relative.components().map(|part| part.as_os_str().to_string_lossy().into_owned()).collect();
            if parts.first().is_some_and(|first| first == "bin" || first == "lib" || first == "main") {
                return None; // binaries and the crate root may use anything
            }
            if parts.last().is_some_and(|last| last == "mod") {
                parts.pop();
            }
            let text = std::fs::read_to_string(&file).ok()?;
            Some(Module { path: parts.join("::"), code: without_tests_and_comments(&text) })
        })
        .collect()
}

fn collect(dir: &Path, files: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/ reads").flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(&path, files);
        } else if path.extension().is_some_and(|extension| extension == "rs") {
            files.push(path);
        }
    }
}

/// `text` without line comments (doc comments included) and without its `#[cfg(test)]`
/// module, which may import whatever a test needs.
fn without_tests_and_comments(text: &str) -> String {
    let code = match text.find("#[cfg(test)]\nmod tests") {
        Some(at) => &text[..at],
        None => text,
    };
    code.lines()
        .map(|line| match line.find("//") {
            // A `//` inside a string (a URL) is rare in paths; the rest of such a line is dropped too.
            Some(at) => &line[..at],
            None => line,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The modules `module` refers to: each `crate::a::b::…` path and each `super::…` path,
/// resolved to the longest module path that exists.
fn imports(module: &Module, known: &BTreeSet<String>) -> BTreeSet<String> {
    let mut found = BTreeSet::new();
    let code = &module.code;
    let bytes = code.as_bytes();
    let mut at = 0;
    while let Some(offset) = code[at..].find("crate::").map(|o| o + at) {
        let start = offset + "crate::".len();
        let joined =
            offset > 0 && matches!(bytes[offset - 1], b'a'..=b'z' | b'A'..=b'Z' | b'0'..=b'9' | b'_' | b'$');
        if joined {
            at = start;
            continue;
        }
        expand(&code[start..], "", known, &mut found);
        at = start;
    }
    // `super::x` from `a::b::c` (a file) is `a::b::x`.
    let parent: Vec<&str> = module.path.split("::").collect();
    let mut at = 0;
    while let Some(offset) = code[at..].find("super::").map(|o| o + at) {
        let start = offset + "super::".len();
        let preceded = offset > 0 && code[..offset].ends_with("::");
        if !preceded && parent.len() > 1 {
            let base = parent[..parent.len() - 1].join("::");
            expand(&code[start..], &base, known, &mut found);
        }
        at = start;
    }
    found.remove(&module.path);
    found
}

/// Reads a path (`a::b::{c, d::e}`) at the start of `rest` under `base`, adding the longest
/// known module of each branch to `found`.
fn expand(rest: &str, base: &str, known: &BTreeSet<String>, found: &mut BTreeSet<String>) {
    let mut path = base.to_owned();
    let mut best: Option<String> = None;
    let mut chars = rest;
    loop {
        let end = chars.find(|c: char| !(c.is_alphanumeric() || c == '_')).unwrap_or(chars.len());
        let segment = &chars[..end];
        if segment.is_empty() {
            if chars.starts_with('{') {
                let close = matching_brace(chars);
                for branch in split_top(&chars[1..close]) {
                    let before = found.len();
                    expand(branch.trim(), &path, known, found);
                    if found.len() == before
                        && let Some(best) = &best
                    {
                        found.insert(best.clone());
                    }
                }
                return;
            }
            break;
        }
        path = if path.is_empty() { segment.to_owned() } else { format!("{path}::{segment}") };
        if known.contains(&path) {
            best = Some(path.clone());
        }
        chars = &chars[end..];
        if let Some(next) = chars.strip_prefix("::") {
            chars = next;
        } else {
            break;
        }
    }
    if let Some(best) = best {
        found.insert(best);
    }
}

fn matching_brace(text: &str) -> usize {
    let mut depth = 0;
    for (index, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => {
                depth -= 1;
                if depth == 0 {
                    return index;
                }
            }
            _ => {}
        }
    }
    text.len()
}

fn split_top(text: &str) -> Vec<&str> {
    let (mut parts, mut depth, mut start) = (Vec::new(), 0, 0);
    for (index, c) in text.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&text[start..index]);
                start = index + 1;
            }
            _ => {}
        }
    }
    parts.push(&text[start..]);
    parts
}

fn layer_of(path: &str) -> Option<&'static str> {
    LAYERS
        .iter()
        .map(|(layer, _)| *layer)
        .find(|layer| path == *layer || path.starts_with(&format!("{layer}::")))
}

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let modules = modules();
    let mut known: BTreeSet<String> = modules.iter().map(|module| module.path.clone()).collect();
    // Folders' own paths (`core`, `core::model`) count as modules too.
    for module in &modules {
        let parts: Vec<&str> = module.path.split("::").collect();
        for end in 1..parts.len() {
            known.insert(parts[..end].join("::"));
        }
    }
    modules.iter().map(|module| (module.path.clone(), imports(module, &known))).collect()
}

#[test]
fn every_import_points_down_the_layers() {
    let graph = graph();
    let mut wrong = Vec::new();
    for (module, imports) in &graph {
        let Some(layer) = layer_of(module) else { continue };
        let allowed =
            LAYERS.iter().find(|(name, _)| *name == layer).map(|(_, allowed)| *allowed).unwrap_or(&[]);
        for import in imports {
            let Some(target) = layer_of(import) else { continue };
            if target != layer && !allowed.contains(&target) {
                wrong.push(format!("{module} imports {import} ({layer} may not import {target})"));
            }
        }
    }
    assert!(wrong.is_empty(), "imports against the layers (ARCHITECTURE.md):\n{}", wrong.join("\n"));
    assert!(
        graph.contains_key("core::model::graph") && graph.contains_key("core::engine::train"),
        "the modules were read"
    );
}

#[test]
fn no_modules_import_each_other_in_a_cycle() {
    let graph = graph();
    let cycles =
        strongly_connected(&graph).into_iter().filter(|component| component.len() > 1).collect::<Vec<_>>();
    let shown: Vec<String> = cycles.iter().map(|cycle| cycle.join(" → ")).collect();
    assert!(cycles.is_empty(), "modules that import each other in a cycle:\n{}", shown.join("\n"));
}

/// Every long activity is a state machine over a `Run` (or the range test, beside it in the
/// run module): nothing else steps a trainer.
#[test]
fn only_the_run_module_steps_a_trainer() {
    let stepping = [".train_batch(", ".train_batch_checked(", ".finish_epoch("];
    let outside: Vec<String> = modules()
        .into_iter()
        .filter(|module| {
            !module.path.starts_with("core::engine::run") && module.path != "core::engine::train"
        })
        .filter(|module| stepping.iter().any(|call| module.code.contains(call)))
        .map(|module| module.path)
        .collect();
    assert!(outside.is_empty(), "modules outside core::engine::run that step a Trainer: {outside:?}");
}

#[test]
fn the_reader_finds_imports_it_must() {
    let known: BTreeSet<String> =
        ["core::model::graph", "core::model::catalogue", "core::engine::train", "ui::session"]
            .map(String::from)
            .into();
    let module = Module {
        path: "ui::session".into(),
        code: "use crate::core::{model::{graph::Graph, catalogue}, engine::train::Trainer};\nfn f() { super::session::x(); }".into(),
    };
    let found = imports(&module, &known);
    assert_eq!(
        found,
        ["core::model::graph", "core::model::catalogue", "core::engine::train"].map(String::from).into()
    );
    assert_eq!(without_tests_and_comments("a // crate::core::x\n#[cfg(test)]\nmod tests { crate::y }"), "a ");
}

/// Tarjan's strongly connected components of `graph`, each sorted.
fn strongly_connected(graph: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct State<'a> {
        graph: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        next: usize,
        components: Vec<Vec<String>>,
    }
    // Iterative: the module graph is small, but recursion depth should not depend on it.
    fn visit<'a>(state: &mut State<'a>, root: &'a str) {
        let mut work: Vec<(&'a str, Vec<&'a str>)> = Vec::new();
        let start = |state: &mut State<'a>, node: &'a str| -> Vec<&'a str> {
            state.index.insert(node, state.next);
            state.low.insert(node, state.next);
            state.next += 1;
            state.stack.push(node);
            state.on_stack.insert(node);
            state
                .graph
                .get(node)
                .map(|edges| {
                    edges.iter().filter(|e| state.graph.contains_key(*e)).map(String::as_str).rev().collect()
                })
                .unwrap_or_default()
        };
        let edges = start(state, root);
        work.push((root, edges));
        while let Some((node, mut edges)) = work.pop() {
            if let Some(next) = edges.pop() {
                work.push((node, edges));
                if !state.index.contains_key(next) {
                    let next_edges = start(state, next);
                    work.push((next, next_edges));
                } else if state.on_stack.contains(next) {
                    let low = state.low[node].min(state.index[next]);
                    state.low.insert(node, low);
                }
                continue;
            }
            if let Some((parent, _)) = work.last() {
                let low = state.low[*parent].min(state.low[node]);
                state.low.insert(parent, low);
            }
            if state.low[node] == state.index[node] {
                let mut component = Vec::new();
                while let Some(member) = state.stack.pop() {
                    state.on_stack.remove(member);
                    component.push(member.to_owned());
                    if member == node {
                        break;
                    }
                }
                component.sort();
                state.components.push(component);
            }
        }
    }
    let mut state = State {
        graph,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        next: 0,
        components: Vec::new(),
    };
    for node in graph.keys() {
        if !state.index.contains_key(node.as_str()) {
            visit(&mut state, node);
        }
    }
    state.components
}
