//! `juri backup DIR` and `juri restore DIR`.
//!
//! A backup is a directory: `juri.db` (SQLite, written by `VACUUM INTO` while the
//! server runs) or `juri.pgdump` (PostgreSQL, `pg_dump --format=custom`), and `files/`,
//! a copy of the attachment store. Attachments are content-addressed and never
//! rewritten, so copying them while the server runs is safe; they are copied after the
//! database so that every attachment the copied database names is there.

use juri_persistence::{Backend, Store};
use std::path::{Path, PathBuf};
use std::process::Command;

const SQLITE_FILE: &str = "juri.db";
const PG_FILE: &str = "juri.pgdump";
const FILES_DIR: &str = "files";

/// Where the data lives: the data dir (files, and the SQLite database unless
/// `DATABASE_URL` names another one).
#[derive(Debug)]
pub struct Target<'a> {
    pub data_dir: &'a Path,
    pub database_url: Option<&'a str>,
}

impl Target<'_> {
    fn url(&self) -> String {
        self.database_url
            .map(str::to_owned)
            .unwrap_or_else(|| Store::sqlite_url(self.data_dir))
    }

    fn is_postgres(&self) -> bool {
        let url = self.url();
        url.starts_with("postgres://") || url.starts_with("postgresql://")
    }

    /// The SQLite database file, from the data dir or a `sqlite://PATH?…` URL.
    fn sqlite_file(&self) -> PathBuf {
        match self.database_url {
            Some(url) => {
                let path = url
                    .trim_start_matches("sqlite://")
                    .trim_start_matches("sqlite:");
                PathBuf::from(path.split('?').next().unwrap_or(path))
            }
            None => self.data_dir.join(SQLITE_FILE),
        }
    }
}

/// Make a backup into `dest`, which must not exist or be an empty directory.
#[expect(clippy::print_stdout, reason = "the operator reads what was written")]
pub async fn backup(target: &Target<'_>, dest: &Path) -> Result<(), String> {
    ensure_empty_dir(dest)?;
    if target.is_postgres() {
        let file = dest.join(PG_FILE);
        let url = target.url();
        let (dbname, password) = without_password(&url);
        run_tool(
            "pg_dump",
            &[
                "--format=custom",
                "--no-owner",
                &format!("--file={}", file.display()),
                &format!("--dbname={dbname}"),
            ],
            password.as_deref(),
            &pg_dump_help(&file),
        )?;
    } else {
        let db_file = target.sqlite_file();
        if !db_file.is_file() {
            return Err(format!("no database at {}", db_file.display()));
        }
        let store = Store::connect(&target.url())
            .await
            .map_err(|e| format!("cannot open the database: {e}"))?;
        let file = dest.join(SQLITE_FILE);
        let outcome = store.vacuum_into(&file).await;
        store.close().await.ok();
        outcome.map_err(|e| format!("cannot copy the database: {e}"))?;
    }
    let copied = copy_tree(&target.data_dir.join(FILES_DIR), &dest.join(FILES_DIR))?;
    println!(
        "Cadangan dibuat di / backup written to {} ({copied} berkas lampiran / attachment files).",
        dest.display()
    );
    Ok(())
}

