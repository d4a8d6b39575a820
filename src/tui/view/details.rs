//! One request in full: its facts, then the conversation (the description, then every note,
//! oldest first), and the note box when one is being written.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::history::state_label;
use super::result::party_lines;
use super::{Role, at, date, field_line, or_dash, style};
use crate::domain::{Stamp, Ticket};
use crate::text;
use crate::tui::focus::{TextTarget, focused_text};
use crate::tui::keys::{KeyCommand, KeyScope};
use crate::tui::state::{DetailsFocus, DetailsView, NoteBox, State, Theme, Viewport};

/// Draws the details screen; returns its page and furthest scroll.
pub fn draw(frame: &mut Frame, area: Rect, state: &State, view: &DetailsView) -> Viewport {
    let t = state.theme;
    let note = (view.focus == DetailsFocus::Note)
        .then(|| view.server_id())
        .flatten()
        .and_then(|id| state.notes.iter().find(|n| n.target.server_id == id));
    let (area, note_area) = match note {
        Some(_) => {
            let box_height = (area.height / 3).clamp(6, 12);
            let [top, bottom] =
                Layout::vertical([Constraint::Fill(1), Constraint::Length(box_height)]).areas(area);
            (top, Some(bottom))
        }
        None => (area, None),
    };
    let number = view.server().and_then(|sr| sr.number.clone());
    let name = number
        .map(|n| format!(" Ticket {} ", text::one_line(&n)))
        .or_else(|| {
            view.server_id()
                .map(|id| format!(" Request {} ", text::one_line(&id)))
        })
        .or_else(|| view.local_id.map(|id| format!(" Request #{id} (not created) ")))
        .unwrap_or_else(|| " Request ".into());
    // Offered where the ticket's service lets its severity change.
    let severity = if state.can_change_severity() {
        format!(
            "{} severity · ",
            state
                .keys
                .label(KeyCommand::ChangeSeverity, KeyScope::SeverityChange)
        )
    } else {
        String::new()
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(style(t, if note.is_some() { Role::Dim } else { Role::Focus }))
        .title(Span::styled(name, style(t, Role::Focus)))
        .title_bottom(Span::styled(
            format!(
                " {} note · {severity}{} close · {} copy id · {} refresh · {} back ",
                state.keys.label(KeyCommand::AddNote, KeyScope::Details),
                state.keys.label(KeyCommand::CloseRequest, KeyScope::Details),
                state.keys.label(KeyCommand::CopyId, KeyScope::ResultOrDetails),
                state.keys.label(KeyCommand::Refresh, KeyScope::Details),
                state.keys.label(KeyCommand::Back, KeyScope::Anywhere),
            ),
            style(t, Role::Dim),
        ));
    let inner = block.inner(area);
    let page = inner.height.max(1);
    if let (Some(note), Some(note_area)) = (note, note_area) {
        let typing = focused_text(state) == Some(TextTarget::Note) && !note.sending;
        draw_note(frame, note_area, state, note, typing);
    }
    if view.submission.is_none() && view.fresh.is_none() {
        frame.render_widget(Paragraph::new("Loading…").block(block), area);
        return Viewport { page, max_scroll: 0 };
    }
    let text = Paragraph::new(lines(t, view)).wrap(Wrap { trim: false });
    let rows = text.line_count(inner.width.max(1));
    let max_scroll = u16::try_from(rows).unwrap_or(u16::MAX).saturating_sub(page);
    let scroll = if view.at_end {
        max_scroll
    } else {
        view.scroll.min(max_scroll)
    };
    frame.render_widget(text.block(block).scroll((scroll, 0)), area);
    Viewport { page, max_scroll }
}

/// The note box: the text being written, and what became of its last send.
fn draw_note(frame: &mut Frame, area: Rect, state: &State, note: &NoteBox, typing: bool) {
    let t = state.theme;
    let status = if note.sending {
        " sending… ".to_string()
    } else if note.maybe_added {
        " kept: its last send may have arrived ".to_string()
    } else if note.error.is_some() {
        " kept: not sent ".to_string()
    } else {
        String::new()
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(style(
            t,
            if note.error.is_some() {
                Role::Error
            } else {
                Role::Focus
            },
        ))
        .title(Span::styled(
            format!(" New note to {} ", text::one_line(&note.target.server_id)),
            style(t, Role::Focus),
        ))
        .title(Span::styled(status, style(t, Role::Error)))
        .title_bottom(Span::styled(
            format!(
                " {} send · {} editor · {} close (kept) ",
                state.keys.label(KeyCommand::SendNote, KeyScope::NoteBox),
                state.keys.label(KeyCommand::OpenEditor, KeyScope::NoteBox),
                state.keys.label(KeyCommand::Back, KeyScope::Anywhere),
            ),
            style(t, Role::Dim),
        ));
    let inner = block.inner(area);
    frame.render_widget(block, area);
    super::textbox::draw(frame, inner, &note.text, typing);
}

/// The details' lines before wrapping.
fn lines(t: Theme, view: &DetailsView) -> Vec<Line<'static>> {
    let sub = view.submission.as_ref();
    let sr = view.server().cloned().unwrap_or_default();
    let mut lines = facts(t, view, &sr);
    if let Some(e) = sub.and_then(|s| s.last_error.as_ref()) {
        lines.push(Line::from(vec![
            Span::styled(format!("{:<16}", "Last error"), style(t, Role::Error)),
            Span::raw(text::one_line(e)),
        ]));
    }
    if sr.service.capabilities().contact_profile {
        // The filer's own profile: no organization on these tickets.
        let contact = sr.contact.clone().unwrap_or_default();
        lines.extend([
            field_line(t, "Contact", &or_dash(Some(&contact.full_name()))),
            field_line(t, "  email", &or_dash(contact.email.as_deref())),
            field_line(t, "  phone", &or_dash(contact.phone.as_deref())),
        ]);
    } else {
        lines.extend(party_lines(t, &sr));
    }
    lines.push(Line::default());
    lines.extend(conversation(t, view, &sr));
    lines
}

/// Status, severity, topic, dates, and what this machine knows of it.
fn facts(t: Theme, view: &DetailsView, sr: &Ticket) -> Vec<Line<'static>> {
    let sub = view.submission.as_ref();
    // What the service sent, even a status this build does not know.
    let status = sr.status_text().unwrap_or_else(|| "—".into());
    let topic_id = sr
        .topic
        .id
        .clone()
        .or_else(|| sub.map(|s| s.request.topic_id.clone()))
        .unwrap_or_default();
    let topic = match &sr.topic.name {
        Some(name) => format!("{name} ({topic_id})"),
        None => or_dash(Some(&topic_id)),
    };
    let title = sr
        .title
        .clone()
        .or_else(|| sub.map(|s| s.request.title.clone()))
        .unwrap_or_default();
    let severity = sr
        .severity_text()
        .or_else(|| {
            sub.and_then(|s| s.request.severity)
                .map(|s| s.label().to_string())
        })
        .unwrap_or_else(|| "—".into());
    let caps = sr.service.capabilities();
    let mut lines = Vec::new();
    if let Some(number) = &sr.number {
        lines.push(field_line(t, "Ticket number", number));
    }
    let id_label = if caps.client_named { "Name" } else { "Request id" };
    lines.extend([
        field_line(t, id_label, &or_dash(view.server_id().as_deref())),
        field_line(t, "Status", &status),
        field_line(t, "Title", &title),
        field_line(t, "Severity", &severity),
    ]);
    if let Some(service) = &sr.topic.parent_name {
        lines.push(field_line(t, "Service", service));
    }
    lines.extend([
        field_line(t, "Topic", &topic),
        field_line(t, "Created", &when(view, sr.created.as_ref())),
        field_line(t, "Last modified", &when(view, sr.modified.as_ref())),
    ]);
    if sr.response_due.is_some() {
        lines.push(field_line(
            t,
            "Response due",
            &due(view, sr.response_due.as_ref()),
        ));
    }
    if let Some(plan) = &sr.support_plan {
        lines.push(field_line(t, "Support plan", plan));
    }
    if let Some(closed) = sr.closed.as_ref().filter(|_| status == "Closed") {
        lines.push(field_line(t, "Closed", &when(view, Some(closed))));
    }
    if let Some(customer) = &view.customer {
        lines.push(field_line(t, "Customer", customer));
    }
    match sub {
        Some(sub) => {
            lines.push(field_line(
                t,
                "Sent from here",
                &view
                    .clock
                    .map_or_else(|| at(&sub.created_at), |c| c.local(&sub.created_at)),
            ));
            lines.push(field_line(t, "Local state", state_label(sub.state)));
            // A client-named service's key is the name, shown above.
            if !caps.client_named {
                lines.push(field_line(t, "MS-RequestId", &sub.request_id.to_string()));
            }
        }
        None => lines.push(field_line(t, "Sent from here", "no (filed elsewhere)")),
    }
    lines
}

