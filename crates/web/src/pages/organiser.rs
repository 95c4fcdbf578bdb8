//! The organiser's pages under `/panitia`: the editions with their phase and counts,
//! the screening queue and form, a round's set-up with its rubric, the automatic and
//! manual assignment with its statistics, round progress, closing a round, the
//! results (ranking bars, flags, each judge's score distribution as an SVG chart),
//! tie decisions, winners, publishing behind a confirmation, and the exports. Each
//! page authorises with the permission table exactly as the API route it mirrors,
//! and makes the same `Store` call.

use crate::error::ApiError;
use crate::extract::AuthUser;
use crate::pages::shared::{
    form_errors, form_errors_or_conflict_at, phase_key, require_action, status_key,
};
use crate::pages::{Ctx, FormErrors, PageError, PageResult, PageResultExt, render, see_other};
use crate::routes::results::{ExportFormat, export};
use crate::state::AppState;
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use juri_domain::Error;
use juri_domain::Message;
use juri_domain::access::Action;
use juri_domain::attachment::Attachment;
use juri_domain::award::Award;
use juri_domain::award::tie_reason;
use juri_domain::edition::{Edition, Field, Phase, Track};
use juri_domain::entry::{Entry, Event, Status};
use juri_domain::ids::{AssignmentId, EditionId, EntryId, FieldId, RoundId, TrackId, UserId};
use juri_domain::round::{PanelMember, Round};
use juri_domain::scoring::AdvanceRule;
use juri_persistence::{
    AssignFailure, EditionResults, EditionVisibility, EntryFilter, Progress, RoundResults,
    Shortfall, SubmittedSheet,
};
use serde::Deserialize;
use std::collections::HashMap;

/// The organiser's area starts here.
pub const HOME: &str = "/panitia";

fn organiser(ctx: &Ctx, action: Action) -> Result<&AuthUser, PageError> {
    require_action(ctx, action)
}

/// A percentage for a progress bar.
fn percent(done: usize, total: usize) -> usize {
    (done * 100).checked_div(total).unwrap_or(0)
}

/// A score with one decimal, or a dash when there is none.
fn score_text(s: Option<f64>) -> String {
    s.map(|v| format!("{v:.1}"))
        .unwrap_or_else(|| "–".to_owned())
}

/// How many entries of `edition` match `status` (every status when `None`).
async fn count(
    state: &AppState,
    edition: EditionId,
    status: Option<Status>,
) -> Result<u64, ApiError> {
    Ok(state
        .store
        .entries(
            EntryFilter {
                edition: Some(edition),
                status,
                ..EntryFilter::default()
            },
            1,
            1,
        )
        .await?
        .total)
}

// ---------------------------------------------------------------------------------
// The editions.

#[derive(Debug)]
pub struct EditionRow {
    pub e: Edition,
    pub phase: &'static str,
    pub entries: u64,
    pub to_screen: u64,
    pub eligible: u64,
}

#[derive(Template)]
#[template(path = "org_home.html")]
struct HomePage {
    ctx: Ctx,
    rows: Vec<EditionRow>,
}

/// `GET /panitia`: every edition, newest first, with its phase and counts.
pub async fn home(State(state): State<AppState>, ctx: Ctx) -> PageResult {
    organiser(&ctx, Action::ManageEditions)?;
    let now = state.now();
    let editions = state
        .store
        .editions(EditionVisibility::All, 1, 50)
        .await
        .page(&ctx)?
        .items;
    let mut rows = Vec::with_capacity(editions.len());
    for e in editions {
        rows.push(EditionRow {
            phase: ctx.t(phase_key(e.phase(now))),
            entries: count(&state, e.id, None).await.page(&ctx)?,
            to_screen: count(&state, e.id, Some(Status::Submitted))
                .await
                .page(&ctx)?,
            eligible: count(&state, e.id, Some(Status::Eligible))
                .await
                .page(&ctx)?,
            e,
        });
    }
    Ok(render(StatusCode::OK, &HomePage { ctx, rows }))
}

