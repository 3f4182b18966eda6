//! The inspector: the selected node's parameters, each with the control its kind calls for,
//! its help, and why a value was refused. A refused value is never clamped: the graph keeps
//! its old value and the message says what is allowed.

use std::collections::BTreeMap;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::csv_files::CsvFiles;
use super::csv_panel::CsvDatasetPanel;
use super::editor::Editor;
use super::lr_range::{RangeTestPanel, RangeTests};
use crate::core::model::catalogue::param_applies;
use crate::core::model::catalogue::{NodeKind, ParamKind, ParamSpec};
use crate::core::model::layer_text::{layers_text, parse_layers};
use crate::core::model::node_id::NodeId;
use crate::core::model::params::ParamValue;
use crate::core::model::sweep_spec::{self, starting_values, sweepable};

/// The text a control shows for `value`.
fn shown(value: &ParamValue) -> String {
    match value {
        ParamValue::Layers(layers) => layers_text(layers),
        ParamValue::Floats(values) => values.iter().map(f64::to_string).collect::<Vec<_>>().join(", "),
        other => other.to_string(),
    }
}

/// Reads what the user typed into a control for `spec`.
fn parsed(spec: &ParamSpec, text: &str) -> Result<ParamValue, String> {
    let text = text.trim();
    match spec.kind {
        ParamKind::Float { .. } => text
            .parse::<f64>()
            .map(ParamValue::Float)
            .map_err(|_| text!("inspector-not-a-number", text = text)),
        ParamKind::Int { .. } => text
            .parse::<i64>()
            .map(ParamValue::Int)
            .map_err(|_| text!("inspector-not-a-whole-number", text = text)),
        ParamKind::Bool => Ok(ParamValue::Bool(text == "true")),
        ParamKind::Choice(_) => Ok(ParamValue::Text(text.to_owned())),
        ParamKind::FloatList { .. } => text
            .split([',', ' '])
            .filter(|part| !part.is_empty())
            .map(|part| part.parse::<f64>().map_err(|_| text!("inspector-not-a-number", text = part)))
            .collect::<Result<Vec<_>, _>>()
            .map(ParamValue::Floats),
        ParamKind::Layers => parse_layers(text).map(ParamValue::Layers),
        ParamKind::File | ParamKind::Column | ParamKind::Columns => Ok(ParamValue::Text(text.to_owned())),
    }
}

/// The value of the element an input event came from.
fn event_value(event: &web_sys::Event) -> String {
    let Some(target) = event.target() else { return String::new() };
    if let Some(input) = target.dyn_ref::<web_sys::HtmlInputElement>() {
        if input.type_() == "checkbox" {
            return input.checked().to_string();
        }
        return input.value();
    }
    target.dyn_ref::<web_sys::HtmlSelectElement>().map(|select| select.value()).unwrap_or_default()
}

/// A class-weights list: one number per class when the classes are known (`classes`), and a
/// switch between equal weights (the empty list) and weights of your own.
#[component]
fn ClassWeights(
    editor: Editor,
    node: NodeId,
    spec: &'static ParamSpec,
    weights: Vec<f64>,
    classes: usize,
    refusal: RwSignal<Option<String>>,
) -> impl IntoView {
    let own = !weights.is_empty();
    let commit = move |weights: Vec<f64>| {
        refusal.set(editor.set_param(node, spec, ParamValue::Floats(weights)).err());
    };
    let shown = if weights.len() == classes { weights.clone() } else { vec![1.0; classes] };
    let inputs = RwSignal::new(shown);
    view! {
        <div class="class-weights" data-param=spec.name data-classes=classes>
            <label class="toggle">
                <input type="checkbox" data-weights-toggle="" checked=own on:change=move |event| {
                    commit(if event_target_checked(&event) { inputs.get_untracked() } else { Vec::new() })
                } />
                {text!("inspector-weight-per-class")}
            </label>
            {own.then(|| (0..classes).map(|class| view! {
                <label class="class-weight">
                    <span>{text!("inspector-class", class = class)}</span>
                    <input type="number" step="any" min="0" data-class=class
                        value=inputs.get_untracked().get(class).copied().unwrap_or(1.0)
                        on:change=move |event| {
                            match event_target_value(&event).trim().parse::<f64>() {
                                Ok(value) => {
                                    inputs.update(|weights| if let Some(w) = weights.get_mut(class) { *w = value });
                                    commit(inputs.get_untracked());
                                }
                                Err(_) => refusal.set(Some(text!("inspector-not-a-number", text = event_target_value(&event)))),
                            }
                        } />
                </label>
            }).collect_view())}
        </div>
    }
}

