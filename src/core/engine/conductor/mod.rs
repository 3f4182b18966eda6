//! The conductor: the one owner of an engine's device and of every activity on it.
//!
//! Commands come in ([`Conductor::command`]); the driver — a Web Worker's loop, the page's
//! frame loop where no worker can start, a test — calls [`Conductor::advance`] with a
//! deadline, over and over, and hands on what comes out: [`Event`]s for the page, and orders
//! for a sweep's helper lanes. Which activity runs is decided here alone: at most one of the
//! learner's (a run, a sweep, the range test, a helper's trial; [`admission`]), and the
//! background work (the CPU warm-up, the GPU's kernel preparation) when nothing else needs the
//! device. A run's publishing cadence and its views' budget are its own
//! ([`run_activity`]).

pub mod admission;
pub mod run_activity;

use burn::tensor::Device;

use self::admission::{Admission, Kind, admission};
use self::run_activity::{PUBLISH_MILLIS, RunActivity};
use crate::core::compile::compiler::compile;
use crate::core::compile::plan::TrainingPlan;
use crate::core::data::csv_data::CsvTable;
use crate::core::data::csv_store;
use crate::core::engine::device::cpu_device;
use crate::core::engine::run::range_test::{RangeEvent, RangeTest, RangeTestRun};
use crate::core::engine::run::{Host, Resume, Run, RunStart};
use crate::core::engine::sweep_run::{Lanes, LocalDevice, SweepEvent, SweepRun};
use crate::core::engine::trial_run::TrialRun;
use crate::core::engine::warm_up::{WarmUp, WarmUpEvent};
use crate::core::engine::weights;
use crate::core::model::graph::Graph;
use crate::core::protocol::backend::Backend;
use crate::core::protocol::gpu_state::GpuState;
use crate::core::protocol::message::{
    ActivityId, Command, Event, RangeReport, RunReport, SweepReport, TrainRequest, WarmUpReport,
};
use crate::core::report::retune::Retune;
use crate::core::report::sweep_progress::{TrialReport, TrialState, TrialUpdate};

/// What the conductor says: an event for the page, or an order for a sweep's helper lane.
#[derive(Clone, Debug, PartialEq)]
pub enum Output {
    Page(Event),
    Lane { lane: usize, command: Box<Command> },
}

/// The GPU, once started.
#[derive(Clone)]
pub struct GpuDevice {
    pub device: Device,
    /// The adapter's name, as the browser reports it (may be empty).
    pub adapter: String,
    /// Whether it computes in f16 (`shader-f16`).
    pub f16: bool,
}

/// The learner's activity under way.
enum Activity {
    Run(Box<RunActivity>),
    Sweep {
        id: ActivityId,
        sweep: Box<SweepRun>,
        /// Updates not yet published (a publish every [`PUBLISH_MILLIS`], and at the end).
        updates: Vec<TrialUpdate>,
        published_at: f64,
    },
    RangeTest {
        id: ActivityId,
        test: Box<RangeTestRun>,
        published_at: f64,
    },
    Trial {
        id: ActivityId,
        trial: Box<TrialRun>,
    },
}

impl Activity {
    fn id(&self) -> ActivityId {
        match self {
            Activity::Run(run) => run.id,
            Activity::Sweep { id, .. } | Activity::RangeTest { id, .. } | Activity::Trial { id, .. } => *id,
        }
    }

    fn kind(&self) -> Kind {
        match self {
            Activity::Run(_) => Kind::Run,
            Activity::Sweep { .. } => Kind::Sweep,
            Activity::RangeTest { .. } => Kind::RangeTest,
            Activity::Trial { .. } => Kind::Trial,
        }
    }
}

