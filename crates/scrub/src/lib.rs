//! Copies of attachments without document metadata, for blind judging.
//!
//! In a blind round a judge must not learn who submitted an entry, yet PDFs and photos
//! carry the author's name, organisation, software and dates in their metadata. [`scrub`]
//! returns a copy with that metadata removed and the content kept:
//!
//! - **PDF**: the trailer's `/Info` dictionary (Author, Creator, Producer, Title, Subject,
//!   Keywords, dates) and its object; every `/Metadata` entry (XMP streams, on the
//!   catalog, pages, images, fonts, …) and the streams it points to; every `/PieceInfo`
//!   (application private data); objects nothing refers to any more, such as those left
//!   behind by incremental updates. Pages, content streams, fonts and images are kept.
//!   An encrypted PDF is refused ([`ScrubError::Encrypted`]): it cannot be rewritten,
//!   and serving it as it is would leak.
//! - **JPEG**: every APPn segment except APP0 (JFIF), APP2 holding an ICC profile and
//!   APP14 (Adobe): that drops APP1 (EXIF, XMP), APP13 (IPTC, Photoshop), APP12, APP11
//!   (JUMBF/C2PA manifests naming their signer), MPF and the others; COM comments;
//!   anything after the end-of-image marker (MPF secondary images carry their own EXIF).
//!   Frame, tables and scan data are kept byte for byte.
//! - **PNG**: `tEXt`, `zTXt`, `iTXt`, `eXIf` and `tIME` chunks, and bytes after `IEND`.
//!   Every other chunk is kept.
//!
//! Not removed: names inside the content itself (text on a page, annotation authors in
//! a PDF's `/Annots`, embedded files), which are the entry's own content.
//!
//! No IO: bytes in, bytes out. Any input is handled without panicking (`fuzz/`).

mod jpeg;
mod pdf;
mod png;
#[cfg(test)]
mod tests;

use std::fmt;

/// The kinds of attachment this crate can clean; the caller maps its content types here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Pdf,
    Jpeg,
    Png,
}

impl Kind {
    /// The file extension a judge sees, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Kind::Pdf => "pdf",
            Kind::Jpeg => "jpg",
            Kind::Png => "png",
        }
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Kind::Pdf => "PDF",
            Kind::Jpeg => "JPEG",
            Kind::Png => "PNG",
        })
    }
}

/// Why an attachment could not be cleaned. The caller must then not serve it to a
/// blind judge: the original would leak its metadata.
#[derive(Debug, thiserror::Error)]
pub enum ScrubError {
    /// The PDF is encrypted, so its objects cannot be rewritten.
    #[error("the PDF is encrypted and cannot be rewritten without its metadata")]
    Encrypted,
    /// The bytes are not a file of this kind that can be read.
    #[error("not a readable {kind} file: {reason}")]
    Malformed { kind: Kind, reason: String },
}

impl ScrubError {
    fn malformed(kind: Kind, reason: impl fmt::Display) -> Self {
        ScrubError::Malformed {
            kind,
            reason: reason.to_string(),
        }
    }
}

/// A copy of `bytes`, a file of `kind`, with its document metadata removed and its
/// content kept (what is removed: the module documentation).
pub fn scrub(kind: Kind, bytes: &[u8]) -> Result<Vec<u8>, ScrubError> {
    match kind {
        Kind::Pdf => pdf::scrub(bytes),
        Kind::Jpeg => jpeg::scrub(bytes),
        Kind::Png => png::scrub(bytes),
    }
}

/// The file name a blind judge sees for the attachment at 1-based `position`: it says
/// nothing about the original name, which often holds the submitter's name.
pub fn neutral_name(position: usize, kind: Kind) -> String {
    format!("Lampiran {position}.{}", kind.extension())
}
