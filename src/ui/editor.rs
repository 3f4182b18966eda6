//! The editor's state as the page holds it: the graph, the selection, the viewport, undo
//! history, and the transient things an edit shows (a refused connection, the add-menu). Every
//! change to the graph goes through [`Editor::edit`], so every edit can be undone.

use std::collections::BTreeSet;

use leptos::prelude::*;

use crate::core::document::experiment::Experiment;
use crate::core::model::catalogue::NodeKind;
use crate::core::model::catalogue::{KindParams, ParamSpec};
use crate::core::model::graph::{Graph, InPort, OutPort, PortEnd, Pos};
use crate::core::model::graph_check;
use crate::core::model::node_id::NodeId;
use crate::core::model::params::ParamValue;
use crate::core::model::sweep_settings::{Sweep, SweptParam};
use crate::core::model::sweep_spec::{self, Trial};
use crate::core::teach::lesson::{Lesson, ParamRef};
use crate::editor::clipboard;
use crate::editor::connect::{self, PendingWire};
use crate::editor::history::History;
use crate::editor::viewport::Viewport;

/// A message shown at the pointer, e.g. why a connection was refused.
#[derive(Clone, Debug, PartialEq)]
pub struct PointerNote {
    pub text: String,
    /// Screen position within the canvas.
    pub x: f32,
    pub y: f32,
}

/// The searchable add-menu, open at a point; `wire` is the dangling wire it completes.
#[derive(Clone, Debug, PartialEq)]
pub struct AddMenu {
    /// Screen position within the canvas.
    pub x: f32,
    pub y: f32,
    /// Where a picked node goes, in world units.
    pub at: Pos,
    pub wire: Option<PendingWire>,
}

#[derive(Clone, Copy)]
pub struct Editor {
    pub graph: RwSignal<Graph>,
    pub selection: RwSignal<BTreeSet<NodeId>>,
    pub viewport: RwSignal<Viewport>,
    pub snap: RwSignal<bool>,
    /// Space is held: a drag anywhere pans.
    pub space_held: RwSignal<bool>,
    pub note: RwSignal<Option<PointerNote>>,
    pub add_menu: RwSignal<Option<AddMenu>>,
    /// A port picked by a click or Enter: the next port picked is connected to it.
    pub armed: RwSignal<Option<PendingWire>>,
    /// Incremented on every undoable change, so the toolbar can refresh.
    pub revision: RwSignal<u64>,
    /// The canvas fits the graph into view when it first has a size, unless the view came
    /// with the graph (a link, a file, an autosave).
    pub fit_on_mount: StoredValue<bool>,
    /// The graph without its nodes' positions: what is compiled and what shapes are inferred
    /// from, so that dragging a node recompiles nothing.
    pub structure: Memo<Graph>,
    /// The lesson the graph is the start of, while the learner follows it (links, files and
    /// autosave carry it with the graph).
    pub lesson: RwSignal<Option<Lesson>>,
    /// Parameters the lesson's current step locks: [`Editor::set_param`] refuses them.
    pub locks: RwSignal<Vec<ParamRef>>,
    /// The graph is only shown (an embedded page until its reader presses Edit): every edit
    /// is refused, and the inspector's controls are disabled.
    pub read_only: RwSignal<bool>,
    history: StoredValue<History>,
}

impl Editor {
    pub fn new(graph: Graph) -> Self {
        let graph = RwSignal::new(graph);
        Self {
            graph,
            structure: Memo::new(move |_| graph.read().without_positions()),
            selection: RwSignal::new(BTreeSet::new()),
            viewport: RwSignal::new(Viewport::default()),
            snap: RwSignal::new(false),
            space_held: RwSignal::new(false),
            note: RwSignal::new(None),
            add_menu: RwSignal::new(None),
            armed: RwSignal::new(None),
            revision: RwSignal::new(0),
            fit_on_mount: StoredValue::new(true),
            lesson: RwSignal::new(None),
            locks: RwSignal::new(Vec::new()),
            read_only: RwSignal::new(false),
            history: StoredValue::new(History::new()),
        }
    }

    /// The graph and the view, as links, files and autosave carry them.
    pub fn experiment(&self) -> Experiment {
        Experiment {
            graph: self.graph.get_untracked(),
            view: self.viewport.get_untracked(),
            lesson: self.lesson.get_untracked(),
        }
    }

    /// Shows `experiment` — its graph, its view, its lesson — as the page opens: no undo step.
    pub fn start_with(&self, experiment: Experiment) {
        self.graph.set(experiment.graph);
        self.viewport.set(experiment.view);
        self.lesson.set(experiment.lesson);
        self.fit_on_mount.set_value(false);
    }

