//! How far judges agree, as `judging.md` asks: the disagreement flag on one entry
//! (its judges' `S_je` in a round span more than the round's threshold) and
//! Krippendorff's alpha over a whole closed round (interval metric, judges as coders,
//! entries as units, missing pairs allowed).
//!
//! Alpha follows the coincidence-matrix formulation of Krippendorff, "Computing
//! Krippendorff's Alpha-Reliability" (2011):
//!
//! ```text
//! α = 1 − D_o / D_e
//! D_o = 1/n · Σ_u Σ_{i≠j in u} δ²(v_i, v_j) / (m_u − 1)
//! D_e = 1/(n·(n − 1)) · Σ_{i≠j over all pairable values} δ²(v_i, v_j)
//! δ²(a, b) = (a − b)²   (interval metric)
//! ```
//!
//! where `m_u` is the number of values in unit `u` and `n = Σ m_u`, both over the
//! pairable units only (those with at least 2 values). For the interval metric
//! `Σ_{i≠j} (v_i − v_j)² = 2m · Σ (v_i − v̄)²`, which is what the code sums: it needs
//! no pairs and does not lose precision to cancellation.

use crate::scoring::comparable;
use std::collections::BTreeMap;

/// Krippendorff's alpha (interval). `values`: (unit, coder, value); at most one value
/// per (unit, coder) — duplicates: keep the last.
///
/// Non-finite values are ignored (a NaN would poison every sum). Units with fewer than
/// 2 values cannot be paired and do not count. `None` when fewer than 2 pairable
/// values remain, or when every pairable value is the same (see below).
pub fn alpha_interval<U: Ord + Copy, C: Ord + Copy>(values: &[(U, C, f64)]) -> Option<f64> {
    // One value per (unit, coder): a later value replaces an earlier one.
    let mut cells: BTreeMap<(U, C), f64> = BTreeMap::new();
    for &(u, c, v) in values {
        if v.is_finite() {
            cells.insert((u, c), v);
        }
    }
    let mut units: BTreeMap<U, Vec<f64>> = BTreeMap::new();
    for ((u, _), v) in cells {
        units.entry(u).or_default().push(v);
    }
    let pairable: Vec<Vec<f64>> = units.into_values().filter(|vs| vs.len() >= 2).collect();
    let all: Vec<f64> = pairable.iter().flatten().copied().collect();
    let n = all.len();
    if n < 2 {
        return None;
    }
    // Every value the same: D_e = 0 and D_o = 0, so α = 0/0. There is no variation
    // for the judges to agree or disagree about, and reporting 1 (or 0) would claim
    // something the data cannot show.
    let (lo, hi) = all
        .iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &v| {
            (lo.min(v), hi.max(v))
        });
    if lo == hi {
        return None;
    }
    let n = n as f64;
    // Σ_u Σ_{i≠j} δ² / (m_u − 1) = Σ_u 2·m_u·SS_u / (m_u − 1)
    let within: f64 = pairable
        .iter()
        .map(|vs| {
            let m = vs.len() as f64;
            2.0 * m * sum_of_squares(vs) / (m - 1.0)
        })
        .sum();
    // Σ_{i≠j} δ² over all pairable values = 2·n·SS
    let total = 2.0 * n * sum_of_squares(&all);
    if total <= 0.0 {
        // Distinct values always give SS > 0; kept so a division by 0 is impossible.
        return None;
    }
    let d_o = within / n;
    let d_e = total / (n * (n - 1.0));
    Some(1.0 - d_o / d_e)
}

/// Σ (v − v̄)².
fn sum_of_squares(vs: &[f64]) -> f64 {
    let mean = vs.iter().sum::<f64>() / vs.len() as f64;
    vs.iter().map(|v| (v - mean) * (v - mean)).sum()
}

/// Max minus min of the scores; `None` for fewer than 2.
pub fn span(scores: &[f64]) -> Option<f64> {
    if scores.len() < 2 {
        return None;
    }
    let lo = scores.iter().copied().fold(f64::INFINITY, f64::min);
    let hi = scores.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    Some(hi - lo)
}

