//! Fewer points for a chart, with its peaks kept: a long run's series drawn at a bounded
//! cost, whatever its length.
//!
//! Min-max decimation: the points are cut into equal runs along x, and each run gives its
//! lowest and highest point, in x order. A spike of one epoch stays on the chart (an average
//! or every n-th point would lose it), and the line stays the same shape at the chart's
//! width, where a run of points takes a pixel or less.

/// The most points a chart line draws: two per run, about two runs per pixel of a chart
/// 360 pixels wide.
pub const MAX_CHART_POINTS: usize = 1200;

/// At most `max` points of `points` (sorted by x), keeping each run's lowest and highest y;
/// `points` itself when it has no more than `max`. The first and last points are kept.
pub fn decimate(points: &[(f64, f64)], max: usize) -> Vec<(f64, f64)> {
    let max = max.max(4);
    if points.len() <= max {
        return points.to_vec();
    }
    let (first, last) = (points[0], points[points.len() - 1]);
    let inner = &points[1..points.len() - 1];
    let runs = (max - 2) / 2;
    let mut kept = Vec::with_capacity(max);
    kept.push(first);
    for run in 0..runs {
        let slice = &inner[run * inner.len() / runs..(run + 1) * inner.len() / runs];
        let by_y = |a: &&(f64, f64), b: &&(f64, f64)| a.1.total_cmp(&b.1);
        let (Some(low), Some(high)) = (slice.iter().min_by(by_y), slice.iter().max_by(by_y)) else {
            continue;
        };
        if low.0 <= high.0 {
            kept.push(*low);
            if high != low {
                kept.push(*high);
            }
        } else {
            kept.push(*high);
            kept.push(*low);
        }
    }
    kept.push(last);
    kept
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_series_are_kept_whole() {
        let points: Vec<(f64, f64)> = (0..50).map(|x| (x as f64, (x * x) as f64)).collect();
        assert_eq!(decimate(&points, 100), points);
    }

    #[test]
    fn a_long_series_is_bounded_and_keeps_its_peaks_ends_and_order() {
        let mut points: Vec<(f64, f64)> = (1..=100_000).map(|x| (x as f64, 1.0 / x as f64)).collect();
        points[73_210].1 = 50.0;
        points[12_345].1 = -3.0;
        let kept = decimate(&points, MAX_CHART_POINTS);
        assert!(kept.len() <= MAX_CHART_POINTS, "{} points", kept.len());
        assert!(kept.len() > MAX_CHART_POINTS - 10, "{} points", kept.len());
        assert!(kept.contains(&points[73_210]), "the spike stays");
        assert!(kept.contains(&points[12_345]), "the dip stays");
        assert_eq!(kept.first(), points.first());
        assert_eq!(kept.last(), points.last());
        assert!(kept.windows(2).all(|pair| pair[0].0 < pair[1].0), "in x order");
    }
}
