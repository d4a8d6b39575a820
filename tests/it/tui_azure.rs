//! An Azure ticket filed and followed by keys only, in the real binary in a PTY against the
//! in-process sandbox: search the catalogue, attach a file, file, see the ticket number and the
//! file uploaded, open it from the history, add a two-line note, see support's answer arrive
//! without a key, close it.

use std::time::Duration;

use pcsr_tui::sandbox::azure::{PAID_SUBSCRIPTION, agent::ENGINEER_EMAIL};

use super::azure_cli::CONTACT;
use super::pty::{App, CTRL_N, CTRL_R, CTRL_S, ENTER, F7, RIGHT, TAB, history_row, sandbox};

#[test]
fn file_an_azure_ticket_by_keys_then_follow_it_to_supports_answer_and_close_it() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let sandbox = sandbox(&rt).with_azure_operation_polls(0);
    // Support answers every new ticket a moment after it is filed.
    let sandbox = sandbox.with_agent_replies(Duration::from_secs(2));
    let data = tempfile::tempdir().unwrap();
    let config_dir = data.path().join("pcsr-config");
    std::fs::create_dir_all(&config_dir).unwrap();
    std::fs::write(config_dir.join("config.toml"), CONTACT).unwrap();
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
        s.contains(" services ") && !s.contains("services loaded")
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
    // The title's words put the RDP classification first, above the services.
    app.wait_until("the title's suggestion", |s| {
        s.contains("★ Virtual Machine running Windows / Connect")
    });
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
    let number = ticket_number(&result);
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
    // The next ticket starts from an empty form: nothing of this one is left to file twice.
    app.keys(CTRL_N);
    let form = app.wait_for("▶ Title");
    assert!(
        !form.contains("Cannot RDP") && !form.contains("NSG allows") && !form.contains("rdp-trace.txt"),
        "{form}"
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
    let screen = app.wait_for("status Closed");
    assert!(
        screen.contains(&format!("{ENGINEER_EMAIL} (support)")),
        "the conversation stays after the close: {screen}"
    );
    app.keys("\x03");
    app.wait_exit();
}

/// What a first Azure user has: a comment, a default, no `[azure.contact]`, no consent.
const FIRST_USE_CONFIG: &str = "# kept by hand: the team's defaults\n[defaults]\nseverity = \"moderate\"\n";

/// Fills the form for a Windows RDP ticket and submits it with Ctrl+S.
fn fill_and_submit(app: &mut App, title: &str) {
    app.wait_until("the catalogue", |s| {
        s.contains(" services ") && !s.contains("services loaded")
    });
    app.type_text(title);
    app.keys(ENTER);
    app.type_text("Times out since 09:00.");
    app.keys(TAB);
    app.keys(TAB);
    app.type_text("windows rdp");
    app.wait_until("the RDP classification first", |s| {
        s.contains("Filter: windows rdp") && s.contains("Virtual Machine running Windows / Connect")
    });
    app.keys(CTRL_S);
}

#[test]
fn first_azure_ticket_asks_for_the_contact_and_consent_once_and_keeps_the_config_comments() {
    let rt = tokio::runtime::Runtime::new().unwrap();
    let sandbox = sandbox(&rt).with_azure_operation_polls(0);
    let data = tempfile::tempdir().unwrap();
    let config_dir = data.path().join("pcsr-config");
    std::fs::create_dir_all(&config_dir).unwrap();
    let config_file = config_dir.join("config.toml");
    std::fs::write(&config_file, FIRST_USE_CONFIG).unwrap();
    // A machine in Berlin: its zone is preselected, and a search must replace it.
    let env = [
        ("PCSR_BACKEND", "azure"),
        ("PCSR_SUBSCRIPTION", PAID_SUBSCRIPTION),
        ("TZ", "Europe/Berlin"),
    ];
    let mut app = App::launch_with(&sandbox.base_url(), data.path(), &env);
    app.wait_for("Azure");
    fill_and_submit(&mut app, "Cannot RDP to vm-web-01");

    let screen = app.wait_for("Azure contact profile");
    assert!(screen.contains("W. Europe Standard Time"), "{screen}");
    app.type_text("Avery");
    app.keys(TAB);
    app.type_text("Sandbox");
    app.keys(TAB);
    app.type_text("avery@contoso.example");
    // More e-mails, contact by (kept on e-mail), phone, then the time zone.
    for _ in 0..4 {
        app.keys(TAB);
    }
    // The whole name: shorter searches rank "Central Pacific Standard Time" first.
    app.type_text("pacific standard time");
    app.wait_until("the Pacific zone chosen", |s| {
        s.contains("pacific standard time")
            && !s.contains("W. Europe")
            && s.contains("→ Pacific Standard Time")
    });
    app.keys(TAB);
    app.type_text("new zealand");
    app.wait_for("NZL");
    app.keys(ENTER);

    app.wait_for("Advanced diagnostic information");
    app.keys("y");
    let result = app.wait_for("Support ticket created");
    ticket_number(&result);

    // Both answers are on disk, under the user's own lines.
    let saved = super::pty::eventually("config.toml with the consent", || {
        let text = std::fs::read_to_string(&config_file).ok()?;
        (text.contains("consent") && text.contains("[azure.contact]")).then_some(text)
    });
    assert!(saved.contains("# kept by hand: the team's defaults"), "{saved}");
    assert!(saved.contains("severity = \"moderate\""), "{saved}");
    let parsed: toml::Table = toml::from_str(&saved).expect("config.toml still parses");
    let azure = &parsed["azure"];
    assert_eq!(azure["consent"].as_str(), Some("yes"), "{saved}");
    let contact = &azure["contact"];
    assert_eq!(contact["first_name"].as_str(), Some("Avery"), "{saved}");
    assert_eq!(contact["last_name"].as_str(), Some("Sandbox"), "{saved}");
    assert_eq!(
        contact["email"].as_str(),
        Some("avery@contoso.example"),
        "{saved}"
    );
    assert_eq!(contact["method"].as_str(), Some("email"), "{saved}");
    assert_eq!(
        contact["time_zone"].as_str(),
        Some("Pacific Standard Time"),
        "{saved}"
    );
    assert_eq!(contact["country"].as_str(), Some("NZL"), "{saved}");
    app.keys("\x03");
    app.wait_exit();

    // A second start files at once: nothing is asked again.
    let mut app = App::launch_with(&sandbox.base_url(), data.path(), &env);
    app.wait_for("Azure");
    fill_and_submit(&mut app, "Second ticket, no questions");
    let screen = app.wait_until("the second ticket filed", |s| {
        s.contains("Support ticket created")
            || s.contains("Azure contact profile")
            || s.contains("Advanced diagnostic information")
    });
    assert!(screen.contains("Support ticket created"), "{screen}");
    assert!(screen.contains("Second ticket"), "{screen}");
    app.keys("\x03");
    app.wait_exit();
}

