//! Screens drawn on a TestBackend and compared with reviewed snapshots.

use std::time::Instant;

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::KeyCode;
use ratatui::style::Modifier;
use uuid::Uuid;

use crate::domain::Failure;
use crate::domain::{Note, Severity, Status, Ticket};
use crate::store::{HistoryRow, Submission, SubmissionState};
use crate::tui::action::Action;
use crate::tui::state::{DetailsView, ResultView, Screen, State};
use crate::tui::update::tests::{ctrl, fill, open_history, press, state_at, type_text};
use crate::tui::update::update;
use crate::worker::Reply;

pub(super) fn render(state: &mut State, width: u16, height: u16) -> String {
    update(state, Action::Resize(width, height));
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test backend");
    let mut viewport = state.viewport;
    terminal
        .draw(|frame| viewport = super::draw(frame, state))
        .expect("draw");
    // As the run loop does: `update` learns what the frame showed of scrolled text.
    update(state, Action::Drawn(viewport));
    terminal.backend().to_string()
}

pub(super) fn fresh() -> State {
    state_at(Instant::now())
}

pub(super) fn created() -> Ticket {
    crate::api::mapping::ticket(
        &crate::api::wire::parse(include_bytes!("../../../tests/fixtures/create-response.json"))
            .expect("fixture parses"),
    )
}

const REQUEST_ID: Uuid = Uuid::from_u128(0x5f1c_2a3b_4d5e_4f60_8172_8394_a5b6_c7d8);

#[test]
fn form_empty() {
    let mut s = fresh();
    insta::assert_snapshot!(render(&mut s, 100, 30));
}

#[test]
fn form_filled_narrow() {
    let mut s = fresh();
    fill(&mut s);
    insta::assert_snapshot!(render(&mut s, 60, 20));
}

#[test]
fn form_validation_errors() {
    let mut s = fresh();
    press(&mut s, KeyCode::Tab);
    type_text(&mut s, "Only the description is there.");
    ctrl(&mut s, 's');
    insta::assert_snapshot!(render(&mut s, 100, 30));
}

#[test]
fn form_topic_filter() {
    let mut s = fresh();
    for _ in 0..3 {
        press(&mut s, KeyCode::Tab);
    }
    type_text(&mut s, "man");
    insta::assert_snapshot!(render(&mut s, 100, 30));
}

#[test]
fn form_topics_failed() {
    let mut s = State::new(fresh().header, fresh().theme, (100, 30), Instant::now());
    update(
        &mut s,
        Action::from(Reply::TopicsFailed(Failure::local(
            "could not reach the service: connection refused",
            crate::domain::Remedy::CheckNetwork,
        ))),
    );
    for _ in 0..3 {
        press(&mut s, KeyCode::Tab);
    }
    insta::assert_snapshot!(render(&mut s, 100, 30));
}

#[test]
fn form_submit_failed_keeps_input() {
    let mut s = fresh();
    fill(&mut s);
    let fx = ctrl(&mut s, 's');
    let request = fx
        .iter()
        .find_map(|e| match e {
            crate::tui::action::Effect::Worker(crate::worker::Job::Submit { request: r, .. }) => {
                Some(r.clone())
            }
            _ => None,
        })
        .expect("sent");
    let error = Failure {
        summary: "HTTP 400 Bad Request".into(),
        code: Some("3000".into()),
        description: Some("The support topic is not valid for this partner.".into()),
        request_id: Some(REQUEST_ID),
        correlation_id: Some(Uuid::from_u128(1)),
        remedy: crate::domain::Remedy::FixInput,
    };
    update(
        &mut s,
        Action::from(Reply::SubmitFailed {
            request,
            error,
            unsettled: None,
        }),
    );
    insta::assert_snapshot!(render(&mut s, 100, 30));
}

