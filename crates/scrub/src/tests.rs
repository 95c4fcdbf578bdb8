use super::*;
use img_parts::jpeg::{Jpeg, JpegSegment, markers};
use img_parts::png::{Png, PngChunk};
use img_parts::{Bytes, ImageEXIF, ImageICC};
use lopdf::content::{Content, Operation};
use lopdf::{Document, Object, Stream, dictionary};
use proptest::prelude::*;
use std::io::Write;
use std::process::Command;

/// A 16×16 baseline JPEG and a progressive one, as `cjpeg` writes them (JFIF, no metadata).
const BASE_JPEG: &[u8] = include_bytes!("../testdata/base.jpg");
const PROGRESSIVE_JPEG: &[u8] = include_bytes!("../testdata/prog.jpg");

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

// ---------- PDF ----------

const XMP: &str = r#"<?xpacket begin="" id="W5M0MpCehiHzreSzNTczkc9d"?>
<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:dc="http://purl.org/dc/elements/1.1/">
<dc:creator><rdf:Seq><rdf:li>Budi Santoso</rdf:li></rdf:Seq></dc:creator>
</rdf:Description></rdf:RDF></x:xmpmeta>
<?xpacket end="w"?>"#;

/// One page drawing "Posyandu Digital", with the submitter's name in the Info
/// dictionary, in XMP on the catalog and on the page, in the page's PieceInfo and in an
/// object nothing refers to (as an earlier revision leaves behind).
fn sample_pdf() -> Document {
    let mut doc = Document::with_version("1.5");
    let pages_id = doc.new_object_id();
    let font_id = doc.add_object(dictionary! {
        "Type" => "Font",
        "Subtype" => "Type1",
        "BaseFont" => "Helvetica",
    });
    let resources_id = doc.add_object(dictionary! {
        "Font" => dictionary! { "F1" => font_id },
    });
    let content = Content {
        operations: vec![
            Operation::new("BT", vec![]),
            Operation::new("Tf", vec!["F1".into(), 24.into()]),
            Operation::new("Td", vec![72.into(), 700.into()]),
            Operation::new("Tj", vec![Object::string_literal("Posyandu Digital")]),
            Operation::new("ET", vec![]),
        ],
    };
    let content_id = doc.add_object(Stream::new(
        dictionary! {},
        content.encode().expect("content"),
    ));
    let xmp = || {
        Stream::new(
            dictionary! { "Type" => "Metadata", "Subtype" => "XML" },
            XMP.as_bytes().to_vec(),
        )
    };
    let page_xmp_id = doc.add_object(xmp());
    let page_id = doc.add_object(dictionary! {
        "Type" => "Page",
        "Parent" => pages_id,
        "Contents" => content_id,
        "Resources" => resources_id,
        "MediaBox" => vec![0.into(), 0.into(), 595.into(), 842.into()],
        "Metadata" => page_xmp_id,
        "PieceInfo" => dictionary! {
            "Juri" => dictionary! { "Private" => Object::string_literal("Budi Santoso") },
        },
    });
    doc.objects.insert(
        pages_id,
        Object::Dictionary(dictionary! {
            "Type" => "Pages",
            "Kids" => vec![page_id.into()],
            "Count" => 1,
        }),
    );
    let xmp_id = doc.add_object(xmp());
    let catalog_id = doc.add_object(dictionary! {
        "Type" => "Catalog",
        "Pages" => pages_id,
        "Metadata" => xmp_id,
    });
    let info_id = doc.add_object(dictionary! {
        "Author" => Object::string_literal("Budi Santoso"),
        "Creator" => Object::string_literal("Dinas Kesehatan Kabupaten Bangka"),
        "Producer" => Object::string_literal("Dinas Kesehatan Writer 1.0"),
        "Title" => Object::string_literal("Proposal Budi"),
        "CreationDate" => Object::string_literal("D:20250101120000+07'00'"),
    });
    doc.add_object(dictionary! {
        "Author" => Object::string_literal("Budi Santoso (draft)"),
    });
    doc.trailer.set("Root", catalog_id);
    doc.trailer.set("Info", info_id);
    doc.trailer.set(
        "ID",
        vec![
            Object::string_literal(b"0123456789abcdef".to_vec()),
            Object::string_literal(b"0123456789abcdef".to_vec()),
        ],
    );
    doc
}

