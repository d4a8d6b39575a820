//! Changing a ticket's severity from the details, driven with keys and worker answers: the key
//! opens a picker with the ticket's severity highlighted, Enter asks the worker, the answer
//! shows on the details and in the lists; a refusal keeps the choice and says what to do; a
//! service that cannot change severities is not offered the key, and a closed ticket says no.

use ratatui::crossterm::event::KeyCode;

use super::tests::{press, state};
use super::*;
use crate::domain::{Contact, Failure, Note, Person, Remedy, Service, Severity, Status, Ticket, TicketRow};
use crate::tui::keys::KeyScope;
use crate::tui::mode::{Mode, Overlay, mode};
use crate::tui::state::DetailsView;
use crate::tui::state::severity_picker::SeverityPicker;
use crate::worker::{Reply, Target};

const NAME: &str = "4e1f2a9c-7b3d-4c5e-9f60-1a2b3c4d5e6f";
const NUMBER: &str = "2512030010000123";

fn ticket(service: Service, status: Status, severity: Severity) -> Ticket {
    Ticket {
        service,
        id: Some(NAME.into()),
        number: (service == Service::Azure).then(|| NUMBER.into()),
        title: Some("Cannot RDP to vm-web-01".into()),
        severity: Some(severity),
        status: Some(status),
        notes: vec![Note {
            text: Some("We are looking into it.".into()),
            ..Note::default()
        }],
        ..Ticket::default()
    }
}

/// The details of `sr`, read from the service's list, with that list holding its row.
fn on_details(sr: Ticket) -> State {
    let mut s = state();
    s.header.service = sr.service;
    s.history.service.rows = vec![TicketRow::of(&sr)];
    s.screen = Screen::Details(Box::new(DetailsView {
        server_id: sr.id.clone(),
        fresh: Some(sr),
        ..DetailsView::default()
    }));
    s
}

fn azure_details() -> State {
    on_details(ticket(Service::Azure, Status::Open, Severity::Moderate))
}

fn picker(s: &State) -> &SeverityPicker {
    match s.overlays.last() {
        Some(Overlay::Severity(p)) => p,
        other => panic!("the severity picker is not on top: {other:?}"),
    }
}

fn sent(fx: &[Effect]) -> Option<(Target, Severity)> {
    sent_with_phone(fx).map(|(target, severity, _)| (target, severity))
}

fn sent_with_phone(fx: &[Effect]) -> Option<(Target, Severity, Option<String>)> {
    fx.iter().find_map(|e| match e {
        Effect::Worker(Job::SetSeverity {
            target,
            severity,
            phone,
        }) => Some((target.clone(), *severity, phone.clone())),
        _ => None,
    })
}

fn notice(s: &State) -> String {
    s.notice.as_ref().map(|n| n.text.clone()).unwrap_or_default()
}

fn hints(s: &State) -> Vec<(String, &'static str)> {
    s.keys.hints(&keys::active_scopes(s), false)
}

fn shown(s: &State) -> &Ticket {
    match &s.screen {
        Screen::Details(d) => d.server().expect("a copy on screen"),
        other => panic!("not on the details: {other:?}"),
    }
}

/// `s`, ↑ to Critical, Enter: the change on its way.
fn sending_critical() -> (State, Target) {
    let mut s = azure_details();
    press(&mut s, KeyCode::Char('s'));
    press(&mut s, KeyCode::Up);
    let (target, severity) = sent(&press(&mut s, KeyCode::Enter)).expect("the change goes to the worker");
    assert_eq!(severity, Severity::Critical);
    (s, target)
}

#[test]
fn the_key_opens_the_services_severities_with_the_tickets_own_highlighted() {
    let mut s = azure_details();
    assert!(
        hints(&s).contains(&("s".to_string(), "severity")),
        "offered on the details: {:?}",
        hints(&s)
    );
    assert!(
        press(&mut s, KeyCode::Char('s')).is_empty(),
        "nothing is sent yet"
    );
    assert_eq!(mode(&s), Mode::SeverityPicker);
    let p = picker(&s);
    assert_eq!(p.choices, Service::Azure.capabilities().severities);
    assert_eq!(p.current, Some(Severity::Moderate));
    assert_eq!(p.highlighted(), Some(Severity::Moderate), "preselected");
    assert_eq!(p.name, format!("ticket {NUMBER}"));
    // ↓ moves to Minimal and stops there; ↑ goes back up to the top and stops.
    press(&mut s, KeyCode::Down);
    press(&mut s, KeyCode::Down);
    assert_eq!(picker(&s).highlighted(), Some(Severity::Minimal));
    for _ in 0..5 {
        press(&mut s, KeyCode::Up);
    }
    assert_eq!(picker(&s).highlighted(), Some(Severity::HighestCriticalImpact));
}

