//! Leslie Smith's learning-rate range test: train a throwaway copy of the run for a number
//! of batches while the learning rate grows exponentially, record the loss at each rate, stop
//! once the loss explodes, and suggest the rate where the smoothed loss falls fastest.
//!
//! It drives an ordinary [`Trainer`] of the graph's plan (its own copy of the weights and
//! optimizer, dropped at the end), one checked batch at a time, so it runs on any device. It
//! is an activity like a [`Run`](super::Run): [`RangeTestRun::advance`] runs batches until a
//! deadline and says what happened; the run module is the one place a trainer is stepped.

use burn::tensor::Device;

use super::Host;
use crate::core::compile::plan::TrainingPlan;
use crate::core::engine::train::Trainer;
use crate::core::report::range_test::RangeTestResult;
use crate::core::report::train_error::TrainError;

/// What a range test says as it advances.
#[derive(Clone, Debug, PartialEq)]
pub enum RangeEvent {
    /// `batches` of at most `total` have run.
    Progress { batches: usize, total: usize },
    /// It is over: what it found.
    Done(RangeTestResult),
    /// The device failed to return a loss.
    Failed(TrainError),
}

/// How a range test runs.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RangeTest {
    /// The first batch's learning rate.
    pub start_lr: f64,
    /// The last batch's learning rate, if the loss has not exploded before.
    pub end_lr: f64,
    /// Batches, the rate multiplied by the same factor at each.
    pub batches: usize,
    /// Weight of the newest loss in the smoothed loss (an exponential moving average,
    /// bias-corrected, as fastai's).
    pub smoothing: f64,
    /// The loss has exploded past this many times its smoothed best.
    pub explode_factor: f64,
}

impl Default for RangeTest {
    fn default() -> Self {
        Self { start_lr: 1e-5, end_lr: 10.0, batches: 400, smoothing: 0.02, explode_factor: 4.0 }
    }
}

impl RangeTest {
    /// Runs the test for `plan` on `device`, to the end.
    ///
    /// # Errors
    /// [`TrainError::Readback`] when the device fails to return a loss.
    pub async fn run(&self, plan: &TrainingPlan, device: &Device) -> Result<RangeTestResult, TrainError> {
        let mut test = self.start(plan, device);
        while test.step().await? {}
        Ok(test.result())
    }

    /// Starts the test for `plan` on `device`; [`RangeTestRun::step`] runs it a batch at a
    /// time (the page yields between them).
    pub fn start(&self, plan: &TrainingPlan, device: &Device) -> RangeTestRun {
        let mut plan = plan.clone();
        // The test's own rates, no schedule or early stop; enough epochs for every batch.
        plan.scheduler = None;
        plan.tracker.early_stopping = None;
        plan.tracker.epochs = usize::MAX / 2;
        RangeTestRun {
            test: *self,
            trainer: Trainer::new(plan, device),
            growth: (self.end_lr / self.start_lr).powf(1.0 / (self.batches.max(2) - 1) as f64),
            batch: 0,
            average: 0.0,
            best: f64::INFINITY,
            points: Vec::with_capacity(self.batches),
            exploded: false,
        }
    }
}

/// A range test under way.
pub struct RangeTestRun {
    test: RangeTest,
    trainer: Trainer,
    /// The factor the rate grows by at each batch.
    growth: f64,
    batch: usize,
    average: f64,
    best: f64,
    points: Vec<(f64, f64)>,
    exploded: bool,
}

impl RangeTestRun {
    /// Runs batches until `host`'s clock passes `deadline` (at least one) or the test is over;
    /// says how far it got, or what it found.
    pub async fn advance(&mut self, deadline: f64, host: &dyn Host) -> Vec<RangeEvent> {
        loop {
            match self.step().await {
                Ok(true) if host.now_millis() < deadline => {}
                Ok(true) => {
                    let (batches, total) = self.progress();
                    return vec![RangeEvent::Progress { batches, total }];
                }
                Ok(false) => return vec![RangeEvent::Done(self.result())],
                Err(error) => return vec![RangeEvent::Failed(error)],
            }
        }
    }

