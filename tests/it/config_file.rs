//! config.toml as the binary sees it: a bad file stops the CLI and the TUI with its
//! line, `[defaults]` fill in for absent flags, `quiet` silences the notice; TERM=dumb refuses
//! the full-screen UI; the outbox commands take `--jq`.

use std::path::Path;

use crate::cli::{pcsr, run};

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn write_config(home: &Path, body: &str) -> std::path::PathBuf {
    let dir = home.join("pcsr-config");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("config.toml");
    std::fs::write(&path, body).unwrap();
    path
}

#[tokio::test(flavor = "multi_thread")]
async fn a_clash_in_keys_stops_commands_and_the_tui_naming_file_and_line() {
    let home = tempfile::tempdir().unwrap();
    let path = write_config(
        home.path(),
        "[ui]\ntheme = \"mono\"\n\n[keys]\nsubmit = \"ctrl+r\"\n",
    );
    for args in [&["history"][..], &[][..]] {
        let mut cmd = pcsr(home.path());
        cmd.args(args).env("TERM", "xterm-256color");
        let out = run(cmd).await;
        let stderr = text(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{args:?}: {stderr}");
        assert!(
            stderr.contains(&format!("{}, line 5", path.display())),
            "{args:?}: {stderr}"
        );
        assert!(
            stderr.contains("`submit`") && stderr.contains("`history`"),
            "{stderr}"
        );
        // The TUI refused before touching the terminal: nothing on stdout, no escape codes.
        assert!(out.stdout.is_empty(), "{args:?}: {:?}", text(&out.stdout));
    }
    // Completions and man pages do not read it.
    let mut cmd = pcsr(home.path());
    cmd.args(["completions", "bash"]);
    assert!(run(cmd).await.status.success());
}

#[tokio::test(flavor = "multi_thread")]
async fn an_unknown_key_is_named_with_its_line() {
    let home = tempfile::tempdir().unwrap();
    write_config(home.path(), "[defaults]\nlocale = \"en-GB\"\nrefresh = 5\n");
    let mut cmd = pcsr(home.path());
    cmd.arg("topics");
    let out = run(cmd).await;
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("line 3") && stderr.contains("unknown key `refresh`"),
        "{stderr}"
    );
    assert!(
        stderr.contains("refresh_minutes"),
        "the known keys are listed: {stderr}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn defaults_fill_in_for_absent_flags_and_quiet_silences_the_notice() {
    let home = tempfile::tempdir().unwrap();
    write_config(
        home.path(),
        "[defaults]\ncloud = \"usgov\"\nquiet = true\n\n[profiles.default]\ntenant = \"organizations\"\n",
    );
    let mut cmd = pcsr(home.path());
    cmd.args(["doctor", "--jq", ".backend.cloud"]);
    let out = run(cmd).await;
    assert_eq!(text(&out.stdout), "usgov\n", "stderr: {}", text(&out.stderr));
    // A flag still wins.
    let mut cmd = pcsr(home.path());
    cmd.args(["--cloud", "global", "doctor", "--jq", ".backend.cloud"]);
    assert_eq!(text(&run(cmd).await.stdout), "global\n");
    // `quiet = true` is --quiet: no sandbox notice.
    let mut cmd = pcsr(home.path());
    cmd.arg("topics");
    let out = run(cmd).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(text(&out.stderr), "");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_dumb_terminal_gets_the_commands_instead_of_the_full_screen_ui() {
    let home = tempfile::tempdir().unwrap();
    let mut cmd = pcsr(home.path());
    cmd.env("TERM", "dumb");
    let out = run(cmd).await;
    let stderr = text(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(
        stderr.contains("TERM is dumb") && stderr.contains("pcsr-tui submit"),
        "{stderr}"
    );
    assert!(
        out.stdout.is_empty(),
        "the terminal is untouched: {:?}",
        text(&out.stdout)
    );
    let mut cmd = pcsr(home.path());
    cmd.env_remove("TERM");
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("TERM is not set"),
        "{}",
        text(&out.stderr)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn the_outbox_commands_take_jq() {
    let home = tempfile::tempdir().unwrap();
    for args in [
        &["outbox", "--jq", "type"][..],
        &["outbox", "resend", "--jq", "type"][..],
        &["outbox", "--jq", "type", "resend"][..],
    ] {
        let mut cmd = pcsr(home.path());
        cmd.args(args);
        let out = run(cmd).await;
        // Strings print raw: the filter ran on the JSON array.
        assert_eq!(text(&out.stdout), "array\n", "{args:?}: {}", text(&out.stderr));
    }
    let mut cmd = pcsr(home.path());
    cmd.args(["outbox", "--jq", ".["]);
    let out = run(cmd).await;
    assert_eq!(out.status.code(), Some(1), "a jq syntax error is a usage error");
}
