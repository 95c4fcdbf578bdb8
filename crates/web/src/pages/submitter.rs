//! The submitter's pages: my entries with their status and what happens next, the
//! entry form (save as draft, errors next to their fields), attachments (upload,
//! remove), submitting with a confirmation step, and the screening result. Each
//! action is one `Store` call, the same as the JSON API's. Only submitters have these
//! pages: their door is `PageCan<CreateEntry>`, which the permission table gives to
//! submitters alone.

use crate::error::ApiError;
use crate::extract::ClientIp;
use crate::extract::requirements::CreateEntry;
use crate::pages::shared::{form_errors, next_key, status_key, upload_errors};
use crate::pages::{
    Ctx, FormErrors, PageCan, PageError, PagePath, PageResult, PageResultExt, render, see_other,
};
use crate::routes::attachments::{forget_blob, receive_upload};
use crate::state::AppState;
use crate::throttle::Limited;
use askama::Template;
use axum::Form;
use axum::extract::{Multipart, Query, State};
use axum::http::StatusCode;
use chrono::NaiveDate;
use juri_domain::Message;
use juri_domain::attachment::Attachment;
use juri_domain::edition::{Edition, Field, Phase, Track};
use juri_domain::entry::require_categories;
use juri_domain::entry::{Content, ContentPatch, Entry, Event, TEAM_MAX, TeamMember};
use juri_domain::ids::{AttachmentId, EditionId, EntryId, FieldId, OrganisationId, TrackId};
use juri_domain::organisation::Organisation;
use juri_domain::user::{SubmitterKind, User};
use juri_domain::{Error, FieldError};
use juri_persistence::{EditionVisibility, EntryFilter};
use serde::Deserialize;
use std::collections::BTreeMap;

/// One entry as the list shows it.
#[derive(Debug)]
pub struct EntryRow {
    pub id: EntryId,
    pub title: String,
    pub status: &'static str,
    pub status_label: &'static str,
    pub next_step: &'static str,
}

