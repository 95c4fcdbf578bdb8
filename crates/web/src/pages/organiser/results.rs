//! Results: the ranking with its flags, each judge's score distribution as an SVG
//! chart, tie decisions, winners, and the exports.

use super::titles;
use crate::error::ApiError;
use crate::extract::requirements::ManageJudging;
use crate::pages::shared::form_errors;
use crate::pages::{
    Ctx, FormErrors, PageCan, PageError, PagePath, PageResult, PageResultExt, render, see_other,
};
use crate::routes::results::{ExportFormat, export};
use crate::state::AppState;
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use juri_domain::Error;
use juri_domain::Message;
use juri_domain::award::Award;
use juri_domain::award::tie_reason;
use juri_domain::edition::Edition;
use juri_domain::ids::{EditionId, EntryId, UserId};
use juri_domain::ranking::{Decider, RankedEntry, decided_by, tiebreak_criteria};
use juri_domain::round::Round;
use juri_persistence::{EditionResults, RoundResults};
use serde::Deserialize;
use std::collections::HashMap;

/// Why an entry stands below the one above it, in words.
fn decider_text(ctx: &Ctx, rounds: &[Round], entry: &RankedEntry, d: Decider) -> String {
    match d {
        Decider::RoundReached => ctx.t("results.by_round").to_owned(),
        Decider::Criterion(k) => {
            let name = entry
                .reached_position
                .and_then(|p| rounds.iter().find(|x| x.position == p))
                .and_then(|r| tiebreak_criteria(&r.rubric).get(k).map(|c| c.name.clone()))
                .unwrap_or_default();
            juri_text::fill(ctx.t("results.by_criterion"), &[("criterion", name)])
        }
    }
}

/// A score with one decimal, or a dash when there is none.
fn score_text(s: Option<f64>) -> String {
    s.map(|v| format!("{v:.1}"))
        .unwrap_or_else(|| "–".to_owned())
}

/// One ranked entry as the results page shows it.
#[derive(Debug)]
pub struct RankRow {
    pub id: EntryId,
    pub rank: String,
    pub title: String,
    pub score: String,
    /// The bar's length in the chart's units (0–100).
    pub bar: f64,
    pub tie: bool,
    pub flagged: bool,
    /// The award recorded for it, if any (`juara_1`...), or the one proposed.
    pub award: String,
    /// `award` is a proposal (nothing recorded yet), for the organisers to confirm.
    pub proposed: bool,
    /// The furthest round it reached.
    pub reached: String,
    /// Why it stands below the entry above it, when the final score did not decide.
    pub decided: Option<String>,
}

#[derive(Debug)]
pub struct RankGroupView {
    pub heading: String,
    pub rows: Vec<RankRow>,
}

/// A set of entries sharing a rank, waiting for (or with) a decision.
#[derive(Debug)]
pub struct TieSet {
    /// The smallest entry id of the set: names the set's form.
    pub key: String,
    pub entries: Vec<(EntryId, String)>,
    pub decided: Option<String>,
}

/// One judge's row of the distribution chart.
#[derive(Debug)]
pub struct JudgeDots {
    pub name: String,
    pub mean: f64,
    pub scores: Vec<f64>,
    /// The row's top, in chart units.
    pub y: usize,
}

/// The score distribution of each judge in one round.
#[derive(Debug)]
pub struct Distribution {
    pub round: String,
    pub alpha: String,
    pub overall: Option<f64>,
    pub judges: Vec<JudgeDots>,
    pub height: usize,
}

/// A number however many references the template puts around it.
trait Number {
    fn value(&self) -> f64;
}

impl Number for f64 {
    fn value(&self) -> f64 {
        *self
    }
}

impl<T: Number + ?Sized> Number for &T {
    fn value(&self) -> f64 {
        (**self).value()
    }
}

