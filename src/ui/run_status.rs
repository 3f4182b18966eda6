//! Where the page's run stands, as `data-testid="status"` shows it.

/// Where a session stands; `data-status` holds [`RunStatus::label`], and
/// `data-testid="status"` shows [`RunStatus::text`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunStatus {
    Idle,
    Training,
    Paused,
    Done,
    Error,
}

impl RunStatus {
    /// The status's name, for `data-status` (what tests and the stylesheet read).
    pub fn label(self) -> &'static str {
        match self {
            RunStatus::Idle => "idle",
            RunStatus::Training => "training",
            RunStatus::Paused => "paused",
            RunStatus::Done => "done",
            RunStatus::Error => "error",
        }
    }

    /// The status as the page shows it.
    pub fn text(self) -> String {
        match self {
            RunStatus::Idle => text!("run-status-idle"),
            RunStatus::Training => text!("run-status-training"),
            RunStatus::Paused => text!("run-status-paused"),
            RunStatus::Done => text!("run-status-done"),
            RunStatus::Error => text!("run-status-error"),
        }
    }
}
