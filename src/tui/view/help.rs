//! The help overlay, generated from the key table the app dispatches on.

use ratatui::Frame;
use ratatui::layout::{Constraint, Flex, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};

use super::{Role, style};
use crate::tui::keys::{KeyCommand, KeyScope};
use crate::tui::state::{State, Viewport};

/// The overlay's lines: one per binding, plus notes on mouse and text.
pub fn lines(state: &State) -> Vec<Line<'static>> {
    let t = state.theme;
    let mut out = vec![Line::from(Span::styled(
        format!("{:<16} {:<16} {}", "key", "where", "does"),
        style(t, Role::Label),
    ))];
    // Rows an override left without keys would say nothing; their sibling row names the key.
    for b in state.keys.bindings().iter().filter(|b| !b.keys.is_empty()) {
        out.push(Line::from(vec![
            Span::styled(format!("{:<16} ", b.keys_label()), style(t, Role::Focus)),
            Span::raw(format!("{:<16} {}", b.scope.label(), b.help)),
        ]));
    }
    out.push(Line::default());
    for note in [
        "Letters type into the focused text field; q and ? act only outside text fields.",
        "Mouse: click a field or row to focus it, wheel scrolls. Shift+drag selects text.",
        "Drafts save themselves; a failed submit keeps everything you typed.",
    ] {
        out.push(Line::from(Span::styled(note, style(t, Role::Dim))));
    }
    out
}

/// The overlay's height (with borders) in `area` and the furthest scroll.
fn fit(lines: usize, area: Rect) -> (u16, u16) {
    let full = u16::try_from(lines).unwrap_or(u16::MAX).saturating_add(2);
    let height = full.min(area.height);
    (height, full - height)
}

/// Draws the overlay centred over `area`; returns its page and furthest scroll.
pub fn draw(frame: &mut Frame, area: Rect, state: &State) -> Viewport {
    let t = state.theme;
    let lines = lines(state);
    let width = area.width.saturating_sub(4).min(100);
    let (height, max_scroll) = fit(lines.len(), area);
    let [row] = Layout::vertical([Constraint::Length(height)])
        .flex(Flex::Center)
        .areas(area);
    let [popup] = Layout::horizontal([Constraint::Length(width)])
        .flex(Flex::Center)
        .areas(row);
    let scroll = state.help_scroll.min(max_scroll);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(style(t, Role::Focus))
        .title(Span::styled(" Keys ", style(t, Role::Focus)))
        .title_bottom(Span::styled(
            format!(
                " {}/{} {}/{} scroll · {} closes ",
                state.keys.first_label(KeyCommand::Up, KeyScope::Help),
                state.keys.first_label(KeyCommand::Down, KeyScope::Help),
                state.keys.first_label(KeyCommand::PageUp, KeyScope::Scrollable),
                state.keys.first_label(KeyCommand::PageDown, KeyScope::Scrollable),
                state.keys.label(KeyCommand::Back, KeyScope::Anywhere),
            ),
            style(t, Role::Dim),
        ));
    frame.render_widget(Clear, popup);
    frame.render_widget(Paragraph::new(lines).block(block).scroll((scroll, 0)), popup);
    Viewport {
        page: height.saturating_sub(2).max(1),
        max_scroll,
    }
}