#[test]
fn result_screen() {
    let mut s = fresh();
    s.screen = Screen::Result(Box::new(ResultView {
        request: created(),
        request_id: REQUEST_ID,
        topic_name: Some("Cannot manage my profile".into()),
        clock: None,
        upload_failed: None,
    }));
    s.info("Request 616122292874576 created");
    insta::assert_snapshot!(render(&mut s, 100, 30));
}

pub(super) fn history_rows() -> Vec<HistoryRow> {
    let row = |i: i64, state, id: Option<&str>, title: &str, sev, topic: Option<&str>, day: u32| HistoryRow {
        local_id: i,
        state,
        server_id: id.map(str::to_string),
        title: title.into(),
        severity: Some(sev),
        topic_id: "32444671".into(),
        topic_name: topic.map(str::to_string),
        status: None,
        created_at: format!("2025-03-{day:02}T10:00:00Z"),
        updated: false,
        number: None,
    };
    let mut rows = vec![
        row(
            4,
            SubmissionState::Sending,
            None,
            "Still in the outbox",
            Severity::Critical,
            None,
            4,
        ),
        row(
            3,
            SubmissionState::Created,
            Some("616122292874576"),
            "TrialSR",
            Severity::Critical,
            Some("Cannot manage my profile"),
            3,
        ),
        row(
            2,
            SubmissionState::Failed,
            None,
            "Refused: bad topic \u{1b}[31mred\u{1b}[0m",
            Severity::Minimal,
            None,
            2,
        ),
        row(
            1,
            SubmissionState::Created,
            Some("616122292874001"),
            "A very long title that will certainly not fit into the title column of a narrow terminal",
            Severity::Moderate,
            Some("Partner Center Issues"),
            1,
        ),
    ];
    // The agent answered one (changed since last opened); another was closed.
    rows[1].status = Some(Status::AttentionNeeded);
    rows[1].updated = true;
    rows[3].status = Some(Status::Closed);
    rows
}

#[test]
fn history_pane() {
    let mut s = fresh();
    open_history(&mut s, history_rows(), 4);
    press(&mut s, KeyCode::Down);
    insta::assert_snapshot!(render(&mut s, 100, 30));
    // The snapshot is text only; the selection is a style, so check where it is.
    assert_eq!(
        styled_rows(&mut s, 100, 30, Modifier::REVERSED),
        vec![5],
        "Down selects the second row"
    );
    s.theme = crate::tui::state::Theme::default();
    assert_eq!(
        styled_rows(&mut s, 100, 30, Modifier::REVERSED),
        vec![5],
        "with colours too"
    );
    press(&mut s, KeyCode::Up);
    assert_eq!(
        styled_rows(&mut s, 100, 30, Modifier::REVERSED),
        vec![4],
        "Up moves it back"
    );
}

/// The screen rows whose list cells carry `modifier` (the selection is drawn reversed).
fn styled_rows(state: &mut State, width: u16, height: u16, modifier: Modifier) -> Vec<u16> {
    let mut terminal = Terminal::new(TestBackend::new(width, height)).expect("test backend");
    terminal
        .draw(|frame| {
            super::draw(frame, state);
        })
        .expect("draw");
    let buffer = terminal.backend().buffer().clone();
    // Column 5 is inside the list, past the border and the status mark.
    (0..height)
        .filter(|&y| buffer[(5, y)].modifier.contains(modifier))
        .collect()
}

pub(super) fn submission(server: Ticket) -> Submission {
    Submission {
        local_id: 3,
        request_id: REQUEST_ID,
        service: server.service,
        cloud: "sandbox".into(),
        locale: "en-US".into(),
        base_url: "http://127.0.0.1:1".into(),
        request: crate::domain::NewTicket {
            title: "TrialSR".into(),
            description: "Ignore this SR".into(),
            severity: Some(Severity::Critical),
            topic_id: "32444671".into(),
            ..Default::default()
        },
        attachments: vec![],
        subscription: None,
        state: SubmissionState::Created,
        server: Some(server),
        server_id: Some("616122292874576".into()),
        last_error: None,
        created_at: "2025-03-03T10:00:00Z".into(),
        updated_at: "2025-03-04T09:31:00Z".into(),
    }
}

