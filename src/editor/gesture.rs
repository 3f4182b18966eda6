//! The canvas's pointer gestures as a state machine, free of the DOM: pan (drag empty canvas,
//! or hold Space and drag anywhere), pinch (two pointers), box-select (Shift-drag on empty
//! canvas), moving nodes (drag a node; a selected one moves the selection), and wires (drag
//! from a port; off a connected input, its wire comes along; a press and release on one port
//! picks it, for click-to-connect).
//!
//! The canvas component reports each pointer going down, moving and coming up — where (in
//! screen pixels within the canvas), on what ([`Target`], from `geometry::target_at`) and
//! with which keys — and applies the [`Action`]s it gets back. Native tests drive the same
//! sequences.

use std::collections::{BTreeMap, BTreeSet};

use super::connect::PendingWire;
use super::geometry::{Target, anchor, node_box};
use super::selection::{in_box, moved_positions};
use super::viewport::{Bounds, Viewport};
use crate::core::model::graph::{Graph, PortEnd, Pos};
use crate::core::model::node_id::NodeId;

/// How far (in world units, summed over both axes) a pressed node must travel before it
/// moves: less is a click.
const MOVE_THRESHOLD: f32 = 2.0;

/// The keys held as a pointer goes down.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Keys {
    pub shift: bool,
    /// Ctrl, or Cmd on a Mac.
    pub control: bool,
}

/// What a gesture reads of the editor.
pub struct Scene<'a> {
    pub graph: &'a Graph,
    pub selection: &'a BTreeSet<NodeId>,
    pub view: Viewport,
    /// Moved nodes land on the grid.
    pub snap: bool,
    /// Space is held: a drag anywhere pans.
    pub space_held: bool,
}

/// What the editor does in response.
#[derive(Clone, Debug, PartialEq)]
pub enum Action {
    /// A press closes the pointer note and the add-menu.
    Dismiss,
    Select(BTreeSet<NodeId>),
    SetView(Viewport),
    /// Nodes dragged so far: their positions now, drawn live (not yet an undo step).
    MoveNodes(Vec<(NodeId, Pos)>),
    /// A drag of nodes ended; `before` is the graph to undo it to.
    MoveDone {
        before: Graph,
    },
    /// The dragged wire, from its port to the pointer, in world units; `None` hides it.
    WirePreview(Option<(Pos, Pos)>),
    /// The selection box dragged so far; `None` hides it.
    SelectionBox(Option<Bounds>),
    /// A pan or pinch is under way (the canvas layer may be composited) or has ended.
    ViewMoving(bool),
    /// The wire was released on another port: join it there.
    Connect {
        wire: PendingWire,
        at: PortEnd,
    },
    /// A port was pressed and released in place: a click, which picks it.
    PickPort(PortEnd),
    /// The wire was released on empty canvas: a wire taken off an input comes off, and the
    /// add-menu offers the nodes that could take it, at the pointer.
    OfferNodes {
        wire: PendingWire,
        screen: (f32, f32),
        world: Pos,
    },
}

/// A drag under way.
#[derive(Clone, Debug)]
enum Drag {
    Pan { last: (f32, f32) },
    Move { start: (f32, f32), before: Graph, moved: bool },
    Wire(PendingWire),
    Box { start: Pos },
    Pinch { distance: f32 },
}

/// The pointers down on the canvas and the drag they make.
#[derive(Clone, Debug, Default)]
pub struct Gestures {
    drag: Option<Drag>,
    /// Where each pointer that is down is, in screen pixels.
    pointers: BTreeMap<i32, (f32, f32)>,
}

