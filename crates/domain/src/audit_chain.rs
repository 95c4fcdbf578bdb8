//! The hash chain over the audit trail, free of IO: the canonical bytes of an event,
//! one hash step, and the walk that checks a sealed chain and names the first event
//! that was altered or removed (`docs/audit.md`).
//!
//! Events are written with their change and sealed later, in commit order, by a
//! sealer: seal `n` holds `hash_n = SHA-256(hash_{n-1} || canonical_bytes(event))`,
//! with `hash_0` 32 zero bytes. Writers therefore never wait for the chain.

use crate::Message;
use chrono::{DateTime, SecondsFormat, Utc};
use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::fmt::Write as _;
use uuid::Uuid;

/// The version of the canonical encoding, part of the hashed bytes.
pub const ENCODING_VERSION: u32 = 1;

/// The hash before the first seal.
pub const GENESIS: [u8; 32] = [0; 32];

/// How long an event may wait for its seal before verification calls it a problem:
/// the sealer runs every second, so a minute means it is not running.
pub const UNSEALED_GRACE: chrono::Duration = chrono::Duration::seconds(60);

/// One audit event as it is chained: every stored column.
#[derive(Debug, Clone, PartialEq)]
pub struct ChainEvent {
    pub id: i64,
    pub occurred_at: DateTime<Utc>,
    pub actor_id: Option<Uuid>,
    pub action: String,
    pub subject_type: String,
    pub subject_id: Option<String>,
    pub before: Option<Value>,
    pub after: Option<Value>,
}

/// The canonical bytes of an event: the UTF-8 text of one JSON object with the keys
/// `v action actor_id after before id occurred_at subject_id subject_type`, in that
/// (byte) order, no whitespace, object keys sorted at every depth, absent values as
/// `null`, the time as RFC 3339 UTC with exactly six fractional digits (microseconds:
/// what both databases keep).
pub fn canonical_bytes(e: &ChainEvent) -> Vec<u8> {
    let time = e.occurred_at.to_rfc3339_opts(SecondsFormat::Micros, true);
    let doc = serde_json::json!({
        "v": ENCODING_VERSION,
        "id": e.id,
        "occurred_at": time,
        "actor_id": e.actor_id.map(|a| a.hyphenated().to_string()),
        "action": e.action,
        "subject_type": e.subject_type,
        "subject_id": e.subject_id,
        "before": e.before,
        "after": e.after,
    });
    let mut out = String::new();
    write_canonical(&doc, &mut out);
    out.into_bytes()
}

/// JSON with object keys sorted by their bytes at every depth, whatever map type
/// serde_json was built with; numbers and strings as serde_json writes them.
fn write_canonical(v: &Value, out: &mut String) {
    match v {
        Value::Null => out.push_str("null"),
        Value::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Value::Number(n) => {
            let _ = write!(out, "{n}");
        }
        Value::String(s) => out.push_str(&Value::String(s.clone()).to_string()),
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                if let Some(item) = map.get(k) {
                    write_canonical(item, out);
                }
            }
            out.push('}');
        }
    }
}

/// One step of the chain: `SHA-256(prev || canonical_bytes(event))`.
pub fn next_hash(prev: &[u8; 32], e: &ChainEvent) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(prev);
    h.update(canonical_bytes(e));
    h.finalize().into()
}

/// Lower-case hex, as hashes are stored.
pub fn to_hex(hash: &[u8; 32]) -> String {
    hex::encode(hash)
}

/// A stored seal: the event at `position` of the chain and the hash up to it, and,
/// when the server holds a sealing key, an HMAC of both (`seal_mac`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seal {
    pub position: i64,
    pub event_id: i64,
    pub hash: String,
    pub mac: Option<String>,
}

/// The HMAC-SHA256, under the sealing key kept outside the database
/// (`JURI_AUDIT_KEY`), of a seal's position and hash. Whoever can write the database
/// but lacks the key can recompute the hashes of a rewritten trail, not these.
pub fn seal_mac(key: &[u8], position: i64, hash_hex: &str) -> String {
    use hmac::{KeyInit, Mac};
    // HMAC takes a key of any length; `new_from_slice` cannot fail for it.
    let Ok(mut mac) = hmac::Hmac::<Sha256>::new_from_slice(key) else {
        return String::new();
    };
    mac.update(b"juri-seal-v1");
    mac.update(&position.to_be_bytes());
    mac.update(hash_hex.as_bytes());
    hex::encode(mac.finalize().into_bytes())
}