#[test]
fn details_screen() {
    let mut s = fresh();
    let mut server = created();
    server.status = Some(Status::Open);
    server.topic.name = Some("Cannot manage my profile".into());
    server.description = Some("Ignore this SR\nSecond line with an escape \u{1b}]0;evil\u{7}removed".into());
    server.notes = vec![Note {
        author: Some("Support Engineer".into()),
        created: Some(crate::domain::Stamp::At("2025-03-04T09:30:00".into())),
        text: Some("We are looking into it.".into()),
        ..Note::default()
    }];
    let submission = submission(server);
    s.screen = Screen::Details(Box::new(DetailsView {
        submission: Some(submission),
        ..DetailsView::local(3)
    }));
    insta::assert_snapshot!(render(&mut s, 100, 30));
}

#[test]
fn close_confirmation_names_the_request_and_takes_only_yes_or_no() {
    let mut s = fresh();
    let mut server = created();
    server.status = Some(Status::Open);
    s.screen = Screen::Details(Box::new(DetailsView {
        submission: Some(submission(server)),
        ..DetailsView::local(3)
    }));
    press(&mut s, KeyCode::Char('x'));
    let screen = render(&mut s, 100, 30);
    insta::assert_snapshot!(screen);
    assert!(screen.contains("Close request 616122292874576? y/n"), "{screen}");
    // Keys other than the answers do nothing while the question is up.
    assert!(press(&mut s, KeyCode::Char('r')).is_empty());
    assert!(press(&mut s, KeyCode::Char('q')).is_empty());
    let fx = press(&mut s, KeyCode::Char('n'));
    assert!(fx.is_empty() && s.question().is_none(), "n leaves it open");
    press(&mut s, KeyCode::Char('x'));
    let fx = press(&mut s, KeyCode::Char('y'));
    assert_eq!(
        fx,
        vec![crate::tui::action::Effect::Worker(crate::worker::Job::Close(
            crate::worker::Target {
                local_id: Some(3),
                server_id: "616122292874576".into(),
                customer: None,
            }
        ))]
    );
}

#[test]
fn help_overlay() {
    let mut s = fresh();
    update(
        &mut s,
        Action::Key(ratatui::crossterm::event::KeyEvent::from(KeyCode::F(1))),
    );
    insta::assert_snapshot!(render(&mut s, 100, 40));
}

#[test]
fn end_and_home_reach_both_ends_of_long_details() {
    let mut s = fresh();
    let mut server = created();
    let description: Vec<String> = (1..=200).map(|i| format!("description line {i}")).collect();
    server.description = Some(description.join("\n"));
    server.notes = vec![Note {
        author: Some("Support Engineer".into()),
        created: Some(crate::domain::Stamp::At("2025-03-04T09:30:00".into())),
        text: Some(format!(
            "The last note, long enough to wrap: {}THE-END",
            "word ".repeat(40)
        )),
        ..Note::default()
    }];
    s.screen = Screen::Details(Box::new(DetailsView {
        submission: Some(submission(server)),
        ..DetailsView::local(3)
    }));
    render(&mut s, 100, 30);
    press(&mut s, KeyCode::End);
    let bottom = render(&mut s, 100, 30);
    assert!(
        bottom.contains("THE-END"),
        "the wrapped end of the last note shows: {bottom}"
    );
    assert!(!bottom.contains("Request id"), "{bottom}");
    press(&mut s, KeyCode::PageUp);
    let up = render(&mut s, 100, 30);
    assert!(!up.contains("The last note"), "one page up leaves the end: {up}");
    press(&mut s, KeyCode::Home);
    let top = render(&mut s, 100, 30);
    assert!(top.contains("Request id"), "{top}");
}

