//! The final ranking of an edition, from its rounds' submitted sheets, exactly as
//! `judging.md` says: round scores, weighted across rounds, ranked per track (and per
//! field where the edition says so), ties broken by the criteria of the deciding round
//! and, where still equal, shared and flagged for the organiser.
//!
//! `judging.md` leaves some points open; they are settled here:
//!
//! - **Round weights.** `ρ_r` defaults to 1 for the last round — the round with the
//!   highest position among the rounds passed in (all of them, should several share
//!   it) — and 0 for every earlier round. `weight: Some(w)` overrides the default; a
//!   weight that is negative or not finite (round settings forbid both) counts as 0.
//! - **Reached.** An entry reached a round when it is in that round's entry list.
//!   Sheets of entries outside the list still count towards the round's aggregation
//!   (`judge_normalised` looks at each judge's whole round), but such an entry is not
//!   reported in that round.
//! - **Final score.** `Σ ρ_r · score_r / Σ ρ_r` over the rounds the entry reached with
//!   `ρ_r > 0` in which it has a score. When that set is empty (it was eliminated in a
//!   round of weight 0, say) the final score is its score in the last round it reached
//!   that gave it one, so eliminated entries still order among themselves. An entry
//!   with no score in any round is "not scored": no final score, no rank, never 0.
//! - **Order inside a group.** (1) Furthest round reached (by position), descending;
//!   (2) final score, compared at 6 decimals ([`comparable`]), descending; (3) the
//!   tie-break vector, lexicographically, each component compared at 6 decimals,
//!   descending; (4) entries still equal share a rank (standard competition ranking:
//!   1, 2, 2, 4) and each carries `tie = true`. Tied entries are listed by entry id.
//!   Not-scored entries come last, by entry id, with `rank: None`.
//! - **Tie-break vector.** Taken from the deciding round: the last round the entry
//!   reached (entries that are still tied reached the same one). For each criterion of
//!   that round's rubric, largest weight first and equal weights in rubric order
//!   ([`tiebreak_criteria`]): the mean over the entry's submitted sheets in that round
//!   of `(x_c − min_c)/(max_c − min_c)`. No sheet in that round: an empty vector, which
//!   sorts after any non-empty one.
//! - **Groups.** `PerTrack` groups by track, `PerTrackAndField` by (track, field).
//!   Groups are listed by (track, field), `None` first.
//! - **Disagreement.** A round flags an entry when its judges' `S_je` span more than
//!   the round's `disagreement_threshold` ([`crate::agreement::disagrees`]).

use crate::agreement::disagrees;
use crate::edition::RankingScope;
use crate::ids::{CriterionId, EntryId, FieldId, RoundId, TrackId, UserId};
use crate::round::Round;
use crate::rubric::{Criterion, Rubric};
use crate::scoring::{SheetScore, comparable, round_scores};
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// One submitted sheet: one judge's values for one entry. Only submitted sheets may be
/// passed in (`judging.md`: only submitted sheets count).
#[derive(Debug, Clone, PartialEq)]
pub struct SubmittedSheet {
    pub entry: EntryId,
    pub judge: UserId,
    /// One value per criterion of the round's rubric.
    pub values: Vec<(CriterionId, i32)>,
}

/// One round as the ranking needs it: its settings, the entries that reached it and
/// its submitted sheets.
#[derive(Debug, Clone, PartialEq)]
pub struct RoundInput<'a> {
    pub round: &'a Round,
    /// The entries that reached this round.
    pub entries: Vec<EntryId>,
    pub sheets: Vec<SubmittedSheet>,
}

/// An entry to rank, and where it is ranked.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EntryInfo {
    pub id: EntryId,
    pub track: Option<TrackId>,
    pub field: Option<FieldId>,
}

/// An entry's result in one round it reached.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RoundScore {
    pub round_id: RoundId,
    /// The round score under the round's aggregation; `None`: no submitted sheet.
    pub score: Option<f64>,
    /// Each submitted sheet's `S_je`, by judge id.
    pub judge_scores: Vec<(UserId, f64)>,
    /// The judges' `S_je` span more than the round's disagreement threshold.
    pub flagged: bool,
}

/// One entry's place in the final ranking.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RankedEntry {
    pub entry_id: EntryId,
    /// Standard competition rank (1, 2, 2, 4); `None`: not scored.
    pub rank: Option<u32>,
    /// `None`: not scored (never 0).
    pub final_score: Option<f64>,
    /// The position of the furthest round the entry reached.
    pub reached_position: Option<i32>,
    /// Every round the entry reached, in position order.
    pub rounds: Vec<RoundScore>,
    /// Mean normalised score per criterion of the deciding round, in
    /// [`tiebreak_criteria`] order; empty when it has no sheet there.
    pub tiebreak: Vec<f64>,
    /// Shares its rank with another entry: the organiser records a decision.
    pub tie: bool,
}

/// The ranking of one track (or one track and field).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RankGroup {
    pub track_id: Option<TrackId>,
    /// Always `None` when the edition ranks per track only.
    pub field_id: Option<FieldId>,
    pub entries: Vec<RankedEntry>,
}

/// The final ranking of an edition.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Ranking {
    pub groups: Vec<RankGroup>,
    /// How many tied sets (not tied entries) there are, over all groups.
    pub ties: usize,
}

/// The effective weight of each round (default rule applied), by round id, in the
/// order given.
pub fn round_weights(rounds: &[&Round]) -> Vec<(RoundId, f64)> {
    let last = rounds.iter().map(|r| r.position).max();
    rounds
        .iter()
        .map(|r| {
            let w = match r.weight {
                Some(w) if w.is_finite() && w >= 0.0 => w,
                // Settings forbid these; counting them as 0 keeps a NaN or a negative
                // weight from poisoning every final score.
                Some(_) => 0.0,
                None if Some(r.position) == last => 1.0,
                None => 0.0,
            };
            (r.id, w)
        })
        .collect()
}

