//! Kindling's engine, as the page's Web Worker runs it (`src/web/engine-worker.js`), or the
//! page itself where no worker can start: the conductor, answering the page's commands
//! (`web::engine_host`).

#[cfg(target_arch = "wasm32")]
unsafe extern "C" {
    /// The static constructors, synthesised by the linker (cubecl registers its kernels' IR
    /// with `inventory`, which runs them).
    fn __wasm_call_ctors();
}

#[cfg(target_arch = "wasm32")]
fn main() {
    // Run the constructors once, here: a binary that never calls them itself gets them called
    // by the linker at the top of every export.
    // SAFETY: called once, at start-up, before any code that reads what they register.
    unsafe { __wasm_call_ctors() };
    kindling::web::engine_host::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "kindling-engine runs in the browser, in a Web Worker: `cargo xtask serve` builds and serves it."
    );
}
