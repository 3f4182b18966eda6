//! "Stored in this browser", in the top bar: every saved graph, checkpoint and copy of a data
//! file Kindling keeps here, with its size, Export and Delete, and how much the site uses of
//! what the browser allows it. Read afresh each time the panel opens.
//!
//! Test surface: `data-testid="stored-button"`, `"stored-panel"` (with `data-count` once
//! read), one row per item with `data-stored` (`graph`, `checkpoint` or `data`) and
//! `data-key` (the graph's id or the file's SHA-256), each with `"stored-export"` and
//! `"stored-delete"`; `"stored-usage"`.

use leptos::prelude::*;
use leptos::task::spawn_local;

use super::local_work::LocalWork;
use super::notices::{NoticeKind, Notices};
use super::stored_items;
use crate::core::document::checkpoint::Checkpoint;
use crate::core::document::graph_file;
use crate::core::document::saved_graph;
use crate::core::document::stored::{Stored, StoredKind};
use crate::core::model::file_ref::{bytes_text, size_text};
use crate::web::download::download;
use crate::web::storage::{self, StorageError};
use crate::web::{checkpoint_store, csv_files};

/// What the panel shows: the items, the reason some could not be listed, and the browser's
/// estimate of the site's use and quota.
#[derive(Clone, Debug, Default)]
struct Listing {
    items: Vec<Stored>,
    failure: Option<StorageError>,
    estimate: Option<(f64, f64)>,
}

#[component]
pub fn StoredPanel(work: LocalWork, notices: Notices) -> impl IntoView {
    let open = RwSignal::new(false);
    let listing: RwSignal<Option<Listing>, LocalStorage> = RwSignal::new_local(None);
    let refresh = move || {
        spawn_local(async move {
            let (items, failure) = stored_items::list().await;
            let estimate = storage_estimate().await;
            listing.set(Some(Listing { items, failure, estimate }));
        })
    };
    let toggle = move |_| {
        let opening = !open.get_untracked();
        open.set(opening);
        if opening {
            listing.set(None);
            refresh();
        }
    };
    let delete = move |item: Stored| {
        if item.kind == StoredKind::Graph && item.key == work.current_id() {
            return notices.say(NoticeKind::Info, text!("stored-delete-open-graph"));
        }
        spawn_local(async move {
            match stored_items::delete(&item).await {
                Ok(()) => {
                    notices
                        .say(NoticeKind::Info, text!("stored-deleted", item = stored_items::describe(&item)));
                    if item.kind == StoredKind::Graph {
                        work.refresh_recent();
                    }
                }
                Err(reason) => notices.say(
                    NoticeKind::Error,
                    text!(
                        "stored-delete-failed",
                        item = stored_items::describe(&item),
                        reason = reason.to_string()
                    ),
                ),
            }
            refresh();
        });
    };
    let export = move |item: Stored| spawn_local(async move { export(&item, notices).await });
    let section = move |kind: StoredKind, heading: String| {
        let listing = listing.read();
        let items: Vec<Stored> = listing
            .as_ref()
            .map(|listing| listing.items.iter().filter(|item| item.kind == kind).cloned().collect())
            .unwrap_or_default();
        let total: usize = items.iter().map(|item| item.size).sum();
        let current = work.current_id();
        let rows: Vec<_> = items
            .into_iter()
            .map(|item| {
                let open_here = item.kind == StoredKind::Graph && item.key == current;
                let (for_export, for_delete) = (item.clone(), item.clone());
                let title =
                    if open_here { text!("stored-open-here", title = &item.title) } else { item.title.clone() };
                let hint = title.clone();
                view! {
                    <li data-stored=item.kind.label() data-key=item.key.clone()>
                        <span class="aside-title" title=hint>{title}</span>
                        <small class="aside-size">{size_text(item.size)}</small>
                        <button data-testid="stored-export" data-explain="stored-export" title=text!("stored-export-hint")
                            on:click=move |_| export(for_export.clone())>{text!("stored-export")}</button>
                        <button data-testid="stored-delete" data-explain="stored-delete" disabled=open_here
                            title=if open_here { text!("stored-delete-open-hint") } else { text!("stored-delete-hint") }
                            on:click=move |_| delete(for_delete.clone())>{text!("stored-delete")}</button>
                    </li>
                }
            })
            .collect();
        let empty = listing.is_some() && total == 0 && rows.is_empty();
        view! {
            <p class="export-heading">{text!("stored-section", heading = heading, size = size_text(total))}</p>
            <ul class="aside-list">
                {rows}
                <Show when=move || empty><li class="aside-empty">{text!("stored-none")}</li></Show>
            </ul>
        }
    };
    let usage = move || {
        let listing = listing.read();
        let Some(listing) = listing.as_ref() else { return text!("stored-reading") };
        let ours = size_text(listing.items.iter().map(|item| item.size).sum());
        // Sentences, each a message, one after the other.
        let mut sentences = vec![match listing.estimate {
            Some((used, quota)) => text!(
                "stored-usage-estimate",
                size = ours,
                used = bytes_text(used as u64),
                quota = bytes_text(quota as u64)
            ),
            None => text!("stored-usage", size = ours),
        }];
        let aside = work.aside.read();
        if !aside.is_empty() {
            let size: usize = aside.iter().map(|entry| entry.text.len()).sum();
            sentences.push(text!("stored-usage-kept-aside", count = aside.len(), size = size_text(size)));
        }
        if let Some(failure) = &listing.failure {
            sentences.push(text!("stored-usage-failure", reason = failure.to_string()));
        }
        sentences.join(" ")
    };
    let count = move || listing.read().as_ref().map(|listing| listing.items.len().to_string());
    view! {
        <div class="export-menu">
            <button data-testid="stored-button" data-explain="stored-button" aria-haspopup="menu" aria-expanded=move || open.get().to_string()
                title=text!("stored-button-hint") on:click=toggle>
                {text!("stored-button")}
            </button>
            <Show when=move || open.get()>
                <div class="export-backdrop" on:click=move |_| open.set(false)></div>
                <div class="export-panel aside-panel stored-panel" data-testid="stored-panel" data-explain="stored-panel" data-count=count
                    on:keydown=move |event: web_sys::KeyboardEvent| if event.key() == "Escape" { open.set(false) }>
                    <p class="export-notes" data-testid="stored-usage" data-explain="stored-usage">{usage}</p>
                    {move || section(StoredKind::Graph, text!("stored-graphs"))}
                    {move || section(StoredKind::Checkpoint, text!("stored-checkpoints"))}
                    {move || section(StoredKind::DataFile, text!("stored-data-files"))}
                    <p class="export-notes">{text!("stored-notes")}</p>
                </div>
            </Show>
        </div>
    }
}

