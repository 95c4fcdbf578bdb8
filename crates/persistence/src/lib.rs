//! Juri's storage: sea-orm entities and the repositories over them. Its public API
//! speaks domain types only; no entity or sea-orm type leaves this crate except the
//! transaction handle the repositories share.
//!
//! One schema (the `juri-migrations` crate) on SQLite (embedded default: WAL,
//! synchronous=NORMAL, busy timeout, foreign keys, one writer connection and a pool of
//! read-only ones, write transactions opened IMMEDIATE) or PostgreSQL, chosen by the URL.

mod audit;
mod backup;
mod blobs;
mod bulk;
mod catalogue;
mod editions;
mod entities;
mod entries;
mod error;
mod group;
mod judging;
mod organisations;
mod outbox;
mod replay;
mod results;
mod rounds;
mod seal;
mod signin;
mod store;
mod tokens;
mod users;

pub use audit::{AuditEvent, AuditFilter, AuditRecord};
pub use blobs::{BlobWriter, Blobs, StoredBlob};
pub use bulk::EntryCopy;
pub use editions::{CategoryChange, EditionVisibility, NewTrack};
pub use entries::{EntryFilter, NewAttachment};
pub use error::{Cause, StoreError, chain};
pub use judging::{
    AssignFailure, AssignmentDetail, AutoAssignment, ConflictOutcome, Count, MyAssignment,
    Progress, Reminded, Shortfall, SubmittedSheet,
};
pub use organisations::{NewOrganisation, OrganisationChange, Page};
pub use outbox::OutboxMessage;
pub use replay::TrailResults;
pub use results::{
    AnnouncedWinner, AuditHead, CatalogueFilter, EditionResults, JudgeStats, PublicInnovation,
    PublicWinner, Publication, RoundResults, TieDecision, Winner, snapshot_text,
};
pub use seal::{AuditProblem, AuditVerification, FULL_SEARCH_EVERY, SEAL_BATCH, SealInfo, Search};
pub use signin::{Attempt, AttemptKeys};
pub use store::{Backend, PoolStats, Store};
pub use tokens::{NewInvitation, NewPasswordReset, NewRefreshToken, RotateOutcome};
pub use users::NewUser;
mod export;
pub use export::{ExportData, JudgeRow, RankingRow, SheetRow};
mod import;
pub use import::{
    ARCHIVE_EMAIL, ImportFailure, ImportReport, ImportedEdition, import_edition_name,
};