#[derive(Template)]
#[template(path = "my_entries.html")]
struct MyEntriesPage {
    ctx: Ctx,
    notice: Option<&'static str>,
    entries: Vec<EntryRow>,
    open_editions: Vec<Edition>,
    /// With none open, what to expect instead (the last edition closed on …; the
    /// next one is not announced yet), so a new account does not meet a dead end.
    none_open: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
pub struct MineNotice {
    #[serde(default)]
    dihapus: String,
}

pub async fn my_entries(
    State(state): State<AppState>,
    PageCan { ctx, caller, .. }: PageCan<CreateEntry>,
    Query(q): Query<MineNotice>,
) -> PageResult {
    let user = caller.user;
    let now = state.now();
    let entries = state
        .store
        .entries(
            EntryFilter {
                submitter: Some(user.id),
                ..EntryFilter::default()
            },
            1,
            100,
        )
        .await
        .page(&ctx)?
        .items
        .into_iter()
        .map(|e| EntryRow {
            id: e.id,
            status: e.status.as_str(),
            status_label: ctx.t(status_key(e.status)),
            next_step: ctx.t(next_key(e.status)),
            title: e.content.title,
        })
        .collect();
    let announced = state
        .store
        .editions(EditionVisibility::OpenedBy(now), 1, 20)
        .await
        .page(&ctx)?
        .items;
    let last_closed = announced
        .iter()
        .filter(|e| e.phase(now) != Phase::Open)
        .max_by_key(|e| e.submission_closes_at)
        .map(|e| {
            juri_domain::Message::new("mine.last_closed")
                .with("edition", &e.name)
                .with("closed_at", ctx.when(&e.submission_closes_at))
        });
    let open_editions: Vec<Edition> = announced
        .into_iter()
        .filter(|e| e.phase(now) == Phase::Open)
        .collect();
    let none_open = open_editions.is_empty().then(|| {
        last_closed
            .map(|m| ctx.say(&m))
            .unwrap_or_else(|| ctx.t("mine.none_announced").to_owned())
    });
    Ok(render(
        StatusCode::OK,
        &MyEntriesPage {
            notice: ctx.notice(&[(&q.dihapus, "delete.done")]),
            ctx,
            entries,
            open_editions,
            none_open,
        },
    ))
}

/// The entry form as sent (and as shown again with its errors).
#[derive(Debug, Default, Deserialize)]
pub struct EntryForm {
    #[serde(default)]
    pub edition_id: String,
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub field_id: String,
    #[serde(default)]
    pub track_id: String,
    #[serde(default)]
    pub organisation_id: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub problem: String,
    #[serde(default)]
    pub solution: String,
    #[serde(default)]
    pub how_it_works: String,
    #[serde(default)]
    pub impact: String,
    #[serde(default)]
    pub cost: String,
    #[serde(default)]
    pub replicability: String,
    #[serde(default)]
    pub sustainability: String,
    #[serde(default)]
    pub stakeholders: String,
    #[serde(default)]
    pub started_on: String,
    #[serde(default)]
    pub video_url: String,
    #[serde(default)]
    pub publication_consent: Option<String>,
    #[serde(default)]
    pub version: String,
    /// The team rows, `team_<i>_name`, `team_<i>_role`, `team_<i>_email` (a form
    /// without script cannot grow; saving adds empty rows).
    #[serde(flatten)]
    pub rest: BTreeMap<String, String>,
}

/// Empty team rows the form offers after the members already entered.
const SPARE_TEAM_ROWS: usize = 3;

/// One row of the team inputs, as shown.
#[derive(Debug, Default)]
pub struct TeamRow {
    pub i: usize,
    pub name: String,
    pub role: String,
    pub email: String,
}

impl EntryForm {
    fn of(e: &Entry) -> EntryForm {
        let c = &e.content;
        EntryForm {
            edition_id: e.edition_id.to_string(),
            title: c.title.clone(),
            field_id: c.field_id.map(|x| x.to_string()).unwrap_or_default(),
            track_id: c.track_id.map(|x| x.to_string()).unwrap_or_default(),
            organisation_id: c.organisation_id.map(|x| x.to_string()).unwrap_or_default(),
            summary: c.summary.clone(),
            problem: c.problem.clone(),
            solution: c.solution.clone(),
            how_it_works: c.how_it_works.clone(),
            impact: c.impact.clone(),
            cost: c.cost.clone(),
            replicability: c.replicability.clone(),
            sustainability: c.sustainability.clone(),
            stakeholders: c.stakeholders.clone(),
            started_on: c.started_on.map(|d| d.to_string()).unwrap_or_default(),
            video_url: c.video_url.clone().unwrap_or_default(),
            publication_consent: c.publication_consent.then(|| "on".to_owned()),
            version: e.version.to_string(),
            rest: c
                .team
                .iter()
                .enumerate()
                .flat_map(|(i, m)| {
                    [
                        (format!("team_{i}_name"), m.name.clone()),
                        (format!("team_{i}_role"), m.role.clone().unwrap_or_default()),
                        (
                            format!("team_{i}_email"),
                            m.email.clone().unwrap_or_default(),
                        ),
                    ]
                })
                .collect(),
        }
    }

    fn team_value(&self, i: usize, part: &str) -> String {
        self.rest
            .get(&format!("team_{i}_{part}"))
            .map(|v| v.trim().to_owned())
            .unwrap_or_default()
    }

    /// The team rows as sent, in order, with spare empty rows after them (never more
    /// rows than the team may have).
    pub fn team_rows(&self) -> Vec<TeamRow> {
        let sent = self
            .rest
            .keys()
            .filter_map(|k| {
                k.strip_prefix("team_")?
                    .split_once('_')?
                    .0
                    .parse::<usize>()
                    .ok()
            })
            .map(|i| i + 1)
            .max()
            .unwrap_or(0)
            .min(TEAM_MAX);
        (0..(sent + SPARE_TEAM_ROWS).min(TEAM_MAX))
            .map(|i| TeamRow {
                i,
                name: self.team_value(i, "name"),
                role: self.team_value(i, "role"),
                email: self.team_value(i, "email"),
            })
            .collect()
    }

