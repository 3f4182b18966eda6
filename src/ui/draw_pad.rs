//! Try the model on image data: an 8×8 pad to draw a digit on, with the mouse, a pen or a
//! finger, and the model's answer beside it as bars — asked again at every stroke and at
//! every refresh while it trains, so a learner watches the prediction settle.
//!
//! Test surface: `data-testid="draw-pad"` (`data-rows`, `data-columns`), each cell
//! `data-cell` (its index, row by row; `data-value` its ink, 0–1), `draw-pad-clear`; the answer
//! in `probe_answer`'s `probe`.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::probe_answer::ProbeAnswerView;
use super::run_view::{AskedFrom, RunView};
use crate::core::data::drawing::inked;
use crate::core::model::params::greyscale_image;

#[component]
pub fn DrawPad(view: RunView, on_ask: Callback<Vec<f32>>) -> impl IntoView {
    let shape = Memo::new(move |_| {
        let network = view.network.read();
        network
            .as_ref()
            .and_then(|network| greyscale_image(&network.in_shape))
            .map(|[rows, columns]| (rows, columns))
    });
    let cells = RwSignal::new(Vec::<f32>::new());
    // A new shape of image: a blank pad of its size (the learner's drawing stays otherwise).
    Effect::new(move || {
        if let Some((rows, columns)) = shape.get()
            && cells.with_untracked(Vec::len) != rows * columns
        {
            cells.set(vec![0.0; rows * columns]);
        }
    });
    let drawing = RwSignal::new(false);
    let ink = move |cell: usize| {
        let Some((_, columns)) = shape.get_untracked() else { return };
        let before = cells.get_untracked();
        let after = inked(&before, columns, cell);
        if after != before {
            cells.set(after.clone());
            on_ask.run(after);
        }
    };
    // The cell under the pointer, wherever it started (a touch keeps its first target).
    let cell_at = |event: &web_sys::PointerEvent| -> Option<usize> {
        let element = web_sys::window()?
            .document()?
            .element_from_point(event.client_x() as f32, event.client_y() as f32)?;
        element.dyn_ref::<web_sys::HtmlElement>()?.dataset().get("cell")?.parse().ok()
    };
    let on_down = move |event: web_sys::PointerEvent| {
        event.prevent_default();
        drawing.set(true);
        if let Some(cell) = cell_at(&event) {
            ink(cell);
        }
    };
    let on_move = move |event: web_sys::PointerEvent| {
        if drawing.get_untracked()
            && let Some(cell) = cell_at(&event)
        {
            ink(cell);
        }
    };
    let stop = move |_| drawing.set(false);
    let clear = move |_| {
        let blank = vec![0.0; cells.with_untracked(Vec::len)];
        cells.set(blank.clone());
        on_ask.run(blank);
    };
    let grid = move || {
        let (rows, columns) = shape.get()?;
        let cells = cells.get();
        let items = (0..rows * columns)
            .map(|cell| {
                let value = cells.get(cell).copied().unwrap_or(0.0);
                let shade = (255.0 * (1.0 - value)).round() as u8;
                view! {
                    <div class="pad-cell" data-cell=cell data-value=value.to_string()
                        style:background=format!("rgb({shade},{shade},{shade})")></div>
                }
            })
            .collect_view();
        Some(view! {
            <div class="pad-grid" data-testid="draw-pad" data-explain="draw-pad" data-rows=rows data-columns=columns
                style:grid-template-columns=format!("repeat({columns}, 1fr)")
                role="img" aria-label=text!("probe-pad")
                on:pointerdown=on_down on:pointermove=on_move on:pointerup=stop on:pointerleave=stop
                on:pointercancel=stop>
                {items}
            </div>
        })
    };
    view! {
        <section class="draw-pad" hidden=move || view.asked_from() != Some(AskedFrom::Drawing)
            aria-label=text!("probe-draw-title")>
            <h3>{text!("probe-draw-title")}</h3>
            <div class="draw-pad-body">
                <div class="draw-pad-left">
                    {grid}
                    <button type="button" data-testid="draw-pad-clear" data-explain="draw-pad-clear" on:click=clear>{text!("probe-pad-clear")}</button>
                </div>
                <ProbeAnswerView view place=AskedFrom::Drawing />
            </div>
        </section>
    }
}
