//! `update`: the only place the state changes. Pure: it takes an action and returns the
//! effects the run loop must carry out, so tests drive it without a terminal.
//!
//! One file per screen; this one dispatches keys through the key table.

use ratatui::crossterm::event::KeyEvent;

use super::action::{Action, Effect};
use super::clipboard::Method;
use super::keys::{self, KeyCommand};
use super::message::Cause;
use super::state::{DraftSync, Field, Screen, State};
use crate::worker::Command as Work;

mod clock;
mod details;
mod form;
mod history;
mod pointer;
mod reply;
mod signin;
mod typing;

pub use history::history_height;

/// Applies one action; returns what the outside world must do.
pub fn update(state: &mut State, action: Action) -> Vec<Effect> {
    let mut fx = Vec::new();
    match action {
        Action::Key(key) => on_key(state, key, &mut fx),
        Action::Paste(text) => on_paste(state, &text, &mut fx),
        Action::Mouse(mouse) => pointer::on_mouse(state, mouse, &mut fx),
        Action::Resize(w, h) => {
            state.size = (w, h);
            if matches!(state.screen, Screen::History) {
                history::ensure(state, &mut fx, false);
            }
        }
        Action::Drawn(viewport) => state.viewport = viewport,
        Action::Tick(now) => clock::on_tick(state, now, &mut fx),
        Action::EditorDone(Ok(text)) => {
            state
                .form
                .set_description(text.strip_suffix('\n').unwrap_or(&text));
            form::changed(state, Field::Description);
            state.info("Description updated from the editor");
        }
        Action::EditorDone(Err(why)) => state.error(why),
        Action::Copied {
            what,
            text,
            via,
            tmux,
        } => {
            if via == Method::Osc52 {
                fx.push(Effect::Osc52 { text, tmux });
            }
            state.info(via.sentence(&what, tmux));
        }
        Action::CopyFailed(why) => state.error(why),
        Action::BrowserOpened { url, result } => signin::browser_opened(state, &url, result),
        Action::Worker(reply) => reply::on_reply(state, *reply, &mut fx),
        Action::Quit => quit(state, &mut fx),
    }
    settle_notices(state);
    fx
}

/// Notices whose cause is settled go: the sign-in screen shows why a sign-in failed, so the
/// pointer to it is stale there.
fn settle_notices(state: &mut State) {
    if matches!(state.screen, Screen::SignIn) && state.notice_cause() == Some(Cause::SignInFailed) {
        state.notice = None;
    }
}

fn on_key(state: &mut State, key: KeyEvent, fx: &mut Vec<Effect>) {
    let scopes = keys::active_scopes(state);
    if let Some(binding) = keys::lookup(&scopes, &key) {
        if state.help || state.messages_open {
            match binding.command {
                KeyCommand::Quit | KeyCommand::Help | KeyCommand::Messages | KeyCommand::Back => {
                    run(state, binding.command, fx)
                }
                KeyCommand::Up
                | KeyCommand::Down
                | KeyCommand::PageUp
                | KeyCommand::PageDown
                | KeyCommand::First
                | KeyCommand::Last => {
                    state.help_scroll = details::scrolled(state.help_scroll, binding.command, state.viewport);
                }
                _ => {}
            }
            return;
        }
        run(state, binding.command, fx);
        return;
    }
    if state.help || state.messages_open {
        return;
    }
    typing::type_key(state, key, fx);
}

