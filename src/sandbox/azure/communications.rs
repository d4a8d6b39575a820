//! A ticket's conversation: communications created by name (long-running, like tickets),
//! read and listed (`$top` at most 10, `$filter` on communicationType and createdDate).

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Value, json};

use super::arm::{ArmError, json_response, printable};
use super::store::{self, Put, Row};
use super::subscriptions::TicketScope;
use super::tickets::{self, TicketListQuery};
use super::{operations, validate};
use crate::sandbox::clock;

const TOP_DEFAULT: usize = 10;
const TOP_MAX: usize = 10;

fn key(scope: &TicketScope, ticket: &str, name: &str) -> String {
    format!("{}/communications/{name}", tickets::key(scope, ticket)).to_ascii_lowercase()
}

/// A communication resource.
pub fn resource(ticket_id: &str, name: &str, properties: Value) -> Value {
    json!({
        "id": format!("{ticket_id}/communications/{name}"),
        "name": name,
        "type": "Microsoft.Support/communications",
        "properties": properties,
    })
}

/// `PUT .../supportTickets/{ticket}/communications/{name}`.
pub async fn create(
    state: &crate::sandbox::state::SandboxState,
    base: &str,
    scope: TicketScope,
    ticket: String,
    name: String,
    body: &[u8],
) -> Result<Response, ArmError> {
    validate::name(&name, "communicationName")?;
    let body = validate::object(body)?;
    let props = validate::properties(&body)?;
    let subject = validate::text(&props, "subject", "properties.subject")?.to_string();
    let text = validate::text(&props, "body", "properties.body")?.to_string();
    let found = tickets::fetch(state, &scope, &ticket).await?;
    let sender = props
        .get("sender")
        .and_then(Value::as_str)
        .filter(|s| !s.trim().is_empty())
        .or_else(|| found["properties"]["contactDetails"]["primaryEmailAddress"].as_str())
        .unwrap_or("")
        .to_string();
    let ticket_id = found["id"].as_str().unwrap_or("").to_string();
    let fingerprint = Value::Object(props);
    let row_key = key(&scope, &ticket, &name);
    let parent = tickets::key(&scope, &ticket);
    let make = {
        let name = name.clone();
        move || {
            resource(
                &ticket_id,
                &name,
                json!({
                    "subject": subject,
                    "body": text,
                    "communicationType": "web",
                    "communicationDirection": "outbound",
                    "sender": sender,
                    "createdDate": clock::now(),
                }),
            )
        }
    };
    let k = row_key.clone();
    let put = super::routes::db(state, move |db| {
        store::put_once(
            db,
            &Row {
                key: &k,
                kind: "communication",
                parent: &parent,
                fingerprint: &fingerprint,
                reply_due: None,
            },
            make,
        )
    })
    .await?;
    match put {
        Put::New(_) => operations::accepted(state, base, &scope.prefix(), row_key, None).await,
        Put::Same(c) => Ok(json_response(StatusCode::OK, &c)),
        Put::Other(_) => Err(ArmError::new(
            StatusCode::CONFLICT,
            "Conflict",
            format!(
                "A communication named '{}' already exists on this ticket with different content; choose another name.",
                printable(&name)
            ),
        )),
    }
}

/// `GET .../communications/{name}`.
pub async fn get(
    state: &crate::sandbox::state::SandboxState,
    scope: TicketScope,
    ticket: String,
    name: String,
) -> Result<Response, ArmError> {
    tickets::fetch(state, &scope, &ticket).await?;
    let k = key(&scope, &ticket, &name);
    let found = super::routes::db(state, move |db| store::get(db, &k)).await?;
    found
        .map(|c| json_response(StatusCode::OK, &c))
        .ok_or_else(|| ArmError::not_found("Microsoft.Support/communications", &name))
}

/// `GET .../supportTickets/{ticket}/communications`.
pub async fn list(
    state: &crate::sandbox::state::SandboxState,
    base: &str,
    scope: TicketScope,
    ticket: String,
    raw: Option<&str>,
) -> Result<Response, ArmError> {
    let query = TicketListQuery::read(raw)?;
    let top = validate::top(query_top(raw).as_deref(), TOP_DEFAULT, TOP_MAX)?;
    let clauses = validate::filter(query_filter(raw).as_deref(), &["communicationtype"])?;
    let found = tickets::fetch(state, &scope, &ticket).await?;
    let parent = tickets::key(&scope, &ticket);
    let mut items = super::routes::db(state, move |db| store::list(db, "communication", &parent)).await?;
    items.retain(|c| validate::matches(c, &clauses, &[("communicationtype", "communicationType")]));
    let path = format!("{}/communications", found["id"].as_str().unwrap_or(""));
    Ok(json_response(
        StatusCode::OK,
        &tickets::page(items, &query, top, base, &path),
    ))
}

fn query_top(raw: Option<&str>) -> Option<String> {
    find(raw, "$top")
}

fn query_filter(raw: Option<&str>) -> Option<String> {
    find(raw, "$filter")
}

fn find(raw: Option<&str>, name: &str) -> Option<String> {
    raw.map(super::arm::url_pairs)
        .unwrap_or_default()
        .into_iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v)
}
