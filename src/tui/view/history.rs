//! The history pane: only the visible window of rows is read and drawn.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph};
use unicode_width::UnicodeWidthStr;

use super::{Role, style, table, textbox};
use crate::store::{HistoryRow, SubmissionState};
use crate::text;
use crate::tui::focus::{TextTarget, focused_text};
use crate::tui::keys::{KeyCommand, KeyScope};
use crate::tui::layout;
use crate::tui::state::{HistoryFocus, Paging, Source, State};
use crate::tui::textbox::LineBox;

/// The state word shown in the list.
pub fn state_label(state: SubmissionState) -> &'static str {
    match state {
        SubmissionState::Sending => "sending",
        SubmissionState::Created => "created",
        SubmissionState::Failed => "failed",
    }
}

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
    let mut spans = vec![
        Span::styled(" History ", style(t, Role::Focus)),
        tab(format!("Local {}", h.total), h.source == Source::Local),
    ];
    // Every list Tab visits, in its order; another service's is reached by switching to it.
    let current = state.header.service;
    for service in crate::domain::Service::ALL {
        if service == current {
            spans.push(Span::styled("│", style(t, Role::Dim)));
            spans.push(tab(
                format!("{}{service_count}", service.label()),
                h.source == Source::Service,
            ));
        } else if h.others.contains(&service) {
            spans.push(Span::styled("│", style(t, Role::Dim)));
            spans.push(tab(service.label().to_string(), false));
        }
    }
    spans.push(Span::styled(
        format!(
            " {} switches ",
            state.keys.label(KeyCommand::SwitchSource, KeyScope::History)
        ),
        style(t, Role::Dim),
    ));
    Line::from(spans)
}

/// The column header line.
pub(super) fn draw_header(frame: &mut Frame, area: Rect, state: &State, widths: [usize; 6]) {
    let cells = ["  STATUS", "ID", "DATE", "SEVERITY", "TITLE", "TOPIC"];
    let label = style(state.theme, Role::Label);
    table::draw_row(frame.buffer_mut(), area, cells, widths, label);
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
            match &state.history.focus {
                HistoryFocus::Customer(typed) => draw_customer_prompt(frame, l.filter, state, typed),
                _ => draw_filter(frame, l.filter, state, "title, id, status or topic"),
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
    let widths = table::columns(width);
    draw_header(frame, l.header, state, widths);

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
    let rows = h.top..(h.top + l.list.height as usize).min(h.total);
    for (i, y) in rows.zip(l.list.y..l.list.bottom()) {
        let area = Rect::new(l.list.x, y, l.list.width, 1);
        let Some(row) = h.row(i) else {
            frame.render_widget(Span::styled("…", style(t, Role::Dim)), area);
            continue;
        };
        let role = if i == h.selected {
            Role::Selected
        } else if row.state == SubmissionState::Failed {
            Role::Error
        } else {
            Role::Plain
        };
        let status = status_cell(row);
        // The number people quote, where the service has one apart from its id.
        let id = row
            .number
            .as_deref()
            .or(row.server_id.as_deref())
            .map(text::one_line);
        let topic = row.topic_name.as_deref().map(text::one_line);
        let cells = [
            status.as_str(),
            id.as_deref().unwrap_or("—"),
            table::date_cell(&row.created_at, widths[2]),
            row.severity.map_or("—", |s| s.label()),
            &text::one_line(&row.title),
            topic.as_deref().unwrap_or(&row.topic_id),
        ];
        table::draw_row(frame.buffer_mut(), area, cells, widths, style(t, role));
    }
}

/// The filter line: a box while typing (with how to leave it), else what it holds or how to
/// start one.
fn draw_filter(frame: &mut Frame, area: Rect, state: &State, what: &str) {
    let t = state.theme;
    let h = &state.history;
    let filtering = h.focus == HistoryFocus::Filter;
    if !filtering && h.filter.is_empty() {
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
    let how_width = if filtering && how.width() * 3 <= usize::from(area.width) * 2 {
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