impl Gestures {
    /// Pointer `pointer` went down at `screen`, on `target`, with `keys` held.
    pub fn down(
        &mut self,
        pointer: i32,
        screen: (f32, f32),
        target: Target,
        keys: Keys,
        scene: &Scene,
    ) -> Vec<Action> {
        self.pointers.insert(pointer, screen);
        let mut actions = vec![Action::Dismiss];
        if let Some(distance) = self.pinch_distance() {
            self.drag = Some(Drag::Pinch { distance });
            actions.push(Action::ViewMoving(true));
            return actions;
        }
        let world = scene.view.to_world(screen.0, screen.1);
        let toggles = keys.shift || keys.control;
        let drag = match target {
            _ if scene.space_held => Some(Drag::Pan { last: screen }),
            Target::Port(port) => PendingWire::start(scene.graph, port).map(Drag::Wire),
            Target::Node(node) => {
                let mut selection = scene.selection.clone();
                if toggles {
                    if !selection.remove(&node) {
                        selection.insert(node);
                    }
                } else if !selection.contains(&node) {
                    selection = BTreeSet::from([node]);
                }
                if &selection != scene.selection {
                    actions.push(Action::Select(selection));
                }
                Some(Drag::Move { start: screen, before: scene.graph.clone(), moved: false })
            }
            Target::Canvas if keys.shift => Some(Drag::Box { start: world }),
            Target::Canvas => {
                if !toggles && !scene.selection.is_empty() {
                    actions.push(Action::Select(BTreeSet::new()));
                }
                Some(Drag::Pan { last: screen })
            }
        };
        if let Some(Drag::Wire(wire)) = &drag {
            actions.push(Action::WirePreview(anchor(scene.graph, wire.end).map(|start| (start, world))));
        }
        actions.push(Action::ViewMoving(matches!(drag, Some(Drag::Pan { .. }))));
        self.drag = drag;
        actions
    }

    /// Pointer `pointer` moved to `screen`.
    pub fn moved(&mut self, pointer: i32, screen: (f32, f32), scene: &Scene) -> Vec<Action> {
        if let Some(position) = self.pointers.get_mut(&pointer) {
            *position = screen;
        }
        let pinch = self.pinch_distance().zip(self.pinch_centre());
        let world = scene.view.to_world(screen.0, screen.1);
        let Some(drag) = self.drag.as_mut() else { return Vec::new() };
        match drag {
            Drag::Pan { last } => {
                let view = scene.view.pan(screen.0 - last.0, screen.1 - last.1);
                *last = screen;
                vec![Action::SetView(view)]
            }
            Drag::Move { start, before, moved } => {
                let (dx, dy) =
                    ((screen.0 - start.0) / scene.view.scale, (screen.1 - start.1) / scene.view.scale);
                if !*moved && dx.abs() + dy.abs() < MOVE_THRESHOLD {
                    return Vec::new();
                }
                *moved = true;
                vec![Action::MoveNodes(moved_positions(before, scene.selection, dx, dy, scene.snap))]
            }
            Drag::Wire(wire) => {
                vec![Action::WirePreview(anchor(scene.graph, wire.end).map(|start| (start, world)))]
            }
            Drag::Box { start } => vec![Action::SelectionBox(Some(Bounds { min: *start, max: world }))],
            Drag::Pinch { distance } => {
                let Some((now, (x, y))) = pinch else { return Vec::new() };
                let view = scene.view.zoom_at(x, y, now / distance.max(1.0));
                *distance = now;
                vec![Action::SetView(view)]
            }
        }
    }

