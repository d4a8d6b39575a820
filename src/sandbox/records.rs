//! Building and changing service requests the way the service does: server-set fields on
//! create, notes, status and dates on update, and the support agent's answer. Pure functions
//! over the model types.

use super::assets::{Identity, SeedRequest};
use crate::api::{
    Attributes, NewServiceRequest, ServiceRequest, ServiceRequestContact, ServiceRequestNote,
    ServiceRequestPatch, Status, UNSET_DATE,
};

/// Who answers requests when agent replies are on.
pub const AGENT_NAME: &str = "Microsoft Support";

/// What the sandbox knows about the topic a request is filed under.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TopicFacts {
    /// The topic's name.
    pub name: Option<String>,
    /// The product the topic belongs to (`productId`).
    pub product_id: Option<String>,
    /// Its name (`productName`).
    pub product_name: Option<String>,
}

/// A freshly filed request: open, owned by the sandbox partner, dated `now`, carrying the
/// topic's product and any notes sent with the create (written by the partner's contact).
pub fn new_request(
    id: String,
    new: &NewServiceRequest,
    notes: &[String],
    topic: &TopicFacts,
    identity: &Identity,
    now: &str,
) -> ServiceRequest {
    let author = identity.primary_contact.full_name();
    let notes: Vec<ServiceRequestNote> = notes.iter().map(|text| note(&author, now, text)).collect();
    ServiceRequest {
        id: Some(id),
        title: Some(new.title.clone()),
        description: Some(new.description.clone()),
        severity: Some(new.severity),
        support_topic_id: Some(new.support_topic_id.trim().to_string()),
        support_topic_name: topic.name.clone(),
        status: Some(Status::Open),
        organization: Some(identity.organization.clone()),
        primary_contact: Some(identity.primary_contact.clone()),
        product_id: topic.product_id.clone(),
        product_name: topic.product_name.clone(),
        created_date: Some(now.to_string()),
        last_modified_date: Some(now.to_string()),
        // The service sends the SDK's "unset" date until a request is first closed.
        last_closed_date: Some(UNSET_DATE.to_string()),
        notes: (!notes.is_empty()).then_some(notes),
        country_code: Some(identity.country_code.clone()),
        attributes: Some(Attributes::of("ServiceRequest")),
        ..ServiceRequest::default()
    }
}

/// A seeded customer request, as it stands after its (dated `now`) history.
pub fn seeded_request(
    id: String,
    seed: &SeedRequest,
    topic: &TopicFacts,
    identity: &Identity,
    now: &str,
) -> ServiceRequest {
    let new = NewServiceRequest {
        title: seed.title.clone(),
        description: seed.description.clone(),
        severity: seed.severity,
        support_topic_id: seed.support_topic_id.clone(),
    };
    let mut sr = new_request(id, &new, &[], topic, identity, now);
    let notes: Vec<ServiceRequestNote> = seed
        .notes
        .iter()
        .map(|n| {
            let author = n.created_by_name.as_deref().unwrap_or(AGENT_NAME);
            note(author, now, n.text.as_deref().unwrap_or(""))
        })
        .collect();
    sr.notes = (!notes.is_empty()).then_some(notes);
    sr.status = Some(seed.status);
    if seed.status == Status::Closed {
        sr.last_closed_date = Some(now.to_string());
    }
    sr
}

fn note(author: &str, date: &str, text: &str) -> ServiceRequestNote {
    ServiceRequestNote {
        created_by_name: Some(author.to_string()),
        created_date: Some(date.to_string()),
        text: Some(text.to_string()),
    }
}

/// Applies an update: appends the note, changes the status (closing stamps `lastClosedDate`),
/// records who changed it and bumps `lastModifiedDate`. A `none` status means "not set"
/// (the SDK sends it beside every note) and changes nothing.
pub fn apply_patch(sr: &mut ServiceRequest, patch: &ServiceRequestPatch, identity: &Identity, now: &str) {
    if let Some(new_note) = &patch.new_note {
        let author = identity.primary_contact.full_name();
        sr.notes
            .get_or_insert_with(Vec::new)
            .push(note(&author, now, &new_note.text));
    }
    if let Some(status) = patch.status.filter(|s| *s != Status::None) {
        if status == Status::Closed && sr.status != Some(Status::Closed) {
            sr.last_closed_date = Some(now.to_string());
        }
        sr.status = Some(status);
    }
    sr.new_note = None;
    sr.last_updated_by = Some(identity.primary_contact.clone());
    sr.last_modified_date = Some(now.to_string());
}