#[test]
fn the_sign_in_hint_shows_only_without_a_real_account() {
    let hint_line = |s: &mut State| render(s, 100, 30).lines().last().unwrap_or_default().to_string();
    let mut sandbox = fresh();
    assert!(hint_line(&mut sandbox).contains("F2 sign in"));
    let mut token = fresh();
    token.header.account = crate::tui::Account::Token;
    assert!(!hint_line(&mut token).contains("F2"));
    let mut user = fresh();
    user.header.account = crate::tui::Account::User("ada@contoso.com".into());
    assert!(!hint_line(&mut user).contains("F2"));
}

#[test]
fn too_small() {
    let mut s = fresh();
    insta::assert_snapshot!(render(&mut s, 50, 15));
}

#[test]
fn untrusted_text_cannot_reach_the_terminal() {
    let mut s = fresh();
    let mut sr = created();
    sr.title = Some("Evil\u{1b}]52;c;cGF5bG9hZA==\u{7} title\u{1b}[2J".into());
    s.screen = Screen::Result(Box::new(ResultView {
        request: sr,
        request_id: REQUEST_ID,
        topic_name: None,
        clock: None,
        upload_failed: None,
    }));
    let screen = render(&mut s, 100, 30);
    assert!(screen.contains("Evil title"), "{screen}");
    assert!(!screen.contains('\u{1b}'));
}

/// An Azure form: the header names the service, cloud and subscription; the severity field
/// offers Azure's four, shrinking their names rather than cutting one off.
pub(super) fn azure_form(subscription: Option<&str>, customer: Option<&str>) -> State {
    let header = crate::tui::state::Header {
        service: crate::domain::Service::Azure,
        cloud: crate::auth::Cloud::Global,
        account: crate::tui::Account::Sandbox,
        locale: "en-US".into(),
        subscription: subscription.map(str::to_string),
        customer: customer.map(str::to_string),
    };
    let mut s = State::new(header, crate::tui::state::Theme::MONO, (120, 40), Instant::now());
    s.form = crate::tui::state::Form::new(crate::domain::Service::Azure, None);
    s
}

/// The contact profile screen over an Azure form, after a save that found problems.
fn contact_screen() -> State {
    let mut s = azure_form(Some("132d901f-189d-4381-9214-fe68e27e05a1"), None);
    s.azure.local_zone = Some("Pacific Standard Time".into());
    update(
        &mut s,
        Action::Key(ratatui::crossterm::event::KeyEvent::from(KeyCode::F(4))),
    );
    type_text(&mut s, "Avery");
    press(&mut s, KeyCode::Tab);
    press(&mut s, KeyCode::Tab);
    type_text(&mut s, "avery@");
    // Save: the empty last name and the bad address show by their fields.
    press(&mut s, KeyCode::Enter);
    for _ in 0..5 {
        press(&mut s, KeyCode::Tab);
    }
    type_text(&mut s, "ger");
    s
}

#[test]
fn the_azure_header_names_service_cloud_and_scope() {
    let mut s = azure_form(Some("132d901f-189d-4381-9214-fe68e27e05a1"), None);
    let screen = render(&mut s, 120, 40);
    let header = screen.lines().next().unwrap_or_default();
    assert!(
        header.contains("Azure │ cloud global │ subscription 132d901f │ en-US"),
        "{header}"
    );
    let mut s = azure_form(None, Some("0b6a5c1e-3f7a-4b9e-9d2c-5e8f1a2b3c4d"));
    let screen = render(&mut s, 120, 40);
    let header = screen.lines().next().unwrap_or_default();
    assert!(
        header.contains("│ tenant level │ customer 0b6a5c1e │"),
        "{header}"
    );
    let mut s = fresh();
    let header = render(&mut s, 120, 40)
        .lines()
        .next()
        .unwrap_or_default()
        .to_string();
    assert!(
        header.contains("Partner Center │ cloud global │ en-US") && !header.contains("tenant"),
        "Partner Center has no subscriptions: {header}"
    );
}

