//! The binary as a process: arguments, exit codes, stdout/stderr, against a scripted server.

use std::path::Path;
use std::process::Output;

use serde_json::Value;

use crate::support::{Canned, Scripted, fixture};

/// The binary with a private home and data dir, and none of the user's PCSR_* settings.
pub fn pcsr(home: &Path) -> std::process::Command {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_pcsr-tui"));
    for var in [
        "PCSR_BASE_URL",
        "PCSR_BACKEND",
        "PCSR_TOKEN",
        "PCSR_AUTHORITY_URL",
        "PCSR_DATA_DIR",
        "PCSR_CONFIG_DIR",
        "PCSR_SANDBOX_AGENT_REPLIES",
        "RUST_LOG",
        "PCSR_LOG_FILE",
    ] {
        cmd.env_remove(var);
    }
    cmd.env("HOME", home)
        .env("XDG_CONFIG_HOME", home.join("config"))
        .env("XDG_DATA_HOME", home.join("data"))
        .env("PCSR_DATA_DIR", home.join("pcsr-data"))
        .env("PCSR_CONFIG_DIR", home.join("pcsr-config"))
        .env("PCSR_KEYRING", "none")
        .env_remove("DBUS_SESSION_BUS_ADDRESS")
        .stdin(std::process::Stdio::null());
    cmd
}