/// The criteria of a rubric in tie-break order: largest weight first, equal weights in
/// rubric order. This is the order of [`RankedEntry::tiebreak`].
pub fn tiebreak_criteria(rubric: &Rubric) -> Vec<&Criterion> {
    let mut order: Vec<&Criterion> = rubric.criteria.iter().collect();
    // A stable sort: equal weights keep their rubric order.
    order.sort_by(|a, b| b.weight.total_cmp(&a.weight));
    order
}

/// The final ranking: every entry in `entries`, grouped by `scope`, ranked over
/// `rounds` (in any order).
pub fn final_ranking(
    entries: &[EntryInfo],
    rounds: &[RoundInput<'_>],
    scope: RankingScope,
) -> Ranking {
    let mut ordered: Vec<&RoundInput<'_>> = rounds.iter().collect();
    ordered.sort_by_key(|r| (r.round.position, r.round.id));
    let refs: Vec<&Round> = ordered.iter().map(|r| r.round).collect();
    let evaluated: Vec<Evaluated<'_>> = ordered
        .iter()
        .zip(round_weights(&refs))
        .map(|(input, (_, weight))| evaluate(input, weight))
        .collect();

    let mut groups: BTreeMap<(Option<TrackId>, Option<FieldId>), Vec<RankedEntry>> =
        BTreeMap::new();
    let mut seen = BTreeSet::new();
    for info in entries {
        // The same entry twice would rank against itself.
        if !seen.insert(info.id) {
            continue;
        }
        let key = match scope {
            RankingScope::PerTrack => (info.track, None),
            RankingScope::PerTrackAndField => (info.track, info.field),
        };
        groups
            .entry(key)
            .or_default()
            .push(entry_result(info.id, &evaluated));
    }

    let mut ties = 0;
    let groups = groups
        .into_iter()
        .map(|((track_id, field_id), list)| {
            let (entries, tied_sets) = rank_group(list);
            ties += tied_sets;
            RankGroup {
                track_id,
                field_id,
                entries,
            }
        })
        .collect();
    Ranking { groups, ties }
}

/// One round, evaluated once for every entry.
struct Evaluated<'a> {
    round: &'a Round,
    weight: f64,
    reached: BTreeSet<EntryId>,
    scores: BTreeMap<EntryId, f64>,
    /// Sorted by judge.
    judge_scores: BTreeMap<EntryId, Vec<(UserId, f64)>>,
    tiebreak: BTreeMap<EntryId, Vec<f64>>,
}

fn evaluate<'a>(input: &RoundInput<'a>, weight: f64) -> Evaluated<'a> {
    let round = input.round;
    let order = tiebreak_criteria(&round.rubric);
    let mut sheet_scores = Vec::with_capacity(input.sheets.len());
    let mut judge_scores: BTreeMap<EntryId, Vec<(UserId, f64)>> = BTreeMap::new();
    let mut sums: BTreeMap<EntryId, (u32, Vec<f64>)> = BTreeMap::new();
    for sheet in &input.sheets {
        let value_of =
            |id: CriterionId| sheet.values.iter().find(|(c, _)| *c == id).map(|(_, x)| *x);
        // A submitted sheet has a value for every criterion. One that does not cannot
        // give an `S_je`; it is left out rather than guessed.
        let Some(s) = round.rubric.score(value_of) else {
            continue;
        };
        sheet_scores.push(SheetScore {
            entry: sheet.entry,
            judge: sheet.judge,
            s,
        });
        judge_scores
            .entry(sheet.entry)
            .or_default()
            .push((sheet.judge, s));
        let (count, sum) = sums
            .entry(sheet.entry)
            .or_insert_with(|| (0, vec![0.0; order.len()]));
        *count += 1;
        for (acc, c) in sum.iter_mut().zip(&order) {
            if let Some(x) = value_of(c.id) {
                *acc += normalised(c, x);
            }
        }
    }
    for list in judge_scores.values_mut() {
        list.sort_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
    }
    let tiebreak = sums
        .into_iter()
        .map(|(e, (count, sum))| {
            let n = f64::from(count);
            (e, sum.into_iter().map(|s| s / n).collect())
        })
        .collect();
    Evaluated {
        round,
        weight,
        reached: input.entries.iter().copied().collect(),
        scores: round_scores(round.aggregation, &sheet_scores),
        judge_scores,
        tiebreak,
    }
}

/// `(x_c − min_c)/(max_c − min_c)`, in f64 throughout so no value can overflow.
fn normalised(c: &Criterion, x: i32) -> f64 {
    (f64::from(x) - f64::from(c.min)) / (f64::from(c.max) - f64::from(c.min))
}

