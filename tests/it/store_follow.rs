//! Following requests in the local store: the last known status, the `updated` mark that
//! opening clears, and the queue of open requests due a re-read.

use std::time::Duration;

use pcsr_tui::domain::{NewTicket, Note, Severity, Stamp, Status, Ticket};
use pcsr_tui::store::{NewSubmission, Store};
use uuid::Uuid;

const HERE: &str = "http://127.0.0.1:9";

fn filed(store: &Store, title: &str, server_id: &str, base_url: &str) -> (i64, Ticket) {
    let request = NewTicket {
        title: title.into(),
        description: "d".into(),
        severity: Some(Severity::Minimal),
        topic_id: "32444667".into(),
        ..Default::default()
    };
    let local_id = store
        .record_submission(&NewSubmission {
            request_id: Uuid::new_v4(),
            service: pcsr_tui::domain::Service::PartnerCenter,
            cloud: "sandbox",
            locale: "en-US",
            base_url,
            request: &request,
            attachments: &[],
            subscription: None,
        })
        .unwrap();
    let sr = Ticket {
        id: Some(server_id.into()),
        title: Some(title.into()),
        status: Some(Status::Open),
        modified: Some(Stamp::At("2026-11-26T08:00:00.000Z".into())),
        ..Ticket::default()
    };
    store.mark_created(local_id, &sr).unwrap();
    (local_id, sr)
}

fn with_agent_note(sr: &Ticket) -> Ticket {
    Ticket {
        status: Some(Status::AttentionNeeded),
        notes: vec![Note {
            author: Some("Microsoft Support".into()),
            created: Some(Stamp::At("2026-11-26T08:05:00.000Z".into())),
            text: Some("Please send a screenshot.".into()),
            ..Note::default()
        }],
        modified: Some(Stamp::At("2026-11-26T08:05:00.000Z".into())),
        ..sr.clone()
    }
}

fn row_of(store: &Store, local_id: i64) -> pcsr_tui::store::HistoryRow {
    store
        .history("", 0, 100)
        .unwrap()
        .into_iter()
        .find(|r| r.local_id == local_id)
        .unwrap()
}

#[test]
fn a_change_on_the_server_marks_the_request_until_it_is_opened() {
    let store = Store::open_in_memory().unwrap();
    let (local_id, sr) = filed(&store, "Invoice", "616000000000001", HERE);
    let same = store.record_refresh(&sr).unwrap().unwrap();
    assert_eq!(
        (same.local_id, same.updated, same.changed),
        (local_id, false, false)
    );
    assert!(
        !row_of(&store, local_id).updated,
        "what the user saw on the result screen"
    );

    let answered = with_agent_note(&sr);
    let first = store.record_refresh(&answered).unwrap().unwrap();
    assert!(first.updated && first.changed);
    let row = row_of(&store, local_id);
    assert_eq!((row.status, row.updated), (Some(Status::AttentionNeeded), true));
    assert_eq!(store.updated_count().unwrap(), 1);

    // Read again unchanged: still marked (nobody opened it), but nothing new.
    let again = store.record_refresh(&answered).unwrap().unwrap();
    assert_eq!((again.updated, again.changed), (true, false));

    store.mark_seen(local_id).unwrap();
    assert!(!row_of(&store, local_id).updated);
    assert_eq!(store.updated_count().unwrap(), 0);
    let after = store.record_refresh(&answered).unwrap().unwrap();
    assert!(!after.updated, "what was opened is the new baseline");

    // Changing it back is a change too.
    let reopened = Ticket {
        status: Some(Status::Open),
        ..answered
    };
    assert!(store.record_refresh(&reopened).unwrap().unwrap().updated);
}

#[test]
fn a_refresh_of_an_unknown_request_adds_nothing() {
    let store = Store::open_in_memory().unwrap();
    let stranger = Ticket {
        id: Some("999".into()),
        status: Some(Status::Open),
        ..Ticket::default()
    };
    assert_eq!(store.record_refresh(&stranger).unwrap(), None);
    assert_eq!(store.history_count("").unwrap(), 0);
    assert!(
        store.mark_seen(12345).is_err(),
        "opening a missing row is an error"
    );
}

