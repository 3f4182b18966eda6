//! The node editor's logic, free of any UI: what a connection may join and why not, undo and
//! redo, copy and paste, selection, the viewport's pan and zoom. Tested natively; the leptos
//! canvas (`ui`) turns pointer and keyboard events into calls here.

pub mod clipboard;
pub mod connect;
pub mod history;
pub mod selection;
pub mod viewport;
