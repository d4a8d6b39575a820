//! Where bindings apply, and which of those places are active for a state.

use crate::tui::state::{Field, Screen, State};
use crate::tui::topics::TopicsLoad;

/// Where a binding applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum KeyScope {
    /// Every screen, even while typing.
    Anywhere,
    /// Every screen, but not while the cursor is in a text field (there the key types).
    OutsideText,
    /// The request form.
    Form,
    /// The Title field.
    Title,
    /// The Description field.
    Description,
    /// The Severity picker.
    Severity,
    /// The Topic picker.
    Topic,
    /// The Topic picker after loading failed.
    TopicError,
    /// The Submit button.
    SubmitButton,
    /// The history list.
    History,
    /// Typing the history filter.
    HistoryFilter,
    /// Typing the customer tenant for the Partner Center list.
    CustomerPrompt,
    /// The template picker over the form.
    TemplatePicker,
    /// Any focused text box: Title, Description, the filters, the tenant, a note.
    TextBox,
    /// The result screen and request details.
    ResultOrDetails,
    /// Request details.
    Details,
    /// The note box over the details.
    NoteBox,
    /// The help overlay.
    Help,
    /// A yes/no question on screen (closing a request).
    Confirm,
    /// Text that scrolls by pages: request details and the help overlay.
    Scrollable,
    /// The sign-in form (cloud, tenant).
    SignInForm,
    /// The sign-in screen once a code is asked for or shown.
    SignInPrompt,
}

impl KeyScope {
    /// The "where" column of the help overlay.
    pub fn label(self) -> &'static str {
        match self {
            KeyScope::Anywhere | KeyScope::OutsideText => "anywhere",
            KeyScope::Form => "form",
            KeyScope::Title => "Title",
            KeyScope::Description => "Description",
            KeyScope::Severity => "Severity",
            KeyScope::Topic => "Topic",
            KeyScope::TopicError => "Topic (error)",
            KeyScope::SubmitButton => "Submit",
            KeyScope::History => "history",
            KeyScope::HistoryFilter => "history filter",
            KeyScope::CustomerPrompt => "customer prompt",
            KeyScope::TemplatePicker => "templates",
            KeyScope::TextBox => "text boxes",
            KeyScope::ResultOrDetails => "result, details",
            KeyScope::Details => "details",
            KeyScope::NoteBox => "note box",
            KeyScope::Help => "help",
            KeyScope::Confirm => "question",
            KeyScope::Scrollable => "details, help",
            KeyScope::SignInForm => "sign-in",
            KeyScope::SignInPrompt => "sign-in code",
        }
    }
}

/// The scopes whose bindings apply right now.
pub fn active_scopes(state: &State) -> Vec<KeyScope> {
    let mut scopes = vec![KeyScope::Anywhere];
    if state.in_text_field() {
        scopes.push(KeyScope::TextBox);
    } else {
        scopes.push(KeyScope::OutsideText);
    }
    if state.confirm.is_some() {
        // A question takes every key until it is answered.
        return vec![KeyScope::Anywhere, KeyScope::Confirm];
    }
    if state.picker.is_some() && !state.help && !state.messages_open {
        // The picker takes the keys until a template is chosen or Esc closes it.
        scopes.push(KeyScope::TemplatePicker);
        return scopes;
    }
    if state.help || state.messages_open {
        scopes.push(KeyScope::Help);
        scopes.push(KeyScope::Scrollable);
        return scopes;
    }
    match &state.screen {
        Screen::Form => {
            scopes.push(KeyScope::Form);
            match state.form.focus {
                Field::Title => scopes.push(KeyScope::Title),
                Field::Description => scopes.push(KeyScope::Description),
                Field::Severity => scopes.push(KeyScope::Severity),
                Field::Topic => {
                    scopes.push(KeyScope::Topic);
                    if matches!(state.topics.load, TopicsLoad::Failed(_)) {
                        scopes.push(KeyScope::TopicError);
                    }
                }
                Field::Submit => scopes.push(KeyScope::SubmitButton),
            }
        }
        Screen::History if !state.in_text_field() => scopes.push(KeyScope::History),
        Screen::History if state.history.service.asking_customer.is_some() => {
            scopes.push(KeyScope::CustomerPrompt)
        }
        Screen::History => scopes.push(KeyScope::HistoryFilter),
        Screen::Result(_) => scopes.push(KeyScope::ResultOrDetails),
        Screen::Details(_) if state.writing_note => scopes.push(KeyScope::NoteBox),
        Screen::Details(_) => {
            scopes.push(KeyScope::ResultOrDetails);
            scopes.push(KeyScope::Details);
            scopes.push(KeyScope::Scrollable);
        }
        Screen::SignIn if state.signin.editing() => scopes.push(KeyScope::SignInForm),
        Screen::SignIn => scopes.push(KeyScope::SignInPrompt),
    }
    scopes
}
