//! Share links and graph files: round trips, bounds, versions and hostile input.
#![cfg(not(target_arch = "wasm32"))]

mod experiments;

use std::io::Write;

use kindling::core::document::built_in_lessons::BUILT_IN_LESSONS;
use kindling::core::document::experiment::{Experiment, ReadError, View};
use kindling::core::document::{graph_file, link};
use kindling::core::model::catalogue::NodeKind;
use kindling::core::model::graph::Node;
use kindling::core::model::limits;
use kindling::core::model::params::ParamValue;
use kindling::core::model::sweep_settings::{Pruning, SearchSpec, Sweep, SweptParam};
use kindling::core::model::sweep_spec::{self};
use kindling::core::model::templates::{TEMPLATES, basic_loop};
use kindling::core::teach::goal::Goal;
use kindling::core::teach::lesson::{Highlight, Lesson, LessonFile, ParamRef, Prediction, Step};
use proptest::prelude::*;

use experiments::{arbitrary_experiment, every_kind, link_of_raw, mutate};

/// A link as a teacher would post it: a static host with a sub-path.
const HOST: &str = "https://example.github.io/kindling/#g=";

#[test]
fn the_default_graph_s_link_is_under_400_characters() {
    let experiment = Experiment::new(basic_loop(), View::default());
    let url = format!("{HOST}{}", link::encode(&experiment).unwrap());
    println!("default graph link: {} characters", url.len());
    assert!(url.len() < 400, "{} characters: {url}", url.len());
}

#[test]
fn every_template_round_trips_through_links_and_files() {
    for template in &TEMPLATES {
        let experiment =
            Experiment::new((template.build)(), View { offset_x: -12.5, offset_y: 40.0, scale: 0.75 });
        let text = link::encode(&experiment).unwrap();
        assert_eq!(link::decode(&text).unwrap(), experiment, "{} via link", template.slug);
        assert_eq!(
            graph_file::from_json(&graph_file::to_json(&experiment)).unwrap(),
            experiment,
            "{} via file",
            template.slug
        );
    }
}

#[test]
fn links_are_url_safe_and_start_with_their_version() {
    let text = link::encode(&Experiment::new(basic_loop(), View::default())).unwrap();
    assert!(text.bytes().all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_'), "{text}");
    assert_eq!(base64_first_byte(&text), 1, "a graph without a sweep is written as version 1");
    let experiment = Experiment::new(with_a_sweep(basic_loop()), View::default());
    let text = link::encode(&experiment).unwrap();
    assert_eq!(base64_first_byte(&text), 2, "a graph with a sweep and no lesson: version 2");
    assert_eq!(link::decode(&text).unwrap(), experiment, "the sweep comes back");
    let file = graph_file::to_json(&experiment);
    assert!(file.contains("\"version\": 2"), "{file}");
    assert_eq!(graph_file::from_json(&file).unwrap(), experiment);
    let lesson = BUILT_IN_LESSONS[0].open().unwrap().lesson;
    let experiment = Experiment { lesson, ..experiment };
    let text = link::encode(&experiment).unwrap();
    assert_eq!(base64_first_byte(&text), link::VERSION, "with a lesson: the newest version, 3");
    assert_eq!(link::decode(&text).unwrap(), experiment, "the lesson comes back");
}

/// `graph` sweeping its first optimizer's rate and its dataset's seed, sampled at random and
/// pruned by successive halving.
fn with_a_sweep(mut graph: kindling::core::model::graph::Graph) -> kindling::core::model::graph::Graph {
    let sgd = graph.nodes_of(NodeKind::SgdOptimizer).next().unwrap().id;
    let dataset = graph.nodes_of(NodeKind::Dataset).next().unwrap().id;
    graph.set_sweep(Sweep {
        params: vec![
            SweptParam { node: sgd, param: "learning_rate".into(), values: "1e-3..1 log 4".into() },
            SweptParam { node: dataset, param: "seed".into(), values: "0, 1, 2".into() },
        ],
        search: SearchSpec::Random { trials: 5, seed: 9 },
        pruning: Pruning::Asha { min_epochs: 2, eta: 3 },
    });
    graph
}

fn base64_first_byte(text: &str) -> u8 {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(text).unwrap()[0]
}

#[test]
fn files_are_readable_json_with_every_parameter() {
    let json = graph_file::to_json(&Experiment::new(basic_loop(), View::default()));
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["format"], "kindling-experiment");
    assert_eq!(value["version"], 1, "without a sweep, the first version");
    assert!(json.contains("\n  "), "pretty-printed");
    let sgd = value["graph"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|node| node["kind"] == "SGDOptimizer")
        .unwrap();
    assert_eq!(sgd["params"]["learning_rate"], 0.03);
    assert_eq!(sgd["params"]["nesterov"], false, "defaults are written out");
    let network =
        value["graph"]["nodes"].as_array().unwrap().iter().find(|node| node["kind"] == "Network").unwrap();
    assert_eq!(network["params"]["layers"][0]["layer"], "Linear");
}

