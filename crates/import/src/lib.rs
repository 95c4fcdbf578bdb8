//! Reading the files of `juri import` (layout: `docs/import.md`): CSV or XLSX bytes
//! into the lines a spreadsheet shows, each then checked by `juri_domain::import`.
//! No IO and no database, so the fuzz targets (`fuzz/`) can run it on any bytes.

use juri_domain::Message;
use juri_domain::import::{ImportRow, RawRow, RowError, check_header, parse_row};
use std::path::Path;

/// The lines of a file as a spreadsheet shows them.
#[derive(Debug, Default)]
pub struct Sheet {
    /// The line of the header (1 unless a worksheet starts lower).
    pub header_line: usize,
    pub header: Vec<String>,
    pub records: Vec<Record>,
}

/// One line after the header.
#[derive(Debug, Default)]
pub struct Record {
    pub line: usize,
    pub values: Vec<String>,
    /// Cells that could not be read (not UTF-8, an Excel error value).
    pub problems: Vec<RowError>,
}

/// Read a CSV or XLSX file by its extension.
pub fn read_sheet(path: &Path, bytes: &[u8]) -> Result<Sheet, Message> {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_lowercase)
        .unwrap_or_default();
    match ext.as_str() {
        "csv" => read_csv(bytes),
        "xlsx" | "xlsm" => read_xlsx(bytes),
        _ => Err(Message::new("import.unknown_file_type").with("file", path.display())),
    }
}

/// The separator of a CSV file, from its header line: `;` (what a spreadsheet with
/// Indonesian settings writes) when it has more semicolons than commas, else `,`.
pub fn sniff_delimiter(bytes: &[u8]) -> u8 {
    let mut quoted = false;
    let (mut commas, mut semicolons) = (0usize, 0usize);
    for &b in bytes {
        match b {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => break,
            b',' if !quoted => commas += 1,
            b';' if !quoted => semicolons += 1,
            _ => {}
        }
    }
    if semicolons > commas { b';' } else { b',' }
}

fn column_name(header: &[String], i: usize) -> String {
    header
        .get(i)
        .map(|h| juri_domain::import::column_key(h))
        .filter(|h| !h.is_empty())
        .unwrap_or_else(|| format!("ke-{}", i + 1))
}

/// A CSV file, UTF-8 (a byte-order mark is tolerated), comma or semicolon separated.
/// A line number is the spreadsheet's row: a line break inside a quoted cell does not
/// start a new one, an empty line does.
pub fn read_csv(bytes: &[u8]) -> Result<Sheet, Message> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(sniff_delimiter(bytes))
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut sheet = Sheet::default();
    let mut record = csv::ByteRecord::new();
    // The csv crate's own line count skips empty lines, so lines are counted here: up
    // to `counted` (a byte offset) there are `breaks` line breaks, of which `inner` are
    // inside the quoted cells of the records read so far.
    let (mut counted, mut breaks, mut inner) = (0usize, 0usize, 0usize);
    let mut first = true;
    loop {
        let more = reader
            .read_byte_record(&mut record)
            .map_err(|e| match e.position() {
                Some(p) => Message::new("import.unreadable_csv_at")
                    .with("line", p.line())
                    .with("error", &e),
                None => Message::new("import.unreadable_csv").with("error", &e),
            })?;
        if !more {
            break;
        }
        // The record starts after the previous one's line end and any empty lines.
        let mut start = record
            .position()
            .map_or(0, |p| usize::try_from(p.byte()).unwrap_or(usize::MAX))
            .min(bytes.len());
        while matches!(bytes.get(start), Some(b'\r' | b'\n')) {
            start += 1;
        }
        if start >= counted {
            breaks += line_breaks(&bytes[counted..start]);
            counted = start;
        }
        let line = (1 + breaks).saturating_sub(inner);
        inner += record.iter().map(line_breaks).sum::<usize>();
        let mut values = Vec::with_capacity(record.len());
        let mut problems = Vec::new();
        for (i, field) in record.iter().enumerate() {
            match std::str::from_utf8(field) {
                Ok(s) => values.push(s.to_owned()),
                Err(_) => {
                    problems.push(RowError::new(
                        line,
                        column_name(&sheet.header, i),
                        Message::new("import.not_utf8"),
                    ));
                    values.push(String::from_utf8_lossy(field).into_owned());
                }
            }
        }
        if first {
            first = false;
            if !problems.is_empty() {
                return Err(Message::new("import.header_not_utf8"));
            }
            sheet.header_line = line;
            sheet.header = values;
        } else {
            sheet.records.push(Record {
                line,
                values,
                problems,
            });
        }
    }
    if first {
        return Err(Message::new("import.empty_file"));
    }
    Ok(sheet)
}