/// An engine's device and its activities.
#[derive(Default)]
pub struct Conductor {
    gpu: Option<GpuDevice>,
    current: Option<Activity>,
    /// The CPU's warm-up, until it ends or anything else starts.
    warm_up: Option<WarmUp>,
    /// The GPU's kernel preparation, until it ends or a run starts on the GPU.
    kernels: Option<WarmUp>,
    /// Whether the views refresh while a run trains (else when it pauses or ends).
    live_views: bool,
    /// The last run, once over: kept so that the learner can still ask its model
    /// (`Command::Probe`), until another activity starts.
    finished: Option<Box<RunActivity>>,
}

impl Conductor {
    pub fn new() -> Self {
        Self { live_views: true, ..Self::default() }
    }

    /// Starts the CPU's warm-up, in the background.
    pub fn warm_up(&mut self) {
        if self.current.is_none() {
            self.warm_up = WarmUp::cpu();
        }
    }

    /// The GPU started: its kernels are prepared in the background, and it is offered once
    /// they are (or once a run on it has compiled them itself).
    pub fn gpu_started(&mut self, gpu: GpuDevice) -> Vec<Output> {
        self.kernels = WarmUp::kernels(&gpu.device);
        self.gpu = Some(gpu);
        match self.kernels {
            Some(_) => vec![Output::Page(Event::Gpu(GpuState::Preparing))],
            None => self.gpu_ready(),
        }
    }

    fn gpu_ready(&mut self) -> Vec<Output> {
        self.kernels = None;
        let Some(gpu) = &self.gpu else { return Vec::new() };
        vec![Output::Page(Event::Gpu(GpuState::Ready { adapter: gpu.adapter.clone(), f16: gpu.f16 }))]
    }

    /// Whether nothing can happen until a command comes: no activity, or a held one, and no
    /// background work.
    pub fn is_waiting(&self) -> bool {
        let current = match &self.current {
            None => true,
            Some(Activity::Run(run)) => run.is_waiting(),
            Some(Activity::Sweep { sweep, .. }) => sweep.is_paused(),
            Some(Activity::Trial { trial, .. }) => trial.is_held(),
            Some(Activity::RangeTest { .. }) => false,
        };
        current
            && self.warm_up.is_none()
            && self.kernels.is_none()
            && self.finished.as_ref().is_none_or(|run| run.is_waiting())
    }

    /// The id of the activity under way, if any.
    pub fn current(&self) -> Option<ActivityId> {
        self.current.as_ref().map(Activity::id)
    }

    /// Takes `command`; returns what it said at once (the rest comes as it advances).
    pub fn command(&mut self, command: Command, host: &dyn Host) -> Vec<Output> {
        match command {
            Command::Configure { live_views } => {
                self.live_views = live_views;
                Vec::new()
            }
            // Starting the GPU is the host's (the browser's); see `gpu_started`.
            Command::UseGpu { .. } => Vec::new(),
            Command::WarmUp => {
                self.warm_up();
                Vec::new()
            }
            Command::AddCsv { name, bytes } => {
                if let Ok(table) = CsvTable::parse(&name, &bytes) {
                    csv_store::insert(table);
                }
                Vec::new()
            }
            Command::Train(request) => self.train(*request, host),
            Command::Pause { id } => self.with_current(id, |activity| match activity {
                Activity::Run(run) => {
                    run.run_mut().pause();
                    Vec::new()
                }
                Activity::Sweep { id, sweep, .. } => {
                    sweep.pause();
                    vec![page(Event::Sweep { id: *id, report: SweepReport::Paused(true) })]
                }
                _ => Vec::new(),
            }),
            Command::Resume { id } => self.with_current(id, |activity| match activity {
                Activity::Run(run) => {
                    run.run_mut().resume();
                    Vec::new()
                }
                Activity::Sweep { id, sweep, updates, .. } => {
                    let id = *id;
                    let events = sweep.resume();
                    let mut outputs = vec![page(Event::Sweep { id, report: SweepReport::Paused(false) })];
                    outputs.extend(sweep_outputs(id, events, updates));
                    outputs
                }
                _ => Vec::new(),
            }),
            Command::Step { id, size } => self.with_current(id, |activity| {
                if let Activity::Run(run) = activity {
                    run.step(size);
                }
                Vec::new()
            }),
            Command::Stop { id } => {
                if self.current() == Some(id) {
                    self.stop_current()
                } else {
                    Vec::new()
                }
            }
            Command::Edited { id, graph } => self.edited(id, graph.as_ref()),
            Command::MoveTo { id, backend } => self.move_to(id, backend),
            Command::Probe { id, inputs } => {
                match (&mut self.current, &mut self.finished) {
                    (Some(Activity::Run(run)), _) if run.id == id => run.ask(inputs),
                    (_, Some(run)) if run.id == id => run.ask(inputs),
                    _ => {}
                }
                Vec::new()
            }
            Command::Sweep { id, graph, lanes } => self.sweep(id, &graph, lanes),
            Command::RangeTest { id, graph } => self.range_test(id, &graph),
            Command::Trial { id, graph } => self.trial(id, &graph),
            Command::Verdict { id, go_on } => self.verdict(id, go_on),
            Command::LaneReport { lane, report } => match &mut self.current {
                Some(Activity::Sweep { sweep, .. }) => {
                    let events = sweep.report(lane, report);
                    self.after_sweep(events, host)
                }
                _ => Vec::new(),
            },
            Command::LaneLost { lane, reason } => match &mut self.current {
                Some(Activity::Sweep { sweep, .. }) => {
                    let note = Some(text!("run-error-worker-failed", reason = reason));
                    let events = sweep.report(lane, TrialReport::Ended { state: TrialState::Failed, note });
                    self.after_sweep(events, host)
                }
                _ => Vec::new(),
            },
            // The export layer answers these (`core::export::requests`).
            Command::ExportNotes { .. } | Command::Export { .. } | Command::Safetensors { .. } => Vec::new(),
        }
    }

