//! Azure's wire resources to the one domain model, and the domain's requests to Azure's bodies.

use crate::domain::{
    Contact, Direction, NewTicket, Note, Person, Service, Severity, Stamp, Status, Ticket, Topic, TopicRef,
};

use super::wire::{
    Body, CommunicationProperties, CommunicationResource, ContactDetails, ProblemClassificationResource,
    ServiceResource, TechnicalTicketDetails, TicketProperties, TicketResource, UpdateTicket,
};

/// Where a ticket's ARM resource id puts it: `Some(Some(sub))` under a subscription,
/// `Some(None)` at tenant level, `None` when the id is not a support ticket's.
pub fn subscription_of(resource_id: &str) -> Option<Option<String>> {
    let lower = resource_id.trim().to_ascii_lowercase();
    if lower.starts_with("/providers/microsoft.support/supporttickets/") {
        return Some(None);
    }
    let rest = lower.strip_prefix("/subscriptions/")?;
    let (sub, tail) = rest.split_once('/')?;
    tail.starts_with("providers/microsoft.support/supporttickets/")
        .then(|| Some(sub.to_string()))
}

/// The service id a problem classification belongs to:
/// `/providers/Microsoft.Support/services/{svc}/problemClassifications/{pc}` →
/// `/providers/Microsoft.Support/services/{svc}`. `None` when the id has no such shape.
pub fn service_id_of(problem_classification_id: &str) -> Option<String> {
    let lower = problem_classification_id.to_ascii_lowercase();
    let at = lower.find("/problemclassifications/")?;
    let service = &problem_classification_id[..at];
    service
        .to_ascii_lowercase()
        .contains("/providers/microsoft.support/services/")
        .then(|| service.to_string())
}

fn stamp(date: &Option<String>) -> Option<Stamp> {
    date.as_ref().map(|d| Stamp::At(d.clone()))
}

/// A ticket as the service sent it.
pub fn ticket(resource: &TicketResource, as_sent: serde_json::Value) -> Ticket {
    let p = &resource.properties;
    let (status, status_other) = match p.status.as_deref() {
        None => (None, None),
        Some(word) => match word.to_ascii_lowercase().as_str() {
            "open" => (Some(Status::Open), None),
            "closed" => (Some(Status::Closed), None),
            "updating" => (Some(Status::Updating), None),
            _ => (None, Some(word.to_string())),
        },
    };
    let (severity, severity_other) = match p.severity.as_deref() {
        None => (None, None),
        Some(word) => match Severity::parse(word) {
            Some(s) => (Some(s), None),
            None => (None, Some(word.to_string())),
        },
    };
    let contact = p.contact_details.as_ref().map(|c| Person {
        first_name: c.first_name.clone(),
        last_name: c.last_name.clone(),
        email: c.primary_email_address.clone(),
        phone: c.phone_number.clone(),
        ..Person::default()
    });
    Ticket {
        service: Service::Azure,
        id: resource.name.clone(),
        number: p.support_ticket_id.clone(),
        title: p.title.clone(),
        description: p.description.clone(),
        severity,
        severity_other,
        status,
        status_other,
        topic: TopicRef {
            id: p.problem_classification_id.clone(),
            name: p.problem_classification_display_name.clone(),
            parent_id: p
                .service_id
                .clone()
                .or_else(|| p.problem_classification_id.as_deref().and_then(service_id_of)),
            parent_name: p.service_display_name.clone(),
        },
        contact,
        country: p.contact_details.as_ref().and_then(|c| c.country.clone()),
        created: stamp(&p.created_date),
        modified: stamp(&p.modified_date),
        response_due: p
            .service_level_agreement
            .as_ref()
            .and_then(|sla| stamp(&sla.expiration_time)),
        support_plan: p
            .support_plan_display_name
            .clone()
            .or_else(|| p.support_plan_type.clone())
            .filter(|plan| !plan.trim().is_empty()),
        as_sent,
        ..Ticket::default()
    }
}

/// A communication as a note of the conversation.
pub fn note(c: &CommunicationResource) -> Note {
    let p = &c.properties;
    let direction = match p.communication_direction.as_deref().map(str::to_ascii_lowercase) {
        Some(d) if d == "inbound" => Direction::Inbound,
        Some(d) if d == "outbound" => Direction::Outbound,
        _ => Direction::Unknown,
    };
    Note {
        id: c.name.clone(),
        author: p.sender.clone(),
        created: stamp(&p.created_date),
        subject: p.subject.clone(),
        text: p.body.clone(),
        direction,
    }
}

