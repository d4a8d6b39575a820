//! The Azure client against the sandbox's Microsoft.Support side: what a user of `submit`,
//! `topics`, `list`, `note` and `close` would see, including the long-running create, the
//! support-plan refusal as a failed operation, retries that never file twice, and attachments
//! (`attach`): the bytes arrive whole, in chunks, with progress, and bad files are refused
//! before anything is sent.

use std::sync::Arc;
use std::time::Duration;

use pcsr_tui::api::StaticToken;
use pcsr_tui::azure::{AzureClient, AzureConfig, AzureError, CHUNK_SIZE, TicketFilter};
use pcsr_tui::domain::{
    ATTACHMENT_MAX_BYTES, AttachmentError, ClientEvent, Contact, ContactMethod, Direction, NewTicket, Remedy,
    Service, Severity, Status,
};
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

/// The sandbox's filer, as config.toml's `[azure.contact]` would give it.
pub(crate) fn contact() -> Contact {
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
    let (events, mut seen) = tokio::sync::mpsc::unbounded_channel();
    let mut config = AzureConfig::new(&sandbox.base_url()).unwrap();
    config.subscription = Some(PAID_SUBSCRIPTION.into());
    config.max_wait = Duration::ZERO;
    config.poll_wait = Duration::ZERO;
    // One attempt for each fault and one that lands.
    config.max_attempts = 4;
    let azure = AzureClient::new(config, Arc::new(StaticToken(SANDBOX_TOKEN.into())))
        .unwrap()
        .with_events(events);
    sandbox.inject(Fault::Status(503));
    sandbox.inject(Fault::Status(429));
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
        "a 503, a 429 and a lost answer file nothing twice"
    );
    // What a screen shows while it waits: each retry, in order, with its reason.
    drop(azure);
    let mut events = Vec::new();
    while let Some(e) = seen.recv().await {
        events.push(e);
    }
    assert!(
        matches!(&events[..], [
            ClientEvent::Retrying { attempt: 2, reason: r503, .. },
            ClientEvent::RateLimited { .. },
            ClientEvent::Retrying { reason: lost, .. },
            ..
        ] if r503 == "HTTP 503" && !lost.is_empty()),
        "{events:?}"
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

/// One request a [`Recorder`] passed on.
#[derive(Debug, Clone)]
struct Passed {
    method: String,
    path: String,
    body: Vec<u8>,
}

/// A pass-through in front of the sandbox that keeps every request the client makes, so a test
/// can count them and read the bytes an upload sent. Links in answers (operation URLs,
/// `nextLink`) are rewritten to point back at it.
struct Recorder {
    base_url: String,
    passed: Arc<std::sync::Mutex<Vec<Passed>>>,
    _task: tokio::task::JoinHandle<()>,
}

impl Recorder {
    async fn start(target: String) -> Recorder {
        use axum::body::Bytes;
        use axum::http::{HeaderMap, Method, Uri};
        use axum::response::{IntoResponse, Response};

        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        let passed = Arc::new(std::sync::Mutex::new(Vec::new()));
        let http = reqwest::Client::builder().build().unwrap();
        let (keep, own) = (passed.clone(), base_url.clone());
        // No body limit: an upload chunk is 3.5 MB as base64.
        let app =
            axum::Router::new().fallback(move |method: Method, uri: Uri, headers: HeaderMap, body: Bytes| {
                let (keep, own, target, http) = (keep.clone(), own.clone(), target.clone(), http.clone());
                async move {
                    keep.lock().unwrap().push(Passed {
                        method: method.to_string(),
                        path: uri.path().to_string(),
                        body: body.to_vec(),
                    });
                    let mut request = http.request(method, format!("{target}{uri}")).body(body.to_vec());
                    for name in ["authorization", "content-type", "x-ms-authorization-auxiliary"] {
                        if let Some(v) = headers.get(name) {
                            request = request.header(name, v.clone());
                        }
                    }
                    let answer = request.send().await.unwrap();
                    let status = answer.status();
                    let mut out = Response::builder().status(status);
                    for (name, value) in answer.headers() {
                        if name == "content-length" || name == "transfer-encoding" {
                            continue;
                        }
                        let value = value.to_str().unwrap_or("").replace(&target, &own);
                        out = out.header(name, value);
                    }
                    let text = answer.text().await.unwrap().replace(&target, &own);
                    out.body(axum::body::Body::from(text)).unwrap().into_response()
                }
            });
        let app = app.layer(axum::extract::DefaultBodyLimit::disable());
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        Recorder {
            base_url,
            passed,
            _task: task,
        }
    }

    fn passed(&self) -> Vec<Passed> {
        self.passed.lock().unwrap().clone()
    }

    /// The bytes the upload chunks of `file` carried, put back together in chunk order.
    fn uploaded(&self, file: &str) -> Vec<u8> {
        use base64::Engine;
        let suffix = format!(
            "/files/{}/upload",
            url::form_urlencoded::byte_serialize(file.as_bytes())
                .collect::<String>()
                .replace('+', "%20")
        );
        let mut chunks: Vec<(u64, Vec<u8>)> = self
            .passed()
            .into_iter()
            .filter(|p| p.method == "POST" && p.path.ends_with(&suffix))
            .map(|p| {
                let body: serde_json::Value = serde_json::from_slice(&p.body).unwrap();
                let bytes = base64::engine::general_purpose::STANDARD
                    .decode(body["content"].as_str().unwrap())
                    .unwrap();
                (body["chunkIndex"].as_u64().unwrap(), bytes)
            })
            .collect();
        chunks.sort_by_key(|(i, _)| *i);
        chunks.into_iter().flat_map(|(_, b)| b).collect()
    }
}

fn proxied(recorder: &Recorder) -> AzureClient {
    let mut config = AzureConfig::new(&recorder.base_url).unwrap();
    config.subscription = Some(PAID_SUBSCRIPTION.to_string());
    config.max_wait = Duration::ZERO;
    config.poll_wait = Duration::ZERO;
    AzureClient::new(config, Arc::new(StaticToken(SANDBOX_TOKEN.into()))).unwrap()
}

/// Bytes that differ from chunk to chunk, so a chunk sent twice or out of order shows.
fn pattern(len: usize) -> Vec<u8> {
    (0..len).map(|i| (i * 31 + i / 4093) as u8).collect()
}

/// The chunks of `file` the sandbox's own tables say arrived: `(index, size)`.
fn sandbox_chunks(dir: &TempDir, file: &str) -> Vec<(i64, i64)> {
    let db = rusqlite::Connection::open(dir.path().join("sandbox.db")).unwrap();
    let mut stmt = db
        .prepare("SELECT idx, size FROM arm_chunks WHERE file LIKE ?1 ORDER BY idx")
        .unwrap();
    stmt.query_map([format!("%/files/{}", file.to_lowercase())], |r| {
        Ok((r.get(0)?, r.get(1)?))
    })
    .unwrap()
    .collect::<Result<_, _>>()
    .unwrap()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_small_file_and_a_five_mib_file_reach_the_ticket_whole_with_progress_to_the_end() {
    let (sandbox, dir) = sandbox(0).await;
    let direct = client(&sandbox, Some(PAID_SUBSCRIPTION));
    direct
        .create(
            "pcsr-attach-1",
            &ticket("Refund for a double charge", BILLING_CLASSIFICATION_ID),
        )
        .await
        .unwrap();
    let recorder = Recorder::start(sandbox.base_url()).await;
    let azure = proxied(&recorder);

    let small = b"The invoice of 3 November charges vm-01 twice.\n".to_vec();
    let mut heard = Vec::new();
    let notes = azure
        .attach("pcsr-attach-1", "invoice notes.txt", &small, |sent, total| {
            heard.push((sent, total))
        })
        .await
        .unwrap();
    let n = small.len() as u64;
    assert_eq!(
        (notes.name.as_str(), notes.size, notes.chunks),
        ("invoice notes.txt", n, 1)
    );
    assert_eq!(
        notes.workspace, "pcsr-attach-1",
        "the workspace the ticket names (the sandbox names it after the ticket)"
    );
    assert_eq!(heard, [(0, n), (n, n)]);

    // The largest file allowed: two chunks of 2.5 MiB, the most the Swagger allows.
    let big = pattern(ATTACHMENT_MAX_BYTES as usize);
    let mut heard = Vec::new();
    let log = azure
        .attach("pcsr-attach-1", "boot.log", &big, |sent, total| {
            heard.push((sent, total))
        })
        .await
        .unwrap();
    let total = big.len() as u64;
    assert_eq!((log.size, log.chunk_size, log.chunks), (total, CHUNK_SIZE, 2));
    assert_eq!(heard, [(0, total), (CHUNK_SIZE, total), (total, total)]);

    // What went over the wire is the files' bytes, and the sandbox took every chunk.
    assert_eq!(recorder.uploaded("invoice notes.txt"), small);
    assert_eq!(recorder.uploaded("boot.log"), big);
    assert_eq!(sandbox_chunks(&dir, "invoice notes.txt"), [(0, n as i64)]);
    assert_eq!(
        sandbox_chunks(&dir, "boot.log"),
        [(0, CHUNK_SIZE as i64), (1, (total - CHUNK_SIZE) as i64)]
    );

    let mut listed: Vec<(String, u64, u64)> = azure
        .files("pcsr-attach-1")
        .await
        .unwrap()
        .into_iter()
        .map(|f| (f.name, f.size, f.chunks))
        .collect();
    listed.sort();
    assert_eq!(
        listed,
        [
            ("boot.log".to_string(), total, 2),
            ("invoice notes.txt".to_string(), n, 1)
        ]
    );

    // Attaching the same file again (a resend after a lost answer) changes nothing.
    let again = azure
        .attach("pcsr-attach-1", "invoice notes.txt", &small, |_, _| {})
        .await
        .unwrap();
    assert_eq!(again.size, n);
    assert_eq!(azure.files("pcsr-attach-1").await.unwrap().len(), 2);
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_empty_a_too_large_and_an_executable_file_are_refused_before_any_request() {
    let (sandbox, _dir) = sandbox(0).await;
    let recorder = Recorder::start(sandbox.base_url()).await;
    let azure = proxied(&recorder);
    let mut heard = 0;
    for (name, bytes) in [
        ("empty.txt", Vec::new()),
        ("dump.log", vec![7u8; ATTACHMENT_MAX_BYTES as usize + 1]),
        ("setup.exe", b"MZ".to_vec()),
    ] {
        let err = azure
            .attach("pcsr-any", name, &bytes, |_, _| heard += 1)
            .await
            .unwrap_err();
        let AzureError::Attachment(why) = &err else {
            panic!("{name}: refused as an attachment, not {err:?}")
        };
        match why {
            AttachmentError::Empty { name: n } => assert_eq!(n, "empty.txt"),
            AttachmentError::TooLarge { size, limit, .. } => {
                assert_eq!((*size, *limit), (ATTACHMENT_MAX_BYTES + 1, ATTACHMENT_MAX_BYTES));
            }
            AttachmentError::BlockedType { extension, .. } => assert_eq!(extension, "exe"),
            other => panic!("{name}: {other:?}"),
        }
        assert!(err.to_string().contains(name), "{err}");
        assert_eq!(err.failure().remedy, Remedy::FixInput);
    }
    assert_eq!(heard, 0, "no progress for a refused file");
    assert!(
        recorder.passed().is_empty(),
        "nothing was sent: {:?}",
        recorder.passed()
    );
    sandbox.shutdown().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn an_upload_whose_answers_fail_or_are_lost_is_retried_and_kept_once() {
    let (sandbox, dir) = sandbox(0).await;
    let azure = client(&sandbox, Some(PAID_SUBSCRIPTION));
    let bytes = pattern(CHUNK_SIZE as usize + 1000);
    azure.create_workspace("pcsr-retry-ws").await.unwrap();
    // A 503 on the file's PUT, then the first chunk stored but its answer lost: both are sent
    // again under the same names, as the client's other PUTs are.
    sandbox.inject(Fault::Status(503));
    let file = azure
        .create_file("pcsr-retry-ws", "trace.txt", bytes.len() as u64, CHUNK_SIZE, 2)
        .await
        .unwrap();
    assert_eq!(file.chunks, 2);
    sandbox.inject(Fault::DropAfterCommit);
    azure
        .upload_chunk("pcsr-retry-ws", "trace.txt", 0, &bytes[..CHUNK_SIZE as usize])
        .await
        .unwrap();
    azure
        .upload_chunk("pcsr-retry-ws", "trace.txt", 1, &bytes[CHUNK_SIZE as usize..])
        .await
        .unwrap();
    assert_eq!(sandbox.pending_faults(), 0, "both faults were met");
    assert_eq!(
        sandbox_chunks(&dir, "trace.txt"),
        [(0, CHUNK_SIZE as i64), (1, 1000)],
        "each chunk kept once"
    );
    assert_eq!(azure.files("pcsr-retry-ws").await.unwrap().len(), 1);
    sandbox.shutdown().await;
}
