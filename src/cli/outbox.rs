//! `pcsr-tui outbox`, `outbox resend [LOCAL...]`, `outbox discard LOCAL`: the CLI face of the
//! outbox service (src/outbox.rs), which the TUI's worker uses too. Submits are named by their
//! local id (`12`), notes and closes by their letter and id (`n3`, `c4`).

use std::fmt::Write as _;
use std::io::{BufRead as _, IsTerminal as _, Write as _};

use serde::Serialize;

use crate::outbox::{Outbox, Resent, ResentChange, same_destination};
use crate::session::Settings;
use crate::store::{ChangeKind, RecordedChange, Store, Submission, SubmissionState};
use crate::text::one_line;

use super::requests::{open_read_only, open_session, print_json};
use super::{Exit, OutboxRef, output};

/// What the user sees as the state of an outbox entry (README "Outcome rules").
fn outcome_word(state: SubmissionState) -> &'static str {
    match state {
        SubmissionState::Sending => "unknown",
        SubmissionState::Created => "created",
        SubmissionState::Failed => "failed",
    }
}

/// One outbox entry in `--json` output.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct EntryJson<'a> {
    kind: &'static str,
    local_id: i64,
    /// What `outbox resend` and `outbox discard` take.
    #[serde(rename = "ref")]
    reference: String,
    outcome: &'static str,
    request_id: String,
    title: &'a str,
    severity: Option<crate::domain::Severity>,
    support_topic_id: &'a str,
    cloud: &'a str,
    base_url: &'a str,
    recorded_at: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_error: Option<&'a str>,
}

impl<'a> From<&'a Submission> for EntryJson<'a> {
    fn from(s: &'a Submission) -> Self {
        EntryJson {
            kind: "submit",
            local_id: s.local_id,
            reference: s.local_id.to_string(),
            outcome: outcome_word(s.state),
            request_id: s.request_id.to_string(),
            title: &s.request.title,
            severity: s.request.severity,
            support_topic_id: &s.request.topic_id,
            cloud: &s.cloud,
            base_url: &s.base_url,
            recorded_at: &s.created_at,
            last_error: s.last_error.as_deref(),
        }
    }
}

/// A note or close in `--json` output.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ChangeJson<'a> {
    kind: ChangeKind,
    local_id: i64,
    #[serde(rename = "ref")]
    reference: String,
    outcome: &'static str,
    request_id: String,
    /// The service request it changes.
    id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    customer: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    text: Option<&'a str>,
    cloud: &'a str,
    base_url: &'a str,
    recorded_at: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    last_error: Option<&'a str>,
}

impl<'a> From<&'a RecordedChange> for ChangeJson<'a> {
    fn from(c: &'a RecordedChange) -> Self {
        ChangeJson {
            kind: c.kind,
            local_id: c.local_id,
            reference: c.label(),
            outcome: if c.applied { "applied" } else { "unknown" },
            request_id: c.request_id.to_string(),
            id: &c.server_id,
            customer: c.customer.as_deref(),
            text: c.text.as_deref(),
            cloud: &c.cloud,
            base_url: &c.base_url,
            recorded_at: &c.created_at,
            last_error: c.last_error.as_deref(),
        }
    }
}

/// One row of the outbox listing, oldest first across kinds.
enum Row<'a> {
    Submit(&'a Submission),
    Change(&'a RecordedChange),
}

impl Row<'_> {
    fn recorded(&self) -> &str {
        match self {
            Row::Submit(s) => &s.created_at,
            Row::Change(c) => &c.created_at,
        }
    }
}