/// What is wrong with the chain, at the first place it goes wrong.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Problem {
    /// The event (or its seal) differs from what was sealed.
    Altered { position: i64, event_id: i64 },
    /// The seal names an event that is no longer there.
    Removed { position: i64, event_id: i64 },
    /// The seals do not run 1, 2, 3…: one was removed, duplicated or moved.
    SealOutOfOrder { position: i64, expected: i64 },
    /// An event older than the allowed delay has no seal.
    Unsealed { event_id: i64 },
    /// A publication pinned the chain's head at this position, and the chain there is
    /// now different: the history before that publication was rewritten.
    AnchorMismatch { position: i64, edition_id: String },
    /// The seal's HMAC does not match the sealing key: forged, or another key.
    BadMac { position: i64, event_id: i64 },
    /// A seal without an HMAC where the key's seals had begun (or at the head):
    /// written by someone without the key.
    Unkeyed { position: i64, event_id: i64 },
}

impl Problem {
    /// The event the problem is about.
    pub fn event_id(&self) -> Option<i64> {
        match self {
            Problem::Altered { event_id, .. }
            | Problem::Removed { event_id, .. }
            | Problem::BadMac { event_id, .. }
            | Problem::Unkeyed { event_id, .. }
            | Problem::Unsealed { event_id } => Some(*event_id),
            Problem::SealOutOfOrder { .. } | Problem::AnchorMismatch { .. } => None,
        }
    }

    /// The position in the chain, when there is one.
    pub fn position(&self) -> Option<i64> {
        match self {
            Problem::Altered { position, .. }
            | Problem::Removed { position, .. }
            | Problem::AnchorMismatch { position, .. }
            | Problem::BadMac { position, .. }
            | Problem::Unkeyed { position, .. }
            | Problem::SealOutOfOrder { position, .. } => Some(*position),
            Problem::Unsealed { .. } => None,
        }
    }

    /// What it means, for `juri-text` to word.
    pub fn message(&self) -> Message {
        match self {
            Problem::Altered { position, event_id } => Message::new("audit.problem.altered")
                .with("position", position)
                .with("event_id", event_id),
            Problem::Removed { position, event_id } => Message::new("audit.problem.removed")
                .with("position", position)
                .with("event_id", event_id),
            Problem::SealOutOfOrder { position, expected } => {
                Message::new("audit.problem.out_of_order")
                    .with("position", position)
                    .with("expected", expected)
            }
            Problem::Unsealed { event_id } => {
                Message::new("audit.problem.unsealed").with("event_id", event_id)
            }
            Problem::AnchorMismatch {
                position,
                edition_id,
            } => Message::new("audit.problem.anchor_mismatch")
                .with("position", position)
                .with("edition_id", edition_id),
            Problem::BadMac { position, event_id } => Message::new("audit.problem.bad_mac")
                .with("position", position)
                .with("event_id", event_id),
            Problem::Unkeyed { position, event_id } => Message::new("audit.problem.unkeyed")
                .with("position", position)
                .with("event_id", event_id),
        }
    }
}

/// The walk along the seals in position order, one step at a time so a long chain
/// can be read in pages.
#[derive(Debug, Clone)]
pub struct Walk {
    head: [u8; 32],
    count: i64,
    /// The sealing key, when the verifier holds it.
    key: Option<Vec<u8>>,
    /// A keyed seal was met: every later seal must be keyed too.
    keyed_from: Option<i64>,
}

impl Default for Walk {
    fn default() -> Self {
        Self::new()
    }
}

impl Walk {
    pub fn new() -> Self {
        Walk {
            head: GENESIS,
            count: 0,
            key: None,
            keyed_from: None,
        }
    }

    /// A walk that also checks each seal's HMAC under `key`.
    pub fn keyed(key: &[u8]) -> Self {
        Walk {
            key: Some(key.to_vec()),
            ..Walk::new()
        }
    }

    /// The first position whose seal carried an HMAC (keyed walks only).
    pub fn keyed_from(&self) -> Option<i64> {
        self.keyed_from
    }