/// Line breaks as the csv reader sees them: `\n`, `\r\n`, and a `\r` alone (old Mac
/// files) each end a line.
fn line_breaks(bytes: &[u8]) -> usize {
    let lf = bytes.iter().filter(|&&b| b == b'\n').count();
    let lone_cr = bytes
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'\r' && bytes.get(i + 1) != Some(&b'\n'))
        .count();
    lf + lone_cr
}

/// One worksheet cell as text: whole numbers without a decimal point (a year reads
/// `2021`), dates as YYYY-MM-DD.
fn cell_text(cell: &calamine::Data) -> Result<String, String> {
    use calamine::Data;
    Ok(match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        // Whole numbers well inside i64 only (a year, a count).
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => (*f as i64).to_string(),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => b.to_string(),
        Data::DateTime(d) if d.is_datetime() => {
            let (y, m, day, ..) = d.to_ymd_hms_milli();
            format!("{y:04}-{m:02}-{day:02}")
        }
        Data::DateTime(d) => d.as_f64().to_string(),
        Data::DateTimeIso(s) => s.get(..10).unwrap_or(s).to_owned(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => return Err(e.to_string()),
    })
}

/// The first worksheet of an XLSX workbook; its first used row is the header.
pub fn read_xlsx(bytes: &[u8]) -> Result<Sheet, Message> {
    use calamine::Reader;
    let mut book: calamine::Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes))
        .map_err(|e| Message::new("import.unreadable_xlsx").with("error", e))?;
    let range = book
        .worksheet_range_at(0)
        .ok_or_else(|| Message::new("import.no_sheet"))?
        .map_err(|e| Message::new("import.unreadable_sheet").with("error", e))?;
    let Some((top, _)) = range.start() else {
        return Err(Message::new("import.empty_sheet"));
    };
    let mut sheet = Sheet::default();
    for (i, row) in range.rows().enumerate() {
        let line = usize::try_from(top)
            .unwrap_or(usize::MAX)
            .saturating_add(i + 1);
        let mut values = Vec::with_capacity(row.len());
        let mut problems = Vec::new();
        for (c, cell) in row.iter().enumerate() {
            match cell_text(cell) {
                Ok(s) => values.push(s),
                Err(e) => {
                    problems.push(RowError::new(
                        line,
                        column_name(&sheet.header, c),
                        Message::new("import.excel_error").with("error", e),
                    ));
                    values.push(String::new());
                }
            }
        }
        if i == 0 {
            sheet.header_line = line;
            sheet.header = values;
        } else {
            sheet.records.push(Record {
                line,
                values,
                problems,
            });
        }
    }
    Ok(sheet)
}

