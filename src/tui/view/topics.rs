//! The topic picker inside the form.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::form::field_block;
use super::status_bar::spinner;
use super::{Role, style, textbox};
use crate::text;
use crate::tui::focus::{TextTarget, focused_text};
use crate::tui::keys::{KeyCommand, KeyScope};
use crate::tui::layout;
use crate::tui::state::topics::TopicsLoad;
use crate::tui::state::{FormField, State};
use crate::tui::textbox::EditOp;

fn retry_key(state: &State) -> String {
    state.keys.label(KeyCommand::RetryTopics, KeyScope::TopicError)
}

/// Draws the topic box.
pub fn draw(frame: &mut Frame, area: Rect, state: &State) {
    let t = state.theme;
    let topics = &state.topics;
    let focused = state.form.focus == FormField::Topic;
    let mut block = field_block(state, FormField::Topic, "Topic");
    let status = match &topics.load {
        TopicsLoad::Loading => Some(Span::styled(
            format!(" {} loading ", spinner(state.frame)),
            style(t, Role::Dim),
        )),
        TopicsLoad::Refreshing => Some(Span::styled(
            format!(" {} refreshing ", spinner(state.frame)),
            style(t, Role::Dim),
        )),
        TopicsLoad::Failed(_) => Some(Span::styled(
            format!(" load failed: {} retries ", retry_key(state)),
            style(t, Role::Error),
        )),
        TopicsLoad::Ready => Some(Span::styled(
            match topics.branches_pending() {
                Some((done, of)) => format!(" classifications: {done} of {of} services loaded "),
                None => format!(" {} topics ", topics.all.len()),
            },
            style(t, Role::Dim),
        )),
    };
    if let Some(s) = status {
        block = block.title(Line::from(s).right_aligned());
    }
    let inner = block.inner(area);
    frame.render_widget(block, area);
    let l = layout::topic(inner);

    let hint = Span::styled(
        if focused {
            format!(
                "type to filter, {}/{} to choose",
                state.keys.label(KeyCommand::Up, KeyScope::Topic),
                state.keys.label(KeyCommand::Down, KeyScope::Topic)
            )
        } else {
            format!(
                "{} here to choose a topic",
                state.keys.label(KeyCommand::NextField, KeyScope::Form)
            )
        },
        style(t, Role::Dim),
    );
    let [label, field] = Layout::horizontal([Constraint::Length(8), Constraint::Fill(1)]).areas(l.filter);
    frame.render_widget(Span::styled("Filter: ", style(t, Role::Label)), label);
    let typing = focused_text(state) == Some(TextTarget::TopicFilter);
    textbox::draw_line(frame, field, &topics.filter, typing, Some(hint));

    if topics.all.is_empty() {
        let msg = match &topics.load {
            TopicsLoad::Failed(why) => Line::from(vec![
                Span::styled("Could not load topics: ", style(t, Role::Error)),
                Span::raw(text::one_line(why)),
                Span::styled(
                    format!(" Press {} (in this field) to retry.", retry_key(state)),
                    style(t, Role::Dim),
                ),
            ]),
            _ => Line::from(Span::styled(
                format!("{} Loading topics…", spinner(state.frame)),
                style(t, Role::Dim),
            )),
        };
        frame.render_widget(
            Paragraph::new(msg).wrap(Wrap { trim: true }),
            l.list.union(l.detail),
        );
        return;
    }
    if topics.list.matches.is_empty() {
        let msg = format!(
            "No topic matches \"{}\"; {} widens the search.",
            text::one_line(topics.filter.text()),
            state
                .keys
                .first_label(KeyCommand::Edit(EditOp::DeleteBack), KeyScope::TextBox)
        );
        frame.render_widget(
            Paragraph::new(Span::styled(msg, style(t, Role::Dim))).wrap(Wrap { trim: true }),
            l.list,
        );
        return;
    }

    let height = l.list.height as usize;
    let first = topics.list.first_visible(height);
    let chosen = state.form.topic_id.as_deref();
    let lines: Vec<Line> = topics
        .list
        .matches
        .iter()
        .enumerate()
        .skip(first)
        .take(height)
        .map(|(pos, &i)| {
            let topic = &topics.all[i];
            let id = topic.id.to_string();
            let mark = if chosen == Some(id.as_str()) { "✓ " } else { "  " };
            let text = format!("{mark}{}", text::one_line(&topic.path()));
            if focused && pos == topics.list.highlight {
                Line::from(Span::styled(
                    format!("{text:<width$}", width = l.list.width as usize),
                    style(t, Role::Selected),
                ))
            } else {
                Line::from(text)
            }
        })
        .collect();
    frame.render_widget(Paragraph::new(lines), l.list);

    let shown = if focused {
        topics.highlighted()
    } else {
        chosen.and_then(|id| topics.by_id(id))
    };
    if let Some(topic) = shown {
        let about = topic
            .description
            .as_deref()
            .map(text::one_line)
            .unwrap_or_default();
        let line = Line::from(vec![
            Span::styled(
                format!("{} ({}): ", text::one_line(&topic.name), topic.id),
                style(t, Role::Label),
            ),
            Span::styled(about, style(t, Role::Dim)),
        ]);
        frame.render_widget(Paragraph::new(line).wrap(Wrap { trim: true }), l.detail);
    }
}
