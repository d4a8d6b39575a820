//! `update`: the only place the state changes. Pure: it takes an action and returns the
//! effects the run loop must carry out, so tests drive it without a terminal.
//!
//! One file per screen; this one dispatches keys through the key table.

use ratatui::crossterm::event::KeyEvent;

use super::action::{Action, Effect};
use super::keys::{self, KeyCommand};
use super::mode::{self, Mode, Overlay};
use super::runtime::clipboard::Method;
use super::state::message::Cause;
use super::state::{DraftSync, FormField, HistoryFocus, Screen, Source, State};
use crate::domain::Service;
use crate::store::Draft;
use crate::tui::textbox::EditOp;
use crate::worker::Job;

mod attachments;
mod clock;
mod contact;
mod details;
mod form;
mod history;
mod note;
mod pointer;
mod reply;
mod requests;
mod severity;
mod signin;
mod subscriptions;
mod template;
mod typing;

pub use history::{awaiting_rows, history_height};

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
                ensure_history(state, &mut fx, false);
            }
        }
        Action::Drawn(viewport) => state.viewport = viewport,
        Action::Tick(now) => clock::on_tick(state, now, &mut fx),
        // The editor is modal, so the box it was opened from still has the focus.
        Action::EditorDone(Ok(text)) if mode::mode(state) == Mode::NoteBox => note::edited(state, &text),
        Action::EditorDone(Ok(text)) => {
            state
                .form
                .set_description(text.strip_suffix('\n').unwrap_or(&text));
            form::changed(state, FormField::Description);
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
        Action::CopyFailed(why) | Action::SwitchFailed(why) => state.error(why),
        Action::Templates { templates, errors } => template::loaded(state, templates, errors),
        Action::BrowserOpened { url, result } => signin::browser_opened(state, &url, result),
        Action::ConfigWritten { what, result } => contact::written(state, &what, result),
        Action::AttachmentChecked { typed, result } => attachments::checked(state, &typed, result),
        Action::PathCompleted { typed, completion } => attachments::completed(state, &typed, completion),
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
    let mode = mode::mode(state);
    let scopes = keys::mode_scopes(mode, state);
    let command = state.keys.lookup(&scopes, &key).map(|b| b.command);
    if let Mode::Help | Mode::Messages = mode {
        // A reading overlay: it scrolls, closes, or gives way to the app-wide keys that leave.
        match command {
            Some(
                command @ (KeyCommand::Quit | KeyCommand::Help | KeyCommand::Messages | KeyCommand::Back),
            ) => run(state, command, fx),
            Some(
                command @ (KeyCommand::Up
                | KeyCommand::Down
                | KeyCommand::PageUp
                | KeyCommand::PageDown
                | KeyCommand::First
                | KeyCommand::Last),
            ) => {
                let viewport = state.viewport;
                if let Some(Overlay::Help { scroll } | Overlay::Messages { scroll }) =
                    state.overlays.last_mut()
                {
                    *scroll = details::scrolled(*scroll, command, viewport);
                }
            }
            _ => {}
        }
        return;
    }
    match command {
        Some(command) => run(state, command, fx),
        None => typing::type_key(state, key, fx),
    }
}

