//! The names of commands in config.toml's `[keys]`: snake_case of [`KeyCommand`].

use super::{BINDINGS, KeyCommand};
use crate::tui::textbox::EditOp;

impl KeyCommand {
    /// The command's name in `[keys]`, e.g. `submit`, `new_request`.
    pub fn name(self) -> &'static str {
        match self {
            KeyCommand::NextField => "next_field",
            KeyCommand::PrevField => "prev_field",
            KeyCommand::Submit => "submit",
            KeyCommand::PickTopic => "pick_topic",
            KeyCommand::CompletePath => "complete_path",
            KeyCommand::AddAttachment => "add_attachment",
            KeyCommand::RemoveAttachment => "remove_attachment",
            KeyCommand::CloseRequest => "close_request",
            KeyCommand::ChangeSeverity => "change_severity",
            KeyCommand::ChooseSeverity => "choose_severity",
            KeyCommand::ConfirmYes => "confirm_yes",
            KeyCommand::ConfirmNo => "confirm_no",
            KeyCommand::NewLine => "new_line",
            KeyCommand::OpenEditor => "open_editor",
            KeyCommand::History => "history",
            KeyCommand::NewRequest => "new_request",
            KeyCommand::Help => "help",
            KeyCommand::Up => "up",
            KeyCommand::Down => "down",
            KeyCommand::Left => "left",
            KeyCommand::Right => "right",
            KeyCommand::PageUp => "page_up",
            KeyCommand::PageDown => "page_down",
            KeyCommand::First => "first",
            KeyCommand::Last => "last",
            KeyCommand::Open => "open",
            KeyCommand::Refresh => "refresh",
            KeyCommand::Filter => "filter",
            KeyCommand::CopyId => "copy_id",
            KeyCommand::RetryTopics => "retry_topics",
            KeyCommand::SignIn => "sign_in",
            KeyCommand::PrevCloud => "prev_cloud",
            KeyCommand::NextCloud => "next_cloud",
            KeyCommand::Edit(EditOp::CharLeft) => "char_left",
            KeyCommand::Edit(EditOp::CharRight) => "char_right",
            KeyCommand::Edit(EditOp::WordLeft) => "word_left",
            KeyCommand::Edit(EditOp::WordRight) => "word_right",
            KeyCommand::Edit(EditOp::LineStart) => "line_start",
            KeyCommand::Edit(EditOp::LineEnd) => "line_end",
            KeyCommand::Edit(EditOp::LineUp) => "line_up",
            KeyCommand::Edit(EditOp::LineDown) => "line_down",
            KeyCommand::Edit(EditOp::DeleteBack) => "delete_back",
            KeyCommand::Edit(EditOp::DeleteForward) => "delete_forward",
            KeyCommand::Edit(EditOp::DeleteWordBack) => "delete_word_back",
            KeyCommand::Edit(EditOp::DeleteWordForward) => "delete_word_forward",
            KeyCommand::Edit(EditOp::DeleteToStart) => "delete_to_start",
            KeyCommand::Edit(EditOp::DeleteToEnd) => "delete_to_end",
            KeyCommand::Edit(EditOp::Undo) => "undo",
            KeyCommand::Edit(EditOp::Redo) => "redo",
            KeyCommand::KeepFilter => "keep_filter",
            KeyCommand::ApplyCustomer => "apply_customer",
            KeyCommand::PickTemplate => "pick_template",
            KeyCommand::ChooseTemplate => "choose_template",
            KeyCommand::Messages => "messages",
            KeyCommand::OpenBrowser => "open_browser",
            KeyCommand::StartSignIn => "start_sign_in",
            KeyCommand::CopyCode => "copy_code",
            KeyCommand::CancelSignIn => "cancel_sign_in",
            KeyCommand::SwitchSource => "switch_source",
            KeyCommand::CustomerScope => "customer_scope",
            KeyCommand::AddNote => "add_note",
            KeyCommand::SendNote => "send_note",
            KeyCommand::ContactProfile => "contact_profile",
            KeyCommand::SaveContact => "save_contact",
            KeyCommand::PickSubscription => "pick_subscription",
            KeyCommand::ChooseSubscription => "choose_subscription",
            KeyCommand::SwitchService => "switch_service",
            KeyCommand::Back => "back",
            KeyCommand::Quit => "quit",
        }
    }

    /// The command named `name` in `[keys]`, if the key table has it.
    pub fn from_name(name: &str) -> Option<KeyCommand> {
        BINDINGS.iter().map(|b| b.command).find(|c| c.name() == name)
    }

    /// Every command name `[keys]` accepts, in key-table order, without repeats.
    pub fn names() -> Vec<&'static str> {
        let mut out: Vec<&'static str> = Vec::new();
        for b in BINDINGS {
            if !out.contains(&b.command.name()) {
                out.push(b.command.name());
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bound_command_has_a_unique_name_that_reads_back() {
        let names = KeyCommand::names();
        for b in BINDINGS {
            assert_eq!(KeyCommand::from_name(b.command.name()), Some(b.command));
        }
        let mut sorted = names.clone();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), names.len(), "names repeat: {names:?}");
        assert!(names.contains(&"submit") && names.contains(&"new_request"));
        assert_eq!(KeyCommand::from_name("Submit"), None, "names are snake_case");
    }
}
