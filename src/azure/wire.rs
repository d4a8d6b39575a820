//! The `Microsoft.Support` resources as they travel (api-version 2024-04-01), and the ARM
//! envelopes around them: list pages, long-running operation status, the error body and
//! `GET /subscriptions` (api-version 2022-12-01).
//!
//! Lenient on read: words the Swagger spells as enums (status, severity, direction, ...) are
//! kept as strings, so a value this build does not know never fails a read and the word is
//! kept for display; unknown fields are ignored; a `null` where a list belongs reads as empty.
//! On write, absent optional fields are left out, as the service's own examples do.

use serde::{Deserialize, Deserializer, Serialize};

/// The api-version of every `Microsoft.Support` call.
pub const API_VERSION: &str = "2024-04-01";
/// The api-version of `GET /subscriptions`.
pub const SUBSCRIPTIONS_API_VERSION: &str = "2022-12-01";
/// The resource type a ticket name is checked against.
pub const TICKET_TYPE: &str = "Microsoft.Support/supportTickets";
/// The resource type a communication name is checked against.
pub const COMMUNICATION_TYPE: &str = "Microsoft.Support/communications";

/// `null` and absent both read as the type's default (an empty list).
fn null_default<'de, D, T>(d: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(d)?.unwrap_or_default())
}

/// A page of a list: `{value, nextLink}`.
#[derive(Debug, Clone, PartialEq, Deserialize)]
#[serde(rename_all = "camelCase", bound(deserialize = "T: Deserialize<'de>"))]
pub struct List<T> {
    /// The items of this page.
    #[serde(default = "Vec::new", deserialize_with = "null_default")]
    pub value: Vec<T>,
    /// The absolute URL of the next page; absent on the last.
    #[serde(default)]
    pub next_link: Option<String>,
}

/// An ARM resource: its full id, its name, its type and its properties.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Resource<P> {
    /// The full ARM id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The resource name (for a ticket: the name the client chose).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The resource type.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// The properties.
    #[serde(default)]
    pub properties: P,
}

/// A service of the catalogue.
pub type ServiceResource = Resource<ServiceProperties>;

/// What a service says of itself.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceProperties {
    /// Localized name.
    #[serde(default)]
    pub display_name: Option<String>,
    /// The ARM resource types it covers.
    #[serde(
        default,
        deserialize_with = "null_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub resource_types: Vec<String>,
}

/// A problem classification of a service.
pub type ProblemClassificationResource = Resource<ProblemClassificationProperties>;

/// What a problem classification says of itself.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ProblemClassificationProperties {
    /// "Area / Issue".
    #[serde(default)]
    pub display_name: Option<String>,
    /// The further consents a ticket of this classification may ask for.
    #[serde(
        default,
        deserialize_with = "null_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub secondary_consent_enabled: Vec<SecondaryConsentEnabled>,
}

/// A further consent a classification offers.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SecondaryConsentEnabled {
    /// What the user consents to.
    #[serde(default)]
    pub description: Option<String>,
    /// The consent's type, quoted back in a ticket's `secondaryConsent`.
    #[serde(default, rename = "type")]
    pub kind: Option<String>,
}

/// A further consent given on a ticket.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SecondaryConsent {
    /// `Yes` or `No`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub user_consent: Option<String>,
    /// The consent's type.
    #[serde(default, rename = "type", skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
}

/// Who support contacts, and how (`contactDetails`). On create every field but the phone and
/// the additional addresses is required; on PATCH every field is optional.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ContactDetails {
    /// Given name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    /// Family name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    /// `email` or `phone`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferred_contact_method: Option<String>,
    /// Primary address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub primary_email_address: Option<String>,
    /// Copied addresses.
    #[serde(
        default,
        deserialize_with = "null_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub additional_email_addresses: Vec<String>,
    /// Phone number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone_number: Option<String>,
    /// A Windows time-zone name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferred_time_zone: Option<String>,
    /// ISO 3166-1 alpha-3.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<String>,
    /// A language tag.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preferred_support_language: Option<String>,
}

/// The resource a technical ticket is about.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TechnicalTicketDetails {
    /// Its ARM resource id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_id: Option<String>,
}

