//! The command line for scripts and habits: `--jq`, `doctor`, `--quiet`, `status`, empty ids, severity values,
//! man pages and completions.

use clap::CommandFactory;
use serde_json::Value;

use crate::cli::{pcsr, run};
use crate::support::{Hangup, Scripted};

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn ok_stdout(out: &std::process::Output) -> String {
    assert!(
        out.status.success(),
        "exit {:?}, stderr: {}",
        out.status,
        text(&out.stderr)
    );
    text(&out.stdout)
}

#[tokio::test(flavor = "multi_thread")]
async fn jq_filters_list_show_history_and_prints_strings_raw() {
    let home = tempfile::tempdir().unwrap();
    let mut cmd = pcsr(home.path());
    cmd.args(["submit", "--title", "Printer on fire", "--description", "Smoke"])
        .args(["--severity", "critical", "--topic", "32444671", "--jq", ".id"]);
    let id = ok_stdout(&run(cmd).await).trim().to_string();
    // Raw like gh: no JSON quotes around a string result.
    assert!(!id.is_empty() && id.chars().all(|c| c.is_ascii_digit()), "{id:?}");

    let mut cmd = pcsr(home.path());
    cmd.args(["show", &id, "--jq", ".title"]);
    assert_eq!(ok_stdout(&run(cmd).await), "Printer on fire\n");

    let mut cmd = pcsr(home.path());
    cmd.arg("list");
    let filter = format!(".items | map(select(.id == \"{id}\")) | length");
    cmd.args(["--jq", &filter]);
    assert_eq!(ok_stdout(&run(cmd).await), "1\n");

    // Non-string results print as compact JSON, one per line.
    let mut cmd = pcsr(home.path());
    cmd.args(["history", "--jq", ".[] | {id, severity}"]);
    let line = ok_stdout(&run(cmd).await);
    let value: Value = serde_json::from_str(line.trim()).unwrap();
    assert_eq!(value["id"], id.as_str());
    assert_eq!(value["severity"], "critical");
    assert_eq!(line.trim().lines().count(), 1, "{line}");
}

#[tokio::test(flavor = "multi_thread")]
async fn jq_syntax_error_is_exit_1_with_the_column_before_any_call() {
    let home = tempfile::tempdir().unwrap();
    let server = Scripted::start(vec![]).await;
    let mut cmd = pcsr(home.path());
    cmd.env("PCSR_BASE_URL", &server.base_url)
        .env("PCSR_TOKEN", "t")
        .args(["list", "--jq", ".items | map(.id"]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("--jq") && stderr.contains("column 17"),
        "{stderr}"
    );
    assert!(server.seen().is_empty(), "a bad filter must not reach the server");
}

