//! A training run as the conductor keeps it: the [`Run`] itself, and what the page must be
//! told of it — the epochs and logs since the last publish (every [`PUBLISH_MILLIS`]), the
//! progress, a checkpoint that came due (encoded once per publish, not per epoch), and the
//! views (decision boundary, neuron pictures, confusion matrix), refreshed a piece at a time
//! within their budget while it trains and whole when a step ends or the run is done, and
//! the model's answer to the learner's probe, at once when asked and with every refresh.

use crate::core::compile::budget::FIELD_RESOLUTION;
use crate::core::document::checkpoint::Checkpoint;
use crate::core::engine::run::{DeviceFailure, Event, Host, Run, RunState, WeightsCopy};
use crate::core::engine::view_budget::ViewBudget;
use crate::core::engine::view_refresh::ViewRefresh;
use crate::core::engine::weights;
use crate::core::model::choices::POINT_FEATURES;
use crate::core::model::params::{LayerSpec, greyscale_image};
use crate::core::protocol::message::{ActivityId, RunReport};
use crate::core::protocol::progress::Progress;
use crate::core::protocol::step_size::StepSize;
use crate::core::report::epoch_stats::EpochStats;
use crate::core::report::neuron_formula::applied_after;
use crate::core::report::neurons::NEURON_RESOLUTION;
use crate::core::report::step_log::StepLog;

/// How often the page hears of new epochs: often enough to look live, rarely enough that
/// drawing the charts costs the page little.
pub const PUBLISH_MILLIS: f64 = 100.0;

/// What is said of a device that stopped answering a read, when the host knows no more.
fn read_failed() -> String {
    text!("run-error-device-read-failed")
}

/// A whole refresh of the views, evaluated a piece per advance until done.
struct WholeRefresh {
    refresh: ViewRefresh,
    /// The run ends once the views are shown.
    then_finish: bool,
}

/// A run and what the page has yet to hear of it.
pub struct RunActivity {
    pub id: ActivityId,
    run: Run,
    epochs: Vec<EpochStats>,
    logs: Vec<StepLog>,
    published_at: Option<f64>,
    /// Samples trained when the rate was last measured, and when.
    rate_from: (f64, usize),
    samples_per_second: Option<f64>,
    trained_millis: f64,
    budget: ViewBudget,
    /// A refresh while training, a piece after a slice as the budget allows.
    refresh: Option<ViewRefresh>,
    /// A refresh to finish before anything trains (after a step, and at the end).
    whole: Option<WholeRefresh>,
    /// The latest copy due as a checkpoint, encoded at the next publish.
    due: Option<WeightsCopy>,
    /// The learner's probe: an input the model is asked about at every refresh.
    probe: Option<Vec<f32>>,
    /// The probe just asked, answered at the next advance, whatever the run is doing.
    asked: Option<ViewRefresh>,
    /// Whether the page was told the run is held.
    held: bool,
    /// Whether the run is over and the page was told.
    over: bool,
}

impl RunActivity {
    /// Keeps `run`, started as activity `id`; the reports that say it started.
    pub fn start(id: ActivityId, run: Run) -> (Self, Vec<RunReport>) {
        let trainer = run.trainer();
        let mut reports = vec![RunReport::Started {
            epoch: trainer.epochs_done(),
            epochs_total: trainer.plan().tracker.epochs,
            batches: trainer.batches_per_epoch(),
            backend: run.backend(),
            afresh: run.afresh().clone(),
        }];
        if let Some(copy) = run.copy() {
            reports.extend(checkpoint_of(copy, false));
        }
        let activity = Self {
            id,
            run,
            epochs: Vec::new(),
            logs: Vec::new(),
            published_at: None,
            rate_from: (0.0, 0),
            samples_per_second: None,
            trained_millis: 0.0,
            budget: ViewBudget::new(),
            refresh: None,
            whole: None,
            due: None,
            probe: None,
            asked: None,
            held: false,
            over: false,
        };
        (activity, reports)
    }

    pub fn run(&self) -> &Run {
        &self.run
    }

    pub fn run_mut(&mut self) -> &mut Run {
        &mut self.run
    }

    /// Whether it has nothing to do until a command comes: over, or held while paused.
    pub fn is_waiting(&self) -> bool {
        let paused = self.run.state() == RunState::Paused && !self.run.is_stepping();
        self.asked.is_none() && (self.over || (self.held && paused && self.whole.is_none()))
    }

    /// Asks the model about `inputs` (one sample, flattened): answered at the next advance,
    /// even once the run is over, and again with every refresh of the views; `None` takes
    /// the probe away. An input of the wrong size is never answered.
    pub fn ask(&mut self, inputs: Option<Vec<f32>>) {
        self.asked = inputs.clone().and_then(|inputs| {
            Some(self.run.trainer().view_refresh(None, false)?.with_probe(inputs))
                .filter(|refresh| !refresh.is_done())
        });
        self.probe = inputs;
    }

