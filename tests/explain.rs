//! Explain mode's answers: every key the page carries is explained by the page's text; every
//! kind, parameter, layer and wire type has its own entry; and the formulas plug in a real
//! run's numbers — the SGD update's ‖ΔW‖ = η·‖∇W‖ holds against what the run measured.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::BTreeSet;

use kindling::core::compile::compiler::compile;
use kindling::core::engine::device::cpu_device;
use kindling::core::model::catalogue::{NodeKind, PortType};
use kindling::core::model::graph::Graph;
use kindling::core::model::params::{Conv2dSpec, LayerSpec, ParamValue, Pool2dSpec};
use kindling::core::model::templates::{basic_loop, regression};
use kindling::core::report::epoch_stats::EpochStats;
use kindling::core::teach::explain::{Explanation, Situation, explain, text};

mod support;

/// Every `data-explain` the page's source writes as a literal, and every key set from code.
fn keys_in_the_page() -> BTreeSet<String> {
    let mut keys = BTreeSet::new();
    let mut files = vec![std::path::PathBuf::from("src/ui")];
    while let Some(path) = files.pop() {
        if path.is_dir() {
            files.extend(std::fs::read_dir(&path).unwrap().map(|entry| entry.unwrap().path()));
            continue;
        }
        let source = std::fs::read_to_string(&path).unwrap();
        for marker in ["data-explain=\"", "set_attribute(\"data-explain\", \""] {
            for (at, _) in source.match_indices(marker) {
                let rest = &source[at + marker.len()..];
                keys.insert(rest[..rest.find('"').unwrap()].to_owned());
            }
        }
    }
    keys
}

fn explained(key: &str, graph: &Graph, latest: Option<&EpochStats>) -> Explanation {
    let plan = compile(graph).ok();
    let situation = Situation { graph, plan: plan.as_ref(), latest };
    explain(key, &situation).unwrap_or_else(|| panic!("nothing explains {key}"))
}

#[test]
fn every_key_the_page_writes_is_explained_by_its_text() {
    let keys = keys_in_the_page();
    assert!(keys.len() > 120, "{} keys: the scan of src/ui missed them", keys.len());
    let missing: Vec<_> = keys.iter().filter(|key| text::entry(key).is_none()).collect();
    assert!(missing.is_empty(), "keys without an entry in text/en/explanations.md: {missing:?}");
    for entry in text::all() {
        assert!(!entry.title.is_empty() && entry.what.len() > 20, "{}: too short", entry.key);
    }
}

#[test]
fn every_kind_parameter_layer_and_wire_type_has_its_own_entry() {
    let mut missing = Vec::new();
    let mut want = |key: String| {
        if text::entry(&key).is_none() {
            missing.push(key);
        }
    };
    for kind in NodeKind::IN_LINK_ORDER {
        let spec = kind.spec();
        want(format!("kind:{}", spec.name));
        for param in spec.params {
            want(format!("param:{}.{}", spec.name, param.name));
        }
    }
    let layers = [
        LayerSpec::Linear { out_features: 1 },
        LayerSpec::Relu,
        LayerSpec::LeakyRelu { negative_slope: 0.01 },
        LayerSpec::Tanh,
        LayerSpec::Sigmoid,
        LayerSpec::Gelu,
        LayerSpec::Dropout { p: 0.1 },
        LayerSpec::LayerNorm,
        LayerSpec::BatchNorm { momentum: 0.1 },
        LayerSpec::Flatten,
        LayerSpec::Elu { alpha: 1.0 },
        LayerSpec::Silu,
        LayerSpec::Mish,
        LayerSpec::Softplus { beta: 1.0 },
        LayerSpec::Conv2d(Conv2dSpec::new(4, 3)),
        LayerSpec::MaxPool2d(Pool2dSpec::new(2)),
        LayerSpec::AvgPool2d(Pool2dSpec::new(2)),
        LayerSpec::BatchNorm2d { momentum: 0.1 },
        LayerSpec::Dropout2d { p: 0.1 },
    ];
    for layer in layers {
        want(format!("layer:{}", layer.name()));
    }
    for ty in [
        PortType::Dataset,
        PortType::Sampler,
        PortType::Tensor,
        PortType::Model,
        PortType::Optimizer,
        PortType::Scheduler,
        PortType::Trigger,
        PortType::Scalar,
    ] {
        want(format!("type:{ty}"));
    }
    assert!(missing.is_empty(), "no entry for {missing:?}");
}

