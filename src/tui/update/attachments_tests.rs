//! The Attachments field driven by keys, without a terminal: the disk reads the run loop does
//! off the UI thread are carried out here on a temporary directory and answered as it would.

use std::path::{Path, PathBuf};

use ratatui::crossterm::event::KeyCode;

use super::tests::{ctrl, fill, press, state, type_text};
use super::*;
use crate::domain::Service;
use crate::tui::runtime::paths;

/// An Azure form, filled, with the focus on Attachments.
fn azure_state() -> State {
    let mut s = state();
    s.form.service = Service::Azure;
    fill(&mut s);
    s.form.severity = Some(crate::domain::Severity::Moderate);
    s.azure.contact = Some(crate::domain::Contact {
        first_name: "Avery".into(),
        last_name: "Sandbox".into(),
        email: "avery@contoso.example".into(),
        additional_emails: vec![],
        phone: String::new(),
        method: crate::domain::ContactMethod::Email,
        time_zone: "Pacific Standard Time".into(),
        country: "USA".into(),
        language: "en-US".into(),
    });
    s.azure.consent = Some(true);
    press(&mut s, KeyCode::BackTab);
    assert_eq!(s.form.focus, FormField::Attachments, "Shift+Tab from Submit");
    s
}

/// Carries out the file effects as the run loop does, and answers `update`.
fn run_files(s: &mut State, effects: Vec<Effect>) {
    for e in effects {
        let action = match e {
            Effect::CheckAttachment(typed) => Action::AttachmentChecked {
                result: paths::check(&typed, None),
                typed,
            },
            Effect::CompletePath(typed) => Action::PathCompleted {
                completion: paths::complete(&typed, None),
                typed,
            },
            _ => continue,
        };
        update(s, action);
    }
}

fn key(s: &mut State, code: KeyCode) {
    let fx = press(s, code);
    run_files(s, fx);
}

fn typed(s: &mut State, text: &str) {
    let fx = type_text(s, text);
    run_files(s, fx);
}

/// Adds `path` by typing it and pressing Enter.
fn add(s: &mut State, path: &Path) {
    typed(s, &path.display().to_string());
    key(s, KeyCode::Enter);
}

fn names(s: &State) -> Vec<(String, u64)> {
    s.form
        .attachments
        .files
        .iter()
        .map(|f| (f.name.clone(), f.size))
        .collect()
}

fn write(dir: &Path, name: &str, bytes: usize) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, vec![b'x'; bytes]).unwrap();
    path
}

#[test]
fn partner_center_forms_have_no_attachments_field() {
    let mut s = state();
    fill(&mut s);
    press(&mut s, KeyCode::BackTab);
    assert_eq!(s.form.focus, FormField::Topic, "Submit's previous field is Topic");
    let mut seen = Vec::new();
    for _ in 0..6 {
        press(&mut s, KeyCode::Tab);
        seen.push(s.form.focus);
    }
    assert!(!seen.contains(&FormField::Attachments), "{seen:?}");
}

#[test]
fn a_file_is_added_with_its_size_and_the_box_empties() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = azure_state();
    add(&mut s, &write(dir.path(), "trace.txt", 2048));
    assert_eq!(names(&s), [("trace.txt".to_string(), 2048)]);
    assert!(s.form.attachments.path.is_empty());
    assert_eq!(s.form.attachments.error, None);
    assert!(s.draft.dirty, "the draft is saved with the file");
    assert_eq!(s.form.draft().attachments.len(), 1);

    let fx = ctrl(&mut s, 's');
    let sent = fx.iter().find_map(|e| match e {
        Effect::Worker(Job::Submit { attachments, .. }) => Some(attachments.clone()),
        _ => None,
    });
    assert_eq!(
        sent,
        Some(vec![dir.path().join("trace.txt")]),
        "the submit carries it"
    );
}

