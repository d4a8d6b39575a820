//! Drawing. Every view takes `&State` and only draws; nothing here changes state.

pub mod contact;
pub mod details;
pub mod form;
pub mod help;
pub mod history;
pub mod messages;
pub mod palette;
pub mod requests;
pub mod result;
mod rows;
pub mod severity;
pub mod signin;
pub mod status_bar;
pub mod subscriptions;
mod table;
pub mod templates;
pub mod textbox;
pub mod topics;

use ratatui::Frame;
use ratatui::layout::{Alignment, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Paragraph, Wrap};

use super::keys::{KeyCommand, KeyScope};
use super::layout;
use super::mode::Overlay;
use super::state::message;
use super::state::{MIN_SIZE, Screen, State, Theme, Viewport};
use crate::domain::Stamp;
use crate::text;
pub use palette::{Role, style};

/// Draws the whole app; returns what it showed of the scrolled text, for `update`.
pub fn draw(frame: &mut Frame, state: &State) -> Viewport {
    let area = frame.area();
    if !state.fits() {
        too_small(frame, area, state);
        return Viewport::default();
    }
    let mut viewport = Viewport::default();
    let root = layout::root(area, message::height(state, area.width));
    status_bar::draw_status(frame, root.status, state);
    match &state.screen {
        Screen::Form => form::draw(frame, root.main, state),
        Screen::Result(r) => result::draw(frame, root.main, state, r),
        Screen::History => history::draw(frame, root.main, state),
        Screen::Details(d) => viewport = details::draw(frame, root.main, state, d),
        Screen::SignIn => signin::draw(frame, root.main, state),
    }
    status_bar::draw_message(frame, root.message, state);
    status_bar::draw_hints(frame, root.hints, state);
    // Bottom to top, so the overlay that has the keyboard is the one seen.
    for overlay in &state.overlays {
        match overlay {
            Overlay::Help { scroll } => viewport = help::draw(frame, root.main, state, *scroll),
            Overlay::Messages { scroll } => viewport = messages::draw(frame, root.main, state, *scroll),
            Overlay::Templates(picker) => templates::draw(frame, root.main, state, picker),
            // Asked on the message line, drawn above with it (`message::current`).
            Overlay::Question(_) => {}
            Overlay::Contact => contact::draw(frame, root.main, state),
            Overlay::Consent => contact::draw_consent(frame, root.main, state),
            Overlay::Subscriptions(picker) => subscriptions::draw(frame, root.main, state, picker),
            Overlay::Severity(picker) => severity::draw(frame, root.main, state, picker),
        }
    }
    viewport
}

fn too_small(frame: &mut Frame, area: Rect, state: &State) {
    let lines = vec![
        Line::from(Span::styled(
            "Terminal too small",
            style(state.theme, Role::Error),
        )),
        Line::from(format!(
            "This window is {}x{}; pcsr-tui needs at least {}x{}.",
            area.width, area.height, MIN_SIZE.0, MIN_SIZE.1
        )),
        Line::from("Enlarge the window or use a smaller font. Your draft is kept."),
        Line::from(format!(
            "{} quits.",
            state.keys.label(KeyCommand::Quit, KeyScope::Anywhere)
        )),
    ];
    let top = area.height.saturating_sub(lines.len() as u16) / 2;
    let inner = Rect {
        y: area.y + top,
        height: area.height - top,
        ..area
    };
    frame.render_widget(
        Paragraph::new(lines)
            .alignment(Alignment::Center)
            .wrap(Wrap { trim: true }),
        inner,
    );
}

/// A label/value line for the result and details screens; the value is sanitized.
pub fn field_line(theme: Theme, label: &str, value: &str) -> Line<'static> {
    Line::from(vec![
        Span::styled(format!("{label:<16}"), style(theme, Role::Label)),
        Span::raw(text::one_line(value)),
    ])
}

/// A `width` x `height` box in the middle of `area`: where pickers and help float.
pub fn centred(area: Rect, width: u16, height: u16) -> Rect {
    use ratatui::layout::{Constraint, Flex, Layout};
    let [row] = Layout::vertical([Constraint::Length(height)])
        .flex(Flex::Center)
        .areas(area);
    let [popup] = Layout::horizontal([Constraint::Length(width)])
        .flex(Flex::Center)
        .areas(row);
    popup
}

/// A date the service reported, for display; an unset one reads as such.
pub fn date(value: Option<&Stamp>) -> String {
    match value {
        None => "not reported".into(),
        Some(Stamp::Unset) => "not set by the service".into(),
        Some(Stamp::At(d)) => at(d),
    }
}

/// A timestamp (the service's or the store's) for display.
pub fn at(value: &str) -> String {
    text::one_line(value).replacen('T', " ", 1)
}

/// The dash shown for a missing value.
pub fn or_dash(value: Option<&str>) -> String {
    value
        .filter(|v| !v.trim().is_empty())
        .map(text::one_line)
        .unwrap_or_else(|| "—".into())
}

#[cfg(test)]
mod cursor_tests;
#[cfg(test)]
mod follow_render_tests;
#[cfg(test)]
mod render_tests;
#[cfg(test)]
mod severity_render_tests;
#[cfg(test)]
mod small_tests;
#[cfg(test)]
mod theme_tests;
