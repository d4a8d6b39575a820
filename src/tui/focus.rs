//! Which text box has the keyboard, and a handle on it: the editing keys, the paste and the
//! terminal cursor all go where this says.

use tui_textarea::TextArea;

use super::mode::mode;
use super::state::note::NoteBox;
use super::state::{HistoryFocus, Screen, State};

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
    /// The customer tenant prompt of the Partner Center list.
    Customer,
    /// The note box over the details.
    Note,
    /// The template picker's filter.
    TemplateQuery,
    /// The focused row of the contact profile screen.
    Contact,
    /// The subscription picker's filter.
    SubscriptionQuery,
    /// The path being typed in the form's Attachments field.
    AttachmentPath,
}

impl TextTarget {
    /// Whether the box holds several lines (Enter and Up/Down work inside it).
    pub fn multiline(self) -> bool {
        matches!(self, TextTarget::Description | TextTarget::Note)
    }
}

/// The text box keys go into right now, if any (none under an overlay but the picker's, nor
/// under a question).
pub fn focused_text(state: &State) -> Option<TextTarget> {
    mode(state).text()
}

/// The editor behind a text box; `None` while it cannot be edited (a note being sent).
pub fn text_area_mut(state: &mut State, target: TextTarget) -> Option<&mut TextArea<'static>> {
    match target {
        TextTarget::Title => Some(&mut state.form.title),
        TextTarget::Description => Some(&mut state.form.description),
        TextTarget::TopicFilter => Some(state.topics.filter.area_mut()),
        TextTarget::AttachmentPath => Some(state.form.attachments.path.area_mut()),
        TextTarget::HistoryFilter => Some(state.history.filter.area_mut()),
        TextTarget::Tenant => Some(state.signin.tenant.area_mut()),
        TextTarget::Customer => match &mut state.history.focus {
            HistoryFocus::Customer(typed) => Some(typed.area_mut()),
            _ => None,
        },
        TextTarget::TemplateQuery => state.picker_mut().map(|p| p.query.area_mut()),
        TextTarget::SubscriptionQuery => state.subscription_picker_mut().map(|p| p.query.area_mut()),
        TextTarget::Contact => state
            .azure
            .screen
            .as_mut()
            .and_then(|s| {
                let row = s.focus;
                s.text_box_mut(row)
            })
            .map(|b| b.area_mut()),
        TextTarget::Note => current_note(state).filter(|n| !n.sending).map(|n| &mut n.text),
    }
}

/// The note box for the request on the details screen, if one was started.
pub fn current_note(state: &mut State) -> Option<&mut NoteBox> {
    let Screen::Details(d) = &state.screen else {
        return None;
    };
    let server_id = d.server_id()?;
    state.notes.iter_mut().find(|n| n.target.server_id == server_id)
}
