//! Typed Partner Center service-request resources.
//!
//! Responses are read leniently (see [`crate::api::wire`]): keys in any case, enums as strings or
//! integers, unknown fields ignored. Serializing a [`ServiceRequest`] gives the server's form
//! (camelCase, nulls omitted); the .NET SDK's request form lives in [`CreateBody`].
//!
//! This file holds the shared enums and wire helpers; the resources are split by what they are:
//! `request` (what the service returns), `new` (what we send), `collection` (pages, topics and
//! the error bodies).

mod collection;
mod new;
mod request;

pub use collection::*;
pub use new::*;
pub use request::*;

use std::fmt;

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};

/// The date the .NET SDK sends for every unset `DateTime`.
pub const UNSET_DATE: &str = "0001-01-01T00:00:00";

macro_rules! wire_enum {
    ($(#[$meta:meta])* $name:ident { $($variant:ident = $num:literal => $wire:literal, $label:literal;)+ }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
        pub enum $name {
            #[default]
            $($variant,)+
        }

        impl $name {
            /// Every value, in wire-number order.
            pub const ALL: &'static [$name] = &[$($name::$variant,)+];

            /// The lower snake_case wire form.
            pub fn as_wire(self) -> &'static str {
                match self { $($name::$variant => $wire,)+ }
            }

            /// A human label for screens.
            pub fn label(self) -> &'static str {
                match self { $($name::$variant => $label,)+ }
            }

            /// The enum's integer value on the wire.
            pub fn as_number(self) -> u8 {
                match self { $($name::$variant => $num,)+ }
            }

            /// Parses any accepted spelling: snake_case, PascalCase, any case, or the number.
            pub fn parse(text: &str) -> Option<Self> {
                let folded: String = text
                    .trim()
                    .chars()
                    .filter(|c| *c != '_' && *c != '-' && *c != ' ')
                    .flat_map(char::to_lowercase)
                    .collect();
                $(
                    if folded == $wire.replace('_', "") || folded == stringify!($num) {
                        return Some($name::$variant);
                    }
                )+
                None
            }

            fn from_number(n: u64) -> Option<Self> {
                match n { $($num => Some($name::$variant),)+ _ => None }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.as_wire())
            }
        }

        impl std::str::FromStr for $name {
            type Err = String;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                $name::parse(s).ok_or_else(|| {
                    let names: Vec<&str> = $name::ALL.iter().map(|v| v.as_wire()).collect();
                    format!("'{s}' is not one of: {}", names.join(", "))
                })
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                s.serialize_str(self.as_wire())
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
                struct V;
                impl Visitor<'_> for V {
                    type Value = $name;
                    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                        write!(f, "a {} as a string or an integer", stringify!($name))
                    }
                    fn visit_str<E: de::Error>(self, v: &str) -> Result<$name, E> {
                        $name::parse(v).ok_or_else(|| E::invalid_value(de::Unexpected::Str(v), &self))
                    }
                    fn visit_u64<E: de::Error>(self, v: u64) -> Result<$name, E> {
                        $name::from_number(v).ok_or_else(|| E::invalid_value(de::Unexpected::Unsigned(v), &self))
                    }
                    fn visit_i64<E: de::Error>(self, v: i64) -> Result<$name, E> {
                        u64::try_from(v)
                            .ok()
                            .and_then($name::from_number)
                            .ok_or_else(|| E::invalid_value(de::Unexpected::Signed(v), &self))
                    }
                }
                d.deserialize_any(V)
            }
        }
    };
}

wire_enum! {
    /// How urgent a service request is. Clients offer critical, moderate and minimal.
    Severity {
        Unknown = 0 => "unknown", "Unknown";
        Critical = 1 => "critical", "Critical";
        Moderate = 2 => "moderate", "Moderate";
        Minimal = 3 => "minimal", "Minimal";
    }
}

wire_enum! {
    /// Where a service request stands.
    Status {
        None = 0 => "none", "None";
        Open = 1 => "open", "Open";
        Closed = 2 => "closed", "Closed";
        AttentionNeeded = 3 => "attention_needed", "Attention needed";
    }
}

impl Severity {
    /// The severities a user may choose when filing.
    pub const CHOOSABLE: [Severity; 3] = [Severity::Critical, Severity::Moderate, Severity::Minimal];
}

/// `Attributes` block carried by every Partner Center resource.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all(serialize = "camelCase", deserialize = "snake_case"))]
pub struct Attributes {
    /// The resource type name, e.g. `ServiceRequest`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object_type: Option<String>,
}

impl Attributes {
    /// Attributes naming the given object type.
    pub fn of(kind: &str) -> Self {
        Attributes {
            object_type: Some(kind.to_string()),
        }
    }
}

fn de_opt_string<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
    Ok(match Option::<serde_json::Value>::deserialize(d)? {
        None | Some(serde_json::Value::Null) => None,
        Some(serde_json::Value::String(s)) => Some(s),
        Some(serde_json::Value::Number(n)) => Some(n.to_string()),
        Some(other) => {
            return Err(de::Error::custom(format!(
                "expected a string or number, got {other}"
            )));
        }
    })
}

fn de_u64_lenient<'de, D: Deserializer<'de>>(d: D) -> Result<u64, D::Error> {
    match serde_json::Value::deserialize(d)? {
        serde_json::Value::Number(n) => n
            .as_u64()
            .ok_or_else(|| de::Error::custom(format!("bad topic id {n}"))),
        serde_json::Value::String(s) => s
            .trim()
            .parse()
            .map_err(|_| de::Error::custom(format!("bad topic id '{s}'"))),
        other => Err(de::Error::custom(format!("expected a topic id, got {other}"))),
    }
}
#[cfg(test)]
mod tests {
    use super::{FileInfo, is_agent_locale};
    use crate::api::wire;

    #[test]
    fn file_extension_is_read_under_either_name() {
        let docs: FileInfo = wire::parse(br#"{"FileExtension":".txt","FileSize":12}"#).unwrap();
        let swagger: FileInfo = wire::parse(br#"{"extensionType":".png"}"#).unwrap();
        let both: FileInfo = wire::parse(br#"{"fileExtension":".log","extensionType":".png"}"#).unwrap();
        assert_eq!(docs.file_extension.as_deref(), Some(".txt"));
        assert_eq!(swagger.file_extension.as_deref(), Some(".png"));
        assert_eq!(both.file_extension.as_deref(), Some(".log"));
        let written = serde_json::to_value(&swagger).unwrap();
        assert_eq!(written["fileExtension"], ".png");
    }

    #[test]
    fn agent_locales_have_the_services_shape() {
        for ok in ["en-US", "de-DE", "sr-Latn-RS", "EN-us", "es-419", "fil-PH"] {
            assert!(is_agent_locale(ok), "{ok}");
        }
        for bad in [
            "",
            "en",
            "en_US",
            "english-US",
            "en-USA",
            "e1-US",
            "sr-Lat-RS",
            "en-US-x",
        ] {
            assert!(!is_agent_locale(bad), "{bad}");
        }
    }
}
