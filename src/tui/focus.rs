//! Which text box has the keyboard, and a handle on it: the editing keys, the paste and the
//! terminal cursor all go where this says.

use tui_textarea::TextArea;

use super::state::{Field, Screen, State};

/// A text box that can have the focus.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextTarget {
    /// The form's Title.
    Title,
    /// The form's Description (several lines).
    Description,
    /// The topic picker's fuzzy filter.
    TopicFilter,
    /// The history's text filter.
    HistoryFilter,
    /// The sign-in form's tenant.
    Tenant,
}

impl TextTarget {
    /// Whether the box holds several lines (Enter and Up/Down work inside it).
    pub fn multiline(self) -> bool {
        self == TextTarget::Description
    }
}

/// The text box keys go into right now, if any (none under an overlay or a question).
pub fn focused_text(state: &State) -> Option<TextTarget> {
    if state.help || state.messages_open || state.confirm.is_some() {
        return None;
    }
    match &state.screen {
        Screen::Form => match state.form.focus {
            Field::Title => Some(TextTarget::Title),
            Field::Description => Some(TextTarget::Description),
            Field::Topic => Some(TextTarget::TopicFilter),
            Field::Severity | Field::Submit => None,
        },
        Screen::History if state.history.filtering => Some(TextTarget::HistoryFilter),
        Screen::SignIn if state.signin.editing() => Some(TextTarget::Tenant),
        Screen::History | Screen::SignIn | Screen::Result(_) | Screen::Details(_) => None,
    }
}

/// The editor behind a text box.
pub fn text_area_mut(state: &mut State, target: TextTarget) -> &mut TextArea<'static> {
    match target {
        TextTarget::Title => &mut state.form.title,
        TextTarget::Description => &mut state.form.description,
        TextTarget::TopicFilter => state.topics.filter.area_mut(),
        TextTarget::HistoryFilter => state.history.filter.area_mut(),
        TextTarget::Tenant => state.signin.tenant.area_mut(),
    }
}
