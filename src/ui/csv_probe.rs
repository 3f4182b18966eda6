//! Try the model on a CSV's data: one field per feature column, filled with a sample's values
//! as the file has them; the model's answer below, asked again on every change and at every
//! refresh while it trains. The page standardises the values as the training rows were.
//!
//! Test surface: `data-testid="csv-probe"`, each field `data-probe-feature` (the column's name),
//! `csv-probe-sample` (the next sample's values), a field's refusal in `csv-probe-error`; the
//! answer in `probe_answer`'s `probe`.

use leptos::prelude::*;

use super::probe_answer::ProbeAnswerView;
use super::run_view::{AskedFrom, RunView};
use crate::core::data::csv_data::CsvData;
use crate::core::data::model_input::standardised;
use crate::core::model::number_text;

/// Sample `sample`'s feature values as the file has them, written as people write them.
fn sample_values(csv: &CsvData, sample: usize) -> Vec<String> {
    let features = csv.features.len();
    let row = csv.inputs.get(sample * features..(sample + 1) * features).unwrap_or(&[]);
    csv.stats.iter().zip(row).map(|(stats, &z)| number_text::short(stats.raw(f64::from(z)))).collect()
}

#[component]
pub fn CsvProbeForm(view: RunView, on_ask: Callback<Vec<f32>>) -> impl IntoView {
    let csv = Memo::new(move |_| view.dataset.read().as_ref().and_then(|dataset| dataset.csv.clone()));
    let sample = RwSignal::new(0usize);
    let values = RwSignal::new(Vec::<String>::new());
    let error = RwSignal::new(None::<String>);
    let ask = move || {
        let Some(csv) = csv.get_untracked() else { return };
        let texts = values.get_untracked();
        let parsed: Result<Vec<f64>, String> = csv
            .features
            .iter()
            .zip(&texts)
            .map(|(name, text)| {
                text.trim().parse::<f64>().ok().filter(|value| value.is_finite()).ok_or_else(|| {
                    text!("csv-probe-not-a-number", feature = name.as_str(), text = text.as_str())
                })
            })
            .collect();
        match parsed {
            Ok(raw) => {
                error.set(None);
                on_ask.run(standardised(&csv, &raw));
            }
            Err(message) => error.set(Some(message)),
        }
    };
    // A new dataset, or the next sample: its values in the fields, and asked.
    Effect::new(move || {
        let (Some(csv), sample) = (csv.get(), sample.get()) else { return };
        values.set(sample_values(&csv, sample % csv.samples().max(1)));
        if view.asked_from() == Some(AskedFrom::Form) {
            ask();
        }
    });
    let fields = move || {
        let csv = csv.get()?;
        Some(
            csv.features
                .iter()
                .enumerate()
                .map(|(at, name)| {
                    let value = move || values.read().get(at).cloned().unwrap_or_default();
                    view! {
                        <label class="csv-probe-field">
                            <span>{name.clone()}</span>
                            <input type="text" inputmode="decimal" data-probe-feature=name.clone() prop:value=value
                                on:change=move |event| {
                                    let text = event_target_value(&event);
                                    values.update(|values| if let Some(slot) = values.get_mut(at) { *slot = text });
                                    ask();
                                } />
                        </label>
                    }
                })
                .collect_view(),
        )
    };
    view! {
        <section class="csv-probe" data-testid="csv-probe" data-explain="csv-probe" hidden=move || view.asked_from() != Some(AskedFrom::Form)
            aria-label=text!("csv-probe-title")>
            <h3>{text!("csv-probe-title")}</h3>
            <div class="csv-probe-fields">{fields}</div>
            <button type="button" data-testid="csv-probe-sample" data-explain="csv-probe-sample" on:click=move |_| sample.update(|at| *at += 1)>
                {text!("csv-probe-next-sample")}
            </button>
            {move || error.get().map(|message| view! { <p class="message" data-testid="csv-probe-error" data-explain="csv-probe-error">{message}</p> })}
            <ProbeAnswerView view place=AskedFrom::Form />
        </section>
    }
}
