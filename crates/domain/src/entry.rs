//! An entry (innovation): its content, its lifecycle and who may see it.
//!
//! ```text
//! draft ──submit──► submitted ──screen──► eligible ──start judging──► in_judging ──► winner
//!   │                  │      ◄─rescreen─► ineligible                          └──► not_awarded
//!   └──withdraw──► withdrawn ◄──withdraw──┘
//! ```
//! Every transition is [`transition`] (or, for the organiser's steps that move many
//! entries in one statement, [`bulk_transition`], which follows the same table);
//! nothing else changes a status.

use crate::Message;
use crate::ids::{EntryId, FieldId, OrganisationId, TrackId, UserId};
use crate::user::Role;
use crate::{Error, FieldError};
use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    Draft,
    Submitted,
    Eligible,
    Ineligible,
    InJudging,
    Winner,
    NotAwarded,
    Withdrawn,
}

impl Status {
    pub const ALL: [Status; 8] = [
        Status::Draft,
        Status::Submitted,
        Status::Eligible,
        Status::Ineligible,
        Status::InJudging,
        Status::Winner,
        Status::NotAwarded,
        Status::Withdrawn,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Status::Draft => "draft",
            Status::Submitted => "submitted",
            Status::Eligible => "eligible",
            Status::Ineligible => "ineligible",
            Status::InJudging => "in_judging",
            Status::Winner => "winner",
            Status::NotAwarded => "not_awarded",
            Status::Withdrawn => "withdrawn",
        }
    }

    pub fn parse(s: &str) -> Option<Status> {
        Status::ALL.into_iter().find(|st| st.as_str() == s)
    }

    /// May the submitter still change the content (before the deadline)?
    pub fn is_editable(self) -> bool {
        matches!(self, Status::Draft | Status::Submitted)
    }

    /// Has the entry passed the administrative screening? True for every status after
    /// it, not only `Eligible`: an entry in judging, awarded or not, passed it too.
    pub fn passed_screening(self) -> bool {
        matches!(
            self,
            Status::Eligible | Status::InJudging | Status::Winner | Status::NotAwarded
        )
    }
}

/// What can happen to an entry.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Event {
    Submit,
    Withdraw,
    Screen { eligible: bool },
    StartJudging,
    Award,
    NotAward,
}

/// The circumstances of an event: who, when, and whether submissions are still open.
#[derive(Debug, Clone, Copy)]
pub struct Context {
    pub actor_role: Role,
    pub actor_is_owner: bool,
    /// The edition's submission window is open now.
    pub window_open: bool,
    /// The edition is in its screening phase now.
    pub screening_open: bool,
}

fn refused(from: Status, event: Event) -> Error {
    Error::Conflict(
        Message::new("conflict.status_forbids")
            .with("status", from.as_str())
            .with("event", format!("{event:?}")),
    )
}

fn deadline_passed() -> Error {
    Error::Conflict(Message::new("conflict.entry_deadline_passed"))
}

/// The next status after `event`, or why not. Who may act is checked first (403 for a
/// role that may never do it), then the state (409).
pub fn transition(from: Status, event: Event, ctx: Context) -> Result<Status, Error> {
    use Status::*;
    match event {
        Event::Submit | Event::Withdraw => {
            if !(ctx.actor_role == Role::Submitter && ctx.actor_is_owner) {
                return Err(Error::Forbidden);
            }
            if !ctx.window_open {
                return Err(deadline_passed());
            }
            match (from, event) {
                (Draft, Event::Submit) => Ok(Submitted),
                (Draft | Submitted, Event::Withdraw) => Ok(Withdrawn),
                _ => Err(refused(from, event)),
            }
        }
        Event::Screen { eligible } => {
            if ctx.actor_role != Role::Organiser {
                return Err(Error::Forbidden);
            }
            if !matches!(from, Submitted | Eligible | Ineligible) {
                return Err(refused(from, event));
            }
            if !ctx.screening_open {
                return Err(Error::Conflict(Message::new("conflict.screening_window")));
            }
            Ok(if eligible { Eligible } else { Ineligible })
        }
        Event::StartJudging | Event::Award | Event::NotAward => {
            if ctx.actor_role != Role::Organiser {
                return Err(Error::Forbidden);
            }
            match (from, event) {
                (Eligible, Event::StartJudging) => Ok(InJudging),
                (InJudging, Event::Award) => Ok(Winner),
                (InJudging, Event::NotAward) => Ok(NotAwarded),
                _ => Err(refused(from, event)),
            }
        }
    }
}

