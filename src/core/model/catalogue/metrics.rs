//! The metric kinds: AccuracyMetric and ClassificationMetrics.

use crate::core::model::choices::Average;

use super::node_spec::{Category, NodeSpec};
use super::param_fields::kind_params;
use super::param_spec::{boolean, choice, int};
use super::port_spec::{FROM_BATCH_TARGETS, FROM_PREDICTIONS, PortType, input, output};

kind_params! {
    /// AccuracyMetric's parameters.
    pub struct AccuracyMetricParams in ACCURACY_METRIC_PARAMS {
        top_k: usize = int(1..=100, 1, "How many of the highest scores may hold the target"),
    }
}

pub(super) static ACCURACY_METRIC: NodeSpec = NodeSpec {
    name: "AccuracyMetric",
    category: Category::Metrics,
    help: "Classification accuracy in percent (0–100): a sample counts when its target is among \
           its top_k scores; also per class. Applies to training and validation.",
    inputs: &[
        input("predictions", PortType::Tensor, "Scores or logits, [batch, classes]", FROM_PREDICTIONS),
        input("targets", PortType::Tensor, "Class indices, [batch]", FROM_BATCH_TARGETS),
    ],
    outputs: &[output("accuracy", PortType::Scalar, "Percent of samples with the target in the top k")],
    params: &ACCURACY_METRIC_PARAMS,
};

kind_params! {
    /// ClassificationMetrics' parameters.
    pub struct ClassificationMetricsParams in CLASSIFICATION_METRICS_PARAMS {
        average: Average = choice(
            Average::NAMES,
            Average::Macro.name(),
            "macro: each class counts the same; micro: each sample; weighted: by class size; binary: \
             the positive class alone (two classes)",
        ),
        positive_class: usize = int(0..=1_000_000, 1, "The class that counts as positive for binary"),
        roc_auc: bool = boolean(true, "Also compute ROC-AUC (sorts every sample's scores each epoch)"),
    }
}

pub(super) static CLASSIFICATION_METRICS: NodeSpec = NodeSpec {
    name: "ClassificationMetrics",
    category: Category::Metrics,
    help: "Precision, recall and F1, averaged as `average` says, and ROC-AUC (binary, or one-vs-rest \
           macro), of the validation pass after every epoch (else of the training batches), charted \
           per epoch — scikit-learn's definitions.",
    inputs: &[
        input("predictions", PortType::Tensor, "Scores or logits, [batch, classes]", FROM_PREDICTIONS),
        input("targets", PortType::Tensor, "Class indices, [batch]", FROM_BATCH_TARGETS),
    ],
    outputs: &[],
    params: &CLASSIFICATION_METRICS_PARAMS,
};
