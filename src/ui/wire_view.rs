//! One wire on the canvas.

use leptos::prelude::*;

use crate::core::shapes::PortShape;
use crate::editor::geometry::wire_path;

/// Draws a wire as a curve between its ports.
/// `shape` is what it carries, when known (`data-shape`); a tensor's shape is also written
/// just after the output it leaves, e.g. `[32, 2]`.
#[component]
pub fn WireView(
    /// The wire as `data-wire` names it: `from:port->to:port`.
    label: String,
    /// Where the wire leaves its output and enters its input, in world units.
    ends: ((f32, f32), (f32, f32)),
    shape: Option<PortShape>,
) -> impl IntoView {
    let (from, to) = ends;
    let text = match &shape {
        Some(tensor @ PortShape::Tensor(dims)) if !dims.is_empty() => Some(view! {
            <text x=from.0 + 8.0 y=from.1 - 5.0 class="wire-shape">{tensor.to_string()}</text>
        }),
        _ => None,
    };
    let shape = shape.as_ref().map(ToString::to_string);
    view! {
        <g class="wire-group">
            <path class="wire" d=wire_path(from, to) data-wire=label data-shape=shape />
            {text}
        </g>
    }
}
