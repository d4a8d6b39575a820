//! Outcomes and hostile input, the binary as a process: the outbox commands, `topics --json` as sent, a
//! read-only data directory, closed pipes, hostile server text, the description limit, logging.

use pcsr_tui::sandbox::{Fault, SANDBOX_TOKEN};
use pcsr_tui::store::Store;
use serde_json::Value;

use crate::cli::{pcsr, run};
use crate::outcomes::{request, sandbox, text};
use crate::support::{Canned, Scripted, fixture};

// Item 6: the CLI's outbox commands: list, resend with the same id, discard.
#[tokio::test(flavor = "multi_thread")]
async fn cli_outbox_lists_resends_and_discards() {
    let sb = sandbox().await;
    let home = tempfile::tempdir().unwrap();
    let with_sandbox = |args: &[&str]| {
        let mut cmd = pcsr(home.path());
        cmd.args(args)
            .env("PCSR_BASE_URL", sb.base_url())
            .env("PCSR_TOKEN", SANDBOX_TOKEN);
        cmd
    };
    // Every attempt of the submit meets a fault; the first one was committed.
    sb.inject(Fault::DropAfterCommit);
    for _ in 0..3 {
        sb.inject(Fault::RateLimit { retry_after_secs: 0 });
    }
    let submit = [
        "submit",
        "--title",
        "CLI lost",
        "--description",
        "d",
        "--severity",
        "minimal",
        "--topic",
        "32444667",
    ];
    let out = run(with_sandbox(&submit)).await;
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("outcome unknown") && stderr.contains("outbox resend"),
        "{stderr}"
    );

    let out = run(with_sandbox(&["outbox", "--json"])).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let listed: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(listed[0]["outcome"], "unknown");
    let local = listed[0]["localId"].as_i64().unwrap().to_string();

    let out = run(with_sandbox(&["outbox", "resend", &local])).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("created"), "{}", text(&out.stdout));
    assert_eq!(sb.request_count(), 1, "resent with the same MS-RequestId");
    let out = run(with_sandbox(&["outbox", "--json"])).await;
    assert_eq!(
        serde_json::from_slice::<Value>(&out.stdout).unwrap(),
        serde_json::json!([])
    );

    // A refusal is failed (not filed); discard asks, so without a terminal it needs --yes.
    let bad = [
        "submit",
        "--title",
        "Bad topic",
        "--description",
        "d",
        "--severity",
        "minimal",
        "--topic",
        "1",
    ];
    let out = run(with_sandbox(&bad)).await;
    assert_eq!(out.status.code(), Some(2), "{}", text(&out.stderr));
    let out = run(with_sandbox(&["outbox", "--json"])).await;
    let listed: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(listed[0]["outcome"], "failed", "{listed}");
    let local = listed[0]["localId"].as_i64().unwrap().to_string();
    let out = run(with_sandbox(&["outbox", "discard", &local])).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(text(&out.stderr).contains("--yes"), "{}", text(&out.stderr));
    let out = run(with_sandbox(&["outbox", "discard", &local, "--yes"])).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = run(with_sandbox(&["outbox", "--json"])).await;
    assert_eq!(
        serde_json::from_slice::<Value>(&out.stdout).unwrap(),
        serde_json::json!([])
    );
    sb.shutdown().await;
}

// Item 5: `topics --json` prints the server's collection, its own totalCount included.
#[tokio::test(flavor = "multi_thread")]
async fn topics_json_prints_the_collection_as_sent() {
    let sent = r#"{"totalCount": 14, "items": [{"id": 32444667, "name": "Partner Center Issues"}], "attributes": {"objectType": "Collection"}}"#;
    let server = Scripted::start(vec![Canned::json(200, sent)]).await;
    let home = tempfile::tempdir().unwrap();
    let mut cmd = pcsr(home.path());
    cmd.args(["topics", "--json"])
        .env("PCSR_BASE_URL", &server.base_url)
        .env("PCSR_TOKEN", "t");
    let out = run(cmd).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let printed: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(printed, serde_json::from_str::<Value>(sent).unwrap());
}

