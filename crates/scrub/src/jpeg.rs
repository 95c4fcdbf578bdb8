//! JPEG: keep the segments that decoding needs, drop the metadata ones.

use crate::{Kind, ScrubError};
use img_parts::Bytes;
use img_parts::jpeg::{Jpeg, JpegSegment, markers};

const ICC_PREFIX: &[u8] = b"ICC_PROFILE\0";

pub(crate) fn scrub(bytes: &[u8]) -> Result<Vec<u8>, ScrubError> {
    let malformed = |reason: &str| ScrubError::malformed(Kind::Jpeg, reason);
    let jpeg = Jpeg::from_bytes(Bytes::copy_from_slice(bytes))
        .map_err(|e| ScrubError::malformed(Kind::Jpeg, e))?;

    let mut segments = Vec::with_capacity(jpeg.segments().len());
    let mut has_scan = false;
    for segment in jpeg.segments() {
        if !keep(segment.marker(), segment.contents()) {
            continue;
        }
        if segment.has_entropy() {
            // img-parts stops at the first scan and keeps the rest of the file as that
            // scan's "entropy": later scans of a progressive image, the segments between
            // them, the end-of-image marker and whatever follows it, none of which it
            // lets us edit. So that part is walked here.
            let encoded = segment.clone().encoder().bytes();
            let header = segment.len();
            let tail = encoded
                .get(header..)
                .ok_or_else(|| malformed("scan header"))?;
            let tail = clean_tail(tail).map_err(malformed)?;
            segments.push(JpegSegment::new_with_entropy(
                segment.marker(),
                segment.contents().clone(),
                Bytes::from(tail),
            ));
        } else {
            segments.push(segment.clone());
        }
        has_scan |= segment.marker() == markers::SOS;
    }
    if !has_scan {
        return Err(malformed("no image data (no start-of-scan segment)"));
    }

    let mut jpeg = jpeg;
    *jpeg.segments_mut() = segments;
    Ok(jpeg.encoder().bytes().to_vec())
}

/// Whether a segment stays: an allow-list of the application segments a decoder uses
/// (JFIF, the ICC colour profile, Adobe's colour transform), so a metadata format
/// nobody listed yet is dropped rather than leaked. Comments go; frame, table and scan
/// segments stay.
fn keep(marker: u8, contents: &[u8]) -> bool {
    match marker {
        markers::APP0 | markers::APP14 => true,
        // APP2 also holds MPF (offsets of images after the end marker, which go) and
        // FlashPix data.
        markers::APP2 => contents.starts_with(ICC_PREFIX),
        markers::APP1..=markers::APP15 | markers::COM => false,
        _ => true,
    }
}

/// Markers followed by a two-byte length (as img-parts reads them); the others
/// (TEM, RSTn, SOI, EOI, reserved) stand alone.
fn has_length(marker: u8) -> bool {
    matches!(
        marker,
        markers::SOF0..=markers::SOF15
            | markers::SOS..=markers::EXP
            | markers::APP0..=markers::APP15
            | markers::JPG0..=markers::JPG13
            | markers::COM
    )
}

/// The bytes after the first scan header, with metadata segments between scans dropped
/// and everything after the end-of-image marker cut off. Entropy-coded data never holds
/// a bare 0xFF (it is stuffed as FF 00, restart markers aside), so the next marker is
/// the next 0xFF followed by anything else.
fn clean_tail(tail: &[u8]) -> Result<Vec<u8>, &'static str> {
    let mut out = Vec::with_capacity(tail.len());
    // Start of the bytes not copied yet; `i` looks for the next marker.
    let mut copied = 0;
    let mut i = 0;
    while let (Some(&byte), Some(&marker)) = (tail.get(i), tail.get(i + 1)) {
        if byte != markers::P {
            i += 1;
            continue;
        }
        match marker {
            // A stuffed 0xFF or a restart marker: scan data.
            markers::Z | markers::RST0..=markers::RST7 => {
                i += 2;
                continue;
            }
            // A fill byte before a marker.
            markers::P => {
                i += 1;
                continue;
            }
            _ => {}
        }
        // Fill bytes (any 0xFF right before the marker, see above) are optional and
        // dropped: next to a removed segment they could pair up with what follows it.
        let data = &tail[copied..i];
        let fill = data.iter().rev().take_while(|&&b| b == markers::P).count();
        out.extend_from_slice(&data[..data.len() - fill]);
        if marker == markers::EOI {
            out.extend_from_slice(&[markers::P, markers::EOI]);
            return Ok(out);
        }
        let end = if has_length(marker) {
            let len = tail
                .get(i + 2..i + 4)
                .map(|b| usize::from(u16::from_be_bytes([b[0], b[1]])))
                .ok_or("truncated segment")?;
            if len < 2 {
                return Err("segment length below 2");
            }
            let end = i + 2 + len;
            let contents = tail.get(i + 4..end).ok_or("truncated segment")?;
            if !keep(marker, contents) {
                i = end;
                copied = end;
                continue;
            }
            end
        } else {
            i + 2
        };
        out.extend_from_slice(&tail[i..end]);
        i = end;
        copied = end;
    }
    // No end-of-image marker: a truncated file. What is there was all walked above.
    out.extend_from_slice(&tail[copied..]);
    Ok(out)
}
