//! Following requests in the TUI, driven with actions: the note box, closing, and status
//! changes arriving. (The Partner Center list's own tests are in `service_list_tests`.)

use ratatui::crossterm::event::KeyCode;
use uuid::Uuid;

use super::service_list_tests::answer;
use super::tests::{ctrl, open_history, press, quits, state, type_text};
use super::*;
use crate::domain::Failure;
use crate::domain::{Status, Ticket};
use crate::tui::mode::{Mode, mode};
use crate::tui::state::{Confirm, DetailsView};
use crate::worker::{Reply, Target};

fn details_of(s: &mut State, server_id: &str) {
    s.screen = Screen::Details(Box::new(DetailsView {
        server_id: Some(server_id.into()),
        ..DetailsView::local(3)
    }));
}

fn note_sent(fx: &[Effect]) -> Option<(Target, String, Uuid)> {
    fx.iter().find_map(|e| match e {
        Effect::Worker(Job::AddNote {
            target,
            text,
            request_id,
        }) => Some((target.clone(), text.clone(), *request_id)),
        _ => None,
    })
}

fn lost_answer() -> Failure {
    Failure::local(
        "could not reach the service: connection reset",
        crate::domain::Remedy::Retry { after_seconds: None },
    )
}

#[test]
fn a_note_is_written_in_a_box_and_sent_with_ctrl_s() {
    let mut s = state();
    details_of(&mut s, "616122292874576");
    press(&mut s, KeyCode::Char('n'));
    assert_eq!(mode(&s), Mode::NoteBox, "letters type now");
    type_text(&mut s, "First line");
    press(&mut s, KeyCode::Enter);
    assert!(!quits(&type_text(&mut s, "xq second")), "q types in the note");
    let fx = ctrl(&mut s, 's');
    let (target, text, id) = note_sent(&fx).expect("the note goes to the worker");
    assert_eq!(text, "First line\nxq second");
    assert_eq!(target.server_id, "616122292874576");
    assert_eq!(target.local_id, Some(3));
    let mut sr = Ticket {
        id: Some("616122292874576".into()),
        ..Ticket::default()
    };
    sr.notes = vec![crate::domain::Note {
        text: Some(text.clone()),
        ..Default::default()
    }];
    update(
        &mut s,
        Action::from(Reply::NoteAdded {
            target,
            request_id: id,
            outcome: Ok(sr),
        }),
    );
    assert!(
        mode(&s) == Mode::Details && s.notes.is_empty(),
        "sent: the box is done"
    );
    let Screen::Details(d) = &s.screen else {
        panic!("still on the details")
    };
    assert_eq!(d.server().map(|r| r.notes.len()), Some(1));
}

#[test]
fn a_failed_note_is_kept_and_one_that_may_have_arrived_is_not_resent_without_asking() {
    let mut s = state();
    details_of(&mut s, "616122292874576");
    press(&mut s, KeyCode::Char('n'));
    type_text(&mut s, "Please call me");
    let (target, _, id) = note_sent(&ctrl(&mut s, 's')).expect("sent");
    assert!(
        ctrl(&mut s, 's').is_empty(),
        "no second send while one is in flight"
    );
    update(
        &mut s,
        Action::from(Reply::NoteAdded {
            target: target.clone(),
            request_id: id,
            outcome: Err((lost_answer(), true)),
        }),
    );
    assert_eq!(s.notes[0].body(), "Please call me", "kept");
    assert!(
        s.notice
            .as_ref()
            .is_some_and(|n| n.text.contains("may have been added"))
    );
    // Ctrl+S asks first; n keeps it unsent.
    assert!(note_sent(&ctrl(&mut s, 's')).is_none());
    assert!(matches!(s.question(), Some(Confirm::ResendNote(_))));
    assert_eq!(mode(&s), Mode::Question);
    press(&mut s, KeyCode::Char('n'));
    assert!(s.question().is_none() && s.notes.len() == 1);
    assert_eq!(mode(&s), Mode::NoteBox, "back in the box");
    // Asked again, y sends it with the same MS-RequestId: the service adds it once.
    ctrl(&mut s, 's');
    let (_, _, again) = note_sent(&press(&mut s, KeyCode::Char('y'))).expect("resent");
    assert_eq!(again, id);
    // A plain failure (nothing arrived) keeps it too, and Ctrl+S just sends again.
    update(
        &mut s,
        Action::from(Reply::NoteAdded {
            target,
            request_id: id,
            outcome: Err((lost_answer(), false)),
        }),
    );
    let (_, _, third) = note_sent(&ctrl(&mut s, 's')).expect("sent without a question");
    assert_eq!(third, id, "the same text keeps its id");
}

