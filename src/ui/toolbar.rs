//! The editor's toolbar: templates, undo and redo, fit view, snap to grid.

use leptos::html::Div;
use leptos::prelude::*;

use super::canvas::fit_view;
use super::editor::Editor;
use super::local_work::LocalWork;
use super::picture_buttons::PictureButtons;
use crate::core::model::templates::TEMPLATES;

#[component]
pub fn Toolbar(editor: Editor, canvas: NodeRef<Div>, work: LocalWork) -> impl IntoView {
    let fit = move || {
        if let Some(element) = canvas.get_untracked() {
            fit_view(editor, &element);
        }
    };
    let on_template = move |event: web_sys::Event| {
        let slug = event_target_value(&event);
        if let Some(template) = TEMPLATES.iter().find(|template| template.slug == slug) {
            // The graph replaced stays under Recent graphs.
            work.keep_current();
            editor.load((template.build)());
            fit();
        }
        // Back to the prompt, so picking the same template again loads it again.
        if let Some(select) = event
            .target()
            .and_then(|target| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlSelectElement>(target).ok())
        {
            select.set_value("");
        }
    };
    view! {
        <div class="toolbar" role="toolbar" aria-label="Editor">
            <select data-testid="templates" data-explain="templates" aria-label="Load a template" on:change=on_template>
                <option value="" selected=true>"Templates…"</option>
                {TEMPLATES.iter().map(|template| view! { <option value=template.slug>{template.title}</option> }).collect_view()}
            </select>
            <button data-testid="undo" data-explain="undo" title="Undo (Ctrl+Z)" disabled=move || !editor.can_undo() on:click=move |_| editor.undo()>"Undo"</button>
            <button data-testid="redo" data-explain="redo" title="Redo (Ctrl+Shift+Z)" disabled=move || !editor.can_redo() on:click=move |_| editor.redo()>"Redo"</button>
            <button data-testid="fit-view" data-explain="fit-view" title="Fit the graph in view (.)" on:click=move |_| fit()>"Fit"</button>
            <label class="toggle" title="Snap nodes to the grid when moving">
                <input type="checkbox" data-testid="snap-toggle" data-explain="snap-toggle" prop:checked=move || editor.snap.get()
                    on:change=move |event| editor.snap.set(event_target_checked(&event)) />
                "Snap"
            </label>
            <span class="toolbar-picture" title="The whole graph as a picture">"Graph:"
                <PictureButtons selector="svg.canvas".to_owned() name="kindling-graph".to_owned() />
            </span>
            <span class="toolbar-hint">"Drag ports to connect · double-click or Shift+A to add · Del deletes"</span>
        </div>
    }
}
