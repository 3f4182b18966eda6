//! The samples the model gets wrong, as of the last refresh: points with their coordinates
//! (and ringed on the decision boundary), digits as small images, a CSV's rows with their
//! values as the file has them. Clicking one asks the model about it.
//!
//! Test surface: `data-testid="mistakes"` (`data-count`: samples wrong, `data-listed`: kept),
//! each item `data-sample` (its index among the samples counted), `data-label`,
//! `data-predicted`; `mistakes-more` shows every one kept.

use leptos::html::Canvas;
use leptos::prelude::*;

use super::run_view::{AskedFrom, RunView};
use crate::core::model::number_text;
use crate::core::model::params::greyscale_image;
use crate::core::report::confusion::Mistake;
use crate::web::canvas::{put_rgba, size_canvas};

/// Mistakes listed before "Show all".
const FIRST_SHOWN: usize = 24;

#[component]
pub fn MistakesList(
    view: RunView,
    on_ask: Callback<Vec<f32>>,
    /// Whether the list is on screen: its items follow the refreshes only then.
    shown: Signal<bool>,
) -> impl IntoView {
    let all = RwSignal::new(false);
    let summary = Memo::new(move |_| {
        view.confusion
            .read()
            .as_ref()
            .map(|confusion| (confusion.wrong(), confusion.mistakes.len(), confusion.samples.clone()))
    });
    // Keyed: a refresh that keeps most mistakes keeps their items (a list rebuilt at every
    // refresh was a layout of the page each time).
    let listed = Memo::new(move |previous: Option<&Vec<Mistake>>| {
        if !shown.get()
            && let Some(previous) = previous
        {
            return previous.clone();
        }
        let confusion = view.confusion.read();
        let mistakes = confusion.as_ref().map_or(&[][..], |confusion| confusion.mistakes.as_slice());
        let count = if all.get() { mistakes.len() } else { FIRST_SHOWN.min(mistakes.len()) };
        mistakes[..count].to_vec()
    });
    let items = move || {
        view! {
            <For each=move || listed.get() key=|mistake| (mistake.sample, mistake.label, mistake.predicted) let:mistake>
                <MistakeItem view mistake on_ask />
            </For>
        }
    };
    let more = move || {
        let (_, listed, _) = summary.get()?;
        (listed > FIRST_SHOWN && !all.get()).then(|| {
            view! { <button type="button" data-testid="mistakes-more" data-explain="mistakes-more" on:click=move |_| all.set(true)>{text!("mistakes-show-all", count = listed)}</button> }
        })
    };
    view! {
        <section class="mistakes" data-testid="mistakes" data-explain="mistakes" hidden=move || summary.get().is_none()
            data-count=move || summary.get().map(|(wrong, ..)| wrong) data-listed=move || summary.get().map(|(_, listed, _)| listed)
            class:images=move || view.asked_from() == Some(AskedFrom::Drawing)>
            <h3>{move || summary.get().map(|(wrong, listed, samples)| match wrong as usize > listed {
                true => text!("mistakes-title-kept", wrong = wrong, samples = samples, kept = listed),
                false => text!("mistakes-title", wrong = wrong, samples = samples),
            })}</h3>
            <ul class="mistake-list">{items}</ul>
            {more}
        </section>
    }
}

/// One mistake: what it is, and a click asks the model about it.
#[component]
fn MistakeItem(view: RunView, mistake: Mistake, on_ask: Callback<Vec<f32>>) -> impl IntoView {
    let names = view.class_names.read_untracked();
    let name = |class: usize| names.get(class).cloned().unwrap_or_else(|| class.to_string());
    let (label, predicted) = (name(mistake.label), name(mistake.predicted));
    let listed = |inputs: String| {
        text!(
            "mistakes-item",
            sample = mistake.sample,
            inputs = inputs,
            label = &label,
            predicted = &predicted
        )
    };
    let content = match view.asked_from_untracked() {
        Some(AskedFrom::Drawing) => {
            let what = text!("mistakes-taken-for", label = &label, predicted = &predicted);
            view! { <MistakeImage view mistake=mistake.clone() /> <span>{what}</span> }.into_any()
        }
        Some(AskedFrom::Form) => listed(row_text(view, &mistake)).into_any(),
        _ => listed(point_text(&mistake)).into_any(),
    };
    let inputs = mistake.inputs.clone();
    view! {
        <li><button type="button" class="mistake" data-sample=mistake.sample data-label=mistake.label
            data-predicted=mistake.predicted title=text!("mistakes-ask")
            on:click=move |_| on_ask.run(inputs.clone())>{content}</button></li>
    }
}

/// A point's coordinates.
fn point_text(mistake: &Mistake) -> String {
    let coordinates: Vec<String> = mistake.inputs.iter().map(|&x| number_text::short(f64::from(x))).collect();
    format!("({})", coordinates.join(", "))
}

/// A CSV row's feature values as the file has them (the network sees them standardised).
fn row_text(view: RunView, mistake: &Mistake) -> String {
    let dataset = view.dataset.read_untracked();
    let Some(csv) = dataset.as_ref().and_then(|dataset| dataset.csv.as_ref()) else {
        return point_text(mistake);
    };
    csv.stats
        .iter()
        .zip(&mistake.inputs)
        .map(|(stats, &z)| format!("{} {}", stats.name, number_text::short(stats.raw(f64::from(z)))))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A digit taken for another, as its image.
#[component]
fn MistakeImage(view: RunView, mistake: Mistake) -> impl IntoView {
    let canvas = NodeRef::<Canvas>::new();
    let shape =
        view.network.read_untracked().as_ref().map(|network| network.in_shape.clone()).unwrap_or_default();
    let (rows, columns) = match greyscale_image(&shape) {
        Some([rows, columns]) => (rows as u32, columns as u32),
        None => (1, mistake.inputs.len() as u32),
    };
    Effect::new(move || {
        let Some(canvas) = canvas.get() else { return };
        size_canvas(&canvas, columns, rows);
        // Ink dark on white, as the drawing pad shows it.
        let pixels: Vec<u8> = mistake
            .inputs
            .iter()
            .flat_map(|&ink| {
                let shade = (255.0 * (1.0 - ink.clamp(0.0, 1.0))).round() as u8;
                [shade, shade, shade, 255]
            })
            .collect();
        put_rgba(&canvas, columns, rows, &pixels);
    });
    view! { <canvas class="mistake-image" node_ref=canvas aria-hidden="true"></canvas> }
}