// Item 8: read-only commands neither create nor write anything in the data directory.
#[tokio::test(flavor = "multi_thread")]
async fn read_only_commands_write_nothing_to_the_data_directory() {
    let home = tempfile::tempdir().unwrap();
    for args in [["history", "--json"], ["outbox", "--json"]] {
        let mut cmd = pcsr(home.path());
        cmd.args(args);
        let out = run(cmd).await;
        assert!(out.status.success(), "{}", text(&out.stderr));
        assert_eq!(
            serde_json::from_slice::<Value>(&out.stdout).unwrap(),
            serde_json::json!([])
        );
    }
    assert!(
        !home.path().join("pcsr-data").exists(),
        "no data directory created"
    );

    // An existing database in a data directory that cannot be written at all.
    let data = home.path().join("pcsr-data");
    {
        let store = Store::open(&data.join("pcsr.sqlite")).unwrap();
        store
            .record_submission(&pcsr_tui::store::NewSubmission {
                request_id: uuid::Uuid::new_v4(),
                service: pcsr_tui::domain::Service::PartnerCenter,
                cloud: "sandbox",
                locale: "en-US",
                base_url: "http://127.0.0.1:1",
                request: &request("kept"),
                attachments: &[],
                subscription: None,
            })
            .unwrap();
    }
    let bytes = std::fs::read(data.join("pcsr.sqlite")).unwrap();
    let _read_only = ReadOnly::make(&data);
    for args in [["history", "--json"], ["outbox", "--json"]] {
        let mut cmd = pcsr(home.path());
        cmd.args(args);
        let out = run(cmd).await;
        assert!(out.status.success(), "{args:?}: {}", text(&out.stderr));
        let rows: Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(rows[0]["title"], "kept");
    }
    // `show` reads the server and still works; it just cannot refresh the local copy.
    let server = Scripted::start(vec![Canned::json(200, &fixture("create-response.json"))]).await;
    let mut cmd = pcsr(home.path());
    cmd.args(["show", "616122292874576"])
        .env("PCSR_BASE_URL", &server.base_url)
        .env("PCSR_TOKEN", "t");
    let out = run(cmd).await;
    assert!(out.status.success(), "show: {}", text(&out.stderr));
    // A write fails with what to do, before anything is sent.
    let server = Scripted::start(vec![]).await;
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
        "1",
    ])
    .env("PCSR_BASE_URL", &server.base_url)
    .env("PCSR_TOKEN", "t");
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("read-only") && stderr.contains("--data-dir"),
        "{stderr}"
    );
    assert!(server.seen().is_empty(), "nothing sent");
    assert_eq!(bytes, std::fs::read(data.join("pcsr.sqlite")).unwrap());
}

/// Makes a directory and its files unwritable for the test's life: `chmod` for a normal user,
/// `chattr +i` for root (which ignores modes).
struct ReadOnly(std::path::PathBuf, Vec<std::path::PathBuf>);

impl ReadOnly {
    fn make(dir: &std::path::Path) -> ReadOnly {
        let files: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        let root = std::process::Command::new("id")
            .arg("-u")
            .output()
            .unwrap()
            .stdout
            == b"0\n";
        for path in files.iter().chain([&dir.to_path_buf()]) {
            if root {
                let ok = std::process::Command::new("chattr").arg("+i").arg(path).status();
                assert!(
                    ok.is_ok_and(|s| s.success()),
                    "as root this test needs `chattr +i` (CAP_LINUX_IMMUTABLE); run it as a normal user otherwise"
                );
            } else {
                use std::os::unix::fs::PermissionsExt;
                std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o555)).unwrap();
            }
        }
        ReadOnly(dir.to_path_buf(), files)
    }
}

impl Drop for ReadOnly {
    fn drop(&mut self) {
        for path in self.1.iter().chain([&self.0]) {
            let _ = std::process::Command::new("chattr").arg("-i").arg(path).status();
            use std::os::unix::fs::PermissionsExt;
            let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755));
        }
    }
}

// Item 9: a closed pipe ends the command quietly.
#[tokio::test(flavor = "multi_thread")]
async fn a_closed_pipe_exits_quietly() {
    let home = tempfile::tempdir().unwrap();
    for args in [
        &["topics"][..],
        &["topics", "--json"][..],
        &["completions", "bash"][..],
    ] {
        let mut cmd = pcsr(home.path());
        cmd.args(args)
            .stdout(std::process::Stdio::piped())
            .stderr(std::process::Stdio::piped());
        let out = tokio::task::spawn_blocking(move || {
            let mut child = cmd.spawn().unwrap();
            // The reader goes away before the first write, as `| true` does.
            drop(child.stdout.take());
            child.wait_with_output().unwrap()
        })
        .await
        .unwrap();
        let stderr = text(&out.stderr);
        assert!(
            !stderr.contains("panicked") && !stderr.contains("Broken pipe"),
            "{args:?}: {stderr}"
        );
        assert_eq!(out.status.code(), Some(0), "{args:?}: {stderr}");
    }
}