/// `pcsr-tui outbox`: local only, works on a read-only data directory.
pub fn list(settings: &Settings, json: bool) -> anyhow::Result<()> {
    let (entries, changes) = match open_read_only(settings)? {
        Some(store) => (store.unsettled()?, store.unsettled_changes()?),
        None => (Vec::new(), Vec::new()),
    };
    let mut rows: Vec<Row<'_>> = entries
        .iter()
        .map(Row::Submit)
        .chain(changes.iter().map(Row::Change))
        .collect();
    rows.sort_by(|a, b| a.recorded().cmp(b.recorded()));
    if json {
        let items: Vec<serde_json::Value> = rows
            .iter()
            .map(|r| match r {
                Row::Submit(s) => serde_json::to_value(EntryJson::from(*s)),
                Row::Change(c) => serde_json::to_value(ChangeJson::from(*c)),
            })
            .collect::<Result<_, _>>()?;
        return print_json(&items);
    }
    if rows.is_empty() {
        return output::emit_line("The outbox is empty: every submit, note and close has a known outcome.");
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<6}  {:<6}  {:<8}  {:<19}  {:<8}  TITLE / REQUEST / LAST ERROR",
        "LOCAL", "KIND", "OUTCOME", "RECORDED", "CLOUD"
    );
    for row in &rows {
        let recorded: String = row.recorded().chars().take(19).collect();
        let (local, kind, outcome, cloud, what, error) = match row {
            Row::Submit(s) => (
                s.local_id.to_string(),
                "submit",
                outcome_word(s.state),
                &s.cloud,
                one_line(&s.request.title),
                s.last_error.as_deref(),
            ),
            Row::Change(c) => {
                let what = match (&c.kind, &c.text) {
                    (ChangeKind::Note, Some(text)) => {
                        let text: String = one_line(text).chars().take(60).collect();
                        format!("{}: \"{text}\"", one_line(&c.server_id))
                    }
                    _ => one_line(&c.server_id),
                };
                (
                    c.label(),
                    c.kind.as_str(),
                    "unknown",
                    &c.cloud,
                    what,
                    c.last_error.as_deref(),
                )
            }
        };
        let _ = writeln!(
            out,
            "{local:<6}  {kind:<6}  {outcome:<8}  {recorded:<19}  {:<8}  {what}",
            one_line(cloud)
        );
        if let Some(e) = error {
            let _ = writeln!(out, "{:<57}{}", "", one_line(e));
        }
    }
    let _ = writeln!(
        out,
        "\nunknown: may have been filed or applied; `pcsr-tui outbox resend` settles it with the same MS-RequestId \
         (never filed or added twice). failed: not filed; your input is kept."
    );
    output::emit(&out)
}

/// One resend's result in `--json` output.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResentJson {
    kind: &'static str,
    local_id: i64,
    #[serde(rename = "ref")]
    reference: String,
    request_id: String,
    outcome: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<String>,
}

impl From<&Resent> for ResentJson {
    fn from(r: &Resent) -> Self {
        let (outcome, id, error) = match &r.outcome {
            Ok(sent) => ("created", sent.answer.value.id.clone(), None),
            Err(f) if f.in_outbox => ("unknown", None, Some(one_line(&f.error.to_string()))),
            Err(f) => ("failed", None, Some(one_line(&f.error.to_string()))),
        };
        ResentJson {
            kind: "submit",
            local_id: r.submission.local_id,
            reference: r.submission.local_id.to_string(),
            request_id: r.submission.request_id.to_string(),
            outcome,
            id,
            error,
        }
    }
}

impl From<&ResentChange> for ResentJson {
    fn from(r: &ResentChange) -> Self {
        let (outcome, error) = match &r.outcome {
            Ok(applied) if applied.already => ("applied (already there)", None),
            Ok(_) => ("applied", None),
            Err(f) if f.in_outbox => ("unknown", Some(one_line(&f.error.to_string()))),
            Err(f) => ("failed", Some(one_line(&f.error.to_string()))),
        };
        ResentJson {
            kind: r.change.kind.as_str(),
            local_id: r.change.local_id,
            reference: r.change.label(),
            request_id: r.change.request_id.to_string(),
            outcome,
            id: Some(r.change.server_id.clone()),
            error,
        }
    }
}

/// `pcsr-tui outbox resend [LOCAL...]`: resends with the stored MS-RequestId.
pub async fn resend(settings: &Settings, only: &[OutboxRef], json: bool) -> anyhow::Result<()> {
    let session = open_session(settings).await?;
    let result = resend_in(&session, only, json).await;
    session.close().await;
    result
}

