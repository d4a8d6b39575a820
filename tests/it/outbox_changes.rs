//! Notes and closes go through the outbox like submits: recorded with their MS-RequestId before
//! the first send, kept as "unknown" when the answer is lost, settled by `outbox resend` (read
//! back, then resent with the same id). A note is never added twice, a close never lost, and
//! every message names the one way forward.

use std::sync::Arc;
use std::time::Duration;

use pcsr_tui::api::{Client, ClientConfig, Scope, StaticToken};
use pcsr_tui::backend::Backend;
use pcsr_tui::domain::{Status, Ticket};
use pcsr_tui::outbox::{ChangeError, Origin, Outbox};
use pcsr_tui::sandbox::{Fault, SANDBOX_TOKEN, Sandbox};
use pcsr_tui::store::{ChangeKind, Store, StoreExecutor};
use serde_json::Value;

use crate::cli::{pcsr, run};
use crate::outcomes::{sandbox, text};

/// A request as the sandbox files it directly (its own wire terms).
fn request(title: &str) -> pcsr_tui::api::NewServiceRequest {
    pcsr_tui::api::NewServiceRequest {
        title: title.into(),
        description: "The November invoice is missing from the billing page.".into(),
        severity: pcsr_tui::api::Severity::Moderate,
        support_topic_id: "32444667".into(),
    }
}

/// Per-attempt timeout of the fault run's client; a late commit answers after longer.
const TIMEOUT: Duration = Duration::from_millis(250);

fn fast_client(base_url: &str) -> Backend {
    let mut config = ClientConfig::new(base_url).unwrap();
    config.backoff = Duration::from_millis(5);
    config.timeout = TIMEOUT;
    Backend::PartnerCenter(Client::new(config, Arc::new(StaticToken(SANDBOX_TOKEN.into()))).unwrap())
}

fn here(sb: &Sandbox) -> Origin {
    Origin {
        service: pcsr_tui::domain::Service::PartnerCenter,
        cloud: "sandbox".into(),
        locale: "en-US".into(),
        base_url: sb.base_url(),
    }
}

fn note_texts(sr: &Ticket) -> Vec<String> {
    sr.notes.iter().filter_map(|n| n.text.clone()).collect()
}

/// A CLI process against the in-process sandbox, with its own data directory.
struct Cli<'a> {
    sb: &'a Sandbox,
    home: tempfile::TempDir,
}

impl Cli<'_> {
    async fn run(&self, args: &[&str]) -> std::process::Output {
        let mut cmd = pcsr(self.home.path());
        cmd.args(args)
            .env("PCSR_BASE_URL", self.sb.base_url())
            .env("PCSR_TOKEN", SANDBOX_TOKEN);
        run(cmd).await
    }

    async fn outbox(&self) -> Vec<Value> {
        let out = self.run(&["outbox", "--json"]).await;
        assert!(out.status.success(), "{}", text(&out.stderr));
        serde_json::from_slice::<Vec<Value>>(&out.stdout).unwrap()
    }
}

// A note whose answer is lost is kept, the message says `outbox resend` (not "try again"), and
// following it adds the note exactly once.
#[tokio::test(flavor = "multi_thread")]
async fn a_cli_note_whose_answer_is_lost_is_added_once_by_following_the_message() {
    let sb = sandbox().await;
    let filed = sb.file(&request("Lost note")).await.unwrap();
    let id = filed.id.clone().unwrap();
    let cli = Cli {
        sb: &sb,
        home: tempfile::tempdir().unwrap(),
    };
    sb.inject(Fault::DropAfterCommit);
    let out = cli.run(&["note", &id, "--text", "hello once"]).await;
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("outcome unknown"), "{stderr}");
    assert!(stderr.contains("pcsr-tui outbox resend n1"), "{stderr}");
    assert!(
        !stderr.to_lowercase().contains("try again"),
        "one way forward, not a second send: {stderr}"
    );

    let listed = cli.outbox().await;
    assert_eq!(listed.len(), 1, "{listed:?}");
    assert_eq!(
        (&listed[0]["kind"], &listed[0]["ref"], &listed[0]["outcome"]),
        (&Value::from("note"), &Value::from("n1"), &Value::from("unknown"))
    );
    assert_eq!(listed[0]["id"], Value::from(id.as_str()));
    let human = cli.run(&["outbox"]).await;
    let shown = text(&human.stdout);
    assert!(
        shown.contains("KIND") && shown.contains("n1") && shown.contains("note"),
        "{shown}"
    );

    let out = cli.run(&["outbox", "resend"]).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("n1 note"), "{}", text(&out.stdout));
    let stored = fast_client(&sb.base_url())
        .get(&Scope::Partner, &id)
        .await
        .unwrap();
    assert_eq!(note_texts(&stored), ["hello once"], "added exactly once");
    assert!(cli.outbox().await.is_empty());
    sb.shutdown().await;
}

