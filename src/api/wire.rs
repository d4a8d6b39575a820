//! Lenient JSON reading shared by the client and the sandbox.
//!
//! The service answers camelCase, the SDK sends PascalCase, and the old PowerShell module saw a
//! UTF-8 BOM before some bodies. Keys are folded to lowercase before typed decoding so every
//! spelling lands in the same field; the models deserialize with `rename_all = "lowercase"`.

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

/// Parses bytes into a JSON value with every object key folded to lowercase.
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

/// Folds every object key in `value` to lowercase, recursively.
pub fn fold_keys(value: Value) -> Value {
    match value {
        Value::Object(map) => {
            let mut folded = Map::with_capacity(map.len());
            for (k, v) in map {
                folded.insert(k.to_lowercase(), fold_keys(v));
            }
            Value::Object(folded)
        }
        Value::Array(items) => Value::Array(items.into_iter().map(fold_keys).collect()),
        other => other,
    }
}
