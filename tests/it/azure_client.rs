//! The Azure client against the sandbox's Microsoft.Support side: what a user of `submit`,
//! `topics`, `list`, `note` and `close` would see, including the long-running create, the
//! support-plan refusal as a failed operation, and retries that never file twice.

use std::sync::Arc;
use std::time::Duration;

use pcsr_tui::api::StaticToken;
use pcsr_tui::azure::{AzureClient, AzureConfig, AzureError, TicketFilter};
use pcsr_tui::domain::{Contact, ContactMethod, Direction, NewTicket, Remedy, Service, Severity, Status};
use pcsr_tui::sandbox::azure::{
    BILLING_CLASSIFICATION_ID, FREE_SUBSCRIPTION, PAID_SUBSCRIPTION, VM_CONNECTIVITY_CLASSIFICATION_ID,
};
use pcsr_tui::sandbox::{Fault, SANDBOX_TOKEN, Sandbox, SandboxOptions};
use tempfile::TempDir;

async fn sandbox(polls: u32) -> (Sandbox, TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let options = SandboxOptions {
        db_path: Some(dir.path().join("sandbox.db")),
        bind: "127.0.0.1:0".parse().unwrap(),
    };
    pcsr_tui::tls::install_provider();
    let sandbox = Sandbox::start(options)
        .await
        .unwrap()
        .with_azure_operation_polls(polls);
    (sandbox, dir)
}

/// A client whose waits are capped at zero, so polls and retries run at once.
fn client(sandbox: &Sandbox, subscription: Option<&str>) -> AzureClient {
    let mut config = AzureConfig::new(&sandbox.base_url()).unwrap();
    config.subscription = subscription.map(str::to_string);
    config.max_wait = Duration::ZERO;
    config.poll_wait = Duration::ZERO;
    AzureClient::new(config, Arc::new(StaticToken(SANDBOX_TOKEN.into()))).unwrap()
}

fn contact() -> Contact {
    Contact {
        first_name: "Avery".into(),
        last_name: "Sandbox".into(),
        email: "avery@contoso.example".into(),
        method: ContactMethod::Email,
        time_zone: "Pacific Standard Time".into(),
        country: "USA".into(),
        language: "en-US".into(),
        ..Contact::default()
    }
}