/// One parameter's control, help and refusal message.
#[component]
fn ParamControl(
    editor: Editor,
    node: NodeId,
    spec: &'static ParamSpec,
    /// What the parameter sets (`NodeSpec::param_help`).
    help: String,
    value: ParamValue,
    /// Classes of the data the node sees, when known (for class weights).
    classes: Option<usize>,
    /// The values the parameter is swept over, as typed, when it is swept.
    swept: Option<String>,
) -> impl IntoView {
    let refusal = RwSignal::new(None::<String>);
    let commit = move |event: web_sys::Event| {
        let result = parsed(spec, &event_value(&event)).and_then(|value| editor.set_param(node, spec, value));
        refusal.set(result.err());
    };
    let text = shown(&value);
    let id = format!("param-{}-{}", node.0, spec.name);
    let locked = move || editor.is_locked(node, spec.name);
    let control = match &spec.kind {
        ParamKind::Bool => view! {
            <input type="checkbox" id=id.clone() data-param=spec.name disabled=locked checked=value.as_bool().unwrap_or(false) on:change=commit />
        }
        .into_any(),
        ParamKind::Choice(choices) => view! {
            <select id=id.clone() data-param=spec.name disabled=locked on:change=commit>
                {choices.iter().map(|choice| view! {
                    <option value=*choice selected=value.as_text() == Some(*choice)>{*choice}</option>
                }).collect_view()}
            </select>
        }
        .into_any(),
        ParamKind::Float { min, max } => view! {
            <input type="number" step="any" id=id.clone() data-param=spec.name disabled=locked min=*min max=*max value=text on:change=commit />
        }
        .into_any(),
        ParamKind::Int { min, max } => view! {
            <input type="number" step="1" id=id.clone() data-param=spec.name disabled=locked min=*min max=*max value=text on:change=commit />
        }
        .into_any(),
        ParamKind::FloatList { .. } if classes.is_some() => view! {
            <ClassWeights editor node spec weights=value.as_floats().map(<[f64]>::to_vec).unwrap_or_default()
                classes=classes.unwrap_or(0) refusal />
        }
        .into_any(),
        ParamKind::FloatList { .. } | ParamKind::Layers | ParamKind::File | ParamKind::Column | ParamKind::Columns => {
            view! {
                <input type="text" id=id.clone() data-param=spec.name disabled=locked value=text spellcheck="false" on:change=commit />
            }
            .into_any()
        }
    };
    let range = match spec.kind {
        ParamKind::Float { min, max } => {
            Some(text!("inspector-range", min = min.to_string(), max = max.to_string()))
        }
        ParamKind::Int { min, max } => {
            Some(text!("inspector-range", min = min.to_string(), max = max.to_string()))
        }
        _ => None,
    };
    let sweep = sweepable(spec).then(|| {
        let start = starting_values(spec, &value);
        let toggle = move |event: web_sys::Event| {
            let values = event_target_checked(&event).then(|| start.clone());
            refusal.set(editor.set_swept(node, spec.name, values).err());
        };
        let count = swept.as_deref().and_then(|text| sweep_spec::values(spec, text).ok()).map(|values| values.len());
        view! {
            <div class="sweep-param">
                <label class="toggle" title=text!("inspector-sweep-title")>
                    <input type="checkbox" data-sweep=spec.name checked=swept.is_some() on:change=toggle />
                    {text!("inspector-sweep")}
                </label>
                {swept.map(|text| view! {
                    <input type="text" class="sweep-values" data-sweep-values=spec.name value=text spellcheck="false"
                        aria-label=text!("inspector-sweep-values", param = spec.name)
                        placeholder=text!("inspector-sweep-values-placeholder")
                        on:change=move |event| {
                            let text = event_target_value(&event);
                            refusal.set(editor.set_swept(node, spec.name, Some(text)).err());
                        } />
                    <span class="sweep-count">{count.map(|count| text!("inspector-sweep-count", count = count))}</span>
                })}
            </div>
        }
    });
    view! {
        <div class="param" class:param-refused=move || refusal.get().is_some() class:param-locked=locked
            data-explain=format!("param:{}:{}", node.0, spec.name)>
            <label for=id>{spec.name}</label>
            {control}
            {move || (locked() && !editor.read_only.get()).then(|| view! {
                <p class="param-lock" data-param-locked=spec.name>{text!("inspector-locked")}</p>
            })}
            {sweep}
            <p class="param-help">{help}{range.map(|range| format!(" ({range})"))}</p>
            {move || refusal.get().map(|reason| view! {
                <p class="param-refusal" role="alert" data-param-error=spec.name>{text!("inspector-refused", reason = reason)}</p>
            })}
        </div>
    }
}

