//! Ready-made graphs: the seed's three training patterns (basic loop, with validation,
//! multi-loss), a regression, a digits classifier (fully connected and a CNN), a CNN on
//! generated shapes, and the same shapes to an MLP and that CNN compared by a sweep. The basic loop is the graph the page
//! opens with; `examples/` holds each as JSON (kept equal by `tests/runner.rs`).

use crate::core::model::catalogue::NodeKind;
use crate::core::model::graph::{Graph, Pos};
use crate::core::model::layer_text::layers_text;
use crate::core::model::node_id::NodeId;
use crate::core::model::params::{Conv2dSpec, LayerSpec, ParamValue, Pool2dSpec};
use crate::core::model::sweep_settings::{Sweep, SweptParam};
use crate::core::model::sweep_spec::LAYER_LISTS_SEPARATOR;

/// A template: its name as menus and files show it, and the graph.
pub struct Template {
    /// File name in `examples/`, without `.json`.
    pub slug: &'static str,
    /// Its name as the menu shows it (`text/en/model.ftl`).
    pub title: fn() -> String,
    pub build: fn() -> Graph,
}

/// Every template, in menu order.
pub const TEMPLATES: [Template; 9] = [
    Template { slug: "basic_loop", title: || text!("template-basic-loop"), build: basic_loop },
    Template { slug: "with_validation", title: || text!("template-with-validation"), build: with_validation },
    Template { slug: "multi_loss", title: || text!("template-multi-loss"), build: multi_loss },
    Template { slug: "regression", title: || text!("template-regression"), build: regression },
    Template { slug: "digits", title: || text!("template-digits"), build: digits },
    Template { slug: "digits_cnn", title: || text!("template-digits-cnn"), build: digits_cnn },
    Template { slug: "shapes_cnn", title: || text!("template-shapes-cnn"), build: shapes_cnn },
    Template { slug: "mlp_vs_cnn", title: || text!("template-mlp-vs-cnn"), build: mlp_vs_cnn },
    Template { slug: "blank", title: || text!("template-blank"), build: Graph::new },
];

/// Builds a graph on a grid: columns 240 apart (nodes are 190 wide, leaving room for the shape
/// labels on wires and for wires running back between them), rows 260 (the tallest node,
/// EpochTracker, is about 220, and a wire's channel runs in the gap). Templates read like
/// lines of text: the loop goes left to right along a row and on at the start of the next
/// one, so a newcomer reads it in order, and a fitted view stays legible on a laptop; wires
/// that run back go around the nodes, in the gaps (`editor::wire_route`).
struct Builder {
    graph: Graph,
}

impl Builder {
    fn new() -> Self {
        Self { graph: Graph::new() }
    }

    fn node(&mut self, kind: NodeKind, column: f32, row: f32, params: &[(&str, ParamValue)]) -> NodeId {
        let id = self.graph.add_node(kind, Pos { x: column * 240.0, y: row * 260.0 });
        for (name, value) in params {
            // The values are in range by construction; a failure here is a catalogue bug.
            let result = self.graph.set_param(id, name, value.clone());
            debug_assert!(result.is_ok(), "{kind}.{name}: {result:?}");
        }
        id
    }

    fn wire(&mut self, from: NodeId, from_port: &str, to: NodeId, to_port: &str) {
        // The ports exist by construction; a failure here is a catalogue bug.
        let result = self.graph.connect_named(from, from_port, to, to_port);
        debug_assert!(result.is_ok(), "{result:?}");
    }

    /// Feeds `scorer` (a loss or a metric) the network's predictions and the batch's targets.
    fn score(&mut self, network: NodeId, batches: NodeId, scorer: NodeId) {
        self.wire(network, "predictions", scorer, "predictions");
        self.wire(batches, "targets", scorer, "targets");
    }

    /// The validation pass, a third row under the loop: a BatchSampler on the split's
    /// held-out samples (in order, `batch_size` at a time) and a RunEpoch with training off,
    /// run after every epoch. Returns the RunEpoch.
    fn validation(&mut self, split: NodeId, network: NodeId, tracker: NodeId, batch_size: i64) -> NodeId {
        let sampler = self.node(
            NodeKind::BatchSampler,
            0.0,
            2.0,
            &[("batch_size", ParamValue::Int(batch_size)), ("shuffle", ParamValue::Bool(false))],
        );
        let run = self.node(NodeKind::RunEpoch, 1.0, 2.0, &[("training", ParamValue::Bool(false))]);
        self.wire(split, "validation", sampler, "dataset");
        self.wire(sampler, "sampler", run, "sampler");
        self.wire(network, "model", run, "model");
        self.wire(tracker, "epoch_trigger", run, "epoch_num");
        run
    }
}

