//! Runs driven as the page and `kindling-run` drive them, for the native tests: a clock that
//! moves a fixed step each time it is read (so how many batches an advance runs is the same
//! every time), a device that can be "lost" on cue, and runs taken to their next epoch or to
//! their end.
#![allow(dead_code)] // each test file uses its part

use std::cell::{Cell, RefCell};

use burn::tensor::Device;
use futures_lite::future::block_on;
use kindling::core::compile::plan::TrainingPlan;
use kindling::core::engine::run::{Event, Host, Run, RunStart};
use kindling::core::protocol::backend::Backend;
use kindling::core::report::epoch_stats::EpochStats;

/// A deterministic host: its clock moves `tick` milliseconds per reading.
pub struct TestHost {
    now: Cell<f64>,
    tick: f64,
    lost: RefCell<Option<String>>,
}

impl TestHost {
    pub fn new(tick: f64) -> Self {
        Self { now: Cell::new(0.0), tick, lost: RefCell::new(None) }
    }

    /// From now on the device is lost, for `reason`.
    pub fn lose_device(&self, reason: &str) {
        *self.lost.borrow_mut() = Some(reason.to_owned());
    }

    /// The clock's reading, without moving it.
    pub fn peek(&self) -> f64 {
        self.now.get()
    }
}

impl Host for TestHost {
    fn now_millis(&self) -> f64 {
        let now = self.now.get();
        self.now.set(now + self.tick);
        now
    }

    fn device_lost(&self) -> Option<String> {
        self.lost.borrow().clone()
    }
}

/// A run of `plan` on `device`, starting as the page's Train does.
pub fn start(plan: TrainingPlan, device: &Device, backend: Backend) -> Run {
    Run::start(plan, RunStart::new(device.clone(), backend)).expect("a fresh run starts")
}

/// Advances `run` with no deadline until it closes an epoch, collecting every event; panics
/// when it halts otherwise.
pub fn next_epoch(run: &mut Run, host: &TestHost) -> (EpochStats, Vec<Event>) {
    let mut seen = Vec::new();
    loop {
        let events = block_on(run.advance(f64::INFINITY, host));
        assert!(!events.is_empty() || !run.is_over(), "the run is over");
        let epoch = events.iter().find_map(|event| match event {
            Event::Epoch(stats) => Some(stats.clone()),
            _ => None,
        });
        for event in &events {
            if let Event::Diverged(error) | Event::Failed(error) = event {
                panic!("the run halted: {error}");
            }
        }
        seen.extend(events);
        if let Some(stats) = epoch {
            return (stats, seen);
        }
    }
}

/// Every epoch's stats of a run of `plan` on the CPU, to its end.
pub fn train_plan(plan: TrainingPlan, device: &Device) -> Vec<EpochStats> {
    let host = TestHost::new(1.0);
    let mut run = start(plan, device, Backend::Cpu);
    let mut history = Vec::new();
    while !run.is_over() {
        history.push(next_epoch(&mut run, &host).0);
    }
    history
}

/// `model`'s outputs on a few fixed points: what weights compute, to compare two copies.
pub fn outputs(model: &kindling::core::engine::mlp::Mlp) -> Vec<f32> {
    use burn::module::Module;
    use burn::tensor::{Tensor, TensorData};
    let device = kindling::core::engine::device::cpu_device();
    let points =
        Tensor::<2>::from_data(TensorData::new(vec![0.5f32, -0.25, -0.8, 0.9, 0.1, 0.0], [3, 2]), &device);
    block_on(model.valid().forward(points).into_data_async()).unwrap().try_to_vec::<f32>().unwrap()
}

/// `graph` (a graph file's JSON) with every Dropout's p set to 0: dropout's masks cannot
/// match across programs, so the export comparisons turn it off on both sides.
pub fn without_dropout(mut graph: serde_json::Value) -> serde_json::Value {
    for node in graph["nodes"].as_array_mut().expect("nodes") {
        if let Some(layers) = node.pointer_mut("/params/layers").and_then(serde_json::Value::as_array_mut) {
            for layer in
                layers.iter_mut().filter(|layer| layer["layer"] == "Dropout" || layer["layer"] == "Dropout2d")
            {
                layer["p"] = serde_json::Value::from(0.0);
            }
        }
    }
    graph
}

