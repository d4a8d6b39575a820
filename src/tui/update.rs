//! `update`: the only place the state changes. Pure: it takes an action and returns the
//! effects the run loop must carry out, so tests drive it without a terminal.

use std::time::Instant;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::Rect;

use crate::store::Draft;
use crate::text;
use crate::worker::{Command as Work, Reply};

use super::action::{Action, Effect};
use super::keys::{self, Command, Scope};
use super::state::{
    Busy, BusyNote, DRAFT_DEBOUNCE, DetailsView, DraftSync, Field, Form, NOTICE_TTL, NoticeKind, ResultView,
    Screen, State, Unsettled,
};
use super::topics::TopicsLoad;
use super::view::{self, layout};

mod signin;

/// Applies one action; returns what the outside world must do.
pub fn update(state: &mut State, action: Action) -> Vec<Effect> {
    let mut fx = Vec::new();
    match action {
        Action::Key(key) => on_key(state, key, &mut fx),
        Action::Paste(text) => on_paste(state, &text, &mut fx),
        Action::Mouse(mouse) => on_mouse(state, mouse, &mut fx),
        Action::Resize(w, h) => {
            state.size = (w, h);
            if matches!(state.screen, Screen::History) {
                ensure_history(state, &mut fx, false);
            }
        }
        Action::Tick(now) => on_tick(state, now, &mut fx),
        Action::EditorDone(Ok(text)) => {
            state
                .form
                .set_description(text.strip_suffix('\n').unwrap_or(&text));
            changed(state, Field::Description);
            state.info("Description updated from the editor");
        }
        Action::EditorDone(Err(why)) => state.error(why),
        Action::Copied(Ok(_)) => {}
        Action::Copied(Err(why)) => state.error(why),
        Action::Worker(reply) => on_reply(state, *reply, &mut fx),
        Action::Quit => quit(state, &mut fx),
    }
    fx
}

/// The scopes whose bindings apply right now.
pub fn active_scopes(state: &State) -> Vec<Scope> {
    let mut scopes = vec![Scope::Anywhere];
    if !state.in_text_field() {
        scopes.push(Scope::OutsideText);
    }
    if state.help {
        scopes.push(Scope::Help);
        scopes.push(Scope::Scrollable);
        return scopes;
    }
    match &state.screen {
        Screen::Form => {
            scopes.push(Scope::Form);
            match state.form.focus {
                Field::Title => {}
                Field::Description => scopes.push(Scope::Description),
                Field::Severity => scopes.push(Scope::Severity),
                Field::Topic => {
                    scopes.push(Scope::Topic);
                    if matches!(state.topics.load, TopicsLoad::Failed(_)) {
                        scopes.push(Scope::TopicError);
                    }
                }
                Field::Submit => scopes.push(Scope::SubmitButton),
            }
        }
        Screen::History if !state.history.filtering => scopes.push(Scope::History),
        Screen::History => {}
        Screen::Result(_) => scopes.push(Scope::ResultOrDetails),
        Screen::Details(_) => {
            scopes.push(Scope::ResultOrDetails);
            scopes.push(Scope::Details);
            scopes.push(Scope::Scrollable);
        }
        Screen::SignIn if state.signin.editing() => scopes.push(Scope::SignInForm),
        Screen::SignIn => scopes.push(Scope::SignInPrompt),
    }
    scopes
}

fn on_key(state: &mut State, key: KeyEvent, fx: &mut Vec<Effect>) {
    let scopes = active_scopes(state);
    if let Some(binding) = keys::lookup(&scopes, &key) {
        if state.help {
            match binding.command {
                Command::Quit | Command::Help | Command::Back => run(state, binding.command, fx),
                Command::Up
                | Command::Down
                | Command::PageUp
                | Command::PageDown
                | Command::First
                | Command::Last => {
                    let (page, max) = view::help::viewport(state);
                    state.help_scroll = scrolled(state.help_scroll, binding.command, page, max);
                }
                _ => {}
            }
            return;
        }
        run(state, binding.command, fx);
        return;
    }
    if state.help {
        return;
    }
    match &state.screen {
        Screen::Form => type_into_form(state, key),
        Screen::History if state.history.filtering => type_into_filter(state, key, fx),
        Screen::SignIn if state.signin.editing() => signin::type_into_tenant(state, key),
        _ => {}
    }
}

