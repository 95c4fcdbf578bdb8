//! JSON bodies: malformed JSON or a wrong type is 400; a well-formed body with an
//! unknown field (no mass assignment), a missing field or a value out of its set is
//! 422 naming the field; a wrong content type is 415; too large is 413.

use crate::error::ApiError;
use axum::extract::{FromRequest, Request};
use axum::http::{StatusCode, header};
use bytes::Bytes;
use juri_domain::{FieldError, Message};
use serde::de::DeserializeOwned;

#[derive(Debug, Clone, Copy, Default)]
pub struct ApiJson<T>(pub T);

fn is_json(req: &Request) -> bool {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|m| {
            let m = m.trim().to_ascii_lowercase();
            m == "application/json" || (m.starts_with("application/") && m.ends_with("+json"))
        })
        .unwrap_or(false)
}

/// The name inside the first pair of backticks of a serde message.
fn quoted(msg: &str) -> Option<&str> {
    let start = msg.find('`')? + 1;
    let len = msg[start..].find('`')?;
    Some(&msg[start..start + len])
}

fn field_path(path: &str, msg: &str) -> String {
    let base = if path == "." { "" } else { path };
    // serde_path_to_error's path already ends at an unknown field, but stops at the
    // parent of a missing one.
    if msg.starts_with("missing field")
        && let Some(name) = quoted(msg)
    {
        return if base.is_empty() {
            name.to_owned()
        } else {
            format!("{base}.{name}")
        };
    }
    if base.is_empty() {
        "body".to_owned()
    } else {
        base.to_owned()
    }
}

/// For PATCH bodies: an absent field leaves a value (`None`), `null` clears it
/// (`Some(None)`). Use with `#[serde(default, deserialize_with = "nullable")]`.
pub fn nullable<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    <Option<T> as serde::Deserialize>::deserialize(d).map(Some)
}

/// Parse `bytes` as `T`, classifying failures as described above.
///
/// A whole number written with a decimal point (`2026.0`) is an integer in JSON
/// Schema, so a field the document calls `integer` takes it: when the direct parse
/// meets such a float, the body is read again with every integral float made an
/// integer (a float field takes the integer just the same).
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, ApiError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let result: Result<T, _> = serde_path_to_error::deserialize(&mut de);
    let err = match result {
        Ok(v) => {
            return de
                .end()
                .map(|()| v)
                .map_err(|_| ApiError::bad_request(Message::new("problem.json_trailing")));
        }
        Err(e) => e,
    };
    if err
        .inner()
        .to_string()
        .starts_with("invalid type: floating point")
        && let Ok(mut value) = serde_json::from_slice::<serde_json::Value>(bytes)
    {
        integral_floats_as_integers(&mut value);
        return serde_path_to_error::deserialize(value).map_err(classify);
    }
    Err(classify(err))
}

/// `2026.0` → `2026`, everywhere in `v`; other numbers stay as they are.
fn integral_floats_as_integers(v: &mut serde_json::Value) {
    use serde_json::Value;
    match v {
        Value::Number(n) if n.is_f64() => {
            // Within ±2^53 every whole float is exact, and the cast keeps it.
            if let Some(f) = n.as_f64()
                && f.fract() == 0.0
                && f.abs() <= 9_007_199_254_740_992.0
            {
                *v = Value::from(f as i64);
            }
        }
        Value::Array(items) => items.iter_mut().for_each(integral_floats_as_integers),
        Value::Object(map) => map.values_mut().for_each(integral_floats_as_integers),
        _ => {}
    }
}

