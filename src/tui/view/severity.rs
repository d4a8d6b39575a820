//! The severity picker over the details: the service's severities, the ticket's own marked ●
//! and the highlighted one ▸ (and reversed); under them what is being sent, or why the last change
//! was refused and what to do next.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::{Role, style};
use crate::text;
use crate::tui::keys::{KeyCommand, KeyScope};
use crate::tui::state::State;
use crate::tui::state::severity_picker::SeverityPicker;

/// Draws the picker centred over `area`.
pub fn draw(frame: &mut Frame, area: Rect, state: &State, picker: &SeverityPicker) {
    let t = state.theme;
    let note = note(state, picker);
    let width = area.width.saturating_sub(4).min(64);
    // The note gets the lines it wraps to, within what the area leaves.
    let note_rows = note.as_ref().map_or(0, |(text, _)| {
        let wrapped = Paragraph::new(text.as_str()).wrap(Wrap { trim: true });
        u16::try_from(wrapped.line_count(width.saturating_sub(2).max(1))).unwrap_or(u16::MAX)
    });
    let list_rows = u16::try_from(picker.choices.len()).unwrap_or(u16::MAX);
    // Borders, a line naming the ticket, a gap, the list, then the note.
    let height = (2 + 2 + list_rows + note_rows).min(area.height.saturating_sub(2));
    let popup = super::centred(area, width, height);
    let title = if picker.sending.is_some() {
        " Severity: sending… "
    } else {
        " Severity "
    };
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(style(t, Role::Focus))
        .title(Span::styled(title, style(t, Role::Focus)))
        .title_bottom(Span::styled(
            format!(
                " {} move · {} change · {} keep ",
                state.keys.first_label(KeyCommand::Down, KeyScope::SeverityPicker),
                state
                    .keys
                    .label(KeyCommand::ChooseSeverity, KeyScope::SeverityPicker),
                state.keys.label(KeyCommand::Back, KeyScope::Anywhere),
            ),
            style(t, Role::Dim),
        ));
    let inner = block.inner(popup);
    frame.render_widget(Clear, popup);
    frame.render_widget(block, popup);
    let [heading, _, list, below] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(list_rows),
        Constraint::Fill(1),
    ])
    .areas(inner);
    let now = picker.current.map_or("one this app does not know", |s| s.label());
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(
                format!("Change {} ", text::one_line(&picker.name)),
                style(t, Role::Label),
            ),
            Span::styled(format!("(now {now})"), style(t, Role::Dim)),
        ])),
        heading,
    );
    let lines: Vec<Line> = picker
        .choices
        .iter()
        .enumerate()
        .map(|(i, &severity)| {
            let now = Some(severity) == picker.current;
            // Marked in text too, not by colour alone: ▸ the highlight, ● the ticket's own.
            let text = format!(
                "{}{} {}{}",
                if i == picker.highlight { "▸" } else { " " },
                if now { "●" } else { " " },
                severity.label(),
                if now { "  (now)" } else { "" }
            );
            let role = if i == picker.highlight {
                Role::Selected
            } else {
                Role::Plain
            };
            Line::from(Span::styled(
                format!("{text:<w$}", w = usize::from(list.width)),
                style(t, role),
            ))
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), list);
    if let Some((text, role)) = note {
        frame.render_widget(
            Paragraph::new(Span::styled(text, style(t, role))).wrap(Wrap { trim: true }),
            below,
        );
    }
}

/// Under the list: the change on its way, or the last refusal and what to do.
fn note(state: &State, picker: &SeverityPicker) -> Option<(String, Role)> {
    if let Some(asked) = picker.sending {
        return Some((
            format!("Changing to {} on the service…", asked.label()),
            Role::Dim,
        ));
    }
    let failure = picker.error.as_ref()?;
    let mut what = text::one_line(failure.summary.trim_end_matches('.'));
    if let Some(words) = failure.description.as_deref().filter(|d| !d.trim().is_empty()) {
        what.push_str(": ");
        what.push_str(text::one_line(words).trim_end_matches('.'));
    }
    Some((
        format!(
            "Not changed: {what}. {}",
            crate::tui::error_view::severity_next_step(&failure.remedy, &state.keys, state.header.service)
        ),
        Role::Error,
    ))
}