#[test]
fn azure_severities_all_show_whole_or_shortened_never_cut() {
    let severity_line = |screen: &str| {
        let lines: Vec<&str> = screen.lines().collect();
        let title = lines
            .iter()
            .position(|l| l.contains("Severity"))
            .expect("a severity field");
        lines[title + 1].to_string()
    };
    let mut s = azure_form(None, None);
    let wide = severity_line(&render(&mut s, 200, 40));
    assert!(
        wide.contains("( ) Highest critical impact  ( ) Critical  ( ) Moderate  ( ) Minimal"),
        "{wide}"
    );
    for (w, h) in [(120, 40), (80, 24), (60, 20)] {
        let line = severity_line(&render(&mut s, w, h));
        for word in ["Highest", "Critical", "Moderate", "Minimal"] {
            assert!(line.contains(word), "{w}x{h}: {word} in {line}");
        }
    }
    update(&mut s, Action::Resize(60, 20));
    s.form.severity = Some(Severity::HighestCriticalImpact);
    let narrow = severity_line(&render(&mut s, 60, 20));
    assert!(narrow.contains("•Highest"), "the choice stays marked: {narrow}");
}

/// The Swagger's billing example as filed, with an attachment and an SLA eight hours out.
pub(super) fn azure_created() -> Ticket {
    let example: serde_json::Value = serde_json::from_slice(include_bytes!(
        "../../../tests/fixtures/azure/CreateBillingSupportTicketForSubscription.json"
    ))
    .expect("fixture parses");
    let mut body = example["responses"]["200"]["body"].clone();
    body["properties"]["serviceLevelAgreement"]["expirationTime"] = "2026-12-02T18:00:00Z".into();
    let resource: crate::azure::wire::TicketResource =
        serde_json::from_value(body.clone()).expect("a ticket resource");
    let mut ticket = crate::azure::mapping::ticket(&resource, body);
    ticket.attachments = vec!["rdp-trace.txt".into()];
    ticket
}

#[test]
fn azure_result_screen() {
    for (w, h) in [(120, 40), (80, 24)] {
        let mut s = azure_form(Some("132d901f-189d-4381-9214-fe68e27e05a1"), None);
        s.screen = Screen::Result(Box::new(ResultView {
            request: azure_created(),
            request_id: REQUEST_ID,
            topic_name: None,
            clock: Some(crate::dates::WallClock {
                now: time::macros::datetime!(2026-12-02 10:02 UTC),
                offset: time::macros::offset!(-8),
                zoned: false,
            }),
            upload_failed: None,
        }));
        let screen = render(&mut s, w, h);
        for want in [
            "Support ticket created",
            "Ticket number",
            "2026-12-02 10:00 -08:00, in 7 h 58 min",
            "1 uploaded",
            "rdp-trace.txt",
        ] {
            assert!(screen.contains(want), "{w}x{h}: {want}\n{screen}");
        }
        insta::assert_snapshot!(format!("azure_result_{w}x{h}"), screen);
    }
}