#[test]
fn the_graph_s_own_things_are_explained_by_id() {
    let graph = basic_loop();
    let sgd = graph.nodes_of(NodeKind::SgdOptimizer).next().unwrap().id.0;
    let network = graph.nodes_of(NodeKind::Network).next().unwrap().id.0;
    let node = explained(&format!("node:{sgd}"), &graph, None);
    assert_eq!(node.title, "SGDOptimizer");
    assert!(node.why.is_some(), "a node says why it matters");
    let param = explained(&format!("param:{sgd}:learning_rate"), &graph, None);
    let rate = graph.nodes_of(NodeKind::SgdOptimizer).next().unwrap().param("learning_rate").unwrap();
    assert!(param.what.ends_with(&format!("Now: `{rate}`.")), "{}", param.what);
    let port = explained(&format!("port:{network}:out:model"), &graph, None);
    assert_eq!(port.title, "Network's model output");
    let wire = graph.wires().next().unwrap();
    let explained_wire = explained(&format!("wire:{}", graph.wire_label(wire)), &graph, None);
    assert!(explained_wire.title.contains('→'));
    assert!(explain("node:9999", &Situation { graph: &graph, plan: None, latest: None }).is_none());
    assert!(explain("port:1:sideways:x", &Situation { graph: &graph, plan: None, latest: None }).is_none());
}

/// The default graph trained two epochs, natively: its last epoch.
fn trained(graph: &Graph) -> EpochStats {
    let plan = compile(graph).unwrap();
    let epochs = support::train_plan(plan, &cpu_device());
    epochs.last().unwrap().clone()
}

fn with_epochs(mut graph: Graph, epochs: i64) -> Graph {
    let tracker = graph.nodes_of(NodeKind::EpochTracker).next().unwrap().id;
    graph.set_param(tracker, "total_epochs", ParamValue::Int(epochs)).unwrap();
    graph
}

/// Reads the first number after `marker` in `text`.
fn number_after(text: &str, marker: &str) -> f64 {
    let rest = &text[text.find(marker).unwrap_or_else(|| panic!("no {marker:?} in {text}")) + marker.len()..];
    let end =
        rest.find(|c: char| !(c.is_ascii_digit() || matches!(c, '.' | '-' | 'e'))).unwrap_or(rest.len());
    rest[..end].parse().unwrap_or_else(|_| panic!("no number after {marker:?} in {text}"))
}

#[test]
fn the_sgd_update_plugs_in_this_run_s_rate_and_a_gradient_it_measured() {
    let mut graph = with_epochs(basic_loop(), 2);
    let sgd = graph.nodes_of(NodeKind::SgdOptimizer).next().unwrap().id;
    // The default graph's momentum first: the step is more than η·‖∇W‖.
    let latest = trained(&graph);
    let formula = explained(&format!("node:{}", sgd.0), &graph, Some(&latest)).formula;
    assert!(formula.iter().any(|line| line.numbers.starts_with("v ← 0.9·v + g")), "{formula:?}");
    assert!(
        formula.iter().any(|line| line.numbers.contains("with momentum's past steps added")),
        "{formula:?}"
    );
    // Plain SGD.
    graph.set_param(sgd, "momentum", ParamValue::Float(0.0)).unwrap();
    let sgd = sgd.0;
    let latest = trained(&graph);
    assert!(!latest.layers.is_empty(), "the run measured no layer norms");
    let formula = explained(&format!("node:{sgd}"), &graph, Some(&latest)).formula;
    println!("{formula:#?}");
    let update = formula.iter().find(|line| line.rule.starts_with("w ← w − η·g")).expect("the update");
    assert!(update.numbers.contains(&kindling::core::model::number_text::short(latest.lr)));
    for (at, norms) in latest.layers.iter().enumerate() {
        let line = formula
            .iter()
            .find(|line| line.rule == format!("Linear layer {}: the last update", at + 1))
            .expect("each layer's update");
        // Plain SGD: the step the formula predicts is the step the run took.
        let predicted = number_after(
            &line.numbers,
            &format!("·{} = ", kindling::core::model::number_text::short(norms.gradient)),
        );
        let measured = number_after(&line.numbers, "measured ");
        assert!((predicted - measured).abs() <= 2e-3 * measured.abs().max(1e-12), "{line:?}");
        assert!(measured > 0.0);
    }
}