    /// The members: every row with something in it, in order. A row with a role or an
    /// email but no name is kept, so the domain's check names the team as incomplete
    /// instead of dropping what was typed.
    fn team(&self) -> Vec<TeamMember> {
        let some = |s: String| Some(s).filter(|s| !s.is_empty());
        self.team_rows()
            .into_iter()
            .filter(|r| !(r.name.is_empty() && r.role.is_empty() && r.email.is_empty()))
            .map(|r| TeamMember {
                name: r.name,
                role: some(r.role),
                email: some(r.email),
            })
            .collect()
    }

    pub fn consent(&self) -> bool {
        self.publication_consent.is_some()
    }

    /// The choice-typed values, each unreadable one a field error.
    fn choices(&self) -> Result<Parsed, Error> {
        let mut errors = Vec::new();
        fn opt<T: std::str::FromStr>(
            raw: &str,
            field: &'static str,
            errors: &mut Vec<FieldError>,
        ) -> Option<T> {
            let raw = raw.trim();
            if raw.is_empty() {
                return None;
            }
            match raw.parse() {
                Ok(v) => Some(v),
                Err(_) => {
                    errors.push(FieldError::new(
                        field,
                        "invalid",
                        Message::new("field.submitter.invalid"),
                    ));
                    None
                }
            }
        }
        let field = opt(&self.field_id, "field_id", &mut errors);
        let track = opt(&self.track_id, "track_id", &mut errors);
        let organisation = opt(&self.organisation_id, "organisation_id", &mut errors);
        let started = match self.started_on.trim() {
            "" => None,
            s => match NaiveDate::parse_from_str(s, "%Y-%m-%d") {
                Ok(d) => Some(d),
                Err(_) => {
                    errors.push(FieldError::new(
                        "started_on",
                        "invalid_date",
                        Message::new("field.submitter.invalid_date"),
                    ));
                    None
                }
            },
        };
        if errors.is_empty() {
            Ok(Parsed {
                field_id: field,
                track_id: track,
                organisation_id: organisation,
                started_on: started,
            })
        } else {
            Err(Error::Invalid(errors))
        }
    }

    fn content(&self) -> Result<Content, Error> {
        let Parsed {
            field_id,
            track_id,
            organisation_id,
            started_on,
        } = self.choices()?;
        require_categories(field_id, track_id)?;
        Ok(Content {
            title: self.title.clone(),
            field_id,
            track_id,
            organisation_id,
            summary: self.summary.clone(),
            problem: self.problem.clone(),
            solution: self.solution.clone(),
            how_it_works: self.how_it_works.clone(),
            impact: self.impact.clone(),
            cost: self.cost.clone(),
            replicability: self.replicability.clone(),
            sustainability: self.sustainability.clone(),
            stakeholders: self.stakeholders.clone(),
            started_on,
            team: self.team(),
            video_url: Some(self.video_url.clone()).filter(|v| !v.trim().is_empty()),
            publication_consent: self.consent(),
        })
    }