/// Check every line of a sheet on its own: the good rows and the errors of the others.
/// A bad header stops everything (`Err`).
/// `tick` is called once per line (a progress bar).
pub fn parse_sheet(
    sheet: Sheet,
    tick: &mut dyn FnMut(),
) -> Result<(Vec<ImportRow>, Vec<RowError>), Vec<RowError>> {
    let header = check_header(sheet.header_line, &sheet.header)?;
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for record in sheet.records {
        tick();
        if !record.problems.is_empty() {
            errors.extend(record.problems);
            continue;
        }
        let raw = match RawRow::from_record(record.line, &header, record.values) {
            Ok(raw) => raw,
            Err(e) => {
                errors.push(e);
                continue;
            }
        };
        if raw.is_blank() {
            continue;
        }
        match parse_row(&raw) {
            Ok(row) => rows.push(row),
            Err(e) => errors.extend(e),
        }
    }
    Ok((rows, errors))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_separator_is_sniffed_from_the_header() {
        assert_eq!(sniff_delimiter(b"year;title;\"a,b,c\"\n2021;x;y"), b';');
        assert_eq!(sniff_delimiter(b"year,title,summary\n1;2;3;4;5"), b',');
        assert_eq!(sniff_delimiter(b"\"a;b;c\",d\n"), b',');
    }

    #[test]
    fn csv_lines_are_spreadsheet_rows() {
        let text = "\u{feff}year;title;summary\n2021;\"Dua\nbaris\";x\n\n2022;Tiga;y\n";
        let sheet = read_csv(text.as_bytes()).expect("csv");
        assert_eq!(sheet.header_line, 1);
        assert_eq!(sheet.header, vec!["year", "title", "summary"]);
        let lines: Vec<usize> = sheet.records.iter().map(|r| r.line).collect();
        // The quoted line break stays in line 2; the empty line is line 3.
        assert_eq!(lines, vec![2, 4]);
        assert_eq!(sheet.records[0].values[1], "Dua\nbaris");
        // The same with Windows line ends and a blank line at the start of the data.
        let text = "year,title\r\n\r\n2021,\"Dua\r\nbaris\"\r\n2022,Tiga\r\n";
        let sheet = read_csv(text.as_bytes()).expect("csv");
        let lines: Vec<usize> = sheet.records.iter().map(|r| r.line).collect();
        assert_eq!(lines, vec![3, 4]);
    }

    #[test]
    fn a_carriage_return_alone_ends_a_line_too() {
        // Found by the import_csv fuzz target: a lone CR ends a record for the csv
        // reader, so it must end a line for the numbering as well.
        let sheet = read_csv(b"a,b\r1,2\r3,\"x\ry\"\r\n4,5").expect("sheet");
        let lines: Vec<usize> = sheet.records.iter().map(|r| r.line).collect();
        // The CR inside the quoted cell does not start a row, as in a spreadsheet.
        assert_eq!(lines, vec![2, 3, 4]);
    }

    #[test]
    fn csv_that_is_not_utf8_is_named_by_line_and_column() {
        let bytes = b"year,title,summary\n2021,Caf\xe9,x\n";
        let sheet = read_csv(bytes).expect("csv");
        let p = &sheet.records[0].problems;
        assert_eq!(p.len(), 1);
        assert_eq!((p[0].line, p[0].column.as_str()), (2, "title"));
    }

    #[test]
    fn xlsx_numbers_and_dates_read_as_a_person_wrote_them() {
        let mut book = rust_xlsxwriter::Workbook::new();
        let ws = book.add_worksheet();
        let date = rust_xlsxwriter::ExcelDateTime::from_ymd(2020, 7, 1).expect("date");
        let fmt = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
        for (c, h) in ["year", "title", "started_on", "consent"]
            .iter()
            .enumerate()
        {
            ws.write_string(0, u16::try_from(c).expect("col"), *h)
                .expect("write");
        }
        ws.write_number(1, 0, 2021.0).expect("write");
        ws.write_string(1, 1, "Lapor Bupati").expect("write");
        ws.write_datetime_with_format(1, 2, &date, &fmt)
            .expect("write");
        ws.write_boolean(1, 3, false).expect("write");
        let bytes = book.save_to_buffer().expect("xlsx");
        let sheet = read_xlsx(&bytes).expect("read");
        assert_eq!(sheet.header_line, 1);
        assert_eq!(sheet.records[0].line, 2);
        assert_eq!(
            sheet.records[0].values,
            vec!["2021", "Lapor Bupati", "2020-07-01", "false"]
        );
    }

    #[test]
    fn only_csv_and_xlsx_are_read() {
        let err = read_sheet(Path::new("data.ods"), b"").expect_err("refused");
        assert_eq!(err.key, "import.unknown_file_type");
        assert_eq!(err.param("file"), Some("data.ods"));
    }

    /// A whole file that cannot be read says why as a catalogue key, not as prose.
    #[test]
    fn an_unreadable_file_is_named_by_a_key() {
        let key = |r: Result<Sheet, Message>| r.map(|_| ()).expect_err("refused").key;
        assert_eq!(key(read_csv(b"")), "import.empty_file");
        assert_eq!(key(read_csv(b"\n\n")), "import.empty_file");
        assert_eq!(key(read_csv(b"ye\xffar;title\n")), "import.header_not_utf8");
        assert_eq!(key(read_xlsx(b"not a workbook")), "import.unreadable_xlsx");
        let mut book = rust_xlsxwriter::Workbook::new();
        book.add_worksheet();
        let empty = book.save_to_buffer().expect("xlsx");
        assert_eq!(key(read_xlsx(&empty)), "import.empty_sheet");
        assert!(read_csv(b"year;title\n").is_ok());
    }
}