// A submit whose answer is lost names one way forward; following it files one request.
#[tokio::test(flavor = "multi_thread")]
async fn a_lost_submit_names_one_way_forward_and_following_it_files_once() {
    let sb = sandbox().await;
    let cli = Cli {
        sb: &sb,
        home: tempfile::tempdir().unwrap(),
    };
    // Every attempt's answer is lost after the commit (the first files it, the retries meet it).
    for _ in 0..4 {
        sb.inject(Fault::DropAfterCommit);
    }
    let submit = [
        "submit",
        "--title",
        "One way",
        "--description",
        "d",
        "--severity",
        "minimal",
        "--topic",
        "32444667",
    ];
    let out = cli.run(&submit).await;
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    let next = stderr
        .lines()
        .find(|l| l.trim_start().starts_with("next:"))
        .unwrap_or_default();
    assert!(next.contains("pcsr-tui outbox resend 1"), "{stderr}");
    // What pcsr-tui says (the service's own words are quoted on the "caused by" line).
    let ours: String = stderr
        .lines()
        .filter(|l| !l.trim_start().starts_with("caused by:"))
        .collect();
    assert!(
        !ours.to_lowercase().contains("try again"),
        "no advice that would file it twice: {stderr}"
    );
    let out = cli.run(&["outbox", "resend", "1"]).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(sb.request_count(), 1);
    sb.shutdown().await;
}

// A close whose answer is lost is kept and settled by reading the request back; closing a
// closed request is no error to the user.
#[tokio::test(flavor = "multi_thread")]
async fn a_lost_close_is_kept_then_settled_and_closing_a_closed_request_is_fine() {
    let sb = sandbox().await;
    let id = sb.file(&request("Lost close")).await.unwrap().id.unwrap();
    let cli = Cli {
        sb: &sb,
        home: tempfile::tempdir().unwrap(),
    };
    sb.inject(Fault::Status(503));
    let out = cli.run(&["close", &id, "--yes"]).await;
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("pcsr-tui outbox resend c1"), "{stderr}");
    let listed = cli.outbox().await;
    assert_eq!(
        (&listed[0]["kind"], &listed[0]["ref"]),
        (&Value::from("close"), &Value::from("c1"))
    );

    let out = cli.run(&["outbox", "resend", "c1", "--json"]).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let resent: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(resent[0]["outcome"], "applied", "{resent}");
    let stored = fast_client(&sb.base_url())
        .get(&Scope::Partner, &id)
        .await
        .unwrap();
    assert_eq!(stored.status, Some(Status::Closed));

    let out = cli.run(&["close", &id, "--yes"]).await;
    assert!(
        out.status.success(),
        "closing a closed request: {}",
        text(&out.stderr)
    );
    assert!(cli.outbox().await.is_empty());

    // A kept note can be discarded by its id, and then nothing resends it.
    sb.inject(Fault::DropAfterCommit);
    let out = cli.run(&["note", &id, "--text", "discard me"]).await;
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let named = cli.outbox().await[0]["ref"].as_str().unwrap().to_string();
    let out = cli.run(&["outbox", "discard", &named]).await;
    assert_eq!(out.status.code(), Some(1), "asks first: {}", text(&out.stderr));
    let out = cli.run(&["outbox", "discard", &named, "--yes"]).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(cli.outbox().await.is_empty());
    sb.shutdown().await;
}

fn edit(kind: ChangeKind, text: Option<&str>) -> pcsr_tui::domain::Change {
    match kind {
        ChangeKind::Note => pcsr_tui::domain::Change::Note {
            text: text.unwrap_or_default().to_string(),
            subject: None,
        },
        ChangeKind::Close => pcsr_tui::domain::Change::Close,
    }
}

/// The faults the run cycles through, one per change (None: a clean answer).
fn fault_for(n: usize) -> Option<Fault> {
    match n % 5 {
        0 => None,
        1 => Some(Fault::DropAfterCommit),
        2 => Some(Fault::Status(503)),
        3 => Some(Fault::CommitThenDelay(TIMEOUT * 2)),
        _ => Some(Fault::RateLimit { retry_after_secs: 0 }),
    }
}