fn layers(layers: &[LayerSpec]) -> ParamValue {
    ParamValue::Layers(layers.to_vec())
}

const fn linear(out_features: usize) -> LayerSpec {
    LayerSpec::Linear { out_features }
}

/// The nodes of the loop every template shares.
struct Core {
    network: NodeId,
    optimizer: NodeId,
    step: NodeId,
    tracker: NodeId,
}

/// Wires the loop from the batches to the tracker: GetBatch → Network → `loss` → optimizer →
/// TrainingStep → EpochTracker, the trigger looping back to GetBatch. `loss` is the node
/// whose `loss` output is minimised.
fn wire_core(b: &mut Builder, batches: NodeId, loss: NodeId, core: &Core) {
    b.wire(batches, "inputs", core.network, "input");
    b.wire(core.network, "model", core.optimizer, "model");
    b.wire(loss, "loss", core.optimizer, "loss");
    b.wire(core.optimizer, "optimizer", core.step, "optimizer");
    b.wire(loss, "loss", core.step, "loss");
    b.wire(core.step, "step_complete", core.tracker, "step_complete");
    b.wire(core.step, "loss_value", core.tracker, "loss");
    b.wire(core.tracker, "epoch_trigger", batches, "next");
}

/// The seed's basic training loop on a two-class spiral:
/// Dataset → BatchSampler → GetBatch → Network → CrossEntropyLoss → SGDOptimizer →
/// TrainingStep → EpochTracker, with the tracker's trigger wired back to GetBatch.
///
/// Its settings train reliably: 1000 points in batches of 32, SGD with lr 0.03 and momentum
/// 0.9 end 200 epochs at ≥ 95% training accuracy for every seed the tests try
/// (`tests/training.rs`). Smaller batches or rates reach 95% sooner on most seeds but
/// oscillate out of it again on some.
pub fn basic_loop() -> Graph {
    let mut b = Builder::new();
    // Two rows, read like lines of text: the data path, then the update path.
    let dataset = b.node(NodeKind::Dataset, 0.0, 0.0, &[]);
    let sampler = b.node(NodeKind::BatchSampler, 1.0, 0.0, &[]);
    let batches = b.node(NodeKind::GetBatch, 2.0, 0.0, &[]);
    let network = b.node(NodeKind::Network, 3.0, 0.0, &[]);
    let loss = b.node(NodeKind::CrossEntropyLoss, 0.0, 1.0, &[]);
    let optimizer = b.node(
        NodeKind::SgdOptimizer,
        1.0,
        1.0,
        &[("learning_rate", ParamValue::Float(0.03)), ("momentum", ParamValue::Float(0.9))],
    );
    let step = b.node(NodeKind::TrainingStep, 2.0, 1.0, &[]);
    let tracker = b.node(NodeKind::EpochTracker, 3.0, 1.0, &[("total_epochs", ParamValue::Int(200))]);
    b.wire(dataset, "dataset", sampler, "dataset");
    b.wire(sampler, "sampler", batches, "sampler");
    b.score(network, batches, loss);
    wire_core(&mut b, batches, loss, &Core { network, optimizer, step, tracker });
    b.wire(loss, "accuracy", tracker, "accuracy");
    b.graph
}

