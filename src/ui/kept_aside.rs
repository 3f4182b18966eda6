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
                let label =
                    entry.title.clone().unwrap_or_else(|| text!("kept-aside-entry", id = entry.id.clone()));
                let kilobytes = format!("{:.1}", entry.text.len() as f64 / 1000.0);
                let size = text!("kept-aside-size", size = kilobytes);
                let hint = label.clone();
                view! {
                    <li data-aside-id=entry.id>
                        <span class="aside-title" title=hint>{label}</span>
                        <small class="aside-size">{size}</small>
                        <button data-testid="aside-export" data-explain="aside-export" title=text!("kept-aside-export-title")
                            on:click=move |_| work.export_aside(&export_id)>{text!("kept-aside-export")}</button>
                        <button data-testid="aside-delete" data-explain="aside-delete" title=text!("kept-aside-delete-title")
                            on:click=move |_| work.delete_aside(&delete_id)>{text!("kept-aside-delete")}</button>
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
                    title=text!("kept-aside-title")
                    on:click=move |_| open.update(|open| *open = !*open)>
                    {move || text!("kept-aside-button", count = count())}
                </button>
                <Show when=move || open.get()>
                    <div class="export-backdrop" on:click=move |_| open.set(false)></div>
                    <div class="export-panel aside-panel" data-testid="aside-panel" data-explain="aside-panel"
                        on:keydown=move |event: web_sys::KeyboardEvent| if event.key() == "Escape" { open.set(false) }>
                        <p class="export-heading">{text!("kept-aside-heading")}</p>
                        <ul class="aside-list">{rows}</ul>
                    </div>
                </Show>
            </div>
        </Show>
    }
}
