//! The history pane: only the visible window of rows is read and drawn.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use unicode_width::UnicodeWidthStr;

use super::{Role, style};
use crate::store::{HistoryRow, SubmissionState};
use crate::text;
use crate::tui::keys::{self, KeyCommand, KeyScope};
use crate::tui::layout;
use crate::tui::state::State;

/// The state word shown in the list.
pub fn state_label(state: SubmissionState) -> &'static str {
    match state {
        SubmissionState::Sending => "sending",
        SubmissionState::Created => "created",
        SubmissionState::Failed => "failed",
    }
}

/// Cuts or pads text to exactly `width` columns.
fn fit(text: &str, width: usize) -> String {
    let mut out = String::new();
    let mut used = 0;
    for c in text.chars() {
        let w = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
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

/// Column widths for a list `width` wide: state, id, date, severity, topic, title.
fn columns(width: usize) -> [usize; 6] {
    let fixed = [8, 16, 10, 9];
    let used: usize = fixed.iter().sum::<usize>() + 5;
    let rest = width.saturating_sub(used);
    let topic = if rest >= 50 { rest * 2 / 5 } else { 0 };
    let title = rest.saturating_sub(topic + usize::from(topic > 0));
    [fixed[0], fixed[1], fixed[2], fixed[3], topic, title]
}

fn row_text(row: &HistoryRow, widths: [usize; 6]) -> String {
    let id = row
        .server_id
        .as_deref()
        .map(text::one_line)
        .unwrap_or_else(|| "—".into());
    let date = row.created_at.get(..10).unwrap_or(&row.created_at).to_string();
    let topic = row
        .topic_name
        .as_deref()
        .map(text::one_line)
        .unwrap_or_else(|| row.topic_id.clone());
    let mut cells = vec![
        fit(state_label(row.state), widths[0]),
        fit(&id, widths[1]),
        fit(&date, widths[2]),
        fit(row.severity.label(), widths[3]),
        fit(&text::one_line(&row.title), widths[5]),
    ];
    if widths[4] > 0 {
        cells.push(fit(&topic, widths[4]));
    }
    cells.join(" ")
}

/// Draws the history pane.
pub fn draw(frame: &mut Frame, area: Rect, state: &State) {
    let t = state.theme;
    let h = &state.history;
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(style(t, Role::Focus))
        .title(Span::styled(
            format!(" History: {} ", h.total),
            style(t, Role::Focus),
        ));
    frame.render_widget(block, area);
    let l = layout::history(area);

    let filter = if h.filtering {
        Line::from(vec![
            Span::styled("Filter: ", style(t, Role::Label)),
            Span::raw(text::one_line(&h.filter)),
            Span::styled(
                format!(
                    "▏ Enter keeps it, {} stops typing",
                    keys::label(KeyCommand::Back, KeyScope::Anywhere)
                ),
                style(t, Role::Dim),
            ),
        ])
    } else if h.filter.is_empty() {
        Line::from(Span::styled(
            format!(
                "{} filters by title, id, topic or state",
                keys::label(KeyCommand::Filter, KeyScope::History)
            ),
            style(t, Role::Dim),
        ))
    } else {
        Line::from(vec![
            Span::styled("Filter: ", style(t, Role::Label)),
            Span::raw(text::one_line(&h.filter)),
        ])
    };
    frame.render_widget(Paragraph::new(filter), l.filter);

    let width = l.list.width as usize;
    let widths = columns(width);
    let mut header = vec![
        fit("STATE", widths[0]),
        fit("ID", widths[1]),
        fit("DATE", widths[2]),
        fit("SEVERITY", widths[3]),
        fit("TITLE", widths[5]),
    ];
    if widths[4] > 0 {
        header.push(fit("TOPIC", widths[4]));
    }
    frame.render_widget(
        Paragraph::new(Span::styled(header.join(" "), style(t, Role::Label))),
        l.header,
    );

    if h.total == 0 {
        let msg = if h.loaded_filter.is_none() {
            "Loading…".to_string()
        } else if h.filter.is_empty() {
            format!(
                "No submissions yet. {} opens the form.",
                keys::label(KeyCommand::NewRequest, KeyScope::Anywhere)
            )
        } else {
            format!("Nothing matches \"{}\".", text::one_line(&h.filter))
        };
        frame.render_widget(Paragraph::new(Span::styled(msg, style(t, Role::Dim))), l.list);
        return;
    }
    let lines: Vec<Line> = (h.top..(h.top + l.list.height as usize).min(h.total))
        .map(|i| match h.row(i) {
            Some(row) => {
                let text = row_text(row, widths);
                let role = if i == h.selected {
                    Role::Selected
                } else if row.state == SubmissionState::Failed {
                    Role::Error
                } else {
                    Role::Plain
                };
                Line::from(Span::styled(fit(&text, width), style(t, role)))
            }
            None => Line::from(Span::styled("…", style(t, Role::Dim))),
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), l.list);
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