/// Bring back the backup in `src`. Refuses to replace a database that holds data
/// unless `force`; checks that the backup is a sound Juri database first.
/// The server must be stopped while this runs.
#[expect(clippy::print_stdout, reason = "the operator reads what was restored")]
pub async fn restore(target: &Target<'_>, src: &Path, force: bool) -> Result<(), String> {
    let sqlite_backup = src.join(SQLITE_FILE);
    let pg_backup = src.join(PG_FILE);
    if target.is_postgres() {
        if !pg_backup.is_file() {
            return Err(format!(
                "{} holds no PostgreSQL backup ({PG_FILE}); a SQLite backup restores only into SQLite",
                src.display()
            ));
        }
        let url = target.url();
        let store = Store::connect(&url)
            .await
            .map_err(|e| format!("cannot open the database: {e}"))?;
        let occupied = store.is_juri_database().await;
        store.close().await.ok();
        if occupied.map_err(|e| format!("cannot inspect the database: {e}"))? && !force {
            return Err(
                "the target database already holds Juri data; add --force to replace it".to_owned(),
            );
        }
        // A custom-format dump is checked by listing its table of contents.
        run_tool(
            "pg_restore",
            &["--list", &pg_backup.display().to_string()],
            None,
            &pg_restore_help(&pg_backup),
        )?;
        let (dbname, password) = without_password(&url);
        run_tool(
            "pg_restore",
            &[
                "--clean",
                "--if-exists",
                "--no-owner",
                "--single-transaction",
                "--exit-on-error",
                &format!("--dbname={dbname}"),
                &pg_backup.display().to_string(),
            ],
            password.as_deref(),
            &pg_restore_help(&pg_backup),
        )?;
        let store = Store::connect(&url)
            .await
            .map_err(|e| format!("cannot open the restored database: {e}"))?;
        let ok = store.is_juri_database().await;
        store.close().await.ok();
        if !ok.map_err(|e| format!("cannot inspect the restored database: {e}"))? {
            return Err("the restored database holds no Juri schema".to_owned());
        }
    } else {
        if !sqlite_backup.is_file() {
            return Err(format!(
                "{} holds no SQLite backup ({SQLITE_FILE}); a PostgreSQL backup restores with DATABASE_URL set",
                src.display()
            ));
        }
        let db_file = target.sqlite_file();
        let occupied = std::fs::metadata(&db_file).is_ok_and(|m| m.len() > 0);
        if occupied && !force {
            return Err(format!(
                "{} already exists; add --force to replace it",
                db_file.display()
            ));
        }
        if let Some(parent) = db_file.parent() {
            std::fs::create_dir_all(parent)
                .map_err(|e| format!("cannot create {}: {e}", parent.display()))?;
        }
        // Check a copy next to the target, then move it into place in one rename.
        let staged = with_suffix(&db_file, ".restoring");
        remove_sqlite_files(&staged)?;
        std::fs::copy(&sqlite_backup, &staged)
            .map_err(|e| format!("cannot copy {}: {e}", sqlite_backup.display()))?;
        let check = check_sqlite(&staged).await;
        if let Err(e) = check {
            remove_sqlite_files(&staged).ok();
            return Err(e);
        }
        remove_sqlite_files(&db_file)?;
        std::fs::rename(&staged, &db_file)
            .map_err(|e| format!("cannot move the restored database into place: {e}"))?;
    }
    let copied = copy_tree(&src.join(FILES_DIR), &target.data_dir.join(FILES_DIR))?;
    println!(
        "Cadangan dipulihkan dari / backup restored from {} ({copied} berkas lampiran / attachment files).",
        src.display()
    );
    Ok(())
}

async fn check_sqlite(file: &Path) -> Result<(), String> {
    let store = Store::connect(&format!("sqlite://{}?mode=rw", file.display()))
        .await
        .map_err(|e| format!("the backup cannot be opened as a database: {e}"))?;
    debug_assert_eq!(store.backend(), Backend::Sqlite);
    let juri = store.is_juri_database().await;
    let sound = store.integrity_ok().await;
    // Closing checkpoints the WAL back into the file before it is moved.
    store.close().await.ok();
    if !juri.map_err(|e| format!("the backup cannot be read: {e}"))? {
        return Err("the backup is not a Juri database (no Juri migrations in it)".to_owned());
    }
    if !sound.map_err(|e| format!("the backup cannot be read: {e}"))? {
        return Err("the backup fails SQLite's integrity check".to_owned());
    }
    Ok(())
}

fn with_suffix(file: &Path, suffix: &str) -> PathBuf {
    let mut s = file.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// Remove a SQLite database with its WAL and shared-memory files, if present.
fn remove_sqlite_files(file: &Path) -> Result<(), String> {
    for f in [
        file.to_path_buf(),
        with_suffix(file, "-wal"),
        with_suffix(file, "-shm"),
    ] {
        match std::fs::remove_file(&f) {
            Ok(()) => {}
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
            Err(e) => return Err(format!("cannot remove {}: {e}", f.display())),
        }
    }
    Ok(())
}

fn ensure_empty_dir(dir: &Path) -> Result<(), String> {
    if dir.exists() {
        let mut entries =
            std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        if entries.next().is_some() {
            return Err(format!(
                "{} is not empty; back up into a new directory",
                dir.display()
            ));
        }
    }
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))
}

