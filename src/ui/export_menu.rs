//! The Export menu, beside Export (JSON): the graph as a PyTorch program or a burn project
//! (zips), the run's metrics as CSV, the trained weights as safetensors. Before anything is
//! downloaded it lists what the programs would do differently from Kindling (`export-notes`).

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::editor::Editor;
use super::notices::{NoticeKind, Notices};
use super::session::Session;
use crate::core::export::metrics_csv::metrics_csv;
use crate::core::export::{self, Export, ExportError, burn_project, pytorch};
use crate::core::saved_graph;
use crate::web::download::download;

/// The two programs a graph exports as.
#[derive(Clone, Copy)]
enum Program {
    PyTorch,
    Burn,
}

impl Program {
    fn suffix(self) -> &'static str {
        match self {
            Program::PyTorch => "pytorch",
            Program::Burn => "burn",
        }
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

fn export_program(editor: Editor, notices: Notices, program: Program) {
    let graph = editor.graph.get_untracked();
    let title = saved_graph::title(&graph);
    spawn_local(async move {
        let exported: Result<Export, ExportError> = match program {
            Program::PyTorch => pytorch::export(&graph, &title).await,
            Program::Burn => burn_project::export(&graph, &title).await,
        };
        let folder = format!("{}-{}", file_stem(&title), program.suffix());
        let result = exported
            .map_err(|error| error.to_string())
            .and_then(|exported| exported.to_zip(&folder))
            .and_then(|zip| download(&format!("{folder}.zip"), &zip, "application/zip"));
        if let Err(reason) = result {
            notices.say(NoticeKind::Error, format!("The program could not be exported: {reason}."));
        }
    });
}

fn export_metrics(editor: Editor, session: Session, notices: Notices) {
    // This run's epochs, then every run kept, the latest ("previous") first.
    let (current, past) = (session.history.get_untracked(), session.runs.get_untracked());
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
        notices.say(NoticeKind::Error, format!("The metrics could not be exported: {reason}."));
    }
}

/// The menu's button (`export-menu`) and, when open, its panel (`export-panel`): items
/// `export-pytorch`, `export-burn`, `export-metrics`, `export-safetensors`, and the notes.
#[component]
pub fn ExportMenu(editor: Editor, session: Session, notices: Notices) -> impl IntoView {
    let open = RwSignal::new(false);
    let notes = Memo::new(move |_| open.get().then(|| export::notes(&editor.graph.get())));
    let cannot_train = move || matches!(notes.get(), Some(Err(_)));
    let no_epochs = move || session.history.with(Vec::is_empty) && session.runs.with(Vec::is_empty);
    let no_weights = move || session.history.with(Vec::is_empty);
    let close = move || open.set(false);
    let notes_view = move || {
        notes.get().map(|notes| match notes {
            Ok(notes) if notes.is_empty() => view! {
                <p class="export-notes" data-testid="export-notes" data-count="0">
                    "The programs compute what Kindling computes: with "<code>"--reproduce"</code>
                    " (PyTorch) and in the burn project they start from Kindling's weights and batches."
                </p>
            }
            .into_any(),
            Ok(notes) => {
                let count = notes.len().to_string();
                view! {
                <div class="export-notes warning" data-testid="export-notes" data-count=count>
                    <p>"Where the programs differ from Kindling:"</p>
                    <ul>{notes.into_iter().map(|note| view! { <li>{note.to_string()}</li> }).collect_view()}</ul>
                </div>
                }
                .into_any()
            }
            Err(error) => view! {
                <p class="export-notes error" data-testid="export-notes" data-count="error">
                    {format!("No program yet: {error}.")}
                </p>
            }
            .into_any(),
        })
    };
    view! {
        <div class="export-menu">
            <button data-testid="export-menu" aria-haspopup="menu" aria-expanded=move || open.get().to_string()
                title="Export as a PyTorch program, a burn project, metrics or trained weights"
                on:click=move |_| open.update(|open| *open = !*open)>"Export as… ▾"</button>
            <Show when=move || open.get()>
                // A click anywhere else closes the menu.
                <div class="export-backdrop" on:click=move |_| close()></div>
                <div class="export-panel" role="menu" data-testid="export-panel"
                    on:keydown=move |event: web_sys::KeyboardEvent| if event.key() == "Escape" { close() }>
                    <p class="export-heading">"Export this experiment as"</p>
                    <button role="menuitem" data-testid="export-pytorch" disabled=cannot_train
                        on:click=move |_| { close(); export_program(editor, notices, Program::PyTorch) }>
                        <strong>"PyTorch program"</strong>
                        <small>"train.py, torchrun-ready, with the data and initial weights (.zip)"</small>
                    </button>
                    <button role="menuitem" data-testid="export-burn" disabled=cannot_train
                        on:click=move |_| { close(); export_program(editor, notices, Program::Burn) }>
                        <strong>"Rust (burn) project"</strong>
                        <small>"cargo run --release, on the CPU or the GPU (.zip)"</small>
                    </button>
                    <button role="menuitem" data-testid="export-metrics" disabled=no_epochs
                        on:click=move |_| { close(); export_metrics(editor, session, notices) }>
                        <strong>"Metrics (CSV)"</strong>
                        <small>"every epoch shown, this run's and the runs kept"</small>
                    </button>
                    <button role="menuitem" data-testid="export-safetensors" disabled=no_weights
                        on:click=move |_| { close(); session.checkpoints.download_safetensors() }>
                        <strong>"Trained weights (safetensors)"</strong>
                        <small>"PyTorch's names and layouts: load_state_dict, train.py --weights"</small>
                    </button>
                    {notes_view}
                </div>
            </Show>
        </div>
    }
}