fn save(doc: &mut Document) -> Vec<u8> {
    let mut out = Vec::new();
    doc.save_to(&mut out).expect("save");
    out
}

/// Everything a reader could get out of a document: each object as lopdf prints it
/// and each stream decompressed.
fn all_text(doc: &Document) -> Vec<u8> {
    let mut text = format!("{:?}", doc.trailer).into_bytes();
    for object in doc.objects.values() {
        text.extend(format!("{object:?}").bytes());
        if let Object::Stream(stream) = object {
            text.extend(
                stream
                    .decompressed_content()
                    .unwrap_or_else(|_| stream.content.clone()),
            );
        }
    }
    text
}

/// Checks that hold for every scrubbed version of `sample_pdf`.
fn assert_clean_pdf(scrubbed: &[u8]) {
    assert!(!contains(scrubbed, "Budi"), "Budi left in the bytes");
    assert!(
        !contains(scrubbed, "Dinas Kesehatan"),
        "Creator left in the bytes"
    );
    let doc = Document::load_mem(scrubbed).expect("lopdf re-parses the scrubbed file");
    let text = all_text(&doc);
    assert!(!contains(&text, "Budi"), "Budi left in an object");
    assert!(!contains(&text, "Dinas"), "Creator left in an object");
    assert!(!doc.trailer.has(b"Info"));
    assert!(!doc.catalog().expect("catalog").has(b"Metadata"));

    let pages = doc.get_pages();
    assert_eq!(pages.len(), 1);
    let page_id = *pages.get(&1).expect("page 1");
    let page = doc.get_dictionary(page_id).expect("page");
    assert!(!page.has(b"Metadata") && !page.has(b"PieceInfo"));
    let content = doc.get_page_content(page_id);
    assert!(contains(&content, "Posyandu Digital"), "page text lost");
    assert_eq!(
        doc.get_page_fonts(page_id)
            .expect("fonts")
            .values()
            .map(|font| font
                .get(b"BaseFont")
                .and_then(Object::as_name)
                .expect("name"))
            .collect::<Vec<_>>(),
        [b"Helvetica"],
        "font lost"
    );
}

#[test]
fn pdf_loses_info_and_xmp_and_keeps_the_page() {
    let original = save(&mut sample_pdf());
    // The metadata is really there, so the checks below can fail.
    assert!(contains(&original, "Budi Santoso"));
    assert!(contains(&original, "Dinas Kesehatan"));

    let scrubbed = scrub(Kind::Pdf, &original).expect("scrub");
    assert_clean_pdf(&scrubbed);
    check_with_poppler(&original, &scrubbed);
}

#[test]
fn pdf_with_object_and_xref_streams() {
    let mut doc = sample_pdf();
    // Streams compressed, the other objects packed in object streams, an xref stream.
    doc.compress();
    let mut original = Vec::new();
    doc.save_modern(&mut original).expect("save");
    assert!(contains(&original, "/ObjStm") && contains(&original, "/XRef"));
    let reparsed = Document::load_mem(&original).expect("reparse");
    assert!(contains(&all_text(&reparsed), "Budi Santoso"));

    let scrubbed = scrub(Kind::Pdf, &original).expect("scrub");
    assert_clean_pdf(&scrubbed);
    check_with_poppler(&original, &scrubbed);
}

#[test]
fn pdf_scrub_is_stable() {
    let once = scrub(Kind::Pdf, &save(&mut sample_pdf())).expect("scrub");
    let twice = scrub(Kind::Pdf, &once).expect("scrub again");
    assert_clean_pdf(&twice);
}

#[test]
fn encrypted_pdf_is_refused() {
    use lopdf::{EncryptionState, EncryptionVersion, Permissions};
    // An empty user password: lopdf decrypts that on load, it must still be refused.
    for user_password in ["", "rahasia"] {
        let mut doc = sample_pdf();
        let state = EncryptionState::try_from(EncryptionVersion::V2 {
            document: &doc,
            owner_password: "pemilik",
            user_password,
            key_length: 128,
            permissions: Permissions::all(),
        })
        .expect("encryption state");
        doc.encrypt(&state).expect("encrypt");
        let bytes = save(&mut doc);
        assert!(contains(&bytes, "/Encrypt"));
        let result = scrub(Kind::Pdf, &bytes);
        assert!(
            matches!(result, Err(ScrubError::Encrypted)),
            "password {user_password:?}: {result:?}"
        );
    }
}

