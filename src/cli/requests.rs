//! The request commands: topics, submit, show, list, note, close, history, and the TUI launch.

use std::io::Read;
use std::path::Path;

use anyhow::Context as _;
use serde::Serialize;

use crate::api::error::RequestIds;
use crate::api::{
    ApiError, Collection, ListQuery, NewServiceRequest, Scope, ServiceRequest, ServiceRequestPatch, Severity,
    Status,
};
use crate::session::{self, Choice, Session, Settings};
use crate::store::{HistoryRow, NewSubmission, Store};

use super::{Exit, SubmitArgs, output};

/// Opens a session and prints the one-line notice when the sandbox was chosen by default.
async fn open(settings: &Settings) -> anyhow::Result<Session> {
    let signed_in = session::signed_in_from_env(settings)?;
    let (session, choice) = session::open(settings, signed_in).await?;
    if choice == Choice::SandboxDefault && !super::quiet() {
        eprintln!(
            "pcsr-tui: no account configured: using the built-in sandbox (nothing leaves this machine; \
             `pcsr-tui login` to use Partner Center)"
        );
    }
    Ok(session)
}

fn print_json<T: Serialize>(value: &T) -> anyhow::Result<()> {
    super::jq::print_json(value)
}

fn scope(customer: Option<String>) -> Scope {
    customer.map(Scope::Customer).unwrap_or_default()
}

/// Keeps a fresher server copy in the local history when the request is one of ours.
fn remember(session: &Session, sr: &ServiceRequest) -> anyhow::Result<()> {
    let Some(id) = sr.id.as_deref() else { return Ok(()) };
    let store = session.open_store()?;
    if store.submission_by_server_id(id)?.is_some() {
        store.upsert_server_copy(sr, session.cloud_label(), &session.locale, &session.base_url)?;
    }
    Ok(())
}

/// Prints a request fetched or changed on the server and refreshes its local copy.
fn show_and_remember(session: &Session, sr: &ServiceRequest, json: bool) -> anyhow::Result<()> {
    remember(session, sr)?;
    if json {
        print_json(sr)
    } else {
        print!("{}", output::service_request(sr, None));
        Ok(())
    }
}

/// `pcsr-tui` with no subcommand.
pub async fn tui(settings: &Settings) -> anyhow::Result<()> {
    let signed_in = session::signed_in_from_env(settings)?;
    let sign_in = crate::worker::SignInSetup::from_env(settings.base_url.clone());
    let plan = match session::plan(settings, signed_in) {
        Err(session::SessionError::NoCredentials(_)) => return tui_signed_out(settings, sign_in).await,
        other => other?,
    };
    let ctx = crate::tui::Context {
        store_path: plan.store_path(),
        account: plan.account(),
        cloud: plan.cloud,
        locale: plan.locale.clone(),
        sign_in,
        // Started after the first frame, so the form shows at once.
        connect: Box::pin(async move { Ok(session::start(plan).await?) }),
    };
    crate::tui::run(ctx).await
}

/// The TUI for a base URL without credentials: it opens on the sign-in screen, and until the
/// user signs in every call answers "sign in first".
async fn tui_signed_out(settings: &Settings, sign_in: crate::worker::SignInSetup) -> anyhow::Result<()> {
    let data_dir = session::resolve_data_dir(settings.data_dir.as_deref())?;
    let locale = settings.locale.clone().unwrap_or_else(|| "en-US".to_string());
    let base_url = settings.base_url.clone().unwrap_or_default();
    let mut config = crate::api::ClientConfig::new(&base_url)?;
    config.locale = locale.clone();
    let client = crate::api::Client::new(config, std::sync::Arc::new(NotSignedIn))?;
    std::fs::create_dir_all(&data_dir)
        .with_context(|| format!("cannot create the data directory {}", data_dir.display()))?;
    let cloud = settings.cloud.unwrap_or_default();
    let session = Session {
        client,
        account: crate::tui::Account::SignedOut,
        cloud,
        locale: locale.clone(),
        base_url,
        data_dir: data_dir.clone(),
        sandbox: None,
    };
    let ctx = crate::tui::Context {
        store_path: session::store_path(&data_dir),
        account: crate::tui::Account::SignedOut,
        cloud,
        locale,
        sign_in,
        connect: Box::pin(async move { Ok(session) }),
    };
    crate::tui::run(ctx).await
}

