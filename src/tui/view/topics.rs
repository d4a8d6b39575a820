//! The topic picker inside the form.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::form::field_block;
use super::status_bar::spinner;
use super::{Role, style, textbox};
use crate::domain::Topic;
use crate::text;
use crate::tui::focus::{TextTarget, focused_text};
use crate::tui::fuzzy;
use crate::tui::keys::{KeyCommand, KeyScope};
use crate::tui::layout;
use crate::tui::state::topics::{Entry, TopicsLoad};
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
    let title = match topics.opened() {
        Some(service) => format!("Topic › {}", text::one_line(&service.name)),
        None => "Topic".to_string(),
    };
    let mut block = field_block(state, FormField::Topic, &title);
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
                // The title names the service opened: the count would cover it.
                _ if topics.browse.is_some() => String::new(),
                Some((done, 0, of)) => format!(" classifications: {done} of {of} services loaded "),
                Some((done, failed, of)) => format!(
                    " classifications: {done} of {of} services loaded, {failed} failed: open one to retry "
                ),
                None if !topics.parents.is_empty() => {
                    format!(" {} in {} services ", topics.all.len(), topics.parents.len())
                }
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

    let browse = |command| state.keys.first_label(command, KeyScope::TextBox);
    let hint = Span::styled(
        if focused && topics.browse.is_some() {
            format!(
                "type to filter, {} back to the services",
                browse(KeyCommand::Edit(EditOp::CharLeft))
            )
        } else if focused && !topics.parents.is_empty() {
            format!(
                "type to search all, {} opens a service",
                browse(KeyCommand::Edit(EditOp::CharRight))
            )
        } else if focused {
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

    let shown_list = topics.shown();
    if topics.all.is_empty() && topics.parents.is_empty() {
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
    if shown_list.matches.is_empty() {
        let opened = topics.browse.as_deref();
        let msg = match opened {
            Some(id) if topics.filter.text().is_empty() => match topics.failed.get(id) {
                Some(why) => format!(
                    "Its classifications did not load: {}. {} opens it again to retry.",
                    text::one_line(why),
                    browse(KeyCommand::Edit(EditOp::CharRight))
                ),
                None if !topics.branches.contains_key(id) => {
                    format!("{} Loading its classifications…", spinner(state.frame))
                }
                None => "This service has no classifications.".to_string(),
            },
            _ => format!(
                "No topic matches \"{}\"; {} widens the search.",
                text::one_line(topics.filter.text()),
                state
                    .keys
                    .first_label(KeyCommand::Edit(EditOp::DeleteBack), KeyScope::TextBox)
            ),
        };
        frame.render_widget(
            Paragraph::new(Span::styled(msg, style(t, Role::Dim))).wrap(Wrap { trim: true }),
            l.list,
        );
        return;
    }

    let height = l.list.height as usize;
    let first = shown_list.first_visible(height);
    let chosen = state.form.topic_id.as_deref();
    let mut marks = fuzzy::Highlighter::new(topics.filter.text());
    let width = l.list.width as usize;
    let lines: Vec<Line> = (first..shown_list.matches.len().min(first + height))
        .filter_map(|pos| {
            let entry = topics.entry(pos)?;
            let topic = topics.topic(entry)?;
            let selected = focused && pos == shown_list.highlight;
            Some(row(state, topic, entry, chosen, &mut marks, selected, width))
        })
        .collect();
    super::rows::draw(&lines, l.list, frame.buffer_mut());

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
                format!("{} ({}): ", text::one_line(&topic.path()), topic.id),
                style(t, Role::Label),
            ),
            Span::styled(about, style(t, Role::Dim)),
        ]);
        frame.render_widget(Paragraph::new(line).wrap(Wrap { trim: true }), l.detail);
    }
}

/// One row of the list: a mark, the text with the filter's letters picked out, and for a
/// service how many classifications it has (or that they are still coming).
fn row<'a>(
    state: &State,
    topic: &'a Topic,
    entry: Entry,
    chosen: Option<&str>,
    marks: &mut fuzzy::Highlighter,
    selected: bool,
    width: usize,
) -> Line<'a> {
    let t = state.theme;
    let topics = &state.topics;
    let mark = match entry {
        _ if chosen == Some(topic.id.as_str()) => "✓ ",
        Entry::Suggested(_) => "★ ",
        _ => "  ",
    };
    let label = match entry {
        Entry::Suggested(_) => topic.path(),
        // Inside an opened service its name is on the title.
        Entry::Topic(_) if topics.browse.is_some() => topic.name.clone(),
        _ => topic.path(),
    };
    let label = text::one_line(&label);
    let tail = match entry {
        Entry::Parent(_) => match topics.branch_size(&topic.id) {
            Some(n) => format!("  › {n}"),
            None if topics.failed.contains_key(&topic.id) => "  › failed".into(),
            None => "  › …".into(),
        },
        _ => String::new(),
    };
    let (plain, hit) = if selected {
        (
            style(t, Role::Selected),
            style(t, Role::Selected).add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
        )
    } else {
        (
            Style::default(),
            style(t, Role::Focus).add_modifier(Modifier::BOLD),
        )
    };
    let mut spans = vec![Span::styled(mark, plain)];
    let at = marks.positions(&label);
    if at.is_empty() {
        spans.push(Span::styled(label.clone(), plain));
    } else {
        // Runs of matched and unmatched characters, so a row is a handful of spans.
        let mut run = String::new();
        let mut run_hit = false;
        let mut next = at.iter().peekable();
        for (i, c) in label.chars().enumerate() {
            let is_hit = next.peek() == Some(&&i);
            if is_hit {
                next.next();
            }
            if is_hit != run_hit && !run.is_empty() {
                spans.push(Span::styled(
                    std::mem::take(&mut run),
                    if run_hit { hit } else { plain },
                ));
            }
            run_hit = is_hit;
            run.push(c);
        }
        if !run.is_empty() {
            spans.push(Span::styled(run, if run_hit { hit } else { plain }));
        }
    }
    spans.push(Span::styled(
        tail.clone(),
        if selected { plain } else { style(t, Role::Dim) },
    ));
    if selected {
        let used = mark.chars().count() + label.chars().count() + tail.chars().count();
        spans.push(Span::styled(" ".repeat(width.saturating_sub(used)), plain));
    }
    Line::from(spans)
}
