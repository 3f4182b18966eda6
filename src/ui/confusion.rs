//! The confusion matrix and per-class accuracy of a classifier (AccuracyMetric's per-class
//! view): rows are true classes, columns predictions; each cell shaded by its share of the
//! row, so the diagonal darkens as the network learns.

use leptos::prelude::*;

use super::colours::CLASS_COLOURS;
use super::picture_buttons::PictureButtons;
use super::run_view::RunView;

#[component]
pub fn ConfusionView(view: RunView) -> impl IntoView {
    move || {
        let Some(confusion) = view.confusion.get() else { return type_sample().into_any() };
        {
            let classes = confusion.classes;
            // A CSV's classes by name (cut short; whole in the tooltip), others by number.
            let names = view.class_names.get();
            let name = move |class: usize| match names.get(class) {
                Some(name) if name.chars().count() > 10 => {
                    (format!("{}…", name.chars().take(9).collect::<String>()), name.clone())
                }
                Some(name) => (name.clone(), name.clone()),
                None => (class.to_string(), class.to_string()),
            };
            let header = (0..classes)
                .map(|class| {
                    let [r, g, b] = CLASS_COLOURS[class % CLASS_COLOURS.len()];
                    let (short, full) = name(class);
                    view! { <th scope="col" title=full style:color=format!("rgb({r},{g},{b})")>{short}</th> }
                })
                .collect_view();
            let rows = (0..classes)
                .map(|truth| {
                    let total = confusion.total(truth).max(1);
                    let cells = (0..classes)
                        .map(|predicted| {
                            let count = confusion.count(truth, predicted);
                            let share = f64::from(count) / f64::from(total);
                            let background = if truth == predicted {
                                format!("rgba(47, 154, 106, {:.2})", share * 0.85)
                            } else {
                                format!("rgba(201, 48, 44, {:.2})", share * 0.85)
                            };
                            view! { <td style:background=background data-count=count>{count}</td> }
                        })
                        .collect_view();
                    let accuracy = confusion.class_accuracy(truth);
                    view! {
                        <tr>
                            <th scope="row" title=name(truth).1>{name(truth).0}</th>
                            {cells}
                            <td class="class-accuracy" data-testid="class-accuracy" data-explain="class-accuracy" data-class=truth
                                data-value=accuracy.map(|a| a.to_string()).unwrap_or_default()>
                                {accuracy.map_or_else(|| "—".to_owned(), |a| {
                                    text!("confusion-accuracy-value", percent = format!("{:.0}", a * 100.0))
                                })}
                            </td>
                        </tr>
                    }
                })
                .collect_view();
            view! {
                <figure class="confusion" data-testid="confusion-matrix" data-explain="confusion-matrix" data-classes=classes>
                    <table>
                        <thead><tr><th class="corner">{text!("confusion-corner")}</th>{header}<th>{text!("confusion-accuracy")}</th></tr></thead>
                        <tbody>{rows}</tbody>
                    </table>
                    <figcaption>{text!("confusion-caption", samples = &confusion.samples)}</figcaption>
                    // Over the figure's corner, out of the flow (see the decision boundary's).
                    <PictureButtons selector="[data-testid=\"confusion-matrix\"] table".to_owned() name="confusion-matrix".to_owned() />
                </figure>
            }
            .into_any()
        }
    }
}

/// Until a run has a matrix: the matrix's type, unseen and taking no room, so that its fonts
/// (bold, tabular figures) are loaded with the page. Met first in a run's first frames, they
/// held the page's thread in a 59 ms layout on this machine.
fn type_sample() -> impl IntoView {
    view! {
        <figure class="confusion type-sample" aria-hidden="true">
            <table>
                <thead><tr><th class="corner">{text!("confusion-corner")}</th><th>"0123456789"</th></tr></thead>
                <tbody><tr><th>"0"</th><td>"0123456789"</td><td class="class-accuracy">"100%"</td></tr></tbody>
            </table>
            <figcaption>"Confusion matrix"</figcaption> // not words: a type specimen, never shown
        </figure>
    }
}