// Item 10: server text never reaches the terminal raw; --json escapes C1 and bidi controls.
#[tokio::test(flavor = "multi_thread")]
async fn hostile_server_text_is_defused_on_stderr_and_in_json() {
    let evil = r#"{"code": "\u001b]0;pwned\u0007", "description": "bad\u001b[2J\u001b]52;c;aGk=\u0007 input\u009b31m"}"#;
    let server = Scripted::start(vec![Canned::json(400, evil)]).await;
    let home = tempfile::tempdir().unwrap();
    let mut cmd = pcsr(home.path());
    cmd.args(["show", "1"])
        .env("PCSR_BASE_URL", &server.base_url)
        .env("PCSR_TOKEN", "t");
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(2));
    let stderr = text(&out.stderr);
    assert!(stderr.contains("bad") && stderr.contains("input"), "{stderr}");
    assert!(
        !stderr.contains(['\u{1b}', '\u{7}', '\u{9b}']),
        "raw control characters on stderr: {stderr:?}"
    );

    let sr = r#"{"id": "1", "title": "Refund \u202eexe.txt\u009b2J done", "status": "open"}"#;
    let server = Scripted::start(vec![Canned::json(200, sr)]).await;
    let mut cmd = pcsr(home.path());
    cmd.args(["show", "1", "--json"])
        .env("PCSR_BASE_URL", &server.base_url)
        .env("PCSR_TOKEN", "t");
    let out = run(cmd).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    assert!(!stdout.contains(['\u{202e}', '\u{9b}']), "{stdout:?}");
    assert!(
        stdout.contains("\\u202e") && stdout.contains("\\u009b"),
        "{stdout}"
    );
    let parsed: Value = serde_json::from_str(&stdout).expect("still valid JSON");
    assert_eq!(parsed["title"], "Refund \u{202e}exe.txt\u{9b}2J done");
}

// Item 11: an oversized description is refused before anything is recorded or sent.
#[tokio::test(flavor = "multi_thread")]
async fn an_oversized_description_is_refused_before_anything_is_recorded() {
    let home = tempfile::tempdir().unwrap();
    let file = home.path().join("huge.txt");
    std::fs::write(&file, "x".repeat(300 * 1024)).unwrap();
    let server = Scripted::start(vec![]).await;
    let mut cmd = pcsr(home.path());
    cmd.args([
        "submit",
        "--title",
        "t",
        "--severity",
        "minimal",
        "--topic",
        "32444667",
    ])
    .arg("--description-file")
    .arg(&file)
    .env("PCSR_BASE_URL", &server.base_url)
    .env("PCSR_TOKEN", "t");
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(1));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("256.0 KiB") && stderr.contains("300.0 KiB"),
        "{stderr}"
    );
    assert!(server.seen().is_empty(), "nothing sent");
    assert!(
        !home.path().join("pcsr-data").join("pcsr.sqlite").exists(),
        "nothing recorded"
    );

    // The shared validation (the TUI form's too) refuses it with the limit and the size.
    let mut big = request("t");
    big.description = "é".repeat(200 * 1024);
    let errors = big.validate(&pcsr_tui::domain::Service::PartnerCenter.capabilities());
    assert_eq!(errors.len(), 1);
    assert_eq!(errors[0].field, pcsr_tui::domain::Field::Description);
    assert!(errors[0].message.contains("256.0 KiB"), "{}", errors[0].message);
}

