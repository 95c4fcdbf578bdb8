//! From score sheets to round scores, exactly as `judging.md` says: `mean`,
//! `trimmed_mean` and `judge_normalised`, with population standard deviations. Only
//! submitted sheets ever reach these functions; an entry without a sheet has no score
//! (it is absent from the result, never 0).

use crate::Error;
use crate::Message;
use crate::ids::{EntryId, UserId};
use crate::round::Aggregation;
use std::collections::BTreeMap;

/// One submitted sheet's `S_je`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SheetScore {
    pub entry: EntryId,
    pub judge: UserId,
    pub s: f64,
}

fn mean(xs: &[f64]) -> f64 {
    xs.iter().sum::<f64>() / xs.len() as f64
}

/// Population standard deviation (divide by n).
pub fn pop_std(xs: &[f64]) -> f64 {
    if xs.is_empty() {
        return 0.0;
    }
    let m = mean(xs);
    (xs.iter().map(|x| (x - m) * (x - m)).sum::<f64>() / xs.len() as f64).sqrt()
}

/// Each scored entry's round score under `method`.
pub fn round_scores(method: Aggregation, sheets: &[SheetScore]) -> BTreeMap<EntryId, f64> {
    let mut by_entry: BTreeMap<EntryId, Vec<f64>> = BTreeMap::new();
    match method {
        Aggregation::Mean | Aggregation::TrimmedMean => {
            for sh in sheets {
                by_entry.entry(sh.entry).or_default().push(sh.s);
            }
        }
        Aggregation::JudgeNormalised => {
            let all: Vec<f64> = sheets.iter().map(|s| s.s).collect();
            if all.is_empty() {
                return BTreeMap::new();
            }
            let (mu, sigma) = (mean(&all), pop_std(&all));
            let mut by_judge: BTreeMap<UserId, Vec<f64>> = BTreeMap::new();
            for sh in sheets {
                by_judge.entry(sh.judge).or_default().push(sh.s);
            }
            let stats: BTreeMap<UserId, (usize, f64, f64)> = by_judge
                .iter()
                .map(|(j, xs)| (*j, (xs.len(), mean(xs), pop_std(xs))))
                .collect();
            for sh in sheets {
                let (n, mu_j, sigma_j) = stats.get(&sh.judge).copied().unwrap_or((0, mu, 0.0));
                let normalised = if n >= 2 && sigma_j > 0.0 {
                    mu + sigma * (sh.s - mu_j) / sigma_j
                } else {
                    sh.s - mu_j + mu
                };
                by_entry.entry(sh.entry).or_default().push(normalised);
            }
        }
    }
    by_entry
        .into_iter()
        .map(|(e, mut xs)| {
            if method == Aggregation::TrimmedMean && xs.len() >= 4 {
                xs.sort_by(f64::total_cmp);
                xs.remove(0);
                xs.pop();
            }
            (e, mean(&xs))
        })
        .collect()
}

/// A score as compared: rounded to 6 decimals (`judging.md`).
pub fn comparable(score: f64) -> i64 {
    (score * 1e6).round() as i64
}

/// The entries that advance: those ranked `top_n` or better (ties at the boundary all
/// advance, standard competition ranking), or those at or above `min_score`.
pub fn advancing(scores: &[(EntryId, f64)], rule: AdvanceRule) -> Vec<EntryId> {
    match rule {
        AdvanceRule::TopN(n) => {
            let mut sorted: Vec<(EntryId, i64)> =
                scores.iter().map(|(e, s)| (*e, comparable(*s))).collect();
            sorted.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
            let mut out = Vec::new();
            for (i, (e, s)) in sorted.iter().enumerate() {
                // Rank = 1 + the number of entries strictly better.
                let rank = 1 + sorted[..i].iter().filter(|(_, t)| t > s).count();
                if rank <= n {
                    out.push(*e);
                }
            }
            out
        }
        AdvanceRule::MinScore(min) => scores
            .iter()
            .filter(|(_, s)| comparable(*s) >= comparable(min))
            .map(|(e, _)| *e)
            .collect(),
    }
}

/// How entries advance to the next round.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum AdvanceRule {
    TopN(usize),
    MinScore(f64),
}