    /// Pointer `pointer` came up (or was cancelled) at `screen`, over `target`.
    pub fn up(&mut self, pointer: i32, screen: (f32, f32), target: Target, scene: &Scene) -> Vec<Action> {
        self.pointers.remove(&pointer);
        let Some(drag) = self.drag.take() else { return Vec::new() };
        let world = scene.view.to_world(screen.0, screen.1);
        let mut actions = vec![Action::ViewMoving(false), Action::WirePreview(None)];
        match drag {
            Drag::Move { before, moved: true, .. } => actions.push(Action::MoveDone { before }),
            Drag::Wire(wire) => match target {
                Target::Port(port) if port == wire.origin() => actions.push(Action::PickPort(port)),
                Target::Port(port) => actions.push(Action::Connect { wire, at: port }),
                Target::Canvas => actions.push(Action::OfferNodes { wire, screen, world }),
                Target::Node(_) => {}
            },
            Drag::Box { start } => {
                let area = Bounds { min: start, max: world };
                let size = |id| {
                    scene.graph.node(id).map_or((0.0, 0.0), |node| {
                        let bounds = node_box(node);
                        (bounds.max.x - bounds.min.x, bounds.max.y - bounds.min.y)
                    })
                };
                let mut selection = scene.selection.clone();
                selection.extend(in_box(scene.graph, area, size));
                actions.push(Action::Select(selection));
                actions.push(Action::SelectionBox(None));
            }
            Drag::Move { moved: false, .. } | Drag::Pan { .. } | Drag::Pinch { .. } => {}
        }
        actions
    }

    /// Whether a drag is under way.
    pub fn is_dragging(&self) -> bool {
        self.drag.is_some()
    }

