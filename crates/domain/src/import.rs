//! Importing the innovations of earlier years from a spreadsheet (`juri import FILE`):
//! the column layout, the header check, and one row parsed and checked on its own.
//!
//! A row is checked here for everything that needs no database: required cells,
//! formats (year, date, award, consent) and the limits every entry meets
//! ([`Content::normalise`]). The names it carries (field, track, agency) are resolved
//! against the database afterwards, by `juri_persistence`, which collects every row's
//! errors before writing anything.
//!
//! Line numbers are those a spreadsheet user sees: the header is line 1, the first
//! innovation line 2.

use crate::Message;
use crate::award::{Award, search_key};
use crate::entry::{Content, TeamMember};
use chrono::NaiveDate;
use std::collections::BTreeMap;

/// Every column the import reads, in the order of `docs/import.md`.
pub const COLUMNS: [&str; 19] = [
    "year",
    "title",
    "track",
    "field",
    "organisation",
    "summary",
    "problem",
    "solution",
    "impact",
    "how_it_works",
    "cost",
    "replicability",
    "sustainability",
    "stakeholders",
    "video_url",
    "started_on",
    "team",
    "award",
    "consent",
];

/// The columns that must be present in the header and filled in on every line.
pub const REQUIRED_COLUMNS: [&str; 5] = ["year", "title", "track", "field", "summary"];

fn known(column: &str) -> bool {
    COLUMNS.contains(&column)
}

/// What is wrong with one cell (or one line) of the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    /// The line as a spreadsheet shows it (header = 1).
    pub line: usize,
    /// The column's name (lower case), or a description of where the cell is.
    pub column: String,
    /// What is wrong, for `juri-text` to word in the reader's language.
    pub message: Message,
}

impl RowError {
    pub fn new(line: usize, column: impl Into<String>, message: Message) -> Self {
        Self {
            line,
            column: column.into(),
            message,
        }
    }
}

/// One line of the file as read: its number and its non-empty cells by column name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RawRow {
    pub line: usize,
    pub cells: BTreeMap<String, String>,
}

impl RawRow {
    /// The cells of one line under `header` (as returned by [`check_header`]). Empty
    /// cells are left out; a filled cell under no column is an error.
    pub fn from_record(
        line: usize,
        header: &[String],
        values: impl IntoIterator<Item = String>,
    ) -> Result<RawRow, RowError> {
        let mut cells = BTreeMap::new();
        for (i, value) in values.into_iter().enumerate() {
            if value.trim().is_empty() {
                continue;
            }
            match header.get(i).filter(|name| !name.is_empty()) {
                Some(name) => {
                    cells.insert(name.clone(), value);
                }
                None => {
                    return Err(RowError::new(
                        line,
                        format!("ke-{}", i + 1),
                        Message::new("import.cell_outside_columns"),
                    ));
                }
            }
        }
        Ok(RawRow { line, cells })
    }

    /// A line with no filled cell (skipped: spreadsheets often end with some).
    pub fn is_blank(&self) -> bool {
        self.cells.is_empty()
    }

    fn get(&self, column: &str) -> Option<&str> {
        self.cells
            .get(column)
            .map(|s| s.trim())
            .filter(|s| !s.is_empty())
    }
}

/// The name of a column as written in a header cell: trimmed, lower case, spaces and
/// hyphens read as underscores (`How it works` is `how_it_works`).
pub fn column_key(raw: &str) -> String {
    raw.trim_start_matches('\u{feff}')
        .trim()
        .to_lowercase()
        .split(|c: char| c.is_whitespace() || c == '-' || c == '_')
        .filter(|w| !w.is_empty())
        .collect::<Vec<_>>()
        .join("_")
}

/// Check the header (on `line`, 1 in a file that starts with it): every name known,
/// none twice, every required column present. Returns the column names in file order
/// (empty for an unnamed column).
pub fn check_header(line: usize, names: &[String]) -> Result<Vec<String>, Vec<RowError>> {
    let keys: Vec<String> = names.iter().map(|n| column_key(n)).collect();
    let mut errors = Vec::new();
    for (i, key) in keys.iter().enumerate() {
        if key.is_empty() {
            continue;
        }
        if !known(key) {
            errors.push(RowError::new(
                line,
                key.clone(),
                Message::new("import.unknown_column").with("columns", COLUMNS.join(", ")),
            ));
        } else if keys[..i].contains(key) {
            errors.push(RowError::new(
                line,
                key.clone(),
                Message::new("import.column_twice"),
            ));
        }
    }
    for required in REQUIRED_COLUMNS {
        if !keys.iter().any(|k| k == required) {
            errors.push(RowError::new(
                line,
                required,
                Message::new("import.column_missing"),
            ));
        }
    }
    if errors.is_empty() {
        Ok(keys)
    } else {
        Err(errors)
    }
}