/// The service level agreement of a ticket (read only).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceLevelAgreement {
    /// When it started.
    #[serde(default)]
    pub start_time: Option<String>,
    /// When it expires.
    #[serde(default)]
    pub expiration_time: Option<String>,
    /// Minutes allowed.
    #[serde(default)]
    pub sla_minutes: Option<i64>,
}

/// The engineer working a ticket (read only).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SupportEngineer {
    /// Their address, `null` until one is assigned.
    #[serde(default)]
    pub email_address: Option<String>,
}

/// A support ticket.
pub type TicketResource = Resource<TicketProperties>;

/// A ticket's properties: the PUT body's `properties`, and what a GET adds (read only fields,
/// never sent because they are `None` in a body we build).
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct TicketProperties {
    /// The number people quote (read only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub support_ticket_id: Option<String>,
    /// Title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    /// Description.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// `/providers/Microsoft.Support/services/{svc}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_id: Option<String>,
    /// The service's name (read only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_display_name: Option<String>,
    /// `/providers/Microsoft.Support/services/{svc}/problemClassifications/{pc}`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem_classification_id: Option<String>,
    /// "Area / Issue" (read only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem_classification_display_name: Option<String>,
    /// `minimal`, `moderate`, `critical`, `highestcriticalimpact`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<String>,
    /// `Open`, `Closed`, `Updating` (read only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Round the clock response for critical tickets.
    #[serde(
        default,
        rename = "require24X7Response",
        skip_serializing_if = "Option::is_none"
    )]
    pub require_24x7_response: Option<bool>,
    /// `Yes` or `No`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advanced_diagnostic_consent: Option<String>,
    /// Further consents.
    #[serde(
        default,
        deserialize_with = "null_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub secondary_consent: Vec<SecondaryConsent>,
    /// The support plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub support_plan_id: Option<String>,
    /// The plan's type (read only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub support_plan_type: Option<String>,
    /// The plan's name (read only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub support_plan_display_name: Option<String>,
    /// The file workspace holding the ticket's attachments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_workspace_name: Option<String>,
    /// Scoping answers, a JSON document in a string.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem_scoping_questions: Option<String>,
    /// When the problem started.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub problem_start_time: Option<String>,
    /// The enrollment, for some billing tickets.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub enrollment_id: Option<String>,
    /// Who to contact.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_details: Option<ContactDetails>,
    /// The resource concerned.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub technical_ticket_details: Option<TechnicalTicketDetails>,
    /// A quota request, kept as sent: its shape depends on the quota kind.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quota_ticket_details: Option<serde_json::Value>,
    /// The SLA (read only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub service_level_agreement: Option<ServiceLevelAgreement>,
    /// The engineer (read only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub support_engineer: Option<SupportEngineer>,
    /// Created at (read only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_date: Option<String>,
    /// Last changed at (read only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub modified_date: Option<String>,
}

/// The PUT body of a ticket or a communication: `{"properties": {...}}`.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct Body<P> {
    /// The properties.
    pub properties: P,
}

/// The PATCH body of a ticket: flat, no `properties` wrapper, status lowercase.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UpdateTicket {
    /// New severity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub severity: Option<String>,
    /// `open` or `closed`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    /// Changed contact fields only.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact_details: Option<ContactDetails>,
    /// `Yes` or `No`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub advanced_diagnostic_consent: Option<String>,
    /// Further consents.
    #[serde(
        default,
        deserialize_with = "null_default",
        skip_serializing_if = "Vec::is_empty"
    )]
    pub secondary_consent: Vec<SecondaryConsent>,
}

/// A communication of a ticket.
pub type CommunicationResource = Resource<CommunicationProperties>;

/// A communication's properties; a create sends `subject`, `body` and, for a service
/// principal, `sender`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CommunicationProperties {
    /// `web`, `phone` (read only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub communication_type: Option<String>,
    /// `inbound` (from support) or `outbound` (from the filer) (read only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub communication_direction: Option<String>,
    /// The sender's address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sender: Option<String>,
    /// Subject.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// Text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
    /// Created at (read only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_date: Option<String>,
}

