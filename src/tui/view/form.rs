//! The request form: Title, Description, Severity, Topic, Submit, and the server's error.

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::{Role, style, textbox, topics};
use crate::domain::TITLE_MAX_CHARS;
use crate::tui::focus::{TextTarget, focused_text};
use crate::tui::keys::{KeyCommand, KeyScope};
use crate::tui::layout;
use crate::tui::state::{FormField, State};
use unicode_width::UnicodeWidthStr;

/// A field's box: focused, in error, or plain, with the error as its bottom title.
pub fn field_block(state: &State, field: FormField, title: &str) -> Block<'static> {
    let t = state.theme;
    let focused = state.form.focus == field;
    let error = state.form.error_for(field);
    let border = match (error.is_some(), focused) {
        (true, _) => style(t, Role::Error),
        (false, true) => style(t, Role::Focus),
        (false, false) => style(t, Role::Dim),
    };
    let marker = if focused { "▶ " } else { "" };
    let mut block = Block::default()
        .borders(Borders::ALL)
        .border_style(border)
        .title(Span::styled(
            format!(" {marker}{title} "),
            if focused {
                style(t, Role::Focus)
            } else {
                style(t, Role::Plain)
            },
        ));
    if let Some(e) = error {
        block = block.title_bottom(Span::styled(format!(" ✗ {} ", e.message), style(t, Role::Error)));
    }
    block
}

/// Draws the form.
pub fn draw(frame: &mut Frame, area: Rect, state: &State) {
    let t = state.theme;
    let form = &state.form;
    let f = layout::form(area, layout::form_error_lines(form));

    let count = form.title_text().chars().count();
    let counter_role = if count > TITLE_MAX_CHARS {
        Role::Error
    } else {
        Role::Dim
    };
    let title_block = field_block(state, FormField::Title, "Title").title(
        Line::from(Span::styled(
            format!(" {count}/{TITLE_MAX_CHARS} "),
            style(t, counter_role),
        ))
        .right_aligned(),
    );
    frame.render_widget(&title_block, f.title);
    let typing = focused_text(state);
    let title_inner = title_block.inner(f.title);
    textbox::draw(frame, title_inner, &form.title, typing == Some(TextTarget::Title));

    let mut desc_block = field_block(state, FormField::Description, "Description");
    if form.focus == FormField::Description {
        desc_block = desc_block.title(
            Line::from(Span::styled(
                format!(
                    " {} editor ",
                    state.keys.label(KeyCommand::OpenEditor, KeyScope::Description)
                ),
                style(t, Role::Dim),
            ))
            .right_aligned(),
        );
    }
    frame.render_widget(&desc_block, f.description);
    let inner = desc_block.inner(f.description);
    textbox::draw(
        frame,
        inner,
        &form.description,
        typing == Some(TextTarget::Description),
    );

    let sev_block = field_block(state, FormField::Severity, "Severity");
    // Azure's four severities do not fit a narrow form with their marks and whole names: the
    // marks go first, then the names shrink to their first word ("Highest critical impact"
    // reads as "Highest"). The chosen one stays marked in every form.
    let hint = format!(
        "pick {}/{}",
        state.keys.first_label(KeyCommand::Left, KeyScope::Severity),
        state.keys.first_label(KeyCommand::Right, KeyScope::Severity)
    );
    let hint_width = if form.severity.is_none() { hint.width() } else { 0 };
    let inner = usize::from(f.severity.width.saturating_sub(2)).saturating_sub(hint_width);
    let choices = |marks: bool, short: bool| -> Vec<String> {
        form.severities()
            .iter()
            .map(|&s| {
                let chosen = form.severity == Some(s);
                let label = if short {
                    s.label().split(' ').next().unwrap_or(s.label())
                } else {
                    s.label()
                };
                match (marks, chosen) {
                    (true, true) => format!("(•) {label}"),
                    (true, false) => format!("( ) {label}"),
                    (false, true) => format!("•{label}"),
                    (false, false) => format!(" {label}"),
                }
            })
            .collect()
    };
    let width = |c: &[String]| c.iter().map(|l| l.width() + 2).sum::<usize>();
    let labels = [(true, false), (false, false), (false, true)]
        .into_iter()
        .map(|(marks, short)| choices(marks, short))
        .find(|c| width(c) <= inner)
        .unwrap_or_else(|| choices(false, true));
    let mut spans = Vec::new();
    for (&s, label) in form.severities().iter().zip(labels) {
        let role = if form.severity == Some(s) {
            Role::Focus
        } else {
            Role::Plain
        };
        spans.push(Span::styled(label, style(t, role)));
        spans.push(Span::raw("  "));
    }
    if form.severity.is_none() {
        spans.push(Span::styled(hint, style(t, Role::Dim)));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)).block(sev_block), f.severity);

    topics::draw(frame, f.topic, state);

    let focused = form.focus == FormField::Submit;
    let submit = state.keys.label(KeyCommand::Submit, KeyScope::Form);
    let label = if focused {
        format!(
            "▶ [ Submit ]  {} or {submit}",
            state.keys.label(KeyCommand::Submit, KeyScope::SubmitButton)
        )
    } else {
        format!("[ Submit ]  {submit}")
    };
    let role = if focused { Role::Selected } else { Role::Focus };
    frame.render_widget(
        Paragraph::new(Span::styled(label, style(t, role))).alignment(Alignment::Center),
        f.submit,
    );

    if let (Some(area), Some(e)) = (f.error, &form.submit_error) {
        let lines: Vec<Line> = crate::tui::error_view::rows(e, &state.keys)
            .into_iter()
            .map(|(label, value)| {
                Line::from(vec![
                    Span::styled(format!("{label:<17}"), style(t, Role::Label)),
                    Span::raw(value),
                ])
            })
            .collect();
        let block = Block::default()
            .borders(Borders::ALL)
            .border_style(style(t, Role::Error))
            .title(Span::styled(
                " Submit failed: your input is kept ",
                style(t, Role::Error),
            ))
            .title_bottom(Span::styled(
                format!(
                    " {} dismisses ",
                    state.keys.label(KeyCommand::Back, KeyScope::Anywhere)
                ),
                style(t, Role::Dim),
            ));
        frame.render_widget(Paragraph::new(lines).block(block).wrap(Wrap { trim: true }), area);
    }
}
