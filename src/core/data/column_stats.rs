//! A CSV feature column's statistics, computed so that no finite input overflows them, and
//! its values standardised with them.

/// One feature's statistics, as standardisation used them: `(x − mean) / std`.
#[derive(Clone, Debug, PartialEq)]
pub struct ColumnStats {
    pub name: String,
    pub mean: f64,
    /// The population standard deviation (scikit-learn's `StandardScaler`).
    pub std: f64,
    pub min: f64,
    pub max: f64,
    /// The largest magnitude of the values (1 when all are 0): the statistics are computed on
    /// the values divided by it, so that no sum overflows.
    unit: f64,
    /// The mean and the standard deviation in those units.
    unit_mean: f64,
    unit_std: f64,
}

impl ColumnStats {
    /// The statistics of `values` (finite numbers), by Welford's update on the values divided
    /// by their largest magnitude: stable, and finite for every finite input.
    pub(crate) fn of(name: &str, values: impl Iterator<Item = f64> + Clone) -> Self {
        let magnitude = values.clone().fold(0.0_f64, |largest, value| largest.max(value.abs()));
        let unit = if magnitude > 0.0 { magnitude } else { 1.0 };
        let (mut count, mut unit_mean, mut squares) = (0.0_f64, 0.0_f64, 0.0_f64);
        let (mut min, mut max) = (f64::INFINITY, f64::NEG_INFINITY);
        for value in values {
            let x = value / unit;
            count += 1.0;
            let delta = x - unit_mean;
            unit_mean += delta / count;
            squares += delta * (x - unit_mean);
            (min, max) = (min.min(value), max.max(value));
        }
        let unit_std = if count > 0.0 { (squares / count).max(0.0).sqrt() } else { 0.0 };
        Self {
            name: name.to_owned(),
            mean: unit_mean * unit,
            std: unit_std * unit,
            min,
            max,
            unit,
            unit_mean,
            unit_std,
        }
    }

    /// `value` standardised: less the mean, over the standard deviation — or less the mean
    /// alone for a constant column (which then becomes all zeros, as `StandardScaler` makes
    /// it). Computed in the column's units, so no difference overflows.
    pub(crate) fn standardised(&self, value: f64) -> f64 {
        let centred = value / self.unit - self.unit_mean;
        if self.unit_std > 0.0 { centred / self.unit_std } else { centred }
    }

    /// The raw value that standardises to `standardised`: [`Self::standardised`] undone (a
    /// sample shown as the learner would have written it).
    pub fn raw(&self, standardised: f64) -> f64 {
        let centred = if self.unit_std > 0.0 { standardised * self.unit_std } else { standardised };
        (centred + self.unit_mean) * self.unit
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_standardised_value_goes_back_to_the_raw_one() {
        let stats = ColumnStats::of("height", [150.0, 172.5, 181.0, 1e6].into_iter());
        for value in [150.0, 172.5, -3.25, 1e6] {
            let back = stats.raw(stats.standardised(value));
            assert!((back - value).abs() <= 1e-9 * value.abs().max(1.0), "{value} → {back}");
        }
        let constant = ColumnStats::of("one", [4.0, 4.0].into_iter());
        assert_eq!(constant.raw(constant.standardised(4.0)), 4.0);
    }
}
