//! The node editor's logic, free of any UI: dragging and completing wires, the pointer
//! gestures (pan, zoom, pinch, box-select, moving nodes, wires), where things sit on the
//! canvas and what lies under the pointer, undo and redo, copy and paste, selection, the
//! viewport's pan and zoom. Tested natively; the leptos canvas (`ui`) turns DOM events into
//! calls here and draws what they give.

pub mod clipboard;
pub mod connect;
pub mod geometry;
pub mod gesture;
pub mod history;
pub mod selection;
pub mod summary;
pub mod viewport;
pub mod wire_route;