/// An entry's result before it is ranked.
fn entry_result(id: EntryId, rounds: &[Evaluated<'_>]) -> RankedEntry {
    let reached: Vec<&Evaluated<'_>> = rounds.iter().filter(|r| r.reached.contains(&id)).collect();
    let round_results = reached
        .iter()
        .map(|r| {
            let judge_scores = r.judge_scores.get(&id).cloned().unwrap_or_default();
            let s_je: Vec<f64> = judge_scores.iter().map(|(_, s)| *s).collect();
            RoundScore {
                round_id: r.round.id,
                score: r.scores.get(&id).copied(),
                flagged: disagrees(&s_je, r.round.disagreement_threshold),
                judge_scores,
            }
        })
        .collect();
    let (num, den) = reached
        .iter()
        .filter(|r| r.weight > 0.0)
        .filter_map(|r| r.scores.get(&id).map(|s| (r.weight, *s)))
        .fold((0.0, 0.0), |(num, den), (w, s)| (num + w * s, den + w));
    let final_score = if den > 0.0 {
        Some(num / den)
    } else {
        // No weighted round scored it: its last score orders it among the entries
        // that went out at the same stage.
        reached
            .iter()
            .rev()
            .find_map(|r| r.scores.get(&id).copied())
    };
    let deciding = reached.last();
    RankedEntry {
        entry_id: id,
        rank: None,
        final_score,
        reached_position: deciding.map(|r| r.round.position),
        rounds: round_results,
        tiebreak: deciding
            .and_then(|r| r.tiebreak.get(&id).cloned())
            .unwrap_or_default(),
        tie: false,
    }
}

/// What ranks an entry, compared as `judging.md` says (at 6 decimals). Larger is
/// better; the derived order compares the fields in turn, and an empty tie-break
/// vector is smaller than any non-empty one.
#[derive(Debug, PartialEq, Eq, PartialOrd, Ord)]
struct Standing {
    reached: Option<i32>,
    score: i64,
    tiebreak: Vec<i64>,
}

fn standing(e: &RankedEntry) -> Option<Standing> {
    e.final_score.map(|score| Standing {
        reached: e.reached_position,
        score: comparable(score),
        tiebreak: e.tiebreak.iter().map(|v| comparable(*v)).collect(),
    })
}

/// What put an entry above the next one in its group, when it was not the final score.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Decider {
    /// It reached a later round (whatever the scores).
    RoundReached,
    /// Equal final scores, ordered by this tie-break criterion: an index into
    /// [`tiebreak_criteria`] of the deciding round.
    Criterion(usize),
}

/// Why `above` stands above `below`, the next entry of its group, when it is not the
/// final score that says so: `None` when the scores differ (the score decides), or
/// when nothing does (a tie, or an entry not scored).
pub fn decided_by(above: &RankedEntry, below: &RankedEntry) -> Option<Decider> {
    let (a, b) = (standing(above)?, standing(below)?);
    if a.reached != b.reached {
        return Some(Decider::RoundReached);
    }
    if a.score != b.score {
        return None;
    }
    a.tiebreak
        .iter()
        .zip(&b.tiebreak)
        .position(|(x, y)| x != y)
        .map(Decider::Criterion)
}