    /// Advances whatever may run until `deadline` on `host`'s clock; returns what it said.
    pub async fn advance(&mut self, deadline: f64, host: &dyn Host) -> Vec<Output> {
        let mut outputs = Vec::new();
        match &mut self.current {
            Some(Activity::Run(run)) => {
                let id = run.id;
                let reports = run.advance(deadline, host, self.live_views).await;
                outputs.extend(reports.into_iter().map(|report| page(Event::Run { id, report })));
                if run.is_over()
                    && let Some(Activity::Run(run)) = self.current.take()
                {
                    self.finished = Some(run);
                }
            }
            Some(Activity::Sweep { sweep, .. }) => {
                let events = sweep.advance(deadline, host).await;
                outputs.extend(self.after_sweep(events, host));
            }
            Some(Activity::RangeTest { id, test, published_at }) => {
                let id = *id;
                let mut over = false;
                for event in test.advance(deadline, host).await {
                    let report = match event {
                        RangeEvent::Progress { batches, total } => {
                            let now = host.now_millis();
                            if now - *published_at < PUBLISH_MILLIS {
                                continue;
                            }
                            *published_at = now;
                            RangeReport::Progress { batches, total }
                        }
                        RangeEvent::Done(result) => {
                            over = true;
                            RangeReport::Done(result)
                        }
                        RangeEvent::Failed(error) => {
                            over = true;
                            RangeReport::Failed(error.to_string())
                        }
                    };
                    outputs.push(page(Event::RangeTest { id, report }));
                }
                if over {
                    self.current = None;
                }
            }
            Some(Activity::Trial { id, trial }) => {
                let id = *id;
                let reports = trial.advance(deadline, host).await;
                outputs.extend(reports.into_iter().map(|report| page(Event::Trial { id, report })));
                if trial.is_over() {
                    self.current = None;
                }
            }
            None => {}
        }
        if let Some(run) = &mut self.finished {
            let id = run.id;
            let reports = run.advance(deadline, host, false).await;
            outputs.extend(reports.into_iter().map(|report| page(Event::Run { id, report })));
        }
        if self.current.is_none()
            && let Some(warm_up) = &mut self.warm_up
        {
            for event in warm_up.advance(deadline, host).await {
                let report = match event {
                    WarmUpEvent::Epoch(stats) => WarmUpReport::Epoch(stats),
                    WarmUpEvent::Log(log) => WarmUpReport::Log(log),
                    WarmUpEvent::Field(field) => WarmUpReport::Field(field),
                    WarmUpEvent::Done => WarmUpReport::Done,
                };
                outputs.push(page(Event::WarmUp(report)));
            }
            if warm_up.is_done() {
                self.warm_up = None;
            }
        }
        if let Some(kernels) = &mut self.kernels {
            // One step per advance: the kernels compile one at a time, whatever else runs.
            kernels.advance(deadline, host).await;
            if kernels.is_done() {
                outputs.extend(self.gpu_ready());
            }
        }
        outputs
    }

