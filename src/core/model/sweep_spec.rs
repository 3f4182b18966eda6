//! The sweep a graph asks for: which parameters of which nodes take several values, how
//! their combinations are searched, and whether bad trials stop early. It is part of the
//! graph document ([`Graph::sweep`]): links, files and autosaves carry it, the editor edits
//! it (so undo covers it), and deleting a node drops its swept parameters.
//!
//! A swept parameter keeps the text the user typed (`0.001, 0.03, 1` or `1e-4..1 log 5`,
//! read by `sweep::parse`), so the inspector shows it back as written. [`check`] holds every
//! sweep a graph carries to the bounds below; [`trials`] expands it into the trials to run,
//! each a list of settings that [`Trial::apply`] writes into a copy of the graph.

use crate::core::model::catalogue::{ParamKind, ParamSpec};
use crate::core::model::graph::GraphError;
use crate::core::model::graph::{Graph, Node, quoted};
use crate::core::model::layer_text::{layers_text, parse_layers};
use crate::core::model::node_id::NodeId;
use crate::core::model::number_text::short;
use crate::core::model::params::ParamValue;
use crate::core::model::sweep::{self, MAX_TRIALS, SweepValue};
use crate::core::model::sweep_error::SweepError;
use crate::core::model::sweep_settings::{
    MAX_ETA, MAX_PRUNING_EPOCHS, MAX_SWEPT, MAX_VALUES_TEXT, Pruning, SearchSpec, Sweep, SweptParam,
};

/// One trial: a value for each swept parameter.
#[derive(Clone, Debug, PartialEq)]
pub struct Trial {
    /// 1-based, in the order trials run.
    pub id: usize,
    pub settings: Vec<Setting>,
}

/// A swept parameter's value in a trial.
#[derive(Clone, Debug, PartialEq)]
pub struct Setting {
    pub node: NodeId,
    pub param: String,
    pub value: ParamValue,
}

impl Setting {
    /// The value as a table shows it: numbers to four significant digits, a network's layers
    /// as they are written.
    pub fn value_text(&self) -> String {
        match self.value {
            ParamValue::Float(number) => short(number),
            ParamValue::Layers(ref layers) => layers_text(layers),
            ref other => other.to_string(),
        }
    }
}

impl Trial {
    /// `graph` with this trial's settings written in and no sweep of its own: the graph the
    /// trial trains.
    ///
    /// # Errors
    /// When a setting no longer fits the graph (its node or parameter is gone).
    pub fn apply(&self, graph: &Graph) -> Result<Graph, GraphError> {
        let mut graph = graph.clone();
        for setting in &self.settings {
            graph.set_param(setting.node, &setting.param, setting.value.clone())?;
        }
        graph.set_sweep(Sweep::default());
        Ok(graph)
    }

    /// The settings as one line, `lr = 0.01, seed = 2`.
    pub fn label(&self) -> String {
        let settings: Vec<String> = self
            .settings
            .iter()
            .map(|setting| format!("{} = {}", setting.param, setting.value_text()))
            .collect();
        settings.join(", ")
    }
}

/// Whether parameter `spec` can be swept: numbers, choices, switches and a Network's layers
/// (networks compared: `Flatten, Linear(9), ReLU, Linear(4); Conv2d(8, 3), ReLU, …`).
pub fn sweepable(spec: &ParamSpec) -> bool {
    matches!(
        spec.kind,
        ParamKind::Float { .. }
            | ParamKind::Int { .. }
            | ParamKind::Choice(_)
            | ParamKind::Bool
            | ParamKind::Layers
    )
}

/// What separates the layer lists a swept `layers` takes (a list's own layers are separated
/// by commas).
pub const LAYER_LISTS_SEPARATOR: char = ';';

