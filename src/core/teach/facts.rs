//! What a lesson's goals are checked against: the graph as it stands and as the step began,
//! the run's epochs and state, the range test, the sweep and the diagnoses on screen — plain
//! data the page gathers from what it already shows.

use std::fmt;

use crate::core::model::catalogue::NodeKind;
use crate::core::model::graph::Graph;
use crate::core::model::number_text;
use crate::core::model::params::ParamValue;
use crate::core::report::epoch_stats::EpochStats;
use crate::core::teach::diagnosis::Diagnosis;
use crate::core::teach::network::{first_of, hidden_widths, network_layers};

/// A value a goal reads or writes.
#[derive(Clone, Debug, PartialEq)]
pub enum Value {
    Number(f64),
    Text(String),
    Bool(bool),
}

impl fmt::Display for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Number(number) => f.write_str(&number_text::short(*number)),
            Value::Text(text) => write!(f, "\"{text}\""),
            Value::Bool(true) => f.write_str(&text!("goal-value-yes")),
            Value::Bool(false) => f.write_str(&text!("goal-value-no")),
        }
    }
}

/// Where the learner's run stands, since the step began.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct RunFacts {
    pub started: bool,
    pub running: bool,
    pub finished: bool,
    pub diverged: bool,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct RangeTestFacts {
    pub done: bool,
    pub suggested: Option<f64>,
}

#[derive(Clone, Debug, Default, PartialEq)]
pub struct SweepFacts {
    pub finished: bool,
    pub trials: usize,
    /// The best trial's swept parameters, by parameter name.
    pub best: Vec<(String, f64)>,
}

pub struct Facts<'a> {
    pub graph: &'a Graph,
    /// The graph as the step began: what `param_changed` compares with.
    pub step_start: &'a Graph,
    /// The run's epochs so far (of the run started since the step began; else empty).
    pub epochs: &'a [EpochStats],
    pub run: RunFacts,
    pub range_test: RangeTestFacts,
    pub sweep: SweepFacts,
    /// The diagnoses the page shows now.
    pub notices: &'a [Diagnosis],
}

impl Facts<'_> {
    /// The value of one of [`super::goal::NAMES`]; `None` before it is measured.
    pub(super) fn named(&self, name: &str) -> Option<Value> {
        let last = self.epochs.last();
        let number = |value: Option<f64>| value.map(Value::Number);
        let truth = |value: bool| Some(Value::Bool(value));
        match name {
            "loss" => number(last.map(|epoch| epoch.val_loss.unwrap_or(epoch.train_loss))),
            "accuracy" => number(last.and_then(|epoch| epoch.val_accuracy.or(epoch.train_accuracy))),
            "train_loss" => number(last.map(|epoch| epoch.train_loss)),
            "train_accuracy" => number(last.and_then(|epoch| epoch.train_accuracy)),
            "val_loss" => number(last.and_then(|epoch| epoch.val_loss)),
            "val_accuracy" => number(last.and_then(|epoch| epoch.val_accuracy)),
            "best_val_loss" => number(self.epochs.iter().filter_map(|epoch| epoch.val_loss).reduce(f64::min)),
            "loss_gap" => number(last.and_then(|epoch| Some(epoch.val_loss? - epoch.train_loss))),
            "precision" => number(last.and_then(|epoch| Some(epoch.class_metrics?.precision))),
            "recall" => number(last.and_then(|epoch| Some(epoch.class_metrics?.recall))),
            "f1" => number(last.and_then(|epoch| Some(epoch.class_metrics?.f1))),
            "roc_auc" => number(last.and_then(|epoch| epoch.class_metrics?.roc_auc)),
            "lr" => number(last.map(|epoch| epoch.lr)),
            "epochs_run" => Some(Value::Number(last.map_or(0, |epoch| epoch.epoch) as f64)),
            "hidden_units" => Some(Value::Number(hidden_widths(self.graph).iter().sum::<usize>() as f64)),
            "hidden_layers" => Some(Value::Number(hidden_widths(self.graph).len() as f64)),
            "run.started" => truth(self.run.started),
            "run.running" => truth(self.run.running),
            "run.finished" => truth(self.run.finished),
            "run.diverged" => truth(self.run.diverged),
            "range_test.done" => truth(self.range_test.done),
            "range_test.suggested" => self.range_test.suggested.map(Value::Number),
            "sweep.finished" => truth(self.sweep.finished),
            "sweep.trials" => Some(Value::Number(self.sweep.trials as f64)),
            _ => None,
        }
    }

    /// Parameter `param` of the graph's first node of `kind`, as a goal reads it.
    pub(super) fn param(&self, kind: NodeKind, param: &str) -> Option<Value> {
        param_of(self.graph, kind, param)
    }

    pub(super) fn sweep_best(&self, param: &str) -> Option<Value> {
        self.sweep.best.iter().find(|(name, _)| name == param).map(|(_, value)| Value::Number(*value))
    }

    /// Whether parameter `param` of the first node of `kind` differs from the step's start (a
    /// node of that kind added or removed counts).
    pub(super) fn param_changed(&self, kind: NodeKind, param: &str) -> bool {
        param_of(self.graph, kind, param) != param_of(self.step_start, kind, param)
    }

    /// Whether the Network has a layer named `layer` (as nodes show it: `ReLU`, `Tanh`, any
    /// case).
    pub(super) fn uses(&self, layer: &str) -> bool {
        network_layers(self.graph).iter().any(|spec| spec.name().eq_ignore_ascii_case(layer))
    }
}

fn param_of(graph: &Graph, kind: NodeKind, param: &str) -> Option<Value> {
    match first_of(graph, kind)?.param(param)? {
        ParamValue::Bool(value) => Some(Value::Bool(value)),
        ParamValue::Int(value) => Some(Value::Number(value as f64)),
        ParamValue::Float(value) => Some(Value::Number(value)),
        ParamValue::Text(text) => Some(Value::Text(text)),
        // A list reads as its text: it can be compared for equality and seen to change.
        ParamValue::Floats(values) => Some(Value::Text(
            values.iter().map(|value| number_text::short(*value)).collect::<Vec<_>>().join(", "),
        )),
        ParamValue::Layers(_) => None,
    }
}
