//! The SVG canvas: draws the graph under the viewport's pan and zoom, and turns pointer input
//! into edits — pan (drag empty canvas, or Space+drag anywhere), zoom (wheel or pinch, about the pointer), select
//! (click, Shift/Ctrl-click, Shift-drag a box), move (drag nodes), connect (drag port to
//! port), detach (drag a connected input away), add (double-click, or drop a wire on empty
//! canvas).

use std::collections::{BTreeMap, BTreeSet, HashMap};

use leptos::html::Div;
use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::editor::{AddMenu, Editor, PendingWire, PointerNote};
use super::geometry::{NODE_WIDTH, anchor_of, node_height, wire_path};
use super::node_view::{NodeView, PortShapes};
use super::wire_view::WireView;
use crate::core::graph::{Graph, NodeId, PortRef, Pos};
use crate::core::shapes::infer_shapes;
use crate::editor::selection::{in_box, move_selection};
use crate::editor::viewport::{Bounds, Viewport};
use crate::web::events::{attribute_at, attribute_under, client_rect, listen_non_passive};

/// What a pointer drag is doing.
#[derive(Clone)]
enum Drag {
    Pan {
        last: (f32, f32),
    },
    Move {
        start: (f32, f32),
        before: Graph,
        moved: bool,
    },
    Wire(PendingWire),
    Box {
        start: Pos,
    },
    /// Two pointers: zoom by the change of their distance, about their midpoint.
    Pinch {
        distance: f32,
    },
}

/// The world box of every node, or `None` for an empty graph.
pub fn graph_bounds(graph: &Graph) -> Option<Bounds> {
    graph.nodes().iter().fold(None, |bounds, node| {
        let (x1, y1) = (node.pos.x + NODE_WIDTH, node.pos.y + node_height(node));
        Some(match bounds {
            None => Bounds { min: node.pos, max: Pos { x: x1, y: y1 } },
            Some(Bounds { min, max }) => Bounds {
                min: Pos { x: min.x.min(node.pos.x), y: min.y.min(node.pos.y) },
                max: Pos { x: max.x.max(x1), y: max.y.max(y1) },
            },
        })
    })
}

