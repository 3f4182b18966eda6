//! What the page says of a run, in one place: the notices for an edit made mid-run and for
//! weights loaded into a paused run.

use super::notices::NoticeKind;
use crate::core::document::train_state::Afresh;
use crate::core::report::retune::Retune;

/// What an edit made of a running run, as a notice; `None` when it changed nothing the run uses.
pub fn retuned(answer: Retune) -> Option<(NoticeKind, String)> {
    Some(match answer {
        Retune::Unchanged => return None,
        Retune::LearningRate(learning_rate) => {
            (NoticeKind::Info, text!("retune-learning-rate", rate = learning_rate.to_string()))
        }
        Retune::FreshOptimizerState(learning_rate) => {
            (NoticeKind::Info, text!("retune-fresh-optimizer", rate = learning_rate.to_string()))
        }
        Retune::Restart => (NoticeKind::Warning, text!("retune-restart")),
    })
}

/// The notice for weights `from` loaded into a paused run: `exact` when they came with where
/// their run stood (a checkpoint), after `epoch` epochs; `afresh`, what did not carry over.
pub fn loaded(from: &str, exact: bool, epoch: usize, afresh: &Afresh) -> String {
    match (exact, afresh.is_empty()) {
        (false, _) if epoch > 0 => text!("loaded-weights-alone", from = from),
        (false, _) => text!("loaded-weights", from = from),
        (true, true) => text!("loaded-checkpoint", from = from),
        (true, false) => text!("loaded-checkpoint-changed", from = from, changes = afresh.describe()),
    }
}
