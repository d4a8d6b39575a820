//! Following a request in the real TUI, in a PTY, against the in-process sandbox: file it, find
//! it in the Partner Center list, add a note, close it, and see it closed in both lists and
//! after a restart; and a support agent's answer arriving while the app is open.

use std::time::Duration;

use super::pty::{App, CTRL_R, CTRL_S, ENTER, RIGHT, TAB, history_row, sandbox};

const ESC: &str = "\x1b";

/// Files a request through the form and returns its id from the result screen.
fn file(app: &mut App, title: &str) -> String {
    app.wait_for("Cannot manage my profile");
    app.type_text(title);
    app.keys(ENTER);
    app.type_text("Filed by the follow-up test.");
    app.keys(TAB);
    app.keys(RIGHT);
    app.keys(TAB);
    app.type_text("profile");
    app.keys(CTRL_S);
    let result = app.wait_for("Service request created");
    result
        .lines()
        .find_map(|l| l.trim_start_matches('│').strip_prefix("Request id"))
        .map(|rest| rest.trim().trim_end_matches('│').trim().to_string())
        .filter(|id| !id.is_empty() && id != "—")
        .unwrap_or_else(|| panic!("no request id on the result screen:\n{result}"))
}

/// The history line holding `id`; empty when the history is not on screen.
fn row_of(screen: &str, id: &str) -> String {
    history_row(screen, id).unwrap_or_default()
}

#[test]
fn file_find_note_close_then_see_it_closed_in_both_lists_and_after_a_restart() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let sandbox = sandbox(&rt);
    let data = tempfile::tempdir().unwrap();
    let mut app = App::launch(&sandbox.base_url(), data.path());
    let id = file(&mut app, "Follow me through Partner Center");

    // Tab to the Partner Center list and find it with the filter.
    app.keys(CTRL_R);
    app.wait_for("Local 1");
    app.keys(TAB);
    app.wait_until("the Partner Center list", |s| {
        s.contains("Partner Center 1") && s.contains(&id)
    });
    app.keys("/");
    app.type_text("follow me");
    app.keys(ENTER);
    app.keys(ENTER);
    app.wait_until("the details with the conversation", |s| {
        s.contains("Conversation") && s.contains("Filed by the follow-up test.")
    });

    // A two-line note, sent with Ctrl+S, shows up in the conversation.
    app.keys("n");
    app.wait_for("New note to");
    app.type_text("First line of my note");
    app.keys(ENTER);
    app.type_text("and the second line");
    app.keys(CTRL_S);
    let screen = app.wait_for("Note added to");
    assert!(screen.contains("First line of my note"), "{screen}");
    assert!(screen.contains("and the second line"), "{screen}");
    assert!(!screen.contains("New note to"), "the box closed: {screen}");

    // x asks, y closes.
    app.keys("x");
    app.wait_for(&format!("Close request {id}? y/n"));
    app.keys("y");
    app.wait_for(&format!("Closed {id}: status Closed"));

    // Closed in the Partner Center list, and in the local one.
    app.keys(ESC);
    app.wait_until("closed in Partner Center", |s| {
        !s.contains("Conversation") && row_of(s, &id).contains("closed")
    });
    app.keys(TAB);
    let local = app.wait_until("closed in the local list", |s| row_of(s, &id).contains("closed"));
    assert!(
        !row_of(&local, &id).contains('●'),
        "the user's own close is not news: {local}"
    );
    app.keys("q");
    app.wait_exit();
    drop(app);

    // After a restart both lists still say so.
    let mut again = App::launch(&sandbox.base_url(), data.path());
    again.wait_for("New request");
    again.keys(CTRL_R);
    again.wait_until("closed in the local list after a restart", |s| {
        row_of(s, &id).contains("closed")
    });
    again.keys(TAB);
    again.wait_until("closed in Partner Center after a restart", |s| {
        s.contains("Partner Center 1") && row_of(s, &id).contains("closed")
    });
    // The note is part of the conversation for good.
    again.keys(ENTER);
    again.wait_for("Conversation");
    again.keys("\x1b[F");
    again.wait_for("and the second line");
    again.keys("\x03");
    again.wait_exit();
}

