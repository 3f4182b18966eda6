//! The SVG canvas: draws the graph under the viewport's pan and zoom, and hands pointer input
//! to the editor's gestures (`editor::gesture`): where the pointer is, what lies there
//! (`editor::geometry::target_at`) and which keys are held go in; the actions that come back
//! — pan, zoom, select, move, connect, open the add-menu — are applied here.

use std::collections::{BTreeMap, BTreeSet};

use leptos::html::Div;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::editor::{AddMenu, Editor, PointerNote};
use super::node_view::{NodeView, PortShapes};
use super::wire_view::WireView;
use crate::core::compile::shapes::infer_shapes;
use crate::core::model::graph::{PortEnd, Pos};
use crate::core::model::node_id::NodeId;
use crate::editor::geometry::{Target, anchor, graph_bounds, target_at, wire_path};
use crate::editor::gesture::{Action, Gestures, Keys, Scene};
use crate::editor::summary::FULL_DETAIL_ZOOM;
use crate::editor::viewport::{Bounds, Viewport};
use crate::editor::wire_route::Router;
use crate::web::clock::measured;
use crate::web::events::{client_rect, listen_non_passive};

/// Sets the viewport to show the whole graph in the canvas element (the minimap hides then:
/// there is nowhere else to go).
pub fn fit_view(editor: Editor, canvas: &web_sys::Element) {
    let (_, _, width, height) = client_rect(canvas);
    if let Some(bounds) = graph_bounds(&editor.graph.read_untracked()) {
        editor.viewport.set(Viewport::fit(bounds, width, height, 24.0));
    }
}

/// What the canvas draws over the graph while a gesture is under way.
#[derive(Clone, Copy)]
struct Overlays {
    /// The wire being dragged, from its port to the pointer.
    wire: RwSignal<Option<(Pos, Pos)>>,
    /// The selection box being dragged.
    selection_box: RwSignal<Option<Bounds>>,
    /// A pan or pinch is under way: the layer is composited while it lasts.
    moving_view: RwSignal<bool>,
}

/// Applies a gesture's `actions` to the editor; `screen` is where the pointer is (a refusal
/// is shown there).
fn apply(editor: Editor, overlays: Overlays, actions: Vec<Action>, screen: (f32, f32)) {
    let note = |text: String| editor.note.set(Some(PointerNote { text, x: screen.0, y: screen.1 }));
    for action in actions {
        match action {
            Action::Dismiss => {
                editor.note.set(None);
                editor.add_menu.set(None);
            }
            Action::Select(selection) => editor.selection.set(selection),
            Action::SetView(view) => editor.viewport.set(view),
            Action::MoveNodes(positions) => editor.graph.update(|graph| {
                for (id, pos) in positions {
                    graph.move_node(id, pos);
                }
            }),
            Action::MoveDone { before } => editor.record(before),
            Action::WirePreview(wire) => overlays.wire.set(wire),
            Action::SelectionBox(area) => overlays.selection_box.set(area),
            Action::ViewMoving(moving) => overlays.moving_view.set(moving),
            Action::Connect { wire, at } => {
                if let Err(text) = editor.complete(&wire, at) {
                    note(text);
                }
            }
            Action::PickPort(port) => {
                if let Err(text) = editor.pick_port(port) {
                    note(text);
                }
            }
            Action::OfferNodes { wire, screen, world } => {
                if let Some(detached) = wire.detached {
                    editor.edit(|graph| graph.disconnect(detached));
                }
                editor.add_menu.set(Some(AddMenu { x: screen.0, y: screen.1, at: world, wire: Some(wire) }));
            }
        }
    }
}

