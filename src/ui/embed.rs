//! The page embedded in another (`?embed`, e.g. in an iframe of a course page): compact — the
//! editor, the run and its charts, no document bar, lessons list, palette or sweeps — and
//! read-only until its reader presses Edit; it never reads or writes the reader's own graphs
//! (`LocalWork::start_embedded`). "Open in Kindling" opens the experiment as it stands in the
//! full page, in a new tab.
//!
//! Test surface: `embed-bar`, `open-in-kindling` (its `href` a link to the experiment),
//! `embed-edit` (`aria-pressed`).

use leptos::prelude::*;

use super::editor::Editor;
use super::explain::{ExplainMode, ExplainToggle};
use super::local_work::LINK_PREFIX;
use crate::core::document::link;
use crate::web::page_rules;
use crate::web::url::page_link;

/// What an embedded page leaves out, to fit a course page's column.
const COMPACT: &str = ".palette, .sweep-panel, .type-sample, .toolbar select, .toolbar-hint { display: none; }\n\
                       .editor-body { grid-template-columns: minmax(0, 1fr) 270px; }\n\
                       @media (max-width: 900px) { .editor-body { grid-template-columns: 1fr; \
                       grid-template-rows: minmax(340px, 54vh) auto; } }";

/// Makes the page compact.
pub fn compact() {
    page_rules::set("embed", COMPACT);
}

/// The embedded page's top bar: its name, Explain, Edit, and the way to the full page.
#[component]
pub fn EmbedBar(editor: Editor, explaining: ExplainMode) -> impl IntoView {
    // The link is written when it is about to be followed (pointer down, focus), not on
    // every change of the graph: a drag changes it every frame.
    let href = RwSignal::new(String::new());
    let refresh = move || {
        let url = link::encode(&editor.experiment())
            .ok()
            .and_then(|text| page_link(&format!("{LINK_PREFIX}{text}")))
            .unwrap_or_default();
        href.set(url);
    };
    refresh();
    view! {
        <header class="topbar embed-bar" data-testid="embed-bar" data-explain="embed-bar">
            <h1>{text!("app-name")}</h1>
            <ExplainToggle mode=explaining />
            <button type="button" class="embed-edit" data-testid="embed-edit" data-explain="embed-edit"
                aria-pressed=move || (!editor.read_only.get()).to_string()
                title=text!("embed-edit-title")
                on:click=move |_| editor.read_only.update(|read_only| *read_only = !*read_only)>
                {move || if editor.read_only.get() { text!("embed-edit") } else { text!("embed-editing") }}
            </button>
            <a class="button open-in-kindling" data-testid="open-in-kindling" data-explain="open-in-kindling"
                target="_blank" rel="noopener" href=move || href.get()
                on:pointerdown=move |_| refresh() on:focus=move |_| refresh()>
                {text!("embed-open")}
            </a>
        </header>
    }
}