/// A file workspace (the attachments of a ticket).
pub type FileWorkspaceResource = Resource<FileWorkspaceProperties>;

/// A file workspace's properties (read only).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileWorkspaceProperties {
    /// Created at.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_on: Option<String>,
    /// Expires at.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub expiration_time: Option<String>,
}

/// A file in a workspace.
pub type FileResource = Resource<FileProperties>;

/// A file's properties: the PUT sends its size and how it will be cut into chunks.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FileProperties {
    /// Created at (read only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub created_on: Option<String>,
    /// Bytes per chunk.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chunk_size: Option<u64>,
    /// Bytes of the whole file.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file_size: Option<u64>,
    /// How many chunks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number_of_chunks: Option<u64>,
}

/// One chunk of an upload.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct UploadChunk {
    /// The chunk, base64.
    pub content: String,
    /// Its index, from 0.
    pub chunk_index: u64,
}

/// `checkNameAvailability`'s body.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckNameInput {
    /// The name to check.
    pub name: String,
    /// [`TICKET_TYPE`] or [`COMMUNICATION_TYPE`].
    #[serde(rename = "type")]
    pub kind: String,
}

/// `checkNameAvailability`'s answer.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct CheckNameOutput {
    /// Whether the name is free.
    #[serde(default)]
    pub name_available: Option<bool>,
    /// Why not.
    #[serde(default)]
    pub reason: Option<String>,
    /// The service's words.
    #[serde(default)]
    pub message: Option<String>,
}

/// The document an `Azure-AsyncOperation` (or `Location`) URL answers while a PUT runs.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OperationStatus {
    /// Its id.
    #[serde(default)]
    pub id: Option<String>,
    /// Its name.
    #[serde(default)]
    pub name: Option<String>,
    /// `InProgress`, `Succeeded`, `Failed`, `Canceled` or a word of the service's own.
    #[serde(default)]
    pub status: Option<String>,
    /// Started at.
    #[serde(default)]
    pub start_time: Option<String>,
    /// Ended at.
    #[serde(default)]
    pub end_time: Option<String>,
    /// Why it failed.
    #[serde(default)]
    pub error: Option<ErrorDetail>,
}

/// Where a long-running operation stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OperationState {
    /// Still running (also any word this build does not know: keep polling).
    Running,
    /// Done.
    Succeeded,
    /// Failed.
    Failed,
    /// Canceled.
    Canceled,
}

impl OperationStatus {
    /// Where it stands; case is ignored as ARM clients do.
    pub fn state(&self) -> OperationState {
        match self.status.as_deref().map(str::to_ascii_lowercase).as_deref() {
            Some("succeeded") => OperationState::Succeeded,
            Some("failed") => OperationState::Failed,
            Some("canceled") | Some("cancelled") => OperationState::Canceled,
            _ => OperationState::Running,
        }
    }
}

/// The ARM error body: `{"error": {...}}`.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
pub struct ErrorResponse {
    /// The error.
    #[serde(default)]
    pub error: Option<ErrorDetail>,
}

/// An ARM error, with its nested details.
#[derive(Debug, Clone, PartialEq, Default, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ErrorDetail {
    /// Code.
    #[serde(default)]
    pub code: Option<String>,
    /// Message.
    #[serde(default)]
    pub message: Option<String>,
    /// What it is about.
    #[serde(default)]
    pub target: Option<String>,
    /// Nested errors.
    #[serde(default, deserialize_with = "null_default")]
    pub details: Vec<ErrorDetail>,
    /// Further information, kept as sent.
    #[serde(default, deserialize_with = "null_default")]
    pub additional_info: Vec<serde_json::Value>,
}