// Item 12 (part): no log lines on stderr unless RUST_LOG asks, then without colour off a
// terminal; PCSR_LOG_FILE alone turns logging on; the signed-out TUI path checks --locale.
#[tokio::test(flavor = "multi_thread")]
async fn logging_and_locale_checks() {
    let home = tempfile::tempdir().unwrap();
    let server = Scripted::start(vec![
        Canned::json(503, r#"{"code": 800003, "description": "busy"}"#),
        Canned::json(200, &fixture("create-response.json")),
        Canned::json(503, r#"{"code": 800003, "description": "busy"}"#),
        Canned::json(200, &fixture("create-response.json")),
    ])
    .await;
    let mut cmd = pcsr(home.path());
    cmd.args(["show", "616122292874576"])
        .env("PCSR_BASE_URL", &server.base_url)
        .env("PCSR_TOKEN", "t")
        .env_remove("PCSR_LOG_FILE");
    let out = run(cmd).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(
        !stderr.contains("retrying") && !stderr.contains("WARN"),
        "no RUST_LOG, no log lines on stderr: {stderr}"
    );

    let mut cmd = pcsr(home.path());
    cmd.args(["show", "616122292874576"])
        .env("PCSR_BASE_URL", &server.base_url)
        .env("PCSR_TOKEN", "t")
        .env("RUST_LOG", "warn")
        .env_remove("PCSR_LOG_FILE");
    let out = run(cmd).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("retrying"),
        "RUST_LOG asked: the retry is logged: {stderr}"
    );
    assert!(
        !stderr.contains('\u{1b}'),
        "no colour when stderr is not a terminal: {stderr:?}"
    );

    let log = home.path().join("pcsr.log");
    let mut cmd = pcsr(home.path());
    cmd.args(["history"]).env("PCSR_LOG_FILE", &log);
    let out = run(cmd).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let logged = std::fs::read_to_string(&log).unwrap_or_default();
    assert!(
        logged.contains("INFO"),
        "PCSR_LOG_FILE alone logs at info: {logged:?}"
    );

    let mut cmd = pcsr(home.path());
    cmd.args(["--locale", "english"])
        .env("PCSR_BASE_URL", &server.base_url);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    assert!(text(&out.stderr).contains("english"), "{}", text(&out.stderr));
}

// Microsoft Cloud Germany closed: `status` says so when it is chosen.
#[tokio::test(flavor = "multi_thread")]
async fn choosing_germany_says_it_closed() {
    let home = tempfile::tempdir().unwrap();
    let mut cmd = pcsr(home.path());
    cmd.args(["--cloud", "germany", "status"]);
    let out = run(cmd).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("closed on 2021-10-29"),
        "{}",
        text(&out.stdout)
    );
}

// A submit killed after it was recorded and before any attempt could be filed (the first
// attempt is held before the handler, then the process dies): the next command finds it in
// the outbox as unknown and one resend files it, once.
#[tokio::test(flavor = "multi_thread")]
async fn a_submit_killed_after_it_was_recorded_is_in_the_outbox_and_resent_once() {
    let sb = sandbox().await;
    let home = tempfile::tempdir().unwrap();
    let with_sandbox = |args: &[&str]| {
        let mut cmd = pcsr(home.path());
        cmd.args(args)
            .env("PCSR_BASE_URL", sb.base_url())
            .env("PCSR_TOKEN", SANDBOX_TOKEN);
        cmd
    };
    sb.inject(Fault::Delay(std::time::Duration::from_secs(30)));
    let mut submit = with_sandbox(&[
        "submit",
        "--title",
        "Killed mid-submit",
        "--description",
        "d",
        "--severity",
        "minimal",
        "--topic",
        "32444667",
    ]);
    submit
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null());
    let mut child = submit.spawn().unwrap();
    let store = pcsr_tui::session::store_path(&home.path().join("pcsr-data"));
    let recorded = tokio::task::spawn_blocking(move || {
        crate::pty::eventually("the submit recorded before its send", || {
            let db = Store::open_read_only(&store).ok().flatten()?;
            db.history("", 0, 10).ok()?.into_iter().next()
        })
    })
    .await
    .unwrap();
    assert_eq!(recorded.title, "Killed mid-submit");
    child.kill().unwrap();
    child.wait().unwrap();
    assert_eq!(sb.request_count(), 0, "nothing was filed before the crash");
    sb.clear_faults();

    let out = run(with_sandbox(&["outbox", "--json"])).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let listed: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(listed.as_array().map(Vec::len), Some(1), "{listed}");
    assert_eq!(
        listed[0]["outcome"], "unknown",
        "it may have been sent: never failed"
    );
    let out = run(with_sandbox(&["outbox", "resend"])).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("created"), "{}", text(&out.stdout));
    assert_eq!(sb.request_count(), 1, "filed once");
    let out = run(with_sandbox(&["outbox", "resend"])).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(sb.request_count(), 1, "nothing left to send");
}
