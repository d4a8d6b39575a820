//! The TUI's subscription picker, worker side, against the in-process sandbox: the worker lists
//! the sign-in's two subscriptions, and after a switch the service's list and new tickets are
//! the other subscription's; an unreachable service comes back as a failure with its remedy.

use std::sync::Arc;
use std::time::{Duration, Instant};

use pcsr_tui::api::StaticToken;
use pcsr_tui::azure::{AzureClient, AzureConfig};
use pcsr_tui::backend::Backend;
use pcsr_tui::domain::{Remedy, Service};
use pcsr_tui::sandbox::SANDBOX_TOKEN;
use pcsr_tui::sandbox::azure::{BILLING_CLASSIFICATION_ID, FREE_SUBSCRIPTION, PAID_SUBSCRIPTION};

use super::azure_worker::sandbox_in;
use pcsr_tui::store::Store;
use pcsr_tui::worker::{Job, Origin, Reply, SignInSetup, WorkerHandle, spawn};

fn client(base_url: &str, subscription: Option<&str>, token: &str) -> AzureClient {
    let mut config = AzureConfig::new(base_url).unwrap();
    config.subscription = subscription.map(str::to_string);
    config.max_attempts = 1;
    config.max_wait = Duration::ZERO;
    config.poll_wait = Duration::ZERO;
    AzureClient::new(config, Arc::new(StaticToken(token.into()))).unwrap()
}

fn worker(base_url: &str, store: &std::path::Path, token: &str) -> WorkerHandle {
    spawn(
        Backend::Azure(client(base_url, Some(PAID_SUBSCRIPTION), token)),
        Store::open(store).unwrap(),
        Origin {
            service: Service::Azure,
            cloud: "sandbox".into(),
            locale: "en-US".into(),
            base_url: base_url.into(),
        },
        SignInSetup::from_env(None),
    )
}

/// The first reply `pick` takes, within ten seconds (others are skipped).
async fn reply<T>(handle: &mut WorkerHandle, mut pick: impl FnMut(Reply) -> Option<T>) -> T {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let reply = tokio::time::timeout_at(deadline.into(), handle.replies.recv())
            .await
            .expect("an answer in time")
            .expect("worker alive");
        if let Some(value) = pick(reply) {
            return value;
        }
    }
}

/// The ids of the service's first page, read by the worker.
async fn listed(handle: &mut WorkerHandle, seq: u64) -> Vec<String> {
    handle
        .commands
        .send(Job::ServicePage {
            seq,
            customer: None,
            uri: None,
        })
        .unwrap();
    let page = reply(handle, |r| match r {
        Reply::ServicePage { seq: s, outcome } if s == seq => Some(outcome),
        _ => None,
    })
    .await
    .expect("the list reads");
    page.0.into_iter().map(|row| row.id).collect()
}