    /// Replaces the graph, the view and the lesson with `experiment`'s, undoably (undo brings
    /// the graph back).
    pub fn open(&self, experiment: Experiment) {
        self.load(experiment.graph);
        self.viewport.set(experiment.view);
        self.lesson.set(experiment.lesson);
    }

    /// Applies an edit to the graph, recording the graph before it for undo; while the graph
    /// is read-only, the edit is worked out and dropped, and the pointer says why.
    pub fn edit<T>(&self, change: impl FnOnce(&mut Graph) -> T) -> T {
        let before = self.graph.get_untracked();
        let mut after = before.clone();
        let result = change(&mut after);
        if after != before && self.read_only.get_untracked() {
            self.note.set(Some(PointerNote { text: text!("editor-read-only"), x: 24.0, y: 24.0 }));
        } else if after != before {
            self.history.update_value(|history| history.record(before));
            self.graph.set(after);
            self.revision.update(|revision| *revision += 1);
        }
        result
    }

    /// Records `before` as an undo step for a change already made to the graph (a drag,
    /// applied live as the pointer moves).
    pub fn record(&self, before: Graph) {
        if before != self.graph.get_untracked() {
            self.history.update_value(|history| history.record(before));
            self.revision.update(|revision| *revision += 1);
        }
    }

    pub fn undo(&self) {
        let current = self.graph.get_untracked();
        if let Some(previous) = self.history.try_update_value(|history| history.undo(&current)).flatten() {
            self.restore(previous);
        }
    }

    pub fn redo(&self) {
        let current = self.graph.get_untracked();
        if let Some(next) = self.history.try_update_value(|history| history.redo(&current)).flatten() {
            self.restore(next);
        }
    }

    fn restore(&self, graph: Graph) {
        self.selection.update(|selection| selection.retain(|id| graph.node(*id).is_some()));
        self.graph.set(graph);
        self.revision.update(|revision| *revision += 1);
    }

    pub fn can_undo(&self) -> bool {
        self.revision.track();
        self.history.with_value(History::can_undo)
    }

    pub fn can_redo(&self) -> bool {
        self.revision.track();
        self.history.with_value(History::can_redo)
    }

    /// Adds a node of `kind` at `at` and selects it.
    ///
    /// # Errors
    /// Why not: the graph is at the node limit (`graph_check::room_for`).
    pub fn add_node(&self, kind: NodeKind, at: Pos) -> Result<NodeId, String> {
        graph_check::room_for(&self.graph.read_untracked(), 1, 0).map_err(|full| full.to_string())?;
        let at = if self.snap.get_untracked() { crate::editor::selection::snapped(at) } else { at };
        let id = self.edit(|graph| graph.add_node(kind, at));
        self.selection.set(BTreeSet::from([id]));
        Ok(id)
    }

    /// Connects output `from` to input `to`, or says why not.
    ///
    /// # Errors
    /// The reason, for the user.
    pub fn connect(&self, from: OutPort, to: InPort) -> Result<(), String> {
        let after = connect::connect(&self.graph.read_untracked(), from, to)?;
        self.edit(|graph| *graph = after);
        Ok(())
    }

    /// Completes `wire` at `port`: connects the output end to the input end, moving a
    /// detached wire, as one undoable edit; or says why not.
    ///
    /// # Errors
    /// The reason, for the user; the graph is unchanged then.
    pub fn complete(&self, wire: &PendingWire, port: PortEnd) -> Result<(), String> {
        let after = connect::complete(&self.graph.read_untracked(), wire, port)?;
        self.edit(|graph| *graph = after);
        Ok(())
    }

    /// A click (or Enter) on `port`: arms it, or connects the armed port to it.
    ///
    /// # Errors
    /// Why the two ports cannot be connected.
    pub fn pick_port(&self, port: PortEnd) -> Result<(), String> {
        match self.armed.get_untracked() {
            Some(armed) if armed.end == port => {
                self.armed.set(None);
                Ok(())
            }
            Some(armed) => {
                self.armed.set(None);
                self.complete(&armed, port)
            }
            None => {
                let picked = PendingWire::picked(&self.graph.read_untracked(), port);
                self.armed.set(picked);
                Ok(())
            }
        }
    }

    /// Sets the parameter `spec` of `node` (the inspector's control for it), or says why the
    /// value is refused (the graph is unchanged then).
    ///
    /// # Errors
    /// The reason, for the user.
    pub fn set_param(&self, node: NodeId, spec: &'static ParamSpec, value: ParamValue) -> Result<(), String> {
        let kind = self.graph.read_untracked().node(node).map(|node| node.kind);
        if self.locks.read_untracked().iter().any(|lock| Some(lock.kind) == kind && lock.param == spec.name) {
            return Err(text!("editor-param-locked", param = spec.name));
        }
        self.edit(|graph| graph.set_param(node, spec.name, value)).map_err(|error| error.to_string())
    }

