//! The runner's clock for `advance(deadline, host)`.

use std::time::Instant;

use kindling::core::engine::run::Host;

/// The process's steady clock.
pub(crate) struct Clock {
    started: Instant,
}

impl Clock {
    /// A clock that starts now.
    pub(crate) fn new() -> Self {
        Self { started: Instant::now() }
    }
}

impl Host for Clock {
    fn now_millis(&self) -> f64 {
        self.started.elapsed().as_secs_f64() * 1000.0
    }
}