#[test]
fn a_loss_and_the_network_show_their_numbers() {
    let graph = with_epochs(basic_loop(), 2);
    let latest = trained(&graph);
    let loss = graph.nodes_of(NodeKind::CrossEntropyLoss).next().unwrap().id.0;
    let formula = explained(&format!("node:{loss}"), &graph, Some(&latest)).formula;
    let value = number_after(&formula[0].numbers, "L = ");
    assert!(
        (value - latest.train_loss).abs() <= 1e-3 * latest.train_loss,
        "{formula:?} vs {}",
        latest.train_loss
    );
    let chance = formula.iter().find(|line| line.rule.contains("ln C")).expect("the loss of a guess");
    assert!(chance.numbers.starts_with("ln 2 = 0.6931"), "{chance:?}");

    let network = graph.nodes_of(NodeKind::Network).next().unwrap().id.0;
    let layers = explained(&format!("node:{network}"), &graph, Some(&latest)).formula;
    println!("{layers:#?}");
    let plan = compile(&graph).unwrap();
    let shapes = plan.network.shapes().unwrap();
    let mut inputs = plan.network.in_features();
    let mut parameters = 0;
    for (layer, shape) in plan.network.layers.iter().zip(&shapes) {
        if let LayerSpec::Linear { out_features } = layer {
            parameters += inputs * out_features + out_features;
        }
        inputs = shape.iter().product();
    }
    let total = layers.last().unwrap();
    assert_eq!(total.numbers, parameters.to_string(), "{layers:?}");
    assert!(layers[0].numbers.contains("‖W‖ = "), "a linear layer shows its measured norms");

    let regression = with_epochs(regression(), 1);
    let latest = trained(&regression);
    let mse = regression.nodes_of(NodeKind::MseLoss).next().unwrap().id.0;
    let formula = explained(&format!("node:{mse}"), &regression, Some(&latest)).formula;
    let typical = formula.iter().find(|line| line.rule.starts_with("√L")).unwrap();
    assert!(
        (number_after(&typical.numbers, "= ") - latest.train_loss.sqrt()).abs()
            < 1e-3 * latest.train_loss.sqrt()
    );
}

#[test]
fn a_schedule_shows_the_rate_at_this_epoch() {
    let mut graph = with_epochs(basic_loop(), 4);
    let tracker = graph.nodes_of(NodeKind::EpochTracker).next().unwrap().id;
    let step = graph.add_node(NodeKind::StepLr, kindling::core::model::graph::Pos { x: 0.0, y: 0.0 });
    graph.set_param(step, "step_size", ParamValue::Int(2)).unwrap();
    graph.set_param(step, "gamma", ParamValue::Float(0.5)).unwrap();
    let optimizer = graph.nodes_of(NodeKind::SgdOptimizer).next().unwrap().id;
    graph.connect_named(optimizer, "optimizer", step, "optimizer").unwrap();
    graph.connect_named(step, "scheduler", tracker, "scheduler").unwrap();
    let latest = trained(&graph);
    assert_eq!(latest.epoch, 4);
    let formula = explained(&format!("node:{}", step.0), &graph, Some(&latest)).formula;
    let rate = number_after(&formula[0].numbers, "⌋ = ");
    // After 4 epochs, the rate the 5th would train with: two halvings.
    let start = match graph.node(optimizer).unwrap().param("learning_rate") {
        Some(ParamValue::Float(rate)) => rate,
        other => panic!("{other:?}"),
    };
    assert!((rate - start * 0.25).abs() < 1e-9, "{formula:?}");
    // The run's own rate in its 4th epoch (after one halving) agrees with the same rule.
    assert!((latest.lr - start * 0.5).abs() < 1e-9, "{}", latest.lr);
}
