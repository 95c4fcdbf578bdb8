//! `juri import FILE` as a person runs it: the example file goes in (exit 0), a file
//! with a bad line is refused whole with the line named (exit 1), XLSX reads like CSV,
//! and `--dry-run` writes nothing.

#![expect(
    clippy::expect_used,
    reason = "a failed step must fail the test at once"
)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/import-example.csv")
}

struct Run {
    ok: bool,
    code: Option<i32>,
    stdout: String,
    stderr: String,
}

fn juri(data_dir: &Path, args: &[&str]) -> Run {
    let Output {
        status,
        stdout,
        stderr,
    } = Command::new(env!("CARGO_BIN_EXE_juri"))
        .arg("--data-dir")
        .arg(data_dir)
        .args(args)
        .env_remove("DATABASE_URL")
        .env_remove("JURI_DATA_DIR")
        .env("JURI_LOG", "warn")
        .env("NO_COLOR", "1")
        .output()
        .expect("juri runs");
    Run {
        ok: status.success(),
        code: status.code(),
        stdout: String::from_utf8_lossy(&stdout).into_owned(),
        stderr: String::from_utf8_lossy(&stderr).into_owned(),
    }
}

fn path(p: &Path) -> &str {
    p.to_str().expect("a UTF-8 path")
}

#[test]
fn the_example_is_imported_and_a_second_run_is_refused() {
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path().join("data");
    let file = example();

    let dry = juri(&data, &["import", "--dry-run", path(&file)]);
    assert!(dry.ok, "{}{}", dry.stdout, dry.stderr);
    assert!(
        dry.stdout.contains("10 inovasi (7 pemenang)"),
        "{}",
        dry.stdout
    );
    assert!(dry.stdout.contains("nothing written"), "{}", dry.stdout);

    let run = juri(&data, &["import", path(&file)]);
    assert!(run.ok, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("import done: 10 inovasi"),
        "{}",
        run.stdout
    );
    assert!(
        run.stdout
            .contains("Bangka Innovation Awards 2021 (dibuat dan diumumkan / created and published): 5 inovasi, 4 pemenang"),
        "{}",
        run.stdout
    );

    // The same file again: every line is already there, nothing is added.
    let again = juri(&data, &["import", path(&file)]);
    assert_eq!(again.code, Some(1), "{}{}", again.stdout, again.stderr);
    assert!(
        again.stderr.contains("baris 2, kolom title: "),
        "{}",
        again.stderr
    );
    assert!(
        again.stderr.contains("baris 11, kolom title: "),
        "{}",
        again.stderr
    );
    assert!(
        again.stderr.contains("nothing was imported"),
        "{}",
        again.stderr
    );
}

#[test]
fn a_file_with_bad_lines_is_refused_whole_and_names_them() {
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path().join("data");
    // Semicolons, a byte-order mark, and two bad lines after the example's ten.
    let text = std::fs::read_to_string(example()).expect("example");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let mut out = csv::WriterBuilder::new()
        .delimiter(b';')
        .from_writer(b"\xef\xbb\xbf".to_vec());
    out.write_record(reader.headers().expect("header"))
        .expect("write");
    for r in reader.records() {
        out.write_record(&r.expect("record")).expect("write");
    }
    out.write_record([
        "2O21",
        "Lampu Jalan Surya",
        "Masyarakat umum",
        "Pemberdayaan masyarakat",
        "",
        "Ringkas.",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
    ])
    .expect("write");
    out.write_record([
        "2022",
        "Aplikasi Pajak Daring",
        "OPD",
        "Tata kelola pemerintahan",
        "Dinas Pajak Antariksa",
        "Ringkas.",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
        "",
    ])
    .expect("write");
    let bad = dir.path().join("bad.csv");
    std::fs::write(&bad, out.into_inner().expect("csv")).expect("write");

    // Both lines are named in one run: the format error and the unknown agency.
    let run = juri(&data, &["import", path(&bad)]);
    assert_eq!(run.code, Some(1), "{}{}", run.stdout, run.stderr);
    let errors: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| l.starts_with("baris "))
        .collect();
    assert_eq!(errors.len(), 2, "{}", run.stderr);
    assert!(
        errors[0].starts_with("baris 12, kolom year: Bukan tahun"),
        "{}",
        errors[0]
    );
    assert!(
        errors[1].starts_with("baris 13, kolom organisation: Instansi \"Dinas Pajak Antariksa\""),
        "{}",
        errors[1]
    );
    assert!(
        run.stderr
            .contains("2 kesalahan; tidak ada yang diimpor / 2 errors; nothing was imported"),
        "{}",
        run.stderr
    );

    // Nothing was imported: the example still goes in whole, making both editions.
    let dry = juri(&data, &["import", "--dry-run", path(&example())]);
    assert!(dry.ok, "{}{}", dry.stdout, dry.stderr);
    assert_eq!(
        dry.stdout
            .matches("akan dibuat dan diumumkan / to be created and published")
            .count(),
        2,
        "{}",
        dry.stdout
    );
}