async fn resend_in(session: &crate::session::Session, only: &[OutboxRef], json: bool) -> anyhow::Result<()> {
    // Writable, checked before anything is sent.
    let store = session.open_store()?;
    let here = session.origin();
    let mut submits = Vec::new();
    let mut changes = Vec::new();
    // A named entry that cannot be resent here is a usage error, said before anything is sent.
    for &named in only {
        let local_id = match named {
            OutboxRef::Submit(local_id) => local_id,
            OutboxRef::Change(kind, local_id) => {
                check_change(&store, kind, local_id, &here)?;
                changes.push(local_id);
                continue;
            }
        };
        submits.push(local_id);
        match store.submission(local_id)? {
            None => {
                return Err(
                    Exit::usage(format!("no local #{local_id}; `pcsr-tui outbox` lists them")).into(),
                );
            }
            Some(s) if s.state == SubmissionState::Created => {
                return Err(Exit::usage(format!(
                    "local #{local_id} is already filed as {}; nothing to resend",
                    one_line(s.server_id.as_deref().unwrap_or("-"))
                ))
                .into());
            }
            Some(s) if s.state == SubmissionState::Failed => {
                return Err(Exit::usage(format!(
                    "local #{local_id} failed (the service refused it, so it was not filed); fix what it said and \
                     file it again, or drop it with `pcsr-tui outbox discard {local_id}`"
                ))
                .into());
            }
            Some(s) if !same_destination(s.service, &s.cloud, &s.base_url, &here) => {
                return Err(Exit::usage(format!(
                    "local #{local_id} was recorded for {} at {}; resend it with that account or base URL",
                    one_line(&s.cloud),
                    one_line(&s.base_url)
                ))
                .into());
            }
            Some(_) => {}
        }
    }
    let outbox = Outbox::new(crate::store::StoreExecutor::spawn(store));
    let (client, _progress) = super::progress::attach(&session.client);
    // Named entries of one kind only: the other kind is left alone (an empty list means all).
    let resent = if only.is_empty() || !submits.is_empty() {
        outbox.resend(&client, &here, &submits).await?
    } else {
        Vec::new()
    };
    let resent_changes = if only.is_empty() || !changes.is_empty() {
        outbox.resend_changes(&client, &here, &changes).await?
    } else {
        Vec::new()
    };
    // A submit recorded with files: they go up once its resend filed it, as on a first submit.
    let mut not_uploaded = Vec::new();
    for r in &resent {
        if let (Ok(sent), false) = (&r.outcome, r.submission.attachments.is_empty()) {
            let ticket = sent.answer.value.id.as_deref().unwrap_or("?");
            let uploaded = match crate::attachments::read_all(r.submission.attachments.clone()).await {
                Ok(files) => super::azure::upload_all(session, &sent.answer.value, &files).await,
                Err(e) => Err(anyhow::anyhow!(
                    "{e}; the ticket {} is filed: `{}` uploads it",
                    one_line(ticket),
                    crate::attachments::retry_command(ticket, Some(e.path()))
                )),
            };
            if let Err(e) = uploaded {
                not_uploaded.push(format!("#{}: {e:#}", r.submission.local_id));
            }
        }
    }
    let unsettled = resent.iter().filter(|r| r.outcome.is_err()).count()
        + resent_changes.iter().filter(|r| r.outcome.is_err()).count();
    let total = resent.len() + resent_changes.len();
    if json {
        let items: Vec<ResentJson> = resent
            .iter()
            .map(ResentJson::from)
            .chain(resent_changes.iter().map(ResentJson::from))
            .collect();
        print_json(&items)?;
    } else if total == 0 {
        output::emit_line("Nothing to resend for this account: the outbox holds no unknown outcome for it.")?;
    } else {
        let mut out = String::new();
        for r in &resent_changes {
            let id = one_line(&r.change.server_id);
            let label = r.change.label();
            let line = match (&r.outcome, r.change.kind) {
                (Ok(a), ChangeKind::Note) if a.already => {
                    format!("{label} note: already on {id}; not sent again")
                }
                (Ok(_), ChangeKind::Note) => format!("{label} note: added to {id}"),
                (Ok(a), ChangeKind::Close) if a.already => format!("{label} close: {id} was already closed"),
                (Ok(_), ChangeKind::Close) => format!("{label} close: {id} closed"),
                (Err(f), _) if f.in_outbox => {
                    format!(
                        "{label} unknown: {} ({id}; kept, resend it again)",
                        one_line(&f.error.to_string())
                    )
                }
                (Err(f), _) => format!(
                    "{label} failed: {} ({id}; not applied)",
                    one_line(&f.error.to_string())
                ),
            };
            let _ = writeln!(out, "{line}");
        }
        for r in &resent {
            let j = ResentJson::from(r);
            let title = one_line(&r.submission.request.title);
            match (&j.id, &j.error) {
                (Some(id), _) => {
                    let _ = writeln!(out, "#{} created: {} ({title})", j.local_id, one_line(id));
                }
                (None, Some(e)) => {
                    let _ = writeln!(out, "#{} {}: {e} ({title})", j.local_id, j.outcome);
                }
                (None, None) => {
                    let _ = writeln!(out, "#{} {} ({title})", j.local_id, j.outcome);
                }
            }
        }
        output::emit(&out)?;
    }
    if !not_uploaded.is_empty() {
        return Err(anyhow::anyhow!(
            "filed, but not every attachment went up:\n{}",
            not_uploaded.join("\n")
        ));
    }
    if unsettled > 0 {
        return Err(super::Exit {
            code: 2,
            message: format!(
                "{unsettled} of {total} could not be settled; `pcsr-tui outbox` shows why (unknown ones stay and can \
                 be resent again)"
            ),
        }
        .into());
    }
    Ok(())
}

