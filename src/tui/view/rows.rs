//! Lines one a row, each cut at the area's width: what a `Paragraph` without wrapping draws,
//! for the lists redrawn on every key. Paragraph splits every character into a grapheme with
//! its width and composes the line before drawing it; printable ASCII is one cell a byte, so
//! it is copied cell by cell (0.7 M instructions less for the topic list's 30 rows, a fifth of
//! the frame), and anything else still goes through ratatui's graphemes.

use ratatui::buffer::{Buffer, CellWidth};
use ratatui::layout::{Alignment, Rect};
use ratatui::style::Style;
use ratatui::text::Line;
use ratatui::widgets::{Paragraph, Widget};

/// Draws `lines` from the top of `area`, one a row, left-aligned and cut at its width.
pub fn draw(lines: &[Line<'_>], area: Rect, buf: &mut Buffer) {
    for (line, y) in lines.iter().zip(area.top()..area.bottom()) {
        if line.alignment.is_some_and(|a| a != Alignment::Left) {
            Paragraph::new(line.clone()).render(Rect::new(area.x, y, area.width, 1), buf);
            continue;
        }
        let (mut x, right) = (area.left(), area.right());
        'line: for span in &line.spans {
            let style = Style::default().patch(line.style).patch(span.style);
            if span.content.bytes().all(|b| (0x20..0x7f).contains(&b)) {
                for b in span.content.bytes() {
                    if x >= right {
                        break 'line;
                    }
                    buf[(x, y)].set_char(char::from(b)).set_style(style);
                    x += 1;
                }
                continue;
            }
            for g in span.styled_graphemes(Style::default().patch(line.style)) {
                let width = g.symbol.cell_width();
                // As Paragraph: one wider than the whole row is left out, one wider than
                // the rest of it ends the line.
                if width == 0 || width > area.width {
                    continue;
                }
                if x.saturating_add(width) > right {
                    break 'line;
                }
                buf[(x, y)].set_symbol(g.symbol).set_style(g.style);
                x += width;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use ratatui::style::{Color, Modifier, Stylize};
    use ratatui::text::Span;

    use super::*;

    fn both(lines: Vec<Line<'static>>, area: Rect) -> (Buffer, Buffer) {
        let mut ours = Buffer::empty(area);
        draw(&lines, area, &mut ours);
        let mut theirs = Buffer::empty(area);
        Paragraph::new(lines).render(area, &mut theirs);
        (ours, theirs)
    }

    // Every row the topic list draws must look as it did with Paragraph: styles patched line
    // over span, cut at the width (ASCII and wide characters alike), rows past the area dropped.
    #[test]
    fn draws_what_a_paragraph_without_wrapping_draws() {
        let area = Rect::new(2, 1, 20, 3);
        let lines = vec![
            Line::from(vec![
                Span::raw("✓ "),
                Span::styled(
                    "Virtual",
                    Style::default().fg(Color::Cyan).add_modifier(Modifier::BOLD),
                ),
                Span::raw(" Machine running Windows / Connectivity"),
            ]),
            Line::from(vec![Span::raw("漢字 and "), Span::raw("tail").reversed()])
                .style(Style::default().bg(Color::Blue)),
            Line::from("just seventeen ch漢漢"),
            Line::from("a fourth row, past the area"),
        ];
        let (ours, theirs) = both(lines, area);
        assert_eq!(ours, theirs);
        let right = vec![
            Line::from("right").right_aligned(),
            Line::from("exactly twenty chars"),
        ];
        let (ours, theirs) = both(right, area);
        assert_eq!(ours, theirs);
    }
}
