//! The order in which an epoch visits the training samples: BatchSampler's `shuffle` and
//! `seed`. The trainer and the exports draw it from here, so a program that replays it (the
//! PyTorch export's `--reproduce`) sees Kindling's batches exactly.
//!
//! Each epoch's order is the samples' order shuffled by a generator seeded from the
//! sampler's seed and the epoch's number alone, so any epoch's order is computed directly:
//! a run resumed after 100 000 epochs does not replay 100 000 shuffles.

use rand::SeedableRng;
use rand::rngs::StdRng;
use rand::seq::SliceRandom;

use super::plan::SamplerPlan;

/// The sample order of successive epochs.
#[derive(Debug)]
pub struct BatchOrder {
    order: Vec<i64>,
    seed: u64,
    shuffle: bool,
    /// Epochs started so far.
    epoch: u64,
}

impl BatchOrder {
    /// The order over `samples` training samples, before the first epoch.
    pub fn new(sampler: &SamplerPlan, samples: usize) -> Self {
        Self { order: (0..samples as i64).collect(), seed: sampler.seed, shuffle: sampler.shuffle, epoch: 0 }
    }

    /// Starts an epoch: shuffles (when the sampler shuffles) and returns the epoch's order.
    pub fn next_epoch(&mut self) -> &[i64] {
        self.epoch += 1;
        if self.shuffle {
            self.order.sort_unstable();
            // Each epoch its own stream: the seed and the epoch's number, mixed.
            let stream = self.seed ^ self.epoch.wrapping_mul(0x9E37_79B9_7F4A_7C15);
            self.order.shuffle(&mut StdRng::seed_from_u64(stream));
        }
        &self.order
    }

    /// Goes on after `epochs` epochs, as if each had started: the next [`Self::next_epoch`]
    /// gives epoch `epochs + 1`'s order. Takes no time, whatever `epochs` is.
    pub fn skip_to(&mut self, epochs: u64) {
        self.epoch = epochs;
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
    fn skipping_epochs_gives_the_orders_that_running_them_gives() {
        let mut run = BatchOrder::new(&sampler(true), 40);
        let orders: Vec<Vec<i64>> = (0..6).map(|_| run.next_epoch().to_vec()).collect();
        let mut resumed = BatchOrder::new(&sampler(true), 40);
        resumed.skip_to(4);
        assert_eq!(resumed.next_epoch(), orders[4].as_slice());
        assert_eq!(resumed.next_epoch(), orders[5].as_slice());
        // A trillion epochs in: no replay, so at once.
        let mut far = BatchOrder::new(&sampler(true), 40);
        far.skip_to(1_000_000_000_000);
        let mut sorted = far.next_epoch().to_vec();
        sorted.sort_unstable();
        assert_eq!(sorted, (0..40).collect::<Vec<i64>>());
    }

    #[test]
    fn without_shuffle_the_order_is_the_samples_order() {
        let mut order = BatchOrder::new(&sampler(false), 5);
        assert_eq!(order.next_epoch(), [0, 1, 2, 3, 4]);
        assert_eq!(order.next_epoch(), [0, 1, 2, 3, 4]);
    }
}
