//! Long-running creates: the `202 Accepted` headers, the `Azure-AsyncOperation` status document
//! and the `Location` result. The Swagger marks ticket and communication creates
//! `final-state-via: azure-async-operation`: a client polls the status URL to the end, then
//! reads the resource it PUT; the Location URL answers 202 while running, then the resource.

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::API_VERSION;
use super::arm::{ArmError, json_response};
use super::store::{self, Operation};
use crate::sandbox::state::SandboxState;

/// Starts an operation for `resource` (a store key) and answers the 202 that announces it.
/// `error` makes it end `Failed` with that error instead of `Succeeded`.
pub async fn accepted(
    state: &SandboxState,
    base: &str,
    prefix: &str,
    resource: String,
    error: Option<ArmError>,
) -> Result<Response, ArmError> {
    let id = uuid::Uuid::new_v4().to_string();
    let polls = state.azure().polls();
    let op = Operation {
        resource,
        polls,
        error: error.map(|e| json!({ "status": e.status.as_u16(), "error": e.body() })),
    };
    let op_id = id.clone();
    super::routes::db(state, move |db| store::start_operation(db, &op_id, &op)).await?;
    let provider = format!("{base}{prefix}/providers/Microsoft.Support");
    let mut resp = StatusCode::ACCEPTED.into_response();
    let headers = resp.headers_mut();
    let status_url = format!("{provider}/operationsStatus/{id}?api-version={API_VERSION}");
    let result_url = format!("{provider}/operationResults/{id}?api-version={API_VERSION}");
    for (name, value) in [("azure-asyncoperation", status_url), ("location", result_url)] {
        if let Ok(v) = HeaderValue::from_str(&value) {
            headers.insert(name, v);
        }
    }
    headers.insert(header::RETRY_AFTER, HeaderValue::from(retry_after(polls)));
    Ok(resp)
}

/// Seconds to wait before polling: none when the operation is already over.
fn retry_after(polls: u32) -> u64 {
    u64::from(polls > 0)
}

async fn poll(state: &SandboxState, id: String) -> Result<(Operation, String), ArmError> {
    let key = id.clone();
    let op = super::routes::db(state, move |db| store::poll_operation(db, &key))
        .await?
        .ok_or_else(|| ArmError::not_found("Microsoft.Support/operationsStatus", &id))?;
    Ok((op, id))
}

/// `GET .../operationsStatus/{id}`: the async operation document.
pub async fn status(state: &SandboxState, id: String) -> Result<Response, ArmError> {
    let (op, id) = poll(state, id).await?;
    let mut doc = json!({ "id": id, "name": id });
    if op.polls > 0 {
        doc["status"] = json!("InProgress");
        let mut resp = json_response(StatusCode::OK, &doc);
        resp.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(1u64));
        return Ok(resp);
    }
    match &op.error {
        Some(failure) => {
            doc["status"] = json!("Failed");
            doc["error"] = failure["error"].clone();
        }
        None => doc["status"] = json!("Succeeded"),
    }
    Ok(json_response(StatusCode::OK, &doc))
}

/// `GET .../operationResults/{id}`: 202 while running, then the resource (or the failure).
pub async fn result(state: &SandboxState, base: &str, path: &str, id: String) -> Result<Response, ArmError> {
    let (op, _) = poll(state, id).await?;
    if op.polls > 0 {
        let mut resp = StatusCode::ACCEPTED.into_response();
        if let Ok(v) = HeaderValue::from_str(&format!("{base}{path}?api-version={API_VERSION}")) {
            resp.headers_mut().insert(header::LOCATION, v);
        }
        resp.headers_mut()
            .insert(header::RETRY_AFTER, HeaderValue::from(1u64));
        return Ok(resp);
    }
    if let Some(failure) = op.error {
        let status = failure["status"]
            .as_u64()
            .and_then(|s| u16::try_from(s).ok())
            .and_then(|s| StatusCode::from_u16(s).ok())
            .unwrap_or(StatusCode::BAD_REQUEST);
        let body: Value = json!({ "error": failure["error"] });
        return Ok(json_response(status, &body));
    }
    let key = op.resource.clone();
    match super::routes::db(state, move |db| store::get(db, &key)).await? {
        Some(resource) => Ok(json_response(StatusCode::OK, &resource)),
        None => Err(ArmError::not_found("Microsoft.Support", &op.resource)),
    }
}
