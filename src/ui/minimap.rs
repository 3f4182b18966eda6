//! The minimap: the whole graph in miniature with the visible part outlined; a click there
//! centres the view on that point.

use leptos::html::Div;
use leptos::prelude::*;

use super::editor::Editor;
use crate::editor::geometry::{NODE_WIDTH, graph_bounds, node_height};
use crate::editor::viewport::Viewport;
use crate::web::events::client_rect;

const WIDTH: f32 = 150.0;
const HEIGHT: f32 = 90.0;

#[component]
pub fn Minimap(editor: Editor, canvas: NodeRef<Div>) -> impl IntoView {
    let screen = move || canvas.get().map(|element| client_rect(&element)).map(|(_, _, w, h)| (w, h));
    // The world box the minimap shows: the graph and the visible area together.
    let frame = move || {
        let (width, height) = screen().unwrap_or((800.0, 400.0));
        let visible = editor.viewport.get().visible(width, height);
        let bounds = graph_bounds(&editor.graph.read()).unwrap_or(visible);
        let (x0, y0) = (bounds.min.x.min(visible.min.x), bounds.min.y.min(visible.min.y));
        let (x1, y1) = (bounds.max.x.max(visible.max.x), bounds.max.y.max(visible.max.y));
        (x0, y0, (x1 - x0).max(1.0), (y1 - y0).max(1.0), visible)
    };
    let on_click = move |event: web_sys::MouseEvent| {
        event.stop_propagation();
        let (x0, y0, w, h, _) = frame();
        let (x, y) = (event.offset_x() as f32, event.offset_y() as f32);
        // preserveAspectRatio meet: one scale for both axes, the content centred.
        let scale = (WIDTH / w).min(HEIGHT / h);
        let world_x = x0 + (x - (WIDTH - w * scale) / 2.0) / scale;
        let world_y = y0 + (y - (HEIGHT - h * scale) / 2.0) / scale;
        let (width, height) = screen().unwrap_or((800.0, 400.0));
        editor.viewport.update(|view| {
            *view = Viewport {
                offset_x: width / 2.0 - world_x * view.scale,
                offset_y: height / 2.0 - world_y * view.scale,
                scale: view.scale,
            }
        });
    };
    // With the whole graph in view there is nowhere to go: the map hides, so that it covers no
    // node (at Fit, the EpochTracker's parameters in every template); it shows again as soon
    // as part of the graph is out of view.
    let whole_graph_seen = move || {
        let (_, _, _, _, visible) = frame();
        graph_bounds(&editor.graph.read()).is_none_or(|bounds| {
            bounds.min.x >= visible.min.x
                && bounds.min.y >= visible.min.y
                && bounds.max.x <= visible.max.x
                && bounds.max.y <= visible.max.y
        })
    };
    view! {
        <svg class="minimap" class:minimap-hidden=whole_graph_seen data-testid="minimap" data-explain="minimap" width=WIDTH height=HEIGHT aria-label=text!("editor-minimap")
            viewBox=move || { let (x, y, w, h, _) = frame(); format!("{x} {y} {w} {h}") }
            on:click=on_click on:pointerdown=|event| event.stop_propagation()>
            {move || editor.graph.read().nodes().map(|node| view! {
                <rect class="minimap-node" x=node.pos.x y=node.pos.y width=NODE_WIDTH height=node_height(node) />
            }).collect_view()}
            {move || { let (.., visible) = frame(); view! {
                <rect class="minimap-view" x=visible.min.x y=visible.min.y
                    width=visible.max.x - visible.min.x height=visible.max.y - visible.min.y />
            }}}
        </svg>
    }
}
