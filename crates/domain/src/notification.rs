//! The mail Juri sends: which notices exist (`juri-text` words them), the dedupe key
//! that stops a notice from being queued twice, when a deadline reminder is due and how long a failed delivery waits before the next try. No IO: the outbox
//! (persistence) stores the rendered text, the mail worker (web) delivers it.

use chrono::{DateTime, Duration, Utc};

/// How long before the submission deadline submitters with unsubmitted drafts are
/// reminded.
pub const SUBMISSION_REMINDER_LEAD: Duration = Duration::hours(48);

/// One message to one person, before it is rendered in their language.
#[derive(Debug, Clone, PartialEq)]
pub enum Notice {
    /// To the submitter: their entry was submitted.
    EntrySubmitted { edition: String, title: String },
    /// To the submitter: the screening result, with the organiser's reason.
    Screened {
        edition: String,
        title: String,
        eligible: bool,
        reason: Option<String>,
    },
    /// To a judge: entries were assigned to them in a round (one notice per judge per
    /// change, however many entries).
    JudgeAssigned {
        edition: String,
        round: String,
        added: u64,
        total: u64,
    },
    /// To a submitter with drafts not yet submitted, before the deadline.
    SubmissionReminder {
        edition: String,
        drafts: u64,
        closes_at: DateTime<Utc>,
    },
    /// To a judge with sheets of an open round not yet submitted, when an organiser
    /// presses "Ingatkan" (at most once a day: the dedupe key has the day).
    JudgeReminder {
        edition: String,
        round: String,
        unfinished: u64,
    },
    /// To a submitter who signed up before the edition opened: submissions are open.
    EditionOpened {
        edition: String,
        closes_at: DateTime<Utc>,
    },
    /// To every submitter of the edition: the results are public.
    ResultsPublished { edition: String },
    /// To someone who asked to reset their password: the one-time link (it carries
    /// the token, so it is in the body and never in a log line).
    PasswordReset {
        url: String,
        expires_at: DateTime<Utc>,
    },
}

impl Notice {
    /// The kind, as stored in the outbox.
    pub fn kind(&self) -> &'static str {
        match self {
            Notice::EntrySubmitted { .. } => "entry_submitted",
            Notice::Screened { .. } => "entry_screened",
            Notice::JudgeAssigned { .. } => "judge_assigned",
            Notice::SubmissionReminder { .. } => "submission_reminder",
            Notice::JudgeReminder { .. } => "judge_reminder",
            Notice::EditionOpened { .. } => "edition_opened",
            Notice::ResultsPublished { .. } => "results_published",
            Notice::PasswordReset { .. } => "password_reset",
        }
    }
}

/// The page a message of `kind` (as stored in the outbox) points to, under the server's
/// public URL: the submitter's entries, the judge's assignments, the winners.
pub fn link_path(kind: &str) -> Option<&'static str> {
    match kind {
        "entry_submitted" | "entry_screened" | "submission_reminder" | "edition_opened" => {
            Some("/peserta")
        }
        "judge_assigned" | "judge_reminder" => Some("/juri"),
        "results_published" => Some("/pemenang"),
        _ => None,
    }
}

/// Dedupe keys: one per occurrence. A key already in the outbox is not queued again.
pub mod key {
    use std::fmt::Display;

    /// An entry's transition, identified by the entry version it produced.
    pub fn entry_event(kind: &str, entry: impl Display, version: i64) -> String {
        format!("{kind}:{entry}:v{version}")
    }

    /// An assignment change: one per judge, per round, per change.
    pub fn assignment(round: impl Display, judge: impl Display, change: impl Display) -> String {
        format!("judge_assigned:{round}:{judge}:{change}")
    }

    /// One reminder per submitter per edition deadline (moving the deadline reminds
    /// again, for the new one).
    pub fn submission_reminder(
        edition: impl Display,
        user: impl Display,
        closes_at: chrono::DateTime<chrono::Utc>,
    ) -> String {
        format!(
            "submission_reminder:{edition}:{user}:{}",
            closes_at.timestamp()
        )
    }