#[test]
fn refused_files_say_why_in_the_field_and_keep_the_path_typed() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = azure_state();
    let cases = [
        (
            write(dir.path(), "empty.log", 0),
            "empty.log is empty; an attachment holds at least 1 byte",
        ),
        (
            write(dir.path(), "setup.exe", 10),
            "setup.exe is a .exe file, a type that cannot be attached",
        ),
        (
            write(dir.path(), "dump.bin.log", 5 * 1024 * 1024 + 1),
            "dump.bin.log is 5242881 bytes (5.0 MiB); the largest attachment is 5242880 bytes (5.0 MiB)",
        ),
        (dir.path().to_path_buf(), "it is not a file"),
    ];
    for (path, why) in cases {
        add(&mut s, &path);
        let typed = path.display().to_string();
        assert_eq!(s.form.attachments.error.as_deref(), Some(why), "{typed}");
        assert_eq!(s.form.attachments.path.text(), typed, "the path stays in the box");
        assert!(s.form.attachments.files.is_empty());
        // Typing again clears the reason.
        key(&mut s, KeyCode::Backspace);
        assert_eq!(s.form.attachments.error, None);
        ctrl(&mut s, 'u');
    }
    add(&mut s, &dir.path().join("missing.txt"));
    assert!(
        s.form
            .attachments
            .error
            .as_deref()
            .is_some_and(|e| e.contains("No such file")),
        "{:?}",
        s.form.attachments.error
    );

    // The same file twice, and two files of one name.
    ctrl(&mut s, 'u');
    let first = write(dir.path(), "a.txt", 3);
    add(&mut s, &first);
    add(&mut s, &first);
    assert_eq!(
        s.form.attachments.error.as_deref(),
        Some("a.txt is attached already")
    );
    ctrl(&mut s, 'u');
    std::fs::create_dir(dir.path().join("other")).unwrap();
    add(&mut s, &write(&dir.path().join("other"), "a.txt", 4));
    assert!(
        s.form
            .attachments
            .error
            .as_deref()
            .is_some_and(|e| e.starts_with("a file named a.txt")),
        "{:?}",
        s.form.attachments.error
    );
    assert_eq!(names(&s).len(), 1);
}

#[test]
fn the_remove_key_drops_the_selected_file() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = azure_state();
    for name in ["one.txt", "two.txt", "three.txt"] {
        add(&mut s, &write(dir.path(), name, 5));
    }
    assert_eq!(s.form.attachments.selected, 2, "the last added is selected");
    key(&mut s, KeyCode::Up);
    ctrl(&mut s, 'd');
    let left: Vec<String> = names(&s).into_iter().map(|(n, _)| n).collect();
    assert_eq!(left, ["one.txt", "three.txt"]);
    assert_eq!(
        s.notice.as_ref().map(|n| n.text.as_str()),
        Some("two.txt will not be attached")
    );
    ctrl(&mut s, 'd');
    ctrl(&mut s, 'd');
    assert!(s.form.attachments.files.is_empty());
    ctrl(&mut s, 'd');
    assert_eq!(
        s.notice.as_ref().map(|n| n.text.as_str()),
        Some("No file is attached")
    );
}

#[test]
fn tab_completes_the_shared_prefix_then_lists_the_matches() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().display().to_string();
    write(dir.path(), "trace-01.txt", 1);
    write(dir.path(), "trace-02.txt", 1);
    std::fs::create_dir(dir.path().join("logs")).unwrap();
    write(&dir.path().join("logs"), "boot.log", 7);
    let mut s = azure_state();

    typed(&mut s, &format!("{root}/tr"));
    key(&mut s, KeyCode::Tab);
    assert_eq!(s.form.attachments.path.text(), format!("{root}/trace-0"));
    assert_eq!(
        s.form.focus,
        FormField::Attachments,
        "Tab with a path typed stays"
    );
    key(&mut s, KeyCode::Tab);
    assert_eq!(
        s.form.attachments.hint.as_deref(),
        Some("2 matches: Tab again lists them")
    );
    key(&mut s, KeyCode::Tab);
    assert_eq!(
        s.form.attachments.hint.as_deref(),
        Some("trace-01.txt  trace-02.txt")
    );
    assert_eq!(
        s.form.attachments.path.text(),
        format!("{root}/trace-0"),
        "unchanged"
    );

    // A directory gets its slash; its only file completes whole and can be added.
    ctrl(&mut s, 'u');
    typed(&mut s, &format!("{root}/lo"));
    key(&mut s, KeyCode::Tab);
    assert_eq!(s.form.attachments.path.text(), format!("{root}/logs/"));
    assert_eq!(s.form.attachments.hint, None);
    key(&mut s, KeyCode::Tab);
    assert_eq!(s.form.attachments.path.text(), format!("{root}/logs/boot.log"));
    key(&mut s, KeyCode::Enter);
    assert_eq!(names(&s), [("boot.log".to_string(), 7)]);

    // Nothing matches: said in the hint; an empty box lets Tab leave the field.
    typed(&mut s, &format!("{root}/zz"));
    key(&mut s, KeyCode::Tab);
    assert_eq!(
        s.form.attachments.hint.as_deref(),
        Some("nothing here starts with that")
    );
    ctrl(&mut s, 'u');
    key(&mut s, KeyCode::Tab);
    assert_eq!(s.form.focus, FormField::Submit);
}

