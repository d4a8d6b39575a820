//! Human output for the CLI: service requests, topics, history, and errors with next steps.

use std::fmt::Write as _;

use crate::api::{ApiError, ServiceRequest, SupportTopic};
use crate::session::SessionError;
use crate::store::HistoryRow;
use crate::text::{one_line, sanitize};

use super::Exit;
use super::dates;

/// Prints an error chain to stderr with what to do next; returns the exit code for it.
pub fn print_error(err: &anyhow::Error) -> i32 {
    let (code, hint) = if let Some(e) = err.downcast_ref::<Exit>() {
        (e.code, None)
    } else if let Some(e) = err.downcast_ref::<ApiError>() {
        (e.exit_code(), Some(e.hint()))
    } else if let Some(e) = err.downcast_ref::<SessionError>() {
        let hint = match e {
            SessionError::Api(api) => Some(api.hint()),
            _ => None,
        };
        (e.exit_code(), hint)
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
        (code, None)
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
    eprintln!("{text}");
    code
}

fn or_dash(value: Option<&str>) -> String {
    value
        .map(one_line)
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "-".to_string())
}

/// A service request as a labelled block.
pub fn service_request(sr: &ServiceRequest, request_id: Option<&str>) -> String {
    let mut out = String::new();
    let line = |out: &mut String, label: &str, value: String| {
        let _ = writeln!(out, "{label:<16}{value}");
    };
    line(&mut out, "Id", or_dash(sr.id.as_deref()));
    line(
        &mut out,
        "Status",
        sr.status
            .map(|s| s.label().to_string())
            .unwrap_or_else(|| "-".into()),
    );
    line(&mut out, "Title", or_dash(sr.title.as_deref()));
    line(
        &mut out,
        "Severity",
        sr.severity
            .map(|s| s.label().to_string())
            .unwrap_or_else(|| "-".into()),
    );
    let topic = match (&sr.support_topic_name, &sr.support_topic_id) {
        (Some(name), Some(id)) => format!("{} ({})", one_line(name), one_line(id)),
        (None, Some(id)) => one_line(id),
        (Some(name), None) => one_line(name),
        (None, None) => "-".into(),
    };
    line(&mut out, "Topic", topic);
    line(
        &mut out,
        "Created",
        dates::human(sr.created_date.as_deref().unwrap_or("")),
    );
    if let Some(modified) = sr.last_modified_date.as_deref() {
        line(&mut out, "Last modified", dates::human(modified));
    }
    if let Some(org) = &sr.organization {
        line(&mut out, "Organization", or_dash(org.name.as_deref()));
        line(&mut out, "  id", or_dash(org.id.as_deref()));
        line(&mut out, "  phone", or_dash(org.phone_number.as_deref()));
    }
    if let Some(contact) = &sr.primary_contact {
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
        line(&mut out, "  phone", or_dash(contact.phone_number.as_deref()));
    }
    if let Some(country) = sr.country_code.as_deref() {
        line(&mut out, "Country", one_line(country));
    }
    if let Some(request_id) = request_id {
        line(&mut out, "MS-RequestId", request_id.to_string());
    }
    if let Some(description) = sr.description.as_deref() {
        let _ = writeln!(out, "\nDescription:\n{}", indent(&sanitize(description, true)));
    }
    if let Some(notes) = sr.notes.as_ref().filter(|n| !n.is_empty()) {
        let _ = writeln!(out, "\nNotes:");
        for note in notes {
            let _ = writeln!(
                out,
                "  {} {}:\n{}",
                dates::human(note.created_date.as_deref().unwrap_or("")),
                or_dash(note.created_by_name.as_deref()),
                indent(&indent(&sanitize(note.text.as_deref().unwrap_or(""), true)))
            );
        }
    }
    out
}

fn indent(text: &str) -> String {
    text.lines()
        .map(|l| format!("  {l}"))
        .collect::<Vec<_>>()
        .join("\n")
}

/// Topics as an aligned table.
pub fn topics(topics: &[SupportTopic]) -> String {
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
pub fn request_table(items: &[ServiceRequest]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<16}  {:<16}  {:<9}  {:<23}  TITLE",
        "ID", "STATUS", "SEVERITY", "CREATED"
    );
    for sr in items {
        let created = dates::human(sr.created_date.as_deref().unwrap_or(""));
        let _ = writeln!(
            out,
            "{:<16}  {:<16}  {:<9}  {:<23}  {}",
            or_dash(sr.id.as_deref()),
            sr.status.map(|s| s.label()).unwrap_or("-"),
            sr.severity.map(|s| s.label()).unwrap_or("-"),
            created,
            or_dash(sr.title.as_deref())
        );
    }
    out
}

/// Local history rows as a table.
pub fn history_table(rows: &[HistoryRow]) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{:<6}  {:<8}  {:<16}  {:<9}  {:<23}  TITLE",
        "LOCAL", "STATE", "ID", "SEVERITY", "RECORDED"
    );
    for r in rows {
        let state = format!("{:?}", r.state).to_lowercase();
        let recorded = dates::human(&r.created_at);
        let _ = writeln!(
            out,
            "{:<6}  {:<8}  {:<16}  {:<9}  {:<23}  {}",
            r.local_id,
            state,
            or_dash(r.server_id.as_deref()),
            r.severity.label(),
            recorded,
            one_line(&r.title)
        );
    }
    out
}