    /// Whether parameter `param` of `node` cannot be changed: locked by the lesson's step, or
    /// the whole graph read-only.
    pub fn is_locked(&self, node: NodeId, param: &str) -> bool {
        if self.read_only.get() {
            return true;
        }
        let kind = self.graph.read_untracked().node(node).map(|node| node.kind);
        self.locks.read().iter().any(|lock| Some(lock.kind) == kind && lock.param == param)
    }

    /// Changes parameters of `node` through its kind's struct `P`; one undo step.
    ///
    /// # Errors
    /// Why a value is refused, for the user (the graph is unchanged then).
    pub fn update_params<P: KindParams>(
        &self,
        node: NodeId,
        change: impl FnOnce(&mut P),
    ) -> Result<(), String> {
        self.edit(|graph| graph.update_params(node, change)).map_err(|error| error.to_string())
    }

    /// Sweeps parameter `param` of `node` over `values` (as typed), or stops sweeping it
    /// (`None`); one undo step.
    ///
    /// # Errors
    /// Why the values are refused (the graph is unchanged then).
    pub fn set_swept(&self, node: NodeId, param: &str, values: Option<String>) -> Result<(), String> {
        let mut sweep = self.graph.read_untracked().sweep().clone();
        let at = sweep.params.iter().position(|swept| swept.node == node && swept.param == param);
        match (values, at) {
            (Some(values), Some(at)) => sweep.params[at].values = values,
            (Some(values), None) => sweep.params.push(SweptParam { node, param: param.to_owned(), values }),
            (None, Some(at)) => {
                sweep.params.remove(at);
            }
            (None, None) => return Ok(()),
        }
        self.set_sweep(sweep)
    }

    /// Replaces the graph's sweep (its search and pruning settings); one undo step.
    ///
    /// # Errors
    /// Why the sweep is refused (the graph is unchanged then).
    pub fn set_sweep(&self, sweep: Sweep) -> Result<(), String> {
        let mut edited = self.graph.get_untracked();
        edited.set_sweep(sweep);
        sweep_spec::check(&edited).map_err(|error| error.to_string())?;
        self.edit(|graph| graph.set_sweep(edited.sweep().clone()));
        Ok(())
    }

    /// Writes a sweep trial's settings into the graph; one undo step.
    ///
    /// # Errors
    /// When a setting no longer fits the graph (the graph is unchanged then).
    pub fn apply_trial(&self, trial: &Trial) -> Result<(), String> {
        self.edit(|graph| {
            let mut edited = graph.clone();
            for setting in &trial.settings {
                edited
                    .set_param(setting.node, &setting.param, setting.value.clone())
                    .map_err(|error| error.to_string())?;
            }
            *graph = edited;
            Ok(())
        })
    }

    pub fn delete_selection(&self) {
        let selection = self.selection.get_untracked();
        if selection.is_empty() {
            return;
        }
        self.edit(|graph| selection.iter().for_each(|&id| graph.remove_node(id)));
        self.selection.set(BTreeSet::new());
    }

    /// Duplicates the selection beside itself and selects the copies.
    ///
    /// # Errors
    /// Why not: the graph has no room for the copies.
    pub fn duplicate_selection(&self) -> Result<(), String> {
        let selection = self.selection.get_untracked();
        if selection.is_empty() {
            return Ok(());
        }
        let copies = self.edit(|graph| clipboard::duplicate(graph, &selection))?;
        self.selection.set(copies.into_iter().collect());
        Ok(())
    }

    /// The selection as clipboard text, if anything is selected.
    pub fn copy_selection(&self) -> Option<String> {
        let selection = self.selection.get_untracked();
        (!selection.is_empty()).then(|| clipboard::copy(&self.graph.read_untracked(), &selection))
    }

    /// Pastes clipboard `text` near its original place, offset so the copy shows.
    ///
    /// # Errors
    /// Why the text cannot be pasted.
    pub fn paste(&self, text: &str) -> Result<(), String> {
        let pasted = self.edit(|graph| clipboard::paste(graph, text, Pos { x: 40.0, y: 40.0 }))?;
        self.selection.set(pasted.into_iter().collect());
        Ok(())
    }

    /// Replaces the graph with `graph` (a template), undoably.
    pub fn load(&self, graph: Graph) {
        self.edit(|current| *current = graph);
        self.selection.set(BTreeSet::new());
    }
}
