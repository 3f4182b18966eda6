//! `--predict FILE`: the trained model's answers to the rows of a CSV file — points, pixels
//! or a CSV dataset's feature columns by name (`core::data::model_input`) — one JSON line
//! each, `{"line", "probabilities"}` for a classifier (and `"class"`, the likeliest) or
//! `{"line", "value"}` for a regression: what the page's probe shows for the same input.

use futures_lite::future::block_on;
use kindling::core::data::csv_data::CsvTable;
use kindling::core::data::model_input::inputs_of_table;
use kindling::core::engine::train::Trainer;
use serde::Serialize;

#[derive(Serialize)]
struct AnswerLine {
    line: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    class: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    probabilities: Option<Vec<f32>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    value: Option<f32>,
}

/// Prints `trainer`'s model's answer to each row of the CSV file `bytes` (named `name`).
///
/// # Errors
/// Why the file gives no inputs for this network (see `inputs_of_table`), or why the model
/// could not be read.
pub fn predict(trainer: &Trainer, name: &str, bytes: &[u8]) -> Result<(), String> {
    let table = CsvTable::parse(name, bytes).map_err(|error| error.to_string())?;
    let plan = trainer.plan();
    let rows = inputs_of_table(&table, plan.network.in_features(), plan.dataset.csv.as_deref())?;
    for (line, inputs) in rows {
        let mut refresh =
            trainer.view_refresh(None, false).ok_or("the model is not ready")?.with_probe(inputs);
        block_on(refresh.finish()).map_err(|error| error.to_string())?;
        let answer =
            refresh.probe().ok_or_else(|| format!("{name} line {line}: the model gave no answer"))?;
        let line = match answer.probabilities {
            true => {
                AnswerLine { line, class: answer.class(), probabilities: Some(answer.outputs), value: None }
            }
            false => {
                AnswerLine { line, class: None, probabilities: None, value: answer.outputs.first().copied() }
            }
        };
        // Numbers and options serialise without fail.
        println!("{}", serde_json::to_string(&line).unwrap_or_default());
    }
    Ok(())
}
