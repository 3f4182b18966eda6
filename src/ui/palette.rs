//! Adding nodes: the palette, grouped by category, and the searchable add-menu that opens at
//! the pointer (double-click, Shift+A, or a wire dropped on empty canvas — then it offers only
//! nodes that can take the wire, and connects the one picked).

use leptos::prelude::*;

use super::editor::{AddMenu, Editor};
use crate::core::model::catalogue::{Category, NodeKind};
use crate::core::model::graph::{InPort, OutPort, PortEnd, Pos};
use crate::editor::connect::compatible_ports;

/// A category's name, as the palette and the add-menu show it.
fn category_name(category: Category) -> String {
    match category {
        Category::Data => text!("palette-category-data"),
        Category::Network => text!("palette-category-network"),
        Category::Loss => text!("palette-category-loss"),
        Category::Optimizer => text!("palette-category-optimizer"),
        Category::Training => text!("palette-category-training"),
        Category::Metrics => text!("palette-category-metrics"),
    }
}

/// The palette: every node kind under its category; a click adds it in the middle of the view.
#[component]
pub fn Palette(editor: Editor, view_centre: Callback<(), Pos>) -> impl IntoView {
    view! {
        <nav class="palette" aria-label=text!("palette-label")>
            {Category::ALL.iter().map(|&category| view! {
                <section class="palette-group">
                    <h3>{category_name(category)}</h3>
                    {NodeKind::ALL.iter().filter(|kind| kind.spec().category == category).map(|&kind| view! {
                        <button class=format!("palette-item category-{category:?}") data-palette=kind.name() data-explain=format!("kind:{}", kind.name())
                            title=kind.spec().help() on:click=move |_| {
                                if let Err(text) = editor.add_node(kind, view_centre.run(())) {
                                    editor.note.set(Some(super::editor::PointerNote { text, x: 16.0, y: 16.0 }));
                                }
                            }>{kind.name()}</button>
                    }).collect_view()}
                </section>
            }).collect_view()}
        </nav>
    }
}

/// The kinds the menu offers for `query`, each with the port a pending wire would join.
fn offered(menu: &AddMenu, query: &str) -> Vec<(NodeKind, Option<usize>)> {
    let query = query.trim().to_lowercase();
    let kinds: Vec<(NodeKind, Option<usize>)> = match &menu.wire {
        Some(wire) => compatible_ports(wire.ty, wire.from_output())
            .into_iter()
            .map(|(kind, port)| (kind, Some(port)))
            .collect(),
        None => NodeKind::ALL.iter().map(|&kind| (kind, None)).collect(),
    };
    kinds
        .into_iter()
        .filter(|(kind, _)| {
            let spec = kind.spec();
            query.is_empty()
                || spec.name.to_ascii_lowercase().contains(&query)
                || category_name(spec.category).to_lowercase().contains(&query)
        })
        .collect()
}

/// Adds `kind` where the menu was opened, connecting the pending wire if there is one.
fn pick(editor: Editor, menu: &AddMenu, kind: NodeKind, port: Option<usize>) {
    editor.add_menu.set(None);
    let id = match editor.add_node(kind, menu.at) {
        Ok(id) => id,
        Err(text) => {
            editor.note.set(Some(super::editor::PointerNote { text, x: menu.x, y: menu.y }));
            return;
        }
    };
    if let (Some(wire), Some(index)) = (&menu.wire, port) {
        let result = match wire.end {
            PortEnd::Output(from) => editor.connect(from, InPort { node: id, index }),
            PortEnd::Input(to) => editor.connect(OutPort { node: id, index }, to),
        };
        if let Err(text) = result {
            editor.note.set(Some(super::editor::PointerNote { text, x: menu.x, y: menu.y }));
        }
    }
}

/// The menu's size, to keep it inside the canvas.
const MENU_WIDTH: f32 = 240.0;
const MENU_HEIGHT: f32 = 300.0;

/// The add-menu, while open, kept inside `canvas`.
#[component]
pub fn AddMenuView(editor: Editor, canvas: NodeRef<leptos::html::Div>) -> impl IntoView {
    move || {
        editor.add_menu.get().map(|menu| {
            let (width, height) = canvas
                .get_untracked()
                .map(|element| crate::web::events::client_rect(&element))
                .map_or((f32::INFINITY, f32::INFINITY), |(_, _, width, height)| (width, height));
            let left = menu.x.min(width - MENU_WIDTH).max(0.0);
            let top = menu.y.min(height - MENU_HEIGHT).max(0.0);
            let query = RwSignal::new(String::new());
            let input = NodeRef::<leptos::html::Input>::new();
            Effect::new(move || {
                if let Some(input) = input.get() {
                    let _ = input.focus();
                }
            });
            let menu_for_list = menu.clone();
            let menu_for_keys = menu.clone();
            let on_key = move |event: web_sys::KeyboardEvent| match event.key().as_str() {
                "Escape" => editor.add_menu.set(None),
                "Enter" => {
                    if let Some((kind, port)) = offered(&menu_for_keys, &query.get_untracked()).first().copied() {
                        pick(editor, &menu_for_keys, kind, port);
                    }
                }
                _ => {}
            };
            let title = if menu.wire.is_some() { text!("palette-menu-connect") } else { text!("palette-menu-add") };
            view! {
                <div class="add-menu" role="dialog" aria-label=title data-testid="add-menu" data-explain="add-menu"
                    style:left=format!("{left}px") style:top=format!("{top}px")
                    on:pointerdown=|event| event.stop_propagation() on:dblclick=|event| event.stop_propagation()>
                    <input node_ref=input type="search" placeholder=text!("palette-search-placeholder") data-testid="add-search" data-explain="add-search"
                        aria-label=text!("palette-search") on:input=move |event| query.set(event_target_value(&event)) on:keydown=on_key />
                    <ul role="listbox">
                        {move || {
                            let menu = menu_for_list.clone();
                            offered(&menu, &query.get()).into_iter().map(|(kind, port)| {
                                let menu = menu.clone();
                                view! {
                                    <li role="option">
                                        <button data-add-kind=kind.name() data-explain=format!("kind:{}", kind.name()) on:click=move |_| pick(editor, &menu, kind, port)>
                                            {kind.name()}
                                            <span class="add-category">{category_name(kind.spec().category)}</span>
                                        </button>
                                    </li>
                                }
                            }).collect_view()
                        }}
                    </ul>
                </div>
            }
        })
    }
}
