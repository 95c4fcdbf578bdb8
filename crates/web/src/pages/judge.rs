//! The judge's pages: my assignments with progress, and the score sheet (the entry's
//! content, each criterion with its description and scale, comments, a running
//! weighted total computed by `/static/skor.js`, save as draft, submit with a
//! confirmation). Each action is the `Store` call the JSON API makes. Only judges have
//! these pages: their door is `PageCan<ScoreEntries>`, which the permission table gives
//! to judges alone.

use crate::error::ApiError;
use crate::extract::requirements::ScoreEntries;
use crate::pages::shared::{form_errors, form_errors_or_conflict_at};
use crate::pages::{
    Ctx, FormErrors, PageCan, PageError, PagePath, PageResult, PageResultExt, render, see_other,
};
use crate::state::AppState;
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use juri_domain::Message;
use juri_domain::attachment::Attachment;
use juri_domain::conflict::{ConflictKind, ConflictTarget, conflict_reason};
use juri_domain::entry::Entry;
use juri_domain::ids::{AssignmentId, CriterionId, OrganisationId};
use juri_domain::organisation::Organisation;
use juri_domain::round::{Assignment, Round, SheetStatus};
use juri_domain::rubric::{Criterion, ScoreValue};
use juri_domain::user::User;
use juri_domain::{Error, FieldError};
use juri_persistence::MyAssignment;
use serde::Deserialize;

fn sheet_key(s: SheetStatus) -> &'static str {
    match s {
        SheetStatus::NotStarted => "sheet.not_started",
        SheetStatus::Draft => "sheet.draft",
        SheetStatus::Submitted => "sheet.submitted",
    }
}

/// One assignment as the list shows it.
#[derive(Debug)]
pub struct AssignmentRow {
    pub a: MyAssignment,
    pub status: &'static str,
    pub status_label: &'static str,
}

#[derive(Template)]
#[template(path = "assignments.html")]
struct AssignmentsPage {
    ctx: Ctx,
    notice: Option<&'static str>,
    /// What is left to score, in open rounds: first, as cards.
    queue: Vec<AssignmentRow>,
    /// Submitted sheets and closed rounds: behind a disclosure.
    past: Vec<AssignmentRow>,
    done: usize,
    total: usize,
    /// For declaring a conflict with a whole agency: the agencies listed (the first
    /// [`AGENCY_CHOICES`] by name, of those the search matches), whether others are
    /// not listed, the search, and the agency the form last sent.
    organisations: Vec<Organisation>,
    more_agencies: bool,
    agency_search: String,
    chosen_agency: String,
    errors: FormErrors,
}

/// How many agencies the conflict form lists at once; the others are found by name,
/// so a national competition's thousands of agencies do not ride on every view.
const AGENCY_CHOICES: u64 = 100;

impl AssignmentsPage {
    /// Percent done, for the progress bar.
    fn percent(&self) -> usize {
        (self.done * 100).checked_div(self.total).unwrap_or(0)
    }
}

/// Is `a` still to be scored: a sheet not submitted, in a round still open?
fn to_score(a: &MyAssignment) -> bool {
    !a.round_closed && a.sheet_status != SheetStatus::Submitted
}

/// The sheet to open after `current`: the first one still to score, in the list's
/// order (the order the judge was given them).
fn next_to_score(list: &[MyAssignment], current: AssignmentId) -> Option<AssignmentId> {
    list.iter()
        .find(|a| a.id != current && to_score(a))
        .map(|a| a.id)
}

#[derive(Debug, Default, Deserialize)]
pub struct ListNotice {
    #[serde(default)]
    konflik: String,
    /// Came from "submit and next" with nothing left to score.
    #[serde(default)]
    selesai: String,
    /// A search of the agencies the conflict form lists.
    #[serde(default)]
    instansi: String,
}

pub async fn assignments(
    State(state): State<AppState>,
    PageCan { ctx, caller, .. }: PageCan<ScoreEntries>,
    Query(q): Query<ListNotice>,
) -> PageResult {
    let notice = ctx.notice(&[
        (&q.konflik, "conflict.recorded"),
        (&q.selesai, "judge.all_sent"),
    ]);
    let agency = AgencyChoice {
        search: q.instansi.trim().to_owned(),
        chosen: None,
    };
    assignments_page_with(
        &state,
        ctx,
        caller.user,
        StatusCode::OK,
        notice,
        agency,
        FormErrors::default(),
    )
    .await
}

