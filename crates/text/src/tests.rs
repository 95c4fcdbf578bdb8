use super::*;
use crate::mail::{Rendered, render as mail, with_link};
use chrono::{TimeZone, Utc};
use juri_domain::notification::Notice;
use std::collections::BTreeSet;
use std::path::Path;

fn keys(t: &[(&str, &str)]) -> BTreeSet<String> {
    t.iter().map(|(k, _)| (*k).to_owned()).collect()
}

#[test]
fn both_catalogues_have_the_same_keys_once_each() {
    assert_eq!(keys(ID), keys(EN));
    assert_eq!(keys(ID).len(), ID.len(), "a key is twice in ID");
    assert_eq!(keys(EN).len(), EN.len(), "a key is twice in EN");
}

#[test]
fn a_text_names_the_same_parameters_in_both_languages() {
    for (key, id) in ID {
        let en = text(Language::En, key);
        assert_eq!(placeholders(id), placeholders(en), "{key}");
    }
}

/// Every code × language: each error, problem and mail text is written in both
/// languages, and the two are not the same sentence pasted twice.
#[test]
fn every_message_code_reads_in_each_language() {
    let mut missing = Vec::new();
    for (key, _) in ID {
        // `field.<where>.<code>` are errors; `field.email` and the like are labels.
        let is_error = [
            "conflict.",
            "problem.",
            "mail.",
            "import.",
            "audit.problem.",
        ]
        .iter()
        .any(|p| key.starts_with(p))
            || (key.starts_with("field.") && key.matches('.').count() >= 2);
        if !is_error {
            continue;
        }
        for lang in Language::ALL {
            if text(lang, key).trim().is_empty() {
                missing.push(format!("{key} ({})", lang.code()));
            }
        }
        if text(Language::Id, key) == text(Language::En, key) {
            missing.push(format!("{key} (the same in both)"));
        }
    }
    assert!(missing.is_empty(), "{missing:?}");
}

fn sources() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let mut out = Vec::new();
    let mut dirs = vec![root.join("crates")];
    while let Some(dir) = dirs.pop() {
        for f in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
            let path = f.path();
            if path.is_dir() {
                if !path.ends_with("target") {
                    dirs.push(path);
                }
            } else if path
                .extension()
                .is_some_and(|e| e == "rs" || e == "html" || e == "txt")
                && let Ok(s) = std::fs::read_to_string(&path)
            {
                out.push((path.display().to_string(), s));
            }
        }
    }
    assert!(out.len() > 50, "the sources were not found");
    out
}

/// Every key the code or a template asks for is in the catalogue: `t("…")` in pages
/// and templates, `Message::new("…")` and `Error::conflict("…")` anywhere.
#[test]
fn every_key_the_code_names_exists() {
    let mut missing = Vec::new();
    let mut named = 0;
    for (path, s) in sources() {
        for marker in [
            "t(\"",
            "Message::new(\"",
            "Error::conflict(\"",
            "text(lang, \"",
        ] {
            for part in s.split(marker).skip(1) {
                if let Some(key) = part.split('"').next()
                    && key.contains('.')
                    && !key.contains(' ')
                {
                    named += 1;
                    if !has(key) {
                        missing.push(format!("{key} ({path})"));
                    }
                }
            }
        }
    }
    assert!(named > 500, "only {named} keys found: the scan is broken");
    assert!(missing.is_empty(), "missing texts: {missing:?}");
}

#[test]
fn a_message_fills_its_parameters_in_the_reader_s_language() {
    let m = Message::new("field.entry.too_long")
        .with("max", 200)
        .with("n", 250);
    assert_eq!(
        render(Language::Id, &m),
        "Paling banyak 200 karakter (ini 250)."
    );
    assert_eq!(
        render(Language::En, &m),
        "At most 200 characters (this has 250)."
    );
    // A value is not read again for placeholders.
    assert_eq!(fill("a {x} b", &[("x", "{y}".to_owned())]), "a {y} b");
    assert_eq!(fill("{y} and {", &[("x", "1".to_owned())]), "{y} and {");
}