fn run(state: &mut State, command: KeyCommand, fx: &mut Vec<Effect>) {
    match (mode::mode(state), command) {
        (Mode::Contact(_), command) if contact::run(state, command, fx) => return,
        (Mode::Consent, KeyCommand::ConfirmYes) => return contact::answer_consent(state, true, fx),
        (Mode::Consent, KeyCommand::ConfirmNo) => return contact::answer_consent(state, false, fx),
        // With nothing typed the cursor has nowhere to go: Right and Left browse the tree.
        (Mode::Form(FormField::Topic), KeyCommand::Edit(EditOp::CharRight))
            if state.topics.filter.text().is_empty() && form::open_branch(state, fx) =>
        {
            return;
        }
        (Mode::Form(FormField::Topic), KeyCommand::Edit(EditOp::CharLeft))
            if state.topics.filter.text().is_empty() && form::close_branch(state) =>
        {
            return;
        }
        _ => {}
    }
    match command {
        KeyCommand::Quit => quit(state, fx),
        KeyCommand::Help => toggle_reader(state, Overlay::Help { scroll: 0 }),
        KeyCommand::Messages => toggle_reader(state, Overlay::Messages { scroll: 0 }),
        KeyCommand::Back => back(state, fx),
        KeyCommand::History => {
            show(state, Screen::History);
            ensure_history(state, fx, true);
        }
        KeyCommand::NewRequest => {
            // The form is only ever emptied by a successful submit, so an unsent draft stays.
            show(state, Screen::Form);
            state.form.set_focus(FormField::Title);
        }
        KeyCommand::Submit => form::submit(state, fx),
        KeyCommand::NextField => {
            let next = state.form.next_field();
            state.form.set_focus(next);
        }
        KeyCommand::PrevField => {
            let prev = state.form.prev_field();
            state.form.set_focus(prev);
        }
        KeyCommand::CompletePath => attachments::complete(state, fx),
        KeyCommand::AddAttachment => attachments::add(state, fx),
        KeyCommand::RemoveAttachment => attachments::remove(state),
        KeyCommand::PickTopic => {
            // Enter on a service opens it: it is not a topic to file under.
            if form::open_branch(state, fx) {
                return;
            }
            // Enter means "this one": the best match counts even if the highlight never moved.
            form::choose_highlighted(state);
            state.form.set_focus(FormField::Submit);
        }
        KeyCommand::NewLine => form::new_line(state),
        KeyCommand::OpenEditor if mode::mode(state) == Mode::NoteBox => {
            if let Some(body) = note::body(state) {
                fx.push(Effect::OpenEditor(body));
            }
        }
        KeyCommand::OpenEditor => fx.push(Effect::OpenEditor(state.form.description_text())),
        KeyCommand::Left => form::step_severity(state, -1),
        KeyCommand::Right => form::step_severity(state, 1),
        KeyCommand::Up => step(state, -1, fx),
        KeyCommand::Down => step(state, 1, fx),
        KeyCommand::PageUp | KeyCommand::PageDown | KeyCommand::First | KeyCommand::Last => {
            match &state.screen {
                Screen::History if state.history.source == Source::Service => {
                    requests::jump(state, command, fx)
                }
                Screen::History => history::jump(state, command, fx),
                Screen::Details(_) => details::scroll(state, command),
                Screen::Form | Screen::Result(_) | Screen::SignIn => {}
            }
        }
        KeyCommand::Open if state.history.source == Source::Service => requests::open(state, fx),
        KeyCommand::Open => history::open(state, fx),
        KeyCommand::Refresh
            if matches!(state.screen, Screen::History) && state.history.source == Source::Service =>
        {
            requests::reread(state, fx)
        }
        KeyCommand::Refresh => history::refresh(state, fx),
        KeyCommand::Filter => state.history.focus = HistoryFocus::Filter,
        KeyCommand::KeepFilter => state.history.focus = HistoryFocus::List,
        KeyCommand::Edit(op) => typing::edit(state, op, fx),
        KeyCommand::ApplyCustomer => requests::apply_customer(state, fx),
        KeyCommand::PickTemplate => template::open(state, fx),
        KeyCommand::ChooseTemplate => template::choose(state),
        KeyCommand::SwitchSource => requests::switch_source(state, fx),
        KeyCommand::CustomerScope if state.history.source == Source::Service => requests::ask_customer(state),
        KeyCommand::CustomerScope => state.info(format!(
            "The customer scope is for the Partner Center list: {} switches to it",
            state
                .keys
                .label(KeyCommand::SwitchSource, keys::KeyScope::History)
        )),
        KeyCommand::AddNote => note::open(state),
        KeyCommand::SendNote => note::send(state, fx),
        KeyCommand::CopyId => details::copy_id(state, fx),
        KeyCommand::CloseRequest => details::ask_close(state),
        KeyCommand::ChangeSeverity => severity::open(state),
        KeyCommand::ChooseSeverity => severity::choose(state, fx),
        KeyCommand::ConfirmYes => details::confirmed(state, fx),
        KeyCommand::ConfirmNo => {
            if let Some(question) = state.take_question() {
                details::declined(state, question);
            }
        }
        KeyCommand::RetryTopics => form::retry_topics(state, fx),
        KeyCommand::ContactProfile => contact::open(state, false),
        KeyCommand::PickSubscription => subscriptions::open(state, fx),
        KeyCommand::ChooseSubscription => subscriptions::choose(state, fx),
        KeyCommand::SwitchService => {
            let to = match state.header.service {
                Service::PartnerCenter => Service::Azure,
                Service::Azure => Service::PartnerCenter,
            };
            switch_service(state, to, crate::tui::state::Landing::Form, fx);
        }
        // Only the contact screen saves (handled above).
        KeyCommand::SaveContact => {}
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
    match state.overlays.last_mut() {
        Some(Overlay::Templates(picker)) => return picker.list.step(delta),
        Some(Overlay::Subscriptions(picker)) => return picker.list.step(delta),
        Some(Overlay::Severity(picker)) => return severity::step(picker, delta),
        _ => {}
    }
    match &state.screen {
        Screen::Form if state.form.focus == FormField::Attachments => attachments::step(state, delta),
        Screen::Form => form::step_topic(state, delta),
        Screen::History if state.history.source == Source::Service => requests::step(state, delta, fx),
        Screen::History => history::step(state, delta, fx),
        Screen::Details(_) => details::scroll_by(state, delta),
        Screen::Result(_) | Screen::SignIn => {}
    }
}

/// Ends this service's session for `to`'s, which opens on `land`. The form comes along
/// without its topic (the catalogues differ); the draft and the notes are saved first, as on
/// quit, so nothing typed is lost if the other service cannot start. Not while a submit waits
/// for its answer (the answer would arrive at a worker that is gone): `false` then.
pub(super) fn switch_service(
    state: &mut State,
    to: Service,
    land: crate::tui::state::Landing,
    fx: &mut Vec<Effect>,
) -> bool {
    if state.busy.is_some() {
        state.error(format!(
            "Switching to {} waits for the answer on screen: try again once it has come",
            to.label()
        ));
        return false;
    }
    let carry = Draft {
        topic_id: None,
        ..state.form.draft()
    };
    if state.draft.dirty {
        fx.push(Effect::Worker(Job::SaveDraft(state.form.draft())));
        state.draft = DraftSync::default();
    }
    note::keep_all(state, fx);
    fx.push(Effect::SwitchService { to, carry, land });
    true
}

/// What a session asks for once its worker runs: the first page of the service's list when it
/// opened on it (a switch from the history's Tab).
pub fn landed(state: &mut State) -> Vec<Effect> {
    let mut fx = Vec::new();
    if matches!(state.screen, Screen::History) && state.history.source == Source::Service {
        requests::ensure(state, &mut fx);
    }
    fx
}

fn quit(state: &mut State, fx: &mut Vec<Effect>) {
    if state.draft.dirty {
        fx.push(Effect::Worker(Job::SaveDraft(state.form.draft())));
        state.draft = DraftSync::default();
    }
    note::keep_all(state, fx);
    fx.push(Effect::Quit);
}

/// Help and messages fill the same place, so they take turns: the key of the one on top closes
/// it, the other's replaces it.
fn toggle_reader(state: &mut State, overlay: Overlay) {
    let on_top = state.overlays.last().map(Overlay::mode) == Some(overlay.mode());
    state
        .overlays
        .retain(|o| !matches!(o, Overlay::Help { .. } | Overlay::Messages { .. }));
    if !on_top {
        state.overlays.push(overlay);
    }
}

/// Goes to another screen. The overlays belong to the screen they were opened over, so they
/// close; a question left open is answered no, and says so.
pub(super) fn show(state: &mut State, screen: Screen) {
    state.screen = screen;
    // A submit waiting for the contact screen is given up with it (the typing stays).
    if let Some(contact) = &mut state.azure.screen {
        contact.then_submit = false;
    }
    for overlay in std::mem::take(&mut state.overlays) {
        if let Overlay::Question(question) = overlay {
            details::declined(state, question);
        }
    }
}

/// Esc: closes whatever has the keyboard, else goes back a screen.
fn back(state: &mut State, fx: &mut Vec<Effect>) {
    match mode::mode(state) {
        Mode::Help | Mode::Messages | Mode::Templates | Mode::Consent | Mode::Subscriptions => {
            state.overlays.pop();
        }
        Mode::SeverityPicker => {
            if let Some(Overlay::Severity(picker)) = state.overlays.pop()
                && let Some(asked) = picker.sending
            {
                // Sent already: its answer still comes to the details and the history.
                state.info(format!(
                    "The change of {} to {} was sent; its answer shows here when it comes",
                    picker.name,
                    asked.label()
                ));
            }
        }
        Mode::Contact(_) => contact::close(state),
        Mode::Question => {
            if let Some(question) = state.take_question() {
                details::declined(state, question);
            }
        }
        Mode::NoteBox => note::close_box(state, fx),
        Mode::HistoryFilter | Mode::CustomerPrompt => state.history.focus = HistoryFocus::List,
        Mode::Details => {
            let Screen::Details(d) = &state.screen else { return };
            // Opening it cleared its "changed" mark in the store; the loaded rows follow.
            let opened = d.submission.as_ref().map(|s| s.local_id).or(d.local_id);
            let server_id = d.server_id();
            if let Some(row) = state.history.rows.iter_mut().find(|r| Some(r.local_id) == opened) {
                row.updated = false;
            }
            if let Some(id) = server_id
                && let Some(row) = state.history.service.rows.iter_mut().find(|r| r.id == id)
            {
                row.updated = false;
            }
            show(state, Screen::History);
        }
        Mode::History | Mode::Result | Mode::SignInForm | Mode::SignInPrompt => show(state, Screen::Form),
        Mode::Form(_) => {
            state.notice = None;
            state.form.submit_error = None;
        }
    }
}

fn on_paste(state: &mut State, pasted: &str, fx: &mut Vec<Effect>) {
    let normalized = pasted.replace("\r\n", "\n").replace('\r', "\n");
    typing::paste(state, &normalized, fx);
}

/// The history pane opened or changed size: whichever list shows is read as needed.
fn ensure_history(state: &mut State, fx: &mut Vec<Effect>, force: bool) {
    match state.history.source {
        Source::Local => history::ensure(state, fx, force),
        Source::Service => requests::ensure(state, fx),
    }
}

#[cfg(test)]
mod app_tests;
#[cfg(test)]
mod attachments_tests;
#[cfg(test)]
mod config_tests;
#[cfg(test)]
mod contact_tests;
#[cfg(test)]
mod follow_tests;
#[cfg(test)]
mod form_tests;
#[cfg(test)]
mod history_tests;
#[cfg(test)]
mod notice_tests;
#[cfg(test)]
mod overlay_tests;
#[cfg(test)]
mod service_list_tests;
#[cfg(test)]
mod severity_tests;
#[cfg(test)]
mod subscription_tests;
#[cfg(test)]
pub(crate) mod tests;
