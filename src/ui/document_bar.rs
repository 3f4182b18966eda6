//! The page's document actions, top right: Recent graphs, Import and Export JSON, the Export
//! menu (programs, metrics, weights), Share.
//! Importing also works by dropping a file onto the canvas.

use leptos::html::Div;
use leptos::prelude::*;
use leptos::task::spawn_local;
use wasm_bindgen::JsCast;

use super::csv_files::CsvFiles;
use super::editor::Editor;
use super::export_menu::{ExportMenu, Exports};
use super::kept_aside::KeptAside;
use super::local_work::{LINK_PREFIX, LocalWork};
use super::notices::{NoticeKind, Notices};
use super::session::Session;
use super::stored_panel::StoredPanel;
use crate::core::document::experiment::Experiment;
use crate::core::document::{graph_file, link};
use crate::core::model::catalogue::NodeKind;
use crate::web::clipboard::copy_text;
use crate::web::download::{download, read_file, take_picked_file};
use crate::web::events::listen_non_passive;
use crate::web::url::page_link;

#[component]
pub fn DocumentBar(
    editor: Editor,
    notices: Notices,
    work: LocalWork,
    session: Session,
    exports: Exports,
) -> impl IntoView {
    let shared = RwSignal::new(None::<String>);
    let on_recent = move |event: web_sys::Event| {
        let id = event_target_value(&event);
        if !id.is_empty() {
            work.open_recent(&id);
        }
        if let Some(select) =
            event.target().and_then(|target| target.dyn_into::<web_sys::HtmlSelectElement>().ok())
        {
            select.set_value("");
        }
    };
    let recent_options = move || {
        let current = work.current_id();
        work.recent
            .get()
            .into_iter()
            .map(|graph| {
                let saved = saved_when(graph.saved_at);
                let label = if graph.id == current {
                    text!("document-recent-entry-this-tab", title = &graph.title, saved = saved)
                } else {
                    text!("document-recent-entry", title = &graph.title, saved = saved)
                };
                view! { <option value=graph.id.clone() data-id=graph.id>{label}</option> }
            })
            .collect_view()
    };
    view! {
        <div class="document-bar" role="toolbar" aria-label=text!("document-bar") data-testid="document-bar" data-explain="document-bar"
            data-autosave=move || work.state.get().label()>
            <select data-testid="recent-graphs" data-explain="recent-graphs" aria-label=text!("document-recent-label") on:change=on_recent
                disabled=move || work.recent.read().is_empty()
                title=text!("document-recent-hint")>
                <option value="" selected=true>{move || text!("document-recent", count = work.recent.read().len())}</option>
                {recent_options}
            </select>
            <label class="button file-button" title=text!("document-import-hint")>
                {text!("document-import")}
                <input type="file" accept=".json,application/json" data-testid="import-json" data-explain="import-json" class="visually-hidden"
                    on:change=move |event| {
                        if let Some(file) = take_picked_file(&event) {
                            import_file(editor, notices, work, file);
                        }
                    } />
            </label>
            <button data-testid="export-json" data-explain="export-json" title=text!("document-export-hint")
                on:click=move |_| export_json(editor, notices)>{text!("document-export")}</button>
            <ExportMenu editor session exports notices />
            <KeptAside work />
            <StoredPanel work notices />
            <button class="primary" data-testid="share-button" data-explain="share-button" title=text!("document-share-hint")
                on:click=move |_| share(&editor.experiment(), notices, shared)>{text!("document-share")}</button>
            {move || shared.get().map(|url| view! {
                <input class="share-link" data-testid="share-link" data-explain="share-link" readonly=true aria-label=text!("document-share-link")
                    prop:value=url on:focus=move |event| {
                        let input: web_sys::HtmlInputElement = event_target(&event);
                        input.select();
                    } />
            })}
        </div>
    }
}

/// Puts a link to `experiment` in the link box (`shared`) and on the clipboard.
pub fn share(experiment: &Experiment, notices: Notices, shared: RwSignal<Option<String>>) {
    let url = link::encode(experiment)
        .map_err(|reason| text!("document-share-failed", reason = reason.to_string()))
        .and_then(|text| {
            page_link(&format!("{LINK_PREFIX}{text}")).ok_or_else(|| text!("document-share-no-address"))
        });
    match url {
        Ok(url) => {
            shared.set(Some(url.clone()));
            spawn_local(async move {
                let length = url.chars().count();
                if copy_text(&url).await {
                    notices.say(NoticeKind::Info, text!("document-share-copied", count = length));
                } else {
                    notices.say(NoticeKind::Info, text!("document-share-copy-it", count = length));
                }
            });
        }
        Err(reason) => notices.say(NoticeKind::Error, reason),
    }
}

