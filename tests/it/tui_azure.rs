//! An Azure ticket filed and followed by keys only, in the real binary in a PTY against the
//! in-process sandbox: search the catalogue, attach a file, file, see the ticket number and the
//! file uploaded, open it from the history, add a two-line note, see support's answer arrive
//! without a key, close it.

use std::time::Duration;

use pcsr_tui::sandbox::azure::{PAID_SUBSCRIPTION, agent::ENGINEER_EMAIL};

use super::pty::{App, CTRL_R, CTRL_S, ENTER, RIGHT, TAB, history_row, sandbox};

const CONFIG: &str = r#"
[azure]
consent = "yes"

[azure.contact]
first_name = "Avery"
last_name = "Sandbox"
email = "avery@contoso.example"
method = "email"
time_zone = "Pacific Standard Time"
country = "USA"
language = "en-US"
"#;

#[test]
fn file_an_azure_ticket_by_keys_then_follow_it_to_supports_answer_and_close_it() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let sandbox = sandbox(&rt).with_azure_operation_polls(0);
    // Support answers every new ticket a moment after it is filed.
    let sandbox = sandbox.with_agent_replies(Duration::from_secs(2));
    let data = tempfile::tempdir().unwrap();
    let config_dir = data.path().join("pcsr-config");
    std::fs::create_dir_all(&config_dir).unwrap();
    std::fs::write(config_dir.join("config.toml"), CONFIG).unwrap();
    let mut app = App::launch_with(
        &sandbox.base_url(),
        data.path(),
        &[
            ("PCSR_BACKEND", "azure"),
            ("PCSR_SUBSCRIPTION", PAID_SUBSCRIPTION),
            ("PCSR_REFRESH_SECONDS", "1"),
        ],
    );
    app.wait_for("Azure");
    // Every service's classifications are in before the search.
    app.wait_until("the catalogue", |s| {
        s.contains(" topics ") && !s.contains("services loaded")
    });
    app.type_text("Cannot RDP to vm-web-01");
    app.keys(ENTER);
    app.type_text("Times out since 09:00; the NSG allows 3389.");
    app.keys(TAB);
    // Severity: the first is Highest critical impact (it needs a phone); Moderate is third.
    app.keys(RIGHT);
    app.keys(RIGHT);
    app.keys(RIGHT);
    app.keys(TAB);
    app.type_text("windows rdp");
    app.wait_until("the RDP classification first", |s| {
        s.contains("Filter: windows rdp") && s.contains("Virtual Machine running Windows / Connect")
    });
    // A file to attach: Tab to the Attachments field, its path, Enter.
    let trace = data.path().join("rdp-trace.txt");
    std::fs::write(&trace, b"09:00:03 TCP 3389 SYN sent, no answer\n").unwrap();
    app.keys(TAB);
    app.wait_until("the Attachments field focused", |s| s.contains("▶ Attachments"));
    app.type_text(&trace.display().to_string());
    app.keys(ENTER);
    app.wait_until("the file in the list", |s| {
        s.contains("1 file, 38 bytes") && s.contains("rdp-trace.txt")
    });
    app.keys(CTRL_S);

    let result = app.wait_for("Support ticket created");
    let number = result
        .lines()
        .find_map(|l| l.trim_start_matches('│').strip_prefix("Ticket number"))
        .map(|rest| rest.trim().trim_end_matches('│').trim().to_string())
        .expect("the ticket number is on the result screen");
    assert!(
        !number.is_empty() && number.chars().all(|c| c.is_ascii_digit()),
        "{result}"
    );
    assert!(result.contains("Moderate"), "{result}");
    assert!(result.contains("Virtual Machine running Windows"), "{result}");
    assert!(result.contains("Response due"), "{result}");
    assert!(result.contains("1 uploaded"), "{result}");
    assert!(result.contains("rdp-trace.txt"), "{result}");
    let uploads = sandbox.azure_uploads();
    assert!(
        uploads
            .iter()
            .any(|(key, bytes)| key.ends_with("/files/rdp-trace.txt")
                && bytes.as_slice() == b"09:00:03 TCP 3389 SYN sent, no answer\n"),
        "the service holds the file: {:?}",
        uploads.iter().map(|u| &u.0).collect::<Vec<_>>()
    );

    // History: the number in its row; open it.
    app.keys(CTRL_R);
    app.wait_until("the ticket in history", |s| {
        history_row(s, &number).is_some_and(|row| row.contains("Cannot RDP"))
    });
    app.keys(ENTER);
    app.wait_until("the details", |s| {
        s.contains(&format!("Ticket {number}")) && s.contains("Conversation")
    });

    // A two-line note.
    app.keys("n");
    app.wait_for("New note to");
    app.type_text("It also fails from the jump host.");
    app.keys(ENTER);
    app.type_text("Traceroute attached.");
    app.keys(CTRL_S);
    let screen = app.wait_for("Note added to");
    assert!(screen.contains("Traceroute attached."), "{screen}");

    // Support's answer arrives while the screen is open, with no key pressed.
    app.keys("\x1b[F");
    app.wait_until("support's answer", |s| {
        s.contains(&format!("{ENGINEER_EMAIL} (support)"))
    });

    // x asks, y closes.
    app.keys("x");
    app.wait_for("? y/n");
    app.keys("y");
    app.wait_for("status Closed");
    app.keys("\x03");
    app.wait_exit();
}
