//! `pcsr-tui outbox`, `outbox resend [LOCAL...]`, `outbox discard LOCAL`: the CLI face of the
//! outbox service (src/outbox.rs), which the TUI's worker uses too.

use std::fmt::Write as _;
use std::io::{BufRead as _, IsTerminal as _, Write as _};
use std::sync::{Arc, Mutex};

use serde::Serialize;

use crate::outbox::{Outbox, Resent, same_destination};
use crate::session::Settings;
use crate::store::{Store, Submission, SubmissionState};
use crate::text::one_line;

use super::requests::{open_read_only, open_session, print_json};
use super::submit::origin;
use super::{Exit, output};

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
    local_id: i64,
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
            local_id: s.local_id,
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

/// `pcsr-tui outbox`: local only, works on a read-only data directory.
pub fn list(settings: &Settings, json: bool) -> anyhow::Result<()> {
    let entries = match open_read_only(settings)? {
        Some(store) => store.unsettled()?,
        None => Vec::new(),
    };
    if json {
        let items: Vec<EntryJson<'_>> = entries.iter().map(EntryJson::from).collect();
        return print_json(&items);
    }
    if entries.is_empty() {
        return output::emit_line("The outbox is empty: every submit has a known outcome.");
    }
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<6}  {:<8}  {:<19}  {:<8}  TITLE / LAST ERROR",
        "LOCAL", "OUTCOME", "RECORDED", "CLOUD"
    );
    for s in &entries {
        let recorded: String = s.created_at.chars().take(19).collect();
        let _ = writeln!(
            out,
            "{:<6}  {:<8}  {:<19}  {:<8}  {}",
            s.local_id,
            outcome_word(s.state),
            recorded,
            one_line(&s.cloud),
            one_line(&s.request.title)
        );
        if let Some(e) = &s.last_error {
            let _ = writeln!(out, "{:<49}{}", "", one_line(e));
        }
    }
    let _ = writeln!(
        out,
        "\nunknown: may have been filed; `pcsr-tui outbox resend` settles it with the same MS-RequestId \
         (never filed twice). failed: not filed; your input is kept."
    );
    output::emit(&out)
}

/// One resend's result in `--json` output.
#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResentJson {
    local_id: i64,
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
            local_id: r.submission.local_id,
            request_id: r.submission.request_id.to_string(),
            outcome,
            id,
            error,
        }
    }
}

/// `pcsr-tui outbox resend [LOCAL...]`: resends with the stored MS-RequestId.
pub async fn resend(settings: &Settings, only: &[i64], json: bool) -> anyhow::Result<()> {
    let session = open_session(settings).await?;
    let result = resend_in(&session, only, json).await;
    session.close().await;
    result
}

async fn resend_in(session: &crate::session::Session, only: &[i64], json: bool) -> anyhow::Result<()> {
    // Writable, checked before anything is sent.
    let store = session.open_store()?;
    let here = origin(session);
    // A named entry that cannot be resent here is a usage error, said before anything is sent.
    for &local_id in only {
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
            Some(s) if !same_destination(&s.cloud, &s.base_url, &here) => {
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
    let outbox = Outbox::new(Arc::new(Mutex::new(store)));
    let resent = outbox.resend(&session.client, &here, only).await?;
    let unsettled = resent.iter().filter(|r| r.outcome.is_err()).count();
    if json {
        let items: Vec<ResentJson> = resent.iter().map(ResentJson::from).collect();
        print_json(&items)?;
    } else if resent.is_empty() {
        output::emit_line("Nothing to resend for this account: the outbox holds no unknown outcome for it.")?;
    } else {
        let mut out = String::new();
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
    if unsettled > 0 {
        return Err(super::Exit {
            code: 2,
            message: format!(
                "{unsettled} of {} could not be settled; `pcsr-tui outbox` shows why (unknown ones stay and can be \
                 resent again)",
                resent.len()
            ),
        }
        .into());
    }
    Ok(())
}

/// `pcsr-tui outbox discard LOCAL [--yes]`.
pub fn discard(settings: &Settings, local_id: i64, yes: bool) -> anyhow::Result<()> {
    let data_dir = crate::session::resolve_data_dir(settings.data_dir.as_deref())?;
    let store = Store::open(&crate::session::store_path(&data_dir))?;
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

/// Asks on the terminal; without one, refuses (a script must say --yes).
fn confirm(sub: &Submission) -> anyhow::Result<bool> {
    if !std::io::stdin().is_terminal() {
        return Err(Exit::usage(format!(
            "outbox discard {} asks first; pass --yes to discard without asking",
            sub.local_id
        ))
        .into());
    }
    let warning = if sub.state == SubmissionState::Sending {
        " Its outcome is unknown: it may have been filed, and a discarded entry is never resent."
    } else {
        ""
    };
    let mut err = std::io::stderr().lock();
    let _ = write!(
        err,
        "Discard local #{} \"{}\"?{warning} [y/N] ",
        sub.local_id,
        one_line(&sub.request.title)
    );
    let _ = err.flush();
    let mut answer = String::new();
    std::io::stdin().lock().read_line(&mut answer)?;
    Ok(matches!(answer.trim(), "y" | "Y" | "yes" | "Yes" | "YES"))
}