    /// Calls `act` on the activity under way if it is `id`.
    fn with_current(
        &mut self,
        id: ActivityId,
        act: impl FnOnce(&mut Activity) -> Vec<Output>,
    ) -> Vec<Output> {
        match &mut self.current {
            Some(activity) if activity.id() == id => act(activity),
            _ => Vec::new(),
        }
    }

    /// Whether activity `id` of `kind` may start: what stopping the one under way said, or
    /// why it cannot start. Background work stops either way.
    fn admit(&mut self, id: ActivityId, kind: Kind) -> Result<Vec<Output>, Vec<Output>> {
        match admission(self.current.as_ref().map(Activity::kind), kind) {
            Admission::Refuse(reason) => Err(vec![page(Event::Refused { id, reason })]),
            Admission::Start => {
                self.warm_up = None;
                self.finished = None;
                Ok(Vec::new())
            }
            Admission::Replace => {
                self.warm_up = None;
                let outputs = self.stop_current();
                self.finished = None;
                Ok(outputs)
            }
        }
    }

    /// Stops the activity under way; what it says as it stops.
    fn stop_current(&mut self) -> Vec<Output> {
        let Some(activity) = self.current.take() else { return Vec::new() };
        match activity {
            Activity::Run(mut run) => {
                let id = run.id;
                let outputs = run.stop().into_iter().map(|report| page(Event::Run { id, report })).collect();
                self.finished = Some(run);
                outputs
            }
            Activity::Sweep { id, mut sweep, mut updates, .. } => {
                let mut outputs = sweep_outputs(id, sweep.stop(), &mut updates);
                outputs.push(page(Event::Sweep { id, report: SweepReport::Updates(updates) }));
                outputs.push(page(Event::Sweep { id, report: SweepReport::Stopped }));
                outputs
            }
            Activity::RangeTest { id, .. } => {
                vec![page(Event::RangeTest {
                    id,
                    report: RangeReport::Failed(text!("run-error-range-test-stopped")),
                })]
            }
            Activity::Trial { .. } => Vec::new(),
        }
    }

    /// Where `backend`'s runs train: its device and whether it computes in f16; the CPU's
    /// when the GPU is not started.
    fn start_on(&self, backend: Backend) -> RunStart {
        match (backend, &self.gpu) {
            (Backend::WebGpu, Some(gpu)) => {
                RunStart { f16: gpu.f16, ..RunStart::new(gpu.device.clone(), Backend::WebGpu) }
            }
            _ => RunStart::new(cpu_device(), Backend::Cpu),
        }
    }

