//! The order in which an epoch visits the training samples: BatchSampler's `shuffle` and
//! `seed`. The trainer and the exports draw it from here, so a program that replays it (the
//! PyTorch export's `--reproduce`) sees Kindling's batches exactly.

use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;

use super::plan::SamplerPlan;

/// The sample order of successive epochs.
#[derive(Debug)]
pub struct BatchOrder {
    order: Vec<i64>,
    rng: StdRng,
    shuffle: bool,
}

impl BatchOrder {
    /// The order over `samples` training samples, before the first epoch.
    pub fn new(sampler: &SamplerPlan, samples: usize) -> Self {
        Self {
            order: (0..samples as i64).collect(),
            rng: StdRng::seed_from_u64(sampler.seed),
            shuffle: sampler.shuffle,
        }
    }

    /// Starts an epoch: shuffles (when the sampler shuffles) and returns the epoch's order.
    pub fn next_epoch(&mut self) -> &[i64] {
        if self.shuffle {
            self.order.shuffle(&mut self.rng);
        }
        &self.order
    }

    /// The current epoch's order.
    pub fn current(&self) -> &[i64] {
        &self.order
    }

    pub fn len(&self) -> usize {
        self.order.len()
    }

    pub fn is_empty(&self) -> bool {
        self.order.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sampler(shuffle: bool) -> SamplerPlan {
        SamplerPlan { batch_size: 4, shuffle, seed: 7, drop_last: false }
    }

    #[test]
    fn each_epoch_is_a_permutation_and_a_seed_repeats_it() {
        let mut first = BatchOrder::new(&sampler(true), 50);
        let mut again = BatchOrder::new(&sampler(true), 50);
        let epoch_1 = first.next_epoch().to_vec();
        let epoch_2 = first.next_epoch().to_vec();
        assert_ne!(epoch_1, epoch_2, "a new shuffle every epoch");
        let mut sorted = epoch_2.clone();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..50).collect::<Vec<i64>>());
        assert_eq!(again.next_epoch(), epoch_1.as_slice());
        assert_eq!(again.next_epoch(), epoch_2.as_slice());
    }

    #[test]
    fn without_shuffle_the_order_is_the_samples_order() {
        let mut order = BatchOrder::new(&sampler(false), 5);
        assert_eq!(order.next_epoch(), [0, 1, 2, 3, 4]);
        assert_eq!(order.next_epoch(), [0, 1, 2, 3, 4]);
    }
}