/// One innovation, checked, with the names still to resolve.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportRow {
    pub line: usize,
    pub year: i32,
    /// The track's name as written (resolved case-insensitively).
    pub track: String,
    /// The field's name as written (resolved case- and accent-insensitively).
    pub field: String,
    /// The agency's name or short name as written.
    pub organisation: Option<String>,
    pub award: Option<Award>,
    /// Normalised; its field, track and agency ids are unset until resolved.
    pub content: Content,
}

/// The year of an imported edition: 2000 to 2100, like every edition.
pub const YEARS: std::ops::RangeInclusive<i32> = 2000..=2100;

fn parse_year(line: usize, raw: &str) -> Result<i32, RowError> {
    let year: i32 = raw
        .parse()
        .map_err(|_| RowError::new(line, "year", Message::new("import.not_a_year")))?;
    if YEARS.contains(&year) {
        Ok(year)
    } else {
        Err(RowError::new(
            line,
            "year",
            Message::new("import.year_out_of_range"),
        ))
    }
}

fn parse_date(line: usize, raw: &str) -> Result<NaiveDate, RowError> {
    NaiveDate::parse_from_str(raw, "%Y-%m-%d")
        .map_err(|_| RowError::new(line, "started_on", Message::new("import.bad_date")))
}

/// An award by its code (`juara_1`) or its label (`Juara I`), in any case; `Juara 1`
/// is read too.
pub fn parse_award(raw: &str) -> Option<Award> {
    let key = search_key(raw);
    Award::ALL.into_iter().find(|a| {
        key == search_key(a.as_str())
            || key == search_key(a.label())
            || key == search_key(&a.as_str().replace('_', " "))
    })
}

fn parse_consent(line: usize, raw: &str) -> Result<bool, RowError> {
    match raw.to_lowercase().as_str() {
        "yes" | "ya" | "y" | "true" | "1" => Ok(true),
        "no" | "tidak" | "n" | "false" | "0" => Ok(false), // data, not prose
        _ => Err(RowError::new(
            line,
            "consent",
            Message::new("import.bad_consent"),
        )),
    }
}

