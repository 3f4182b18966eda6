//! Kindling's entry point: in the browser, mount the app; natively, say how to run it.

#[cfg(target_arch = "wasm32")]
unsafe extern "C" {
    /// The static constructors, synthesised by the linker (cubecl registers its kernels' IR
    /// with `inventory`, which runs them).
    fn __wasm_call_ctors();
}

#[cfg(target_arch = "wasm32")]
fn main() {
    // Run the constructors once, here. A binary that never calls them itself gets them
    // called by the linker at the top of *every* export — each callback from the page —
    // which cost ~20% of the main thread while training on WebGPU.
    // SAFETY: called once, at start-up, before any code that reads what they register.
    unsafe { __wasm_call_ctors() };
    // A panic saves the graph and says so (`ui::crash`).
    kindling::ui::crash::install();
    leptos::mount::mount_to_body(kindling::ui::app::App);
    // The editor is on the page, and usable.
    kindling::web::clock::mark("kindling-editor");
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "Kindling runs in the browser: `cargo xtask serve` builds and serves it.\n\
         To train a saved graph here: `cargo run --release --bin kindling-run -- GRAPH.json`."
    );
}