impl AdvanceRule {
    /// The rule an organiser chose: exactly one of the best `top_n_per_track` (1 or
    /// more) or every entry with at least `min_score` (0–100).
    pub fn choose(top_n_per_track: Option<usize>, min_score: Option<f64>) -> Result<Self, Error> {
        match (top_n_per_track, min_score) {
            (Some(n), None) if n >= 1 => Ok(AdvanceRule::TopN(n)),
            (None, Some(s)) if s.is_finite() && (0.0..=100.0).contains(&s) => {
                Ok(AdvanceRule::MinScore(s))
            }
            _ => Err(Error::invalid(
                "top_n_per_track",
                "one_rule",
                Message::new("field.scoring.one_rule"),
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids<T: Default + Copy, const N: usize>(mk: impl Fn() -> T) -> [T; N] {
        let mut out = [T::default(); N];
        for o in &mut out {
            *o = mk();
        }
        out
    }

    fn close(a: f64, b: f64) -> bool {
        (a - b).abs() < 1e-9
    }

    #[test]
    fn mean_is_the_plain_average_and_unscored_entries_are_absent() {
        let [e1, e2] = ids::<EntryId, 2>(EntryId::new);
        let [j1, j2] = ids::<UserId, 2>(UserId::new);
        let sheets = [
            SheetScore {
                entry: e1,
                judge: j1,
                s: 80.0,
            },
            SheetScore {
                entry: e1,
                judge: j2,
                s: 70.0,
            },
        ];
        let r = round_scores(Aggregation::Mean, &sheets);
        assert!(close(r[&e1], 75.0));
        assert!(!r.contains_key(&e2), "no sheet: no score, not 0");
    }

    #[test]
    fn trimmed_mean_drops_one_highest_and_one_lowest_from_four_sheets() {
        let [e] = ids::<EntryId, 1>(EntryId::new);
        let js = ids::<UserId, 4>(UserId::new);
        let four: Vec<SheetScore> = [90.0, 60.0, 70.0, 20.0]
            .iter()
            .zip(js)
            .map(|(s, j)| SheetScore {
                entry: e,
                judge: j,
                s: *s,
            })
            .collect();
        // Drop 90 and 20: (60 + 70) / 2 = 65.
        assert!(close(
            round_scores(Aggregation::TrimmedMean, &four)[&e],
            65.0
        ));
        // Three sheets: the plain mean (90 + 60 + 70) / 3 = 73.333…
        assert!(close(
            round_scores(Aggregation::TrimmedMean, &four[..3])[&e],
            220.0 / 3.0
        ));
    }

    #[test]
    fn judge_normalised_by_hand() {
        // Judge A is harsh (40, 60), judge B lenient (80, 100), judge C scored once (50).
        let [e1, e2, e3] = ids::<EntryId, 3>(EntryId::new);
        let [a, b, c] = ids::<UserId, 3>(UserId::new);
        let sheets = [
            SheetScore {
                entry: e1,
                judge: a,
                s: 40.0,
            },
            SheetScore {
                entry: e2,
                judge: a,
                s: 60.0,
            },
            SheetScore {
                entry: e1,
                judge: b,
                s: 80.0,
            },
            SheetScore {
                entry: e2,
                judge: b,
                s: 100.0,
            },
            SheetScore {
                entry: e3,
                judge: c,
                s: 50.0,
            },
        ];
        // All five: μ = 330/5 = 66; σ² = (26² + 6² + 14² + 34² + 16²)/5 = (676+36+196+1156+256)/5 = 464
        let mu = 66.0;
        let sigma = 464.0_f64.sqrt();
        // A: μ_A = 50, σ_A = 10 → N(40) = μ − σ, N(60) = μ + σ. B likewise: N(80) = μ − σ, N(100) = μ + σ.
        // C has one sheet: N = 50 − 50 + 66 = 66.
        let r = round_scores(Aggregation::JudgeNormalised, &sheets);
        assert!(close(r[&e1], mu - sigma), "{} vs {}", r[&e1], mu - sigma);
        assert!(close(r[&e2], mu + sigma));
        assert!(close(r[&e3], 66.0));
    }

    #[test]
    fn a_judge_with_equal_scores_is_shifted_not_scaled() {
        let [e1, e2] = ids::<EntryId, 2>(EntryId::new);
        let [a, b] = ids::<UserId, 2>(UserId::new);
        let sheets = [
            SheetScore {
                entry: e1,
                judge: a,
                s: 70.0,
            },
            SheetScore {
                entry: e2,
                judge: a,
                s: 70.0,
            },
            SheetScore {
                entry: e1,
                judge: b,
                s: 50.0,
            },
            SheetScore {
                entry: e2,
                judge: b,
                s: 90.0,
            },
        ];
        // μ = 70, σ = √((0+0+400+400)/4) = √200. A: σ_A = 0 → N = 70 − 70 + 70 = 70 for both.
        // B: μ_B = 70, σ_B = 20 → N(50) = 70 + √200·(−1), N(90) = 70 + √200.
        let r = round_scores(Aggregation::JudgeNormalised, &sheets);
        let s200 = 200.0_f64.sqrt();
        assert!(close(r[&e1], (70.0 + 70.0 - s200) / 2.0));
        assert!(close(r[&e2], (70.0 + 70.0 + s200) / 2.0));
    }

    #[test]
    fn top_n_keeps_ties_at_the_boundary() {
        let es = ids::<EntryId, 5>(EntryId::new);
        let scores = vec![
            (es[0], 90.0),
            (es[1], 80.0),
            (es[2], 80.000_000_1),
            (es[3], 70.0),
            (es[4], 60.0),
        ];
        // 80 and 80.0000001 are equal after rounding to 6 decimals: ranks 1, 2, 2, 4, 5.
        let top2 = advancing(&scores, AdvanceRule::TopN(2));
        assert_eq!(top2.len(), 3);
        assert!(top2.contains(&es[1]) && top2.contains(&es[2]));
        let top1 = advancing(&scores, AdvanceRule::TopN(1));
        assert_eq!(top1, vec![es[0]]);
        let min = advancing(&scores, AdvanceRule::MinScore(70.0));
        assert_eq!(min.len(), 4);
    }

    #[test]
    fn exactly_one_advance_rule_is_chosen() {
        assert_eq!(
            AdvanceRule::choose(Some(3), None).ok(),
            Some(AdvanceRule::TopN(3))
        );
        assert_eq!(
            AdvanceRule::choose(None, Some(70.0)).ok(),
            Some(AdvanceRule::MinScore(70.0))
        );
        for (n, s) in [
            (None, None),
            (Some(2), Some(50.0)),
            (Some(0), None),
            (None, Some(100.5)),
            (None, Some(f64::NAN)),
        ] {
            assert!(AdvanceRule::choose(n, s).is_err(), "{n:?} {s:?}");
        }
    }

    #[test]
    fn population_standard_deviation() {
        assert!(close(
            pop_std(&[2.0, 4.0, 4.0, 4.0, 5.0, 5.0, 7.0, 9.0]),
            2.0
        ));
        assert_eq!(pop_std(&[]), 0.0);
    }
}
