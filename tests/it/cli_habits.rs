//! Issue 9, command-line side: `--jq`, `doctor`, `--quiet`, `status`, empty ids, severity values,
//! man pages and completions.

use clap::CommandFactory;
use serde_json::Value;

use crate::cli::{pcsr, run};
use crate::support::Scripted;

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
    // A port nothing listens on: bind, note it, close.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut cmd = pcsr(home.path());
    cmd.env("PCSR_BASE_URL", format!("http://127.0.0.1:{port}"))
        .env("PCSR_TOKEN", "very-secret-token-123")
        .args(["doctor", "--jq", "."]);
    let stdout = ok_stdout(&run(cmd).await);
    assert!(!stdout.contains("very-secret-token-123"), "{stdout}");
    let report: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(report["backend"]["kind"], "token");
    assert_eq!(report["reachability"]["reachable"], false);
}

#[test]
fn version_names_the_commit() {
    let home = tempfile::tempdir().unwrap();
    let out = pcsr(home.path()).arg("--version").output().unwrap();
    let stdout = ok_stdout(&out);
    assert!(
        stdout.contains("(commit ") && stdout.contains("linux"),
        "{stdout}"
    );
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
    let cmd = pcsr_tui::cli::Cli::command();
    for sub in cmd.get_subcommands() {
        let name = format!("pcsr-tui-{}", sub.get_name());
        assert!(dir.join(format!("{name}.1")).exists(), "no page for {name}");
        // The root page's references resolve to the pages written.
        assert!(root.contains(&name.replace('-', "\\-")), "{name} not referenced");
    }
    assert!(dir.join("pcsr-tui-sandbox-serve.1").exists());
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