#[tokio::test(flavor = "multi_thread")]
async fn the_worker_lists_both_subscriptions_and_a_switch_changes_the_list() {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = sandbox_in(dir.path()).await;
    let base = sandbox.base_url();
    // One ticket under the paid subscription, filed as the CLI would.
    let new = pcsr_tui::domain::NewTicket {
        title: "Invoice counts a VM twice".into(),
        description: "November.".into(),
        severity: Some(pcsr_tui::domain::Severity::Minimal),
        topic_id: BILLING_CLASSIFICATION_ID.into(),
        contact: Some(Box::new(super::azure_client::contact())),
        diagnostic_consent: Some(false),
        ..Default::default()
    };
    client(&base, Some(PAID_SUBSCRIPTION), SANDBOX_TOKEN)
        .create("pcsr-paid-1", &new)
        .await
        .unwrap();

    let mut w = worker(&base, &dir.path().join("pcsr.sqlite"), SANDBOX_TOKEN);
    w.commands.send(Job::Subscriptions).unwrap();
    let subs = reply(&mut w, |r| match r {
        Reply::Subscriptions(outcome) => Some(outcome),
        _ => None,
    })
    .await
    .expect("the sandbox lists its subscriptions");
    let ids: Vec<&str> = subs.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(ids, [PAID_SUBSCRIPTION, FREE_SUBSCRIPTION]);
    assert!(subs[0].name.contains("Production"), "{subs:?}");
    assert_eq!(subs[1].state.as_deref(), Some("Enabled"));

    assert!(listed(&mut w, 1).await.contains(&"pcsr-paid-1".to_string()));
    // Queued one after the other: the read already sees the new scope.
    w.commands
        .send(Job::UseSubscription(Some(FREE_SUBSCRIPTION.into())))
        .unwrap();
    assert!(
        !listed(&mut w, 2).await.contains(&"pcsr-paid-1".to_string()),
        "the free subscription's list"
    );
    w.commands
        .send(Job::UseSubscription(Some(PAID_SUBSCRIPTION.into())))
        .unwrap();
    assert!(listed(&mut w, 3).await.contains(&"pcsr-paid-1".to_string()));
    drop(w.commands);
    let _ = w.task.await;
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unreachable_service_comes_back_as_a_failure_that_says_check_the_network() {
    pcsr_tui::tls::install_provider();
    let dir = tempfile::tempdir().unwrap();
    // A loopback port nobody listens on any more.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let base = format!("http://127.0.0.1:{port}");
    let mut w = worker(&base, &dir.path().join("pcsr.sqlite"), SANDBOX_TOKEN);
    w.commands.send(Job::Subscriptions).unwrap();
    let outcome = reply(&mut w, |r| match r {
        Reply::Subscriptions(outcome) => Some(outcome),
        _ => None,
    })
    .await;
    let failure = outcome.expect_err("nothing answers");
    assert_eq!(failure.remedy, Remedy::CheckNetwork, "{failure:?}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_ticket_filed_under_one_subscription_still_opens_after_switching_to_another() {
    let dir = tempfile::tempdir().unwrap();
    let sandbox = sandbox_in(dir.path()).await;
    let base = sandbox.base_url();
    let mut w = worker(&base, &dir.path().join("pcsr.sqlite"), SANDBOX_TOKEN);
    let new = pcsr_tui::domain::NewTicket {
        title: "Invoice counts a VM twice".into(),
        description: "November.".into(),
        severity: Some(pcsr_tui::domain::Severity::Minimal),
        topic_id: BILLING_CLASSIFICATION_ID.into(),
        contact: Some(Box::new(super::azure_client::contact())),
        diagnostic_consent: Some(false),
        ..Default::default()
    };
    w.commands
        .send(Job::Submit {
            request: new,
            attachments: Vec::new(),
        })
        .unwrap();
    let (local_id, name) = reply(&mut w, |r| match r {
        Reply::Submitted {
            local_id, response, ..
        } => Some((local_id, response.id.expect("a name"))),
        Reply::SubmitFailed { error, .. } => panic!("the submit failed: {error:?}"),
        _ => None,
    })
    .await;
    // The picker moves to the other subscription; the ticket stays where it was filed.
    w.commands
        .send(Job::UseSubscription(Some(FREE_SUBSCRIPTION.into())))
        .unwrap();
    let target = pcsr_tui::worker::Target {
        local_id: Some(local_id),
        server_id: name.clone(),
        customer: None,
    };
    w.commands
        .send(Job::Refresh {
            target,
            looking: true,
        })
        .unwrap();
    let outcome = reply(&mut w, |r| match r {
        Reply::Refreshed { outcome, .. } => Some(outcome),
        _ => None,
    })
    .await;
    let ticket = outcome.expect("read where it was filed, not under the subscription in use");
    assert_eq!(ticket.id.as_deref(), Some(name.as_str()));
    assert_eq!(ticket.title.as_deref(), Some("Invoice counts a VM twice"));
    drop(w.commands);
    let _ = w.task.await;
    sandbox.shutdown().await;
}