/// The values text a newly swept parameter starts with, around its value now: a tenth, it
/// and ten times it for a float; it and the next two for a whole number; every choice.
pub fn starting_values(spec: &ParamSpec, value: &ParamValue) -> String {
    let join = |values: Vec<String>| values.join(", ");
    match spec.kind {
        ParamKind::Float { min, max } => {
            let now = value.as_f64().unwrap_or(0.0);
            let mut values: Vec<f64> =
                [now / 10.0, now, now * 10.0].into_iter().filter(|v| (min..=max).contains(v)).collect();
            values.dedup();
            join(values.into_iter().map(short).collect())
        }
        ParamKind::Int { min, max } => {
            let now = value.as_i64().unwrap_or(min);
            let start = now.min(max.saturating_sub(2)).max(min);
            join((start..=start.saturating_add(2).min(max)).map(|v| v.to_string()).collect())
        }
        ParamKind::Choice(choices) => join(choices.iter().map(|&choice| choice.to_owned()).collect()),
        ParamKind::Bool => "false, true".to_owned(),
        ParamKind::FloatList { .. }
        | ParamKind::Layers
        | ParamKind::File
        | ParamKind::Column
        | ParamKind::Columns => value.to_string(),
    }
}

/// The values `text` gives parameter `spec`.
///
/// # Errors
/// What is wrong with the text or with which value, for the user.
pub fn values(spec: &ParamSpec, text: &str) -> Result<Vec<ParamValue>, String> {
    if text.len() > MAX_VALUES_TEXT {
        return Err(text!("sweep-plan-values-too-long", length = text.len(), max = MAX_VALUES_TEXT));
    }
    if matches!(spec.kind, ParamKind::Layers) {
        return layer_lists(spec, text);
    }
    sweep::parse(text)?
        .into_iter()
        .map(|value| {
            let typed = match (&spec.kind, value) {
                (ParamKind::Float { .. }, SweepValue::Number(number)) => ParamValue::Float(number),
                (ParamKind::Int { .. }, SweepValue::Number(number)) if number.fract() == 0.0 => {
                    ParamValue::Int(number as i64)
                }
                (ParamKind::Int { .. }, SweepValue::Number(number)) => {
                    return Err(text!("sweep-plan-not-whole", value = short(number)));
                }
                (ParamKind::Choice(_), SweepValue::Choice(name)) => ParamValue::Text(name),
                (ParamKind::Bool, SweepValue::Choice(name)) if name == "true" || name == "false" => {
                    ParamValue::Bool(name == "true")
                }
                (_, SweepValue::Number(number)) => {
                    return Err(text!(
                        "sweep-plan-number-for-other",
                        value = short(number),
                        param = spec.name,
                        takes = kind_text(spec)
                    ));
                }
                (_, SweepValue::Choice(name)) => {
                    return Err(text!(
                        "sweep-plan-not-a-value",
                        value = quoted(&name),
                        param = spec.name,
                        takes = kind_text(spec)
                    ));
                }
            };
            spec.check(&typed).map_err(|reason| {
                text!("sweep-plan-value-refused", value = typed.to_string(), reason = reason)
            })?;
            Ok(typed)
        })
        .collect()
}

/// The networks a swept `layers` compares: layer lists separated by
/// [`LAYER_LISTS_SEPARATOR`], each read as the inspector reads one.
fn layer_lists(spec: &ParamSpec, text: &str) -> Result<Vec<ParamValue>, String> {
    let lists: Vec<&str> =
        text.split(LAYER_LISTS_SEPARATOR).map(str::trim).filter(|list| !list.is_empty()).collect();
    match lists.len() {
        0 => return Err(text!("sweep-plan-no-layer-lists")),
        count if count > sweep::MAX_VALUES => {
            return Err(text!("sweep-plan-too-many-values", count = count, max = sweep::MAX_VALUES));
        }
        _ => {}
    }
    lists
        .into_iter()
        .map(|list| {
            let layers = parse_layers(list).map_err(|reason| {
                text!("sweep-plan-value-refused", value = list.to_owned(), reason = reason)
            })?;
            let value = ParamValue::Layers(layers);
            spec.check(&value).map_err(|reason| {
                text!("sweep-plan-value-refused", value = value.to_string(), reason = reason)
            })?;
            Ok(value)
        })
        .collect()
}