/// The token source before a TUI sign-in: always "sign in first".
struct NotSignedIn;

impl crate::api::TokenProvider for NotSignedIn {
    fn token(&self, _force_refresh: bool) -> crate::api::client::BoxFuture<'_, Result<String, String>> {
        Box::pin(async { Err("not signed in: press F2 in pcsr-tui to sign in".to_string()) })
    }
}

/// `pcsr-tui topics`.
pub async fn topics(settings: &Settings, json: bool) -> anyhow::Result<()> {
    let session = open(settings).await?;
    let topics = session.client.topics().await?;
    // The TUI shows cached topics at once on its next start.
    if let Err(e) = session
        .open_store()
        .and_then(|s| s.cache_topics(&session.locale, &topics))
    {
        tracing::warn!("could not cache topics: {e}");
    }
    if json {
        print_json(&Collection::of(topics))?;
    } else {
        print!("{}", output::topics(&topics));
    }
    session.close().await;
    Ok(())
}

/// Reads `--description-file`: a path, or `-` for standard input.
fn read_description(path: &Path) -> anyhow::Result<String> {
    let mut text = String::new();
    if path == Path::new("-") {
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Exit::usage(format!("cannot read the description from standard input: {e}")))?;
    } else {
        text = std::fs::read_to_string(path)
            .map_err(|e| Exit::usage(format!("cannot read --description-file {}: {e}", path.display())))?;
    }
    Ok(text)
}

fn flag_for(field: &str) -> &'static str {
    match field {
        "Title" => "--title",
        "Description" => "--description",
        "Severity" => "--severity",
        _ => "--topic",
    }
}

/// `pcsr-tui submit`: validates, records the submission, then sends it.
pub async fn submit(settings: &Settings, args: SubmitArgs) -> anyhow::Result<()> {
    let description = match (&args.description, &args.description_file) {
        (Some(d), _) => d.clone(),
        (None, Some(path)) => read_description(path)?,
        (None, None) => String::new(),
    };
    let request = NewServiceRequest {
        title: args.title.clone().unwrap_or_default(),
        description,
        severity: args.severity.unwrap_or(Severity::Unknown),
        support_topic_id: args.topic.clone().unwrap_or_default().trim().to_string(),
    };
    let errors = request.validate();
    if !errors.is_empty() {
        let lines: Vec<String> = errors
            .iter()
            .map(|e| format!("  {} ({}): {}", flag_for(e.field), e.field, e.message))
            .collect();
        return Err(Exit::usage(format!("cannot submit:\n{}", lines.join("\n"))).into());
    }
    let session = open(settings).await?;
    let store = session.open_store()?;
    let ids = RequestIds::new();
    let local_id = store.record_submission(&NewSubmission {
        request_id: ids.request_id,
        cloud: session.cloud_label(),
        locale: &session.locale,
        base_url: &session.base_url,
        request: &request,
    })?;
    let outcome = session.client.create(&request, ids).await;
    let result = match outcome {
        Ok(answer) => {
            store.mark_created(local_id, &answer.value)?;
            if args.json {
                print_json(&answer.value)
            } else {
                print!(
                    "{}",
                    output::service_request(&answer.value, Some(&answer.ids.request_id.to_string()))
                );
                Ok(())
            }
        }
        Err(err) => Err(record_failure(&store, local_id, err)),
    };
    session.close().await;
    result
}

/// Records why a submit failed and says what became of the typed request.
fn record_failure(store: &Store, local_id: i64, err: ApiError) -> anyhow::Error {
    // The store decides (and records) whether the request stays in the outbox; if it cannot
    // record, the error below still says what happened.
    let in_outbox = store
        .record_send_error(local_id, &err)
        .unwrap_or_else(|_| err.outcome_unknown());
    let kept = if in_outbox {
        format!(
            "the request may or may not have been filed; it is kept as local #{local_id} in the outbox and will \
             be resent with the same MS-RequestId (so never filed twice) the next time you open pcsr-tui on the same \
             account"
        )
    } else {
        format!("your input is kept as local #{local_id} (see `pcsr-tui history`)")
    };
    anyhow::Error::new(err).context(format!("submit failed; {kept}"))
}

