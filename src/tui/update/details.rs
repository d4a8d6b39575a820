//! The details and result screens' part of `update`: scrolling and copying the id.

use crate::text;
use crate::tui::action::Effect;
use crate::tui::keys::KeyCommand;
use crate::tui::state::{Confirm, Screen, State, Target, Viewport};
use crate::worker::Job;

/// A scroll position after a scrolling command, kept within what the last frame showed.
pub(super) fn scrolled(scroll: u16, command: KeyCommand, viewport: Viewport) -> u16 {
    let Viewport { page, max_scroll } = viewport;
    match command {
        KeyCommand::Up => scroll.saturating_sub(1),
        KeyCommand::Down => scroll.saturating_add(1),
        KeyCommand::PageUp => scroll.saturating_sub(page.max(1)),
        KeyCommand::PageDown => scroll.saturating_add(page.max(1)),
        KeyCommand::First => 0,
        KeyCommand::Last => max_scroll,
        _ => scroll,
    }
    .min(max_scroll)
}

/// Page and first/last moves in the details.
pub(super) fn scroll(state: &mut State, command: KeyCommand) {
    let viewport = state.viewport;
    if let Screen::Details(d) = &mut state.screen {
        let from = if d.at_end { viewport.max_scroll } else { d.scroll };
        d.scroll = scrolled(from, command, viewport);
        d.at_end = match command {
            KeyCommand::Last => true,
            KeyCommand::Down | KeyCommand::PageDown => d.scroll == viewport.max_scroll,
            KeyCommand::Up | KeyCommand::PageUp | KeyCommand::First => false,
            _ => d.at_end,
        };
    }
}

/// Up/Down (and the wheel) in the details, by `delta` lines.
pub(super) fn scroll_by(state: &mut State, delta: isize) {
    let max = state.viewport.max_scroll;
    if let Screen::Details(d) = &mut state.screen {
        let from = if d.at_end { max } else { d.scroll };
        // Clamped so End and scrolling back up respond at once, however far one went.
        d.scroll = from.saturating_add_signed(delta as i16).min(max);
        d.at_end = delta > 0 && d.scroll == max;
    }
}

/// `x` on the details: asks before closing the request on the server.
pub(super) fn ask_close(state: &mut State) {
    let Screen::Details(d) = &state.screen else { return };
    match d.server_id() {
        Some(server_id) => {
            let question = Confirm::Close(Target {
                local_id: d.submission.as_ref().map(|s| s.local_id).or(d.local_id),
                server_id,
                customer: d.customer.clone(),
            });
            state.ask(question);
        }
        None => state.error("This request was never created on the server, so there is nothing to close"),
    }
}

/// The question on screen was answered yes.
pub(super) fn confirmed(state: &mut State, fx: &mut Vec<Effect>) {
    match state.take_question() {
        Some(Confirm::Close(target)) => {
            state.refreshing = Some(target.server_id.clone());
            state.info(format!("Closing {}…", text::one_line(&target.server_id)));
            fx.push(Effect::Worker(Job::Close(target)));
        }
        Some(Confirm::ResendNote(_)) => super::note::go(state, fx),
        Some(Confirm::Template(template)) => super::template::overwrite(state, &template),
        None => {}
    }
}

/// The question on screen was answered no.
pub(super) fn declined(state: &mut State, question: Confirm) {
    match question {
        Confirm::ResendNote(_) => state.info("Not sent again; your note is kept"),
        Confirm::Template(_) => state.info("Kept what you typed; the template filled only the empty fields"),
        Confirm::Close(_) => state.info("Nothing was changed"),
    }
}

/// Copies the request id shown on the result or details screen.
pub(super) fn copy_id(state: &mut State, fx: &mut Vec<Effect>) {
    // The number people quote to support, where the service has one apart from its id.
    let numbered = |t: &crate::domain::Ticket| t.number.clone().map(|n| ("ticket number", n));
    let id = match &state.screen {
        Screen::Result(r) => {
            numbered(&r.request).or_else(|| r.request.id.clone().map(|id| ("request id", id)))
        }
        Screen::Details(d) => d
            .server()
            .and_then(numbered)
            .or_else(|| d.server_id().map(|id| ("request id", id))),
        _ => None,
    };
    match id {
        Some((what, id)) => {
            let id = text::one_line(&id);
            state.info(format!("Copying {what} {id}…"));
            fx.push(Effect::Copy {
                what: format!("{what} {id}"),
                text: id,
            });
        }
        None => state.error("This request has no id yet: the service has not created it"),
    }
}