/// Downloads `item`: a graph as a graph file, a checkpoint's weights (which Load weights
/// reads), a data file as it was picked.
async fn export(item: &Stored, notices: Notices) {
    let outcome: Result<(), String> = async {
        match item.kind {
            StoredKind::Graph => {
                let text = storage::get(&saved_graph::key(&item.key))
                    .map_err(|error| error.to_string())?
                    .ok_or_else(|| text!("stored-gone"))?;
                let saved = saved_graph::read(&item.key, &text).map_err(|error| error.to_string())?;
                download(
                    "kindling-graph.json",
                    graph_file::to_json(&saved.experiment).as_bytes(),
                    "application/json",
                )
            }
            StoredKind::Checkpoint => {
                let bytes = checkpoint_store::get(&item.key)
                    .await
                    .map_err(|error| error.to_string())?
                    .ok_or_else(|| text!("stored-gone"))?;
                let checkpoint = Checkpoint::from_bytes(&bytes).map_err(|error| error.to_string())?;
                let name = format!("kindling-weights-epoch-{}.bpk", checkpoint.epoch);
                download(&name, &checkpoint.weights, "application/octet-stream")
            }
            StoredKind::DataFile => {
                let (name, bytes) = csv_files::get(&item.key)
                    .await
                    .map_err(|error| error.to_string())?
                    .ok_or_else(|| text!("stored-gone"))?;
                download(&name, &bytes, "text/csv")
            }
        }
    }
    .await;
    if let Err(reason) = outcome {
        notices.say(
            NoticeKind::Error,
            text!("stored-export-failed", item = stored_items::describe(item), reason = reason),
        );
    }
}

/// The browser's estimate of what this site uses and may use, in bytes
/// (`navigator.storage.estimate()`), where it gives one.
async fn storage_estimate() -> Option<(f64, f64)> {
    use js_sys::{Function, Promise, Reflect};
    use wasm_bindgen::{JsCast, JsValue};
    let navigator = Reflect::get(&js_sys::global(), &"navigator".into()).ok()?;
    let manager = Reflect::get(&navigator, &"storage".into()).ok().filter(|value| !value.is_undefined())?;
    let estimate: Function = Reflect::get(&manager, &"estimate".into()).ok()?.dyn_into().ok()?;
    let promise: Promise = estimate.call0(&manager).ok()?.dyn_into().ok()?;
    let estimate = wasm_bindgen_futures::JsFuture::from(promise).await.ok()?;
    let number = |name: &str| Reflect::get(&estimate, &JsValue::from_str(name)).ok()?.as_f64();
    Some((number("usage")?, number("quota")?))
}
