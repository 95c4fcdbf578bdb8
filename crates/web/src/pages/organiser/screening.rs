//! Screening: the queue of entries with its filters and pages, and an entry in full
//! with the screening form.

use crate::error::ApiError;
use crate::extract::requirements::ScreenEntries;
use crate::pages::shared::{page_number, refusal_at, status_key};
use crate::pages::{
    Ctx, FormErrors, PageCan, PagePath, PageResult, PageResultExt, render, see_other,
};
use crate::state::AppState;
use askama::Template;
use axum::Form;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use juri_domain::Error;
use juri_domain::Message;
use juri_domain::attachment::Attachment;
use juri_domain::edition::{Edition, Field, Track};
use juri_domain::entry::{Entry, Event, Status};
use juri_domain::ids::{EditionId, EntryId, FieldId, TrackId};
use juri_domain::user::User;
use juri_persistence::EntryFilter;
use serde::Deserialize;

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
    /// Set after screening several at once: how many passed.
    #[serde(default)]
    diloloskan: String,
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
    notice: Option<String>,
    /// The refusal of screening several at once.
    errors: FormErrors,
}

impl QueuePage {
    /// Does this page list an entry waiting for screening (one that can be ticked)?
    fn any_waiting(&self) -> bool {
        self.rows
            .iter()
            .any(|r| r.status == Status::Submitted.as_str())
    }

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

/// `GET /panitia/edisi/{id}/seleksi`: the entries to screen, with filters and pages;
/// those waiting can be ticked and passed together.
pub async fn queue(
    State(state): State<AppState>,
    PageCan { ctx, .. }: PageCan<ScreenEntries>,
    PagePath(id): PagePath<EditionId>,
    Query(q): Query<QueueQuery>,
) -> PageResult {
    let notice = match q.diloloskan.parse::<usize>() {
        Ok(n) => Some(juri_text::fill(
            ctx.t("queue.passed_many"),
            &[("count", n.to_string())],
        )),
        Err(_) => ctx
            .notice(&[(&q.diseleksi, "org.screened")])
            .map(str::to_owned),
    };
    queue_page(
        &state,
        ctx,
        id,
        q,
        StatusCode::OK,
        notice,
        FormErrors::default(),
    )
    .await
}

/// `POST /panitia/edisi/{id}/seleksi`: every ticked entry (`pilih_<id>`) passes
/// screening, all or none; a refusal stays on the queue, by its button.
pub async fn screen_many(
    State(state): State<AppState>,
    PageCan { ctx, caller, .. }: PageCan<ScreenEntries>,
    PagePath(id): PagePath<EditionId>,
    Form(form): Form<std::collections::HashMap<String, String>>,
) -> PageResult {
    let mut chosen = Vec::new();
    for key in form.keys() {
        if let Some(raw) = key.strip_prefix("pilih_") {
            // An id that does not parse names nothing: refused like a missing one.
            chosen.push(raw.parse::<EntryId>().page(&ctx)?);
        }
    }
    chosen.sort();
    let outcome = if chosen.is_empty() {
        Err(ApiError::from(Error::invalid(
            "screen_many",
            "required",
            Message::new("field.organiser.choose_entries"),
        )))
    } else {
        state
            .store
            .screen_eligible(&chosen, &caller.user, state.now())
            .await
            .map_err(ApiError::from)
    };
    match outcome {
        Ok(n) => Ok(see_other(&format!(
            "/panitia/edisi/{id}/seleksi?diloloskan={n}"
        ))),
        Err(e) => {
            let (status, errors) = refusal_at(e, "screen_many", &ctx)?;
            queue_page(&state, ctx, id, QueueQuery::default(), status, None, errors).await
        }
    }
}

async fn queue_page(
    state: &AppState,
    ctx: Ctx,
    id: EditionId,
    q: QueueQuery,
    code: StatusCode,
    notice: Option<String>,
    errors: FormErrors,
) -> PageResult {
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
    let page = page_number(&q.halaman);
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
    Ok(render(
        code,
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
            errors,
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
    /// Why screening cannot be done now (before the deadline, after judging began):
    /// the button is shown disabled with it.
    not_now: Option<String>,
    form: ScreeningForm,
    errors: FormErrors,
    notice: Option<&'static str>,
}

impl EntryPage {
    /// Errors of the screening that belong to neither field.
    fn loose_errors(&self) -> Vec<&str> {
        self.errors.others(&["eligible", "reason", "screen"])
    }
}

#[expect(
    clippy::too_many_arguments,
    reason = "the page's context and caller, then what the page shows after each form"
)]
async fn entry_page_with(
    state: &AppState,
    ctx: Ctx,
    user: User,
    id: EntryId,
    status: StatusCode,
    form: ScreeningForm,
    errors: FormErrors,
    notice: Option<&'static str>,
) -> PageResult {
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
    let not_now = state
        .store
        .edition(entry.edition_id)
        .await
        .page(&ctx)?
        .allows_screening(state.now())
        .err()
        .map(|e| match e {
            Error::Conflict(why) => ctx.say(&why),
            _ => ctx.t("error.conflict").to_owned(),
        });
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
            not_now,
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
    PageCan { ctx, caller, .. }: PageCan<ScreenEntries>,
    PagePath(id): PagePath<EntryId>,
    Query(q): Query<ScreenedNotice>,
) -> PageResult {
    let notice = ctx.notice(&[(&q.diseleksi, "org.screened")]);
    entry_page_with(
        &state,
        ctx,
        caller.user,
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
    PageCan { ctx, caller, .. }: PageCan<ScreenEntries>,
    PagePath(id): PagePath<EntryId>,
    Form(form): Form<ScreeningForm>,
) -> PageResult {
    let user = caller.user;
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
            // Screening before the deadline (or after judging began) is told by the
            // form's button, on the entry's page.
            let (status, errors) = refusal_at(e, "screen", &ctx)?;
            entry_page_with(&state, ctx, user, id, status, form, errors, None).await
        }
    }
}