/// `pcsr-tui show ID`.
pub async fn show(settings: &Settings, id: &str, customer: Option<String>, json: bool) -> anyhow::Result<()> {
    let session = open(settings).await?;
    let sr = session.client.get(&scope(customer), id.trim()).await?;
    show_and_remember(&session, &sr, json)?;
    session.close().await;
    Ok(())
}

/// `pcsr-tui list`.
pub async fn list(
    settings: &Settings,
    status: Option<Status>,
    customer: Option<String>,
    limit: usize,
    json: bool,
) -> anyhow::Result<()> {
    let session = open(settings).await?;
    let query = ListQuery {
        size: Some(100),
        offset: None,
        status,
    };
    let items = session.client.list_all(&scope(customer), &query, limit).await?;
    if json {
        print_json(&Collection::of(items))?;
    } else if items.is_empty() {
        println!(
            "No service requests{}.",
            status.map(|s| format!(" with status {s}")).unwrap_or_default()
        );
    } else {
        print!("{}", output::request_table(&items));
    }
    session.close().await;
    Ok(())
}

async fn patch(
    settings: &Settings,
    id: &str,
    customer: Option<String>,
    patch: ServiceRequestPatch,
    json: bool,
) -> anyhow::Result<()> {
    let session = open(settings).await?;
    let sr = session.client.update(&scope(customer), id.trim(), &patch).await?;
    show_and_remember(&session, &sr, json)?;
    session.close().await;
    Ok(())
}

/// `pcsr-tui note ID --text T`.
pub async fn note(
    settings: &Settings,
    id: &str,
    text: &str,
    customer: Option<String>,
    json: bool,
) -> anyhow::Result<()> {
    if text.trim().is_empty() {
        return Err(Exit::usage("--text: the note is empty").into());
    }
    patch(settings, id, customer, ServiceRequestPatch::note(text), json).await
}

/// `pcsr-tui close ID`.
pub async fn close(
    settings: &Settings,
    id: &str,
    customer: Option<String>,
    json: bool,
) -> anyhow::Result<()> {
    patch(
        settings,
        id,
        customer,
        ServiceRequestPatch::status(Status::Closed),
        json,
    )
    .await
}

/// One history row in `--json` output.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct HistoryJson<'a> {
    local_id: i64,
    state: crate::store::SubmissionState,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
    title: &'a str,
    severity: Severity,
    support_topic_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    support_topic_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<Status>,
    recorded_at: &'a str,
}

impl<'a> From<&'a HistoryRow> for HistoryJson<'a> {
    fn from(r: &'a HistoryRow) -> Self {
        HistoryJson {
            local_id: r.local_id,
            state: r.state,
            id: r.server_id.as_deref(),
            title: &r.title,
            severity: r.severity,
            support_topic_id: &r.topic_id,
            support_topic_name: r.topic_name.as_deref(),
            status: r.status,
            recorded_at: &r.created_at,
        }
    }
}

/// `pcsr-tui history`: the local record, no network.
pub fn history(settings: &Settings, json: bool) -> anyhow::Result<()> {
    let data_dir = session::resolve_data_dir(settings.data_dir.as_deref())?;
    let path = session::store_path(&data_dir);
    let store = Store::open(&path).with_context(|| format!("opening {}", path.display()))?;
    let rows = store.history("", 0, usize::MAX / 2)?;
    if json {
        let items: Vec<HistoryJson<'_>> = rows.iter().map(HistoryJson::from).collect();
        print_json(&items)?;
    } else if rows.is_empty() {
        println!("No submissions yet. File one with `pcsr-tui` or `pcsr-tui submit`.");
    } else {
        print!("{}", output::history_table(&rows));
    }
    Ok(())
}
