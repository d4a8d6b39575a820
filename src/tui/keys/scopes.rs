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

/// Every set of scopes [`active_scopes`] can return: two bindings clash when some set holds both
/// their scopes. A test checks `active_scopes` against this list.
pub const CONTEXTS: &[&[KeyScope]] = {
    use KeyScope::*;
    &[
        &[Anywhere, Confirm],
        &[Anywhere, OutsideText, Help, Scrollable],
        &[Anywhere, OutsideText, TemplatePicker],
        &[Anywhere, TextBox, TemplatePicker],
        &[Anywhere, TextBox, Form, Title],
        &[Anywhere, TextBox, Form, Description],
        &[Anywhere, OutsideText, Form, Severity],
        &[Anywhere, TextBox, Form, Topic],
        &[Anywhere, TextBox, Form, Topic, TopicError],
        &[Anywhere, OutsideText, Form, SubmitButton],
        &[Anywhere, OutsideText, History],
        &[Anywhere, TextBox, HistoryFilter],
        &[Anywhere, TextBox, CustomerPrompt],
        &[Anywhere],
        &[Anywhere, OutsideText, ResultOrDetails],
        &[Anywhere, OutsideText, ResultOrDetails, Details, Scrollable],
        &[Anywhere, TextBox, NoteBox],
        &[Anywhere, TextBox, SignInForm],
        &[Anywhere, OutsideText, SignInPrompt],
    ]
};

/// Whether two scopes can be active at the same time.
pub fn overlap(a: KeyScope, b: KeyScope) -> bool {
    CONTEXTS.iter().any(|c| c.contains(&a) && c.contains(&b))
}

/// Whether typing goes into a text field wherever this scope is active, so a plain character
/// bound there would type instead of act (or steal the character from the field).
pub fn takes_text(scope: KeyScope) -> bool {
    // Outside text fields `OutsideText` is active; a question on screen takes no text either.
    let typing = |c: &[KeyScope]| !c.contains(&KeyScope::OutsideText) && !c.contains(&KeyScope::Confirm);
    CONTEXTS.iter().any(|c| typing(c) && c.contains(&scope))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::tui::signin::Phase;
    use crate::tui::state::{Confirm, DetailsView};
    use crate::tui::update::tests::state;

    /// `CONTEXTS` must list every set `active_scopes` returns, or a clash could hide in one.
    #[test]
    fn contexts_list_every_set_of_active_scopes() {
        let mut states = Vec::new();
        for field in Field::ORDER {
            let mut s = state();
            s.form.set_focus(field);
            states.push(s.clone());
            s.topics.load = TopicsLoad::Failed("offline".into());
            states.push(s);
        }
        for screen in [
            Screen::History,
            Screen::Details(Box::new(DetailsView::local(1))),
            Screen::SignIn,
        ] {
            let mut s = state();
            s.screen = screen;
            states.push(s.clone());
            let mut help = s.clone();
            help.help = true;
            states.push(help);
            let mut asking = s.clone();
            asking.confirm = Some(Confirm::Close(crate::worker::Target {
                local_id: Some(1),
                server_id: "1".into(),
                customer: None,
            }));
            states.push(asking);
            let mut typing = s.clone();
            typing.history.filtering = true;
            typing.writing_note = true;
            states.push(typing);
            let mut customer = s.clone();
            customer.history.service.asking_customer = Some(crate::tui::textbox::LineBox::new(""));
            states.push(customer);
            let mut code = s;
            code.signin.phase = Phase::Starting;
            states.push(code);
        }
        let mut result = state();
        result.screen = Screen::Result(Box::new(crate::tui::state::ResultView {
            request: crate::domain::Ticket::default(),
            request_id: uuid::Uuid::nil(),
            topic_name: None,
        }));
        states.push(result);
        for s in &states {
            let active = active_scopes(s);
            let same = |c: &&[KeyScope]| c.len() == active.len() && active.iter().all(|a| c.contains(a));
            assert!(
                CONTEXTS.iter().any(same),
                "{active:?} (screen {:?}) is missing from CONTEXTS",
                std::mem::discriminant(&s.screen)
            );
        }
    }
}
