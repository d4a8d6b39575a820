//! A TUI submit with attachments, through the worker against the in-process sandbox: the
//! ticket is filed, then each file is uploaded in chunks with progress, and the service holds
//! exactly the bytes of the file; a file gone before the submit stops it before anything is
//! recorded or sent.

use std::time::{Duration, Instant};

use pcsr_tui::domain::{NewTicket, Severity};
use pcsr_tui::sandbox::azure::VM_CONNECTIVITY_CLASSIFICATION_ID;
use pcsr_tui::worker::{Job, Reply, WorkerHandle};

use super::azure_worker::start;

fn ticket() -> NewTicket {
    NewTicket {
        title: "Cannot RDP to vm-web-01".into(),
        description: "Times out since 09:00; the NSG allows 3389.".into(),
        severity: Some(Severity::Moderate),
        topic_id: VM_CONNECTIVITY_CLASSIFICATION_ID.into(),
        contact: Some(Box::new(crate::azure_client::contact())),
        diagnostic_consent: Some(true),
        ..NewTicket::default()
    }
}

/// The replies until a submit's outcome, within twenty seconds.
async fn until_submitted(worker: &mut WorkerHandle) -> Vec<Reply> {
    let deadline = Instant::now() + Duration::from_secs(20);
    let mut seen = Vec::new();
    loop {
        let reply = tokio::time::timeout_at(deadline.into(), worker.replies.recv())
            .await
            .unwrap_or_else(|_| panic!("no outcome after {} replies", seen.len()))
            .expect("worker alive");
        let done = matches!(reply, Reply::Submitted { .. } | Reply::SubmitFailed { .. });
        seen.push(reply);
        if done {
            return seen;
        }
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_submitted_ticket_gets_its_files_uploaded_byte_for_byte_with_progress() {
    let (sandbox, dir, mut worker) = start().await;
    // Over one chunk (2.5 MiB), so the upload takes two and progress moves in between.
    let big: Vec<u8> = (0..3 * 1024 * 1024 + 17).map(|i| (i % 251) as u8).collect();
    let trace = dir.path().join("rdp-trace.bin.log");
    std::fs::write(&trace, &big).unwrap();
    let notes = dir.path().join("notes.txt");
    std::fs::write(&notes, b"NSG rule 100 allows 3389 from the jump host").unwrap();

    worker
        .commands
        .send(Job::Submit {
            request: ticket(),
            attachments: vec![trace.clone(), notes.clone()],
        })
        .unwrap();
    let seen = until_submitted(&mut worker).await;

    let progress: Vec<(u64, u64)> = seen
        .iter()
        .filter_map(|r| match r {
            Reply::Uploading { path, sent, total } if *path == trace => Some((*sent, *total)),
            _ => None,
        })
        .collect();
    let total = big.len() as u64;
    assert_eq!(progress.first(), Some(&(0, total)), "{progress:?}");
    assert_eq!(progress.last(), Some(&(total, total)), "{progress:?}");
    assert!(progress.len() >= 3, "a step per chunk: {progress:?}");
    let Some(Reply::Submitted {
        response,
        upload_failed,
        ..
    }) = seen.last()
    else {
        panic!("{:?}", seen.last());
    };
    assert_eq!(upload_failed, &None);
    assert_eq!(response.attachments, ["rdp-trace.bin.log", "notes.txt"]);

    let uploads = sandbox.azure_uploads();
    let bytes_of = |name: &str| {
        uploads
            .iter()
            .find(|(key, _)| key.ends_with(&format!("/files/{name}")))
            .map(|(_, bytes)| bytes.clone())
            .unwrap_or_else(|| {
                panic!(
                    "{name} not on the service: {:?}",
                    uploads.iter().map(|u| &u.0).collect::<Vec<_>>()
                )
            })
    };
    assert!(
        bytes_of("rdp-trace.bin.log") == big,
        "the service holds the file's bytes"
    );
    assert_eq!(
        bytes_of("notes.txt"),
        b"NSG rule 100 allows 3389 from the jump host"
    );
    assert_eq!(sandbox.azure_ticket_count(), 1);
    drop(worker);
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_file_gone_before_the_submit_stops_it_before_anything_is_sent() {
    let (sandbox, dir, mut worker) = start().await;
    worker
        .commands
        .send(Job::Submit {
            request: ticket(),
            attachments: vec![dir.path().join("deleted.txt")],
        })
        .unwrap();
    let seen = until_submitted(&mut worker).await;
    let Some(Reply::SubmitFailed { error, unsettled, .. }) = seen.last() else {
        panic!("{:?}", seen.last());
    };
    assert!(error.summary.starts_with("cannot attach "), "{}", error.summary);
    assert!(
        error.summary.ends_with("nothing was recorded or sent"),
        "{}",
        error.summary
    );
    assert_eq!(*unsettled, None);
    assert_eq!(sandbox.azure_ticket_count(), 0);
    drop(worker);
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn a_submit_resent_from_the_outbox_uploads_the_files_it_was_recorded_with() {
    use std::sync::Arc;

    use pcsr_tui::api::StaticToken;
    use pcsr_tui::azure::{AzureClient, AzureConfig};
    use pcsr_tui::backend::Backend;
    use pcsr_tui::domain::Service;
    use pcsr_tui::outbox::Outbox;
    use pcsr_tui::sandbox::azure::PAID_SUBSCRIPTION;
    use pcsr_tui::sandbox::{Fault, SANDBOX_TOKEN};
    use pcsr_tui::store::{Store, StoreExecutor};
    use pcsr_tui::worker::{Origin, SignInSetup, spawn};

    use super::azure_worker::{client_of, sandbox_in, until};

    let dir = tempfile::tempdir().unwrap();
    let sandbox = sandbox_in(dir.path()).await;
    let notes = dir.path().join("notes.txt");
    let bytes = b"NSG rule 100 allows 3389 from the jump host".to_vec();
    std::fs::write(&notes, &bytes).unwrap();
    let origin = Origin {
        service: Service::Azure,
        cloud: "sandbox".into(),
        locale: "en-US".into(),
        base_url: sandbox.base_url(),
    };
    let store_path = dir.path().join("pcsr.sqlite");

    // Recorded with its file, then its answer lost after the sandbox filed it: the outcome is
    // unknown, so nothing was uploaded and the entry waits in the outbox.
    let mut config = AzureConfig::new(&sandbox.base_url()).unwrap();
    config.subscription = Some(PAID_SUBSCRIPTION.into());
    config.max_attempts = 1;
    let once = Backend::Azure(AzureClient::new(config, Arc::new(StaticToken(SANDBOX_TOKEN.into()))).unwrap());
    let outbox = Outbox::new(StoreExecutor::spawn(Store::open(&store_path).unwrap()));
    // The create's answer and every look after it are lost.
    for _ in 0..8 {
        sandbox.inject(Fault::DropAfterCommit);
    }
    let lost = outbox
        .submit(&once, &origin, &ticket(), std::slice::from_ref(&notes))
        .await;
    assert!(lost.is_err(), "the answer was lost");
    sandbox.clear_faults();
    drop(outbox);
    assert_eq!(sandbox.azure_ticket_count(), 1);
    assert!(sandbox.azure_uploads().is_empty());

    // The next start resends it with the same name, then uploads the file it was recorded with.
    let mut worker = spawn(
        client_of(&sandbox),
        Store::open(&store_path).unwrap(),
        origin,
        SignInSetup::unavailable(),
    );
    worker.commands.send(Job::Start).unwrap();
    let (attachments, outcome, upload_failed) = until(&mut worker, |reply| match reply {
        Reply::Resent {
            attachments,
            outcome,
            upload_failed,
            ..
        } => Some((attachments, outcome, upload_failed)),
        _ => None,
    })
    .await;
    assert_eq!(attachments, vec![notes.clone()]);
    assert!(upload_failed.is_none(), "{upload_failed:?}");
    let filed = outcome.expect("the resend settles it");
    assert_eq!(filed.attachments, vec!["notes.txt".to_string()]);
    assert_eq!(sandbox.azure_ticket_count(), 1, "filed once");
    let uploads = sandbox.azure_uploads();
    assert_eq!(uploads.len(), 1, "{uploads:?}");
    assert_eq!(uploads[0].1, bytes, "the file's bytes, as on a first submit");
}