fn run(state: &mut State, command: Command, fx: &mut Vec<Effect>) {
    match command {
        Command::Quit => quit(state, fx),
        Command::Help => {
            state.help = !state.help;
            state.help_scroll = 0;
        }
        Command::Back => back(state),
        Command::History => {
            state.help = false;
            state.screen = Screen::History;
            ensure_history(state, fx, true);
        }
        Command::NewRequest => {
            // The form is only ever emptied by a successful submit, so an unsent draft stays.
            state.help = false;
            state.screen = Screen::Form;
            state.form.set_focus(Field::Title);
        }
        Command::Submit => submit(state, fx),
        Command::NextField => {
            let next = state.form.focus.next();
            state.form.set_focus(next);
        }
        Command::PrevField => {
            let prev = state.form.focus.prev();
            state.form.set_focus(prev);
        }
        Command::OpenEditor => fx.push(Effect::OpenEditor(state.form.description_text())),
        Command::Left => step_severity(state, -1),
        Command::Right => step_severity(state, 1),
        Command::Up => step(state, -1, fx),
        Command::Down => step(state, 1, fx),
        Command::PageUp | Command::PageDown | Command::First | Command::Last => jump(state, command, fx),
        Command::Open => {
            if let Some(row) = state.history.row(state.history.selected) {
                let local_id = row.local_id;
                state.screen = Screen::Details(Box::new(DetailsView {
                    local_id,
                    submission: None,
                    scroll: 0,
                }));
                fx.push(Effect::Worker(Work::Details(local_id)));
            }
        }
        Command::Refresh => refresh(state, fx),
        Command::Filter => state.history.filtering = true,
        Command::CopyId => {
            let id = match &state.screen {
                Screen::Result(r) => r.request.id.clone(),
                Screen::Details(d) => d.submission.as_ref().and_then(|s| s.server_id.clone()),
                _ => None,
            };
            match id {
                Some(id) => {
                    let id = text::one_line(&id);
                    state.info(format!("Copied request id {id} to the clipboard (OSC 52)"));
                    fx.push(Effect::Copy(id));
                }
                None => state.error("This request has no id yet: the service has not created it"),
            }
        }
        Command::RetryTopics => {
            state.topics.load = TopicsLoad::Loading;
            fx.push(Effect::Worker(Work::LoadTopics));
        }
        Command::SignIn
        | Command::PrevCloud
        | Command::NextCloud
        | Command::ClearTenant
        | Command::StartSignIn
        | Command::CopyCode
        | Command::CancelSignIn => signin::run(state, command, fx),
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
    if state.help {
        state.help = false;
        return;
    }
    match &state.screen {
        Screen::Details(_) => state.screen = Screen::History,
        Screen::History if state.history.filtering => state.history.filtering = false,
        Screen::History | Screen::Result(_) | Screen::SignIn => state.screen = Screen::Form,
        Screen::Form => {
            state.notice = None;
            state.form.submit_error = None;
        }
    }
}

fn submit(state: &mut State, fx: &mut Vec<Effect>) {
    let request = state.form.request();
    let errors = request.validate();
    if let Some(first) = errors.first() {
        let field = Field::from_wire(first.field);
        let count = errors.len();
        state.form.errors = errors;
        state.form.set_focus(field);
        state.error(if count == 1 {
            "1 field needs attention before the request can be sent".to_string()
        } else {
            format!("{count} fields need attention before the request can be sent")
        });
        return;
    }
    if state.busy.is_some() {
        state.info("A submit is already in flight; its answer will show here");
        return;
    }
    state.form.errors.clear();
    state.form.submit_error = None;
    state.notice = None;
    state.busy = Some(Busy {
        what: "Submitting".into(),
        since: state.now,
        note: None,
    });
    if state.draft.dirty {
        fx.push(Effect::Worker(Work::SaveDraft(state.form.draft())));
        state.draft = DraftSync::default();
    }
    let command = match &state.form.unsettled {
        // Same form after an unknown outcome: reuse the MS-RequestId so it cannot be filed twice.
        Some(u) if u.request == request => Work::Resend {
            local_id: u.local_id,
            request_id: u.request_id,
            request,
        },
        _ => Work::Submit(request),
    };
    fx.push(Effect::Worker(command));
}

fn step_severity(state: &mut State, delta: isize) {
    use crate::api::Severity;
    let all = Severity::CHOOSABLE;
    let next = match state.form.severity.and_then(|s| all.iter().position(|x| *x == s)) {
        Some(i) => all[(i as isize + delta).rem_euclid(all.len() as isize) as usize],
        None if delta > 0 => all[0],
        None => all[all.len() - 1],
    };
    state.form.severity = Some(next);
    changed(state, Field::Severity);
}

fn step(state: &mut State, delta: isize, fx: &mut Vec<Effect>) {
    match &state.screen {
        Screen::Form => {
            state.topics.step(delta);
            choose_highlighted(state);
        }
        Screen::History => {
            let total = state.history.total;
            if total > 0 {
                state.history.selected = state.history.selected.saturating_add_signed(delta).min(total - 1);
                ensure_history(state, fx, false);
            }
        }
        Screen::Details(d) => {
            let (_, max) = view::details::viewport(state, d);
            if let Screen::Details(d) = &mut state.screen {
                // Clamped so End and scrolling back up respond at once, however far one went.
                d.scroll = d.scroll.saturating_add_signed(delta as i16).min(max);
            }
        }
        Screen::Result(_) | Screen::SignIn => {}
    }
}

/// A scroll position after a scrolling command, kept within `0..=max`.
fn scrolled(scroll: u16, command: Command, page: u16, max: u16) -> u16 {
    match command {
        Command::Up => scroll.saturating_sub(1),
        Command::Down => scroll.saturating_add(1),
        Command::PageUp => scroll.saturating_sub(page),
        Command::PageDown => scroll.saturating_add(page),
        Command::First => 0,
        Command::Last => max,
        _ => scroll,
    }
    .min(max)
}

/// Page and first/last moves: the history selection, or the details' scroll.
fn jump(state: &mut State, command: Command, fx: &mut Vec<Effect>) {
    match &state.screen {
        Screen::History => {
            let total = state.history.total;
            if total == 0 {
                return;
            }
            let height = history_height(state);
            let h = &mut state.history;
            match command {
                Command::PageUp | Command::PageDown => {
                    let delta = if command == Command::PageUp {
                        -(height as isize)
                    } else {
                        height as isize
                    };
                    // The view turns a whole page along with the selection, as in a pager.
                    h.selected = h.selected.saturating_add_signed(delta).min(total - 1);
                    h.top = h
                        .top
                        .saturating_add_signed(delta)
                        .min(total.saturating_sub(height));
                }
                Command::First => h.selected = 0,
                _ => h.selected = total - 1,
            }
            // Only the window around the new position is read, never the rows skipped over.
            ensure_history(state, fx, false);
        }
        Screen::Details(d) => {
            let (page, max) = view::details::viewport(state, d);
            if let Screen::Details(d) = &mut state.screen {
                d.scroll = scrolled(d.scroll, command, page, max);
            }
        }
        Screen::Form | Screen::Result(_) | Screen::SignIn => {}
    }
}

fn refresh(state: &mut State, fx: &mut Vec<Effect>) {
    let target = match &state.screen {
        Screen::History => state
            .history
            .row(state.history.selected)
            .map(|r| (r.local_id, r.server_id.clone())),
        Screen::Details(d) => Some((
            d.local_id,
            d.submission.as_ref().and_then(|s| s.server_id.clone()),
        )),
        _ => None,
    };
    match target {
        Some((local_id, Some(server_id))) => {
            state.refreshing = Some(local_id);
            state.info(format!(
                "Refreshing {} from the server…",
                text::one_line(&server_id)
            ));
            fx.push(Effect::Worker(Work::Refresh { local_id, server_id }));
        }
        Some((_, None)) => {
            state.error("This request was never created on the server, so there is nothing to refresh")
        }
        None => {}
    }
}

/// The history's visible rows, from the shared layout.
pub fn history_height(state: &State) -> usize {
    let area = Rect::new(0, 0, state.size.0, state.size.1);
    layout::history(layout::root(area).main).list.height.max(1) as usize
}

/// Keeps the selection visible and asks for rows that are not loaded.
fn ensure_history(state: &mut State, fx: &mut Vec<Effect>, force: bool) {
    let height = history_height(state);
    let h = &mut state.history;
    if h.total > 0 {
        h.selected = h.selected.min(h.total - 1);
    }
    if h.selected < h.top {
        h.top = h.selected;
    } else if h.selected >= h.top + height {
        h.top = h.selected + 1 - height;
    }
    if force || !h.covers(h.top, height) {
        h.seq += 1;
        // A window of three screens around the visible one keeps paging smooth.
        let offset = h.top.saturating_sub(height);
        fx.push(Effect::Worker(Work::History {
            seq: h.seq,
            filter: h.filter.clone(),
            offset,
            limit: height * 3,
        }));
    }
}

fn type_into_filter(state: &mut State, key: KeyEvent, fx: &mut Vec<Effect>) {
    let h = &mut state.history;
    match key.code {
        KeyCode::Enter => h.filtering = false,
        KeyCode::Backspace => {
            h.filter.pop();
        }
        KeyCode::Char(c)
            if !key
                .modifiers
                .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT) =>
        {
            h.filter.push(c)
        }
        _ => return,
    }
    if state.history.loaded_filter.as_deref() != Some(state.history.filter.as_str()) {
        state.history.selected = 0;
        state.history.top = 0;
        ensure_history(state, fx, true);
    }
}

