//! What a learner asks a trained model about — a row of a file, a form's fields — as the
//! network's input: a CSV dataset's feature columns, found by name and standardised as its
//! samples were; any other dataset's inputs (a point's coordinates, a digit's 64 pixels in
//! [0, 1]) as they are, in order.

use crate::core::data::csv_data::{CsvData, CsvTable};

/// `raw`, the values of `csv`'s feature columns in their order, standardised as the
/// training samples were.
pub fn standardised(csv: &CsvData, raw: &[f64]) -> Vec<f32> {
    csv.stats.iter().zip(raw).map(|(stats, &value)| stats.standardised(value) as f32).collect()
}

/// Each row of `table` (with its line) as an input of `features` numbers: for a CSV dataset
/// (`csv`), its feature columns by name, standardised; otherwise the first `features`
/// columns, as they are.
///
/// # Errors
/// A column the dataset needs that the table lacks, a table with too few columns, or the
/// first row that is not all numbers, by its line.
pub fn inputs_of_table(
    table: &CsvTable,
    features: usize,
    csv: Option<&CsvData>,
) -> Result<Vec<(u64, Vec<f32>)>, String> {
    let columns: Vec<usize> = match csv {
        Some(csv) => {
            csv.features
                .iter()
                .map(|name| {
                    table.columns.iter().position(|column| column == name).ok_or_else(|| {
                        text!("csv-file-lacks-feature", file = &table.file.name, column = name)
                    })
                })
                .collect::<Result<_, _>>()?
        }
        None if table.columns.len() >= features => (0..features).collect(),
        None => {
            return Err(text!(
                "csv-file-too-few-columns",
                file = &table.file.name,
                count = table.columns.len(),
                features = features
            ));
        }
    };
    table
        .numbers_in(&columns)
        .map(|(line, numbers)| {
            let numbers = numbers.map_err(|problem| {
                text!("csv-file-line-error", file = &table.file.name, line = line, problem = problem)
            })?;
            let inputs = match csv {
                Some(csv) => standardised(csv, &numbers),
                None => numbers.iter().map(|&value| value as f32).collect(),
            };
            Ok((line, inputs))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::data::csv_data::CsvSelection;
    use crate::core::model::choices::CsvTask;

    fn table(name: &str, text: &str) -> CsvTable {
        CsvTable::parse(name, text.as_bytes()).unwrap()
    }

    #[test]
    fn points_are_read_as_they_are_in_order() {
        let inputs = inputs_of_table(&table("points.csv", "x,y\n0.5,-0.25\n1,2\n"), 2, None).unwrap();
        assert_eq!(inputs, [(2, vec![0.5, -0.25]), (3, vec![1.0, 2.0])]);
        let error = inputs_of_table(&table("one.csv", "x\n0.5\n"), 2, None).unwrap_err();
        assert!(error.contains("1 columns") && error.contains("2 numbers"), "{error}");
        let error = inputs_of_table(&table("bad.csv", "x,y\n0.5,-0.25\n1,oops\n"), 2, None).unwrap_err();
        assert_eq!(error, "bad.csv line 3: `y` is not a number: `oops`");
    }

    #[test]
    fn a_csv_datasets_features_are_found_by_name_and_standardised_as_its_samples() {
        let training = table("houses.csv", "rooms,price,area\n1,10,50\n3,30,70\n5,20,90\n");
        let selection = CsvSelection {
            target: "price".into(),
            features: vec!["area".into(), "rooms".into()],
            task: CsvTask::Regression,
        };
        let csv = training.select(&selection).unwrap();
        // The training rows themselves give the training samples' inputs.
        let asked = inputs_of_table(&training, 2, Some(&csv)).unwrap();
        let inputs: Vec<f32> = asked.into_iter().flat_map(|(_, inputs)| inputs).collect();
        assert_eq!(inputs, csv.inputs);
        // Columns in another order, and others besides, are found by name.
        let other = table("ask.csv", "rooms,note,area\n3,x,70\n");
        assert_eq!(inputs_of_table(&other, 2, Some(&csv)).unwrap(), [(2, csv.inputs[2..4].to_vec())]);
        let missing = inputs_of_table(&table("ask.csv", "rooms\n3\n"), 2, Some(&csv)).unwrap_err();
        assert!(missing.contains("no column `area`"), "{missing}");
    }
}