    /// The distance between the first two pointers down, if there are two.
    fn pinch_distance(&self) -> Option<f32> {
        let mut positions = self.pointers.values();
        let (a, b) = (positions.next()?, positions.next()?);
        Some(((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt())
    }

    /// The midpoint of the first two pointers down.
    fn pinch_centre(&self) -> Option<(f32, f32)> {
        let mut positions = self.pointers.values();
        let (a, b) = (positions.next()?, positions.next()?);
        Some(((a.0 + b.0) / 2.0, (a.1 + b.1) / 2.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::catalogue::NodeKind;
    use crate::core::model::templates::basic_loop;
    use crate::editor::connect::complete;
    use crate::editor::geometry::{HEADER_HEIGHT, target_at};

    /// An editor as the tests drive it: the graph, the selection and the view, with the
    /// actions applied as the page applies them.
    struct Page {
        graph: Graph,
        selection: BTreeSet<NodeId>,
        view: Viewport,
        gestures: Gestures,
        /// Actions that leave the graph to the page (connect, pick, offer), in order.
        requests: Vec<Action>,
        undo: Vec<Graph>,
    }

    impl Page {
        fn new() -> Self {
            Self {
                graph: basic_loop(),
                selection: BTreeSet::new(),
                view: Viewport { offset_x: 10.0, offset_y: 20.0, scale: 0.5 },
                gestures: Gestures::default(),
                requests: Vec::new(),
                undo: Vec::new(),
            }
        }

        fn node(&self, kind: NodeKind) -> NodeId {
            self.graph.nodes_of(kind).next().unwrap().id
        }

        /// Where world point `at` is on screen.
        fn screen(&self, at: Pos) -> (f32, f32) {
            (at.x * self.view.scale + self.view.offset_x, at.y * self.view.scale + self.view.offset_y)
        }

        fn target(&self, screen: (f32, f32)) -> Target {
            target_at(&self.graph, self.view.to_world(screen.0, screen.1))
        }

        fn apply(&mut self, actions: Vec<Action>) {
            for action in actions {
                match action {
                    Action::Select(selection) => self.selection = selection,
                    Action::SetView(view) => self.view = view,
                    Action::MoveNodes(positions) => {
                        for (id, pos) in positions {
                            self.graph.move_node(id, pos);
                        }
                    }
                    Action::MoveDone { before } => self.undo.push(before),
                    Action::Connect { .. } | Action::PickPort(_) | Action::OfferNodes { .. } => {
                        self.requests.push(action)
                    }
                    Action::Dismiss
                    | Action::WirePreview(_)
                    | Action::SelectionBox(_)
                    | Action::ViewMoving(_) => {}
                }
            }
        }

        fn scene(&self, space_held: bool) -> Scene<'_> {
            Scene { graph: &self.graph, selection: &self.selection, view: self.view, snap: false, space_held }
        }

        fn down(&mut self, pointer: i32, at: (f32, f32), keys: Keys) {
            let target = self.target(at);
            let mut gestures = self.gestures.clone();
            let actions = gestures.down(pointer, at, target, keys, &self.scene(false));
            self.gestures = gestures;
            self.apply(actions);
        }

        fn move_to(&mut self, pointer: i32, at: (f32, f32)) {
            let mut gestures = self.gestures.clone();
            let actions = gestures.moved(pointer, at, &self.scene(false));
            self.gestures = gestures;
            self.apply(actions);
        }

        fn up(&mut self, pointer: i32, at: (f32, f32)) {
            let target = self.target(at);
            let mut gestures = self.gestures.clone();
            let actions = gestures.up(pointer, at, target, &self.scene(false));
            self.gestures = gestures;
            self.apply(actions);
        }

        fn drag(&mut self, from: (f32, f32), to: (f32, f32), keys: Keys) {
            self.down(1, from, keys);
            for step in 1..=4 {
                let t = step as f32 / 4.0;
                self.move_to(1, (from.0 + (to.0 - from.0) * t, from.1 + (to.1 - from.1) * t));
            }
            self.up(1, to);
        }

        fn header(&self, node: NodeId) -> (f32, f32) {
            let pos = self.graph.node(node).unwrap().pos;
            self.screen(Pos { x: pos.x + 40.0, y: pos.y + HEADER_HEIGHT / 2.0 })
        }

        fn port(&self, port: PortEnd) -> (f32, f32) {
            self.screen(anchor(&self.graph, port).unwrap())
        }

        /// A screen point far right of every node.
        fn empty(&self) -> (f32, f32) {
            self.screen(Pos { x: 5000.0, y: 0.0 })
        }
    }

    #[test]
    fn dragging_empty_canvas_pans_and_clears_the_selection() {
        let mut page = Page::new();
        page.selection = BTreeSet::from([page.node(NodeKind::Dataset)]);
        let from = page.empty();
        page.drag(from, (from.0 - 30.0, from.1 + 12.0), Keys::default());
        assert_eq!((page.view.offset_x, page.view.offset_y), (-20.0, 32.0));
        assert!(page.selection.is_empty());
        assert!(!page.gestures.is_dragging());
    }

    #[test]
    fn dragging_a_node_moves_the_selection_as_one_undo_step_and_a_click_moves_nothing() {
        let mut page = Page::new();
        let (dataset, sampler) = (page.node(NodeKind::Dataset), page.node(NodeKind::BatchSampler));
        page.selection = BTreeSet::from([dataset, sampler]);
        let before = page.graph.clone();
        let from = page.header(dataset);
        page.drag(from, (from.0 + 50.0, from.1 + 25.0), Keys::default());
        // 50 × 25 screen pixels at zoom 0.5 are 100 × 50 world units, for both nodes.
        for id in [dataset, sampler] {
            let (was, now) = (before.node(id).unwrap().pos, page.graph.node(id).unwrap().pos);
            assert_eq!((now.x - was.x, now.y - was.y), (100.0, 50.0));
        }
        assert_eq!(page.undo, vec![before]);
        // A press and release without travel selects the node alone and moves nothing.
        let moved = page.graph.clone();
        let at = page.header(sampler);
        page.drag(at, (at.0 + 0.4, at.1), Keys::default());
        assert_eq!(page.graph, moved);
        assert_eq!(page.undo.len(), 1);
        assert_eq!(page.selection, BTreeSet::from([dataset, sampler]), "a selected node keeps the selection");
    }

    #[test]
    fn shift_and_ctrl_clicks_toggle_a_node_and_shift_drag_on_canvas_selects_a_box() {
        let mut page = Page::new();
        let (dataset, network) = (page.node(NodeKind::Dataset), page.node(NodeKind::Network));
        let control = Keys { control: true, ..Keys::default() };
        page.drag(page.header(dataset), page.header(dataset), Keys::default());
        page.drag(page.header(network), page.header(network), control);
        assert_eq!(page.selection, BTreeSet::from([dataset, network]));
        page.drag(page.header(dataset), page.header(dataset), control);
        assert_eq!(page.selection, BTreeSet::from([network]));
        // A box around the whole graph, dragged from empty canvas with Shift, adds every node.
        let bounds = crate::editor::geometry::graph_bounds(&page.graph).unwrap();
        let from = page.screen(Pos { x: bounds.min.x - 20.0, y: bounds.min.y - 20.0 });
        let to = page.screen(Pos { x: bounds.max.x + 20.0, y: bounds.max.y + 20.0 });
        page.drag(from, to, Keys { shift: true, ..Keys::default() });
        assert_eq!(page.selection.len(), page.graph.node_count());
    }

    #[test]
    fn a_wire_dragged_from_an_output_to_an_input_asks_to_connect_them() {
        let mut page = Page::new();
        let (network, sgd) = (page.node(NodeKind::Network), page.node(NodeKind::SgdOptimizer));
        let model = PortEnd::Output(page.graph.output(network, "model").unwrap());
        let target = PortEnd::Input(page.graph.input(sgd, "model").unwrap());
        page.drag(page.port(model), page.port(target), Keys::default());
        let [Action::Connect { wire, at }] = page.requests.as_slice() else { panic!("{:?}", page.requests) };
        assert_eq!((wire.end, *at), (model, target));
        assert!(complete(&page.graph, wire, *at).is_ok());
    }

    #[test]
    fn a_wire_dragged_off_a_connected_input_onto_empty_canvas_comes_off_and_offers_nodes() {
        let mut page = Page::new();
        let step = page.node(NodeKind::TrainingStep);
        let input = page.graph.input(step, "loss").unwrap();
        let source = page.graph.wire_into(input).unwrap();
        let spot = page.empty();
        page.drag(page.port(PortEnd::Input(input)), spot, Keys::default());
        let [Action::OfferNodes { wire, screen, .. }] = page.requests.as_slice() else {
            panic!("{:?}", page.requests)
        };
        assert_eq!((wire.end, wire.detached, *screen), (PortEnd::Output(source), Some(input), spot));
    }

    #[test]
    fn pressing_and_releasing_on_a_port_picks_it() {
        let mut page = Page::new();
        let port = PortEnd::Output(page.graph.output(page.node(NodeKind::Network), "model").unwrap());
        page.drag(page.port(port), page.port(port), Keys::default());
        assert_eq!(page.requests, vec![Action::PickPort(port)]);
    }

    #[test]
    fn two_pointers_pinch_zoom_about_their_midpoint() {
        let mut page = Page::new();
        page.down(1, (300.0, 300.0), Keys::default());
        page.down(2, (500.0, 300.0), Keys::default());
        // The pointers move apart to twice the distance; their midpoint is then at x = 500.
        let under_midpoint = page.view.to_world(500.0, 300.0);
        page.move_to(2, (700.0, 300.0));
        assert!((page.view.scale - 1.0).abs() < 1e-4, "zoomed 2× from 0.5: {}", page.view.scale);
        let still = page.view.to_world(500.0, 300.0);
        assert!((still.x - under_midpoint.x).abs() < 1e-2 && (still.y - under_midpoint.y).abs() < 1e-2);
        page.up(1, (300.0, 300.0));
        page.up(2, (700.0, 300.0));
        assert!(!page.gestures.is_dragging());
    }

    #[test]
    fn with_space_held_a_drag_on_a_node_pans() {
        let mut page = Page::new();
        let network = page.node(NodeKind::Network);
        let before = page.graph.clone();
        let at = page.header(network);
        let target = page.target(at);
        let mut gestures = page.gestures.clone();
        let actions = gestures.down(1, at, target, Keys::default(), &page.scene(true));
        page.apply(actions);
        let actions = gestures.moved(1, (at.0 + 10.0, at.1), &page.scene(true));
        assert_eq!(actions, vec![Action::SetView(page.view.pan(10.0, 0.0))]);
        assert_eq!(page.graph, before);
    }
}