    fn patch(&self) -> Result<(ContentPatch, Option<i64>), Error> {
        let Parsed {
            field_id,
            track_id,
            organisation_id,
            started_on,
        } = self.choices()?;
        require_categories(field_id, track_id)?;
        Ok((
            ContentPatch {
                title: Some(self.title.clone()),
                field_id,
                track_id,
                organisation_id: Some(organisation_id),
                summary: Some(self.summary.clone()),
                problem: Some(self.problem.clone()),
                solution: Some(self.solution.clone()),
                how_it_works: Some(self.how_it_works.clone()),
                impact: Some(self.impact.clone()),
                cost: Some(self.cost.clone()),
                replicability: Some(self.replicability.clone()),
                sustainability: Some(self.sustainability.clone()),
                stakeholders: Some(self.stakeholders.clone()),
                started_on: Some(started_on),
                team: Some(self.team()),
                video_url: Some(Some(self.video_url.clone()).filter(|v| !v.trim().is_empty())),
                publication_consent: Some(self.consent()),
            },
            self.version.trim().parse().ok(),
        ))
    }
}

/// The form's choices, parsed.
struct Parsed {
    field_id: Option<FieldId>,
    track_id: Option<TrackId>,
    organisation_id: Option<OrganisationId>,
    started_on: Option<NaiveDate>,
}

/// The choices the entry form offers for an edition, to this submitter: what the
/// account already says is not asked again.
struct Choices {
    edition: Edition,
    fields: Vec<Field>,
    /// The tracks open to the submitter's kind (one: shown, not asked).
    tracks: Vec<Track>,
    /// The agencies to choose from: only for an agency officer whose account names
    /// none (citizens and students never see the list).
    organisations: Vec<Organisation>,
    /// The agency the account belongs to: shown, not asked.
    own_organisation: Option<Organisation>,
}

impl Choices {
    /// The one track open to this submitter, if only one is.
    fn only_track(&self) -> Option<&Track> {
        match self.tracks.as_slice() {
            [only] => Some(only),
            _ => None,
        }
    }
}

async fn choices(state: &AppState, edition: EditionId, user: &User) -> Result<Choices, ApiError> {
    let kind = user.submitter_kind;
    let own_organisation = match user.organisation_id {
        Some(o) => state.store.organisation(o).await.ok(),
        None => None,
    };
    let organisations = if kind == Some(SubmitterKind::Opd) && own_organisation.is_none() {
        state.store.organisations(false, None, 1, 100).await?.items
    } else {
        Vec::new()
    };
    Ok(Choices {
        edition: state.store.edition(edition).await?,
        fields: state
            .store
            .fields(edition)
            .await?
            .into_iter()
            .filter(|f| !f.retired)
            .collect(),
        tracks: state
            .store
            .tracks(edition)
            .await?
            .into_iter()
            .filter(|t| t.accepts(kind).is_ok())
            .collect(),
        organisations,
        own_organisation,
    })
}

#[derive(Template)]
#[template(path = "entry_form.html")]
struct NewEntryPage {
    ctx: Ctx,
    form: EntryForm,
    c: Choices,
    errors: FormErrors,
}

#[derive(Debug, Default, Deserialize)]
pub struct EditionQuery {
    #[serde(default)]
    edisi: String,
}

pub async fn new_entry_form(
    State(state): State<AppState>,
    PageCan { ctx, caller, .. }: PageCan<CreateEntry>,
    Query(q): Query<EditionQuery>,
) -> PageResult {
    let edition: EditionId = q.edisi.parse().page(&ctx)?;
    let c = choices(&state, edition, &caller.user).await.page(&ctx)?;
    if !c.edition.is_announced(state.now()) {
        return Err(PageError::new(Error::NotFound, &ctx));
    }
    // What the account says is filled in already.
    let form = EntryForm {
        edition_id: edition.to_string(),
        track_id: c.only_track().map(|t| t.id.to_string()).unwrap_or_default(),
        organisation_id: c
            .own_organisation
            .as_ref()
            .map(|o| o.id.to_string())
            .unwrap_or_default(),
        ..EntryForm::default()
    };
    Ok(render(
        StatusCode::OK,
        &NewEntryPage {
            ctx,
            form,
            c,
            errors: FormErrors::default(),
        },
    ))
}

/// The new-entry form as sent: its fields, and the file attached with it, if one was
/// chosen (received and checked as an upload is, before the entry exists). The file
/// input is the form's last part, so a refused file still leaves every typed field.
async fn read_new_entry(
    state: &AppState,
    ip: std::net::IpAddr,
    mut multipart: Multipart,
) -> (
    EntryForm,
    Result<Option<juri_persistence::NewAttachment>, ApiError>,
) {
    let mut fields = serde_json::Map::new();
    let file = read_parts(state, ip, &mut multipart, &mut fields).await;
    let form = serde_json::from_value(serde_json::Value::Object(fields)).unwrap_or_default();
    (form, file)
}

async fn read_parts(
    state: &AppState,
    ip: std::net::IpAddr,
    multipart: &mut Multipart,
    fields: &mut serde_json::Map<String, serde_json::Value>,
) -> Result<Option<juri_persistence::NewAttachment>, ApiError> {
    let malformed = |e: axum::extract::multipart::MultipartError| {
        ApiError::bad_request(
            Message::new("problem.malformed_upload").with("detail", e.body_text()),
        )
    };
    let mut file = None;
    while let Some(mut field) = multipart.next_field().await.map_err(malformed)? {
        let name = field.name().unwrap_or_default().to_owned();
        if name == "file" {
            // A browser sends the part empty, without a name, when no file was chosen.
            if field.file_name().is_none_or(str::is_empty) || file.is_some() {
                continue;
            }
            state.limit(Limited::Upload, ip)?;
            file = Some(crate::routes::attachments::receive_file(state, &mut field).await?);
        } else {
            let text = field.text().await.map_err(malformed)?;
            fields.insert(name, serde_json::Value::String(text));
        }
    }
    Ok(file)
}

/// `POST /peserta/inovasi/baru`: a new draft, and the file sent with it (the form is
/// multipart; a plain form without a file works too). A refused draft keeps what was
/// typed; a file chosen must be chosen again (a browser never keeps it).
pub async fn create_entry(
    State(state): State<AppState>,
    PageCan { ctx, caller, .. }: PageCan<CreateEntry>,
    ClientIp(ip): ClientIp,
    req: axum::extract::Request,
) -> PageResult {
    use axum::extract::FromRequest;
    let user = caller.user;
    let is_multipart = req
        .headers()
        .get(axum::http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    let (form, file) = if is_multipart {
        let multipart = Multipart::from_request(req, &state)
            .await
            .map_err(crate::routes::attachments::rejected_multipart)
            .page(&ctx)?;
        match read_new_entry(&state, ip, multipart).await {
            (form, Ok(file)) => (form, file),
            // A file refused (its type, its size): nothing is created; the form, with
            // everything typed, says why by its file input.
            (form, Err(e)) => {
                let errors = upload_errors(e, &ctx)?;
                return new_entry_again(&state, ctx, &user, form, errors).await;
            }
        }
    } else {
        let Form(form) = Form::<EntryForm>::from_request(req, &state)
            .await
            .map_err(|e| {
                ApiError::bad_request(
                    Message::new("problem.malformed_upload").with("detail", e.body_text()),
                )
            })
            .page(&ctx)?;
        (form, None)
    };
    let edition: EditionId = match form.edition_id.parse() {
        Ok(e) => e,
        Err(e) => {
            forget_file(&state, file.as_ref()).await;
            return Err(PageError::new(e, &ctx));
        }
    };
    let outcome = match form.content() {
        Ok(content) => state
            .store
            .create_entry(edition, &user, content, state.now())
            .await
            .map_err(ApiError::from),
        Err(e) => Err(e.into()),
    };
    match outcome {
        Ok(entry) => {
            let Some(file) = file else {
                return Ok(see_other(&format!(
                    "/peserta/inovasi/{}?disimpan=1",
                    entry.id
                )));
            };
            let sha256 = file.sha256.clone();
            let max_files = state.config.attachments_per_entry;
            match state
                .store
                .add_attachment(entry.id, &user, file, max_files, state.now())
                .await
            {
                Ok(_) => Ok(see_other(&format!(
                    "/peserta/inovasi/{}?disimpan=1&lampiran=1",
                    entry.id
                ))),
                // The draft stands; the file's refusal is told by the file input.
                Err(e) => {
                    forget_blob(&state, &sha256).await;
                    let errors = upload_errors(e.into(), &ctx)?;
                    let saved = ctx.t("entry.saved");
                    entry_page_with(
                        &state,
                        ctx,
                        user,
                        entry.id,
                        StatusCode::UNPROCESSABLE_ENTITY,
                        None,
                        errors,
                        Some(saved),
                    )
                    .await
                }
            }
        }
        Err(e) => {
            forget_file(&state, file.as_ref()).await;
            let mut errors = form_errors(e, &ctx)?;
            if file.is_some() {
                errors.push("file", ctx.t("entry.file_again"));
            }
            new_entry_again(&state, ctx, &user, form, errors).await
        }
    }
}

/// A file received for a draft that was not created: its blob goes unless another
/// attachment holds the same bytes.
async fn forget_file(state: &AppState, file: Option<&juri_persistence::NewAttachment>) {
    if let Some(f) = file {
        forget_blob(state, &f.sha256).await;
    }
}

/// The new-entry form again, 422, with what was typed and why it was refused.
async fn new_entry_again(
    state: &AppState,
    ctx: Ctx,
    user: &User,
    form: EntryForm,
    errors: FormErrors,
) -> PageResult {
    let edition: EditionId = form.edition_id.parse().page(&ctx)?;
    let c = choices(state, edition, user).await.page(&ctx)?;
    Ok(render(
        StatusCode::UNPROCESSABLE_ENTITY,
        &NewEntryPage {
            ctx,
            form,
            c,
            errors,
        },
    ))
}

#[derive(Template)]
#[template(path = "entry.html")]
struct EntryPage {
    ctx: Ctx,
    entry: Entry,
    /// Before a draft is submitted: what a submission needs (label, done, the input's
    /// id), and how many files are attached.
    checklist: Vec<(&'static str, bool, String)>,
    status_label: &'static str,
    next_step: &'static str,
    editable: bool,
    form: EntryForm,
    c: Choices,
    attachments: Vec<Attachment>,
    errors: FormErrors,
    notice: Option<&'static str>,
}

/// The catalogue key of the label the entry form gives `field`.
fn field_label(field: &str) -> &'static str {
    match field {
        "title" => "field.title",
        "field_id" => "innovation.field",
        "track_id" => "innovation.track",
        "organisation_id" => "field.organisation",
        "summary" => "entry.summary",
        "problem" => "entry.problem",
        "solution" => "entry.solution",
        "how_it_works" => "entry.how_it_works",
        _ => "entry.impact",
    }
}

impl EntryPage {
    /// Every item of the checklist is done: the draft can be submitted.
    fn ready(&self) -> bool {
        self.checklist.iter().all(|(_, done, _)| *done)
    }

    /// Still a draft: "Simpan draf"; once submitted, "Simpan perubahan".
    fn is_draft(&self) -> bool {
        self.entry.status == juri_domain::entry::Status::Draft
    }
}

#[derive(Debug, Default, Deserialize)]
pub struct NoticeQuery {
    #[serde(default)]
    disimpan: String,
    #[serde(default)]
    dikirim: String,
    #[serde(default)]
    lampiran: String,
    #[serde(default)]
    ditarik: String,
    /// A submitted entry's changes were saved.
    #[serde(default)]
    diubah: String,
}

/// Load everything the entry page shows and render it.
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
    form: Option<EntryForm>,
    errors: FormErrors,
    notice: Option<&'static str>,
) -> PageResult {
    let entry = state.store.entry_for(id, &user, false).await.page(&ctx)?;
    let c = choices(state, entry.edition_id, &user).await.page(&ctx)?;
    let attachments = state.store.attachments(id, &user, false).await.page(&ctx)?;
    let editable = entry.status.is_editable() && c.edition.phase(state.now()) == Phase::Open;
    let needs_organisation = c
        .tracks
        .iter()
        .any(|t| Some(t.id) == entry.content.track_id && t.requires_organisation);
    let checklist = if editable && entry.status == juri_domain::entry::Status::Draft {
        entry
            .content
            .completeness(needs_organisation)
            .into_iter()
            .map(|(field, done)| (ctx.t(field_label(field)), done, format!("f-{field}")))
            .collect()
    } else {
        Vec::new()
    };
    Ok(render(
        status,
        &EntryPage {
            checklist,
            status_label: ctx.t(status_key(entry.status)),
            next_step: ctx.t(next_key(entry.status)),
            form: form.unwrap_or_else(|| EntryForm::of(&entry)),
            ctx,
            entry,
            editable,
            c,
            attachments,
            errors,
            notice,
        },
    ))
}

pub async fn entry_page(
    State(state): State<AppState>,
    PageCan { ctx, caller, .. }: PageCan<CreateEntry>,
    PagePath(id): PagePath<EntryId>,
    Query(q): Query<NoticeQuery>,
) -> PageResult {
    let notice = ctx.notice(&[
        (&q.disimpan, "entry.saved"),
        (&q.dikirim, "entry.submitted"),
        (&q.lampiran, "entry.attachment_added"),
        (&q.ditarik, "entry.withdrawn"),
        (&q.diubah, "entry.changes_saved"),
    ]);
    entry_page_with(
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

pub async fn save_entry(
    State(state): State<AppState>,
    PageCan { ctx, caller, .. }: PageCan<CreateEntry>,
    PagePath(id): PagePath<EntryId>,
    Form(form): Form<EntryForm>,
) -> PageResult {
    let user = caller.user;
    let outcome = match form.patch() {
        Ok((patch, version)) => state
            .store
            .update_entry(id, &user, patch, version, state.now())
            .await
            .map_err(ApiError::from),
        Err(e) => Err(e.into()),
    };
    match outcome {
        // A submitted entry changed before the deadline is not a draft: say so.
        Ok(e) if e.status == juri_domain::entry::Status::Draft => {
            Ok(see_other(&format!("/peserta/inovasi/{id}?disimpan=1")))
        }
        Ok(_) => Ok(see_other(&format!("/peserta/inovasi/{id}?diubah=1"))),
        Err(e) => {
            let errors = form_errors(e, &ctx)?;
            entry_page_with(
                &state,
                ctx,
                user,
                id,
                StatusCode::UNPROCESSABLE_ENTITY,
                Some(form),
                errors,
                None,
            )
            .await
        }
    }
}

pub async fn upload(
    State(state): State<AppState>,
    PageCan { ctx, caller, .. }: PageCan<CreateEntry>,
    ClientIp(ip): ClientIp,
    PagePath(id): PagePath<EntryId>,
    multipart: Result<Multipart, axum::extract::multipart::MultipartRejection>,
) -> PageResult {
    // The same per-client limit as the API's upload.
    state.limit(Limited::Upload, ip).page(&ctx)?;
    let multipart = multipart
        .map_err(crate::routes::attachments::rejected_multipart)
        .page(&ctx)?;
    match receive_upload(&state, &caller, id, multipart).await {
        Ok(_) => Ok(see_other(&format!("/peserta/inovasi/{id}?lampiran=1"))),
        Err(e) => {
            // The reason goes next to the file input.
            let errors = upload_errors(e, &ctx)?;
            entry_page_with(
                &state,
                ctx,
                caller.user,
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

#[derive(Template)]
#[template(path = "attachment_confirm.html")]
struct AttachmentConfirmPage {
    ctx: Ctx,
    entry: EntryId,
    attachment: Attachment,
}

/// `GET …/lampiran/{aid}/hapus`: ask before a file is deleted (one tap deleted it).
pub async fn remove_attachment_confirm(
    State(state): State<AppState>,
    PageCan { ctx, caller, .. }: PageCan<CreateEntry>,
    PagePath((id, aid)): PagePath<(EntryId, AttachmentId)>,
) -> PageResult {
    let attachment = state
        .store
        .attachments(id, &caller.user, false)
        .await
        .page(&ctx)?
        .into_iter()
        .find(|a| a.id == aid)
        .ok_or_else(|| PageError::new(Error::NotFound, &ctx))?;
    Ok(render(
        StatusCode::OK,
        &AttachmentConfirmPage {
            ctx,
            entry: id,
            attachment,
        },
    ))
}

pub async fn remove_attachment(
    State(state): State<AppState>,
    PageCan { ctx, caller, .. }: PageCan<CreateEntry>,
    PagePath((id, aid)): PagePath<(EntryId, AttachmentId)>,
) -> PageResult {
    let user = caller.user;
    if let Some(sha) = state
        .store
        .delete_attachment(id, aid, &user, state.now())
        .await
        .page(&ctx)?
    {
        forget_blob(&state, &sha).await;
    }
    Ok(see_other(&format!("/peserta/inovasi/{id}")))
}

#[derive(Template)]
#[template(path = "submit_confirm.html")]
struct SubmitConfirmPage {
    ctx: Ctx,
    entry: Entry,
    closes: String,
}

pub async fn submit_confirm(
    State(state): State<AppState>,
    PageCan { ctx, caller, .. }: PageCan<CreateEntry>,
    PagePath(id): PagePath<EntryId>,
) -> PageResult {
    let user = caller.user;
    let entry = state.store.entry_for(id, &user, false).await.page(&ctx)?;
    let edition = state.store.edition(entry.edition_id).await.page(&ctx)?;
    Ok(render(
        StatusCode::OK,
        &SubmitConfirmPage {
            closes: ctx.when(&edition.submission_closes_at),
            ctx,
            entry,
        },
    ))
}

pub async fn submit(
    State(state): State<AppState>,
    PageCan { ctx, caller, .. }: PageCan<CreateEntry>,
    PagePath(id): PagePath<EntryId>,
) -> PageResult {
    let user = caller.user;
    match state
        .store
        .transition_entry(id, &user, Event::Submit, None, state.now())
        .await
    {
        Ok(_) => Ok(see_other(&format!("/peserta/inovasi/{id}?dikirim=1"))),
        // What is missing is shown next to its field on the entry page.
        Err(e) => {
            let errors = form_errors(e, &ctx)?;
            entry_page_with(
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

/// A question before an entry action that cannot be undone.
#[derive(Template)]
#[template(path = "entry_confirm.html")]
struct EntryConfirmPage {
    ctx: Ctx,
    entry: Entry,
    closes: String,
    /// Where the confirmation posts, under `/peserta/inovasi/{id}/`.
    action: &'static str,
    title: &'static str,
    body: &'static str,
    yes: &'static str,
}

/// A question before an entry action that cannot be undone: where its form posts
/// (under `/peserta/inovasi/{id}/`) and the catalogue keys of its title, text and
/// button. One handler, [`confirm`], asks each.
pub trait Question: Send + Sync + 'static {
    const ACTION: &'static str;
    const KEYS: [&'static str; 3];
}

/// `GET /peserta/inovasi/{id}/tarik`: withdrawing cannot be undone, so it is asked.
#[derive(Debug)]
pub struct Withdraw;

impl Question for Withdraw {
    const ACTION: &'static str = "tarik";
    const KEYS: [&'static str; 3] = ["withdraw.title", "withdraw.body", "withdraw.yes"];
}

/// `GET /peserta/inovasi/{id}/hapus`: deleting a draft cannot be undone either.
#[derive(Debug)]
pub struct Delete;

impl Question for Delete {
    const ACTION: &'static str = "hapus";
    const KEYS: [&'static str; 3] = ["delete.title", "delete.body", "delete.yes"];
}

/// The question `Q` about the caller's entry.
pub async fn confirm<Q: Question>(
    State(state): State<AppState>,
    PageCan { ctx, caller, .. }: PageCan<CreateEntry>,
    PagePath(id): PagePath<EntryId>,
) -> PageResult {
    let entry = state
        .store
        .entry_for(id, &caller.user, false)
        .await
        .page(&ctx)?;
    let edition = state.store.edition(entry.edition_id).await.page(&ctx)?;
    let [title, body, yes] = Q::KEYS.map(|k| ctx.t(k));
    Ok(render(
        StatusCode::OK,
        &EntryConfirmPage {
            closes: ctx.when(&edition.submission_closes_at),
            ctx,
            entry,
            action: Q::ACTION,
            title,
            body,
            yes,
        },
    ))
}

/// `POST /peserta/inovasi/{id}/hapus`: the API's delete (drafts only, the owner only,
/// before the deadline); the files go with it.
pub async fn delete(
    State(state): State<AppState>,
    PageCan { ctx, caller, .. }: PageCan<CreateEntry>,
    PagePath(id): PagePath<EntryId>,
) -> PageResult {
    let user = caller.user;
    let blobs = state
        .store
        .delete_entry(id, &user, state.now())
        .await
        .page(&ctx)?;
    for sha in blobs {
        forget_blob(&state, &sha).await;
    }
    Ok(see_other("/peserta?dihapus=1"))
}

/// `POST /peserta/inovasi/{id}/tarik`: the same transition as the API's withdraw; a
/// refusal (after the deadline, already withdrawn) is an error page saying why.
pub async fn withdraw(
    State(state): State<AppState>,
    PageCan { ctx, caller, .. }: PageCan<CreateEntry>,
    PagePath(id): PagePath<EntryId>,
) -> PageResult {
    let user = caller.user;
    state
        .store
        .transition_entry(id, &user, Event::Withdraw, None, state.now())
        .await
        .page(&ctx)?;
    Ok(see_other(&format!("/peserta/inovasi/{id}?ditarik=1")))
}