    /// A judge is reminded at most once a day (`day`: the date in WIB), whichever
    /// round and however often the organisers press the button.
    pub fn judge_reminder(judge: impl Display, day: chrono::NaiveDate) -> String {
        format!("judge_reminder:{judge}:{day}")
    }

    /// An edition opens once: one mail per submitter.
    pub fn edition_opened(edition: impl Display, user: impl Display) -> String {
        format!("edition_opened:{edition}:{user}")
    }

    /// Each reset request is its own occurrence.
    pub fn password_reset(reset: impl Display) -> String {
        format!("password_reset:{reset}")
    }

    /// Publication happens once per edition.
    pub fn results_published(edition: impl Display, user: impl Display) -> String {
        format!("results_published:{edition}:{user}")
    }
}

/// Is the submission reminder due at `now` for a deadline at `closes_at`? From `lead`
/// before the deadline until the deadline itself; never after.
pub fn reminder_due(closes_at: DateTime<Utc>, now: DateTime<Utc>, lead: Duration) -> bool {
    now >= closes_at - lead && now < closes_at
}

/// The wait before try number `attempts + 1` after `attempts` failed tries: `min`,
/// doubled per failure, never above `max`. A message is never dropped: it waits `max`
/// between tries for as long as the server is away.
pub fn retry_delay(attempts: u32, min: Duration, max: Duration) -> Duration {
    let shift = attempts.saturating_sub(1).min(30);
    let factor = 1i64 << shift;
    min.checked_mul(i32::try_from(factor).unwrap_or(i32::MAX))
        .map_or(max, |d| d.min(max))
        .max(min.min(max))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 31, h, 0, 0)
            .single()
            .unwrap_or_default()
    }

    #[test]
    fn the_reminder_is_due_only_in_the_last_48_hours() {
        let closes = at(12);
        let lead = SUBMISSION_REMINDER_LEAD;
        assert!(!reminder_due(closes, closes - Duration::hours(49), lead));
        assert!(reminder_due(closes, closes - Duration::hours(48), lead));
        assert!(reminder_due(closes, closes - Duration::minutes(1), lead));
        assert!(!reminder_due(closes, closes, lead));
        assert!(!reminder_due(closes, closes + Duration::hours(1), lead));
    }

    #[test]
    fn every_kind_links_to_its_reader_s_page() {
        let kinds = [
            (
                Notice::EntrySubmitted {
                    edition: String::new(),
                    title: String::new(),
                },
                "/peserta",
            ),
            (
                Notice::JudgeAssigned {
                    edition: String::new(),
                    round: String::new(),
                    added: 1,
                    total: 1,
                },
                "/juri",
            ),
            (
                Notice::ResultsPublished {
                    edition: String::new(),
                },
                "/pemenang",
            ),
        ];
        for (notice, path) in kinds {
            assert_eq!(link_path(notice.kind()), Some(path), "{}", notice.kind());
        }
        assert_eq!(link_path("entry_screened"), Some("/peserta"));
        assert_eq!(link_path("submission_reminder"), Some("/peserta"));
        assert_eq!(link_path("something_else"), None);
        // A reset mail carries its own (one-time) link.
        let reset = Notice::PasswordReset {
            url: "https://juri.example/lupa-sandi/baru?token=abc".to_owned(),
            expires_at: at(10),
        };
        assert_eq!(link_path(reset.kind()), None);
    }

    #[test]
    fn the_retry_delay_doubles_and_is_capped() {
        let min = Duration::minutes(1);
        let max = Duration::hours(1);
        assert_eq!(retry_delay(1, min, max), Duration::minutes(1));
        assert_eq!(retry_delay(2, min, max), Duration::minutes(2));
        assert_eq!(retry_delay(3, min, max), Duration::minutes(4));
        assert_eq!(retry_delay(7, min, max), Duration::minutes(60));
        assert_eq!(retry_delay(1000, min, max), max);
        assert_eq!(retry_delay(0, min, max), min);
    }

    #[test]
    fn keys_tell_occurrences_apart() {
        assert_ne!(
            key::entry_event("entry_submitted", "e", 2),
            key::entry_event("entry_submitted", "e", 4)
        );
        assert_ne!(
            key::submission_reminder("ed", "u", at(1)),
            key::submission_reminder("ed", "u", at(2))
        );
    }
}
