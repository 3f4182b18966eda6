//! How often the views refresh while training: the time they take stays within a share of
//! the time training takes, whatever the network's size.
//!
//! The page trains in slices of a frame and, after a slice, may evaluate one piece of a view
//! refresh (`core::view_refresh`). The budget counts the time each takes and allows a piece
//! only while the views' share of the total stays under [`VIEW_SHARE`]; a new refresh starts
//! no sooner than [`MIN_REFRESH_MILLIS`] after the last one began, since the views would not
//! change visibly any faster. A small network's refresh fits in one piece every publish; a
//! wide network's refreshes come as often as the share allows.

/// The most of the time the views may take while training.
pub const VIEW_SHARE: f64 = 0.2;

/// The least time between the starts of two refreshes, in milliseconds (a publish).
pub const MIN_REFRESH_MILLIS: f64 = 100.0;

/// Time spent training and on the views since a run (or a resume) began.
#[derive(Clone, Debug, Default)]
pub struct ViewBudget {
    training_millis: f64,
    view_millis: f64,
    last_refresh: Option<f64>,
}

impl ViewBudget {
    pub fn new() -> Self {
        Self::default()
    }

    /// Counts `millis` of training.
    pub fn trained(&mut self, millis: f64) {
        self.training_millis += millis.max(0.0);
    }

    /// Counts `millis` spent on the views.
    pub fn viewed(&mut self, millis: f64) {
        self.view_millis += millis.max(0.0);
    }

    /// Whether the views may take the next piece: their share would still be within
    /// [`VIEW_SHARE`] of all the time spent.
    pub fn piece_allowed(&self) -> bool {
        self.view_millis <= VIEW_SHARE / (1.0 - VIEW_SHARE) * self.training_millis
    }

    /// Whether a new refresh may begin at `now` (ms); if so, it counts as begun.
    pub fn begin_refresh(&mut self, now: f64) -> bool {
        let due = self.last_refresh.is_none_or(|last| now - last >= MIN_REFRESH_MILLIS);
        if due && self.piece_allowed() {
            self.last_refresh = Some(now);
            return true;
        }
        false
    }

    /// The share of the time the views have taken so far (0 before anything ran).
    pub fn view_share(&self) -> f64 {
        let total = self.training_millis + self.view_millis;
        if total > 0.0 { self.view_millis / total } else { 0.0 }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Trains in 12 ms slices and, after each, takes a piece of `piece_millis` when allowed
    /// (a refresh being `pieces` pieces), for `seconds`; returns the views' share and how many
    /// refreshes completed.
    fn simulate(piece_millis: f64, pieces: usize, seconds: f64) -> (f64, usize) {
        let mut budget = ViewBudget::new();
        let (mut now, mut left, mut refreshes) = (0.0, 0, 0);
        while now < seconds * 1000.0 {
            budget.trained(12.0);
            now += 12.0;
            if left == 0 && budget.begin_refresh(now) {
                left = pieces;
            }
            if left > 0 && budget.piece_allowed() {
                budget.viewed(piece_millis);
                now += piece_millis;
                left -= 1;
                if left == 0 {
                    refreshes += 1;
                }
            }
        }
        (budget.view_share(), refreshes)
    }

    #[test]
    fn a_cheap_refresh_comes_every_publish() {
        let (share, refreshes) = simulate(0.5, 1, 10.0);
        assert!(share < 0.05, "{share}");
        // One refresh per 100 ms, give or take a slice.
        assert!((90..=100).contains(&refreshes), "{refreshes}");
    }

    #[test]
    fn an_expensive_refresh_stays_within_the_share() {
        // A wide network: 22 pieces of 4 ms, 88 ms a refresh.
        let (share, refreshes) = simulate(4.0, 22, 10.0);
        assert!(share <= VIEW_SHARE + 0.01, "{share}");
        assert!(share >= VIEW_SHARE - 0.03, "the budget is used, not wasted: {share}");
        assert!(refreshes >= 15, "{refreshes}");
    }

    #[test]
    fn nothing_is_allowed_before_training_has_run() {
        let mut budget = ViewBudget::new();
        assert!(budget.piece_allowed(), "no views yet: within any share");
        budget.viewed(1.0);
        assert!(!budget.piece_allowed());
        budget.trained(4.0);
        assert!(budget.piece_allowed());
    }
}
