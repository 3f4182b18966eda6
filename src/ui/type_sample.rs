//! The type the views below the first screen use — the formulas' monospace with its
//! subscripts and symbols, the charts' ‖ ∇ Δ, the headings' bold, the bars' tabular figures —
//! laid out unseen from the page's load, so that their fonts (and the fallback fonts of their
//! symbols) are found then, not in a run's first frames, where finding them held the page's
//! thread in a 150 ms layout (a trace of `?autorun`, 2026-12-06).

use leptos::prelude::*;

#[component]
pub fn TypeSample() -> impl IntoView {
    view! {
        <div class="type-sample" aria-hidden="true">
            <p class="neuron-formula">"h0:3 = ReLU(−0.83·x₁ + 1.2·x₂ − 0.1) … ₀₁₂₃₄₅₆₇₈₉ “ ”"</p> // not words: a type specimen, never shown
            <h3>"Inside every layer: ‖W‖ ∇ Δ ‹ › – —"</h3> // not words: a type specimen, never shown
            <span class="probe-bar-share">"100%"</span>
            <svg width="10" height="10">
                <text font-family="sans-serif" font-size="14">"Weight norm ‖W‖ ‖∇W‖ ‖ΔW‖/‖W‖ · 1e-3"</text> // not words: a type specimen, never shown
                <text font-family="sans-serif" font-size="11">"0.00 1e0 3e-1"</text>
            </svg>
        </div>
    }
}