#[test]
fn a_copy_seen_through_upsert_keeps_the_mark_in_step() {
    let store = Store::open_in_memory().unwrap();
    let (local_id, sr) = filed(&store, "Upserted", "616000000000002", HERE);
    store
        .upsert_server_copy(&with_agent_note(&sr), "sandbox", "en-US", HERE)
        .unwrap();
    assert!(row_of(&store, local_id).updated);
    // A request first seen through a list is not "updated": there was nothing before it.
    let foreign = store
        .upsert_server_copy(
            &Ticket {
                id: Some("616000000000003".into()),
                title: Some("From the portal".into()),
                status: Some(Status::Open),
                ..Ticket::default()
            },
            "sandbox",
            "en-US",
            HERE,
        )
        .unwrap();
    assert!(!row_of(&store, foreign).updated);
}

/// Returns once the system clock reads at least a microsecond later than at the call (the
/// store stamps rows to the microsecond), so the next stamp sorts after the last one.
fn clock_moves_on() {
    let start = std::time::SystemTime::now();
    while std::time::SystemTime::now()
        .duration_since(start)
        .is_ok_and(|d| d < Duration::from_micros(2))
    {
        std::hint::spin_loop();
    }
}

#[test]
fn the_re_read_queue_holds_open_requests_of_this_destination_oldest_checked_first() {
    let store = Store::open_in_memory().unwrap();
    let (a, sr_a) = filed(&store, "A", "1", HERE);
    clock_moves_on();
    let (b, _) = filed(&store, "B", "2", HERE);
    clock_moves_on();
    let (_c, sr_c) = filed(&store, "C", "3", HERE);
    let (_elsewhere, _) = filed(&store, "D", "4", "https://api.partnercenter.microsoft.com");
    // Closed requests are never re-read.
    store
        .record_refresh(&Ticket {
            status: Some(Status::Closed),
            ..sr_c
        })
        .unwrap();
    // Not due yet: all were checked (filed) moments ago.
    assert!(
        store
            .due_for_refresh(
                pcsr_tui::domain::Service::PartnerCenter,
                "global",
                HERE,
                Duration::from_secs(300),
                10
            )
            .unwrap()
            .is_empty()
    );
    let due = store
        .due_for_refresh(
            pcsr_tui::domain::Service::PartnerCenter,
            "global",
            HERE,
            Duration::ZERO,
            10,
        )
        .unwrap();
    assert_eq!(
        due.iter().map(|d| d.local_id).collect::<Vec<_>>(),
        [a, b],
        "oldest checked first, closed and other destinations left out"
    );
    assert_eq!(due[0].server_id, "1");
    assert_eq!(
        store
            .due_for_refresh(
                pcsr_tui::domain::Service::PartnerCenter,
                "global",
                HERE,
                Duration::ZERO,
                1
            )
            .unwrap()
            .len(),
        1,
        "a small limit"
    );
    // A re-read (or a failed one) sends a request to the back of the queue.
    clock_moves_on();
    store.record_refresh(&sr_a).unwrap();
    let due = store
        .due_for_refresh(
            pcsr_tui::domain::Service::PartnerCenter,
            "global",
            HERE,
            Duration::ZERO,
            10,
        )
        .unwrap();
    assert_eq!(due.iter().map(|d| d.local_id).collect::<Vec<_>>(), [b, a]);
    clock_moves_on();
    store.mark_checked(b).unwrap();
    let due = store
        .due_for_refresh(
            pcsr_tui::domain::Service::PartnerCenter,
            "global",
            HERE,
            Duration::ZERO,
            10,
        )
        .unwrap();
    assert_eq!(due.iter().map(|d| d.local_id).collect::<Vec<_>>(), [a, b]);
    assert!(due.iter().all(|d| d.checked_at.is_some()));
}

#[test]
fn notes_being_written_are_kept_one_per_request_until_removed() {
    let store = pcsr_tui::store::Store::open_in_memory().unwrap();
    let mut note = pcsr_tui::store::NoteDraft {
        server_id: "616122292874576".into(),
        local_id: Some(3),
        customer: None,
        body: "first\nsecond".into(),
        request_id: uuid::Uuid::new_v4(),
        sent_body: None,
        maybe_added: false,
    };
    store.save_note_draft(&note).unwrap();
    note.body.push_str(" line");
    note.sent_body = Some(note.body.clone());
    note.maybe_added = true;
    store.save_note_draft(&note).unwrap();
    let kept = store.note_drafts().unwrap();
    assert_eq!(kept, vec![note.clone()], "one per request, the latest copy");
    store.remove_note_draft(&note.server_id).unwrap();
    assert!(store.note_drafts().unwrap().is_empty());
}
