//! Who has the keyboard. The overlays are one stack on the state (the last is on top) and each
//! screen keeps its own focus; [`mode`] reads the two and is the only answer: the key scopes,
//! the focused text box, Esc and the hint line all ask it, and the view draws the stack in
//! order, so what is on top is also what takes the keys and what Esc closes (gitui's popup
//! stack, television's `Mode`).

use super::focus::TextTarget;
use super::state::contact::ContactRow;
use super::state::severity_picker::SeverityPicker;
use super::state::subscription_picker::SubscriptionPicker;
use super::state::template_picker::TemplatePicker;
use super::state::{Confirm, DetailsFocus, FormField, HistoryFocus, Screen, State};

/// A layer over the screen. Each holds what it needs, so closing it forgets it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Overlay {
    /// The key list.
    Help {
        /// Lines scrolled down.
        scroll: u16,
    },
    /// The recent messages in full.
    Messages {
        /// Lines scrolled down.
        scroll: u16,
    },
    /// The template picker over the form.
    Templates(Box<TemplatePicker>),
    /// A yes/no question, asked on the message line; it takes every key until answered.
    Question(Confirm),
    /// The Azure contact profile screen (its typing is kept in `State::azure`).
    Contact,
    /// May support collect advanced diagnostic information? Asked once, before an Azure submit.
    Consent,
    /// The Azure subscription picker.
    Subscriptions(Box<SubscriptionPicker>),
    /// The severity picker over the details.
    Severity(Box<SeverityPicker>),
}

impl Overlay {
    /// Who has the keyboard while this overlay is on top.
    pub fn mode(&self) -> Mode {
        match self {
            Overlay::Help { .. } => Mode::Help,
            Overlay::Messages { .. } => Mode::Messages,
            Overlay::Templates(_) => Mode::Templates,
            Overlay::Question(_) => Mode::Question,
            Overlay::Contact => Mode::Contact(ContactRow::FirstName),
            Overlay::Consent => Mode::Consent,
            Overlay::Subscriptions(_) => Mode::Subscriptions,
            Overlay::Severity(_) => Mode::SeverityPicker,
        }
    }
}

/// Where the keys go.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// The help overlay.
    Help,
    /// The messages overlay.
    Messages,
    /// The template picker (its filter takes the typing).
    Templates,
    /// A yes/no question.
    Question,
    /// A row of the contact profile screen.
    Contact(ContactRow),
    /// The consent question.
    Consent,
    /// The subscription picker (its filter takes the typing).
    Subscriptions,
    /// The severity picker over the details.
    SeverityPicker,
    /// A field of the form.
    Form(FormField),
    /// The history list.
    History,
    /// The history's text filter.
    HistoryFilter,
    /// The customer tenant prompt of the Partner Center list.
    CustomerPrompt,
    /// The result of a submit.
    Result,
    /// A request's details, read.
    Details,
    /// The note box under the details.
    NoteBox,
    /// The sign-in form (cloud, tenant).
    SignInForm,
    /// The sign-in screen once a code is asked for or shown.
    SignInPrompt,
}

impl Mode {
    /// Every mode, for tests that must cover them all.
    #[cfg(test)]
    pub fn all() -> Vec<Mode> {
        use Mode::*;
        let mut all = vec![
            Help,
            Messages,
            Templates,
            Question,
            Consent,
            Subscriptions,
            SeverityPicker,
        ];
        all.extend(ContactRow::ORDER.map(Contact));
        all.extend(FormField::ORDER.map(Form));
        all.extend([
            History,
            HistoryFilter,
            CustomerPrompt,
            Result,
            Details,
            NoteBox,
            SignInForm,
            SignInPrompt,
        ]);
        all
    }

    /// The text box that takes the typing in this mode, if any.
    pub fn text(self) -> Option<TextTarget> {
        match self {
            Mode::Templates => Some(TextTarget::TemplateQuery),
            Mode::Subscriptions => Some(TextTarget::SubscriptionQuery),
            Mode::Form(FormField::Title) => Some(TextTarget::Title),
            Mode::Form(FormField::Description) => Some(TextTarget::Description),
            Mode::Form(FormField::Topic) => Some(TextTarget::TopicFilter),
            Mode::Form(FormField::Attachments) => Some(TextTarget::AttachmentPath),
            Mode::HistoryFilter => Some(TextTarget::HistoryFilter),
            Mode::CustomerPrompt => Some(TextTarget::Customer),
            Mode::NoteBox => Some(TextTarget::Note),
            Mode::SignInForm => Some(TextTarget::Tenant),
            Mode::Contact(row) if row.takes_text() => Some(TextTarget::Contact),
            Mode::Help
            | Mode::Messages
            | Mode::Question
            | Mode::Contact(_)
            | Mode::Consent
            | Mode::SeverityPicker
            | Mode::Form(FormField::Severity | FormField::Submit)
            | Mode::History
            | Mode::Result
            | Mode::Details
            | Mode::SignInPrompt => None,
        }
    }
}

/// Who has the keyboard now: the top overlay, else the screen's focus.
pub fn mode(state: &State) -> Mode {
    match state.overlays.last() {
        // The row focused is kept with the typing.
        Some(Overlay::Contact) => Mode::Contact(
            state
                .azure
                .screen
                .as_ref()
                .map_or(ContactRow::FirstName, |s| s.focus),
        ),
        Some(top) => top.mode(),
        None => screen_mode(state),
    }
}

/// The screen's own focus, whatever lies over it.
fn screen_mode(state: &State) -> Mode {
    match &state.screen {
        Screen::Form => Mode::Form(state.form.focus),
        Screen::History => match state.history.focus {
            HistoryFocus::List => Mode::History,
            HistoryFocus::Filter => Mode::HistoryFilter,
            HistoryFocus::Customer(_) => Mode::CustomerPrompt,
        },
        Screen::Result(_) => Mode::Result,
        Screen::Details(d) => match d.focus {
            DetailsFocus::Reading => Mode::Details,
            DetailsFocus::Note => Mode::NoteBox,
        },
        Screen::SignIn if state.signin.editing() => Mode::SignInForm,
        Screen::SignIn => Mode::SignInPrompt,
    }
}