fn type_into_form(state: &mut State, key: KeyEvent) {
    let plain = !key
        .modifiers
        .intersects(KeyModifiers::CONTROL | KeyModifiers::ALT);
    match state.form.focus {
        Field::Title => {
            let newline = matches!(key.code, KeyCode::Enter | KeyCode::Char('\n' | '\r'))
                || (key.code == KeyCode::Char('m') && key.modifiers.contains(KeyModifiers::CONTROL));
            if newline {
                state.form.set_focus(Field::Description);
            } else if state.form.title.input(key) {
                changed(state, Field::Title);
            }
        }
        Field::Description => {
            if state.form.description.input(key) {
                changed(state, Field::Description);
            }
        }
        Field::Topic => {
            let mut filter = state.topics.filter.clone();
            match key.code {
                KeyCode::Char(c) if plain => filter.push(c),
                KeyCode::Backspace => {
                    filter.pop();
                }
                _ => return,
            }
            set_topic_filter(state, filter);
        }
        Field::Severity | Field::Submit => {}
    }
}

fn set_topic_filter(state: &mut State, filter: String) {
    state.topics.set_filter(filter);
    choose_highlighted(state);
}

/// The highlighted topic is the chosen one once the user has moved or typed in the picker.
fn choose_highlighted(state: &mut State) {
    let id = state.topics.highlighted().map(|t| t.id.to_string());
    if state.form.topic_id != id {
        state.form.topic_id = id;
        changed(state, Field::Topic);
    }
}