/// What the agency conflict form lists: the agencies matching `search`, and `chosen`
/// (the one the form sent, shown selected even if the list would not hold it).
struct AgencyChoice {
    search: String,
    chosen: Option<OrganisationId>,
}

async fn assignments_page_with(
    state: &AppState,
    ctx: Ctx,
    user: User,
    status: StatusCode,
    notice: Option<&'static str>,
    agency: AgencyChoice,
    errors: FormErrors,
) -> PageResult {
    let list = state.store.my_assignments(user.id).await.page(&ctx)?;
    let total = list.len();
    let done = list
        .iter()
        .filter(|a| a.sheet_status == SheetStatus::Submitted)
        .count();
    let (mut queue, mut past) = (Vec::new(), Vec::new());
    for a in list {
        let row = AssignmentRow {
            status: a.sheet_status.as_str(),
            status_label: ctx.t(sheet_key(a.sheet_status)),
            a,
        };
        if to_score(&row.a) {
            queue.push(row);
        } else {
            past.push(row);
        }
    }
    let listed = state
        .store
        .organisations(false, Some(&agency.search), 1, AGENCY_CHOICES)
        .await
        .page(&ctx)?;
    let more_agencies = listed.total > listed.items.len() as u64;
    let mut organisations = listed.items;
    if let Some(id) = agency.chosen
        && !organisations.iter().any(|o| o.id == id)
    {
        match state.store.organisation(id).await {
            Ok(o) if !o.retired => organisations.insert(0, o),
            // An unknown or retired agency is the form's error already.
            Ok(_) | Err(juri_persistence::StoreError::Domain(Error::NotFound)) => {}
            Err(e) => return Err(ApiError::from(e)).page(&ctx),
        }
    }
    Ok(render(
        status,
        &AssignmentsPage {
            notice,
            ctx,
            queue,
            past,
            done,
            total,
            organisations,
            more_agencies,
            agency_search: agency.search,
            chosen_agency: agency.chosen.map(|id| id.to_string()).unwrap_or_default(),
            errors,
        },
    ))
}

#[derive(Debug, Default, Deserialize)]
pub struct AgencyConflictForm {
    #[serde(default)]
    organisation_id: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    reason: String,
}

/// `POST /juri/konflik`: the judge declares a conflict with a whole agency (they work
/// there, say). The store recuses them from every entry of it and fills the gaps (the
/// API's rule, `POST /api/v1/conflicts` with `organisation_id`).
pub async fn declare_agency_conflict(
    State(state): State<AppState>,
    PageCan { ctx, caller, .. }: PageCan<ScoreEntries>,
    Form(f): Form<AgencyConflictForm>,
) -> PageResult {
    let user = caller.user;
    let organisation = f
        .organisation_id
        .trim()
        .parse::<OrganisationId>()
        .map_err(|_| {
            Error::invalid(
                "organisation_id",
                "required",
                Message::new("field.judge.required"),
            )
        });
    let kind = ConflictKind::parse(&f.kind).unwrap_or(ConflictKind::Other);
    let outcome = match (organisation, conflict_reason(&f.reason)) {
        (Ok(org), Ok(reason)) => state
            .store
            .declare_conflict(
                &user,
                user.id,
                ConflictTarget::Organisation(org),
                kind,
                reason,
                state.now(),
            )
            .await
            .map(|_| ())
            .map_err(ApiError::from),
        (Err(Error::Invalid(mut a)), Err(Error::Invalid(b))) => {
            a.extend(b);
            Err(Error::Invalid(a).into())
        }
        (Err(e), _) | (_, Err(e)) => Err(e.into()),
    };
    match outcome {
        Ok(()) => Ok(see_other("/juri?konflik=1")),
        Err(e) => {
            let errors = form_errors_or_conflict_at(e, "organisation_id", &ctx)?;
            let agency = AgencyChoice {
                search: String::new(),
                chosen: f.organisation_id.trim().parse().ok(),
            };
            assignments_page_with(
                &state,
                ctx,
                user,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                agency,
                errors,
            )
            .await
        }
    }
}

/// One criterion on the sheet, with what the judge entered.
#[derive(Debug)]
pub struct Line {
    pub c: Criterion,
    pub value: String,
    pub comment: String,
    /// What is wrong with this criterion's value, in the page's language.
    pub error: Option<String>,
}

/// The widest scale scored by a tap per value (0–10 is eleven points); wider scales
/// keep a number box.
const TAP_POINTS: i32 = 11;

