//! Building and changing service requests the way the service does: server-set fields on
//! create, notes, status and dates on update. Pure functions over the model types.

use super::assets::Identity;
use crate::api::{Attributes, NewServiceRequest, Note, ServiceRequest, ServiceRequestPatch, Status};

/// A freshly filed request: open, owned by the sandbox partner, dated `now`.
pub fn new_request(
    id: String,
    new: &NewServiceRequest,
    topic_name: Option<String>,
    identity: &Identity,
    now: &str,
) -> ServiceRequest {
    ServiceRequest {
        id: Some(id),
        title: Some(new.title.clone()),
        description: Some(new.description.clone()),
        severity: Some(new.severity),
        support_topic_id: Some(new.support_topic_id.trim().to_string()),
        support_topic_name: topic_name,
        status: Some(Status::Open),
        organization: Some(identity.organization.clone()),
        primary_contact: Some(identity.primary_contact.clone()),
        created_date: Some(now.to_string()),
        last_modified_date: Some(now.to_string()),
        country_code: Some(identity.country_code.clone()),
        attributes: Some(Attributes::of("ServiceRequest")),
        ..ServiceRequest::default()
    }
}

/// Applies an update: appends the note, changes the status (closing stamps `lastClosedDate`),
/// records who changed it and bumps `lastModifiedDate`.
pub fn apply_patch(sr: &mut ServiceRequest, patch: &ServiceRequestPatch, identity: &Identity, now: &str) {
    if let Some(note) = &patch.new_note {
        sr.notes.get_or_insert_with(Vec::new).push(Note {
            created_by_name: Some(identity.primary_contact.full_name()),
            created_date: Some(now.to_string()),
            text: Some(note.text.clone()),
        });
    }
    if let Some(status) = patch.status {
        if status == Status::Closed && sr.status != Some(Status::Closed) {
            sr.last_closed_date = Some(now.to_string());
        }
        sr.status = Some(status);
    }
    sr.new_note = None;
    sr.last_updated_by = Some(identity.primary_contact.clone());
    sr.last_modified_date = Some(now.to_string());
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
        let sr = new_request(
            "123456789012345".into(),
            &new,
            Some("Partner Center Issues".into()),
            &identity,
            "T0",
        );
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
            (Some("T0"), None)
        );
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
        assert_eq!(sr.last_closed_date, None);
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