fn kind_text(spec: &ParamSpec) -> String {
    match spec.kind {
        ParamKind::Float { .. } => text!("sweep-plan-takes-numbers"),
        ParamKind::Int { .. } => text!("sweep-plan-takes-whole-numbers"),
        ParamKind::Choice(choices) => text!("sweep-plan-takes-choice", choices = choices.join(", ")),
        ParamKind::Bool => text!("sweep-plan-takes-bool"),
        ParamKind::FloatList { .. } | ParamKind::Layers => text!("sweep-plan-takes-list"),
        ParamKind::File | ParamKind::Column | ParamKind::Columns => text!("sweep-plan-takes-file"),
    }
}

/// The node and schema of a swept parameter.
fn swept_spec<'a>(
    graph: &'a Graph,
    swept: &SweptParam,
) -> Result<(&'a Node, &'static ParamSpec), SweepError> {
    let node = graph.node(swept.node).ok_or(SweepError::MissingNode { node: swept.node })?;
    let spec = node.kind.spec().param(&swept.param).ok_or_else(|| SweepError::UnknownParam {
        node: node.id,
        kind: node.kind,
        param: swept.param.clone(),
    })?;
    if !sweepable(spec) {
        return Err(SweepError::NotSweepable { node: node.id, kind: node.kind, param: spec.name });
    }
    Ok((node, spec))
}

/// The values of a swept parameter, or what is wrong with them, naming the parameter.
fn swept_values(graph: &Graph, swept: &SweptParam) -> Result<Vec<ParamValue>, SweepError> {
    let (node, spec) = swept_spec(graph, swept)?;
    values(spec, &swept.values).map_err(|reason| SweepError::Values {
        node: node.id,
        kind: node.kind,
        param: spec.name,
        reason,
    })
}

/// Checks `graph`'s sweep against its nodes and every bound above.
///
/// # Errors
/// The first problem found.
pub fn check(graph: &Graph) -> Result<(), SweepError> {
    let sweep = graph.sweep();
    if sweep.params.len() > MAX_SWEPT {
        return Err(SweepError::TooManyParams { count: sweep.params.len() });
    }
    let mut counts = Vec::with_capacity(sweep.params.len());
    for (index, swept) in sweep.params.iter().enumerate() {
        let (node, spec) = swept_spec(graph, swept)?;
        if sweep.params[..index].iter().any(|other| other.node == swept.node && other.param == swept.param) {
            return Err(SweepError::Twice { node: node.id, kind: node.kind, param: spec.name });
        }
        counts.push(swept_values(graph, swept)?.len());
    }
    match sweep.search {
        SearchSpec::Random { trials, .. } if trials == 0 || trials as usize > MAX_TRIALS => {
            return Err(SweepError::RandomTrials { trials });
        }
        _ => {}
    }
    match sweep.pruning {
        Pruning::Off => {}
        Pruning::Median { warmup_epochs, min_trials } => {
            if warmup_epochs > MAX_PRUNING_EPOCHS || min_trials == 0 || min_trials as usize > MAX_TRIALS {
                return Err(SweepError::MedianRule);
            }
        }
        Pruning::Asha { min_epochs, eta } => {
            if min_epochs == 0 || min_epochs > MAX_PRUNING_EPOCHS || !(2..=MAX_ETA).contains(&eta) {
                return Err(SweepError::Halving);
            }
        }
    }
    if !counts.is_empty() {
        sweep::trial_count(&counts, sweep.search())?;
    }
    Ok(())
}

/// How many trials `graph`'s sweep runs (0 when nothing is swept), without listing them.
///
/// # Errors
/// What [`check`] finds wrong.
pub fn trial_count(graph: &Graph) -> Result<usize, SweepError> {
    check(graph)?;
    let counts = graph
        .sweep()
        .params
        .iter()
        .map(|swept| Ok(swept_values(graph, swept)?.len()))
        .collect::<Result<Vec<_>, SweepError>>()?;
    if counts.is_empty() {
        return Ok(0);
    }
    Ok(sweep::trial_count(&counts, graph.sweep().search())?)
}

