//! Human output for the CLI: service requests, topics, history, and errors with next steps.

use std::fmt::Write as _;
use std::io::Write as _;

use crate::api::ApiError;
use crate::domain::{Remedy, Stamp, Ticket, Topic};
use crate::session::SessionError;
use crate::store::HistoryRow;
use crate::text::{one_line, sanitize};

use super::Exit;
use super::dates;

/// Standard output was closed by its reader (`pcsr-tui list | head -1`): not a failure, the
/// process just stops writing and exits quietly.
#[derive(Debug, thiserror::Error)]
#[error("standard output was closed")]
pub struct ClosedPipe;

/// Whether `err` is a [`ClosedPipe`] (main exits 0 without a word).
pub fn is_closed_pipe(err: &anyhow::Error) -> bool {
    err.downcast_ref::<ClosedPipe>().is_some()
        || err
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
}

/// Writes `text` to standard output; a closed pipe becomes [`ClosedPipe`] instead of a panic.
pub fn emit(text: &str) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match out.write_all(text.as_bytes()).and_then(|()| out.flush()) {
        Ok(()) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Err(ClosedPipe.into()),
        Err(e) => Err(anyhow::Error::new(e).context("cannot write to standard output")),
    }
}

/// [`emit`] plus a newline.
pub fn emit_line(text: &str) -> anyhow::Result<()> {
    emit(&format!("{text}\n"))
}

/// Pretty JSON for stdout with every C0/C1 control, DEL and bidi control escaped as `\uXXXX`, so a
/// server string cannot drive the terminal even when the JSON is shown raw (still valid JSON:
/// those characters only ever occur inside strings).
pub fn json_text<T: serde::Serialize>(value: &T) -> anyhow::Result<String> {
    Ok(defuse(&serde_json::to_string_pretty(value)?))
}

/// Escapes the characters a terminal would act on (C1 controls, DEL, bidi overrides) as
/// `\uXXXX`; JSON stays valid, and jq's raw strings cannot drive the terminal either.
pub fn defuse(raw: &str) -> String {
    let mut out = String::with_capacity(raw.len());
    for c in raw.chars() {
        if needs_json_escape(c) {
            let _ = write!(out, "\\u{:04x}", c as u32);
        } else {
            out.push(c);
        }
    }
    out
}

/// Characters that can change how a terminal shows text. In JSON, serde_json has escaped C0
/// already (only the newlines between tokens remain); jq's raw strings need it done here.
fn needs_json_escape(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}' | '\u{200e}' | '\u{200f}' | '\u{061c}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// What to do next, in the CLI's words: the commands to run.
pub fn remedy_text(remedy: &Remedy) -> String {
    let login = super::login_command(super::service());
    let same_key = match super::service() {
        crate::domain::Service::PartnerCenter => "same MS-RequestId",
        crate::domain::Service::Azure => "by the ticket's recorded name",
    };
    match remedy {
        Remedy::SignIn => format!("Run `{login}`, or set PCSR_TOKEN."),
        Remedy::SignInThenResend => {
            format!("Run `{login}`, then `pcsr-tui outbox resend` ({same_key}, never filed twice).")
        }
        Remedy::ResendOutbox => format!(
            "It may have been filed: `pcsr-tui outbox resend` settles it {same_key} (never filed twice); do not \
             file it again."
        ),
        Remedy::FixInput => "Correct the field named above and submit again.".into(),
        Remedy::AcceptedUnread => format!(
            "The service accepted the call but its answer could not be read; a submit stays in the outbox \
             (`pcsr-tui outbox resend` fetches its details {same_key}), anything else: check it with `pcsr-tui \
             show ID`."
        ),
        Remedy::Retry {
            after_seconds: Some(s),
        } => format!("Rate limited: try again in {s} s."),
        Remedy::Retry { after_seconds: None } => "The service did not answer in time; try again.".into(),
        Remedy::RetryLater => {
            "The service failed; try again later and quote the ids above to support.".into()
        }
        Remedy::CheckNetwork => {
            "Check your network and the base URL (--base-url / PCSR_BASE_URL), then try again.".into()
        }
        Remedy::CheckBaseUrl => "The endpoint does not look like the service; check the base URL.".into(),
        Remedy::UseHttps => {
            "Use an https:// URL (plain http:// is allowed only for 127.0.0.1, ::1 or localhost).".into()
        }
        Remedy::NeedsPermission => {
            "This account may not do that; service requests need App+User (delegated) \
             credentials of a partner admin or helpdesk agent."
                .into()
        }
        Remedy::CheckId => "Check the id; `pcsr-tui list` shows the requests you can see.".into(),
        Remedy::Reread => "The request changed on the server; refresh it and try again.".into(),
        Remedy::SignInServiceDown => {
            "Your sign-in is kept; the sign-in service is unreachable or busy: check the \
             network and try again in a minute."
                .into()
        }
        Remedy::NewSignInCode => format!("Run `{login}` again for a new code, and approve it in time."),
        Remedy::CheckAuthority => {
            "Check your network and the cloud (--cloud, or PCSR_AUTHORITY_URL), then try again.".into()
        }
        Remedy::ChooseKeyring => {
            "Set PCSR_KEYRING=none for a sign-in that lasts only this run, or set PCSR_TOKEN.".into()
        }
        Remedy::FixSetting => "Fix the setting named above, then run the command again.".into(),
        Remedy::ChooseCloud { clouds } => format!("Use --cloud {}.", clouds.join("|")),
        Remedy::QuoteIds => "Quote the ids above if you contact support.".into(),
        Remedy::CheckDataDir => {
            "Check that the data directory (PCSR_DATA_DIR / --data-dir) is writable, then try again.".into()
        }
    }
}