/// Runs a poppler tool, or `None` when poppler-utils is not installed (then the check
/// is skipped, unless `JURI_REQUIRE_PDFINFO=1` asks for it, as CI does).
fn poppler(tool: &str, args: &[&str], pdf: &[u8], after: &[&str]) -> Option<String> {
    let mut file = tempfile::Builder::new()
        .suffix(".pdf")
        .tempfile()
        .expect("tempfile");
    file.write_all(pdf).expect("write");
    file.flush().expect("flush");
    let output = match Command::new(tool)
        .args(args)
        .arg(file.path())
        .args(after)
        .output()
    {
        Ok(output) => output,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            assert!(
                std::env::var("JURI_REQUIRE_PDFINFO").as_deref() != Ok("1"),
                "{tool} not found and JURI_REQUIRE_PDFINFO=1: apt-get install poppler-utils"
            );
            eprintln!("{tool} not found (poppler-utils): real-reader check skipped");
            return None;
        }
        Err(e) => panic!("{tool}: {e}"),
    };
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(output.status.success(), "{tool} failed: {stderr}");
    assert!(stderr.trim().is_empty(), "{tool} complained: {stderr}");
    Some(String::from_utf8_lossy(&output.stdout).into_owned())
}

/// What a real PDF reader sees: the author before, none after, the page and its text.
fn check_with_poppler(original: &[u8], scrubbed: &[u8]) {
    // pdfinfo prints the Info dictionary; with `-meta`, the catalog's XMP stream instead.
    let Some(info) = poppler("pdfinfo", &[], original, &[]) else {
        return;
    };
    let has_author = |out: &str| {
        out.lines()
            .any(|l| l.starts_with("Author:") && l.contains("Budi"))
    };
    assert!(has_author(&info), "pdfinfo sees no author: {info}");
    assert!(info.contains("Dinas Kesehatan"), "{info}");
    let xmp = poppler("pdfinfo", &["-meta"], original, &[]).expect("pdfinfo ran before");
    assert!(xmp.contains("Budi Santoso"), "pdfinfo sees no XMP: {xmp}");

    for args in [&[][..], &["-meta"]] {
        let after = poppler("pdfinfo", args, scrubbed, &[]).expect("pdfinfo ran before");
        assert!(!has_author(&after), "{after}");
        assert!(
            !after.contains("Budi") && !after.contains("Dinas"),
            "{after}"
        );
    }
    let after = poppler("pdfinfo", &[], scrubbed, &[]).expect("pdfinfo ran before");
    assert!(
        after
            .lines()
            .any(|l| l.starts_with("Pages:") && l.split_whitespace().nth(1) == Some("1")),
        "{after}"
    );
    let text = poppler("pdftotext", &[], scrubbed, &["-"]).expect("pdftotext");
    assert!(text.contains("Posyandu Digital"), "text lost: {text}");
}

// ---------- JPEG ----------

/// A TIFF block (as EXIF holds it) with one IFD0 entry: Artist = `artist`.
fn exif_with_artist(artist: &str) -> Bytes {
    let mut value = artist.as_bytes().to_vec();
    value.push(0);
    let count = u32::try_from(value.len()).expect("short");
    let mut tiff = b"II*\0".to_vec();
    tiff.extend(8u32.to_le_bytes()); // IFD0 right after the header
    tiff.extend(1u16.to_le_bytes()); // one entry
    tiff.extend(0x013Bu16.to_le_bytes()); // Artist
    tiff.extend(2u16.to_le_bytes()); // ASCII
    tiff.extend(count.to_le_bytes());
    tiff.extend(26u32.to_le_bytes()); // value after the IFD: 8 + 2 + 12 + 4
    tiff.extend(0u32.to_le_bytes()); // no next IFD
    tiff.extend(value);
    Bytes::from(tiff)
}

fn segment(marker: u8, contents: &[u8]) -> JpegSegment {
    JpegSegment::new_with_contents(marker, Bytes::copy_from_slice(contents))
}

/// The raw bytes of a segment with a length.
fn segment_bytes(marker: u8, contents: &[u8]) -> Vec<u8> {
    let len = u16::try_from(contents.len() + 2).expect("short");
    let mut out = vec![markers::P, marker];
    out.extend(len.to_be_bytes());
    out.extend(contents);
    out
}

