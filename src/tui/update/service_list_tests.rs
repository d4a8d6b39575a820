//! The Partner Center list in the history, driven with actions: pages read as the user nears
//! them, its end, the filter, and a customer's scope.

use ratatui::crossterm::event::KeyCode;

use super::tests::{ctrl, press, state, type_text};
use super::*;
use crate::domain::{Status, Ticket, TicketRow};
use crate::tui::state::Paging;
use crate::worker::Reply;

fn service_rows(from: usize, n: usize) -> Vec<TicketRow> {
    (from..from + n)
        .map(|i| {
            TicketRow::of(&Ticket {
                id: Some(format!("9{i:08}")),
                title: Some(if i % 10 == 7 {
                    format!("Printer {i}")
                } else {
                    format!("Request {i}")
                }),
                status: Some(Status::Open),
                ..Ticket::default()
            })
        })
        .collect()
}

/// The page read an effect list asks for: (seq, customer, link).
fn page_read(fx: &[Effect]) -> Option<(u64, Option<String>, Option<String>)> {
    fx.iter().find_map(|e| match e {
        Effect::Worker(Job::ServicePage { seq, customer, uri }) => {
            Some((*seq, customer.clone(), uri.clone()))
        }
        _ => None,
    })
}

/// Answers a page read with `n` rows and, when `more`, a link to the next page.
pub(super) fn answer(s: &mut State, fx: &[Effect], from: usize, n: usize, more: bool) -> Vec<Effect> {
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
            .any(|e| matches!(e, Effect::Worker(Job::History { .. })))
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
        vec![Effect::Worker(Job::ServicePage {
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
        matches!(s.history.focus, crate::tui::state::HistoryFocus::Customer(_)),
        "the prompt stays to be fixed"
    );
    ctrl(&mut s, 'u');
    let tenant = "0c5c3d6e-8a0f-4b49-9d0e-2a6f1c9b7e11";
    type_text(&mut s, tenant);
    let fx = press(&mut s, KeyCode::Enter);
    assert_eq!(page_read(&fx).map(|r| r.1), Some(Some(tenant.to_string())));
    assert!(s.history.service.is_empty(), "the partner's rows are gone");
}

/// The switch an effect list asks for: (service, where it opens).
fn switch_to(fx: &[Effect]) -> Option<(Service, crate::tui::state::Landing)> {
    fx.iter().find_map(|e| match e {
        Effect::SwitchService { to, land, .. } => Some((*to, *land)),
        _ => None,
    })
}

#[test]
fn tab_goes_on_to_each_configured_service_by_switching_to_it_and_back_to_local() {
    use crate::tui::state::Landing;
    let mut s = state();
    s.history.others = vec![Service::Azure];
    ctrl(&mut s, 'r');
    let fx = press(&mut s, KeyCode::Tab);
    assert_eq!(s.history.source, Source::Service, "Partner Center's list first");
    assert!(switch_to(&fx).is_none());
    let fx = press(&mut s, KeyCode::Tab);
    assert_eq!(
        switch_to(&fx),
        Some((Service::Azure, Landing::ServiceList)),
        "then Azure's, by switching to it: {fx:?}"
    );

    // In Azure's session: its list is the last, then Local, then Partner Center's first.
    let mut s = state();
    s.header.service = Service::Azure;
    s.history.others = vec![Service::PartnerCenter];
    ctrl(&mut s, 'r');
    s.history.source = Source::Service;
    let fx = press(&mut s, KeyCode::Tab);
    assert_eq!(s.history.source, Source::Local);
    assert!(switch_to(&fx).is_none());
    let fx = press(&mut s, KeyCode::Tab);
    assert_eq!(
        switch_to(&fx),
        Some((Service::PartnerCenter, Landing::ServiceList))
    );
}

#[test]
fn without_other_configured_services_tab_keeps_to_local_and_this_one() {
    let mut s = state();
    ctrl(&mut s, 'r');
    let fx = press(&mut s, KeyCode::Tab);
    assert_eq!(s.history.source, Source::Service);
    let fx2 = press(&mut s, KeyCode::Tab);
    assert_eq!(s.history.source, Source::Local);
    assert!(switch_to(&fx).is_none() && switch_to(&fx2).is_none());
}

#[test]
fn a_session_that_opens_on_its_list_reads_the_first_page_once_its_worker_runs() {
    let mut s = state();
    s.screen = Screen::History;
    s.history.source = Source::Service;
    assert_eq!(page_read(&landed(&mut s)).map(|(seq, ..)| seq), Some(1));
    let mut form = state();
    assert!(landed(&mut form).is_empty(), "the form asks for nothing more");
}