/// How many classes the predictions reaching `node` score, if the graph lets that be known.
fn classes_seen(graph: &crate::core::model::graph::Graph, node: NodeId) -> Option<usize> {
    let shapes = crate::core::compile::shapes::infer_shapes(graph);
    match shapes.input(graph.input(node, "predictions")?)? {
        crate::core::compile::shapes::PortShape::Tensor(dims) if dims.len() == 2 => dims.get(1).copied(),
        _ => None,
    }
}

/// The inspector for the selection: one node's parameters, or a hint.
#[component]
pub fn Inspector(
    editor: Editor,
    errors: Signal<BTreeMap<NodeId, Vec<String>>>,
    range_tests: RangeTests,
    files: CsvFiles,
) -> impl IntoView {
    let selected = move || {
        let selection = editor.selection.get();
        match selection.len() {
            1 => selection.first().and_then(|id| editor.graph.read().node(*id).cloned()).ok_or(1),
            count => Err(count),
        }
    };
    view! {
        <aside class="inspector" data-testid="inspector" data-explain="inspector" aria-label=text!("inspector-label")>
            {move || match selected() {
                Err(0) => view! { <p class="hint">{text!("inspector-hint")}</p> }.into_any(),
                Err(count) => view! { <p class="hint">{text!("inspector-selected", count = count)}</p> }.into_any(),
                Ok(node) => {
                    let spec = node.kind.spec();
                    let classes = classes_seen(&editor.graph.read_untracked(), node.id);
                    let node_errors = errors.get().get(&node.id).cloned().unwrap_or_default();
                    // Keyed by the node's values, so an undo or a refused edit redraws the controls.
                    view! {
                        <div class="inspector-node" data-inspected-kind=spec.name>
                        <h2>{spec.name} <span class="node-id">{node.id.to_string()}</span></h2>
                        <p class="node-help">{spec.help()}</p>
                        {(!node_errors.is_empty()).then(|| view! {
                            <ul class="node-errors" data-testid="inspector-errors" data-explain="inspector-errors">
                                {node_errors.into_iter().map(|error| view! { <li>{error}</li> }).collect_view()}
                            </ul>
                        })}
                        {spec.params.iter().filter(|param| param_applies(&node, param.name)).map(|param| {
                            // A CSV dataset's file and columns have a panel of their own.
                            if matches!(param.kind, ParamKind::File | ParamKind::Column | ParamKind::Columns) {
                                return if param.kind == ParamKind::File {
                                    view! { <CsvDatasetPanel editor node=node.clone() files /> }.into_any()
                                } else {
                                    ().into_any()
                                };
                            }
                            let value = node.param(param.name).unwrap_or_else(|| param.default.value());
                            let swept = editor.graph.read_untracked().sweep().get(node.id, param.name).map(|swept| swept.values.clone());
                            let help = spec.param_help(param.name);
                            view! { <ParamControl editor node=node.id spec=param help value classes swept /> }.into_any()
                        }).collect_view()}
                        {NodeKind::OPTIMIZERS.contains(&node.kind).then(|| view! {
                            <RangeTestPanel editor tests=range_tests node=node.id />
                        })}
                        </div>
                    }
                    .into_any()
                }
            }}
        </aside>
    }
}
