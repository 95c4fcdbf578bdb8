//! The mail Juri sends: what each notice says in Bahasa Indonesia and in English, the
//! dedupe key that stops a notice from being queued twice, when a deadline reminder is
//! due and how long a failed delivery waits before the next try. No IO: the outbox
//! (persistence) stores the rendered text, the mail worker (web) delivers it.

use chrono::{DateTime, Duration, FixedOffset, Offset, Utc};

/// The language of a user's mail. Bahasa Indonesia unless they chose English.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Language {
    #[default]
    Id,
    En,
}

impl Language {
    /// `en` is English; anything else, Bahasa Indonesia.
    pub fn parse(s: &str) -> Language {
        if s.trim().eq_ignore_ascii_case("en") {
            Language::En
        } else {
            Language::Id
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            Language::Id => "id",
            Language::En => "en",
        }
    }
}

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
    /// To every submitter of the edition: the results are public.
    ResultsPublished { edition: String },
    /// To someone who asked to reset their password: the one-time link (it carries
    /// the token, so it is in the body and never in a log line).
    PasswordReset {
        url: String,
        expires_at: DateTime<Utc>,
    },
}

/// A rendered message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub body: String,
}

/// Bangka keeps Western Indonesian Time (UTC+7), whatever the server's zone.
fn wib(t: DateTime<Utc>) -> String {
    let offset = FixedOffset::east_opt(7 * 3600).unwrap_or_else(|| Utc.fix());
    format!("{} WIB", t.with_timezone(&offset).format("%d-%m-%Y %H:%M"))
}

