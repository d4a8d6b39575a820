//! Following requests in the TUI, driven with actions: the two-source history, the note box,
//! closing, and status changes arriving.

use ratatui::crossterm::event::KeyCode;
use uuid::Uuid;

use super::tests::{ctrl, press, state, type_text};
use super::*;
use crate::api::{RequestRow, ServiceRequest, Status};
use crate::tui::state::{Confirm, DetailsView, Paging};
use crate::worker::{ErrorView, Reply, Target};

fn service_rows(from: usize, n: usize) -> Vec<RequestRow> {
    (from..from + n)
        .map(|i| {
            RequestRow::of(&ServiceRequest {
                id: Some(format!("9{i:08}")),
                title: Some(if i % 10 == 7 {
                    format!("Printer {i}")
                } else {
                    format!("Request {i}")
                }),
                status: Some(Status::Open),
                ..ServiceRequest::default()
            })
        })
        .collect()
}

/// The page read an effect list asks for: (seq, customer, link).
fn page_read(fx: &[Effect]) -> Option<(u64, Option<String>, Option<String>)> {
    fx.iter().find_map(|e| match e {
        Effect::Worker(Work::ServicePage { seq, customer, uri }) => {
            Some((*seq, customer.clone(), uri.clone()))
        }
        _ => None,
    })
}

/// Answers a page read with `n` rows and, when `more`, a link to the next page.
fn answer(s: &mut State, fx: &[Effect], from: usize, n: usize, more: bool) -> Vec<Effect> {
    let (seq, _, _) = page_read(fx).expect("a page read");
    let next = more.then(|| format!("/v1/servicerequests?size=200&offset={}", from + n));
    update(
        s,
        Action::from(Reply::ServicePage {
            seq,
            outcome: Ok((service_rows(from, n), next)),
        }),
    )
}

#[test]
fn tab_switches_to_partner_center_which_reads_pages_only_as_the_user_nears_them() {
    let mut s = state();
    ctrl(&mut s, 'r');
    let fx = press(&mut s, KeyCode::Tab);
    assert_eq!(
        page_read(&fx),
        Some((1, None, None)),
        "the first page, partner scope"
    );
    let fx = answer(&mut s, &fx, 0, 200, true);
    assert!(
        page_read(&fx).is_none(),
        "200 rows cover several screens: no read yet"
    );
    assert_eq!(s.history.service.len(), 200);
    // Down to within a few screens of the end asks for the next page through the link.
    let mut asked = None;
    for _ in 0..199 {
        let fx = press(&mut s, KeyCode::Down);
        if let Some(read) = page_read(&fx) {
            asked = Some((s.history.service.selected, read));
            break;
        }
    }
    let (at, (_, _, uri)) = asked.expect("the next page is read before the end");
    assert!(at < 199, "read ahead of the last row, at {at}");
    assert_eq!(uri.as_deref(), Some("/v1/servicerequests?size=200&offset=200"));
    // Tab goes back to the local history, which reads its own rows.
    let fx = press(&mut s, KeyCode::Tab);
    assert!(
        fx.iter()
            .any(|e| matches!(e, Effect::Worker(Work::History { .. })))
    );
}

#[test]
fn end_follows_the_partner_center_list_to_its_real_end() {
    let mut s = state();
    ctrl(&mut s, 'r');
    let fx = press(&mut s, KeyCode::Tab);
    answer(&mut s, &fx, 0, 200, true);
    let mut fx = press(&mut s, KeyCode::End);
    let mut read = 200;
    while page_read(&fx).is_some() {
        let more = read < 1000;
        fx = answer(&mut s, &fx, read, 200, more);
        read += 200;
        assert_eq!(
            s.history.service.selected,
            s.history.service.len() - 1,
            "stays on the last row"
        );
    }
    assert_eq!(s.history.service.len(), 1200);
    assert_eq!(s.history.service.paging, Paging::Done);
    assert_eq!(s.history.service.selected, 1199);
    // A stale answer (an older read) changes nothing.
    update(
        &mut s,
        Action::from(Reply::ServicePage {
            seq: 1,
            outcome: Ok((service_rows(0, 5), None)),
        }),
    );
    assert_eq!(s.history.service.len(), 1200);
}

#[test]
fn the_filter_narrows_the_partner_center_list_and_keeps_reading_for_matches() {
    let mut s = state();
    ctrl(&mut s, 'r');
    let fx = press(&mut s, KeyCode::Tab);
    answer(&mut s, &fx, 0, 40, true);
    press(&mut s, KeyCode::Char('/'));
    type_text(&mut s, "printer");
    // 4 matches do not fill the screen: more is read at once.
    assert_eq!(s.history.service.len(), 4);
    let fx = press(&mut s, KeyCode::Backspace);
    let _ = fx;
    type_text(&mut s, "r");
    press(&mut s, KeyCode::Enter);
    let fx = press(&mut s, KeyCode::Down);
    let fx = if page_read(&fx).is_some() {
        fx
    } else {
        // The read was asked for while typing; answer the one pending.
        let seq = match s.history.service.paging {
            Paging::Reading { seq, .. } => seq,
            ref other => panic!("a read should be pending, not {other:?}"),
        };
        vec![Effect::Worker(Work::ServicePage {
            seq,
            customer: None,
            uri: None,
        })]
    };
    answer(&mut s, &fx, 40, 40, false);
    assert_eq!(
        s.history.service.len(),
        8,
        "matches from the new page join the list"
    );
    assert!(
        s.history
            .service
            .row(0)
            .is_some_and(|r| r.title.starts_with("Printer"))
    );
}