fn markers_of(bytes: &[u8]) -> Vec<u8> {
    Jpeg::from_bytes(Bytes::copy_from_slice(bytes))
        .expect("img-parts re-parses it")
        .segments()
        .iter()
        .map(JpegSegment::marker)
        .collect()
}

/// From the first start-of-scan marker to the end.
fn scan(bytes: &[u8]) -> &[u8] {
    let at = bytes
        .windows(2)
        .position(|w| w == [markers::P, markers::SOS])
        .expect("SOS");
    &bytes[at..]
}

#[test]
fn jpeg_loses_exif_comments_and_trailer_and_keeps_the_image() {
    let mut jpeg = Jpeg::from_bytes(Bytes::from_static(BASE_JPEG)).expect("fixture");
    jpeg.set_exif(Some(exif_with_artist("Budi Santoso")));
    jpeg.set_icc_profile(Some(Bytes::from_static(b"a stand-in ICC profile")));
    let extra = [
        segment(markers::COM, b"Difoto oleh Budi Santoso"),
        segment(
            markers::APP1,
            b"http://ns.adobe.com/xap/1.0/\0<x:xmpmeta>Budi Santoso</x:xmpmeta>",
        ),
        segment(markers::APP13, b"Photoshop 3.0\08BIM\x04\x04 Budi Santoso"),
        segment(markers::APP12, b"Ducky Budi Santoso"),
        segment(markers::APP11, b"JP\0\0 jumb c2pa Budi Santoso"),
        segment(markers::APP2, b"MPF\0II*\0 Budi Santoso"),
        segment(markers::APP14, b"Adobe\0\x64\0\0\0\0\x01"),
    ];
    // After the JFIF, EXIF and ICC segments, before the frame header.
    jpeg.segments_mut().splice(3..3, extra);
    let mut original = jpeg.encoder().bytes().to_vec();
    // A second image after the end marker, as MPF files carry, with its own EXIF.
    original.extend([markers::P, markers::SOI]);
    original.extend(segment_bytes(markers::APP1, b"Exif\0\0 Budi Santoso"));
    original.extend([markers::P, markers::EOI]);

    let parsed = Jpeg::from_bytes(Bytes::copy_from_slice(&original)).expect("parse");
    assert!(parsed.exif().is_some());
    assert!(contains(&original, "Budi Santoso") && contains(&original, "Difoto"));

    let scrubbed = scrub(Kind::Jpeg, &original).expect("scrub");
    assert!(!contains(&scrubbed, "Budi"), "Budi left");
    assert!(!contains(&scrubbed, "Difoto"), "comment left");
    assert!(scrubbed.starts_with(&[markers::P, markers::SOI]));
    assert_eq!(scan(&scrubbed), scan(BASE_JPEG), "scan data changed");

    let reparsed = Jpeg::from_bytes(Bytes::copy_from_slice(&scrubbed)).expect("reparse");
    assert!(reparsed.exif().is_none());
    assert_eq!(
        reparsed.icc_profile(),
        Some(Bytes::from_static(b"a stand-in ICC profile"))
    );
    assert_eq!(
        markers_of(&scrubbed),
        // img-parts put the ICC segment after the first DQT, the test's own before it.
        [
            markers::APP0,
            markers::DQT,
            markers::APP14,
            markers::APP2,
            markers::DQT,
            markers::SOF0,
            markers::DHT,
            markers::DHT,
            markers::DHT,
            markers::DHT,
            markers::SOS,
        ]
    );
}

#[test]
fn jpeg_without_metadata_is_unchanged() {
    for fixture in [BASE_JPEG, PROGRESSIVE_JPEG] {
        assert_eq!(scrub(Kind::Jpeg, fixture).expect("scrub"), fixture);
    }
}

