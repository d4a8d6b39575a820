//! The columns both history lists share, and their rows written cell by cell into the frame.
//!
//! Scrolling a list redraws every visible row on each key. Through `Paragraph` each row was
//! formatted into a string per column, joined, padded, then split back into graphemes: about half
//! of a 120x40 frame's cost. A row whose characters are each one or two columns wide (nearly
//! all text) is now written straight into its cells. A row with zero-width characters
//! (combining marks, joiners) still goes through `Paragraph`, which knows graphemes.

use ratatui::buffer::Buffer;
use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui::text::Span;
use ratatui::widgets::{Paragraph, Widget};
use unicode_width::{UnicodeWidthChar, UnicodeWidthStr};

/// Wide enough for "attention needed" and the updated mark.
pub(super) const STATUS_WIDTH: usize = 18;

/// Screen order of the cells: status, id, date, severity, title, topic. Cells and their widths
/// are indexed status, id, date, severity, topic, title (`columns`' order).
const ORDER: [usize; 6] = [0, 1, 2, 3, 5, 4];

/// Cuts or pads text to exactly `width` columns.
pub(super) fn fit(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = c.width().unwrap_or(0);
        if used + w > width {
            if width > 0 {
                // Leave room for the ellipsis.
                while out.width() + 1 > width {
                    out.pop();
                }
                out.push('…');
                used = out.width();
            }
            break;
        }
        out.push(c);
        used += w;
    }
    out.push_str(&" ".repeat(width.saturating_sub(used)));
    out
}

/// Column widths for a list `width` wide: status, id, date, severity, topic, title (0 = not
/// shown). The title keeps a readable width: on a narrow screen the fixed columns first shrink
/// (severity, date as MM-DD, status), and only then do severity, date and status give way.
pub(super) fn columns(width: usize) -> [usize; 6] {
    /// The title's comfortable and its least width.
    const GOOD_TITLE: usize = 24;
    const MIN_TITLE: usize = 12;
    const FULL: [usize; 4] = [STATUS_WIDTH, 16, 10, 9];
    const NARROW: [usize; 4] = [11, 15, 5, 8];
    let used = |fixed: &[usize; 4]| -> usize { fixed.iter().filter(|w| **w > 0).map(|w| w + 1).sum() };
    let mut fixed = FULL;
    for shrink in [3, 2, 0, 1] {
        if width.saturating_sub(used(&fixed)) >= GOOD_TITLE {
            break;
        }
        fixed[shrink] = NARROW[shrink];
    }
    for drop in [3, 2, 0] {
        if width.saturating_sub(used(&fixed)) >= MIN_TITLE {
            break;
        }
        fixed[drop] = 0;
    }
    let used = used(&fixed);
    let rest = width.saturating_sub(used);
    let topic = if rest >= 40 { rest * 2 / 5 } else { 0 };
    let title = rest.saturating_sub(topic + usize::from(topic > 0));
    [fixed[0], fixed[1], fixed[2], fixed[3], topic, title]
}

/// A date (`YYYY-MM-DD…`) for a column `width` wide: month and day when the year does not fit.
pub(super) fn date_cell(date: &str, width: usize) -> &str {
    if width < 10 {
        date.get(5..10)
    } else {
        date.get(..10)
    }
    .unwrap_or(date)
}

/// The cells of the columns that are shown, in screen order, joined by one space.
fn join_shown(cells: [&str; 6], widths: [usize; 6]) -> String {
    ORDER
        .iter()
        .zip(cells)
        .filter(|(w, _)| widths[**w] > 0)
        .map(|(w, c)| fit(c, widths[*w]))
        .collect::<Vec<_>>()
        .join(" ")
}

/// Draws one row of a list into `area` (one line): `cells` (status, id, date, severity, title,
/// topic) each cut or padded to its column, one space apart, and `style` across the whole line.
pub(super) fn draw_row(buf: &mut Buffer, area: Rect, cells: [&str; 6], widths: [usize; 6], style: Style) {
    let shown = || {
        ORDER
            .iter()
            .zip(cells)
            .filter(|(w, _)| widths[**w] > 0)
            .map(|(w, c)| (c, widths[*w]))
    };
    let needed = shown().map(|(_, w)| w + 1).sum::<usize>().saturating_sub(1);
    let plain = shown().all(|(c, _)| c.chars().all(|ch| ch.width().is_some_and(|w| w > 0)));
    if !plain || needed > usize::from(area.width) {
        let text = fit(&join_shown(cells, widths), usize::from(area.width));
        Paragraph::new(Span::styled(text, style)).render(area, buf);
        return;
    }
    let y = area.y;
    let mut x = area.x;
    for (i, (text, width)) in shown().enumerate() {
        if i > 0 {
            x = put(buf, x, y, ' ', 1, style);
        }
        x = put_fitted(buf, x, y, text, width, style);
    }
    while x < area.right() {
        x = put(buf, x, y, ' ', 1, style);
    }
}

