//! The `juri` binary as a person runs it: `juri serve` with no configuration at all
//! starts, prints its URL and the first organiser's generated password once, keeps
//! its secret private, logs one line per request without passwords or tokens, and
//! stops cleanly on SIGTERM.

#![expect(
    clippy::expect_used,
    reason = "a failed step must fail the test at once"
)]

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

struct Server {
    child: Child,
    url: String,
    lines: mpsc::Receiver<String>,
    first_lines: Vec<String>,
}

fn start(dir: &Path) -> Server {
    start_with(dir, |_| {})
}

/// `juri serve` in `dir` without configuration; `adjust` changes the command last.
fn start_with(dir: &Path, adjust: impl FnOnce(&mut Command)) -> Server {
    let mut command = Command::new(env!("CARGO_BIN_EXE_juri"));
    command
        .arg("serve")
        .current_dir(dir)
        .env("JURI_BIND", "127.0.0.1:0")
        .env_remove("DATABASE_URL")
        .env_remove("JURI_DATA_DIR")
        .env_remove("JURI_JWT_SECRET")
        .env_remove("JURI_ADMIN_EMAIL")
        .env_remove("JURI_ADMIN_PASSWORD")
        .env("JURI_LOG", "info")
        .env("NO_COLOR", "1")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    adjust(&mut command);
    let mut child = command.spawn().expect("juri starts");
    let (tx, rx) = mpsc::channel();
    for stream in [
        Box::new(child.stdout.take().expect("stdout")) as Box<dyn std::io::Read + Send>,
        Box::new(child.stderr.take().expect("stderr")),
    ] {
        let tx = tx.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stream).lines().map_while(Result::ok) {
                if tx.send(line).is_err() {
                    break;
                }
            }
        });
    }
    let mut first_lines = Vec::new();
    let url = loop {
        let line = rx
            .recv_timeout(Duration::from_secs(60))
            .expect("juri prints its URL");
        first_lines.push(line.clone());
        if let Some(url) = line.split("running at ").nth(1) {
            break url.trim().to_owned();
        }
    };
    Server {
        child,
        url,
        lines: rx,
        first_lines,
    }
}

