//! The contact profile screen and the consent question, driven by keys without a terminal: an
//! Azure submit opens what is missing, the answers are written to config.toml (the effects are
//! carried out here as the run loop would) and the submit goes on.

use ratatui::crossterm::event::KeyCode;

use super::tests::{fill, press, state, type_text};
use super::*;
use crate::domain::{Contact, ContactMethod, NewTicket, Service};
use crate::tui::state::contact::ContactRow;

fn azure_state(config: Option<std::path::PathBuf>) -> State {
    let mut s = state();
    s.form.service = Service::Azure;
    s.azure.config_path = config;
    s.azure.local_zone = Some("W. Europe Standard Time".into());
    fill(&mut s);
    // Two steps right is Critical for Azure, which needs a phone; most tickets are not.
    s.form.severity = Some(crate::domain::Severity::Moderate);
    s
}

fn submitted(effects: &[Effect]) -> Option<&NewTicket> {
    effects.iter().find_map(|e| match e {
        Effect::Worker(Job::Submit { request: r, .. }) => Some(r),
        _ => None,
    })
}

/// Carries out the config writes as the run loop does (off the UI thread there), and tells
/// `update` how they went.
fn write_config(s: &mut State, effects: &[Effect]) {
    for e in effects {
        let (what, result) = match e {
            Effect::WriteContact { path, contact } => (
                "the contact profile",
                crate::config::write_contact(path, contact).map(|()| path.clone()),
            ),
            Effect::WriteConsent { path, consent } => (
                "the diagnostic consent",
                crate::config::write_consent(path, *consent).map(|()| path.clone()),
            ),
            _ => continue,
        };
        update(
            s,
            Action::ConfigWritten {
                what: what.into(),
                result: result.map_err(|e| e.to_string()),
            },
        );
    }
}

/// Types a whole profile by keys, from the first field.
fn type_profile(s: &mut State) {
    type_text(s, "Avery");
    press(s, KeyCode::Tab);
    type_text(s, "Sandbox");
    press(s, KeyCode::Tab);
    type_text(s, "avery@contoso.example");
    press(s, KeyCode::Tab);
    press(s, KeyCode::Tab); // more e-mails: none
    press(s, KeyCode::Tab); // contact by: e-mail
    press(s, KeyCode::Tab); // phone: none
    press(s, KeyCode::Tab); // time zone: the local one, preselected
    type_text(s, "germ");
    press(s, KeyCode::Tab);
}

fn focus(s: &State) -> ContactRow {
    s.azure
        .screen
        .as_ref()
        .map(|c| c.focus)
        .expect("the screen was opened")
}

#[test]
fn an_azure_submit_without_a_profile_opens_the_screen_and_sends_nothing() {
    let mut s = azure_state(None);
    let fx = press(&mut s, KeyCode::Enter);
    assert_eq!(submitted(&fx), None);
    assert_eq!(mode::mode(&s), Mode::Contact(ContactRow::FirstName));
    assert!(s.busy.is_none());
    let screen = s.azure.screen.as_ref().expect("opened");
    assert_eq!(
        screen.chosen_zone(),
        Some("W. Europe Standard Time"),
        "the local zone is preselected"
    );
}

#[test]
fn a_partial_profile_in_config_toml_is_where_the_screen_starts() {
    let text = "[azure.contact]\nfirst_name = \"Avery\"\nemail = \"avery@contoso.example\"\n";
    let config = crate::config::parse(text, std::path::Path::new("/cfg/config.toml")).expect("parses");
    let mut s = azure_state(None);
    let local = s.azure.local_zone.clone();
    s.azure = crate::tui::state::contact::AzureProfile {
        config_path: None,
        local_zone: local,
        ..crate::tui::state::contact::AzureProfile::from_config(&config)
    };
    assert!(s.azure.contact.is_none(), "a partial profile is not one to send");
    let fx = press(&mut s, KeyCode::Enter);
    assert_eq!(submitted(&fx), None);
    let screen = s.azure.screen.as_ref().expect("opened");
    assert_eq!(screen.first_name.text(), "Avery");
    assert_eq!(screen.last_name.text(), "");
    assert_eq!(screen.email.text(), "avery@contoso.example");
    assert_eq!(screen.chosen_zone(), Some("W. Europe Standard Time"));
}

