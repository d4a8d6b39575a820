//! Typed Partner Center service-request resources.
//!
//! Responses are read leniently (see [`crate::api::wire`]): keys in any case, enums as strings or
//! integers, unknown fields ignored. Serializing a [`ServiceRequest`] gives the server's form
//! (camelCase, nulls omitted); the .NET SDK's request form lives in [`CreateBody`].

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

/// The organization a request is filed for.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all(serialize = "camelCase", deserialize = "snake_case"))]
pub struct Organization {
    /// Organization id (a GUID in practice).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Display name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// Phone number as the service stores it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
}

/// A person attached to a request (primary contact, last updated by).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all(serialize = "camelCase", deserialize = "snake_case"))]
pub struct Contact {
    /// The contact's organization.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<Organization>,
    /// Contact id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_id: Option<String>,
    /// Given name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// Family name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// E-mail address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Phone number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
}

impl Contact {
    /// First and last name joined, whichever are present.
    pub fn full_name(&self) -> String {
        [self.first_name.as_deref(), self.last_name.as_deref()]
            .into_iter()
            .flatten()
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }
}

/// A note on a request.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all(serialize = "camelCase", deserialize = "snake_case"))]
pub struct Note {
    /// Who wrote it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_by_name: Option<String>,
    /// When it was written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_date: Option<String>,
    /// The note's text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// A file attached to a request (read only: the API cannot upload). The Swagger names the
/// extension `extensionType` where the docs say `fileExtension`; either is read.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(
    rename_all(serialize = "camelCase", deserialize = "snake_case"),
    from = "FileInfoWire"
)]
pub struct FileInfo {
    /// File id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Comment given with the file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comment: Option<String>,
    /// Extension, e.g. `.txt`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_extension: Option<String>,
    /// Name without the extension.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_name_without_extension: Option<String>,
    /// Size in bytes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_size: Option<serde_json::Value>,
}

/// [`FileInfo`] as read: both names of the extension.
#[derive(Deserialize)]
struct FileInfoWire {
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    comment: Option<String>,
    #[serde(default)]
    file_extension: Option<String>,
    #[serde(default)]
    extension_type: Option<String>,
    #[serde(default)]
    file_name_without_extension: Option<String>,
    #[serde(default)]
    file_size: Option<serde_json::Value>,
}

impl From<FileInfoWire> for FileInfo {
    fn from(w: FileInfoWire) -> Self {
        FileInfo {
            id: w.id,
            comment: w.comment,
            file_extension: w.file_extension.or(w.extension_type),
            file_name_without_extension: w.file_name_without_extension,
            file_size: w.file_size,
        }
    }
}

/// A Partner Center service request, as the server returns it.
///
/// A status or severity this build does not know (`"resolved"`, `9`) never fails the read (nor
/// a whole list): the field is `None` and the value as sent is kept in `status_raw` /
/// `severity_raw`, shown as is and written back under its own key by `--json`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(remote = "Self")]
#[serde(rename_all(serialize = "camelCase", deserialize = "snake_case"))]
pub struct ServiceRequest {
    /// Title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Severity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<Severity>,
    /// Support topic id (a string on requests, unlike on topics).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "de_opt_string"
    )]
    pub support_topic_id: Option<String>,
    /// Support topic name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub support_topic_name: Option<String>,
    /// Server-set id.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "de_opt_string"
    )]
    pub id: Option<String>,
    /// Status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    /// The status as sent when this build does not know it (then `status` is `None`).
    #[serde(
        skip_deserializing,
        rename(serialize = "status"),
        skip_serializing_if = "Option::is_none"
    )]
    pub status_raw: Option<serde_json::Value>,
    /// The severity as sent when this build does not know it (then `severity` is `None`).
    #[serde(
        skip_deserializing,
        rename(serialize = "severity"),
        skip_serializing_if = "Option::is_none"
    )]
    pub severity_raw: Option<serde_json::Value>,
    /// Organization the request is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<Organization>,
    /// Primary contact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_contact: Option<Contact>,
    /// Who changed it last.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_updated_by: Option<Contact>,
    /// Product name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_name: Option<String>,
    /// Product id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub product_id: Option<String>,
    /// Created at (ISO 8601, as sent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_date: Option<String>,
    /// Last modified at.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_modified_date: Option<String>,
    /// Last closed at.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_closed_date: Option<String>,
    /// Attached files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_links: Option<Vec<FileInfo>>,
    /// A note to append (update only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_note: Option<Note>,
    /// All notes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<Vec<Note>>,
    /// ISO alpha-2 country.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country_code: Option<String>,
    /// Resource attributes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<Attributes>,
}