#[test]
fn enter_sends_the_highlighted_severity_once_and_the_screen_says_so() {
    let (mut s, target) = sending_critical();
    assert_eq!(
        target,
        Target {
            local_id: None,
            server_id: NAME.into(),
            customer: None,
        }
    );
    assert_eq!(picker(&s).sending, Some(Severity::Critical));
    assert!(
        notice(&s).contains("Changing the severity of ticket 2512030010000123 to Critical"),
        "{}",
        notice(&s)
    );
    assert!(press(&mut s, KeyCode::Enter).is_empty(), "one change at a time");
    press(&mut s, KeyCode::Down);
    assert_eq!(
        picker(&s).highlighted(),
        Some(Severity::Critical),
        "the highlight stays on what is sent"
    );
}

#[test]
fn the_answer_shows_on_the_details_and_in_the_list_and_a_notice_confirms() {
    let (mut s, target) = sending_critical();
    // Azure answers a PATCH with the ticket alone: no communications.
    let mut answer = ticket(Service::Azure, Status::Open, Severity::Critical);
    answer.notes.clear();
    update(
        &mut s,
        Action::from(Reply::SeverityChanged {
            target,
            severity: Severity::Critical,
            outcome: Ok(answer),
        }),
    );
    assert!(s.overlays.is_empty(), "the picker is done");
    assert_eq!(mode(&s), Mode::Details);
    assert_eq!(shown(&s).severity, Some(Severity::Critical));
    assert_eq!(shown(&s).notes.len(), 1, "the conversation on screen stays");
    assert_eq!(s.history.service.rows[0].severity, "Critical");
    assert_eq!(notice(&s), "Severity of ticket 2512030010000123 is now Critical");
}

#[test]
fn a_refusal_keeps_the_choice_and_shows_the_services_words_and_what_to_do() {
    let (mut s, target) = sending_critical();
    let refusal = Failure {
        summary: "HTTP 400 Bad Request, code SeverityUpdateNotAllowed".into(),
        code: Some("SeverityUpdateNotAllowed".into()),
        description: Some(
            "The severity cannot be changed while a support engineer is working on the ticket.".into(),
        ),
        request_id: None,
        correlation_id: None,
        remedy: Remedy::FixInput,
    };
    update(
        &mut s,
        Action::from(Reply::SeverityChanged {
            target: target.clone(),
            severity: Severity::Critical,
            outcome: Err(refusal.clone()),
        }),
    );
    let p = picker(&s);
    assert_eq!(p.highlighted(), Some(Severity::Critical), "the choice is kept");
    assert_eq!(p.sending, None);
    assert_eq!(p.error.as_ref(), Some(&refusal));
    assert_eq!(shown(&s).severity, Some(Severity::Moderate), "nothing changed");
    let said = notice(&s);
    assert!(
        said.starts_with("Severity of ticket 2512030010000123 not changed")
            && said.contains("while a support engineer is working on the ticket")
            && said.contains("in a note (n on the details)"),
        "{said}"
    );
    // Enter tries the kept choice again.
    assert_eq!(
        sent(&press(&mut s, KeyCode::Enter)),
        Some((target.clone(), Severity::Critical))
    );
    // A sign-in that expired says how to sign in to the ticket's service.
    update(
        &mut s,
        Action::from(Reply::SeverityChanged {
            target,
            severity: Severity::Critical,
            outcome: Err(Failure::local("HTTP 401 Unauthorized", Remedy::SignIn)),
        }),
    );
    assert!(
        notice(&s).contains("run `pcsr-tui login --backend azure`"),
        "{}",
        notice(&s)
    );
    assert_eq!(picker(&s).highlighted(), Some(Severity::Critical));
}

#[test]
fn esc_closes_the_picker_without_sending_and_the_same_severity_changes_nothing() {
    let mut s = azure_details();
    press(&mut s, KeyCode::Char('s'));
    press(&mut s, KeyCode::Down);
    assert!(press(&mut s, KeyCode::Esc).is_empty());
    assert!(s.overlays.is_empty() && mode(&s) == Mode::Details);
    press(&mut s, KeyCode::Char('s'));
    assert_eq!(
        picker(&s).highlighted(),
        Some(Severity::Moderate),
        "opened afresh"
    );
    let fx = press(&mut s, KeyCode::Enter);
    assert_eq!(sent(&fx), None);
    assert!(s.overlays.is_empty());
    assert!(notice(&s).contains("already Moderate"), "{}", notice(&s));
}

#[test]
fn a_closed_ticket_says_it_cannot_change_instead_of_sending() {
    let mut s = on_details(ticket(Service::Azure, Status::Closed, Severity::Moderate));
    let fx = press(&mut s, KeyCode::Char('s'));
    assert!(fx.is_empty() && s.overlays.is_empty(), "{fx:?}");
    let said = notice(&s);
    assert!(
        said.contains("is closed, so its severity cannot change") && said.contains("Ctrl+N"),
        "{said}"
    );
}