/// Every format version ever written opens, to the graph it was written from. The graph is
/// the version-1 file's, as that release wrote it (one node of every kind it had, every
/// parameter set); the link of that release, the bare graph before it and version 2 (the
/// same graph with a sweep) must open to the same. The catalogue has grown since, so the
/// graph is read, not rebuilt: `every_kind()` writes the fixtures of a version that has none.
#[test]
fn every_released_version_still_opens() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/links");
    let view = View { offset_x: 30.0, offset_y: -20.0, scale: 0.8 };
    let v1 = dir.join("v1.link");
    if std::env::var_os("KINDLING_BLESS").is_some() && !v1.exists() {
        let expected = Experiment::new(every_kind(), view);
        std::fs::write(&v1, link::encode(&expected).unwrap() + "\n").unwrap();
        std::fs::write(dir.join("v1.json"), graph_file::to_json(&expected)).unwrap();
        std::fs::write(dir.join("v0.json"), expected.graph.to_json() + "\n").unwrap();
    }
    let read = |name: &str| {
        std::fs::read_to_string(dir.join(name))
            .unwrap_or_else(|error| panic!("fixture tests/links/{name}: {error}"))
    };
    let expected = graph_file::from_json(&read("v1.json")).unwrap();
    assert_eq!(expected.view, view);
    assert_eq!(expected.graph.node_count(), 19, "one node of each kind the first release had");
    assert_eq!(link::decode(&read("v1.link")).unwrap(), expected, "v1 link");
    // Version 2: the same graph with a sweep.
    let swept = Experiment::new(with_a_sweep(expected.graph.clone()), expected.view);
    if std::env::var_os("KINDLING_BLESS").is_some() && !dir.join("v2.link").exists() {
        std::fs::write(dir.join("v2.link"), link::encode(&swept).unwrap() + "\n").unwrap();
        std::fs::write(dir.join("v2.json"), graph_file::to_json(&swept)).unwrap();
    }
    assert_eq!(link::decode(&read("v2.link")).unwrap(), swept, "v2 link");
    assert_eq!(graph_file::from_json(&read("v2.json")).unwrap(), swept, "v2 file");
    // Version 3: the same, with a lesson that uses every field.
    let taught = Experiment { lesson: Some(every_lesson_field()), ..swept.clone() };
    if std::env::var_os("KINDLING_BLESS").is_some() && !dir.join("v3.link").exists() {
        std::fs::write(dir.join("v3.link"), link::encode(&taught).unwrap() + "\n").unwrap();
        std::fs::write(dir.join("v3.json"), graph_file::to_json(&taught)).unwrap();
    }
    assert_eq!(link::decode(&read("v3.link")).unwrap(), taught, "v3 link");
    assert_eq!(graph_file::from_json(&read("v3.json")).unwrap(), taught, "v3 file");
    // Version 0: the bare graph JSON of examples/ and kindling-run, before files had a version.
    let v0 = graph_file::from_json(&read("v0.json")).unwrap();
    assert_eq!(v0, Experiment::new(expected.graph, View::default()));
}

