//! The service's list part of `update`: moving, filtering, the customer scope, and
//! reading the next page a few screens before the user gets there.

use crate::tui::textbox::LineBox;

use crate::domain::{Failure, Service};
use crate::text;
use crate::tui::action::Effect;
use crate::tui::keys::KeyCommand;
use crate::tui::state::{DetailsView, HistoryFocus, Landing, Paging, Screen, ServiceList, Source, State};
use crate::worker::{Job, ServicePage};

use super::history::history_height;

/// Screens of rows read ahead of the selection.
const AHEAD_SCREENS: usize = 3;

/// Tab in the history: the next list of Local, then each configured service's in
/// [`Service::ALL`]'s order. Another service's list is reached by switching to it; this one's
/// is read when first shown.
pub(super) fn switch_source(state: &mut State, fx: &mut Vec<Effect>) {
    let current = state.header.service;
    let lists: Vec<Service> = Service::ALL
        .into_iter()
        .filter(|s| *s == current || state.history.others.contains(s))
        .collect();
    let next = match state.history.source {
        Source::Local => lists.first().copied(),
        Source::Service => {
            let at = lists.iter().position(|s| *s == current);
            at.and_then(|i| lists.get(i + 1)).copied()
        }
    };
    if let Some(other) = next.filter(|s| *s != current)
        && super::switch_service(state, other, Landing::ServiceList, fx)
    {
        return;
    }
    let h = &mut state.history;
    h.source = match next {
        Some(s) if s == current => Source::Service,
        _ => Source::Local,
    };
    match h.source {
        Source::Service => {
            let filter = h.filter.text().to_string();
            h.service.set_filter(&filter);
            ensure(state, fx);
        }
        Source::Local => super::history::ensure(state, fx, true),
    }
}

/// Down/Up by `delta` rows.
pub(super) fn step(state: &mut State, delta: isize, fx: &mut Vec<Effect>) {
    let s = &mut state.history.service;
    s.to_end = false;
    if !s.is_empty() {
        s.selected = s.selected.saturating_add_signed(delta).min(s.len() - 1);
    }
    ensure(state, fx);
}

/// Page and first/last moves. End follows the list to its real end as pages arrive.
pub(super) fn jump(state: &mut State, command: KeyCommand, fx: &mut Vec<Effect>) {
    let height = history_height(state);
    let s = &mut state.history.service;
    let last = s.len().saturating_sub(1);
    s.to_end = false;
    match command {
        KeyCommand::PageUp => {
            s.selected = s.selected.saturating_sub(height);
            s.top = s.top.saturating_sub(height);
        }
        KeyCommand::PageDown => {
            s.selected = (s.selected + height).min(last);
            s.top = (s.top + height).min(s.len().saturating_sub(height));
        }
        KeyCommand::First => s.selected = 0,
        _ => {
            s.selected = last;
            s.to_end = matches!(s.paging, Paging::More(_) | Paging::Reading { .. });
        }
    }
    ensure(state, fx);
}

/// Keeps the selection visible and reads the next page when the user nears the end of what
/// is read (one read at a time).
pub(super) fn ensure(state: &mut State, fx: &mut Vec<Effect>) {
    let height = history_height(state);
    let s = &mut state.history.service;
    if s.to_end {
        s.selected = s.len().saturating_sub(1);
    }
    if !s.is_empty() {
        s.selected = s.selected.min(s.len() - 1);
    }
    if s.selected < s.top {
        s.top = s.selected;
    } else if s.selected >= s.top + height {
        s.top = s.selected + 1 - height;
    }
    if let Some(uri) = s.wants_more(height * AHEAD_SCREENS) {
        read(s, uri, fx);
    }
}

fn read(s: &mut ServiceList, uri: Option<String>, fx: &mut Vec<Effect>) {
    s.seq += 1;
    s.paging = Paging::Reading {
        seq: s.seq,
        uri: uri.clone(),
    };
    fx.push(Effect::Worker(Job::ServicePage {
        seq: s.seq,
        customer: s.customer.clone(),
        uri,
    }));
}

