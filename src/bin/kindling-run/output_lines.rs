//! The JSON lines the runner prints: an epoch's, a step log's, a sweep trial's.

use kindling::core::model::sweep_spec::Trial;
use kindling::core::report::epoch_stats::EpochStats;
use kindling::core::report::step_log::StepLog;
use serde::Serialize;

/// One line of output; fields print in this order.
#[derive(Serialize)]
pub(crate) struct EpochLine {
    epoch: usize,
    train_loss: f64,
    train_accuracy: Option<f64>,
    val_loss: Option<f64>,
    val_accuracy: Option<f64>,
    lr: f64,
    /// A ClassificationMetrics node's values (absent without one).
    #[serde(flatten)]
    metrics: Option<MetricsLine>,
    seconds: f64,
}

/// ClassificationMetrics' values in an epoch line.
#[derive(Serialize)]
pub(crate) struct MetricsLine {
    precision: f64,
    recall: f64,
    f1: f64,
    roc_auc: Option<f64>,
}

/// EpochTracker's log as a stderr line.
#[derive(Serialize)]
pub(crate) struct StepLine {
    step: usize,
    loss: f64,
    steps: usize,
    grad_norm_mean: Option<f64>,
    grad_norm_max: Option<f64>,
}

pub(crate) fn step_log_line(log: &StepLog) -> String {
    let summary = log.grad_norm_summary();
    let line = StepLine {
        step: log.step,
        loss: log.loss,
        steps: log.steps,
        grad_norm_mean: summary.map(|(mean, _)| mean),
        grad_norm_max: summary.map(|(_, max)| max),
    };
    serde_json::to_string(&line).unwrap_or_default()
}
/// A sweep's epoch line: the trial, then the epoch's fields.
#[derive(Serialize)]
pub(crate) struct TrialEpochLine<'a> {
    pub(crate) trial: usize,
    pub(crate) settings: serde_json::Value,
    #[serde(flatten)]
    pub(crate) epoch: &'a EpochLine,
}

/// A sweep's line at the end of a trial.
#[derive(Serialize)]
pub(crate) struct TrialSummaryLine {
    pub(crate) trial: usize,
    pub(crate) settings: serde_json::Value,
    pub(crate) summary: Summary,
}

#[derive(Serialize)]
pub(crate) struct Summary {
    pub(crate) state: &'static str,
    pub(crate) epochs: usize,
    pub(crate) monitor: Option<&'static str>,
    #[serde(rename = "final")]
    pub(crate) final_value: Option<f64>,
    pub(crate) best: Option<f64>,
    pub(crate) seconds: f64,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) note: Option<String>,
}
/// An epoch's line: its stats, and the seconds it took.
pub(crate) fn epoch_line(stats: &EpochStats, seconds: f64) -> EpochLine {
    EpochLine {
        epoch: stats.epoch,
        train_loss: stats.train_loss,
        train_accuracy: stats.train_accuracy,
        val_loss: stats.val_loss,
        val_accuracy: stats.val_accuracy,
        lr: stats.lr,
        metrics: stats.class_metrics.map(|metrics| MetricsLine {
            precision: metrics.precision,
            recall: metrics.recall,
            f1: metrics.f1,
            roc_auc: metrics.roc_auc,
        }),
        seconds,
    }
}

/// A trial's settings as JSON: `{"NODE:param": value}`.
pub(crate) fn settings_json(trial: &Trial) -> serde_json::Value {
    trial
        .settings
        .iter()
        .map(|setting| {
            let value = serde_json::to_value(&setting.value).unwrap_or(serde_json::Value::Null);
            (format!("{}:{}", setting.node.0, setting.param), value)
        })
        .collect::<serde_json::Map<_, _>>()
        .into()
}