impl Line {
    /// The values to tap, when the scale is narrow enough for a row of buttons.
    pub fn taps(&self) -> Option<Vec<i32>> {
        let (lo, hi) = (self.c.min, self.c.max);
        (hi >= lo && hi - lo < TAP_POINTS).then(|| (lo..=hi).collect())
    }
}

/// Another judge's submitted sheet, when the round lets a judge see it after submitting.
#[derive(Debug)]
pub struct PeerView {
    pub label: String,
    pub total: String,
    /// Criterion name, value, comment.
    pub lines: Vec<(String, String, String)>,
    pub comment: Option<String>,
}

#[derive(Template)]
#[template(path = "score_sheet.html")]
struct SheetPage {
    ctx: Ctx,
    a: Assignment,
    round: Round,
    entry: Entry,
    attachments: Vec<Attachment>,
    lines: Vec<Line>,
    comment: String,
    editable: bool,
    status_label: &'static str,
    total: String,
    errors: FormErrors,
    notice: Option<&'static str>,
    peers: Vec<PeerView>,
}

impl SheetPage {
    /// Errors that belong to no criterion (shown above the form).
    fn loose_errors(&self) -> Vec<&str> {
        self.errors
            .0
            .iter()
            .filter(|(f, _)| !f.starts_with("v_") && !f.starts_with("c_") && f != "reason")
            .map(|(_, m)| m.as_str())
            .collect()
    }
}

/// The weighted total as the sheet shows it (the same rule as the API's `score`).
fn total_text(round: &Round, values: &[ScoreValue]) -> String {
    round
        .rubric
        .score(|c| {
            values
                .iter()
                .find(|v| v.criterion_id == c)
                .and_then(|v| v.value)
        })
        .map(|s| format!("{s:.1}"))
        .unwrap_or_else(|| "–".to_owned())
}

#[derive(Debug, Default, Deserialize)]
pub struct SheetNotice {
    #[serde(default)]
    disimpan: String,
    #[serde(default)]
    dikirim: String,
    /// Opened by "submit and next": the sheet before this one was submitted.
    #[serde(default)]
    berikutnya: String,
}

#[expect(
    clippy::too_many_arguments,
    reason = "the page's context and caller, then what the page shows after each form"
)]
async fn sheet_page_with(
    state: &AppState,
    ctx: Ctx,
    user: User,
    id: AssignmentId,
    status: StatusCode,
    typed: Option<(Vec<ScoreValue>, String)>,
    errors: FormErrors,
    notice: Option<&'static str>,
) -> PageResult {
    let d = state.store.assignment_detail(id, &user).await.page(&ctx)?;
    let (a, round, entry, attachments) = (d.assignment, d.round, d.entry, d.attachments);
    // The store returns peers' sheets only where the domain allows (after submitting,
    // in a round that shares them; names where it names them); at most k − 1.
    let peer_sheets = d.peers;
    let mut peers = Vec::with_capacity(peer_sheets.len());
    for (i, (p, name)) in peer_sheets.into_iter().enumerate() {
        let name = name.unwrap_or_default();
        peers.push(PeerView {
            label: juri_domain::round::peer_label(&round, user.role, i, &name),
            total: total_text(&round, &p.sheet.scores),
            lines: round
                .rubric
                .criteria
                .iter()
                .map(|c| {
                    let v = p.sheet.scores.iter().find(|v| v.criterion_id == c.id);
                    (
                        c.name.clone(),
                        v.and_then(|v| v.value)
                            .map(|x| x.to_string())
                            .unwrap_or_else(|| "–".to_owned()),
                        v.and_then(|v| v.comment.clone()).unwrap_or_default(),
                    )
                })
                .collect(),
            comment: p.sheet.comment.clone().filter(|c| !c.trim().is_empty()),
        });
    }
    let (values, comment) = typed.unwrap_or_else(|| {
        (
            a.sheet.scores.clone(),
            a.sheet.comment.clone().unwrap_or_default(),
        )
    });
    let lines = round
        .rubric
        .criteria
        .iter()
        .map(|c| {
            let v = values.iter().find(|v| v.criterion_id == c.id);
            Line {
                c: c.clone(),
                value: v
                    .and_then(|v| v.value)
                    .map(|x| x.to_string())
                    .unwrap_or_default(),
                comment: v.and_then(|v| v.comment.clone()).unwrap_or_default(),
                error: errors
                    .get(&format!("v_{}", c.id))
                    .or_else(|| errors.get(&format!("c_{}", c.id)))
                    .map(str::to_owned),
            }
        })
        .collect();
    let editable = a.sheet.status != SheetStatus::Submitted && round.closed_at.is_none();
    Ok(render(
        status,
        &SheetPage {
            total: total_text(&round, &values),
            status_label: ctx.t(sheet_key(a.sheet.status)),
            ctx,
            a,
            round,
            entry,
            attachments,
            lines,
            comment,
            editable,
            errors,
            notice,
            peers,
        },
    ))
}

