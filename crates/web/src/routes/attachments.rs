//! `/entries/{id}/attachments`: files streamed to blob storage while they are hashed,
//! counted and typed by their first bytes. A refused upload (wrong type, too large, no
//! longer editable) leaves nothing stored. Downloads are attachments with `nosniff` and
//! a sandboxing CSP, authorised like the entry itself.

use crate::error::{ApiError, ApiResult};
use crate::extract::{ApiPath, AuthUser, ClientIp};
use crate::state::AppState;
use crate::throttle::Limited;
use axum::Json;
use axum::body::Body;
use axum::extract::multipart::MultipartRejection;
use axum::extract::{Multipart, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use juri_domain::Error;
use juri_domain::Message;
use juri_domain::attachment::{self, Attachment, SNIFF_LEN, safe_name};
use juri_domain::ids::{AttachmentId, EntryId};
use juri_persistence::{BlobWriter, NewAttachment};

/// Remove a blob nobody uses any more. Failure only leaves an orphan file behind.
pub(crate) async fn forget_blob(state: &AppState, sha256: &str) {
    match state.store.blob_in_use(sha256).await {
        Ok(false) => {
            if let Err(e) = state.blobs.delete(sha256).await {
                tracing::warn!(error = %e, "could not delete an unused blob");
            }
        }
        Ok(true) => {}
        Err(e) => tracing::warn!(error = %e, "could not check a blob's use"),
    }
}

fn multipart_error(e: axum::extract::multipart::MultipartError) -> ApiError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::PayloadTooLarge
    } else {
        ApiError::bad_request(
            Message::new("problem.malformed_upload").with("detail", e.body_text()),
        )
    }
}

/// A body that is not multipart at all, or has no or a malformed boundary: a problem
/// document like every other refusal (axum's own answer is plain text).
pub(crate) fn rejected_multipart(rej: MultipartRejection) -> ApiError {
    ApiError::bad_request(Message::new("problem.malformed_upload").with("detail", rej.body_text()))
}

fn unsupported() -> ApiError {
    ApiError::UnsupportedMediaType(Message::new("problem.upload_type"))
}

/// Stream one multipart field into a new blob: sniff the type from the first bytes,
/// stop at the cap. On any refusal the partial blob is aborted.
async fn receive(
    state: &AppState,
    field: &mut axum::extract::multipart::Field<'_>,
) -> ApiResult<(juri_persistence::StoredBlob, attachment::Kind)> {
    let max = state.config.attachment_max_bytes;
    let mut head: Vec<u8> = Vec::with_capacity(SNIFF_LEN);
    let mut kind = None;
    let mut writer: Option<BlobWriter> = None;
    let outcome: ApiResult<()> = async {
        while let Some(chunk) = field.chunk().await.map_err(multipart_error)? {
            let mut data: &[u8] = &chunk;
            if kind.is_none() {
                let take = (SNIFF_LEN - head.len()).min(data.len());
                head.extend_from_slice(&data[..take]);
                data = &data[take..];
                if head.len() < SNIFF_LEN {
                    continue;
                }
                kind = Some(attachment::sniff(&head).ok_or_else(unsupported)?);
                let mut w = state.blobs.writer().await?;
                w.write(&head).await?;
                writer = Some(w);
            }
            if let Some(w) = writer.as_mut() {
                if w.size() + data.len() as u64 > max {
                    return Err(ApiError::PayloadTooLarge);
                }
                w.write(data).await?;
            }
        }
        if kind.is_none() {
            // Shorter than the sniffing window: judge what there is.
            kind = Some(attachment::sniff(&head).ok_or_else(unsupported)?);
            let mut w = state.blobs.writer().await?;
            w.write(&head).await?;
            writer = Some(w);
        }
        Ok(())
    }
    .await;
    match (outcome, writer, kind) {
        (Ok(()), Some(w), Some(kind)) => Ok((w.finish().await?, kind)),
        (Err(e), w, _) => {
            if let Some(w) = w {
                w.abort().await;
            }
            Err(e)
        }
        (Ok(()), w, _) => {
            if let Some(w) = w {
                w.abort().await;
            }
            Err(unsupported())
        }
    }
}