/// Parse and check one line. Every problem of the line is reported, not just the first.
pub fn parse_row(row: &RawRow) -> Result<ImportRow, Vec<RowError>> {
    let line = row.line;
    let mut errors = Vec::new();
    for column in row.cells.keys() {
        if !known(column) {
            errors.push(RowError::new(
                line,
                column.clone(),
                Message::new("import.unknown_column_here"),
            ));
        }
    }
    for column in REQUIRED_COLUMNS {
        if row.get(column).is_none() {
            errors.push(RowError::new(line, column, Message::new("import.required")));
        }
    }
    let year = row
        .get("year")
        .and_then(|y| parse_year(line, y).map_err(|e| errors.push(e)).ok());
    let started_on = row
        .get("started_on")
        .and_then(|d| parse_date(line, d).map_err(|e| errors.push(e)).ok());
    let award = match row.get("award") {
        None => None,
        Some(a) => {
            let parsed = parse_award(a);
            if parsed.is_none() {
                errors.push(RowError::new(
                    line,
                    "award",
                    Message::new("import.unknown_award"),
                ));
            }
            parsed
        }
    };
    let consent = match row.get("consent") {
        None => true,
        Some(c) => parse_consent(line, c)
            .map_err(|e| errors.push(e))
            .unwrap_or(true),
    };
    for column in ["track", "field", "organisation"] {
        if row.get(column).is_some_and(|v| v.chars().count() > 200) {
            errors.push(RowError::new(line, column, Message::new("import.too_long")));
        }
    }
    let text = |column: &str| row.get(column).unwrap_or_default().to_owned();
    let team = row
        .get("team")
        .map(|t| {
            t.split(';')
                .map(str::trim)
                .filter(|n| !n.is_empty())
                .map(|name| TeamMember {
                    name: name.to_owned(),
                    role: None,
                    email: None,
                })
                .collect()
        })
        .unwrap_or_default();
    let content = Content {
        title: text("title"),
        field_id: None,
        track_id: None,
        organisation_id: None,
        summary: text("summary"),
        problem: text("problem"),
        solution: text("solution"),
        how_it_works: text("how_it_works"),
        impact: text("impact"),
        cost: text("cost"),
        replicability: text("replicability"),
        sustainability: text("sustainability"),
        stakeholders: text("stakeholders"),
        started_on,
        team,
        video_url: row.get("video_url").map(str::to_owned),
        publication_consent: consent,
    };
    let content = match content.normalise() {
        Ok(c) => Some(c),
        Err(crate::Error::Invalid(field_errors)) => {
            for e in field_errors {
                // Missing required cells are reported above, once.
                if e.code != "required" {
                    errors.push(RowError::new(line, e.field, e.message));
                }
            }
            None
        }
        Err(_) => {
            errors.push(RowError::new(
                line,
                "title",
                Message::new("import.not_importable"),
            ));
            None
        }
    };
    match (year, content) {
        (Some(year), Some(content)) if errors.is_empty() => Ok(ImportRow {
            line,
            year,
            track: text("track"),
            field: text("field"),
            organisation: row.get("organisation").map(str::to_owned),
            award,
            content,
        }),
        _ => Err(errors),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(line: usize, cells: &[(&str, &str)]) -> RawRow {
        RawRow {
            line,
            cells: cells
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
                .collect(),
        }
    }

    fn good() -> Vec<(&'static str, &'static str)> {
        vec![
            ("year", "2021"),
            ("title", "  Si Cantik: sistem antrean puskesmas  "),
            ("track", "OPD"),
            ("field", "Kesehatan"),
            ("organisation", "Dinkes"),
            ("summary", "Antrean daring untuk sepuluh puskesmas."),
            ("started_on", "2020-07-01"),
            ("team", "Rina Marlina; Agus Salim ;"),
            ("award", "Juara II"),
            ("consent", "tidak"),
            ("video_url", "https://youtu.be/abc"),
        ]
    }

    fn columns(errors: &[RowError]) -> Vec<&str> {
        errors.iter().map(|e| e.column.as_str()).collect()
    }

    #[test]
    fn a_good_row_is_parsed_and_normalised() {
        let parsed = parse_row(&row(2, &good())).expect("good row");
        assert_eq!(parsed.line, 2);
        assert_eq!(parsed.year, 2021);
        assert_eq!(parsed.track, "OPD");
        assert_eq!(parsed.field, "Kesehatan");
        assert_eq!(parsed.organisation.as_deref(), Some("Dinkes"));
        assert_eq!(parsed.award, Some(Award::Juara2));
        assert_eq!(parsed.content.title, "Si Cantik: sistem antrean puskesmas");
        assert_eq!(
            parsed.content.started_on,
            NaiveDate::from_ymd_opt(2020, 7, 1)
        );
        let names: Vec<&str> = parsed
            .content
            .team
            .iter()
            .map(|m| m.name.as_str())
            .collect();
        assert_eq!(names, vec!["Rina Marlina", "Agus Salim"]);
        assert!(!parsed.content.publication_consent);
        assert_eq!(
            parsed.content.video_url.as_deref(),
            Some("https://youtu.be/abc")
        );
    }

    #[test]
    fn consent_defaults_to_yes_and_award_to_none() {
        let cells: Vec<_> = good()
            .into_iter()
            .filter(|(k, _)| *k != "consent" && *k != "award")
            .collect();
        let parsed = parse_row(&row(3, &cells)).expect("good row");
        assert!(parsed.content.publication_consent);
        assert_eq!(parsed.award, None);
    }

    #[test]
    fn every_missing_required_cell_is_named() {
        let errors = parse_row(&row(7, &[("problem", "Antrean panjang")])).expect_err("bad");
        assert_eq!(
            columns(&errors),
            vec!["year", "title", "track", "field", "summary"]
        );
        assert!(errors.iter().all(|e| e.line == 7));
        // A blank cell counts as missing.
        let mut cells = good();
        cells.retain(|(k, _)| *k != "summary");
        cells.push(("summary", "   "));
        let errors = parse_row(&row(8, &cells)).expect_err("bad");
        assert_eq!(columns(&errors), vec!["summary"]);
    }

    #[test]
    fn a_bad_year_is_refused() {
        for bad in ["dua ribu", "21.5", "1999", "2101"] {
            let mut cells = good();
            cells[0] = ("year", bad);
            let errors = parse_row(&row(4, &cells)).expect_err(bad);
            assert_eq!(columns(&errors), vec!["year"], "{bad}");
            assert_eq!(errors[0].line, 4);
        }
    }

    #[test]
    fn a_bad_date_is_refused() {
        for bad in ["01/07/2020", "2020-13-01", "kemarin"] {
            let mut cells = good();
            cells[6] = ("started_on", bad);
            let errors = parse_row(&row(5, &cells)).expect_err(bad);
            assert_eq!(columns(&errors), vec!["started_on"], "{bad}");
            assert_eq!(errors[0].message.key, "import.bad_date");
        }
    }

    #[test]
    fn awards_by_code_or_label_and_bad_ones_refused() {
        for (raw, award) in [
            ("juara_1", Award::Juara1),
            ("JUARA I", Award::Juara1),
            ("Juara 3", Award::Juara3),
            ("harapan_2", Award::Harapan2),
            ("Harapan III", Award::Harapan3),
        ] {
            assert_eq!(parse_award(raw), Some(award), "{raw}");
        }
        let mut cells = good();
        cells[8] = ("award", "Juara IV");
        let errors = parse_row(&row(6, &cells)).expect_err("bad award");
        assert_eq!(columns(&errors), vec!["award"]);
    }

    #[test]
    fn a_bad_consent_is_refused() {
        let mut cells = good();
        cells[9] = ("consent", "mungkin");
        let errors = parse_row(&row(6, &cells)).expect_err("bad consent");
        assert_eq!(columns(&errors), vec!["consent"]);
    }

    #[test]
    fn an_unknown_column_is_named() {
        let mut cells = good();
        cells.push(("keterangan", "arsip lama"));
        let errors = parse_row(&row(9, &cells)).expect_err("unknown column");
        assert_eq!(columns(&errors), vec!["keterangan"]);
        let header: Vec<String> = ["Year", "Title", "Track", "Field", "Summary", "Keterangan"]
            .map(str::to_owned)
            .to_vec();
        let errors = check_header(1, &header).expect_err("unknown column");
        assert_eq!(columns(&errors), vec!["keterangan"]);
        assert_eq!(errors[0].line, 1);
        assert_eq!(errors[0].column, "keterangan");
        assert_eq!(errors[0].message.key, "import.unknown_column");
        assert!(
            errors[0]
                .message
                .param("columns")
                .is_some_and(|c| c.contains("title"))
        );
    }

    #[test]
    fn the_header_is_case_insensitive_and_checked_whole() {
        let header: Vec<String> = [
            "\u{feff}YEAR",
            " Title ",
            "track",
            "Field",
            "summary",
            "How it works",
            "",
        ]
        .map(str::to_owned)
        .to_vec();
        let keys = check_header(1, &header).expect("good header");
        assert_eq!(
            keys,
            vec![
                "year",
                "title",
                "track",
                "field",
                "summary",
                "how_it_works",
                ""
            ]
        );
        let header: Vec<String> = ["year", "title", "title", "track"]
            .map(str::to_owned)
            .to_vec();
        let errors = check_header(1, &header).expect_err("bad header");
        assert_eq!(columns(&errors), vec!["title", "field", "summary"]);
    }

    #[test]
    fn a_filled_cell_outside_the_header_is_an_error() {
        let header = vec!["year".to_owned(), String::new(), "title".to_owned()];
        let r = RawRow::from_record(3, &header, ["2021", "", "Judul", ""].map(str::to_owned))
            .expect("blank cells anywhere are fine");
        assert_eq!(r.cells.len(), 2);
        let e = RawRow::from_record(3, &header, ["2021", "x", "Judul"].map(str::to_owned))
            .expect_err("a value under no column");
        assert_eq!((e.line, e.column.as_str()), (3, "ke-2"));
        let e = RawRow::from_record(
            4,
            &header,
            ["2021", "", "Judul", "lebih"].map(str::to_owned),
        )
        .expect_err("a value past the header");
        assert_eq!(e.column, "ke-4");
    }

    #[test]
    fn texts_are_checked_like_any_entry() {
        let long = "a".repeat(201);
        let mut cells = good();
        cells[1] = ("title", &long);
        cells[10] = ("video_url", "youtu.be/abc");
        let errors = parse_row(&row(10, &cells)).expect_err("too long");
        assert_eq!(columns(&errors), vec!["title", "video_url"]);
        assert_eq!(errors[0].message.param("max"), Some("200"));
    }
}
