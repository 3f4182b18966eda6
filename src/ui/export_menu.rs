//! The Export menu, beside Export (JSON): the graph as a PyTorch program or a burn project
//! (zips), the run's metrics as CSV, the trained weights as safetensors. Before anything is
//! downloaded it lists what the programs would do differently from Kindling (`export-notes`).
//!
//! The programs carry Kindling's initial weights, which only the engine makes: the menu asks
//! the engine (`Exports`) and downloads what it answers.

use leptos::prelude::*;

use super::editor::Editor;
use super::engine::Engine;
use super::notices::{NoticeKind, Notices};
use super::session::Session;
use crate::core::document::metrics_csv::metrics_csv;
use crate::core::document::saved_graph;
use crate::core::model::graph::Graph;
use crate::core::protocol::message::{ActivityId, Command, Event, Program};
use crate::web::download::download;

/// A program's suffix in its file's name.
fn suffix(program: Program) -> &'static str {
    match program {
        Program::PyTorch => "pytorch",
        Program::Burn => "burn",
    }
}

/// What the page asked the engine for and waits for.
#[derive(Clone)]
enum Asked {
    Notes,
    /// A zip, downloaded as this name.
    Zip(String),
    /// Weights as safetensors, downloaded as this name.
    Safetensors(String),
}

/// The page's export requests to the engine, and their answers. Cheap to copy.
#[derive(Clone, Copy)]
pub struct Exports {
    /// What the exported programs of the graph do differently (`None` until the engine says).
    pub notes: RwSignal<Option<Result<Vec<String>, String>>>,
    asked: StoredValue<Vec<(ActivityId, Asked)>>,
    engine: Engine,
    notices: Notices,
}

impl Exports {
    pub fn new(engine: Engine, notices: Notices) -> Self {
        Self { notes: RwSignal::new(None), asked: StoredValue::new(Vec::new()), engine, notices }
    }

    fn ask(self, asked: Asked, command: impl FnOnce(ActivityId) -> Command) {
        let id = self.engine.next_id();
        self.asked.update_value(|waiting| waiting.push((id, asked)));
        self.engine.send(command(id));
    }

    /// Asks what the programs of `graph` would do differently.
    pub fn ask_notes(self, graph: Graph) {
        self.notes.set(None);
        self.asked.update_value(|waiting| waiting.retain(|(_, asked)| !matches!(asked, Asked::Notes)));
        self.ask(Asked::Notes, |id| Command::ExportNotes { id, graph });
    }

    /// Exports `graph`, titled `title`, as `program`, and downloads the zip.
    pub fn program(self, graph: Graph, title: String, program: Program) {
        let folder = format!("{}-{}", file_stem(&title), suffix(program));
        let name = format!("{folder}.zip");
        self.ask(Asked::Zip(name), |id| Command::Export { id, graph, program, title, folder });
    }

    /// Converts `weights` (burn's record of `graph`'s network, after `epoch` epochs) and
    /// downloads them as safetensors.
    pub fn safetensors(self, graph: Graph, weights: Vec<u8>, epoch: usize) {
        let name = format!("kindling-weights-epoch-{epoch}.safetensors");
        self.ask(Asked::Safetensors(name), |id| Command::Safetensors { id, graph, weights });
    }

    /// Takes the engine's answer to a request, if `event` is one.
    pub fn answer(self, event: Event) {
        let (id, result) = match event {
            Event::ExportNotes { id, result } => {
                if self.take(id).is_some() {
                    self.notes.set(Some(result));
                }
                return;
            }
            Event::Exported { id, result } | Event::Safetensors { id, result } => (id, result),
            _ => return,
        };
        let Some(asked) = self.take(id) else { return };
        let (name, kind) = match &asked {
            Asked::Zip(name) => (name, "application/zip"),
            Asked::Safetensors(name) => (name, "application/octet-stream"),
            Asked::Notes => return,
        };
        if let Err(reason) = result.and_then(|bytes| download(name, &bytes, kind)) {
            let notice = match asked {
                Asked::Zip(_) => text!("export-program-failed", reason = reason),
                _ => text!("export-weights-failed", reason = reason),
            };
            self.notices.say(NoticeKind::Error, notice);
        }
    }

    fn take(self, id: ActivityId) -> Option<Asked> {
        let mut found = None;
        self.asked.update_value(|waiting| {
            if let Some(at) = waiting.iter().position(|(asked, _)| *asked == id) {
                found = Some(waiting.remove(at).1);
            }
        });
        found
    }
}

/// A file-name stem from the graph's title: `kindling-basic-loop`.
fn file_stem(title: &str) -> String {
    let slug: Vec<String> = title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|part| !part.is_empty())
        .map(str::to_ascii_lowercase)
        .take(6)
        .collect();
    if slug.is_empty() { "kindling-graph".to_owned() } else { format!("kindling-{}", slug.join("-")) }
}

fn export_program(editor: Editor, exports: Exports, program: Program) {
    let graph = editor.graph.get_untracked();
    let title = saved_graph::title(&graph);
    exports.program(graph, title, program);
}

/// The latest weights, as safetensors.
fn export_safetensors(session: Session, exports: Exports) {
    let weights = session.checkpoints.latest_weights().zip(session.runs.current_graph());
    match weights {
        Some(((epoch, weights), graph)) => exports.safetensors(graph, weights, epoch),
        None => session.notices.say(NoticeKind::Info, text!("export-no-weights")),
    }
}

