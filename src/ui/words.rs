//! What the page says of a run, in one place: the notices for an edit made mid-run and for
//! weights loaded into a paused run.

use super::notices::NoticeKind;
use crate::core::document::train_state::Afresh;
use crate::core::report::retune::Retune;

/// What an edit made of a running run, as a notice; `None` when it changed nothing the run uses.
pub fn retuned(answer: Retune) -> Option<(NoticeKind, String)> {
    Some(match answer {
        Retune::Unchanged => return None,
        Retune::LearningRate(learning_rate) => (
            NoticeKind::Info,
            format!(
                "The new learning rate ({learning_rate}) applies from the next step; the optimizer keeps its state."
            ),
        ),
        Retune::FreshOptimizerState(learning_rate) => (
            NoticeKind::Info,
            format!(
                "New optimizer settings (learning rate {learning_rate}) apply from the next step; the optimizer's \
                 state (momentum buffers, Adam's moments) starts afresh."
            ),
        ),
        Retune::Restart => (
            NoticeKind::Warning,
            "Training stopped: the graph changed in a way a running session cannot take \
             (only optimizer settings such as the learning rate can change mid-run). Press Train to \
             start again with the new graph."
                .to_owned(),
        ),
    })
}

/// The notice for weights `from` loaded into a paused run: `exact` when they came with where
/// their run stood (a checkpoint), after `epoch` epochs; `afresh`, what did not carry over.
pub fn loaded(from: &str, exact: bool, epoch: usize, afresh: &Afresh) -> String {
    let carried = match (exact, afresh.is_empty()) {
        (false, _) if epoch > 0 => {
            " It holds the weights alone (an earlier Kindling's): the optimizer's state \
                                    and the batch order start afresh."
                .to_owned()
        }
        (false, _) => String::new(),
        (true, true) => {
            " The run goes on exactly where it stood: the optimizer's state, the batch order and \
                         the schedule came along."
                .to_owned()
        }
        (true, false) => format!(" The graph changed since: {}.", afresh.describe()),
    };
    format!("Loaded {from}.{carried} Press Resume to train on from there, or Step.")
}