/// The example as a workbook a person would make: years as numbers, dates as dates.
fn example_xlsx(bad_year_on_line: Option<u32>) -> Vec<u8> {
    let text = std::fs::read_to_string(example()).expect("example");
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .expect("header")
        .iter()
        .map(str::to_owned)
        .collect();
    let mut book = rust_xlsxwriter::Workbook::new();
    let ws = book.add_worksheet();
    let date_format = rust_xlsxwriter::Format::new().set_num_format("dd/mm/yyyy");
    for (c, h) in (0u16..).zip(&header) {
        ws.write_string(0, c, h).expect("write");
    }
    for (r, record) in (1u32..).zip(reader.records()) {
        let record = record.expect("record");
        for (c, (name, value)) in (0u16..).zip(header.iter().zip(record.iter())) {
            match name.as_str() {
                "year" if bad_year_on_line == Some(r + 1) => {
                    ws.write_string(r, c, "tahun lalu").expect("write");
                }
                "year" => {
                    ws.write_number(r, c, value.parse::<f64>().expect("year"))
                        .expect("write");
                }
                "started_on" if !value.is_empty() => {
                    let d = rust_xlsxwriter::ExcelDateTime::parse_from_str(value).expect("date");
                    ws.write_datetime_with_format(r, c, &d, &date_format)
                        .expect("write");
                }
                _ if value.is_empty() => {}
                _ => {
                    ws.write_string(r, c, value).expect("write");
                }
            }
        }
    }
    book.save_to_buffer().expect("xlsx")
}

#[test]
fn an_xlsx_workbook_reads_like_the_csv() {
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path().join("data");
    let bad = dir.path().join("arsip-buruk.xlsx");
    std::fs::write(&bad, example_xlsx(Some(4))).expect("write");
    let run = juri(&data, &["import", path(&bad)]);
    assert_eq!(run.code, Some(1), "{}{}", run.stdout, run.stderr);
    assert!(
        run.stderr.contains("baris 4, kolom year: "),
        "{}",
        run.stderr
    );

    let good = dir.path().join("arsip.xlsx");
    std::fs::write(&good, example_xlsx(None)).expect("write");
    let run = juri(&data, &["import", path(&good)]);
    assert!(run.ok, "{}{}", run.stdout, run.stderr);
    assert!(
        run.stdout.contains("import done: 10 inovasi (7 pemenang)"),
        "{}",
        run.stdout
    );
}

#[test]
fn an_unknown_column_or_file_type_is_refused_before_anything_else() {
    let dir = tempfile::tempdir().expect("dir");
    let data = dir.path().join("data");
    let file = dir.path().join("kolom.csv");
    std::fs::write(
        &file,
        "year,title,track,field,summary,catatan\n2021,A,OPD,Kesehatan,B,c\n",
    )
    .expect("write");
    let run = juri(&data, &["import", path(&file)]);
    assert_eq!(run.code, Some(1));
    assert!(
        run.stderr
            .contains("baris 1, kolom catatan: Kolom tidak dikenal"),
        "{}",
        run.stderr
    );
    let ods = dir.path().join("arsip.ods");
    std::fs::write(&ods, b"PK").expect("write");
    let run = juri(&data, &["import", path(&ods)]);
    assert_eq!(run.code, Some(1));
    // Both languages for the operator, each from the catalogue.
    assert!(
        run.stderr.contains("jenis berkas tidak dikenal")
            && run.stderr.contains("unknown file type"),
        "{}",
        run.stderr
    );
}