/// `span > threshold`: the judges of one entry disagree (`judging.md`: more than 25
/// points by default, the round may set another threshold).
///
/// Both sides are compared after rounding to 6 decimals, like every score comparison
/// in `judging.md`: a span of 25 that comes out as 25.000000000000004 from the
/// arithmetic of `S_je` is exactly 25 and is not flagged.
pub fn disagrees(scores: &[f64], threshold: f64) -> bool {
    span(scores).is_some_and(|s| comparable(s) > comparable(threshold))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Krippendorff (2011), the reliability data with missing values: 4 coders A–D,
    /// 12 units (`.` = missing).
    fn textbook() -> Vec<(u32, char, f64)> {
        let rows = [
            ('A', "1 2 3 3 2 1 4 1 2 . . ."),
            ('B', "1 2 3 3 2 2 4 1 2 5 . 3"),
            ('C', ". 3 3 3 2 3 4 2 2 5 1 ."),
            ('D', "1 2 3 3 2 4 4 1 2 5 1 ."),
        ];
        let mut out = Vec::new();
        for (coder, row) in rows {
            for (unit, v) in (1..).zip(row.split(' ')) {
                if v != "." {
                    out.push((unit, coder, v.parse::<f64>().expect("a number")));
                }
            }
        }
        out
    }

    #[test]
    fn krippendorffs_textbook_example_gives_the_published_interval_alpha() {
        // Unit 12 has one value (B: 3): not pairable. The other 11 units give
        // n = 3 + 4·8 + 3 + 2 = 40 pairable values.
        // Within units, Σ m_u·SS_u/(m_u − 1):
        //   unit 1 (1,1,1): 0; unit 2 (2,3,2,2): SS = 0.75, 4·0.75/3 = 1;
        //   units 3,4,5,7,9,10,11: 0; unit 6 (1,2,3,4): SS = 5, 4·5/3 = 20/3;
        //   unit 8 (1,2,1,1): SS = 0.75, 1.
        //   Sum = 26/3.
        // All 40 values: Σv = 100, Σv² = 306, SS = 306 − 100²/40 = 56.
        // α = 1 − (n − 1)·Σ / (n·SS) = 1 − 39·(26/3) / (40·56) = 1 − 338/2240
        //   = 0.84921… — Krippendorff publishes α_interval = 0.849.
        let a = alpha_interval(&textbook()).expect("alpha");
        assert!((a - 0.849).abs() < 0.0005, "{a}");
        assert!((a - (1.0 - 338.0 / 2240.0)).abs() < 1e-12, "{a}");
    }

    #[test]
    fn perfect_agreement_is_one() {
        // Every judge gives each entry the same score; entries differ.
        let values = [
            (1, 'a', 40.0),
            (1, 'b', 40.0),
            (2, 'a', 70.0),
            (2, 'b', 70.0),
            (2, 'c', 70.0),
            (3, 'b', 90.0),
            (3, 'c', 90.0),
        ];
        // D_o = 0, D_e > 0 → α = 1.
        assert_eq!(alpha_interval(&values), Some(1.0));
    }

    #[test]
    fn all_values_equal_has_no_alpha() {
        // D_o = D_e = 0: nothing to agree about.
        let values = [(1, 'a', 0.1), (1, 'b', 0.1), (2, 'a', 0.1), (2, 'b', 0.1)];
        assert_eq!(alpha_interval(&values), None);
    }

    #[test]
    fn fewer_than_two_pairable_values_has_no_alpha() {
        assert_eq!(alpha_interval::<u32, char>(&[]), None);
        // Three units, one value each: nothing to pair.
        assert_eq!(
            alpha_interval(&[(1, 'a', 10.0), (2, 'a', 20.0), (3, 'b', 30.0)]),
            None
        );
    }

    #[test]
    fn a_unit_with_one_value_is_ignored() {
        let base = textbook();
        let before = alpha_interval(&base).expect("alpha");
        let mut more = base;
        // Unit 13, scored by A alone, with a value far from the rest.
        more.push((13, 'A', 100.0));
        assert_eq!(alpha_interval(&more), Some(before));
    }

    #[test]
    fn duplicates_keep_the_last_value() {
        // (1, a) first 10, then 40: the 40 counts, so both units agree → α = 1.
        let values = [
            (1, 'a', 10.0),
            (1, 'b', 40.0),
            (2, 'a', 80.0),
            (2, 'b', 80.0),
            (1, 'a', 40.0),
        ];
        assert_eq!(alpha_interval(&values), Some(1.0));
    }

    #[test]
    fn systematic_disagreement_gives_a_negative_alpha() {
        // Judge a: 1 2 3 4, judge b: 4 3 2 1 on the same four entries.
        // n = 8. Within units: Σ m·SS/(m − 1) = 2·(4.5 + 0.5 + 0.5 + 4.5) = 20.
        // All values: mean 2.5, SS = 2·(2.25 + 0.25 + 0.25 + 2.25) = 10.
        // α = 1 − 7·20 / (8·10) = 1 − 1.75 = −0.75.
        let values = [
            (1, 'a', 1.0),
            (2, 'a', 2.0),
            (3, 'a', 3.0),
            (4, 'a', 4.0),
            (1, 'b', 4.0),
            (2, 'b', 3.0),
            (3, 'b', 2.0),
            (4, 'b', 1.0),
        ];
        let a = alpha_interval(&values).expect("alpha");
        assert!((a - (-0.75)).abs() < 1e-12, "{a}");
    }

    #[test]
    fn span_and_disagreement_at_the_threshold_edge() {
        assert_eq!(span(&[]), None);
        assert_eq!(span(&[70.0]), None);
        assert_eq!(span(&[60.0, 85.0, 70.0]), Some(25.0));
        // Exactly 25 is not "more than 25".
        assert!(!disagrees(&[60.0, 85.0, 70.0], 25.0));
        // 25.000001 is.
        assert!(disagrees(&[60.0, 85.000_001], 25.0));
        // One sheet cannot disagree with itself.
        assert!(!disagrees(&[100.0], 25.0));
        // A round may set another threshold.
        assert!(disagrees(&[60.0, 85.0], 10.0));
        // Float noise from S_je arithmetic is not a disagreement: the raw span here is
        // 25.000000000000004, which is 25 at 6 decimals.
        let noisy = [0.1 + 0.2, 25.3 + 4e-15];
        assert!(span(&noisy).is_some_and(|s| s > 25.0));
        assert!(!disagrees(&noisy, 25.0));
    }
}