#[test]
fn esc_closes_the_note_box_and_n_brings_the_text_back() {
    let mut s = state();
    details_of(&mut s, "1");
    press(&mut s, KeyCode::Char('n'));
    type_text(&mut s, "half a thought");
    press(&mut s, KeyCode::Esc);
    assert_eq!(mode(&s), Mode::Details);
    assert!(matches!(s.screen, Screen::Details(_)), "Esc closed only the box");
    assert!(s.notice.as_ref().is_some_and(|n| n.text.contains("kept")));
    press(&mut s, KeyCode::Char('n'));
    assert_eq!(s.notes[0].body(), "half a thought");
    // Ctrl+E hands the note (not the description) to the editor, and takes its text back.
    assert_eq!(
        ctrl(&mut s, 'e'),
        vec![Effect::OpenEditor("half a thought".into())]
    );
    update(&mut s, Action::EditorDone(Ok("a whole thought\n".into())));
    assert_eq!(s.notes[0].body(), "a whole thought");
    assert_eq!(s.form.description_text(), "", "the form is untouched");
}

#[test]
fn an_empty_note_is_not_sent() {
    let mut s = state();
    details_of(&mut s, "1");
    press(&mut s, KeyCode::Char('n'));
    type_text(&mut s, "   ");
    assert!(note_sent(&ctrl(&mut s, 's')).is_none());
    assert!(s.notice.as_ref().is_some_and(|n| n.text.contains("empty")));
}

#[test]
fn changes_found_in_the_background_are_marked_and_counted() {
    let mut s = state();
    update(&mut s, Action::from(Reply::Updated(2)));
    assert_eq!(s.updated, 2);
    update(
        &mut s,
        Action::from(Reply::Followed {
            local_id: 7,
            server_id: "616122292874576".into(),
            status: Some("Attention needed".into()),
            updated: true,
        }),
    );
    assert!(s.notice.as_ref().is_some_and(|n| {
        n.text
            .contains("616122292874576 changed on the server: attention needed")
    }));
}

#[test]
fn closing_asks_and_then_shows_closed_in_the_partner_center_list() {
    let mut s = state();
    ctrl(&mut s, 'r');
    let fx = press(&mut s, KeyCode::Tab);
    answer(&mut s, &fx, 0, 3, false);
    let fx = press(&mut s, KeyCode::Enter);
    let id = s.history.service.rows[0].id.clone();
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::Worker(Job::Refresh { looking: true, .. })))
    );
    press(&mut s, KeyCode::Char('x'));
    let fx = press(&mut s, KeyCode::Char('y'));
    let Some(Effect::Worker(Job::Close(target))) = fx.first() else {
        panic!("{fx:?}")
    };
    assert_eq!(target.server_id, id);
    // The conversation on screen, as the open read it.
    let read = Ticket {
        id: Some(id.clone()),
        notes: vec![crate::domain::Note {
            text: Some("We are looking into it.".into()),
            ..crate::domain::Note::default()
        }],
        ..Ticket::default()
    };
    update(
        &mut s,
        Action::from(Reply::Refreshed {
            target: target.clone(),
            outcome: Ok(read),
        }),
    );
    // Azure answers a close with the ticket alone, no conversation.
    let closed = Ticket {
        id: Some(id.clone()),
        status: Some(Status::Closed),
        ..Ticket::default()
    };
    update(
        &mut s,
        Action::from(Reply::Closed {
            target: target.clone(),
            outcome: Ok(closed),
        }),
    );
    assert_eq!(s.history.service.rows[0].status, "closed");
    let Screen::Details(d) = &s.screen else {
        panic!("the details stay open")
    };
    let shown = d.server().expect("the closed copy");
    assert_eq!(shown.status, Some(Status::Closed));
    assert_eq!(shown.notes.len(), 1, "the conversation stays on screen");
    press(&mut s, KeyCode::Esc);
    assert!(matches!(s.screen, Screen::History));
}

#[test]
fn an_empty_local_history_is_read_once_not_in_a_loop() {
    let mut s = state();
    let fx = open_history(&mut s, Vec::new(), 0);
    assert!(
        !fx.iter()
            .any(|e| matches!(e, Effect::Worker(Job::History { .. }))),
        "no rows is an answer, not a reason to ask again: {fx:?}"
    );
}
