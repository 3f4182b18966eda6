//! The model's answer to the learner's question, where the learner asked it — under the
//! decision boundary for a point, beside the drawing pad for a digit, under the form for a
//! CSV row: the likeliest class and each class's probability as a bar, or a regression's
//! value. Live as the model trains (the engine answers again at every refresh).
//!
//! Test surface: `data-testid="probe"`, with `data-class` (the class predicted) and
//! `data-probabilities` (a JSON array) for a classifier, `data-value` for a regression, and
//! `data-inputs` (a JSON array: the input as the model was asked).

use leptos::prelude::*;

use super::colours::CLASS_COLOURS;
use super::run_view::{AskedFrom, RunView};
use crate::core::model::number_text;
use crate::core::report::neurons::ProbeAnswer;

/// The answer, shown only where the run's data is asked from `place` (one answer on the page).
#[component]
pub fn ProbeAnswerView(view: RunView, place: AskedFrom) -> impl IntoView {
    move || {
        if view.asked_from() != Some(place) {
            return None;
        }
        let answer = view.probe.get()?;
        Some(readout(&answer, &view.class_names.read(), place))
    }
}

/// `answer` as the page shows it: what was asked, the likeliest class, then each class's
/// probability as a bar (or the value of a regression).
fn readout(answer: &ProbeAnswer, class_names: &[String], place: AskedFrom) -> impl IntoView + use<> {
    let asked = match (place, answer.inputs.as_slice()) {
        (AskedFrom::Plane, [x, y]) => text!(
            "probe-at-point",
            x = number_text::short(f64::from(*x)),
            y = number_text::short(f64::from(*y))
        ),
        (AskedFrom::Drawing, _) => text!("probe-drawing"),
        _ => text!("probe-row"),
    };
    let class = answer.class();
    let probabilities =
        answer.probabilities.then(|| serde_json::to_string(&answer.outputs).unwrap_or_default());
    let value = (!answer.probabilities).then(|| answer.outputs.first().copied().unwrap_or(f32::NAN));
    let inputs = serde_json::to_string(&answer.inputs).unwrap_or_default();
    let name =
        |index: usize| class_names.get(index).cloned().unwrap_or_else(|| text!("probe-class", class = index));
    let text = match (class, value) {
        (Some(class), _) => text!("probe-answer", asked = &asked, answer = name(class)),
        (None, Some(value)) => {
            text!("probe-answer", asked = &asked, answer = number_text::short(f64::from(value)))
        }
        (None, None) => asked,
    };
    let colour = |class: usize| {
        let [r, g, b] = CLASS_COLOURS[class % CLASS_COLOURS.len()];
        format!("rgb({r}, {g}, {b})")
    };
    let bars = answer.probabilities.then(|| {
        answer
            .outputs
            .iter()
            .enumerate()
            .map(|(index, &p)| {
                let percent = 100.0 * p.clamp(0.0, 1.0);
                view! {
                    <li class="probe-bar" class:likeliest=Some(index) == class>
                        <span class="probe-bar-name">{name(index)}</span>
                        <span class="probe-bar-track"><span class="probe-bar-fill"
                            style:width=format!("{percent:.1}%") style:background=colour(index)></span></span>
                        <span class="probe-bar-share">{text!("probe-share", percent = format!("{percent:.0}"))}</span>
                    </li>
                }
            })
            .collect_view()
    });
    view! {
        <div class="probe" data-testid="probe" data-explain="probe" data-class=class.map(|class| class.to_string())
            data-probabilities=probabilities data-value=value.map(|value| value.to_string()) data-inputs=inputs
            style:border-left-color=class.map(colour)>
            <p class="probe-text">{text}</p>
            <ul class="probe-bars">{bars}</ul>
        </div>
    }
}
