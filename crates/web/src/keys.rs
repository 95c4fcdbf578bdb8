//! Signing and verifying access tokens (RFC 8725): HS256 pinned, `typ` checked, the
//! key chosen by `kid` from a fixed keyring (old keys still verify after a rotation,
//! an unknown `kid` is refused), `jku`/`jwk`/`x5u` never honoured. The claims rules
//! themselves are `juri_domain::token`.

use jsonwebtoken::{
    Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, decode_header,
};
use juri_domain::token::{AccessClaims, ClaimRules, Rejection};
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};
use std::collections::HashMap;
use std::fmt;

/// The media type of our access tokens (RFC 9068), so no other JWT passes for one.
pub const ACCESS_TOKEN_TYP: &str = "at+jwt";

struct Key {
    encoding: EncodingKey,
    decoding: DecodingKey,
}

/// The signing key and every key that still verifies.
pub struct Keyring {
    current: String,
    keys: HashMap<String, Key>,
}

impl fmt::Debug for Keyring {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut kids: Vec<&String> = self.keys.keys().collect();
        kids.sort();
        f.debug_struct("Keyring")
            .field("current", &self.current)
            .field("kids", &kids)
            .finish()
    }
}

/// Why a token was refused. The client only ever sees 401.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenError {
    Malformed,
    WrongAlgorithm,
    WrongType,
    UnknownKey,
    ForbiddenHeader,
    BadSignature,
    Claims(Rejection),
}

/// A key id derived from the secret: stable across restarts, reveals nothing.
pub fn kid_for(secret: &SecretString) -> String {
    let digest = Sha256::digest(secret.expose_secret().as_bytes());
    hex::encode(&digest[..8])
}

impl Keyring {
    /// `current` signs; `previous` only verify (for rotation).
    pub fn new(current: &SecretString, previous: &[SecretString]) -> Result<Self, String> {
        let mut keys = HashMap::new();
        for secret in std::iter::once(current).chain(previous) {
            if secret.expose_secret().len() < 32 {
                return Err("a JWT secret must be at least 32 characters".to_owned());
            }
            let bytes = secret.expose_secret().as_bytes();
            keys.insert(
                kid_for(secret),
                Key {
                    encoding: EncodingKey::from_secret(bytes).map_err(|e| e.to_string())?,
                    decoding: DecodingKey::from_secret(bytes).map_err(|e| e.to_string())?,
                },
            );
        }
        Ok(Keyring {
            current: kid_for(current),
            keys,
        })
    }

    pub fn current_kid(&self) -> &str {
        &self.current
    }

    pub fn sign(&self, claims: &AccessClaims) -> Result<String, String> {
        let key = self
            .keys
            .get(&self.current)
            .ok_or_else(|| "signing key missing".to_owned())?;
        let mut header = Header::new(Algorithm::HS256);
        header.typ = Some(ACCESS_TOKEN_TYP.to_owned());
        header.kid = Some(self.current.clone());
        jsonwebtoken::encode(&header, claims, &key.encoding).map_err(|e| e.to_string())
    }

    /// Verify the signature and header, then the claims against `rules` at `now`.
    pub fn verify(
        &self,
        token: &str,
        rules: &ClaimRules,
        now: i64,
    ) -> Result<AccessClaims, TokenError> {
        // An unknown `alg` (including "none") does not even parse as a header.
        let header = decode_header(token).map_err(|_| TokenError::Malformed)?;
        if header.alg != Algorithm::HS256 {
            return Err(TokenError::WrongAlgorithm);
        }
        if header.typ.as_deref() != Some(ACCESS_TOKEN_TYP) {
            return Err(TokenError::WrongType);
        }
        if header.jku.is_some() || header.jwk.is_some() || header.x5u.is_some() {
            return Err(TokenError::ForbiddenHeader);
        }
        let key = header
            .kid
            .as_deref()
            .and_then(|kid| self.keys.get(kid))
            .ok_or(TokenError::UnknownKey)?;
        let mut validation = Validation::new(Algorithm::HS256);
        // Time, issuer and audience are checked by the domain rules against our clock;
        // presence of every claim is enforced by `AccessClaims` having no optional field.
        validation.validate_exp = false;
        validation.validate_nbf = false;
        validation.validate_aud = false;
        validation.required_spec_claims.clear();
        let data =
            decode::<AccessClaims>(token, &key.decoding, &validation).map_err(|e| {
                match e.kind() {
                    jsonwebtoken::errors::ErrorKind::InvalidSignature => TokenError::BadSignature,
                    _ => TokenError::Malformed,
                }
            })?;
        data.claims
            .validate(rules, now)
            .map_err(TokenError::Claims)?;
        Ok(data.claims)
    }
}

/// A new opaque token (refresh, invitation): 256 random bits, base64url.
pub fn random_token() -> String {
    use base64::Engine;
    let mut bytes = [0u8; 32];
    rand::fill(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// What we store of an opaque token: its SHA-256, hex.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use juri_domain::ids::UserId;
    use juri_domain::user::Role;

    fn rules() -> ClaimRules {
        ClaimRules {
            issuer: "juri".into(),
            audience: "juri-api".into(),
            leeway: 5,
            max_lifetime: 900,
        }
    }

    fn secret(s: &str) -> SecretString {
        SecretString::from(s.repeat(4))
    }

    #[test]
    fn a_signed_token_verifies_and_a_rotated_key_still_does() {
        let old = Keyring::new(&secret("old-secret-0123456789"), &[]).expect("keyring");
        let now = 1_900_000_000;
        let claims = AccessClaims::issue(&rules(), UserId::new(), Role::Judge, 0, now, "j".into());
        let token = old.sign(&claims).expect("signs");
        assert_eq!(old.verify(&token, &rules(), now), Ok(claims.clone()));
        let rotated = Keyring::new(
            &secret("new-secret-0123456789"),
            &[secret("old-secret-0123456789")],
        )
        .expect("keyring");
        assert_eq!(rotated.verify(&token, &rules(), now), Ok(claims));
        let forgotten = Keyring::new(&secret("new-secret-0123456789"), &[]).expect("keyring");
        assert_eq!(
            forgotten.verify(&token, &rules(), now),
            Err(TokenError::UnknownKey)
        );
    }

    #[test]
    fn short_secrets_are_refused() {
        assert!(Keyring::new(&SecretString::from("short"), &[]).is_err());
    }

    #[test]
    fn opaque_tokens_are_256_bits_and_hashed() {
        let t = random_token();
        assert_eq!(t.len(), 43);
        assert_ne!(t, random_token());
        assert_eq!(token_hash(&t).len(), 64);
        assert_eq!(token_hash(&t), token_hash(&t));
    }
}
