//! Where bindings apply, and which of those places are active for a state.

use crate::tui::mode::{Mode, mode};
use crate::tui::state::topics::TopicsLoad;
use crate::tui::state::{FormField, State};

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
    /// The Attachments field.
    Attachments,
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
    /// The details of a ticket whose service lets its severity change.
    SeverityChange,
    /// The severity picker over the details.
    SeverityPicker,
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
    /// The Azure contact profile screen.
    ContactForm,
    /// Its "contact by" row (e-mail or phone).
    ContactMethod,
    /// The Azure subscription picker.
    SubscriptionPicker,
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
            KeyScope::Attachments => "Attachments",
            KeyScope::SubmitButton => "Submit",
            KeyScope::History => "history",
            KeyScope::HistoryFilter => "history filter",
            KeyScope::CustomerPrompt => "customer prompt",
            KeyScope::TemplatePicker => "templates",
            KeyScope::TextBox => "text boxes",
            KeyScope::ResultOrDetails => "result, details",
            KeyScope::Details | KeyScope::SeverityChange => "details",
            KeyScope::SeverityPicker => "severity picker",
            KeyScope::NoteBox => "note box",
            KeyScope::Help => "help",
            KeyScope::Confirm => "question",
            KeyScope::Scrollable => "details, help",
            KeyScope::SignInForm => "sign-in",
            KeyScope::SignInPrompt => "sign-in code",
            KeyScope::ContactForm => "contact profile",
            KeyScope::ContactMethod => "contact by",
            KeyScope::SubscriptionPicker => "subscriptions",
        }
    }
}

/// The scopes whose bindings apply right now.
pub fn active_scopes(state: &State) -> Vec<KeyScope> {
    mode_scopes(mode(state), state)
}

/// The scopes whose bindings apply in `mode` (the state adds only whether the topics failed,
/// and whether the ticket on the details screen can change its severity).
pub fn mode_scopes(mode: Mode, state: &State) -> Vec<KeyScope> {
    use KeyScope::*;
    let typing = if mode.text().is_some() {
        TextBox
    } else {
        OutsideText
    };
    let mut scopes = match mode {
        // A question takes every key until it is answered.
        Mode::Question | Mode::Consent => return vec![Anywhere, Confirm],
        Mode::Contact(row) if row.takes_text() => vec![ContactForm],
        Mode::Contact(_) => vec![ContactForm, ContactMethod],
        Mode::Help | Mode::Messages => vec![Help, Scrollable],
        Mode::Templates => vec![TemplatePicker],
        Mode::Subscriptions => vec![SubscriptionPicker],
        Mode::SeverityPicker => vec![SeverityPicker],
        Mode::Form(field) => {
            let mut scopes = vec![Form];
            match field {
                FormField::Title => scopes.push(Title),
                FormField::Description => scopes.push(Description),
                FormField::Severity => scopes.push(Severity),
                FormField::Topic => {
                    scopes.push(Topic);
                    if matches!(state.topics.load, TopicsLoad::Failed(_)) {
                        scopes.push(TopicError);
                    }
                }
                FormField::Attachments => scopes.push(Attachments),
                FormField::Submit => scopes.push(SubmitButton),
            }
            scopes
        }
        Mode::History => vec![History],
        Mode::HistoryFilter => vec![HistoryFilter],
        Mode::CustomerPrompt => vec![CustomerPrompt],
        Mode::Result => vec![ResultOrDetails],
        Mode::Details if state.can_change_severity() => {
            vec![ResultOrDetails, Details, Scrollable, SeverityChange]
        }
        Mode::Details => vec![ResultOrDetails, Details, Scrollable],
        Mode::NoteBox => vec![NoteBox],
        Mode::SignInForm => vec![SignInForm],
        Mode::SignInPrompt => vec![SignInPrompt],
    };
    scopes.splice(0..0, [Anywhere, typing]);
    scopes
}

/// Every set of scopes [`active_scopes`] can return: two bindings clash when some set holds both
/// their scopes. A test checks `active_scopes` against this list.
pub const CONTEXTS: &[&[KeyScope]] = {
    use KeyScope::*;
    &[
        &[Anywhere, Confirm],
        &[Anywhere, OutsideText, Help, Scrollable],
        &[Anywhere, TextBox, TemplatePicker],
        &[Anywhere, TextBox, SubscriptionPicker],
        &[Anywhere, OutsideText, SeverityPicker],
        &[Anywhere, TextBox, Form, Title],
        &[Anywhere, TextBox, Form, Description],
        &[Anywhere, OutsideText, Form, Severity],
        &[Anywhere, TextBox, Form, Topic],
        &[Anywhere, TextBox, Form, Topic, TopicError],
        &[Anywhere, TextBox, Form, Attachments],
        &[Anywhere, OutsideText, Form, SubmitButton],
        &[Anywhere, OutsideText, History],
        &[Anywhere, TextBox, HistoryFilter],
        &[Anywhere, TextBox, CustomerPrompt],
        &[Anywhere, OutsideText, ResultOrDetails],
        &[Anywhere, OutsideText, ResultOrDetails, Details, Scrollable],
        &[
            Anywhere,
            OutsideText,
            ResultOrDetails,
            Details,
            Scrollable,
            SeverityChange,
        ],
        &[Anywhere, TextBox, NoteBox],
        &[Anywhere, TextBox, SignInForm],
        &[Anywhere, OutsideText, SignInPrompt],
        &[Anywhere, TextBox, ContactForm],
        &[Anywhere, OutsideText, ContactForm, ContactMethod],
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
    use crate::tui::update::tests::state;

    /// The scopes of every mode, with the topics loaded and after they failed, and on the
    /// details of a ticket whose severity can change.
    fn every_set() -> Vec<(Mode, Vec<KeyScope>)> {
        let loaded = state();
        let mut failed = state();
        failed.topics.load = TopicsLoad::Failed("offline".into());
        let mut changeable = state();
        changeable.screen = crate::tui::state::Screen::Details(Box::new(crate::tui::state::DetailsView {
            fresh: Some(crate::domain::Ticket {
                service: crate::domain::Service::Azure,
                ..Default::default()
            }),
            ..Default::default()
        }));
        Mode::all()
            .into_iter()
            .flat_map(|m| [&loaded, &failed, &changeable].map(|s| (m, mode_scopes(m, s))))
            .collect()
    }

    fn same(a: &[KeyScope], b: &[KeyScope]) -> bool {
        a.len() == b.len() && a.iter().all(|x| b.contains(x))
    }

    /// `CONTEXTS` must list every set `active_scopes` returns, or a clash could hide in one; and
    /// only those, or bindings that never meet would be refused as clashing.
    #[test]
    fn contexts_are_exactly_the_sets_the_modes_give() {
        let sets = every_set();
        for (mode, active) in &sets {
            assert!(
                CONTEXTS.iter().any(|c| same(c, active)),
                "{active:?} ({mode:?}) is missing from CONTEXTS"
            );
        }
        for context in CONTEXTS {
            assert!(
                sets.iter().any(|(_, active)| same(context, active)),
                "no mode gives {context:?}"
            );
        }
    }

    /// A mode that types into a box is the one whose scopes say so.
    #[test]
    fn text_boxes_take_text_and_the_rest_take_keys() {
        for (mode, active) in every_set() {
            let typing = active.contains(&KeyScope::TextBox);
            assert_eq!(typing, mode.text().is_some(), "{mode:?}");
            if mode != Mode::Question && mode != Mode::Consent {
                assert_ne!(typing, active.contains(&KeyScope::OutsideText), "{mode:?}");
            }
        }
    }
}