#[tokio::test(flavor = "multi_thread")]
async fn jq_runtime_error_is_exit_1_with_jaqs_message() {
    let home = tempfile::tempdir().unwrap();
    let mut cmd = pcsr(home.path());
    cmd.args(["topics", "--jq", ".items[0].id.name"]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("cannot index"),
        "{}",
        text(&out.stderr)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn empty_ids_are_refused_without_a_server_call() {
    let home = tempfile::tempdir().unwrap();
    let server = Scripted::start(vec![]).await;
    for args in [&["show", ""][..], &["close", "  "], &["note", "", "--text", "hi"]] {
        let mut cmd = pcsr(home.path());
        cmd.env("PCSR_BASE_URL", &server.base_url)
            .env("PCSR_TOKEN", "t")
            .args(args);
        let out = run(cmd).await;
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(text(&out.stderr).contains("id is empty"), "{}", text(&out.stderr));
    }
    assert!(server.seen().is_empty());
}

#[tokio::test(flavor = "multi_thread")]
async fn severity_errors_offer_only_choosable_values() {
    let home = tempfile::tempdir().unwrap();
    for bad in ["urgent", "unknown", "unknwn"] {
        let mut cmd = pcsr(home.path());
        cmd.args(["submit", "--title", "t", "--severity", bad]);
        let out = run(cmd).await;
        assert_eq!(out.status.code(), Some(1));
        let stderr = text(&out.stderr);
        assert!(stderr.contains("critical, moderate, minimal"), "{stderr}");
        assert!(!stderr.contains("'unknown'") || bad == "unknown", "{stderr}");
        assert!(!stderr.contains("similar value"), "{stderr}");
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn quiet_silences_the_sandbox_notice_and_status_names_the_sandbox() {
    let home = tempfile::tempdir().unwrap();
    let mut cmd = pcsr(home.path());
    cmd.args(["--quiet", "topics"]);
    let out = run(cmd).await;
    ok_stdout(&out);
    assert_eq!(text(&out.stderr), "");

    let mut cmd = pcsr(home.path());
    cmd.arg("status");
    let stdout = ok_stdout(&run(cmd).await);
    assert!(stdout.contains("Backend: the built-in sandbox"), "{stdout}");
}

#[tokio::test(flavor = "multi_thread")]
async fn doctor_reports_sandbox_keyring_none_and_reachability() {
    let home = tempfile::tempdir().unwrap();
    let mut cmd = pcsr(home.path());
    cmd.arg("doctor");
    let stdout = ok_stdout(&run(cmd).await);
    for want in [
        "commit ",
        "backend           sandbox",
        "PCSR_KEYRING=none",
        "can store: no",
        "data dir",
        "reachable in",
    ] {
        assert!(stdout.contains(want), "missing {want:?} in:\n{stdout}");
    }

    let mut cmd = pcsr(home.path());
    cmd.args(["doctor", "--json"]);
    let report: Value = serde_json::from_str(&ok_stdout(&run(cmd).await)).unwrap();
    assert!(
        report["version"]["commit"]
            .as_str()
            .is_some_and(|c| !c.is_empty())
    );
    assert!(
        report["version"]["target"]
            .as_str()
            .is_some_and(|t| t.contains('-'))
    );
    assert_eq!(report["backend"]["kind"], "sandbox");
    assert_eq!(report["keyring"]["choice"], "none");
    assert_eq!(report["keyring"]["canStore"], false);
    assert_eq!(report["paths"].as_array().map(Vec::len), Some(3));
    assert_eq!(report["reachability"]["reachable"], true);
    assert!(report["store"]["path"].is_string());
}

#[tokio::test(flavor = "multi_thread")]
async fn doctor_never_prints_the_token_and_times_an_unreachable_base() {
    let home = tempfile::tempdir().unwrap();
    // A base that takes the connection and hangs up after 400 ms without an answer.
    let base = Hangup::start(std::time::Duration::from_millis(400)).await;
    let mut cmd = pcsr(home.path());
    cmd.env("PCSR_BASE_URL", &base.base_url)
        .env("PCSR_TOKEN", "very-secret-token-123")
        .args(["doctor", "--jq", "."]);
    let stdout = ok_stdout(&run(cmd).await);
    assert!(!stdout.contains("very-secret-token-123"), "{stdout}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["backend"]["kind"], "token");
    let reach = &report["reachability"];
    assert_eq!(reach["reachable"], false, "{reach}");
    assert_eq!(reach["url"], Value::from(base.base_url.clone()), "{reach}");
    let millis = reach["millis"]
        .as_u64()
        .unwrap_or_else(|| panic!("no time: {reach}"));
    assert!(
        (400..3_000).contains(&millis),
        "timed from the call to the hang-up: {millis} ms"
    );
    assert_eq!(base.accepted(), 1, "one timed attempt");

    let mut cmd = pcsr(home.path());
    cmd.env("PCSR_BASE_URL", &base.base_url)
        .env("PCSR_TOKEN", "very-secret-token-123")
        .arg("doctor");
    let human = ok_stdout(&run(cmd).await);
    let line = human
        .lines()
        .find(|l| l.contains("reachability"))
        .unwrap_or_else(|| panic!("no reachability line: {human}"));
    assert!(
        line.contains("NOT reachable after") && line.contains(" ms"),
        "{line}"
    );
    assert!(!human.contains("very-secret-token-123"), "{human}");
}

#[test]
fn version_names_the_commit() {
    let home = tempfile::tempdir().unwrap();
    let out = pcsr(home.path()).arg("--version").output().unwrap();
    let stdout = ok_stdout(&out);
    let commit = stdout
        .split("(commit ")
        .nth(1)
        .and_then(|rest| rest.split([',', ')']).next())
        .unwrap_or_else(|| panic!("no commit in {stdout}"));
    assert!(stdout.contains("linux"), "the target is named: {stdout}");
    // Built from a git checkout (CI's clean clone too), the commit is the checkout's HEAD;
    // "unknown" is only right where git cannot say (a tarball).
    let head = std::process::Command::new("git")
        .args(["-C", env!("CARGO_MANIFEST_DIR"), "rev-parse", "HEAD"])
        .output()
        .ok()
        .filter(|o| o.status.success())
        .map(|o| String::from_utf8_lossy(&o.stdout).trim().to_string());
    match head {
        Some(head) => assert!(
            commit.len() >= 7 && head.starts_with(commit),
            "--version says commit {commit}, the checkout is at {head}"
        ),
        None => assert_eq!(commit, "unknown", "{stdout}"),
    }
}

#[test]
fn man_dir_writes_a_page_per_subcommand_with_keys_and_no_extra_section() {
    let home = tempfile::tempdir().unwrap();
    let dir = home.path().join("man1");
    let out = pcsr(home.path())
        .args(["man", "--dir"])
        .arg(&dir)
        .output()
        .unwrap();
    ok_stdout(&out);
    let root = std::fs::read_to_string(dir.join("pcsr-tui.1")).unwrap();
    // Every command at every depth has a page of its own, named in its parent's page.
    fn walk(cmd: &clap::Command, name: &str, parent: &str, dir: &std::path::Path, pages: &mut Vec<String>) {
        let page = std::fs::read_to_string(dir.join(format!("{name}.1")))
            .unwrap_or_else(|e| panic!("no page for {name}: {e}"));
        let roff = |t: &str| t.replace('-', "\\-");
        assert!(
            page.contains(&format!(".TH {name} 1")),
            "{name}: no title:\n{page}"
        );
        assert!(
            page.contains(".SH NAME") && page.contains(".SH SYNOPSIS"),
            "{name}:\n{page}"
        );
        if let Some(about) = cmd.get_about() {
            assert!(
                page.contains(&roff(&about.to_string())),
                "{name} lacks its description"
            );
        }
        for arg in cmd.get_arguments().filter(|a| !a.is_hide_set()) {
            if let Some(long) = arg.get_long() {
                assert!(
                    page.contains(&roff(&format!("--{long}"))),
                    "{name} lacks --{long}"
                );
            }
        }
        if !parent.is_empty() {
            assert!(
                parent.contains(&format!("{}(1)", roff(name))),
                "{name}(1) not named in its parent's page"
            );
        }
        pages.push(format!("{name}.1"));
        for sub in cmd.get_subcommands().filter(|s| !s.is_hide_set()) {
            walk(sub, &format!("{name}-{}", sub.get_name()), &page, dir, pages);
        }
    }
    let cmd = pcsr_tui::cli::Cli::command();
    let mut expected = Vec::new();
    walk(&cmd, "pcsr-tui", "", &dir, &mut expected);
    assert!(
        expected.contains(&"pcsr-tui-sandbox-serve.1".to_string()),
        "{expected:?}"
    );
    assert!(
        expected.contains(&"pcsr-tui-outbox-resend.1".to_string()),
        "{expected:?}"
    );
    let mut written: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    written.sort();
    expected.sort();
    assert_eq!(written, expected, "one page per command, nothing else");
    assert!(!root.contains(".SH EXTRA"), "odd EXTRA section");
    assert!(root.contains(".SH ENVIRONMENT") && root.contains("PCSR_TOKEN"));
    let keys = &root[root.find(".SH KEYS").expect("KEYS section")..];
    for binding in pcsr_tui::tui::keys::BINDINGS {
        let help = binding.help.replace('\\', "\\e").replace('-', "\\-");
        assert!(keys.contains(&help), "KEYS lacks {:?}", binding.help);
    }
}

#[test]
fn completions_offer_cloud_severity_and_status_values() {
    let home = tempfile::tempdir().unwrap();
    let out = pcsr(home.path()).args(["completions", "bash"]).output().unwrap();
    let script = ok_stdout(&out);
    assert!(script.contains("global germany usgov"), "cloud values missing");
    assert!(
        script.contains("critical moderate minimal"),
        "severity values missing"
    );
    assert!(
        script.contains("none open closed attention_needed"),
        "status values missing"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn human_dates_are_local_with_offset_and_json_keeps_the_servers_value() {
    let home = tempfile::tempdir().unwrap();
    let mut cmd = pcsr(home.path());
    cmd.args(["submit", "--title", "Dates", "--description", "d"])
        .args(["--severity", "minimal", "--topic", "32444671", "--json"]);
    let created: Value = serde_json::from_str(&ok_stdout(&run(cmd).await)).unwrap();
    let id = created["id"].as_str().unwrap().to_string();
    let raw = created["createdDate"].as_str().unwrap().to_string();
    assert!(raw.ends_with('Z'), "the sandbox sends UTC: {raw}");

    // A POSIX TZ string needs no tz database: two hours east of UTC.
    for args in [vec!["show", id.as_str()], vec!["list"], vec!["history"]] {
        let mut cmd = pcsr(home.path());
        cmd.env("TZ", "XYZ-02:00").args(&args);
        let stdout = ok_stdout(&run(cmd).await);
        assert!(stdout.contains(" +02:00"), "{args:?}:\n{stdout}");
        assert!(!stdout.contains(&raw), "{args:?} shows the raw date:\n{stdout}");
    }

    let mut cmd = pcsr(home.path());
    cmd.env("TZ", "XYZ-02:00")
        .args(["show", &id, "--jq", ".createdDate"]);
    assert_eq!(ok_stdout(&run(cmd).await).trim(), raw);
}