/// A serde failure as the problem it is: 400 for a wrong type, 422 naming the field
/// for an unknown, missing or out-of-set value.
fn classify(err: serde_path_to_error::Error<serde_json::Error>) -> ApiError {
    let path = err.path().to_string();
    let inner = err.into_inner();
    let msg = inner.to_string();
    let msg_short = msg.split(" at line ").next().unwrap_or(&msg).to_owned();
    match inner.classify() {
        serde_json::error::Category::Data if !msg.starts_with("invalid type") => {
            let field = field_path(&path, &msg);
            ApiError::Domain(juri_domain::Error::Invalid(vec![FieldError::new(
                field,
                if msg.starts_with("unknown field") {
                    "unknown_field"
                } else if msg.starts_with("missing field") {
                    "required"
                } else {
                    "invalid_value"
                },
                Message::new("field.json.invalid_value").with("detail", msg_short),
            )]))
        }
        serde_json::error::Category::Data => ApiError::BadRequest {
            detail: Message::new("problem.wrong_type").with("detail", &msg_short),
            errors: vec![FieldError::new(
                field_path(&path, &msg),
                "wrong_type",
                Message::new("field.json.wrong_type").with("detail", msg_short),
            )],
        },
        _ => ApiError::bad_request(Message::new("problem.malformed_json").with("detail", msg)),
    }
}

impl<S, T> FromRequest<S> for ApiJson<T>
where
    S: Send + Sync,
    T: DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(&req) {
            return Err(ApiError::UnsupportedMediaType(Message::new(
                "problem.json_only",
            )));
        }
        let bytes = Bytes::from_request(req, state).await.map_err(|rej| {
            if rej.status() == StatusCode::PAYLOAD_TOO_LARGE {
                ApiError::PayloadTooLarge
            } else {
                ApiError::bad_request(
                    Message::new("problem.unreadable_body").with("detail", rej.body_text()),
                )
            }
        })?;
        parse(&bytes).map(ApiJson)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use juri_domain::Error;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    #[expect(dead_code, reason = "fields are read by serde in these tests only")]
    struct Body {
        email: String,
        count: u32,
        kind: Kind,
    }

    #[derive(Debug, Deserialize)]
    #[serde(rename_all = "snake_case")]
    enum Kind {
        Opd,
    }

    fn status_and_field(json: &str) -> (u16, Option<String>) {
        match parse::<Body>(json.as_bytes()) {
            Ok(_) => (200, None),
            Err(ApiError::BadRequest { errors, .. }) => {
                (400, errors.first().map(|e| e.field.clone()))
            }
            Err(ApiError::Domain(Error::Invalid(errors))) => {
                (422, errors.first().map(|e| e.field.clone()))
            }
            Err(other) => panic!("unexpected {other:?}"),
        }
    }

    #[test]
    fn classification() {
        assert_eq!(
            status_and_field(r#"{"email":"a","count":1,"kind":"opd"}"#).0,
            200
        );
        assert_eq!(status_and_field(r#"{"email":"a","#), (400, None));
        assert_eq!(
            status_and_field(r#"{"email":"a","count":1,"kind":"opd"} x"#),
            (400, None)
        );
        assert_eq!(
            status_and_field(r#"{"email":"a","count":"one","kind":"opd"}"#),
            (400, Some("count".into()))
        );
        assert_eq!(
            status_and_field(r#"{"email":"a","count":1,"kind":"opd","role":"organiser"}"#),
            (422, Some("role".into()))
        );
        assert_eq!(
            status_and_field(r#"{"count":1,"kind":"opd"}"#),
            (422, Some("email".into()))
        );
        assert_eq!(
            status_and_field(r#"{"email":"a","count":1,"kind":"alien"}"#),
            (422, Some("kind".into()))
        );
    }

    /// JSON Schema calls `3.0` an integer; a fraction stays a wrong type, and the
    /// second reading still names an unknown field.
    #[test]
    fn an_integral_float_is_an_integer() {
        assert_eq!(
            status_and_field(r#"{"email":"a","count":3.0,"kind":"opd"}"#).0,
            200
        );
        assert_eq!(
            status_and_field(r#"{"email":"a","count":3.5,"kind":"opd"}"#),
            (400, Some("count".into()))
        );
        // Read as the integer it is: out of range, as `-3` would be.
        assert_eq!(
            status_and_field(r#"{"email":"a","count":-3.0,"kind":"opd"}"#),
            status_and_field(r#"{"email":"a","count":-3,"kind":"opd"}"#),
        );
        assert_eq!(
            status_and_field(r#"{"email":"a","count":3.0,"kind":"opd","x":1}"#),
            (422, Some("x".into()))
        );
        assert_eq!(
            status_and_field(r#"{"email":"a","count":1e300,"kind":"opd"}"#),
            (400, Some("count".into()))
        );
    }
}