    /// Trains the next batch at the next rate; `false` once the test is over (every batch
    /// ran, or the loss exploded).
    ///
    /// # Errors
    /// [`TrainError::Readback`] when the device fails to return a loss.
    async fn step(&mut self) -> Result<bool, TrainError> {
        if self.is_over() {
            return Ok(false);
        }
        let test = self.test;
        let lr = test.start_lr * self.growth.powi(self.batch as i32);
        self.trainer.set_learning_rate(lr);
        if self.trainer.epoch_batches_done() {
            self.trainer.finish_epoch().await?;
        }
        let loss = match self.trainer.train_batch_checked().await {
            Ok(()) => self.trainer.last_loss().unwrap_or(f64::NAN),
            Err(TrainError::NonFiniteLoss { .. }) => f64::INFINITY,
            Err(error) => return Err(error),
        };
        self.batch += 1;
        if !loss.is_finite() {
            self.exploded = true;
            return Ok(false);
        }
        self.average = test.smoothing * loss + (1.0 - test.smoothing) * self.average;
        let smoothed = self.average / (1.0 - (1.0 - test.smoothing).powi(self.batch as i32));
        self.points.push((lr, smoothed));
        if smoothed > test.explode_factor * self.best {
            self.exploded = true;
            return Ok(false);
        }
        self.best = self.best.min(smoothed);
        Ok(!self.is_over())
    }

    /// Whether the test is over.
    pub fn is_over(&self) -> bool {
        self.exploded || self.batch >= self.test.batches
    }

    /// The batches run so far, and how many the test runs at most.
    pub fn progress(&self) -> (usize, usize) {
        (self.batch, self.test.batches)
    }

    /// What the test has found so far (all of it, once over).
    pub fn result(&self) -> RangeTestResult {
        RangeTestResult {
            suggestion: steepest_descent(&self.points),
            points: self.points.clone(),
            exploded: self.exploded,
        }
    }
}

/// The rate where the smoothed loss falls fastest against the logarithm of the rate, on
/// the way down to its lowest point: slopes are taken across a window of a tenth of the
/// points (single steps are noise), and the first tenth is left out (the moving average is
/// still settling there), as fastai's finder skips its start.
fn steepest_descent(points: &[(f64, f64)]) -> Option<f64> {
    let lowest = points.iter().enumerate().min_by(|a, b| a.1.1.total_cmp(&b.1.1)).map(|(index, _)| index)?;
    let window = (points.len() / 10).max(1);
    let skip = points.len() / 10;
    (skip..lowest.saturating_sub(window) + 1)
        .filter_map(|start| {
            let ((lr_a, loss_a), (lr_b, loss_b)) = (points[start], *points.get(start + window)?);
            let slope = (loss_b - loss_a) / (lr_b.ln() - lr_a.ln());
            (slope.is_finite() && slope < 0.0).then_some((slope, (lr_a * lr_b).sqrt()))
        })
        .min_by(|a, b| a.0.total_cmp(&b.0))
        .map(|(_, lr)| lr)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_suggestion_is_where_the_loss_falls_fastest_before_its_lowest() {
        let points = [(1e-3, 1.0), (1e-2, 0.95), (1e-1, 0.5), (1.0, 0.45), (10.0, 3.0)];
        let suggestion = steepest_descent(&points).unwrap();
        assert!((suggestion - (1e-2f64 * 1e-1).sqrt()).abs() < 1e-12, "between 0.01 and 0.1: {suggestion}");
        // A steep fall after the lowest point (noise on the way up) does not count.
        let noisy = [(1e-3, 1.0), (1e-2, 0.9), (1e-1, 0.8), (1.0, 2.0), (10.0, 1.0)];
        assert!(steepest_descent(&noisy).unwrap() < 0.1);
        assert_eq!(steepest_descent(&[(1e-3, 1.0), (1e-2, 1.2)]), None, "it never falls");
        assert_eq!(steepest_descent(&[]), None);
    }
}
