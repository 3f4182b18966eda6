//! A CSV Dataset's panel in the inspector: the file (pick one, or see which one the graph
//! wants), the target column, the feature columns, and what the data came to — rows, rows
//! left out with their lines, each feature's statistics as standardisation used them, the
//! classes.

use leptos::prelude::*;
use wasm_bindgen::JsCast;

use super::csv_files::CsvFiles;
use super::editor::Editor;
use crate::core::data::csv_store;
use crate::core::data::csv_store::csv_dataset;
use crate::core::model::catalogue::DatasetParams;
use crate::core::model::choices::CsvTask;
use crate::core::model::file_ref::size_text;
use crate::core::model::graph::Node;
use crate::core::model::number_text::short;

#[component]
pub fn CsvDatasetPanel(editor: Editor, node: Node, files: CsvFiles) -> impl IntoView {
    let id = node.id;
    let params = DatasetParams::read(&node).ok();
    let refusal = RwSignal::new(None::<String>);
    let update = move |change: &dyn Fn(&mut DatasetParams)| {
        refusal.set(editor.update_params(id, |params: &mut DatasetParams| change(params)).err());
    };
    let on_file = move |event: web_sys::Event| {
        let input = event.target().and_then(|target| target.dyn_into::<web_sys::HtmlInputElement>().ok());
        if let Some(file) =
            input.as_ref().and_then(web_sys::HtmlInputElement::files).and_then(|files| files.get(0))
        {
            files.give(editor, id, file);
        }
        if let Some(input) = input {
            input.set_value("");
        }
    };
    // Files arrive asynchronously (picked, or found in IndexedDB): look again when one does.
    let details = move || {
        files.version.track();
        let params = params.clone()?;
        let file = params.file.clone()?;
        let table = csv_store::get(&file.sha256);
        let data = csv_dataset(&params);
        Some((params, file, table, data))
    };
    view! {
        <div class="csv-panel" data-testid="csv-panel" data-explain="csv-panel">
            <label class="button file-button" title=text!("csv-pick-title")>
                {text!("csv-pick")}
                <input type="file" accept=".csv,text/csv,text/plain" data-testid="dataset-file" data-explain="dataset-file" class="visually-hidden" on:change=on_file />
            </label>
            {move || match details() {
                None => view! { <p class="param-help">{text!("csv-no-file")}</p> }.into_any(),
                Some((params, file, table, data)) => {
                    let state = if table.is_some() { "held" } else { "missing" };
                    let head = match &table {
                        Some(table) => text!("csv-file-held", file = file.describe(), rows = table.row_count(), columns = table.columns.len()),
                        None => text!("csv-file-not-held", file = file.describe()),
                    };
                    let columns = table.as_ref().map(|table| table.columns.clone()).unwrap_or_else(|| vec![params.target.clone()]);
                    let target = params.target.clone();
                    let target_options = columns.iter().map(|column| view! {
                        <option value=column.clone() selected=*column == target>{column.clone()}</option>
                    }).collect_view();
                    let features = params.features.clone();
                    let feature_boxes = columns.iter().filter(|column| **column != params.target).map(|column| {
                        let checked = features.is_empty() || features.contains(column);
                        let name = column.clone();
                        let all = columns.clone();
                        let (current, target) = (features.clone(), params.target.clone());
                        view! {
                            <label class="toggle csv-feature">
                                <input type="checkbox" data-feature=column.clone() checked=checked on:change=move |event| {
                                    let on = event_target_checked(&event);
                                    let others: Vec<&String> = all.iter().filter(|column| **column != target).collect();
                                    let mut chosen: Vec<String> = if current.is_empty() { others.iter().map(|c| (*c).clone()).collect() } else { current.clone() };
                                    chosen.retain(|column| *column != name);
                                    if on { chosen.push(name.clone()); }
                                    // In the file's order; every one of them is written as "all".
                                    let ordered: Vec<String> = others.iter().filter(|c| chosen.contains(c)).map(|c| (*c).clone()).collect();
                                    let features = if ordered.len() == others.len() { Vec::new() } else { ordered };
                                    update(&|params| params.features.clone_from(&features));
                                } />
                                {column.clone()}
                            </label>
                        }
                    }).collect_view();
                    let data_view = match data {
                        Ok(data) => {
                            let classes = (data.selection.task == CsvTask::Classification).then(|| {
                                text!("csv-classes", count = data.classes(), labels = data.labels.iter().take(12).cloned().collect::<Vec<_>>().join(", "))
                            });
                            let rows = data.stats.iter().map(|stats| view! {
                                <tr><th>{stats.name.clone()}</th><td>{short(stats.mean)}</td><td>{short(stats.std)}</td>
                                    <td>{short(stats.min)}</td><td>{short(stats.max)}</td></tr>
                            }).collect_view();
                            view! {
                                <p class="csv-samples" data-testid="dataset-samples" data-explain="dataset-samples" data-value=data.samples()>
                                    {text!("csv-samples-features", samples = data.samples(), features = data.features.len())}
                                    {classes.map(|classes| format!(" · {classes}"))}
                                </p>
                                {data.left_out_text().map(|text| view! { <p class="param-refusal" data-testid="dataset-left-out" data-explain="dataset-left-out" data-count=data.left_out.len()>{text}</p> })}
                                <table class="csv-stats" data-testid="dataset-stats" data-explain="dataset-stats">
                                    <caption>{text!("csv-stats-caption")}</caption>
                                    <thead><tr>
                                        <th>{text!("csv-stats-column")}</th><th>{text!("csv-stats-mean")}</th><th>{text!("csv-stats-std")}</th>
                                        <th>{text!("csv-stats-min")}</th><th>{text!("csv-stats-max")}</th>
                                    </tr></thead>
                                    <tbody>{rows}</tbody>
                                </table>
                            }.into_any()
                        }
                        Err(problem) => view! { <p class="param-refusal" data-testid="dataset-problem" data-explain="dataset-problem">{problem.to_string()}</p> }.into_any(),
                    };
                    view! {
                        <p class="csv-file" data-testid="dataset-file-state" data-explain="dataset-file-state" data-state=state title=text!("csv-file-hash", sha256 = file.sha256.as_str())>{head}</p>
                        <div class="param" data-explain=format!("param:{}:target", id.0)>
                            <label for=format!("param-{}-target", id.0)>{text!("csv-target")}</label>
                            <select id=format!("param-{}-target", id.0) data-param="target" on:change=move |event| {
                                let target = event_target_value(&event);
                                update(&|params| params.target.clone_from(&target));
                            }>
                                {target_options}
                            </select>
                            <p class="param-help">{text!("csv-target-help")}</p>
                        </div>
                        <fieldset class="param csv-features" data-param="features" data-explain=format!("param:{}:features", id.0)>
                            <legend>{text!("csv-features")}</legend>
                            {feature_boxes}
                        </fieldset>
                        {data_view}
                        <p class="param-help">{text!("csv-limits", size = size_text(crate::core::data::csv_data::MAX_BYTES), rows = crate::core::data::csv_data::MAX_ROWS)}</p>
                    }.into_any()
                }
            }}
            {move || refusal.get().map(|reason| view! { <p class="param-refusal" role="alert">{text!("csv-refused", reason = reason)}</p> })}
        </div>
    }
}