/// A subscription of `GET /subscriptions`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Subscription {
    /// `/subscriptions/{id}`.
    #[serde(default)]
    pub id: Option<String>,
    /// The GUID.
    #[serde(default)]
    pub subscription_id: Option<String>,
    /// Its name.
    #[serde(default)]
    pub display_name: Option<String>,
    /// `Enabled`, `Disabled`, ...
    #[serde(default)]
    pub state: Option<String>,
    /// Its tenant.
    #[serde(default)]
    pub tenant_id: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    use crate::azure::example;

    #[test]
    fn the_create_example_reads_and_its_request_round_trips_exactly() {
        let ex = example("CreateTechnicalSupportTicket.json");
        let request = &ex["parameters"]["createSupportTicketParameters"];
        let body: Body<TicketProperties> = serde_json::from_value(request.clone()).unwrap();
        assert_eq!(serde_json::to_value(&body).unwrap(), *request);
        let answer: TicketResource = serde_json::from_value(ex["responses"]["200"]["body"].clone()).unwrap();
        assert_eq!(answer.name.as_deref(), Some("testticket"));
        assert_eq!(
            answer.properties.support_ticket_id.as_deref(),
            Some("119120321001170")
        );
        assert_eq!(answer.properties.status.as_deref(), Some("Open"));
        assert_eq!(
            answer.properties.service_level_agreement.unwrap().sla_minutes,
            Some(240)
        );
        assert_eq!(answer.properties.support_engineer.unwrap().email_address, None);
    }

    #[test]
    fn the_patch_example_round_trips_and_its_answer_reads() {
        let ex = example("UpdateStatusOfSupportTicket.json");
        let request = &ex["parameters"]["updateSupportTicket"];
        let close = UpdateTicket {
            status: Some("closed".into()),
            ..UpdateTicket::default()
        };
        assert_eq!(serde_json::to_value(&close).unwrap(), *request);
        let answer: TicketResource = serde_json::from_value(ex["responses"]["200"]["body"].clone()).unwrap();
        assert_eq!(answer.properties.status.as_deref(), Some("Closed"));
        let contact = answer.properties.contact_details.unwrap();
        assert_eq!(contact.additional_email_addresses.len(), 2);
    }

    #[test]
    fn the_communication_examples_read_and_a_built_one_matches() {
        let ex = example("CreateSupportTicketCommunication.json");
        let request = &ex["parameters"]["createCommunicationParameters"];
        let built = Body {
            properties: CommunicationProperties {
                subject: Some("This is a test message from a customer!".into()),
                body: Some("This is a test message from a customer!".into()),
                sender: Some("user@contoso.com".into()),
                ..CommunicationProperties::default()
            },
        };
        assert_eq!(serde_json::to_value(&built).unwrap(), *request);
        let answer: CommunicationResource =
            serde_json::from_value(ex["responses"]["200"]["body"].clone()).unwrap();
        assert_eq!(
            answer.properties.communication_direction.as_deref(),
            Some("outbound")
        );

        let list = example("ListCommunicationsForSupportTicket.json");
        let page: List<CommunicationResource> =
            serde_json::from_value(list["responses"]["200"]["body"].clone()).unwrap();
        assert_eq!(page.value.len(), 2);
        assert_eq!(page.next_link, None);
        assert_eq!(
            page.value[1].properties.created_date.as_deref(),
            Some("2020-03-29T10:53:19Z")
        );
    }

    #[test]
    fn the_upload_example_matches_a_built_chunk() {
        let ex = example("UploadFile.json");
        let request = &ex["parameters"]["uploadFile"];
        let chunk = UploadChunk {
            content: request["content"].as_str().unwrap().to_string(),
            chunk_index: 0,
        };
        assert_eq!(serde_json::to_value(&chunk).unwrap(), *request);
    }

    #[test]
    fn unknown_words_and_nulls_never_fail_a_read() {
        let t: TicketResource = serde_json::from_value(json!({
            "name": "t1",
            "future": {"x": 1},
            "properties": {"status": "Escalated", "severity": "urgent", "secondaryConsent": null}
        }))
        .unwrap();
        assert_eq!(t.properties.status.as_deref(), Some("Escalated"));
        assert!(t.properties.secondary_consent.is_empty());
        let op: OperationStatus = serde_json::from_value(json!({"status": "Accepted"})).unwrap();
        assert_eq!(op.state(), OperationState::Running);
        let err: ErrorResponse = serde_json::from_value(json!({"error": {
            "code": "BadRequest", "message": "m", "details": [{"code": "Inner", "message": "n"}],
            "additionalInfo": null
        }}))
        .unwrap();
        let e = err.error.unwrap();
        assert_eq!(e.details[0].code.as_deref(), Some("Inner"));
    }
}