/// The seed's "with validation" pattern on a noisy three-class spiral: a DataSplit holds
/// out 20%, a second sampler feeds RunEpoch with training off after every epoch, an
/// AccuracyMetric scores both passes, ReduceLROnPlateau watches the validation loss and
/// EpochTracker stops early when it no longer falls.
pub fn with_validation() -> Graph {
    let mut b = Builder::new();
    let dataset = b.node(
        NodeKind::Dataset,
        0.0,
        0.0,
        &[("classes", ParamValue::Int(3)), ("noise", ParamValue::Float(0.05))],
    );
    let split = b.node(NodeKind::DataSplit, 1.0, 0.0, &[]);
    let sampler = b.node(NodeKind::BatchSampler, 2.0, 0.0, &[]);
    let batches = b.node(NodeKind::GetBatch, 3.0, 0.0, &[]);
    let network = b.node(
        NodeKind::Network,
        4.0,
        0.0,
        &[("layers", layers(&[linear(32), LayerSpec::Relu, linear(32), LayerSpec::Relu, linear(3)]))],
    );
    let loss = b.node(NodeKind::CrossEntropyLoss, 0.0, 1.0, &[]);
    let metric = b.node(NodeKind::AccuracyMetric, 1.0, 1.0, &[]);
    let optimizer = b.node(NodeKind::AdamOptimizer, 2.0, 1.0, &[("learning_rate", ParamValue::Float(0.01))]);
    let step = b.node(NodeKind::TrainingStep, 3.0, 1.0, &[]);
    let tracker = b.node(
        NodeKind::EpochTracker,
        4.0,
        1.0,
        &[
            ("total_epochs", ParamValue::Int(150)),
            ("patience", ParamValue::Int(25)),
            ("monitor", ParamValue::Text("val_loss".into())),
        ],
    );
    let run = b.validation(split, network, tracker, 200);
    let plateau = b.node(NodeKind::ReduceLrOnPlateau, 2.0, 2.0, &[("factor", ParamValue::Float(0.5))]);
    b.wire(dataset, "dataset", split, "dataset");
    b.wire(split, "train", sampler, "dataset");
    b.wire(sampler, "sampler", batches, "sampler");
    b.score(network, batches, loss);
    b.score(network, batches, metric);
    wire_core(&mut b, batches, loss, &Core { network, optimizer, step, tracker });
    b.wire(metric, "accuracy", tracker, "accuracy");
    b.wire(optimizer, "optimizer", plateau, "optimizer");
    b.wire(run, "epoch_loss", plateau, "metric");
    b.wire(plateau, "scheduler", tracker, "scheduler");
    b.graph
}

/// A regression network with a single output, for the plane and gaussian sets.
fn regression_layers() -> ParamValue {
    layers(&[linear(32), LayerSpec::Tanh, linear(32), LayerSpec::Tanh, linear(1)])
}

/// The seed's multi-loss pattern: a noisy plane fitted with MSE and L1 together
/// (CombineLoss: 1·MSE + 0.5·L1), MSE for the bulk, L1 to lean less on the noisy points.
pub fn multi_loss() -> Graph {
    let mut b = Builder::new();
    let dataset = b.node(
        NodeKind::Dataset,
        0.0,
        0.0,
        &[("kind", ParamValue::Text("plane".into())), ("noise", ParamValue::Float(0.2))],
    );
    let sampler = b.node(NodeKind::BatchSampler, 1.0, 0.0, &[]);
    let batches = b.node(NodeKind::GetBatch, 2.0, 0.0, &[]);
    let network = b.node(NodeKind::Network, 3.0, 0.0, &[("layers", regression_layers())]);
    let mse = b.node(NodeKind::MseLoss, 0.0, 1.0, &[]);
    let l1 = b.node(NodeKind::L1Loss, 1.0, 1.0, &[]);
    let combine = b.node(NodeKind::CombineLoss, 2.0, 1.0, &[("weight_2", ParamValue::Float(0.5))]);
    let optimizer = b.node(NodeKind::AdamOptimizer, 3.0, 1.0, &[("learning_rate", ParamValue::Float(0.01))]);
    let step = b.node(NodeKind::TrainingStep, 0.0, 2.0, &[]);
    let tracker = b.node(NodeKind::EpochTracker, 1.0, 2.0, &[("total_epochs", ParamValue::Int(60))]);
    b.wire(dataset, "dataset", sampler, "dataset");
    b.wire(sampler, "sampler", batches, "sampler");
    for loss in [mse, l1] {
        b.score(network, batches, loss);
    }
    b.wire(mse, "loss", combine, "loss_1");
    b.wire(l1, "loss", combine, "loss_2");
    wire_core(&mut b, batches, combine, &Core { network, optimizer, step, tracker });
    b.graph
}

