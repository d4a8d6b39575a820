//! The result screen after a successful submit.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::{Role, date, field_line, or_dash, style};
use crate::domain::{Organization, Person, Ticket};
use crate::tui::keys::{KeyCommand, KeyScope};
use crate::tui::state::{ResultView, State, Theme};

/// Organization and contact lines, shared with the details screen.
pub fn party_lines(theme: Theme, sr: &Ticket) -> Vec<Line<'static>> {
    let org = sr.organization.clone().unwrap_or_default();
    let Organization { id, name, phone } = org;
    let contact = sr.contact.clone().unwrap_or_default();
    let Person {
        first_name,
        last_name,
        email,
        phone: contact_phone,
        ..
    } = contact;
    vec![
        field_line(theme, "Organization", &or_dash(name.as_deref())),
        field_line(theme, "  id", &or_dash(id.as_deref())),
        field_line(theme, "  phone", &or_dash(phone.as_deref())),
        field_line(theme, "Primary contact", ""),
        field_line(theme, "  first name", &or_dash(first_name.as_deref())),
        field_line(theme, "  last name", &or_dash(last_name.as_deref())),
        field_line(theme, "  email", &or_dash(email.as_deref())),
        field_line(theme, "  phone", &or_dash(contact_phone.as_deref())),
    ]
}

/// Draws the result screen.
pub fn draw(frame: &mut Frame, area: Rect, state: &State, view: &ResultView) {
    let t = state.theme;
    let sr = &view.request;
    let topic = match (&view.topic_name, &sr.topic.id) {
        (Some(name), Some(id)) => format!("{name} ({id})"),
        (None, Some(id)) => id.clone(),
        (Some(name), None) => name.clone(),
        (None, None) => "—".into(),
    };
    let mut lines = vec![
        field_line(t, "Request id", &or_dash(sr.id.as_deref())),
        field_line(t, "Status", &sr.status_text().unwrap_or_else(|| "—".into())),
        field_line(t, "Title", &or_dash(sr.title.as_deref())),
        field_line(t, "Severity", &sr.severity_text().unwrap_or_else(|| "—".into())),
        field_line(t, "Topic", &topic),
        field_line(t, "Created", &date(sr.created.as_ref())),
    ];
    lines.extend(party_lines(t, sr));
    lines.push(field_line(t, "MS-RequestId", &view.request_id.to_string()));
    lines.push(Line::default());
    lines.push(Line::from(Span::styled(
        format!(
            "{} copies the request id · {} new request · {} history",
            state.keys.label(KeyCommand::CopyId, KeyScope::ResultOrDetails),
            state.keys.label(KeyCommand::NewRequest, KeyScope::Anywhere),
            state.keys.label(KeyCommand::History, KeyScope::Anywhere),
        ),
        style(t, Role::Dim),
    )));
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(style(t, Role::Good))
        .title(Span::styled(" ✓ Service request created ", style(t, Role::Good)));
    frame.render_widget(
        Paragraph::new(lines).block(block).wrap(Wrap { trim: false }),
        area,
    );
}
