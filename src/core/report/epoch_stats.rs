//! One epoch's metrics, as the charts, the runner's lines and a sweep's table read them.

use serde::{Deserialize, Serialize};

use crate::core::model::choices::Monitor;
use crate::core::report::class_metrics::ClassMetrics;
use crate::core::report::layer_stats::LayerNorms;

/// One epoch's metrics. Accuracies are fractions (0–1) of the samples whose target is among
/// their top-k scores (k from AccuracyMetric, else 1); `None` for regression.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EpochStats {
    /// 1-based.
    pub epoch: usize,
    /// Mean per-sample loss over the epoch's training batches, as each ran.
    pub train_loss: f64,
    pub train_accuracy: Option<f64>,
    /// Mean per-sample loss of the validation pass after the epoch, if the graph has one.
    pub val_loss: Option<f64>,
    pub val_accuracy: Option<f64>,
    /// Accuracy of each class (of the validation pass, else of training when the graph has an
    /// AccuracyMetric); `None` for a class without samples. Empty when not computed.
    pub per_class_accuracy: Vec<Option<f64>>,
    /// ClassificationMetrics' precision, recall, F1 and ROC-AUC, of the same pass as the
    /// per-class accuracy; `None` without the node.
    pub class_metrics: Option<ClassMetrics>,
    /// The learning rate the epoch trained with.
    pub lr: f64,
    /// Each linear layer's weights, gradients and update, as of the epoch's last update
    /// (empty when no update ran in the epoch, or for a run that does not measure them).
    #[serde(default)]
    pub layers: Vec<LayerNorms>,
}

impl EpochStats {
    /// The value of `monitor`, if the epoch has it.
    pub fn get(&self, monitor: Monitor) -> Option<f64> {
        match monitor {
            Monitor::TrainLoss => Some(self.train_loss),
            Monitor::TrainAccuracy => self.train_accuracy,
            Monitor::ValLoss => self.val_loss,
            Monitor::ValAccuracy => self.val_accuracy,
        }
    }
}
