//! One activity at a time: the rule, written once, for what may start while another is
//! under way on the engine's device.
//!
//! An engine trains on one thread, whatever its backend, so its activities would only share
//! that thread's time — each slower, none as the learner meant. So at most one of the
//! learner's activities runs:
//!
//! - Train, a sweep and a helper lane's trial take over: whatever was under way stops (and
//!   says so). Pressing Train while a sweep runs means "this instead".
//! - The range test never stops a run or a sweep the learner may want back: it is refused
//!   while one is under way, paused ones included, with the reason.
//!
//! The warm-up and the GPU's kernel preparation are background work: any activity stops them.

/// The learner's activities, by kind.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    Run,
    Sweep,
    RangeTest,
    /// A helper lane's trial of another engine's sweep.
    Trial,
}

/// What starting an activity does to the one under way.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Admission {
    /// Nothing was under way.
    Start,
    /// The one under way stops first.
    Replace,
    /// It cannot start: the sentence says why.
    Refuse(String),
}

/// Whether `new` may start while `current` (if any) is under way.
pub fn admission(current: Option<Kind>, new: Kind) -> Admission {
    match (current, new) {
        (None, _) => Admission::Start,
        (Some(_), Kind::Run | Kind::Sweep | Kind::Trial) | (Some(Kind::RangeTest), Kind::RangeTest) => {
            Admission::Replace
        }
        (Some(Kind::Run), Kind::RangeTest) => Admission::Refuse(text!("run-error-run-under-way")),
        (Some(Kind::Sweep | Kind::Trial), Kind::RangeTest) => {
            Admission::Refuse(text!("run-error-sweep-under-way"))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn anything_starts_on_an_idle_engine() {
        for kind in [Kind::Run, Kind::Sweep, Kind::RangeTest, Kind::Trial] {
            assert_eq!(admission(None, kind), Admission::Start);
        }
    }

    #[test]
    fn train_and_sweeps_take_over_and_the_range_test_waits_its_turn() {
        for current in [Kind::Run, Kind::Sweep, Kind::RangeTest, Kind::Trial] {
            assert_eq!(admission(Some(current), Kind::Run), Admission::Replace);
            assert_eq!(admission(Some(current), Kind::Sweep), Admission::Replace);
        }
        assert_eq!(admission(Some(Kind::RangeTest), Kind::RangeTest), Admission::Replace);
        assert!(
            matches!(admission(Some(Kind::Run), Kind::RangeTest), Admission::Refuse(reason) if reason.contains("run"))
        );
        assert!(
            matches!(admission(Some(Kind::Sweep), Kind::RangeTest), Admission::Refuse(reason) if reason.contains("sweep"))
        );
    }
}
