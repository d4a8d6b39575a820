//! The help overlay, generated from the key table the app dispatches on. Its text wraps to the
//! window (never cut mid-sentence), and a popup frame shared with the messages overlay.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph};
use unicode_width::UnicodeWidthStr;

use super::{Role, style};
use crate::tui::keys::{KeyCommand, KeyScope};
use crate::tui::state::message::wrap;
use crate::tui::state::{State, Viewport};

/// The "where" column's width.
const WHERE: usize = 16;

/// Below this many columns for the text, the text goes under its key instead of beside it.
const MIN_BESIDE: usize = 24;

/// The overlay's lines for a popup `width` columns wide inside: one row (or more, wrapped) per
/// binding, then notes on mouse and text.
pub fn lines(state: &State, width: u16) -> Vec<Line<'static>> {
    let t = state.theme;
    let width = usize::from(width).max(10);
    // Rows an override left without keys would say nothing; their sibling row names the key.
    let bindings: Vec<_> = state
        .keys
        .bindings()
        .iter()
        .filter(|b| !b.keys.is_empty())
        .collect();
    let key_w = bindings
        .iter()
        .map(|b| b.keys_label().width())
        .max()
        .unwrap_or(8)
        .min(22);
    let beside = width >= key_w + 1 + WHERE + 1 + MIN_BESIDE;
    let mut out = Vec::new();
    if beside {
        out.push(Line::from(Span::styled(
            format!("{:<key_w$} {:<WHERE$} {}", "key", "where", "does"),
            style(t, Role::Label),
        )));
    }
    for b in bindings {
        let key = b.keys_label();
        if beside {
            let indent = key_w + 1 + WHERE + 1;
            for (i, text) in wrap(b.help, width - indent, usize::MAX, "")
                .into_iter()
                .enumerate()
            {
                out.push(if i == 0 {
                    Line::from(vec![
                        Span::styled(format!("{key:<key_w$} "), style(t, Role::Focus)),
                        Span::raw(format!("{:<WHERE$} {text}", b.scope.label())),
                    ])
                } else {
                    Line::from(format!("{:indent$}{text}", ""))
                });
            }
        } else {
            out.push(Line::from(vec![
                Span::styled(key, style(t, Role::Focus)),
                Span::styled(format!("  ({})", b.scope.label()), style(t, Role::Dim)),
            ]));
            for text in wrap(b.help, width - 4, usize::MAX, "") {
                out.push(Line::from(format!("    {text}")));
            }
        }
    }
    out.push(Line::default());
    for note in [
        "Letters type into the focused text field; q and ? act only outside text fields.",
        "Mouse: click a field or row to focus it, wheel scrolls. Shift+drag selects text.",
        "Drafts save themselves; a failed submit keeps everything you typed.",
    ] {
        for text in wrap(note, width, usize::MAX, "") {
            out.push(Line::from(Span::styled(text, style(t, Role::Dim))));
        }
    }
    out
}

/// The popup's outer width in `area`.
pub fn popup_width(area: Rect) -> u16 {
    area.width.saturating_sub(4).min(100)
}

/// The overlay's height (with borders) in `area` and the furthest scroll.
fn fit(lines: usize, area: Rect) -> (u16, u16) {
    let full = u16::try_from(lines).unwrap_or(u16::MAX).saturating_add(2);
    let height = full.min(area.height);
    (height, full - height)
}

/// Draws the overlay centred over `area`; returns its page and furthest scroll.
pub fn draw(frame: &mut Frame, area: Rect, state: &State, scroll: u16) -> Viewport {
    let lines = lines(state, popup_width(area).saturating_sub(2));
    popup(frame, area, state, (" Keys ", lines), scroll)
}

/// A centred, bordered popup holding `lines` (already wrapped), scrolled down `scroll` lines.
pub fn popup(
    frame: &mut Frame,
    area: Rect,
    state: &State,
    (title, lines): (&str, Vec<Line<'static>>),
    scroll: u16,
) -> Viewport {
    let t = state.theme;
    let width = popup_width(area);
    let (height, max_scroll) = fit(lines.len(), area);
    let popup = super::centred(area, width, height);
    let scroll = scroll.min(max_scroll);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(style(t, Role::Focus))
        .title(Span::styled(title.to_string(), style(t, Role::Focus)))
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
