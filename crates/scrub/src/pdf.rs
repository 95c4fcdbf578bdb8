//! PDF: parse with lopdf, drop the metadata objects and keys, write a fresh file.

use crate::{Kind, ScrubError};
use lopdf::{Dictionary, Document, LoadOptions, Object, ObjectId};

/// The most one object or cross-reference stream may inflate to while loading: far above
/// what real files need, and it keeps a small crafted upload from taking gigabytes.
const MAX_DECOMPRESSED: usize = 64 * 1024 * 1024;

/// Keys whose values are metadata wherever they appear: XMP streams and application
/// private data (which can hold author names and paths).
const METADATA_KEYS: [&[u8]; 2] = [b"Metadata", b"PieceInfo"];

pub(crate) fn scrub(bytes: &[u8]) -> Result<Vec<u8>, ScrubError> {
    let malformed = |e: lopdf::Error| ScrubError::malformed(Kind::Pdf, e);
    let options = LoadOptions {
        max_decompressed_size: Some(MAX_DECOMPRESSED),
        ..LoadOptions::default()
    };
    let mut doc = Document::load_mem_with_options(bytes, options).map_err(malformed)?;

    // lopdf decrypts a file whose user password is empty and drops `/Encrypt` from the
    // trailer, so both are checked: such a file still counts as encrypted.
    if doc.was_encrypted() || doc.trailer.has(b"Encrypt") {
        return Err(ScrubError::Encrypted);
    }
    // The lenient loader accepts nearly anything that starts with `%PDF-`; without a
    // catalog there is no document to serve.
    let root = doc
        .trailer
        .get(b"Root")
        .and_then(Object::as_reference)
        .map_err(malformed)?;
    // The object itself, not what it may point to: the checks below and the guard on
    // deleting it are about the object the trailer names.
    let Some(Object::Dictionary(catalog)) = doc.objects.get(&root) else {
        return Err(ScrubError::malformed(
            Kind::Pdf,
            "catalog is not a dictionary",
        ));
    };
    // Object 0 is always free in a cross-reference table, and lopdf's writer leaves out
    // objects of these types (it makes its own): such a catalog would be lost on writing.
    if root.0 == 0 {
        return Err(ScrubError::malformed(Kind::Pdf, "catalog is object 0"));
    }
    if let Ok(kind @ (b"XRef" | b"ObjStm" | b"Linearized")) = catalog.get_type() {
        let kind = String::from_utf8_lossy(kind);
        return Err(ScrubError::malformed(
            Kind::Pdf,
            format!("catalog of type {kind}"),
        ));
    }

    let mut doomed = Vec::new();
    if let Some(info) = doc.trailer.remove(b"Info") {
        doomed.extend(info.as_reference().ok());
    }
    strip_dictionary(&mut doc.trailer, &mut doomed);
    for object in doc.objects.values_mut() {
        strip_object(object, &mut doomed);
    }
    for id in doomed {
        // A crafted file could point `/Metadata` at its own catalog; keep the document.
        if id != root {
            doc.objects.remove(&id);
        }
    }
    // Whatever nothing reaches any more goes too: objects of earlier revisions, or
    // metadata that was only reachable from what was removed above.
    doc.prune_objects();

    let mut out = Vec::with_capacity(bytes.len());
    doc.save_to(&mut out)
        .map_err(|e| ScrubError::malformed(Kind::Pdf, e))?;
    Ok(out)
}

/// Removes the metadata keys from `object` and from every dictionary nested in it,
/// collecting the objects they referred to. An explicit stack: nesting comes from the
/// input (lopdf bounds it, this does not rely on that).
fn strip_object(object: &mut Object, doomed: &mut Vec<ObjectId>) {
    let mut stack = vec![object];
    while let Some(object) = stack.pop() {
        let dict = match object {
            Object::Dictionary(dict) => dict,
            Object::Stream(stream) => &mut stream.dict,
            Object::Array(items) => {
                stack.extend(items.iter_mut());
                continue;
            }
            _ => continue,
        };
        remove_keys(dict, doomed);
        stack.extend(dict.iter_mut().map(|(_, value)| value));
    }
}

fn strip_dictionary(dict: &mut Dictionary, doomed: &mut Vec<ObjectId>) {
    remove_keys(dict, doomed);
    for (_, value) in dict.iter_mut() {
        strip_object(value, doomed);
    }
}

fn remove_keys(dict: &mut Dictionary, doomed: &mut Vec<ObjectId>) {
    for key in METADATA_KEYS {
        if let Some(value) = dict.remove(key) {
            doomed.extend(value.as_reference().ok());
        }
    }
}
