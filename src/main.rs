//! Kindling's entry point: in the browser, mount the app; natively, say how to run it.

#[cfg(target_arch = "wasm32")]
fn main() {
    console_error_panic_hook::set_once();
    leptos::mount::mount_to_body(kindling::ui::app::App);
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!(
        "Kindling runs in the browser: `cargo xtask serve` builds and serves it.\n\
         To train a saved graph here: `cargo run --release --bin kindling-run -- GRAPH.json`."
    );
}
