//! Sweeps, the parts that need no graph: what a swept parameter's text field says (a list,
//! `0.001, 0.03, 1`, or a range, `1e-4..1 log 5`), the trials of several swept parameters
//! (every combination, or a seeded random sample within a budget of trials), and the rules
//! that stop bad trials early — the median rule and successive halving's rungs (ASHA), on
//! a metric where higher is better.
//!
//! Issue 16 builds the sweep on these: the inspector's fields, running the trials, the
//! results table.

use std::collections::BTreeSet;

use rand::rngs::StdRng;
use rand::seq::index;
use rand::{RngExt, SeedableRng};

/// The most values one swept parameter takes.
pub const MAX_VALUES: usize = 64;

/// The most trials a sweep runs.
pub const MAX_TRIALS: usize = 1000;

/// One value of a swept parameter: a number, or a choice's name (the parameter's schema
/// decides which it takes).
#[derive(Clone, Debug, PartialEq)]
pub enum SweepValue {
    Number(f64),
    Choice(String),
}

/// How a range spaces its values.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Spacing {
    Linear,
    Log,
}

/// Reads a swept parameter's field: a comma-separated list (`0.001, 0.03, 1`, or names
/// `relu, tanh`), or a range `from..to [linear|log] count` (`1e-4..1 log 5`; linear when
/// the spacing is left out).
///
/// # Errors
/// A sentence saying what is wrong: an empty list, a range whose ends are not numbers, a
/// log range that does not stay above zero, a count below 2 or above [`MAX_VALUES`].
pub fn parse(text: &str) -> Result<Vec<SweepValue>, String> {
    let text = text.trim();
    if let Some((from, rest)) = text.split_once("..") {
        return parse_range(from, rest);
    }
    let values: Vec<SweepValue> = text
        .split(',')
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(|item| match item.parse::<f64>() {
            Ok(number) if number.is_finite() => SweepValue::Number(number),
            _ => SweepValue::Choice(item.to_owned()),
        })
        .collect();
    match values.len() {
        0 => Err(text!("sweep-plan-no-values")),
        count if count > MAX_VALUES => {
            Err(text!("sweep-plan-too-many-values", count = count, max = MAX_VALUES))
        }
        _ => Ok(values),
    }
}

fn parse_range(from: &str, rest: &str) -> Result<Vec<SweepValue>, String> {
    let mut words = rest.split_whitespace();
    let number = |text: &str| text.parse::<f64>().ok().filter(|number| number.is_finite());
    let (from, to) = (from.trim(), words.next().unwrap_or_default().trim());
    let from = number(from).ok_or_else(|| text!("sweep-plan-range-start-not-a-number", text = from))?;
    let to = number(to).ok_or_else(|| text!("sweep-plan-range-end-not-a-number", text = to))?;
    let (spacing, count) = match (words.next(), words.next(), words.next()) {
        (Some("log"), Some(count), None) => (Spacing::Log, count),
        (Some("linear"), Some(count), None) => (Spacing::Linear, count),
        (Some(count), None, None) => (Spacing::Linear, count),
        _ => return Err(text!("sweep-plan-range-form")),
    };
    let count: usize = count.parse().map_err(|_| text!("sweep-plan-range-count-not-whole", text = count))?;
    if !(2..=MAX_VALUES).contains(&count) {
        return Err(text!("sweep-plan-range-count", max = MAX_VALUES, count = count));
    }
    if spacing == Spacing::Log && (from <= 0.0 || to <= 0.0) {
        return Err(text!("sweep-plan-log-range-above-zero"));
    }
    Ok(range(from, to, spacing, count).into_iter().map(SweepValue::Number).collect())
}

/// `count` values from `from` to `to`, both included, evenly spaced or evenly spaced in
/// their logarithms.
pub fn range(from: f64, to: f64, spacing: Spacing, count: usize) -> Vec<f64> {
    let step = |index: usize| index as f64 / (count.max(2) - 1) as f64;
    (0..count)
        .map(|index| match spacing {
            Spacing::Linear => from + (to - from) * step(index),
            Spacing::Log => (from.ln() + (to.ln() - from.ln()) * step(index)).exp(),
        })
        .collect()
}