#[test]
fn progressive_jpeg_loses_segments_between_scans() {
    // img-parts keeps everything after the first scan header as one block: a comment
    // or APP1 between the later scans must still go.
    // Scan data never holds FF DA (an 0xFF in it is followed by 00 or a restart marker).
    let second_scan = PROGRESSIVE_JPEG
        .windows(2)
        .enumerate()
        .filter(|(_, w)| *w == [markers::P, markers::SOS])
        .map(|(at, _)| at)
        .nth(1)
        .expect("a second scan");
    let mut original = PROGRESSIVE_JPEG[..second_scan].to_vec();
    original.extend(segment_bytes(markers::COM, b"Budi Santoso"));
    original.extend(segment_bytes(markers::APP1, b"Exif\0\0Budi Santoso"));
    original.extend(&PROGRESSIVE_JPEG[second_scan..]);
    original.extend(b"trailing Budi Santoso");

    let scrubbed = scrub(Kind::Jpeg, &original).expect("scrub");
    assert_eq!(scrubbed, PROGRESSIVE_JPEG);
}

#[test]
fn truncated_jpeg_keeps_its_scan_data() {
    let cut = &BASE_JPEG[..BASE_JPEG.len() - 2];
    assert_eq!(scrub(Kind::Jpeg, cut).expect("scrub"), cut);
}

// ---------- PNG ----------

fn adler32(data: &[u8]) -> u32 {
    let (mut a, mut b) = (1u32, 0u32);
    for &byte in data {
        a = (a + u32::from(byte)) % 65521;
        b = (b + a) % 65521;
    }
    (b << 16) | a
}

fn chunk(kind: &[u8; 4], contents: &[u8]) -> Vec<u8> {
    PngChunk::new(*kind, Bytes::copy_from_slice(contents))
        .encoder()
        .bytes()
        .to_vec()
}

/// A 1×1 RGB PNG with `extra` chunks after IHDR.
fn png_with(extra: &[Vec<u8>]) -> Vec<u8> {
    let mut ihdr = Vec::new();
    ihdr.extend(1u32.to_be_bytes());
    ihdr.extend(1u32.to_be_bytes());
    ihdr.extend([8, 2, 0, 0, 0]); // 8 bits, RGB, deflate, no filter, no interlace
    let raw = [0u8, 0x20, 0x80, 0xC0]; // filter byte, one pixel
    // zlib with one stored (uncompressed) deflate block
    let mut idat = vec![0x78, 0x01, 0x01, 4, 0, !4, 0xFF];
    idat.extend(raw);
    idat.extend(adler32(&raw).to_be_bytes());

    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend(chunk(b"IHDR", &ihdr));
    for c in extra {
        png.extend(c);
    }
    png.extend(chunk(b"IDAT", &idat));
    png.extend(chunk(b"IEND", &[]));
    png
}

fn kinds(bytes: &[u8]) -> Vec<[u8; 4]> {
    Png::from_bytes(Bytes::copy_from_slice(bytes))
        .expect("img-parts re-parses it")
        .chunks()
        .iter()
        .map(PngChunk::kind)
        .collect()
}

#[test]
fn png_loses_text_and_keeps_the_image() {
    let mut original = png_with(&[
        chunk(b"tEXt", b"Author\0Budi Santoso"),
        chunk(b"zTXt", b"Comment\0\0not really compressed Budi"),
        chunk(
            b"iTXt",
            b"XML:com.adobe.xmp\0\0\0\0\0<x:xmpmeta>Budi</x:xmpmeta>",
        ),
        chunk(b"eXIf", &exif_with_artist("Budi Santoso")),
        chunk(b"tIME", &[0x07, 0xE9, 1, 2, 3, 4, 5]),
        chunk(b"pHYs", &[0, 0, 0x0B, 0x13, 0, 0, 0x0B, 0x13, 1]),
    ]);
    original.extend(b"after IEND: Budi Santoso");
    assert!(contains(&original, "Author\0Budi Santoso"));

    let scrubbed = scrub(Kind::Png, &original).expect("scrub");
    assert!(!contains(&scrubbed, "Budi"), "Budi left");
    assert_eq!(kinds(&scrubbed), [*b"IHDR", *b"pHYs", *b"IDAT", *b"IEND"]);
    // Chunks are copied as they were, CRCs included.
    let clean = png_with(&[chunk(b"pHYs", &[0, 0, 0x0B, 0x13, 0, 0, 0x0B, 0x13, 1])]);
    assert_eq!(scrubbed, clean);
}

// ---------- Any input ----------

