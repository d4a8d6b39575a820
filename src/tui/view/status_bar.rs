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
use crate::tui::state::message::{self, Tone};
use crate::tui::state::{Screen, State};

/// Braille spinner frames.
const SPINNER: [&str; 8] = ["⣾", "⣽", "⣻", "⢿", "⡿", "⣟", "⣯", "⣷"];

/// The spinner frame for a tick count.
pub fn spinner(frame: u64) -> &'static str {
    SPINNER[(frame % SPINNER.len() as u64) as usize]
}

/// A GUID's first group, which tells a user's few subscriptions and tenants apart; other ids
/// whole.
pub(super) fn short_id(id: &str) -> &str {
    match id.split_once('-') {
        Some((head, _)) if id.len() == 36 && head.len() == 8 => head,
        _ => id,
    }
}

/// Top line: app, account badge, service, cloud, scope, locale, and the screen's name.
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
    let sep = || Span::styled(" │ ", style(t, Role::Dim));
    let mut line = Line::from(vec![
        Span::styled(" pcsr-tui ", style(t, Role::Focus)),
        account,
        sep(),
        Span::styled(h.service.label(), style(t, Role::Label)),
        sep(),
        Span::raw(format!("cloud {}", h.cloud.as_str())),
        // Microsoft Cloud Germany closed; the cloud stays for endpoints that still speak the API.
        if h.cloud == crate::auth::Cloud::Germany {
            Span::styled(" (closed 2021-10-29)", style(t, Role::Error))
        } else {
            Span::raw("")
        },
    ]);
    // Where tickets are filed: Azure's subscription or tenant level; a customer acted for.
    if h.service.capabilities().subscriptions {
        line.spans.push(sep());
        line.spans.push(Span::raw(match &h.subscription {
            Some(sub) => format!("subscription {}", text::one_line(short_id(sub))),
            None => "tenant level".to_string(),
        }));
    }
    if let Some(customer) = &h.customer {
        line.spans.push(sep());
        line.spans.push(Span::raw(format!(
            "customer {}",
            text::one_line(short_id(customer))
        )));
    }
    // The locale is the first to give way on a narrow terminal: the screen's name and the
    // counts after it say more.
    let locale = text::one_line(&h.locale);
    let tail = 3 + screen.width() + 3 + locale.width() + if state.updated > 0 { 16 } else { 0 };
    if line.width() + tail <= usize::from(area.width) {
        line.spans.extend([sep(), Span::raw(locale)]);
    }
    line.spans
        .extend([sep(), Span::styled(screen, style(t, Role::Label))]);
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

/// The message line: progress of a submit, a question, else the latest notice; wrapped
/// between words to the rows the layout gave it, "…" and the messages key when cut short.
pub fn draw_message(frame: &mut Frame, area: Rect, state: &State) {
    let t = state.theme;
    let Some((text, tone)) = message::current(state, spinner(state.frame)) else {
        return;
    };
    let role = match tone {
        Tone::Progress => Role::Focus,
        Tone::Question | Tone::Error => Role::Error,
        Tone::Info => Role::Good,
    };
    let rows = usize::from(area.height.max(1));
    let lines: Vec<Line> = message::wrap(&text, usize::from(area.width), rows, &message::more_marker(state))
        .into_iter()
        .map(|l| Line::from(Span::styled(l, style(t, role))))
        .collect();
    frame.render_widget(Paragraph::new(lines), area);
}

/// Bottom line: the keys that work here, from the key table.
pub fn draw_hints(frame: &mut Frame, area: Rect, state: &State) {
    let t = state.theme;
    let mut spans = Vec::new();
    let scopes = keys::active_scopes(state);
    // On the sign-in screen itself the key would lead nowhere new.
    let offer_sign_in = matches!(state.header.account, Account::Sandbox | Account::SignedOut)
        && !matches!(state.screen, Screen::SignIn);
    let help = state.keys.label(keys::KeyCommand::Help, keys::KeyScope::Anywhere);
    let all = state.keys.hints(&scopes, offer_sign_in);
    for (keys, what) in fit_hints(all, usize::from(area.width), &help) {
        if !spans.is_empty() {
            spans.push(Span::styled(SEP, style(t, Role::Dim)));
        }
        spans.push(Span::styled(keys, style(t, Role::Focus)));
        spans.push(Span::raw(format!(" {what}")));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// Between two hints.
const SEP: &str = " · ";

/// The hints that fit in `width`, in order. A hint cut in half reads as a different key, so
/// the ones that do not fit are left out whole; the `keep` key (help, which lists all the
/// others) is the last to go: room for it is kept before any other hint is placed.
pub fn fit_hints<'a>(hints: Vec<(String, &'a str)>, width: usize, keep: &str) -> Vec<(String, &'a str)> {
    let cost = |(k, w): &(String, &str), first: bool| {
        let sep = if first { 0 } else { SEP.width() };
        sep + k.width() + 1 + w.width()
    };
    let reserve = hints
        .iter()
        .find(|(k, _)| k == keep)
        .map(|h| cost(h, true))
        .filter(|c| *c <= width);
    let mut used = reserve.unwrap_or(0);
    let mut out = Vec::new();
    for hint in hints {
        if hint.0 == keep {
            if reserve.is_some() {
                out.push(hint);
            }
            continue;
        }
        // Every hint is charged a separator: one of them sits next to the kept one.
        let c = cost(&hint, false);
        if used + c <= width {
            used += c;
            out.push(hint);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hints() -> Vec<(String, &'static str)> {
        [
            ("Tab", "next field"),
            ("Ctrl+S", "submit"),
            ("Ctrl+C", "quit"),
            ("F1", "help"),
            ("F2", "sign in"),
            ("Ctrl+R", "history"),
        ]
        .into_iter()
        .map(|(k, w)| (k.to_string(), w))
        .collect()
    }

    fn shown(width: usize) -> Vec<String> {
        fit_hints(hints(), width, "F1")
            .into_iter()
            .map(|(k, _)| k)
            .collect()
    }

    fn line_width(width: usize) -> usize {
        let kept = fit_hints(hints(), width, "F1");
        kept.iter().map(|(k, w)| k.width() + 1 + w.width()).sum::<usize>()
            + SEP.width() * kept.len().saturating_sub(1)
    }

    #[test]
    fn help_is_the_last_hint_to_go() {
        assert_eq!(shown(200), ["Tab", "Ctrl+S", "Ctrl+C", "F1", "F2", "Ctrl+R"]);
        for width in 7..80 {
            assert!(shown(width).contains(&"F1".to_string()), "width {width}");
            assert!(line_width(width) <= width, "width {width}");
        }
        assert_eq!(shown(7), ["F1"]);
        assert!(shown(6).is_empty(), "not even help fits");
    }
}