/// The trials `graph`'s sweep runs, in order.
///
/// # Errors
/// What [`check`] finds wrong, or that the graph sweeps nothing.
pub fn trials(graph: &Graph) -> Result<Vec<Trial>, SweepError> {
    check(graph)?;
    let sweep = graph.sweep();
    if sweep.is_empty() {
        return Err(SweepError::NothingSwept);
    }
    let values = sweep
        .params
        .iter()
        .map(|swept| swept_values(graph, swept))
        .collect::<Result<Vec<_>, SweepError>>()?;
    let counts: Vec<usize> = values.iter().map(Vec::len).collect();
    let combinations = sweep::trials(&counts, sweep.search())?;
    Ok(combinations
        .into_iter()
        .enumerate()
        .map(|(index, choice)| Trial {
            id: index + 1,
            settings: sweep
                .params
                .iter()
                .zip(&values)
                .zip(choice)
                .map(|((swept, values), at)| Setting {
                    node: swept.node,
                    param: swept.param.clone(),
                    value: values[at].clone(),
                })
                .collect(),
        })
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::model::catalogue::NodeKind;
    use crate::core::model::params::LayerSpec;
    use crate::core::model::sweep::TrialsError;
    use crate::core::model::templates::basic_loop;

    fn optimizer(graph: &Graph) -> NodeId {
        graph.nodes_of(NodeKind::SgdOptimizer).next().unwrap().id
    }

    fn swept(node: NodeId, param: &str, values: &str) -> SweptParam {
        SweptParam { node, param: param.to_owned(), values: values.to_owned() }
    }

    #[test]
    fn a_grid_expands_into_trials_that_write_their_settings() {
        let mut graph = basic_loop();
        let sgd = optimizer(&graph);
        let mut sweep = Sweep::default();
        sweep.params.push(swept(sgd, "learning_rate", "0.01, 0.1"));
        sweep.params.push(swept(sgd, "momentum", "0..0.9 3"));
        graph.set_sweep(sweep);
        let trials = trials(&graph).unwrap();
        assert_eq!(trials.len(), 6);
        assert_eq!(trials[4].label(), "learning_rate = 0.1, momentum = 0.45");
        let trained = trials[4].apply(&graph).unwrap();
        let node = trained.node(sgd).unwrap();
        assert_eq!(node.param("learning_rate"), Some(ParamValue::Float(0.1)));
        assert_eq!(node.param("momentum"), Some(ParamValue::Float(0.45)));
        assert!(trained.sweep().is_empty(), "a trial's graph sweeps nothing");
    }

    #[test]
    fn values_are_held_to_the_parameter_schema() {
        let graph = basic_loop();
        let sgd = graph.node(optimizer(&graph)).unwrap();
        let lr = sgd.kind.spec().param("learning_rate").unwrap();
        assert!(values(lr, "relu").unwrap_err().contains("not a value of learning_rate"));
        assert!(values(lr, "-1, 0.1").unwrap_err().contains("outside"));
        let nesterov = sgd.kind.spec().param("nesterov").unwrap();
        assert_eq!(
            values(nesterov, "false, true").unwrap(),
            [ParamValue::Bool(false), ParamValue::Bool(true)]
        );
        let dataset = graph.nodes_of(NodeKind::Dataset).next().unwrap();
        let seed = dataset.kind.spec().param("seed").unwrap();
        assert_eq!(values(seed, "0..4 5").unwrap().len(), 5);
        assert!(values(seed, "0.5").unwrap_err().contains("whole number"));
        assert!(values(seed, &"1,".repeat(300)).unwrap_err().contains("bytes long"));
    }

    #[test]
    fn a_networks_layers_sweep_as_lists_separated_by_semicolons() {
        let mut graph = basic_loop();
        let network = graph.nodes_of(NodeKind::Network).next().unwrap().id;
        let spec = graph.node(network).unwrap().kind.spec().param("layers").unwrap();
        assert!(sweepable(spec));
        let mut sweep = Sweep::default();
        sweep.params.push(swept(network, "layers", "Linear(4), ReLU, Linear(2); Linear(2) ;"));
        graph.set_sweep(sweep);
        let trials = trials(&graph).unwrap();
        assert_eq!(trials.len(), 2);
        assert_eq!(trials[1].label(), "layers = Linear(2)", "the layers as written");
        let trained = trials[0].apply(&graph).unwrap();
        let layers = trained.node(network).unwrap().param("layers");
        assert_eq!(
            layers,
            Some(ParamValue::Layers(vec![
                LayerSpec::Linear { out_features: 4 },
                LayerSpec::Relu,
                LayerSpec::Linear { out_features: 2 }
            ]))
        );
        let refused = values(spec, "Linear(4); Lineer(2)").unwrap_err();
        assert!(refused.starts_with("Lineer(2): "), "{refused}");
        assert!(values(spec, " ; ").unwrap_err().contains("separated by semicolons"));
    }

    #[test]
    fn a_sweep_that_does_not_fit_its_graph_is_refused() {
        let mut graph = basic_loop();
        let sgd = optimizer(&graph);
        let refused = |sweep: Sweep| {
            let mut graph = graph.clone();
            graph.set_sweep(sweep);
            check(&graph).unwrap_err()
        };
        let with = |params: Vec<SweptParam>| Sweep { params, ..Sweep::default() };
        let missing = refused(with(vec![swept(NodeId(999), "learning_rate", "1")]));
        assert_eq!(missing, SweepError::MissingNode { node: NodeId(999) });
        assert!(missing.to_string().contains("missing"));
        let unknown = refused(with(vec![swept(sgd, "nope", "1")]));
        assert_eq!(unknown.param(), Some((sgd, "nope")));
        assert!(unknown.to_string().contains("does not have"));
        let twice =
            refused(with(vec![swept(sgd, "learning_rate", "0.1"), swept(sgd, "learning_rate", "0.2")]));
        assert_eq!(
            twice,
            SweepError::Twice { node: sgd, kind: NodeKind::SgdOptimizer, param: "learning_rate" }
        );
        assert!(twice.to_string().contains("twice"));
        let bad = refused(with(vec![swept(sgd, "learning_rate", "0.1, fast")]));
        assert_eq!(bad.param(), Some((sgd, "learning_rate")));
        assert!(bad.to_string().contains("`learning_rate`: \"fast\" is not a value"), "{bad}");
        let big =
            with(vec![swept(sgd, "learning_rate", "0.001..1 log 40"), swept(sgd, "momentum", "0..0.9 40")]);
        assert_eq!(
            refused(big.clone()),
            SweepError::Trials(TrialsError::GridTooLarge { trials: Some(1600) })
        );
        assert!(refused(big.clone()).to_string().contains("1600 trials"));
        assert!(
            check(&{
                let mut graph = graph.clone();
                graph.set_sweep(Sweep { search: SearchSpec::Random { trials: 20, seed: 3 }, ..big });
                graph
            })
            .is_ok()
        );
        let zero = Sweep {
            search: SearchSpec::Random { trials: 0, seed: 0 },
            ..with(vec![swept(sgd, "learning_rate", "1")])
        };
        assert_eq!(refused(zero.clone()), SweepError::RandomTrials { trials: 0 });
        assert!(refused(zero).to_string().contains("1 to 1000 trials"));
        let eta = Sweep {
            pruning: Pruning::Asha { min_epochs: 1, eta: 1 },
            ..with(vec![swept(sgd, "learning_rate", "1")])
        };
        assert!(refused(eta).to_string().contains("1/2 to 1/10"));
        // Deleting the node drops its swept parameters: the graph stays valid.
        graph.set_sweep(with(vec![swept(sgd, "learning_rate", "0.1, 1")]));
        graph.remove_node(sgd);
        assert!(graph.sweep().is_empty());
    }

    #[test]
    fn a_new_sweep_starts_around_the_value_now() {
        let graph = basic_loop();
        let sgd = graph.node(optimizer(&graph)).unwrap();
        let lr = sgd.kind.spec().param("learning_rate").unwrap();
        let text = starting_values(lr, &sgd.param("learning_rate").unwrap());
        assert_eq!(values(lr, &text).unwrap().len(), 3, "{text}");
        for param in sgd.kind.spec().params.iter().filter(|param| sweepable(param)) {
            let text = starting_values(param, &sgd.param(param.name).unwrap());
            assert!(values(param, &text).is_ok(), "{}: {text}", param.name);
        }
    }
}