/// A lesson with every field a lesson has.
fn every_lesson_field() -> Lesson {
    let param = |text: &str| ParamRef::parse(text).unwrap();
    Lesson {
        title: "Every field".to_owned(),
        summary: "A lesson that uses every field, as version 3 wrote it.".to_owned(),
        steps: vec![
            Step {
                text: "**Train**, then *read* `loss`:\n\n- one\n- [two](lesson:momentum)".to_owned(),
                highlights: vec![
                    Highlight::Node(NodeKind::Network),
                    Highlight::Param(param("SGDOptimizer.learning_rate")),
                    Highlight::Control("train-button".to_owned()),
                    Highlight::View("charts".to_owned()),
                ],
                locks: vec![param("SGDOptimizer.momentum")],
                prediction: Some(Prediction {
                    question: "How far will it fall?".to_owned(),
                    choices: vec!["far".to_owned(), "not far".to_owned()],
                }),
                goal: Some(Goal::parse("val_loss < 0.1 and (epochs_run <= 50 or not run.diverged)").unwrap()),
            },
            Step {
                text: "Typed guess, no goal.".to_owned(),
                prediction: Some(Prediction::default()),
                ..Step::default()
            },
        ],
        files: vec![LessonFile { name: "tiny.csv".to_owned(), text: "x,y,label\n1,2,a\n3,4,b\n".to_owned() }],
    }
}

#[test]
fn a_newer_version_says_so() {
    let mut bytes = vec![link::VERSION + 1];
    bytes.extend_from_slice(b"whatever a later Kindling writes");
    use base64::Engine;
    let text = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(&bytes);
    let error = link::decode(&text).unwrap_err();
    assert!(matches!(error, ReadError::Newer { .. }), "{error}");
    assert!(error.to_string().contains("newer Kindling"), "{error}");
    let file = r#"{"format": "kindling-experiment", "version": 99, "graph": {"nodes": []}}"#;
    assert!(matches!(graph_file::from_json(file), Err(ReadError::Newer { found: 99, .. })));
}