fn export_json(editor: Editor, notices: Notices) {
    let json = graph_file::to_json(&editor.experiment());
    if let Err(reason) = download("kindling-graph.json", json.as_bytes(), "application/json") {
        notices.say(NoticeKind::Error, text!("document-export-failed", reason = reason));
    }
}

/// Opens a graph file in place of the current graph; Undo brings the graph back, and the
/// graph replaced stays under Recent graphs.
pub fn import_file(editor: Editor, notices: Notices, work: LocalWork, file: web_sys::File) {
    let name = file.name();
    if file.size() > graph_file::MAX_FILE_BYTES as f64 {
        return notices.say(
            NoticeKind::Error,
            text!("document-import-too-large", name = &name, size = graph_file::MAX_FILE_BYTES >> 20),
        );
    }
    spawn_local(async move {
        let read = read_file(&file, graph_file::MAX_FILE_BYTES).await.and_then(|bytes| {
            let text = String::from_utf8(bytes).map_err(|_| text!("document-import-not-text"))?;
            graph_file::from_json(&text).map_err(|error| error.to_string())
        });
        match read {
            Ok(experiment) => {
                work.keep_current();
                editor.open(experiment);
                notices.say(NoticeKind::Info, text!("document-imported", name = &name));
            }
            Err(reason) => {
                notices.say(NoticeKind::Error, text!("document-import-failed", name = &name, reason = reason))
            }
        }
    });
}

/// Imports a file dropped onto the canvas.
pub fn accept_dropped_files(
    canvas: NodeRef<Div>,
    editor: Editor,
    notices: Notices,
    work: LocalWork,
    files: CsvFiles,
) {
    Effect::new(move || {
        let Some(element) = canvas.get() else { return };
        let carries_files = |event: &web_sys::Event| {
            event
                .dyn_ref::<web_sys::DragEvent>()
                .and_then(web_sys::DragEvent::data_transfer)
                .is_some_and(|data| data.types().includes(&"Files".into(), 0)) // not words: a drag's data type
        };
        listen_non_passive(&element, "dragover", move |event| {
            if carries_files(&event) {
                event.prevent_default();
            }
        });
        listen_non_passive(&element, "drop", move |event| {
            let file = event
                .dyn_ref::<web_sys::DragEvent>()
                .and_then(web_sys::DragEvent::data_transfer)
                .and_then(|data| data.files())
                .and_then(|files| files.get(0));
            if let Some(file) = file {
                event.prevent_default();
                if is_csv(&file) {
                    give_csv(editor, notices, files, file);
                } else {
                    import_file(editor, notices, work, file);
                }
            }
        });
    });
}

/// Whether a dropped file is a CSV (by its type, or its name).
fn is_csv(file: &web_sys::File) -> bool {
    let name = file.name().to_ascii_lowercase();
    file.type_() == "text/csv" || name.ends_with(".csv") || name.ends_with(".tsv")
}

/// A CSV dropped on the canvas becomes the data of the selected Dataset node, else of the
/// graph's first.
fn give_csv(editor: Editor, notices: Notices, files: CsvFiles, file: web_sys::File) {
    let node = editor.graph.with_untracked(|graph| {
        let selected = editor.selection.get_untracked();
        let datasets: Vec<_> = graph.nodes_of(NodeKind::Dataset).map(|node| node.id).collect();
        datasets.iter().copied().find(|id| selected.contains(id)).or_else(|| datasets.first().copied())
    });
    match node {
        Some(node) => files.give(editor, node, file),
        None => notices.say(NoticeKind::Warning, text!("document-drop-csv-no-dataset")),
    }
}

/// When a graph was saved, as the list shows it: "just now", "5 min ago", "3 h ago", a date.
fn saved_when(saved_at: f64) -> String {
    let minutes = ((crate::web::clock::epoch_millis() - saved_at) / 60_000.0).max(0.0);
    if minutes < 1.0 {
        text!("document-saved-just-now")
    } else if minutes < 60.0 {
        text!("document-saved-minutes-ago", count = minutes as u64)
    } else if minutes < 24.0 * 60.0 {
        text!("document-saved-hours-ago", count = (minutes / 60.0) as u64)
    } else {
        let date = js_sys::Date::new(&saved_at.into());
        String::from(date.to_locale_date_string("default", &wasm_bindgen::JsValue::UNDEFINED))
    }
}
