//! The request commands: topics, show, list, note, close, history, and the TUI launch (submit is
//! in submit.rs).

use std::io::Read as _;
use std::path::Path;

use anyhow::Context as _;
use serde::Serialize;

use crate::api::Scope;
use crate::backend::{Backend, ListFilter};
use crate::domain::{Severity, Status, Ticket};
use crate::outbox::{ChangeError, Outbox, SendFailure};
use crate::session::{self, Choice, Session, Settings};
use crate::store::{ChangeKind, HistoryRow, Store};
use crate::text::one_line;

use super::{Exit, output};

/// [`open`] for the other command modules.
pub(super) async fn open_session(settings: &Settings) -> anyhow::Result<Session> {
    open(settings).await
}

/// Opens a session and prints the one-line notice when the sandbox was chosen by default.
async fn open(settings: &Settings) -> anyhow::Result<Session> {
    let signed_in = session::signed_in_from_env(settings)?;
    let (session, choice) = session::open(settings, signed_in).await?;
    if choice == Choice::SandboxDefault && !super::quiet() {
        let login = match session.service() {
            crate::domain::Service::PartnerCenter => "`pcsr-tui login` to use Partner Center",
            crate::domain::Service::Azure => "`pcsr-tui login --backend azure` to use Azure",
        };
        eprintln!(
            "pcsr-tui: no account configured: using the built-in sandbox (nothing leaves this machine; {login})"
        );
    }
    Ok(session)
}

pub(super) fn print_json<T: Serialize>(value: &T) -> anyhow::Result<()> {
    super::jq::print_json(value)
}

/// The Partner Center scope of a command's `--customer`. (Azure acts for a customer through
/// the sign-in, see `Settings::customer`, so its calls take no scope.)
fn scope(customer: Option<String>) -> Scope {
    customer.map(Scope::Customer).unwrap_or_default()
}

/// Keeps a fresher server copy in the local history when the request is one of ours.
fn remember(session: &Session, sr: &Ticket) -> anyhow::Result<()> {
    let Some(id) = sr.id.as_deref() else { return Ok(()) };
    let store = match session.open_store() {
        Ok(store) => store,
        // `show` and `list` still work on a read-only data directory; only the cached copy waits.
        Err(e @ crate::store::StoreError::ReadOnly { .. }) => {
            tracing::info!("not refreshing the local copy: {e}");
            return Ok(());
        }
        Err(e) => return Err(e.into()),
    };
    if store.submission_by_server_id(session.service(), id)?.is_some() {
        let local_id =
            store.upsert_server_copy(sr, session.cloud_label(), &session.locale, &session.base_url)?;
        // The user is looking at it now: it is no longer "updated".
        store.mark_seen(local_id)?;
    }
    Ok(())
}

/// Keeps the last known status of listed requests that are in the local history (without
/// clearing their `updated` mark: a list line is not the conversation).
fn remember_listed(session: &Session, items: &[Ticket]) {
    let result = session.open_store().and_then(|store| {
        for sr in items.iter().filter(|sr| sr.id.is_some()) {
            store.record_refresh(sr)?;
        }
        Ok(())
    });
    if let Err(e) = result {
        tracing::warn!("could not keep the listed statuses in the local history: {e}");
    }
}

/// Prints a request fetched or changed on the server and refreshes its local copy.
fn show_and_remember(session: &Session, sr: &Ticket, json: bool) -> anyhow::Result<()> {
    remember(session, sr)?;
    if json {
        print_json(&sr.as_sent)
    } else {
        output::emit(&output::service_request(sr, None))
    }
}

/// `pcsr-tui` with no subcommand.
pub async fn tui(settings: &Settings) -> anyhow::Result<()> {
    // Before anything touches the terminal: a dumb one gets a message and the commands instead.
    crate::tui::theme::check_term(std::env::var("TERM").ok().as_deref())?;
    crate::tui::run(tui_context(settings)?).await
}