/// Hostile content that decodes as data: each is refused whole, with a sentence.
#[test]
fn hostile_links_are_refused_with_a_reason() {
    let node = |id: u32, kind: &str, x: f64, params: serde_json::Value| -> Node {
        serde_json::from_value(
            serde_json::json!({"id": id, "kind": kind, "pos": {"x": x, "y": 0.0}, "params": params}),
        )
        .unwrap()
    };
    let none = serde_json::json!({});
    // (what the message says, nodes, wires as (from, output, to, input), next id)
    type Case = (&'static str, Vec<Node>, Vec<(u32, u8, u32, u8)>, u32);
    let cases: Vec<Case> = vec![
        (
            "has no parameter \"<script>",
            vec![node(0, "Dataset", 0.0, serde_json::json!({"<script>alert(1)</script>": 1}))],
            vec![],
            1,
        ),
        (
            "1e300 is outside",
            vec![node(0, "SGDOptimizer", 0.0, serde_json::json!({"learning_rate": 1e300}))],
            vec![],
            1,
        ),
        ("further than", vec![node(0, "Dataset", 1e30, none.clone())], vec![], 1),
        (
            "share the id",
            vec![node(3, "Dataset", 0.0, none.clone()), node(3, "Network", 0.0, none.clone())],
            vec![],
            4,
        ),
        ("which is missing", vec![node(0, "Dataset", 0.0, none.clone())], vec![(0, 0, 7, 0)], 1),
        (
            "has no input number 9",
            vec![node(0, "Dataset", 0.0, none.clone()), node(1, "BatchSampler", 0.0, none.clone())],
            vec![(0, 0, 1, 9)],
            2,
        ),
        (
            "takes two wires",
            vec![node(0, "Dataset", 0.0, none.clone()), node(1, "BatchSampler", 0.0, none.clone())],
            vec![(0, 0, 1, 0), (0, 0, 1, 0)],
            2,
        ),
        ("past", vec![node(u32::MAX, "Dataset", 0.0, none.clone())], vec![], u32::MAX),
        (
            "bytes long; at most 64 are allowed",
            vec![node(0, "Dataset", 0.0, serde_json::json!({"kind": "x".repeat(100_000)}))],
            vec![],
            1,
        ),
        (
            "not a finite number",
            vec![node(0, "SGDOptimizer", 0.0, serde_json::json!({"momentum": 0.5}))],
            vec![],
            1,
        ),
    ];
    for (expected, mut nodes, wires, next_id) in cases {
        if expected == "not a finite number" {
            nodes[0].params.insert("momentum".to_owned(), ParamValue::Float(f64::NAN));
        }
        let text = link_of_raw(&nodes, &wires, next_id, View::default());
        let error = link::decode(&text).unwrap_err();
        // A graph that cannot be built (`Invalid`), or one past a limit or the catalogue
        // (`Limits`, which names the node).
        assert!(matches!(error, ReadError::Invalid(_) | ReadError::Limits(_)), "{error}");
        assert!(error.to_string().contains(expected), "{expected:?} not in {error}");
        assert!(error.to_string().len() < 200, "a hostile name is shortened: {error}");
    }
    let views = [View { offset_x: f32::NAN, ..View::default() }, View { scale: 1e9, ..View::default() }];
    for view in views {
        let error = link::decode(&link_of_raw(&[], &[], 0, view)).unwrap_err();
        assert!(matches!(error, ReadError::Invalid(_)), "{error}");
    }
}

#[test]
fn hostile_files_are_refused_with_a_reason() {
    let file = |graph: serde_json::Value| {
        serde_json::json!({"format": "kindling-experiment", "version": 1, "graph": graph}).to_string()
    };
    let port = file(serde_json::json!({"nodes": [{"id": 0, "kind": "Dataset", "pos": {"x": 0, "y": 0}},
        {"id": 1, "kind": "BatchSampler", "pos": {"x": 0, "y": 0}}],
        "wires": [{"from": {"node": 0, "port": "dataset"}, "to": {"node": 1, "port": "<img src=x onerror=alert(1)>"}}]}));
    let error = graph_file::from_json(&port).unwrap_err().to_string();
    assert!(error.contains("has no input \"<img src=x"), "{error}");
    let kind =
        file(serde_json::json!({"nodes": [{"id": 0, "kind": "<b>Evil</b>", "pos": {"x": 0, "y": 0}}]}));
    assert!(matches!(graph_file::from_json(&kind), Err(ReadError::Invalid(_))));
    let huge = file(
        serde_json::json!({"nodes": [{"id": 0, "kind": "Dataset", "pos": {"x": 0, "y": 0}, "params": {"samples": 1e200}}]}),
    );
    assert!(graph_file::from_json(&huge).is_err());
    let many: Vec<serde_json::Value> = (0..=limits::MAX_NODES)
        .map(|id| serde_json::json!({"id": id, "kind": "Dataset", "pos": {"x": 0, "y": 0}}))
        .collect();
    let error = graph_file::from_json(&file(serde_json::json!({"nodes": many}))).unwrap_err().to_string();
    assert!(error.contains("nodes; at most"), "{error}");
}

#[test]
fn damaged_links_say_they_are_damaged() {
    let text = link::encode(&Experiment::new(basic_loop(), View::default())).unwrap();
    for damaged in [&text[..text.len() / 2], &text[..text.len() - 3], "not a link!", "%%%", "AA"] {
        let error = link::decode(damaged).unwrap_err();
        assert!(matches!(error, ReadError::Damaged(_)), "{damaged}: {error}");
    }
    assert_eq!(link::decode("   "), Err(ReadError::Empty));
    let long = "A".repeat(link::MAX_TEXT_CHARS + 1);
    assert!(matches!(link::decode(&long), Err(ReadError::TooLong { .. })));
}

/// A payload that would expand to 64 MiB stops at the cap.
#[test]
fn a_decompression_bomb_is_refused() {
    let mut deflate = flate2::write::DeflateEncoder::new(vec![link::VERSION], flate2::Compression::fast());
    let zeros = vec![0u8; 1 << 20];
    for _ in 0..64 {
        deflate.write_all(&zeros).unwrap();
    }
    use base64::Engine;
    let text = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(deflate.finish().unwrap());
    assert!(text.len() < link::MAX_TEXT_CHARS, "the bomb fits in a link: {} characters", text.len());
    assert_eq!(link::decode(&text), Err(ReadError::TooLarge(link::MAX_EXPANDED_BYTES)));
}

#[test]
fn legacy_files_open_with_the_default_view() {
    let json = basic_loop().to_json();
    assert_eq!(graph_file::from_json(&json).unwrap(), Experiment::new(basic_loop(), View::default()));
    assert_eq!(graph_file::from_json("{}"), Err(ReadError::Empty));
    assert!(matches!(graph_file::from_json("{\"nodes\": 3"), Err(ReadError::Damaged(_))));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_valid_experiments_round_trip(experiment in arbitrary_experiment()) {
        let text = link::encode(&experiment).unwrap();
        prop_assert_eq!(link::decode(&text).unwrap(), experiment.clone());
        prop_assert_eq!(graph_file::from_json(&graph_file::to_json(&experiment)).unwrap(), experiment);
    }

    #[test]
    fn mutated_links_decode_or_say_why(experiment in arbitrary_experiment(), edits in proptest::collection::vec(any::<(u16, u8, u8)>(), 1..8)) {
        let text = mutate(&link::encode(&experiment).unwrap(), &edits);
        // Ok or Err are both fine; a panic fails the test.
        let _ = link::decode(&text);
    }

    #[test]
    fn mutated_files_import_or_say_why(experiment in arbitrary_experiment(), edits in proptest::collection::vec(any::<(u16, u8, u8)>(), 1..8)) {
        let text = mutate(&graph_file::to_json(&experiment), &edits);
        let _ = graph_file::from_json(&text);
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 4096, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn random_strings_decode_or_say_why(text in "[A-Za-z0-9_=-]{0,300}") {
        let _ = link::decode(&text);
    }

    /// Whatever a swept field or a link holds, the sweep's values read or say why; what reads
    /// is within the parameter's bounds.
    #[test]
    fn any_sweep_text_reads_or_says_why(text in "([0-9eE.+-]{0,8}(\\.\\.| |, ?|log |linear )?){0,6}|.{0,40}") {
        let graph = basic_loop();
        for node in graph.nodes() {
            for spec in node.kind.spec().params.iter().filter(|spec| sweep_spec::sweepable(spec)) {
                if let Ok(values) = sweep_spec::values(spec, &text) {
                    prop_assert!(!values.is_empty() && values.len() <= kindling::core::model::sweep::MAX_VALUES);
                    for value in values {
                        prop_assert!(spec.check(&value).is_ok(), "{} took {value}", spec.name);
                    }
                }
            }
        }
    }

    #[test]
    fn random_bytes_after_a_version_decode_or_say_why(body in proptest::collection::vec(any::<u8>(), 0..400), deflated: bool) {
        use base64::Engine;
        let mut bytes = vec![link::VERSION];
        if deflated {
            let mut deflate = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::fast());
            deflate.write_all(&body).unwrap();
            bytes.extend(deflate.finish().unwrap());
        } else {
            bytes.extend(&body);
        }
        let _ = link::decode(&base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes));
    }

    #[test]
    fn random_text_imports_or_says_why(text in "\\PC{0,200}") {
        let _ = graph_file::from_json(&text);
    }
}