impl Notice {
    /// The kind, as stored in the outbox.
    pub fn kind(&self) -> &'static str {
        match self {
            Notice::EntrySubmitted { .. } => "entry_submitted",
            Notice::Screened { .. } => "entry_screened",
            Notice::JudgeAssigned { .. } => "judge_assigned",
            Notice::SubmissionReminder { .. } => "submission_reminder",
            Notice::ResultsPublished { .. } => "results_published",
            Notice::PasswordReset { .. } => "password_reset",
        }
    }

    /// Subject and body for `name` in `lang`. Plain text: mail clients show it as it is.
    pub fn render(&self, lang: Language, name: &str) -> Rendered {
        let (subject, text) = match (self, lang) {
            (Notice::EntrySubmitted { edition, title }, Language::Id) => (
                format!("Inovasi diterima: {title}"),
                format!(
                    "Inovasi Anda \"{title}\" telah dikirim ke {edition}. Panitia akan \
                     memeriksa kelengkapannya; hasil seleksi administrasi akan kami kabarkan \
                     melalui email."
                ),
            ),
            (Notice::EntrySubmitted { edition, title }, Language::En) => (
                format!("Entry received: {title}"),
                format!(
                    "Your innovation \"{title}\" has been submitted to {edition}. The \
                     organisers will check it; we will email you the screening result."
                ),
            ),
            (
                Notice::Screened {
                    edition,
                    title,
                    eligible,
                    reason,
                },
                Language::Id,
            ) => {
                let because = reason
                    .as_deref()
                    .map(|r| format!("\n\nAlasan: {r}"))
                    .unwrap_or_default();
                if *eligible {
                    (
                        format!("Lolos seleksi administrasi: {title}"),
                        format!(
                            "Inovasi Anda \"{title}\" dinyatakan lolos seleksi administrasi \
                             {edition} dan akan dinilai oleh dewan juri.{because}"
                        ),
                    )
                } else {
                    (
                        format!("Tidak lolos seleksi administrasi: {title}"),
                        format!(
                            "Mohon maaf, inovasi Anda \"{title}\" dinyatakan tidak lolos \
                             seleksi administrasi {edition}.{because}"
                        ),
                    )
                }
            }
            (
                Notice::Screened {
                    edition,
                    title,
                    eligible,
                    reason,
                },
                Language::En,
            ) => {
                let because = reason
                    .as_deref()
                    .map(|r| format!("\n\nReason: {r}"))
                    .unwrap_or_default();
                if *eligible {
                    (
                        format!("Passed screening: {title}"),
                        format!(
                            "Your innovation \"{title}\" passed the screening of {edition} \
                             and will be assessed by the judges.{because}"
                        ),
                    )
                } else {
                    (
                        format!("Not eligible: {title}"),
                        format!(
                            "We are sorry: your innovation \"{title}\" did not pass the \
                             screening of {edition}.{because}"
                        ),
                    )
                }
            }
            (
                Notice::JudgeAssigned {
                    edition,
                    round,
                    added,
                    total,
                },
                Language::Id,
            ) => (
                format!("Penugasan penilaian baru: {round}"),
                format!(
                    "Anda mendapat {added} inovasi baru untuk dinilai pada {round}, {edition}. \
                     Sekarang Anda memegang {total} inovasi di babak ini. Silakan masuk ke \
                     Juri untuk mulai menilai."
                ),
            ),
            (
                Notice::JudgeAssigned {
                    edition,
                    round,
                    added,
                    total,
                },
                Language::En,
            ) => (
                format!("New judging assignment: {round}"),
                format!(
                    "You have {added} new {} to assess in {round}, {edition}. You now hold \
                     {total} in this round. Please sign in to Juri to start.",
                    if *added == 1 { "entry" } else { "entries" }
                ),
            ),
            (
                Notice::SubmissionReminder {
                    edition,
                    drafts,
                    closes_at,
                },
                Language::Id,
            ) => (
                format!("Pengingat: batas pengiriman {edition}"),
                format!(
                    "Anda masih memiliki {drafts} draf inovasi yang belum dikirim. \
                     Pengiriman {edition} ditutup pada {}. Draf yang belum dikirim tidak \
                     akan dinilai.",
                    wib(*closes_at)
                ),
            ),
            (
                Notice::SubmissionReminder {
                    edition,
                    drafts,
                    closes_at,
                },
                Language::En,
            ) => (
                format!("Reminder: {edition} submission deadline"),
                format!(
                    "You still have {drafts} draft {} not submitted. Submissions to {edition} \
                     close on {}. Drafts that are not submitted will not be judged.",
                    if *drafts == 1 { "entry" } else { "entries" },
                    wib(*closes_at)
                ),
            ),
            (Notice::ResultsPublished { edition }, Language::Id) => (
                format!("Hasil {edition} telah diumumkan"),
                format!(
                    "Hasil penjurian {edition} telah diumumkan. Terima kasih atas partisipasi \
                     Anda. Silakan masuk ke Juri untuk melihat hasil inovasi Anda."
                ),
            ),
            (Notice::ResultsPublished { edition }, Language::En) => (
                format!("{edition}: the results are published"),
                format!(
                    "The results of {edition} have been published. Thank you for taking \
                     part. Sign in to Juri to see how your innovation did."
                ),
            ),
            (Notice::PasswordReset { url, expires_at }, Language::Id) => (
                "Atur ulang kata sandi Juri".to_owned(),
                format!(
                    "Seseorang (semoga Anda) meminta untuk mengatur ulang kata sandi akun Juri \
                     Anda. Buka tautan ini untuk membuat kata sandi baru; tautan hanya \
                     berlaku sekali, sampai {}:\n\n{url}\n\nJika Anda tidak memintanya, \
                     abaikan email ini: kata sandi Anda tidak berubah.",
                    wib(*expires_at)
                ),
            ),
            (Notice::PasswordReset { url, expires_at }, Language::En) => (
                "Reset your Juri password".to_owned(),
                format!(
                    "Someone (hopefully you) asked to reset the password of your Juri \
                     account. Open this link to choose a new password; it works once, \
                     until {}:\n\n{url}\n\nIf you did not ask for this, ignore this \
                     email: your password has not changed.",
                    wib(*expires_at)
                ),
            ),
        };
        let greeting = match lang {
            Language::Id => "Yth.",
            Language::En => "Dear",
        };
        let closing = closing(lang);
        Rendered {
            // A subject is one line: a title must not inject headers.
            subject: one_line(&subject),
            body: format!("{greeting} {name},\n\n{text}\n\n{closing}\n"),
        }
    }
}

fn closing(lang: Language) -> &'static str {
    match lang {
        Language::Id => "Salam,\nPanitia Bangka Innovation Awards",
        Language::En => "Kind regards,\nBangka Innovation Awards organisers",
    }
}

/// The page a message of `kind` (as stored in the outbox) points to, under the server's
/// public URL: the submitter's entries, the judge's assignments, the winners.
pub fn link_path(kind: &str) -> Option<&'static str> {
    match kind {
        "entry_submitted" | "entry_screened" | "submission_reminder" => Some("/peserta"),
        "judge_assigned" => Some("/juri"),
        "results_published" => Some("/pemenang"),
        _ => None,
    }
}

/// `body` with a line pointing to `url`, above the closing. Added when the message is
/// sent, so the public URL of the server that sends it is the one used.
pub fn with_link(body: &str, lang: Language, url: &str) -> String {
    let line = match lang {
        Language::Id => format!("Buka Juri: {url}"),
        Language::En => format!("Open Juri: {url}"),
    };
    let tail = format!("{}\n", closing(lang));
    match body.strip_suffix(&tail) {
        Some(head) => format!("{head}{line}\n\n{tail}"),
        None => format!("{body}\n{line}\n"),
    }
}