/// Which combinations of the swept values a sweep runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Search {
    /// Every combination.
    Grid,
    /// `trials` combinations drawn without repeats from `seed` (every one, when there are
    /// fewer).
    Random { trials: usize, seed: u64 },
}

/// Why parameters' values make no list of trials.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum TrialsError {
    #[error("{}", text!("sweep-plan-no-value"))]
    NoValue,

    /// A grid of more trials than a sweep runs (`None`: more than a `usize` counts).
    #[error(
        "{}",
        .trials.map_or_else(
            || text!("sweep-plan-grid-uncountable", max = MAX_TRIALS),
            |trials| text!("sweep-plan-grid-too-large", trials = trials.to_string(), max = MAX_TRIALS)
        )
    )]
    GridTooLarge { trials: Option<usize> },
}

/// How many trials a sweep over parameters with `counts[i]` values each runs, without
/// listing them (the page shows it on every edit of the sweep).
///
/// # Errors
/// When a grid would run more than [`MAX_TRIALS`] trials, or a parameter has no value.
pub fn trial_count(counts: &[usize], search: Search) -> Result<usize, TrialsError> {
    if counts.contains(&0) {
        return Err(TrialsError::NoValue);
    }
    let total = counts.iter().try_fold(1usize, |total, &count| total.checked_mul(count));
    match search {
        Search::Grid => match total {
            Some(total) if total <= MAX_TRIALS => Ok(total),
            _ => Err(TrialsError::GridTooLarge { trials: total }),
        },
        Search::Random { trials, .. } => Ok(trials.min(MAX_TRIALS).min(total.unwrap_or(usize::MAX))),
    }
}

/// The trials of a sweep over parameters with `counts[i]` values each: for each trial, the
/// index of each parameter's value, in a fixed order (grid order for a grid: the last
/// parameter changes fastest).
///
/// # Errors
/// As [`trial_count`].
pub fn trials(counts: &[usize], search: Search) -> Result<Vec<Vec<usize>>, TrialsError> {
    let take = trial_count(counts, search)?;
    let combination = |mut number: usize| {
        let mut indices = vec![0; counts.len()];
        for (slot, &count) in indices.iter_mut().zip(counts).rev() {
            *slot = number % count;
            number /= count;
        }
        indices
    };
    let total = counts.iter().try_fold(1usize, |total, &count| total.checked_mul(count));
    match (search, total) {
        (Search::Grid, _) => Ok((0..take).map(combination).collect()),
        // Distinct combinations by number (Floyd's sampling: no list of them all).
        (Search::Random { seed, .. }, Some(total)) => {
            let mut rng = StdRng::seed_from_u64(seed);
            Ok(index::sample(&mut rng, total, take).into_iter().map(combination).collect())
        }
        // More combinations than numbers: draw each parameter's value, without repeats.
        (Search::Random { seed, .. }, None) => {
            let mut rng = StdRng::seed_from_u64(seed);
            let mut seen = BTreeSet::new();
            let mut drawn = Vec::with_capacity(take);
            while drawn.len() < take {
                let indices: Vec<usize> = counts.iter().map(|&count| rng.random_range(0..count)).collect();
                if seen.insert(indices.clone()) {
                    drawn.push(indices);
                }
            }
            Ok(drawn)
        }
    }
}

/// The median rule (Google Vizier's, Optuna's `MedianPruner`): stop a trial whose best value
/// so far, at an epoch, is below the median of the other trials' values at that epoch (at
/// least `min_others` of them, so that early trials are not judged on too little).
pub fn median_rule_prunes(best_so_far: f64, others_at_epoch: &[f64], min_others: usize) -> bool {
    let mut others: Vec<f64> = others_at_epoch.iter().copied().filter(|value| value.is_finite()).collect();
    if others.len() < min_others.max(1) {
        return false;
    }
    others.sort_by(f64::total_cmp);
    let middle = others.len() / 2;
    let median = if others.len().is_multiple_of(2) {
        (others[middle - 1] + others[middle]) / 2.0
    } else {
        others[middle]
    };
    !best_so_far.is_finite() || best_so_far < median
}

/// The epochs every one of which the median rule judges before it thins out.
pub const MEDIAN_RULE_EVERY_EPOCH: usize = 256;