#[test]
fn the_default_is_indonesian() {
    assert_eq!(text(Language::Id, "nav.sign_in"), "Masuk");
    assert_eq!(text(Language::En, "nav.sign_in"), "Sign in");
    assert_eq!(text(Language::default(), "nav.sign_in"), "Masuk");
}

fn at(h: u32) -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 3, 31, h, 0, 0)
        .single()
        .unwrap_or_default()
}

#[test]
fn a_submission_notice_reads_in_both_languages() {
    let n = Notice::EntrySubmitted {
        edition: "BIA 2026".into(),
        title: "Arsip desa".into(),
    };
    let id = mail(&n, Language::Id, "Siti");
    assert_eq!(id.subject, "Inovasi diterima: Arsip desa");
    assert!(id.body.starts_with("Yth. Siti,"), "{}", id.body);
    assert!(id.body.contains("BIA 2026"));
    let en = mail(&n, Language::En, "Siti");
    assert_eq!(en.subject, "Entry received: Arsip desa");
    assert!(en.body.starts_with("Dear Siti,"));
}

#[test]
fn screening_says_the_result_and_the_reason() {
    let no = Notice::Screened {
        edition: "BIA".into(),
        title: "T".into(),
        eligible: false,
        reason: Some("Dokumen tidak lengkap".into()),
    };
    let r = mail(&no, Language::Id, "A");
    assert!(r.subject.starts_with("Tidak lolos"));
    assert!(r.body.contains("Alasan: Dokumen tidak lengkap"));
    let yes = Notice::Screened {
        edition: "BIA".into(),
        title: "T".into(),
        eligible: true,
        reason: None,
    };
    let r = mail(&yes, Language::En, "A");
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
    let id = mail(&n, Language::Id, "Juri");
    assert!(id.body.contains("3 inovasi baru"), "{}", id.body);
    assert!(id.body.contains("5 inovasi"));
    assert!(mail(&n, Language::En, "J").body.contains("3 new entries "));
    let one = Notice::JudgeAssigned {
        edition: "BIA".into(),
        round: "R".into(),
        added: 1,
        total: 1,
    };
    assert!(mail(&one, Language::En, "J").body.contains("1 new entry "));
}

#[test]
fn a_reminder_names_the_deadline_in_western_indonesian_time() {
    let n = Notice::SubmissionReminder {
        edition: "BIA".into(),
        drafts: 2,
        closes_at: at(10),
    };
    let r = mail(&n, Language::Id, "S");
    assert!(r.body.contains("31 Maret 2026, 17.00 WIB"), "{}", r.body);
    assert!(r.body.contains("2 draf"));
    let r = mail(&n, Language::En, "S");
    assert!(r.body.contains("31 March 2026, 17:00 WIB"), "{}", r.body);
}

#[test]
fn a_title_cannot_break_the_subject_line() {
    let n = Notice::EntrySubmitted {
        edition: "BIA".into(),
        title: "A\r\nBcc: x@example.id".into(),
    };
    let r = mail(&n, Language::Id, "S");
    assert!(!r.subject.contains('\n') && !r.subject.contains('\r'));
}

#[test]
fn a_reset_mail_carries_its_link_and_its_hour() {
    let reset = Notice::PasswordReset {
        url: "https://juri.example/lupa-sandi/baru?token=abc".to_owned(),
        expires_at: at(10),
    };
    for (lang, hour) in [(Language::Id, "17.00 WIB"), (Language::En, "17:00 WIB")] {
        let r: Rendered = mail(&reset, lang, "Budi");
        assert!(
            r.body
                .contains("https://juri.example/lupa-sandi/baru?token=abc")
        );
        assert!(r.body.contains(hour), "{}", r.body);
    }
}