    fn train(&mut self, request: TrainRequest, host: &dyn Host) -> Vec<Output> {
        let TrainRequest { id, graph, mut backend, from, paused, step } = request;
        let plan = match compile_for(&graph) {
            Ok(plan) => plan,
            Err(error) => return vec![page(Event::Refused { id, reason: error.to_string() })],
        };
        let from = match from {
            None => None,
            Some(restore) => match weights::from_bytes(&restore.weights, &plan.network, &cpu_device()) {
                Ok(weights) => Some(Resume { weights, epoch: restore.epoch, state: restore.state }),
                Err(error) => {
                    let reason = text!(
                        "run-error-weights-refused",
                        error = error.to_string(),
                        network = plan.network.describe()
                    );
                    return vec![page(Event::Refused { id, reason })];
                }
            },
        };
        let mut outputs = match self.admit(id, Kind::Run) {
            Ok(outputs) => outputs,
            Err(refused) => return refused,
        };
        // A GPU lost while idle hands training to the CPU.
        if backend == Backend::WebGpu
            && self.gpu.is_some()
            && let Some(reason) = host.device_lost()
        {
            self.gpu = None;
            self.kernels = None;
            outputs.push(page(Event::Gpu(GpuState::Lost(reason))));
        }
        if backend == Backend::WebGpu && self.gpu.is_none() {
            backend = Backend::Cpu;
        }
        if backend == Backend::WebGpu && self.kernels.is_some() {
            // The run compiles the kernels itself.
            outputs.extend(self.gpu_ready());
        }
        let start = RunStart { from, paused, ..self.start_on(backend) };
        let mut run = match Run::start(plan, start) {
            Ok(run) => run,
            Err(error) => {
                outputs.push(page(Event::Refused { id, reason: error.to_string() }));
                return outputs;
            }
        };
        if let Some(size) = step {
            run.step(size);
        }
        let (activity, reports) = RunActivity::start(id, run);
        outputs.extend(reports.into_iter().map(|report| page(Event::Run { id, report })));
        self.current = Some(Activity::Run(Box::new(activity)));
        outputs
    }

    /// The graph was edited during run `id`: a change of optimizer settings applies from the
    /// next step; anything else stops the run.
    fn edited(&mut self, id: ActivityId, graph: Option<&Graph>) -> Vec<Output> {
        let Some(Activity::Run(run)) = self.current.as_mut().filter(|activity| activity.id() == id) else {
            return Vec::new();
        };
        let answer = match graph.map(compile) {
            Some(Ok(plan)) => run.run_mut().retune(&plan),
            _ => Retune::Restart,
        };
        if answer == Retune::Unchanged {
            return Vec::new();
        }
        let mut outputs = vec![page(Event::Run { id, report: RunReport::Retuned(answer) })];
        if answer == Retune::Restart {
            outputs.extend(self.stop_current());
        }
        outputs
    }

    /// Moves run `id` to `backend` at its next epoch boundary.
    fn move_to(&mut self, id: ActivityId, backend: Backend) -> Vec<Output> {
        let target = match (backend, &self.gpu) {
            (Backend::Cpu, _) => Some((cpu_device(), false)),
            (Backend::WebGpu, Some(gpu)) => Some((gpu.device.clone(), gpu.f16)),
            (Backend::WebGpu, None) => None,
        };
        let Some(Activity::Run(run)) = self.current.as_mut().filter(|activity| activity.id() == id) else {
            return Vec::new();
        };
        let run = run.run_mut();
        match target {
            _ if run.backend() == backend => Vec::new(),
            Some(_) if run.moving_to() == Some(backend) => Vec::new(),
            Some((device, f16)) => {
                run.move_to(device, backend, f16);
                Vec::new()
            }
            None => {
                let reason = text!("run-error-no-webgpu");
                vec![page(Event::Run { id, report: RunReport::MoveRefused { reason } })]
            }
        }
    }

    fn sweep(&mut self, id: ActivityId, graph: &Graph, lanes: usize) -> Vec<Output> {
        let local = LocalDevice { device: cpu_device(), backend: Backend::Cpu, f16: false };
        let sweep = match SweepRun::new(graph, Lanes { local: Some(local), remote: lanes.saturating_sub(1) })
        {
            Ok(sweep) => sweep,
            Err(error) => return vec![page(Event::Refused { id, reason: error.to_string() })],
        };
        let outputs = match self.admit(id, Kind::Sweep) {
            Ok(outputs) => outputs,
            Err(refused) => return refused,
        };
        self.current = Some(Activity::Sweep {
            id,
            sweep: Box::new(sweep),
            updates: Vec::new(),
            published_at: f64::NEG_INFINITY,
        });
        outputs
    }