/// Sort one group, give ranks and mark ties; returns the number of tied sets.
fn rank_group(list: Vec<RankedEntry>) -> (Vec<RankedEntry>, usize) {
    let mut keyed: Vec<(Option<Standing>, RankedEntry)> =
        list.into_iter().map(|e| (standing(&e), e)).collect();
    // Best standing first; `None` (not scored) is below every standing, so it comes
    // last. Entry id makes the order total.
    keyed.sort_by(|(ka, a), (kb, b)| kb.cmp(ka).then(a.entry_id.cmp(&b.entry_id)));
    let mut ties = 0;
    let mut before = 0usize;
    for run in keyed.chunk_by_mut(|(ka, _), (kb, _)| ka.is_some() && ka == kb) {
        let scored = run.first().is_some_and(|(k, _)| k.is_some());
        let tied = scored && run.len() > 1;
        if tied {
            ties += 1;
        }
        // Standard competition ranking: 1 + the number of entries strictly better.
        let rank = scored.then(|| u32::try_from(before + 1).unwrap_or(u32::MAX));
        for (_, e) in run.iter_mut() {
            e.rank = rank;
            e.tie = tied;
        }
        before += run.len();
    }
    (keyed.into_iter().map(|(_, e)| e).collect(), ties)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::EditionId;
    use crate::round::{Aggregation, DEFAULT_DISAGREEMENT, PeerSheets};
    use chrono::DateTime;

    /// A rubric of (weight, min, max) criteria, in that order.
    fn rubric(criteria: &[(f64, i32, i32)]) -> Rubric {
        Rubric {
            criteria: criteria
                .iter()
                .enumerate()
                .map(|(i, &(weight, min, max))| Criterion {
                    id: CriterionId::new(),
                    name: format!("C{i}"),
                    description: String::new(),
                    weight,
                    min,
                    max,
                })
                .collect(),
        }
    }

    /// One criterion on 0–10, weight 1: `S_je = 10·x`.
    fn simple() -> Rubric {
        rubric(&[(1.0, 0, 10)])
    }

    fn round(
        position: i32,
        rubric: Rubric,
        aggregation: Aggregation,
        weight: Option<f64>,
    ) -> Round {
        Round {
            id: RoundId::new(),
            edition_id: EditionId::new(),
            name: format!("Babak {position}"),
            position,
            rubric,
            judges_per_entry: 3,
            aggregation,
            weight,
            blind: true,
            disagreement_threshold: DEFAULT_DISAGREEMENT,
            peer_sheets: PeerSheets::Never,
            judge_names_visible: false,
            closed_at: None,
            created_at: DateTime::from_timestamp(0, 0).unwrap_or_default(),
        }
    }

    /// A sheet with `values` in rubric order.
    fn sheet(r: &Round, entry: EntryId, judge: UserId, values: &[i32]) -> SubmittedSheet {
        assert_eq!(values.len(), r.rubric.criteria.len());
        SubmittedSheet {
            entry,
            judge,
            values: r
                .rubric
                .criteria
                .iter()
                .zip(values)
                .map(|(c, x)| (c.id, *x))
                .collect(),
        }
    }

    /// A round input: every entry with a sheet reached it, plus `extra`.
    fn input<'a>(
        r: &'a Round,
        sheets: &[(EntryId, UserId, &[i32])],
        extra: &[EntryId],
    ) -> RoundInput<'a> {
        let mut entries: Vec<EntryId> = sheets.iter().map(|(e, _, _)| *e).collect();
        entries.extend_from_slice(extra);
        entries.sort();
        entries.dedup();
        RoundInput {
            round: r,
            entries,
            sheets: sheets.iter().map(|(e, j, v)| sheet(r, *e, *j, v)).collect(),
        }
    }

    fn untracked(ids: &[EntryId]) -> Vec<EntryInfo> {
        ids.iter()
            .map(|id| EntryInfo {
                id: *id,
                track: None,
                field: None,
            })
            .collect()
    }

    fn ids<T: Default + Copy, const N: usize>(mk: impl Fn() -> T) -> [T; N] {
        let mut out = [T::default(); N];
        for o in &mut out {
            *o = mk();
        }
        out
    }

    fn close(a: Option<f64>, b: f64) -> bool {
        a.is_some_and(|a| (a - b).abs() < 1e-9)
    }

    /// The one group of a ranking.
    fn only(r: &Ranking) -> &RankGroup {
        assert_eq!(r.groups.len(), 1);
        &r.groups[0]
    }

    fn order(g: &RankGroup) -> Vec<EntryId> {
        g.entries.iter().map(|e| e.entry_id).collect()
    }

    fn ranks(g: &RankGroup) -> Vec<Option<u32>> {
        g.entries.iter().map(|e| e.rank).collect()
    }

    fn get(r: &Ranking, id: EntryId) -> &RankedEntry {
        r.groups
            .iter()
            .flat_map(|g| &g.entries)
            .find(|e| e.entry_id == id)
            .expect("entry is ranked")
    }

    #[test]
    fn mean_feeds_the_ranking_with_judge_scores_and_flags() {
        let r = round(1, simple(), Aggregation::Mean, None);
        let [e1, e2] = ids::<EntryId, 2>(EntryId::new);
        let [j1, j2] = ids::<UserId, 2>(UserId::new);
        // Sheets given in reverse judge order: judge_scores come out by judge id.
        let inp = input(
            &r,
            &[
                (e1, j2, &[6]),
                (e1, j1, &[8]),
                (e2, j2, &[4]),
                (e2, j1, &[9]),
            ],
            &[],
        );
        let ranking = final_ranking(&untracked(&[e1, e2]), &[inp], RankingScope::PerTrack);
        // e1: 80, 60 → mean 70, span 20 ≤ 25.
        // e2: 90, 40 → mean 65, span 50 > 25: flagged.
        let g = only(&ranking);
        assert_eq!(order(g), vec![e1, e2]);
        assert_eq!(ranks(g), vec![Some(1), Some(2)]);
        let (a, b) = (&g.entries[0], &g.entries[1]);
        assert!(close(a.final_score, 70.0));
        assert!(close(b.final_score, 65.0));
        assert_eq!(a.rounds.len(), 1);
        assert_eq!(a.rounds[0].round_id, r.id);
        assert!(close(a.rounds[0].score, 70.0));
        assert_eq!(a.rounds[0].judge_scores, vec![(j1, 80.0), (j2, 60.0)]);
        assert!(!a.rounds[0].flagged);
        assert!(b.rounds[0].flagged);
        assert_eq!(a.reached_position, Some(1));
        assert_eq!(a.tiebreak, vec![0.7]);
        assert!(!a.tie && !b.tie);
        assert_eq!(ranking.ties, 0);
    }

    #[test]
    fn trimmed_mean_feeds_the_ranking() {
        let [e1, e2] = ids::<EntryId, 2>(EntryId::new);
        let js = ids::<UserId, 4>(UserId::new);
        let [j1, j2, j3, j4] = js;
        // e1: 100, 70, 70, 0. Trimmed: drop 100 and 0 → (70 + 70)/2 = 70.
        //                     Mean: 240/4 = 60.
        // e2: 70, 60, 60, 60. Trimmed: drop 70 and one 60 → 60.
        //                     Mean: 250/4 = 62.5.
        let fixture: [(EntryId, UserId, &[i32]); 8] = [
            (e1, j1, &[10]),
            (e1, j2, &[7]),
            (e1, j3, &[7]),
            (e1, j4, &[0]),
            (e2, j1, &[7]),
            (e2, j2, &[6]),
            (e2, j3, &[6]),
            (e2, j4, &[6]),
        ];
        let sheets = |r| input(r, &fixture, &[]);
        let trimmed = round(1, simple(), Aggregation::TrimmedMean, None);
        let ranking = final_ranking(
            &untracked(&[e1, e2]),
            &[sheets(&trimmed)],
            RankingScope::PerTrack,
        );
        assert_eq!(order(only(&ranking)), vec![e1, e2]);
        assert!(close(get(&ranking, e1).final_score, 70.0));
        assert!(close(get(&ranking, e2).final_score, 60.0));

        let mean = round(1, simple(), Aggregation::Mean, None);
        let ranking = final_ranking(
            &untracked(&[e1, e2]),
            &[sheets(&mean)],
            RankingScope::PerTrack,
        );
        assert_eq!(order(only(&ranking)), vec![e2, e1]);
        assert!(close(get(&ranking, e1).final_score, 60.0));
        assert!(close(get(&ranking, e2).final_score, 62.5));
    }

    #[test]
    fn judge_normalised_feeds_the_ranking() {
        let [e1, e2, e3] = ids::<EntryId, 3>(EntryId::new);
        let [a, b] = ids::<UserId, 2>(UserId::new);
        // Judge A is harsh: e1 40, e2 60. Judge B scored only e3: 70.
        let sheets: [(EntryId, UserId, &[i32]); 3] = [(e1, a, &[4]), (e2, a, &[6]), (e3, b, &[7])];
        let normalised = round(1, simple(), Aggregation::JudgeNormalised, None);
        let ranking = final_ranking(
            &untracked(&[e1, e2, e3]),
            &[input(&normalised, &sheets, &[])],
            RankingScope::PerTrack,
        );
        // All three: μ = 170/3; σ² = (40² + 60² + 70²)/3 − μ² = 30300/9 − 28900/9 = 1400/9.
        // A: μ_A = 50, σ_A = 10 → N(40) = μ − σ ≈ 44.19, N(60) = μ + σ ≈ 69.14.
        // B has one sheet: shifted only, N(70) = 70 − 70 + μ = μ ≈ 56.67.
        let mu = 170.0 / 3.0;
        let sigma = 1400.0_f64.sqrt() / 3.0;
        assert_eq!(order(only(&ranking)), vec![e2, e3, e1]);
        assert!(close(get(&ranking, e2).final_score, mu + sigma));
        assert!(close(get(&ranking, e3).final_score, mu));
        assert!(close(get(&ranking, e1).final_score, mu - sigma));
        // judge_scores are the raw S_je, not the normalised ones.
        assert_eq!(get(&ranking, e2).rounds[0].judge_scores, vec![(a, 60.0)]);

        // The plain mean orders them differently: e3 70, e2 60, e1 40.
        let mean = round(1, simple(), Aggregation::Mean, None);
        let ranking = final_ranking(
            &untracked(&[e1, e2, e3]),
            &[input(&mean, &sheets, &[])],
            RankingScope::PerTrack,
        );
        assert_eq!(order(only(&ranking)), vec![e3, e2, e1]);
    }

    #[test]
    fn rubric_weights_need_not_sum_to_100() {
        let [e1, e2] = ids::<EntryId, 2>(EntryId::new);
        let [j] = ids::<UserId, 1>(UserId::new);
        for weights in [(1.0, 3.0), (25.0, 75.0)] {
            let r = round(
                1,
                rubric(&[(weights.0, 0, 10), (weights.1, 0, 10)]),
                Aggregation::Mean,
                None,
            );
            let ranking = final_ranking(
                &untracked(&[e1, e2]),
                &[input(&r, &[(e1, j, &[10, 2]), (e2, j, &[0, 6])], &[])],
                RankingScope::PerTrack,
            );
            // e1: 100 · (1·10/10 + 3·2/10) / 4 = 100 · 1.6/4 = 40
            // e2: 100 · (1·0/10 + 3·6/10) / 4 = 100 · 1.8/4 = 45 (same with 25/75).
            assert_eq!(order(only(&ranking)), vec![e2, e1], "{weights:?}");
            assert!(close(get(&ranking, e1).final_score, 40.0));
            assert!(close(get(&ranking, e2).final_score, 45.0));
            // The tie-break vector is in weight order: B (3) before A (1).
            assert_eq!(get(&ranking, e1).tiebreak, vec![0.2, 1.0]);
        }
    }

    #[test]
    fn default_round_weights_are_one_for_the_last_round_and_zero_before() {
        let r1 = round(1, simple(), Aggregation::Mean, None);
        let r2 = round(2, simple(), Aggregation::Mean, None);
        // Given in any order; answered in the order given.
        assert_eq!(round_weights(&[&r2, &r1]), vec![(r2.id, 1.0), (r1.id, 0.0)]);
        // An explicit weight overrides the default, on any round.
        let r1w = Round {
            weight: Some(0.5),
            ..r1.clone()
        };
        assert_eq!(
            round_weights(&[&r1w, &r2]),
            vec![(r1.id, 0.5), (r2.id, 1.0)]
        );
        let r2w = Round {
            weight: Some(0.0),
            ..r2.clone()
        };
        assert_eq!(
            round_weights(&[&r1, &r2w]),
            vec![(r1.id, 0.0), (r2.id, 0.0)]
        );
        // "Last" is among the rounds passed in.
        assert_eq!(round_weights(&[&r1]), vec![(r1.id, 1.0)]);
        assert_eq!(round_weights(&[]), vec![]);
    }

    #[test]
    fn round_weights_combine_two_rounds() {
        let [e1, e2] = ids::<EntryId, 2>(EntryId::new);
        let [j] = ids::<UserId, 1>(UserId::new);
        // Both entries reach both rounds.
        // Round 1: e1 80, e2 40. Round 2: e1 60, e2 70.
        let run = |w1: Option<f64>, w2: Option<f64>| {
            let r1 = round(1, simple(), Aggregation::Mean, w1);
            let r2 = round(2, simple(), Aggregation::Mean, w2);
            // Rounds passed last first: the ranking orders them by position.
            let ranking = final_ranking(
                &untracked(&[e1, e2]),
                &[
                    input(&r2, &[(e1, j, &[6]), (e2, j, &[7])], &[]),
                    input(&r1, &[(e1, j, &[8]), (e2, j, &[4])], &[]),
                ],
                RankingScope::PerTrack,
            );
            let rounds: Vec<RoundId> = get(&ranking, e1)
                .rounds
                .iter()
                .map(|s| s.round_id)
                .collect();
            assert_eq!(rounds, vec![r1.id, r2.id]);
            ranking
        };
        // Default: ρ = (0, 1): e1 60, e2 70.
        let ranking = run(None, None);
        assert_eq!(order(only(&ranking)), vec![e2, e1]);
        assert!(close(get(&ranking, e1).final_score, 60.0));
        assert!(close(get(&ranking, e2).final_score, 70.0));
        // ρ = (1, 3): e1 (80 + 3·60)/4 = 65, e2 (40 + 3·70)/4 = 62.5.
        let ranking = run(Some(1.0), Some(3.0));
        assert_eq!(order(only(&ranking)), vec![e1, e2]);
        assert!(close(get(&ranking, e1).final_score, 65.0));
        assert!(close(get(&ranking, e2).final_score, 62.5));
    }

    #[test]
    fn reaching_a_later_round_beats_a_higher_earlier_score() {
        let r1 = round(1, simple(), Aggregation::Mean, None);
        let r2 = round(2, simple(), Aggregation::Mean, None);
        let [e1, e2] = ids::<EntryId, 2>(EntryId::new);
        let [j] = ids::<UserId, 1>(UserId::new);
        // e1: round 1 60, round 2 40 → final 40 (round 2 only has weight).
        // e2: round 1 only, 90 → final 90 (fallback), yet below e1: e1 advanced past it.
        let ranking = final_ranking(
            &untracked(&[e2, e1]),
            &[
                input(&r1, &[(e1, j, &[6]), (e2, j, &[9])], &[]),
                input(&r2, &[(e1, j, &[4])], &[]),
            ],
            RankingScope::PerTrack,
        );
        let g = only(&ranking);
        assert_eq!(order(g), vec![e1, e2]);
        assert_eq!(ranks(g), vec![Some(1), Some(2)]);
        assert!(close(g.entries[0].final_score, 40.0));
        assert!(close(g.entries[1].final_score, 90.0));
        assert_eq!(g.entries[0].reached_position, Some(2));
        assert_eq!(g.entries[1].reached_position, Some(1));
        assert_eq!(g.entries[0].rounds.len(), 2);
        assert_eq!(g.entries[1].rounds.len(), 1);
    }

    #[test]
    fn entries_eliminated_in_a_weight_0_round_order_by_their_last_score() {
        let r1 = round(1, simple(), Aggregation::Mean, None);
        let r2 = round(2, simple(), Aggregation::Mean, None);
        let [e1, e2, e3, e4] = ids::<EntryId, 4>(EntryId::new);
        let [j] = ids::<UserId, 1>(UserId::new);
        // Default weights (0, 1).
        // e1, e2 reach round 2: finals 50 and 80 (their round-1 60 and 70 weigh 0).
        // e3, e4 go out in round 1 (weight 0): nothing weighted, so each falls back
        // to its round-1 score, 70 and 90.
        let ranking = final_ranking(
            &untracked(&[e1, e2, e3, e4]),
            &[
                input(
                    &r1,
                    &[(e1, j, &[6]), (e2, j, &[7]), (e3, j, &[7]), (e4, j, &[9])],
                    &[],
                ),
                input(&r2, &[(e1, j, &[5]), (e2, j, &[8])], &[]),
            ],
            RankingScope::PerTrack,
        );
        let g = only(&ranking);
        assert_eq!(order(g), vec![e2, e1, e4, e3]);
        assert_eq!(ranks(g), vec![Some(1), Some(2), Some(3), Some(4)]);
        assert!(close(get(&ranking, e2).final_score, 80.0));
        assert!(close(get(&ranking, e1).final_score, 50.0));
        assert!(close(get(&ranking, e4).final_score, 90.0));
        assert!(close(get(&ranking, e3).final_score, 70.0));
    }

    #[test]
    fn a_tie_is_broken_by_the_largest_weight_criterion() {
        // Rubric order: Small (weight 1) then Big (weight 2), both 0–10.
        // S = 100 · (a/10 + 2·b/10) / 3.
        let r = round(
            1,
            rubric(&[(1.0, 0, 10), (2.0, 0, 10)]),
            Aggregation::Mean,
            None,
        );
        let [first, second] = ids::<EntryId, 2>(EntryId::new);
        let [j1, j2] = ids::<UserId, 2>(UserId::new);
        // `first`: (6, 6) twice → S = 100·(0.6 + 1.2)/3 = 60; means: Small 0.6, Big 0.6.
        // `second`: (2, 8) → 100·(0.2 + 1.6)/3 = 60 and (6, 6) → 60; mean 60;
        //           means: Small 0.4, Big 0.7.
        // Equal at 60. Big decides: 0.7 > 0.6, so `second` wins (rubric order would
        // have put `first` ahead on Small; entry id would too).
        let ranking = final_ranking(
            &untracked(&[first, second]),
            &[input(
                &r,
                &[
                    (first, j1, &[6, 6]),
                    (first, j2, &[6, 6]),
                    (second, j1, &[2, 8]),
                    (second, j2, &[6, 6]),
                ],
                &[],
            )],
            RankingScope::PerTrack,
        );
        let g = only(&ranking);
        assert_eq!(
            comparable(g.entries[0].final_score.unwrap_or_default()),
            comparable(g.entries[1].final_score.unwrap_or_default())
        );
        assert_eq!(order(g), vec![second, first]);
        assert_eq!(ranks(g), vec![Some(1), Some(2)]);
        assert!((g.entries[0].tiebreak[0] - 0.7).abs() < 1e-12);
        assert!((g.entries[0].tiebreak[1] - 0.4).abs() < 1e-12);
        assert!(!g.entries[0].tie && !g.entries[1].tie);
        assert_eq!(ranking.ties, 0);
    }

    #[test]
    fn a_tie_is_broken_at_the_second_criterion() {
        // Rubric order: C (weight 1), A (weight 3), B (weight 2), all 0–10.
        // Tie-break order: A, B, C. S = 100 · (c + 3a + 2b) / 60.
        let r = round(
            1,
            rubric(&[(1.0, 0, 10), (3.0, 0, 10), (2.0, 0, 10)]),
            Aggregation::Mean,
            None,
        );
        let [first, second] = ids::<EntryId, 2>(EntryId::new);
        let [j] = ids::<UserId, 1>(UserId::new);
        // `first`:  c 4, a 5, b 5 → 4 + 15 + 10 = 29 → S = 48.333…; vector (0.5, 0.5, 0.4)
        // `second`: c 2, a 5, b 6 → 2 + 15 + 12 = 29 → S = 48.333…; vector (0.5, 0.6, 0.2)
        // A is equal; B decides for `second`.
        let ranking = final_ranking(
            &untracked(&[first, second]),
            &[input(
                &r,
                &[(first, j, &[4, 5, 5]), (second, j, &[2, 5, 6])],
                &[],
            )],
            RankingScope::PerTrack,
        );
        let g = only(&ranking);
        assert_eq!(order(g), vec![second, first]);
        assert_eq!(ranks(g), vec![Some(1), Some(2)]);
        assert_eq!(g.entries[0].tiebreak, vec![0.5, 0.6, 0.2]);
        assert_eq!(g.entries[1].tiebreak, vec![0.5, 0.5, 0.4]);
        assert!(close(g.entries[1].final_score, 100.0 * 29.0 / 60.0));
        assert_eq!(ranking.ties, 0);
    }

    #[test]
    fn equal_criterion_weights_break_ties_in_rubric_order() {
        // X and Y, both weight 1 on 0–10, X first in the rubric.
        let r = round(
            1,
            rubric(&[(1.0, 0, 10), (1.0, 0, 10)]),
            Aggregation::Mean,
            None,
        );
        let [first, second] = ids::<EntryId, 2>(EntryId::new);
        let [j] = ids::<UserId, 1>(UserId::new);
        // `first` (3, 7) and `second` (7, 3): S = 50 each. X first: 0.7 > 0.3.
        let ranking = final_ranking(
            &untracked(&[first, second]),
            &[input(&r, &[(first, j, &[3, 7]), (second, j, &[7, 3])], &[])],
            RankingScope::PerTrack,
        );
        let g = only(&ranking);
        assert_eq!(order(g), vec![second, first]);
        assert_eq!(ranks(g), vec![Some(1), Some(2)]);
        assert_eq!(g.entries[0].tiebreak, vec![0.7, 0.3]);
    }

    #[test]
    fn a_true_tie_shares_a_rank_and_is_flagged() {
        let r = round(1, simple(), Aggregation::Mean, None);
        let es = ids::<EntryId, 6>(EntryId::new);
        let [j] = ids::<UserId, 1>(UserId::new);
        // Scores 90, 80, 80, 70, 60, 60, every sheet on one criterion, so equal scores
        // have equal tie-break vectors too: ranks 1, 2, 2, 4, 5, 5; two tied sets.
        let xs = [9, 8, 8, 7, 6, 6];
        let sheets: Vec<(EntryId, UserId, &[i32])> = es
            .iter()
            .zip(&xs)
            .map(|(e, x)| (*e, j, std::slice::from_ref(x)))
            .collect();
        // Listed out of order: the result lists tied entries by entry id.
        let listed = [es[5], es[2], es[0], es[4], es[1], es[3]];
        let ranking = final_ranking(
            &untracked(&listed),
            &[input(&r, &sheets, &[])],
            RankingScope::PerTrack,
        );
        let g = only(&ranking);
        assert_eq!(order(g), es.to_vec());
        assert_eq!(
            ranks(g),
            vec![Some(1), Some(2), Some(2), Some(4), Some(5), Some(5)]
        );
        let ties: Vec<bool> = g.entries.iter().map(|e| e.tie).collect();
        assert_eq!(ties, vec![false, true, true, false, true, true]);
        assert_eq!(ranking.ties, 2);
    }

    #[test]
    fn scores_equal_after_rounding_to_6_decimals_are_tied() {
        // One criterion on 0–3: S = 100·x/3.
        let r = round(1, rubric(&[(1.0, 0, 3)]), Aggregation::Mean, None);
        let [top, e1, e2] = ids::<EntryId, 3>(EntryId::new);
        let [j1, j2, j3] = ids::<UserId, 3>(UserId::new);
        // e1: S = 0, 0, 100             → mean 100/3 = 33.333333333333336 in f64
        // e2: S = 0, 33.33…, 66.66…     → mean 100/3 = 33.33333333333333 in f64
        // The floats differ in the last bit; at 6 decimals both are 33.333333.
        // Tie-break: both mean 1/3 on the one criterion.
        let ranking = final_ranking(
            &untracked(&[top, e1, e2]),
            &[input(
                &r,
                &[
                    (top, j1, &[3]),
                    (e1, j1, &[0]),
                    (e1, j2, &[0]),
                    (e1, j3, &[3]),
                    (e2, j1, &[0]),
                    (e2, j2, &[1]),
                    (e2, j3, &[2]),
                ],
                &[],
            )],
            RankingScope::PerTrack,
        );
        let (s1, s2) = (
            get(&ranking, e1).final_score.unwrap_or_default(),
            get(&ranking, e2).final_score.unwrap_or_default(),
        );
        assert_ne!(s1, s2, "the fixture needs unequal floats");
        assert_eq!(comparable(s1), comparable(s2));
        let g = only(&ranking);
        assert_eq!(order(g), vec![top, e1, e2]);
        assert_eq!(ranks(g), vec![Some(1), Some(2), Some(2)]);
        assert!(g.entries[1].tie && g.entries[2].tie && !g.entries[0].tie);
        assert_eq!(ranking.ties, 1);
    }

    #[test]
    fn an_entry_without_a_sheet_is_not_scored_and_listed_last() {
        let r = round(1, simple(), Aggregation::Mean, None);
        let [e1, e2, e3, e4] = ids::<EntryId, 4>(EntryId::new);
        let [j] = ids::<UserId, 1>(UserId::new);
        // e1 and e3 reached the round but have no sheet; e2 scored 0 (a real score);
        // e4 reached no round at all.
        let ranking = final_ranking(
            &untracked(&[e4, e3, e2, e1]),
            &[input(&r, &[(e2, j, &[0])], &[e1, e3])],
            RankingScope::PerTrack,
        );
        let g = only(&ranking);
        assert_eq!(order(g), vec![e2, e1, e3, e4]);
        assert_eq!(ranks(g), vec![Some(1), None, None, None]);
        assert_eq!(g.entries[0].final_score, Some(0.0));
        for e in &g.entries[1..] {
            assert_eq!(e.final_score, None, "not scored, never 0");
            assert!(!e.tie);
        }
        let e1r = get(&ranking, e1);
        assert_eq!(e1r.reached_position, Some(1));
        assert_eq!(e1r.rounds.len(), 1);
        assert_eq!(e1r.rounds[0].score, None);
        assert!(e1r.rounds[0].judge_scores.is_empty());
        assert!(e1r.tiebreak.is_empty());
        let e4r = get(&ranking, e4);
        assert_eq!(e4r.reached_position, None);
        assert!(e4r.rounds.is_empty());
        assert_eq!(ranking.ties, 0);
    }

    #[test]
    fn groups_per_track_and_field_and_per_track() {
        let r = round(1, simple(), Aggregation::Mean, None);
        let [t1, t2] = ids::<TrackId, 2>(TrackId::new);
        let [f1, f2] = ids::<FieldId, 2>(FieldId::new);
        let [a, b, c, d, e, g] = ids::<EntryId, 6>(EntryId::new);
        let [j] = ids::<UserId, 1>(UserId::new);
        let info = |id, track, field| EntryInfo { id, track, field };
        let entries = [
            info(a, Some(t1), Some(f1)), // 50
            info(b, Some(t1), Some(f2)), // 60
            info(c, Some(t1), None),     // 70
            info(d, None, None),         // 80
            info(e, Some(t2), Some(f1)), // 90
            info(g, Some(t1), Some(f1)), // 40
        ];
        let rounds = [input(
            &r,
            &[
                (a, j, &[5]),
                (b, j, &[6]),
                (c, j, &[7]),
                (d, j, &[8]),
                (e, j, &[9]),
                (g, j, &[4]),
            ],
            &[],
        )];
        // (track, field, entries in order, their ranks) per group.
        type Summary = (
            Option<TrackId>,
            Option<FieldId>,
            Vec<EntryId>,
            Vec<Option<u32>>,
        );
        let summary = |ranking: &Ranking| -> Vec<Summary> {
            ranking
                .groups
                .iter()
                .map(|grp| (grp.track_id, grp.field_id, order(grp), ranks(grp)))
                .collect()
        };

        // Groups by (track, field), None first; ranks restart in each group.
        let ranking = final_ranking(&entries, &rounds, RankingScope::PerTrackAndField);
        assert_eq!(
            summary(&ranking),
            vec![
                (None, None, vec![d], vec![Some(1)]),
                (Some(t1), None, vec![c], vec![Some(1)]),
                (Some(t1), Some(f1), vec![a, g], vec![Some(1), Some(2)]),
                (Some(t1), Some(f2), vec![b], vec![Some(1)]),
                (Some(t2), Some(f1), vec![e], vec![Some(1)]),
            ]
        );

        // Per track: fields are ignored.
        let ranking = final_ranking(&entries, &rounds, RankingScope::PerTrack);
        assert_eq!(
            summary(&ranking),
            vec![
                (None, None, vec![d], vec![Some(1)]),
                (
                    Some(t1),
                    None,
                    vec![c, b, a, g],
                    vec![Some(1), Some(2), Some(3), Some(4)]
                ),
                (Some(t2), None, vec![e], vec![Some(1)]),
            ]
        );
    }

    fn placed(score: Option<f64>, reached: Option<i32>, tiebreak: &[f64]) -> RankedEntry {
        RankedEntry {
            entry_id: EntryId::new(),
            rank: None,
            final_score: score,
            reached_position: reached,
            rounds: Vec::new(),
            tiebreak: tiebreak.to_vec(),
            tie: false,
        }
    }

    #[test]
    fn the_reason_for_an_order_is_named_when_the_score_did_not_decide_it() {
        let a = placed(Some(80.0), Some(1), &[0.9, 0.5]);
        // A higher score decides by itself.
        assert_eq!(
            decided_by(&a, &placed(Some(70.0), Some(1), &[0.9, 0.9])),
            None
        );
        // Equal scores: the first tie-break criterion that differs.
        assert_eq!(
            decided_by(&a, &placed(Some(80.0), Some(1), &[0.9, 0.4])),
            Some(Decider::Criterion(1))
        );
        assert_eq!(
            decided_by(&a, &placed(Some(80.0), Some(1), &[0.8, 0.9])),
            Some(Decider::Criterion(0))
        );
        // Equal to the 6th decimal: still a tie, nothing decided.
        assert_eq!(
            decided_by(&a, &placed(Some(80.000_000_1), Some(1), &[0.9, 0.5])),
            None
        );
        // A later round reached puts an entry above, whatever the score.
        assert_eq!(
            decided_by(&placed(Some(60.0), Some(2), &[]), &a),
            Some(Decider::RoundReached)
        );
        assert_eq!(decided_by(&a, &placed(None, None, &[])), None);
    }
}
