//! Exports for organisers: XLSX (ranking, every score sheet criterion by criterion,
//! judges' statistics — numbers as numbers) and CSV (the ranking). User text is always
//! text: never a formula (OWASP CSV injection; `security.md` promise 12).
//!
//! The CSV is in the form Excel opens in columns on an Indonesian computer: UTF-8 with
//! a byte-order mark, cells separated by semicolons (the list separator of the `id-ID`
//! locale) and decimals with a comma ("87,5"), so a double-click shows the ranking in
//! columns with its scores as numbers. File names carry the edition's name and the day
//! of the export in WIB.

use crate::error::ApiError;
use juri_persistence::ExportData;
use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

/// A CSV cell that a spreadsheet will not run: text starting with `= + - @`, a tab or
/// a carriage return gets a leading apostrophe.
pub fn csv_text(s: &str) -> String {
    if s.starts_with(['=', '+', '-', '@', '\t', '\r']) {
        format!("'{s}")
    } else {
        s.to_owned()
    }
}

fn xlsx_error(e: XlsxError) -> ApiError {
    ApiError::internal(format!("xlsx: {e}"))
}

fn header(ws: &mut Worksheet, titles: &[&str]) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    for (c, t) in (0u16..).zip(titles) {
        ws.write_string_with_format(0, c, *t, &bold)?;
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

fn opt_number(ws: &mut Worksheet, row: u32, col: u16, v: Option<f64>) -> Result<(), XlsxError> {
    if let Some(v) = v {
        ws.write_number(row, col, v)?;
    }
    Ok(())
}

fn workbook(data: &ExportData) -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("Peringkat")?;
    header(
        ws,
        &[
            "Kategori",
            "Bidang",
            "Peringkat",
            "Judul",
            "Instansi",
            "Nilai akhir",
            "Seri",
            "Penghargaan",
            "ID",
        ],
    )?;
    for (r, row) in (1u32..).zip(&data.ranking) {
        ws.write_string(r, 0, &row.track)?;
        ws.write_string(r, 1, &row.field)?;
        opt_number(ws, r, 2, row.rank.map(f64::from))?;
        ws.write_string(r, 3, &row.title)?;
        ws.write_string(r, 4, &row.organisation)?;
        opt_number(ws, r, 5, row.final_score)?;
        ws.write_string(r, 6, if row.tie { "ya" } else { "" })?;
        ws.write_string(r, 7, &row.award)?;
        ws.write_string(r, 8, row.entry_id.to_string())?;
    }
    let ws = wb.add_worksheet();
    ws.set_name("Lembar penilaian")?;
    header(
        ws,
        &[
            "Babak", "Judul", "Juri", "Kriteria", "Bobot", "Min", "Maks", "Nilai", "Komentar",
            "S_je", "ID",
        ],
    )?;
    for (r, row) in (1u32..).zip(&data.sheets) {
        ws.write_string(r, 0, &row.round)?;
        ws.write_string(r, 1, &row.title)?;
        ws.write_string(r, 2, &row.judge)?;
        ws.write_string(r, 3, &row.criterion)?;
        ws.write_number(r, 4, row.weight)?;
        ws.write_number(r, 5, f64::from(row.min))?;
        ws.write_number(r, 6, f64::from(row.max))?;
        opt_number(ws, r, 7, row.value.map(f64::from))?;
        ws.write_string(r, 8, &row.comment)?;
        opt_number(ws, r, 9, row.score)?;
        ws.write_string(r, 10, row.entry_id.to_string())?;
    }
    let ws = wb.add_worksheet();
    ws.set_name("Juri")?;
    header(
        ws,
        &[
            "Babak",
            "Juri",
            "Lembar",
            "Rata-rata",
            "Simpangan baku",
            "Min",
            "Maks",
        ],
    )?;
    for (r, row) in (1u32..).zip(&data.judges) {
        ws.write_string(r, 0, &row.round)?;
        ws.write_string(r, 1, &row.judge)?;
        ws.write_number(r, 2, row.sheets as f64)?;
        ws.write_number(r, 3, row.mean)?;
        ws.write_number(r, 4, row.std)?;
        ws.write_number(r, 5, row.min)?;
        ws.write_number(r, 6, row.max)?;
    }
    wb.save_to_buffer()
}

