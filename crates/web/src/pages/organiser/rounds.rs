//! Rounds: assignment, progress, closing, reopening a sheet, advancing (the round's
//! form is in `round_form`).

use crate::error::ApiError;
use crate::extract::requirements::ManageJudging;
use crate::pages::shared::{form_errors, form_errors_or_conflict_at, refusal_at};
use crate::pages::{
    Ctx, FormErrors, PageCan, PageError, PagePath, PageResult, PageResultExt, render, see_other,
};
use crate::state::AppState;
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use juri_domain::Error;
use juri_domain::Message;
use juri_domain::edition::Edition;
use juri_domain::ids::{AssignmentId, EntryId, RoundId, UserId};
use juri_domain::round::{PanelMember, Round};
use juri_domain::scoring::AdvanceRule;
use juri_domain::user::User;
use juri_persistence::{AssignFailure, Progress, Shortfall, SubmittedSheet};
use serde::Deserialize;

/// A percentage for a progress bar.
fn percent(done: usize, total: usize) -> usize {
    (done * 100).checked_div(total).unwrap_or(0)
}

/// One bar of the round's progress (a judge or an entry).
#[derive(Debug)]
pub struct Bar {
    pub id: String,
    pub name: String,
    pub done: usize,
    pub total: usize,
    pub percent: usize,
}

/// What the assignment looks like now.
#[derive(Debug)]
pub struct AssignmentStats {
    pub entries: usize,
    pub judges: usize,
    pub pairs: usize,
    pub min_load: usize,
    pub max_load: usize,
    /// Entries with fewer judges than the round asks for.
    pub short: Vec<Bar>,
}

#[derive(Template)]
#[template(path = "org_round.html")]
struct RoundPage {
    ctx: Ctx,
    e: Edition,
    round: Round,
    open: bool,
    /// Closed and not yet published: its best entries may move on.
    may_advance: bool,
    advance: AdvanceForm,
    /// The submitted sheets, each linking to its page (where it may be reopened).
    sheets: Vec<SubmittedSheet>,
    stats: AssignmentStats,
    judges: Vec<Bar>,
    entries: Vec<Bar>,
    panel: Vec<PanelMember>,
    done: usize,
    total: usize,
    notice: Option<String>,
    shortfalls: Vec<Shortfall>,
    errors: FormErrors,
}

impl RoundPage {
    /// Criteria without a description: the judge reads nothing beside them.
    fn undescribed(&self) -> usize {
        self.round
            .rubric
            .criteria
            .iter()
            .filter(|c| c.description.trim().is_empty())
            .count()
    }

    fn percent(&self) -> usize {
        percent(self.done, self.total)
    }

    /// The two forms for a pair by hand: the path's last part, the button, its id.
    fn pair_forms(&self) -> Vec<(&'static str, &'static str, &'static str)> {
        vec![
            ("tambah", self.ctx.t("round.add"), "add-pair"),
            ("hapus", self.ctx.t("round.remove"), "remove-pair"),
        ]
    }
}

fn bars(counts: Vec<juri_persistence::Count>) -> Vec<Bar> {
    counts
        .into_iter()
        .map(|c| Bar {
            percent: percent(c.submitted, c.total),
            id: c.id,
            name: c.name,
            done: c.submitted,
            total: c.total,
        })
        .collect()
}

/// The judges furthest behind first (the least done, then the most left), so the ones
/// to remind are at the top.
fn behind_first(mut judges: Vec<Bar>) -> Vec<Bar> {
    judges.sort_by(|a, b| {
        (a.percent, b.total - b.done, &a.name).cmp(&(b.percent, a.total - a.done, &b.name))
    });
    judges
}