/// The epochs it judges per doubling of the epoch after that.
pub const MEDIAN_RULE_PER_DOUBLING: usize = 64;

/// Whether the median rule judges a trial at epoch `epoch` (counted from 1): every epoch up
/// to [`MEDIAN_RULE_EVERY_EPOCH`], then [`MEDIAN_RULE_PER_DOUBLING`] evenly spaced epochs per
/// doubling (every 4th from 256 to 512, every 8th to 1024, …) — Optuna's `interval_steps`,
/// growing with the run, so that a sweep remembers a bounded number of values per trial
/// (about 1 000 at the 100 000-epoch limit) however long its trials train.
pub fn median_rule_judges(epoch: usize) -> bool {
    if epoch <= MEDIAN_RULE_EVERY_EPOCH {
        return epoch > 0;
    }
    let doubling = (epoch / MEDIAN_RULE_EVERY_EPOCH).ilog2();
    let interval = (MEDIAN_RULE_EVERY_EPOCH / MEDIAN_RULE_PER_DOUBLING) << doubling;
    epoch.is_multiple_of(interval)
}

/// Successive halving's rungs (ASHA): a trial reaching epoch `min_epochs × eta^k` goes on
/// only if its value there is in the top `1/eta` of the values every trial had at that rung
/// (its own included).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Rungs {
    pub min_epochs: usize,
    pub eta: usize,
}

impl Rungs {
    /// Whether epoch `epoch` (counted from 1) is a rung.
    pub fn is_rung(&self, epoch: usize) -> bool {
        let (mut rung, eta) = (self.min_epochs.max(1), self.eta.max(2));
        while rung < epoch {
            rung = rung.saturating_mul(eta);
        }
        rung == epoch
    }