/// The support agent answers: a note asking for details and the status set to attention
/// needed. A request closed in the meantime is left alone. Returns whether it changed.
pub fn agent_reply(sr: &mut ServiceRequest, now: &str) -> bool {
    if sr.status == Some(Status::Closed) {
        return false;
    }
    let title = sr.title.as_deref().unwrap_or("your request");
    let text = format!(
        "Thank you for contacting Microsoft Support about \"{title}\". To move forward we need a little \
         more from you: when did this start, and what exactly do you see (a screenshot or the full error \
         text helps)? Please add a note to this request."
    );
    sr.notes
        .get_or_insert_with(Vec::new)
        .push(note(AGENT_NAME, now, &text));
    sr.status = Some(Status::AttentionNeeded);
    sr.last_updated_by = Some(ServiceRequestContact {
        first_name: Some("Microsoft".into()),
        last_name: Some("Support".into()),
        ..ServiceRequestContact::default()
    });
    sr.last_modified_date = Some(now.to_string());
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::Severity;
    use crate::sandbox::assets;

    fn filed() -> (ServiceRequest, Identity) {
        let identity = assets::identity().unwrap();
        let new = NewServiceRequest {
            title: "Invoice missing".into(),
            description: "November invoice is not listed".into(),
            severity: Severity::Moderate,
            support_topic_id: " 32444667 ".into(),
        };
        let topic = TopicFacts {
            name: Some("Partner Center Issues".into()),
            product_id: Some("15960".into()),
            product_name: Some("Partner Center".into()),
        };
        let sr = new_request("123456789012345".into(), &new, &[], &topic, &identity, "T0");
        (sr, identity)
    }

    #[test]
    fn new_requests_are_open_and_carry_the_partner() {
        let (sr, identity) = filed();
        assert_eq!(sr.status, Some(Status::Open));
        assert_eq!(sr.support_topic_id.as_deref(), Some("32444667"));
        assert_eq!(sr.organization.as_ref(), Some(&identity.organization));
        assert_eq!(
            (sr.created_date.as_deref(), sr.last_closed_date.as_deref()),
            (Some("T0"), Some(UNSET_DATE))
        );
        assert_eq!(
            (sr.product_id.as_deref(), sr.product_name.as_deref()),
            (Some("15960"), Some("Partner Center"))
        );
        assert_eq!(sr.notes, None);
    }

    #[test]
    fn notes_sent_with_the_create_are_kept_with_author_and_date() {
        let identity = assets::identity().unwrap();
        let (filed, _) = filed();
        let new = NewServiceRequest {
            title: "T".into(),
            description: "D".into(),
            severity: Severity::Minimal,
            support_topic_id: "32444667".into(),
        };
        let sr = new_request(
            "1".into(),
            &new,
            &["first".into(), "second".into()],
            &TopicFacts::default(),
            &identity,
            "T0",
        );
        let notes = sr.notes.unwrap();
        assert_eq!(notes.len(), 2);
        assert_eq!(notes[1].text.as_deref(), Some("second"));
        assert_eq!(notes[0].created_date.as_deref(), Some("T0"));
        assert_eq!(notes[0].created_by_name.as_deref(), Some("Avery Sandbox"));
        assert!(filed.notes.is_none());
    }

    #[test]
    fn status_none_beside_a_note_leaves_the_status_alone() {
        let (mut sr, identity) = filed();
        let patch = ServiceRequestPatch {
            status: Some(Status::None),
            ..ServiceRequestPatch::note("hello")
        };
        apply_patch(&mut sr, &patch, &identity, "T1");
        assert_eq!(sr.status, Some(Status::Open));
        assert_eq!(sr.last_closed_date.as_deref(), Some(UNSET_DATE));
        assert_eq!(sr.notes.map(|n| n.len()), Some(1));
    }

    #[test]
    fn the_agent_asks_for_details_unless_the_request_was_closed() {
        let (mut sr, identity) = filed();
        assert!(agent_reply(&mut sr, "T5"));
        assert_eq!(sr.status, Some(Status::AttentionNeeded));
        let note = sr.notes.as_ref().unwrap().last().unwrap().clone();
        assert_eq!(
            (note.created_by_name.as_deref(), note.created_date.as_deref()),
            (Some(AGENT_NAME), Some("T5"))
        );
        assert!(note.text.unwrap().contains("Invoice missing"));
        assert_eq!(sr.last_modified_date.as_deref(), Some("T5"));
        let (mut closed, _) = filed();
        apply_patch(
            &mut closed,
            &ServiceRequestPatch::status(Status::Closed),
            &identity,
            "T1",
        );
        let before = closed.clone();
        assert!(!agent_reply(&mut closed, "T6"));
        assert_eq!(closed, before);
    }

    #[test]
    fn notes_append_and_closing_stamps_the_close_date() {
        let (mut sr, identity) = filed();
        apply_patch(&mut sr, &ServiceRequestPatch::note("first"), &identity, "T1");
        apply_patch(&mut sr, &ServiceRequestPatch::note("second"), &identity, "T2");
        let notes = sr.notes.clone().unwrap();
        assert_eq!(
            notes
                .iter()
                .map(|n| n.text.as_deref().unwrap())
                .collect::<Vec<_>>(),
            ["first", "second"]
        );
        assert_eq!(
            notes[0].created_by_name.as_deref(),
            Some(identity.primary_contact.full_name().as_str())
        );
        assert_eq!(sr.last_closed_date.as_deref(), Some(UNSET_DATE));
        apply_patch(
            &mut sr,
            &ServiceRequestPatch::status(Status::Closed),
            &identity,
            "T3",
        );
        assert_eq!(
            (sr.status, sr.last_closed_date.as_deref()),
            (Some(Status::Closed), Some("T3"))
        );
        assert_eq!(sr.last_modified_date.as_deref(), Some("T3"));
        assert_eq!(sr.created_date.as_deref(), Some("T0"));
    }
}
