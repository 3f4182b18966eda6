//! What a lesson's step points at, outlined and pulsing wherever it is drawn — a node of a
//! kind on the canvas, a parameter in the inspector while that node is selected, a control or
//! a view by its `data-testid` — as style rules, so an element drawn later (the inspector
//! opened, a panel shown) is outlined too.

use crate::core::teach::lesson::Highlight;
use crate::web::page_rules;

const RULES: &str = "lesson-highlights";

/// Outlines `highlights` (a parameter's node too, so the learner finds it on the canvas).
pub fn show(highlights: &[Highlight]) {
    let mut nodes = Vec::new();
    let mut elements = Vec::new();
    for highlight in highlights {
        match highlight {
            Highlight::Node(kind) => nodes.push(format!(".node[data-node-kind=\"{kind}\"] .node-body")),
            Highlight::Param(param) => {
                nodes.push(format!(".node[data-node-kind=\"{}\"] .node-body", param.kind));
                elements.push(format!(
                    ".inspector-node[data-inspected-kind=\"{}\"] [data-param=\"{}\"]",
                    param.kind, param.param
                ));
            }
            // Checked when the lesson was read: letters, digits and `-`.
            Highlight::Control(id) | Highlight::View(id) => elements.push(format!("[data-testid=\"{id}\"]")),
        }
    }
    let mut css = String::new();
    if !nodes.is_empty() {
        css.push_str(&format!("{} {{ stroke: var(--highlight); stroke-width: 4; animation: lesson-pulse 1.6s ease-in-out infinite; }}\n", nodes.join(", ")));
    }
    if !elements.is_empty() {
        css.push_str(&format!(
            "{} {{ outline: 3px solid var(--highlight); outline-offset: 2px; animation: lesson-pulse 1.6s ease-in-out infinite; }}\n",
            elements.join(", ")
        ));
    }
    page_rules::set(RULES, &css);
}

/// No highlight.
pub fn clear() {
    page_rules::set(RULES, "");
}
