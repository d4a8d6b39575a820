//! The template picker over the form: a filter box, the matching templates, and what the
//! highlighted one fills in.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::{Role, style, textbox};
use crate::text;
use crate::tui::focus::{TextTarget, focused_text};
use crate::tui::keys::{KeyCommand, KeyScope};
use crate::tui::state::State;
use crate::tui::state::template_picker::TemplatePicker;

/// Draws the picker centred over `area`.
pub fn draw(frame: &mut Frame, area: Rect, state: &State, picker: &TemplatePicker) {
    let t = state.theme;
    let width = area.width.saturating_sub(4).min(80);
    let height = area.height.saturating_sub(2).min(16);
    let popup = super::centred(area, width, height);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(style(t, Role::Focus))
        .title(Span::styled(" Templates ", style(t, Role::Focus)))
        .title_bottom(Span::styled(
            format!(
                " {} fills empty fields · {} closes ",
                state
                    .keys
                    .label(KeyCommand::ChooseTemplate, KeyScope::TemplatePicker),
                state.keys.label(KeyCommand::Back, KeyScope::Anywhere)
            ),
            style(t, Role::Dim),
        ));
    let inner = block.inner(popup);
    frame.render_widget(Clear, popup);
    frame.render_widget(block, popup);
    let [query, list, detail] =
        Layout::vertical([Constraint::Length(1), Constraint::Fill(1), Constraint::Length(3)]).areas(inner);
    let [label, field] = Layout::horizontal([Constraint::Length(8), Constraint::Fill(1)]).areas(query);
    frame.render_widget(Span::styled("Filter: ", style(t, Role::Label)), label);
    let typing = focused_text(state) == Some(TextTarget::TemplateQuery);
    textbox::draw_line(frame, field, &picker.query, typing, None);

    if picker.loading {
        frame.render_widget(
            Span::styled("Reading the templates folder…", style(t, Role::Dim)),
            list,
        );
        return;
    }
    if picker.all.is_empty() {
        let msg = "No templates: put NAME.md files in the templates folder beside config.toml \
                   (optional front matter: title, severity, topic; then the description).";
        frame.render_widget(
            Paragraph::new(Span::styled(msg, style(t, Role::Dim))).wrap(Wrap { trim: true }),
            list,
        );
        return;
    }
    let height = usize::from(list.height);
    let first = picker.list.first_visible(height);
    let lines: Vec<Line> = picker
        .list
        .matches
        .iter()
        .enumerate()
        .skip(first)
        .take(height)
        .map(|(pos, &i)| {
            let tpl = &picker.all[i];
            let text = format!(
                "{}  {}",
                text::one_line(&tpl.name),
                text::one_line(tpl.title.as_deref().unwrap_or(""))
            );
            let role = if pos == picker.list.highlight {
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
    if let Some(tpl) = picker.highlighted() {
        let about = format!(
            "title: {} · severity: {} · topic: {} · {} description lines",
            tpl.title.as_deref().map_or("—".into(), text::one_line),
            tpl.severity.map_or("—", |s| s.label()),
            tpl.topic.as_deref().map_or("—".into(), text::one_line),
            tpl.body.lines().count()
        );
        frame.render_widget(
            Paragraph::new(Span::styled(about, style(t, Role::Dim))).wrap(Wrap { trim: true }),
            detail,
        );
    }
}
