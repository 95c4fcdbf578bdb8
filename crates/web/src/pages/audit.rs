//! The audit trail for organisers (`/panitia/jejak`): newest first, filtered by
//! action, subject, actor and dates, in pages of 50: the API's `GET /audit`, read
//! with the session cookie. People read it in words: each action by its name in the
//! page's language, each subject by its name with a link to its page and to its own
//! trail, each change as a before/after table; the filters are chosen from lists, not
//! typed ids. A button checks the hash chain as `GET /audit/verify` and
//! `juri audit verify` do, and shows it intact or its first problem.

use crate::extract::requirements::ReadAudit;
use crate::pages::shared::page_number;
use crate::pages::{Ctx, FormErrors, PageCan, PageError, PageResult, PageResultExt, render};
use crate::state::AppState;
use crate::views::AuditVerificationView;
use askama::Template;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use chrono::{DateTime, NaiveDate, Utc};
use juri_domain::Message;
use juri_domain::ids::UserId;
use juri_domain::user::{Role, User};
use juri_domain::{Error, FieldError};
use juri_persistence::AuditFilter;
use serde::Deserialize;
use std::collections::HashMap;

const PER_PAGE: u64 = 50;

/// The filters as typed (and shown again).
#[derive(Debug, Default, Deserialize)]
pub struct AuditQuery {
    #[serde(default)]
    aksi: String,
    #[serde(default)]
    subjek: String,
    #[serde(default)]
    id_subjek: String,
    #[serde(default)]
    pelaku: String,
    /// `YYYY-MM-DD`, from the start of that day (WIB).
    #[serde(default)]
    sejak: String,
    /// `YYYY-MM-DD`, to the end of that day (WIB).
    #[serde(default)]
    sampai: String,
    #[serde(default)]
    halaman: String,
}

fn text(s: &str) -> Option<String> {
    Some(s.trim().to_owned()).filter(|s| !s.is_empty())
}

impl AuditQuery {
    /// The store's filter, every unreadable value a field error.
    fn filter(&self) -> Result<AuditFilter, Error> {
        let mut errors = Vec::new();
        let mut day = |raw: &str, field: &'static str, end: bool| -> Option<DateTime<Utc>> {
            let raw = raw.trim();
            if raw.is_empty() {
                return None;
            }
            let parsed = NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                .ok()
                .and_then(|d| {
                    if end {
                        let next = juri_text::time::day_start(d.succ_opt()?)?;
                        Some(next - chrono::Duration::milliseconds(1))
                    } else {
                        juri_text::time::day_start(d)
                    }
                });
            if parsed.is_none() {
                errors.push(FieldError::new(
                    field,
                    "invalid_date",
                    Message::new("field.audit.invalid_date"),
                ));
            }
            parsed
        };
        let since = day(&self.sejak, "sejak", false);
        let until = day(&self.sampai, "sampai", true);
        let actor = match text(&self.pelaku) {
            None => None,
            Some(a) => match a.parse::<UserId>() {
                Ok(id) => Some(id),
                Err(_) => {
                    errors.push(FieldError::new(
                        "pelaku",
                        "invalid",
                        Message::new("field.audit.invalid"),
                    ));
                    None
                }
            },
        };
        if !errors.is_empty() {
            return Err(Error::Invalid(errors));
        }
        Ok(AuditFilter {
            actor,
            action: text(&self.aksi),
            subject_type: text(&self.subjek),
            subject_id: text(&self.id_subjek),
            since,
            until,
        })
    }
}

