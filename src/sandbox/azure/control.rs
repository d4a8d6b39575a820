//! Control routes of the Azure side (only with control routes on, like `/_sandbox/faults`):
//! `POST /_sandbox/azure/catalogue` `{"services": N, "classificationsPerService": M}` adds
//! synthetic services for benches; `POST /_sandbox/azure/operations` `{"polls": N}` sets how many
//! polls new operations answer `InProgress` (0: done at the first poll).

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};

use super::arm::{ArmError, json_response};
use super::validate;
use crate::sandbox::state::SandboxState;

const MAX_SERVICES: u64 = 100_000;
const MAX_PER_SERVICE: u64 = 1_000;

fn count(body: &serde_json::Map<String, Value>, key: &str, max: u64) -> Result<u64, ArmError> {
    match body.get(key) {
        None => Ok(0),
        Some(v) => v
            .as_u64()
            .filter(|n| *n <= max)
            .ok_or_else(|| ArmError::invalid(key, format!("'{key}' must be a whole number up to {max}."))),
    }
}

fn gate(state: &SandboxState) -> Result<(), ArmError> {
    if state.control_routes() {
        Ok(())
    } else {
        Err(ArmError::new(StatusCode::NOT_FOUND, "NotFound", "No such route."))
    }
}

/// `POST /_sandbox/azure/catalogue`.
pub async fn grow_catalogue(State(state): State<SandboxState>, body: Bytes) -> Response {
    let run = || -> Result<Response, ArmError> {
        gate(&state)?;
        let body = validate::object(&body)?;
        let services = count(&body, "services", MAX_SERVICES)?;
        let per = count(&body, "classificationsPerService", MAX_PER_SERVICE)?;
        let (s, c) = state.azure().catalogue_mut().add_synthetic(
            usize::try_from(services).unwrap_or(0),
            usize::try_from(per).unwrap_or(0),
        );
        Ok(json_response(
            StatusCode::OK,
            &json!({ "services": s, "problemClassifications": c }),
        ))
    };
    run().unwrap_or_else(IntoResponse::into_response)
}

/// `POST /_sandbox/azure/operations`.
pub async fn set_operations(State(state): State<SandboxState>, body: Bytes) -> Response {
    let run = || -> Result<Response, ArmError> {
        gate(&state)?;
        let body = validate::object(&body)?;
        let polls = count(&body, "polls", 1_000)?;
        let polls = u32::try_from(polls).unwrap_or(0);
        state.azure().set_polls(polls);
        Ok(json_response(StatusCode::OK, &json!({ "polls": polls })))
    };
    run().unwrap_or_else(IntoResponse::into_response)
}