/// The hostile links the end-to-end test opens in a page (tests/links/hostile.json): each
/// is refused here, as the page opens links (`link::open`), with the message the page must
/// show. `KINDLING_BLESS=1` writes the file.
#[test]
fn the_hostile_link_corpus_is_refused_with_its_messages() {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/links/hostile.json");
    if std::env::var_os("KINDLING_BLESS").is_some() {
        let corpus: Vec<serde_json::Value> = experiments::hostile_corpus()
            .into_iter()
            .map(|(what, link, message)| serde_json::json!({"what": what, "link": link, "message": message}))
            .collect();
        std::fs::write(&path, serde_json::to_string_pretty(&corpus).unwrap() + "\n").unwrap();
    }
    let text = std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()));
    let corpus: Vec<serde_json::Value> = serde_json::from_str(&text).unwrap();
    assert!(corpus.len() >= 10, "the corpus holds {} links", corpus.len());
    for case in corpus {
        let (what, text, message) = (
            case["what"].as_str().unwrap(),
            case["link"].as_str().unwrap(),
            case["message"].as_str().unwrap(),
        );
        let error = link::open(text).expect_err(what).to_string();
        assert!(error.contains(message), "{what}: {message:?} not in {error}");
    }
}

/// The largest graph the limits allow still shares and opens.
#[test]
fn a_graph_at_the_node_limit_round_trips() {
    let mut graph = kindling::core::model::graph::Graph::new();
    for index in 0..limits::MAX_NODES / 2 {
        let at = kindling::core::model::graph::Pos { x: index as f32 * 10.0, y: 0.0 };
        let dataset = graph.add_node(kindling::core::model::catalogue::NodeKind::Dataset, at);
        let sampler = graph.add_node(kindling::core::model::catalogue::NodeKind::BatchSampler, at);
        graph.connect_named(dataset, "dataset", sampler, "dataset").unwrap();
    }
    let experiment = Experiment::new(graph, View::default());
    let text = link::encode(&experiment).unwrap();
    println!("{} nodes: {} characters of link", limits::MAX_NODES, text.len());
    assert_eq!(link::decode(&text).unwrap(), experiment);
}

