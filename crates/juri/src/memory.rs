//! The allocators' settings for a long-running server. Both allocators read them from
//! the environment once, before `main` runs, and offer no safe way to change them
//! afterwards; so a process started without them starts itself again with them (the
//! same program, arguments and process id), once. A setting already in the
//! environment is kept, so an operator can override any of them.
//!
//! Measured with `juri bench` (docs/performance.md, "Third pass"): peak RSS of
//! `juri serve` over every step, 199 → 133 MiB on SQLite, 129 → 97 on PostgreSQL.

/// The settings, and why each.
const SETTINGS: &[(&str, &str)] = &[
    // mimalloc serves Rust's allocations. Transparent huge pages make a touched 2 MiB
    // region wholly resident; eager commit makes a new arena resident before use; and
    // freed memory went back to the system only after a second, so a burst (a 30,000-
    // sheet result, the catalogue's load) stayed resident through the next one. Not
    // at once either: then each password hash faulted its 19 MiB in again, and a login
    // storm managed 29 logins a second instead of 46.
    ("MIMALLOC_ALLOW_THP", "0"),
    ("MIMALLOC_ARENA_EAGER_COMMIT", "0"),
    ("MIMALLOC_PURGE_DELAY", "100"),
    // glibc's malloc serves SQLite (C code), which sqlx runs on one thread per
    // connection; glibc gives each thread an arena of its own that keeps what it freed.
    ("MALLOC_ARENA_MAX", "2"),
];

/// The settings missing from the environment.
fn missing() -> Vec<(&'static str, &'static str)> {
    SETTINGS
        .iter()
        .copied()
        .filter(|(name, _)| std::env::var_os(name).is_none())
        .collect()
}

/// Start this process again with the settings, unless they are all in place. Returns
/// only when they are, or when the restart failed (the reason, to log once logging
/// runs; the process then goes on with the allocators' defaults).
pub fn tune() -> Option<String> {
    let missing = missing();
    if missing.is_empty() {
        return None;
    }
    restart(&missing)
}

#[cfg(unix)]
fn restart(missing: &[(&str, &str)]) -> Option<String> {
    use std::os::unix::process::CommandExt;
    let exe = match std::env::current_exe() {
        Ok(exe) => exe,
        Err(e) => return Some(format!("allocator settings not applied: {e}")),
    };
    let mut command = std::process::Command::new(exe);
    command
        .args(std::env::args_os().skip(1))
        .envs(missing.iter().copied());
    // `exec` returns only if it failed.
    let e = command.exec();
    Some(format!("allocator settings not applied: {e}"))
}

#[cfg(not(unix))]
fn restart(_missing: &[(&str, &str)]) -> Option<String> {
    None
}
