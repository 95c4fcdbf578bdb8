//! File contents, stored by their SHA-256 under `blobs/ab/cd/<hash>` in an object store:
//! the local disk under the data dir by default, or an S3-compatible store named by
//! `JURI_STORAGE_URL` (the `object_store` crate serves both behind one interface). Uploads are streamed to a
//! staging object while they are hashed and counted, then renamed to their content
//! address; an upload that is refused part-way is aborted and leaves nothing behind.

use crate::StoreError;
use bytes::Bytes;
use futures_util::StreamExt;
use futures_util::stream::BoxStream;
use object_store::aws::AmazonS3Builder;
use object_store::local::LocalFileSystem;
use object_store::memory::InMemory;
use object_store::path::Path;
use object_store::{ObjectStore, ObjectStoreExt, WriteMultipart};
use sha2::{Digest, Sha256};
use std::fmt;
use std::sync::Arc;

fn blob_error(e: object_store::Error) -> StoreError {
    StoreError::internal(format!("blob store: {e}"))
}

/// Where file contents live.
#[derive(Clone)]
pub struct Blobs {
    store: Arc<dyn ObjectStore>,
}

impl fmt::Debug for Blobs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Blobs({})", self.store)
    }
}

/// What an upload stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoredBlob {
    pub sha256: String,
    pub size: u64,
}

fn blob_path(sha256: &str) -> Path {
    let a = sha256.get(0..2).unwrap_or("00");
    let b = sha256.get(2..4).unwrap_or("00");
    Path::from(format!("blobs/{a}/{b}/{sha256}"))
}

impl Blobs {
    /// Blobs on the local disk under `dir` (created if missing).
    pub fn local(dir: &std::path::Path) -> Result<Blobs, StoreError> {
        std::fs::create_dir_all(dir)
            .map_err(|e| StoreError::internal(format!("cannot create {}: {e}", dir.display())))?;
        let store = LocalFileSystem::new_with_prefix(dir).map_err(blob_error)?;
        Ok(Blobs {
            store: Arc::new(store),
        })
    }

    /// Blobs where `url` says: `file:///absolute/path` (the local disk) or
    /// `s3://bucket?endpoint=http://host:port&region=…` (any S3-compatible store; without
    /// `endpoint`, Amazon S3). Credentials come from `credentials` when given, else from
    /// the usual `AWS_ACCESS_KEY_ID` / `AWS_SECRET_ACCESS_KEY` environment.
    pub fn from_url(url: &str, credentials: Option<(&str, &str)>) -> Result<Blobs, StoreError> {
        let bad = |why: &str| StoreError::internal(format!("JURI_STORAGE_URL {why}"));
        if let Some(path) = url.strip_prefix("file://") {
            if !path.starts_with('/') {
                return Err(bad(
                    "file:// needs an absolute path (file:///srv/juri/files)",
                ));
            }
            return Blobs::local(std::path::Path::new(path));
        }
        let Some(rest) = url.strip_prefix("s3://") else {
            return Err(bad("must start with file:// or s3://"));
        };
        let (bucket, query) = rest.split_once('?').unwrap_or((rest, ""));
        let bucket = bucket.trim_end_matches('/');
        if bucket.is_empty() || bucket.contains('/') {
            return Err(bad("names one bucket: s3://bucket?endpoint=…"));
        }
        let mut builder = AmazonS3Builder::from_env().with_bucket_name(bucket);
        for pair in query.split('&').filter(|p| !p.is_empty()) {
            match pair.split_once('=') {
                Some(("endpoint", v)) => {
                    // A plain-HTTP endpoint is for a store on the same host or network.
                    builder = builder
                        .with_endpoint(v)
                        .with_allow_http(v.starts_with("http://"));
                }
                Some(("region", v)) => builder = builder.with_region(v),
                _ => return Err(bad(&format!("has an unknown option: {pair}"))),
            }
        }
        if let Some((key, secret)) = credentials {
            builder = builder
                .with_access_key_id(key)
                .with_secret_access_key(secret);
        }
        let store = builder.build().map_err(blob_error)?;
        Ok(Blobs {
            store: Arc::new(store),
        })
    }

    /// Blobs in memory (tests).
    pub fn in_memory() -> Blobs {
        Blobs {
            store: Arc::new(InMemory::new()),
        }
    }

    /// Start an upload.
    pub async fn writer(&self) -> Result<BlobWriter, StoreError> {
        let staging = Path::from(format!("staging/{}", uuid::Uuid::now_v7()));
        let upload = self
            .store
            .put_multipart(&staging)
            .await
            .map_err(blob_error)?;
        Ok(BlobWriter {
            store: self.store.clone(),
            staging,
            upload: WriteMultipart::new(upload),
            hasher: Sha256::new(),
            size: 0,
        })
    }