    /// Whether the run is over and the page was told.
    pub fn is_over(&self) -> bool {
        self.over
    }

    /// Runs a step of the paused run.
    pub fn step(&mut self, size: StepSize) {
        self.run.step(size);
    }

    /// Stopping: what the page has yet to hear that must not be lost (a checkpoint due).
    pub fn stop(&mut self) -> Vec<RunReport> {
        self.over = true;
        let mut reports = self.flush_due();
        reports.push(RunReport::Stopped);
        reports
    }

    /// Trains until `deadline` on `host`'s clock, then evaluates a piece of the views if
    /// their budget allows and publishes if one is due; returns what the page must hear.
    pub async fn advance(&mut self, deadline: f64, host: &dyn Host, live_views: bool) -> Vec<RunReport> {
        let mut reports = Vec::new();
        if let Some(mut asked) = self.asked.take()
            && asked.finish().await.is_ok()
        {
            reports.extend(asked.probe().map(RunReport::Probe));
        }
        if self.over {
            return reports;
        }
        let began = host.now_millis();
        if self.published_at.is_none() {
            self.published_at = Some(began);
            self.rate_from = (began, self.run.samples_trained());
        }
        if let Some(whole) = &mut self.whole {
            let done = loop {
                match whole.refresh.piece().await {
                    Ok(true) => break true,
                    Ok(false) if host.now_millis() < deadline => {}
                    Ok(false) => break false,
                    Err(_) => break true,
                }
            };
            if done && let Some(whole) = self.whole.take() {
                reports.extend(views_of(&whole.refresh));
                if whole.then_finish {
                    reports.extend(self.finish());
                }
            }
            return reports;
        }
        if self.held && !(self.run.state() != RunState::Paused || self.run.is_stepping()) {
            return reports;
        }
        if self.held {
            self.held = false;
            reports.push(RunReport::Held(false));
        }
        let events = self.run.advance(deadline, host).await;
        let trained = (host.now_millis() - began).max(0.0);
        self.budget.trained(trained);
        self.trained_millis += trained;
        let stepped = self.take(events, host, &mut reports);
        if self.over || self.whole.is_some() {
            return reports;
        }
        if self.run.is_over() {
            // Done: publish what is left, then the views, whole, then say it is finished.
            reports.extend(self.publish(host.now_millis()));
            self.whole = self.views_refresh().map(|refresh| WholeRefresh { refresh, then_finish: true });
            if self.whole.is_none() {
                reports.extend(self.finish());
            }
            return reports;
        }
        if self.run.state() == RunState::Paused && !self.run.is_stepping() {
            reports.extend(self.publish(host.now_millis()));
            self.refresh = None;
            self.budget = ViewBudget::new();
            if stepped {
                self.whole = self.views_refresh().map(|refresh| WholeRefresh { refresh, then_finish: false });
            }
            self.held = true;
            reports.push(RunReport::Held(true));
            return reports;
        }
        if let Some(refresh) = self.refresh.as_mut()
            && self.budget.piece_allowed()
        {
            let began = host.now_millis();
            let done = refresh.piece().await;
            self.budget.viewed(host.now_millis() - began);
            match done {
                Ok(true) => {
                    if let Some(done) = self.refresh.take() {
                        reports.extend(views_of(&done));
                    }
                }
                Ok(false) => {}
                Err(_) => self.refresh = None,
            }
        }
        let now = host.now_millis();
        if now - self.published_at.unwrap_or(now) >= PUBLISH_MILLIS {
            reports.extend(self.publish(now));
            if self.refresh.is_none() && live_views && self.budget.begin_refresh(now) {
                self.refresh = self.views_refresh();
            }
        }
        reports
    }

    /// Turns what the run said into reports; true when a step asked for has run.
    fn take(&mut self, events: Vec<Event>, host: &dyn Host, reports: &mut Vec<RunReport>) -> bool {
        let mut stepped = false;
        for event in events {
            match event {
                Event::Epoch(stats) => self.epochs.push(stats),
                Event::Log(log) => self.logs.push(log),
                Event::CheckpointDue(copy) => self.due = Some(copy),
                Event::Copied(copy) => reports.extend(checkpoint_of(&copy, false)),
                Event::Diverged(error) => {
                    // Back on the last weights known good: the learner can lower the rate
                    // and resume.
                    reports.extend(self.publish(host.now_millis()));
                    reports.push(RunReport::Diverged(error));
                }
                Event::Stepped => {
                    stepped = true;
                    reports.push(RunReport::Stepped);
                }
                Event::Moved { backend, epoch, afresh } => {
                    reports.push(RunReport::Moved { backend, epoch, afresh })
                }
                Event::MoveRefused { reason } => reports.push(RunReport::MoveRefused { reason }),
                Event::DeviceFailed { failure, resumed_from } => {
                    let reason = match failure {
                        DeviceFailure::Lost(reason) => reason,
                        DeviceFailure::ReadFailed(details) => {
                            host.report_failure(&details);
                            host.device_lost().unwrap_or_else(read_failed)
                        }
                    };
                    // The charts keep the epochs up to the copy and drop the rest.
                    self.epochs.retain(|stats| stats.epoch <= resumed_from);
                    reports.extend(self.publish(host.now_millis()));
                    reports.push(RunReport::DeviceFailed { reason, resumed_from });
                }
                Event::StoppedEarly { epoch } => {
                    reports.extend(self.flush_due());
                    reports.push(RunReport::StoppedEarly { epoch });
                }
                Event::Finished => {}
                Event::Failed(error) => {
                    reports.extend(self.publish(host.now_millis()));
                    reports.push(RunReport::Failed(error.to_string()));
                    self.over = true;
                }
            }
        }
        stepped
    }

