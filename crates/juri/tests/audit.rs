//! `juri audit verify` as a person runs it: a clean database verifies (exit 0, the
//! count and head hash); an event changed or deleted behind Juri's back, with the
//! append-only trigger dropped first, is named (exit 1). On SQLite, and on
//! PostgreSQL too when `JURI_TEST_DATABASE_URL` names a server.

#![expect(
    clippy::expect_used,
    reason = "a failed step must fail the test at once"
)]

use juri_persistence::Store;
use std::process::{Command, Output};

/// A scratch database: SQLite in a temp dir, or a fresh PostgreSQL database.
struct Db {
    dir: tempfile::TempDir,
    url: String,
    pg: Option<(String, String)>,
}

impl Db {
    async fn new() -> Db {
        let dir = tempfile::tempdir().expect("dir");
        match std::env::var("JURI_TEST_DATABASE_URL") {
            Ok(admin) if !admin.is_empty() => {
                let name = format!("juri_cli_{}", uuid::Uuid::now_v7().simple());
                let a = Store::connect(&admin).await.expect("admin");
                a.execute_raw(&format!("CREATE DATABASE {name}"))
                    .await
                    .expect("create database");
                a.close().await.ok();
                let base = admin.rsplit_once('/').map(|(b, _)| b).unwrap_or(&admin);
                Db {
                    url: format!("{base}/{name}"),
                    pg: Some((admin, name)),
                    dir,
                }
            }
            _ => Db {
                url: Store::sqlite_url(dir.path()),
                pg: None,
                dir,
            },
        }
    }

    async fn store(&self) -> Store {
        let s = Store::connect(&self.url).await.expect("connect");
        s.migrate().await.expect("migrate");
        s
    }

    async fn drop(self) {
        if let Some((admin, name)) = self.pg {
            let a = Store::connect(&admin).await.expect("admin");
            a.execute_raw(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .await
                .ok();
            a.close().await.ok();
        }
    }

    fn juri(&self, args: &[&str]) -> (Option<i32>, String) {
        let Output {
            status,
            stdout,
            stderr,
        } = Command::new(env!("CARGO_BIN_EXE_juri"))
            .arg("--data-dir")
            .arg(self.dir.path())
            .arg("--database-url")
            .arg(&self.url)
            .args(args)
            .env_remove("DATABASE_URL")
            .env_remove("JURI_DATA_DIR")
            .env("JURI_LOG", "warn")
            .env("NO_COLOR", "1")
            .output()
            .expect("juri runs");
        (
            status.code(),
            format!(
                "{}{}",
                String::from_utf8_lossy(&stdout),
                String::from_utf8_lossy(&stderr)
            ),
        )
    }

    /// Five events, as the application would write them.
    async fn with_events(&self) -> Store {
        let store = self.store().await;
        for i in 1..=5 {
            store
                .execute_raw(&format!(
                    "INSERT INTO audit_events (occurred_at, action, subject_type, subject_id, after) \
                     VALUES ('2026-11-29T08:0{i}:00.123456Z', 'organisation.created', 'organisation', 'o{i}', \
                     '{{\"name\":\"Dinas {i}\"}}')"
                ))
                .await
                .expect("event");
        }
        store
    }

    async fn drop_event_triggers(&self, store: &Store) {
        let sql: &[&str] = if self.pg.is_some() {
            &["DROP TRIGGER audit_events_append_only ON audit_events"]
        } else {
            &[
                "DROP TRIGGER audit_events_no_update",
                "DROP TRIGGER audit_events_no_delete",
            ]
        };
        for s in sql {
            store.execute_raw(s).await.expect("drop trigger");
        }
    }
}

#[tokio::test]
async fn a_clean_trail_verifies_and_an_altered_event_is_named() {
    let db = Db::new().await;
    let (code, out) = db.juri(&["audit", "verify"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("OK: 0 peristiwa"), "{out}");

    let store = db.with_events().await;
    let (code, out) = db.juri(&["audit", "verify"]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("sealed now: 5"), "{out}");
    assert!(out.contains("5 events sealed, head "), "{out}");
    let head = out
        .split("head ")
        .nth(1)
        .expect("head hash")
        .trim()
        .to_owned();
    assert_eq!(head.len(), 64, "{out}");
    // Verifying again seals nothing and finds the same head.
    let (code, again) = db.juri(&["audit", "verify"]);
    assert_eq!(code, Some(0), "{again}");
    assert!(!again.contains("sealed now"), "{again}");
    assert!(again.contains(&head), "{again}");

    // The trigger refuses the change; someone with database access drops it first.
    assert!(
        store
            .execute_raw("UPDATE audit_events SET after = '{\"name\":\"Palsu\"}' WHERE id = 2")
            .await
            .is_err()
    );
    db.drop_event_triggers(&store).await;
    store
        .execute_raw("UPDATE audit_events SET after = '{\"name\":\"Palsu\"}' WHERE id = 2")
        .await
        .expect("tamper");
    let (code, out) = db.juri(&["audit", "verify"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("event #2 at position 2 was altered"), "{out}");
    assert!(out.contains("event id: 2"), "{out}");
    assert!(out.contains("position: 2"), "{out}");
    assert!(out.contains("action: organisation.created"), "{out}");
    assert!(out.contains("time: 2026-11-29T08:02:00.123456"), "{out}");
    store.close().await.ok();
    db.drop().await;
}

#[tokio::test]
async fn a_deleted_event_is_named() {
    let db = Db::new().await;
    let store = db.with_events().await;
    let (code, out) = db.juri(&["audit", "verify"]);
    assert_eq!(code, Some(0), "{out}");
    db.drop_event_triggers(&store).await;
    store
        .execute_raw("DELETE FROM audit_events WHERE id = 3")
        .await
        .expect("tamper");
    let (code, out) = db.juri(&["audit", "verify"]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("event #3 at position 3 was removed"), "{out}");
    assert!(out.contains("2 seal(s) verified before it"), "{out}");
    store.close().await.ok();
    db.drop().await;
}

#[tokio::test]
async fn the_demo_results_are_recomputed_from_the_trail_and_tampering_fails() {
    let db = Db::new().await;
    let (code, out) = db.juri(&["demo"]);
    assert_eq!(code, Some(0), "{out}");
    let store = db.store().await;
    let published = store
        .editions(juri_persistence::EditionVisibility::Published, 1, 10)
        .await
        .expect("editions");
    let id = published.items.first().expect("a published edition").id;
    let id = id.to_string();
    let (code, out) = db.juri(&["audit", "results", &id]);
    assert_eq!(code, Some(0), "{out}");
    assert!(out.contains("SAMA / EQUAL"), "{out}");

    // A submitted sheet's scores changed in the trail: the chain names the event and
    // the command fails.
    db.drop_event_triggers(&store).await;
    store
        .execute_raw(
            "UPDATE audit_events SET after = '{\"scores\": []}' WHERE id = \
             (SELECT MIN(id) FROM audit_events WHERE action = 'sheet.submitted')",
        )
        .await
        .expect("tamper");
    let (code, out) = db.juri(&["audit", "results", &id]);
    assert_eq!(code, Some(1), "{out}");
    assert!(out.contains("was altered"), "{out}");
    assert!(out.contains("action: sheet.submitted"), "{out}");
    store.close().await.ok();
    db.drop().await;
}