#[test]
fn a_completion_answer_for_text_since_changed_is_dropped() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "report.txt", 1);
    let mut s = azure_state();
    let root = dir.path().display().to_string();
    typed(&mut s, &format!("{root}/re"));
    let fx = press(&mut s, KeyCode::Tab);
    typed(&mut s, "x");
    run_files(&mut s, fx);
    assert_eq!(s.form.attachments.path.text(), format!("{root}/rex"));
}

#[test]
fn a_tilde_completes_from_the_home_directory() {
    let home = tempfile::tempdir().unwrap();
    write(home.path(), "notes.md", 1);
    let completion = paths::complete("~/no", Some(home.path()));
    assert_eq!(completion.text, "~/notes.md");
    let (path, size) = paths::check("~/notes.md", Some(home.path())).unwrap();
    assert_eq!((path, size), (home.path().join("notes.md"), 1));
}

#[test]
fn upload_progress_fills_the_file_s_gauge_and_the_busy_line_says_the_ticket_is_filed() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = azure_state();
    let path = write(dir.path(), "trace.txt", 100);
    add(&mut s, &path);
    s.busy = Some(crate::tui::state::Busy {
        what: "Submitting".into(),
        since: s.now,
        note: None,
        filed: false,
    });
    update(
        &mut s,
        Action::from(crate::worker::Reply::Uploading {
            path: path.clone(),
            sent: 40,
            total: 100,
        }),
    );
    assert_eq!(s.form.attachments.files[0].sent, Some(40));
    let busy = s.busy.as_ref().unwrap();
    assert_eq!(busy.what, "Uploading trace.txt (1 of 1)");
    assert!(busy.filed);
}

/// Submits the form (Ctrl+S); what went to the worker: the request and its files.
fn submit(s: &mut State) -> (crate::domain::NewTicket, Vec<PathBuf>) {
    ctrl(s, 's')
        .into_iter()
        .find_map(|e| match e {
            Effect::Worker(crate::worker::Job::Submit { request, attachments }) => {
                Some((request, attachments))
            }
            _ => None,
        })
        .expect("the submit goes to the worker")
}

fn filed(request: crate::domain::NewTicket, attachments: Vec<PathBuf>) -> Action {
    Action::from(crate::worker::Reply::Submitted {
        local_id: 1,
        request_id: uuid::Uuid::new_v4(),
        request,
        attachments,
        response: crate::domain::Ticket {
            id: Some("ticket-1".into()),
            ..crate::domain::Ticket::default()
        },
        upload_failed: None,
    })
}

#[test]
fn a_filed_ticket_empties_the_form_files_and_all() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = azure_state();
    add(&mut s, &write(dir.path(), "trace.txt", 100));
    let (request, attachments) = submit(&mut s);
    assert_eq!(attachments.len(), 1);
    update(&mut s, filed(request, attachments));
    assert!(
        s.form.title_text().is_empty(),
        "the form is empty for the next ticket"
    );
    assert!(
        names(&s).is_empty(),
        "its files went with the ticket: {:?}",
        names(&s)
    );
}

#[test]
fn a_file_added_while_the_submit_was_in_flight_keeps_the_form() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = azure_state();
    add(&mut s, &write(dir.path(), "trace.txt", 100));
    let (request, attachments) = submit(&mut s);
    s.form.set_focus(FormField::Attachments);
    add(&mut s, &write(dir.path(), "later.log", 7));
    update(&mut s, filed(request, attachments));
    assert_eq!(
        names(&s),
        vec![("trace.txt".to_string(), 100), ("later.log".to_string(), 7)],
        "the file added later was not sent: nothing is lost"
    );
    assert!(!s.form.title_text().is_empty());
}

#[test]
fn a_resend_from_the_outbox_that_could_not_upload_a_file_says_which_and_how() {
    let dir = tempfile::tempdir().unwrap();
    let mut s = azure_state();
    let trace = write(dir.path(), "trace.txt", 100);
    add(&mut s, &trace);
    let (request, attachments) = submit(&mut s);
    update(
        &mut s,
        Action::from(crate::worker::Reply::Resent {
            request,
            attachments: attachments.clone(),
            outcome: Ok(crate::domain::Ticket {
                id: Some("ticket-1".into()),
                ..crate::domain::Ticket::default()
            }),
            upload_failed: Some(crate::attachments::UploadFailure::new(
                "ticket-1",
                &attachments[0],
                "the file is gone".into(),
            )),
        }),
    );
    let notice = s.notice.as_ref().map(|n| n.text.clone()).unwrap_or_default();
    assert!(
        notice.contains("trace.txt") && notice.contains("the file is gone") && notice.contains("attach"),
        "{notice}"
    );
    assert!(
        names(&s).is_empty(),
        "the ticket is filed: the form is free for the next"
    );
}