/// A service of the catalogue as a top-level topic (its id is the full ARM id a ticket quotes).
pub fn service_topic(s: &ServiceResource) -> Topic {
    let id = s.id.clone().or_else(|| s.name.clone()).unwrap_or_default();
    Topic {
        name: s.properties.display_name.clone().unwrap_or_else(|| id.clone()),
        id,
        ..Topic::default()
    }
}

/// A problem classification as a leaf under its service: the full ARM id as the topic id (what
/// a create takes), the display name "Area / Issue" kept whole.
pub fn classification_topic(pc: &ProblemClassificationResource, service: &Topic) -> Topic {
    let id = pc.id.clone().or_else(|| pc.name.clone()).unwrap_or_default();
    Topic {
        name: pc.properties.display_name.clone().unwrap_or_else(|| id.clone()),
        parent_id: Some(service.id.as_str())
            .filter(|s| !s.is_empty())
            .map(Into::into)
            .or_else(|| service_id_of(&id).map(Into::into)),
        parent_name: Some(service.name.as_str())
            .filter(|s| !s.is_empty())
            .map(Into::into),
        id,
        description: None,
    }
}

/// A domain contact profile as `contactDetails`.
pub fn contact_details(c: &Contact) -> ContactDetails {
    let some = |s: &str| Some(s.to_string()).filter(|s| !s.is_empty());
    ContactDetails {
        first_name: some(&c.first_name),
        last_name: some(&c.last_name),
        preferred_contact_method: Some(c.method.as_str().to_string()),
        primary_email_address: some(&c.email),
        additional_email_addresses: c.additional_emails.clone(),
        phone_number: some(&c.phone),
        preferred_time_zone: some(&c.time_zone),
        country: some(&c.country),
        preferred_support_language: some(&c.language),
    }
}

/// The PUT body of a new ticket. serviceId is derived from the topic (the problem
/// classification id), so the two can never disagree.
pub fn create_body(t: &NewTicket) -> Body<TicketProperties> {
    Body {
        properties: TicketProperties {
            title: Some(t.title.clone()),
            description: Some(t.description.clone()),
            service_id: service_id_of(&t.topic_id),
            problem_classification_id: Some(t.topic_id.clone()),
            severity: t.severity.map(|s| s.as_str().to_string()),
            advanced_diagnostic_consent: t
                .diagnostic_consent
                .map(|yes| if yes { "Yes" } else { "No" }.to_string()),
            contact_details: t.contact.as_deref().map(contact_details),
            technical_ticket_details: t.resource_id.as_ref().map(|r| TechnicalTicketDetails {
                resource_id: Some(r.clone()),
            }),
            ..TicketProperties::default()
        },
    }
}

/// The PUT body of a note.
pub fn communication_body(subject: &str, text: &str) -> Body<CommunicationProperties> {
    Body {
        properties: CommunicationProperties {
            subject: Some(subject.to_string()),
            body: Some(text.to_string()),
            ..CommunicationProperties::default()
        },
    }
}

/// The word a `$filter` on status uses (`Open`, `Closed`, `Updating`); `None` for a status
/// Azure's list cannot filter on.
pub fn status_word(status: Status) -> Option<&'static str> {
    match status {
        Status::Open => Some("Open"),
        Status::Closed => Some("Closed"),
        Status::Updating => Some("Updating"),
        _ => None,
    }
}

/// The PATCH body that closes a ticket (status is lowercase on write).
pub fn close_body() -> UpdateTicket {
    UpdateTicket {
        status: Some("closed".into()),
        ..UpdateTicket::default()
    }
}