#[test]
fn saving_an_incomplete_profile_shows_each_error_by_its_field_and_keeps_the_typing() {
    let mut s = azure_state(None);
    press(&mut s, KeyCode::Enter);
    type_text(&mut s, "Avery");
    press(&mut s, KeyCode::Tab);
    press(&mut s, KeyCode::Tab);
    type_text(&mut s, "not-an-address");
    let fx = press(&mut s, KeyCode::Enter);
    assert!(!fx.iter().any(|e| matches!(e, Effect::WriteContact { .. })));
    let screen = s.azure.screen.as_ref().expect("open");
    assert!(
        screen.error_for(ContactRow::LastName).is_some(),
        "{:?}",
        screen.errors
    );
    assert!(
        screen.error_for(ContactRow::Email).is_some(),
        "{:?}",
        screen.errors
    );
    assert!(screen.error_for(ContactRow::FirstName).is_none());
    assert_eq!(
        focus(&s),
        ContactRow::LastName,
        "the first wrong field gets the focus"
    );
    // Esc closes, and the next opening shows what was typed.
    press(&mut s, KeyCode::Esc);
    assert!(!matches!(mode::mode(&s), Mode::Contact(_)));
    press(&mut s, KeyCode::F(4));
    assert_eq!(mode::mode(&s), Mode::Contact(ContactRow::LastName));
    let screen = s.azure.screen.as_ref().expect("kept");
    assert_eq!(screen.first_name.text(), "Avery");
    assert_eq!(screen.email.text(), "not-an-address");
}

#[test]
fn phone_is_required_when_the_method_is_phone() {
    let mut s = azure_state(None);
    press(&mut s, KeyCode::Enter);
    type_profile(&mut s);
    for _ in 0..4 {
        press(&mut s, KeyCode::BackTab);
    }
    assert_eq!(focus(&s), ContactRow::Method);
    press(&mut s, KeyCode::Right);
    press(&mut s, KeyCode::Enter);
    let screen = s.azure.screen.as_ref().expect("open");
    assert_eq!(screen.method, ContactMethod::Phone);
    assert!(
        screen.error_for(ContactRow::Phone).is_some(),
        "{:?}",
        screen.errors
    );
}

#[test]
fn the_country_is_found_by_name_and_the_zone_list_is_searchable() {
    let mut s = azure_state(None);
    press(&mut s, KeyCode::Enter);
    for _ in 0..6 {
        press(&mut s, KeyCode::Tab);
    }
    assert_eq!(focus(&s), ContactRow::TimeZone);
    for _ in 0..40 {
        press(&mut s, KeyCode::Backspace);
    }
    type_text(&mut s, "tokyo");
    let screen = s.azure.screen.as_ref().expect("open");
    assert_eq!(screen.chosen_zone(), Some("Tokyo Standard Time"));
    press(&mut s, KeyCode::Tab);
    type_text(&mut s, "japan");
    let screen = s.azure.screen.as_ref().expect("open");
    assert_eq!(screen.chosen_country(), Some("JPN"));
}