/// The status an organiser's lifecycle step moves every matching entry to when it
/// applies to many at once (judging starts, results are published): the same table as
/// [`transition`], so the store's bulk moves follow it too.
pub fn bulk_transition(from: Status, event: Event) -> Result<Status, Error> {
    match event {
        Event::StartJudging | Event::Award | Event::NotAward => transition(
            from,
            event,
            Context {
                actor_role: Role::Organiser,
                actor_is_owner: false,
                window_open: false,
                screening_open: false,
            },
        ),
        Event::Submit | Event::Withdraw | Event::Screen { .. } => Err(refused(from, event)),
    }
}

/// A new draft must name its field and track (the JSON API and the entry form).
pub fn require_categories(field: Option<FieldId>, track: Option<TrackId>) -> Result<(), Error> {
    let mut missing = Vec::new();
    if field.is_none() {
        missing.push(FieldError::new(
            "field_id",
            "required",
            Message::new("field.entries.required"),
        ));
    }
    if track.is_none() {
        missing.push(FieldError::new(
            "track_id",
            "required",
            Message::new("field.entries.required.track_id"),
        ));
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err(Error::Invalid(missing))
    }
}

/// May the submitter change the content or the attachments now?
pub fn check_editable(status: Status, window_open: bool, is_owner: bool) -> Result<(), Error> {
    if !is_owner {
        return Err(Error::NotFound);
    }
    if !window_open {
        return Err(deadline_passed());
    }
    if !status.is_editable() {
        return Err(Error::Conflict(
            Message::new("conflict.entry_not_editable").with("status", status.as_str()),
        ));
    }
    Ok(())
}

/// May the submitter delete the entry? Drafts only, before the deadline.
pub fn check_deletable(status: Status, window_open: bool, is_owner: bool) -> Result<(), Error> {
    check_editable(status, window_open, is_owner)?;
    if status != Status::Draft {
        return Err(Error::Conflict(Message::new(
            "conflict.only_drafts_deleted",
        )));
    }
    Ok(())
}

/// Who is looking at an entry.
#[derive(Debug, Clone, Copy)]
pub struct Viewer {
    pub user: UserId,
    pub role: Role,
}

/// May `viewer` see the entry owned by `owner`? Organisers see all; a submitter sees
/// their own; anyone else (including judges, until they are assigned) gets not found,
/// which never reveals that the entry exists.
pub fn check_visible(viewer: Viewer, owner: UserId, assigned_judge: bool) -> Result<(), Error> {
    match viewer.role {
        Role::Organiser => Ok(()),
        Role::Submitter if viewer.user == owner => Ok(()),
        Role::Judge if assigned_judge => Ok(()),
        _ => Err(Error::NotFound),
    }
}

/// A member of the team behind an innovation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeamMember {
    pub name: String,
    #[serde(default)]
    pub role: Option<String>,
    /// Lets the conflict rule recognise a co-author who is also a judge.
    #[serde(default)]
    pub email: Option<String>,
}

/// The content of an entry: what the submitter writes.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Content {
    pub title: String,
    pub field_id: Option<FieldId>,
    pub track_id: Option<TrackId>,
    pub organisation_id: Option<OrganisationId>,
    pub summary: String,
    pub problem: String,
    pub solution: String,
    pub how_it_works: String,
    pub impact: String,
    pub cost: String,
    pub replicability: String,
    pub sustainability: String,
    pub stakeholders: String,
    pub started_on: Option<NaiveDate>,
    pub team: Vec<TeamMember>,
    pub video_url: Option<String>,
    pub publication_consent: bool,
}

