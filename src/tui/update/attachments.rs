//! The form's Attachments field: a path typed and completed, each file checked when it is
//! added (the run loop looks at the disk; this only reads its answers), removed, and the
//! progress of its upload after a submit.

use std::path::{Path, PathBuf};

use super::form;
use crate::text;
use crate::tui::action::Effect;
use crate::tui::keys::{KeyCommand, KeyScope};
use crate::tui::runtime::paths::Completion;
use crate::tui::state::{AttachedPath, FormField, State};

/// Most matches a hint lists by name; the rest are counted.
const LISTED_MATCHES: usize = 12;

/// Tab: completes the path typed; with nothing typed, the next field (so Tab still walks the form).
pub(super) fn complete(state: &mut State, fx: &mut Vec<Effect>) {
    let typed = state.form.attachments.path.text().to_string();
    if typed.is_empty() {
        let next = state.form.next_field();
        state.form.set_focus(next);
        return;
    }
    fx.push(Effect::CompletePath(typed));
}

/// The directory was read: the box takes what all matches share; when nothing could be added
/// and several match, a first Tab says how many and the next one lists them.
pub(super) fn completed(state: &mut State, typed: &str, completion: Completion) {
    let field = &mut state.form.attachments;
    // Typing went on while the directory was read: this answer is for a path no longer there.
    if field.path.text() != typed {
        return;
    }
    field.error = None;
    if completion.text != typed {
        field.path.set_text(&completion.text);
        field.hint = None;
        field.stuck = None;
        return;
    }
    let again = field.stuck.as_deref() == Some(typed);
    field.hint = Some(match completion.matches.len() {
        0 => "nothing here starts with that".to_string(),
        1 => "the only match".to_string(),
        n if again => {
            let mut listed = completion.matches[..n.min(LISTED_MATCHES)].join("  ");
            if n > LISTED_MATCHES {
                listed.push_str(&format!("  … {} more", n - LISTED_MATCHES));
            }
            text::one_line(&listed)
        }
        n => format!(
            "{n} matches: {} again lists them",
            state.keys.label(KeyCommand::CompletePath, KeyScope::Attachments)
        ),
    });
    field.stuck = (completion.matches.len() > 1).then(|| typed.to_string());
}

/// Enter: asks the run loop to look at the file typed.
pub(super) fn add(state: &mut State, fx: &mut Vec<Effect>) {
    let typed = state.form.attachments.path.text().trim().to_string();
    if typed.is_empty() {
        state.form.attachments.error = Some("type the path of a file to attach".into());
        return;
    }
    fx.push(Effect::CheckAttachment(typed));
}

/// The file was looked at: added, or refused with the reason (the path stays in the box).
pub(super) fn checked(state: &mut State, typed: &str, result: Result<(PathBuf, u64), String>) {
    let field = &mut state.form.attachments;
    if field.path.text().trim() != typed {
        return;
    }
    field.hint = None;
    field.stuck = None;
    let (path, size) = match result {
        Ok(found) => found,
        Err(why) => {
            field.error = Some(why);
            return;
        }
    };
    let name = crate::attachments::file_name(&path);
    if field.files.iter().any(|f| f.path == path) {
        field.error = Some(format!("{} is attached already", text::one_line(&name)));
        return;
    }
    // Two files of one name would meet in the ticket's workspace, where names are unique.
    if let Some(same) = field.files.iter().find(|f| f.name == name) {
        field.error = Some(format!(
            "a file named {} is attached already (from {}); rename one",
            text::one_line(&name),
            text::one_line(&same.path.display().to_string())
        ));
        return;
    }
    field.error = None;
    field.files.push(AttachedPath {
        path,
        name: name.clone(),
        size,
        sent: None,
    });
    field.selected = field.files.len() - 1;
    field.path.set_text("");
    form::changed(state, FormField::Attachments);
    state.info(format!(
        "{} ({}) will be attached when the ticket is filed",
        text::one_line(&name),
        crate::domain::human_bytes(usize::try_from(size).unwrap_or(usize::MAX))
    ));
}

/// The remove key: the selected file leaves the list.
pub(super) fn remove(state: &mut State) {
    if state.busy.is_some() {
        state.info("The files are being sent with the ticket; remove one after it is filed");
        return;
    }
    let field = &mut state.form.attachments;
    if field.files.is_empty() {
        state.info("No file is attached");
        return;
    }
    let i = field.selected.min(field.files.len() - 1);
    let gone = field.files.remove(i);
    field.selected = i.min(field.files.len().saturating_sub(1));
    form::changed(state, FormField::Attachments);
    state.info(format!("{} will not be attached", text::one_line(&gone.name)));
}

/// Up/Down: moves the selection among the files.
pub(super) fn step(state: &mut State, delta: isize) {
    let field = &mut state.form.attachments;
    let len = field.files.len() as isize;
    if len > 0 {
        field.selected = (field.selected as isize + delta).clamp(0, len - 1) as usize;
    }
}

/// Typing in the box: what was said about the last path no longer holds.
pub(super) fn typed(state: &mut State) {
    let field = &mut state.form.attachments;
    field.error = None;
    field.hint = None;
    field.stuck = None;
}

/// The worker's progress on one file's upload.
pub(super) fn uploading(state: &mut State, path: &Path, sent: u64, total: u64) {
    let files = &mut state.form.attachments.files;
    let Some(i) = files.iter().position(|f| f.path == path) else {
        return;
    };
    files[i].sent = Some(sent.min(total));
    let (count, name) = (files.len(), files[i].name.clone());
    if let Some(busy) = &mut state.busy {
        busy.what = format!("Uploading {} ({} of {count})", text::one_line(&name), i + 1);
        busy.filed = true;
    }
}
