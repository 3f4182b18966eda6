//! What the page and the engine say to each other: the commands the page gives, the events the
//! engine answers with, and the plain values both speak of (a backend, a step's size, the
//! GPU's state, a run's progress). The engine may run in a Web Worker, so everything here is
//! serialisable and holds no tensor. Imports the layers below; never the engine.

pub mod backend;
pub mod codec;
pub mod gpu_state;
pub mod graph_text;
pub mod message;
pub mod progress;
pub mod step_size;
