//! Changing a ticket's severity from the details: the change key opens a picker with the
//! service's severities and the ticket's own highlighted, Enter asks the worker for the change,
//! and the answer shows on the details, in the lists and (through the worker) in the local
//! history, as a close's does. A refusal keeps the picker and its choice, and says what to do.

use crate::domain::{Failure, Severity, Status, Ticket, TicketRow};
use crate::text;
use crate::tui::action::Effect;
use crate::tui::keys::{KeyCommand, KeyScope};
use crate::tui::mode::Overlay;
use crate::tui::state::severity_picker::SeverityPicker;
use crate::tui::state::{Screen, Source, State, Target};
use crate::worker::Job;

/// How a ticket is named in messages: its number people quote, else its id.
fn ticket_name(sr: Option<&Ticket>, server_id: &str) -> String {
    match sr.and_then(|t| t.number.as_deref()) {
        Some(number) => format!("ticket {}", text::one_line(number)),
        None => format!("ticket {}", text::one_line(server_id)),
    }
}

/// The change key on the details: the picker over them, unless the ticket cannot change.
pub(super) fn open(state: &mut State) {
    let Screen::Details(d) = &state.screen else { return };
    let service = d.service().unwrap_or(state.header.service);
    let caps = service.capabilities();
    if !caps.can_change_severity {
        // Not offered there (no key in its scope); kept for a key table that reaches it anyway.
        state.info(format!(
            "{} tickets keep the severity they were filed with",
            service.label()
        ));
        return;
    }
    let Some(server_id) = d.server_id() else {
        state.error("This ticket was never created on the server, so there is no severity to change");
        return;
    };
    let sr = d.server();
    let name = ticket_name(sr, &server_id);
    if sr.is_some_and(|t| t.status == Some(Status::Closed)) {
        state.error(format!(
            "{} is closed, so its severity cannot change; if the problem is back, file a new ticket ({})",
            capitalized(&name),
            state.keys.label(KeyCommand::NewRequest, KeyScope::Anywhere)
        ));
        return;
    }
    let current = sr
        .and_then(|t| t.severity)
        .or_else(|| d.submission.as_ref().and_then(|s| s.request.severity));
    let target = Target {
        local_id: d.submission.as_ref().map(|s| s.local_id).or(d.local_id),
        server_id,
        customer: d.customer.clone(),
    };
    let mut picker = SeverityPicker::new(target, name, caps.severities, current);
    picker.contact_has_phone = sr
        .and_then(|t| t.contact.as_ref())
        .map(|c| c.phone.as_deref().is_some_and(|p| !p.trim().is_empty()));
    state.overlays.push(Overlay::Severity(Box::new(picker)));
}

/// Up/Down in the picker; the highlight stays on what is being sent until the answer.
pub(super) fn step(picker: &mut SeverityPicker, delta: isize) {
    if picker.sending.is_none() {
        picker.step(delta);
    }
}

/// Enter in the picker: the highlighted severity goes to the worker (one change at a time).
pub(super) fn choose(state: &mut State, fx: &mut Vec<Effect>) {
    let Some(Overlay::Severity(picker)) = state.overlays.last_mut() else {
        return;
    };
    let Some(chosen) = picker.highlighted() else {
        return;
    };
    if picker.sending.is_some() {
        return;
    }
    let name = picker.name.clone();
    if Some(chosen) == picker.current {
        state.overlays.pop();
        state.info(format!(
            "Nothing was changed: {name} is already {}",
            chosen.label()
        ));
        return;
    }
    // The service refuses a critical ticket whose contact has no phone; the saved profile's
    // number goes with the change rather than a round trip that can only fail.
    let phone = if chosen.needs_phone() && picker.contact_has_phone == Some(false) {
        let profile = state.azure.contact.as_ref().map(|c| c.phone.trim().to_string());
        match profile.filter(|p| !p.is_empty()) {
            Some(phone) => Some(phone),
            None => {
                let contact = state.keys.label(KeyCommand::ContactProfile, KeyScope::Anywhere);
                state.error(format!(
                    "Azure takes a {} ticket only with a phone number, and {name}'s contact has none: \
                     add one to your contact profile ({contact}), then choose again",
                    chosen.label().to_lowercase()
                ));
                return;
            }
        }
    } else {
        None
    };
    picker.sending = Some(chosen);
    picker.error = None;
    let with = match &phone {
        Some(p) => format!(
            ", with your profile's phone number {} (the ticket had none)",
            text::one_line(p)
        ),
        None => String::new(),
    };
    fx.push(Effect::Worker(Job::SetSeverity {
        target: picker.target.clone(),
        severity: chosen,
        phone,
    }));
    state.info(format!(
        "Changing the severity of {name} to {}{with}…",
        chosen.label()
    ));
}

/// The worker's answer to a change.
pub(super) fn changed(
    state: &mut State,
    target: Target,
    severity: Severity,
    outcome: Result<Ticket, Failure>,
    fx: &mut Vec<Effect>,
) {
    let mine = |p: &SeverityPicker| p.target.server_id == target.server_id && p.sending == Some(severity);
    let name = state
        .severity_picker_mut()
        .filter(|p| mine(p))
        .map(|p| p.name.clone());
    match outcome {
        Ok(mut sr) => {
            state
                .overlays
                .retain(|o| !matches!(o, Overlay::Severity(p) if mine(p)));
            let name = name.unwrap_or_else(|| ticket_name(Some(&sr), &target.server_id));
            let row = TicketRow::of(&sr);
            if let Some(r) = state.history.service.rows.iter_mut().find(|r| r.id == row.id) {
                // The user changed it: what they see is not news.
                *r = row;
            }
            if let Screen::Details(d) = &mut state.screen
                && d.shows(target.local_id, Some(&target.server_id))
            {
                // An answer without the conversation (Azure's PATCH) keeps the one on screen.
                if sr.notes.is_empty()
                    && let Some(shown) = d.server()
                {
                    sr.notes = shown.notes.clone();
                }
                d.fresh = Some(sr.clone());
            }
            let now = sr.severity_text().unwrap_or_else(|| severity.label().to_string());
            state.info(format!("Severity of {name} is now {now}"));
            if matches!(state.screen, Screen::History) && state.history.source == Source::Local {
                super::history::ensure(state, fx, true);
            }
        }
        Err(failure) => {
            let message = refused(state, &target, &failure);
            if let Some(picker) = state.severity_picker_mut().filter(|p| mine(p)) {
                // The choice stays highlighted: the next Enter tries it again.
                picker.sending = None;
                picker.error = Some(failure);
            }
            state.error(message);
        }
    }
}

/// Why a change was refused, in the service's words, and what to do next.
fn refused(state: &State, target: &Target, failure: &Failure) -> String {
    let name = state
        .overlays
        .iter()
        .find_map(|o| match o {
            Overlay::Severity(p) if p.target.server_id == target.server_id => Some(p.name.clone()),
            _ => None,
        })
        .unwrap_or_else(|| ticket_name(None, &target.server_id));
    let mut what = text::one_line(failure.summary.trim_end_matches('.'));
    if let Some(words) = failure.description.as_deref().filter(|d| !d.trim().is_empty()) {
        what.push_str(": ");
        what.push_str(text::one_line(words).trim_end_matches('.'));
    }
    format!(
        "Severity of {name} not changed: {what}. {}",
        crate::tui::error_view::severity_next_step(&failure.remedy, &state.keys, state.header.service)
    )
}

fn capitalized(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}