fn sigterm(server: &mut Server) -> std::process::ExitStatus {
    // kill(2), not the `kill` program, whose parsing of pids has surprised us.
    let pid = i32::try_from(server.child.id()).expect("pid");
    nix::sys::signal::kill(
        nix::unistd::Pid::from_raw(pid),
        nix::sys::signal::Signal::SIGTERM,
    )
    .expect("SIGTERM sent");
    for _ in 0..100 {
        if let Some(status) = server.child.try_wait().expect("wait") {
            return status;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let _ = server.child.kill();
    panic!("juri did not stop within 10 s of SIGTERM");
}

fn drain(server: &Server) -> String {
    let mut out = server.first_lines.join("\n");
    while let Ok(line) = server.lines.recv_timeout(Duration::from_millis(300)) {
        out.push('\n');
        out.push_str(&line);
    }
    out
}

#[tokio::test]
async fn serve_needs_no_configuration_and_stops_on_sigterm() {
    let dir = tempfile::tempdir().expect("dir");
    let mut server = start(dir.path());
    let printed = server.first_lines.join("\n");
    assert!(printed.contains("panitia@juri.local"), "{printed}");
    let password = printed
        .lines()
        .find_map(|l| l.split("keep it safe): ").nth(1))
        .expect("a generated password is printed")
        .trim()
        .to_owned();
    assert!(password.chars().count() >= 15);

    // The data dir was made in the working directory, the secret kept private.
    let data = dir.path().join("data");
    assert!(data.join("juri.db").exists());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(data.join("jwt-secret"))
            .expect("secret")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    let client = reqwest::Client::new();
    let health = client
        .get(format!("{}/healthz", server.url))
        .send()
        .await
        .expect("healthz");
    assert_eq!(health.status(), 200);
    let login = client
        .post(format!("{}/api/v1/auth/login", server.url))
        .json(&serde_json::json!({"email": "panitia@juri.local", "password": password}))
        .send()
        .await
        .expect("login");
    assert_eq!(login.status(), 200);
    let tokens: serde_json::Value = login.json().await.expect("json");
    let access = tokens["access_token"].as_str().expect("access").to_owned();
    let canary = "kanari kuning bernyanyi di pagi hari";
    let reg = client
        .post(format!("{}/api/v1/auth/register", server.url))
        .json(&serde_json::json!({"email": "w@example.id", "password": canary, "name": "W", "submitter_kind": "student"}))
        .send()
        .await
        .expect("register");
    assert_eq!(reg.status(), 201);

    let status = sigterm(&mut server);
    assert!(status.success(), "clean exit on SIGTERM: {status:?}");
    let logs = drain(&server);
    assert!(
        logs.contains("path=/api/v1/auth/login") && logs.contains("status=200"),
        "one line per request: {logs}"
    );
    assert!(!logs.contains(canary), "a password reached the logs");
    assert!(!logs.contains(&access), "a token reached the logs");

    // A second start: same data, no second organiser, the old password still works.
    let mut again = start(dir.path());
    let printed = again.first_lines.join("\n");
    assert!(
        !printed.contains("keep it safe"),
        "the password is printed only once: {printed}"
    );
    let login = client
        .post(format!("{}/api/v1/auth/login", again.url))
        .json(&serde_json::json!({"email": "panitia@juri.local", "password": password}))
        .send()
        .await
        .expect("login");
    assert_eq!(login.status(), 200);
    // The access token from before the restart is still valid: the secret was kept.
    let me = client
        .get(format!("{}/api/v1/me", again.url))
        .bearer_auth(&access)
        .send()
        .await
        .expect("me");
    assert_eq!(me.status(), 200);
    assert!(sigterm(&mut again).success());

    // The server sealed its audit events (its sealer, and once more at shutdown):
    // `juri audit verify` finds nothing left to seal and an intact chain.
    let verify = Command::new(env!("CARGO_BIN_EXE_juri"))
        .args(["audit", "verify"])
        .current_dir(dir.path())
        .env_remove("DATABASE_URL")
        .env_remove("JURI_DATA_DIR")
        .env("NO_COLOR", "1")
        .output()
        .expect("juri audit verify");
    let out = String::from_utf8_lossy(&verify.stdout);
    assert!(verify.status.success(), "{out}");
    assert!(!out.contains("sealed now"), "{out}");
    assert!(out.contains("events sealed, head "), "{out}");
}

/// The server runs with the allocator settings of `memory.rs` (it started itself again
/// with them, as the same process), and an operator's own value is kept.
#[cfg(target_os = "linux")]
#[test]
fn serve_runs_with_the_allocator_settings_and_keeps_an_operators_own() {
    let dir = tempfile::tempdir().expect("dir");
    let mut server = start_with(dir.path(), |c| {
        c.env("MALLOC_ARENA_MAX", "4");
    });
    let environ = std::fs::read(format!("/proc/{}/environ", server.child.id()))
        .expect("the server's environment");
    let vars: Vec<String> = environ
        .split(|b| *b == 0)
        .map(|v| String::from_utf8_lossy(v).into_owned())
        .collect();
    for wanted in [
        "MIMALLOC_ALLOW_THP=0",
        "MIMALLOC_ARENA_EAGER_COMMIT=0",
        "MIMALLOC_PURGE_DELAY=100",
        "MALLOC_ARENA_MAX=4",
    ] {
        assert!(vars.iter().any(|v| v == wanted), "{wanted} in {vars:?}");
    }
    assert!(!vars.iter().any(|v| v == "MALLOC_ARENA_MAX=2"));
    assert!(sigterm(&mut server).success());
    let logs = drain(&server);
    assert!(!logs.contains("allocator settings not applied"), "{logs}");
}

/// Logs written to a file or a pipe carry no terminal colour codes, even when the
/// environment does not say NO_COLOR.
#[test]
fn serve_logs_plain_text_when_not_on_a_terminal() {
    let dir = tempfile::tempdir().expect("dir");
    let mut server = start_with(dir.path(), |c| {
        c.env_remove("NO_COLOR");
    });
    assert!(sigterm(&mut server).success());
    let logs = drain(&server);
    assert!(logs.contains("listening"), "{logs}");
    assert!(
        !logs.contains('\u{1b}'),
        "colour codes in the logs: {logs:?}"
    );
}

#[test]
fn migrate_brings_a_new_database_up_to_date() {
    let dir = tempfile::tempdir().expect("dir");
    let out = Command::new(env!("CARGO_BIN_EXE_juri"))
        .args(["migrate", "--data-dir"])
        .arg(dir.path().join("d"))
        .env_remove("DATABASE_URL")
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(dir.path().join("d").join("juri.db").exists());
}

#[test]
fn a_bad_database_url_fails_with_a_message() {
    let dir = tempfile::tempdir().expect("dir");
    let out = Command::new(env!("CARGO_BIN_EXE_juri"))
        .args(["migrate"])
        .env("DATABASE_URL", "mysql://nope")
        .env("JURI_DATA_DIR", dir.path().join("data"))
        .output()
        .expect("runs");
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("DATABASE_URL"));
}

#[test]
fn demo_prints_its_accounts_and_refuses_a_second_time() {
    let dir = tempfile::tempdir().expect("dir");
    let run = || {
        Command::new(env!("CARGO_BIN_EXE_juri"))
            .args(["demo", "--data-dir"])
            .arg(dir.path())
            .env_remove("DATABASE_URL")
            .output()
            .expect("runs")
    };
    let first = run();
    let out = String::from_utf8_lossy(&first.stdout);
    assert!(
        first.status.success(),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(out.contains("panitia.demo@juri.local"), "{out}");
    assert!(
        out.contains(juri_web::services::demo::DEMO_PASSWORD),
        "{out}"
    );
    let second = run();
    assert!(
        !second.status.success(),
        "a second demo over real data is refused"
    );
    assert!(String::from_utf8_lossy(&second.stderr).contains("--force"));
}
