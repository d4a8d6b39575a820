//! Partner Center's wire resources to and from the domain model. Nothing above the client sees
//! a [`ServiceRequest`]: it sees a [`Ticket`] whose `as_sent` keeps the resource for `--json`.

use crate::domain::{
    self, Direction, NewTicket, Organization as DomainOrg, Person, Service, Stamp, Ticket, Topic, TopicRef,
};

use super::model::{
    NewServiceRequest, ServiceRequest, ServiceRequestContact, ServiceRequestNote, ServiceRequestOrganization,
    Severity, Status, SupportTopic, UNSET_DATE,
};

/// The domain's severity on the wire. Partner Center has no "highest critical impact": a new
/// ticket is validated against the service's severities before it gets here.
pub fn severity(s: domain::Severity) -> Severity {
    match s {
        domain::Severity::HighestCriticalImpact | domain::Severity::Critical => Severity::Critical,
        domain::Severity::Moderate => Severity::Moderate,
        domain::Severity::Minimal => Severity::Minimal,
    }
}

/// The wire's severity in the domain (`unknown` is "not set").
pub fn domain_severity(s: Severity) -> Option<domain::Severity> {
    match s {
        Severity::Unknown => None,
        Severity::Critical => Some(domain::Severity::Critical),
        Severity::Moderate => Some(domain::Severity::Moderate),
        Severity::Minimal => Some(domain::Severity::Minimal),
    }
}

/// The domain's status on the wire, where Partner Center has it (it has no "updating").
pub fn status(s: domain::Status) -> Option<Status> {
    match s {
        domain::Status::NotSet => Some(Status::None),
        domain::Status::Open => Some(Status::Open),
        domain::Status::Closed => Some(Status::Closed),
        domain::Status::AttentionNeeded => Some(Status::AttentionNeeded),
        domain::Status::Updating => None,
    }
}

fn from_status(s: Status) -> domain::Status {
    match s {
        Status::None => domain::Status::NotSet,
        Status::Open => domain::Status::Open,
        Status::Closed => domain::Status::Closed,
        Status::AttentionNeeded => domain::Status::AttentionNeeded,
    }
}

/// What the client sends to file a ticket.
pub fn new_request(t: &NewTicket) -> NewServiceRequest {
    NewServiceRequest {
        title: t.title.clone(),
        description: t.description.clone(),
        severity: t.severity.map_or(Severity::Unknown, severity),
        support_topic_id: t.topic_id.clone(),
    }
}

fn stamp(raw: &Option<String>) -> Option<Stamp> {
    let raw = raw.as_deref()?;
    Some(if raw.starts_with(&UNSET_DATE[..10]) {
        Stamp::Unset
    } else {
        Stamp::At(raw.to_string())
    })
}

fn org(o: &ServiceRequestOrganization) -> DomainOrg {
    DomainOrg {
        id: o.id.clone(),
        name: o.name.clone(),
        phone: o.phone_number.clone(),
    }
}

fn person(c: &ServiceRequestContact) -> Person {
    Person {
        id: c.contact_id.clone(),
        first_name: c.first_name.clone(),
        last_name: c.last_name.clone(),
        email: c.email.clone(),
        phone: c.phone_number.clone(),
        organization: c.organization.as_ref().map(org),
    }
}

fn note(n: &ServiceRequestNote) -> domain::Note {
    domain::Note {
        id: None,
        author: n.created_by_name.clone(),
        created: stamp(&n.created_date),
        subject: None,
        text: n.text.clone(),
        direction: Direction::Unknown,
    }
}

fn raw_word(value: &Option<serde_json::Value>) -> Option<String> {
    value.as_ref().map(|v| match v {
        serde_json::Value::String(s) => s.clone(),
        other => other.to_string(),
    })
}

