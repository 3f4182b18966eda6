//! Browser tests (wasm-bindgen-test in headless Chromium): the app mounts, shows the default
//! graph, and a click on Train trains it to the end in the page. The harness serves no worker
//! bundle, so the engine runs on the page's thread, started from this module (the fallback a
//! browser without module workers takes).
#![cfg(target_arch = "wasm32")]

use kindling::ui::app::App;
use kindling::ui::paced::paced;
use kindling::web::clock::now_millis;
use kindling::web::tick::yield_to_next_frame;
use leptos::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, HtmlElement};

wasm_bindgen_test_configure!(run_in_browser);

/// Mounts the app into a fresh element and returns that element.
fn mount() -> (HtmlElement, leptos::mount::UnmountHandle<impl leptos::tachys::view::Mountable>) {
    let document = web_sys::window().unwrap().document().unwrap();
    let host: HtmlElement = document.create_element("div").unwrap().unchecked_into();
    document.body().unwrap().append_child(&host).unwrap();
    let handle = leptos::mount::mount_to(host.clone(), App);
    (host, handle)
}

fn by_test_id(host: &Element, id: &str) -> Element {
    host.query_selector(&format!("[data-testid='{id}']")).unwrap().unwrap_or_else(|| panic!("no {id}"))
}

fn text(host: &Element, id: &str) -> String {
    by_test_id(host, id).text_content().unwrap_or_default()
}

#[wasm_bindgen_test]
async fn the_default_graph_is_drawn_with_its_nodes_and_wires() {
    let (host, _handle) = mount();
    yield_to_next_frame().await;
    for kind in [
        "Dataset",
        "BatchSampler",
        "GetBatch",
        "Network",
        "CrossEntropyLoss",
        "SGDOptimizer",
        "TrainingStep",
        "EpochTracker",
    ] {
        assert!(
            host.query_selector(&format!("[data-node-kind='{kind}']")).unwrap().is_some(),
            "{kind} missing"
        );
    }
    assert_eq!(host.query_selector_all("[data-wire]").unwrap().length(), 13);
    let network = host.query_selector("[data-node-kind='Network']").unwrap().unwrap();
    assert!(network.text_content().unwrap().contains("Linear 16→2"));
    // Every parameter shows, an empty class-weight list included.
    let loss = host.query_selector("[data-node-kind='CrossEntropyLoss']").unwrap().unwrap();
    assert!(loss.text_content().unwrap().contains("weight = none"), "{:?}", loss.text_content());
    assert_eq!(text(&host, "status"), "idle");
    assert_eq!(text(&host, "backend"), "cpu");
}

#[wasm_bindgen_test]
async fn train_runs_every_epoch_in_the_page_and_learns() {
    let (host, _handle) = mount();
    by_test_id(&host, "train-button").unchecked_into::<HtmlElement>().click();
    yield_to_next_frame().await;
    assert_eq!(text(&host, "status"), "training");
    let deadline = now_millis() + 240_000.0;
    while text(&host, "status") == "training" && now_millis() < deadline {
        yield_to_next_frame().await;
    }
    assert_eq!(text(&host, "status"), "done");
    assert_eq!(text(&host, "epoch"), "200/200");
    let accuracy: f64 =
        by_test_id(&host, "train-accuracy").get_attribute("data-value").unwrap().parse().unwrap();
    assert!(accuracy >= 0.9, "accuracy {accuracy}");
    let loss: f64 = by_test_id(&host, "train-loss").get_attribute("data-value").unwrap().parse().unwrap();
    assert!(loss.is_finite() && loss < 0.3, "loss {loss}");
    assert!(host.query_selector("[data-testid='loss-chart'] svg").unwrap().is_some(), "the chart is drawn");
}

#[wasm_bindgen_test]
async fn stop_ends_the_run_at_once() {
    let (host, _handle) = mount();
    by_test_id(&host, "train-button").unchecked_into::<HtmlElement>().click();
    yield_to_next_frame().await;
    by_test_id(&host, "stop-button").unchecked_into::<HtmlElement>().click();
    // The engine answers within a slice or two (here on the page's own thread: the test has
    // no worker bundle to start).
    for _ in 0..30 {
        if text(&host, "status") == "idle" {
            break;
        }
        yield_to_next_frame().await;
    }
    assert_eq!(text(&host, "status"), "idle");
    // Epochs done, of the planned (which the page may learn after the click).
    let epochs_done =
        |host: &HtmlElement| text(host, "epoch").split('/').next().unwrap_or_default().to_owned();
    let done_at_stop = epochs_done(&host);
    for _ in 0..50 {
        yield_to_next_frame().await;
    }
    assert_eq!(epochs_done(&host), done_at_stop, "training went on after Stop");
    assert_eq!(text(&host, "status"), "idle");
}

/// Resolves after the microtasks queued so far (and those they queue, a few deep): effects
/// have run, but no task — so no animation frame — has come in between.
async fn microtasks() {
    for _ in 0..8 {
        let _ = wasm_bindgen_futures::JsFuture::from(js_sys::Promise::resolve(&wasm_bindgen::JsValue::NULL))
            .await;
    }
}

#[wasm_bindgen_test]
async fn charts_are_redrawn_one_per_frame_with_their_newest_data() {
    let _ = any_spawner::Executor::init_wasm_bindgen();
    let owner = Owner::new();
    let (first, second) = (RwSignal::new(1), RwSignal::new(10));
    let draws = std::rc::Rc::new(std::cell::Cell::new(0));
    let chart = |data: RwSignal<i32>| {
        let draws = std::rc::Rc::clone(&draws);
        owner.with(|| {
            paced(
                move || data.get(),
                move |value| {
                    draws.set(draws.get() + 1);
                    format!("<svg>{value}</svg>")
                },
            )
        })
    };
    let (a, b) = (chart(first), chart(second));
    // Drawn at once for the first paint.
    assert_eq!(
        (a.svg.get_untracked(), b.svg.get_untracked()),
        ("<svg>1</svg>".into(), "<svg>10</svg>".into())
    );
    assert_eq!(draws.get(), 2);
    microtasks().await;
    yield_to_next_frame().await;
    // Data changing twice before a frame: the chart waits, then draws the newest, once.
    first.set(2);
    first.set(3);
    second.set(20);
    microtasks().await;
    assert!(a.pending.get_untracked() && b.pending.get_untracked());
    assert_eq!(a.svg.get_untracked(), "<svg>1</svg>", "drawn before its frame");
    yield_to_next_frame().await;
    assert_eq!(draws.get(), 3, "one chart per frame");
    assert_eq!(a.svg.get_untracked(), "<svg>3</svg>");
    assert!(!a.pending.get_untracked() && b.pending.get_untracked());
    yield_to_next_frame().await;
    assert_eq!(b.svg.get_untracked(), "<svg>20</svg>");
    assert!(!b.pending.get_untracked());
    assert_eq!(draws.get(), 4);
}