impl Serialize for ServiceRequest {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        // The derived (remote = "Self") form: unknown enum values go out under their own key.
        ServiceRequest::serialize(self, s)
    }
}

impl<'de> Deserialize<'de> for ServiceRequest {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let mut value = serde_json::Value::deserialize(d)?;
        let (mut status_raw, mut severity_raw) = (None, None);
        if let Some(map) = value.as_object_mut() {
            status_raw = take_unknown::<Status>(map, "status");
            severity_raw = take_unknown::<Severity>(map, "severity");
        }
        let mut sr = ServiceRequest::deserialize(value).map_err(de::Error::custom)?;
        sr.status_raw = status_raw;
        sr.severity_raw = severity_raw;
        Ok(sr)
    }
}

/// Removes `key` from `map` and returns its value when it is present but not a `T`.
fn take_unknown<T: de::DeserializeOwned>(
    map: &mut serde_json::Map<String, serde_json::Value>,
    key: &str,
) -> Option<serde_json::Value> {
    let value = map.get(key).filter(|v| !v.is_null())?;
    if serde_json::from_value::<T>(value.clone()).is_ok() {
        return None;
    }
    map.remove(key)
}

/// A value as sent, for display: strings without quotes, sanitized.
fn raw_text(value: &serde_json::Value) -> String {
    match value {
        serde_json::Value::String(s) => crate::text::one_line(s),
        other => crate::text::one_line(&other.to_string()),
    }
}

impl ServiceRequest {
    /// The status for screens: its label, or what the service sent when this build does not
    /// know it; `None` when absent.
    pub fn status_text(&self) -> Option<String> {
        match (&self.status, &self.status_raw) {
            (Some(s), _) => Some(s.label().to_string()),
            (None, Some(raw)) => Some(raw_text(raw)),
            (None, None) => None,
        }
    }

    /// The severity for screens, as [`ServiceRequest::status_text`].
    pub fn severity_text(&self) -> Option<String> {
        match (&self.severity, &self.severity_raw) {
            (Some(s), _) => Some(s.label().to_string()),
            (None, Some(raw)) => Some(raw_text(raw)),
            (None, None) => None,
        }
    }
}

/// What a user fills in to file a request: the four required fields.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct NewServiceRequest {
    /// Title (1..=255 characters).
    pub title: String,
    /// Description (not blank).
    pub description: String,
    /// Severity.
    pub severity: Severity,
    /// Support topic id.
    pub support_topic_id: String,
}

/// Whether `raw` has the shape of an agent locale: `ll-CC` (also `lll-CC`, a numeric region as
/// in `es-419`, or a script as in `sr-Latn-RS`), in any case. The client and the sandbox share it
/// so the app never refuses what the service accepts.
pub fn is_agent_locale(raw: &str) -> bool {
    let alpha =
        |s: &str, lens: &[usize]| lens.contains(&s.len()) && s.chars().all(|c| c.is_ascii_alphabetic());
    let region = |s: &str| alpha(s, &[2]) || (s.len() == 3 && s.chars().all(|c| c.is_ascii_digit()));
    match raw.split('-').collect::<Vec<_>>().as_slice() {
        [lang, cc] => alpha(lang, &[2, 3]) && region(cc),
        [lang, script, cc] => alpha(lang, &[2, 3]) && alpha(script, &[4]) && region(cc),
        _ => false,
    }
}

/// Longest title the service accepts.
pub const TITLE_MAX_CHARS: usize = 255;

/// Largest description accepted, in bytes of UTF-8 (256 KiB): far under the 8 MiB answer cap,
/// since the service echoes the description back (in the create answer and in every read).
pub const DESCRIPTION_MAX_BYTES: usize = 256 * 1024;

/// A byte count in words: `300 KiB`, `1.5 MiB`, `12 bytes`.
pub fn human_bytes(n: usize) -> String {
    const KIB: f64 = 1024.0;
    let f = n as f64;
    if f >= KIB * KIB {
        format!("{:.1} MiB", f / (KIB * KIB))
    } else if n >= 1024 {
        format!("{:.1} KiB", f / KIB)
    } else {
        format!("{n} bytes")
    }
}