/// Every action the store writes to the trail (the catalogue words each one as
/// `audit.action.<action>`; a test reads the store's sources for new ones).
pub const ACTIONS: &[&str] = &[
    "assignment.added",
    "assignment.recused",
    "assignment.removed",
    "attachment.added",
    "attachment.removed",
    "auth.logout",
    "auth.password_reset_requested",
    "auth.refresh_reuse_detected",
    "conflict.declared",
    "edition.created",
    "edition.updated",
    "entry.awarded",
    "entry.created",
    "entry.deleted",
    "entry.judging_started",
    "entry.not_awarded",
    "entry.screened",
    "entry.submitted",
    "entry.updated",
    "entry.withdrawn",
    "field.created",
    "field.updated",
    "import.completed",
    "organisation.created",
    "organisation.updated",
    "panel.judge_set",
    "results.published",
    "results.tie_decided",
    "results.winners_recorded",
    "round.advanced",
    "round.auto_assigned",
    "round.closed",
    "round.created",
    "round.judges_reminded",
    "round.started",
    "round.updated",
    "sheet.reopened",
    "sheet.submitted",
    "track.created",
    "track.updated",
    "user.created",
    "user.invitation_accepted",
    "user.invited",
    "user.password_changed",
    "user.password_reset",
    "user.status_changed",
];

/// The kinds of subject the trail names (`audit.subject.<kind>`).
pub const SUBJECTS: &[&str] = &[
    "assignment",
    "edition",
    "entry",
    "field",
    "import",
    "organisation",
    "round",
    "track",
    "user",
];

/// What an event was about: its kind in words, its name, the page it has, and the
/// trail of that one subject.
#[derive(Debug, Default)]
pub struct Subject {
    pub kind: String,
    pub name: String,
    pub link: Option<String>,
    pub trail: Option<String>,
}

/// One event as the table shows it.
#[derive(Debug)]
pub struct Row {
    pub id: i64,
    pub at: String,
    pub actor: String,
    /// In words; `code` is the action as stored (for the filter).
    pub action: String,
    pub code: String,
    pub subject: Subject,
    /// What changed: (what, before, after), one row each.
    pub changes: Vec<(String, String, String)>,
    pub sealed: String,
}

/// An action in words, or as stored when the catalogue has none (a newer server's).
fn action_words(ctx: &Ctx, action: &str) -> String {
    words(ctx, "audit.action.", action)
}

fn subject_words(ctx: &Ctx, kind: &str) -> String {
    words(ctx, "audit.subject.", kind)
}

fn words(ctx: &Ctx, prefix: &str, code: &str) -> String {
    let key = format!("{prefix}{code}");
    if juri_text::has(&key) {
        ctx.t(&key).to_owned()
    } else {
        code.to_owned()
    }
}

/// Before and after, key by key: for two objects the keys whose values differ; for
/// one object each of its keys; anything else as one row. At most 12 rows.
fn changes(
    before: Option<&serde_json::Value>,
    after: Option<&serde_json::Value>,
) -> Vec<(String, String, String)> {
    use serde_json::Value;
    let mut out = Vec::new();
    match (before, after) {
        (Some(Value::Object(b)), Some(Value::Object(a))) => {
            let keys: std::collections::BTreeSet<&String> = b.keys().chain(a.keys()).collect();
            for k in keys {
                let (x, y) = (b.get(k), a.get(k));
                if x != y {
                    out.push((k.clone(), short(x), short(y)));
                }
            }
        }
        (None, Some(Value::Object(a))) => {
            out.extend(
                a.iter()
                    .map(|(k, v)| (k.clone(), String::new(), short(Some(v)))),
            );
        }
        (Some(Value::Object(b)), None) => {
            out.extend(
                b.iter()
                    .map(|(k, v)| (k.clone(), short(Some(v)), String::new())),
            );
        }
        (None, None) => {}
        (b, a) => out.push((String::new(), short(b), short(a))),
    }
    out.truncate(12);
    out
}