fn stats(p: &Progress, k: u32, panel: usize) -> AssignmentStats {
    let loads: Vec<usize> = p.judges.iter().map(|j| j.total).collect();
    AssignmentStats {
        entries: p.entries.len(),
        judges: panel,
        pairs: p.sheets_total,
        min_load: loads.iter().copied().min().unwrap_or(0),
        max_load: loads.iter().copied().max().unwrap_or(0),
        short: bars(
            p.entries
                .iter()
                .filter(|c| c.total < k as usize)
                .cloned()
                .collect(),
        ),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct RoundNotice {
    #[serde(default)]
    dibuat: String,
    #[serde(default)]
    ditugaskan: String,
    #[serde(default)]
    diubah: String,
    #[serde(default)]
    ditutup: String,
    #[serde(default)]
    disimpan: String,
    #[serde(default)]
    dibuka: String,
    /// How many entries advanced to the next round.
    #[serde(default)]
    maju: String,
    /// Judges reminded now, and those reminded earlier today.
    #[serde(default)]
    diingatkan: String,
    #[serde(default)]
    sudah: String,
}

/// What a round page shows besides the round: a notice, or the refusal of one of
/// its forms with what was typed into it.
#[derive(Debug, Default)]
struct RoundShown {
    notice: Option<String>,
    shortfalls: Vec<Shortfall>,
    errors: FormErrors,
    advance: AdvanceForm,
}

impl RoundShown {
    fn errors(errors: FormErrors) -> RoundShown {
        RoundShown {
            errors,
            ..RoundShown::default()
        }
    }
}

async fn round_page_with(
    state: &AppState,
    ctx: Ctx,
    id: RoundId,
    status: StatusCode,
    shown: RoundShown,
) -> PageResult {
    let RoundShown {
        notice,
        shortfalls,
        errors,
        advance,
    } = shown;
    let round = state.store.round(id).await.page(&ctx)?;
    let e = state.store.edition(round.edition_id).await.page(&ctx)?;
    let progress = state.store.progress(id).await.page(&ctx)?;
    let panel = state.store.panel(round.edition_id).await.page(&ctx)?;
    let sheets = state.store.round_submitted_sheets(id).await.page(&ctx)?;
    Ok(render(
        status,
        &RoundPage {
            sheets,
            stats: stats(&progress, round.judges_per_entry, panel.len()),
            done: progress.sheets_submitted,
            total: progress.sheets_total,
            judges: behind_first(bars(progress.judges)),
            entries: bars(progress.entries),
            open: round.closed_at.is_none() && e.published_at.is_none(),
            may_advance: round.closed_at.is_some() && e.published_at.is_none(),
            ctx,
            e,
            round,
            panel,
            notice,
            shortfalls,
            errors,
            advance,
        },
    ))
}

/// `GET /panitia/babak/{id}`: the round: its rubric, the assignment and its
/// statistics, progress per judge and per entry, and its actions.
pub async fn round(
    State(state): State<AppState>,
    PageCan { ctx, .. }: PageCan<ManageJudging>,
    PagePath(id): PagePath<RoundId>,
    Query(q): Query<RoundNotice>,
) -> PageResult {
    // "Assigned" and "advanced" carry their counts; the other flags are plain texts.
    let notice = match (q.ditugaskan.parse::<usize>(), q.maju.parse::<usize>()) {
        _ if !q.diingatkan.is_empty() => Some(reminded_notice(&ctx, &q.diingatkan, &q.sudah)),
        (Ok(n), _) if q.dibuat.is_empty() => Some(format!("{} {n}", ctx.t("round.assigned"))),
        (_, Ok(n)) => Some(format!("{} {n}", ctx.t("round.advanced"))),
        _ => ctx
            .notice(&[
                (&q.dibuat, "round.created"),
                (&q.diubah, "round.changed"),
                (&q.ditutup, "round.closed_notice"),
                (&q.disimpan, "round.saved"),
                (&q.dibuka, "round.reopened"),
            ])
            .map(str::to_owned),
    };
    round_page_with(
        &state,
        ctx,
        id,
        StatusCode::OK,
        RoundShown {
            notice,
            ..RoundShown::default()
        },
    )
    .await
}

/// `POST /panitia/babak/{id}/otomatis`: the automatic assignment (existing pairs are
/// kept). When no assignment exists, the entries short of judges are listed.
pub async fn auto_assign(
    State(state): State<AppState>,
    PageCan { ctx, caller, .. }: PageCan<ManageJudging>,
    PagePath(id): PagePath<RoundId>,
) -> PageResult {
    let user = caller.user;
    state.expensive(user.id).page(&ctx)?;
    match state.store.auto_assign(id, user.id, state.now()).await {
        Ok(a) => Ok(see_other(&format!(
            "/panitia/babak/{id}?ditugaskan={}",
            a.added
        ))),
        Err(AssignFailure::Infeasible(short)) => {
            round_page_with(
                &state,
                ctx,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                RoundShown {
                    shortfalls: short,
                    ..RoundShown::default()
                },
            )
            .await
        }
        Err(AssignFailure::Store(e)) => Err(PageError::new(e, &ctx)),
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct PairForm {
    #[serde(default)]
    entry_id: String,
    #[serde(default)]
    judge_id: String,
}

impl PairForm {
    fn parse(&self) -> Result<(EntryId, UserId), Error> {
        let mut errors = Vec::new();
        let entry = self.entry_id.parse::<EntryId>().ok();
        if entry.is_none() {
            errors.push(juri_domain::FieldError::new(
                "entry_id",
                "required",
                Message::new("field.organiser.required.entry_id"),
            ));
        }
        let judge = self.judge_id.parse::<UserId>().ok();
        if judge.is_none() {
            errors.push(juri_domain::FieldError::new(
                "judge_id",
                "required",
                Message::new("field.organiser.required.judge_id"),
            ));
        }
        match (entry, judge) {
            (Some(e), Some(j)) => Ok((e, j)),
            _ => Err(Error::Invalid(errors)),
        }
    }
}

/// Assign by hand (`add`) or remove a pair; a refusal is shown on the round page.
async fn change_pair(
    state: AppState,
    ctx: Ctx,
    user: User,
    id: RoundId,
    f: PairForm,
    add: bool,
) -> PageResult {
    let outcome = match f.parse() {
        Ok((entry, judge)) if add => state
            .store
            .assign_by_hand(id, entry, judge, user.id, state.now())
            .await
            .map(|_| ())
            .map_err(ApiError::from),
        Ok((entry, judge)) => state
            .store
            .unassign(id, entry, judge, user.id, state.now())
            .await
            .map_err(ApiError::from),
        Err(e) => Err(e.into()),
    };
    match outcome {
        Ok(()) => Ok(see_other(&format!("/panitia/babak/{id}?diubah=1"))),
        Err(e) => {
            // A refused pair (a conflict, a judge not on the panel, a pair that does
            // not exist) is told next to the form, not on a page of its own.
            let errors = match e {
                ApiError::Domain(Error::Conflict(why)) => FormErrors::one("pair", &ctx.say(&why)),
                ApiError::Domain(Error::NotFound) => {
                    FormErrors::one("pair", ctx.t("round.no_such_pair"))
                }
                e => form_errors(e, &ctx)?,
            };
            round_page_with(
                &state,
                ctx,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                RoundShown::errors(errors),
            )
            .await
        }
    }
}

/// `POST /panitia/babak/{id}/tambah`: assign a judge to an entry by hand.
pub async fn assign(
    State(state): State<AppState>,
    PageCan { ctx, caller, .. }: PageCan<ManageJudging>,
    PagePath(id): PagePath<RoundId>,
    Form(f): Form<PairForm>,
) -> PageResult {
    change_pair(state, ctx, caller.user, id, f, true).await
}

/// `POST /panitia/babak/{id}/hapus`: remove a judge from an entry.
pub async fn unassign(
    State(state): State<AppState>,
    PageCan { ctx, caller, .. }: PageCan<ManageJudging>,
    PagePath(id): PagePath<RoundId>,
    Form(f): Form<PairForm>,
) -> PageResult {
    change_pair(state, ctx, caller.user, id, f, false).await
}

/// `POST /panitia/babak/{id}/tambah-banyak`: one judge (`judge_id`) to every ticked
/// entry (`pilih_<id>`), all or none; a refusal stays on the round page.
pub async fn assign_many(
    State(state): State<AppState>,
    PageCan { ctx, caller, .. }: PageCan<ManageJudging>,
    PagePath(id): PagePath<RoundId>,
    Form(form): Form<std::collections::HashMap<String, String>>,
) -> PageResult {
    let mut entries = Vec::new();
    for key in form.keys() {
        if let Some(raw) = key.strip_prefix("pilih_") {
            entries.push(raw.parse::<EntryId>().page(&ctx)?);
        }
    }
    entries.sort();
    let judge = form.get("judge_id").and_then(|j| j.parse::<UserId>().ok());
    let mut missing = Vec::new();
    if judge.is_none() {
        missing.push(juri_domain::FieldError::new(
            "judge_id",
            "required",
            Message::new("field.organiser.required.judge_id"),
        ));
    }
    if entries.is_empty() {
        missing.push(juri_domain::FieldError::new(
            "assign_many",
            "required",
            Message::new("field.organiser.choose_entries"),
        ));
    }
    let outcome = match judge {
        Some(judge) if missing.is_empty() => state
            .store
            .assign_judge_to(id, &entries, judge, caller.user.id, state.now())
            .await
            .map_err(ApiError::from),
        _ => Err(Error::Invalid(missing).into()),
    };
    match outcome {
        Ok(added) => Ok(see_other(&format!(
            "/panitia/babak/{id}?ditugaskan={}",
            added.len()
        ))),
        Err(e) => {
            let (status, errors) = refusal_at(e, "assign_many", &ctx)?;
            round_page_with(&state, ctx, id, status, RoundShown::errors(errors)).await
        }
    }
}

/// The confirmation before closing a round: what is still missing (each judge with
/// sheets not submitted), and the refusal of a close that was tried.
#[derive(Template)]
#[template(path = "org_close_round.html")]
struct ClosePage {
    ctx: Ctx,
    e: Edition,
    round: Round,
    done: usize,
    total: usize,
    /// Judges with sheets not submitted, furthest behind first.
    missing: Vec<Bar>,
    errors: FormErrors,
}

async fn close_page(
    state: &AppState,
    ctx: Ctx,
    id: RoundId,
    status: StatusCode,
    errors: FormErrors,
) -> PageResult {
    let round = state.store.round(id).await.page(&ctx)?;
    let e = state.store.edition(round.edition_id).await.page(&ctx)?;
    let progress = state.store.progress(id).await.page(&ctx)?;
    let missing = behind_first(bars(progress.judges))
        .into_iter()
        .filter(|b| b.done < b.total)
        .collect();
    Ok(render(
        status,
        &ClosePage {
            done: progress.sheets_submitted,
            total: progress.sheets_total,
            missing,
            ctx,
            e,
            round,
            errors,
        },
    ))
}

/// `GET /panitia/babak/{id}/tutup`: close the round? Names the sheets still missing.
pub async fn close_confirm(
    State(state): State<AppState>,
    PageCan { ctx, .. }: PageCan<ManageJudging>,
    PagePath(id): PagePath<RoundId>,
) -> PageResult {
    close_page(&state, ctx, id, StatusCode::OK, FormErrors::default()).await
}

/// `POST /panitia/babak/{id}/tutup`: close the round; it takes no more sheets. A
/// refusal (closed already, the edition published) stays on the confirmation.
pub async fn close_round(
    State(state): State<AppState>,
    PageCan { ctx, caller, .. }: PageCan<ManageJudging>,
    PagePath(id): PagePath<RoundId>,
) -> PageResult {
    match state
        .store
        .close_round(id, caller.user.id, state.now())
        .await
    {
        Ok(_) => Ok(see_other(&format!("/panitia/babak/{id}?ditutup=1"))),
        Err(e) => {
            let (status, errors) = refusal_at(e, "close", &ctx)?;
            close_page(&state, ctx, id, status, errors).await
        }
    }
}

/// The notice after "Ingatkan": judges mailed now, and those reminded earlier today.
fn reminded_notice(ctx: &Ctx, mailed: &str, already: &str) -> String {
    let mailed = mailed.parse::<u64>().unwrap_or(0);
    let already = already.parse::<u64>().unwrap_or(0);
    let mut out = juri_text::fill(ctx.t("round.reminded"), &[("mailed", mailed.to_string())]);
    if already > 0 {
        out.push(' ');
        out.push_str(&juri_text::fill(
            ctx.t("round.reminded_already"),
            &[("already", already.to_string())],
        ));
    }
    out
}

/// `POST /panitia/babak/{id}/ingatkan`: mail the judges with sheets not submitted
/// (each at most once a day); a closed round refuses, on the round page.
pub async fn remind(
    State(state): State<AppState>,
    PageCan { ctx, caller, .. }: PageCan<ManageJudging>,
    PagePath(id): PagePath<RoundId>,
) -> PageResult {
    match state
        .store
        .remind_judges(id, caller.user.id, state.now())
        .await
    {
        Ok(r) => Ok(see_other(&format!(
            "/panitia/babak/{id}?diingatkan={}&sudah={}",
            r.mailed, r.already_today
        ))),
        Err(e) => {
            let (status, errors) = refusal_at(e, "remind", &ctx)?;
            round_page_with(&state, ctx, id, status, RoundShown::errors(errors)).await
        }
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct ReopenForm {
    #[serde(default)]
    reason: String,
}

/// A submitted sheet, to send back to its judge: who, what, when, and the form.
#[derive(Template)]
#[template(path = "org_reopen.html")]
struct ReopenPage {
    ctx: Ctx,
    e: Edition,
    round: Round,
    sheet_id: AssignmentId,
    /// `None`: the sheet is not (or no longer) submitted.
    sheet: Option<SubmittedSheet>,
    open: bool,
    reason: String,
    errors: FormErrors,
}

async fn reopen_page(
    state: &AppState,
    ctx: Ctx,
    (id, sheet_id): (RoundId, AssignmentId),
    status: StatusCode,
    reason: String,
    errors: FormErrors,
) -> PageResult {
    let round = state.store.round(id).await.page(&ctx)?;
    let e = state.store.edition(round.edition_id).await.page(&ctx)?;
    let sheet = state
        .store
        .round_submitted_sheets(id)
        .await
        .page(&ctx)?
        .into_iter()
        .find(|s| s.id == sheet_id);
    Ok(render(
        status,
        &ReopenPage {
            open: round.closed_at.is_none() && e.published_at.is_none(),
            ctx,
            e,
            round,
            sheet_id,
            sheet,
            reason,
            errors,
        },
    ))
}

/// `GET /panitia/babak/{id}/lembar/{sheet}/buka`: a submitted sheet and the form that
/// sends it back to its judge.
pub async fn reopen_form(
    State(state): State<AppState>,
    PageCan { ctx, .. }: PageCan<ManageJudging>,
    PagePath(ids): PagePath<(RoundId, AssignmentId)>,
) -> PageResult {
    reopen_page(
        &state,
        ctx,
        ids,
        StatusCode::OK,
        String::new(),
        FormErrors::default(),
    )
    .await
}

/// `POST /panitia/babak/{id}/lembar/{sheet}/buka`: send a submitted sheet back to
/// its judge as a draft, with the reason (required, kept in the audit trail). A
/// refusal stays on the sheet's page with the reason typed.
pub async fn reopen_sheet(
    State(state): State<AppState>,
    PageCan { ctx, caller, .. }: PageCan<ManageJudging>,
    PagePath((id, sheet)): PagePath<(RoundId, AssignmentId)>,
    Form(f): Form<ReopenForm>,
) -> PageResult {
    let user = caller.user;
    match state
        .store
        .reopen_sheet(sheet, user.id, &f.reason, state.now())
        .await
    {
        Ok(a) => Ok(see_other(&format!(
            "/panitia/babak/{}?dibuka=1",
            a.round_id
        ))),
        Err(e) => {
            let (status, errors) = refusal_at(e, "reopen", &ctx)?;
            reopen_page(&state, ctx, (id, sheet), status, f.reason, errors).await
        }
    }
}

/// The advance form as sent: exactly one of the two is filled in.
#[derive(Debug, Default, Clone, Deserialize)]
pub struct AdvanceForm {
    #[serde(default)]
    pub top_n_per_track: String,
    #[serde(default)]
    pub min_score: String,
}

impl AdvanceForm {
    /// The rule chosen, as the API's `POST /rounds/{id}/advance` reads it; an empty
    /// box is no choice, an unreadable one a field error by its input.
    fn parse(&self) -> Result<AdvanceRule, Error> {
        let mut errors = Vec::new();
        let top_n = match self.top_n_per_track.trim() {
            "" => None,
            raw => raw.parse::<usize>().map(Some).unwrap_or_else(|_| {
                errors.push(juri_domain::FieldError::new(
                    "top_n_per_track",
                    "not_a_whole_number",
                    Message::new("field.organiser.not_a_whole_number"),
                ));
                None
            }),
        };
        let min_score = match self.min_score.trim() {
            "" => None,
            raw => raw
                .replace(',', ".")
                .parse::<f64>()
                .map(Some)
                .unwrap_or_else(|_| {
                    errors.push(juri_domain::FieldError::new(
                        "min_score",
                        "not_a_number",
                        Message::new("field.organiser.not_a_number"),
                    ));
                    None
                }),
        };
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }
        AdvanceRule::choose(top_n, min_score)
    }
}

/// `POST /panitia/babak/{id}/maju`: move the best entries of the closed round into
/// the next one; the round page then tells how many advanced.
pub async fn advance(
    State(state): State<AppState>,
    PageCan { ctx, caller, .. }: PageCan<ManageJudging>,
    PagePath(id): PagePath<RoundId>,
    Form(f): Form<AdvanceForm>,
) -> PageResult {
    let user = caller.user;
    let outcome = match f.parse() {
        Ok(rule) => state
            .store
            .advance(id, rule, user.id, state.now())
            .await
            .map_err(ApiError::from),
        Err(e) => Err(e.into()),
    };
    match outcome {
        Ok(advanced) => Ok(see_other(&format!(
            "/panitia/babak/{id}?maju={}",
            advanced.len()
        ))),
        Err(e) => {
            // An open round, or no next round: told above the form.
            let errors = form_errors_or_conflict_at(e, "advance", &ctx)?;
            round_page_with(
                &state,
                ctx,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                RoundShown {
                    errors,
                    advance: f,
                    ..RoundShown::default()
                },
            )
            .await
        }
    }
}
