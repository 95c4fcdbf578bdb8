//! PNG: drop the text, EXIF and time chunks; img-parts drops bytes after `IEND`.

use crate::{Kind, ScrubError};
use img_parts::Bytes;
use img_parts::png::Png;

/// Chunks that hold metadata: text (author, title, software, comments, XMP in `iTXt`),
/// EXIF, and the last modification time.
const DROPPED: [[u8; 4]; 5] = [*b"tEXt", *b"zTXt", *b"iTXt", *b"eXIf", *b"tIME"];

pub(crate) fn scrub(bytes: &[u8]) -> Result<Vec<u8>, ScrubError> {
    let mut png = Png::from_bytes(Bytes::copy_from_slice(bytes))
        .map_err(|e| ScrubError::malformed(Kind::Png, e))?;
    // img-parts accepts a bare signature or a file cut short between chunks; neither is
    // an image to serve.
    let chunks = png.chunks();
    if chunks.first().map(|c| c.kind()) != Some(*b"IHDR") {
        return Err(ScrubError::malformed(Kind::Png, "no IHDR chunk first"));
    }
    if chunks.last().map(|c| c.kind()) != Some(*b"IEND") {
        return Err(ScrubError::malformed(Kind::Png, "no IEND chunk"));
    }
    png.chunks_mut()
        .retain(|chunk| !DROPPED.contains(&chunk.kind()));
    Ok(png.encoder().bytes().to_vec())
}