#[derive(Template)]
#[template(path = "org_edition.html")]
struct EditionPage {
    ctx: Ctx,
    e: Edition,
    phase: &'static str,
    published: bool,
    opens: String,
    closes: String,
    counts: Vec<(&'static str, u64)>,
    rounds: Vec<Round>,
}

/// `GET /panitia/edisi/{id}`: one edition: its timeline, entries by status, rounds,
/// and the way to each step.
pub async fn edition(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> PageResult {
    organiser(&ctx, Action::ManageEditions)?;
    let id: EditionId = id.parse().page(&ctx)?;
    let e = state.store.edition(id).await.page(&ctx)?;
    let mut counts = Vec::new();
    for s in [
        Status::Submitted,
        Status::Eligible,
        Status::Ineligible,
        Status::InJudging,
        Status::Winner,
    ] {
        counts.push((
            ctx.t(status_key(s)),
            count(&state, id, Some(s)).await.page(&ctx)?,
        ));
    }
    let rounds = state.store.rounds(id).await.page(&ctx)?;
    let phase = e.phase(state.now());
    Ok(render(
        StatusCode::OK,
        &EditionPage {
            phase: ctx.t(phase_key(phase)),
            published: phase == Phase::Published,
            opens: crate::pages::public::day(&e.submission_opens_at),
            closes: crate::pages::public::day(&e.submission_closes_at),
            ctx,
            e,
            counts,
            rounds,
        },
    ))
}

// ---------------------------------------------------------------------------------
// Screening.

#[derive(Debug, Default, Deserialize)]
pub struct QueueQuery {
    /// A status, `semua` for every one; the default is what waits for screening.
    #[serde(default)]
    status: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    bidang: String,
    #[serde(default)]
    jalur: String,
    #[serde(default)]
    halaman: String,
    /// Set after a screening: the entry just screened.
    #[serde(default)]
    diseleksi: String,
}

#[derive(Debug)]
pub struct QueueRow {
    pub id: EntryId,
    pub title: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub field: String,
    pub track: String,
}

#[derive(Template)]
#[template(path = "org_queue.html")]
struct QueuePage {
    ctx: Ctx,
    e: Edition,
    rows: Vec<QueueRow>,
    total: u64,
    fields: Vec<Field>,
    tracks: Vec<Track>,
    status: String,
    q: String,
    bidang: String,
    jalur: String,
    page: u64,
    pages: u64,
    statuses: Vec<(&'static str, &'static str)>,
    notice: Option<&'static str>,
}

impl QueuePage {
    /// The query of this page with another page number.
    fn page_link(&self, page: u64) -> String {
        let enc = crate::pages::session::encode;
        format!(
            "/panitia/edisi/{}/seleksi?status={}&q={}&bidang={}&jalur={}&halaman={page}",
            self.e.id,
            enc(&self.status),
            enc(&self.q),
            enc(&self.bidang),
            enc(&self.jalur),
        )
    }
}

const QUEUE_PAGE: u64 = 20;

/// `GET /panitia/edisi/{id}/seleksi`: the entries to screen, with filters and pages.
pub async fn queue(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<QueueQuery>,
) -> PageResult {
    organiser(&ctx, Action::ScreenEntries)?;
    let id: EditionId = id.parse().page(&ctx)?;
    let e = state.store.edition(id).await.page(&ctx)?;
    let status_text = if q.status.is_empty() {
        Status::Submitted.as_str().to_owned()
    } else {
        q.status.clone()
    };
    // An unknown status or choice filters nothing rather than failing the page.
    let status = Status::parse(&status_text);
    let field: Option<FieldId> = q.bidang.parse().ok();
    let track: Option<TrackId> = q.jalur.parse().ok();
    let page = q
        .halaman
        .parse::<u64>()
        .ok()
        .filter(|p| *p >= 1)
        .unwrap_or(1);
    let fields = state.store.fields(id).await.page(&ctx)?;
    let tracks = state.store.tracks(id).await.page(&ctx)?;
    let found = state
        .store
        .entries(
            EntryFilter {
                edition: Some(id),
                status,
                field,
                track,
                q: Some(q.q.trim().to_owned()).filter(|s| !s.is_empty()),
                ..EntryFilter::default()
            },
            page,
            QUEUE_PAGE,
        )
        .await
        .page(&ctx)?;
    let name_of = |id: Option<String>, names: &[(String, String)]| -> String {
        id.and_then(|i| names.iter().find(|(k, _)| *k == i).map(|(_, n)| n.clone()))
            .unwrap_or_default()
    };
    let field_names: Vec<(String, String)> = fields
        .iter()
        .map(|f| (f.id.to_string(), f.name.clone()))
        .collect();
    let track_names: Vec<(String, String)> = tracks
        .iter()
        .map(|t| (t.id.to_string(), t.name.clone()))
        .collect();
    let rows = found
        .items
        .into_iter()
        .map(|x| QueueRow {
            id: x.id,
            status: x.status.as_str(),
            status_label: ctx.t(status_key(x.status)),
            field: name_of(x.content.field_id.map(|f| f.to_string()), &field_names),
            track: name_of(x.content.track_id.map(|t| t.to_string()), &track_names),
            title: x.content.title,
        })
        .collect();
    let statuses = [
        Status::Submitted,
        Status::Eligible,
        Status::Ineligible,
        Status::InJudging,
        Status::Draft,
    ]
    .into_iter()
    .map(|s| (s.as_str(), ctx.t(status_key(s))))
    .collect();
    let notice = ctx.notice(&[(&q.diseleksi, "org.screened")]);
    Ok(render(
        StatusCode::OK,
        &QueuePage {
            pages: found.total.div_ceil(QUEUE_PAGE).max(1),
            total: found.total,
            ctx,
            e,
            rows,
            fields,
            tracks,
            status: status_text,
            q: q.q,
            bidang: q.bidang,
            jalur: q.jalur,
            page,
            statuses,
            notice,
        },
    ))
}

#[derive(Debug, Default, Deserialize)]
pub struct ScreeningForm {
    /// `ya` (eligible) or `tidak` (ineligible).
    #[serde(default)]
    eligible: String,
    #[serde(default)]
    reason: String,
}

#[derive(Template)]
#[template(path = "org_entry.html")]
struct EntryPage {
    ctx: Ctx,
    entry: Entry,
    attachments: Vec<Attachment>,
    status_label: &'static str,
    field: String,
    track: String,
    screenable: bool,
    form: ScreeningForm,
    errors: FormErrors,
    notice: Option<&'static str>,
}

impl EntryPage {
    /// Errors of the screening that belong to neither field.
    fn loose_errors(&self) -> Vec<&str> {
        self.errors.others(&["eligible", "reason"])
    }
}

async fn entry_page_with(
    state: &AppState,
    ctx: Ctx,
    id: EntryId,
    status: StatusCode,
    form: ScreeningForm,
    errors: FormErrors,
    notice: Option<&'static str>,
) -> PageResult {
    let user = organiser(&ctx, Action::ScreenEntries)?.user.clone();
    let entry = state.store.entry_for(id, &user, false).await.page(&ctx)?;
    let attachments = state.store.attachments(id, &user, false).await.page(&ctx)?;
    let field = match entry.content.field_id {
        Some(f) => state
            .store
            .fields(entry.edition_id)
            .await
            .page(&ctx)?
            .into_iter()
            .find(|x| x.id == f)
            .map(|x| x.name)
            .unwrap_or_default(),
        None => String::new(),
    };
    let track = match entry.content.track_id {
        Some(t) => state
            .store
            .tracks(entry.edition_id)
            .await
            .page(&ctx)?
            .into_iter()
            .find(|x| x.id == t)
            .map(|x| x.name)
            .unwrap_or_default(),
        None => String::new(),
    };
    let screenable = matches!(
        entry.status,
        Status::Submitted | Status::Eligible | Status::Ineligible
    );
    Ok(render(
        status,
        &EntryPage {
            status_label: ctx.t(status_key(entry.status)),
            ctx,
            entry,
            attachments,
            field,
            track,
            screenable,
            form,
            errors,
            notice,
        },
    ))
}

#[derive(Debug, Default, Deserialize)]
pub struct ScreenedNotice {
    #[serde(default)]
    diseleksi: String,
}

/// `GET /panitia/inovasi/{id}`: an entry in full, with the screening form.
pub async fn entry(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<ScreenedNotice>,
) -> PageResult {
    let id: EntryId = id.parse().page(&ctx)?;
    let notice = ctx.notice(&[(&q.diseleksi, "org.screened")]);
    entry_page_with(
        &state,
        ctx,
        id,
        StatusCode::OK,
        ScreeningForm::default(),
        FormErrors::default(),
        notice,
    )
    .await
}

/// `POST /panitia/inovasi/{id}/seleksi`: eligible, or ineligible with a reason the
/// submitter will read (the domain requires it).
pub async fn screen(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(form): Form<ScreeningForm>,
) -> PageResult {
    let user = organiser(&ctx, Action::ScreenEntries)?.user.clone();
    let id: EntryId = id.parse().page(&ctx)?;
    let eligible = match form.eligible.as_str() {
        "ya" => Ok(true),
        "tidak" => Ok(false),
        _ => Err(Error::invalid(
            "eligible",
            "required",
            Message::new("field.organiser.required"),
        )),
    };
    let outcome = match eligible {
        Ok(eligible) => state
            .store
            .transition_entry(
                id,
                &user,
                Event::Screen { eligible },
                Some(form.reason.clone()),
                state.now(),
            )
            .await
            .map_err(ApiError::from),
        Err(e) => Err(e.into()),
    };
    match outcome {
        Ok(entry) => Ok(see_other(&format!(
            "/panitia/edisi/{}/seleksi?diseleksi={}",
            entry.edition_id, entry.id
        ))),
        Err(e) => {
            let errors = form_errors(e, &ctx)?;
            entry_page_with(
                &state,
                ctx,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                form,
                errors,
                None,
            )
            .await
        }
    }
}

// ---------------------------------------------------------------------------------
// Rounds: assignment, progress, closing, advancing (the round's form is in
// `round_form`).

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
    /// The submitted sheets, each with a form to reopen it while the round is open.
    sheets: Vec<SubmittedSheet>,
    reopen: Option<(AssignmentId, String)>,
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
    fn percent(&self) -> usize {
        percent(self.done, self.total)
    }

    /// Why reopening `sheet` was refused, if it was.
    fn reopen_error(&self, sheet: &AssignmentId) -> Option<&str> {
        self.reopen
            .as_ref()
            .filter(|(id, _)| id == sheet)
            .and_then(|_| self.errors.get("reason").or(self.errors.get("reopen")))
    }

    /// Why reopening a sheet no longer listed (not submitted) was refused.
    fn reopen_unlisted_error(&self) -> Option<&str> {
        let (id, _) = self.reopen.as_ref()?;
        if self.sheets.iter().any(|s| s.id == *id) {
            return None;
        }
        self.errors.get("reopen").or(self.errors.get("reason"))
    }

    /// The reason typed for reopening `sheet`, when it comes back refused.
    fn reopen_reason(&self, sheet: &AssignmentId) -> &str {
        self.reopen
            .as_ref()
            .filter(|(id, _)| id == sheet)
            .map_or("", |(_, reason)| reason.as_str())
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
}

/// What a round page shows besides the round: a notice, or the refusal of one of
/// its forms with what was typed into it.
#[derive(Debug, Default)]
struct RoundShown {
    notice: Option<String>,
    shortfalls: Vec<Shortfall>,
    errors: FormErrors,
    advance: AdvanceForm,
    /// The sheet whose reopening was refused, and the reason typed.
    reopen: Option<(AssignmentId, String)>,
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
        reopen,
    } = shown;
    organiser(&ctx, Action::ManageJudging)?;
    let round = state.store.round(id).await.page(&ctx)?;
    let e = state.store.edition(round.edition_id).await.page(&ctx)?;
    let progress = state.store.progress(id).await.page(&ctx)?;
    let panel = state.store.panel(round.edition_id).await.page(&ctx)?;
    let sheets = state.store.round_submitted_sheets(id).await.page(&ctx)?;
    Ok(render(
        status,
        &RoundPage {
            sheets,
            reopen,
            stats: stats(&progress, round.judges_per_entry, panel.len()),
            done: progress.sheets_submitted,
            total: progress.sheets_total,
            judges: bars(progress.judges),
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
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<RoundNotice>,
) -> PageResult {
    let id: RoundId = id.parse().page(&ctx)?;
    // "Assigned" and "advanced" carry their counts; the other flags are plain texts.
    let notice = match (q.ditugaskan.parse::<usize>(), q.maju.parse::<usize>()) {
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
    ctx: Ctx,
    Path(id): Path<String>,
) -> PageResult {
    let user = organiser(&ctx, Action::ManageJudging)?.user.clone();
    let id: RoundId = id.parse().page(&ctx)?;
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
async fn change_pair(state: AppState, ctx: Ctx, id: String, f: PairForm, add: bool) -> PageResult {
    let user = organiser(&ctx, Action::ManageJudging)?.user.clone();
    let id: RoundId = id.parse().page(&ctx)?;
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
    ctx: Ctx,
    Path(id): Path<String>,
    Form(f): Form<PairForm>,
) -> PageResult {
    change_pair(state, ctx, id, f, true).await
}

/// `POST /panitia/babak/{id}/hapus`: remove a judge from an entry.
pub async fn unassign(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
    Form(f): Form<PairForm>,
) -> PageResult {
    change_pair(state, ctx, id, f, false).await
}

/// `POST /panitia/babak/{id}/tutup`: close the round; it takes no more sheets.
pub async fn close_round(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> PageResult {
    let user = organiser(&ctx, Action::ManageJudging)?.user.clone();
    let id: RoundId = id.parse().page(&ctx)?;
    state
        .store
        .close_round(id, user.id, state.now())
        .await
        .page(&ctx)?;
    Ok(see_other(&format!("/panitia/babak/{id}?ditutup=1")))
}

#[derive(Debug, Default, Deserialize)]
pub struct ReopenForm {
    #[serde(default)]
    reason: String,
}

/// `POST /panitia/babak/{id}/lembar/{sheet}/buka`: send a submitted sheet back to
/// its judge as a draft, with the reason (required, kept in the audit trail).
pub async fn reopen_sheet(
    State(state): State<AppState>,
    ctx: Ctx,
    Path((id, sheet)): Path<(String, String)>,
    Form(f): Form<ReopenForm>,
) -> PageResult {
    let user = organiser(&ctx, Action::ManageJudging)?.user.clone();
    let id: RoundId = id.parse().page(&ctx)?;
    let sheet: AssignmentId = sheet.parse().page(&ctx)?;
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
            // The sheet is not submitted, or the round closed: told by its form.
            let errors = form_errors_or_conflict_at(e, "reopen", &ctx)?;
            round_page_with(
                &state,
                ctx,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                RoundShown {
                    errors,
                    reopen: Some((sheet, f.reason)),
                    ..RoundShown::default()
                },
            )
            .await
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
    ctx: Ctx,
    Path(id): Path<String>,
    Form(f): Form<AdvanceForm>,
) -> PageResult {
    let user = organiser(&ctx, Action::ManageJudging)?.user.clone();
    let id: RoundId = id.parse().page(&ctx)?;
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

// ---------------------------------------------------------------------------------
// Results, ties, winners, publication, exports.

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
    /// The award recorded for it, if any (`juara_1`...).
    pub award: String,
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

/// Entry titles of an edition's rounds, from each round's progress (which names every
/// entry that reached it).
async fn titles(state: &AppState, rounds: &[Round]) -> Result<HashMap<String, String>, ApiError> {
    let mut out = HashMap::new();
    for r in rounds {
        for c in state.store.progress(r.id).await?.entries {
            out.insert(c.id, c.name);
        }
    }
    Ok(out)
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
    organiser(&ctx, Action::ManageJudging)?;
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
        let rows = g
            .entries
            .iter()
            .map(|r| RankRow {
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
                award: award_of(&r.entry_id),
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
    ctx: Ctx,
    Path(id): Path<String>,
    Query(q): Query<ResultsNotice>,
) -> PageResult {
    let id: EditionId = id.parse().page(&ctx)?;
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
    ctx: Ctx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let user = organiser(&ctx, Action::ManageJudging)?.user.clone();
    let id: EditionId = id.parse().page(&ctx)?;
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
    ctx: Ctx,
    Path(id): Path<String>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let user = organiser(&ctx, Action::ManageJudging)?.user.clone();
    let id: EditionId = id.parse().page(&ctx)?;
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

#[derive(Template)]
#[template(path = "org_publish.html")]
struct PublishPage {
    ctx: Ctx,
    e: Edition,
    winners: Vec<String>,
}

/// `GET /panitia/edisi/{id}/terbitkan`: the confirmation, which says that publishing
/// cannot be undone.
pub async fn publish_confirm(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> PageResult {
    organiser(&ctx, Action::ManageJudging)?;
    let id: EditionId = id.parse().page(&ctx)?;
    let e = state.store.edition(id).await.page(&ctx)?;
    let rounds = state.store.rounds(id).await.page(&ctx)?;
    let names = titles(&state, &rounds).await.page(&ctx)?;
    let winners = state
        .store
        .edition_results(id)
        .await
        .page(&ctx)?
        .winners
        .into_iter()
        .map(|w| {
            format!(
                "{}: {}",
                w.award.label(),
                names
                    .get(&w.entry_id.to_string())
                    .cloned()
                    .unwrap_or_default()
            )
        })
        .collect();
    Ok(render(StatusCode::OK, &PublishPage { ctx, e, winners }))
}

/// `POST /panitia/edisi/{id}/terbitkan`: publish; the edition is frozen from now on.
pub async fn publish(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> PageResult {
    let user = organiser(&ctx, Action::ManageJudging)?.user.clone();
    let id: EditionId = id.parse().page(&ctx)?;
    state
        .store
        .publish(id, user.id, state.now())
        .await
        .page(&ctx)?;
    Ok(see_other(&format!(
        "/panitia/edisi/{id}/hasil?diterbitkan=1"
    )))
}

/// `GET /panitia/edisi/{id}/ekspor.xlsx` and `.csv`: the API's exports, for the
/// session cookie (the API takes only a bearer token).
pub async fn export_xlsx(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> PageResult {
    let user = organiser(&ctx, Action::ManageJudging)?.user.id;
    let id: EditionId = id.parse().page(&ctx)?;
    export(&state, user, id, ExportFormat::Xlsx)
        .await
        .page(&ctx)
}

pub async fn export_csv(
    State(state): State<AppState>,
    ctx: Ctx,
    Path(id): Path<String>,
) -> PageResult {
    let user = organiser(&ctx, Action::ManageJudging)?.user.id;
    let id: EditionId = id.parse().page(&ctx)?;
    export(&state, user, id, ExportFormat::Csv).await.page(&ctx)
}