/// Copy the files under `from` into `to` (merging), skipping unfinished uploads
/// (`staging/`). Returns how many files were copied. A missing `from` copies nothing.
fn copy_tree(from: &Path, to: &Path) -> Result<usize, String> {
    if !from.is_dir() {
        return Ok(0);
    }
    let mut copied = 0;
    let mut stack = vec![PathBuf::new()];
    while let Some(rel) = stack.pop() {
        let dir = from.join(&rel);
        std::fs::create_dir_all(to.join(&rel))
            .map_err(|e| format!("cannot create {}: {e}", to.join(&rel).display()))?;
        let entries =
            std::fs::read_dir(&dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
        for entry in entries {
            let entry = entry.map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
            let name = entry.file_name();
            if rel.as_os_str().is_empty() && name == "staging" {
                continue;
            }
            let kind = entry
                .file_type()
                .map_err(|e| format!("cannot read {}: {e}", entry.path().display()))?;
            if kind.is_dir() {
                stack.push(rel.join(&name));
            } else if kind.is_file() {
                std::fs::copy(entry.path(), to.join(&rel).join(&name))
                    .map_err(|e| format!("cannot copy {}: {e}", entry.path().display()))?;
                copied += 1;
            }
        }
    }
    Ok(copied)
}

/// Run a PostgreSQL client tool; when it is not installed, say what to run instead.
/// The database URL without its password, and the password, decoded. The password
/// goes to pg_dump and pg_restore in `PGPASSWORD`: an argument is readable by every
/// user of the machine (`ps`), a process's environment only by its owner.
fn without_password(url: &str) -> (String, Option<String>) {
    let Ok(mut parsed) = reqwest::Url::parse(url) else {
        return (url.to_owned(), None);
    };
    let Some(password) = parsed.password().map(str::to_owned) else {
        return (url.to_owned(), None);
    };
    if parsed.set_password(None).is_err() {
        return (url.to_owned(), None);
    }
    let password = percent_encoding::percent_decode_str(&password)
        .decode_utf8_lossy()
        .into_owned();
    (parsed.to_string(), Some(password))
}

fn run_tool(tool: &str, args: &[&str], password: Option<&str>, help: &str) -> Result<(), String> {
    let mut command = Command::new(tool);
    command.args(args);
    if let Some(password) = password {
        command.env("PGPASSWORD", password);
    }
    match command.status() {
        Ok(status) if status.success() => Ok(()),
        Ok(status) => Err(format!("{tool} failed ({status})")),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(format!(
            "{tool} is not installed (Debian: apt-get install postgresql-client). Run instead:\n{help}"
        )),
        Err(e) => Err(format!("cannot run {tool}: {e}")),
    }
}

fn pg_dump_help(file: &Path) -> String {
    format!(
        "  pg_dump --format=custom --no-owner --file={} \"$DATABASE_URL\"\n  and copy the data dir's files/ next to it",
        file.display()
    )
}

fn pg_restore_help(file: &Path) -> String {
    format!(
        "  pg_restore --clean --if-exists --no-owner --single-transaction --exit-on-error --dbname=\"$DATABASE_URL\" {}\n  and copy the backup's files/ into the data dir",
        file.display()
    )
}

#[cfg(test)]
mod tests {
    use super::without_password;

    #[test]
    fn the_password_leaves_the_url_and_is_decoded() {
        let (url, password) =
            without_password("postgres://juri:s%40cret%2Fx@db.example:5433/juri?sslmode=require");
        assert_eq!(url, "postgres://juri@db.example:5433/juri?sslmode=require");
        assert_eq!(password.as_deref(), Some("s@cret/x"));
    }

    #[test]
    fn a_url_without_a_password_is_kept_as_it_is() {
        for url in [
            "postgres://postgres@127.0.0.1:5432/postgres",
            "postgresql:///juri?host=/var/run/postgresql",
            "not a url",
        ] {
            assert_eq!(without_password(url), (url.to_owned(), None));
        }
    }
}