/// Writes `text` at (`x`, `y`) as `fit(text, width)` would show it; returns the column after it.
/// Every character of `text` is one or two columns wide.
fn put_fitted(buf: &mut Buffer, x: u16, y: u16, text: &str, width: usize, style: Style) -> u16 {
    let end = x.saturating_add(u16::try_from(width).unwrap_or(u16::MAX));
    let wide = |c: char| c.width().unwrap_or(1);
    let mut x = x;
    if text.chars().map(wide).sum::<usize>() <= width {
        for c in text.chars() {
            x = put(buf, x, y, c, wide(c), style);
        }
    } else if width > 0 {
        // The longest start that leaves a column for the ellipsis, as `fit` cuts.
        let mut used = 0;
        for c in text.chars() {
            let w = wide(c);
            if used + w >= width {
                break;
            }
            x = put(buf, x, y, c, w, style);
            used += w;
        }
        x = put(buf, x, y, '…', 1, style);
    }
    while x < end {
        x = put(buf, x, y, ' ', 1, style);
    }
    end
}

/// One character into its cell; a wide one leaves the cell it covers as it is, as `Paragraph`
/// does.
fn put(buf: &mut Buffer, x: u16, y: u16, c: char, width: usize, style: Style) -> u16 {
    if let Some(cell) = buf.cell_mut((x, y)) {
        cell.set_char(c).set_style(style);
    }
    x.saturating_add(u16::try_from(width).unwrap_or(1))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;
    use ratatui::style::{Color, Modifier};

    #[test]
    fn the_title_keeps_room_and_fixed_columns_shrink_first() {
        let full = columns(120);
        assert_eq!(full[..4], [STATUS_WIDTH, 16, 10, 9]);
        assert!(full[5] >= 24, "{full:?}");
        // 60 columns (58 inside the border): everything shown, narrower, title still readable.
        let narrow = columns(58);
        assert!(narrow[..4].iter().all(|w| *w > 0), "{narrow:?}");
        assert!(narrow[5] >= 12, "{narrow:?}");
        assert_eq!(
            narrow.iter().filter(|w| **w > 0).map(|w| w + 1).sum::<usize>() - 1,
            58
        );
        // Tighter still: the severity goes before the title drops under its least width.
        let tight = columns(45);
        assert_eq!(tight[3], 0, "{tight:?}");
        assert!(tight[1] > 0 && tight[5] >= 12, "{tight:?}");
    }

    #[test]
    fn fit_pads_and_cuts_to_the_column() {
        assert_eq!(fit("abc", 5), "abc  ");
        assert_eq!(fit("abcdef", 4), "abc…");
        assert_eq!(
            fit("東京都", 4),
            "東… ",
            "wide characters never overflow the column"
        );
    }

    /// The row as it was drawn before cells were written directly: one padded string through
    /// `Paragraph`.
    fn through_paragraph(area: Rect, cells: [&str; 6], widths: [usize; 6], style: Style) -> Buffer {
        let mut buf = Buffer::empty(area);
        let text = fit(&join_shown(cells, widths), usize::from(area.width));
        Paragraph::new(Span::styled(text, style)).render(area, &mut buf);
        buf
    }

    fn drawn(area: Rect, cells: [&str; 6], widths: [usize; 6], style: Style) -> Buffer {
        let mut buf = Buffer::empty(area);
        draw_row(&mut buf, area, cells, widths, style);
        buf
    }

    #[test]
    fn a_row_reads_as_its_columns_cut_with_an_ellipsis() {
        let area = Rect::new(0, 0, 60, 1);
        let widths = columns(60);
        let cells = [
            "● created",
            "920226995890793",
            date_cell("2026-11-26T09:00:00Z", widths[2]),
            "Critical",
            "Billing profile says access denied",
            "Cannot manage my profile",
        ];
        let buf = drawn(area, cells, widths, Style::default());
        let line: String = (0..60).map(|x| buf[(x, 0)].symbol().to_string()).collect();
        // No room for the topic at 60 columns; the date loses its year before the title shrinks
        // under its least width.
        assert_eq!(
            line,
            "● created   920226995890793 11-26 Critical Billing profile …"
        );
    }

    fn text() -> impl Strategy<Value = String> {
        // ASCII, wide CJK, an emoji, a combining accent and a control character: every path.
        prop::collection::vec(
            prop_oneof![
                8 => prop::char::range('a', 'z'),
                2 => Just(' '),
                2 => prop::char::range('東', '東'),
                1 => Just('●'),
                1 => Just('…'),
                1 => Just('🎉'),
                1 => Just('\u{301}'),
                1 => Just('\u{7}'),
            ],
            0..40,
        )
        .prop_map(|cs| cs.into_iter().collect())
    }

    proptest! {
        #[test]
        fn a_row_looks_exactly_as_through_paragraph(
            cells in prop::array::uniform6(text()),
            width in 1u16..140,
            selected in any::<bool>(),
        ) {
            let area = Rect::new(2, 3, width, 1);
            let widths = columns(usize::from(width));
            let style = if selected {
                Style::default().fg(Color::Black).bg(Color::Cyan).add_modifier(Modifier::BOLD)
            } else {
                Style::default()
            };
            let cells = [
                cells[0].as_str(), cells[1].as_str(), cells[2].as_str(),
                cells[3].as_str(), cells[4].as_str(), cells[5].as_str(),
            ];
            prop_assert_eq!(drawn(area, cells, widths, style), through_paragraph(area, cells, widths, style));
        }
    }
}
