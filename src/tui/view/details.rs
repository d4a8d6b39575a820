//! One request from the history, in full.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::history::state_label;
use super::result::party_lines;
use super::{Role, date, field_line, or_dash, style};
use crate::store::Submission;
use crate::text;
use crate::tui::keys::{KeyCommand, KeyScope};
use crate::tui::state::{DetailsView, State, Viewport};

/// Draws the details screen; returns its page and furthest scroll.
pub fn draw(frame: &mut Frame, area: Rect, state: &State, view: &DetailsView) -> Viewport {
    let t = state.theme;
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(style(t, Role::Focus))
        .title(Span::styled(
            format!(" Request #{} ", view.local_id),
            style(t, Role::Focus),
        ))
        .title_bottom(Span::styled(
            format!(
                " {} copy id · {} refresh · {} close · {} back ",
                state.keys.label(KeyCommand::CopyId, KeyScope::ResultOrDetails),
                state.keys.label(KeyCommand::Refresh, KeyScope::Details),
                state.keys.label(KeyCommand::CloseRequest, KeyScope::Details),
                state.keys.label(KeyCommand::Back, KeyScope::Anywhere),
            ),
            style(t, Role::Dim),
        ));
    let inner = block.inner(area);
    let page = inner.height.max(1);
    let Some(sub) = &view.submission else {
        frame.render_widget(Paragraph::new("Loading…").block(block), area);
        return Viewport { page, max_scroll: 0 };
    };
    let text = Paragraph::new(lines(state, sub)).wrap(Wrap { trim: false });
    let rows = text.line_count(inner.width.max(1));
    let max_scroll = u16::try_from(rows).unwrap_or(u16::MAX).saturating_sub(page);
    frame.render_widget(text.block(block).scroll((view.scroll.min(max_scroll), 0)), area);
    Viewport { page, max_scroll }
}

/// The details' lines before wrapping.
fn lines(state: &State, sub: &Submission) -> Vec<Line<'static>> {
    let t = state.theme;
    let sr = sub.server.clone().unwrap_or_default();
    // What the service sent, even a status this build does not know.
    let status = sr.status_text().unwrap_or_else(|| "—".into());
    let topic = sr
        .support_topic_name
        .clone()
        .map(|n| format!("{n} ({})", sub.request.support_topic_id))
        .unwrap_or_else(|| sub.request.support_topic_id.clone());
    let mut lines = vec![
        field_line(t, "Request id", &or_dash(sub.server_id.as_deref())),
        field_line(t, "Local state", state_label(sub.state)),
        field_line(t, "Status", &status),
        field_line(t, "Title", sr.title.as_deref().unwrap_or(&sub.request.title)),
        field_line(
            t,
            "Severity",
            &sr.severity_text()
                .unwrap_or_else(|| sub.request.severity.label().to_string()),
        ),
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