#[derive(Template)]
#[template(path = "org_results.html")]
struct ResultsPage {
    ctx: Ctx,
    e: Edition,
    groups: Vec<RankGroupView>,
    ties: Vec<TieSet>,
    charts: Vec<Distribution>,
    awards: Vec<(&'static str, &'static str)>,
    winners: Vec<(String, &'static str)>,
    rounds_open: bool,
    published: bool,
    notice: Option<&'static str>,
    /// The tie set whose form failed, and why.
    tie_errors: Option<(String, FormErrors)>,
    winner_errors: Vec<String>,
}

impl ResultsPage {
    /// Does the page propose winners (none recorded yet)?
    fn any_proposed(&self) -> bool {
        self.groups.iter().flat_map(|g| &g.rows).any(|r| r.proposed)
    }

    fn tie_error(&self, key: &str) -> Option<&str> {
        self.tie_errors
            .as_ref()
            .filter(|(k, _)| k == key)
            .and_then(|(_, e)| e.get("reason"))
    }

    fn tie_order_error(&self, key: &str) -> Option<&str> {
        self.tie_errors
            .as_ref()
            .filter(|(k, _)| k == key)
            .and_then(|(_, e)| e.get("entry_ids"))
    }

    /// The x of a score on the chart (a 0–100 scale drawn 400 units wide from 150).
    fn x(&self, score: impl Number) -> String {
        format!("{:.1}", 150.0 + score.value().clamp(0.0, 100.0) * 4.0)
    }