// The fault run: 100 notes and 50 closes, each meeting drop-after-commit, a 503, a late commit
// or a 429 (or nothing), then the outbox resend. Every note present exactly once, every close
// applied, nothing left unknown.
#[tokio::test(flavor = "multi_thread")]
async fn a_hundred_notes_and_fifty_closes_under_faults_settle_exactly_once() {
    const NOTES: usize = 100;
    const CLOSES: usize = 50;
    const NOTED_REQUESTS: usize = 10;
    let sb = sandbox().await;
    let outbox = Outbox::new(StoreExecutor::spawn(Store::open_in_memory().unwrap()));
    let client = fast_client(&sb.base_url());
    let origin = here(&sb);
    let mut noted = Vec::new();
    for n in 0..NOTED_REQUESTS {
        noted.push(
            sb.file(&request(&format!("noted {n}")))
                .await
                .unwrap()
                .id
                .unwrap(),
        );
    }
    let mut closed = Vec::new();
    for n in 0..CLOSES {
        closed.push(
            sb.file(&request(&format!("closed {n}")))
                .await
                .unwrap()
                .id
                .unwrap(),
        );
    }

    let (mut done, mut kept, mut refused) = (0, 0, 0);
    let changes = (0..NOTES)
        .map(|n| {
            (
                ChangeKind::Note,
                noted[n % NOTED_REQUESTS].clone(),
                Some(format!("note {n}")),
            )
        })
        .chain(closed.iter().map(|id| (ChangeKind::Close, id.clone(), None)));
    for (n, (kind, id, note)) in changes.enumerate() {
        if let Some(fault) = fault_for(n) {
            sb.inject(fault);
        }
        match outbox
            .change(&client, &origin, &id, None, &edit(kind, note.as_deref()))
            .await
        {
            Ok(_) => done += 1,
            Err(ChangeError::Send { failure, .. }) if failure.in_outbox => kept += 1,
            Err(e) => {
                refused += 1;
                eprintln!("refused: {e}");
            }
        }
        // A fault a change did not spend (none should be left) must not meet the next one.
        sb.clear_faults();
    }
    let pending = outbox.pending_changes(&origin).await.unwrap().len();
    assert_eq!(pending, kept, "every unknown outcome is kept in the outbox");
    assert_eq!(refused, 0, "no change was refused");

    let resent = outbox.resend_changes(&client, &origin, &[]).await.unwrap();
    let read_back = resent
        .iter()
        .filter(|r| r.outcome.as_ref().is_ok_and(|a| a.already))
        .count();
    let sent_again = resent
        .iter()
        .filter(|r| r.outcome.as_ref().is_ok_and(|a| !a.already))
        .count();
    let unsettled = resent.iter().filter(|r| r.outcome.is_err()).count();

    let mut once = 0;
    let mut twice = 0;
    let mut missing = 0;
    for (r, id) in noted.iter().enumerate() {
        let sr = client.get(&Scope::Partner, id).await.unwrap();
        let texts = note_texts(&sr);
        for n in (r..NOTES).step_by(NOTED_REQUESTS) {
            match texts.iter().filter(|t| **t == format!("note {n}")).count() {
                0 => missing += 1,
                1 => once += 1,
                _ => twice += 1,
            }
        }
    }
    let mut applied = 0;
    for id in &closed {
        if client.get(&Scope::Partner, id).await.unwrap().status == Some(Status::Closed) {
            applied += 1;
        }
    }
    println!(
        "fault run: {NOTES} notes + {CLOSES} closes; first send: {done} settled, {kept} unknown (kept), {refused} \
         refused; outbox resend: {} entries, {read_back} settled by reading back, {sent_again} sent again with the \
         same MS-RequestId, {unsettled} still unknown; notes present once {once}, twice {twice}, missing {missing}; \
         closes applied {applied}/{CLOSES}",
        resent.len()
    );
    assert_eq!((once, twice, missing), (NOTES, 0, 0));
    assert_eq!(applied, CLOSES);
    assert_eq!(unsettled, 0);
    assert!(outbox.pending_changes(&origin).await.unwrap().is_empty());
    // Each kind of fault happened: some settled by reading back, some by a resend.
    assert!(
        read_back > 0 && sent_again > 0,
        "{read_back} read back, {sent_again} sent again"
    );
    sb.shutdown().await;
}