/// A page arrived (or failed); stale answers are dropped.
pub(super) fn on_page(
    state: &mut State,
    seq: u64,
    outcome: Result<ServicePage, Failure>,
    fx: &mut Vec<Effect>,
) {
    let s = &mut state.history.service;
    let uri = match &s.paging {
        Paging::Reading { seq: reading, uri } if *reading == seq => uri.clone(),
        _ => return,
    };
    match outcome {
        Ok((rows, next)) => {
            s.append(rows);
            s.paging = next.map_or(Paging::Done, Paging::More);
            if s.to_end && s.paging == Paging::Done {
                // End followed the list to its real end: stay on the last row.
                s.selected = s.len().saturating_sub(1);
                s.to_end = false;
            }
            ensure(state, fx);
        }
        Err(e) => {
            s.to_end = false;
            let why = format!(
                "{}. {}",
                e.summary,
                crate::tui::error_view::remedy_text(&e.remedy, &state.keys)
            );
            s.paging = Paging::Failed {
                why: why.clone(),
                next: uri,
            };
            state.error(format!(
                "Could not read the {} list: {why} ({} tries again)",
                state.header.service.label(),
                state
                    .keys
                    .label(KeyCommand::Refresh, crate::tui::keys::KeyScope::History)
            ));
        }
    }
}

/// `r` on the service's list: reads it again from the first page (or, after a failed
/// page, goes on from where it stopped).
pub(super) fn reread(state: &mut State, fx: &mut Vec<Effect>) {
    let s = &mut state.history.service;
    match std::mem::take(&mut s.paging) {
        Paging::Failed { next: Some(next), .. } => read(s, Some(next), fx),
        _ => {
            s.reset();
            let filter = state.history.filter.text().to_string();
            state.history.service.set_filter(&filter);
            ensure(state, fx);
        }
    }
    state.info(format!("Reading the {} list…", state.header.service.label()));
}

/// Opens the selected row's details: the local record if the history has it, and a fresh
/// copy from the service with every note.
pub(super) fn open(state: &mut State, fx: &mut Vec<Effect>) {
    let s = &state.history.service;
    let Some(row) = s.selected_row() else { return };
    let target = crate::worker::Target {
        local_id: None,
        server_id: row.id.clone(),
        customer: s.customer.clone(),
    };
    super::show(
        state,
        Screen::Details(Box::new(DetailsView {
            server_id: Some(target.server_id.clone()),
            customer: target.customer.clone(),
            clock: Some(crate::dates::WallClock::now()),
            ..DetailsView::default()
        })),
    );
    fx.push(Effect::Worker(Job::Details {
        local_id: None,
        server_id: Some(target.server_id.clone()),
    }));
    fx.push(Effect::Worker(Job::Refresh {
        target,
        looking: true,
    }));
}

/// `c`: asks for the customer tenant whose requests to list (empty = the partner's own).
pub(super) fn ask_customer(state: &mut State) {
    let typed = Box::new(LineBox::new(
        state.history.service.customer.as_deref().unwrap_or_default(),
    ));
    state.history.focus = HistoryFocus::Customer(typed);
}

/// Enter in the customer prompt: list that customer's requests.
pub(super) fn apply_customer(state: &mut State, fx: &mut Vec<Effect>) {
    let HistoryFocus::Customer(typed) = &state.history.focus else {
        return;
    };
    let typed = typed.text().trim().to_string();
    set_customer(state, typed, fx);
}

/// The session's scope changed (another Azure subscription): what was read of the service's
/// list belongs to the old one, so it goes and is read again if on screen.
pub(super) fn rescoped(state: &mut State, fx: &mut Vec<Effect>) {
    state.history.service.reset();
    let filter = state.history.filter.text().to_string();
    state.history.service.set_filter(&filter);
    if matches!(state.screen, Screen::History) && state.history.source == Source::Service {
        ensure(state, fx);
    }
}

/// Applies a customer scope typed in the prompt: a GUID, or empty for the partner.
fn set_customer(state: &mut State, typed: String, fx: &mut Vec<Effect>) {
    if !typed.is_empty() && uuid::Uuid::parse_str(&typed).is_err() {
        state.error(format!(
            "\"{}\" is not a tenant id: enter the customer's tenant GUID (e.g. 3f8a…-…), or clear it for your own requests",
            text::one_line(&typed)
        ));
        return;
    }
    state.history.focus = HistoryFocus::List;
    let s = &mut state.history.service;
    s.customer = (!typed.is_empty()).then_some(typed);
    s.reset();
    let filter = state.history.filter.text().to_string();
    state.history.service.set_filter(&filter);
    let scope = state.history.service.scope_label();
    state.info(format!("Listing the requests of the {scope}"));
    ensure(state, fx);
}