#[test]
fn azure_conversation() {
    let mut ticket = azure_created();
    let note = |direction, author: &str, at: &str, subject: &str, text: &str| Note {
        author: Some(author.into()),
        created: Some(crate::domain::Stamp::At(at.into())),
        subject: Some(subject.into()),
        text: Some(text.into()),
        direction,
        ..Note::default()
    };
    ticket.notes = vec![
        note(
            crate::domain::Direction::Outbound,
            "abc@contoso.com",
            "2026-12-02T10:05:00Z",
            "Re: my title",
            "It also fails from the jump host.\nTraceroute attached.",
        ),
        note(
            crate::domain::Direction::Inbound,
            "support@microsoft.com",
            "2026-12-02T10:40:00Z",
            "Case 119120321001170",
            "We are looking into the refund.",
        ),
    ];
    for (w, h) in [(120, 40), (80, 24)] {
        let mut s = azure_form(Some("132d901f-189d-4381-9214-fe68e27e05a1"), None);
        s.screen = Screen::Details(Box::new(DetailsView {
            server_id: ticket.id.clone(),
            fresh: Some(ticket.clone()),
            // Seattle in winter: every date shows in local time with its offset.
            clock: Some(crate::dates::WallClock {
                now: time::macros::datetime!(2026-12-02 10:45 UTC),
                offset: time::macros::offset!(-8),
                zoned: false,
            }),
            ..DetailsView::default()
        }));
        let top = render(&mut s, w, h);
        assert!(
            top.contains("Ticket 119120321001170") && top.contains("Support plan"),
            "{w}x{h}\n{top}"
        );
        assert!(
            !top.contains("MS-RequestId") && !top.contains("Organization"),
            "{top}"
        );
        // The conversation's end, where the newest message is.
        press(&mut s, KeyCode::End);
        let end = render(&mut s, w, h);
        for want in [
            "abc@contoso.com (you)",
            "Traceroute attached.",
            "support@microsoft.com (support)",
            "2026-12-02 02:40 -08:00",
            "Case 119120321001170",
        ] {
            assert!(end.contains(want), "{w}x{h}: {want}\n{end}");
        }
        insta::assert_snapshot!(format!("azure_conversation_{w}x{h}"), end);
    }
}

#[test]
fn contact_screen_wide() {
    let mut s = contact_screen();
    insta::assert_snapshot!(render(&mut s, 120, 40));
}

#[test]
fn contact_screen_small() {
    let mut s = contact_screen();
    insta::assert_snapshot!(render(&mut s, 80, 24));
}

/// A small Azure catalogue as the worker sends it: services, then each one's classifications.
fn azure_catalogue(s: &mut State) {
    let service = |id: &str, name: &str| crate::domain::Topic {
        id: format!("/providers/Microsoft.Support/services/{id}"),
        name: name.into(),
        ..crate::domain::Topic::default()
    };
    let services = [
        (
            "6f16735c-1530-836f-ce5f-89d4f5b7d82d",
            "Virtual Machine running Windows",
        ),
        (
            "cddd3eb5-1830-b494-44fd-782f691479dc",
            "Virtual Machine running Linux",
        ),
        ("517f2da6-78fd-0498-4e22-ad26996b1dfc", "Billing"),
        ("b4d0e877-0166-0474-9a76-b5be30ba40e4", "Azure DNS"),
    ];
    let problems: [&[&str]; 4] = [
        &[
            "Connectivity / Cannot connect to virtual machine by using RDP or SSH",
            "Performance / Virtual machine is slow",
            "Extensions / Extension failed to install",
        ],
        &[
            "Connectivity / Cannot SSH to my VM",
            "Boot / VM does not start after an update",
        ],
        &["Invoice / I need a copy of my invoice", "Refund request / Refund"],
        &["Private DNS / Private zone not linked"],
    ];
    update(
        s,
        Action::from(Reply::Topics {
            topics: services.iter().map(|(id, name)| service(id, name)).collect(),
            cached: false,
        }),
    );
    for ((id, name), problems) in services.iter().zip(problems) {
        let parent = service(id, name);
        let topics = problems
            .iter()
            .enumerate()
            .map(|(i, p)| crate::domain::Topic {
                id: format!(
                    "{}/problemClassifications/{:08x}-0000-0000-0000-{i:012}",
                    parent.id,
                    i + 1
                ),
                name: (*p).into(),
                parent_id: Some(parent.id.as_str().into()),
                parent_name: Some(parent.name.as_str().into()),
                ..crate::domain::Topic::default()
            })
            .collect();
        update(
            s,
            Action::from(Reply::Branch {
                parent_id: parent.id.clone(),
                topics,
                cached: false,
            }),
        );
    }
}

