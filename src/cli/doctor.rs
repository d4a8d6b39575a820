//! `pcsr-tui doctor`: a redacted report for bug reports. It never prints a token or secret.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde::Serialize;

use crate::auth::{AuthEnv, KeyringChoice, SecretKey, SecretStore};
use crate::session::{self, Choice, Settings};
use crate::store::Store;

/// How long the reachability check waits: long enough for a slow link, short enough for a report.
const REACH_TIMEOUT: Duration = Duration::from_secs(3);

/// The whole report (also the `--json` shape).
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Report {
    version: Version,
    backend: Backend,
    keyring: Keyring,
    paths: Vec<PathCheck>,
    store: StoreReport,
    reachability: Reach,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Version {
    version: &'static str,
    commit: &'static str,
    target: &'static str,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Backend {
    /// sandbox | token | profile | signed-out
    kind: &'static str,
    /// Why this backend, in words.
    reason: String,
    cloud: &'static str,
    authority: String,
    api_base: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    user: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Keyring {
    /// PCSR_KEYRING as understood.
    choice: String,
    /// The store that opened, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    store: Option<String>,
    can_store: bool,
    detail: String,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct PathCheck {
    what: &'static str,
    path: Option<PathBuf>,
    exists: bool,
    writable: bool,
}

#[derive(Debug, Serialize, Default)]
#[serde(rename_all = "camelCase")]
struct StoreReport {
    path: Option<PathBuf>,
    #[serde(skip_serializing_if = "Option::is_none")]
    schema_version: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    submissions: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    outbox: Option<usize>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Reach {
    url: String,
    reachable: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    http_status: Option<u16>,
    millis: u128,
    detail: String,
}

/// Whether a folder (or, if it does not exist yet, its nearest existing parent) takes a file.
fn writable(dir: &Path) -> bool {
    let mut at = Some(dir);
    while let Some(d) = at {
        if d.is_dir() {
            let probe = d.join(format!(".pcsr-doctor-{}", std::process::id()));
            let ok = std::fs::write(&probe, b"").is_ok();
            let _ = std::fs::remove_file(&probe);
            return ok;
        }
        at = d.parent();
    }
    false
}

fn path_check(what: &'static str, path: Option<PathBuf>, is_file: bool) -> PathCheck {
    let exists = path.as_deref().is_some_and(Path::exists);
    let writable = path
        .as_deref()
        .map(|p| if is_file { p.parent().unwrap_or(p) } else { p })
        .is_some_and(writable);
    PathCheck {
        what,
        path,
        exists,
        writable,
    }
}

/// Opens the keyring store PCSR_KEYRING names and tries a write, read and delete of a probe
/// entry. Blocking (D-Bus, kernel keyring).
fn keyring(choice: KeyringChoice) -> Keyring {
    let label = format!("{choice:?}").to_lowercase();
    let store = match SecretStore::open(choice) {
        Ok(Some(store)) => store,
        Ok(None) => {
            return Keyring {
                choice: label,
                store: None,
                can_store: false,
                detail: "PCSR_KEYRING=none: sign-ins last for the session only".into(),
            };
        }
        Err(e) => {
            return Keyring {
                choice: label,
                store: None,
                can_store: false,
                detail: format!("{e}"),
            };
        }
    };
    let key = SecretKey::new(crate::auth::Cloud::Global, "pcsr-tui-doctor", "probe");
    let probe = store
        .set(&key, "probe")
        .and_then(|()| store.get(&key))
        .map(|v| v.as_deref() == Some("probe"));
    let _ = store.delete(&key);
    let (can_store, detail) = match probe {
        Ok(true) => (
            true,
            "a probe entry was written, read back and deleted".to_string(),
        ),
        Ok(false) => (false, "a probe entry did not read back".to_string()),
        Err(e) => (false, e.to_string()),
    };
    Keyring {
        choice: label,
        store: Some(store.kind().display_name().to_string()),
        can_store,
        detail,
    }
}

/// Schema version and row counts, without creating a database that is not there. Blocking.
fn store_report(path: PathBuf) -> StoreReport {
    let mut report = StoreReport {
        path: Some(path.clone()),
        ..StoreReport::default()
    };
    if !path.exists() {
        report.error = Some("not created yet (the first command that uses it creates it)".into());
        return report;
    }
    let counts =
        Store::open(&path).and_then(|s| Ok((s.schema_version()?, s.history_count("")?, s.outbox()?.len())));
    match counts {
        Ok((version, submissions, outbox)) => {
            report.schema_version = Some(version);
            report.submissions = Some(submissions);
            report.outbox = Some(outbox);
        }
        Err(e) => report.error = Some(e.to_string()),
    }
    report
}

/// One timed GET of the API base; any HTTP answer (even 401/404) means the host is reachable.
async fn reach(url: &str) -> Reach {
    crate::tls::install_provider();
    let start = Instant::now();
    let client = reqwest::Client::builder().timeout(REACH_TIMEOUT).build();
    let result = match client {
        Ok(c) => c.get(url).send().await,
        Err(e) => Err(e),
    };
    let millis = start.elapsed().as_millis();
    match result {
        Ok(resp) => Reach {
            url: url.to_string(),
            reachable: true,
            http_status: Some(resp.status().as_u16()),
            millis,
            detail: "answered".into(),
        },
        Err(e) => Reach {
            url: url.to_string(),
            reachable: false,
            http_status: None,
            millis,
            detail: if e.is_timeout() {
                format!(
                    "no answer within {} s: check the network or proxy",
                    REACH_TIMEOUT.as_secs()
                )
            } else {
                format!("{e}: check the network, proxy or --base-url")
            },
        },
    }
}

/// `pcsr-tui doctor [--json]`.
pub async fn doctor(settings: &Settings, json: bool) -> anyhow::Result<()> {
    let env = AuthEnv::from_env()?;
    let keyring_choice = env.keyring;
    let signed_in = session::signed_in_from_env(settings)?;
    let data_dir = session::resolve_data_dir(settings.data_dir.as_deref())?;
    let config_dir = crate::auth::profiles::default_config_dir();
    let log_file = std::env::var_os("PCSR_LOG_FILE").map(PathBuf::from);
    let authority = env
        .authority_override
        .clone()
        .unwrap_or_else(|| settings.cloud_or_default().authority().to_string());

    let (backend, reachability) = match session::plan(settings, signed_in) {
        Ok(plan) => {
            let (kind, reason) = match plan.choice {
                Choice::SandboxAsked => ("sandbox", "--sandbox was given".to_string()),
                Choice::SandboxDefault => (
                    "sandbox",
                    "no PCSR_BASE_URL, PCSR_TOKEN or signed-in profile (`pcsr-tui login` to use Partner Center)"
                        .to_string(),
                ),
                Choice::Token => ("token", "PCSR_TOKEN is set (its value is not shown)".to_string()),
                Choice::Profile => ("profile", "the signed-in profile in config.toml".to_string()),
            };
            let user = match plan.account() {
                crate::session::Account::User(u) => Some(u),
                _ => None,
            };
            let cloud = plan.cloud.as_str();
            // Starting the session starts the in-process sandbox, so the check reaches it.
            let session = session::start(plan).await?;
            let reachability = reach(&session.base_url).await;
            let backend = Backend {
                kind,
                reason,
                cloud,
                authority,
                api_base: session.base_url.clone(),
                user,
            };
            session.close().await;
            (backend, reachability)
        }
        Err(session::SessionError::NoCredentials(base)) => {
            let backend = Backend {
                kind: "signed-out",
                reason: "a base URL is set but no credentials: run `pcsr-tui login` or set PCSR_TOKEN".into(),
                cloud: settings.cloud_or_default().as_str(),
                authority,
                api_base: base.clone(),
                user: None,
            };
            (backend, reach(&base).await)
        }
        Err(e) => return Err(e.into()),
    };

    let store_path = session::store_path(&data_dir);
    let (keyring, store) =
        tokio::task::spawn_blocking(move || (keyring(keyring_choice), store_report(store_path))).await?;
    let paths = {
        let data = data_dir.clone();
        let config = config_dir.clone();
        tokio::task::spawn_blocking(move || {
            vec![
                path_check("data", Some(data), false),
                path_check("config", config, false),
                path_check("log", log_file, true),
            ]
        })
        .await?
    };
    let report = Report {
        version: Version {
            version: env!("CARGO_PKG_VERSION"),
            commit: env!("PCSR_GIT_COMMIT"),
            target: env!("PCSR_TARGET"),
        },
        backend,
        keyring,
        paths,
        store,
        reachability,
    };
    if json {
        super::jq::print_json(&report)
    } else {
        print!("{}", human(&report));
        Ok(())
    }
}

fn yes_no(b: bool) -> &'static str {
    if b { "yes" } else { "no" }
}

/// The report as aligned text.
fn human(r: &Report) -> String {
    let mut out = String::new();
    let mut line = |label: &str, value: String| {
        let _ = writeln!(out, "{label:<18}{value}");
    };
    line(
        "version",
        format!(
            "{} (commit {}, {})",
            r.version.version, r.version.commit, r.version.target
        ),
    );
    line("backend", format!("{} ({})", r.backend.kind, r.backend.reason));
    if let Some(user) = &r.backend.user {
        line("user", user.clone());
    }
    line("cloud", r.backend.cloud.to_string());
    line("authority", r.backend.authority.clone());
    line("api base", r.backend.api_base.clone());
    line(
        "keyring",
        format!(
            "{} (PCSR_KEYRING={}); can store: {}; {}",
            r.keyring.store.as_deref().unwrap_or("none"),
            r.keyring.choice,
            yes_no(r.keyring.can_store),
            r.keyring.detail
        ),
    );
    for p in &r.paths {
        let value = match &p.path {
            Some(path) => format!(
                "{} (exists: {}, writable: {})",
                path.display(),
                yes_no(p.exists),
                yes_no(p.writable)
            ),
            None if p.what == "log" => "not set (PCSR_LOG_FILE turns TUI logging on)".to_string(),
            None => "unknown (no home directory?)".to_string(),
        };
        line(&format!("{} dir", p.what).replace("log dir", "log file"), value);
    }
    let store = match (&r.store.schema_version, &r.store.error) {
        (Some(v), _) => format!(
            "schema {v}, {} submissions, {} in the outbox",
            r.store.submissions.unwrap_or(0),
            r.store.outbox.unwrap_or(0)
        ),
        (None, Some(e)) => e.clone(),
        (None, None) => "-".into(),
    };
    line("store", store);
    let reach = if r.reachability.reachable {
        format!(
            "reachable in {} ms (HTTP {})",
            r.reachability.millis,
            r.reachability.http_status.unwrap_or(0)
        )
    } else {
        format!(
            "NOT reachable after {} ms: {}",
            r.reachability.millis, r.reachability.detail
        )
    };
    line("reachability", format!("{} {reach}", r.reachability.url));
    out
}
