//! Experiments for the link and file tests: random valid ones (for proptest), one with every
//! node kind (the version fixtures), raw links that skip the encoder's checks, and mutations.

use std::io::Write;

use base64::Engine;
use kindling::core::document::experiment::{Experiment, View};
use kindling::core::document::link;
use kindling::core::model::catalogue::{NodeKind, ParamKind};
use kindling::core::model::graph::{Graph, Node, Pos};
use kindling::core::model::node_id::NodeId;
use kindling::core::model::params::{Conv2dSpec, LayerSpec, ParamValue, Pool2dSpec};
use proptest::prelude::*;

/// A valid value for a parameter of `kind`, chosen by `pick`.
pub fn valid_value(kind: &ParamKind, pick: u32) -> ParamValue {
    let fraction = f64::from(pick % 1000) / 1000.0;
    match kind {
        ParamKind::Float { min, max } => ParamValue::Float(min + (max - min).min(1e6) * fraction),
        ParamKind::Int { min, max } => {
            let span = (i128::from(*max) - i128::from(*min)).min(10_000) + 1;
            ParamValue::Int((i128::from(*min) + i128::from(pick) % span) as i64)
        }
        ParamKind::Bool => ParamValue::Bool(pick % 2 == 1),
        ParamKind::Choice(choices) => ParamValue::Text(choices[pick as usize % choices.len()].to_owned()),
        ParamKind::FloatList { min, max } => ParamValue::Floats(
            (0..pick % 4).map(|i| min + (max - min).min(1e3) * f64::from(i) / 4.0).collect(),
        ),
        ParamKind::Layers => ParamValue::Layers(
            (0..1 + pick % 5)
                .map(|i| layer(pick.wrapping_mul(31).wrapping_add(i * 7)))
                .chain([LayerSpec::Linear { out_features: 2 }])
                .collect(),
        ),
        ParamKind::File => ParamValue::Text(match pick % 3 {
            0 => String::new(),
            _ => {
                kindling::core::model::file_ref::FileRef::of(&format!("data-{pick}.csv"), &pick.to_le_bytes())
                    .to_param()
            }
        }),
        ParamKind::Column => ParamValue::Text(["", "y", "class", "x 1"][pick as usize % 4].to_owned()),
        ParamKind::Columns => ParamValue::Text(["", "x1", "x1, x2", "a, b, c"][pick as usize % 4].to_owned()),
    }
}

fn layer(pick: u32) -> LayerSpec {
    let fraction = f64::from(pick % 1000) / 1000.0;
    let small = |scale: u32| 1 + (pick / scale) as usize % 4;
    match pick % 19 {
        0 => LayerSpec::Linear { out_features: 1 + pick as usize % 64 },
        1 => LayerSpec::Relu,
        2 => LayerSpec::LeakyRelu { negative_slope: fraction },
        3 => LayerSpec::Tanh,
        4 => LayerSpec::Sigmoid,
        5 => LayerSpec::Gelu,
        6 => LayerSpec::Dropout { p: fraction * 0.9 },
        7 => LayerSpec::LayerNorm,
        8 => LayerSpec::BatchNorm { momentum: fraction },
        9 => LayerSpec::Elu { alpha: 0.1 + fraction },
        10 => LayerSpec::Silu,
        11 => LayerSpec::Mish,
        12 => LayerSpec::Softplus { beta: 0.5 + fraction },
        14 => LayerSpec::Conv2d(Conv2dSpec {
            out_channels: small(1) * 2,
            kernel_size: small(3),
            stride: small(5),
            padding: small(7) - 1,
            dilation: small(11),
            groups: small(13) % 2 + 1,
            bias: pick.is_multiple_of(2),
        }),
        15 => LayerSpec::MaxPool2d(Pool2dSpec { kernel_size: small(3), stride: small(5), padding: 0 }),
        16 => LayerSpec::AvgPool2d(Pool2dSpec { kernel_size: 2, stride: small(5), padding: 1 }),
        17 => LayerSpec::BatchNorm2d { momentum: fraction },
        18 => LayerSpec::Dropout2d { p: fraction * 0.9 },
        _ => LayerSpec::Flatten,
    }
}

/// A node to add: kind (index into `NodeKind::ALL`), position, and a pick per parameter.
type NodePlan = (usize, f32, f32, Vec<u32>);
/// A wire to try: from-node, output, to-node, input (indices, wrapped to what exists).
type WirePlan = (usize, usize, usize, usize);