/// Marks the form changed: schedules the autosave and clears that field's stale errors.
fn changed(state: &mut State, field: Field) {
    state.draft = DraftSync {
        dirty: true,
        pending_since: None,
    };
    state.form.errors.retain(|e| Field::from_wire(e.field) != field);
}

fn on_paste(state: &mut State, pasted: &str, fx: &mut Vec<Effect>) {
    let normalized = pasted.replace("\r\n", "\n").replace('\r', "\n");
    match (&state.screen, state.form.focus) {
        (Screen::Form, Field::Title) => {
            // A title is one line: pasted line breaks become spaces.
            state.form.title.insert_str(normalized.replace('\n', " "));
            changed(state, Field::Title);
        }
        (Screen::Form, Field::Description) => {
            state.form.description.insert_str(&normalized);
            changed(state, Field::Description);
        }
        (Screen::Form, Field::Topic) => {
            let filter = format!("{}{}", state.topics.filter, text::one_line(&normalized));
            set_topic_filter(state, filter);
        }
        (Screen::History, _) if state.history.filtering => {
            state.history.filter.push_str(&text::one_line(&normalized));
            state.history.selected = 0;
            state.history.top = 0;
            ensure_history(state, fx, true);
        }
        (Screen::SignIn, _) if state.signin.editing() => signin::paste_into_tenant(state, &normalized),
        _ => {}
    }
}