/// How the switch key starts the other service: the same flags and environment, and
/// config.toml read again, so what this run wrote there (the contact, the subscription, the
/// consent) is in force.
fn switcher(settings: &Settings) -> crate::tui::SwitchTo {
    let settings = settings.clone();
    let last_good = std::sync::Mutex::new(settings.config.clone());
    std::sync::Arc::new(move |service, going_back| {
        let mut next = settings.clone();
        next.backend = Some(service);
        let mut kept = last_good.lock().unwrap_or_else(|p| p.into_inner());
        next.config = match crate::config::load_default() {
            Ok(config) => {
                *kept = config.clone();
                config
            }
            // Back to the service the user was on with the config it ran with: a config.toml
            // broken meanwhile refuses the switch (saying why), it does not end the app.
            Err(_) if going_back => kept.clone(),
            Err(e) => return Err(e.into()),
        };
        drop(kept);
        tui_context(&next)
    })
}

/// The TUI's context for `settings`' service: signed in, by token, the sandbox, or signed out.
fn tui_context(settings: &Settings) -> anyhow::Result<crate::tui::Context> {
    let signed_in = session::signed_in_from_env(settings)?;
    let sign_in = crate::worker::SignInSetup::from_env(settings.base_url.clone());
    let plan = match session::plan(settings, signed_in) {
        Err(session::SessionError::NoCredentials(_)) => return signed_out_context(settings, sign_in),
        other => other?,
    };
    // Azure's comes with the plan (CSP); Partner Center's list opens on `[defaults] customer`.
    let customer = plan
        .customer
        .clone()
        .or_else(|| settings.config.defaults.customer.clone());
    let others = plan.configured_others();
    let ctx = crate::tui::Context {
        store_path: plan.store_path(),
        service: plan.service,
        subscription: plan.subscription.clone(),
        account: plan.account(),
        cloud: plan.cloud,
        locale: plan.locale.clone(),
        sign_in,
        // Started after the first frame, so the form shows at once.
        connect: Box::pin(async move { Ok(session::start(plan).await?) }),
        keymap: crate::tui::keys::Keymap::from_config(&settings.config)?,
        theme: crate::tui::theme::Theme::from_env(settings.config.theme),
        severity: settings.config.defaults.severity,
        refresh_minutes: settings.config.defaults.refresh_minutes,
        customer,
        azure: crate::tui::state::contact::AzureProfile {
            subscription_pinned: settings.subscription.is_some(),
            ..crate::tui::state::contact::AzureProfile::from_config(&settings.config)
        },
        switch: Some(switcher(settings)),
        others,
        carry: None,
        land: Default::default(),
        notice: None,
    };
    Ok(ctx)
}

/// The TUI for a base URL without credentials: it opens on the sign-in screen, and until the
/// user signs in every call answers "sign in first".
fn signed_out_context(
    settings: &Settings,
    sign_in: crate::worker::SignInSetup,
) -> anyhow::Result<crate::tui::Context> {
    let data_dir = session::resolve_data_dir(settings.data_dir.as_deref())?;
    let locale = settings.locale_or_default();
    // The same check a signed-in start makes, so a signed-out start refuses the same locales.
    session::check_locale(&locale)?;
    let base_url = settings.base_url.clone().unwrap_or_default();
    // The service asked for, so F2 signs in to it: `--backend azure --base-url …` opens on
    // Azure's sign-in, not Partner Center's.
    let service = settings.service_or_default();
    let subscription = settings.subscription_or_default();
    let client = Backend::connect(
        service,
        &base_url,
        &locale,
        subscription.clone(),
        std::sync::Arc::new(NotSignedIn),
    )?;
    std::fs::create_dir_all(&data_dir)
        .with_context(|| format!("cannot create the data directory {}", data_dir.display()))?;
    let cloud = settings.cloud_or_default();
    let session = Session {
        client,
        subscription: subscription.clone(),
        account: crate::tui::Account::SignedOut,
        cloud,
        locale: locale.clone(),
        base_url,
        data_dir: data_dir.clone(),
        sandbox: None,
    };
    let ctx = crate::tui::Context {
        store_path: session::store_path(&data_dir),
        service,
        subscription,
        account: crate::tui::Account::SignedOut,
        cloud,
        locale,
        sign_in,
        connect: Box::pin(async move { Ok(session) }),
        keymap: crate::tui::keys::Keymap::from_config(&settings.config)?,
        theme: crate::tui::theme::Theme::from_env(settings.config.theme),
        severity: settings.config.defaults.severity,
        refresh_minutes: settings.config.defaults.refresh_minutes,
        customer: settings.config.defaults.customer.clone(),
        azure: crate::tui::state::contact::AzureProfile::from_config(&settings.config),
        switch: Some(switcher(settings)),
        // Signed out, the sign-in screen comes first; other lists wait until then.
        others: Vec::new(),
        carry: None,
        land: Default::default(),
        notice: None,
    };
    Ok(ctx)
}

