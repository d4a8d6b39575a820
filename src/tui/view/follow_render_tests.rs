//! Snapshots of following a request: both history sources, the conversation, the note box and
//! the close question, at 120x40 and at 80x24.

use ratatui::crossterm::event::KeyCode;

use super::render_tests::{created, fresh, history_rows, render, submission};
use crate::domain::{Note, Person, Status, Ticket, TicketRow};
use crate::tui::action::{Action, Effect};
use crate::tui::state::{DetailsView, Screen, State};
use crate::tui::update::tests::{ctrl, open_history, press, type_text};
use crate::tui::update::update;
use crate::worker::{Job, Reply};

const SIZES: [(u16, u16); 2] = [(120, 40), (80, 24)];

/// A request with the agent's answer and the user's reply: a short conversation.
fn conversation() -> Ticket {
    let mut sr = created();
    sr.status = Some(Status::AttentionNeeded);
    sr.topic.name = Some("Cannot manage my profile".into());
    sr.created = Some(crate::domain::Stamp::At("2025-03-03T10:00:00Z".into()));
    sr.modified = Some(crate::domain::Stamp::At("2025-03-04T11:15:00Z".into()));
    sr.contact = Some(Person {
        first_name: Some("Avery".into()),
        last_name: Some("Sandbox".into()),
        ..sr.contact.clone().unwrap_or_default()
    });
    sr.notes = vec![
        Note {
            author: Some("Microsoft Support".into()),
            created: Some(crate::domain::Stamp::At("2025-03-04T09:30:00Z".into())),
            text: Some(
                "Thank you for contacting Microsoft Support. When did this start, and what exactly do you see? A screenshot or the full error text helps.".into(),
            ),
            ..Note::default()
        },
        Note {
            author: Some("Avery Sandbox".into()),
            created: Some(crate::domain::Stamp::At("2025-03-04T11:15:00Z".into())),
            text: Some("Since Monday.\nThe profile page says: access denied.".into()),
            ..Note::default()
        },
    ];
    sr
}

fn on_details(s: &mut State) {
    s.screen = Screen::Details(Box::new(DetailsView {
        submission: Some(submission(conversation())),
        ..DetailsView::local(3)
    }));
}

fn local_history(s: &mut State) {
    open_history(s, history_rows(), 4);
}

fn service_history(s: &mut State) {
    local_history(s);
    let fx = press(s, KeyCode::Tab);
    let seq = fx
        .iter()
        .find_map(|e| match e {
            Effect::Worker(Job::ServicePage { seq, .. }) => Some(*seq),
            _ => None,
        })
        .expect("the first page asked for");
    let mut rows: Vec<TicketRow> = Vec::new();
    let mut add = |id: &str, status, title: &str, topic: &str| {
        rows.push(TicketRow::of(&Ticket {
            id: Some(id.into()),
            status: Some(status),
            title: Some(title.into()),
            severity: Some(crate::domain::Severity::Moderate),
            topic: crate::domain::TopicRef {
                name: Some(topic.into()),
                ..Default::default()
            },
            created: Some(crate::domain::Stamp::At("2025-03-05T08:00:00Z".into())),
            ..Ticket::default()
        }))
    };
    add(
        "616122292874576",
        Status::AttentionNeeded,
        "TrialSR",
        "Cannot manage my profile",
    );
    add(
        "616122292874590",
        Status::Open,
        "Filed on the web page by a colleague",
        "Billing and invoices",
    );
    add(
        "616122292874001",
        Status::Closed,
        "A very long title that will certainly not fit",
        "Partner Center Issues",
    );
    update(
        s,
        Action::from(Reply::ServicePage {
            seq,
            outcome: Ok((rows, Some("/v1/servicerequests?size=200&offset=200".into()))),
        }),
    );
    press(s, KeyCode::Down);
}

#[test]
fn history_local_source() {
    for (w, h) in SIZES {
        let mut s = fresh();
        local_history(&mut s);
        s.updated = 1;
        insta::assert_snapshot!(format!("history_local_{w}x{h}"), render(&mut s, w, h));
    }
}