/// Prints an error chain to stderr with what to do next; returns the exit code for it.
pub fn print_error(err: &anyhow::Error) -> i32 {
    let (code, hint) = if let Some(kept) = err.downcast_ref::<super::Kept>() {
        (kept.error.exit_code(), Some(kept.next.clone()))
    } else if let Some(e) = err.downcast_ref::<Exit>() {
        (e.code, None)
    } else if let Some(e) = err.downcast_ref::<ApiError>() {
        (e.exit_code(), Some(remedy_text(&e.remedy())))
    } else if let Some(e) = err.downcast_ref::<crate::backend::BackendError>() {
        (e.exit_code(), Some(remedy_text(&e.remedy())))
    } else if let Some(e) = err.downcast_ref::<SessionError>() {
        (e.exit_code(), e.remedy().as_ref().map(remedy_text))
    } else if let Some(e) = err.downcast_ref::<crate::auth::AuthError>() {
        let code = if e.needs_sign_in() {
            3
        } else if matches!(
            e,
            crate::auth::AuthError::Transport { .. } | crate::auth::AuthError::Protocol { .. }
        ) {
            2
        } else {
            1
        };
        (code, Some(remedy_text(&e.remedy())))
    } else {
        // Local failures (store, files, usage) are exit 1.
        (1, None)
    };
    let mut text = format!("pcsr-tui: error: {err}");
    for cause in err.chain().skip(1) {
        let _ = write!(text, "\n  caused by: {cause}");
    }
    if let Some(hint) = hint {
        let _ = write!(text, "\n  next: {hint}");
    }
    // Error text carries the server's code and description: never let it reach the terminal raw.
    let _ = writeln!(std::io::stderr().lock(), "{}", sanitize(&text, true));
    code
}

fn or_dash(value: Option<&str>) -> String {
    value
        .map(one_line)
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "-".to_string())
}

