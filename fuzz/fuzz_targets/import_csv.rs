//! Any bytes as a CSV file of `juri import`: reading and checking every line never
//! panics, and line numbers only go forward.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = juri_import::sniff_delimiter(data);
    let Ok(sheet) = juri_import::read_csv(data) else {
        return;
    };
    let mut last = sheet.header_line;
    assert!(last >= 1);
    for r in &sheet.records {
        assert!(r.line > last, "line {} after {last}", r.line);
        last = r.line;
    }
    let mut lines = 0usize;
    let records = sheet.records.len();
    if let Ok((rows, errors)) = juri_import::parse_sheet(sheet, &mut || lines += 1) {
        assert!(rows.len() <= records);
        assert!(errors.iter().all(|e| e.line >= 1));
    }
});