/// The limits of each text, in characters.
pub const TITLE_MAX: usize = 200;
pub const SUMMARY_MAX: usize = 1_000;
pub const LONG_TEXT_MAX: usize = 10_000;
pub const TEAM_MAX: usize = 30;

/// The texts of an entry the public catalogue shows, by column name: what its search
/// looks in besides the team's names. `cost` is left out because the public never sees
/// it, and a search that found it would reveal it word by word.
pub const PUBLIC_TEXTS: [&str; 9] = [
    "title",
    "summary",
    "problem",
    "solution",
    "how_it_works",
    "impact",
    "replicability",
    "sustainability",
    "stakeholders",
];

/// The folded text the catalogue's search looks in (see [`crate::award::search_key`]):
/// the public texts and the team members' names, in that order.
pub fn catalogue_search_text<'a>(
    texts: impl IntoIterator<Item = &'a str>,
    team: impl IntoIterator<Item = &'a str>,
) -> String {
    let all: Vec<&str> = texts.into_iter().chain(team).collect();
    crate::award::search_key(&all.join(" "))
}

impl Content {
    /// What the catalogue's search looks in, folded: [`PUBLIC_TEXTS`] and the team.
    pub fn catalogue_search_text(&self) -> String {
        let texts = self
            .texts()
            .into_iter()
            .filter(|(name, _, _)| PUBLIC_TEXTS.contains(name))
            .map(|(_, text, _)| text);
        catalogue_search_text(texts, self.team.iter().map(|t| t.name.as_str()))
    }

