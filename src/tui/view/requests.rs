//! The Partner Center list: every request on the service, as read so far.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Span;
use ratatui::widgets::Paragraph;

use super::history::draw_header;
use super::{Role, style, table};
use crate::text;
use crate::tui::keys::{KeyCommand, KeyScope};
use crate::tui::layout::HistoryLayout;
use crate::tui::state::{Paging, State};

/// What the list says when it has no rows to show.
fn empty_message(state: &State) -> String {
    let s = &state.history.service;
    match &s.paging {
        Paging::NotStarted | Paging::Reading { .. } => match state.header.service {
            crate::domain::Service::PartnerCenter => format!(
                "Reading the requests of the {} from Partner Center…",
                s.scope_label()
            ),
            crate::domain::Service::Azure => "Reading the tickets from Azure…".to_string(),
        },
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
        _ => match state.header.service {
            crate::domain::Service::PartnerCenter => format!(
                "The {} has no requests on the service. {} lists a customer's.",
                s.scope_label(),
                state.keys.label(KeyCommand::CustomerScope, KeyScope::History)
            ),
            // Short enough for 80 columns, with the id as the header shows it.
            crate::domain::Service::Azure => format!(
                "No tickets {}. {} picks another subscription.",
                match &state.header.subscription {
                    Some(sub) => format!(
                        "under subscription {}",
                        text::one_line(super::status_bar::short_id(sub))
                    ),
                    None => "at tenant level".to_string(),
                },
                state.keys.label(KeyCommand::PickSubscription, KeyScope::Anywhere)
            ),
        },
    }
}

/// Draws the rows in view, and a last line saying more is being read.
pub fn draw(frame: &mut Frame, l: HistoryLayout, state: &State) {
    let t = state.theme;
    let s = &state.history.service;
    let width = l.list.width as usize;
    let widths = table::columns(width);
    draw_header(frame, l.header, state, widths);
    if s.is_empty() {
        frame.render_widget(
            Paragraph::new(Span::styled(empty_message(state), style(t, Role::Dim))),
            l.list,
        );
        return;
    }
    let height = l.list.height as usize;
    let rows = (s.top..(s.top + height).min(s.len())).filter_map(|i| s.row(i).map(|row| (i, row)));
    let mut drawn: u16 = 0;
    for ((i, row), y) in rows.zip(l.list.y..l.list.bottom()) {
        let role = if i == s.selected {
            Role::Selected
        } else {
            Role::Plain
        };
        let status = format!(
            "{} {}",
            if row.updated { "●" } else { " " },
            if row.status.is_empty() { "—" } else { &row.status }
        );
        let cells = [
            status.as_str(),
            if row.number.is_empty() {
                &row.id
            } else {
                &row.number
            },
            table::date_cell(&row.created, widths[2]),
            &row.severity,
            &row.title,
            &row.topic,
        ];
        let area = Rect::new(l.list.x, y, l.list.width, 1);
        table::draw_row(frame.buffer_mut(), area, cells, widths, style(t, role));
        drawn += 1;
    }
    if usize::from(drawn) < height {
        let tail = match &s.paging {
            Paging::Reading { .. } => Some(("reading more…".to_string(), Role::Dim)),
            Paging::Failed { why, .. } => Some((format!("stopped: {why}"), Role::Error)),
            _ => None,
        };
        if let Some((tail, role)) = tail {
            let area = Rect::new(l.list.x, l.list.y + drawn, l.list.width, 1);
            frame.render_widget(Span::styled(tail, style(t, role)), area);
        }
    }
}