/// One problem with a field of a new request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldError {
    /// The wire name of the field (`Title`, `Description`, `Severity`, `SupportTopicId`).
    pub field: &'static str,
    /// What is wrong, in words a user can act on.
    pub message: String,
}

impl NewServiceRequest {
    /// Every problem the service would refuse, so a form can show them all at once.
    pub fn validate(&self) -> Vec<FieldError> {
        let mut errors = Vec::new();
        let title_chars = self.title.chars().count();
        if self.title.trim().is_empty() {
            errors.push(FieldError {
                field: "Title",
                message: "title is required".into(),
            });
        } else if title_chars > TITLE_MAX_CHARS {
            errors.push(FieldError {
                field: "Title",
                message: format!("title is {title_chars} characters; the limit is {TITLE_MAX_CHARS}"),
            });
        } else if self.title.contains(['\n', '\r']) {
            errors.push(FieldError {
                field: "Title",
                message: "title must be a single line".into(),
            });
        }
        if self.description.len() > DESCRIPTION_MAX_BYTES {
            errors.push(FieldError {
                field: "Description",
                message: format!(
                    "description is {} ({} bytes); the limit is {} ({DESCRIPTION_MAX_BYTES} bytes): shorten it, \
                     or put long logs somewhere the support engineer can reach and link them",
                    human_bytes(self.description.len()),
                    self.description.len(),
                    human_bytes(DESCRIPTION_MAX_BYTES)
                ),
            });
        } else if self.description.trim().is_empty() {
            errors.push(FieldError {
                field: "Description",
                message: "description is required".into(),
            });
        }
        if self.severity == Severity::Unknown {
            errors.push(FieldError {
                field: "Severity",
                message: "choose a severity: critical, moderate or minimal".into(),
            });
        }
        let topic = self.support_topic_id.trim();
        if topic.is_empty() {
            errors.push(FieldError {
                field: "SupportTopicId",
                message: "choose a support topic".into(),
            });
        } else if !topic.chars().all(|c| c.is_ascii_digit()) {
            errors.push(FieldError {
                field: "SupportTopicId",
                message: format!("support topic id '{topic}' must be numeric (see `pcsr-tui topics`)"),
            });
        }
        errors
    }
}

/// The create body exactly as the .NET SDK sends it: PascalCase, explicit nulls, unset dates.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct CreateBody<'a> {
    /// Always null on create.
    pub id: Option<&'a str>,
    /// Title.
    pub title: &'a str,
    /// Description.
    pub description: &'a str,
    /// Severity.
    pub severity: Severity,
    /// Support topic id (string).
    pub support_topic_id: &'a str,
    /// Null on create.
    pub support_topic_name: Option<&'a str>,
    /// `none` on create.
    pub status: Status,
    /// Null on create.
    pub organization: Option<()>,
    /// Null on create.
    pub primary_contact: Option<()>,
    /// Null on create.
    pub last_updated_by: Option<()>,
    /// Null on create.
    pub product_name: Option<()>,
    /// Null on create.
    pub product_id: Option<()>,
    /// Unset date.
    pub created_date: &'static str,
    /// Unset date.
    pub last_modified_date: &'static str,
    /// Unset date.
    pub last_closed_date: &'static str,
    /// Null on create.
    pub new_note: Option<()>,
    /// Null on create.
    pub notes: Option<()>,
    /// Null on create.
    pub country_code: Option<()>,
    /// Null on create.
    pub file_links: Option<()>,
    /// `{"ObjectType": "ServiceRequest"}`.
    pub attributes: PascalAttributes,
}

/// `Attributes` in the SDK's PascalCase request form.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "PascalCase")]
pub struct PascalAttributes {
    /// The resource type name.
    pub object_type: &'static str,
}

impl<'a> CreateBody<'a> {
    /// The SDK-shaped body for a new request.
    pub fn new(sr: &'a NewServiceRequest) -> Self {
        CreateBody {
            id: None,
            title: &sr.title,
            description: &sr.description,
            severity: sr.severity,
            support_topic_id: &sr.support_topic_id,
            support_topic_name: None,
            status: Status::None,
            organization: None,
            primary_contact: None,
            last_updated_by: None,
            product_name: None,
            product_id: None,
            created_date: UNSET_DATE,
            last_modified_date: UNSET_DATE,
            last_closed_date: UNSET_DATE,
            new_note: None,
            notes: None,
            country_code: None,
            file_links: None,
            attributes: PascalAttributes {
                object_type: "ServiceRequest",
            },
        }
    }
}

