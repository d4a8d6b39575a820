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

/// The lines of a ticket filed with a contact profile (Azure): the number people quote, where
/// it sits in the catalogue, when support must answer, under which plan, who they will contact,
/// and what was attached.
fn profile_lines(t: Theme, view: &ResultView) -> Vec<Line<'static>> {
    let sr = &view.request;
    let contact = sr.contact.clone().unwrap_or_default();
    let classification = sr.topic.name.clone().or_else(|| view.topic_name.clone());
    let due = match (&sr.response_due, &view.clock) {
        (Some(crate::domain::Stamp::At(raw)), Some(clock)) => clock.deadline(raw),
        (stamp, _) => date(stamp.as_ref()),
    };
    let created = match (&sr.created, &view.clock) {
        (Some(crate::domain::Stamp::At(raw)), Some(clock)) => clock.local(raw),
        (stamp, _) => date(stamp.as_ref()),
    };
    let mut lines = vec![
        field_line(t, "Ticket number", &or_dash(sr.number.as_deref())),
        field_line(t, "Name", &or_dash(sr.id.as_deref())),
        field_line(t, "Status", &sr.status_text().unwrap_or_else(|| "—".into())),
        field_line(t, "Title", &or_dash(sr.title.as_deref())),
        field_line(t, "Severity", &sr.severity_text().unwrap_or_else(|| "—".into())),
        field_line(t, "Service", &or_dash(sr.topic.parent_name.as_deref())),
        field_line(t, "Problem", &or_dash(classification.as_deref())),
        field_line(t, "Created", &created),
        field_line(t, "Response due", &due),
        field_line(t, "Support plan", &or_dash(sr.support_plan.as_deref())),
        field_line(t, "Contact", &or_dash(Some(&contact.full_name()))),
        field_line(t, "  email", &or_dash(contact.email.as_deref())),
        field_line(t, "  phone", &or_dash(contact.phone.as_deref())),
    ];
    if sr.attachments.is_empty() {
        lines.push(field_line(t, "Attachments", "none"));
    } else {
        lines.push(field_line(
            t,
            "Attachments",
            &format!("{} uploaded", sr.attachments.len()),
        ));
        lines.extend(
            sr.attachments
                .iter()
                .map(|name| field_line(t, "", &or_dash(Some(name)))),
        );
    }
    if let Some(failed) = &view.upload_failed {
        lines.push(Line::default());
        lines.push(Line::from(Span::styled(
            format!(
                "✗ {} was not uploaded: {}",
                crate::text::one_line(&failed.name),
                crate::text::one_line(&failed.reason)
            ),
            style(t, Role::Error),
        )));
        lines.push(Line::from(Span::styled(
            "  The ticket is filed. To upload the file, run:",
            style(t, Role::Plain),
        )));
        lines.push(Line::from(Span::styled(
            format!("  {}", failed.command),
            style(t, Role::Focus),
        )));
    }
    lines
}

/// Draws the result screen.
pub fn draw(frame: &mut Frame, area: Rect, state: &State, view: &ResultView) {
    let t = state.theme;
    let sr = &view.request;
    if sr.service.capabilities().contact_profile {
        let mut lines = profile_lines(t, view);
        lines.push(Line::default());
        lines.push(Line::from(Span::styled(
            format!(
                "{} copies the ticket number · {} new ticket · {} history",
                state.keys.label(KeyCommand::CopyId, KeyScope::ResultOrDetails),
                state.keys.label(KeyCommand::NewRequest, KeyScope::Anywhere),
                state.keys.label(KeyCommand::History, KeyScope::Anywhere),
            ),
            style(t, Role::Dim),
        )));
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(style(t, Role::Good))
            .title(Span::styled(" ✓ Support ticket created ", style(t, Role::Good)));
        frame.render_widget(
            Paragraph::new(lines).block(block).wrap(Wrap { trim: false }),
            area,
        );
        return;
    }
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
