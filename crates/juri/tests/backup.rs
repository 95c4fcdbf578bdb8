//! `juri backup` while `juri serve` takes writes, then `juri restore` into a fresh
//! place: every row committed before the backup started is there, the attachments
//! too, and the server starts on the restored data. On SQLite always; on PostgreSQL
//! too when `JURI_TEST_DATABASE_URL` is set (with `pg_dump` installed).

#![expect(
    clippy::expect_used,
    reason = "a failed step must fail the test at once"
)]

use juri_persistence::Store;
use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

const PASSWORD: &str = "cadangan data setiap malam hari";

struct Server {
    child: Child,
    url: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn juri(data_dir: &Path, database_url: Option<&str>) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_juri"));
    cmd.env("JURI_DATA_DIR", data_dir)
        .env_remove("DATABASE_URL")
        .env_remove("JURI_JWT_SECRET")
        .env("JURI_ADMIN_EMAIL", "panitia@example.id")
        .env("JURI_ADMIN_PASSWORD", PASSWORD)
        .env("JURI_LOG", "warn")
        .env("NO_COLOR", "1");
    if let Some(url) = database_url {
        cmd.env("DATABASE_URL", url);
    }
    cmd
}

fn serve(data_dir: &Path, database_url: Option<&str>) -> Server {
    let mut child = juri(data_dir, database_url)
        .arg("serve")
        .env("JURI_BIND", "127.0.0.1:0")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("juri starts");
    let stdout = child.stdout.take().expect("stdout");
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let url = loop {
        let line = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("juri prints its URL");
        if let Some(url) = line.split("running at ").nth(1) {
            break url.trim().to_owned();
        }
    };
    Server { child, url }
}

fn run(cmd: &mut Command) -> Output {
    cmd.output().expect("juri runs")
}

async fn sign_in(client: &reqwest::Client, url: &str) -> String {
    let login: serde_json::Value = client
        .post(format!("{url}/api/v1/auth/login"))
        .json(&serde_json::json!({"email": "panitia@example.id", "password": PASSWORD}))
        .send()
        .await
        .expect("login")
        .json()
        .await
        .expect("json");
    login["access_token"].as_str().expect("token").to_owned()
}

/// Two databases (source, restore target) on PostgreSQL, dropped afterwards.
struct PgPair {
    admin: String,
    names: [String; 2],
}

impl PgPair {
    async fn new(admin: &str) -> PgPair {
        let store = Store::connect(admin).await.expect("admin connection");
        let id = uuid::Uuid::now_v7().simple().to_string();
        let names = [format!("juri_bk_{id}_a"), format!("juri_bk_{id}_b")];
        for n in &names {
            store
                .execute_raw(&format!("CREATE DATABASE {n}"))
                .await
                .expect("create database");
        }
        store.close().await.ok();
        PgPair {
            admin: admin.to_owned(),
            names,
        }
    }

    fn url(&self, i: usize) -> String {
        let base = self
            .admin
            .rsplit_once('/')
            .map(|(b, _)| b)
            .unwrap_or(&self.admin);
        format!("{base}/{}", self.names[i])
    }

    async fn drop_all(self) {
        if let Ok(store) = Store::connect(&self.admin).await {
            for n in &self.names {
                let _ = store
                    .execute_raw(&format!("DROP DATABASE IF EXISTS {n} WITH (FORCE)"))
                    .await;
            }
            store.close().await.ok();
        }
    }
}

async fn backup_during_writes_then_restore(source_url: Option<&str>, target_url: Option<&str>) {
    let dirs = tempfile::tempdir().expect("dir");
    let data = dirs.path().join("data");
    let restored = dirs.path().join("restored");
    let backup_dir = dirs.path().join("backup");

    let server = serve(&data, source_url);
    // An attachment blob as the store keeps it (content-addressed).
    let blob = data.join("files/blobs/ab/cd/abcdef");
    std::fs::create_dir_all(blob.parent().expect("parent")).expect("blob dir");
    std::fs::write(&blob, b"%PDF-1.4 lampiran").expect("blob");

    let client = reqwest::Client::new();
    let token = sign_in(&client, &server.url).await;

    // Writers create agencies until told to stop, noting when each write was confirmed.
    let stop = Arc::new(AtomicBool::new(false));
    let mut writers = Vec::new();
    for w in 0..3 {
        let (client, url, token, stop) = (
            client.clone(),
            server.url.clone(),
            token.clone(),
            stop.clone(),
        );
        writers.push(tokio::spawn(async move {
            let mut done: Vec<(String, Instant)> = Vec::new();
            let mut i = 0;
            while !stop.load(Ordering::SeqCst) {
                let r = client
                    .post(format!("{url}/api/v1/organisations"))
                    .bearer_auth(&token)
                    .json(
                        &serde_json::json!({"name": format!("Dinas Uji {w}-{i}"), "kind": "dinas"}),
                    )
                    .send()
                    .await
                    .expect("create");
                assert_eq!(r.status(), 201);
                let body: serde_json::Value = r.json().await.expect("json");
                done.push((body["id"].as_str().expect("id").to_owned(), Instant::now()));
                i += 1;
            }
            done
        }));
    }
    tokio::time::sleep(Duration::from_millis(300)).await;

    let started = Instant::now();
    let (d, u) = (data.clone(), source_url.map(str::to_owned));
    let b = backup_dir.clone();
    let out =
        tokio::task::spawn_blocking(move || run(juri(&d, u.as_deref()).arg("backup").arg(&b)))
            .await
            .expect("backup ran");
    assert!(
        out.status.success(),
        "backup: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    tokio::time::sleep(Duration::from_millis(200)).await;
    stop.store(true, Ordering::SeqCst);
    let mut before = Vec::new();
    let mut total = 0;
    for w in writers {
        for (id, at) in w.await.expect("writer") {
            total += 1;
            if at < started {
                before.push(id);
            }
        }
    }
    assert!(!before.is_empty(), "writes happened before the backup");
    assert!(total > before.len(), "writes went on during the backup");
    drop(server);

    // Restoring over data that exists is refused without --force.
    let out = run(juri(&data, source_url).arg("restore").arg(&backup_dir));
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("--force"));

    let out = run(juri(&restored, target_url).arg("restore").arg(&backup_dir));
    assert!(
        out.status.success(),
        "restore: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        std::fs::read(restored.join("files/blobs/ab/cd/abcdef")).expect("blob restored"),
        b"%PDF-1.4 lampiran"
    );

    let server = serve(&restored, target_url);
    let token = sign_in(&client, &server.url).await;
    for id in &before {
        let r = client
            .get(format!("{}/api/v1/organisations/{id}", server.url))
            .bearer_auth(&token)
            .send()
            .await
            .expect("get");
        assert_eq!(r.status(), 200, "agency {id}, committed before the backup");
    }
}