/// Draws and edits `editor`'s graph; `errors` holds each node's compile errors.
#[component]
pub fn GraphCanvas(
    editor: Editor,
    /// Each node's compile errors.
    errors: Signal<BTreeMap<NodeId, Vec<String>>>,
    /// A line about how a node runs here (e.g. TrainingStep's precision), by node.
    notes: Signal<BTreeMap<NodeId, (String, String)>>,
    /// The canvas element, for sizes and the viewport's fit.
    canvas: NodeRef<Div>,
    /// The last pointer position over the canvas: screen (in the canvas) and world.
    pointer: RwSignal<((f32, f32), Pos)>,
    /// Drawn over the canvas: the minimap and the add-menu.
    children: Children,
) -> impl IntoView {
    let graph = editor.graph;
    let shapes = Memo::new(move |_| infer_shapes(&editor.structure.read()));
    let gestures: StoredValue<Gestures> = StoredValue::new(Gestures::default());
    let overlays = Overlays {
        wire: RwSignal::new(None),
        selection_box: RwSignal::new(None),
        moving_view: RwSignal::new(false),
    };

    let local = move |client_x: f32, client_y: f32| {
        canvas.get_untracked().map_or((client_x, client_y), |element| {
            let (left, top, _, _) = client_rect(&element);
            (client_x - left, client_y - top)
        })
    };
    let world = move |(x, y): (f32, f32)| editor.viewport.get_untracked().to_world(x, y);
    let screen_of =
        move |event: &web_sys::MouseEvent| local(event.client_x() as f32, event.client_y() as f32);
    // Runs `gesture` against the editor as it stands, then applies what it gives.
    let drive = move |screen: (f32, f32), gesture: &dyn Fn(&mut Gestures, &Scene) -> Vec<Action>| {
        let actions = {
            let graph = graph.read_untracked();
            let selection = editor.selection.read_untracked();
            let scene = Scene {
                graph: &graph,
                selection: &selection,
                view: editor.viewport.get_untracked(),
                snap: editor.snap.get_untracked(),
                space_held: editor.space_held.get_untracked(),
            };
            gestures.try_update_value(|gestures| gesture(gestures, &scene)).unwrap_or_default()
        };
        apply(editor, overlays, actions, screen);
    };

    // Fit the graph into view once the canvas has a size, unless the graph came with its view.
    Effect::new(move || {
        if let Some(element) = canvas.get()
            && editor.fit_on_mount.get_value()
        {
            fit_view(editor, &element);
        }
    });
    // The wheel zooms about the pointer; the listener must be able to cancel the page scroll.
    Effect::new(move || {
        let Some(element) = canvas.get() else { return };
        listen_non_passive(&element, "wheel", move |event| {
            let Ok(wheel) = event.dyn_into::<web_sys::WheelEvent>() else { return };
            wheel.prevent_default();
            let (x, y) = local(wheel.client_x() as f32, wheel.client_y() as f32);
            let factor = (-wheel.delta_y() as f32 * 0.0015).exp();
            editor.viewport.update(|view| *view = view.zoom_at(x, y, factor));
        });
    });

    let on_pointer_down = move |event: web_sys::PointerEvent| {
        if event.button() != 0 {
            return;
        }
        let screen = screen_of(&event);
        if let Some(element) = canvas.get_untracked() {
            let _ = element.set_pointer_capture(event.pointer_id());
        }
        let target = target_at(&graph.read_untracked(), world(screen));
        let keys = Keys { shift: event.shift_key(), control: event.ctrl_key() || event.meta_key() };
        drive(screen, &|gestures, scene| gestures.down(event.pointer_id(), screen, target, keys, scene));
        event.prevent_default();
    };
    let on_pointer_move = move |event: web_sys::PointerEvent| {
        let screen = screen_of(&event);
        pointer.set((screen, world(screen)));
        drive(screen, &|gestures, scene| gestures.moved(event.pointer_id(), screen, scene));
    };
    let on_pointer_up = move |event: web_sys::PointerEvent| {
        let screen = screen_of(&event);
        let target = target_at(&graph.read_untracked(), world(screen));
        drive(screen, &|gestures, scene| gestures.up(event.pointer_id(), screen, target, scene));
    };
    let on_double_click = move |event: web_sys::MouseEvent| {
        let screen = screen_of(&event);
        let at = world(screen);
        if target_at(&graph.read_untracked(), at) == Target::Canvas {
            editor.add_menu.set(Some(AddMenu { x: screen.0, y: screen.1, at, wire: None }));
        }
    };
    // Enter on a focused port picks it: the keyboard's way to connect two ports. A refusal
    // is shown by the port.
    let on_port_enter = Callback::new(move |(port, client): (PortEnd, (f32, f32))| {
        if let Err(text) = editor.pick_port(port) {
            let (x, y) = local(client.0, client.1);
            editor.note.set(Some(PointerNote { text, x, y }));
        }
    });
    // Tabbing to a node selects it, so the keyboard alone can inspect and delete nodes.
    let on_node_focus = Callback::new(move |id: NodeId| {
        if !editor.selection.read_untracked().contains(&id) {
            editor.selection.set(BTreeSet::from([id]));
        }
    });
    // The viewport is a CSS transform on the layer holding the SVG, so panning moves an
    // already painted layer instead of repainting every node (see docs/performance.md).
    let transform = move || {
        let view = editor.viewport.get();
        format!("translate({:.2}px, {:.2}px) scale({:.4})", view.offset_x, view.offset_y, view.scale)
    };
    let wire_items = move || {
        measured("kindling:canvas-wires", || {
            let graph = graph.read();
            let shapes = shapes.read();
            let router = Router::new(&graph);
            graph
                .wires()
                .filter_map(|wire| {
                    let from = anchor(&graph, PortEnd::Output(wire.from))?;
                    let path = router.route(wire)?;
                    Some((
                        graph.wire_label(wire),
                        ((from.x, from.y), path),
                        shapes.output(wire.from).cloned(),
                    ))
                })
                .collect::<Vec<_>>()
        })
    };
    // Zoomed out, nodes show their summary; in steps of 0.05, so a zoom gesture redraws
    // their text a few times, not on every frame.
    let zoomed_out = Signal::derive({
        let level = Memo::new(move |_| {
            let scale = editor.viewport.read().scale;
            (scale < FULL_DETAIL_ZOOM).then(|| ((scale * 20.0).round() / 20.0).max(0.05))
        });
        move || level.get()
    });
    let node_items = move || {
        measured("kindling:canvas-nodes", || {
            let errors = errors.get();
            let notes = notes.get();
            let shapes = shapes.read();
            graph
                .read()
                .nodes()
                .map(|node| {
                    let node_shapes = PortShapes::of(node, &shapes);
                    let node_errors = errors.get(&node.id).cloned().unwrap_or_default();
                    (node.clone(), (node_errors, notes.get(&node.id).cloned()), node_shapes)
                })
                .collect::<Vec<_>>()
        })
    };
    view! {
        <div class="canvas-host" node_ref=canvas data-testid="canvas" data-explain="canvas"
            on:pointerdown=on_pointer_down on:pointermove=on_pointer_move on:pointerup=on_pointer_up
            on:pointercancel=on_pointer_up on:dblclick=on_double_click>
            <div class="viewport-layer" data-testid="viewport" data-explain="viewport" class:moving=move || overlays.moving_view.get()
                style:transform=transform>
            <svg class="canvas" class:canvas-zoomed-out=move || zoomed_out.get().is_some() role="application" aria-label=text!("editor-canvas")>
                <g class="viewport">
                    <g class="wires">
                        <For each=wire_items key=|(label, (_, path), shape)| format!("{label}{path}{shape:?}")
                            let((label, (from, path), shape))>
                            <WireView label from path shape />
                        </For>
                    </g>
                    {move || overlays.wire.get().map(|(from, to)| {
                        view! { <path class="wire wire-pending" d=wire_path((from.x, from.y), (to.x, to.y)) /> }
                    })}
                    <g class="nodes">
                        // Keyed by what the node shows, so a change redraws only that node, and
                        // selecting (a class) redraws none: focus stays where the keyboard put it.
                        <For each=node_items key=|(node, errors, shapes)| format!("{node:?}{errors:?}{shapes:?}")
                            let((node, (errors, note), shapes))>
                            {
                                let id = node.id;
                                let selected = Signal::derive(move || editor.selection.read().contains(&id));
                                let armed = Signal::derive(move || {
                                    editor.armed.read().as_ref().map(|wire| wire.end).filter(|end| end.node() == id)
                                });
                                view! { <NodeView node errors note selected shapes armed on_port_enter on_focus=on_node_focus zoomed_out /> }
                            }
                        </For>
                    </g>
                    {move || overlays.selection_box.get().map(|area| {
                        let (x, y) = (area.min.x.min(area.max.x), area.min.y.min(area.max.y));
                        let (w, h) = ((area.max.x - area.min.x).abs(), (area.max.y - area.min.y).abs());
                        view! { <rect class="selection-box" x=x y=y width=w height=h /> }
                    })}
                </g>
            </svg>
            </div>
            {children()}
            {move || editor.note.get().map(|note| view! {
                <div class="pointer-note" role="alert" data-testid="connection-refused" data-explain="connection-refused"
                    style:left=format!("{}px", note.x + 12.0) style:top=format!("{}px", note.y + 12.0)>{note.text}</div>
            })}
        </div>
    }
}
