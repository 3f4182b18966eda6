//! One trial of a sweep as a state machine: an ordinary [`Run`] of the trial's plan that holds
//! after each epoch until the sweep has judged it ([`TrialRun::go_on`]), and says once how it
//! ended. Wherever a trial runs — beside the sweep, in another worker, on another thread — it
//! is this, so every lane reports alike.

use crate::core::compile::plan::TrainingPlan;
use crate::core::engine::run::{Event, Host, Run, RunStart};
use crate::core::engine::weights::WeightsError;
use crate::core::report::sweep_progress::{TrialReport, TrialState};

/// A trial under way.
pub struct TrialRun {
    run: Run,
    /// Milliseconds trained since the last epoch closed (holds not counted).
    trained_millis: f64,
    /// An epoch closed and the sweep has not judged it yet: nothing trains.
    held: bool,
    /// It has reported how it ended.
    ended: bool,
}

impl TrialRun {
    /// Starts training `plan` as `start` says.
    ///
    /// # Errors
    /// What [`Run::start`] says of weights that do not fit.
    pub fn start(plan: TrainingPlan, start: RunStart) -> Result<Self, WeightsError> {
        Ok(Self { run: Run::start(plan, start)?, trained_millis: 0.0, held: false, ended: false })
    }

    /// The sweep judged the last epoch: train on.
    pub fn go_on(&mut self) {
        self.held = false;
    }

    /// Whether it waits for the sweep's verdict on an epoch.
    pub fn is_held(&self) -> bool {
        self.held
    }

    /// Whether it has ended (done, diverged or failed).
    pub fn is_over(&self) -> bool {
        self.ended
    }

    /// The run, for what progress reads.
    pub fn run(&self) -> &Run {
        &self.run
    }

    /// Trains until `deadline` on `host`'s clock, the end of an epoch (then it holds) or the
    /// end of the trial; returns what the sweep must hear.
    pub async fn advance(&mut self, deadline: f64, host: &dyn Host) -> Vec<TrialReport> {
        if self.held || self.ended {
            return Vec::new();
        }
        let began = host.now_millis();
        let events = self.run.advance(deadline, host).await;
        self.trained_millis += (host.now_millis() - began).max(0.0);
        let mut reports = Vec::new();
        for event in events {
            let ended = match event {
                Event::Epoch(stats) => {
                    reports.push(TrialReport::Epoch { stats, seconds: self.trained_millis / 1000.0 });
                    self.trained_millis = 0.0;
                    self.held = true;
                    None
                }
                Event::Finished => Some((TrialState::Done, None)),
                Event::Diverged(error) => Some((TrialState::Diverged, Some(error.to_string()))),
                Event::Failed(error) => Some((TrialState::Failed, Some(error.to_string()))),
                _ => None,
            };
            if let Some((state, note)) = ended {
                self.ended = true;
                reports.push(TrialReport::Ended { state, note });
                break;
            }
        }
        reports
    }
}