#[tokio::test]
async fn a_backup_taken_during_writes_restores_every_committed_row() {
    match std::env::var("JURI_TEST_DATABASE_URL") {
        Ok(admin) if !admin.is_empty() => {
            if Command::new("pg_dump").arg("--version").output().is_err() {
                panic!("JURI_TEST_DATABASE_URL is set but pg_dump is not installed");
            }
            let pair = PgPair::new(&admin).await;
            let (a, b) = (pair.url(0), pair.url(1));
            backup_during_writes_then_restore(Some(&a), Some(&b)).await;
            pair.drop_all().await;
        }
        _ => backup_during_writes_then_restore(None, None).await,
    }
}

#[test]
fn restore_refuses_a_file_that_is_not_a_juri_database() {
    let dirs = tempfile::tempdir().expect("dir");
    let backup = dirs.path().join("backup");
    std::fs::create_dir_all(&backup).expect("dir");
    std::fs::write(backup.join("juri.db"), b"bukan basis data / not a database").expect("file");
    let target = dirs.path().join("data");
    let out = run(juri(&target, None).arg("restore").arg(&backup));
    assert!(!out.status.success());
    assert!(
        !target.join("juri.db").exists(),
        "nothing replaced the target"
    );

    // A real SQLite database without Juri's schema is refused too.
    let other = dirs.path().join("other");
    std::fs::create_dir_all(&other).expect("dir");
    // An empty database file: valid SQLite, no tables.
    std::fs::write(other.join("juri.db"), b"").expect("file");
    let out = run(juri(&target, None).arg("restore").arg(&other));
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("not a Juri database"), "{err}");
    assert!(!target.join("juri.db").exists());
}

#[test]
fn backup_refuses_a_directory_that_is_not_empty() {
    let dirs = tempfile::tempdir().expect("dir");
    let data = dirs.path().join("data");
    assert!(run(juri(&data, None).arg("migrate")).status.success());
    let dest = dirs.path().join("b");
    std::fs::create_dir_all(&dest).expect("dir");
    std::fs::write(dest.join("x"), b"x").expect("file");
    let out = run(juri(&data, None).arg("backup").arg(&dest));
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("not empty"));
}

/// The database password reaches pg_dump in its environment, never on its command
/// line, which every user of the machine can read (`ps`). A stand-in `pg_dump` on the
/// PATH records what it was given.
#[cfg(unix)]
#[test]
fn pg_dump_gets_the_password_in_its_environment_not_its_arguments() {
    use std::os::unix::fs::PermissionsExt;
    let dirs = tempfile::tempdir().expect("dir");
    let bin = dirs.path().join("bin");
    std::fs::create_dir_all(&bin).expect("dir");
    let seen = dirs.path().join("seen");
    let tool = bin.join("pg_dump");
    std::fs::write(
        &tool,
        format!(
            "#!/bin/sh\nprintf '%s\\n' \"$@\" > '{0}/args'\nprintf '%s' \"$PGPASSWORD\" > '{0}/password'\n",
            seen.display()
        ),
    )
    .expect("script");
    std::fs::set_permissions(&tool, std::fs::Permissions::from_mode(0o755)).expect("chmod");
    std::fs::create_dir_all(&seen).expect("dir");
    let path = format!(
        "{}:{}",
        bin.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let out = run(juri(
        &dirs.path().join("data"),
        Some("postgres://juri:rahasia%21malam@127.0.0.1:5432/juri?sslmode=disable"),
    )
    .env("PATH", path)
    .env_remove("PGPASSWORD")
    .arg("backup")
    .arg(dirs.path().join("backup")));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let args = std::fs::read_to_string(seen.join("args")).expect("pg_dump ran");
    assert!(
        args.contains("--dbname=postgres://juri@127.0.0.1:5432/juri?sslmode=disable"),
        "{args}"
    );
    assert!(
        !args.contains("rahasia"),
        "the password is on the command line: {args}"
    );
    let password = std::fs::read_to_string(seen.join("password")).expect("recorded");
    assert_eq!(password, "rahasia!malam");
}
