//! Drawing a text box and putting the terminal's cursor on it when it has the focus, so screen
//! readers and magnifiers follow the focus. With no focused box the cursor stays hidden
//! (ratatui hides it when a frame sets no position).

use ratatui::Frame;
use ratatui::layout::{Position, Rect};
use ratatui::text::Span;
use ratatui::widgets::Paragraph;
use tui_textarea::TextArea;

use crate::tui::textbox::LineBox;

/// Draws `editor` in `area`; when `focused`, the terminal cursor goes to its cursor.
pub fn draw(frame: &mut Frame, area: Rect, editor: &TextArea<'static>, focused: bool) {
    frame.render_widget(editor, area);
    if focused && area.width > 0 && area.height > 0 {
        frame.set_cursor_position(cursor_at(editor, area));
    }
}

/// Draws a one-line box; while it is empty, `hint` shows in its place (after the cursor).
pub fn draw_line(frame: &mut Frame, area: Rect, b: &LineBox, focused: bool, hint: Option<Span<'static>>) {
    match hint {
        Some(hint) if b.is_empty() => {
            let skip = u16::from(focused).min(area.width);
            let rest = Rect {
                x: area.x + skip,
                width: area.width - skip,
                ..area
            };
            frame.render_widget(Paragraph::new(hint), rest);
            if focused && area.width > 0 && area.height > 0 {
                frame.set_cursor_position(Position::new(area.x, area.y));
            }
        }
        _ => draw(frame, area, b.area(), focused),
    }
}

/// Where the editor's cursor is on screen, once it was drawn in `area` (drawing scrolls it into
/// view); kept inside `area`.
pub fn cursor_at(editor: &TextArea<'static>, area: Rect) -> Position {
    let screen = editor.screen_cursor();
    let (top_row, top_col) = editor.scroll_offset();
    let row = u16::try_from(screen.row)
        .unwrap_or(u16::MAX)
        .saturating_sub(top_row);
    let col = u16::try_from(screen.col)
        .unwrap_or(u16::MAX)
        .saturating_sub(top_col);
    Position::new(
        area.x + col.min(area.width.saturating_sub(1)),
        area.y + row.min(area.height.saturating_sub(1)),
    )
}
