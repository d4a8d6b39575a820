//! The Azure subscription picker: a filter box, "No subscription (tenant level)" and the
//! subscriptions the sign-in sees (name, id, state; the one in use marked), and below them
//! what is still being read or why the list could not be read, with what to do next.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Block, Borders, Clear, Paragraph, Wrap};

use super::{Role, style, textbox};
use crate::domain::{Failure, Remedy};
use crate::text;
use crate::tui::focus::{TextTarget, focused_text};
use crate::tui::keys::{KeyCommand, KeyScope};
use crate::tui::state::State;
use crate::tui::state::subscription_picker::{SubscriptionPicker, SubscriptionsLoad, TENANT_LEVEL};

/// A GUID's width.
const ID: usize = 36;
/// The state column ("Disabled" and a gap).
const STATE: usize = 10;

/// Draws the picker centred over `area`.
pub fn draw(frame: &mut Frame, area: Rect, state: &State, picker: &SubscriptionPicker) {
    let t = state.theme;
    let width = area.width.saturating_sub(4).min(96);
    let height = area.height.saturating_sub(2).min(18);
    let popup = super::centred(area, width, height);
    let block = Block::default()
        .borders(Borders::ALL)
        .border_style(style(t, Role::Focus))
        .title(Span::styled(" Azure subscription ", style(t, Role::Focus)))
        .title_bottom(Span::styled(
            format!(
                " {} files new tickets there · {} reads again · {} closes ",
                state
                    .keys
                    .label(KeyCommand::ChooseSubscription, KeyScope::SubscriptionPicker),
                state.keys.label(KeyCommand::PickSubscription, KeyScope::Anywhere),
                state.keys.label(KeyCommand::Back, KeyScope::Anywhere)
            ),
            style(t, Role::Dim),
        ));
    let inner = block.inner(popup);
    frame.render_widget(Clear, popup);
    frame.render_widget(block, popup);
    let note = note(state, picker);
    // The note under the list gets the lines it wraps to, at most half the popup.
    let note_height = note.as_ref().map_or(0, |(text, _)| {
        let per_line = usize::from(inner.width.max(1));
        (text.chars().count().div_ceil(per_line) as u16 + 1).min(inner.height / 2)
    });
    let [query, heading, list, below] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Fill(1),
        Constraint::Length(note_height),
    ])
    .areas(inner);
    let [label, field] = Layout::horizontal([Constraint::Length(8), Constraint::Fill(1)]).areas(query);
    frame.render_widget(Span::styled("Filter: ", style(t, Role::Label)), label);
    let typing = focused_text(state) == Some(TextTarget::SubscriptionQuery);
    textbox::draw_line(
        frame,
        field,
        &picker.query,
        typing,
        Some(Span::styled("type a name or an id", style(t, Role::Dim))),
    );

    // Mark, name, gap, id, gap, state.
    let name_width = usize::from(inner.width).saturating_sub(2 + 2 + ID + 2 + STATE);
    frame.render_widget(
        Span::styled(
            format!("  {:<name_width$}  {:<ID$}  {}", "NAME", "SUBSCRIPTION", "STATE"),
            style(t, Role::Label),
        ),
        heading,
    );
    let rows = usize::from(list.height);
    let first = picker.list.first_visible(rows);
    let lines: Vec<Line> = picker
        .list
        .matches
        .iter()
        .enumerate()
        .skip(first)
        .take(rows)
        .map(|(pos, &i)| {
            let mark = if picker.is_current(i) { "● " } else { "  " };
            let text = match picker.entry(i) {
                Some(Some(s)) => format!(
                    "{mark}{:<name_width$}  {:<ID$}  {}",
                    fit(&text::one_line(&s.name), name_width),
                    s.id,
                    fit(&text::one_line(s.state.as_deref().unwrap_or("")), STATE)
                ),
                _ => format!("{mark}{TENANT_LEVEL}"),
            };
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
    if lines.is_empty() {
        frame.render_widget(
            Span::styled("Nothing matches the filter.", style(t, Role::Dim)),
            list,
        );
    } else {
        frame.render_widget(Paragraph::new(lines), list);
    }
    if let Some((text, role)) = note {
        frame.render_widget(
            Paragraph::new(Span::styled(text, style(t, role))).wrap(Wrap { trim: true }),
            below,
        );
    }
}

/// What the list's state adds under it: still reading, nothing there, or why and what next.
fn note(state: &State, picker: &SubscriptionPicker) -> Option<(String, Role)> {
    match &picker.load {
        SubscriptionsLoad::Loading => Some((
            "Reading the subscriptions this sign-in can see…".into(),
            Role::Dim,
        )),
        SubscriptionsLoad::Loaded(all) if all.is_empty() => Some((
            "This sign-in sees no subscriptions: tickets can be filed at tenant level only.".into(),
            Role::Dim,
        )),
        SubscriptionsLoad::Loaded(_) => None,
        SubscriptionsLoad::Failed(failure) => Some((failed(state, failure), Role::Error)),
    }
}

/// Why the list could not be read, and what to do. The sign-in key of the app signs in to
/// Partner Center, so an Azure sign-in is pointed at the command that makes one.
fn failed(state: &State, failure: &Failure) -> String {
    let retry = state.keys.label(KeyCommand::PickSubscription, KeyScope::Anywhere);
    let what = text::one_line(failure.summary.trim_end_matches('.'));
    let next = match &failure.remedy {
        Remedy::SignIn | Remedy::SignInThenResend => {
            "Sign in for Azure: quit, run `pcsr-tui login --backend azure`, and start again (or set PCSR_TOKEN)."
                .to_string()
        }
        remedy => crate::tui::error_view::remedy_text(remedy, &state.keys),
    };
    format!(
        "Could not read the subscriptions: {what}. {next} {retry} tries again; tenant level works without one."
    )
}

/// `s` cut to `width` columns with an ellipsis.
fn fit(s: &str, width: usize) -> String {
    if s.chars().count() <= width {
        return s.to_string();
    }
    let mut out: String = s.chars().take(width.saturating_sub(1)).collect();
    out.push('…');
    out
}