/// The PATCH body that changes a ticket's severity; with `phone`, the contact's phone number
/// changes in the same call (the service takes a critical ticket only with one).
pub fn severity_body(s: Severity, phone: Option<&str>) -> UpdateTicket {
    UpdateTicket {
        severity: Some(s.as_str().to_string()),
        contact_details: phone.map(|p| ContactDetails {
            phone_number: Some(p.trim().to_string()),
            ..ContactDetails::default()
        }),
        ..UpdateTicket::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::ContactMethod;
    use serde_json::Value;

    use crate::azure::example;

    #[test]
    fn a_ticket_s_resource_id_says_where_it_was_filed() {
        let sub = "132d901f-189d-4381-9214-fe68e27e05a1";
        assert_eq!(
            subscription_of(&format!(
                "/subscriptions/{sub}/providers/Microsoft.Support/supportTickets/testticket"
            )),
            Some(Some(sub.to_string()))
        );
        assert_eq!(
            subscription_of("/providers/Microsoft.Support/supportTickets/testticket"),
            Some(None)
        );
        assert_eq!(
            subscription_of(&format!("/subscriptions/{sub}/resourceGroups/rg/providers/x/y")),
            None
        );
        assert_eq!(subscription_of("testticket"), None);
    }

    #[test]
    fn the_created_ticket_reads_as_the_domain_ticket() {
        let ex = example("CreateTechnicalSupportTicket.json");
        let body = ex["responses"]["200"]["body"].clone();
        let r: TicketResource = serde_json::from_value(body.clone()).unwrap();
        let t = ticket(&r, body.clone());
        assert_eq!(t.service, Service::Azure);
        assert_eq!(t.id.as_deref(), Some("testticket"));
        assert_eq!(t.number.as_deref(), Some("119120321001170"));
        assert_eq!(t.status, Some(Status::Open));
        assert_eq!(t.severity, Some(Severity::Moderate));
        assert_eq!(
            t.topic.text().as_deref(),
            Some(
                "Virtual Machine running Linux / Connectivity / Cannot connect to virtual machine by using RDP or SSH"
            )
        );
        assert_eq!(t.contact.unwrap().full_name(), "abc xyz");
        assert_eq!(t.created, Some(Stamp::At("2020-03-20T21:36:18Z".into())));
        assert_eq!(t.as_sent, body);
    }

    #[test]
    fn unknown_status_and_severity_keep_the_word() {
        let r: TicketResource = serde_json::from_value(serde_json::json!({
            "name": "x", "properties": {"status": "Escalated", "severity": "HighestCriticalImpact"}
        }))
        .unwrap();
        let t = ticket(&r, Value::Null);
        assert_eq!(t.status_other.as_deref(), Some("Escalated"));
        assert_eq!(t.severity, Some(Severity::HighestCriticalImpact));
    }

    #[test]
    fn communications_become_notes_with_their_direction() {
        let ex = example("ListCommunicationsForSupportTicket.json");
        let page: super::super::wire::List<CommunicationResource> =
            serde_json::from_value(ex["responses"]["200"]["body"].clone()).unwrap();
        let notes: Vec<Note> = page.value.iter().map(note).collect();
        assert_eq!(notes[0].direction, Direction::Outbound);
        assert_eq!(notes[0].author.as_deref(), Some("user@contoso.com"));
        assert_eq!(notes[1].text.as_deref(), Some("test"));
    }

    #[test]
    fn a_new_ticket_builds_the_put_body_with_the_service_derived() {
        let ex = example("CreateTechnicalSupportTicket.json");
        let sent = &ex["parameters"]["createSupportTicketParameters"]["properties"];
        let new = NewTicket {
            title: "my title".into(),
            description: "my description".into(),
            severity: Some(Severity::Moderate),
            topic_id: sent["problemClassificationId"].as_str().unwrap().into(),
            contact: Some(Box::new(Contact {
                first_name: "abc".into(),
                last_name: "xyz".into(),
                email: "abc@contoso.com".into(),
                additional_emails: vec![],
                phone: String::new(),
                method: ContactMethod::Email,
                time_zone: "Pacific Standard Time".into(),
                country: "usa".into(),
                language: "en-US".into(),
            })),
            diagnostic_consent: Some(true),
            resource_id: None,
            name: None,
        };
        let built = serde_json::to_value(create_body(&new)).unwrap();
        let p = &built["properties"];
        for key in [
            "title",
            "description",
            "problemClassificationId",
            "severity",
            "advancedDiagnosticConsent",
            "contactDetails",
        ] {
            assert_eq!(p[key], sent[key], "{key}");
        }
        assert_eq!(
            p["serviceId"],
            "/providers/Microsoft.Support/services/virtual_machine_running_linux_service_guid"
        );
        let close = serde_json::to_value(close_body()).unwrap();
        assert_eq!(
            close,
            example("UpdateStatusOfSupportTicket.json")["parameters"]["updateSupportTicket"]
        );
    }

    #[test]
    fn a_critical_change_with_a_phone_patches_the_contacts_phone_as_the_example_names_it() {
        let body = serde_json::to_value(severity_body(Severity::Critical, Some(" 123-456-7890 "))).unwrap();
        let update = example("UpdateContactDetailsOfSupportTicketForSubscription.json");
        let contact = &update["parameters"]["updateSupportTicket"]["contactDetails"];
        assert_eq!(
            body,
            serde_json::json!({
                "severity": "critical",
                "contactDetails": { "phoneNumber": contact["phoneNumber"] },
            }),
            "only the phone changes, under the example's key, trimmed"
        );
        assert_eq!(
            serde_json::to_value(severity_body(Severity::Critical, None)).unwrap(),
            example("UpdateSeverityOfSupportTicketForSubscription.json")["parameters"]["updateSupportTicket"]
        );
    }

    #[test]
    fn a_topic_id_without_a_service_derives_nothing() {
        assert_eq!(service_id_of("nonsense"), None);
    }
}
