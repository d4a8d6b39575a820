//! Snapshots of changing a ticket's severity: the picker over an Azure ticket's details (its
//! severity marked and preselected), and after the service refused the change, at 120x40 and
//! 80x24; the details of a ticket whose service keeps severities offer no such key.

use ratatui::crossterm::event::KeyCode;

use super::render_tests::{azure_created, azure_form, created, fresh, render};
use crate::domain::{Failure, Remedy, Severity};
use crate::tui::action::Action;
use crate::tui::state::{DetailsView, Screen, State};
use crate::tui::update::tests::press;
use crate::tui::update::update;
use crate::worker::Reply;

const SIZES: [(u16, u16); 2] = [(120, 40), (80, 24)];

fn azure_details() -> State {
    let mut s = azure_form(Some("132d901f-189d-4381-9214-fe68e27e05a1"), None);
    let ticket = azure_created();
    s.screen = Screen::Details(Box::new(DetailsView {
        server_id: ticket.id.clone(),
        fresh: Some(ticket),
        ..DetailsView::default()
    }));
    s
}

/// The last line of the details' box: its keys.
fn details_keys(screen: &str) -> String {
    screen
        .lines()
        .find(|l| l.contains("└ ") && l.contains("note ·"))
        .unwrap_or_default()
        .to_string()
}

#[test]
fn severity_picker() {
    for (w, h) in SIZES {
        let mut s = azure_details();
        let before = render(&mut s, w, h);
        assert!(
            details_keys(&before).contains("n note · s severity · x close"),
            "{w}x{h}: offered on the details\n{before}"
        );
        press(&mut s, KeyCode::Char('s'));
        let screen = render(&mut s, w, h);
        for want in [
            "Change ticket 119120321001170 (now Moderate)",
            "Highest critical impact",
            "▸● Moderate  (now)",
            "Minimal",
            "↓ move · Enter change · Esc keep",
        ] {
            assert!(screen.contains(want), "{w}x{h}: {want}\n{screen}");
        }
        insta::assert_snapshot!(format!("severity_picker_{w}x{h}"), screen);
    }
}

#[test]
fn severity_refused() {
    for (w, h) in SIZES {
        let mut s = azure_details();
        // The example ticket's contact has no phone, which a critical ticket needs.
        s.azure.contact = Some(crate::domain::Contact {
            phone: "+1 425 555 0100".into(),
            ..crate::domain::Contact::default()
        });
        render(&mut s, w, h);
        press(&mut s, KeyCode::Char('s'));
        press(&mut s, KeyCode::Up);
        press(&mut s, KeyCode::Enter);
        let sending = render(&mut s, w, h);
        assert!(
            sending.contains("Severity: sending…")
                && sending.contains("Changing to Critical on the service…"),
            "{w}x{h}\n{sending}"
        );
        let Some(crate::tui::mode::Overlay::Severity(picker)) = s.overlays.last() else {
            panic!("the picker stays while sending");
        };
        let target = picker.target.clone();
        let refusal = Failure {
            summary: "HTTP 400 Bad Request, code SeverityUpdateNotAllowed".into(),
            code: Some("SeverityUpdateNotAllowed".into()),
            description: Some(
                "The severity cannot be changed while a support engineer is working on the ticket. Add a \
                 communication to ask the engineer to change it."
                    .into(),
            ),
            request_id: None,
            correlation_id: None,
            remedy: Remedy::FixInput,
        };
        update(
            &mut s,
            Action::from(Reply::SeverityChanged {
                target,
                severity: Severity::Critical,
                outcome: Err(refusal),
            }),
        );
        let screen = render(&mut s, w, h);
        assert!(
            screen.contains("▸  Critical") && screen.contains(" ● Moderate  (now)"),
            "{w}x{h}: the choice is kept\n{screen}"
        );
        assert!(
            screen.contains("Not changed: HTTP 400") && !screen.contains("sending…"),
            "{w}x{h}: the refusal under the list\n{screen}"
        );
        insta::assert_snapshot!(format!("severity_refused_{w}x{h}"), screen);
    }
}

#[test]
fn details_of_a_ticket_whose_service_keeps_severities_offer_no_severity_key() {
    let mut s = fresh();
    s.screen = Screen::Details(Box::new(DetailsView {
        server_id: created().id,
        fresh: Some(created()),
        ..DetailsView::default()
    }));
    let screen = render(&mut s, 120, 40);
    let keys = details_keys(&screen);
    assert!(keys.contains("n note · x close"), "{screen}");
    assert!(
        !screen.contains("severity ·") && !screen.contains("s severity"),
        "{screen}"
    );
}
