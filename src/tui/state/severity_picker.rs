//! The severity picker over the details: the severities the ticket's service takes, its own
//! marked and highlighted; Enter asks the worker for the change. Plain data; `update` changes it.

use crate::domain::{Failure, Severity};
use crate::worker::Target;

/// The picker over the details screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SeverityPicker {
    /// The ticket.
    pub target: Target,
    /// How the ticket is named in messages: "ticket 2512030010000123" (the number people
    /// quote), else its id.
    pub name: String,
    /// The severities the service takes, in the form's order (most urgent first).
    pub choices: Vec<Severity>,
    /// The ticket's severity now (`None`: one this build does not know), marked in the list.
    pub current: Option<Severity>,
    /// The highlighted choice, an index into `choices`.
    pub highlight: usize,
    /// The severity asked of the worker, until it answers.
    pub sending: Option<Severity>,
    /// Why the last change failed; the choice stays highlighted for another try.
    pub error: Option<Failure>,
    /// Whether the ticket's contact has a phone number (`None`: its contact is not on hand).
    pub contact_has_phone: Option<bool>,
}

impl SeverityPicker {
    /// A picker for `target` with `current` highlighted (the first choice when it is not one).
    pub fn new(target: Target, name: String, choices: &[Severity], current: Option<Severity>) -> Self {
        let highlight = current
            .and_then(|c| choices.iter().position(|&s| s == c))
            .unwrap_or(0);
        SeverityPicker {
            target,
            name,
            choices: choices.to_vec(),
            current,
            highlight,
            sending: None,
            error: None,
            contact_has_phone: None,
        }
    }

    /// The highlighted severity.
    pub fn highlighted(&self) -> Option<Severity> {
        self.choices.get(self.highlight).copied()
    }

    /// Moves the highlight by `delta`, stopping at either end.
    pub fn step(&mut self, delta: isize) {
        let last = self.choices.len().saturating_sub(1);
        self.highlight = self.highlight.saturating_add_signed(delta).min(last);
    }
}