    /// The content stored under `sha256`, as a stream of chunks.
    pub async fn open(
        &self,
        sha256: &str,
    ) -> Result<BoxStream<'static, Result<Bytes, std::io::Error>>, StoreError> {
        let got = self
            .store
            .get(&blob_path(sha256))
            .await
            .map_err(blob_error)?;
        Ok(got
            .into_stream()
            .map(|r| r.map_err(std::io::Error::other))
            .boxed())
    }

    pub async fn exists(&self, sha256: &str) -> bool {
        self.store.head(&blob_path(sha256)).await.is_ok()
    }

    pub async fn delete(&self, sha256: &str) -> Result<(), StoreError> {
        match self.store.delete(&blob_path(sha256)).await {
            Ok(()) | Err(object_store::Error::NotFound { .. }) => Ok(()),
            Err(e) => Err(blob_error(e)),
        }
    }

    /// How many objects are stored, staging included (tests: "nothing stored").
    pub async fn count(&self) -> Result<usize, StoreError> {
        let mut n = 0;
        let mut list = self.store.list(None);
        while let Some(item) = list.next().await {
            item.map_err(blob_error)?;
            n += 1;
        }
        Ok(n)
    }
}

/// An upload in progress.
pub struct BlobWriter {
    store: Arc<dyn ObjectStore>,
    staging: Path,
    upload: WriteMultipart,
    hasher: Sha256,
    size: u64,
}

impl fmt::Debug for BlobWriter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("BlobWriter")
            .field("staging", &self.staging)
            .field("size", &self.size)
            .finish()
    }
}

impl BlobWriter {
    /// Bytes written so far.
    pub fn size(&self) -> u64 {
        self.size
    }

    pub async fn write(&mut self, chunk: &[u8]) -> Result<(), StoreError> {
        self.upload.wait_for_capacity(4).await.map_err(blob_error)?;
        self.hasher.update(chunk);
        self.size += chunk.len() as u64;
        self.upload.write(chunk);
        Ok(())
    }

    /// Give up: nothing is kept.
    pub async fn abort(self) {
        if let Err(e) = self.upload.abort().await {
            tracing::warn!(error = %e, "aborting an upload failed");
        }
        let _ = self.store.delete(&self.staging).await;
    }

    /// Finish: the content is stored under its hash.
    pub async fn finish(self) -> Result<StoredBlob, StoreError> {
        self.upload.finish().await.map_err(blob_error)?;
        let sha256 = hex::encode(self.hasher.finalize());
        self.store
            .rename(&self.staging, &blob_path(&sha256))
            .await
            .map_err(blob_error)?;
        Ok(StoredBlob {
            sha256,
            size: self.size,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn content_is_stored_under_its_hash_and_read_back() {
        let dir = tempfile::tempdir().expect("dir");
        let blobs = Blobs::local(dir.path()).expect("blobs");
        let mut w = blobs.writer().await.expect("writer");
        w.write(b"%PDF-1.7 hello ").await.expect("write");
        w.write(b"world").await.expect("write");
        let stored = w.finish().await.expect("finish");
        assert_eq!(stored.size, 20);
        assert_eq!(
            stored.sha256,
            hex::encode(Sha256::digest(b"%PDF-1.7 hello world"))
        );
        let mut read = Vec::new();
        let mut s = blobs.open(&stored.sha256).await.expect("open");
        while let Some(chunk) = s.next().await {
            read.extend_from_slice(&chunk.expect("chunk"));
        }
        assert_eq!(read, b"%PDF-1.7 hello world");
        assert_eq!(blobs.count().await.expect("count"), 1, "no staging left");
        blobs.delete(&stored.sha256).await.expect("delete");
        assert_eq!(blobs.count().await.expect("count"), 0);
    }

    #[test]
    fn storage_urls_are_checked() {
        assert!(Blobs::from_url("file://relative/path", None).is_err());
        assert!(Blobs::from_url("ftp://host/x", None).is_err());
        assert!(Blobs::from_url("s3://", None).is_err());
        assert!(Blobs::from_url("s3://bucket?colour=blue", None).is_err());
        assert!(
            Blobs::from_url(
                "s3://bucket?endpoint=http://127.0.0.1:9000&region=us-east-1",
                Some(("k", "s"))
            )
            .is_ok()
        );
        let dir = tempfile::tempdir().expect("dir");
        let url = format!("file://{}", dir.path().display());
        assert!(Blobs::from_url(&url, None).is_ok());
    }

    #[tokio::test]
    async fn an_aborted_upload_leaves_nothing() {
        let blobs = Blobs::in_memory();
        let mut w = blobs.writer().await.expect("writer");
        w.write(&[0u8; 1024]).await.expect("write");
        w.abort().await;
        assert_eq!(blobs.count().await.expect("count"), 0);
    }
}