/// Runs a command off the async runtime (the scripted server lives on it).
pub async fn run(mut cmd: std::process::Command) -> Output {
    tokio::task::spawn_blocking(move || cmd.output().expect("run pcsr-tui"))
        .await
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

const SEED_ARGS: [&str; 9] = [
    "submit",
    "--title",
    "TrialSR",
    "--description",
    "Ignore this SR",
    "--severity",
    "critical",
    "--topic",
    "32444671",
];

#[tokio::test(flavor = "multi_thread")]
async fn submit_json_sends_the_seed_request_and_prints_the_seed_answer() {
    let home = tempfile::tempdir().unwrap();
    let server = Scripted::start(vec![Canned::json(201, &fixture("create-response.json"))]).await;
    let mut cmd = pcsr(home.path());
    cmd.args(SEED_ARGS)
        .arg("--json")
        .env("PCSR_BASE_URL", &server.base_url)
        .env("PCSR_TOKEN", "t0k3n");
    let out = run(cmd).await;
    assert!(out.status.success(), "stderr: {}", text(&out.stderr));
    let printed: Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
    assert_eq!(printed["organization"]["name"], "TEST_TEST_BugBash1");
    assert_eq!(
        printed["primaryContact"]["email"],
        "admin@testtestbugbash1.onmicrosoft.com"
    );
    assert_eq!(printed["id"], "616122292874576");

    let seen = server.seen();
    assert_eq!(seen.len(), 1);
    let body: Value = serde_json::from_slice(&seen[0].body).unwrap();
    assert_eq!(
        body,
        serde_json::from_str::<Value>(&fixture("create-request.json")).unwrap()
    );
    for header in ["ms-requestid", "ms-correlationid"] {
        let value = seen[0].header(header).unwrap();
        assert!(uuid::Uuid::parse_str(&value).is_ok(), "{header}: {value}");
    }
    assert_eq!(seen[0].header("authorization").as_deref(), Some("Bearer t0k3n"));

    // Recorded locally, with the server's id, and the token is nowhere in the data dir.
    let mut cmd = pcsr(home.path());
    cmd.args(["history", "--json"]);
    let out = run(cmd).await;
    let rows: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rows[0]["id"], "616122292874576");
    assert_eq!(rows[0]["state"], "created");
    for entry in std::fs::read_dir(home.path().join("pcsr-data")).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        assert!(!String::from_utf8_lossy(&bytes).contains("t0k3n"));
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn human_submit_output_shows_the_result_fields() {
    let home = tempfile::tempdir().unwrap();
    let server = Scripted::start(vec![Canned::json(201, &fixture("create-response.json"))]).await;
    let mut cmd = pcsr(home.path());
    cmd.args(SEED_ARGS)
        .env("PCSR_BASE_URL", &server.base_url)
        .env("PCSR_TOKEN", "t");
    let out = run(cmd).await;
    assert!(out.status.success(), "stderr: {}", text(&out.stderr));
    let stdout = text(&out.stdout);
    for want in [
        "616122292874576",
        "TrialSR",
        "Critical",
        "TEST_TEST_BugBash1",
        "2398391056",
        "admin@testtestbugbash1.onmicrosoft.com",
        "MS-RequestId",
    ] {
        assert!(stdout.contains(want), "missing {want} in:\n{stdout}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn missing_title_is_exit_1_naming_the_field_and_sends_nothing() {
    let home = tempfile::tempdir().unwrap();
    let server = Scripted::start(vec![]).await;
    let mut cmd = pcsr(home.path());
    cmd.args([
        "submit",
        "--description",
        "d",
        "--severity",
        "minimal",
        "--topic",
        "32444667",
    ])
    .env("PCSR_BASE_URL", &server.base_url)
    .env("PCSR_TOKEN", "t");
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("--title") && stderr.contains("title is required"),
        "{stderr}"
    );
    assert!(server.seen().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn bad_severity_and_unknown_flags_are_usage_errors() {
    let home = tempfile::tempdir().unwrap();
    let mut cmd = pcsr(home.path());
    cmd.args(["submit", "--title", "t", "--severity", "urgent"]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("critical, moderate, minimal"),
        "{}",
        text(&out.stderr)
    );

    let mut cmd = pcsr(home.path());
    cmd.arg("--frobnicate");
    assert_eq!(run(cmd).await.status.code(), Some(1));
}

#[tokio::test(flavor = "multi_thread")]
async fn description_from_stdin() {
    let home = tempfile::tempdir().unwrap();
    let server = Scripted::start(vec![Canned::json(201, &fixture("create-response.json"))]).await;
    let mut cmd = pcsr(home.path());
    cmd.args([
        "submit",
        "--title",
        "T",
        "--description-file",
        "-",
        "--severity",
        "moderate",
        "--topic",
        "1",
    ])
    .env("PCSR_BASE_URL", &server.base_url)
    .env("PCSR_TOKEN", "t")
    .stdin(std::process::Stdio::piped())
    .stdout(std::process::Stdio::piped());
    let out = tokio::task::spawn_blocking(move || {
        use std::io::Write;
        let mut child = cmd.spawn().unwrap();
        child
            .stdin
            .take()
            .unwrap()
            .write_all("line one\nline two ✓\n".as_bytes())
            .unwrap();
        child.wait_with_output().unwrap()
    })
    .await
    .unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
    let body: Value = serde_json::from_slice(&server.seen()[0].body).unwrap();
    assert_eq!(body["Description"], "line one\nline two ✓\n");
    assert_eq!(body["Severity"], "moderate");
}

#[tokio::test(flavor = "multi_thread")]
async fn api_errors_exit_2_with_status_code_description_and_ids() {
    let home = tempfile::tempdir().unwrap();
    let body = r#"{"code": 3000, "description": "Invalid property: SupportTopicId", "data": [], "source": "PartnerFD"}"#;
    let server = Scripted::start(vec![
        Canned::json(400, body)
            .header("MS-RequestId", "55f86bfb-d3bb-4fe4-9f01-2fdaef11a81f")
            .header("MS-CorrelationId", "ae43859b-591d-47ea-9fd1-028b4c799118"),
    ])
    .await;
    let mut cmd = pcsr(home.path());
    cmd.args(SEED_ARGS)
        .env("PCSR_BASE_URL", &server.base_url)
        .env("PCSR_TOKEN", "t");
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    for want in [
        "HTTP 400",
        "3000",
        "Invalid property: SupportTopicId",
        "55f86bfb-d3bb-4fe4-9f01-2fdaef11a81f",
        "ae43859b-591d-47ea-9fd1-028b4c799118",
        "local #1",
    ] {
        assert!(stderr.contains(want), "missing {want} in {stderr}");
    }
    // What the user typed is kept.
    let mut cmd = pcsr(home.path());
    cmd.args(["history", "--json"]);
    let rows: Value = serde_json::from_slice(&run(cmd).await.stdout).unwrap();
    assert_eq!(rows[0]["state"], "failed");
    assert_eq!(rows[0]["title"], "TrialSR");
}

#[tokio::test(flavor = "multi_thread")]
async fn refused_token_is_exit_3_and_says_to_log_in() {
    let home = tempfile::tempdir().unwrap();
    let body = r#"{"code": 800001, "description": "Partner token missing"}"#;
    let server = Scripted::start(vec![Canned::json(401, body), Canned::json(401, body)]).await;
    let mut cmd = pcsr(home.path());
    cmd.args(["show", "616122292874576"])
        .env("PCSR_BASE_URL", &server.base_url)
        .env("PCSR_TOKEN", "t");
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(3));
    assert!(
        text(&out.stderr).contains("pcsr-tui login"),
        "{}",
        text(&out.stderr)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn base_url_without_credentials_is_exit_3() {
    let home = tempfile::tempdir().unwrap();
    let mut cmd = pcsr(home.path());
    cmd.args(["topics"]).env("PCSR_BASE_URL", "http://127.0.0.1:9");
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(3));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("pcsr-tui login") && stderr.contains("PCSR_TOKEN"),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn plain_http_to_a_remote_host_is_refused() {
    let home = tempfile::tempdir().unwrap();
    let mut cmd = pcsr(home.path());
    cmd.args(["topics"])
        .env("PCSR_BASE_URL", "http://api.partnercenter.microsoft.com")
        .env("PCSR_TOKEN", "t");
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("only for loopback"),
        "{}",
        text(&out.stderr)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn help_documents_environment_and_exit_codes() {
    let home = tempfile::tempdir().unwrap();
    let mut cmd = pcsr(home.path());
    cmd.arg("--help");
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(0));
    let stdout = text(&out.stdout);
    for want in [
        "PCSR_BASE_URL",
        "PCSR_TOKEN",
        "PCSR_DATA_DIR",
        "submit",
        "history",
        "sandbox",
        "Exit codes",
    ] {
        assert!(stdout.contains(want), "missing {want}");
    }
}