/// The token source before a TUI sign-in: always "sign in first".
struct NotSignedIn;

impl crate::api::TokenProvider for NotSignedIn {
    fn token(
        &self,
        _force_refresh: bool,
    ) -> crate::api::client::BoxFuture<'_, Result<String, crate::api::TokenError>> {
        Box::pin(async {
            Err(crate::api::TokenError::SignIn(
                "not signed in: press F2 in pcsr-tui to sign in".to_string(),
            ))
        })
    }
}

/// `pcsr-tui topics`.
pub async fn topics(settings: &Settings, json: bool) -> anyhow::Result<()> {
    let session = open(settings).await?;
    let Some(client) = session.client.partner_center() else {
        let result = super::azure::topics(&session, None, false, json).await;
        session.close().await;
        return result;
    };
    let fetched = client.topics_as_sent().await;
    let (topics, sent) = match fetched {
        Ok(both) => both,
        Err(e) => {
            session.close().await;
            return Err(e.into());
        }
    };
    // The TUI shows cached topics at once on its next start.
    if let Err(e) = session
        .open_store()
        .and_then(|s| s.cache_topics(session.service(), &session.locale, None, &topics))
    {
        tracing::warn!("could not cache topics: {e}");
    }
    let printed = if json {
        // What the service sent, its own totalCount included.
        print_json(&sent)
    } else {
        output::emit(&output::topics(&topics))
    };
    session.close().await;
    printed
}

/// `pcsr-tui show ID`: Azure's ticket comes with its communications (one conversation), and
/// takes the supportTicketId of a ticket in the local history too.
pub async fn show(settings: &Settings, id: &str, customer: Option<String>, json: bool) -> anyhow::Result<()> {
    let session = open(settings).await?;
    let name = super::azure::ticket_name(&session, id.trim());
    let result = session.client.conversation_as_sent(&scope(customer), &name).await;
    let shown = result
        .map_err(anyhow::Error::from)
        .and_then(|(sr, sent)| match sent {
            // The ticket as sent, with its communications beside ARM's own keys, so
            // `.properties.status` still reads as on the resource and `.communications.value[]`
            // is the conversation.
            Some(communications) if json => {
                remember(&session, &sr)?;
                let mut shown = sr.as_sent.clone();
                if let Some(object) = shown.as_object_mut() {
                    object.insert(
                        "communications".into(),
                        serde_json::json!({ "value": communications }),
                    );
                }
                print_json(&shown)
            }
            _ => show_and_remember(&session, &sr, json),
        });
    session.close().await;
    shown
}

/// `pcsr-tui list`.
pub async fn list(
    settings: &Settings,
    status: Option<Status>,
    since: Option<String>,
    customer: Option<String>,
    limit: usize,
    json: bool,
) -> anyhow::Result<()> {
    let created_since = since.as_deref().map(super::dates::since_argument).transpose()?;
    let session = open(settings).await?;
    let query = ListFilter {
        status,
        created_since,
        page_size: Some(100),
    };
    let items = match session.client.list_all(&scope(customer), &query, limit).await {
        Ok(items) => items,
        Err(e) => {
            session.close().await;
            return Err(e.into());
        }
    };
    remember_listed(&session, &items);
    let printed = if json && session.service() == crate::domain::Service::Azure {
        // ARM's list form, every page joined.
        let sent: Vec<&serde_json::Value> = items.iter().map(|t| &t.as_sent).collect();
        print_json(&serde_json::json!({ "value": sent }))
    } else if json {
        // The service's collection form, every page joined.
        let sent: Vec<&serde_json::Value> = items.iter().map(|t| &t.as_sent).collect();
        print_json(&serde_json::json!({
            "totalCount": sent.len(),
            "items": sent,
            "attributes": {"objectType": "Collection"},
        }))
    } else if items.is_empty() {
        output::emit_line(&format!(
            "No service requests{}.",
            status.map(|s| format!(" with status {s}")).unwrap_or_default()
        ))
    } else {
        output::emit(&output::request_table(&items))
    };
    session.close().await;
    printed
}

