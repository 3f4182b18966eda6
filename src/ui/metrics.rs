//! Metric readouts: a label, the value as text, and the raw number in `data-value`.

use leptos::prelude::*;

/// One metric. `value` is `None` before the first epoch; `percent` shows a 0–1 fraction as a
/// percentage (the `data-value` keeps the fraction).
#[component]
pub fn Metric(
    /// Shown before the value.
    label: String,
    /// The `data-testid` of the readout.
    test_id: &'static str,
    /// The raw value.
    value: Signal<Option<f64>>,
    /// Format as a percentage.
    #[prop(optional)]
    percent: bool,
) -> impl IntoView {
    let text = move || match value.get() {
        None => "—".to_owned(),
        Some(v) if percent => format!("{:.1}%", v * 100.0),
        Some(v) => format!("{v:.4}"),
    };
    let raw = move || value.get().map(|v| v.to_string()).unwrap_or_default();
    view! {
        <div class="metric">
            <span class="metric-label">{label}</span>
            <span class="metric-value" data-testid=test_id data-explain=test_id data-value=raw>{text}</span>
        </div>
    }
}