#[test]
fn save_writes_config_keeping_a_comment_then_consent_is_asked_once_and_the_submit_goes_on() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("config.toml");
    std::fs::write(
        &path,
        "# my settings\n[defaults]\nseverity = \"minimal\" # keep this\n",
    )
    .expect("write");
    let mut s = azure_state(Some(path.clone()));
    press(&mut s, KeyCode::Enter);
    type_profile(&mut s);
    let fx = press(&mut s, KeyCode::Enter);
    assert_eq!(submitted(&fx), None, "consent is not known yet");
    assert_eq!(mode::mode(&s), Mode::Consent);
    write_config(&mut s, &fx);
    let fx = press(&mut s, KeyCode::Char('y'));
    let sent = submitted(&fx).expect("the submit goes on after the answer");
    let contact: &Contact = sent.contact.as_deref().expect("contact on the ticket");
    assert_eq!(contact.first_name, "Avery");
    assert_eq!(contact.country, "DEU");
    assert_eq!(contact.time_zone, "W. Europe Standard Time");
    assert_eq!(sent.diagnostic_consent, Some(true));
    write_config(&mut s, &fx);

    let text = std::fs::read_to_string(&path).expect("read");
    assert!(text.starts_with("# my settings\n"), "{text}");
    assert!(text.contains("severity = \"minimal\" # keep this"), "{text}");
    let config = crate::config::load(Some(dir.path())).expect("still valid");
    assert_eq!(config.azure.consent, Some(true));
    let saved = crate::config::azure_contact(&config, None).expect("a complete profile");
    assert_eq!(saved.email, "avery@contoso.example");

    // Never asked again: the next submit (same form, say after a failure) goes straight out.
    s.busy = None;
    let fx = press(&mut s, KeyCode::Enter);
    assert!(submitted(&fx).is_some() || fx.iter().any(|e| matches!(e, Effect::Worker(Job::Resend { .. }))));
    assert!(!matches!(mode::mode(&s), Mode::Contact(_) | Mode::Consent));
}

#[test]
fn a_critical_ticket_asks_for_the_phone_a_saved_profile_lacks() {
    let mut s = azure_state(None);
    s.azure.contact = Some(Contact {
        first_name: "Avery".into(),
        last_name: "Sandbox".into(),
        email: "avery@contoso.example".into(),
        time_zone: "UTC".into(),
        country: "USA".into(),
        language: "en-us".into(),
        ..Contact::default()
    });
    s.azure.consent = Some(false);
    s.form.severity = Some(crate::domain::Severity::Critical);
    let fx = press(&mut s, KeyCode::Enter);
    assert_eq!(submitted(&fx), None);
    assert!(matches!(mode::mode(&s), Mode::Contact(_)));
    let screen = s.azure.screen.as_ref().expect("open");
    assert!(
        screen.error_for(ContactRow::Phone).is_some(),
        "{:?}",
        screen.errors
    );
    assert_eq!(screen.errors.len(), 1, "only the phone: {:?}", screen.errors);
    assert_eq!(
        screen.first_name.text(),
        "Avery",
        "editing starts from the saved profile"
    );
}

#[test]
fn partner_center_submits_ask_for_neither() {
    let mut s = state();
    fill(&mut s);
    let fx = press(&mut s, KeyCode::Enter);
    let sent = submitted(&fx).expect("sent");
    assert_eq!(sent.contact, None);
    assert!(s.overlays.is_empty());
}

#[test]
fn typing_into_the_preselected_zone_starts_a_new_search_but_an_edited_one_is_kept() {
    let mut s = azure_state(None);
    press(&mut s, KeyCode::Enter);
    for _ in 0..6 {
        press(&mut s, KeyCode::Tab);
    }
    assert_eq!(focus(&s), ContactRow::TimeZone);
    type_text(&mut s, "tokyo");
    let screen = s.azure.screen.as_ref().expect("open");
    assert_eq!(screen.zone_query.text(), "tokyo");
    assert_eq!(screen.chosen_zone(), Some("Tokyo Standard Time"));

    // A zone the user moved into is theirs: typing goes where the cursor is.
    let mut s = azure_state(None);
    press(&mut s, KeyCode::Enter);
    for _ in 0..6 {
        press(&mut s, KeyCode::Tab);
    }
    press(&mut s, KeyCode::Home);
    type_text(&mut s, "x");
    let screen = s.azure.screen.as_ref().expect("open");
    assert_eq!(screen.zone_query.text(), "xW. Europe Standard Time");
}