fn on_mouse(state: &mut State, mouse: MouseEvent, fx: &mut Vec<Effect>) {
    if !state.fits() || state.help {
        return;
    }
    let area = Rect::new(0, 0, state.size.0, state.size.1);
    let main = layout::root(area).main;
    let (col, row) = (mouse.column, mouse.row);
    let wheel = match mouse.kind {
        MouseEventKind::ScrollUp => -1,
        MouseEventKind::ScrollDown => 1,
        MouseEventKind::Down(MouseButton::Left) => 0,
        _ => return,
    };
    match &state.screen {
        Screen::Form => {
            let f = layout::form(main, view::form::error_height(&state.form));
            if wheel != 0 {
                if layout::hit(f.topic, col, row) {
                    state.topics.step(wheel);
                    choose_highlighted(state);
                } else if layout::hit(f.description, col, row) {
                    state.form.description.scroll((wheel as i16 * 3, 0));
                }
                return;
            }
            let targets = [
                (f.title, Field::Title),
                (f.description, Field::Description),
                (f.severity, Field::Severity),
                (f.topic, Field::Topic),
                (f.submit, Field::Submit),
            ];
            if let Some((_, field)) = targets.iter().find(|(r, _)| layout::hit(*r, col, row)) {
                state.form.set_focus(*field);
            }
            let list = layout::topic(layout::inset(f.topic)).list;
            if layout::hit(list, col, row) {
                let first = view::topics::first_visible(&state.topics, list.height as usize);
                let pos = first + (row - list.y) as usize;
                if pos < state.topics.matches.len() {
                    state.topics.highlight = pos;
                    choose_highlighted(state);
                }
            }
        }
        Screen::History => {
            if wheel != 0 {
                step(state, wheel * 3, fx);
                return;
            }
            let list = layout::history(main).list;
            if layout::hit(list, col, row) {
                let index = state.history.top + (row - list.y) as usize;
                if index < state.history.total {
                    state.history.selected = index;
                    ensure_history(state, fx, false);
                }
            }
        }
        Screen::Details(_) if wheel != 0 => step(state, wheel * 3, fx),
        _ => {}
    }
}

fn on_tick(state: &mut State, now: Instant, fx: &mut Vec<Effect>) {
    state.now = now;
    state.frame = state.frame.wrapping_add(1);
    if let Some(notice) = &mut state.notice {
        match notice.until {
            None => {
                let ttl = if notice.kind == NoticeKind::Error {
                    NOTICE_TTL * 3
                } else {
                    NOTICE_TTL
                };
                notice.until = Some(now + ttl);
            }
            Some(until) if now >= until => state.notice = None,
            Some(_) => {}
        }
    }
    if state.draft.dirty {
        match state.draft.pending_since {
            None => state.draft.pending_since = Some(now),
            Some(since) if now.duration_since(since) >= DRAFT_DEBOUNCE => {
                fx.push(Effect::Worker(Work::SaveDraft(state.form.draft())));
                state.draft = DraftSync::default();
            }
            Some(_) => {}
        }
    }
}