fn export_metrics(editor: Editor, session: Session, notices: Notices) {
    // This run's epochs, then every run kept, the latest ("previous") first.
    let (current, past) = (session.view.history.get_untracked(), session.runs.runs.get_untracked());
    let labels: Vec<String> = past
        .iter()
        .rev()
        .enumerate()
        .map(
            |(from_latest, run)| {
                if from_latest == 0 { "previous".to_owned() } else { format!("run {}", run.number) }
            },
        )
        .collect();
    let kept = past.iter().rev().zip(&labels).map(|(run, label)| (label.as_str(), run.epochs.as_slice()));
    let csv = metrics_csv(std::iter::once(("current", current.as_slice())).chain(kept));
    let name = format!("{}-metrics.csv", file_stem(&saved_graph::title(&editor.graph.get_untracked())));
    if let Err(reason) = download(&name, csv.as_bytes(), "text/csv") {
        notices.say(NoticeKind::Error, text!("export-metrics-failed", reason = reason));
    }
}

/// The menu's button (`export-menu`) and, when open, its panel (`export-panel`): items
/// `export-pytorch`, `export-burn`, `export-metrics`, `export-safetensors`, and the notes.
#[component]
pub fn ExportMenu(editor: Editor, session: Session, exports: Exports, notices: Notices) -> impl IntoView {
    let open = RwSignal::new(false);
    // Asked again whenever the menu opens or the graph changes while it is open.
    Effect::new(move || {
        if open.get() {
            exports.ask_notes(editor.graph.get());
        }
    });
    let notes = move || exports.notes.get().filter(|_| open.get());
    let cannot_train = move || matches!(notes(), Some(Err(_)));
    let no_epochs = move || session.view.history.with(Vec::is_empty) && session.runs.runs.with(Vec::is_empty);
    let no_weights = move || session.view.history.with(Vec::is_empty);
    let close = move || open.set(false);
    let notes_view = move || {
        notes().map(|notes| match notes {
            Ok(notes) if notes.is_empty() => {
                // The option reads as code, where the sentence puts it.
                let option = "--reproduce";
                let sentence = text!("export-notes-same", option = option);
                let (before, after) = sentence.split_once(option).unwrap_or((&sentence, ""));
                let (before, after) = (before.to_owned(), after.to_owned());
                view! {
                    <p class="export-notes" data-testid="export-notes" data-explain="export-notes" data-count="0">
                        {before}<code>{option}</code>{after}
                    </p>
                }
                .into_any()
            }
            Ok(notes) => {
                let count = notes.len().to_string();
                view! {
                <div class="export-notes warning" data-testid="export-notes" data-explain="export-notes" data-count=count>
                    <p>{text!("export-notes-differ")}</p>
                    <ul>{notes.into_iter().map(|note| view! { <li>{note}</li> }).collect_view()}</ul>
                </div>
                }
                .into_any()
            }
            Err(error) => view! {
                <p class="export-notes error" data-testid="export-notes" data-explain="export-notes" data-count="error">
                    {text!("export-notes-none", reason = error)}
                </p>
            }
            .into_any(),
        })
    };
    view! {
        <div class="export-menu">
            <button data-testid="export-menu" data-explain="export-menu" aria-haspopup="menu" aria-expanded=move || open.get().to_string()
                title=text!("export-menu-hint")
                on:click=move |_| open.update(|open| *open = !*open)>{text!("export-menu")}</button>
            <Show when=move || open.get()>
                // A click anywhere else closes the menu.
                <div class="export-backdrop" on:click=move |_| close()></div>
                <div class="export-panel" role="menu" data-testid="export-panel" data-explain="export-panel"
                    on:keydown=move |event: web_sys::KeyboardEvent| if event.key() == "Escape" { close() }>
                    <p class="export-heading">{text!("export-heading")}</p>
                    <button role="menuitem" data-testid="export-pytorch" data-explain="export-pytorch" disabled=cannot_train
                        on:click=move |_| { close(); export_program(editor, exports, Program::PyTorch) }>
                        <strong>{text!("export-pytorch")}</strong>
                        <small>{text!("export-pytorch-detail")}</small>
                    </button>
                    <button role="menuitem" data-testid="export-burn" data-explain="export-burn" disabled=cannot_train
                        on:click=move |_| { close(); export_program(editor, exports, Program::Burn) }>
                        <strong>{text!("export-burn")}</strong>
                        <small>{text!("export-burn-detail")}</small>
                    </button>
                    <button role="menuitem" data-testid="export-metrics" data-explain="export-metrics" disabled=no_epochs
                        on:click=move |_| { close(); export_metrics(editor, session, notices) }>
                        <strong>{text!("export-metrics")}</strong>
                        <small>{text!("export-metrics-detail")}</small>
                    </button>
                    <button role="menuitem" data-testid="export-safetensors" data-explain="export-safetensors" disabled=no_weights
                        on:click=move |_| { close(); export_safetensors(session, exports) }>
                        <strong>{text!("export-safetensors")}</strong>
                        <small>{text!("export-safetensors-detail")}</small>
                    </button>
                    {notes_view}
                </div>
            </Show>
        </div>
    }
}