    /// Check the next seal against its event (`None`: the event is gone). The hash
    /// carried forward is the recomputed one, so an edited seal shows up too.
    pub fn step(&mut self, seal: &Seal, event: Option<&ChainEvent>) -> Result<(), Problem> {
        let expected = self.count + 1;
        if seal.position != expected {
            return Err(Problem::SealOutOfOrder {
                position: seal.position,
                expected,
            });
        }
        let Some(event) = event.filter(|e| e.id == seal.event_id) else {
            return Err(Problem::Removed {
                position: seal.position,
                event_id: seal.event_id,
            });
        };
        let next = next_hash(&self.head, event);
        if to_hex(&next) != seal.hash {
            return Err(Problem::Altered {
                position: seal.position,
                event_id: seal.event_id,
            });
        }
        if let Some(key) = &self.key {
            match &seal.mac {
                Some(mac) if *mac == seal_mac(key, seal.position, &seal.hash) => {
                    self.keyed_from.get_or_insert(seal.position);
                }
                Some(_) => {
                    return Err(Problem::BadMac {
                        position: seal.position,
                        event_id: seal.event_id,
                    });
                }
                None if self.keyed_from.is_some() => {
                    return Err(Problem::Unkeyed {
                        position: seal.position,
                        event_id: seal.event_id,
                    });
                }
                None => {}
            }
        }
        self.head = next;
        self.count = expected;
        Ok(())
    }

    /// The end of a keyed walk: the newest seal must carry the key (a server holding
    /// it seals everything with it, so an unkeyed head was written without it).
    pub fn finish(&self, last: Option<&Seal>) -> Result<(), Problem> {
        match (&self.key, last) {
            (Some(_), Some(seal)) if seal.mac.is_none() => Err(Problem::Unkeyed {
                position: seal.position,
                event_id: seal.event_id,
            }),
            _ => Ok(()),
        }
    }

    /// How many seals checked out.
    pub fn count(&self) -> i64 {
        self.count
    }

    /// The hash of the last checked seal (`None` before the first).
    pub fn head_hex(&self) -> Option<String> {
        (self.count > 0).then(|| to_hex(&self.head))
    }
}

/// Seal `events` (in the order given) after `prev`, numbering from `first_position`.
pub fn seal(
    prev: [u8; 32],
    first_position: i64,
    events: &[ChainEvent],
    key: Option<&[u8]>,
) -> Vec<Seal> {
    let mut head = prev;
    events
        .iter()
        .zip(first_position..)
        .map(|(e, position)| {
            head = next_hash(&head, e);
            let hash = to_hex(&head);
            Seal {
                position,
                event_id: e.id,
                mac: key.map(|k| seal_mac(k, position, &hash)),
                hash,
            }
        })
        .collect()
}

/// The first unsealed event that should have been sealed by `deadline`.
pub fn first_overdue(
    unsealed: &[(i64, DateTime<Utc>)],
    deadline: DateTime<Utc>,
) -> Option<Problem> {
    unsealed
        .iter()
        .filter(|(_, at)| *at < deadline)
        .min_by_key(|(id, _)| *id)
        .map(|(id, _)| Problem::Unsealed { event_id: *id })
}

/// The whole check in one call: the seals in position order, the events by id.
pub fn verify(seals: &[Seal], events: &[ChainEvent]) -> Result<Walk, Problem> {
    let by_id: std::collections::HashMap<i64, &ChainEvent> =
        events.iter().map(|e| (e.id, e)).collect();
    let mut walk = Walk::new();
    for s in seals {
        walk.step(s, by_id.get(&s.event_id).copied())?;
    }
    Ok(walk)
}

