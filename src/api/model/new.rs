//! What we send: a new request, its checks and limits, the SDK's create body, a PATCH body.

use super::*;

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

/// One problem with a field of a new request, named as the wire names it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvalidField {
    /// The wire name of the field (`Title`, `Description`, `Severity`, `SupportTopicId`).
    pub field: &'static str,
    /// What is wrong, in words a user can act on.
    pub message: String,
}

impl NewServiceRequest {
    /// Every problem the service would refuse: the domain's rules for Partner Center, so the
    /// app (which checks the domain ticket) and the sandbox (which checks the wire) agree.
    pub fn validate(&self) -> Vec<InvalidField> {
        use crate::domain::{self, Field, Service};
        let ticket = domain::NewTicket {
            title: self.title.clone(),
            description: self.description.clone(),
            severity: crate::api::mapping::domain_severity(self.severity),
            topic_id: self.support_topic_id.clone(),
            ..Default::default()
        };
        ticket
            .validate(&Service::PartnerCenter.capabilities())
            .into_iter()
            .map(|e| InvalidField {
                field: match e.field {
                    Field::Title => "Title",
                    Field::Description => "Description",
                    Field::Severity => "Severity",
                    Field::Topic => "SupportTopicId",
                },
                message: e.message,
            })
            .collect()
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
