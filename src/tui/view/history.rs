//! The history pane: only the visible window of rows is read and drawn.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use unicode_width::UnicodeWidthStr;

use super::{Role, style, textbox};
use crate::store::{HistoryRow, SubmissionState};
use crate::text;
use crate::tui::focus::{TextTarget, focused_text};
use crate::tui::keys::{KeyCommand, KeyScope};
use crate::tui::layout;
use crate::tui::state::{Paging, Source, State};
use crate::tui::textbox::LineBox;

/// The state word shown in the list.
pub fn state_label(state: SubmissionState) -> &'static str {
    match state {
        SubmissionState::Sending => "sending",
        SubmissionState::Created => "created",
        SubmissionState::Failed => "failed",
    }
}

/// Cuts or pads text to exactly `width` columns.
pub(super) fn fit(text: &str, width: usize) -> String {
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

/// Wide enough for "attention needed" and the updated mark.
pub(super) const STATUS_WIDTH: usize = 18;

/// The status cell: the service's status once the request exists (marked when it changed since
/// the user last opened it), else where the local submission stands.
fn status_cell(row: &HistoryRow) -> String {
    let mark = if row.updated { "● " } else { "  " };
    let word = match (row.state, row.status) {
        (SubmissionState::Created, Some(status)) => status.label().to_lowercase(),
        (state, _) => state_label(state).to_string(),
    };
    format!("{mark}{word}")
}

fn row_text(row: &HistoryRow, widths: [usize; 6]) -> String {
    let id = row
        .server_id
        .as_deref()
        .map(text::one_line)
        .unwrap_or_else(|| "—".into());
    let date = date_cell(&row.created_at, widths[2]);
    let topic = row
        .topic_name
        .as_deref()
        .map(text::one_line)
        .unwrap_or_else(|| row.topic_id.clone());
    let cells = [
        fit(&status_cell(row), widths[0]),
        fit(&id, widths[1]),
        fit(&date, widths[2]),
        fit(row.severity.label(), widths[3]),
        fit(&text::one_line(&row.title), widths[5]),
        fit(&topic, widths[4]),
    ];
    join_shown(&cells, widths)
}

/// A date (`YYYY-MM-DD…`) for a column `width` wide: month and day when the year does not fit.
pub(super) fn date_cell(date: &str, width: usize) -> String {
    if width < 10 {
        date.get(5..10)
    } else {
        date.get(..10)
    }
    .unwrap_or(date)
    .to_string()
}

/// The cells of the columns that are shown, in screen order (title before topic).
pub(super) fn join_shown(cells: &[String; 6], widths: [usize; 6]) -> String {
    let order = [0, 1, 2, 3, 5, 4];
    order
        .iter()
        .zip(cells.iter())
        .filter(|(w, _)| widths[**w] > 0)
        .map(|(_, c)| c.as_str())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The pane's title: both sources as tabs, the shown one highlighted, with their counts.
fn tabs(state: &State) -> Line<'static> {
    let t = state.theme;
    let h = &state.history;
    let s = &h.service;
    let service_count = match s.paging {
        Paging::NotStarted => String::new(),
        Paging::Done => format!(" {}", s.rows.len()),
        _ => format!(" {}+", s.rows.len()),
    };
    let tab = |label: String, on: bool| {
        if on {
            Span::styled(format!(" {label} "), style(t, Role::Selected))
        } else {
            Span::styled(format!(" {label} "), style(t, Role::Dim))
        }
    };
    Line::from(vec![
        Span::styled(" History ", style(t, Role::Focus)),
        tab(format!("Local {}", h.total), h.source == Source::Local),
        Span::styled("│", style(t, Role::Dim)),
        tab(
            format!("Partner Center{service_count}"),
            h.source == Source::Service,
        ),
        Span::styled(
            format!(
                " {} switches ",
                state.keys.label(KeyCommand::SwitchSource, KeyScope::History)
            ),
            style(t, Role::Dim),
        ),
    ])
}

/// The column header line.
pub(super) fn header_line(state: &State, widths: [usize; 6]) -> Paragraph<'static> {
    let header = [
        fit("  STATUS", widths[0]),
        fit("ID", widths[1]),
        fit("DATE", widths[2]),
        fit("SEVERITY", widths[3]),
        fit("TITLE", widths[5]),
        fit("TOPIC", widths[4]),
    ];
    Paragraph::new(Span::styled(
        join_shown(&header, widths),
        style(state.theme, Role::Label),
    ))
}

