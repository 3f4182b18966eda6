//! Keyboard shortcuts and the system clipboard. Shortcuts never fire while the user types
//! in a field.
//!
//! Space+drag pans; Delete/Backspace delete the selection; Ctrl+Z undoes; Ctrl+Shift+Z or Ctrl+Y redoes;
//! Ctrl+A selects every node; Ctrl+D duplicates; `.` fits the view; Shift+A opens the add-menu at the pointer; `?`
//! turns Explain mode on and off; Escape closes menus and Explain mode, and clears the selection. Ctrl+C and Ctrl+V go through the browser's copy and
//! paste events, so the clipboard holds the nodes as JSON and pastes across tabs.

use leptos::ev;
use leptos::html::Div;
use leptos::prelude::*;

use super::canvas::fit_view;
use super::editor::{AddMenu, Editor};
use super::explain::ExplainMode;
use crate::core::model::graph::Pos;
use crate::editor::clipboard::{MAX_PASTE_BYTES, too_long};
use crate::web::clipboard::pasted_text;
use crate::web::events::is_text_entry;

/// Listens for the editor's shortcuts for the page's lifetime. `pointer` is the last pointer
/// position over the canvas (screen, world), where Shift+A opens the add-menu.
pub fn install(
    editor: Editor,
    canvas: NodeRef<Div>,
    pointer: Signal<((f32, f32), Pos)>,
    explaining: ExplainMode,
) {
    let keydown = window_event_listener(ev::keydown, move |event| {
        if is_text_entry(event.target()) {
            return;
        }
        let command = event.ctrl_key() || event.meta_key();
        let key = event.key();
        let handled = match (command, event.shift_key(), key.as_str()) {
            (false, _, " ") => {
                editor.space_held.set(true);
                true
            }
            (false, _, "Delete" | "Backspace") => {
                editor.delete_selection();
                true
            }
            (true, false, "z" | "Z") => {
                editor.undo();
                true
            }
            (true, true, "z" | "Z") | (true, _, "y" | "Y") => {
                editor.redo();
                true
            }
            (true, false, "a" | "A") => {
                let all = editor.graph.read_untracked().nodes().map(|node| node.id).collect();
                editor.selection.set(all);
                true
            }
            (true, _, "d" | "D") => {
                if let Err(text) = editor.duplicate_selection() {
                    let ((x, y), _) = pointer.get_untracked();
                    editor.note.set(Some(super::editor::PointerNote { text, x, y }));
                }
                true
            }
            (false, false, ".") => {
                if let Some(element) = canvas.get_untracked() {
                    fit_view(editor, &element);
                }
                true
            }
            (false, true, "A" | "a") => {
                let ((x, y), at) = pointer.get_untracked();
                editor.note.set(None);
                editor.add_menu.set(Some(AddMenu { x, y, at, wire: None }));
                true
            }
            (false, _, "?") => {
                explaining.toggle();
                true
            }
            (false, _, "Escape") => {
                if explaining.on.get_untracked() {
                    explaining.toggle();
                }
                editor.add_menu.set(None);
                editor.armed.set(None);
                editor.note.set(None);
                editor.selection.set(Default::default());
                true
            }
            _ => false,
        };
        if handled {
            event.prevent_default();
        }
    });
    let keyup = window_event_listener(ev::keyup, move |event| {
        if event.key() == " " {
            editor.space_held.set(false);
        }
    });
    let copy = window_event_listener(ev::copy, move |event| {
        if is_text_entry(event.target()) {
            return;
        }
        if let (Some(text), Some(data)) = (editor.copy_selection(), event.clipboard_data())
            && data.set_data("text/plain", &text).is_ok()
        {
            event.prevent_default();
        }
    });
    let paste = window_event_listener(ev::paste, move |event| {
        if is_text_entry(event.target()) {
            return;
        }
        let Some(text) = pasted_text(&event, MAX_PASTE_BYTES) else { return };
        event.prevent_default();
        if let Err(text) = text.map_err(too_long).and_then(|text| editor.paste(&text)) {
            let ((x, y), _) = pointer.get_untracked();
            editor.note.set(Some(super::editor::PointerNote { text, x, y }));
        }
    });
    // The listeners live as long as the page.
    std::mem::forget((keydown, keyup, copy, paste));
}