/// Regression with MSELoss on TensorFlow Playground's six Gaussian bumps, Adam with a
/// five-epoch linear warm-up (LinearLR from a third of the rate), then the rate cosine-annealed
/// over the remaining 145 epochs (SequentialLR chains the two, as PyTorch's does).
pub fn regression() -> Graph {
    let mut b = Builder::new();
    let dataset = b.node(NodeKind::Dataset, 0.0, 0.0, &[("kind", ParamValue::Text("gaussian".into()))]);
    let sampler = b.node(NodeKind::BatchSampler, 1.0, 0.0, &[]);
    let batches = b.node(NodeKind::GetBatch, 2.0, 0.0, &[]);
    let network = b.node(NodeKind::Network, 3.0, 0.0, &[("layers", regression_layers())]);
    let loss = b.node(NodeKind::MseLoss, 0.0, 1.0, &[]);
    let optimizer = b.node(NodeKind::AdamOptimizer, 1.0, 1.0, &[("learning_rate", ParamValue::Float(0.01))]);
    let step = b.node(NodeKind::TrainingStep, 2.0, 1.0, &[]);
    let tracker = b.node(NodeKind::EpochTracker, 3.0, 1.0, &[("total_epochs", ParamValue::Int(150))]);
    let warmup = b.node(NodeKind::LinearLr, 0.0, 2.0, &[]);
    let cosine = b.node(NodeKind::CosineAnnealingLr, 1.0, 2.0, &[("t_max", ParamValue::Int(145))]);
    let sequence = b.node(NodeKind::SequentialLr, 2.0, 2.0, &[("milestone", ParamValue::Int(5))]);
    b.wire(dataset, "dataset", sampler, "dataset");
    b.wire(sampler, "sampler", batches, "sampler");
    b.score(network, batches, loss);
    wire_core(&mut b, batches, loss, &Core { network, optimizer, step, tracker });
    b.wire(optimizer, "optimizer", warmup, "optimizer");
    b.wire(optimizer, "optimizer", cosine, "optimizer");
    b.wire(warmup, "scheduler", sequence, "first");
    b.wire(cosine, "scheduler", sequence, "then");
    b.wire(sequence, "scheduler", tracker, "scheduler");
    b.graph
}

/// The 8×8 handwritten digits: Flatten → Linear → ReLU → Dropout → Linear, Adam, 20% held out
/// for validation.
pub fn digits() -> Graph {
    image_classifier(
        &digits_data(),
        &[LayerSpec::Flatten, linear(64), LayerSpec::Relu, LayerSpec::Dropout { p: 0.1 }, linear(10)],
        &Training { batch_size: 64, learning_rate: 0.003, epochs: 30, validation_batch_size: 360 },
    )
    .0
}

/// The digits as the images they are, `[1, 8, 8]`, to a small CNN:
/// Conv2d(8, 3, padding=1) → ReLU → MaxPool2d(2) → Conv2d(16, 3, padding=1) → ReLU →
/// MaxPool2d(2) → Flatten → Linear(10); the digits template's training otherwise.
pub fn digits_cnn() -> Graph {
    image_classifier(
        &digits_data(),
        &small_cnn(10),
        &Training { batch_size: 64, learning_rate: 0.003, epochs: 30, validation_batch_size: 360 },
    )
    .0
}