/// A service request as a labelled block.
pub fn service_request(sr: &Ticket, request_id: Option<&str>) -> String {
    let mut out = String::new();
    let line = |out: &mut String, label: &str, value: String| {
        let _ = writeln!(out, "{label:<16}{value}");
    };
    line(&mut out, "Id", or_dash(sr.id.as_deref()));
    if let Some(number) = sr.number.as_deref() {
        line(&mut out, "Ticket number", one_line(number));
    }
    line(&mut out, "Status", sr.status_text().unwrap_or_else(|| "-".into()));
    line(&mut out, "Title", or_dash(sr.title.as_deref()));
    line(
        &mut out,
        "Severity",
        sr.severity_text().unwrap_or_else(|| "-".into()),
    );
    let topic = match (&sr.topic.name, &sr.topic.id) {
        (Some(name), Some(id)) => format!("{} ({})", one_line(name), one_line(id)),
        (None, Some(id)) => one_line(id),
        (Some(name), None) => one_line(name),
        (None, None) => "-".into(),
    };
    if let Some(service) = sr.topic.parent_name.as_deref() {
        line(&mut out, "Service", one_line(service));
    }
    line(&mut out, "Topic", topic);
    line(&mut out, "Created", stamp(sr.created.as_ref()));
    if let Some(modified) = sr.modified.as_ref() {
        line(&mut out, "Last modified", stamp(Some(modified)));
    }
    if let Some(org) = &sr.organization {
        line(&mut out, "Organization", or_dash(org.name.as_deref()));
        line(&mut out, "  id", or_dash(org.id.as_deref()));
        line(&mut out, "  phone", or_dash(org.phone.as_deref()));
    }
    if let Some(contact) = &sr.contact {
        let name = contact.full_name();
        line(
            &mut out,
            "Primary contact",
            if name.is_empty() {
                "-".into()
            } else {
                one_line(&name)
            },
        );
        line(&mut out, "  email", or_dash(contact.email.as_deref()));
        line(&mut out, "  phone", or_dash(contact.phone.as_deref()));
    }
    if let Some(country) = sr.country.as_deref() {
        line(&mut out, "Country", one_line(country));
    }
    if let Some(request_id) = request_id {
        line(&mut out, "MS-RequestId", request_id.to_string());
    }
    if let Some(description) = sr.description.as_deref() {
        let _ = writeln!(out, "\nDescription:\n{}", indent(&sanitize(description, true)));
    }
    if !sr.notes.is_empty() {
        let _ = writeln!(out, "\nNotes:");
        for note in &sr.notes {
            let from = match note.direction {
                crate::domain::Direction::Inbound => " (support)",
                crate::domain::Direction::Outbound => " (you)",
                crate::domain::Direction::Unknown => "",
            };
            let _ = writeln!(
                out,
                "  {} {}{from}:",
                stamp(note.created.as_ref()),
                or_dash(note.author.as_deref()),
            );
            if let Some(subject) = note.subject.as_deref().filter(|s| !s.trim().is_empty()) {
                let _ = writeln!(out, "    Subject: {}", one_line(subject));
            }
            let _ = writeln!(
                out,
                "{}",
                indent(&indent(&sanitize(note.text.as_deref().unwrap_or(""), true)))
            );
        }
    }
    out
}

/// A reported date for people: "-" when not reported, "not set" when the service says so.
fn stamp(s: Option<&Stamp>) -> String {
    match s {
        None => "-".into(),
        Some(Stamp::Unset) => "not set".into(),
        Some(Stamp::At(at)) => dates::human(at),
    }
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("  {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Topics as an aligned table.
pub fn topics(topics: &[Topic]) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{:<10}  NAME", "ID");
    for t in topics {
        let _ = writeln!(out, "{:<10}  {}", t.id, one_line(&t.name));
        if let Some(d) = t.description.as_deref().filter(|d| !d.is_empty()) {
            let _ = writeln!(out, "{:<10}  {}", "", one_line(d));
        }
    }
    out
}

/// Service requests (from `list`) as a table.
pub fn request_table(items: &[Ticket]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<16}  {:<16}  {:<9}  {:<23}  TITLE",
        "ID", "STATUS", "SEVERITY", "CREATED"
    );
    for sr in items {
        let created = stamp(sr.created.as_ref());
        let _ = writeln!(
            out,
            "{:<16}  {:<16}  {:<9}  {:<23}  {}",
            or_dash(sr.id.as_deref()),
            sr.status_text().unwrap_or_else(|| "-".into()),
            sr.severity_text().unwrap_or_else(|| "-".into()),
            one_line(&created),
            or_dash(sr.title.as_deref())
        );
    }
    out
}

/// Local history rows as a table; STATUS is the last status the server gave, with `*` when it
/// changed (status or notes) since the request was last opened.
pub fn history_table(rows: &[HistoryRow]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<6}  {:<8}  {:<16}  {:<17}  {:<9}  {:<23}  TITLE",
        "LOCAL", "STATE", "ID", "STATUS", "SEVERITY", "RECORDED"
    );
    for r in rows {
        let recorded = dates::human(&r.created_at);
        let mut status = r.status.map_or("-", |s| s.label()).to_string();
        if r.updated {
            status.push('*');
        }
        let _ = writeln!(
            out,
            "{:<6}  {:<8}  {:<16}  {:<17}  {:<9}  {:<23}  {}",
            r.local_id,
            r.state.as_str(),
            or_dash(r.server_id.as_deref()),
            status,
            r.severity.map_or("-", |s| s.label()),
            recorded,
            one_line(&r.title)
        );
    }
    if rows.iter().any(|r| r.updated) {
        let _ = writeln!(
            out,
            "* changed on the server since last opened (`pcsr-tui show ID` clears it)"
        );
    }
    out
}