/// A PATCH body: only what changes.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all(serialize = "PascalCase", deserialize = "snake_case"))]
pub struct ServiceRequestPatch {
    /// A note to append.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub new_note: Option<NotePatch>,
    /// New status.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
}

/// The note part of a PATCH body.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all(serialize = "PascalCase", deserialize = "snake_case"))]
pub struct NotePatch {
    /// The note's text.
    #[serde(default)]
    pub text: String,
}

impl ServiceRequestPatch {
    /// A patch that appends a note.
    pub fn note(text: impl Into<String>) -> Self {
        ServiceRequestPatch {
            new_note: Some(NotePatch { text: text.into() }),
            status: None,
        }
    }

    /// A patch that sets the status.
    pub fn status(status: Status) -> Self {
        ServiceRequestPatch {
            new_note: None,
            status: Some(status),
        }
    }
}

/// A support topic a request can be filed under.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all(serialize = "camelCase", deserialize = "snake_case"))]
pub struct SupportTopic {
    /// Topic name (localized).
    #[serde(default)]
    pub name: String,
    /// What the topic covers.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Topic id: a JSON number on the wire, though requests carry it as a string.
    #[serde(deserialize_with = "de_u64_lenient")]
    pub id: u64,
    /// Resource attributes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<Attributes>,
}

/// A link in a collection's `links`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all(serialize = "camelCase", deserialize = "snake_case"))]
pub struct Link {
    /// Relative uri, without `/v1`, e.g. `/servicerequests?size=2&offset=2`.
    #[serde(default)]
    pub uri: String,
    /// HTTP method.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<String>,
    /// Extra headers (always empty in practice).
    #[serde(default)]
    pub headers: Vec<serde_json::Value>,
}

/// A collection's `links`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all(serialize = "camelCase", deserialize = "snake_case"))]
pub struct Links {
    /// This page.
    #[serde(
        default,
        rename(serialize = "self", deserialize = "self"),
        skip_serializing_if = "Option::is_none"
    )]
    pub self_: Option<Link>,
    /// The next page; absent on the last page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next: Option<Link>,
    /// The previous page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub previous: Option<Link>,
}

/// A page of resources.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all(serialize = "camelCase", deserialize = "snake_case"))]
pub struct Collection<T> {
    /// Items on this page (the topics example shows it can disagree with `items`).
    #[serde(default)]
    pub total_count: u64,
    /// The items.
    #[serde(default = "Vec::new")]
    pub items: Vec<T>,
    /// Paging links.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub links: Option<Links>,
    /// Resource attributes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub attributes: Option<Attributes>,
}

impl<T> Collection<T> {
    /// A single page holding every item.
    pub fn of(items: Vec<T>) -> Self {
        Collection {
            total_count: items.len() as u64,
            items,
            links: None,
            attributes: Some(Attributes::of("Collection")),
        }
    }

    /// The relative uri of the next page, if there is one.
    pub fn next_uri(&self) -> Option<&str> {
        self.links
            .as_ref()?
            .next
            .as_ref()
            .map(|l| l.uri.as_str())
            .filter(|u| !u.is_empty())
    }
}

/// The Partner Center error body: `{"code": 3000, "description": "...", "data": [], "source": "..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all(serialize = "camelCase", deserialize = "snake_case"))]
pub struct ErrorBody {
    /// Error code: documented as a string, sent as a number.
    #[serde(default, deserialize_with = "de_opt_string")]
    pub code: Option<String>,
    /// What went wrong.
    #[serde(default)]
    pub description: Option<String>,
    /// Extra data.
    #[serde(default)]
    pub data: Vec<serde_json::Value>,
    /// Which service answered.
    #[serde(default)]
    pub source: Option<String>,
}

/// The throttling body: `{"statusCode": 429, "message": "..."}`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all(serialize = "camelCase", deserialize = "snake_case"))]
pub struct ThrottleBody {
    /// HTTP status repeated.
    #[serde(default)]
    pub status_code: Option<u16>,
    /// Human message.
    #[serde(default)]
    pub message: Option<String>,
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
