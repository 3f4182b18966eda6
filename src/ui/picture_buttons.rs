//! The SVG and PNG buttons beside the graph, each chart and each view: the picture, for slides
//! and worksheets, in the page's colours (`web::picture`).
//!
//! Test surface: `save-svg` and `save-png`, each with `data-picture` (the file's name); a
//! refusal in `data-picture-error`.

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::web::picture::{self, Format};

/// Buttons saving the element `selector` names as `name`.svg and `name`.png.
#[component]
pub fn PictureButtons(selector: String, name: String) -> impl IntoView {
    let refusal = RwSignal::new(None::<String>);
    let saving = RwSignal::new(false);
    let button = move |format: Format| {
        let (selector, name) = (selector.clone(), name.clone());
        let (test_id, label) = match format {
            Format::Svg => ("save-svg", text!("picture-svg")),
            Format::Png => ("save-png", text!("picture-png")),
        };
        let title = text!("picture-save-title", file = format!("{name}.{}", format.name()));
        view! {
            <button type="button" class="picture-button" data-testid=test_id data-explain=test_id data-picture=name.clone()
                title=title disabled=move || saving.get()
                on:click=move |_| {
                    let (selector, name) = (selector.clone(), name.clone());
                    saving.set(true);
                    spawn_local(async move {
                        let saved = picture::save(&selector, &name, format).await;
                        refusal.set(saved.err().map(|reason| text!("picture-not-saved", reason = reason)));
                        saving.set(false);
                    });
                }>{label}</button>
        }
    };
    view! {
        <span class="picture-buttons">
            {button(Format::Svg)}
            {button(Format::Png)}
            {move || refusal.get().map(|reason| view! { <span class="picture-error" role="alert" data-picture-error="">{reason}</span> })}
        </span>
    }
}
