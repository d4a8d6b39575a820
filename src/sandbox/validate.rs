//! Reading and checking what clients send: the agent locale, create and update bodies, list
//! queries. Pure functions; every refusal is the 400 the real service would give, naming the field.

use serde_json::Value;

use super::reply::ErrorReply;
use crate::api::{NewServiceRequest, NotePatch, ServiceRequestPatch, Severity, Status, SupportTopic, wire};

/// Largest page a list call may ask for.
pub const MAX_PAGE_SIZE: u32 = 1000;
/// Page size when the client names none.
pub const DEFAULT_PAGE_SIZE: u32 = 100;

/// Checks an agent locale: `ll-CC` (`en-US`, `es-419`) or `ll-Script-CC` (`sr-Latn-RS`), any case.
pub fn locale(raw: &str) -> Result<(), ErrorReply> {
    if crate::api::model::is_agent_locale(raw) {
        Ok(())
    } else {
        Err(ErrorReply::invalid_property(format!(
            "agent-locale '{}' is not a locale; use a language-country pair such as en-US",
            shorten(raw)
        )))
    }
}

/// A create body as read: the four required fields and the notes sent along (the optional
/// `Notes` collection the docs describe on create).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filing {
    /// Title, description, severity, topic.
    pub request: NewServiceRequest,
    /// The texts of the notes, in order.
    pub notes: Vec<String>,
}

/// Checks a customer tenant id: the service addresses customers by their GUID.
pub fn tenant(raw: &str) -> Result<(), ErrorReply> {
    if uuid::Uuid::try_parse(raw.trim()).is_ok() {
        Ok(())
    } else {
        Err(ErrorReply::invalid_input(format!(
            "customer tenant id '{}' is not a GUID; use the customer's tenant id, e.g. \
             0b8a7d1e-1111-2222-3333-444455556666",
            shorten(raw)
        )))
    }
}

/// Reads a create body (any key case, BOM tolerated) into the four required fields and its
/// notes, refusing what the service refuses. `topics` are the ids a request may be filed under.
pub fn create_body(bytes: &[u8], topics: &[SupportTopic]) -> Result<Filing, ErrorReply> {
    let value = object(bytes, "a ServiceRequest")?;
    let mut errors: Vec<(&'static str, String)> = Vec::new();
    let mut text = |key: &str, field: &'static str| match value.get(key) {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(other) => {
            errors.push((field, format!("{field} must be a string, not {}", kind(other))));
            String::new()
        }
    };
    let title = text("title", "Title");
    let description = text("description", "Description");
    let severity = match value.get("severity") {
        None | Some(Value::Null) => {
            errors.push((
                "Severity",
                "severity is required: critical, moderate or minimal".into(),
            ));
            Severity::Unknown
        }
        Some(v) => match scalar(v).as_deref().and_then(Severity::parse) {
            Some(s) => s,
            None => {
                errors.push((
                    "Severity",
                    format!("{v} is not a severity; use critical, moderate or minimal"),
                ));
                Severity::Unknown
            }
        },
    };
    let support_topic_id = value.get("support_topic_id").and_then(scalar).unwrap_or_default();
    let notes = create_notes(value.get("notes"), &mut errors);
    let new = NewServiceRequest {
        title,
        description,
        severity,
        support_topic_id,
    };
    for e in new.validate() {
        if !errors.iter().any(|(field, _)| *field == e.field) {
            errors.push((e.field, e.message));
        }
    }
    if !errors.iter().any(|(field, _)| *field == "SupportTopicId") {
        let id = new.support_topic_id.trim();
        if !topics.iter().any(|t| t.id.to_string() == id) {
            errors.push((
                "SupportTopicId",
                format!("no support topic has id {id}; GET /v1/servicerequests/supporttopics lists them"),
            ));
        }
    }
    if errors.is_empty() {
        Ok(Filing { request: new, notes })
    } else {
        let described: Vec<String> = errors
            .iter()
            .map(|(field, msg)| format!("{field}: {msg}"))
            .collect();
        Err(ErrorReply::invalid_property(described.join("; ")))
    }
}

