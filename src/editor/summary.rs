//! What a node shows when the canvas is zoomed out too far to read every parameter: its title,
//! large, and a few short lines saying what it is set to — what defines it (a Dataset's data,
//! a Network's widths) and the parameters set away from their defaults — instead of every
//! parameter at a size nobody can read. Full detail comes back when zoomed in.

use crate::core::model::catalogue::{DatasetParams, param_applies};
use crate::core::model::catalogue::{NodeKind, ParamDefault, ParamKind};
use crate::core::model::choices::DatasetKind;
use crate::core::model::file_ref::FileRef;
use crate::core::model::graph::Node;
use crate::core::model::number_text::short;
use crate::core::model::params::{LayerSpec, ParamValue};

/// At or above this zoom every parameter line is readable (11 px text at 0.75 is about 8 px
/// on screen); below it, nodes show their summary.
pub const FULL_DETAIL_ZOOM: f32 = 0.75;

/// The most summary lines a node shows.
pub const SUMMARY_LINES: usize = 3;

fn value_text(value: &ParamValue) -> String {
    match value {
        ParamValue::Float(number) => short(*number),
        ParamValue::Bool(true) => text!("editor-summary-on"),
        ParamValue::Bool(false) => text!("editor-summary-off"),
        other => other.to_string(),
    }
}

/// The summary lines of `node`; `network_input` is the shape of one sample going into a
/// Network, where known.
pub fn summary(node: &Node, network_input: Option<&[usize]>) -> Vec<String> {
    let mut lines = Vec::new();
    match node.kind {
        NodeKind::Dataset => {
            if let Ok(params) = DatasetParams::read(node) {
                if params.kind == DatasetKind::Csv {
                    lines.push(
                        params.file.as_ref().map_or_else(
                            || text!("editor-summary-no-file"),
                            |file: &FileRef| file.name.clone(),
                        ),
                    );
                    if !params.target.is_empty() {
                        lines.push(format!("→ {}", params.target));
                    }
                } else {
                    lines.push(params.kind.name().to_owned());
                    match params.kind.task() {
                        crate::core::model::choices::Task::Classification => {
                            let classes = params.kind.fixed_classes().unwrap_or(params.classes);
                            lines.push(text!("editor-summary-classes", count = classes));
                        }
                        crate::core::model::choices::Task::Regression => {
                            lines.push(text!("editor-summary-values"))
                        }
                    }
                    let samples =
                        params.kind.max_samples().map_or(params.samples, |max| params.samples.min(max));
                    lines.push(text!("editor-summary-samples", count = samples));
                }
            }
        }
        NodeKind::Network => {
            if let Some(layers) =
                node.param("layers").and_then(|value| value.as_layers().map(<[LayerSpec]>::to_vec))
            {
                let input: usize = network_input.map_or(2, |shape| shape.iter().product());
                let widths: Vec<String> = std::iter::once(input.to_string())
                    .chain(layers.iter().filter_map(|layer| match layer {
                        LayerSpec::Linear { out_features } => Some(out_features.to_string()),
                        _ => None,
                    }))
                    .collect();
                lines.push(widths.join("→"));
                let mut kinds: Vec<&str> = Vec::new();
                for layer in &layers {
                    let name = layer.name();
                    if !matches!(layer, LayerSpec::Linear { .. }) && !kinds.contains(&name) {
                        kinds.push(name);
                    }
                }
                if !kinds.is_empty() {
                    lines.push(kinds.join(" · "));
                }
            }
        }
        _ => {}
    }
    if node.kind != NodeKind::Dataset && node.kind != NodeKind::Network {
        for param in node.kind.spec().params.iter().filter(|param| param_applies(node, param.name)) {
            let Some(value) = node.param(param.name) else { continue };
            let default = param.default.value();
            // The defining setting of a node is shown even at its default.
            let defining = matches!(param.name, "learning_rate" | "total_epochs" | "batch_size");
            if value == default && !defining {
                continue;
            }
            let text = match (&param.kind, &param.default) {
                (ParamKind::FloatList { .. }, _) => {
                    format!("{} ×{}", param.label, value.as_floats().map_or(0, <[f64]>::len))
                }
                (ParamKind::Bool, ParamDefault::Bool(_)) if value.as_bool() == Some(true) => {
                    param.label.to_owned()
                }
                _ => format!("{} {}", param.label, value_text(&value)),
            };
            lines.push(text);
        }
    }
    lines.truncate(SUMMARY_LINES);
    lines
}

/// `title` in at most two lines for a box `chars` characters wide: whole when it fits, else
/// cut where a word starts, nearest the middle (`CrossEntropyLoss` → `Cross`, `EntropyLoss`).
pub fn title_lines(title: &str, chars: usize) -> Vec<String> {
    if title.chars().count() <= chars {
        return vec![title.to_owned()];
    }
    // A word starts at a capital after a small letter (`Cross|Entropy`), or at the last
    // capital of a run before a small letter (`SGD|Optimizer`, `ReduceLR|OnPlateau`).
    let chars: Vec<(usize, char)> = title.char_indices().collect();
    let starts: Vec<usize> = (1..chars.len())
        .filter(|&i| {
            let (previous, c, next) = (chars[i - 1].1, chars[i].1, chars.get(i + 1).map(|&(_, c)| c));
            c.is_uppercase() && (previous.is_lowercase() || next.is_some_and(char::is_lowercase))
        })
        .map(|i| chars[i].0)
        .collect();
    let middle = title.len() / 2;
    match starts.iter().min_by_key(|&&at| at.abs_diff(middle)) {
        Some(&at) => vec![title[..at].to_owned(), title[at..].to_owned()],
        None => vec![title.to_owned()],
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::graph::Pos;
    use crate::core::model::templates::basic_loop;

    #[test]
    fn a_summary_shows_what_defines_a_node_and_what_was_changed() {
        let graph = basic_loop();
        let summary_of = |kind: NodeKind| summary(graph.nodes_of(kind).next().unwrap(), Some(&[2]));
        assert_eq!(summary_of(NodeKind::Dataset), ["spiral", "2 classes", "1000 samples"]);
        assert_eq!(summary_of(NodeKind::Network), ["2→16→16→2", "ReLU"]);
        assert_eq!(summary_of(NodeKind::SgdOptimizer), ["lr 0.03", "momentum 0.9"]);
        assert_eq!(summary_of(NodeKind::EpochTracker), ["epochs 200"]);
        assert_eq!(summary_of(NodeKind::CrossEntropyLoss), Vec::<String>::new(), "all at their defaults");
        let mut other = crate::core::model::graph::Graph::new();
        let linear = other.add_node(NodeKind::LinearLr, Pos { x: 0.0, y: 0.0 });
        assert_eq!(summary(other.node(linear).unwrap(), None), Vec::<String>::new());
    }

    #[test]
    fn long_titles_break_where_a_word_starts() {
        assert_eq!(title_lines("CrossEntropyLoss", 12), ["Cross", "EntropyLoss"]);
        assert_eq!(title_lines("ReduceLROnPlateau", 12), ["ReduceLR", "OnPlateau"]);
        assert_eq!(title_lines("SGDOptimizer", 10), ["SGD", "Optimizer"]);
        assert_eq!(title_lines("Network", 12), ["Network"]);
    }
}