#[test]
fn a_customer_scope_must_be_a_tenant_id_and_reads_that_customers_list() {
    let mut s = state();
    ctrl(&mut s, 'r');
    let fx = press(&mut s, KeyCode::Tab);
    answer(&mut s, &fx, 0, 10, false);
    press(&mut s, KeyCode::Char('c'));
    type_text(&mut s, "contoso");
    let fx = press(&mut s, KeyCode::Enter);
    assert!(page_read(&fx).is_none());
    assert!(
        s.notice
            .as_ref()
            .is_some_and(|n| n.text.contains("not a tenant id"))
    );
    assert!(
        s.history.service.asking_customer.is_some(),
        "the prompt stays to be fixed"
    );
    ctrl(&mut s, 'u');
    let tenant = "0c5c3d6e-8a0f-4b49-9d0e-2a6f1c9b7e11";
    type_text(&mut s, tenant);
    let fx = press(&mut s, KeyCode::Enter);
    assert_eq!(page_read(&fx).map(|r| r.1), Some(Some(tenant.to_string())));
    assert!(s.history.service.is_empty(), "the partner's rows are gone");
}

fn details_of(s: &mut State, server_id: &str) {
    s.screen = Screen::Details(Box::new(DetailsView {
        server_id: Some(server_id.into()),
        ..DetailsView::local(3)
    }));
}

fn note_sent(fx: &[Effect]) -> Option<(Target, String, Uuid)> {
    fx.iter().find_map(|e| match e {
        Effect::Worker(Work::AddNote {
            target,
            text,
            request_id,
        }) => Some((target.clone(), text.clone(), *request_id)),
        _ => None,
    })
}

fn lost_answer() -> ErrorView {
    ErrorView::local("could not reach the service: connection reset", "Try again.")
}

#[test]
fn a_note_is_written_in_a_box_and_sent_with_ctrl_s() {
    let mut s = state();
    details_of(&mut s, "616122292874576");
    press(&mut s, KeyCode::Char('n'));
    assert!(s.writing_note && s.in_text_field(), "letters type now");
    type_text(&mut s, "First line");
    press(&mut s, KeyCode::Enter);
    type_text(&mut s, "xq second");
    assert!(!s.quit, "q types in the note");
    let fx = ctrl(&mut s, 's');
    let (target, text, id) = note_sent(&fx).expect("the note goes to the worker");
    assert_eq!(text, "First line\nxq second");
    assert_eq!(target.server_id, "616122292874576");
    assert_eq!(target.local_id, Some(3));
    let mut sr = ServiceRequest {
        id: Some("616122292874576".into()),
        ..ServiceRequest::default()
    };
    sr.notes = Some(vec![crate::api::Note {
        text: Some(text.clone()),
        ..Default::default()
    }]);
    update(
        &mut s,
        Action::from(Reply::NoteAdded {
            target,
            request_id: id,
            outcome: Ok(sr),
        }),
    );
    assert!(!s.writing_note && s.notes.is_empty(), "sent: the box is done");
    let Screen::Details(d) = &s.screen else {
        panic!("still on the details")
    };
    assert_eq!(d.server().and_then(|r| r.notes.as_ref()).map(Vec::len), Some(1));
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
    assert!(matches!(s.confirm, Some(Confirm::ResendNote(_))));
    press(&mut s, KeyCode::Char('n'));
    assert!(s.confirm.is_none() && s.notes.len() == 1);
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
    assert!(!s.writing_note);
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
            .any(|e| matches!(e, Effect::Worker(Work::Refresh { looking: true, .. })))
    );
    press(&mut s, KeyCode::Char('x'));
    let fx = press(&mut s, KeyCode::Char('y'));
    let Some(Effect::Worker(Work::Close(target))) = fx.first() else {
        panic!("{fx:?}")
    };
    assert_eq!(target.server_id, id);
    let closed = ServiceRequest {
        id: Some(id.clone()),
        status: Some(Status::Closed),
        ..ServiceRequest::default()
    };
    update(
        &mut s,
        Action::from(Reply::Closed {
            target: target.clone(),
            outcome: Ok(closed),
        }),
    );
    assert_eq!(s.history.service.rows[0].status, "closed");
    press(&mut s, KeyCode::Esc);
    assert!(matches!(s.screen, Screen::History));
}

#[test]
fn an_empty_local_history_is_read_once_not_in_a_loop() {
    let mut s = state();
    let fx = ctrl(&mut s, 'r');
    let seq = fx
        .iter()
        .find_map(|e| match e {
            Effect::Worker(Work::History { seq, .. }) => Some(*seq),
            _ => None,
        })
        .expect("the pane reads its rows");
    let fx = update(
        &mut s,
        Action::from(Reply::HistoryPage {
            seq,
            filter: String::new(),
            anchor: crate::store::Anchor::Top,
            rows: Vec::new(),
            total: Some(0),
        }),
    );
    assert!(
        !fx.iter()
            .any(|e| matches!(e, Effect::Worker(Work::History { .. }))),
        "no rows is an answer, not a reason to ask again: {fx:?}"
    );
}
