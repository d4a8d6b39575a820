//! A service request as the service returns it, and the parts it is made of.

use super::*;

/// The organization a request is filed for.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all(serialize = "camelCase", deserialize = "snake_case"))]
pub struct ServiceRequestOrganization {
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
pub struct ServiceRequestContact {
    /// The contact's organization.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub organization: Option<ServiceRequestOrganization>,
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

impl ServiceRequestContact {
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
pub struct ServiceRequestNote {
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
    pub organization: Option<ServiceRequestOrganization>,
    /// Primary contact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_contact: Option<ServiceRequestContact>,
    /// Who changed it last.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_updated_by: Option<ServiceRequestContact>,
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
    pub new_note: Option<ServiceRequestNote>,
    /// All notes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<Vec<ServiceRequestNote>>,
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
