//! Reads who signed in from a JWT's payload, for display only (nothing is verified: the token
//! came straight from the authority over TLS and is only ever sent back to Microsoft).

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::{Map, Value};

/// The payload claims of a JWT, or `None` if it is not one (opaque tokens are allowed).
pub fn claims(token: &str) -> Option<Map<String, Value>> {
    let payload = token.split('.').nth(1)?;
    // Some issuers pad; the URL-safe alphabet is the JWT one.
    let bytes = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    match serde_json::from_slice(&bytes).ok()? {
        Value::Object(map) => Some(map),
        _ => None,
    }
}

/// Claims that name the user, best first (id_token uses `preferred_username`, v1 access
/// tokens `upn` or `unique_name`).
const USER_CLAIMS: [&str; 4] = ["preferred_username", "upn", "unique_name", "email"];

/// The signed-in user's name (UPN) from the first token that carries one.
pub fn user_name<'a>(tokens: impl IntoIterator<Item = &'a str>) -> Option<String> {
    tokens.into_iter().filter_map(claims).find_map(|c| {
        USER_CLAIMS
            .iter()
            .find_map(|k| {
                c.get(*k)
                    .and_then(Value::as_str)
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
            })
            .map(crate::text::one_line)
    })
}

/// The display name (`name` claim), if any.
pub fn display_name<'a>(tokens: impl IntoIterator<Item = &'a str>) -> Option<String> {
    tokens
        .into_iter()
        .filter_map(claims)
        .find_map(|c| c.get("name").and_then(Value::as_str).map(crate::text::one_line))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt(payload: &str) -> String {
        format!(
            "{}.{}.",
            URL_SAFE_NO_PAD.encode(r#"{"alg":"none"}"#),
            URL_SAFE_NO_PAD.encode(payload)
        )
    }

    #[test]
    fn reads_preferred_username_before_upn() {
        let t = jwt(r#"{"upn":"b@x.example","preferred_username":"a@x.example","name":"Alice"}"#);
        assert_eq!(user_name([t.as_str()]).as_deref(), Some("a@x.example"));
        assert_eq!(display_name([t.as_str()]).as_deref(), Some("Alice"));
    }

    #[test]
    fn falls_back_to_the_next_token_and_to_unique_name() {
        let id = jwt(r#"{"name":"No Upn"}"#);
        let access = jwt(r#"{"unique_name":"c@x.example"}"#);
        assert_eq!(
            user_name([id.as_str(), access.as_str()]).as_deref(),
            Some("c@x.example")
        );
    }

    #[test]
    fn opaque_or_broken_tokens_name_nobody() {
        assert_eq!(user_name(["sandbox-at-123", "a.!!!.c", ""]), None);
        assert!(claims(&jwt("[1,2]")).is_none());
    }
}