fn run(state: &mut State, command: KeyCommand, fx: &mut Vec<Effect>) {
    match command {
        KeyCommand::Quit => quit(state, fx),
        KeyCommand::Help => {
            state.help = !state.help;
            state.messages_open = false;
            state.help_scroll = 0;
        }
        KeyCommand::Messages => {
            // The same scroll as help: one overlay at a time.
            state.messages_open = !state.messages_open;
            state.help = false;
            state.help_scroll = 0;
        }
        KeyCommand::Back => back(state),
        KeyCommand::History => {
            state.help = false;
            state.screen = Screen::History;
            history::ensure(state, fx, true);
        }
        KeyCommand::NewRequest => {
            // The form is only ever emptied by a successful submit, so an unsent draft stays.
            state.help = false;
            state.screen = Screen::Form;
            state.form.set_focus(Field::Title);
        }
        KeyCommand::Submit => form::submit(state, fx),
        KeyCommand::NextField => {
            let next = state.form.focus.next();
            state.form.set_focus(next);
        }
        KeyCommand::PrevField => {
            let prev = state.form.focus.prev();
            state.form.set_focus(prev);
        }
        KeyCommand::PickTopic => {
            // Enter means "this one": the best match counts even if the highlight never moved.
            form::choose_highlighted(state);
            state.form.set_focus(Field::Submit);
        }
        KeyCommand::NewLine => form::new_line(state),
        KeyCommand::OpenEditor => fx.push(Effect::OpenEditor(state.form.description_text())),
        KeyCommand::Left => form::step_severity(state, -1),
        KeyCommand::Right => form::step_severity(state, 1),
        KeyCommand::Up => step(state, -1, fx),
        KeyCommand::Down => step(state, 1, fx),
        KeyCommand::PageUp | KeyCommand::PageDown | KeyCommand::First | KeyCommand::Last => {
            match &state.screen {
                Screen::History => history::jump(state, command, fx),
                Screen::Details(_) => details::scroll(state, command),
                Screen::Form | Screen::Result(_) | Screen::SignIn => {}
            }
        }
        KeyCommand::Open => history::open(state, fx),
        KeyCommand::Refresh => history::refresh(state, fx),
        KeyCommand::Filter => state.history.filtering = true,
        KeyCommand::KeepFilter => state.history.filtering = false,
        KeyCommand::Edit(op) => typing::edit(state, op, fx),
        KeyCommand::CopyId => details::copy_id(state, fx),
        KeyCommand::CloseRequest => details::ask_close(state),
        KeyCommand::ConfirmYes => details::confirmed(state, fx),
        KeyCommand::ConfirmNo => {
            state.confirm = None;
            state.info("Nothing was changed");
        }
        KeyCommand::RetryTopics => form::retry_topics(state, fx),
        KeyCommand::SignIn
        | KeyCommand::PrevCloud
        | KeyCommand::NextCloud
        | KeyCommand::OpenBrowser
        | KeyCommand::StartSignIn
        | KeyCommand::CopyCode
        | KeyCommand::CancelSignIn => signin::run(state, command, fx),
    }
}

/// Up/Down: the topic highlight, the history selection or the details' scroll.
fn step(state: &mut State, delta: isize, fx: &mut Vec<Effect>) {
    match &state.screen {
        Screen::Form => form::step_topic(state, delta),
        Screen::History => history::step(state, delta, fx),
        Screen::Details(_) => details::scroll_by(state, delta),
        Screen::Result(_) | Screen::SignIn => {}
    }
}

fn quit(state: &mut State, fx: &mut Vec<Effect>) {
    if state.draft.dirty {
        fx.push(Effect::Worker(Work::SaveDraft(state.form.draft())));
        state.draft = DraftSync::default();
    }
    state.quit = true;
    fx.push(Effect::Quit);
}

fn back(state: &mut State) {
    if state.help || state.messages_open {
        state.help = false;
        state.messages_open = false;
        return;
    }
    match &state.screen {
        Screen::Details(d) => {
            // Opening it cleared its "changed" mark in the store; the loaded rows follow.
            let opened = d.local_id;
            if let Some(row) = state.history.rows.iter_mut().find(|r| r.local_id == opened) {
                row.updated = false;
            }
            state.screen = Screen::History;
        }
        Screen::History if state.history.filtering => state.history.filtering = false,
        Screen::History | Screen::Result(_) | Screen::SignIn => state.screen = Screen::Form,
        Screen::Form => {
            state.notice = None;
            state.form.submit_error = None;
        }
    }
}

fn on_paste(state: &mut State, pasted: &str, fx: &mut Vec<Effect>) {
    let normalized = pasted.replace("\r\n", "\n").replace('\r', "\n");
    typing::paste(state, &normalized, fx);
}

#[cfg(test)]
mod notice_tests;
#[cfg(test)]
pub(crate) mod tests;