#[test]
fn garbage_is_an_error() {
    let png_signature = b"\x89PNG\r\n\x1a\n".to_vec();
    let inputs: [&[u8]; 12] = [
        b"",
        b"hello world",
        &[0xFF; 64],
        &[0xFF, 0xD8],
        &[0xFF, 0xD8, 0xFF, 0xD9],
        &png_signature,
        b"%PDF-1.7\n",
        b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << >>\n%%EOF",
        b"%PDF-1.4\nxref\n0 1\n0000000000 65535 f \ntrailer\n<< /Size 1 >>\nstartxref\n9\n%%EOF",
        // Catalogs that lopdf's writer would leave out (found by fuzzing).
        b"%PDF-1.5\n0 0 obj\n<</Type/Catalog/Pages 1 0 R>>\nendobj\ntrailer\n<</Root 0 0 R>>\n%%EOF",
        b"%PDF-1.5\n1 0 obj\n<</Type/XRef/Pages 2 0 R>>\nendobj\ntrailer\n<</Root 1 0 R>>\n%%EOF",
        b"%PDF-1.5\n1 0 obj\n2 0 R\nendobj\n2 0 obj\n<</Type/Catalog>>\nendobj\ntrailer\n<</Root 1 0 R>>\n%%EOF",
    ];
    for kind in [Kind::Pdf, Kind::Jpeg, Kind::Png] {
        for input in inputs {
            assert!(scrub(kind, input).is_err(), "{kind} accepted {input:?}");
        }
    }
    // A file of one kind is not one of another.
    let pdf = save(&mut sample_pdf());
    let png = png_with(&[]);
    assert!(scrub(Kind::Jpeg, &pdf).is_err());
    assert!(scrub(Kind::Png, BASE_JPEG).is_err());
    assert!(scrub(Kind::Pdf, &png).is_err());
    assert!(scrub(Kind::Jpeg, &png).is_err());
}

fn flip(mut bytes: Vec<u8>, edits: &[(usize, u8)]) -> Vec<u8> {
    if !bytes.is_empty() {
        let len = bytes.len();
        for &(at, byte) in edits {
            bytes[at % len] = byte;
        }
    }
    bytes
}

fn any_kind() -> impl Strategy<Value = Kind> {
    prop_oneof![Just(Kind::Pdf), Just(Kind::Jpeg), Just(Kind::Png)]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn arbitrary_bytes_never_panic(kind in any_kind(), bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        let _ = scrub(kind, &bytes);
    }

    /// Valid files with a few bytes changed or cut short reach deeper than random bytes.
    #[test]
    fn damaged_files_never_panic(
        which in 0..3usize,
        edits in prop::collection::vec((any::<usize>(), any::<u8>()), 0..8),
        keep in any::<prop::sample::Index>(),
    ) {
        let (kind, file) = match which {
            0 => (Kind::Pdf, save(&mut sample_pdf())),
            1 => (Kind::Jpeg, PROGRESSIVE_JPEG.to_vec()),
            _ => (Kind::Png, png_with(&[chunk(b"tEXt", b"Author\0Budi")])),
        };
        let len = keep.index(file.len() + 1);
        let damaged = flip(file[..len].to_vec(), &edits);
        let _ = scrub(kind, &damaged);
    }
}

// ---------- Names ----------

#[test]
fn neutral_names() {
    assert_eq!(neutral_name(1, Kind::Pdf), "Lampiran 1.pdf");
    assert_eq!(neutral_name(2, Kind::Jpeg), "Lampiran 2.jpg");
    assert_eq!(neutral_name(10, Kind::Png), "Lampiran 10.png");
}

#[test]
fn jpeg_fill_bytes_before_a_dropped_segment_go_too() {
    // SOI, a scan header, scan data ending in fill bytes, a comment, more data, EOI.
    let mut original = vec![0xFF, 0xD8];
    original.extend(segment_bytes(markers::SOS, &[1, 1, 0, 0, 0x3F, 0]));
    original.extend([0x12, 0xFF, 0xFF]);
    original.extend(segment_bytes(markers::COM, b"Budi"));
    original.extend([0xD9, 0x34, 0xFF, 0xD9]);

    let once = scrub(Kind::Jpeg, &original).expect("scrub");
    assert!(!contains(&once, "Budi"));
    // Kept, the fill bytes would meet the D9 after the comment and end the image early.
    assert!(
        once.ends_with(&[0x12, 0xD9, 0x34, 0xFF, 0xD9]),
        "{once:02X?}"
    );
    assert_eq!(scrub(Kind::Jpeg, &once).expect("again"), once);
}
