//! The rules an access token's claims must meet (RFC 8725). The web layer checks the
//! signature, the pinned algorithm, `typ` and `kid`; this module decides whether the
//! claims themselves make a token valid at a given moment, so every edge (expiry,
//! not-before, issuer, audience, lifetime, token version) is tested without a server.

use crate::ids::UserId;
use crate::user::Role;
use serde::{Deserialize, Serialize};

/// Access tokens live 15 minutes.
pub const ACCESS_TOKEN_SECONDS: i64 = 15 * 60;
/// Clock skew tolerated between servers, in seconds.
pub const LEEWAY_SECONDS: i64 = 5;

/// The claims of a Juri access token. Every field is required: a token missing one
/// does not deserialise and is refused.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccessClaims {
    pub sub: UserId,
    pub role: Role,
    pub iat: i64,
    pub nbf: i64,
    pub exp: i64,
    pub iss: String,
    pub aud: String,
    pub jti: String,
    /// The user's token version when the token was issued; bumped by logout, password
    /// change and disabling, which revokes every older token at once.
    pub ver: i64,
}

/// What the server expects of every token it accepts.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClaimRules {
    pub issuer: String,
    pub audience: String,
    pub leeway: i64,
    pub max_lifetime: i64,
}

/// Why a token's claims were refused. All of them are a plain 401 to the client; the
/// reason is for logs and tests.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rejection {
    Expired,
    NotYetValid,
    IssuedInFuture,
    WrongIssuer,
    WrongAudience,
    LifetimeTooLong,
    Revoked,
}

impl AccessClaims {
    /// New claims for `user`, valid from `now` for [`ACCESS_TOKEN_SECONDS`].
    pub fn issue(
        rules: &ClaimRules,
        user: UserId,
        role: Role,
        ver: i64,
        now: i64,
        jti: String,
    ) -> Self {
        Self {
            sub: user,
            role,
            iat: now,
            nbf: now,
            exp: now + ACCESS_TOKEN_SECONDS,
            iss: rules.issuer.clone(),
            aud: rules.audience.clone(),
            jti,
            ver,
        }
    }

    /// Are these claims acceptable at `now` (seconds since the epoch)?
    pub fn validate(&self, rules: &ClaimRules, now: i64) -> Result<(), Rejection> {
        if self.iss != rules.issuer {
            return Err(Rejection::WrongIssuer);
        }
        if self.aud != rules.audience {
            return Err(Rejection::WrongAudience);
        }
        if now >= self.exp + rules.leeway {
            return Err(Rejection::Expired);
        }
        if self.nbf > now + rules.leeway {
            return Err(Rejection::NotYetValid);
        }
        if self.iat > now + rules.leeway {
            return Err(Rejection::IssuedInFuture);
        }
        if self.exp - self.iat > rules.max_lifetime {
            return Err(Rejection::LifetimeTooLong);
        }
        Ok(())
    }

    /// Is the token as new as the user's current token version?
    pub fn check_version(&self, current_version: i64) -> Result<(), Rejection> {
        if self.ver == current_version {
            Ok(())
        } else {
            Err(Rejection::Revoked)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> ClaimRules {
        ClaimRules {
            issuer: "juri".into(),
            audience: "juri-api".into(),
            leeway: LEEWAY_SECONDS,
            max_lifetime: ACCESS_TOKEN_SECONDS,
        }
    }

    const T0: i64 = 1_900_000_000;

    fn claims() -> AccessClaims {
        AccessClaims::issue(&rules(), UserId::new(), Role::Judge, 3, T0, "j1".into())
    }

    #[test]
    fn a_fresh_token_is_valid_for_fifteen_minutes() {
        let c = claims();
        assert_eq!(c.exp - c.iat, 900);
        assert_eq!(c.validate(&rules(), T0), Ok(()));
        assert_eq!(c.validate(&rules(), T0 + 899), Ok(()));
    }

    #[test]
    fn expiry_allows_only_the_small_leeway() {
        let c = claims();
        assert_eq!(c.validate(&rules(), c.exp + LEEWAY_SECONDS - 1), Ok(()));
        assert_eq!(
            c.validate(&rules(), c.exp + LEEWAY_SECONDS),
            Err(Rejection::Expired)
        );
        assert_eq!(c.validate(&rules(), c.exp + 3600), Err(Rejection::Expired));
    }

    #[test]
    fn not_before_in_the_future_is_refused() {
        let mut c = claims();
        c.nbf = T0 + 60;
        assert_eq!(c.validate(&rules(), T0), Err(Rejection::NotYetValid));
        c.nbf = T0 + LEEWAY_SECONDS;
        assert_eq!(c.validate(&rules(), T0), Ok(()));
    }

    #[test]
    fn issued_in_the_future_is_refused() {
        let mut c = claims();
        c.iat = T0 + 60;
        assert_eq!(c.validate(&rules(), T0), Err(Rejection::IssuedInFuture));
    }

    #[test]
    fn issuer_and_audience_must_match_exactly() {
        let mut c = claims();
        c.iss = "someone-else".into();
        assert_eq!(c.validate(&rules(), T0), Err(Rejection::WrongIssuer));
        let mut c = claims();
        c.aud = "juri-api-other".into();
        assert_eq!(c.validate(&rules(), T0), Err(Rejection::WrongAudience));
    }

    #[test]
    fn a_token_minted_with_a_long_life_is_refused() {
        let mut c = claims();
        c.exp = c.iat + 30 * 24 * 3600;
        assert_eq!(c.validate(&rules(), T0), Err(Rejection::LifetimeTooLong));
    }

    #[test]
    fn older_token_versions_are_revoked() {
        let c = claims();
        assert_eq!(c.check_version(3), Ok(()));
        assert_eq!(c.check_version(4), Err(Rejection::Revoked));
    }
}