#[utoipa::path(post, path = "/entries/{id}/attachments", tag = "attachments", security(("bearer" = [])), params(("id" = String, Path, description = "Entry id")), request_body(content = crate::openapi::UploadForm, content_type = "multipart/form-data"), responses((status = 201, description = "The stored attachment", body = crate::views::Attachment), (status = 400, description = "Not a multipart body, or a malformed one", body = crate::error::Problem, content_type = "application/problem+json"), (status = 413, description = "The file is too large", body = crate::error::Problem, content_type = "application/problem+json"), (status = 415, description = "Not a PDF, JPEG or PNG", body = crate::error::Problem, content_type = "application/problem+json"), (status = 429, description = "Too many uploads from this client", body = crate::error::Problem, content_type = "application/problem+json")))]
pub async fn upload(
    State(state): State<AppState>,
    ClientIp(ip): ClientIp,
    caller: AuthUser,
    path: Result<ApiPath<EntryId>, ApiError>,
    multipart: Result<Multipart, MultipartRejection>,
) -> ApiResult<(StatusCode, Json<crate::views::Attachment>)> {
    // The limit first: a malformed id counts against it like any upload.
    state.limit(Limited::Upload, ip)?;
    let ApiPath(id) = path?;
    let multipart = multipart.map_err(rejected_multipart)?;
    let a = receive_upload(&state, &caller, id, multipart).await?;
    Ok((StatusCode::CREATED, Json(a.into())))
}

/// Take the multipart part named `file` as a new attachment of `id` (the JSON API and
/// the pages' upload form share this).
pub(crate) async fn receive_upload(
    state: &AppState,
    caller: &AuthUser,
    id: EntryId,
    mut multipart: Multipart,
) -> ApiResult<Attachment> {
    let now = state.now();
    let max_files = state.config.attachments_per_entry;
    // Refuse early, before reading a large body, when the entry cannot take a file.
    state
        .store
        .check_attachable(id, &caller.user, max_files, now)
        .await?;
    let mut field = loop {
        match multipart.next_field().await.map_err(multipart_error)? {
            Some(f) if f.name() == Some("file") => break f,
            Some(_) => continue,
            None => {
                return Err(Error::invalid(
                    "file",
                    "required",
                    Message::new("field.attachments.required"),
                )
                .into());
            }
        }
    };
    let record = receive_file(state, &mut field).await?;
    let sha256 = record.sha256.clone();
    match state
        .store
        .add_attachment(id, &caller.user, record, max_files, state.now())
        .await
    {
        Ok(a) => Ok(a),
        Err(e) => {
            forget_blob(state, &sha256).await;
            Err(e.into())
        }
    }
}

/// Stream the multipart part `field` into a new blob, refused as any upload is (its
/// type from its first bytes, its size), and the attachment record for it: the
/// upload above, and a file sent with the form that creates its entry.
pub(crate) async fn receive_file(
    state: &AppState,
    field: &mut axum::extract::multipart::Field<'_>,
) -> ApiResult<NewAttachment> {
    let original = field.file_name().unwrap_or_default().to_owned();
    let (stored, kind) = receive(state, field).await?;
    Ok(NewAttachment {
        sha256: stored.sha256,
        size: stored.size,
        kind,
        file_name: safe_name(&original, kind),
    })
}

/// Is the caller a judge assigned to this entry (who may read it and its files)?
async fn assigned_judge(state: &AppState, caller: &AuthUser, entry: EntryId) -> ApiResult<bool> {
    if caller.user.role != juri_domain::user::Role::Judge {
        return Ok(false);
    }
    Ok(state.store.is_assigned(caller.user.id, entry).await?)
}

#[utoipa::path(get, path = "/entries/{id}/attachments", tag = "attachments", security(("bearer" = [])), params(("id" = String, Path, description = "Entry id")), responses((status = 200, description = "The entry's attachments", body = Vec<crate::views::Attachment>)))]
pub async fn list(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiPath(id): ApiPath<EntryId>,
) -> ApiResult<Json<Vec<crate::views::Attachment>>> {
    let assigned = assigned_judge(&state, &caller, id).await?;
    Ok(Json(crate::views::list(
        state.store.attachments(id, &caller.user, assigned).await?,
    )))
}

/// `filename="…"` for old clients (ASCII only) and `filename*` (RFC 5987) for the rest.
fn content_disposition(name: &str) -> HeaderValue {
    let ascii: String = name
        .chars()
        .map(|c| {
            if c.is_ascii_graphic() || c == ' ' {
                c
            } else {
                '_'
            }
        })
        .filter(|c| *c != '"' && *c != '\\')
        .collect();
    let encoded: String = name
        .bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect();
    HeaderValue::from_str(&format!(
        "attachment; filename=\"{ascii}\"; filename*=UTF-8''{encoded}"
    ))
    .unwrap_or(HeaderValue::from_static("attachment"))
}

