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
        <div class="toolbar" role="toolbar" aria-label=text!("toolbar-label")>
            <select data-testid="templates" data-explain="templates" aria-label=text!("toolbar-templates-label") on:change=on_template>
                <option value="" selected=true>{text!("toolbar-templates")}</option>
                {TEMPLATES.iter().map(|template| view! { <option value=template.slug>{template.title}</option> }).collect_view()}
            </select>
            <button data-testid="undo" data-explain="undo" title=text!("toolbar-undo-title") disabled=move || !editor.can_undo() on:click=move |_| editor.undo()>{text!("toolbar-undo")}</button>
            <button data-testid="redo" data-explain="redo" title=text!("toolbar-redo-title") disabled=move || !editor.can_redo() on:click=move |_| editor.redo()>{text!("toolbar-redo")}</button>
            <button data-testid="fit-view" data-explain="fit-view" title=text!("toolbar-fit-title") on:click=move |_| fit()>{text!("toolbar-fit")}</button>
            <label class="toggle" title=text!("toolbar-snap-title")>
                <input type="checkbox" data-testid="snap-toggle" data-explain="snap-toggle" prop:checked=move || editor.snap.get()
                    on:change=move |event| editor.snap.set(event_target_checked(&event)) />
                {text!("toolbar-snap")}
            </label>
            <span class="toolbar-picture" title=text!("toolbar-picture-title")>{text!("toolbar-picture")}
                <PictureButtons selector="svg.canvas".to_owned() name="kindling-graph".to_owned() />
            </span>
            <span class="toolbar-hint">{text!("toolbar-hint")}</span>
        </div>
    }
}
