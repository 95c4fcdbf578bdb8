//! The mail Juri sends, rendered in its reader's language from the catalogue's
//! `mail.*` texts. Plain text: mail clients show it as it is.

use crate::{Language, text};
use juri_domain::notification::Notice;

/// A rendered message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub body: String,
}

fn fill(lang: Language, key: &str, params: &[(&str, String)]) -> String {
    crate::fill(text(lang, key), params)
}

/// Subject and body of `notice` for `name` in `lang`.
pub fn render(notice: &Notice, lang: Language, name: &str) -> Rendered {
    let s = |v: &str| v.to_owned();
    // `one`: English counts one entry, two entries (Indonesian says the same either way).
    let (key, params, one): (&str, Vec<(&str, String)>, bool) = match notice {
        Notice::EntrySubmitted { edition, title } => (
            "mail.entry_submitted",
            vec![("edition", s(edition)), ("title", s(title))],
            false,
        ),
        Notice::Screened {
            edition,
            title,
            eligible,
            reason,
        } => {
            let because = reason
                .as_deref()
                .map(|r| fill(lang, "mail.screened.reason", &[("reason", s(r))]))
                .unwrap_or_default();
            (
                if *eligible {
                    "mail.screened_eligible"
                } else {
                    "mail.screened_ineligible"
                },
                vec![
                    ("edition", s(edition)),
                    ("title", s(title)),
                    ("because", because),
                ],
                false,
            )
        }
        Notice::JudgeAssigned {
            edition,
            round,
            added,
            total,
        } => (
            "mail.judge_assigned",
            vec![
                ("edition", s(edition)),
                ("round", s(round)),
                ("added", added.to_string()),
                ("total", total.to_string()),
            ],
            *added == 1,
        ),
        Notice::SubmissionReminder {
            edition,
            drafts,
            closes_at,
        } => (
            "mail.submission_reminder",
            vec![
                ("edition", s(edition)),
                ("drafts", drafts.to_string()),
                ("closes_at", crate::time::long(*closes_at, lang)),
            ],
            *drafts == 1,
        ),
        Notice::JudgeReminder {
            edition,
            round,
            unfinished,
        } => (
            "mail.judge_reminder",
            vec![
                ("edition", s(edition)),
                ("round", s(round)),
                ("unfinished", unfinished.to_string()),
            ],
            *unfinished == 1,
        ),
        Notice::EditionOpened { edition, closes_at } => (
            "mail.edition_opened",
            vec![
                ("edition", s(edition)),
                ("closes_at", crate::time::long(*closes_at, lang)),
            ],
            false,
        ),
        Notice::ResultsPublished { edition } => (
            "mail.results_published",
            vec![("edition", s(edition))],
            false,
        ),
        Notice::PasswordReset { url, expires_at } => (
            "mail.password_reset",
            vec![
                ("url", s(url)),
                ("expires_at", crate::time::long(*expires_at, lang)),
            ],
            false,
        ),
    };
    let body_key = if one {
        format!("{key}.body_one")
    } else {
        format!("{key}.body")
    };
    let subject = fill(lang, &format!("{key}.subject"), &params);
    let body = fill(lang, &body_key, &params);
    let greeting = fill(lang, "mail.greeting", &[("name", s(name))]);
    Rendered {
        // A subject is one line: a title must not inject headers.
        subject: one_line(&subject),
        body: format!("{greeting}\n\n{body}\n\n{}\n", text(lang, "mail.closing")),
    }
}

/// `body` with a line pointing to `url`, above the closing. Added when the message is
/// sent, so the public URL of the server that sends it is the one used.
pub fn with_link(body: &str, lang: Language, url: &str) -> String {
    let line = fill(lang, "mail.open_link", &[("url", url.to_owned())]);
    let tail = format!("{}\n", text(lang, "mail.closing"));
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