    /// The run is done.
    fn finish(&mut self) -> Vec<RunReport> {
        self.over = true;
        vec![RunReport::Finished]
    }

    /// The epochs and logs not yet published, the progress, and a checkpoint due.
    fn publish(&mut self, now: f64) -> Vec<RunReport> {
        let (since, samples_then) = self.rate_from;
        let samples = self.run.samples_trained();
        let seconds = (now - since) / 1000.0;
        if seconds > 0.0 && samples > samples_then {
            self.samples_per_second = Some((samples - samples_then) as f64 / seconds);
        }
        self.rate_from = (now, samples);
        self.published_at = Some(now);
        let mut reports = vec![RunReport::Published {
            epochs: std::mem::take(&mut self.epochs),
            logs: std::mem::take(&mut self.logs),
            progress: self.progress(),
        }];
        reports.extend(self.flush_due());
        reports
    }

    /// The checkpoint due, encoded.
    fn flush_due(&mut self) -> Vec<RunReport> {
        self.due.take().map(|copy| checkpoint_of(&copy, true)).into_iter().flatten().collect()
    }

    /// Where the run stands.
    fn progress(&self) -> Progress {
        let trainer = self.run.trainer();
        let batches = trainer.batches_per_epoch();
        let epochs_left = trainer.plan().tracker.epochs.saturating_sub(trainer.epochs_done());
        let samples_left = (epochs_left * batches).saturating_sub(trainer.batches_done())
            * trainer.plan().sampler.batch_size;
        let rate = self.samples_per_second;
        Progress {
            epochs: trainer.epochs_done(),
            batch: trainer.batches_done(),
            batches,
            samples_per_second: rate,
            eta_seconds: rate
                .filter(|rate| *rate > 0.0)
                .map(|rate| samples_left.min(trainer.train_samples() * epochs_left) as f64 / rate),
            trained_seconds: self.trained_millis / 1000.0,
        }
    }

    /// A refresh of the views of the run's model: the field and the neuron pictures for 2-D
    /// data, the confusion matrix for a classifier, and the probe's answer.
    fn views_refresh(&self) -> Option<ViewRefresh> {
        let trainer = self.run.trainer();
        let points = trainer.plan().network.in_shape == [POINT_FEATURES];
        let mut refresh = trainer.view_refresh(points.then_some(FIELD_RESOLUTION), true)?;
        if points {
            refresh = refresh.with_neurons(NEURON_RESOLUTION);
        }
        if let Some(probe) = &self.probe {
            refresh = refresh.with_probe(probe.clone());
        }
        let layers = &trainer.plan().network.layers;
        let hidden =
            layers.iter().filter(|layer| matches!(layer, LayerSpec::Linear { .. })).count().saturating_sub(1);
        let relu = (0..hidden).map(|linear| applied_after(layers, linear).last() == Some(&"ReLU")).collect();
        refresh = refresh.with_activity(trainer.activity_batch(), relu);
        if let Some(image) = greyscale_image(&trainer.plan().network.in_shape) {
            refresh = refresh.with_input_weights(image);
        }
        Some(refresh)
    }
}

/// A finished refresh, as reports: the views, and the probe's answer.
fn views_of(refresh: &ViewRefresh) -> Vec<RunReport> {
    let views = RunReport::Views(Box::new(refresh.views()));
    std::iter::once(views).chain(refresh.probe().map(RunReport::Probe)).collect()
}

/// `copy` as a checkpoint document (nothing when its weights do not encode, which they
/// always do).
fn checkpoint_of(copy: &WeightsCopy, due: bool) -> Option<RunReport> {
    let weights = weights::to_bytes(&copy.weights).ok()?;
    let checkpoint = Checkpoint {
        epoch: copy.epoch,
        network: copy.network.describe(),
        weights,
        state: copy.state.clone(),
    };
    Some(RunReport::Checkpoint { epoch: copy.epoch, bytes: checkpoint.to_bytes(), due })
}