/// Refuses (exit 1) a named note or close that `outbox resend` cannot send here.
fn check_change(
    store: &Store,
    kind: ChangeKind,
    local_id: i64,
    here: &crate::outbox::Origin,
) -> anyhow::Result<()> {
    let named = OutboxRef::Change(kind, local_id);
    match store.change(local_id)? {
        Some(c) if c.kind != kind => {
            Err(Exit::usage(format!("no outbox entry {named}; `pcsr-tui outbox` lists them")).into())
        }
        None => Err(Exit::usage(format!("no outbox entry {named}; `pcsr-tui outbox` lists them")).into()),
        Some(c) if c.applied => Err(Exit::usage(format!(
            "{named} is already applied to {}; nothing to resend",
            one_line(&c.server_id)
        ))
        .into()),
        Some(c) if !same_destination(c.service, &c.cloud, &c.base_url, here) => Err(Exit::usage(format!(
            "{named} was recorded for {} at {}; resend it with that account or base URL",
            one_line(&c.cloud),
            one_line(&c.base_url)
        ))
        .into()),
        Some(_) => Ok(()),
    }
}

/// `pcsr-tui outbox discard LOCAL [--yes]`.
pub fn discard(settings: &Settings, named: OutboxRef, yes: bool) -> anyhow::Result<()> {
    let data_dir = crate::session::resolve_data_dir(settings.data_dir.as_deref())?;
    let store = Store::open(&crate::session::store_path(&data_dir))?;
    let local_id = match named {
        OutboxRef::Submit(local_id) => local_id,
        OutboxRef::Change(kind, local_id) => return discard_change(&store, kind, local_id, yes),
    };
    let Some(sub) = store.submission(local_id)? else {
        return Err(Exit::usage(format!("no local #{local_id}; `pcsr-tui outbox` lists them")).into());
    };
    if sub.state == SubmissionState::Created {
        return Err(Exit::usage(format!(
            "local #{local_id} was filed as {}; only unknown or failed entries can be discarded",
            one_line(sub.server_id.as_deref().unwrap_or("-"))
        ))
        .into());
    }
    if !yes && !confirm(&sub)? {
        return output::emit_line("Kept.");
    }
    store.discard(local_id)?;
    output::emit_line(&format!("Discarded local #{local_id}."))
}

fn discard_change(store: &Store, kind: ChangeKind, local_id: i64, yes: bool) -> anyhow::Result<()> {
    let named = OutboxRef::Change(kind, local_id);
    let change = match store.change(local_id)? {
        Some(c) if c.kind == kind => c,
        _ => {
            return Err(Exit::usage(format!("no outbox entry {named}; `pcsr-tui outbox` lists them")).into());
        }
    };
    if change.applied {
        return Err(Exit::usage(format!(
            "{named} is already applied to {}; only unknown entries can be discarded",
            one_line(&change.server_id)
        ))
        .into());
    }
    let what = format!("{named} ({} to {})", kind.as_str(), one_line(&change.server_id));
    if !yes && !ask(&what, &format!("outbox discard {named}"), true)? {
        return output::emit_line("Kept.");
    }
    store.discard_change(local_id)?;
    output::emit_line(&format!("Discarded {named}."))
}

/// Asks on the terminal; without one, refuses (a script must say --yes).
fn confirm(sub: &Submission) -> anyhow::Result<bool> {
    let what = format!("local #{} \"{}\"", sub.local_id, one_line(&sub.request.title));
    ask(
        &what,
        &format!("outbox discard {}", sub.local_id),
        sub.state == SubmissionState::Sending,
    )
}

/// "Discard WHAT? [y/N]" on the terminal (with the warning when its outcome is `unknown`);
/// without a terminal, refuses and names `command --yes`.
fn ask(what: &str, command: &str, unknown: bool) -> anyhow::Result<bool> {
    if !std::io::stdin().is_terminal() {
        return Err(Exit::usage(format!(
            "{command} asks first; pass --yes to discard without asking"
        ))
        .into());
    }
    let warning = if unknown {
        " Its outcome is unknown: it may have been filed or applied, and a discarded entry is never resent."
    } else {
        ""
    };
    let mut err = std::io::stderr().lock();
    let _ = write!(err, "Discard {what}?{warning} [y/N] ");
    let _ = err.flush();
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes" | "Yes" | "YES"))
}
