//! The Partner Center list: every request on the service, as read so far.

use ratatui::Frame;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::history::{columns, fit, header_line, join_shown};
use super::{Role, style};
use crate::api::RequestRow;
use crate::text;
use crate::tui::keys::{KeyCommand, KeyScope};
use crate::tui::layout::HistoryLayout;
use crate::tui::state::{Paging, State};

fn row_text(row: &RequestRow, widths: [usize; 6]) -> String {
    let status = if row.status.is_empty() { "—" } else { &row.status };
    let mark = if row.updated { "●" } else { " " };
    let cells = [
        fit(&format!("{mark} {status}"), widths[0]),
        fit(&row.id, widths[1]),
        fit(&super::history::date_cell(&row.created, widths[2]), widths[2]),
        fit(&row.severity, widths[3]),
        fit(&row.title, widths[5]),
        fit(&row.topic, widths[4]),
    ];
    join_shown(&cells, widths)
}

/// What the list says when it has no rows to show.
fn empty_message(state: &State) -> String {
    let s = &state.history.service;
    match &s.paging {
        Paging::NotStarted | Paging::Reading { .. } => format!(
            "Reading the requests of the {} from Partner Center…",
            s.scope_label()
        ),
        Paging::Failed { why, .. } => format!(
            "Could not read the list: {why} {} tries again.",
            state.keys.label(KeyCommand::Refresh, KeyScope::History)
        ),
        _ if !state.history.filter.is_empty() => {
            format!(
                "Nothing matches \"{}\".",
                text::one_line(state.history.filter.text())
            )
        }
        _ => format!(
            "The {} has no requests on the service. {} lists a customer's.",
            s.scope_label(),
            state.keys.label(KeyCommand::CustomerScope, KeyScope::History)
        ),
    }
}

/// Draws the rows in view, and a last line saying more is being read.
pub fn draw(frame: &mut Frame, l: HistoryLayout, state: &State) {
    let t = state.theme;
    let s = &state.history.service;
    let width = l.list.width as usize;
    let widths = columns(width);
    frame.render_widget(header_line(state, widths), l.header);
    if s.is_empty() {
        frame.render_widget(
            Paragraph::new(Span::styled(empty_message(state), style(t, Role::Dim))),
            l.list,
        );
        return;
    }
    let height = l.list.height as usize;
    let mut lines: Vec<Line> = (s.top..(s.top + height).min(s.len()))
        .filter_map(|i| s.row(i).map(|row| (i, row)))
        .map(|(i, row)| {
            let role = if i == s.selected {
                Role::Selected
            } else {
                Role::Plain
            };
            Line::from(Span::styled(fit(&row_text(row, widths), width), style(t, role)))
        })
        .collect();
    if lines.len() < height {
        let tail = match &s.paging {
            Paging::Reading { .. } => Some(("reading more…".to_string(), Role::Dim)),
            Paging::Failed { why, .. } => Some((format!("stopped: {why}"), Role::Error)),
            _ => None,
        };
        if let Some((tail, role)) = tail {
            lines.push(Line::from(Span::styled(tail, style(t, role))));
        }
    }
    frame.render_widget(Paragraph::new(lines), l.list);
}
