//! Lenient JSON reading shared by the client and the sandbox.
//!
//! The service answers camelCase, the SDK sends PascalCase, and the old PowerShell module saw a
//! UTF-8 BOM before some bodies. Keys are folded to lower snake_case before typed decoding so
//! `supportTopicId`, `SupportTopicId` and `support_topic_id` all land in the same field; the models
//! deserialize with `rename_all(deserialize = "snake_case")`.

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

/// Parses bytes into a JSON value with every object key folded to lower snake_case.
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

/// Folds every object key in `value` to lower snake_case, recursively.
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

/// `supportTopicId`, `SupportTopicId`, `SUPPORT_TOPIC_ID` -> `support_topic_id`; acronyms stay
/// whole (`HTTPStatus` -> `http_status`, `supportTopicID` -> `support_topic_id`).
pub fn fold_key(key: &str) -> String {
    let chars: Vec<char> = key.chars().collect();
    let mut out = String::with_capacity(key.len() + 4);
    for (i, &c) in chars.iter().enumerate() {
        if c == '-' || c == ' ' {
            out.push('_');
            continue;
        }
        if c.is_uppercase() && i > 0 {
            let prev = chars[i - 1];
            let next_lower = chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            if prev.is_lowercase() || prev.is_ascii_digit() || (prev.is_uppercase() && next_lower) {
                out.push('_');
            }
        }
        out.extend(c.to_lowercase());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{Collection, ServiceRequest, SupportTopic};

    #[test]
    fn keys_fold_to_snake_case() {
        for (raw, want) in [
            ("supportTopicId", "support_topic_id"),
            ("SupportTopicId", "support_topic_id"),
            ("support_topic_id", "support_topic_id"),
            ("SUPPORT_TOPIC_ID", "support_topic_id"),
            ("supportTopicID", "support_topic_id"),
            ("HTTPStatus", "http_status"),
            ("Id", "id"),
            ("self", "self"),
            ("statusCode", "status_code"),
        ] {
            assert_eq!(fold_key(raw), want, "{raw}");
        }
    }

    #[test]
    fn multi_word_fields_are_read_from_camel_and_pascal_case() {
        let sr: ServiceRequest = parse(include_bytes!("../../tests/fixtures/create-response.json")).unwrap();
        assert_eq!(sr.support_topic_id.as_deref(), Some("32444671"));
        assert_eq!(
            sr.primary_contact.unwrap().contact_id.as_deref(),
            Some("bb4ebcf5-d84c-4b35-8469-f4cfa4ac909e")
        );
        assert_eq!(sr.country_code.as_deref(), Some("US"));
        let pascal: ServiceRequest = parse(br#"{"SupportTopicId": 7, "LastModifiedDate": "x"}"#).unwrap();
        assert_eq!(pascal.support_topic_id.as_deref(), Some("7"));
        assert_eq!(pascal.last_modified_date.as_deref(), Some("x"));
        let topics: Collection<SupportTopic> =
            parse(include_bytes!("../../tests/fixtures/topics-response.json")).unwrap();
        assert_eq!(topics.total_count, 14);
        assert_eq!(
            topics.items[0]
                .attributes
                .as_ref()
                .unwrap()
                .object_type
                .as_deref(),
            Some("SupportTopic")
        );
    }
}
