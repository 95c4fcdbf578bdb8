//! `juri audit …`: check the audit trail's hash chain, and recompute published results
//! from the trail (`docs/audit.md`).

use chrono::Utc;
use juri_domain::audit_chain::UNSEALED_GRACE;
use juri_persistence::{AuditVerification, Store};

/// Seal what is pending, walk the chain, print the verdict. `Err` (exit 1) names the
/// first altered or removed event.
#[expect(
    clippy::print_stdout,
    reason = "the verdict is for the person at the terminal"
)]
pub async fn verify(store: &Store) -> Result<(), String> {
    let now = Utc::now();
    let sealed_now = store
        .seal_audit(now)
        .await
        .map_err(|e| format!("cannot seal pending audit events: {e}"))?;
    if sealed_now > 0 {
        println!("Disegel sekarang / sealed now: {sealed_now}");
    }
    let report = store
        .verify_audit(now - UNSEALED_GRACE)
        .await
        .map_err(|e| format!("cannot read the audit trail: {e}"))?;
    println!("{}", render(&report));
    if report.ok {
        Ok(())
    } else {
        Err("jejak audit tidak utuh / the audit trail is not intact".to_owned())
    }
}

/// An operator's terminal: Bahasa Indonesia, then English.
fn both_languages(m: &juri_domain::Message) -> String {
    format!(
        "{} / {}",
        juri_text::render(juri_text::Language::Id, m),
        juri_text::render(juri_text::Language::En, m)
    )
}

fn render(r: &AuditVerification) -> String {
    let head = r.head_hash.as_deref().unwrap_or("-");
    match &r.first_problem {
        None => format!(
            "OK: {} peristiwa tersegel, kepala {head} / {} events sealed, head {head}",
            r.sealed, r.sealed
        ),
        Some(p) => {
            let mut out = format!("GAGAL / FAILED: {}", both_languages(&p.message));
            if let Some(id) = p.problem.event_id() {
                out.push_str(&format!("\n  event id: {id}"));
            }
            if let Some(pos) = p.problem.position() {
                out.push_str(&format!("\n  position: {pos}"));
            }
            if let Some(at) = p.occurred_at {
                out.push_str(&format!("\n  time: {}", at.to_rfc3339()));
            }
            if let Some(action) = &p.action {
                out.push_str(&format!("\n  action: {action}"));
            }
            out.push_str(&format!(
                "\n  {} seal(s) verified before it, last good hash {head}",
                r.sealed
            ));
            out
        }
    }
}

/// Seal and verify the chain, then rebuild the edition's result from the trail and
/// compare digests. `Err` (exit 1) when the chain is broken or a digest differs.
#[expect(
    clippy::print_stdout,
    reason = "the verdict is for the person at the terminal"
)]
pub async fn results(store: &Store, edition: &str) -> Result<(), String> {
    let edition: juri_domain::ids::EditionId = edition
        .parse()
        .map_err(|_| format!("not an edition id: {edition}"))?;
    let now = Utc::now();
    store
        .seal_audit(now)
        .await
        .map_err(|e| format!("cannot seal pending audit events: {e}"))?;
    let chain = store
        .verify_audit(now - UNSEALED_GRACE)
        .await
        .map_err(|e| format!("cannot read the audit trail: {e}"))?;
    println!("{}", render(&chain));
    let r = store
        .results_from_trail(edition)
        .await
        .map_err(|e| format!("cannot recompute the results from the trail: {e}"))?;
    let shown = |s: &Option<String>| s.clone().unwrap_or_else(|| "-".to_owned());
    println!(
        "Dihitung ulang dari jejak / recomputed from the trail ({} peristiwa / events): {}",
        r.events_read, r.recomputed_sha256
    );
    println!("Diumumkan / published: {}", shown(&r.published_sha256));
    println!(
        "Dicatat saat pengumuman / recorded by results.published: {}",
        shown(&r.event_sha256)
    );
    if !chain.ok {
        return Err("jejak audit tidak utuh / the audit trail is not intact".to_owned());
    }
    if r.published_sha256.is_none() {
        return Err("edisi ini belum diumumkan / this edition is not published".to_owned());
    }
    if r.matches {
        println!(
            "SAMA / EQUAL: hasil yang diumumkan sesuai jejak audit / the published result matches the trail"
        );
        Ok(())
    } else {
        Err(
            "hasil tidak sesuai jejak audit / the published result does not match the trail"
                .to_owned(),
        )
    }
}