fn digits_data() -> [(&'static str, ParamValue); 3] {
    [
        ("kind", ParamValue::Text("digits".into())),
        ("classes", ParamValue::Int(10)),
        ("samples", ParamValue::Int(1797)),
    ]
}

/// The benchmark CNN: two convolutions of 8 and 16 channels (3×3, padded), each
/// followed by ReLU and a 2×2 max-pool, then one Linear to the `classes`.
fn small_cnn(classes: usize) -> Vec<LayerSpec> {
    let conv = |channels| LayerSpec::Conv2d(Conv2dSpec { padding: 1, ..Conv2dSpec::new(channels, 3) });
    let pool = LayerSpec::MaxPool2d(Pool2dSpec::new(2));
    vec![conv(8), LayerSpec::Relu, pool, conv(16), LayerSpec::Relu, pool, LayerSpec::Flatten, linear(classes)]
}

/// A fully-connected network with about as many parameters as [`small_cnn`] on the shapes'
/// 1×16×16 images of 4 classes (2 353 against 2 276): Flatten → Linear(9) → ReLU → Linear(4).
fn shapes_mlp() -> Vec<LayerSpec> {
    vec![LayerSpec::Flatten, linear(9), LayerSpec::Relu, linear(SHAPES_CLASSES)]
}

/// The classes of the shapes templates: circle, square, triangle, cross.
const SHAPES_CLASSES: usize = 4;

/// The shapes templates' data: 2000 images of 1×16×16, four shapes moved by up to a quarter
/// of the image, a little noise.
fn shapes_data() -> [(&'static str, ParamValue); 6] {
    [
        ("kind", ParamValue::Text("shapes".into())),
        ("classes", ParamValue::Int(SHAPES_CLASSES as i64)),
        ("samples", ParamValue::Int(2000)),
        ("noise", ParamValue::Float(0.05)),
        ("image_size", ParamValue::Int(16)),
        ("translate", ParamValue::Float(0.25)),
    ]
}

/// How the shapes templates train.
const SHAPES_TRAINING: Training =
    Training { batch_size: 32, learning_rate: 0.003, epochs: 15, validation_batch_size: 400 };

/// The benchmark model on generated shapes: a small CNN (see [`small_cnn`]) on
/// 1×16×16 images of four shapes anywhere in the image, Adam, 20% held out for validation.
pub fn shapes_cnn() -> Graph {
    image_classifier(&shapes_data(), &small_cnn(SHAPES_CLASSES), &SHAPES_TRAINING).0
}

/// The shapes CNN and a fully-connected network of about as many parameters, compared: a
/// sweep over the Network's `layers` with both, so one press of the sweep's Run trains the
/// two side by side and its chart overlays their curves.
pub fn mlp_vs_cnn() -> Graph {
    let (mut graph, network) = image_classifier(&shapes_data(), &shapes_mlp(), &SHAPES_TRAINING);
    let lists = [shapes_mlp(), small_cnn(SHAPES_CLASSES)].map(|layers| layers_text(&layers));
    let separator = format!("{LAYER_LISTS_SEPARATOR} ");
    graph.set_sweep(Sweep {
        params: vec![SweptParam {
            node: network,
            param: "layers".to_owned(),
            values: lists.join(&separator),
        }],
        ..Sweep::default()
    });
    graph
}

/// How an image classifier template trains.
struct Training {
    batch_size: i64,
    learning_rate: f64,
    epochs: i64,
    validation_batch_size: i64,
}

/// An image classifier with validation: Dataset (`data`) → DataSplit (20% held out) →
/// BatchSampler → GetBatch → Network (`network`) → CrossEntropyLoss and AccuracyMetric, Adam,
/// and a RunEpoch with training off on the held-out images after every epoch. Returns the
/// graph and its Network.
fn image_classifier(
    data: &[(&str, ParamValue)],
    network: &[LayerSpec],
    training: &Training,
) -> (Graph, NodeId) {
    let mut b = Builder::new();
    let dataset = b.node(NodeKind::Dataset, 0.0, 0.0, data);
    let split = b.node(NodeKind::DataSplit, 1.0, 0.0, &[]);
    let sampler =
        b.node(NodeKind::BatchSampler, 2.0, 0.0, &[("batch_size", ParamValue::Int(training.batch_size))]);
    let batches = b.node(NodeKind::GetBatch, 3.0, 0.0, &[]);
    let network = b.node(NodeKind::Network, 4.0, 0.0, &[("layers", layers(network))]);
    let loss = b.node(NodeKind::CrossEntropyLoss, 0.0, 1.0, &[]);
    let metric = b.node(NodeKind::AccuracyMetric, 1.0, 1.0, &[]);
    let optimizer = b.node(
        NodeKind::AdamOptimizer,
        2.0,
        1.0,
        &[("learning_rate", ParamValue::Float(training.learning_rate))],
    );
    let step = b.node(NodeKind::TrainingStep, 3.0, 1.0, &[]);
    let tracker =
        b.node(NodeKind::EpochTracker, 4.0, 1.0, &[("total_epochs", ParamValue::Int(training.epochs))]);
    b.validation(split, network, tracker, training.validation_batch_size);
    b.wire(dataset, "dataset", split, "dataset");
    b.wire(split, "train", sampler, "dataset");
    b.wire(sampler, "sampler", batches, "sampler");
    b.score(network, batches, loss);
    b.score(network, batches, metric);
    wire_core(&mut b, batches, loss, &Core { network, optimizer, step, tracker });
    b.wire(metric, "accuracy", tracker, "accuracy");
    (b.graph, network)
}
