//! A fuzzer for every decoder of what comes from outside: share links, graph files, pasted
//! fragments, storage entries (autosaved graphs, checkpoints) and weights files (burn's
//! record format, safetensors). What decodes is compiled too, where the budgets run.
//!
//! It starts from real fixtures — the templates as links, files and fragments, the released
//! link and file versions, the hostile corpora, this release's stored entries and weights —
//! and mutates them with awareness of their structure: inside a link, under the base64 and
//! the deflate, so mutations reach the postcard reader; inside JSON, on its values (extreme
//! numbers, long or markup strings, keys removed, arrays doubled); inside weights, on the
//! header and metadata as much as on the values. A panic is a failure: its input is written
//! to `tests/fuzz/regressions/` (replayed by every later run, first) and the run fails.
//!
//! `cargo test` runs it for a few seconds; `cargo xtask fuzz [SECONDS]` runs it for longer,
//! in release mode (`--seconds N`, `--seed N` when run directly).

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    native::main();
}

/// The fuzzer runs natively only (a WebAssembly build of the tests has nothing to run).
#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
mod native {

    use std::collections::BTreeMap;
    use std::io::{Read, Write};
    use std::panic::{AssertUnwindSafe, catch_unwind};
    use std::path::PathBuf;
    use std::sync::OnceLock;
    use std::time::{Duration, Instant};

    use base64::Engine;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;
    use kindling::core::compile::batch_order::BatchOrder;
    use kindling::core::compile::compiler::compile;
    use kindling::core::compile::plan::StepPlan;
    use kindling::core::compile::plan::{NetworkPlan, TrainingPlan};
    use kindling::core::compile::schedule::{LrSchedule, ScheduleProgress, SchedulerPlan};
    use kindling::core::data::csv_data::{CsvSelection, CsvTable};
    use kindling::core::document::built_in_lessons::BUILT_IN_LESSONS;
    use kindling::core::document::checkpoint::Checkpoint;
    use kindling::core::document::experiment::{Experiment, View};
    use kindling::core::document::train_state::PendingGradients;
    use kindling::core::document::train_state::TrainerState;
    use kindling::core::document::{graph_file, link, saved_graph};
    use kindling::core::engine::device::cpu_device;
    use kindling::core::engine::mlp::Mlp;
    use kindling::core::engine::network_optimizer::NetworkOptimizer;
    use kindling::core::engine::pytorch_weights::from_safetensors;
    use kindling::core::engine::step::Stepper;
    use kindling::core::engine::train::split;
    use kindling::core::engine::weights;
    use kindling::core::model::choices::CsvTask;
    use kindling::core::model::graph::{Graph, Pos};
    use kindling::core::model::templates::TEMPLATES;
    use kindling::editor::clipboard;
    use rand::rngs::StdRng;
    use rand::{RngExt, SeedableRng};

    /// The decoders, each with what it reads.
    #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
    enum Target {
        Link,
        File,
        Paste,
        SavedGraph,
        Checkpoint,
        /// A format-2 checkpoint (binary, with where its run stood), restored into a run.
        RunState,
        Burnpack,
        Safetensors,
        /// A CSV file of the user's own, read and made into samples.
        Csv,
    }

    impl Target {
        const ALL: [Target; 9] = [
            Target::Link,
            Target::File,
            Target::Paste,
            Target::SavedGraph,
            Target::Checkpoint,
            Target::RunState,
            Target::Burnpack,
            Target::Safetensors,
            Target::Csv,
        ];

