//! The messages overlay: the recent messages in full, newest first, so nothing the message
//! line had to shorten is lost.

use std::time::Duration;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};

use super::help::{popup, popup_width};
use super::{Role, style};
use crate::text;
use crate::tui::state::message::wrap;
use crate::tui::state::{NoticeKind, State, Viewport};

/// How long ago, in words.
fn ago(d: Duration) -> String {
    match d.as_secs() {
        0..=4 => "just now".into(),
        s @ 5..=59 => format!("{s} s ago"),
        s @ 60..=3599 => format!("{} min ago", s / 60),
        s => format!("{} h ago", s / 3600),
    }
}

/// The overlay's lines for a popup `width` columns wide inside.
pub fn lines(state: &State, width: u16) -> Vec<Line<'static>> {
    let t = state.theme;
    let width = usize::from(width).max(10);
    if state.log.is_empty() {
        return vec![Line::from(Span::styled("No messages yet.", style(t, Role::Dim)))];
    }
    let mut out = Vec::new();
    for m in state.log.iter().rev() {
        let role = if m.kind == NoticeKind::Error {
            Role::Error
        } else {
            Role::Plain
        };
        out.push(Line::from(Span::styled(
            ago(state.now.saturating_duration_since(m.at)),
            style(t, Role::Dim),
        )));
        for text in wrap(&text::one_line(&m.text), width - 2, usize::MAX, "") {
            out.push(Line::from(Span::styled(format!("  {text}"), style(t, role))));
        }
    }
    out
}

/// Draws the overlay centred over `area`; returns its page and furthest scroll.
pub fn draw(frame: &mut Frame, area: Rect, state: &State, scroll: u16) -> Viewport {
    let lines = lines(state, popup_width(area).saturating_sub(2));
    popup(frame, area, state, (" Messages ", lines), scroll)
}
