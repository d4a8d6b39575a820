//! One request from the history, in full.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::history::state_label;
use super::result::party_lines;
use super::{Role, date, field_line, layout, or_dash, style};
use crate::store::Submission;
use crate::text;
use crate::tui::state::{DetailsView, State};

/// Draws the details screen.
pub fn draw(frame: &mut Frame, area: Rect, state: &State, view: &DetailsView) {
    let t = state.theme;
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(style(t, Role::Focus))
        .title(Span::styled(
            format!(" Request #{} ", view.local_id),
            style(t, Role::Focus),
        ))
        .title_bottom(Span::styled(
            " y copy id · r refresh · Esc back ",
            style(t, Role::Dim),
        ));
    let Some(sub) = &view.submission else {
        frame.render_widget(Paragraph::new("Loading…").block(block), area);
        return;
    };
    frame.render_widget(
        Paragraph::new(lines(state, sub))
            .block(block)
            .wrap(Wrap { trim: false })
            .scroll((view.scroll, 0)),
        area,
    );
}

/// The details' lines before wrapping.
fn lines(state: &State, sub: &Submission) -> Vec<Line<'static>> {
    let t = state.theme;
    let sr = sub.server.clone().unwrap_or_default();
    let status = sr.status.map_or("—", |s| s.label());
    let topic = sr
        .support_topic_name
        .clone()
        .map(|n| format!("{n} ({})", sub.request.support_topic_id))
        .unwrap_or_else(|| sub.request.support_topic_id.clone());
    let mut lines = vec![
        field_line(t, "Request id", &or_dash(sub.server_id.as_deref())),
        field_line(t, "Local state", state_label(sub.state)),
        field_line(t, "Status", status),
        field_line(t, "Title", sr.title.as_deref().unwrap_or(&sub.request.title)),
        field_line(t, "Severity", sr.severity.unwrap_or(sub.request.severity).label()),
        field_line(t, "Topic", &topic),
        field_line(t, "Created", &date(sr.created_date.as_deref())),
        field_line(t, "Last modified", &date(sr.last_modified_date.as_deref())),
        field_line(t, "Recorded", &sub.created_at),
        field_line(t, "MS-RequestId", &sub.request_id.to_string()),
    ];
    if let Some(e) = &sub.last_error {
        lines.push(Line::from(vec![
            Span::styled(format!("{:<16}", "Last error"), style(t, Role::Error)),
            Span::raw(text::one_line(e)),
        ]));
    }
    lines.extend(party_lines(t, &sr));
    lines.push(Line::default());
    lines.push(Line::from(Span::styled("Description", style(t, Role::Label))));
    let description = sr.description.as_deref().unwrap_or(&sub.request.description);
    lines.extend(
        text::sanitize(description, true)
            .lines()
            .map(|l| Line::from(format!("  {l}"))),
    );
    lines.push(Line::default());
    let notes = sr.notes.clone().unwrap_or_default();
    lines.push(Line::from(Span::styled(
        format!("Notes ({})", notes.len()),
        style(t, Role::Label),
    )));
    for note in &notes {
        let who = or_dash(note.created_by_name.as_deref());
        let when = date(note.created_date.as_deref());
        lines.push(Line::from(Span::styled(
            format!("  {who}, {when}"),
            style(t, Role::Dim),
        )));
        let body = text::sanitize(note.text.as_deref().unwrap_or(""), true);
        lines.extend(body.lines().map(|l| Line::from(format!("    {l}"))));
    }
    lines
}

/// The rows one page scrolls and the furthest scroll that still fills the screen, for the
/// terminal size in `state` (the same layout `draw` uses).
pub fn viewport(state: &State, view: &DetailsView) -> (u16, u16) {
    let area = Rect::new(0, 0, state.size.0, state.size.1);
    let inner = layout::inset(layout::root(area).main);
    let page = inner.height.max(1);
    let Some(sub) = &view.submission else {
        return (page, 0);
    };
    let rows = Paragraph::new(lines(state, sub))
        .wrap(Wrap { trim: false })
        .line_count(inner.width.max(1));
    let max = u16::try_from(rows).unwrap_or(u16::MAX).saturating_sub(page);
    (page, max)
}