/// Builds the experiment that `nodes`, `wires` and `view` describe; every value is valid.
pub fn build(nodes: &[NodePlan], wires: &[WirePlan], view: View, deleted: usize) -> Experiment {
    let mut graph = Graph::new();
    for (kind, x, y, picks) in nodes {
        let kind = NodeKind::ALL[kind % NodeKind::ALL.len()];
        let id = graph.add_node(kind, Pos { x: *x, y: *y });
        for (param, pick) in kind.spec().params.iter().zip(picks) {
            graph.set_param(id, param.name, valid_value(&param.kind, *pick)).unwrap();
        }
    }
    let ids: Vec<NodeId> = graph.nodes().map(|node| node.id).collect();
    for &(from, output, to, input) in wires {
        if ids.is_empty() {
            break;
        }
        let (from, to) = (ids[from % ids.len()], ids[to % ids.len()]);
        let outputs = graph.node(from).unwrap().kind.spec().outputs;
        let inputs = graph.node(to).unwrap().kind.spec().inputs;
        if outputs.is_empty() || inputs.is_empty() {
            continue;
        }
        let output = outputs[output % outputs.len()].name;
        let input = inputs[input % inputs.len()].name;
        graph.connect_named(from, output, to, input).unwrap();
    }
    // Deleted nodes leave gaps in the ids, as editing does.
    for &id in ids.iter().take(deleted) {
        graph.remove_node(id);
    }
    Experiment::new(graph, view)
}

/// Random valid experiments.
pub fn arbitrary_experiment() -> impl Strategy<Value = Experiment> {
    let node = (
        0..NodeKind::ALL.len(),
        -5000.0f32..5000.0,
        -5000.0f32..5000.0,
        proptest::collection::vec(any::<u32>(), 0..12),
    );
    let wire = (any::<usize>(), any::<usize>(), any::<usize>(), any::<usize>());
    let view = (-1.0e4f32..1.0e4, -1.0e4f32..1.0e4, 0.1f32..3.0)
        .prop_map(|(offset_x, offset_y, scale)| View { offset_x, offset_y, scale });
    (proptest::collection::vec(node, 0..24), proptest::collection::vec(wire, 0..40), view, 0usize..3)
        .prop_map(|(nodes, wires, view, deleted)| build(&nodes, &wires, view, deleted))
}

/// A graph with one node of every kind, every parameter set, and a basic loop's wires: what
/// the version fixtures under `tests/links/` hold.
pub fn every_kind() -> Graph {
    let nodes: Vec<NodePlan> = (0..NodeKind::ALL.len())
        .map(|index| {
            (index, (index % 5) as f32 * 250.0, (index / 5) as f32 * 200.0, vec![index as u32 * 97 + 13; 12])
        })
        .collect();
    let mut graph = build(&nodes, &[], View::default(), 0).graph;
    let id = |graph: &Graph, kind: NodeKind| graph.nodes().find(|node| node.kind == kind).unwrap().id;
    let network = id(&graph, NodeKind::Network);
    let all_layers = (0..9).map(layer).chain([LayerSpec::Linear { out_features: 3 }]).collect();
    graph.set_param(network, "layers", ParamValue::Layers(all_layers)).unwrap();
    let wires = [
        (NodeKind::Dataset, "dataset", NodeKind::BatchSampler, "dataset"),
        (NodeKind::BatchSampler, "sampler", NodeKind::GetBatch, "sampler"),
        (NodeKind::Network, "predictions", NodeKind::CrossEntropyLoss, "predictions"),
        (NodeKind::GetBatch, "targets", NodeKind::CrossEntropyLoss, "targets"),
    ];
    for (from, output, to, input) in wires {
        let (from, to) = (id(&graph, from), id(&graph, to));
        graph.connect_named(from, output, to, input).unwrap();
    }
    graph
}

/// The version-1 link schema as docs/links.md documents it, written independently of the crate's
/// own encoder: postcard writes a struct as its fields in order.
#[derive(serde::Serialize)]
struct RawLink<'a> {
    nodes: &'a [Node],
    /// (from node, output number, to node, input number)
    wires: &'a [(u32, u8, u32, u8)],
    next_id: u32,
    view: View,
}

/// Link text for these parts exactly as given — no bounds check, no defaults left out — as
/// a hostile or careless link generator would write it.
pub fn link_of_raw(nodes: &[Node], wires: &[(u32, u8, u32, u8)], next_id: u32, view: View) -> String {
    let bytes = postcard::to_allocvec(&RawLink { nodes, wires, next_id, view }).unwrap();
    // Version 1's layout: a graph without a sweep.
    let mut deflate = flate2::write::DeflateEncoder::new(vec![1], flate2::Compression::fast());
    deflate.write_all(&bytes).unwrap();
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(deflate.finish().unwrap())
}

