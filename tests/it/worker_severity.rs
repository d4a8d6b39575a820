//! A TUI severity change, through the worker against the in-process sandbox: the PATCH reaches
//! the service, whose ticket then has the new severity; the local history row takes the answer
//! (keeping the conversation the answer leaves out), as a close's does; and a change the
//! service refuses (an engineer works the ticket) comes back with its words and changes nothing;
//! a critical change carries the phone number a critical ticket needs.

use std::time::{Duration, Instant};

use pcsr_tui::api::Scope;
use pcsr_tui::domain::{NewTicket, Remedy, Severity, Ticket};
use pcsr_tui::sandbox::Sandbox;
use pcsr_tui::sandbox::azure::VM_CONNECTIVITY_CLASSIFICATION_ID;
use pcsr_tui::worker::{Job, Reply, Target, WorkerHandle};

use super::azure_worker::{client_of, start, until};

/// Files a moderate ticket from the worker; its target as the details would name it.
async fn file(worker: &mut WorkerHandle, title: &str) -> Target {
    let request = NewTicket {
        title: title.into(),
        description: "Times out since 09:00; the NSG allows 3389.".into(),
        severity: Some(Severity::Moderate),
        topic_id: VM_CONNECTIVITY_CLASSIFICATION_ID.into(),
        contact: Some(Box::new(crate::azure_client::contact())),
        diagnostic_consent: Some(true),
        ..NewTicket::default()
    };
    worker
        .commands
        .send(Job::Submit {
            request,
            attachments: Vec::new(),
        })
        .unwrap();
    until(worker, |r| match r {
        Reply::Submitted {
            local_id, response, ..
        } => Some(Target {
            local_id: Some(local_id),
            server_id: response.id.expect("the ticket's name"),
            customer: None,
        }),
        Reply::SubmitFailed { error, .. } => panic!("not filed: {error:?}"),
        _ => None,
    })
    .await
}

async fn set_severity(
    worker: &mut WorkerHandle,
    target: &Target,
    severity: Severity,
) -> Result<Ticket, pcsr_tui::domain::Failure> {
    set_severity_with(worker, target, severity, None).await
}

async fn set_severity_with(
    worker: &mut WorkerHandle,
    target: &Target,
    severity: Severity,
    phone: Option<&str>,
) -> Result<Ticket, pcsr_tui::domain::Failure> {
    worker
        .commands
        .send(Job::SetSeverity {
            target: target.clone(),
            severity,
            phone: phone.map(str::to_string),
        })
        .unwrap();
    until(worker, |r| match r {
        Reply::SeverityChanged {
            target: t,
            severity: s,
            outcome,
        } if t == *target && s == severity => Some(outcome),
        _ => None,
    })
    .await
}

async fn on_service(sandbox: &Sandbox, name: &str) -> Ticket {
    client_of(sandbox).get(&Scope::Partner, name).await.unwrap()
}

