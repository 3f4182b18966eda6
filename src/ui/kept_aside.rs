//! Entries kept aside, in the top bar: saved graphs that did not read, and the graph a load
//! that did not finish was opening. Hidden while there are none; each is listed with Export
//! (the entry as stored) and Delete.
//!
//! Test surface: `data-testid="kept-aside"` (the button, with `data-count`),
//! `"aside-panel"`, one `data-aside-id` per entry with `"aside-export"` and `"aside-delete"`.

use leptos::prelude::*;

use super::local_work::LocalWork;

#[component]
pub fn KeptAside(work: LocalWork) -> impl IntoView {
    let open = RwSignal::new(false);
    let count = move || work.aside.read().len();
    let rows = move || {
        work.aside
            .get()
            .into_iter()
            .map(|entry| {
                let (export_id, delete_id) = (entry.id.clone(), entry.id.clone());
                let label = entry.title.clone().unwrap_or_else(|| format!("entry {}", entry.id));
                let size = format!("{:.1} kB", entry.text.len() as f64 / 1000.0);
                let hint = label.clone();
                view! {
                    <li data-aside-id=entry.id>
                        <span class="aside-title" title=hint>{label}</span>
                        <small class="aside-size">{size}</small>
                        <button data-testid="aside-export" data-explain="aside-export" title="Download the entry as it is stored"
                            on:click=move |_| work.export_aside(&export_id)>"Export"</button>
                        <button data-testid="aside-delete" data-explain="aside-delete" title="Remove it from browser storage"
                            on:click=move |_| work.delete_aside(&delete_id)>"Delete"</button>
                    </li>
                }
            })
            .collect_view()
    };
    view! {
        <Show when=move || { count() > 0 }>
            <div class="export-menu">
                <button data-testid="kept-aside" data-explain="kept-aside" data-count=move || count().to_string() class="warning-button"
                    aria-haspopup="menu" aria-expanded=move || open.get().to_string()
                    title="Saved entries that could not be opened, kept in this browser"
                    on:click=move |_| open.update(|open| *open = !*open)>
                    {move || format!("Kept aside ({}) ▾", count())}
                </button>
                <Show when=move || open.get()>
                    <div class="export-backdrop" on:click=move |_| open.set(false)></div>
                    <div class="export-panel aside-panel" data-testid="aside-panel" data-explain="aside-panel"
                        on:keydown=move |event: web_sys::KeyboardEvent| if event.key() == "Escape" { open.set(false) }>
                        <p class="export-heading">"Kept aside: these could not be opened, and nothing was deleted"</p>
                        <ul class="aside-list">{rows}</ul>
                    </div>
                </Show>
            </div>
        </Show>
    }
}
