//! A series kept at a bounded size however long it grows: what a sweep keeps of each trial's
//! curve, so that memory and drawing cost the same after a trial's 100th epoch as after its
//! 100 000th.
//!
//! The points go into buckets of `width` consecutive points, each keeping its lowest and
//! highest point (min-max, as [`decimate`](super::decimate) does for a whole series, so a
//! spike stays on the chart). When the buckets are all full, neighbours merge in pairs and the
//! width doubles: a push costs O(1) amortised, and the curve never holds more than
//! `2 × max_buckets + 2` points.

/// A point: x (the epoch) and y.
pub type Point = (f64, f64);

/// One bucket's lowest and highest point (the same point when it holds one).
#[derive(Clone, Copy, Debug, PartialEq)]
struct Bucket {
    low: Point,
    high: Point,
}

impl Bucket {
    fn merged(self, other: Bucket) -> Bucket {
        Bucket {
            low: if other.low.1 < self.low.1 { other.low } else { self.low },
            high: if other.high.1 > self.high.1 { other.high } else { self.high },
        }
    }
}

/// A series of points in x order, bounded.
#[derive(Clone, Debug, PartialEq)]
pub struct BoundedCurve {
    /// Bucket `i` holds points `i × width` to `(i + 1) × width − 1`; `None` when none of
    /// them could be drawn.
    buckets: Vec<Option<Bucket>>,
    /// Points per bucket (a power of two).
    width: usize,
    /// Points pushed.
    pushed: usize,
    max_buckets: usize,
    first: Option<Point>,
    last: Option<Point>,
}

impl BoundedCurve {
    /// The buckets a sweep's trial keeps: about two per pixel of the sweep chart.
    pub const TRIAL_BUCKETS: usize = 256;

    /// An empty curve of at most `max_buckets` buckets (rounded up to an even number, at least 2).
    pub fn new(max_buckets: usize) -> Self {
        let max_buckets = max_buckets.max(2).next_multiple_of(2);
        Self { buckets: Vec::new(), width: 1, pushed: 0, max_buckets, first: None, last: None }
    }

    /// Adds the point after the last. A point whose y is not finite is left out (it cannot
    /// be drawn), though it counts as pushed.
    pub fn push(&mut self, point: Point) {
        let position = self.pushed;
        self.pushed += 1;
        while position / self.width >= self.max_buckets {
            self.halve();
        }
        let index = position / self.width;
        if self.buckets.len() <= index {
            self.buckets.resize(index + 1, None);
        }
        if !point.1.is_finite() {
            return;
        }
        self.first.get_or_insert(point);
        self.last = Some(point);
        let bucket = Bucket { low: point, high: point };
        let slot = &mut self.buckets[index];
        *slot = Some(slot.map_or(bucket, |kept| kept.merged(bucket)));
    }

    /// Merges the buckets in pairs and doubles their width.
    fn halve(&mut self) {
        self.buckets = self
            .buckets
            .chunks(2)
            .map(|pair| match pair {
                [Some(a), Some(b)] => Some(a.merged(*b)),
                [a, b] => a.or(*b),
                [a] => *a,
                _ => None,
            })
            .collect();
        self.width *= 2;
    }

    /// The points kept, in x order: each bucket's lowest and highest, the first and the last.
    pub fn points(&self) -> Vec<Point> {
        let mut points = Vec::with_capacity(self.buckets.len() * 2 + 2);
        points.extend(self.first);
        for bucket in self.buckets.iter().flatten() {
            let (a, b) = if bucket.low.0 <= bucket.high.0 {
                (bucket.low, bucket.high)
            } else {
                (bucket.high, bucket.low)
            };
            for point in [a, b] {
                if points.last().is_none_or(|last: &Point| last.0 < point.0) {
                    points.push(point);
                }
            }
        }
        if let Some(last) = self.last
            && points.last().is_none_or(|kept| kept.0 < last.0)
        {
            points.push(last);
        }
        points
    }

    /// The number of points pushed (those left out included).
    pub fn len(&self) -> usize {
        self.pushed
    }

    pub fn is_empty(&self) -> bool {
        self.pushed == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn curve_of(ys: impl IntoIterator<Item = f64>, max_buckets: usize) -> BoundedCurve {
        let mut curve = BoundedCurve::new(max_buckets);
        for (x, y) in ys.into_iter().enumerate() {
            curve.push(((x + 1) as f64, y));
        }
        curve
    }

    #[test]
    fn a_short_curve_is_kept_whole() {
        let ys = [0.5, 0.2, 0.9, 0.1];
        let curve = curve_of(ys, 8);
        assert_eq!(curve.points(), vec![(1.0, 0.5), (2.0, 0.2), (3.0, 0.9), (4.0, 0.1)]);
        assert_eq!(curve.len(), 4);
    }

    #[test]
    fn a_long_curve_stays_bounded_in_order_with_its_peaks_and_ends() {
        let n = 100_000;
        let mut ys: Vec<f64> = (1..=n).map(|x| 1.0 / x as f64).collect();
        ys[73_210] = 50.0;
        ys[12_345] = -3.0;
        let curve = curve_of(ys.iter().copied(), 64);
        let points = curve.points();
        assert!(points.len() <= 2 * 64 + 2, "{} points", points.len());
        assert!(points.windows(2).all(|pair| pair[0].0 < pair[1].0), "in x order, no repeats");
        assert_eq!(points.first(), Some(&(1.0, 1.0)));
        assert_eq!(points.last(), Some(&(n as f64, 1.0 / n as f64)));
        assert!(points.contains(&(73_211.0, 50.0)), "the spike is kept");
        assert!(points.contains(&(12_346.0, -3.0)), "the dip is kept");
        assert_eq!(curve.len(), n);
    }

    #[test]
    fn what_it_keeps_is_the_same_however_it_grew_to_it() {
        // Merging in pairs gives the buckets a fresh curve of the final width would have.
        let ys: Vec<f64> = (0..1000).map(|x| ((x * 37) % 101) as f64).collect();
        let curve = curve_of(ys.iter().copied(), 16);
        let points = curve.points();
        let width = ys.len().div_ceil(16).next_power_of_two();
        for chunk in ys.chunks(width) {
            let low = chunk.iter().copied().fold(f64::INFINITY, f64::min);
            let high = chunk.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            assert!(points.iter().any(|p| p.1 == low) && points.iter().any(|p| p.1 == high));
        }
    }

    #[test]
    fn values_that_cannot_be_drawn_are_left_out_but_counted() {
        let curve = curve_of([0.3, f64::NAN, f64::INFINITY, 0.1], 8);
        assert_eq!(curve.points(), vec![(1.0, 0.3), (4.0, 0.1)]);
        assert_eq!(curve.len(), 4);
        let mut ys = vec![f64::NAN; 5000];
        ys.extend([2.0, 1.0]);
        let points = curve_of(ys, 8).points();
        assert_eq!(points, vec![(5001.0, 2.0), (5002.0, 1.0)], "a long gap moves nothing");
    }
}
