//! Files attached to entries: what kinds are accepted (decided by content, never by
//! the name or the declared type), how many, how big, and a safe name to show.

use crate::Message;
use serde::Serialize;

/// The accepted kinds of file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Pdf,
    Png,
    Jpeg,
}

impl Kind {
    pub fn content_type(self) -> &'static str {
        match self {
            Kind::Pdf => "application/pdf",
            Kind::Png => "image/png",
            Kind::Jpeg => "image/jpeg",
        }
    }

    pub fn extension(self) -> &'static str {
        match self {
            Kind::Pdf => "pdf",
            Kind::Png => "png",
            Kind::Jpeg => "jpg",
        }
    }

    pub fn from_content_type(s: &str) -> Option<Kind> {
        [Kind::Pdf, Kind::Png, Kind::Jpeg]
            .into_iter()
            .find(|k| k.content_type() == s)
    }
}

/// How many leading bytes [`sniff`] needs.
pub const SNIFF_LEN: usize = 8;

/// The kind of a file from its first bytes (magic numbers), or `None` if it is not a
/// kind we accept.
pub fn sniff(head: &[u8]) -> Option<Kind> {
    if head.starts_with(b"%PDF-") {
        Some(Kind::Pdf)
    } else if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        Some(Kind::Png)
    } else if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        Some(Kind::Jpeg)
    } else {
        None
    }
}

/// Default cap per file: 20 MiB.
pub const DEFAULT_MAX_BYTES: u64 = 20 * 1024 * 1024;
/// Default number of files per entry.
pub const DEFAULT_MAX_PER_ENTRY: usize = 10;

/// A display name made safe: no path, no control or quoting characters, at most 100
/// characters, the extension of the real kind. Only ever shown, never used as a path.
pub fn safe_name(original: &str, kind: Kind) -> String {
    let base = original.rsplit(['/', '\\']).next().unwrap_or_default();
    let stem = base.rsplit_once('.').map(|(s, _)| s).unwrap_or(base);
    let cleaned: String = stem
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '(' | ')') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let trimmed = cleaned.trim_matches(|c: char| c == '_' || c == ' ' || c == '.');
    let stem: String = if trimmed.is_empty() {
        "lampiran".to_owned()
    } else {
        trimmed.chars().take(100).collect()
    };
    format!("{stem}.{}", kind.extension())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_are_decided_by_content() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Some(Kind::Pdf));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n\0\0"), Some(Kind::Png));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0x10]), Some(Kind::Jpeg));
        assert_eq!(sniff(b"MZ\x90\0"), None, "a Windows executable");
        assert_eq!(sniff(b"\x7fELF"), None, "a Linux executable");
        assert_eq!(sniff(b"<html>"), None);
        assert_eq!(sniff(b""), None);
    }

    #[test]
    fn names_are_made_safe() {
        assert_eq!(safe_name("../../etc/passwd", Kind::Pdf), "passwd.pdf");
        assert_eq!(
            safe_name("C:\\Users\\x\\Proposal Inovasi.PDF", Kind::Pdf),
            "Proposal Inovasi.pdf"
        );
        assert_eq!(
            safe_name("foto\"; filename=evil.exe", Kind::Png),
            "foto__ filename_evil.png"
        );
        assert_eq!(safe_name("", Kind::Jpeg), "lampiran.jpg");
        assert_eq!(safe_name("....", Kind::Jpeg), "lampiran.jpg");
        assert_eq!(
            safe_name("photo.png", Kind::Jpeg),
            "photo.jpg",
            "the real kind's extension"
        );
        assert_eq!(safe_name(&"a".repeat(300), Kind::Pdf).chars().count(), 104);
    }
}

/// A file attached to an entry, as recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Attachment {
    pub id: crate::ids::AttachmentId,
    pub entry_id: crate::ids::EntryId,
    /// SHA-256 of the content, hex: also its storage key.
    pub sha256: String,
    pub size: u64,
    pub content_type: String,
    pub file_name: String,
    pub created_at: chrono::DateTime<chrono::Utc>,
}

/// The name a judge in a blind round sees for the file at `position` (1-based, in upload
/// order): never the name the submitter chose, which often carries their own name or
/// agency ("Proposal_Dinkes_Budi.pdf").
pub fn neutral_name(position: usize, content_type: &str) -> String {
    let ext = match Kind::from_content_type(content_type) {
        Some(Kind::Pdf) => "pdf",
        Some(Kind::Png) => "png",
        Some(Kind::Jpeg) => "jpg",
        None => "bin",
    };
    format!("Lampiran {position}.{ext}")
}

/// A blind judge's view of an entry's files (given oldest first): neutral names.
pub fn blind_view(files: Vec<Attachment>) -> Vec<Attachment> {
    files
        .into_iter()
        .enumerate()
        .map(|(i, a)| Attachment {
            file_name: neutral_name(i + 1, &a.content_type),
            ..a
        })
        .collect()
}

/// May another file be added to an entry that has `count` already?
pub fn check_count(count: usize, max: usize) -> Result<(), crate::Error> {
    if count >= max {
        Err(crate::Error::Conflict(
            Message::new("conflict.too_many_attachments").with("max", max),
        ))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod blind_tests {
    use super::*;

    #[test]
    fn a_blind_judge_sees_neutral_names_in_upload_order() {
        let file = |name: &str, ct: &str| Attachment {
            id: crate::ids::AttachmentId::new(),
            entry_id: crate::ids::EntryId::new(),
            sha256: String::new(),
            size: 1,
            content_type: ct.to_owned(),
            file_name: name.to_owned(),
            created_at: chrono::DateTime::UNIX_EPOCH,
        };
        let shown = blind_view(vec![
            file("Proposal_Dinkes_Budi.pdf", "application/pdf"),
            file("foto budi.jpeg", "image/jpeg"),
            file("bagan.png", "image/png"),
        ]);
        let names: Vec<&str> = shown.iter().map(|a| a.file_name.as_str()).collect();
        assert_eq!(
            names,
            ["Lampiran 1.pdf", "Lampiran 2.jpg", "Lampiran 3.png"]
        );
    }
}