fn on_reply(state: &mut State, reply: Reply, fx: &mut Vec<Effect>) {
    match reply {
        Reply::Draft(Some(draft)) if state.form.is_empty() && draft != Draft::default() => {
            let focus = state.form.focus;
            state.form = Form::from_draft(&draft);
            state.form.set_focus(focus);
            state.topics.highlight_id(draft.topic_id.as_deref());
            state.info("Restored your unsent draft");
        }
        Reply::Draft(_) => {}
        Reply::Topics { topics, cached } => {
            let chosen = state.form.topic_id.clone();
            state.topics.set_all(topics, chosen.as_deref());
            state.topics.load = if cached {
                TopicsLoad::Refreshing
            } else {
                TopicsLoad::Ready
            };
        }
        Reply::TopicsFailed(e) => {
            let mut why = e.summary.clone();
            if let Some(d) = &e.description {
                why.push_str(": ");
                why.push_str(&text::one_line(d));
            }
            state.topics.load = TopicsLoad::Failed(format!("{why}. {}", e.hint));
        }
        Reply::Submitted {
            local_id: _,
            request_id,
            request,
            response,
        } => {
            state.busy = None;
            let topic_name = state
                .topic_name(&request.support_topic_id)
                .or_else(|| response.support_topic_name.clone());
            let id = response.id.clone().unwrap_or_default();
            if state.form.request() == request {
                state.form = Form::default();
                state.draft = DraftSync::default();
            }
            state.topics.set_filter(String::new());
            state.help = false;
            state.screen = Screen::Result(Box::new(ResultView {
                request: response,
                request_id,
                topic_name,
            }));
            state.info(format!("Request {} created", text::one_line(&id)));
        }
        Reply::SubmitFailed {
            request,
            error,
            unsettled,
        } => {
            state.busy = None;
            let sign_in = error.sign_in;
            state.form.submit_error = Some(error);
            state.form.unsettled = unsettled.map(|(local_id, request_id)| Unsettled {
                local_id,
                request_id,
                request,
            });
            if matches!(state.screen, Screen::Form | Screen::Result(_)) {
                state.screen = Screen::Form;
            }
            state.error(if sign_in {
                "Submit failed: sign-in needed. Run `pcsr-tui login`; your form is kept"
            } else {
                "Submit failed; your form is kept. See the error under the form"
            });
        }
        Reply::Resent { request, outcome } => {
            let title = text::one_line(&request.title);
            match outcome {
                Ok(response) => {
                    let id = text::one_line(response.id.as_deref().unwrap_or("?"));
                    if state.form.request() == request {
                        state.form = Form::default();
                        state.draft = DraftSync::default();
                    }
                    state.info(format!("Sent from the outbox: \"{title}\" was created as {id}"));
                }
                Err(e) => state.error(format!(
                    "Outbox: \"{title}\" is not sent yet ({}); it will be resent on the next start. {}",
                    e.summary, e.hint
                )),
            }
            if matches!(state.screen, Screen::History) {
                ensure_history(state, fx, true);
            }
        }
        Reply::HistoryPage {
            seq,
            filter,
            offset,
            rows,
            total,
        } => {
            if seq == state.history.seq {
                let h = &mut state.history;
                h.window_start = offset;
                h.rows = rows;
                h.total = total;
                h.loaded_filter = Some(filter);
                ensure_history(state, fx, false);
            }
        }
        Reply::Details(sub) => {
            if let Screen::Details(d) = &mut state.screen
                && d.local_id == sub.local_id
            {
                d.submission = Some(sub);
            }
        }
        Reply::Refreshed { local_id, outcome } => {
            state.refreshing = None;
            match outcome {
                Ok(sr) => {
                    let id = text::one_line(sr.id.as_deref().unwrap_or("?"));
                    let status = sr.status.map(|s| s.label()).unwrap_or("unknown");
                    state.info(format!("Refreshed {id}: status {status}"));
                }
                Err(e) => state.error(format!("Refresh failed: {}. {}", e.summary, e.hint)),
            }
            match &state.screen {
                Screen::History => ensure_history(state, fx, true),
                Screen::Details(d) if d.local_id == local_id => {
                    fx.push(Effect::Worker(Work::Details(local_id)))
                }
                _ => {}
            }
        }
        Reply::Client(event) => {
            use crate::api::ClientEvent;
            let note = match event {
                ClientEvent::Retrying { wait, reason, .. } => BusyNote::Retrying {
                    reason,
                    until: state.now + wait,
                },
                ClientEvent::RateLimited { wait } => BusyNote::RateLimited {
                    until: state.now + wait,
                },
                ClientEvent::RefreshingToken => BusyNote::RefreshingToken,
            };
            match &mut state.busy {
                Some(busy) => busy.note = Some(note),
                None => state.info(view::status_bar::note_text(&note, state.now)),
            }
        }
        Reply::StoreFailed(why) => state.error(format!("Local database: {why}")),
        Reply::SignIn(reply) => signin::on_reply(state, reply, fx),
    }
}

#[cfg(test)]
pub(crate) mod tests;