pub fn xlsx(data: &ExportData) -> Result<Vec<u8>, ApiError> {
    workbook(data).map_err(xlsx_error)
}

/// The ranking as CSV (UTF-8 with a BOM, so spreadsheet programs read the accents).
pub fn csv(data: &ExportData) -> Result<Vec<u8>, ApiError> {
    let err = |e: csv::Error| ApiError::internal(format!("csv: {e}"));
    let mut w = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(b"\xEF\xBB\xBF".to_vec());
    w.write_record([
        "kategori",
        "bidang",
        "peringkat",
        "judul",
        "instansi",
        "nilai_akhir",
        "seri",
        "penghargaan",
        "id",
    ])
    .map_err(err)?;
    for row in &data.ranking {
        w.write_record([
            csv_text(&row.track),
            csv_text(&row.field),
            row.rank.map(|r| r.to_string()).unwrap_or_default(),
            csv_text(&row.title),
            csv_text(&row.organisation),
            row.final_score.map(decimal).unwrap_or_default(),
            if row.tie {
                "ya".to_owned()
            } else {
                String::new()
            },
            csv_text(&row.award),
            row.entry_id.to_string(),
        ])
        .map_err(err)?;
    }
    w.into_inner()
        .map_err(|e| ApiError::internal(format!("csv: {e}")))
}

/// A number as the Indonesian locale writes it: a decimal comma, six places.
fn decimal(v: f64) -> String {
    format!("{v:.6}").replace('.', ",")
}

/// `{kind}-{edition name}-{day}`: lower-case ASCII letters and digits, the rest one
/// hyphen ("hasil-bangka-innovation-awards-2026-2026-12-07"), the day in WIB.
pub fn file_stem(kind: &str, edition: &str, now: chrono::DateTime<chrono::Utc>) -> String {
    let mut name = String::new();
    for c in edition.chars().flat_map(char::to_lowercase) {
        if c.is_ascii_alphanumeric() {
            name.push(c);
        } else if !name.ends_with('-') {
            name.push('-');
        }
    }
    let name = name.trim_matches('-');
    let day = juri_text::time::today(now).format("%Y-%m-%d");
    if name.is_empty() {
        format!("{kind}-{day}")
    } else {
        format!("{kind}-{name}-{day}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_is_named_after_its_edition_and_the_day_in_wib() {
        let evening = chrono::DateTime::parse_from_rfc3339("2026-12-07T18:00:00Z")
            .map(|t| t.with_timezone(&chrono::Utc))
            .expect("a time");
        assert_eq!(
            file_stem("hasil", "Bangka Innovation Awards 2026", evening),
            "hasil-bangka-innovation-awards-2026-2026-12-08"
        );
        assert_eq!(
            file_stem("peringkat", "  BIA / Édisi \"Ke-3\"  ", evening),
            "peringkat-bia-disi-ke-3-2026-12-08"
        );
        assert_eq!(file_stem("hasil", "ÉÉ", evening), "hasil-2026-12-08");
        assert_eq!(decimal(87.5), "87,500000");
    }

    #[test]
    fn formula_starters_are_neutralised_in_csv() {
        assert_eq!(
            csv_text("=HYPERLINK(\"http://x\",\"y\")"),
            "'=HYPERLINK(\"http://x\",\"y\")"
        );
        for s in ["+1", "-1", "@SUM(A1)", "\tx", "\rx"] {
            assert!(csv_text(s).starts_with('\''), "{s:?}");
        }
        assert_eq!(csv_text("Si Bunda"), "Si Bunda");
    }
}