/// Line breaks and other control characters become spaces.
fn one_line(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
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
    fn language_defaults_to_indonesian() {
        assert_eq!(Language::parse("en"), Language::En);
        assert_eq!(Language::parse(" EN "), Language::En);
        assert_eq!(Language::parse("id"), Language::Id);
        assert_eq!(Language::parse("fr"), Language::Id);
        assert_eq!(Language::default().code(), "id");
    }

    #[test]
    fn a_submission_notice_reads_in_both_languages() {
        let n = Notice::EntrySubmitted {
            edition: "BIA 2026".into(),
            title: "Arsip desa".into(),
        };
        let id = n.render(Language::Id, "Siti");
        assert_eq!(id.subject, "Inovasi diterima: Arsip desa");
        assert!(id.body.starts_with("Yth. Siti,"), "{}", id.body);
        assert!(id.body.contains("BIA 2026"));
        let en = n.render(Language::En, "Siti");
        assert_eq!(en.subject, "Entry received: Arsip desa");
        assert!(en.body.starts_with("Dear Siti,"));
        assert_eq!(n.kind(), "entry_submitted");
    }

    #[test]
    fn screening_says_the_result_and_the_reason() {
        let no = Notice::Screened {
            edition: "BIA".into(),
            title: "T".into(),
            eligible: false,
            reason: Some("Dokumen tidak lengkap".into()),
        };
        let r = no.render(Language::Id, "A");
        assert!(r.subject.starts_with("Tidak lolos"));
        assert!(r.body.contains("Alasan: Dokumen tidak lengkap"));
        let yes = Notice::Screened {
            edition: "BIA".into(),
            title: "T".into(),
            eligible: true,
            reason: None,
        };
        let r = yes.render(Language::En, "A");
        assert!(r.subject.starts_with("Passed screening"));
        assert!(!r.body.contains("Reason"));
    }

    #[test]
    fn an_assignment_counts_the_entries() {
        let n = Notice::JudgeAssigned {
            edition: "BIA".into(),
            round: "Babak 1".into(),
            added: 3,
            total: 5,
        };
        let id = n.render(Language::Id, "Juri");
        assert!(id.body.contains("3 inovasi baru"), "{}", id.body);
        assert!(id.body.contains("5 inovasi"));
        let one = Notice::JudgeAssigned {
            edition: "BIA".into(),
            round: "R".into(),
            added: 1,
            total: 1,
        };
        assert!(one.render(Language::En, "J").body.contains("1 new entry "));
    }

    #[test]
    fn a_reminder_names_the_deadline_in_western_indonesian_time() {
        let n = Notice::SubmissionReminder {
            edition: "BIA".into(),
            drafts: 2,
            closes_at: at(10),
        };
        let r = n.render(Language::Id, "S");
        assert!(r.body.contains("31-03-2026 17:00 WIB"), "{}", r.body);
        assert!(r.body.contains("2 draf"));
    }

    #[test]
    fn a_title_cannot_break_the_subject_line() {
        let n = Notice::EntrySubmitted {
            edition: "BIA".into(),
            title: "A\r\nBcc: x@example.id".into(),
        };
        let r = n.render(Language::Id, "S");
        assert!(!r.subject.contains('\n') && !r.subject.contains('\r'));
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
    fn a_link_goes_above_the_closing_in_the_reader_s_language() {
        let n = Notice::ResultsPublished {
            edition: "BIA 2026".to_owned(),
        };
        let url = "https://juri.example/pemenang";
        let id = with_link(&n.render(Language::Id, "Siti").body, Language::Id, url);
        assert!(
            id.contains("Buka Juri: https://juri.example/pemenang\n\nSalam,"),
            "{id}"
        );
        assert!(id.ends_with("Panitia Bangka Innovation Awards\n"), "{id}");
        let en = with_link(&n.render(Language::En, "Siti").body, Language::En, url);
        assert!(
            en.contains("Open Juri: https://juri.example/pemenang\n\nKind regards,"),
            "{en}"
        );
        // A body without the usual closing still gets the link, at the end.
        assert_eq!(
            with_link("Hi", Language::En, url),
            format!("Hi\nOpen Juri: {url}\n")
        );
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
        for lang in [Language::Id, Language::En] {
            let r = reset.render(lang, "Budi");
            assert!(
                r.body
                    .contains("https://juri.example/lupa-sandi/baru?token=abc")
            );
            assert!(r.body.contains("17:00 WIB"), "{}", r.body);
        }
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