#[test]
fn a_service_that_keeps_severities_is_not_offered_the_key() {
    let mut s = on_details(ticket(Service::PartnerCenter, Status::Open, Severity::Moderate));
    assert!(!s.can_change_severity());
    assert!(
        !hints(&s).iter().any(|(_, what)| *what == "severity"),
        "{:?}",
        hints(&s)
    );
    assert!(!keys::active_scopes(&s).contains(&KeyScope::SeverityChange));
    let fx = press(&mut s, KeyCode::Char('s'));
    assert!(fx.is_empty() && s.overlays.is_empty(), "{fx:?}");
    assert_eq!(mode(&s), Mode::Details);
}

#[test]
fn an_answer_after_the_picker_was_closed_still_updates_the_details() {
    let (mut s, target) = sending_critical();
    press(&mut s, KeyCode::Esc);
    assert!(s.overlays.is_empty());
    assert!(notice(&s).contains("was sent"), "{}", notice(&s));
    update(
        &mut s,
        Action::from(Reply::SeverityChanged {
            target,
            severity: Severity::Critical,
            outcome: Ok(ticket(Service::Azure, Status::Open, Severity::Critical)),
        }),
    );
    assert_eq!(shown(&s).severity, Some(Severity::Critical));
    assert!(notice(&s).ends_with("is now Critical"), "{}", notice(&s));
}

/// An open Azure ticket whose contact has no phone number, on the details.
fn details_without_phone() -> State {
    on_details(Ticket {
        contact: Some(Person {
            first_name: Some("Avery".into()),
            email: Some("avery@contoso.example".into()),
            ..Person::default()
        }),
        ..ticket(Service::Azure, Status::Open, Severity::Moderate)
    })
}

#[test]
fn a_critical_change_brings_the_profiles_phone_when_the_tickets_contact_has_none() {
    let mut s = details_without_phone();
    s.azure.contact = Some(Contact {
        phone: " +1 425 555 0100 ".into(),
        ..Contact::default()
    });
    press(&mut s, KeyCode::Char('s'));
    press(&mut s, KeyCode::Up);
    let (_, severity, phone) =
        sent_with_phone(&press(&mut s, KeyCode::Enter)).expect("the change goes to the worker");
    assert_eq!(severity, Severity::Critical);
    assert_eq!(phone.as_deref(), Some("+1 425 555 0100"));
    assert!(notice(&s).contains("+1 425 555 0100"), "{}", notice(&s));

    // A less urgent change leaves the contact alone.
    let mut s = details_without_phone();
    s.azure.contact = Some(Contact {
        phone: "+1 425 555 0100".into(),
        ..Contact::default()
    });
    press(&mut s, KeyCode::Char('s'));
    press(&mut s, KeyCode::Down);
    let (_, severity, phone) = sent_with_phone(&press(&mut s, KeyCode::Enter)).expect("sent");
    assert_eq!((severity, phone), (Severity::Minimal, None));
}

#[test]
fn a_critical_change_without_any_phone_says_where_to_add_one_and_sends_nothing() {
    let mut s = details_without_phone();
    press(&mut s, KeyCode::Char('s'));
    press(&mut s, KeyCode::Up);
    press(&mut s, KeyCode::Up);
    assert_eq!(picker(&s).highlighted(), Some(Severity::HighestCriticalImpact));
    let fx = press(&mut s, KeyCode::Enter);
    assert_eq!(sent(&fx), None, "the service would only refuse it");
    assert_eq!(mode(&s), Mode::SeverityPicker, "the choice stays for another try");
    assert_eq!(picker(&s).sending, None);
    let text = notice(&s);
    let key = s.keys.label(KeyCommand::ContactProfile, KeyScope::Anywhere);
    assert!(
        text.contains("phone number") && text.contains(&format!("contact profile ({key})")),
        "{text}"
    );
    // The key it names opens the profile from the picker; with a phone saved, Enter sends.
    press(&mut s, KeyCode::F(4));
    assert!(matches!(mode(&s), Mode::Contact(_)), "{:?}", mode(&s));
    press(&mut s, KeyCode::Esc);
    assert_eq!(mode(&s), Mode::SeverityPicker, "back on the picker");
    // As a save of the profile leaves it.
    s.azure.contact = Some(Contact {
        phone: "+1 425 555 0100".into(),
        ..Contact::default()
    });
    let (_, severity, phone) = sent_with_phone(&press(&mut s, KeyCode::Enter)).expect("sent now");
    assert_eq!(severity, Severity::HighestCriticalImpact);
    assert_eq!(phone.as_deref(), Some("+1 425 555 0100"));
}
