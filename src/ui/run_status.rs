//! Where the page's run stands, as `data-testid="status"` shows it.

/// Where a session stands; shown in `data-testid="status"` by [`RunStatus::label`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RunStatus {
    Idle,
    Training,
    Paused,
    Done,
    Error,
}

impl RunStatus {
    pub fn label(self) -> &'static str {
        match self {
            RunStatus::Idle => "idle",
            RunStatus::Training => "training",
            RunStatus::Paused => "paused",
            RunStatus::Done => "done",
            RunStatus::Error => "error",
        }
    }
}