/// Sets the viewport to show the whole graph in the canvas element.
pub fn fit_view(editor: Editor, canvas: &web_sys::Element) {
    let (_, _, width, height) = client_rect(canvas);
    if let Some(bounds) = graph_bounds(&editor.graph.read_untracked()) {
        editor.viewport.set(Viewport::fit(bounds, width, height, 24.0));
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
    let shapes = Memo::new(move |_| infer_shapes(&graph.read()));
    let drag: StoredValue<Option<Drag>> = StoredValue::new(None);
    let pointers: StoredValue<HashMap<i32, (f32, f32)>> = StoredValue::new(HashMap::new());
    let pending = RwSignal::new(None::<(Pos, Pos)>);
    let selection_box = RwSignal::new(None::<Bounds>);
    // A pan or pinch is under way: the layer is composited while it lasts.
    let moving_view = RwSignal::new(false);

    let local = move |client_x: f32, client_y: f32| {
        canvas.get_untracked().map_or((client_x, client_y), |element| {
            let (left, top, _, _) = client_rect(&element);
            (client_x - left, client_y - top)
        })
    };
    let world = move |(x, y): (f32, f32)| editor.viewport.get_untracked().to_world(x, y);

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
        let screen = local(event.client_x() as f32, event.client_y() as f32);
        pointers.update_value(|pointers| {
            pointers.insert(event.pointer_id(), screen);
        });
        if let Some(element) = canvas.get_untracked() {
            let _ = element.set_pointer_capture(event.pointer_id());
        }
        editor.note.set(None);
        editor.add_menu.set(None);
        if let Some(distance) = pinch_distance(&pointers.get_value()) {
            drag.set_value(Some(Drag::Pinch { distance }));
            moving_view.set(true);
            return;
        }
        let target = event.target();
        let port = attribute_at(target.clone(), "data-port").and_then(|port| parse_port(&port));
        let direction = attribute_at(target.clone(), "data-port-dir");
        let node = attribute_at(target, "data-node-id").and_then(|id| id.parse().ok()).map(NodeId);
        let additive = event.shift_key() || event.ctrl_key() || event.meta_key();
        let started = match (port, node) {
            _ if editor.space_held.get_untracked() => Some(Drag::Pan { last: screen }),
            (Some(port), _) => start_wire(editor, port, direction.as_deref() == Some("out")).map(Drag::Wire),
            (None, Some(node)) => {
                editor.selection.update(|selection| {
                    if additive {
                        if !selection.remove(&node) {
                            selection.insert(node);
                        }
                    } else if !selection.contains(&node) {
                        *selection = BTreeSet::from([node]);
                    }
                });
                Some(Drag::Move { start: screen, before: graph.get_untracked(), moved: false })
            }
            (None, None) if event.shift_key() => Some(Drag::Box { start: world(screen) }),
            (None, None) => {
                if !additive {
                    editor.selection.set(BTreeSet::new());
                }
                Some(Drag::Pan { last: screen })
            }
        };
        if let Some(Drag::Wire(wire)) = &started {
            let start = anchor_pos(&graph.read_untracked(), &wire.port, !wire.from_output);
            pending.set(start.map(|start| (start, world(screen))));
        }
        moving_view.set(matches!(started, Some(Drag::Pan { .. } | Drag::Pinch { .. })));
        drag.set_value(started);
        event.prevent_default();
    };

    let on_pointer_move = move |event: web_sys::PointerEvent| {
        let screen = local(event.client_x() as f32, event.client_y() as f32);
        pointer.set((screen, world(screen)));
        pointers.update_value(|pointers| {
            if let Some(position) = pointers.get_mut(&event.pointer_id()) {
                *position = screen;
            }
        });
        let Some(current) = drag.get_value() else { return };
        match current {
            Drag::Pan { last } => {
                editor.viewport.update(|view| *view = view.pan(screen.0 - last.0, screen.1 - last.1));
                drag.set_value(Some(Drag::Pan { last: screen }));
            }
            Drag::Move { start, before, moved } => {
                let scale = editor.viewport.get_untracked().scale;
                let (dx, dy) = ((screen.0 - start.0) / scale, (screen.1 - start.1) / scale);
                if !moved && dx.abs() + dy.abs() < 2.0 {
                    return;
                }
                let selection = editor.selection.get_untracked();
                let snap = editor.snap.get_untracked();
                graph.update(|graph| move_selection(graph, &before, &selection, dx, dy, snap));
                drag.set_value(Some(Drag::Move { start, before, moved: true }));
            }
            Drag::Wire(_) => pending.update(|pending| {
                if let Some((_, end)) = pending {
                    *end = world(screen);
                }
            }),
            Drag::Box { start } => selection_box.set(Some(Bounds { min: start, max: world(screen) })),
            Drag::Pinch { distance } => {
                let positions = pointers.get_value();
                if let Some(now) = pinch_distance(&positions) {
                    let (x, y) =
                        positions.values().fold((0.0, 0.0), |(x, y), p| (x + p.0 / 2.0, y + p.1 / 2.0));
                    editor.viewport.update(|view| *view = view.zoom_at(x, y, now / distance.max(1.0)));
                    drag.set_value(Some(Drag::Pinch { distance: now }));
                }
            }
        }
    };

    let on_pointer_up = move |event: web_sys::PointerEvent| {
        pointers.update_value(|pointers| {
            pointers.remove(&event.pointer_id());
        });
        let Some(finished) = drag.get_value() else { return };
        drag.set_value(None);
        moving_view.set(false);
        pending.set(None);
        let screen = local(event.client_x() as f32, event.client_y() as f32);
        match finished {
            Drag::Move { before, moved: true, .. } => editor.record(before),
            Drag::Wire(wire) => {
                let (client_x, client_y) = (event.client_x() as f32, event.client_y() as f32);
                let target =
                    attribute_under(client_x, client_y, "data-port").and_then(|port| parse_port(&port));
                let target_is_output =
                    attribute_under(client_x, client_y, "data-port-dir").as_deref() == Some("out");
                let started_at = wire.detached.as_ref().unwrap_or(&wire.port);
                let result = match target {
                    // Released where it started: a click, which picks the port.
                    Some(target) if &target == started_at => editor.pick_port(target, target_is_output),
                    Some(target) => editor.complete(&wire, target, target_is_output),
                    None if attribute_under(client_x, client_y, "data-node-id").is_none() => {
                        if let Some(detached) = &wire.detached {
                            editor.edit(|graph| graph.disconnect(detached));
                        }
                        let at = world(screen);
                        editor.add_menu.set(Some(AddMenu { x: screen.0, y: screen.1, at, wire: Some(wire) }));
                        Ok(())
                    }
                    None => Ok(()),
                };
                if let Err(text) = result {
                    editor.note.set(Some(PointerNote { text, x: screen.0, y: screen.1 }));
                }
            }
            Drag::Box { start } => {
                let area = Bounds { min: start, max: world(screen) };
                let graph = graph.read_untracked();
                let picked = in_box(&graph, area, |id| (NODE_WIDTH, graph.node(id).map_or(0.0, node_height)));
                editor.selection.update(|selection| selection.extend(picked));
                selection_box.set(None);
            }
            _ => {}
        }
    };

    let on_double_click = move |event: web_sys::MouseEvent| {
        if attribute_at(event.target(), "data-node-id").is_some() {
            return;
        }
        let screen = local(event.client_x() as f32, event.client_y() as f32);
        editor.add_menu.set(Some(AddMenu { x: screen.0, y: screen.1, at: world(screen), wire: None }));
    };

    // Enter on a focused port picks it: the keyboard's way to connect two ports.
    let on_key = move |event: web_sys::KeyboardEvent| {
        if event.key() != "Enter" {
            return;
        }
        let Some(port) = attribute_at(event.target(), "data-port").and_then(|port| parse_port(&port)) else {
            return;
        };
        let is_output = attribute_at(event.target(), "data-port-dir").as_deref() == Some("out");
        event.prevent_default();
        if let Err(text) = editor.pick_port(port, is_output) {
            let element = event.target().and_then(|target| target.dyn_into::<web_sys::Element>().ok());
            let (x, y, _, _) = element.as_ref().map_or((0.0, 0.0, 0.0, 0.0), client_rect);
            let (x, y) = local(x, y);
            editor.note.set(Some(PointerNote { text, x, y }));
        }
    };
    // Tabbing to a node selects it, so the keyboard alone can inspect and delete nodes.
    let on_focus = move |event: web_sys::FocusEvent| {
        if let Some(id) = attribute_at(event.target(), "data-node-id").and_then(|id| id.parse().ok())
            && !editor.selection.get_untracked().contains(&NodeId(id))
        {
            editor.selection.set(BTreeSet::from([NodeId(id)]));
        }
    };
    // The viewport is a CSS transform on the layer holding the SVG, so panning moves an
    // already painted layer instead of repainting every node (see README, performance).
    let transform = move || {
        let view = editor.viewport.get();
        format!("translate({:.2}px, {:.2}px) scale({:.4})", view.offset_x, view.offset_y, view.scale)
    };
    let wire_items = move || {
        let graph = graph.read();
        let shapes = shapes.read();
        graph
            .wires()
            .iter()
            .filter_map(|wire| {
                let ends = anchor_of(&graph, &wire.from, false).zip(anchor_of(&graph, &wire.to, true))?;
                Some((wire.clone(), ends, shapes.get(&wire.from).cloned()))
            })
            .collect::<Vec<_>>()
    };
    let node_items = move || {
        let errors = errors.get();
        let notes = notes.get();
        let shapes = shapes.read();
        graph
            .read()
            .nodes()
            .iter()
            .map(|node| {
                let spec = node.kind.spec();
                let ports = spec.inputs.iter().map(|port| (true, port.name));
                let ports = ports.chain(spec.outputs.iter().map(|port| (false, port.name)));
                let node_shapes: PortShapes = ports
                    .filter_map(|(is_input, name)| {
                        Some(((is_input, name), shapes.get(&PortRef::new(node.id, name))?.clone()))
                    })
                    .collect();
                let node_errors = errors.get(&node.id).cloned().unwrap_or_default();
                (node.clone(), (node_errors, notes.get(&node.id).cloned()), node_shapes)
            })
            .collect::<Vec<_>>()
    };
    view! {
        <div class="canvas-host" node_ref=canvas data-testid="canvas"
            on:pointerdown=on_pointer_down on:pointermove=on_pointer_move on:pointerup=on_pointer_up
            on:pointercancel=on_pointer_up on:dblclick=on_double_click on:focusin=on_focus on:keydown=on_key>
            <div class="viewport-layer" data-testid="viewport" class:moving=move || moving_view.get()
                style:transform=transform>
            <svg class="canvas" role="application" aria-label="Training graph editor">
                <g class="viewport">
                    <g class="wires">
                        <For each=wire_items key=|(wire, ends, shape)| format!("{wire:?}{ends:?}{shape:?}") let((wire, ends, shape))>
                            <WireView wire ends shape />
                        </For>
                    </g>
                    {move || pending.get().map(|(from, to)| {
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
                                    editor.armed.read().as_ref().filter(|wire| wire.port.node == id).map(|wire| wire.port.port.clone())
                                });
                                view! { <NodeView node errors note selected shapes armed /> }
                            }
                        </For>
                    </g>
                    {move || selection_box.get().map(|area| {
                        let (x, y) = (area.min.x.min(area.max.x), area.min.y.min(area.max.y));
                        let (w, h) = ((area.max.x - area.min.x).abs(), (area.max.y - area.min.y).abs());
                        view! { <rect class="selection-box" x=x y=y width=w height=h /> }
                    })}
                </g>
            </svg>
            </div>
            {children()}
            {move || editor.note.get().map(|note| view! {
                <div class="pointer-note" role="alert" data-testid="connection-refused"
                    style:left=format!("{}px", note.x + 12.0) style:top=format!("{}px", note.y + 12.0)>{note.text}</div>
            })}
        </div>
    }
}