/// The description as the opening message, then every note in order.
fn conversation(t: Theme, view: &DetailsView, sr: &Ticket) -> Vec<Line<'static>> {
    let notes = &sr.notes;
    let mut lines = vec![Line::from(Span::styled(
        format!(
            "Conversation: the description and {} note{}, oldest first",
            notes.len(),
            if notes.len() == 1 { "" } else { "s" }
        ),
        style(t, Role::Label),
    ))];
    let opener = sr
        .contact
        .as_ref()
        .map(|c| c.full_name())
        .filter(|n| !n.trim().is_empty())
        .unwrap_or_else(|| "You".into());
    let description = sr
        .description
        .clone()
        .or_else(|| view.submission.as_ref().map(|s| s.request.description.clone()))
        .unwrap_or_default();
    message(
        t,
        &mut lines,
        &opener,
        &when(view, sr.created.as_ref()),
        &description,
    );
    for note in notes {
        let from = match note.direction {
            crate::domain::Direction::Inbound => " (support)",
            crate::domain::Direction::Outbound => " (you)",
            crate::domain::Direction::Unknown => "",
        };
        let who = format!("{}{from}", or_dash(note.author.as_deref()));
        let body = match note.subject.as_deref().filter(|s| !s.trim().is_empty()) {
            Some(subject) => format!(
                "{}\n{}",
                text::one_line(subject),
                note.text.as_deref().unwrap_or("")
            ),
            None => note.text.clone().unwrap_or_default(),
        };
        message(t, &mut lines, &who, &when(view, note.created.as_ref()), &body);
    }
    lines
}

/// A date the service reported, in local time when the screen has a clock.
fn when(view: &DetailsView, value: Option<&Stamp>) -> String {
    match (value, view.clock) {
        (Some(Stamp::At(raw)), Some(clock)) => clock.local(raw),
        _ => date(value),
    }
}

/// A deadline: local time and how long until it, when the screen has a clock.
fn due(view: &DetailsView, value: Option<&Stamp>) -> String {
    match (value, view.clock) {
        (Some(Stamp::At(raw)), Some(clock)) => clock.deadline(raw),
        _ => date(value),
    }
}

/// One message of the conversation: who and when, then the text indented (wrapped by the view).
fn message(t: Theme, lines: &mut Vec<Line<'static>>, who: &str, when: &str, body: &str) {
    lines.push(Line::default());
    lines.push(Line::from(vec![
        Span::styled(format!("● {}", text::one_line(who)), style(t, Role::Focus)),
        Span::styled(format!("  {when}"), style(t, Role::Dim)),
    ]));
    let body = text::sanitize(body, true);
    if body.trim().is_empty() {
        lines.push(Line::from(Span::styled("  (empty)", style(t, Role::Dim))));
    }
    lines.extend(body.lines().map(|l| Line::from(format!("  {l}"))));
}
