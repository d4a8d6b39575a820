//! The status bar (where we are connected), the message line and the key hints.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use unicode_width::UnicodeWidthStr;

use super::{Role, style};
use crate::text;
use crate::tui::Account;
use crate::tui::keys;
use crate::tui::state::{Confirm, NoticeKind, Screen, State};

/// Braille spinner frames.
const SPINNER: [&str; 8] = ["⣾", "⣽", "⣻", "⢿", "⡿", "⣟", "⣯", "⣷"];

/// The spinner frame for a tick count.
pub fn spinner(frame: u64) -> &'static str {
    SPINNER[(frame % SPINNER.len() as u64) as usize]
}

/// Top line: app, account badge, cloud, locale, and the screen's name.
pub fn draw_status(frame: &mut Frame, area: Rect, state: &State) {
    let t = state.theme;
    let h = &state.header;
    let account = match &h.account {
        Account::Sandbox => Span::styled(" SANDBOX ", style(t, Role::Badge)),
        Account::Token => Span::raw("token (PCSR_TOKEN)"),
        Account::User(user) => Span::raw(text::one_line(user)),
        Account::SignedOut => Span::styled(
            format!(
                "not signed in ({})",
                state
                    .keys
                    .label(keys::KeyCommand::SignIn, keys::KeyScope::Anywhere)
            ),
            style(t, Role::Error),
        ),
    };
    let screen = match &state.screen {
        Screen::Form => "New request",
        Screen::Result(_) => "Created",
        Screen::History => "History",
        Screen::Details(_) => "Details",
        Screen::SignIn => "Sign in",
    };
    let line = Line::from(vec![
        Span::styled(" pcsr-tui ", style(t, Role::Focus)),
        account,
        Span::styled(" │ ", style(t, Role::Dim)),
        Span::raw(format!("cloud {}", h.cloud.as_str())),
        // Microsoft Cloud Germany closed; the cloud stays for endpoints that still speak the API.
        if h.cloud == crate::auth::Cloud::Germany {
            Span::styled(" (closed 2021-10-29)", style(t, Role::Error))
        } else {
            Span::raw("")
        },
        Span::styled(" │ ", style(t, Role::Dim)),
        Span::raw(text::one_line(&h.locale)),
        Span::styled(" │ ", style(t, Role::Dim)),
        Span::styled(screen, style(t, Role::Label)),
    ]);
    let mut line = line;
    if state.updated > 0 {
        line.spans.push(Span::styled(" │ ", style(t, Role::Dim)));
        line.spans.push(Span::styled(
            format!("● {} updated", state.updated),
            style(t, Role::Good),
        ));
    }
    if state.outbox > 0 {
        line.spans.push(Span::styled(" │ ", style(t, Role::Dim)));
        line.spans.push(Span::styled(
            format!("{} in outbox, retrying", state.outbox),
            style(t, Role::Error),
        ));
    }
    frame.render_widget(Paragraph::new(line), area);
}

/// The message line: progress of a submit, else the latest notice.
pub fn draw_message(frame: &mut Frame, area: Rect, state: &State) {
    let t = state.theme;
    let line = if let Some(busy) = &state.busy {
        let secs = state.now.saturating_duration_since(busy.since).as_secs();
        let mut text = format!("{} {}… {secs} s", spinner(state.frame), busy.what);
        if let Some(note) = &busy.note {
            text.push_str(" — ");
            text.push_str(&note.text(state.now));
        }
        text.push_str(" (you can keep working; q keeps it in the outbox)");
        Line::from(Span::styled(text, style(t, Role::Focus)))
    } else if let Some(confirm) = &state.confirm {
        let question = match confirm {
            Confirm::Close(target) => format!("Close request {}?", text::one_line(&target.server_id)),
            Confirm::ResendNote(target) => format!(
                "The last try may have added this note to {} already. Send it again?",
                text::one_line(&target.server_id)
            ),
        };
        let question = format!(
            "{question} {}/{}",
            state
                .keys
                .first_label(keys::KeyCommand::ConfirmYes, keys::KeyScope::Confirm),
            state
                .keys
                .first_label(keys::KeyCommand::ConfirmNo, keys::KeyScope::Confirm),
        );
        Line::from(Span::styled(question, style(t, Role::Error)))
    } else if let Some(notice) = &state.notice {
        let role = if notice.kind == NoticeKind::Error {
            Role::Error
        } else {
            Role::Good
        };
        Line::from(Span::styled(notice.text.clone(), style(t, role)))
    } else {
        Line::default()
    };
    frame.render_widget(Paragraph::new(line), area);
}

/// Bottom line: the keys that work here, from the key table.
pub fn draw_hints(frame: &mut Frame, area: Rect, state: &State) {
    let t = state.theme;
    let mut spans = Vec::new();
    let scopes = keys::active_scopes(state);
    // On the sign-in screen itself the key would lead nowhere new.
    let offer_sign_in = matches!(state.header.account, Account::Sandbox | Account::SignedOut)
        && !matches!(state.screen, Screen::SignIn);
    let mut used = 0;
    for (keys, what) in state.keys.hints(&scopes, offer_sign_in) {
        let sep = if spans.is_empty() { "" } else { " · " };
        let what = format!(" {what}");
        let width = sep.width() + keys.width() + what.width();
        // A hint cut in half reads as a different key; leave out the ones that do not fit.
        if used + width > usize::from(area.width) {
            break;
        }
        used += width;
        if !sep.is_empty() {
            spans.push(Span::styled(sep, style(t, Role::Dim)));
        }
        spans.push(Span::styled(keys, style(t, Role::Focus)));
        spans.push(Span::raw(what));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}