#[derive(Template)]
#[template(path = "org_audit.html")]
struct AuditPage {
    ctx: Ctx,
    q: AuditQuery,
    rows: Vec<Row>,
    total: u64,
    page: u64,
    pages: u64,
    errors: FormErrors,
    /// The chain check, when the button asked for it.
    verification: Option<AuditVerificationView>,
    /// The filters' choices: (value, words).
    actions: Vec<(&'static str, String)>,
    subjects: Vec<(&'static str, String)>,
    actors: Vec<(String, String)>,
    /// The one subject whose trail is shown, by name.
    only: Option<String>,
}

impl AuditPage {
    /// The first problem's event and when it happened, as far as they are known.
    fn problem_event(&self) -> String {
        let Some(p) = self
            .verification
            .as_ref()
            .and_then(|v| v.first_problem.as_ref())
        else {
            return String::new();
        };
        let mut parts = Vec::new();
        if let Some(id) = p.event_id {
            parts.push(format!("#{id}"));
        }
        if let Some(a) = &p.action {
            parts.push(a.clone());
        }
        if let Some(at) = p.occurred_at {
            parts.push(juri_text::time::precise(at, self.ctx.lang));
        }
        parts.join(" · ")
    }

    /// The trail without the one-subject filter, the other filters kept.
    fn all_subjects_link(&self) -> String {
        let enc = crate::pages::session::encode;
        format!(
            "/panitia/jejak?aksi={}&pelaku={}&sejak={}&sampai={}",
            enc(&self.q.aksi),
            enc(&self.q.pelaku),
            enc(&self.q.sejak),
            enc(&self.q.sampai),
        )
    }

    fn page_link(&self, page: u64) -> String {
        let enc = crate::pages::session::encode;
        format!(
            "/panitia/jejak?aksi={}&subjek={}&id_subjek={}&pelaku={}&sejak={}&sampai={}&halaman={page}",
            enc(&self.q.aksi),
            enc(&self.q.subjek),
            enc(&self.q.id_subjek),
            enc(&self.q.pelaku),
            enc(&self.q.sejak),
            enc(&self.q.sampai),
        )
    }
}

/// A value of the trail, compact and cut short for the table (text without quotes).
fn short(v: Option<&serde_json::Value>) -> String {
    let Some(v) = v else {
        return String::new();
    };
    let s = match v {
        serde_json::Value::String(t) => t.clone(),
        serde_json::Value::Null => String::new(),
        other => other.to_string(),
    };
    if s.chars().count() > 160 {
        format!("{}…", s.chars().take(160).collect::<String>())
    } else {
        s
    }
}

/// `GET /panitia/jejak`: the audit trail.
pub async fn trail(
    State(state): State<AppState>,
    PageCan { ctx, caller, .. }: PageCan<ReadAudit>,
    Query(q): Query<AuditQuery>,
) -> PageResult {
    trail_with(&state, ctx, &caller.user, q, None).await
}

/// `POST /panitia/jejak/periksa`: check the hash chain (the API's verification,
/// limited as an expensive request) and show the trail with the result.
pub async fn verify(
    State(state): State<AppState>,
    PageCan { ctx, caller, .. }: PageCan<ReadAudit>,
) -> PageResult {
    let user = caller.user.id;
    state.expensive(user).page(&ctx)?;
    let v = state
        .store
        .verify_audit(state.now() - juri_domain::audit_chain::UNSEALED_GRACE)
        .await
        .page(&ctx)?;
    let v = AuditVerificationView::new(v, |m| ctx.say(m));
    trail_with(&state, ctx, &caller.user, AuditQuery::default(), Some(v)).await
}

/// The filters' choices: every action and subject kind in words, sorted by them,
/// and the staff (organisers, then judges) by name.
async fn choices(state: &AppState, ctx: &Ctx) -> Result<Choices, PageError> {
    let mut actions: Vec<(&'static str, String)> =
        ACTIONS.iter().map(|a| (*a, action_words(ctx, a))).collect();
    actions.sort_by(|a, b| a.1.cmp(&b.1));
    let mut subjects: Vec<(&'static str, String)> = SUBJECTS
        .iter()
        .map(|k| (*k, subject_words(ctx, k)))
        .collect();
    subjects.sort_by(|a, b| a.1.cmp(&b.1));
    let mut actors = Vec::new();
    for role in [Role::Organiser, Role::Judge] {
        let mut people: Vec<(String, String)> = state
            .store
            .users(Some(role), 1, 500)
            .await
            .page(ctx)?
            .items
            .into_iter()
            .map(|u| (u.id.to_string(), format!("{} ({})", u.name, u.email)))
            .collect();
        people.sort_by(|a, b| a.1.cmp(&b.1));
        actors.extend(people);
    }
    Ok((actions, subjects, actors))
}

type Choices = (
    Vec<(&'static str, String)>,
    Vec<(&'static str, String)>,
    Vec<(String, String)>,
);

/// Names and pages of the subjects on a page, each looked up once.
struct Names<'a> {
    state: &'a AppState,
    viewer: &'a User,
    seen: HashMap<(String, String), (String, Option<String>)>,
}

impl Names<'_> {
    /// The name of `kind` `id` and the organiser's page of it (when it has one); the
    /// id itself when it no longer exists (a deleted draft).
    async fn of(&mut self, kind: &str, id: &str) -> (String, Option<String>) {
        let key = (kind.to_owned(), id.to_owned());
        if let Some(found) = self.seen.get(&key) {
            return found.clone();
        }
        let store = &self.state.store;
        let found = match kind {
            "edition" => match id.parse() {
                Ok(e) => store
                    .edition(e)
                    .await
                    .ok()
                    .map(|e| (e.name, Some(format!("/panitia/edisi/{id}")))),
                Err(_) => None,
            },
            "round" => match id.parse() {
                Ok(r) => store
                    .round(r)
                    .await
                    .ok()
                    .map(|r| (r.name, Some(format!("/panitia/babak/{id}")))),
                Err(_) => None,
            },
            "entry" => match id.parse() {
                Ok(e) => store
                    .entry_for(e, self.viewer, false)
                    .await
                    .ok()
                    .map(|e| (e.content.title, Some(format!("/panitia/inovasi/{id}")))),
                Err(_) => None,
            },
            "organisation" => match id.parse() {
                Ok(o) => store
                    .organisation(o)
                    .await
                    .ok()
                    .map(|o| (o.name, Some(crate::pages::agencies::PATH.to_owned()))),
                Err(_) => None,
            },
            "user" => match id.parse() {
                Ok(u) => store.user(u).await.ok().map(|u| (u.name, None)),
                Err(_) => None,
            },
            _ => None,
        };
        let found = found.unwrap_or_else(|| (id.to_owned(), None));
        self.seen.insert(key, found.clone());
        found
    }
}

async fn trail_with(
    state: &AppState,
    ctx: Ctx,
    viewer: &User,
    q: AuditQuery,
    verification: Option<AuditVerificationView>,
) -> PageResult {
    let page = page_number(&q.halaman);
    let (actions, subjects, actors) = choices(state, &ctx).await?;
    let filter = match q.filter() {
        Ok(f) => f,
        Err(e) => {
            let errors = crate::pages::shared::form_errors(e, &ctx)?;
            return Ok(render(
                StatusCode::UNPROCESSABLE_ENTITY,
                &AuditPage {
                    ctx,
                    q,
                    rows: vec![],
                    total: 0,
                    page: 1,
                    pages: 1,
                    errors,
                    verification,
                    actions,
                    subjects,
                    actors,
                    only: None,
                },
            ));
        }
    };
    let found = state
        .store
        .audit_events(filter, page, PER_PAGE)
        .await
        .page(&ctx)?;
    let mut names = Names {
        state,
        viewer,
        seen: HashMap::new(),
    };
    let only = match (text(&q.subjek), text(&q.id_subjek)) {
        (Some(kind), Some(id)) => {
            let (name, _) = names.of(&kind, &id).await;
            Some(format!("{}: {name}", subject_words(&ctx, &kind)))
        }
        _ => None,
    };
    let mut rows = Vec::with_capacity(found.items.len());
    for e in found.items {
        let actor = match e.actor_id {
            None => ctx.t("audit.system").to_owned(),
            Some(id) => names.of("user", &id.to_string()).await.0,
        };
        let subject = match &e.subject_id {
            Some(id) => {
                let (name, link) = names.of(&e.subject_type, id).await;
                Subject {
                    kind: subject_words(&ctx, &e.subject_type),
                    name,
                    link,
                    trail: Some(format!(
                        "/panitia/jejak?subjek={}&id_subjek={}",
                        crate::pages::session::encode(&e.subject_type),
                        crate::pages::session::encode(id),
                    )),
                }
            }
            None => Subject {
                kind: subject_words(&ctx, &e.subject_type),
                ..Subject::default()
            },
        };
        rows.push(Row {
            id: e.id,
            at: juri_text::time::precise(e.occurred_at, ctx.lang),
            actor,
            subject,
            changes: changes(e.before.as_ref(), e.after.as_ref()),
            action: action_words(&ctx, &e.action),
            code: e.action,
            sealed: e.position.map(|p| format!("#{p}")).unwrap_or_default(),
        });
    }
    Ok(render(
        StatusCode::OK,
        &AuditPage {
            pages: found.total.div_ceil(PER_PAGE).max(1),
            total: found.total,
            ctx,
            q,
            rows,
            page,
            errors: FormErrors::default(),
            verification,
            actions,
            subjects,
            actors,
            only,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::{ACTIONS, SUBJECTS, changes};
    use serde_json::json;

    /// Every action and subject kind the store writes: read from its sources, so an
    /// action added there without words here fails.
    #[test]
    fn every_action_the_store_writes_has_words_in_both_languages() {
        let mut written = std::collections::BTreeSet::new();
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/../persistence/src");
        let mut dirs = vec![std::path::PathBuf::from(root)];
        while let Some(dir) = dirs.pop() {
            for entry in std::fs::read_dir(&dir).expect("read dir") {
                let path = entry.expect("entry").path();
                if path.is_dir() {
                    dirs.push(path);
                    continue;
                }
                let src = std::fs::read_to_string(&path).expect("read source");
                // `AuditRecord::new(actor, "the.action", "kind")` and the entry
                // transitions' `Event::… => "entry.…"`.
                // (Each call stands on one line; its arguments hold parentheses, as in
                // `Some(actor)`, so the line is read, not up to the first `)`.)
                for chunk in src.split("AuditRecord::new(").skip(1) {
                    let quoted: Vec<&str> = chunk
                        .lines()
                        .next()
                        .unwrap_or_default()
                        .split('"')
                        .skip(1)
                        .step_by(2)
                        .collect();
                    written.extend(quoted.iter().map(|s| (*s).to_owned()));
                }
                for line in src
                    .lines()
                    .filter(|l| l.contains("Event::") && l.contains("=> \"entry."))
                {
                    if let Some(a) = line.split('"').nth(1) {
                        written.insert(a.to_owned());
                    }
                }
            }
        }
        assert!(written.contains("round.closed") && written.contains("entry.screened"));
        for w in &written {
            let known = ACTIONS.contains(&w.as_str()) || SUBJECTS.contains(&w.as_str());
            assert!(
                known,
                "{w} is written to the trail but not listed in ACTIONS/SUBJECTS"
            );
        }
        // (Both catalogues hold the same keys: juri-text's own test.)
        for a in ACTIONS {
            assert!(
                juri_text::has(&format!("audit.action.{a}")),
                "audit.action.{a}"
            );
        }
        for k in SUBJECTS {
            assert!(
                juri_text::has(&format!("audit.subject.{k}")),
                "audit.subject.{k}"
            );
        }
    }

    #[test]
    fn a_change_is_shown_key_by_key_with_only_what_differs() {
        let b = json!({"name": "Babak 1", "k": 2, "same": true});
        let a = json!({"name": "Babak Final", "k": 2, "same": true, "new": "x"});
        assert_eq!(
            changes(Some(&b), Some(&a)),
            vec![
                (
                    "name".to_owned(),
                    "Babak 1".to_owned(),
                    "Babak Final".to_owned()
                ),
                ("new".to_owned(), String::new(), "x".to_owned()),
            ]
        );
        assert_eq!(
            changes(None, Some(&json!({"eligible": false}))),
            vec![("eligible".to_owned(), String::new(), "false".to_owned())]
        );
        assert_eq!(
            changes(Some(&json!(1)), Some(&json!(2))),
            vec![(String::new(), "1".to_owned(), "2".to_owned())]
        );
        assert!(changes(None, None).is_empty());
    }
}
