//! One wire on the canvas.

use leptos::prelude::*;

use crate::core::compile::shapes::PortShape;

/// Draws a wire along its route (`editor::wire_route`): a curve, or around the nodes.
/// `shape` is what it carries, when known (`data-shape`); a tensor's shape is also written
/// just after the output it leaves, e.g. `[32, 2]`.
#[component]
pub fn WireView(
    /// The wire as `data-wire` names it: `from:port->to:port`.
    label: String,
    /// Where the wire leaves its output, in world units.
    from: (f32, f32),
    /// Its SVG path.
    path: String,
    shape: Option<PortShape>,
) -> impl IntoView {
    let text = match &shape {
        Some(tensor @ PortShape::Tensor(dims)) if !dims.is_empty() => Some(view! {
            <text x=from.0 + 8.0 y=from.1 - 5.0 class="wire-shape">{tensor.to_string()}</text>
        }),
        _ => None,
    };
    let shape = shape.as_ref().map(ToString::to_string);
    view! {
        <g class="wire-group">
            <path class="wire" d=path data-explain=format!("wire:{label}") data-wire=label data-shape=shape />
            {text}
        </g>
    }
}