/// Hex back to bytes, for a head read from the database.
pub fn from_hex(s: &str) -> Option<[u8; 32]> {
    hex::decode(s).ok()?.try_into().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;
    use proptest::prelude::*;
    use serde_json::json;

    fn event(id: i64) -> ChainEvent {
        ChainEvent {
            id,
            occurred_at: Utc.timestamp_opt(1_790_000_000 + id, 123_456_789).unwrap(),
            actor_id: Some(Uuid::from_u128(u128::try_from(id).unwrap())),
            action: "sheet.submitted".to_owned(),
            subject_type: "assignment".to_owned(),
            subject_id: Some(format!("a-{id}")),
            before: None,
            after: Some(json!({"scores": [{"criterion_id": "c", "value": id}], "s_je": 7.5})),
        }
    }

    #[test]
    fn canonical_bytes_are_sorted_compact_and_in_microseconds() {
        let text = String::from_utf8(canonical_bytes(&event(1))).unwrap();
        assert_eq!(
            text,
            "{\"action\":\"sheet.submitted\",\"actor_id\":\"00000000-0000-0000-0000-000000000001\",\
             \"after\":{\"s_je\":7.5,\"scores\":[{\"criterion_id\":\"c\",\"value\":1}]},\
             \"before\":null,\"id\":1,\"occurred_at\":\"2026-09-21T14:13:21.123456Z\",\
             \"subject_id\":\"a-1\",\"subject_type\":\"assignment\",\"v\":1}"
        );
    }

    #[test]
    fn key_order_of_the_stored_json_does_not_matter() {
        let mut a = event(1);
        let mut b = event(1);
        a.after = Some(serde_json::from_str(r#"{"x":1,"y":{"b":2,"a":"é"}}"#).unwrap());
        b.after = Some(serde_json::from_str(r#"{"y":{"a":"é","b":2},"x":1}"#).unwrap());
        assert_eq!(canonical_bytes(&a), canonical_bytes(&b));
    }

    #[test]
    fn the_first_hash_starts_from_zeroes_and_is_known() {
        let e = event(1);
        let mut h = Sha256::new();
        h.update([0u8; 32]);
        h.update(canonical_bytes(&e));
        let want: [u8; 32] = h.finalize().into();
        assert_eq!(next_hash(&GENESIS, &e), want);
    }

    #[test]
    fn an_intact_chain_verifies_with_its_head() {
        let events: Vec<ChainEvent> = (1..=5).map(event).collect();
        let seals = seal(GENESIS, 1, &events, None);
        let walk = verify(&seals, &events).unwrap();
        assert_eq!(walk.count(), 5);
        assert_eq!(walk.head_hex().as_deref(), Some(seals[4].hash.as_str()));
        assert_eq!(verify(&[], &[]).unwrap().head_hex(), None);
    }

    #[test]
    fn sealing_in_two_batches_equals_sealing_at_once() {
        let events: Vec<ChainEvent> = (1..=6).map(event).collect();
        let all = seal(GENESIS, 1, &events, None);
        let first = seal(GENESIS, 1, &events[..2], None);
        let head = from_hex(&first[1].hash).unwrap();
        let rest = seal(head, 3, &events[2..], None);
        assert_eq!(all, [first, rest].concat());
    }

    #[test]
    fn commit_order_may_differ_from_id_order() {
        let events = vec![event(2), event(1), event(3)];
        let seals = seal(GENESIS, 1, &events, None);
        assert!(verify(&seals, &events).is_ok());
    }

    #[test]
    fn a_missing_or_repeated_seal_is_out_of_order() {
        let events: Vec<ChainEvent> = (1..=4).map(event).collect();
        let mut seals = seal(GENESIS, 1, &events, None);
        seals.remove(1);
        assert_eq!(
            verify(&seals, &events).unwrap_err(),
            Problem::SealOutOfOrder {
                position: 3,
                expected: 2
            }
        );
    }

    #[test]
    fn an_edited_seal_hash_is_found() {
        let events: Vec<ChainEvent> = (1..=3).map(event).collect();
        let mut seals = seal(GENESIS, 1, &events, None);
        seals[1].hash = to_hex(&[7; 32]);
        assert_eq!(
            verify(&seals, &events).unwrap_err(),
            Problem::Altered {
                position: 2,
                event_id: 2
            }
        );
    }

    #[test]
    fn only_overdue_unsealed_events_are_a_problem() {
        let t = Utc.timestamp_opt(1_790_000_000, 0).unwrap();
        let unsealed = [(9, t), (4, t + chrono::Duration::seconds(100))];
        assert_eq!(first_overdue(&unsealed, t), None);
        assert_eq!(
            first_overdue(&unsealed, t + chrono::Duration::seconds(1)),
            Some(Problem::Unsealed { event_id: 9 })
        );
        assert_eq!(
            first_overdue(&unsealed, t + chrono::Duration::seconds(101)),
            Some(Problem::Unsealed { event_id: 4 })
        );
    }

    /// Change one field of an event.
    fn alter(e: &mut ChainEvent, field: usize) {
        match field {
            0 => e.occurred_at += chrono::Duration::microseconds(1),
            1 => e.actor_id = None,
            2 => e.action.push('x'),
            3 => e.subject_type.push('x'),
            4 => e.subject_id = Some("other".to_owned()),
            5 => e.before = Some(json!({"was": null})),
            6 => e.after = Some(json!({"scores": [], "s_je": 7.5})),
            _ => {
                if let Some(Value::Object(m)) = e.after.as_mut() {
                    m.insert("s_je".to_owned(), json!(7.6));
                }
            }
        }
    }

    proptest! {
        #[test]
        fn altering_any_field_of_any_event_is_found_there(
            n in 1usize..30, pick in 0usize..30, field in 0usize..8
        ) {
            let mut events: Vec<ChainEvent> = (1..=i64::try_from(n).unwrap()).map(event).collect();
            let seals = seal(GENESIS, 1, &events, None);
            let at = pick % n;
            alter(&mut events[at], field);
            let pos = i64::try_from(at).unwrap() + 1;
            prop_assert_eq!(
                verify(&seals, &events).unwrap_err(),
                Problem::Altered { position: pos, event_id: pos }
            );
        }

        #[test]
        fn removing_any_event_is_found_there(n in 1usize..30, pick in 0usize..30) {
            let mut events: Vec<ChainEvent> = (1..=i64::try_from(n).unwrap()).map(event).collect();
            let seals = seal(GENESIS, 1, &events, None);
            let at = pick % n;
            events.remove(at);
            let pos = i64::try_from(at).unwrap() + 1;
            prop_assert_eq!(
                verify(&seals, &events).unwrap_err(),
                Problem::Removed { position: pos, event_id: pos }
            );
        }
    }

    #[test]
    fn a_keyed_chain_refuses_forged_and_unkeyed_seals() {
        let events: Vec<ChainEvent> = (1..=4).map(event).collect();
        let key = b"kunci penyegelan di luar basis data";
        let seals = seal(GENESIS, 1, &events, Some(key));
        assert!(seals.iter().all(|s| s.mac.is_some()));
        let mut walk = Walk::keyed(key);
        for (s, e) in seals.iter().zip(&events) {
            walk.step(s, Some(e)).expect("keyed seals check out");
        }
        assert_eq!(walk.finish(seals.last()), Ok(()));
        assert_eq!(walk.keyed_from(), Some(1));
        // Without the key, the same hashes recomputed carry no (or a wrong) HMAC.
        let rewritten = seal(GENESIS, 1, &events, None);
        let mut walk = Walk::keyed(key);
        for (s, e) in rewritten.iter().zip(&events) {
            walk.step(s, Some(e))
                .expect("unkeyed seals alone pass the steps");
        }
        assert_eq!(
            walk.finish(rewritten.last()),
            Err(Problem::Unkeyed {
                position: 4,
                event_id: 4
            })
        );
        let forged = seal(GENESIS, 1, &events, Some(b"another key"));
        let mut walk = Walk::keyed(key);
        assert_eq!(
            walk.step(&forged[0], Some(&events[0])),
            Err(Problem::BadMac {
                position: 1,
                event_id: 1
            })
        );
        // A key that began mid-chain: unkeyed seals before it are accepted, not after.
        let mut mixed = seal(GENESIS, 1, &events[..2], None);
        let prev = from_hex(&mixed[1].hash).expect("hex");
        mixed.extend(seal(prev, 3, &events[2..], Some(key)));
        let mut walk = Walk::keyed(key);
        for (s, e) in mixed.iter().zip(&events) {
            walk.step(s, Some(e)).expect("unkeyed before the key");
        }
        assert_eq!(walk.keyed_from(), Some(3));
        mixed[3].mac = None;
        let mut walk = Walk::keyed(key);
        let last = mixed
            .iter()
            .zip(&events)
            .map(|(s, e)| walk.step(s, Some(e)))
            .last();
        assert_eq!(
            last,
            Some(Err(Problem::Unkeyed {
                position: 4,
                event_id: 4
            }))
        );
        // An unkeyed walk ignores HMACs.
        let mut walk = Walk::new();
        walk.step(&forged[0], Some(&events[0]))
            .expect("not checked");
    }
}