#[test]
fn a_link_goes_above_the_closing_in_the_reader_s_language() {
    let n = Notice::ResultsPublished {
        edition: "BIA 2026".to_owned(),
    };
    let url = "https://juri.example/pemenang";
    let id = with_link(&mail(&n, Language::Id, "Siti").body, Language::Id, url);
    assert!(
        id.contains("Buka Juri: https://juri.example/pemenang\n\nSalam,"),
        "{id}"
    );
    assert!(id.ends_with("Panitia Bangka Innovation Awards\n"), "{id}");
    let en = with_link(&mail(&n, Language::En, "Siti").body, Language::En, url);
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

/// `juri-domain`, `juri-persistence` and `juri-import` hold no prose: their outcomes are keys of this
/// catalogue. A string literal outside their tests that reads like an Indonesian
/// sentence, or joins two languages with " / ", fails here.
#[test]
fn the_rules_and_the_store_hold_no_prose() {
    const WORDS: [&str; 12] = [
        " yang ", " tidak ", " sudah ", " belum ", " dengan ", " untuk ", " wajib ", " harus ",
        " atau ", " ini ", " dan ", " dapat ",
    ];
    let mut found = Vec::new();
    for (path, source) in sources() {
        let norm = path.replace('\\', "/");
        if ![
            "crates/domain/src",
            "crates/persistence/src",
            "crates/import/src",
        ]
        .iter()
        .any(|c| norm.contains(c))
        {
            continue;
        }
        let code = source.split("#[cfg(test)]").next().unwrap_or_default();
        for (n, line) in code.lines().enumerate() {
            let trimmed = line.trim_start();
            // A value of the data (a seeded field name, a word read from a file) is
            // marked as such where it is written.
            if trimmed.starts_with("//") || line.ends_with("// data, not prose") {
                continue;
            }
            for literal in line.split('"').skip(1).step_by(2) {
                let padded = format!(" {} ", literal.to_lowercase());
                if WORDS.iter().any(|w| padded.contains(w)) || literal.contains(" / ") {
                    found.push(format!("{path}:{}: {literal}", n + 1));
                }
            }
        }
    }
    assert!(found.is_empty(), "prose outside the catalogue: {found:#?}");
}

/// The words people read (issue 18, "Wording"): one term for each thing ("peserta",
/// not also "pengusul"), "Nonaktifkan" rather than "Berhentikan", "Belum meraih
/// penghargaan" rather than the blunt "Tidak menang", sizes in KB/MB (not KiB/MiB), and
/// no statistic's symbol without a word of what it means.
#[test]
fn people_read_plain_words() {
    const NOT: [&str; 6] = [
        "pengusul",
        "berhentikan",
        "tidak menang",
        "kib",
        "mib",
        "z-score",
    ];
    let mut found = Vec::new();
    for (lang, table) in [("id", ID), ("en", EN)] {
        for (key, t) in table {
            let lower = t.to_lowercase();
            for w in NOT {
                if lower.contains(w) {
                    found.push(format!("{lang} {key}: {w}"));
                }
            }
            if t.contains('α') && !t.contains("Krippendorff") {
                found.push(format!("{lang} {key}: α without a word"));
            }
        }
    }
    for (path, source) in sources() {
        if path.ends_with(".html") {
            for w in ["KiB", "MiB", "α ="] {
                if source.contains(w) {
                    found.push(format!("{path}: {w}"));
                }
            }
        }
    }
    assert!(found.is_empty(), "{found:#?}");
}

/// The to-do list's keys come from the rules (`juri_domain::todo`), not from a `t("…")`.
#[test]
fn every_to_do_reads_in_each_language() {
    for key in juri_domain::todo::KEYS {
        assert!(has(key), "{key}");
        assert_ne!(text(Language::Id, key), text(Language::En, key), "{key}");
    }
}

/// The catalogue's search finds an edition's default field by its English name through
/// these keys: their Indonesian texts must stay the field names editions start with.
#[test]
fn the_default_field_names_are_the_domain_s_in_order() {
    for (n, name) in juri_domain::edition::DEFAULT_FIELDS.iter().enumerate() {
        let key = format!("default_field.{}", n + 1);
        assert_eq!(text(Language::Id, &key), *name);
        assert_ne!(text(Language::En, &key), key.as_str());
    }
}