/// A note or a close, through the outbox: recorded with its MS-RequestId before the first
/// send, kept there when the answer is lost, settled by `outbox resend` (README "Outcome rules").
async fn change(
    settings: &Settings,
    id: &str,
    customer: Option<String>,
    kind: ChangeKind,
    text: Option<&str>,
    subject: Option<String>,
    json: bool,
) -> anyhow::Result<()> {
    let session = open(settings).await?;
    let result = change_in(
        &session,
        id.trim(),
        customer.as_deref(),
        kind,
        text,
        subject,
        json,
    )
    .await;
    session.close().await;
    result
}

async fn change_in(
    session: &Session,
    id: &str,
    customer: Option<&str>,
    kind: ChangeKind,
    text: Option<&str>,
    subject: Option<String>,
    json: bool,
) -> anyhow::Result<()> {
    // Opened (and found writable) before anything is recorded or sent.
    let store = session.open_store()?;
    let id = &super::azure::ticket_name(session, id);
    let subject = match (kind, session.service().capabilities().note_subject, subject) {
        (ChangeKind::Note, true, None) => Some(super::azure::default_subject(session, id).await?),
        (_, _, subject) => subject,
    };
    let edit = match kind {
        ChangeKind::Note => crate::domain::Change::Note {
            text: text.unwrap_or_default().to_string(),
            subject,
        },
        ChangeKind::Close => crate::domain::Change::Close,
    };
    let outbox = Outbox::new(crate::store::StoreExecutor::spawn(store));
    let (client, _progress) = super::progress::attach(&session.client);
    let here = session.origin();
    match outbox.change(&client, &here, id, customer, &edit).await {
        Ok(applied) => {
            if let Some(e) = &applied.unrecorded {
                eprintln!(
                    "pcsr-tui: warning: done, but it could not be recorded locally ({}); `pcsr-tui outbox` may still list it",
                    one_line(e)
                );
            }
            if applied.already && kind == ChangeKind::Close {
                eprintln!("Request {} was already closed.", one_line(id));
            }
            show_and_remember(session, &applied.request, json)
        }
        Err(ChangeError::NotRecorded(e)) => {
            Err(anyhow::Error::new(e).context(format!("{} refused; nothing was sent", kind.as_str())))
        }
        Err(ChangeError::Send { label, failure }) => Err(explain_change_failure(
            session.service(),
            kind,
            id,
            &label,
            failure,
        )),
    }
}

/// Says what became of a note or close that did not end applied: kept (outcome unknown) with
/// the one way forward, or not applied.
fn explain_change_failure(
    service: crate::domain::Service,
    kind: ChangeKind,
    id: &str,
    label: &str,
    failure: SendFailure,
) -> anyhow::Error {
    let id = one_line(id);
    let same_key = match (service, kind) {
        (crate::domain::Service::PartnerCenter, _) => "the same MS-RequestId",
        (crate::domain::Service::Azure, ChangeKind::Note) => "the same communication name",
        (crate::domain::Service::Azure, ChangeKind::Close) => "the same PATCH (closing twice is harmless)",
    };
    if !failure.in_outbox {
        let what = match kind {
            ChangeKind::Note => format!("note failed: it was not added to {id}"),
            ChangeKind::Close => format!("close failed: request {id} was not closed"),
        };
        return anyhow::Error::new(failure.error).context(what);
    }
    let (message, settle) = match kind {
        ChangeKind::Note => (
            format!(
                "note outcome unknown: the answer was lost, so the note may have been added to {id}; it is kept as \
                 {label} in the outbox"
            ),
            format!(
                "`pcsr-tui outbox resend {label}` reads the request back and sends the note only if it is not there, \
                 with {same_key}, so it is added once. Do not add it again."
            ),
        ),
        ChangeKind::Close => (
            format!(
                "close outcome unknown: the answer was lost, so request {id} may be closed; it is kept as {label} in \
                 the outbox"
            ),
            format!(
                "`pcsr-tui outbox resend {label}` reads the request back and closes it only if it is still open, with \
                 {same_key}."
            ),
        ),
    };
    let next = if failure.error.needs_sign_in() {
        format!("Run `{}`, then {settle}", super::login_command(service))
    } else {
        settle
    };
    super::Kept {
        message,
        next,
        error: failure.error,
    }
    .into()
}