/// Draws the history pane: the frame with both sources, then the list shown.
pub fn draw(frame: &mut Frame, area: Rect, state: &State) {
    let t = state.theme;
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(style(t, Role::Focus))
        .title(tabs(state));
    frame.render_widget(block, area);
    let l = layout::history(area);
    match state.history.source {
        Source::Local => {
            draw_filter(frame, l.filter, state, "title, id, topic or state");
            draw_local(frame, l, state);
        }
        Source::Service => {
            match &state.history.service.asking_customer {
                Some(typed) => draw_customer_prompt(frame, l.filter, state, typed),
                None => draw_filter(frame, l.filter, state, "title, id, status or topic"),
            }
            super::requests::draw(frame, l, state);
        }
    }
}

/// The local history's rows.
fn draw_local(frame: &mut Frame, l: layout::HistoryLayout, state: &State) {
    let t = state.theme;
    let h = &state.history;
    let width = l.list.width as usize;
    let widths = columns(width);
    frame.render_widget(header_line(state, widths), l.header);

    if h.total == 0 {
        let msg = if h.loaded_filter.is_none() {
            "Loading…".to_string()
        } else if h.filter.is_empty() {
            format!(
                "No submissions yet. {} opens the form.",
                state.keys.label(KeyCommand::NewRequest, KeyScope::Anywhere)
            )
        } else {
            format!("Nothing matches \"{}\".", text::one_line(h.filter.text()))
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

/// The filter line: a box while typing (with how to leave it), else what it holds or how to
/// start one.
fn draw_filter(frame: &mut Frame, area: Rect, state: &State, what: &str) {
    let t = state.theme;
    let h = &state.history;
    if !h.filtering && h.filter.is_empty() {
        let hint = format!(
            "{} filters by {what}",
            state.keys.label(KeyCommand::Filter, KeyScope::History)
        );
        frame.render_widget(Span::styled(hint, style(t, Role::Dim)), area);
        return;
    }
    let how = format!(
        " {} keeps it, {} stops typing",
        state.keys.label(KeyCommand::KeepFilter, KeyScope::HistoryFilter),
        state.keys.label(KeyCommand::Back, KeyScope::Anywhere)
    );
    // The box keeps at least a third of the line; the explanation goes first when short of room.
    let how_width = if h.filtering && how.width() * 3 <= usize::from(area.width) * 2 {
        u16::try_from(how.width()).unwrap_or(0)
    } else {
        0
    };
    let [label, field, rest] = Layout::horizontal([
        Constraint::Length(8),
        Constraint::Fill(1),
        Constraint::Length(how_width),
    ])
    .areas(area);
    frame.render_widget(Span::styled("Filter: ", style(t, Role::Label)), label);
    let typing = focused_text(state) == Some(TextTarget::HistoryFilter);
    textbox::draw_line(frame, field, &h.filter, typing, None);
    frame.render_widget(Span::styled(how, style(t, Role::Dim)), rest);
}

/// The customer prompt of the Partner Center list: a box for the tenant id.
fn draw_customer_prompt(frame: &mut Frame, area: Rect, state: &State, typed: &LineBox) {
    let t = state.theme;
    let label = "Customer tenant: ";
    let how = format!(
        " {} lists its requests; empty = your own",
        state
            .keys
            .label(KeyCommand::ApplyCustomer, KeyScope::CustomerPrompt)
    );
    let how_width = if how.width() * 2 <= usize::from(area.width) {
        u16::try_from(how.width()).unwrap_or(0)
    } else {
        0
    };
    let [l, field, rest] = Layout::horizontal([
        Constraint::Length(u16::try_from(label.width()).unwrap_or(0)),
        Constraint::Fill(1),
        Constraint::Length(how_width),
    ])
    .areas(area);
    frame.render_widget(Span::styled(label, style(t, Role::Label)), l);
    let typing = focused_text(state) == Some(TextTarget::Customer);
    textbox::draw_line(frame, field, typed, typing, None);
    frame.render_widget(Span::styled(how, style(t, Role::Dim)), rest);
}

#[cfg(test)]
mod tests {
    use super::*;

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
}