/// A graph whose ids have run far (a hostile link, or a graph edited for ever) opens
/// renumbered, with room to grow, from a link and from a file alike.
#[test]
fn a_graph_near_the_id_limit_opens_renumbered_with_room_to_grow() {
    use kindling::core::model::graph::{Graph, InPort, OutPort, Wire};
    use kindling::core::model::graph_check::room_for;
    use kindling::core::model::node_id::NodeId;
    let graph = basic_loop();
    let shift = |id: NodeId| NodeId(id.0 + limits::MAX_ID - 100);
    let far = Graph::from_parts(
        graph.nodes().map(|node| Node { id: shift(node.id), ..node.clone() }).collect(),
        graph
            .wires()
            .map(|wire| Wire {
                from: OutPort { node: shift(wire.from.node), index: wire.from.index },
                to: InPort { node: shift(wire.to.node), index: wire.to.index },
            })
            .collect(),
        limits::MAX_ID,
    )
    .unwrap();
    assert!(room_for(&far, 1, 0).is_err(), "as it stands, not one node more fits");
    let experiment = Experiment::new(far, View::default());
    let from_link = link::decode(&link::encode(&experiment).unwrap()).unwrap();
    let from_file = graph_file::from_json(&graph_file::to_json(&experiment)).unwrap();
    for opened in [from_link.graph, from_file.graph] {
        assert!(opened.next_id() <= 1 + graph.node_count() as u32, "{}", opened.next_id());
        assert_eq!(room_for(&opened, limits::MAX_NODES - graph.node_count(), 0), Ok(()));
        assert_eq!(opened.wire_count(), graph.wire_count());
    }
}