pub async fn sheet(
    State(state): State<AppState>,
    PageCan { ctx, caller, .. }: PageCan<ScoreEntries>,
    PagePath(id): PagePath<AssignmentId>,
    Query(q): Query<SheetNotice>,
) -> PageResult {
    let notice = ctx.notice(&[
        (&q.disimpan, "sheet.saved"),
        (&q.dikirim, "sheet.sent"),
        (&q.berikutnya, "sheet.sent_next"),
    ]);
    sheet_page_with(
        &state,
        ctx,
        caller.user,
        id,
        StatusCode::OK,
        None,
        FormErrors::default(),
        notice,
    )
    .await
}

/// The domain names a sheet's errors by position (`scores[i].value`) or criterion
/// (`scores.<id>`); the page shows them next to the criterion's input.
fn by_criterion(errors: Vec<FieldError>, sent: &[ScoreValue]) -> Vec<FieldError> {
    errors
        .into_iter()
        .map(|mut e| {
            let criterion = if let Some(rest) = e.field.strip_prefix("scores[") {
                let (i, what) = rest.split_once("].").unwrap_or((rest, "value"));
                i.parse::<usize>()
                    .ok()
                    .and_then(|i| sent.get(i))
                    .map(|v| (v.criterion_id.to_string(), what == "comment"))
            } else {
                e.field
                    .strip_prefix("scores.")
                    .map(|id| (id.to_owned(), false))
            };
            if let Some((id, comment)) = criterion {
                e.field = format!("{}_{id}", if comment { "c" } else { "v" });
            }
            e
        })
        .collect()
}

/// The sheet's form: `v_<criterion>` and `c_<criterion>` per criterion, `comment`,
/// `version`, and `action` (`save` or `submit`).
fn parse_sheet(
    pairs: &[(String, String)],
) -> (Vec<ScoreValue>, String, Option<i64>, bool, Vec<FieldError>) {
    let mut values: Vec<ScoreValue> = Vec::new();
    let mut errors = Vec::new();
    let mut comment = String::new();
    let mut version = None;
    let mut submit = false;
    let slot = |values: &mut Vec<ScoreValue>, id: CriterionId| -> usize {
        match values.iter().position(|v| v.criterion_id == id) {
            Some(i) => i,
            None => {
                values.push(ScoreValue {
                    criterion_id: id,
                    value: None,
                    comment: None,
                });
                values.len() - 1
            }
        }
    };
    for (k, v) in pairs {
        if let Some(raw) = k.strip_prefix("v_") {
            let Ok(id) = raw.parse::<CriterionId>() else {
                continue;
            };
            let i = slot(&mut values, id);
            let v = v.trim();
            if !v.is_empty() {
                match v.parse::<i32>() {
                    Ok(x) => values[i].value = Some(x),
                    Err(_) => errors.push(FieldError::new(
                        format!("v_{raw}"),
                        "not_a_number",
                        Message::new("field.judge.not_a_number"),
                    )),
                }
            }
        } else if let Some(raw) = k.strip_prefix("c_") {
            let Ok(id) = raw.parse::<CriterionId>() else {
                continue;
            };
            let i = slot(&mut values, id);
            let v = v.trim();
            values[i].comment = (!v.is_empty()).then(|| v.to_owned());
        } else if k == "comment" {
            comment = v.trim().to_owned();
        } else if k == "version" {
            version = v.trim().parse().ok();
        } else if k == "action" {
            submit = v == "submit";
        }
    }
    (values, comment, version, submit, errors)
}