#[utoipa::path(get, path = "/entries/{id}/attachments/{aid}", tag = "attachments", security(("bearer" = [])), params(("id" = String, Path, description = "Entry id"), ("aid" = String, Path, description = "Attachment id")), responses((status = 200, description = "The file", content((Vec<u8> = "application/pdf"), (Vec<u8> = "image/jpeg"), (Vec<u8> = "image/png"), (Vec<u8> = "application/octet-stream")))))]
pub async fn download(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiPath((id, aid)): ApiPath<(EntryId, AttachmentId)>,
) -> ApiResult<Response> {
    attachment_response(&state, &caller, id, aid).await
}

/// The file as a download, authorised like its entry (the JSON API and the pages).
pub(crate) async fn attachment_response(
    state: &AppState,
    caller: &AuthUser,
    id: EntryId,
    aid: AttachmentId,
) -> ApiResult<Response> {
    let assigned = assigned_judge(state, caller, id).await?;
    let a = state
        .store
        .attachment(id, aid, &caller.user, assigned)
        .await?;
    let kind = attachment::Kind::from_content_type(&a.content_type);
    let stream = state.blobs.open(&a.sha256).await?;
    let (mut res, size) = if state.store.judges_blind(id, &caller.user).await? {
        // A blind judge gets a copy without document metadata (author, creator, EXIF).
        let bytes = blind_copy(stream, kind).await?;
        let size = bytes.len() as u64;
        (Body::from(bytes).into_response(), size)
    } else {
        (Body::from_stream(stream).into_response(), a.size)
    };
    let h = res.headers_mut();
    let content_type = kind
        .map(|k| k.content_type())
        .unwrap_or("application/octet-stream");
    h.insert(header::CONTENT_TYPE, HeaderValue::from_static(content_type));
    if let Ok(v) = HeaderValue::from_str(&size.to_string()) {
        h.insert(header::CONTENT_LENGTH, v);
    }
    h.insert(
        header::CONTENT_DISPOSITION,
        content_disposition(&a.file_name),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("sandbox; default-src 'none'"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-store"),
    );
    Ok(res)
}

/// The whole file, then a copy of it without document metadata (on a blocking thread:
/// a 20 MiB PDF takes a moment to rewrite). A file that cannot be rewritten (an
/// encrypted PDF) is refused rather than handed over with its metadata.
async fn blind_copy(
    mut stream: futures_util::stream::BoxStream<'static, Result<bytes::Bytes, std::io::Error>>,
    kind: Option<attachment::Kind>,
) -> ApiResult<Vec<u8>> {
    use futures_util::StreamExt;
    let mut whole = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| ApiError::internal(format!("reading a file: {e}")))?;
        whole.extend_from_slice(&chunk);
    }
    let kind = match kind {
        Some(attachment::Kind::Pdf) => juri_scrub::Kind::Pdf,
        Some(attachment::Kind::Jpeg) => juri_scrub::Kind::Jpeg,
        Some(attachment::Kind::Png) => juri_scrub::Kind::Png,
        None => return Err(Error::NotFound.into()),
    };
    tokio::task::spawn_blocking(move || juri_scrub::scrub(kind, &whole))
        .await
        .map_err(|e| ApiError::internal(format!("scrubbing a file: {e}")))?
        .map_err(|e| {
            tracing::warn!(error = %e, "a file could not be stripped of its metadata");
            Error::Conflict(Message::new("conflict.metadata_not_removable")).into()
        })
}

#[utoipa::path(delete, path = "/entries/{id}/attachments/{aid}", tag = "attachments", security(("bearer" = [])), params(("id" = String, Path, description = "Entry id"), ("aid" = String, Path, description = "Attachment id")), responses((status = 204, description = "The attachment is removed")))]
pub async fn delete(
    State(state): State<AppState>,
    caller: AuthUser,
    ApiPath((id, aid)): ApiPath<(EntryId, AttachmentId)>,
) -> ApiResult<StatusCode> {
    if let Some(sha) = state
        .store
        .delete_attachment(id, aid, &caller.user, state.now())
        .await?
    {
        forget_blob(&state, &sha).await;
    }
    Ok(StatusCode::NO_CONTENT)
}