        fn name(self) -> &'static str {
            match self {
                Target::Link => "link",
                Target::File => "file",
                Target::Paste => "paste",
                Target::SavedGraph => "saved-graph",
                Target::Checkpoint => "checkpoint",
                Target::RunState => "checkpoint-state",
                Target::Burnpack => "burnpack",
                Target::Safetensors => "safetensors",
                Target::Csv => "csv",
            }
        }
    }

    fn root() -> PathBuf {
        PathBuf::from(env!("CARGO_MANIFEST_DIR"))
    }

    fn regressions() -> PathBuf {
        root().join("tests/fuzz/regressions")
    }

    /// The network every weights file is read for: the default graph's.
    fn network() -> NetworkPlan {
        compile(&(TEMPLATES[0].build)()).expect("the default graph compiles").network
    }

    /// Runs one input through its decoder, and compiles what decodes.
    fn run(target: Target, input: &[u8], network: &NetworkPlan) {
        let text = || String::from_utf8_lossy(input).into_owned();
        let compiled = |experiment: Experiment| {
            let _ = compile(&experiment.graph);
        };
        match target {
            Target::Link => {
                if let Ok(experiment) = link::open(&text()) {
                    compiled(experiment);
                }
            }
            Target::File => {
                if let Ok(experiment) = graph_file::from_json(&text()) {
                    compiled(experiment);
                }
            }
            Target::Paste => {
                let mut graph = (TEMPLATES[0].build)();
                if clipboard::paste(&mut graph, &text(), Pos { x: 40.0, y: 40.0 }).is_ok() {
                    let _ = compile(&graph);
                }
            }
            Target::SavedGraph => {
                if let Ok(saved) = saved_graph::read("fuzz", &text()) {
                    compiled(saved.experiment);
                }
            }
            Target::Checkpoint => {
                if let Ok(checkpoint) = Checkpoint::decode(&text()) {
                    let _ = weights::from_bytes(&checkpoint.weights, network, &cpu_device());
                }
            }
            Target::RunState => {
                if let Ok(checkpoint) = Checkpoint::from_bytes(input)
                    && let Ok(weights) = weights::from_bytes(&checkpoint.weights, network, &cpu_device())
                    && let Some(state) = checkpoint.state
                {
                    restore_parts(&state, &weights);
                }
            }
            Target::Burnpack => {
                let _ = weights::from_bytes(input, network, &cpu_device());
            }
            Target::Safetensors => {
                let _ = from_safetensors(input, network, &cpu_device());
            }
            Target::Csv => {
                if let Ok(table) = CsvTable::parse("fuzz.csv", input)
                    && let Some(target) = table.columns.last().cloned()
                {
                    for task in [CsvTask::Classification, CsvTask::Regression] {
                        let _ = table.select(&CsvSelection {
                            target: target.clone(),
                            features: Vec::new(),
                            task,
                        });
                    }
                    let _ = table.select(&table.selection_from(&CsvSelection {
                        target: String::new(),
                        features: Vec::new(),
                        task: CsvTask::Classification,
                    }));
                }
            }
        }
    }

    /// The default graph's plan and its number of training samples.
    fn default_plan() -> &'static (TrainingPlan, usize) {
        static PLAN: OnceLock<(TrainingPlan, usize)> = OnceLock::new();
        PLAN.get_or_init(|| {
            let plan = compile(&(TEMPLATES[0].build)()).expect("the default graph compiles");
            let samples = split(&plan.dataset.generate(), &plan).0.len();
            (plan, samples)
        })
    }

    /// A run's stored state through each check `Trainer::restore` makes before using a part
    /// of it, for the default graph, on the plain CPU device. (Restoring whole trainers, one
    /// per case, grew the fuzzer by about 7.5 kB a case — burn's autodiff bookkeeping for
    /// parameters no backward pass ever used — until a 10-minute run was killed at 24 GiB.
    /// `tests/checkpoint_resume.rs` restores whole runs.)
    fn restore_parts(state: &TrainerState, weights: &Mlp) {
        let (plan, samples) = default_plan();
        let device = cpu_device();
        let _ = NetworkOptimizer::restore(&plan.optimizer, &state.optimizer, weights, state.steps, &device);
        let _ = BatchOrder::restore(&plan.sampler, *samples, &state.order);
        if let Some(pending) = &state.pending {
            let step = StepPlan { accumulation_steps: 4, ..plan.step };
            let _ = Stepper::<Mlp>::new(step).restore_pending(pending, weights, &device);
        }
        if let Some(progress) = &state.schedule {
            let schedule = SchedulerPlan::Step { step_size: 2, gamma: 0.5 };
            let _ = LrSchedule::restore(schedule, progress, plan.optimizer.learning_rate());
        }
    }

    /// The real inputs each decoder starts from.
    fn seeds() -> BTreeMap<Target, Vec<Vec<u8>>> {
        let mut seeds: BTreeMap<Target, Vec<Vec<u8>>> = BTreeMap::new();
        let mut add = |target: Target, bytes: Vec<u8>| seeds.entry(target).or_default().push(bytes);
        for template in TEMPLATES {
            let graph: Graph = (template.build)();
            let experiment = Experiment::new(graph.clone(), View::default());
            add(Target::Link, link::encode(&experiment).expect("a template encodes").into_bytes());
            add(Target::File, graph_file::to_json(&experiment).into_bytes());
            let all = graph.nodes().map(|node| node.id).collect();
            add(Target::Paste, clipboard::copy(&graph, &all).into_bytes());
            if let Ok(entry) = saved_graph::entry(&experiment, 1.0) {
                add(Target::SavedGraph, entry.into_bytes());
            }
        }
        let read = |path: PathBuf| {
            std::fs::read(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
        };
        // Every built-in lesson: the steps' texts, goals and data files are what mutations reach.
        for built_in in BUILT_IN_LESSONS {
            let experiment = built_in.open().expect("a built-in lesson opens");
            add(Target::Link, link::encode(&experiment).expect("a lesson encodes").into_bytes());
            add(Target::File, graph_file::to_json(&experiment).into_bytes());
        }
        add(Target::Link, read(root().join("tests/links/v1.link")));
        // Version 2: a graph with a sweep (its values' text is what mutations reach).
        add(Target::Link, read(root().join("tests/links/v2.link")));
        add(Target::Link, read(root().join("tests/links/v3.link")));
        for file in
            ["tests/links/v0.json", "tests/links/v1.json", "tests/links/v2.json", "tests/links/v3.json"]
        {
            add(Target::File, read(root().join(file)));
        }
        let hostile: Vec<serde_json::Value> =
            serde_json::from_slice(&read(root().join("tests/links/hostile.json")))
                .expect("the hostile corpus");
        for case in hostile {
            add(Target::Link, case["link"].as_str().unwrap_or_default().as_bytes().to_vec());
        }
        let fixtures = root().join("tests/fixtures/release-0.1");
        add(Target::SavedGraph, read(fixtures.join("saved-graph.json")));
        add(Target::Checkpoint, read(fixtures.join("checkpoint.json")));
        add(Target::RunState, read(root().join("tests/fixtures/checkpoint-2/checkpoint.bin")));
        add(Target::Burnpack, read(fixtures.join("weights.bpk")));
        add(Target::Safetensors, read(fixtures.join("weights.safetensors")));
        for csv in [
            "x,y,label\n1,2,a\n3,4,b\n5,6,a\n".as_bytes().to_vec(),
            b"\xef\xbb\xbfa;b\r\n\"1\";x\r2;y\n\n3;x\n".to_vec(),
            b"a,b,c\n1,2\n1,2,3,4\nx,1e309,NaN\n".to_vec(),
        ] {
            add(Target::Csv, csv);
        }
        for file in std::fs::read_dir(root().join("tests/weights/hostile")).expect("tests/weights/hostile") {
            add(Target::Burnpack, read(file.expect("a corpus file").path()));
        }
        seeds
    }

    /// A byte-level mutation: flip, set, insert, delete, duplicate a run, or cut short.
    /// A format-2 checkpoint with its run's state changed where a damaged or hostile one
    /// would be: counts and lengths out of range, values not finite, an order that is not a
    /// permutation, a generator's state cut short.
    fn mutate_run_state(seed: &[u8], rng: &mut StdRng) -> Vec<u8> {
        let Ok(mut checkpoint) = Checkpoint::from_bytes(seed) else {
            let mut bytes = seed.to_vec();
            mutate_bytes(&mut bytes, rng);
            return bytes;
        };
        let Some(state) = checkpoint.state.as_mut() else { return checkpoint.to_bytes() };
        let extreme = [0usize, 1, 7, usize::MAX, usize::MAX / 2, 1 << 40][rng.random_range(0..6)];
        let value = [f32::NAN, f32::INFINITY, -f32::INFINITY, f32::MAX, -0.0, 1e-45][rng.random_range(0..6)];
        for _ in 0..rng.random_range(1..=3) {
            match rng.random_range(0..10) {
                0 => checkpoint.epoch = extreme,
                1 => state.steps = extreme,
                2 => {
                    state.optimizer.rule =
                        ["sgd", "adam", "adamw", "", "lbfgs"][rng.random_range(0..5)].to_owned()
                }
                3 => {
                    if let Some(Some(param)) = state.optimizer.params.first_mut() {
                        match rng.random_range(0..4) {
                            0 => param.buffers.clear(),
                            1 => param.buffers.push(vec![value; 3]),
                            2 => param.time = extreme as u64,
                            _ => {
                                if let Some(first) =
                                    param.buffers.first_mut().and_then(|buffer| buffer.first_mut())
                                {
                                    *first = value;
                                }
                            }
                        }
                    }
                }
                4 => state.optimizer.params.resize(rng.random_range(0..64), None),
                5 => {
                    let len = state.order.order.len();
                    if len > 0 {
                        state.order.order[rng.random_range(0..len)] =
                            [0, u32::MAX, len as u32][rng.random_range(0..3)];
                    }
                }
                6 => state.order.generator.truncate(rng.random_range(0..60)),
                7 => {
                    state.pending = Some(PendingGradients {
                        batches: extreme,
                        grads: vec![Some(vec![value; rng.random_range(0..40)]); rng.random_range(0..8)],
                    })
                }
                8 => {
                    let schedule = state.schedule.get_or_insert(ScheduleProgress {
                        initial_lr: 0.03,
                        lr: 0.03,
                        epoch: 0,
                        best: f64::INFINITY,
                        bad_epochs: 0,
                        cooldown_left: 0,
                    });
                    schedule.lr = f64::from(value);
                    schedule.epoch = extreme;
                }
                _ => state.first_loss = Some(f64::from(value)),
            }
        }
        checkpoint.to_bytes()
    }

    fn mutate_bytes(bytes: &mut Vec<u8>, rng: &mut StdRng) {
        for _ in 0..rng.random_range(1..=4) {
            let at = if bytes.is_empty() { 0 } else { rng.random_range(0..bytes.len()) };
            match rng.random_range(0..7) {
                0 if !bytes.is_empty() => bytes[at] ^= 1 << rng.random_range(0..8),
                1 if !bytes.is_empty() => {
                    bytes[at] = [0, 0xff, 0x7f, 0x80, b'"', b'{', b'-'][rng.random_range(0..7)]
                }
                2 => bytes.insert(at, rng.random()),
                3 if !bytes.is_empty() => {
                    bytes.remove(at);
                }
                4 if !bytes.is_empty() => {
                    let end = (at + rng.random_range(1..64)).min(bytes.len());
                    let run = bytes[at..end].to_vec();
                    bytes.splice(at..at, run);
                }
                5 => bytes.truncate(at),
                _ if !bytes.is_empty() => {
                    // An integer of the format's own width, set to an extreme.
                    let width = [1, 2, 4, 8][rng.random_range(0..4)];
                    let value: u64 = [0, 1, u64::MAX, u64::from(u32::MAX), 1 << 31][rng.random_range(0..5)];
                    for (index, byte) in value.to_le_bytes().iter().take(width).enumerate() {
                        if let Some(slot) = bytes.get_mut(at + index) {
                            *slot = *byte;
                        }
                    }
                }
                _ => {}
            }
        }
    }

    /// A mutation of a JSON value: a number made extreme, a string made long or markup, a key
    /// removed, an array element doubled or dropped, a value swapped for another type.
    fn mutate_json(value: &mut serde_json::Value, rng: &mut StdRng) {
        use serde_json::Value;
        match value {
            Value::Object(map) if !map.is_empty() => {
                let keys: Vec<String> = map.keys().cloned().collect();
                let key = &keys[rng.random_range(0..keys.len())];
                match rng.random_range(0..6) {
                    0 => {
                        map.remove(key);
                    }
                    1 => {
                        map.insert(format!("<b>{key}</b>"), Value::from(1));
                    }
                    _ => mutate_json(map.get_mut(key).expect("a key of the map"), rng),
                }
            }
            Value::Array(items) if !items.is_empty() => {
                let at = rng.random_range(0..items.len());
                match rng.random_range(0..5) {
                    0 => {
                        items.remove(at);
                    }
                    1 => {
                        let copy = items[at].clone();
                        items.insert(at, copy);
                    }
                    2 => {
                        let copy = items.clone();
                        items.extend(copy);
                    }
                    _ => mutate_json(&mut items[at], rng),
                }
            }
            Value::Number(_) => {
                let extremes = [-1.0, 0.0, 1e300, -1e300, 4096.0, 4097.0, 1e9, 2f64.powi(53), 0.5];
                *value = match rng.random_range(0..3) {
                    0 => Value::from(u64::MAX),
                    1 => Value::from(i64::MIN),
                    _ => serde_json::Number::from_f64(extremes[rng.random_range(0..extremes.len())])
                        .map_or(Value::Null, Value::Number),
                };
            }
            Value::String(text) => {
                *value = Value::String(match rng.random_range(0..4) {
                    0 => "x".repeat(rng.random_range(60..5000)),
                    1 => "<img src=x onerror=alert(1)>".to_owned(),
                    2 => String::new(),
                    _ => format!("{text}\u{202e}\0"),
                });
            }
            other => {
                *other = [Value::Null, Value::from(true), Value::from("Linear"), Value::Array(Vec::new())]
                    [rng.random_range(0..4)]
                .clone();
            }
        }
    }

    /// A mutation of a share link under its encodings: the postcard bytes are mutated, then
    /// deflated and encoded again, so the mutation reaches the graph reader.
    fn mutate_link(text: &[u8], rng: &mut StdRng) -> Vec<u8> {
        let decoded = URL_SAFE_NO_PAD.decode(text.trim_ascii()).ok();
        let Some((&version, body)) = decoded.as_deref().and_then(<[u8]>::split_first) else {
            let mut bytes = text.to_vec();
            mutate_bytes(&mut bytes, rng);
            return bytes;
        };
        let mut inflated = Vec::new();
        let read = flate2::read::DeflateDecoder::new(body).take(1 << 20).read_to_end(&mut inflated);
        if read.is_err() || rng.random_range(0..8) == 0 {
            let mut bytes = text.to_vec();
            mutate_bytes(&mut bytes, rng);
            return bytes;
        }
        mutate_bytes(&mut inflated, rng);
        let mut deflate = flate2::write::DeflateEncoder::new(vec![version], flate2::Compression::fast());
        deflate.write_all(&inflated).expect("deflate into memory");
        URL_SAFE_NO_PAD.encode(deflate.finish().expect("deflate into memory")).into_bytes()
    }

    /// A mutation of `seed` for `target`, by its structure where it has one.
    fn mutate(target: Target, seed: &[u8], rng: &mut StdRng) -> Vec<u8> {
        match target {
            Target::RunState if rng.random_range(0..3) != 0 => mutate_run_state(seed, rng),
            Target::Link => mutate_link(seed, rng),
            Target::File | Target::Paste | Target::SavedGraph | Target::Checkpoint
                if rng.random_range(0..4) != 0 =>
            {
                let Ok(mut value) = serde_json::from_slice::<serde_json::Value>(seed) else {
                    let mut bytes = seed.to_vec();
                    mutate_bytes(&mut bytes, rng);
                    return bytes;
                };
                // A saved graph's experiment is a link: mutate it as one.
                if target == Target::SavedGraph
                    && rng.random_range(0..2) == 0
                    && let Some(link) = value.get("experiment").and_then(|link| link.as_str())
                {
                    let mutated = String::from_utf8_lossy(&mutate_link(link.as_bytes(), rng)).into_owned();
                    value["experiment"] = serde_json::Value::String(mutated);
                } else {
                    for _ in 0..rng.random_range(1..=3) {
                        mutate_json(&mut value, rng);
                    }
                }
                serde_json::to_vec(&value).expect("JSON writes")
            }
            Target::Burnpack | Target::Safetensors if rng.random_range(0..2) == 0 => {
                // The header and metadata: the first few hundred bytes.
                let mut bytes = seed.to_vec();
                let head = bytes.len().min(512);
                let at = rng.random_range(0..head.max(1));
                let mut window = bytes[at..head].to_vec();
                mutate_bytes(&mut window, rng);
                bytes.splice(at..head, window);
                bytes
            }
            _ => {
                let mut bytes = seed.to_vec();
                mutate_bytes(&mut bytes, rng);
                bytes
            }
        }
    }

    /// Runs `input` through `target`; on a panic, keeps the input as a regression case.
    fn check(target: Target, input: &[u8], network: &NetworkPlan) -> Result<(), String> {
        let caught = catch_unwind(AssertUnwindSafe(|| run(target, input, network)));
        let Err(panic) = caught else { return Ok(()) };
        let message = panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|text| (*text).to_owned()))
            .unwrap_or_default();
        let hash = input.iter().fold(0xcbf2_9ce4_8422_2325u64, |hash, &byte| {
            (hash ^ u64::from(byte)).wrapping_mul(0x100_0000_01b3)
        });
        let path = regressions().join(format!("{}-{hash:016x}", target.name()));
        std::fs::create_dir_all(regressions()).ok();
        std::fs::write(&path, input).ok();
        Err(format!("{} panicked ({message}); the input is kept in {}", target.name(), path.display()))
    }

    /// Replays every kept regression case.
    fn replay(network: &NetworkPlan) -> Result<usize, String> {
        let Ok(entries) = std::fs::read_dir(regressions()) else { return Ok(0) };
        let mut replayed = 0;
        for entry in entries {
            let path = entry.map_err(|error| error.to_string())?.path();
            let name = path.file_name().and_then(|name| name.to_str()).unwrap_or_default();
            let Some(target) =
                Target::ALL.into_iter().find(|target| name.starts_with(&format!("{}-", target.name())))
            else {
                continue;
            };
            check(target, &std::fs::read(&path).map_err(|error| error.to_string())?, network)?;
            replayed += 1;
        }
        Ok(replayed)
    }

    fn fuzz(duration: Duration, seed: u64) -> Result<(), String> {
        let network = network();
        let replayed = replay(&network)?;
        let seeds = seeds();
        for (target, inputs) in &seeds {
            for input in inputs {
                check(*target, input, &network)?;
            }
        }
        let mut rng = StdRng::seed_from_u64(seed);
        let mut tried: BTreeMap<Target, u64> = BTreeMap::new();
        let started = Instant::now();
        while started.elapsed() < duration {
            let target = Target::ALL[rng.random_range(0..Target::ALL.len())];
            let inputs = &seeds[&target];
            let seed_input = &inputs[rng.random_range(0..inputs.len())];
            let input = mutate(target, seed_input, &mut rng);
            check(target, &input, &network)?;
            *tried.entry(target).or_default() += 1;
        }
        let total: u64 = tried.values().sum();
        let seconds = started.elapsed().as_secs_f64();
        println!(
            "fuzz: {total} cases in {seconds:.0} s ({:.0}/s), seed {seed}, 0 panics; {replayed} regression case(s) replayed",
            total as f64 / seconds.max(1e-9)
        );
        for (target, count) in tried {
            println!("  {:<12} {count:>10} cases from {} seeds", target.name(), seeds[&target].len());
        }
        Ok(())
    }

    pub fn main() {
        // `cargo test` passes its own flags through; only ours are read.
        let args: Vec<String> = std::env::args().skip(1).collect();
        let value = |flag: &str| {
            args.iter()
                .position(|arg| arg == flag)
                .and_then(|at| args.get(at + 1))
                .and_then(|value| value.parse().ok())
        };
        let seconds: u64 = value("--seconds").unwrap_or(3);
        let seed: u64 = value("--seed").unwrap_or_else(|| {
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .map_or(0, |time| time.as_secs())
        });
        // Panics are caught and reported with their input; the default hook's lines would only
        // repeat them.
        std::panic::set_hook(Box::new(|_| {}));
        if let Err(failure) = fuzz(Duration::from_secs(seconds), seed) {
            let _ = std::panic::take_hook();
            eprintln!("fuzz: {failure}");
            std::process::exit(1);
        }
    }
}