    /// The scale's marks.
    fn ticks(&self) -> [f64; 5] {
        [0.0, 25.0, 50.0, 75.0, 100.0]
    }
}

fn distribution(round: &Round, r: &RoundResults) -> Distribution {
    let mut by_judge: HashMap<UserId, Vec<f64>> = HashMap::new();
    for g in &r.ranking.groups {
        for e in &g.entries {
            for s in e.rounds.iter().filter(|s| s.round_id == round.id) {
                for (j, v) in &s.judge_scores {
                    by_judge.entry(*j).or_default().push(*v);
                }
            }
        }
    }
    let all: Vec<f64> = by_judge.values().flatten().copied().collect();
    let overall = (!all.is_empty()).then(|| all.iter().sum::<f64>() / all.len() as f64);
    let mut judges: Vec<JudgeDots> = r
        .judges
        .iter()
        .filter_map(|j| {
            let scores = by_judge.remove(&j.judge_id)?;
            let mean = scores.iter().sum::<f64>() / scores.len() as f64;
            Some(JudgeDots {
                name: j.name.clone(),
                mean,
                scores,
                y: 0,
            })
        })
        .collect();
    // Harshest first: who scores low stands at the top, who scores high at the bottom.
    judges.sort_by(|a, b| a.mean.total_cmp(&b.mean));
    for (i, j) in judges.iter_mut().enumerate() {
        j.y = 30 + i * 30;
    }
    Distribution {
        round: round.name.clone(),
        alpha: r
            .alpha
            .map(|a| format!("{a:.2}"))
            .unwrap_or_else(|| "–".to_owned()),
        overall,
        height: 50 + judges.len() * 30,
        judges,
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct ResultsNotice {
    #[serde(default)]
    seri: String,
    #[serde(default)]
    pemenang: String,
    #[serde(default)]
    diterbitkan: String,
}

async fn results_page_with(
    state: &AppState,
    ctx: Ctx,
    id: EditionId,
    status: StatusCode,
    notice: Option<&'static str>,
    tie_errors: Option<(String, FormErrors)>,
    winner_errors: Vec<String>,
) -> PageResult {
    let e = state.store.edition(id).await.page(&ctx)?;
    let rounds = state.store.rounds(id).await.page(&ctx)?;
    let results: EditionResults = state.store.edition_results(id).await.page(&ctx)?;
    let names = titles(state, &rounds).await.page(&ctx)?;
    let title = |id: &EntryId| names.get(&id.to_string()).cloned().unwrap_or_default();
    let tracks = state.store.tracks(id).await.page(&ctx)?;
    let fields = state.store.fields(id).await.page(&ctx)?;
    let award_of = |id: &EntryId| {
        results
            .winners
            .iter()
            .find(|w| w.entry_id == *id)
            .map(|w| w.award.as_str().to_owned())
            .unwrap_or_default()
    };
    let mut groups = Vec::new();
    let mut ties = Vec::new();
    for g in &results.ranking.groups {
        let mut heading = g
            .track_id
            .and_then(|t| tracks.iter().find(|x| x.id == t))
            .map(|t| t.name.clone())
            .unwrap_or_else(|| ctx.t("results.no_track").to_owned());
        if let Some(f) = g.field_id.and_then(|f| fields.iter().find(|x| x.id == f)) {
            heading = format!("{heading} · {}", f.name);
        }
        // Before any winner is recorded, the podium of each group is proposed.
        let proposed = if results.winners.is_empty() && e.published_at.is_none() {
            juri_domain::award::proposal(
                &g.entries
                    .iter()
                    .map(|r| (r.rank, r.tie))
                    .collect::<Vec<_>>(),
            )
        } else {
            vec![None; g.entries.len()]
        };
        let rows = g
            .entries
            .iter()
            .zip(proposed)
            .enumerate()
            .map(|(i, (r, proposal))| RankRow {
                reached: r
                    .reached_position
                    .and_then(|p| rounds.iter().find(|x| x.position == p))
                    .map(|x| x.name.clone())
                    .unwrap_or_default(),
                decided: i
                    .checked_sub(1)
                    .and_then(|above| g.entries.get(above))
                    .and_then(|above| decided_by(above, r))
                    .map(|d| decider_text(&ctx, &rounds, r, d)),
                id: r.entry_id,
                rank: r
                    .rank
                    .map(|n| n.to_string())
                    .unwrap_or_else(|| "–".to_owned()),
                title: title(&r.entry_id),
                score: score_text(r.final_score),
                bar: r.final_score.unwrap_or(0.0).clamp(0.0, 100.0),
                tie: r.tie,
                flagged: r.rounds.iter().any(|s| s.flagged),
                proposed: proposal.is_some(),
                award: proposal.map_or_else(|| award_of(&r.entry_id), |a| a.as_str().to_owned()),
            })
            .collect();
        // Each rank shared by several entries is one set to decide.
        let mut ranks: Vec<u32> = g
            .entries
            .iter()
            .filter(|r| r.tie)
            .filter_map(|r| r.rank)
            .collect();
        ranks.dedup();
        for rank in ranks {
            let entries: Vec<(EntryId, String)> = g
                .entries
                .iter()
                .filter(|r| r.tie && r.rank == Some(rank))
                .map(|r| (r.entry_id, title(&r.entry_id)))
                .collect();
            let mut ids: Vec<EntryId> = entries.iter().map(|(i, _)| *i).collect();
            ids.sort();
            let decided = results.tie_decisions.iter().find(|d| {
                let mut set = d.entry_ids.clone();
                set.sort();
                set == ids
            });
            let decided = decided.map(|d| {
                let order: Vec<String> = d.entry_ids.iter().map(&title).collect();
                format!("{} — {}", order.join(" › "), d.reason)
            });
            // The smallest id names the set: the same whatever order the page shows.
            if let Some(first) = ids.first() {
                ties.push(TieSet {
                    key: first.to_string(),
                    entries,
                    decided,
                });
            }
        }
        groups.push(RankGroupView { heading, rows });
    }
    let mut charts = Vec::new();
    for r in &rounds {
        let rr = state.store.round_results(r.id).await.page(&ctx)?;
        charts.push(distribution(r, &rr));
    }
    let winners = results
        .winners
        .iter()
        .map(|w| (title(&w.entry_id), w.award.label()))
        .collect();
    let awards = Award::ALL.iter().map(|a| (a.as_str(), a.label())).collect();
    Ok(render(
        status,
        &ResultsPage {
            rounds_open: rounds.iter().any(|r| r.closed_at.is_none()),
            published: e.published_at.is_some(),
            ctx,
            e,
            groups,
            ties,
            charts,
            awards,
            winners,
            notice,
            tie_errors,
            winner_errors,
        },
    ))
}

/// `GET /panitia/edisi/{id}/hasil`: the ranking, flags, distributions, ties, winners.
pub async fn results(
    State(state): State<AppState>,
    PageCan { ctx, .. }: PageCan<ManageJudging>,
    PagePath(id): PagePath<EditionId>,
    Query(q): Query<ResultsNotice>,
) -> PageResult {
    let notice = ctx.notice(&[
        (&q.seri, "results.tie_recorded"),
        (&q.pemenang, "results.winners_recorded"),
        (&q.diterbitkan, "results.published"),
    ]);
    results_page_with(&state, ctx, id, StatusCode::OK, notice, None, vec![]).await
}

/// `POST /panitia/edisi/{id}/seri`: the order of one tied set (`order_<entry>` =
/// its place, 1 first) and the reason.
pub async fn decide_tie(
    State(state): State<AppState>,
    PageCan { ctx, caller, .. }: PageCan<ManageJudging>,
    PagePath(id): PagePath<EditionId>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let user = caller.user;
    let mut key = String::new();
    let mut reason = String::new();
    let mut placed: Vec<(u32, EntryId)> = Vec::new();
    let mut unreadable = false;
    for (k, v) in &pairs {
        if k == "set" {
            key = v.clone();
        } else if k == "reason" {
            reason = v.clone();
        } else if let Some(entry) = k.strip_prefix("order_") {
            match (entry.parse::<EntryId>(), v.trim().parse::<u32>()) {
                (Ok(e), Ok(p)) => placed.push((p, e)),
                _ => unreadable = true,
            }
        }
    }
    placed.sort_by_key(|(p, _)| *p);
    let places: Vec<u32> = placed.iter().map(|(p, _)| *p).collect();
    let distinct = places.windows(2).all(|w| w[0] != w[1]);
    let outcome = if unreadable || !distinct || placed.len() < 2 {
        Err(Error::invalid("entry_ids", "order", Message::new("field.organiser.order")).into())
    } else {
        match tie_reason(&reason) {
            Ok(reason) => state
                .store
                .decide_tie(
                    id,
                    placed.into_iter().map(|(_, e)| e).collect(),
                    reason,
                    user.id,
                    state.now(),
                )
                .await
                .map(|_| ())
                .map_err(ApiError::from),
            Err(e) => Err(e.into()),
        }
    };
    match outcome {
        Ok(()) => Ok(see_other(&format!("/panitia/edisi/{id}/hasil?seri=1"))),
        Err(e) => {
            let errors = form_errors(e, &ctx)?;
            results_page_with(
                &state,
                ctx,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                Some((key, errors)),
                vec![],
            )
            .await
        }
    }
}

/// `POST /panitia/edisi/{id}/pemenang`: the awards (`award_<entry>` = `juara_1`...;
/// empty for none). Every round must be closed and every tie among them decided.
pub async fn record_winners(
    State(state): State<AppState>,
    PageCan { ctx, caller, .. }: PageCan<ManageJudging>,
    PagePath(id): PagePath<EditionId>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let user = caller.user;
    let mut choices = Vec::new();
    for (k, v) in &pairs {
        let Some(entry) = k.strip_prefix("award_") else {
            continue;
        };
        if v.trim().is_empty() {
            continue;
        }
        let (Ok(entry), Some(award)) = (entry.parse::<EntryId>(), Award::parse(v.trim())) else {
            return Err(PageError::new(
                Error::invalid(
                    "winners",
                    "invalid",
                    Message::new("field.organiser.invalid"),
                ),
                &ctx,
            ));
        };
        choices.push((entry, award));
    }
    match state
        .store
        .record_winners(id, choices, user.id, state.now())
        .await
        .map_err(ApiError::from)
    {
        Ok(_) => Ok(see_other(&format!("/panitia/edisi/{id}/hasil?pemenang=1"))),
        Err(e) => {
            // Why the winners cannot be recorded yet is told above the form.
            let (status, messages) = match e {
                ApiError::Domain(Error::Conflict(why)) => {
                    (StatusCode::CONFLICT, vec![ctx.say(&why)])
                }
                e => {
                    let errors = form_errors(e, &ctx)?;
                    (
                        StatusCode::UNPROCESSABLE_ENTITY,
                        errors.others(&[]).into_iter().map(str::to_owned).collect(),
                    )
                }
            };
            results_page_with(&state, ctx, id, status, None, None, messages).await
        }
    }
}

/// `GET /panitia/edisi/{id}/ekspor.xlsx` and `.csv`: the API's exports, for the
/// session cookie (the API takes only a bearer token).
pub async fn export_xlsx(
    State(state): State<AppState>,
    PageCan { ctx, caller, .. }: PageCan<ManageJudging>,
    PagePath(id): PagePath<EditionId>,
) -> PageResult {
    let user = caller.user.id;
    export(&state, user, id, ExportFormat::Xlsx)
        .await
        .page(&ctx)
}

pub async fn export_csv(
    State(state): State<AppState>,
    PageCan { ctx, caller, .. }: PageCan<ManageJudging>,
    PagePath(id): PagePath<EditionId>,
) -> PageResult {
    let user = caller.user.id;
    export(&state, user, id, ExportFormat::Csv).await.page(&ctx)
}

/// One judge's sheet in the drill-down: who (as the round names them), `S_je`, and
/// each criterion's value with its comment.
#[derive(Debug)]
pub struct DrillSheet {
    pub judge: String,
    pub total: String,
    pub values: Vec<(String, String, String)>,
    pub comment: Option<String>,
}

/// One round of the drill-down.
#[derive(Debug)]
pub struct DrillRound {
    pub name: String,
    pub sheets: Vec<DrillSheet>,
}

#[derive(Template)]
#[template(path = "org_drilldown.html")]
struct DrillPage {
    ctx: Ctx,
    e: Edition,
    title: String,
    rounds: Vec<DrillRound>,
    /// The tie decision that set this entry's place, and its reason.
    tie: Option<String>,
}

/// `GET /panitia/edisi/{id}/hasil/{entry}`: how an entry's score came about: every
/// judge's `S_je` and criterion values, round by round, and the tie decision that
/// placed it, if one did.
pub async fn drilldown(
    State(state): State<AppState>,
    PageCan { ctx, caller, .. }: PageCan<ManageJudging>,
    PagePath((id, entry)): PagePath<(EditionId, EntryId)>,
) -> PageResult {
    let e = state.store.edition(id).await.page(&ctx)?;
    let rounds = state.store.entry_sheets(id, entry).await.page(&ctx)?;
    let title = state
        .store
        .entry_for(entry, &caller.user, false)
        .await
        .page(&ctx)?
        .content
        .title;
    let rounds = rounds
        .into_iter()
        .map(|(round, sheets)| DrillRound {
            name: round.name.clone(),
            sheets: sheets
                .iter()
                .enumerate()
                .map(|(i, (a, name))| DrillSheet {
                    judge: juri_domain::round::peer_label(
                        &round,
                        juri_domain::user::Role::Organiser,
                        i,
                        name,
                    ),
                    total: score_text(round.rubric.score(|c| {
                        a.sheet
                            .scores
                            .iter()
                            .find(|v| v.criterion_id == c)
                            .and_then(|v| v.value)
                    })),
                    values: round
                        .rubric
                        .criteria
                        .iter()
                        .map(|c| {
                            let v = a.sheet.scores.iter().find(|v| v.criterion_id == c.id);
                            (
                                c.name.clone(),
                                v.and_then(|v| v.value)
                                    .map_or_else(|| "–".to_owned(), |x| x.to_string()),
                                v.and_then(|v| v.comment.clone()).unwrap_or_default(),
                            )
                        })
                        .collect(),
                    comment: a.sheet.comment.clone().filter(|c| !c.trim().is_empty()),
                })
                .collect(),
        })
        .collect();
    let tie = state
        .store
        .edition_results(id)
        .await
        .page(&ctx)?
        .tie_decisions
        .into_iter()
        .find(|d| d.entry_ids.contains(&entry))
        .map(|d| d.reason);
    Ok(render(
        StatusCode::OK,
        &DrillPage {
            ctx,
            e,
            title,
            rounds,
            tie,
        },
    ))
}