fn ticket(title: &str, classification: &str) -> NewTicket {
    NewTicket {
        title: title.into(),
        description: "The invoice for November counts one VM twice.".into(),
        severity: Some(Severity::Minimal),
        topic_id: classification.into(),
        contact: Some(Box::new(contact())),
        diagnostic_consent: Some(false),
        ..NewTicket::default()
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_catalogue_reads_as_a_two_level_topic_tree() {
    let (sandbox, _dir) = sandbox(0).await;
    let azure = client(&sandbox, None);
    let services = azure.services().await.unwrap();
    assert!(services.len() >= 30, "{} services", services.len());
    let vm = services
        .iter()
        .find(|s| VM_CONNECTIVITY_CLASSIFICATION_ID.starts_with(&format!("{}/", s.id)))
        .expect("the VM (Linux) service is listed");
    let issues = azure.classifications(vm).await.unwrap();
    let rdp = issues
        .iter()
        .find(|t| t.id == VM_CONNECTIVITY_CLASSIFICATION_ID)
        .expect("its connectivity classification is listed");
    assert_eq!(rdp.parent_id.as_deref(), Some(vm.id.as_str()));
    assert!(rdp.name.contains(" / "), "\"Area / Issue\": {}", rdp.name);
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_create_is_followed_to_the_end_and_a_second_put_of_the_name_files_nothing_new() {
    // Two polls InProgress before Succeeded: the client must follow the operation, not stop
    // at the 202.
    let (sandbox, _dir) = sandbox(2).await;
    let azure = client(&sandbox, Some(PAID_SUBSCRIPTION));
    let new = ticket("Invoice counts a VM twice", BILLING_CLASSIFICATION_ID);
    let filed = azure.create("pcsr-invoice-1", &new).await.unwrap();
    assert_eq!(filed.service, Service::Azure);
    assert_eq!(filed.id.as_deref(), Some("pcsr-invoice-1"));
    assert!(
        filed
            .number
            .as_deref()
            .is_some_and(|n| n.chars().all(|c| c.is_ascii_digit())),
        "{filed:?}"
    );
    assert_eq!(filed.status, Some(Status::Open));
    assert_eq!(filed.title.as_deref(), Some("Invoice counts a VM twice"));
    assert_eq!(
        filed.as_sent["name"], "pcsr-invoice-1",
        "--json prints the resource as sent"
    );

    let again = azure.create("pcsr-invoice-1", &new).await.unwrap();
    assert_eq!(again.number, filed.number, "the same ticket");
    assert_eq!(sandbox.azure_ticket_count(), 1, "filed once");
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_technical_ticket_without_a_support_plan_says_why_it_failed() {
    let (sandbox, _dir) = sandbox(0).await;
    let azure = client(&sandbox, Some(FREE_SUBSCRIPTION));
    let err = azure
        .create(
            "pcsr-rdp-1",
            &ticket("Cannot RDP into vm-01", VM_CONNECTIVITY_CLASSIFICATION_ID),
        )
        .await
        .unwrap_err();
    let AzureError::Operation {
        state,
        code,
        description,
    } = &err
    else {
        panic!("a failed operation: {err:?}")
    };
    assert_eq!(state, "Failed");
    assert_eq!(code.as_deref(), Some("SupportPlanRequired"));
    assert!(
        description.as_deref().is_some_and(|d| !d.is_empty()),
        "the service's words are kept"
    );
    let failure = err.failure();
    assert_eq!(failure.code.as_deref(), Some("SupportPlanRequired"));
    assert_ne!(
        failure.remedy,
        Remedy::ResendOutbox,
        "nothing to resend: it was refused"
    );
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn faults_are_retried_under_the_same_name_and_file_one_ticket() {
    let (sandbox, _dir) = sandbox(0).await;
    let azure = client(&sandbox, Some(PAID_SUBSCRIPTION));
    sandbox.inject(Fault::Status(503));
    sandbox.inject(Fault::DropAfterCommit);
    let filed = azure
        .create(
            "pcsr-retry-1",
            &ticket("Refund for a double charge", BILLING_CLASSIFICATION_ID),
        )
        .await
        .unwrap();
    assert_eq!(filed.id.as_deref(), Some("pcsr-retry-1"));
    assert_eq!(
        sandbox.azure_ticket_count(),
        1,
        "a 503 and a lost answer file nothing twice"
    );
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn the_list_follows_next_links_and_a_note_and_a_close_show_on_the_ticket() {
    let (sandbox, _dir) = sandbox(0).await;
    let azure = client(&sandbox, Some(PAID_SUBSCRIPTION));
    for n in 1..=3 {
        azure
            .create(
                &format!("pcsr-list-{n}"),
                &ticket(&format!("Refund {n}"), BILLING_CLASSIFICATION_ID),
            )
            .await
            .unwrap();
    }
    let mut page = azure
        .list(&TicketFilter {
            top: Some(2),
            ..TicketFilter::default()
        })
        .await
        .unwrap();
    let mut names: Vec<String> = page.tickets.iter().filter_map(|t| t.id.clone()).collect();
    assert_eq!(names.len(), 2, "a page of two");
    while let Some(next) = page.next.clone() {
        page = azure.list_page(&next).await.unwrap();
        names.extend(page.tickets.iter().filter_map(|t| t.id.clone()));
    }
    names.sort();
    assert_eq!(names, ["pcsr-list-1", "pcsr-list-2", "pcsr-list-3"]);

    let note = azure
        .add_note(
            "pcsr-list-1",
            "pcsr-note-1",
            "More detail",
            "It happened again on the 3rd.",
        )
        .await
        .unwrap();
    assert_eq!(note.direction, Direction::Outbound);
    let notes = azure.notes("pcsr-list-1").await.unwrap();
    assert!(
        notes
            .iter()
            .any(|n| n.text.as_deref() == Some("It happened again on the 3rd.")),
        "{notes:?}"
    );
    let closed = azure.close("pcsr-list-1").await.unwrap();
    assert_eq!(closed.status, Some(Status::Closed));
    assert_eq!(
        azure.get_ticket("pcsr-list-1").await.unwrap().status,
        Some(Status::Closed)
    );
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_ticket_is_an_arm_error_with_its_ids() {
    let (sandbox, _dir) = sandbox(0).await;
    let azure = client(&sandbox, Some(PAID_SUBSCRIPTION));
    let err = azure.get_ticket("no-such-ticket").await.unwrap_err();
    let failure = err.failure();
    assert_eq!(failure.remedy, Remedy::CheckId);
    assert!(
        failure.request_id.is_some(),
        "x-ms-request-id is kept for support: {failure:?}"
    );
    assert!(failure.code.is_some(), "{failure:?}");
    sandbox.shutdown().await;
}