    /// Whether a trial with `value` at a rung goes on, given `at_rung`, the values every
    /// trial that reached the rung had there (this one's included).
    pub fn promotes(&self, value: f64, at_rung: &[f64]) -> bool {
        if !value.is_finite() {
            return false;
        }
        let keep = (at_rung.len() / self.eta.max(2)).max(1);
        let better = at_rung.iter().filter(|other| other.is_finite() && **other > value).count();
        better < keep
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_median_rule_judges_every_epoch_then_a_bounded_number_per_doubling() {
        assert!(!median_rule_judges(0));
        assert!((1..=MEDIAN_RULE_EVERY_EPOCH).all(median_rule_judges));
        let judged = |range: std::ops::Range<usize>| range.filter(|&epoch| median_rule_judges(epoch)).count();
        assert_eq!(judged(256..512), MEDIAN_RULE_PER_DOUBLING);
        assert_eq!(judged(512..1024), MEDIAN_RULE_PER_DOUBLING);
        assert_eq!(judged(65_536..131_072), MEDIAN_RULE_PER_DOUBLING);
        assert!(median_rule_judges(260) && !median_rule_judges(258) && median_rule_judges(1040));
        assert!(judged(1..100_001) < 1000, "{} values kept per trial at the limit", judged(1..100_001));
    }

    fn numbers(values: &[SweepValue]) -> Vec<f64> {
        values
            .iter()
            .map(|value| match value {
                SweepValue::Number(number) => *number,
                SweepValue::Choice(name) => panic!("{name} is not a number"),
            })
            .collect()
    }

    #[test]
    fn lists_read_numbers_and_names() {
        assert_eq!(numbers(&parse("0.001, 0.03, 1").unwrap()), [0.001, 0.03, 1.0]);
        assert_eq!(
            parse(" relu,tanh ,").unwrap(),
            [SweepValue::Choice("relu".into()), SweepValue::Choice("tanh".into())]
        );
        assert!(parse(" , ").unwrap_err().contains("give the values"));
        let many = vec!["1"; MAX_VALUES + 1].join(",");
        assert!(parse(&many).unwrap_err().contains("at most"));
    }

    #[test]
    fn ranges_space_their_values_linearly_or_in_logarithms() {
        let log = numbers(&parse("1e-4..1 log 5").unwrap());
        for (found, expected) in log.iter().zip([1e-4, 1e-3, 1e-2, 1e-1, 1.0]) {
            assert!((found / expected - 1.0).abs() < 1e-12, "{found} against {expected}");
        }
        assert_eq!(numbers(&parse("0..1 5").unwrap()), [0.0, 0.25, 0.5, 0.75, 1.0]);
        assert_eq!(numbers(&parse("2..1 linear 2").unwrap()), [2.0, 1.0]);
        assert!(parse("0..1 log 5").unwrap_err().contains("above zero"));
        assert!(parse("0..1 1").unwrap_err().contains("2 to 64"));
        assert!(parse("0..x 3").unwrap_err().contains("end “x”"));
        assert!(parse("0..1 cubic 3").unwrap_err().contains("start..end"));
        assert!(parse("0..1 log 3.5").unwrap_err().contains("whole number"));
    }

    #[test]
    fn a_grid_runs_every_combination_the_last_parameter_fastest() {
        assert_eq!(trials(&[2, 3], Search::Grid).unwrap(), [[0, 0], [0, 1], [0, 2], [1, 0], [1, 1], [1, 2]]);
        let grid = trials(&[100, 100], Search::Grid).unwrap_err();
        assert_eq!(grid, TrialsError::GridTooLarge { trials: Some(10000) });
        assert!(grid.to_string().contains("10000 trials"));
        assert_eq!(trials(&[2, 0], Search::Grid), Err(TrialsError::NoValue));
        assert!(trials(&[usize::MAX, 3], Search::Grid).unwrap_err().to_string().contains("too many"));
    }

    #[test]
    fn random_search_repeats_its_seed_never_a_combination_and_stays_in_budget() {
        let search = Search::Random { trials: 5, seed: 7 };
        let drawn = trials(&[4, 4], search).unwrap();
        assert_eq!(drawn, trials(&[4, 4], search).unwrap(), "the seed decides");
        assert_ne!(drawn, trials(&[4, 4], Search::Random { trials: 5, seed: 8 }).unwrap());
        let distinct: BTreeSet<_> = drawn.iter().collect();
        assert_eq!(distinct.len(), 5);
        assert!(drawn.iter().all(|indices| indices.iter().all(|&index| index < 4)));
        assert_eq!(
            trials(&[2, 2], Search::Random { trials: 50, seed: 1 }).unwrap().len(),
            4,
            "all there are"
        );
        let huge = trials(&[1 << 30, 1 << 30], Search::Random { trials: 3, seed: 1 }).unwrap();
        assert_eq!(huge.len(), 3);
        let past_numbers = trials(&[usize::MAX, 3], Search::Random { trials: 3, seed: 1 }).unwrap();
        assert_eq!(past_numbers.len(), 3);
        assert_eq!(trial_count(&[4, 4], search), Ok(5));
        assert_eq!(trial_count(&[64; 16], Search::Random { trials: 1000, seed: 0 }), Ok(1000));
    }

    #[test]
    fn the_median_rule_stops_trials_below_the_others_median() {
        assert!(median_rule_prunes(0.5, &[0.6, 0.7, 0.8], 3));
        assert!(!median_rule_prunes(0.75, &[0.6, 0.7, 0.8], 3));
        assert!(!median_rule_prunes(0.1, &[0.6, 0.7], 3), "too few others to judge");
        assert!(median_rule_prunes(f64::NAN, &[0.6, 0.7, 0.8], 1), "a diverged trial stops");
        assert!(median_rule_prunes(0.64, &[0.6, 0.7, 0.8, 0.9], 1), "median of an even count: 0.75");
    }

    #[test]
    fn successive_halving_promotes_the_top_third_at_each_rung() {
        let rungs = Rungs { min_epochs: 1, eta: 3 };
        let at: Vec<usize> = (1..=30).filter(|&epoch| rungs.is_rung(epoch)).collect();
        assert_eq!(at, [1, 3, 9, 27]);
        let values = [0.9, 0.8, 0.7, 0.6, 0.5, 0.4];
        let promoted: Vec<f64> =
            values.iter().copied().filter(|&value| rungs.promotes(value, &values)).collect();
        assert_eq!(promoted, [0.9, 0.8], "6 trials at the rung, 6 / 3 go on");
        assert!(rungs.promotes(0.1, &[0.1]), "the first to reach a rung goes on");
        assert!(!rungs.promotes(f64::NAN, &[f64::NAN, 0.2]));
    }
}
