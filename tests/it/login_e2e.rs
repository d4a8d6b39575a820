//! `pcsr-tui login`, `status`, `topics`, `logout` as real processes against the in-process
//! sandbox's sign-in emulator, with the refresh token in the real kernel keyutils store.

use std::path::{Path, PathBuf};
use std::process::Output;

use pcsr_tui::auth::{SecretKey, SecretStore, StoreKind};
use pcsr_tui::sandbox::oauth::SANDBOX_USER;
use pcsr_tui::sandbox::{Sandbox, SandboxOptions};

use crate::cli::{pcsr, run};

/// Why keyutils cannot hold a key that other processes of this test can read, if it cannot.
fn keyutils_unavailable() -> Option<String> {
    let store = match SecretStore::open_kind(StoreKind::Keyutils) {
        Ok(store) => store,
        Err(e) => return Some(format!("keyutils is not available here ({e})")),
    };
    let key = SecretKey::new(
        Default::default(),
        "pcsr-tui-probe",
        &format!("{}@test.invalid", uuid::Uuid::new_v4()),
    );
    if let Err(e) = store.set(&key, "probe") {
        return Some(format!("the kernel refused a keyutils key ({e})"));
    }
    let _ = store.delete(&key);
    None
}

/// The commands' shared environment: a private home, keyutils, the sandbox as authority.
struct Rig {
    home: PathBuf,
    authority: String,
}

impl Rig {
    fn cmd(&self, args: &[&str]) -> std::process::Command {
        let mut cmd = pcsr(&self.home);
        cmd.env("PCSR_KEYRING", "keyutils")
            .env("PCSR_AUTHORITY_URL", &self.authority)
            .args(args);
        cmd
    }
}

/// Signs out when dropped, so a failed assertion never leaves a key in the kernel keyring.
struct LogoutOnDrop<'a>(&'a Rig);

impl Drop for LogoutOnDrop<'_> {
    fn drop(&mut self) {
        let _ = self.0.cmd(&["logout"]).output();
    }
}

fn text(out: &Output) -> (String, String) {
    (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Every file below `dir`, read as bytes (SQLite files included).
fn files_below(dir: &Path, found: &mut Vec<(PathBuf, Vec<u8>)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            files_below(&path, found);
        } else if let Ok(bytes) = std::fs::read(&path) {
            found.push((path, bytes));
        }
    }
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a kernel that grants keyutils keys (many containers refuse); run with --ignored where it does"]
async fn login_status_topics_logout_with_keyutils_leaves_no_token_behind() {
    if let Some(reason) = tokio::task::spawn_blocking(keyutils_unavailable).await.unwrap() {
        panic!("keyutils is not usable here: {reason}");
    }
    let home = tempfile::tempdir().unwrap();
    let sandbox = Sandbox::start(SandboxOptions {
        db_path: Some(home.path().join("sandbox.sqlite")),
        bind: "127.0.0.1:0".parse().unwrap(),
    })
    .await
    .unwrap();
    let base_url = sandbox.base_url();
    let rig = Rig {
        home: home.path().join("home"),
        authority: base_url.clone(),
    };
    std::fs::create_dir_all(&rig.home).unwrap();
    let tenant = uuid::Uuid::new_v4().to_string();
    let mut captured: Vec<u8> = Vec::new();
    let mut keep = |out: &Output| {
        captured.extend_from_slice(&out.stdout);
        captured.extend_from_slice(&out.stderr);
    };

    let guard = LogoutOnDrop(&rig);
    let login = run(rig.cmd(&["login", "--tenant", &tenant])).await;
    keep(&login);
    let (stdout, stderr) = text(&login);
    assert!(login.status.success(), "login failed: {stdout}\n{stderr}");
    assert!(
        stdout.contains(&format!("{base_url}/devicelogin")),
        "the verification URL is shown: {stdout}"
    );
    let code = stdout
        .split("enter the code ")
        .nth(1)
        .and_then(|rest| rest.split(['.', ' ']).next())
        .unwrap_or_default();
    assert!(
        code.starts_with("SBX") && code.len() > 3,
        "the user code is shown: {stdout}"
    );
    assert!(
        stdout.contains(&format!("Signed in as {SANDBOX_USER}")),
        "{stdout}"
    );
    assert!(stdout.contains(&tenant), "the tenant is named: {stdout}");

    let status = run(rig.cmd(&["status"])).await;
    keep(&status);
    let (stdout, stderr) = text(&status);
    assert!(status.status.success(), "status failed: {stdout}\n{stderr}");
    assert!(stdout.contains(SANDBOX_USER), "{stdout}");
    assert!(
        stdout.contains("the kernel keyutils keyring holds the refresh token"),
        "{stdout}"
    );

    let refreshes_before = sandbox.oauth().refresh_count();
    let mut topics = rig.cmd(&["topics", "--json"]);
    topics.env("PCSR_BASE_URL", &base_url);
    let topics = run(topics).await;
    keep(&topics);
    let (stdout, stderr) = text(&topics);
    assert!(topics.status.success(), "topics failed: {stdout}\n{stderr}");
    assert!(stdout.contains("32444667"), "the sandbox topics: {stdout}");
    assert_eq!(
        sandbox.oauth().refresh_count(),
        refreshes_before + 1,
        "topics read the refresh token from keyutils and exchanged it"
    );

    let logout = run(rig.cmd(&["logout"])).await;
    keep(&logout);
    let (stdout, stderr) = text(&logout);
    assert!(logout.status.success(), "logout failed: {stdout}\n{stderr}");
    assert!(
        stdout.contains("removed the refresh token from the kernel keyutils keyring"),
        "{stdout}"
    );

    let mut after = rig.cmd(&["topics"]);
    after.env("PCSR_BASE_URL", &base_url);
    let after = run(after).await;
    keep(&after);
    let (stdout, stderr) = text(&after);
    assert_eq!(after.status.code(), Some(3), "{stdout}\n{stderr}");
    assert!(stderr.contains("pcsr-tui login"), "says how to sign in: {stderr}");
    drop(guard);

    let issued = sandbox.oauth().issued_tokens();
    assert!(
        issued.len() >= 4,
        "login and one refresh issued tokens: {issued:?}"
    );
    let mut files = Vec::new();
    files_below(home.path(), &mut files);
    assert!(
        files.iter().any(|(p, _)| p.ends_with("config.toml")),
        "the config was written under the temp home: {files:?}",
        files = files.iter().map(|(p, _)| p).collect::<Vec<_>>()
    );
    for token in &issued {
        assert!(!contains(&captured, token), "a token reached stdout/stderr");
        for (path, bytes) in &files {
            assert!(
                !contains(bytes, token),
                "a token is on disk in {}",
                path.display()
            );
        }
    }
    sandbox.shutdown().await;
}