async fn in_history(worker: &mut WorkerHandle, local_id: i64) -> pcsr_tui::store::Submission {
    worker
        .commands
        .send(Job::Details {
            local_id: Some(local_id),
            server_id: None,
        })
        .unwrap();
    until(worker, |r| match r {
        Reply::Details(sub) if sub.local_id == local_id => Some(sub),
        _ => None,
    })
    .await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_severity_change_reaches_the_service_and_the_local_history_row() {
    let (sandbox, _dir, mut worker) = start().await;
    let target = file(&mut worker, "Cannot RDP to vm-web-01").await;
    // A note first, so the history's copy holds a conversation the PATCH answer leaves out.
    worker
        .commands
        .send(Job::AddNote {
            target: target.clone(),
            text: "It also fails from the jump host.".into(),
            request_id: uuid::Uuid::new_v4(),
        })
        .unwrap();
    until(&mut worker, |r| match r {
        Reply::NoteAdded { outcome, .. } => Some(outcome.expect("the note is added")),
        _ => None,
    })
    .await;

    let answer = set_severity(&mut worker, &target, Severity::Minimal)
        .await
        .expect("the service takes the change");
    assert_eq!(answer.severity, Some(Severity::Minimal));
    assert_eq!(answer.notes.len(), 1, "the conversation is kept with the answer");
    assert_eq!(
        on_service(&sandbox, &target.server_id).await.severity,
        Some(Severity::Minimal),
        "the sandbox's ticket has the new severity"
    );

    let local_id = target.local_id.unwrap();
    let sub = in_history(&mut worker, local_id).await;
    let copy = sub.server.expect("the history keeps the service's copy");
    assert_eq!(copy.severity, Some(Severity::Minimal));
    assert_eq!(copy.notes.len(), 1, "the history's conversation is not lost");
    worker
        .commands
        .send(Job::History {
            seq: 1,
            filter: String::new(),
            anchor: pcsr_tui::store::Anchor::Top,
            limit: 10,
            count: false,
        })
        .unwrap();
    let rows = until(&mut worker, |r| match r {
        Reply::HistoryPage { seq: 1, rows, .. } => Some(rows),
        _ => None,
    })
    .await;
    let row = rows.iter().find(|r| r.local_id == local_id).expect("its row");
    assert_eq!(row.severity, Some(Severity::Minimal), "the history list shows it");
    assert!(!row.updated, "changed from the details: not news");
    drop(worker);
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_change_refused_while_an_engineer_works_the_ticket_says_why_and_changes_nothing() {
    let (sandbox, _dir, mut worker) = start().await;
    sandbox.set_agent_replies(Some(Duration::from_millis(50)));
    let target = file(&mut worker, "Cannot RDP to vm-web-02").await;
    // An engineer takes the ticket with their first answer: wait for it.
    let deadline = Instant::now() + Duration::from_secs(10);
    while !on_service(&sandbox, &target.server_id)
        .await
        .as_sent
        .pointer("/properties/supportEngineer/emailAddress")
        .is_some_and(serde_json::Value::is_string)
    {
        assert!(
            Instant::now() < deadline,
            "no engineer took the ticket within 10 s"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    let refusal = set_severity(&mut worker, &target, Severity::Minimal)
        .await
        .expect_err("an engineer works the ticket");
    assert_eq!(refusal.code.as_deref(), Some("SeverityUpdateNotAllowed"));
    assert!(
        refusal
            .description
            .as_deref()
            .is_some_and(|d| d.contains("support engineer is working on the ticket")),
        "{refusal:?}"
    );
    assert_eq!(refusal.remedy, Remedy::FixInput);
    assert_eq!(
        on_service(&sandbox, &target.server_id).await.severity,
        Some(Severity::Moderate)
    );
    let sub = in_history(&mut worker, target.local_id.unwrap()).await;
    assert_eq!(sub.server.and_then(|s| s.severity), Some(Severity::Moderate));
    drop(worker);
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_critical_change_takes_the_phone_its_contact_lacked_in_the_same_patch() {
    let (sandbox, _dir, mut worker) = start().await;
    // Filed moderate by e-mail, so without a phone number.
    let target = file(&mut worker, "Cannot RDP to vm-web-03").await;
    let refusal = set_severity(&mut worker, &target, Severity::Critical)
        .await
        .expect_err("the service takes a critical ticket only with a phone number");
    assert!(
        refusal
            .description
            .as_deref()
            .is_some_and(|d| d.contains("phone number is required")),
        "{refusal:?}"
    );

    let answer = set_severity_with(&mut worker, &target, Severity::Critical, Some("+1 425 555 0100"))
        .await
        .expect("with the phone, the change is taken");
    assert_eq!(answer.severity, Some(Severity::Critical));
    let on_service = on_service(&sandbox, &target.server_id).await;
    assert_eq!(on_service.severity, Some(Severity::Critical));
    assert_eq!(
        on_service.contact.and_then(|c| c.phone).as_deref(),
        Some("+1 425 555 0100"),
        "the ticket's contact has the number"
    );
    assert_eq!(
        on_service
            .as_sent
            .pointer("/properties/contactDetails/primaryEmailAddress")
            .and_then(serde_json::Value::as_str),
        Some("avery@contoso.example"),
        "the rest of the contact is kept"
    );
    drop(worker);
    sandbox.shutdown().await;
}
