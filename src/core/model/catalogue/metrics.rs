//! The metric kinds: AccuracyMetric and ClassificationMetrics.

use crate::core::model::choices::Average;

use super::node_spec::{Category, NodeSpec};
use super::param_fields::kind_params;
use super::param_spec::{boolean, choice, int};
use super::port_spec::{PortType, input, output};

kind_params! {
    /// AccuracyMetric's parameters.
    pub struct AccuracyMetricParams in ACCURACY_METRIC_PARAMS {
        top_k: usize = int(1..=100, 1),
    }
}

pub(super) static ACCURACY_METRIC: NodeSpec = NodeSpec {
    name: "AccuracyMetric",
    category: Category::Metrics,
    inputs: &[input("predictions", PortType::Tensor), input("targets", PortType::Tensor)],
    outputs: &[output("accuracy", PortType::Scalar)],
    params: &ACCURACY_METRIC_PARAMS,
};

kind_params! {
    /// ClassificationMetrics' parameters.
    pub struct ClassificationMetricsParams in CLASSIFICATION_METRICS_PARAMS {
        average: Average = choice(Average::NAMES, Average::Macro.name()),
        positive_class: usize = int(0..=1_000_000, 1),
        roc_auc: bool = boolean(true),
    }
}

pub(super) static CLASSIFICATION_METRICS: NodeSpec = NodeSpec {
    name: "ClassificationMetrics",
    category: Category::Metrics,
    inputs: &[input("predictions", PortType::Tensor), input("targets", PortType::Tensor)],
    outputs: &[],
    params: &CLASSIFICATION_METRICS_PARAMS,
};