/// The texts of a create's `Notes` (null or absent: none); a note must have text.
fn create_notes(raw: Option<&Value>, errors: &mut Vec<(&'static str, String)>) -> Vec<String> {
    let items = match raw {
        None | Some(Value::Null) => return Vec::new(),
        Some(Value::Array(items)) => items,
        Some(other) => {
            errors.push((
                "Notes",
                format!("Notes must be an array of notes, not {}", kind(other)),
            ));
            return Vec::new();
        }
    };
    let mut texts = Vec::new();
    for (i, item) in items.iter().enumerate() {
        match item.get("text") {
            Some(Value::String(text)) if !text.trim().is_empty() => texts.push(text.clone()),
            _ => errors.push((
                "Notes",
                format!("Notes[{i}].Text: the note has no text; write it or leave the note out"),
            )),
        }
    }
    texts
}

/// Reads an update body: `NewNote.Text` and/or `Status`; anything else is ignored. Status
/// `none` (0) means "not set": the SDK sends it beside every note.
pub fn patch_body(bytes: &[u8]) -> Result<ServiceRequestPatch, ErrorReply> {
    let value = object(bytes, "a ServiceRequest update")?;
    let new_note = match value.get("new_note") {
        None | Some(Value::Null) => None,
        Some(note) => {
            let text = match note.get("text") {
                Some(Value::String(s)) => s.clone(),
                _ => String::new(),
            };
            if text.trim().is_empty() {
                return Err(ErrorReply::invalid_property(
                    "NewNote.Text: the note is blank; write the note's text",
                ));
            }
            Some(NotePatch { text })
        }
    };
    let status = match value.get("status") {
        None | Some(Value::Null) => None,
        Some(v) => Some(scalar(v).as_deref().and_then(Status::parse).ok_or_else(|| {
            ErrorReply::invalid_property(format!("Status: {v} is not a status; use open or closed"))
        })?),
    }
    .filter(|s| *s != Status::None);
    if new_note.is_none() && status.is_none() {
        return Err(ErrorReply::invalid_input(
            "the update names nothing to change (Status none means unchanged); send NewNote.Text to add a note \
             or Status to change the status",
        ));
    }
    Ok(ServiceRequestPatch { new_note, status })
}

/// Paging and filtering of a list call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListParams {
    /// Items per page.
    pub size: u32,
    /// Items skipped.
    pub offset: u32,
    /// Only requests with this status.
    pub status: Option<Status>,
    /// The filter as the client sent it (decoded), repeated in the paging links.
    pub filter: Option<String>,
}

/// Reads `size`, `offset` and `filter` from a raw query string (parameter names in any case).
pub fn list_query(raw: Option<&str>) -> Result<ListParams, ErrorReply> {
    let mut params = ListParams {
        size: DEFAULT_PAGE_SIZE,
        offset: 0,
        status: None,
        filter: None,
    };
    for (key, value) in url::form_urlencoded::parse(raw.unwrap_or("").as_bytes()) {
        match key.to_ascii_lowercase().as_str() {
            "size" => {
                params.size = value
                    .trim()
                    .parse()
                    .ok()
                    .filter(|n| (1..=MAX_PAGE_SIZE).contains(n))
                    .ok_or_else(|| {
                        ErrorReply::invalid_input(format!(
                            "size '{}' is not a page size; use a number from 1 to {MAX_PAGE_SIZE}",
                            shorten(&value)
                        ))
                    })?;
            }
            "offset" => {
                params.offset = value.trim().parse().map_err(|_| {
                    ErrorReply::invalid_input(format!(
                        "offset '{}' is not a count of items to skip",
                        shorten(&value)
                    ))
                })?;
            }
            "filter" => {
                params.status = Some(status_filter(&value)?);
                params.filter = Some(value.into_owned());
            }
            _ => {}
        }
    }
    Ok(params)
}

/// `{"Field":"Status","Value":"open","Operator":"equals"}`: Status is the only searchable field.
fn status_filter(raw: &str) -> Result<Status, ErrorReply> {
    let bad = |why: &str| {
        ErrorReply::invalid_input(format!(
            "filter '{}' {why}; send {{\"Field\":\"Status\",\"Value\":\"open\",\"Operator\":\"equals\"}}",
            shorten(raw)
        ))
    };
    let value = wire::parse_value(raw.as_bytes()).map_err(|_| bad("is not JSON"))?;
    let field = value.get("field").and_then(scalar).unwrap_or_default();
    if !field.eq_ignore_ascii_case("status") {
        return Err(bad("does not filter on Status, the only searchable field"));
    }
    let operator = value
        .get("operator")
        .and_then(scalar)
        .unwrap_or_else(|| "equals".into());
    if !operator.eq_ignore_ascii_case("equals") {
        return Err(bad("uses an operator other than equals"));
    }
    value
        .get("value")
        .and_then(scalar)
        .as_deref()
        .and_then(Status::parse)
        .ok_or_else(|| bad("names no known status"))
}

/// Parses a body that must be a JSON object (keys folded by [`wire::parse_value`]).
fn object(bytes: &[u8], what: &str) -> Result<Value, ErrorReply> {
    match wire::parse_value(bytes) {
        Ok(value @ Value::Object(_)) => Ok(value),
        Ok(other) => Err(ErrorReply::invalid_input(format!(
            "the body must be {what} (a JSON object), not {}",
            kind(&other)
        ))),
        Err(e) => Err(ErrorReply::invalid_input(format!(
            "the body must be {what} in JSON: {e}"
        ))),
    }
}

/// A string or number as text; other JSON kinds are not scalars here.
fn scalar(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

fn kind(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Echoed client input is capped so an error description stays within the service's 1024 chars.
fn shorten(raw: &str) -> String {
    const MAX: usize = 80;
    let mut out: String = raw.chars().filter(|c| !c.is_control()).take(MAX).collect();
    if raw.chars().count() > MAX {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests;
