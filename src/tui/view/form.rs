//! The request form: Title, Description, Severity, Topic, Submit, and the server's error.

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Paragraph, Wrap};

use super::{Role, style, textbox, topics};
use crate::domain::TITLE_MAX_CHARS;
use crate::text;
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

/// The Attachments box: the path being typed, what a completion found, and the files added,
/// each with its size, or its upload's gauge while a submit sends it.
fn draw_attachments(frame: &mut Frame, area: Rect, state: &State) {
    let t = state.theme;
    let field = &state.form.attachments;
    let focused = state.form.focus == FormField::Attachments;
    let mut block = field_block(state, FormField::Attachments, "Attachments");
    let total: u64 = field.files.iter().map(|f| f.size).sum();
    let summary = match field.files.len() {
        0 => "none".to_string(),
        1 => format!("1 file, {}", size(total)),
        n => format!("{n} files, {}", size(total)),
    };
    block =
        block.title(Line::from(Span::styled(format!(" {summary} "), style(t, Role::Dim))).right_aligned());
    if let Some(why) = &field.error {
        block = block
            .border_style(style(t, Role::Error))
            .title_bottom(Span::styled(
                format!(" ✗ {} ", text::one_line(why)),
                style(t, Role::Error),
            ));
    } else if focused {
        let keys = format!(
            " {} add · {} complete · {} remove ",
            state.keys.label(KeyCommand::AddAttachment, KeyScope::Attachments),
            state.keys.label(KeyCommand::CompletePath, KeyScope::Attachments),
            state
                .keys
                .label(KeyCommand::RemoveAttachment, KeyScope::Attachments),
        );
        block = block.title_bottom(Line::from(Span::styled(keys, style(t, Role::Dim))).right_aligned());
    }
    let inner = block.inner(area);
    frame.render_widget(&block, area);
    if inner.height == 0 {
        return;
    }
    let typing = focused_text(state) == Some(TextTarget::AttachmentPath);
    let path_row = Rect { height: 1, ..inner };
    let placeholder = Span::styled(
        format!(
            "path of a file to attach ({} completes)",
            state.keys.label(KeyCommand::CompletePath, KeyScope::Attachments)
        ),
        style(t, Role::Dim),
    );
    textbox::draw_line(frame, path_row, &field.path, typing, Some(placeholder));
    let mut y = inner.y + 1;
    let bottom = inner.y + inner.height;
    if let Some(hint) = &field.hint
        && y < bottom
    {
        let row = Rect {
            y,
            height: 1,
            ..inner
        };
        frame.render_widget(
            Paragraph::new(Span::styled(text::one_line(hint), style(t, Role::Dim))),
            row,
        );
        y += 1;
    }
    let rows = usize::from(bottom.saturating_sub(y));
    if rows == 0 || field.files.is_empty() {
        return;
    }
    // The selected file stays in view.
    let first = field
        .selected
        .saturating_sub(rows - 1)
        .min(field.files.len().saturating_sub(rows));
    let width = usize::from(inner.width);
    for (i, file) in field.files.iter().enumerate().skip(first).take(rows) {
        let selected = focused && i == field.selected;
        let marker = if selected { "› " } else { "  " };
        let right = match file.sent {
            Some(sent) => gauge(sent, file.size),
            None => size(file.size),
        };
        let room = width.saturating_sub(marker.width() + right.width() + 1);
        let name = fit(&text::one_line(&file.name), room);
        let gap = width.saturating_sub(marker.width() + name.width() + right.width());
        let role = if selected { Role::Selected } else { Role::Plain };
        let line = Line::from(vec![
            Span::styled(format!("{marker}{name}"), style(t, role)),
            Span::raw(" ".repeat(gap)),
            Span::styled(
                right,
                style(
                    t,
                    if file.sent.is_some() {
                        Role::Focus
                    } else {
                        Role::Dim
                    },
                ),
            ),
        ]);
        frame.render_widget(
            Paragraph::new(line),
            Rect {
                y,
                height: 1,
                ..inner
            },
        );
        y += 1;
    }
}

fn size(bytes: u64) -> String {
    crate::domain::human_bytes(usize::try_from(bytes).unwrap_or(usize::MAX))
}

/// An upload's gauge: `[######----] 60%`.
fn gauge(sent: u64, total: u64) -> String {
    const WIDTH: u64 = 10;
    let filled = sent
        .saturating_mul(WIDTH)
        .checked_div(total)
        .unwrap_or(WIDTH)
        .min(WIDTH);
    let percent = sent
        .saturating_mul(100)
        .checked_div(total)
        .unwrap_or(100)
        .min(100);
    format!(
        "[{}{}] {percent:>3}%",
        "#".repeat(filled as usize),
        "-".repeat((WIDTH - filled) as usize)
    )
}

/// `name` cut to `width` columns with an ellipsis in the middle, so its extension still shows.
fn fit(name: &str, width: usize) -> String {
    if name.width() <= width {
        return name.to_string();
    }
    if width <= 1 {
        return "…".chars().take(width).collect();
    }
    let keep = width - 1;
    let tail: String = {
        let mut tail: Vec<char> = Vec::new();
        let mut w = 0;
        for c in name.chars().rev() {
            let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
            if w + cw > keep / 2 {
                break;
            }
            w += cw;
            tail.push(c);
        }
        tail.into_iter().rev().collect()
    };
    let mut head = String::new();
    let mut w = 0;
    for c in name.chars() {
        let cw = unicode_width::UnicodeWidthChar::width(c).unwrap_or(0);
        if w + cw > keep - tail.width() {
            break;
        }
        w += cw;
        head.push(c);
    }
    format!("{head}…{tail}")
}

/// Draws the form.
pub fn draw(frame: &mut Frame, area: Rect, state: &State) {
    let t = state.theme;
    let form = &state.form;
    let f = layout::form_for(area, form);

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
    if let Some(area) = f.attachments {
        draw_attachments(frame, area, state);
    }

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