#[test]
fn an_agents_answer_is_marked_while_the_app_is_open_without_a_key() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let sandbox = sandbox(&rt);
    // The agent promises an answer in an hour and gives it when the test says (`answer_now`),
    // so the row is seen open first whatever the re-reads' timing.
    sandbox.set_agent_replies(Some(Duration::from_secs(3600)));
    let data = tempfile::tempdir().unwrap();
    let mut app = App::launch_with(&sandbox.base_url(), data.path(), &[("PCSR_REFRESH_SECONDS", "1")]);
    let id = file(&mut app, "Waiting for support");
    app.keys(CTRL_R);
    app.wait_until("the new request, open", |s| row_of(s, &id).contains("open"));
    assert_eq!(
        sandbox.answer_now().unwrap(),
        1,
        "the agent's answer was still to come"
    );
    // No key from here on: the re-read brings the agent's answer in.
    let screen = app.wait_until("the agent's answer marked", |s| {
        let row = row_of(s, &id);
        row.contains('●') && row.contains("attention needed") && s.contains("1 updated")
    });
    assert!(screen.contains("changed on the server"), "{screen}");
    // The Partner Center list marks it too.
    app.keys(TAB);
    app.wait_until("the mark in the Partner Center list", |s| {
        s.contains("Partner Center 1") && row_of(s, &id).contains('●')
    });
    app.keys(TAB);
    app.wait_until("back in the local list", |s| row_of(s, &id).contains('●'));
    // Opening it clears the mark and the count.
    app.keys(ENTER);
    app.wait_for("Microsoft Support");
    app.keys(ESC);
    let back = app.wait_until("the mark cleared", |s| {
        let row = row_of(s, &id);
        if s.contains("Conversation") {
            return false;
        }
        row.contains("attention needed") && !row.contains('●')
    });
    assert!(!back.contains("1 updated"), "{back}");
    app.keys("q");
    app.wait_exit();
}

#[test]
fn a_note_left_unsent_is_there_after_quitting_and_coming_back() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let sandbox = sandbox(&rt);
    let data = tempfile::tempdir().unwrap();
    let mut app = App::launch(&sandbox.base_url(), data.path());
    let id = file(&mut app, "Note left for later");
    app.keys(CTRL_R);
    app.wait_until("the request in history", |s| !row_of(s, &id).is_empty());
    app.keys(ENTER);
    app.wait_for("Conversation");
    app.keys("n");
    app.wait_for("New note to");
    app.type_text("Half written");
    app.keys(ENTER);
    app.type_text("to finish tomorrow");
    app.keys(ESC);
    app.wait_for("Your note is kept");
    app.keys("q");
    app.wait_exit();
    drop(app);

    let mut again = App::launch(&sandbox.base_url(), data.path());
    again.wait_for("unsent note kept from last time");
    again.keys(CTRL_R);
    again.wait_until("the request in history", |s| s.contains(&id));
    again.keys(ENTER);
    again.wait_for("Conversation");
    again.keys("n");
    let screen = again.wait_for("to finish tomorrow");
    assert!(screen.contains("Half written"), "{screen}");
    again.keys(CTRL_S);
    again.wait_for("Note added to");
    again.keys("\x03");
    again.wait_exit();
}

