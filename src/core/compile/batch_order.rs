//! The order in which an epoch visits the training samples: BatchSampler's `shuffle` and
//! `seed`. The trainer and the exports draw it from here, so a program that replays it (the
//! PyTorch export's `--reproduce`) sees Kindling's batches exactly.
//!
//! Each epoch shuffles the previous epoch's order with a generator seeded once, so an epoch's
//! order depends on every shuffle before it. A checkpoint stores where the sequence stands
//! ([`OrderState`]: the order and the generator's state), and a run restored from it goes on
//! with the next epoch's shuffle without replaying the ones before.

use rand::SeedableRng;
use rand::rngs::ChaCha12Rng;
use rand::seq::SliceRandom;
use serde::{Deserialize, Serialize};

use crate::core::compile::plan::SamplerPlan;

/// The sample order of successive epochs.
#[derive(Debug)]
pub struct BatchOrder {
    order: Vec<i64>,
    /// rand's `StdRng` is this generator; it is named here because its state is stored.
    rng: ChaCha12Rng,
    shuffle: bool,
}

/// Where a [`BatchOrder`] stands, as checkpoints store it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct OrderState {
    /// The latest epoch's order.
    pub order: Vec<u32>,
    /// The generator's state (`ChaCha12Rng::serialize_state`: seed, stream, position).
    pub generator: Vec<u8>,
}

impl BatchOrder {
    /// The order over `samples` training samples, before the first epoch.
    pub fn new(sampler: &SamplerPlan, samples: usize) -> Self {
        Self {
            order: (0..samples as i64).collect(),
            rng: ChaCha12Rng::seed_from_u64(sampler.seed),
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

    /// Where the sequence stands.
    pub fn state(&self) -> OrderState {
        OrderState {
            order: self.order.iter().map(|&index| index as u32).collect(),
            generator: self.rng.serialize_state().to_vec(),
        }
    }

    /// The sequence of `sampler` over `samples` samples going on from `state`.
    ///
    /// # Errors
    /// A sentence when `state` is not an order of `samples` samples, or its generator's
    /// state is not one.
    pub fn restore(sampler: &SamplerPlan, samples: usize, state: &OrderState) -> Result<Self, String> {
        if state.order.len() != samples {
            return Err(text!("compile-order-other-samples", ordered = state.order.len(), samples = samples));
        }
        let mut seen = vec![false; samples];
        for &index in &state.order {
            match seen.get_mut(index as usize) {
                Some(seen) if !*seen => *seen = true,
                _ => return Err(text!("compile-order-not-an-order")),
            }
        }
        let generator: &[u8; 49] =
            state.generator.as_slice().try_into().map_err(|_| text!("compile-order-generator-damaged"))?;
        Ok(Self {
            order: state.order.iter().map(|&index| i64::from(index)).collect(),
            rng: ChaCha12Rng::deserialize_state(generator),
            shuffle: sampler.shuffle,
        })
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
    fn the_order_is_std_rngs() {
        // StdRng is ChaCha12: runs keep the batches they had before the generator was named.
        use rand::rngs::StdRng;
        let mut order = BatchOrder::new(&sampler(true), 50);
        let mut expected: Vec<i64> = (0..50).collect();
        let mut rng = StdRng::seed_from_u64(7);
        for _ in 0..3 {
            expected.shuffle(&mut rng);
            assert_eq!(order.next_epoch(), expected.as_slice());
        }
    }

    #[test]
    fn a_restored_order_goes_on_as_the_uninterrupted_one() {
        let mut uninterrupted = BatchOrder::new(&sampler(true), 50);
        let mut first = BatchOrder::new(&sampler(true), 50);
        for _ in 0..5 {
            uninterrupted.next_epoch();
            first.next_epoch();
        }
        let mut restored = BatchOrder::restore(&sampler(true), 50, &first.state()).unwrap();
        for _ in 0..5 {
            assert_eq!(restored.next_epoch(), uninterrupted.next_epoch());
        }
    }

    #[test]
    fn a_state_that_does_not_fit_is_refused() {
        let state = BatchOrder::new(&sampler(true), 5).state();
        assert!(BatchOrder::restore(&sampler(true), 6, &state).unwrap_err().contains("orders 5 samples"));
        let repeated = OrderState { order: vec![0, 1, 1, 3, 4], ..state.clone() };
        assert!(BatchOrder::restore(&sampler(true), 5, &repeated).is_err());
        let outside = OrderState { order: vec![0, 1, 2, 3, 9], ..state.clone() };
        assert!(BatchOrder::restore(&sampler(true), 5, &outside).is_err());
        let short = OrderState { generator: vec![0; 12], ..state };
        assert!(BatchOrder::restore(&sampler(true), 5, &short).unwrap_err().contains("generator"));
    }

    #[test]
    fn without_shuffle_the_order_is_the_samples_order() {
        let mut order = BatchOrder::new(&sampler(false), 5);
        assert_eq!(order.next_epoch(), [0, 1, 2, 3, 4]);
        assert_eq!(order.next_epoch(), [0, 1, 2, 3, 4]);
    }
}