/// `graph` (a graph file's JSON) with its Network's layers replaced by two hidden Linear(32)
/// layers, each followed by a BatchNorm1d (momentum 0.1, then 0.3) and ReLU, and a Linear of
/// `outputs`, trained by SGD (lr 0.1, momentum 0.9): the graph the exports' BatchNorm1d
/// comparisons train.
///
/// Not Adam: a Linear's bias just before a BatchNorm1d has no gradient in exact arithmetic
/// (the normalisation takes the mean out), only rounding noise, which Adam divides by its
/// own size into steps of the full learning rate. Those biases, and the running means that
/// follow them, then wander differently in any two libraries (measured: 0.12 apart after an
/// epoch, training losses equal to 1e-7), so the validation numbers would too. SGD leaves them
/// where they are.
pub fn with_batch_norm(mut graph: serde_json::Value, outputs: usize) -> serde_json::Value {
    let nodes = graph["nodes"].as_array_mut().expect("nodes");
    for node in nodes.iter_mut() {
        if matches!(node["kind"].as_str(), Some("AdamOptimizer" | "AdamWOptimizer")) {
            node["kind"] = "SGDOptimizer".into();
            node["params"] = serde_json::json!({
                "learning_rate": 0.1, "momentum": 0.9, "nesterov": false, "weight_decay": 0.0
            });
        }
    }
    let network = nodes.iter_mut().find(|node| node["kind"] == "Network").expect("a Network");
    network["params"]["layers"] = serde_json::json!([
        { "layer": "Linear", "out_features": 32 },
        { "layer": "BatchNorm1d", "momentum": 0.1 },
        { "layer": "ReLU" },
        { "layer": "Linear", "out_features": 32 },
        { "layer": "BatchNorm1d", "momentum": 0.3 },
        { "layer": "ReLU" },
        { "layer": "Linear", "out_features": outputs }
    ]);
    graph
}

/// `graph` with a Network of every activation that takes its own parameter or none of the
/// ReLU family's: ELU (alpha 0.7), SiLU, Mish and Softplus (beta 2), each after a Linear of 12,
/// then a Linear of `outputs`.
pub fn with_every_activation(mut graph: serde_json::Value, outputs: usize) -> serde_json::Value {
    let nodes = graph["nodes"].as_array_mut().expect("nodes");
    let network = nodes.iter_mut().find(|node| node["kind"] == "Network").expect("a Network");
    network["params"]["layers"] = serde_json::json!([
        { "layer": "Linear", "out_features": 12 },
        { "layer": "ELU", "alpha": 0.7 },
        { "layer": "Linear", "out_features": 12 },
        { "layer": "SiLU" },
        { "layer": "Linear", "out_features": 12 },
        { "layer": "Mish" },
        { "layer": "Linear", "out_features": 12 },
        { "layer": "Softplus", "beta": 2.0 },
        { "layer": "Linear", "out_features": outputs }
    ]);
    graph
}

/// `graph` (a graph file's JSON, of the digits) with its Network's layers replaced by a small
/// CNN that uses every image layer — Conv2d(8, 3, padding=1), BatchNorm2d, ReLU, MaxPool2d(2),
/// Conv2d(8, 3, padding=1, groups=2, no bias), ReLU, AvgPool2d(3, stride=2, padding=1),
/// Dropout2d, Flatten, Linear(`outputs`) — trained by SGD (lr 0.05, momentum 0.9; not Adam, for
/// the reason [`with_batch_norm`] gives: a bias before a BatchNorm has no gradient but noise).
pub fn with_cnn(mut graph: serde_json::Value, outputs: usize) -> serde_json::Value {
    let nodes = graph["nodes"].as_array_mut().expect("nodes");
    for node in nodes.iter_mut() {
        if matches!(node["kind"].as_str(), Some("AdamOptimizer" | "AdamWOptimizer")) {
            node["kind"] = "SGDOptimizer".into();
            node["params"] = serde_json::json!({
                "learning_rate": 0.05, "momentum": 0.9, "nesterov": false, "weight_decay": 0.0
            });
        }
    }
    let network = nodes.iter_mut().find(|node| node["kind"] == "Network").expect("a Network");
    network["params"]["layers"] = serde_json::json!([
        { "layer": "Conv2d", "out_channels": 8, "kernel_size": 3, "padding": 1 },
        { "layer": "BatchNorm2d", "momentum": 0.1 },
        { "layer": "ReLU" },
        { "layer": "MaxPool2d", "kernel_size": 2 },
        { "layer": "Conv2d", "out_channels": 8, "kernel_size": 3, "padding": 1, "groups": 2, "bias": false },
        { "layer": "ReLU" },
        { "layer": "AvgPool2d", "kernel_size": 3, "stride": 2, "padding": 1 },
        { "layer": "Dropout2d", "p": 0.1 },
        { "layer": "Flatten" },
        { "layer": "Linear", "out_features": outputs }
    ]);
    graph
}
