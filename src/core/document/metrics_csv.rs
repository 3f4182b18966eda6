//! Epoch metrics as CSV, for spreadsheets: one row per epoch, with the run it belongs to.

use std::fmt::Write;

use crate::core::report::epoch_stats::EpochStats;

/// The columns, in order.
pub const HEADER: &str =
    "run,epoch,train_loss,train_accuracy,val_loss,val_accuracy,lr,precision,recall,f1,roc_auc";

/// The CSV of `runs`: each a label (`current`, `previous`, …) with its epochs. A value the
/// graph does not have is an empty cell (precision, recall, F1 and ROC-AUC come from a
/// ClassificationMetrics node).
pub fn metrics_csv<'a>(runs: impl IntoIterator<Item = (&'a str, &'a [EpochStats])>) -> String {
    let mut text = format!("{HEADER}\n");
    for (label, epochs) in runs {
        for stats in epochs {
            text.push_str(&metrics_row(label, stats));
        }
    }
    text
}

/// One epoch's row of [`metrics_csv`], its line end included: for writing epochs as they
/// come, after [`HEADER`].
pub fn metrics_row(label: &str, stats: &EpochStats) -> String {
    let cell = |value: Option<f64>| value.map_or_else(String::new, |value| value.to_string());
    let metrics = stats.class_metrics;
    let mut row = String::new();
    let _ = writeln!(
        row,
        "{label},{},{},{},{},{},{},{},{},{},{}",
        stats.epoch,
        stats.train_loss,
        cell(stats.train_accuracy),
        cell(stats.val_loss),
        cell(stats.val_accuracy),
        stats.lr,
        cell(metrics.map(|m| m.precision)),
        cell(metrics.map(|m| m.recall)),
        cell(metrics.map(|m| m.f1)),
        cell(metrics.and_then(|m| m.roc_auc)),
    );
    row
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::report::class_metrics::ClassMetrics;

    fn epoch(epoch: usize, train_loss: f64, val_loss: Option<f64>) -> EpochStats {
        EpochStats {
            epoch,
            train_loss,
            train_accuracy: None,
            val_loss,
            val_accuracy: None,
            per_class_accuracy: Vec::new(),
            class_metrics: None,
            lr: 0.1,
            layers: Vec::new(),
        }
    }

    #[test]
    fn one_row_per_epoch_of_each_run_with_empty_cells_for_missing_values() {
        let current = [epoch(1, 0.5, Some(0.6)), epoch(2, 0.25, Some(0.3))];
        let previous = [epoch(1, 0.75, None)];
        let text = metrics_csv([("current", &current[..]), ("previous", &previous[..])]);
        let lines: Vec<&str> = text.lines().collect();
        assert_eq!(lines[0], HEADER);
        assert_eq!(lines[1], "current,1,0.5,,0.6,,0.1,,,,");
        assert_eq!(lines[2], "current,2,0.25,,0.3,,0.1,,,,");
        assert_eq!(lines[3], "previous,1,0.75,,,,0.1,,,,");
        assert_eq!(lines.len(), 4);
        let metrics = ClassMetrics { precision: 0.5, recall: 0.25, f1: 0.125, roc_auc: None };
        let scored = [EpochStats { class_metrics: Some(metrics), ..epoch(1, 0.5, None) }];
        assert_eq!(
            metrics_csv([("current", &scored[..])]).lines().nth(1),
            Some("current,1,0.5,,,,0.1,0.5,0.25,0.125,")
        );
    }
}
