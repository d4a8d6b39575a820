//! The message line: what it says right now, how a long message is wrapped to at most two
//! lines (never cut mid-word; "…" and the key that shows it in full when it still does not
//! fit), and the log of recent messages that key shows.

use std::collections::VecDeque;
use std::time::Instant;

use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

use crate::text;
use crate::tui::keys::{KeyCommand, KeyScope};
use crate::tui::state::{Confirm, NoticeKind, State};

/// Lines the message line may take.
pub const MAX_LINES: usize = 2;

/// Recent messages kept for the messages overlay.
pub const LOG_SIZE: usize = 50;

/// Why a notice is on screen, so it can go when its cause goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cause {
    /// The form's validation errors ("N fields need attention").
    FormErrors,
    /// A sign-in failed while another screen showed; the sign-in screen says why.
    SignInFailed,
}

/// A message as it was shown, for the messages overlay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logged {
    /// The full text.
    pub text: String,
    /// Its kind.
    pub kind: NoticeKind,
    /// When it was shown.
    pub at: Instant,
}

/// Adds a message to the log, newest last; the oldest go beyond [`LOG_SIZE`].
pub fn log(log: &mut VecDeque<Logged>, text: &str, kind: NoticeKind, at: Instant) {
    if log.back().is_some_and(|l| l.text == text) {
        return;
    }
    log.push_back(Logged {
        text: text.to_string(),
        kind,
        at,
    });
    while log.len() > LOG_SIZE {
        log.pop_front();
    }
}

/// What the message line is showing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tone {
    /// A request in flight.
    Progress,
    /// A question waiting for y/n.
    Question,
    /// Neutral news.
    Info,
    /// Something failed.
    Error,
}

/// The message line's text now, if any: a question first (it has the keyboard until it is
/// answered), then progress, then the notice.
pub fn current(state: &State, spinner: &str) -> Option<(String, Tone)> {
    if let Some(confirm) = state.question() {
        let question = match confirm {
            Confirm::Close(target) => format!("Close request {}?", text::one_line(&target.server_id)),
            Confirm::ResendNote(target) => format!(
                "The last try may have added this note to {} already. Send it again?",
                text::one_line(&target.server_id)
            ),
            Confirm::Template(template) => {
                crate::tui::state::template_picker::question(&state.form, &state.topics, template)
            }
        };
        let question = format!(
            "{question} {}/{}",
            state.keys.first_label(KeyCommand::ConfirmYes, KeyScope::Confirm),
            state.keys.first_label(KeyCommand::ConfirmNo, KeyScope::Confirm),
        );
        return Some((question, Tone::Question));
    }
    if let Some(busy) = &state.busy {
        let secs = state.now.saturating_duration_since(busy.since).as_secs();
        // The reassurance before the detail: it is what must survive a narrow window.
        let mut text = if busy.filed {
            format!("{spinner} {}… {secs} s: the ticket is filed", busy.what)
        } else {
            format!(
                "{spinner} {}… {secs} s: you can keep working; {} keeps it in the outbox",
                busy.what,
                state.keys.label(KeyCommand::Quit, KeyScope::OutsideText)
            )
        };
        if let Some(note) = &busy.note {
            text.push_str(" — ");
            text.push_str(&note.text(state.now));
        }
        return Some((text, Tone::Progress));
    }
    state.notice.as_ref().map(|n| {
        let tone = match n.kind {
            NoticeKind::Error => Tone::Error,
            NoticeKind::Info => Tone::Info,
        };
        (text::one_line(&n.text), tone)
    })
}

/// The message line's rows for a terminal `width` wide (1 or 2).
pub fn height(state: &State, width: u16) -> u16 {
    let lines = current(state, " ").map_or(1, |(text, _)| {
        wrap(&text, usize::from(width), MAX_LINES, "").len()
    });
    u16::try_from(lines.clamp(1, MAX_LINES)).unwrap_or(1)
}

/// The "…" ending of a message cut short, naming the key that shows it in full.
pub fn more_marker(state: &State) -> String {
    format!(
        "… ({})",
        state.keys.label(KeyCommand::Messages, KeyScope::Anywhere)
    )
}

/// Word-wraps `text` into at most `max_lines` lines of `width` columns. Words are never split
/// unless one alone is wider than a line. When the text does not fit, the last line ends with
/// `more` (e.g. "… (F3)") after the last whole word that fits.
pub fn wrap(text: &str, width: usize, max_lines: usize, more: &str) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        for piece in split_wide(word, width) {
            let needed = if line.is_empty() {
                piece.width()
            } else {
                line.width() + 1 + piece.width()
            };
            if needed > width && !line.is_empty() {
                lines.push(std::mem::take(&mut line));
            }
            if !line.is_empty() {
                line.push(' ');
            }
            line.push_str(&piece);
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    if lines.len() <= max_lines || max_lines == 0 {
        return lines;
    }
    lines.truncate(max_lines);
    if let Some(last) = lines.last_mut() {
        let room = width.saturating_sub(more.width());
        while last.width() > room {
            match last.rfind(' ') {
                Some(cut) => last.truncate(cut),
                None => {
                    // One long word (an address): cut it, it is all there is.
                    while last.width() > room {
                        last.pop();
                    }
                }
            }
        }
        last.push_str(more);
    }
    lines
}

/// A word as pieces no wider than `width` (only words longer than a whole line are split).
fn split_wide(word: &str, width: usize) -> Vec<String> {
    if word.width() <= width || width == 0 {
        return vec![word.to_string()];
    }
    let mut out = Vec::new();
    let mut piece = String::new();
    for c in word.chars() {
        if piece.width() + c.width().unwrap_or(0) > width {
            out.push(std::mem::take(&mut piece));
        }
        piece.push(c);
    }
    out.push(piece);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_messages_stay_on_one_line() {
        assert_eq!(wrap("Request 616 created", 60, 2, "…"), ["Request 616 created"]);
    }

    #[test]
    fn long_messages_wrap_between_words() {
        let text = "could not reach the service: Connection refused; check the base URL";
        let lines = wrap(text, 30, 2, "…");
        assert_eq!(
            lines,
            ["could not reach the service:", "Connection refused; check the…"]
        );
        for l in &lines {
            assert!(l.width() <= 30, "{l}");
        }
        let all = wrap(text, 40, 2, "…");
        assert_eq!(all.join(" "), text, "two lines hold it all");
    }

    #[test]
    fn what_does_not_fit_ends_with_the_marker_after_a_whole_word() {
        let text = "one two three four five six seven eight nine ten eleven twelve";
        let lines = wrap(text, 20, 2, "… (F3)");
        assert_eq!(lines, ["one two three four", "five six seven… (F3)"]);
    }

    #[test]
    fn a_word_wider_than_the_line_is_split() {
        let url = "https://login.microsoftonline.com/organizations/oauth2/v2.0/devicecode";
        let lines = wrap(url, 30, 3, "…");
        assert_eq!(lines.concat(), url);
        assert!(lines.iter().all(|l| l.width() <= 30));
    }

    #[test]
    fn the_log_keeps_the_recent_messages_once_each() {
        let mut l = VecDeque::new();
        let now = Instant::now();
        for i in 0..(LOG_SIZE + 5) {
            log(&mut l, &format!("m{i}"), NoticeKind::Info, now);
            log(&mut l, &format!("m{i}"), NoticeKind::Info, now);
        }
        assert_eq!(l.len(), LOG_SIZE);
        assert_eq!(l.back().map(|m| m.text.as_str()), Some("m54"));
    }
}