/// Starts dragging a wire from `port`. From a connected input, the drag carries that input's
/// wire from its source; it is moved only if dropped elsewhere.
fn start_wire(editor: Editor, port: PortRef, is_output: bool) -> Option<PendingWire> {
    let graph = editor.graph.read_untracked();
    let spec = graph.node(port.node)?.kind.spec();
    if is_output {
        let ty = spec.output(&port.port)?.ty;
        return Some(PendingWire { port, ty, from_output: true, detached: None });
    }
    let ty = spec.input(&port.port)?.ty;
    match graph.wire_into(port.node, &port.port) {
        Some(wire) => {
            Some(PendingWire { port: wire.from.clone(), ty, from_output: true, detached: Some(port) })
        }
        None => Some(PendingWire { port, ty, from_output: false, detached: None }),
    }
}

/// Where a port's dot is, in world units.
fn anchor_pos(graph: &Graph, port: &PortRef, is_input: bool) -> Option<Pos> {
    anchor_of(graph, port, is_input).map(|(x, y)| Pos { x, y })
}

/// `"3:inputs"` → port `inputs` of node 3.
pub fn parse_port(text: &str) -> Option<PortRef> {
    let (node, port) = text.split_once(':')?;
    Some(PortRef::new(NodeId(node.parse().ok()?), port))
}

/// The distance between the first two active pointers, if there are two.
fn pinch_distance(pointers: &HashMap<i32, (f32, f32)>) -> Option<f32> {
    let mut positions = pointers.values();
    let (a, b) = (positions.next()?, positions.next()?);
    Some(((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt())
}
