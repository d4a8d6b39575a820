//! Lenient JSON reading shared by the client and the sandbox.
//!
//! The service answers camelCase, the SDK sends PascalCase, and the old PowerShell module saw a
//! UTF-8 BOM before some bodies. Keys are folded to snake_case before typed decoding so
//! `supportTopicId`, `SupportTopicId` and `support_topic_id` land in the same field; the models
//! deserialize with `rename_all = "snake_case"`.

use serde::de::DeserializeOwned;
use serde_json::{Map, Value};

/// Why a body could not be read as the expected resource.
#[derive(Debug, thiserror::Error)]
pub enum WireError {
    /// The body is not JSON at all.
    #[error("the body is not valid JSON: {0}")]
    Syntax(serde_json::Error),
    /// JSON, but not the resource we expected.
    #[error("unexpected JSON shape: {0}")]
    Shape(serde_json::Error),
}

/// Drops a leading UTF-8 BOM and surrounding whitespace.
pub fn trim_body(bytes: &[u8]) -> &[u8] {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = bytes
        .iter()
        .position(|b| !b.is_ascii_whitespace())
        .unwrap_or(bytes.len());
    let end = bytes
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(start, |i| i + 1);
    &bytes[start..end.max(start)]
}

/// Parses bytes into a JSON value with every object key folded to snake_case.
pub fn parse_value(bytes: &[u8]) -> Result<Value, WireError> {
    let value: Value = serde_json::from_slice(trim_body(bytes)).map_err(WireError::Syntax)?;
    Ok(fold_keys(value))
}

/// Parses bytes into `T`, accepting any key case, a BOM and unknown fields.
pub fn parse<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, WireError> {
    from_value(parse_value(bytes)?)
}

/// Decodes an already-folded value (see [`parse_value`]).
pub fn from_value<T: DeserializeOwned>(value: Value) -> Result<T, WireError> {
    serde_json::from_value(value).map_err(WireError::Shape)
}

/// Folds every object key in `value` to snake_case, recursively.
pub fn fold_keys(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut folded = Map::with_capacity(map.len());
            for (k, v) in map {
                folded.insert(fold_key(&k), fold_keys(v));
            }
            Value::Object(folded)
        }
        Value::Array(items) => Value::Array(items.into_iter().map(fold_keys).collect()),
        other => other,
    }
}

/// `supportTopicId` / `SupportTopicId` / `support_topic_id` -> `support_topic_id`.
pub fn fold_key(key: &str) -> String {
    let mut out = String::with_capacity(key.len() + 4);
    let mut prev_lower_or_digit = false;
    for c in key.chars() {
        if c.is_uppercase() {
            if prev_lower_or_digit {
                out.push('_');
            }
            out.extend(c.to_lowercase());
            prev_lower_or_digit = false;
        } else {
            out.push(c);
            prev_lower_or_digit = c.is_lowercase() || c.is_ascii_digit();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_fold_to_snake_case() {
        for (key, want) in [
            ("supportTopicId", "support_topic_id"),
            ("SupportTopicId", "support_topic_id"),
            ("support_topic_id", "support_topic_id"),
            ("id", "id"),
            ("Id", "id"),
            ("ObjectType", "object_type"),
            ("statusCode", "status_code"),
            ("self", "self"),
        ] {
            assert_eq!(fold_key(key), want, "{key}");
        }
    }

    #[test]
    fn bom_and_whitespace_are_trimmed() {
        assert_eq!(trim_body(b"\xEF\xBB\xBF \n{}\r\n"), b"{}");
        assert_eq!(trim_body(b"   "), b"");
    }
}