    /// The text fields with their names and limits, in form order.
    pub fn texts(&self) -> [(&'static str, &str, usize); 10] {
        [
            ("title", &self.title, TITLE_MAX),
            ("summary", &self.summary, SUMMARY_MAX),
            ("problem", &self.problem, LONG_TEXT_MAX),
            ("solution", &self.solution, LONG_TEXT_MAX),
            ("how_it_works", &self.how_it_works, LONG_TEXT_MAX),
            ("impact", &self.impact, LONG_TEXT_MAX),
            ("cost", &self.cost, LONG_TEXT_MAX),
            ("replicability", &self.replicability, LONG_TEXT_MAX),
            ("sustainability", &self.sustainability, LONG_TEXT_MAX),
            ("stakeholders", &self.stakeholders, LONG_TEXT_MAX),
        ]
    }

    /// Trim every text and check every limit: what any draft must meet.
    pub fn normalise(mut self) -> Result<Content, Error> {
        for s in [
            &mut self.title,
            &mut self.summary,
            &mut self.problem,
            &mut self.solution,
            &mut self.how_it_works,
            &mut self.impact,
            &mut self.cost,
            &mut self.replicability,
            &mut self.sustainability,
            &mut self.stakeholders,
        ] {
            *s = s.trim().to_owned();
        }
        self.video_url = self
            .video_url
            .map(|u| u.trim().to_owned())
            .filter(|u| !u.is_empty());
        for m in &mut self.team {
            m.name = m.name.trim().to_owned();
            m.role = m
                .role
                .take()
                .map(|r| r.trim().to_owned())
                .filter(|r| !r.is_empty());
        }
        let mut errors = Vec::new();
        if self.title.is_empty() {
            errors.push(required("title"));
        }
        for (field, text, max) in self.texts() {
            let n = text.chars().count();
            if n > max {
                errors.push(FieldError::new(
                    field,
                    "too_long",
                    Message::new("field.entry.too_long")
                        .with("max", max)
                        .with("n", n),
                ));
            }
            if text
                .chars()
                .any(|c| c.is_control() && c != '\n' && c != '\r' && c != '\t')
            {
                errors.push(FieldError::new(
                    field,
                    "control_characters",
                    Message::new("field.entry.control_characters"),
                ));
            }
        }
        if let Some(url) = &self.video_url {
            let ok = (url.starts_with("https://") || url.starts_with("http://"))
                && url.len() <= 500
                && !url.chars().any(|c| c.is_whitespace() || c.is_control());
            if !ok {
                errors.push(FieldError::new(
                    "video_url",
                    "invalid_url",
                    Message::new("field.entry.invalid_url"),
                ));
            }
        }
        if self.team.len() > TEAM_MAX
            || self.team.iter().any(|m| {
                m.name.is_empty()
                    || m.name.chars().count() > 200
                    || m.email
                        .as_deref()
                        .is_some_and(|e| crate::user::Email::parse(e).is_err())
            })
        {
            errors.push(FieldError::new(
                "team",
                "invalid_team",
                Message::new("field.entry.invalid_team").with("team_max", TEAM_MAX),
            ));
        }
        if errors.is_empty() {
            Ok(self)
        } else {
            Err(Error::Invalid(errors))
        }
    }

    /// What a submission needs, each with whether this content has it: the fields
    /// [`Content::check_complete`] asks for, in the form's order.
    pub fn completeness(&self, needs_organisation: bool) -> Vec<(&'static str, bool)> {
        let missing: Vec<String> = match self.check_complete(needs_organisation) {
            Err(Error::Invalid(errors)) => errors.into_iter().map(|e| e.field).collect(),
            _ => Vec::new(),
        };
        let mut fields = vec!["title", "field_id", "track_id"];
        if needs_organisation {
            fields.push("organisation_id");
        }
        fields.extend(["summary", "problem", "solution", "how_it_works", "impact"]);
        fields
            .into_iter()
            .map(|f| (f, !missing.iter().any(|m| m == f)))
            .collect()
    }

    /// What a submission needs beyond a draft. `needs_organisation`: the track is
    /// the OPD track.
    pub fn check_complete(&self, needs_organisation: bool) -> Result<(), Error> {
        let mut errors = Vec::new();
        if self.title.is_empty() {
            errors.push(required("title"));
        }
        if self.field_id.is_none() {
            errors.push(required("field_id"));
        }
        if self.track_id.is_none() {
            errors.push(required("track_id"));
        }
        if needs_organisation && self.organisation_id.is_none() {
            errors.push(required("organisation_id"));
        }
        for (field, text) in [
            ("summary", &self.summary),
            ("problem", &self.problem),
            ("solution", &self.solution),
            ("how_it_works", &self.how_it_works),
            ("impact", &self.impact),
        ] {
            if text.is_empty() {
                errors.push(required(field));
            }
        }
        if errors.is_empty() {
            Ok(())
        } else {
            Err(Error::Invalid(errors))
        }
    }
}

fn required(field: &'static str) -> FieldError {
    FieldError::new(field, "required", Message::new("field.entry.required"))
}

/// A partial change of the content (PATCH): `None` leaves a value as it is; for the
/// optional values, `Some(None)` clears it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ContentPatch {
    pub title: Option<String>,
    pub field_id: Option<FieldId>,
    pub track_id: Option<TrackId>,
    pub organisation_id: Option<Option<OrganisationId>>,
    pub summary: Option<String>,
    pub problem: Option<String>,
    pub solution: Option<String>,
    pub how_it_works: Option<String>,
    pub impact: Option<String>,
    pub cost: Option<String>,
    pub replicability: Option<String>,
    pub sustainability: Option<String>,
    pub stakeholders: Option<String>,
    pub started_on: Option<Option<NaiveDate>>,
    pub team: Option<Vec<TeamMember>>,
    pub video_url: Option<Option<String>>,
    pub publication_consent: Option<bool>,
}

impl ContentPatch {
    pub fn apply(self, current: &Content) -> Content {
        let mut c = current.clone();
        macro_rules! set {
            ($($f:ident),*) => { $( if let Some(v) = self.$f { c.$f = v; } )* };
        }
        set!(
            title,
            summary,
            problem,
            solution,
            how_it_works,
            impact,
            cost,
            replicability,
            sustainability,
            stakeholders,
            organisation_id,
            started_on,
            team,
            video_url,
            publication_consent
        );
        if let Some(f) = self.field_id {
            c.field_id = Some(f);
        }
        if let Some(t) = self.track_id {
            c.track_id = Some(t);
        }
        c
    }
}