/// `text` with each edit applied: (where, what, how) replaces, inserts or deletes a byte, or
/// cuts the text short. Works on bytes, then reads them back lossily, as a mangled URL would.
pub fn mutate(text: &str, edits: &[(u16, u8, u8)]) -> String {
    const URL_SAFE: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut bytes = text.as_bytes().to_vec();
    for &(at, byte, how) in edits {
        // Half the edits stay in the link alphabet, so they reach the layers below base64.
        let byte = if how & 4 == 0 { byte } else { URL_SAFE[usize::from(byte) % URL_SAFE.len()] };
        let at = if bytes.is_empty() { 0 } else { at as usize % bytes.len() };
        match how % 4 {
            0 if !bytes.is_empty() => bytes[at] = byte,
            1 => bytes.insert(at, byte),
            2 if !bytes.is_empty() => {
                bytes.remove(at);
            }
            _ => bytes.truncate(at),
        }
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

/// Hostile links, each with what it is and what the refusal says: markup in names, huge and
/// non-finite numbers, cut and corrupted links, a later version, a bomb, too many nodes.
pub fn hostile_corpus() -> Vec<(&'static str, String, &'static str)> {
    let node = |id: u32, kind: &str, params: serde_json::Value| -> Node {
        serde_json::from_value(
            serde_json::json!({"id": id, "kind": kind, "pos": {"x": 0.0, "y": 0.0}, "params": params}),
        )
        .unwrap()
    };
    let valid =
        link::encode(&Experiment::new(kindling::core::model::templates::basic_loop(), View::default()))
            .unwrap();
    let mut nan = node(0, "SGDOptimizer", serde_json::json!({}));
    nan.params.insert("momentum".to_owned(), ParamValue::Float(f64::NAN));
    let version = |version: u8| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode([version, 1, 2, 3]);
    let bomb = {
        let mut deflate =
            flate2::write::DeflateEncoder::new(vec![link::VERSION], flate2::Compression::best());
        deflate.write_all(&vec![0u8; 8 << 20]).unwrap();
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(deflate.finish().unwrap())
    };
    let many: Vec<Node> = (0..=2000).map(|id| node(id, "Dataset", serde_json::json!({}))).collect();
    let corrupted = {
        let mut bytes = valid.clone().into_bytes();
        let middle = bytes.len() / 2;
        bytes[middle..middle + 6].copy_from_slice(b"AAAAAA");
        String::from_utf8(bytes).unwrap()
    };
    let raw = |nodes: &[Node]| link_of_raw(nodes, &[], 2001, View::default());
    // Within every count and range, yet past what the page can train (`core::budget`).
    let default_with_layers = |layers: Vec<LayerSpec>| {
        let mut graph = kindling::core::model::templates::basic_loop();
        let network = graph.nodes_of(NodeKind::Network).next().unwrap().id;
        graph.set_param(network, "layers", ParamValue::Layers(layers)).unwrap();
        link::encode(&Experiment::new(graph, View::default())).unwrap()
    };
    let wide = vec![LayerSpec::Linear { out_features: 4096 }; 1023];
    let billions = default_with_layers([wide, vec![LayerSpec::Linear { out_features: 2 }]].concat());
    let activations = {
        let mut graph = kindling::core::model::templates::basic_loop();
        let network = graph.nodes_of(NodeKind::Network).next().unwrap().id;
        let sampler = graph.nodes_of(NodeKind::BatchSampler).next().unwrap().id;
        let layers = [
            vec![LayerSpec::Linear { out_features: 4096 }],
            vec![LayerSpec::Relu; 60],
            vec![LayerSpec::Linear { out_features: 2 }],
        ]
        .concat();
        graph.set_param(network, "layers", ParamValue::Layers(layers)).unwrap();
        graph.set_param(sampler, "batch_size", ParamValue::Int(4096)).unwrap();
        link::encode(&Experiment::new(graph, View::default())).unwrap()
    };
    vec![
        (
            "a script tag as a parameter name",
            raw(&[node(0, "Dataset", serde_json::json!({"<script>window.__xss = 1</script>": 1}))]),
            "has no parameter",
        ),
        (
            "markup as a choice",
            raw(&[node(
                0,
                "Dataset",
                serde_json::json!({"kind": "<img src=x onerror=\"window.__xss = 1\">"}),
            )]),
            "expected one of",
        ),
        (
            "a huge number",
            raw(&[node(0, "SGDOptimizer", serde_json::json!({"learning_rate": 1e300}))]),
            "1e300 is outside",
        ),
        ("a non-finite number", raw(&[nan]), "not a finite number"),
        ("a link cut in half", valid[..valid.len() / 2].to_owned(), "damaged"),
        ("a corrupted link", corrupted, "damaged"),
        ("not base64url", "%3Cscript%3Ealert(1)%3C/script%3E".to_owned(), "damaged"),
        ("a later format version", version(link::VERSION + 1), "newer Kindling"),
        ("a decompression bomb", bomb, "it was not expanded"),
        ("too many nodes", raw(&many), "at most 2000"),
        ("17 billion parameters", billions, "17,150,521,346 parameters; the page has room for 10,000,000"),
        ("a batch of 8 GiB of activations", activations, "a training batch of 1000 samples holds"),
    ]
}
