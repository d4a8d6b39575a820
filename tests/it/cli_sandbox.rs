//! The CLI against the sandbox: default sandbox mode, the request lifecycle, `sandbox serve`.

use std::io::{BufRead, BufReader};
use std::net::SocketAddr;
use std::time::Duration;

use pcsr_tui::sandbox::{Fault, SANDBOX_TOKEN, Sandbox, SandboxOptions};
use serde_json::Value;

use crate::cli::{pcsr, run};

fn stdout_json(out: &std::process::Output) -> Value {
    assert!(
        out.status.success(),
        "exit {:?}, stderr: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout)
        .unwrap_or_else(|e| panic!("{e}: {}", String::from_utf8_lossy(&out.stdout)))
}

#[tokio::test(flavor = "multi_thread")]
async fn with_nothing_configured_commands_use_the_sandbox_and_say_so() {
    let home = tempfile::tempdir().unwrap();
    let mut cmd = pcsr(home.path());
    cmd.arg("topics");
    let out = run(cmd).await;
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("built-in sandbox"));
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        stdout.contains("32444667") && stdout.contains("Partner Center Issues"),
        "{stdout}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn file_show_note_close_list_history_in_sandbox_mode() {
    let home = tempfile::tempdir().unwrap();
    let mut cmd = pcsr(home.path());
    cmd.args([
        "submit",
        "--title",
        "Cannot add user",
        "--description",
        "Steps:\n1. open\n2. fail",
    ])
    .args(["--severity", "moderate", "--topic", "32444671", "--json"]);
    let created = stdout_json(&run(cmd).await);
    let id = created["id"].as_str().unwrap().to_string();
    assert_eq!(id.len(), 15);
    assert_eq!(created["status"], "open");
    assert!(
        created["organization"]["name"]
            .as_str()
            .unwrap()
            .contains("Sandbox")
    );
    assert!(created["primaryContact"]["email"].as_str().unwrap().contains('@'));

    let mut cmd = pcsr(home.path());
    cmd.args(["note", &id, "--text", "Any update?", "--json"]);
    let noted = stdout_json(&run(cmd).await);
    assert_eq!(noted["notes"][0]["text"], "Any update?");

    let mut cmd = pcsr(home.path());
    cmd.args(["close", &id, "--yes", "--json"]);
    assert_eq!(stdout_json(&run(cmd).await)["status"], "closed");

    let mut cmd = pcsr(home.path());
    cmd.args(["show", &id, "--json"]);
    let shown = stdout_json(&run(cmd).await);
    assert_eq!(shown["status"], "closed");
    assert_eq!(shown["description"], "Steps:\n1. open\n2. fail");

    let mut cmd = pcsr(home.path());
    cmd.args(["list", "--status", "closed", "--json"]);
    let listed = stdout_json(&run(cmd).await);
    assert!(
        listed["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|sr| sr["id"] == id.as_str())
    );

    let mut cmd = pcsr(home.path());
    cmd.args(["history", "--json"]);
    let history = stdout_json(&run(cmd).await);
    assert_eq!(history[0]["id"], id.as_str());
    assert_eq!(
        history[0]["status"], "closed",
        "show/close refresh the local copy"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn sandbox_validation_errors_reach_the_user() {
    let home = tempfile::tempdir().unwrap();
    let mut cmd = pcsr(home.path());
    cmd.args([
        "submit",
        "--title",
        "t",
        "--description",
        "d",
        "--severity",
        "minimal",
        "--topic",
        "999",
    ]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("HTTP 400") && stderr.contains("999"), "{stderr}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dropped_answer_is_retried_with_the_same_request_id_and_files_once() {
    let home = tempfile::tempdir().unwrap();
    let db = home.path().join("sb.sqlite");
    let sandbox = Sandbox::start(SandboxOptions {
        db_path: Some(db),
        bind: SocketAddr::from(([127, 0, 0, 1], 0)),
    })
    .await
    .unwrap();
    sandbox.inject(Fault::DropAfterCommit);
    let mut cmd = pcsr(home.path());
    cmd.args([
        "submit",
        "--title",
        "t",
        "--description",
        "d",
        "--severity",
        "minimal",
        "--topic",
        "32444667",
    ])
    .arg("--json")
    .env("PCSR_BASE_URL", sandbox.base_url())
    .env("PCSR_TOKEN", SANDBOX_TOKEN);
    let created = stdout_json(&run(cmd).await);
    assert_eq!(
        sandbox.request_count(),
        1,
        "the retry must not file a second request"
    );
    assert_eq!(created["title"], "t");
    sandbox.shutdown().await;
}

/// Starts `pcsr-tui sandbox serve --port 0 EXTRA...` and reads the URL from its first line.
async fn serve(home: &std::path::Path, extra: &[&str]) -> (std::process::Child, String) {
    let mut cmd = pcsr(home);
    cmd.args(["sandbox", "serve", "--port", "0"])
        .args(extra)
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null());
    let mut child = cmd.spawn().unwrap();
    let stdout = child.stdout.take().unwrap();
    let url = tokio::task::spawn_blocking(move || {
        let mut line = String::new();
        BufReader::new(stdout).read_line(&mut line).unwrap();
        line.trim().to_string()
    })
    .await
    .unwrap();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    (child, url)
}

async fn post(url: String, body: &'static str) -> u16 {
    pcsr_tui::tls::install_provider();
    reqwest::Client::new()
        .post(url)
        .body(body)
        .send()
        .await
        .unwrap()
        .status()
        .as_u16()
}

#[tokio::test(flavor = "multi_thread")]
async fn sandbox_serve_keeps_its_control_routes_closed_unless_asked() {
    let home = tempfile::tempdir().unwrap();
    let (mut closed, url) = serve(home.path(), &[]).await;
    let status = post(
        format!("{url}/_sandbox/faults"),
        r#"{"kind":"status","status":503}"#,
    )
    .await;
    let bulk = post(format!("{url}/_sandbox/servicerequests"), r#"{"count":3}"#).await;
    let mut cmd = pcsr(home.path());
    cmd.args(["list", "--json"])
        .env("PCSR_BASE_URL", &url)
        .env("PCSR_TOKEN", SANDBOX_TOKEN);
    let listed = stdout_json(&run(cmd).await);
    let _ = closed.kill();
    let _ = closed.wait();
    assert_eq!((status, bulk), (404, 404), "no control routes without --control");
    assert_eq!(
        listed["items"].as_array().map(Vec::len),
        Some(0),
        "nothing filed, no fault met"
    );

    let other = tempfile::tempdir().unwrap();
    let (mut open, url) = serve(other.path(), &["--control"]).await;
    let bulk = post(format!("{url}/_sandbox/servicerequests"), r#"{"count":3}"#).await;
    let fault = post(
        format!("{url}/_sandbox/faults"),
        r#"{"kind":"status","status":400}"#,
    )
    .await;
    let mut cmd = pcsr(other.path());
    cmd.args(["list", "--json"])
        .env("PCSR_BASE_URL", &url)
        .env("PCSR_TOKEN", SANDBOX_TOKEN);
    let faulted = run(cmd).await;
    let mut cmd = pcsr(other.path());
    cmd.args(["list", "--json"])
        .env("PCSR_BASE_URL", &url)
        .env("PCSR_TOKEN", SANDBOX_TOKEN);
    let listed = stdout_json(&run(cmd).await);
    let _ = open.kill();
    let _ = open.wait();
    assert_eq!((bulk, fault), (201, 202), "--control serves them");
    assert!(!faulted.status.success(), "the queued 400 met the next call");
    assert_eq!(listed["items"].as_array().map(Vec::len), Some(3));
}

#[tokio::test(flavor = "multi_thread")]
async fn sandbox_serve_prints_its_url_serves_and_stops_on_sigterm() {
    let home = tempfile::tempdir().unwrap();
    let (mut child, url) = serve(home.path(), &[]).await;

    let mut cmd = pcsr(home.path());
    cmd.args(["topics", "--json"])
        .env("PCSR_BASE_URL", &url)
        .env("PCSR_TOKEN", SANDBOX_TOKEN);
    let topics = stdout_json(&run(cmd).await);
    assert!(topics["items"].as_array().unwrap().len() >= 3);

    // SIGTERM: a clean stop, exit 0.
    #[cfg(unix)]
    unsafe {
        libc::kill(child.id() as i32, libc::SIGTERM);
    }
    let status = tokio::task::spawn_blocking(move || {
        let deadline = std::time::Instant::now() + Duration::from_secs(10);
        loop {
            if let Some(status) = child.try_wait().unwrap() {
                return status;
            }
            if std::time::Instant::now() > deadline {
                let _ = child.kill();
                panic!("sandbox serve did not stop on SIGTERM");
            }
            std::thread::sleep(Duration::from_millis(50));
        }
    })
    .await
    .unwrap();
    assert!(status.success(), "{status:?}");
}