/// `pcsr-tui note ID (--text T | --text-file F|-)`.
pub async fn note(
    settings: &Settings,
    id: &str,
    text: &str,
    subject: Option<String>,
    customer: Option<String>,
    json: bool,
) -> anyhow::Result<()> {
    // A file's final newline is not part of the note.
    let text = text.trim_end_matches(['\n', '\r']);
    if text.trim().is_empty() {
        return Err(Exit::usage("note: the text is empty; write the note with --text or --text-file").into());
    }
    change(
        settings,
        id,
        customer,
        ChangeKind::Note,
        Some(text),
        subject,
        json,
    )
    .await
}

/// `pcsr-tui close ID [--yes]`: asks first on a terminal; elsewhere `--yes` is required.
pub async fn close(
    settings: &Settings,
    id: &str,
    customer: Option<String>,
    yes: bool,
    json: bool,
) -> anyhow::Result<()> {
    let id = id.trim();
    if !yes && !confirm_close(id)? {
        eprintln!("Request {id} was not closed.");
        return Ok(());
    }
    change(settings, id, customer, ChangeKind::Close, None, None, json).await
}

/// Asks "Close request ID? [y/N]" on the terminal; refuses (exit 1) when nobody can answer.
fn confirm_close(id: &str) -> anyhow::Result<bool> {
    use std::io::{BufRead as _, IsTerminal as _, Write as _};
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        return Err(Exit::usage(format!(
            "close: standard input is not a terminal, so pcsr-tui cannot ask \"Close request {id}? [y/N]\"; \
             pass --yes to close it without asking"
        ))
        .into());
    }
    eprint!("Close request {id}? [y/N] ");
    let _ = std::io::stderr().flush();
    let mut answer = String::new();
    stdin.lock().read_line(&mut answer).map_err(|e| {
        Exit::usage(format!(
            "close: cannot read the answer ({e}); pass --yes to skip the question"
        ))
    })?;
    Ok(matches!(answer.trim().to_ascii_lowercase().as_str(), "y" | "yes"))
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
    severity: &'static str,
    support_topic_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    support_topic_name: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    status: Option<Status>,
    /// The status or notes changed on the server since the request was last opened.
    updated: bool,
    recorded_at: &'a str,
}

impl<'a> From<&'a HistoryRow> for HistoryJson<'a> {
    fn from(r: &'a HistoryRow) -> Self {
        HistoryJson {
            local_id: r.local_id,
            state: r.state,
            id: r.server_id.as_deref(),
            title: &r.title,
            severity: r.severity.map_or("unknown", Severity::as_str),
            support_topic_id: &r.topic_id,
            support_topic_name: r.topic_name.as_deref(),
            status: r.status,
            updated: r.updated,
            recorded_at: &r.created_at,
        }
    }
}

/// `pcsr-tui history`: the local record, no network; works on a read-only data directory.
pub fn history(settings: &Settings, json: bool) -> anyhow::Result<()> {
    let rows = match open_read_only(settings)? {
        Some(store) => store.history("", 0, usize::MAX / 2)?,
        None => Vec::new(),
    };
    if json {
        let items: Vec<HistoryJson<'_>> = rows.iter().map(HistoryJson::from).collect();
        print_json(&items)
    } else if rows.is_empty() {
        output::emit_line("No submissions yet. File one with `pcsr-tui` or `pcsr-tui submit`.")
    } else {
        output::emit(&output::history_table(&rows))
    }
}

/// The local database for reading only (no directory or file created, nothing written); `None`
/// when there is none yet.
pub(super) fn open_read_only(settings: &Settings) -> anyhow::Result<Option<Store>> {
    let data_dir = session::resolve_data_dir(settings.data_dir.as_deref())?;
    let path = session::store_path(&data_dir);
    Store::open_read_only(&path).with_context(|| format!("opening {} to read", path.display()))
}

/// Reads a text argument given as a file (`flag`), or `-` for standard input; `what` names it
/// in errors.
pub fn read_text_file(path: &Path, flag: &str, what: &str) -> anyhow::Result<String> {
    let mut text = String::new();
    if path == Path::new("-") {
        std::io::stdin()
            .read_to_string(&mut text)
            .map_err(|e| Exit::usage(format!("cannot read the {what} from standard input: {e}")))?;
    } else {
        text = std::fs::read_to_string(path)
            .map_err(|e| Exit::usage(format!("cannot read {flag} {}: {e}", path.display())))?;
    }
    Ok(text)
}
