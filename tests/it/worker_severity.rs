//! A TUI severity change, through the worker against the in-process sandbox: the PATCH reaches
//! the service, whose ticket then has the new severity; the local history row takes the answer
//! (keeping the conversation the answer leaves out), as a close's does; and a change the
//! service refuses (an engineer works the ticket) comes back with its words and changes nothing.

use std::sync::Arc;
use std::time::{Duration, Instant};

use pcsr_tui::api::{Scope, StaticToken};
use pcsr_tui::azure::{AzureClient, AzureConfig};
use pcsr_tui::backend::Backend;
use pcsr_tui::domain::{NewTicket, Remedy, Service, Severity, Ticket};
use pcsr_tui::sandbox::azure::{PAID_SUBSCRIPTION, VM_CONNECTIVITY_CLASSIFICATION_ID};
use pcsr_tui::sandbox::{SANDBOX_TOKEN, Sandbox, SandboxOptions};
use pcsr_tui::store::Store;
use pcsr_tui::worker::{Job, Origin, Reply, SignInSetup, Target, WorkerHandle, spawn};

fn client_of(sandbox: &Sandbox) -> Backend {
    let mut config = AzureConfig::new(&sandbox.base_url()).unwrap();
    config.subscription = Some(PAID_SUBSCRIPTION.to_string());
    Backend::Azure(AzureClient::new(config, Arc::new(StaticToken(SANDBOX_TOKEN.into()))).unwrap())
}

async fn start() -> (Sandbox, tempfile::TempDir, WorkerHandle) {
    pcsr_tui::tls::install_provider();
    let dir = tempfile::tempdir().unwrap();
    let sandbox = Sandbox::start(SandboxOptions {
        db_path: Some(dir.path().join("sandbox.db")),
        bind: "127.0.0.1:0".parse().unwrap(),
    })
    .await
    .unwrap()
    .with_azure_operation_polls(0);
    let origin = Origin {
        service: Service::Azure,
        cloud: "sandbox".into(),
        locale: "en-US".into(),
        base_url: sandbox.base_url(),
    };
    let store = Store::open(&dir.path().join("pcsr.sqlite")).unwrap();
    let worker = spawn(client_of(&sandbox), store, origin, SignInSetup::unavailable());
    (sandbox, dir, worker)
}

/// The first reply `pick` takes, within twenty seconds; the others are passed over.
async fn until<T>(worker: &mut WorkerHandle, mut pick: impl FnMut(Reply) -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let reply = tokio::time::timeout_at(deadline.into(), worker.replies.recv())
            .await
            .expect("an answer within 20 s")
            .expect("worker alive");
        if let Some(found) = pick(reply) {
            return found;
        }
    }
}

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
    worker
        .commands
        .send(Job::SetSeverity {
            target: target.clone(),
            severity,
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
    tokio::time::sleep(Duration::from_millis(200)).await;

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
