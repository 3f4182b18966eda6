//! One wire on the canvas.

use leptos::prelude::*;

use super::geometry::{anchor_of, wire_path};
use crate::core::graph::{Graph, Wire};

/// Draws `wire` as a curve between its ports; a wire to a missing port draws nothing.
#[component]
pub fn WireView(wire: Wire, graph: Graph) -> impl IntoView {
    let ends = anchor_of(&graph, &wire.from, false).zip(anchor_of(&graph, &wire.to, true));
    ends.map(|(from, to)| {
        view! {
            <path class="wire" d=wire_path(from, to)
                data-wire=format!("{}->{}", wire.from, wire.to) />
        }
    })
}