// The Azure topic picker: the title's words suggest classifications above the services; Right
// opens a service; typing searches every classification of every service.
#[test]
fn azure_topic_tree() {
    for (w, h) in [(120, 40), (80, 24)] {
        let mut s = azure_form(Some("132d901f-189d-4381-9214-fe68e27e05a1"), None);
        azure_catalogue(&mut s);
        type_text(&mut s, "Cannot RDP to vm-web-01");
        for _ in 0..3 {
            press(&mut s, KeyCode::Tab);
        }
        let screen = render(&mut s, w, h);
        assert!(
            screen.contains("★ Virtual Machine running Windows / Connectivity"),
            "{screen}"
        );
        if h >= 40 {
            assert!(screen.contains("Billing  › 2"), "the services below: {screen}");
        }
        insta::assert_snapshot!(format!("azure_topic_suggestions_{w}x{h}"), screen);

        // Past the suggestions to the first service, and into it.
        let suggested = s.topics.suggested.len();
        for _ in 0..suggested {
            press(&mut s, KeyCode::Down);
        }
        press(&mut s, KeyCode::Right);
        let screen = render(&mut s, w, h);
        assert!(
            screen.contains("Topic › Virtual Machine running Windows"),
            "{screen}"
        );
        assert!(
            screen.contains("Extensions / Extension failed to install"),
            "{screen}"
        );
        insta::assert_snapshot!(format!("azure_topic_branch_{w}x{h}"), screen);

        press(&mut s, KeyCode::Left);
        type_text(&mut s, "linux ssh");
        let screen = render(&mut s, w, h);
        assert!(
            screen.contains("✓ Virtual Machine running Linux / Connectivity"),
            "{screen}"
        );
        assert!(
            screen.contains("Cannot SSH to my VM"),
            "the whole path below: {screen}"
        );
        assert!(!screen.contains("Billing"), "{screen}");
        insta::assert_snapshot!(format!("azure_topic_search_{w}x{h}"), screen);
        assert_eq!(
            s.form.topic_id.as_deref().map(|id| id.contains("cddd3eb5")),
            Some(true),
            "the best match is the chosen one"
        );
    }
}

/// The subscription picker over an Azure form, both of the sandbox's subscriptions listed.
fn subscription_picker() -> State {
    let mut s = azure_form(Some("132d901f-189d-4381-9214-fe68e27e05a1"), None);
    update(
        &mut s,
        Action::Key(ratatui::crossterm::event::KeyEvent::from(KeyCode::F(6))),
    );
    let subs = vec![
        crate::domain::Subscription {
            id: "132d901f-189d-4381-9214-fe68e27e05a1".into(),
            name: "Sandbox Production (Professional Direct support)".into(),
            state: Some("Enabled".into()),
        },
        crate::domain::Subscription {
            id: "5a0c3b6e-2f1d-4a8e-9c47-1d2b3c4d5e6f".into(),
            name: "Sandbox Dev/Test (Basic support)".into(),
            state: Some("Enabled".into()),
        },
    ];
    update(
        &mut s,
        Action::from(crate::worker::Reply::Subscriptions(Ok(subs))),
    );
    s
}

#[test]
fn subscription_picker_120x40() {
    let mut s = subscription_picker();
    insta::assert_snapshot!(render(&mut s, 120, 40));
}

#[test]
fn subscription_picker_80x24() {
    let mut s = subscription_picker();
    insta::assert_snapshot!(render(&mut s, 80, 24));
}

#[test]
fn subscription_picker_failure_says_what_to_do_next() {
    let mut s = azure_form(None, None);
    update(
        &mut s,
        Action::Key(ratatui::crossterm::event::KeyEvent::from(KeyCode::F(6))),
    );
    let failure =
        crate::domain::Failure::local("the sign-in is missing or expired", crate::domain::Remedy::SignIn);
    update(
        &mut s,
        Action::from(crate::worker::Reply::Subscriptions(Err(failure))),
    );
    let screen = render(&mut s, 80, 24);
    let flat: String = screen.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(flat.contains("No subscription (tenant level)"), "{screen}");
    assert!(flat.contains("login --backend azure"), "{screen}");
    assert!(flat.contains("F6 tries again"), "{screen}");
}