/// Save the draft; with `action=submit`, then go to the confirmation step.
pub async fn save(
    State(state): State<AppState>,
    PageCan { ctx, caller, .. }: PageCan<ScoreEntries>,
    PagePath(id): PagePath<AssignmentId>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> PageResult {
    let user = caller.user;
    let (values, comment, version, submit, errors) = parse_sheet(&pairs);
    let outcome = if errors.is_empty() {
        state
            .store
            .save_sheet(
                id,
                &user,
                values.clone(),
                (!comment.is_empty()).then(|| comment.clone()),
                version,
                state.now(),
            )
            .await
            .map_err(ApiError::from)
    } else {
        Err(Error::Invalid(errors).into())
    };
    match outcome {
        Ok(_) if submit => Ok(see_other(&format!("/juri/penilaian/{id}/kirim"))),
        Ok(_) => Ok(see_other(&format!("/juri/penilaian/{id}?disimpan=1"))),
        Err(ApiError::Domain(Error::Invalid(errors))) => {
            let errors = FormErrors::new(&by_criterion(errors, &values), ctx.lang);
            sheet_page_with(
                &state,
                ctx,
                user,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some((values, comment)),
                errors,
                None,
            )
            .await
        }
        Err(e) => Err(PageError::new(e, &ctx)),
    }
}

#[derive(Template)]
#[template(path = "sheet_confirm.html")]
struct SheetConfirmPage {
    ctx: Ctx,
    id: AssignmentId,
    title: String,
    total: String,
    /// Another sheet waits: offer "submit and next".
    has_next: bool,
}

pub async fn submit_confirm(
    State(state): State<AppState>,
    PageCan { ctx, caller, .. }: PageCan<ScoreEntries>,
    PagePath(id): PagePath<AssignmentId>,
) -> PageResult {
    let user = caller.user;
    let (a, round, entry, _) = state.store.assignment_for(id, &user).await.page(&ctx)?;
    let list = state.store.my_assignments(user.id).await.page(&ctx)?;
    Ok(render(
        StatusCode::OK,
        &SheetConfirmPage {
            total: total_text(&round, &a.sheet.scores),
            has_next: next_to_score(&list, id).is_some(),
            ctx,
            id,
            title: entry.content.title,
        },
    ))
}

#[derive(Debug, Default, Deserialize)]
pub struct SubmitQuery {
    /// "Submit and next": open the next sheet to score afterwards.
    #[serde(default)]
    lanjut: String,
}

pub async fn submit(
    State(state): State<AppState>,
    PageCan { ctx, caller, .. }: PageCan<ScoreEntries>,
    PagePath(id): PagePath<AssignmentId>,
    Query(q): Query<SubmitQuery>,
) -> PageResult {
    let user = caller.user;
    match state.store.submit_sheet(id, &user, state.now()).await {
        Ok(_) if !q.lanjut.is_empty() => {
            let list = state.store.my_assignments(user.id).await.page(&ctx)?;
            Ok(see_other(&match next_to_score(&list, id) {
                Some(next) => format!("/juri/penilaian/{next}?berikutnya=1"),
                None => "/juri?selesai=1".to_owned(),
            }))
        }
        Ok(_) => Ok(see_other(&format!("/juri/penilaian/{id}?dikirim=1"))),
        // A criterion left empty: shown next to it on the sheet.
        Err(juri_persistence::StoreError::Domain(Error::Invalid(errors))) => {
            let errors = FormErrors::new(&by_criterion(errors, &[]), ctx.lang);
            sheet_page_with(
                &state,
                ctx,
                user,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                errors,
                None,
            )
            .await
        }
        Err(e) => Err(PageError::new(e, &ctx)),
    }
}

#[derive(Debug, Deserialize)]
pub struct ConflictForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    reason: String,
}

/// `POST /juri/penilaian/{id}/konflik`: the judge declares a conflict of interest with
/// this entry. The store recuses them from it and fills the gap (the API's rule).
pub async fn declare_conflict(
    State(state): State<AppState>,
    PageCan { ctx, caller, .. }: PageCan<ScoreEntries>,
    PagePath(id): PagePath<AssignmentId>,
    Form(f): Form<ConflictForm>,
) -> PageResult {
    let user = caller.user;
    let (_, _, entry, _) = state.store.assignment_for(id, &user).await.page(&ctx)?;
    let kind = ConflictKind::parse(&f.kind).unwrap_or(ConflictKind::Other);
    let outcome = match conflict_reason(&f.reason) {
        Ok(reason) => state
            .store
            .declare_conflict(
                &user,
                user.id,
                ConflictTarget::Entry(entry.id),
                kind,
                reason,
                state.now(),
            )
            .await
            .map_err(ApiError::from),
        Err(e) => Err(e.into()),
    };
    match outcome {
        Ok(_) => Ok(see_other("/juri?konflik=1")),
        Err(e) => {
            let errors = form_errors(e, &ctx)?;
            sheet_page_with(
                &state,
                ctx,
                user,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                errors,
                None,
            )
            .await
        }
    }
}
