//! OAuth token and error answers as the authority sends them, and the tokens we keep in memory.

use std::fmt;
use std::time::Duration;

use serde::Deserialize;
use time::OffsetDateTime;

/// Tokens from one successful token answer. Lives in memory only; `Debug` redacts.
#[derive(Clone, PartialEq, Eq)]
pub struct TokenSet {
    /// The bearer token for Partner Center.
    pub access_token: String,
    /// The refresh token (kept in the keyring), when the authority sent one.
    pub refresh_token: Option<String>,
    /// The OpenID Connect id token, when `openid` was in the scope.
    pub id_token: Option<String>,
    /// When `access_token` stops working.
    pub expires_at: OffsetDateTime,
    /// The scopes granted.
    pub scope: Option<String>,
}

impl fmt::Debug for TokenSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("TokenSet")
            .field("access_token", &"<redacted>")
            .field(
                "refresh_token",
                &self.refresh_token.as_ref().map(|_| "<redacted>"),
            )
            .field("id_token", &self.id_token.as_ref().map(|_| "<redacted>"))
            .field("expires_at", &self.expires_at)
            .field("scope", &self.scope)
            .finish()
    }
}

impl TokenSet {
    /// The signed-in user (UPN) from the id token, else the access token's claims.
    pub fn user(&self) -> Option<String> {
        super::jwt::user_name(
            self.id_token
                .iter()
                .map(String::as_str)
                .chain([self.access_token.as_str()]),
        )
    }

    /// The user's display name, if a token carries one.
    pub fn display_name(&self) -> Option<String> {
        super::jwt::display_name(
            self.id_token
                .iter()
                .map(String::as_str)
                .chain([self.access_token.as_str()]),
        )
    }

    /// True when the access token expires within `margin` of `now`.
    pub fn expires_within(&self, now: OffsetDateTime, margin: Duration) -> bool {
        self.expires_at - margin <= now
    }
}

/// A number the authority may send as a JSON number or a string (`"expires_in":"3600"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LenientU64(pub u64);

impl<'de> Deserialize<'de> for LenientU64 {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            N(u64),
            F(f64),
            S(String),
        }
        match Raw::deserialize(d)? {
            Raw::N(n) => Ok(LenientU64(n)),
            Raw::F(f) if f >= 0.0 => Ok(LenientU64(f as u64)),
            Raw::S(s) => s.trim().parse().map(LenientU64).map_err(serde::de::Error::custom),
            Raw::F(_) => Err(serde::de::Error::custom("negative number")),
        }
    }
}

/// A successful token answer (RFC 6749 5.1 plus Microsoft's id_token).
#[derive(Deserialize)]
pub struct TokenAnswer {
    /// The bearer token.
    pub access_token: String,
    /// Always `Bearer` from Microsoft.
    #[serde(default)]
    pub token_type: Option<String>,
    /// Lifetime in seconds.
    #[serde(default)]
    pub expires_in: Option<LenientU64>,
    /// Rotated or first refresh token.
    #[serde(default)]
    pub refresh_token: Option<String>,
    /// OpenID Connect id token.
    #[serde(default)]
    pub id_token: Option<String>,
    /// Granted scopes.
    #[serde(default)]
    pub scope: Option<String>,
}

/// Used when an answer names no lifetime: short enough to refresh early rather than late.
const DEFAULT_LIFETIME: Duration = Duration::from_secs(300);

impl TokenAnswer {
    /// The tokens, with the expiry counted from `now` (the moment the answer arrived).
    pub fn into_token_set(self, now: OffsetDateTime) -> TokenSet {
        let lifetime = self
            .expires_in
            .map(|n| Duration::from_secs(n.0))
            .unwrap_or(DEFAULT_LIFETIME);
        TokenSet {
            access_token: self.access_token,
            refresh_token: self.refresh_token.filter(|t| !t.is_empty()),
            id_token: self.id_token.filter(|t| !t.is_empty()),
            expires_at: now + lifetime,
            scope: self.scope,
        }
    }
}

/// The device authorization answer (RFC 8628 3.2, Microsoft's field names).
#[derive(Deserialize)]
pub struct DeviceCodeAnswer {
    /// The secret code we poll with.
    pub device_code: String,
    /// What the user types on the verification page.
    pub user_code: String,
    /// The page (v2 says `verification_uri`; v1 said `verification_url`).
    #[serde(alias = "verification_url")]
    pub verification_uri: String,
    /// Seconds until the codes expire.
    pub expires_in: LenientU64,
    /// Seconds between polls.
    #[serde(default)]
    pub interval: Option<LenientU64>,
    /// A ready-made instruction in the user's language.
    #[serde(default)]
    pub message: Option<String>,
}

/// An OAuth error answer: `{"error": "...", "error_description": "..."}`.
#[derive(Debug, Clone, Deserialize, PartialEq, Eq)]
pub struct OAuthErrorAnswer {
    /// The error code, e.g. `authorization_pending`.
    pub error: String,
    /// Human text; Microsoft's starts with an AADSTS code and ends with trace ids.
    #[serde(default)]
    pub error_description: Option<String>,
}

impl OAuthErrorAnswer {
    /// The first line of the description, made safe to print.
    pub fn short_description(&self) -> Option<String> {
        let d = self.error_description.as_deref()?;
        let first = d.lines().map(str::trim).find(|l| !l.is_empty())?;
        let mut text = crate::text::one_line(first);
        if text.chars().count() > 300 {
            text = text.chars().take(300).collect::<String>() + "…";
        }
        Some(text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_may_come_as_strings() {
        let a: TokenAnswer = serde_json::from_str(
            r#"{"token_type":"Bearer","expires_in":"3600","ext_expires_in":"3600","access_token":"a","refresh_token":"r"}"#,
        )
        .unwrap();
        let now = OffsetDateTime::UNIX_EPOCH;
        let set = a.into_token_set(now);
        assert_eq!(set.expires_at, now + Duration::from_secs(3600));
        let d: DeviceCodeAnswer = serde_json::from_str(
            r#"{"device_code":"d","user_code":"U","verification_url":"https://x","expires_in":900,"interval":"5"}"#,
        )
        .unwrap();
        assert_eq!(d.interval, Some(LenientU64(5)));
        assert_eq!(d.verification_uri, "https://x");
    }

    #[test]
    fn debug_never_shows_tokens() {
        let set = TokenSet {
            access_token: "secret-access-value".into(),
            refresh_token: Some("secret-refresh-value".into()),
            id_token: Some("secret-id-value".into()),
            expires_at: OffsetDateTime::UNIX_EPOCH,
            scope: None,
        };
        let shown = format!("{set:?} {set:#?}");
        assert!(!shown.contains("secret-"), "{shown}");
        assert!(shown.contains("<redacted>"));
    }

    #[test]
    fn error_description_keeps_its_first_line_only() {
        let e: OAuthErrorAnswer = serde_json::from_str(
            r#"{"error":"invalid_grant","error_description":"AADSTS70000: The grant was revoked.\r\nTrace ID: 1\r\n"}"#,
        )
        .unwrap();
        assert_eq!(
            e.short_description().as_deref(),
            Some("AADSTS70000: The grant was revoked.")
        );
    }
}