/// An Azure form with two files attached, the focus in the Attachments field: each file's
/// name and size, the second one half uploaded.
fn form_with_attachments() -> State {
    use crate::tui::state::{AttachedPath, FormField};
    let mut s = azure_form(Some("132d901f-189d-4381-9214-fe68e27e05a1"), None);
    s.form.set_title("Cannot RDP to vm-web-01");
    s.form
        .set_description("Times out since 09:00; the NSG allows 3389.");
    s.form.severity = Some(crate::domain::Severity::Moderate);
    s.form.attachments.files = vec![
        AttachedPath {
            path: "/var/log/rdp-trace.txt".into(),
            name: "rdp-trace.txt".into(),
            size: 18_432,
            sent: None,
        },
        AttachedPath {
            path: "/home/avery/nsg-rules.json".into(),
            name: "nsg-rules.json".into(),
            size: 3 * 1024 * 1024,
            sent: Some(1024 * 1024),
        },
    ];
    s.form.attachments.selected = 1;
    s.form.set_focus(FormField::Attachments);
    s.form.attachments.path.set_text("/home/avery/no");
    s.form.attachments.hint = Some("notes-01.md  notes-02.md".into());
    s
}

#[test]
fn form_with_two_attachments_wide() {
    let mut s = form_with_attachments();
    let screen = render(&mut s, 120, 40);
    for want in [
        "Attachments",
        "rdp-trace.txt",
        "18.0 KiB",
        "nsg-rules.json",
        "33%",
        "notes-01.md",
    ] {
        assert!(screen.contains(want), "{want}:\n{screen}");
    }
    insta::assert_snapshot!(screen);
}

#[test]
fn form_with_two_attachments_small() {
    let mut s = form_with_attachments();
    let screen = render(&mut s, 80, 24);
    for want in ["Attachments", "rdp-trace.txt", "nsg-rules.json"] {
        assert!(screen.contains(want), "{want}:\n{screen}");
    }
    insta::assert_snapshot!(screen);
}

#[test]
fn a_failed_upload_names_the_file_and_the_command_that_uploads_it() {
    let mut s = azure_form(Some("132d901f-189d-4381-9214-fe68e27e05a1"), None);
    let mut ticket = azure_created();
    ticket.attachments = vec!["rdp-trace.txt".into()];
    let name = ticket.id.clone().unwrap_or_default();
    s.screen = Screen::Result(Box::new(ResultView {
        request: ticket,
        request_id: REQUEST_ID,
        topic_name: None,
        clock: None,
        upload_failed: Some(crate::attachments::UploadFailure::new(
            &name,
            std::path::Path::new("/var/log/nsg-rules.json"),
            "HTTP 503 Service Unavailable".into(),
        )),
    }));
    let screen = render(&mut s, 120, 40);
    for want in [
        "1 uploaded",
        "rdp-trace.txt",
        "✗ nsg-rules.json was not uploaded: HTTP 503 Service Unavailable",
        "The ticket is filed",
        &format!("pcsr-tui attach --backend azure {name} /var/log/nsg-rules.json"),
    ] {
        assert!(screen.contains(want), "{want}:\n{screen}");
    }
}

#[test]
fn an_empty_azure_list_says_so_within_80_columns() {
    let mut s = state_at(Instant::now());
    s.header.service = crate::domain::Service::Azure;
    s.header.subscription = Some("132d901f-189d-4381-9214-fe68e27e05a1".into());
    open_history(&mut s, Vec::new(), 0);
    s.history.source = crate::tui::state::Source::Service;
    s.history.service.paging = crate::tui::state::Paging::Done;
    let screen = render(&mut s, 80, 24);
    assert!(
        screen.contains("No tickets under subscription 132d901f. F6 picks another subscription."),
        "{screen}"
    );
}
