//! Times as people in Bangka read and type them: Western Indonesian Time (WIB), the
//! `Asia/Jakarta` zone of the tz database (chrono-tz), whatever the server's own zone.
//! Stored and sent by the API in UTC; only what people read or type is in WIB.
//!
//! Indonesian writes "23 Oktober 2026, 11.41 WIB" (a dot between hours and minutes),
//! English "23 October 2026, 11:41 WIB". Month names come from the catalogue.

use crate::{Language, text};
use chrono::{DateTime, Datelike, NaiveDate, NaiveDateTime, TimeZone, Timelike, Utc};
use chrono_tz::Tz;

/// The zone of Kabupaten Bangka.
pub const ZONE: Tz = chrono_tz::Asia::Jakarta;

/// The form of a `datetime-local` input: minutes, no zone.
const INPUT: &str = "%Y-%m-%dT%H:%M";

/// The month's name in `lang` (1 = January).
fn month(lang: Language, m: u32) -> &'static str {
    const KEYS: [&str; 12] = [
        "month.1", "month.2", "month.3", "month.4", "month.5", "month.6", "month.7", "month.8",
        "month.9", "month.10", "month.11", "month.12",
    ];
    let i = usize::try_from(m.saturating_sub(1)).unwrap_or(0).min(11);
    text(lang, KEYS[i])
}

/// "23 Oktober 2026" / "23 October 2026".
pub fn date(d: NaiveDate, lang: Language) -> String {
    format!("{} {} {}", d.day(), month(lang, d.month()), d.year())
}

fn clock(h: u32, m: u32, lang: Language) -> String {
    match lang {
        Language::Id => format!("{h:02}.{m:02}"),
        Language::En => format!("{h:02}:{m:02}"),
    }
}

/// "23 Oktober 2026, 11.41 WIB" / "23 October 2026, 11:41 WIB".
pub fn long(t: DateTime<Utc>, lang: Language) -> String {
    let w = t.with_timezone(&ZONE);
    format!(
        "{}, {} WIB",
        date(w.date_naive(), lang),
        clock(w.hour(), w.minute(), lang)
    )
}

/// As [`long`], with seconds: the audit trail's times.
pub fn precise(t: DateTime<Utc>, lang: Language) -> String {
    let w = t.with_timezone(&ZONE);
    let sep = match lang {
        Language::Id => '.',
        Language::En => ':',
    };
    format!(
        "{}, {}{sep}{:02} WIB",
        date(w.date_naive(), lang),
        clock(w.hour(), w.minute(), lang),
        w.second()
    )
}

/// The value of a `datetime-local` input for `t`: its WIB wall-clock time.
pub fn to_input(t: DateTime<Utc>) -> String {
    t.with_timezone(&ZONE).format(INPUT).to_string()
}

/// A `datetime-local` input's value, read as WIB; `None` when it is not one.
pub fn from_input(raw: &str) -> Option<DateTime<Utc>> {
    let naive = NaiveDateTime::parse_from_str(raw.trim(), INPUT).ok()?;
    // WIB has no daylight saving: every wall-clock time exists exactly once.
    ZONE.from_local_datetime(&naive)
        .single()
        .map(|t| t.with_timezone(&Utc))
}

/// The first instant of `day` in WIB, in UTC (a day filter's start).
pub fn day_start(day: NaiveDate) -> Option<DateTime<Utc>> {
    ZONE.from_local_datetime(&day.and_hms_opt(0, 0, 0)?)
        .single()
        .map(|t| t.with_timezone(&Utc))
}

/// The day it is in WIB at `t`.
pub fn today(t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&ZONE).date_naive()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s)
            .map(|t| t.with_timezone(&Utc))
            .expect("a time")
    }

    #[test]
    fn a_time_reads_in_wib_in_each_language_s_form() {
        let t = utc("2026-10-23T04:41:07Z");
        assert_eq!(long(t, Language::Id), "23 Oktober 2026, 11.41 WIB");
        assert_eq!(long(t, Language::En), "23 October 2026, 11:41 WIB");
        assert_eq!(precise(t, Language::Id), "23 Oktober 2026, 11.41.07 WIB");
        assert_eq!(precise(t, Language::En), "23 October 2026, 11:41:07 WIB");
    }

    #[test]
    fn late_evening_utc_is_the_next_day_in_bangka() {
        let t = utc("2026-12-31T17:30:00Z");
        assert_eq!(long(t, Language::Id), "1 Januari 2027, 00.30 WIB");
        assert_eq!(
            today(t),
            NaiveDate::from_ymd_opt(2027, 1, 1).expect("a day")
        );
    }

    #[test]
    fn an_input_is_read_and_written_as_wib() {
        let t = from_input("2027-05-31T17:00").expect("read");
        assert_eq!(t, utc("2027-05-31T10:00:00Z"));
        assert_eq!(to_input(t), "2027-05-31T17:00");
        assert_eq!(from_input(" 2027-05-31T17:00 "), Some(t));
        for bad in ["", "31-05-2027 17:00", "2027-02-30T10:00", "2027-05-31"] {
            assert_eq!(from_input(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_day_starts_at_midnight_wib() {
        let d = NaiveDate::from_ymd_opt(2026, 10, 23).expect("a day");
        assert_eq!(day_start(d), Some(utc("2026-10-22T17:00:00Z")));
    }

    #[test]
    fn every_month_has_a_name_in_both_languages() {
        for lang in Language::ALL {
            let names: Vec<_> = (1..=12).map(|m| month(lang, m)).collect();
            for n in &names {
                assert!(!n.starts_with("month."), "{lang:?}: {n}");
            }
            let mut unique = names.clone();
            unique.sort();
            unique.dedup();
            assert_eq!(unique.len(), 12, "{lang:?}: {names:?}");
        }
    }
}