#[test]
fn history_partner_center_source() {
    for (w, h) in SIZES {
        let mut s = fresh();
        service_history(&mut s);
        let screen = render(&mut s, w, h);
        assert!(screen.contains("Partner Center 3+"), "{screen}");
        assert!(screen.contains("Filed on the web page"), "{screen}");
        insta::assert_snapshot!(format!("history_partner_center_{w}x{h}"), screen);
    }
}

#[test]
fn details_conversation() {
    for (w, h) in SIZES {
        let mut s = fresh();
        on_details(&mut s);
        render(&mut s, w, h);
        // The end of the conversation: the user's own reply, last.
        press(&mut s, KeyCode::End);
        let screen = render(&mut s, w, h);
        assert!(screen.contains("access denied"), "{screen}");
        insta::assert_snapshot!(format!("details_conversation_{w}x{h}"), screen);
    }
}

#[test]
fn at_the_end_of_the_conversation_an_answer_arriving_shows_without_a_key() {
    let (w, h) = (80, 24);
    let mut s = fresh();
    on_details(&mut s);
    render(&mut s, w, h);
    press(&mut s, KeyCode::End);
    assert!(render(&mut s, w, h).contains("access denied"));
    let mut sr = conversation();
    sr.notes.push(Note {
        author: Some("Microsoft Support".into()),
        created: Some(crate::domain::Stamp::At("2025-03-04T12:00:00Z".into())),
        text: Some("Thanks, we are looking into the access denied error.".into()),
        ..Note::default()
    });
    update(&mut s, Action::from(Reply::Details(submission(sr))));
    let screen = render(&mut s, w, h);
    assert!(
        screen.contains("we are looking into"),
        "the view follows the end: {screen}"
    );

    // Scrolled back up, the view stays where the user put it.
    press(&mut s, KeyCode::Home);
    render(&mut s, w, h);
    let mut sr = conversation();
    sr.notes.push(Note {
        author: Some("Microsoft Support".into()),
        text: Some("A third answer".into()),
        ..Note::default()
    });
    update(&mut s, Action::from(Reply::Details(submission(sr))));
    let screen = render(&mut s, w, h);
    assert!(screen.contains("Title"), "still at the top: {screen}");
    assert!(!screen.contains("A third answer"), "{screen}");
}

#[test]
fn note_box() {
    for (w, h) in SIZES {
        let mut s = fresh();
        on_details(&mut s);
        press(&mut s, KeyCode::Char('n'));
        type_text(&mut s, "Here is the screenshot you asked for.");
        press(&mut s, KeyCode::Enter);
        type_text(&mut s, "It happens on every page load.");
        let screen = render(&mut s, w, h);
        assert!(screen.contains("New note to 616122292874576"), "{screen}");
        insta::assert_snapshot!(format!("note_box_{w}x{h}"), screen);
    }
}

#[test]
fn close_question() {
    for (w, h) in SIZES {
        let mut s = fresh();
        on_details(&mut s);
        press(&mut s, KeyCode::Char('x'));
        let screen = render(&mut s, w, h);
        assert!(screen.contains("Close request 616122292874576? y/n"), "{screen}");
        insta::assert_snapshot!(format!("close_question_{w}x{h}"), screen);
    }
}

#[test]
fn a_note_that_failed_stays_in_its_box_with_the_reason() {
    let mut s = fresh();
    on_details(&mut s);
    press(&mut s, KeyCode::Char('n'));
    type_text(&mut s, "Please call me back");
    let fx = ctrl(&mut s, 's');
    let Some(Effect::Worker(Job::AddNote {
        target, request_id, ..
    })) = fx.into_iter().next()
    else {
        panic!("the note was not sent")
    };
    update(
        &mut s,
        Action::from(Reply::NoteAdded {
            target,
            request_id,
            outcome: Err((
                crate::domain::Failure::local(
                    "HTTP 503 Service Unavailable",
                    crate::domain::Remedy::RetryLater,
                ),
                false,
            )),
        }),
    );
    let screen = render(&mut s, 120, 40);
    assert!(screen.contains("Please call me back"), "{screen}");
    assert!(screen.contains("kept: not sent"), "{screen}");
}