    /// What the sweep under way said, as outputs: its orders at once, its updates once per
    /// publish; it is over once it says it finished.
    fn after_sweep(&mut self, events: Vec<SweepEvent>, host: &dyn Host) -> Vec<Output> {
        let Some(Activity::Sweep { id, updates, published_at, .. }) = &mut self.current else {
            return Vec::new();
        };
        let id = *id;
        let finished = events.iter().any(|event| matches!(event, SweepEvent::Finished));
        let mut outputs = sweep_outputs(id, events, updates);
        let now = host.now_millis();
        if finished || (!updates.is_empty() && now - *published_at >= PUBLISH_MILLIS) {
            *published_at = now;
            outputs.push(page(Event::Sweep { id, report: SweepReport::Updates(std::mem::take(updates)) }));
        }
        if finished {
            outputs.push(page(Event::Sweep { id, report: SweepReport::Finished }));
            self.current = None;
        }
        outputs
    }

    fn range_test(&mut self, id: ActivityId, graph: &Graph) -> Vec<Output> {
        let plan = match compile_for(graph) {
            Ok(plan) => plan,
            Err(reason) => return vec![page(Event::RangeTest { id, report: RangeReport::Failed(reason) })],
        };
        let outputs = match self.admit(id, Kind::RangeTest) {
            Ok(outputs) => outputs,
            Err(refused) => return refused,
        };
        let test = RangeTest::default().start(&plan, &cpu_device());
        self.current =
            Some(Activity::RangeTest { id, test: Box::new(test), published_at: f64::NEG_INFINITY });
        outputs
    }

    fn trial(&mut self, id: ActivityId, graph: &Graph) -> Vec<Output> {
        let mut outputs = match self.admit(id, Kind::Trial) {
            Ok(outputs) => outputs,
            Err(refused) => return refused,
        };
        let trial = compile_for(graph).and_then(|plan| {
            TrialRun::start(plan, RunStart::new(cpu_device(), Backend::Cpu)).map_err(|e| e.to_string())
        });
        match trial {
            Ok(trial) => self.current = Some(Activity::Trial { id, trial: Box::new(trial) }),
            Err(note) => outputs.push(page(Event::Trial {
                id,
                report: TrialReport::Ended { state: TrialState::Failed, note: Some(note) },
            })),
        }
        outputs
    }

    fn verdict(&mut self, id: ActivityId, go_on: bool) -> Vec<Output> {
        if let Some(Activity::Trial { id: current, trial }) = &mut self.current
            && *current == id
        {
            if go_on {
                trial.go_on();
            } else {
                self.current = None;
            }
        }
        Vec::new()
    }
}

fn page(event: Event) -> Output {
    Output::Page(event)
}

/// A sweep's orders for its helper lanes, as outputs (a lane's trial carries the sweep's
/// id); its updates go into `updates`, for the next publish.
fn sweep_outputs(id: ActivityId, events: Vec<SweepEvent>, updates: &mut Vec<TrialUpdate>) -> Vec<Output> {
    let mut outputs = Vec::new();
    for event in events {
        let command = match event {
            SweepEvent::Update(update) => {
                updates.push(update);
                continue;
            }
            SweepEvent::Finished => continue,
            SweepEvent::Assign { lane, graph, .. } => (lane, Command::Trial { id, graph }),
            SweepEvent::Verdict { lane, go_on } => (lane, Command::Verdict { id, go_on }),
            SweepEvent::Cancel { lane } => (lane, Command::Stop { id }),
        };
        outputs.push(Output::Lane { lane: command.0, command: Box::new(command.1) });
    }
    outputs
}

/// `graph`'s plan, or why it cannot train (the compiler's messages).
fn compile_for(graph: &Graph) -> Result<TrainingPlan, String> {
    compile(graph).map_err(|errors| {
        let reasons: Vec<String> = errors.iter().map(ToString::to_string).collect();
        text!("run-error-cannot-train-yet", reasons = reasons.join("; "))
    })
}