/// The ticket number the result screen shows: all digits, or the test fails with the screen.
fn ticket_number(result: &str) -> String {
    let number = result
        .lines()
        .find_map(|l| l.trim_start_matches('│').strip_prefix("Ticket number"))
        .map(|rest| rest.trim().trim_end_matches('│').trim().to_string())
        .expect("the ticket number is on the result screen");
    assert!(
        !number.is_empty() && number.chars().all(|c| c.is_ascii_digit()),
        "{result}"
    );
    number
}

#[test]
fn the_switch_key_takes_the_forms_text_from_partner_center_to_azure_and_back() {
    let home = tempfile::tempdir().unwrap();
    // A first run: the built-in sandbox answers for both services.
    let mut app = App::first_run(home.path());
    app.wait_for("Partner Center");
    app.type_text("Cannot RDP to vm-web-01");
    app.keys(F7);
    let screen = app.wait_until("the Azure form with the title typed before", |s| {
        s.contains("│ Azure │") && s.contains("Cannot RDP to vm-web-01")
    });
    assert!(screen.contains("came along"), "{screen}");
    // Azure's own catalogue, not Partner Center's topics.
    app.wait_until("Azure's services", |s| s.contains(" services "));
    app.type_text(" again");
    app.keys(F7);
    app.wait_until("back on Partner Center with both edits", |s| {
        s.contains("│ Partner Center │") && s.contains("Cannot RDP to vm-web-01 again")
    });
}

#[test]
fn tab_in_the_history_goes_through_local_and_each_services_list() {
    let home = tempfile::tempdir().unwrap();
    // A first run: the built-in sandbox answers for both services, so both lists are there.
    let mut app = App::first_run(home.path());
    app.wait_for("Partner Center");
    app.type_text("Printer queue stuck");
    app.keys(CTRL_R);
    app.wait_until("the history, with both services' tabs", |s| {
        s.contains("Local") && s.contains("│ Azure ") && s.contains("switches")
    });
    // A tab's count shows once its list is read: "Partner Center 3".
    let counted = |s: &str, tab: &str| {
        s.split(&format!("{tab} "))
            .skip(1)
            .any(|rest| rest.starts_with(|c: char| c.is_ascii_digit()))
    };
    app.keys(TAB);
    app.wait_until("Partner Center's list read", |s| counted(s, "Partner Center"));
    app.keys(TAB);
    app.wait_until("Azure's session, its list read", |s| {
        s.contains("│ Azure │") && s.contains("Switched to Azure: its list") && counted(s, "Azure")
    });
    app.keys(TAB);
    app.keys(TAB);
    app.wait_until("back on Partner Center's list, Local passed on the way", |s| {
        s.contains("│ Partner Center │") && s.contains("Switched to Partner Center: its list")
    });
    app.keys(CTRL_N);
    app.wait_until("the form's text came along both ways", |s| {
        s.contains("Printer queue stuck")
    });
}

#[test]
fn a_config_broken_while_the_app_runs_refuses_the_switch_and_keeps_the_app_and_the_form() {
    let home = tempfile::tempdir().unwrap();
    let mut app = App::first_run(home.path());
    app.wait_for("Partner Center");
    app.type_text("Cannot RDP to vm-web-01");
    let config_dir = home.path().join("config").join("pcsr-tui");
    std::fs::create_dir_all(&config_dir).unwrap();
    std::fs::write(
        config_dir.join("config.toml"),
        "[defaults\nseverity = \"critical\"\n",
    )
    .unwrap();
    app.keys(F7);
    let screen = app.wait_until("the switch refused, on the form as it was", |s| {
        s.contains("Could not switch to Azure") && s.contains("│ Partner Center │")
    });
    assert!(screen.contains("Cannot RDP to vm-web-01"), "{screen}");
    assert!(
        screen.contains("config.toml"),
        "the reason names the file: {screen}"
    );
    app.type_text(" still here");
    app.wait_for("Cannot RDP to vm-web-01 still here");
}