/// An entry as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    pub id: EntryId,
    pub edition_id: crate::ids::EditionId,
    pub submitter_id: UserId,
    pub status: Status,
    #[serde(flatten)]
    pub content: Content,
    pub screening_reason: Option<String>,
    pub screened_at: Option<DateTime<Utc>>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub withdrawn_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// Bumped by every write; a stale write is refused.
    pub version: i64,
}

/// The reason given with a screening decision: required when ineligible.
pub fn screening_reason(eligible: bool, reason: Option<&str>) -> Result<Option<String>, Error> {
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    match reason {
        None if !eligible => Err(Error::invalid(
            "reason",
            "required",
            Message::new("field.entry.required.reason"),
        )),
        Some(r) if r.chars().count() > 2_000 => Err(Error::invalid(
            "reason",
            "too_long",
            Message::new("field.entry.too_long.reason"),
        )),
        r => Ok(r.map(str::to_owned)),
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn the_catalogue_search_text_holds_the_public_texts_and_the_team_but_not_the_cost() {
        let mut c = complete();
        c.how_it_works = "Petugas datang ke Desa Riau Silip.".into();
        c.cost = "Rp 40 juta dari APBD".into();
        c.team = vec![TeamMember {
            name: "Yuliana Sári".into(),
            role: None,
            email: None,
        }];
        let text = c.catalogue_search_text();
        assert!(text.contains("riau silip"), "{text}");
        assert!(text.contains("yuliana sari"), "{text}");
        assert!(!text.contains("apbd"), "{text}");
    }

    #[test]
    fn the_checklist_names_what_a_submission_still_needs() {
        let mut c = complete();
        assert!(c.completeness(false).iter().all(|(_, done)| *done));
        c.problem.clear();
        c.field_id = None;
        let open: Vec<&str> = c
            .completeness(false)
            .into_iter()
            .filter(|(_, done)| !done)
            .map(|(f, _)| f)
            .collect();
        assert_eq!(open, ["field_id", "problem"]);
        assert!(
            c.completeness(true)
                .iter()
                .any(|(f, done)| *f == "organisation_id" && !done)
        );
    }

    #[test]
    fn every_status_after_screening_counts_as_passed() {
        let passed: Vec<Status> = Status::ALL
            .into_iter()
            .filter(|s| s.passed_screening())
            .collect();
        assert_eq!(
            passed,
            [
                Status::Eligible,
                Status::InJudging,
                Status::Winner,
                Status::NotAwarded
            ]
        );
    }

    use super::*;

    fn owner(window_open: bool) -> Context {
        Context {
            actor_role: Role::Submitter,
            actor_is_owner: true,
            window_open,
            screening_open: false,
        }
    }

    fn organiser(screening_open: bool) -> Context {
        Context {
            actor_role: Role::Organiser,
            actor_is_owner: false,
            window_open: false,
            screening_open,
        }
    }

    /// The complete table: every status × every event, with the expected outcome in
    /// the right circumstances. `None` means refused with 409.
    #[test]
    fn every_allowed_and_every_refused_transition() {
        use Status::*;
        let events = [
            Event::Submit,
            Event::Withdraw,
            Event::Screen { eligible: true },
            Event::Screen { eligible: false },
            Event::StartJudging,
            Event::Award,
            Event::NotAward,
        ];
        let expected = |from: Status, ev: Event| -> Option<Status> {
            match (from, ev) {
                (Draft, Event::Submit) => Some(Submitted),
                (Draft | Submitted, Event::Withdraw) => Some(Withdrawn),
                (Submitted | Eligible | Ineligible, Event::Screen { eligible: true }) => {
                    Some(Eligible)
                }
                (Submitted | Eligible | Ineligible, Event::Screen { eligible: false }) => {
                    Some(Ineligible)
                }
                (Eligible, Event::StartJudging) => Some(InJudging),
                (InJudging, Event::Award) => Some(Winner),
                (InJudging, Event::NotAward) => Some(NotAwarded),
                _ => None,
            }
        };
        for from in Status::ALL {
            for ev in events {
                let ctx = match ev {
                    Event::Submit | Event::Withdraw => owner(true),
                    Event::Screen { .. } => organiser(true),
                    _ => organiser(false),
                };
                let got = transition(from, ev, ctx);
                match expected(from, ev) {
                    Some(to) => assert_eq!(got, Ok(to), "{from:?} --{ev:?}-->"),
                    None => assert!(
                        matches!(got, Err(Error::Conflict(_))),
                        "{from:?} --{ev:?}--> should be refused, got {got:?}"
                    ),
                }
            }
        }
    }

    #[test]
    fn after_the_deadline_a_submitter_changes_nothing() {
        for from in [Status::Draft, Status::Submitted] {
            for ev in [Event::Submit, Event::Withdraw] {
                assert!(matches!(
                    transition(from, ev, owner(false)),
                    Err(Error::Conflict(_))
                ));
            }
        }
        assert!(check_editable(Status::Draft, false, true).is_err());
        assert!(check_deletable(Status::Draft, false, true).is_err());
    }

    #[test]
    fn only_the_owner_submits_and_only_organisers_screen() {
        let stranger = Context {
            actor_is_owner: false,
            ..owner(true)
        };
        assert_eq!(
            transition(Status::Draft, Event::Submit, stranger),
            Err(Error::Forbidden)
        );
        let judge = Context {
            actor_role: Role::Judge,
            ..organiser(true)
        };
        assert_eq!(
            transition(Status::Submitted, Event::Screen { eligible: true }, judge),
            Err(Error::Forbidden)
        );
        let submitter = Context {
            actor_role: Role::Submitter,
            ..organiser(true)
        };
        assert_eq!(
            transition(
                Status::Submitted,
                Event::Screen { eligible: true },
                submitter
            ),
            Err(Error::Forbidden)
        );
        // Screening before the deadline is refused.
        assert!(matches!(
            transition(
                Status::Submitted,
                Event::Screen { eligible: true },
                organiser(false)
            ),
            Err(Error::Conflict(_))
        ));
    }

    #[test]
    fn editing_and_deleting() {
        assert_eq!(check_editable(Status::Draft, true, true), Ok(()));
        assert_eq!(check_editable(Status::Submitted, true, true), Ok(()));
        assert!(matches!(
            check_editable(Status::Eligible, true, true),
            Err(Error::Conflict(_))
        ));
        assert_eq!(
            check_editable(Status::Draft, true, false),
            Err(Error::NotFound)
        );
        assert_eq!(check_deletable(Status::Draft, true, true), Ok(()));
        assert!(matches!(
            check_deletable(Status::Submitted, true, true),
            Err(Error::Conflict(_))
        ));
    }

    #[test]
    fn visibility() {
        let owner_id = UserId::new();
        let me = |role| Viewer {
            user: owner_id,
            role,
        };
        let other = |role| Viewer {
            user: UserId::new(),
            role,
        };
        assert_eq!(check_visible(me(Role::Submitter), owner_id, false), Ok(()));
        assert_eq!(
            check_visible(other(Role::Submitter), owner_id, false),
            Err(Error::NotFound)
        );
        assert_eq!(
            check_visible(other(Role::Organiser), owner_id, false),
            Ok(())
        );
        assert_eq!(
            check_visible(other(Role::Judge), owner_id, false),
            Err(Error::NotFound)
        );
        assert_eq!(check_visible(other(Role::Judge), owner_id, true), Ok(()));
    }

    fn complete() -> Content {
        Content {
            title: "Si Lada: layanan informasi harga lada".into(),
            field_id: Some(FieldId::new()),
            track_id: Some(TrackId::new()),
            organisation_id: None,
            summary: "Ringkasan".into(),
            problem: "Masalah".into(),
            solution: "Inovasi".into(),
            how_it_works: "Cara kerja".into(),
            impact: "Dampak".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_submission_needs_its_required_fields() {
        assert_eq!(complete().check_complete(false), Ok(()));
        let mut c = complete();
        c.problem.clear();
        c.impact.clear();
        let Err(Error::Invalid(errors)) = c.check_complete(false) else {
            panic!("expected invalid");
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["problem", "impact"]);
        let Err(Error::Invalid(errors)) = complete().check_complete(true) else {
            panic!("expected invalid");
        };
        assert_eq!(errors[0].field, "organisation_id");
    }

    #[test]
    fn drafts_are_trimmed_and_bounded() {
        let mut c = complete();
        c.title = "  Judul  ".into();
        c.video_url = Some("  ".into());
        let n = c.normalise().expect("ok");
        assert_eq!(n.title, "Judul");
        assert_eq!(n.video_url, None);

        let mut c = complete();
        c.summary = "x".repeat(SUMMARY_MAX + 1);
        c.video_url = Some("javascript:alert(1)".into());
        let Err(Error::Invalid(errors)) = c.normalise() else {
            panic!("expected invalid");
        };
        let fields: Vec<&str> = errors.iter().map(|e| e.field.as_str()).collect();
        assert_eq!(fields, vec!["summary", "video_url"]);

        let mut c = complete();
        c.title = "   ".into();
        assert!(c.normalise().is_err());
    }

    #[test]
    fn a_patch_changes_only_what_it_names() {
        let c = complete();
        let p = ContentPatch {
            summary: Some("Baru".into()),
            video_url: Some(Some("https://video.example/x".into())),
            ..Default::default()
        };
        let n = p.apply(&c);
        assert_eq!(n.summary, "Baru");
        assert_eq!(n.video_url.as_deref(), Some("https://video.example/x"));
        assert_eq!(n.title, c.title);
        let cleared = ContentPatch {
            video_url: Some(None),
            ..Default::default()
        }
        .apply(&n);
        assert_eq!(cleared.video_url, None);
    }

    #[test]
    fn ineligible_needs_a_reason() {
        assert!(screening_reason(false, None).is_err());
        assert!(screening_reason(false, Some("  ")).is_err());
        assert_eq!(
            screening_reason(false, Some(" Dokumen tidak lengkap ")),
            Ok(Some("Dokumen tidak lengkap".into()))
        );
        assert_eq!(screening_reason(true, None), Ok(None));
    }

    #[test]
    fn bulk_moves_follow_the_transition_table() {
        assert_eq!(
            bulk_transition(Status::Eligible, Event::StartJudging),
            Ok(Status::InJudging)
        );
        assert_eq!(
            bulk_transition(Status::InJudging, Event::Award),
            Ok(Status::Winner)
        );
        assert_eq!(
            bulk_transition(Status::InJudging, Event::NotAward),
            Ok(Status::NotAwarded)
        );
        for from in Status::ALL {
            assert!(matches!(
                bulk_transition(from, Event::Submit),
                Err(Error::Conflict(_))
            ));
        }
        assert!(matches!(
            bulk_transition(Status::Draft, Event::StartJudging),
            Err(Error::Conflict(_))
        ));
        assert!(matches!(
            bulk_transition(Status::Winner, Event::NotAward),
            Err(Error::Conflict(_))
        ));
    }

    #[test]
    fn a_draft_names_its_field_and_track() {
        assert_eq!(
            require_categories(Some(FieldId::new()), Some(TrackId::new())),
            Ok(())
        );
        match require_categories(None, None) {
            Err(Error::Invalid(e)) => {
                let fields: Vec<&str> = e.iter().map(|e| e.field.as_str()).collect();
                assert_eq!(fields, ["field_id", "track_id"]);
                assert!(e.iter().all(|e| e.code == "required"));
            }
            other => panic!("{other:?}"),
        }
    }
}