/// A service request as a ticket.
pub fn ticket(sr: &ServiceRequest) -> Ticket {
    Ticket {
        service: Service::PartnerCenter,
        id: sr.id.clone(),
        number: None,
        title: sr.title.clone(),
        description: sr.description.clone(),
        severity: sr.severity.and_then(domain_severity),
        severity_other: raw_word(&sr.severity_raw),
        status: sr.status.map(from_status),
        status_other: raw_word(&sr.status_raw),
        topic: TopicRef {
            id: sr.support_topic_id.clone(),
            name: sr.support_topic_name.clone(),
            parent_id: None,
            parent_name: None,
        },
        organization: sr.organization.as_ref().map(org),
        contact: sr.primary_contact.as_ref().map(person),
        last_updated_by: sr.last_updated_by.as_ref().map(person),
        product: sr.product_name.clone().or_else(|| sr.product_id.clone()),
        country: sr.country_code.clone(),
        created: stamp(&sr.created_date),
        modified: stamp(&sr.last_modified_date),
        closed: stamp(&sr.last_closed_date),
        // Partner Center states neither a response deadline nor a plan on a request.
        response_due: None,
        support_plan: None,
        notes: sr.notes.iter().flatten().map(note).collect(),
        attachments: sr
            .file_links
            .iter()
            .flatten()
            .map(|f| {
                format!(
                    "{}{}",
                    f.file_name_without_extension.as_deref().unwrap_or(""),
                    f.file_extension.as_deref().unwrap_or("")
                )
            })
            .collect(),
        // The server's form (camelCase, nulls omitted, unknown enum values under their own
        // key): what `--json` has always printed.
        as_sent: serde_json::to_value(sr).unwrap_or(serde_json::Value::Null),
    }
}

/// A support topic as a catalogue entry (its numeric id as the string a create takes).
pub fn topic(t: &SupportTopic) -> Topic {
    Topic {
        id: t.id.to_string(),
        name: t.name.clone(),
        description: t.description.clone(),
        parent_id: None,
        parent_name: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::model::CreateBody;
    use crate::api::wire;

    const FIXTURES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");

    fn fixture(name: &str) -> Vec<u8> {
        std::fs::read(format!("{FIXTURES}/{name}")).unwrap()
    }

    #[test]
    fn the_seeds_request_comes_from_a_domain_ticket_byte_for_byte() {
        let t = NewTicket {
            title: "TrialSR".into(),
            description: "Ignore this SR".into(),
            severity: Some(domain::Severity::Critical),
            topic_id: "32444671".into(),
            ..Default::default()
        };
        let wire = new_request(&t);
        let sent: serde_json::Value = serde_json::to_value(CreateBody::new(&wire)).unwrap();
        let seed: serde_json::Value = serde_json::from_slice(&fixture("create-request.json")).unwrap();
        assert_eq!(sent, seed);
    }

    #[test]
    fn the_seeds_answer_is_a_ticket_with_its_organization_contact_and_unset_dates() {
        let sr: ServiceRequest = wire::parse(&fixture("create-response.json")).unwrap();
        let t = ticket(&sr);
        assert_eq!(t.service, Service::PartnerCenter);
        assert_eq!(t.id.as_deref(), Some("616122292874576"));
        assert_eq!(t.severity, Some(domain::Severity::Critical));
        assert_eq!(t.status, Some(domain::Status::NotSet));
        assert_eq!(t.topic.id.as_deref(), Some("32444671"));
        let org = t.organization.as_ref().unwrap();
        assert_eq!(org.name.as_deref(), Some("TEST_TEST_BugBash1"));
        assert_eq!(org.phone.as_deref(), Some("2398391056"));
        let contact = t.contact.as_ref().unwrap();
        assert_eq!(
            contact.email.as_deref(),
            Some("admin@testtestbugbash1.onmicrosoft.com")
        );
        assert_eq!(contact.full_name(), "Account");
        assert_eq!(t.created, Some(Stamp::Unset));
        assert_eq!(t.country.as_deref(), Some("US"));
        assert_eq!(
            t.as_sent["primaryContact"]["contactId"],
            "bb4ebcf5-d84c-4b35-8469-f4cfa4ac909e"
        );
    }

    #[test]
    fn an_unknown_status_is_kept_as_sent_and_the_topics_ids_become_strings() {
        let sr: ServiceRequest =
            wire::parse(br#"{"id":"1","status":"resolved","severity":9,"notes":[{"text":"a"}]}"#).unwrap();
        let t = ticket(&sr);
        assert_eq!(t.status, None);
        assert_eq!(t.status_text().as_deref(), Some("resolved"));
        assert_eq!(t.severity_text().as_deref(), Some("9"));
        assert_eq!(t.notes.len(), 1);
        let topics: crate::api::Collection<SupportTopic> =
            wire::parse(&fixture("topics-response.json")).unwrap();
        let first = topic(&topics.items[0]);
        assert_eq!(first.id, "32444667");
        assert_eq!(first.name, "Partner Center Issues");
    }
}
