//! The Azure contact profile screen and the consent question: pure, like the rest of `update`.
//! An Azure submit comes here first (`complete`): without a usable profile the screen opens,
//! without a consent answer the question is asked, and once both are known the submit goes on.
//! The answers are written to config.toml off the UI thread (`Effect::WriteContact`,
//! `Effect::WriteConsent`), so they are asked once.

use crate::domain::{ContactMethod, NewTicket};
use crate::tui::action::Effect;
use crate::tui::keys::KeyCommand;
use crate::tui::mode::Overlay;
use crate::tui::state::contact::{ContactRow, ContactScreen};
use crate::tui::state::{NoticeKind, State};

/// Opens the profile screen with what was typed before (or config.toml's partial profile, the
/// local time zone preselected); `then_submit`: a submit waits for it.
pub(super) fn open(state: &mut State, then_submit: bool) {
    let azure = &mut state.azure;
    let screen = azure.screen.get_or_insert_with(|| {
        // config.toml's profile, complete or not, is where editing starts.
        let saved = azure.written.as_ref().or(azure.contact.as_ref());
        ContactScreen::from_contact(&saved.cloned().unwrap_or_default(), azure.local_zone.as_deref())
    });
    screen.then_submit |= then_submit;
    if !matches!(state.overlays.last(), Some(Overlay::Contact)) {
        state.overlays.push(Overlay::Contact);
    }
}

/// Esc: the screen closes, its typing stays for the next opening; a waiting submit does not go.
pub(super) fn close(state: &mut State) {
    state.overlays.pop();
    if let Some(screen) = &mut state.azure.screen {
        let waited = std::mem::take(&mut screen.then_submit);
        if waited {
            state.info("Not sent: Azure needs a contact profile; what you typed is kept");
        }
    }
}

/// A key-table command while the screen has the keys; `false` when it is not the screen's.
pub(super) fn run(state: &mut State, command: KeyCommand, fx: &mut Vec<Effect>) -> bool {
    let Some(screen) = state.azure.screen.as_mut() else {
        return false;
    };
    match command {
        KeyCommand::NextField => screen.focus = screen.focus.step(1),
        KeyCommand::PrevField => screen.focus = screen.focus.step(-1),
        KeyCommand::Up | KeyCommand::Down => {
            let delta = if command == KeyCommand::Up { -1 } else { 1 };
            match screen.focus {
                ContactRow::TimeZone => screen.zones.step(delta),
                ContactRow::Country => screen.countries.step(delta),
                row => screen.focus = row.step(delta),
            }
        }
        KeyCommand::Left | KeyCommand::Right => {
            screen.method = match screen.method {
                ContactMethod::Email => ContactMethod::Phone,
                ContactMethod::Phone => ContactMethod::Email,
            };
            screen
                .errors
                .retain(|e| !matches!(e.field.name(), "method" | "phone"));
        }
        KeyCommand::SaveContact => save(state, fx),
        _ => return false,
    }
    true
}

/// A character or a paste is about to go into the focused box: a preselected time zone gives
/// way to the search being typed (appending to "W. Europe Standard Time" would match nothing).
pub(super) fn before_typing(state: &mut State) {
    let Some(screen) = state.azure.screen.as_mut() else {
        return;
    };
    if screen.focus == ContactRow::TimeZone && std::mem::take(&mut screen.zone_preselected) {
        screen.zone_query.set_text("");
    }
}

/// An editing key in the focused box: from then on a preselected zone is the user's to edit.
pub(super) fn edited(state: &mut State) {
    if let Some(screen) = state.azure.screen.as_mut()
        && screen.focus == ContactRow::TimeZone
    {
        screen.zone_preselected = false;
    }
}

/// The focused box changed: its list matches again and its stale error goes.
pub(super) fn changed(state: &mut State) {
    let Some(screen) = state.azure.screen.as_mut() else {
        return;
    };
    match screen.focus {
        ContactRow::TimeZone => {
            let query = screen.zone_query.text().to_string();
            screen.zones.query_changed(&query);
            screen.zones.highlight = 0;
        }
        ContactRow::Country => {
            let query = screen.country_query.text().to_string();
            screen.countries.query_changed(&query);
            screen.countries.highlight = 0;
        }
        _ => {}
    }
    let field = screen.focus.field();
    screen.errors.retain(|e| e.field != field);
}

/// Enter: checks the profile with the domain's rules; when good, keeps it, writes it to
/// config.toml and lets a waiting submit go on; else shows each problem by its field.
fn save(state: &mut State, fx: &mut Vec<Effect>) {
    let severity = state.form.severity;
    let Some(screen) = state.azure.screen.as_mut() else {
        return;
    };
    let errors = screen.validate(severity);
    if let Some(first) = errors.first() {
        let count = errors.len();
        if let Some(row) = ContactRow::ORDER.into_iter().find(|r| r.field() == first.field) {
            screen.focus = row;
        }
        screen.errors = errors;
        let text = if count == 1 {
            "1 field of the contact profile needs attention".to_string()
        } else {
            format!("{count} fields of the contact profile need attention")
        };
        state.notify(text, NoticeKind::Error, None);
        return;
    }
    screen.errors.clear();
    let contact = screen.contact();
    let then_submit = std::mem::take(&mut screen.then_submit);
    state.overlays.retain(|o| !matches!(o, Overlay::Contact));
    state.azure.contact = Some(contact.clone());
    match &state.azure.config_path {
        Some(path) => fx.push(Effect::WriteContact {
            path: path.clone(),
            contact: Box::new(contact),
        }),
        None => state.info("Contact profile kept for this session (no config.toml to write it to)"),
    }
    if then_submit {
        super::form::submit(state, fx);
    }
}

/// Before an Azure submit: puts the saved profile and the consent answer on `request` and says
/// it may go; else opens what is missing (the profile screen, the consent question) and says no.
pub(super) fn complete(state: &mut State, request: &mut NewTicket) -> bool {
    let usable = state
        .azure
        .contact
        .clone()
        .filter(|c| c.validate(request.severity).is_empty());
    let Some(contact) = usable else {
        open(state, true);
        // A profile saved for other tickets may lack what this one needs (a phone when critical).
        let severity = request.severity;
        if let Some(screen) = &mut state.azure.screen
            && state.azure.contact.is_some()
        {
            screen.errors = screen.validate(severity);
        }
        state.info("Azure needs a contact profile on every ticket: fill it in, then Enter");
        return false;
    };
    let Some(consent) = state.azure.consent else {
        if !matches!(state.overlays.last(), Some(Overlay::Consent)) {
            state.overlays.push(Overlay::Consent);
        }
        return false;
    };
    request.complete_for_azure(contact, consent);
    true
}

/// The consent question was answered: remembered in config.toml, and the submit goes on.
pub(super) fn answer_consent(state: &mut State, consent: bool, fx: &mut Vec<Effect>) {
    state.overlays.retain(|o| !matches!(o, Overlay::Consent));
    state.azure.consent = Some(consent);
    if let Some(path) = &state.azure.config_path {
        fx.push(Effect::WriteConsent {
            path: path.clone(),
            consent,
        });
    }
    super::form::submit(state, fx);
}

/// config.toml was written, or not: a failure only means the next start asks again.
pub(super) fn written(state: &mut State, what: &str, result: Result<std::path::PathBuf, String>) {
    match result {
        Ok(path) => state.info(format!("Saved {what} in {}", path.display())),
        Err(why) => state.error(format!(
            "Could not save {what} (kept for this session, asked again next start): {why}"
        )),
    }
}
