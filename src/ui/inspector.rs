//! The inspector: the selected node's parameters, each with the control its kind calls for,
//! its help, and why a value was refused. A refused value is never clamped: the graph keeps
//! its old value and the message says what is allowed.

use std::collections::BTreeMap;

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::editor::Editor;
use crate::core::catalogue::{ParamKind, ParamSpec};
use crate::core::graph::NodeId;
use crate::core::params::{ParamValue, layers_text, parse_layers};

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
        ParamKind::Float { .. } => {
            text.parse::<f64>().map(ParamValue::Float).map_err(|_| format!("`{text}` is not a number"))
        }
        ParamKind::Int { .. } => {
            text.parse::<i64>().map(ParamValue::Int).map_err(|_| format!("`{text}` is not a whole number"))
        }
        ParamKind::Bool => Ok(ParamValue::Bool(text == "true")),
        ParamKind::Choice(_) => Ok(ParamValue::Text(text.to_owned())),
        ParamKind::FloatList { .. } => text
            .split([',', ' '])
            .filter(|part| !part.is_empty())
            .map(|part| part.parse::<f64>().map_err(|_| format!("`{part}` is not a number")))
            .collect::<Result<Vec<_>, _>>()
            .map(ParamValue::Floats),
        ParamKind::Layers => parse_layers(text).map(ParamValue::Layers),
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

/// One parameter's control, help and refusal message.
#[component]
fn ParamControl(editor: Editor, node: NodeId, spec: &'static ParamSpec, value: ParamValue) -> impl IntoView {
    let refusal = RwSignal::new(None::<String>);
    let commit = move |event: web_sys::Event| {
        let result =
            parsed(spec, &event_value(&event)).and_then(|value| editor.set_param(node, spec.name, value));
        refusal.set(result.err());
    };
    let text = shown(&value);
    let id = format!("param-{}-{}", node.0, spec.name);
    let control = match &spec.kind {
        ParamKind::Bool => view! {
            <input type="checkbox" id=id.clone() data-param=spec.name checked=value.as_bool().unwrap_or(false) on:change=commit />
        }
        .into_any(),
        ParamKind::Choice(choices) => view! {
            <select id=id.clone() data-param=spec.name on:change=commit>
                {choices.iter().map(|choice| view! {
                    <option value=*choice selected=value.as_text() == Some(*choice)>{*choice}</option>
                }).collect_view()}
            </select>
        }
        .into_any(),
        ParamKind::Float { min, max } => view! {
            <input type="number" step="any" id=id.clone() data-param=spec.name min=*min max=*max value=text on:change=commit />
        }
        .into_any(),
        ParamKind::Int { min, max } => view! {
            <input type="number" step="1" id=id.clone() data-param=spec.name min=*min max=*max value=text on:change=commit />
        }
        .into_any(),
        ParamKind::FloatList { .. } | ParamKind::Layers => view! {
            <input type="text" id=id.clone() data-param=spec.name value=text spellcheck="false" on:change=commit />
        }
        .into_any(),
    };
    let range = match spec.kind {
        ParamKind::Float { min, max } => Some(format!("{min} to {max}")),
        ParamKind::Int { min, max } => Some(format!("{min} to {max}")),
        _ => None,
    };
    view! {
        <div class="param" class:param-refused=move || refusal.get().is_some()>
            <label for=id>{spec.name}</label>
            {control}
            <p class="param-help">{spec.help}{range.map(|range| format!(" ({range})"))}</p>
            {move || refusal.get().map(|reason| view! {
                <p class="param-refusal" role="alert" data-param-error=spec.name>{format!("Refused: {reason}")}</p>
            })}
        </div>
    }
}

/// The inspector for the selection: one node's parameters, or a hint.
#[component]
pub fn Inspector(editor: Editor, errors: Signal<BTreeMap<NodeId, Vec<String>>>) -> impl IntoView {
    let selected = move || {
        let selection = editor.selection.get();
        match selection.len() {
            1 => selection.first().and_then(|id| editor.graph.read().node(*id).cloned()).ok_or(1),
            count => Err(count),
        }
    };
    view! {
        <aside class="inspector" data-testid="inspector" aria-label="Inspector">
            {move || match selected() {
                Err(0) => view! { <p class="hint">"Select a node to see its settings. Double-click the canvas or press Shift+A to add one."</p> }.into_any(),
                Err(count) => view! { <p class="hint">{format!("{count} nodes selected.")}</p> }.into_any(),
                Ok(node) => {
                    let spec = node.kind.spec();
                    let node_errors = errors.get().get(&node.id).cloned().unwrap_or_default();
                    // Keyed by the node's values, so an undo or a refused edit redraws the controls.
                    view! {
                        <h2>{spec.name} <span class="node-id">{node.id.to_string()}</span></h2>
                        <p class="node-help">{spec.help}</p>
                        {(!node_errors.is_empty()).then(|| view! {
                            <ul class="node-errors" data-testid="inspector-errors">
                                {node_errors.into_iter().map(|error| view! { <li>{error}</li> }).collect_view()}
                            </ul>
                        })}
                        {spec.params.iter().map(|param| {
                            let value = node.param(param.name).unwrap_or_else(|| param.default.value());
                            view! { <ParamControl editor node=node.id spec=param value /> }
                        }).collect_view()}
                    }
                    .into_any()
                }
            }}
        </aside>
    }
}