/// Marks every local request as last re-read `ago` before now, as if the app had last looked
/// that long ago (the app must not be running).
fn checked_ago(data: &std::path::Path, ago: time::Duration) {
    let at = (time::OffsetDateTime::now_utc() - ago).to_offset(time::UtcOffset::UTC);
    let stamp = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:06}Z",
        at.year(),
        u8::from(at.month()),
        at.day(),
        at.hour(),
        at.minute(),
        at.second(),
        at.microsecond()
    );
    let db = rusqlite::Connection::open(pcsr_tui::session::store_path(data)).unwrap();
    let changed = db
        .execute("UPDATE submissions SET checked_at = ?1", [stamp])
        .unwrap();
    assert_eq!(changed, 1, "one request in the local history");
}

/// `[defaults] refresh_minutes` sets the re-read interval when PCSR_REFRESH_SECONDS is not
/// set: a request last read two minutes ago is due under `refresh_minutes = 1` (and would not
/// be under the default five), so the agent's answer shows at start without a key.
#[test]
fn refresh_minutes_from_config_sets_the_re_read_interval() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let sandbox = sandbox(&rt);
    sandbox.set_agent_replies(Some(Duration::from_secs(3600)));
    let data = tempfile::tempdir().unwrap();
    let config = data.path().join("pcsr-config");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(config.join("config.toml"), "[defaults]\nrefresh_minutes = 1\n").unwrap();
    let mut app = App::launch(&sandbox.base_url(), data.path());
    let id = file(&mut app, "Re-read on config's clock");
    app.keys("q");
    app.wait_exit();
    drop(app);
    assert_eq!(sandbox.answer_now().unwrap(), 1);
    checked_ago(data.path(), time::Duration::minutes(2));

    let mut again = App::launch(&sandbox.base_url(), data.path());
    again.wait_until("the re-read's news in the header", |s| s.contains("1 updated"));
    again.keys(CTRL_R);
    again.wait_until("the answer marked in the list", |s| {
        let row = row_of(s, &id);
        row.contains('●') && row.contains("attention needed")
    });
    again.keys("q");
    again.wait_exit();
}

#[test]
fn a_close_whose_answer_is_lost_waits_in_the_outbox_and_is_settled_on_the_next_start() {
    use pcsr_tui::sandbox::Fault;
    use pcsr_tui::store::{ChangeKind, Store};
    let rt = tokio::runtime::Runtime::new().unwrap();
    let sandbox = sandbox(&rt);
    let data = tempfile::tempdir().unwrap();
    let mut app = App::launch(&sandbox.base_url(), data.path());
    let id = file(&mut app, "Close me once");
    app.keys(CTRL_R);
    app.wait_until("the request in the local list", |s| {
        row_of(s, &id).contains("open") || row_of(s, &id).contains("none")
    });
    app.keys(ENTER);
    app.wait_for("Conversation");
    // Every attempt of the close is committed by the service and its answer lost.
    for _ in 0..4 {
        sandbox.inject(Fault::DropAfterCommit);
    }
    app.keys("x");
    app.wait_for(&format!("Close request {id}? y/n"));
    app.keys("y");
    let screen = app.wait_for("Close not confirmed");
    assert!(screen.contains("kept in the outbox"), "{screen}");
    assert!(
        !screen.contains("pcsr-tui outbox") && !screen.contains("try again"),
        "one way forward, and no command to run: {screen}"
    );
    app.keys("q");
    app.wait_exit();
    drop(app);
    let kept = || -> Vec<(ChangeKind, String)> {
        let store = Store::open(&pcsr_tui::session::store_path(data.path())).unwrap();
        let changes = store.unsettled_changes().unwrap();
        changes.into_iter().map(|c| (c.kind, c.server_id)).collect()
    };
    assert_eq!(kept(), [(ChangeKind::Close, id.clone())]);

    // The next start reads it back (closed: the service had applied it) and settles it.
    let mut again = App::launch(&sandbox.base_url(), data.path());
    again.wait_for("New request");
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while !kept().is_empty() {
        assert!(
            std::time::Instant::now() < deadline,
            "the close is still in the outbox"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
    // Ctrl+C: the form's Title has the keyboard, where q would be typed.
    again.keys("\x03");
    again.wait_exit();
}
