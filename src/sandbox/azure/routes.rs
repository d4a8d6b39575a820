//! The ARM routes, each at tenant level and under `/subscriptions/{sub}` where the Swagger has
//! both, as one axum [`Router`] merged into the sandbox's (see [`crate::sandbox::router`]).

use std::collections::HashMap;

use axum::Router;
use axum::body::Bytes;
use axum::extract::{DefaultBodyLimit, Extension, OriginalUri, Path, RawQuery, State};
use axum::http::StatusCode;
use axum::middleware::from_fn_with_state;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::json;

use super::arm::{self, ArmError, Call, json_response};
use super::subscriptions::{self, TicketScope};
use super::{communications, control, files, operations, tickets};
use crate::sandbox::db::{Db, DbError};
use crate::sandbox::state::SandboxState;

type Params = Path<HashMap<String, String>>;

/// Runs `work` on the database off the async threads; a failure is a 500 ARM answer.
pub async fn db<T: Send + 'static>(
    state: &SandboxState,
    work: impl FnOnce(&Db) -> Result<T, DbError> + Send + 'static,
) -> Result<T, ArmError> {
    state
        .with_db(work)
        .await
        .map_err(|f| ArmError::internal(f.description))
}

/// The ARM routes over the sandbox state (state attached by the caller).
pub fn router(state: SandboxState) -> Router<SandboxState> {
    let mut api = Router::new()
        .route("/subscriptions", get(list_subscriptions))
        .route("/providers/Microsoft.Support/services", get(list_services))
        .route(
            "/providers/Microsoft.Support/services/{service}",
            get(get_service),
        )
        .route(
            "/providers/Microsoft.Support/services/{service}/problemClassifications",
            get(list_classifications),
        )
        .route(
            "/providers/Microsoft.Support/services/{service}/problemClassifications/{pc}",
            get(get_classification),
        );
    for prefix in ["", "/subscriptions/{sub}"] {
        let p = format!("{prefix}/providers/Microsoft.Support");
        api = api
            .route(&format!("{p}/checkNameAvailability"), post(check_ticket_name))
            .route(&format!("{p}/supportTickets"), get(list_tickets))
            .route(
                &format!("{p}/supportTickets/{{ticket}}"),
                get(get_ticket).put(put_ticket).patch(patch_ticket),
            )
            .route(
                &format!("{p}/supportTickets/{{ticket}}/checkNameAvailability"),
                post(check_communication_name),
            )
            .route(
                &format!("{p}/supportTickets/{{ticket}}/communications"),
                get(list_communications),
            )
            .route(
                &format!("{p}/supportTickets/{{ticket}}/communications/{{comm}}"),
                get(get_communication).put(put_communication),
            )
            .route(
                &format!("{p}/fileWorkspaces/{{ws}}"),
                get(get_workspace).put(put_workspace),
            )
            .route(&format!("{p}/fileWorkspaces/{{ws}}/files"), get(list_files))
            .route(
                &format!("{p}/fileWorkspaces/{{ws}}/files/{{file}}"),
                get(get_file).put(put_file),
            )
            .route(
                &format!("{p}/fileWorkspaces/{{ws}}/files/{{file}}/upload"),
                post(upload).layer(DefaultBodyLimit::max(files::MAX_UPLOAD_BODY)),
            )
            .route(&format!("{p}/operationsStatus/{{op}}"), get(operation_status))
            .route(&format!("{p}/operationResults/{{op}}"), get(operation_result));
    }
    let api = api.route_layer(from_fn_with_state(state, arm::gate));
    let control = Router::new()
        .route("/_sandbox/azure/catalogue", post(control::grow_catalogue))
        .route("/_sandbox/azure/operations", post(control::set_operations));
    api.merge(control)
}

fn answer(result: Result<Response, ArmError>) -> Response {
    result.unwrap_or_else(IntoResponse::into_response)
}

fn param(params: &HashMap<String, String>, key: &str) -> String {
    params.get(key).cloned().unwrap_or_default()
}

async fn list_subscriptions() -> Response {
    json_response(StatusCode::OK, &subscriptions::list())
}

async fn list_services(State(state): State<SandboxState>) -> Response {
    let value: Vec<_> = state
        .azure()
        .catalogue()
        .services()
        .iter()
        .map(|s| s.resource())
        .collect();
    json_response(StatusCode::OK, &json!({ "value": value }))
}

fn no_service(name: &str) -> ArmError {
    ArmError::not_found("Microsoft.Support/services", name)
}

async fn get_service(State(state): State<SandboxState>, Path(params): Params) -> Response {
    let name = param(&params, "service");
    let catalogue = state.azure().catalogue();
    answer(
        catalogue
            .service(&name)
            .map(|s| json_response(StatusCode::OK, &s.resource()))
            .ok_or_else(|| no_service(&name)),
    )
}

async fn list_classifications(State(state): State<SandboxState>, Path(params): Params) -> Response {
    let name = param(&params, "service");
    let catalogue = state.azure().catalogue();
    answer(
        catalogue
            .service(&name)
            .map(|s| {
                let value: Vec<_> = s
                    .classifications
                    .iter()
                    .map(|pc| s.classification_resource(pc))
                    .collect();
                json_response(StatusCode::OK, &json!({ "value": value }))
            })
            .ok_or_else(|| no_service(&name)),
    )
}

async fn get_classification(State(state): State<SandboxState>, Path(params): Params) -> Response {
    let (service, pc) = (param(&params, "service"), param(&params, "pc"));
    let catalogue = state.azure().catalogue();
    answer(
        catalogue
            .classification(&service, &pc)
            .map(|(s, c)| json_response(StatusCode::OK, &s.classification_resource(c)))
            .ok_or_else(|| ArmError::not_found("Microsoft.Support/problemClassifications", &pc)),
    )
}

async fn check_ticket_name(State(state): State<SandboxState>, Path(params): Params, body: Bytes) -> Response {
    answer(async { tickets::check_name(&state, TicketScope::from_params(&params)?, None, &body).await }.await)
}

async fn check_communication_name(
    State(state): State<SandboxState>,
    Path(params): Params,
    body: Bytes,
) -> Response {
    let ticket = param(&params, "ticket");
    answer(
        async { tickets::check_name(&state, TicketScope::from_params(&params)?, Some(ticket), &body).await }
            .await,
    )
}

async fn list_tickets(
    State(state): State<SandboxState>,
    Extension(call): Extension<Call>,
    Path(params): Params,
    RawQuery(query): RawQuery,
) -> Response {
    answer(
        async {
            tickets::list(
                &state,
                &call.base,
                TicketScope::from_params(&params)?,
                query.as_deref(),
            )
            .await
        }
        .await,
    )
}

async fn get_ticket(State(state): State<SandboxState>, Path(params): Params) -> Response {
    let name = param(&params, "ticket");
    answer(async { tickets::get(&state, TicketScope::from_params(&params)?, name).await }.await)
}

async fn put_ticket(
    State(state): State<SandboxState>,
    Extension(call): Extension<Call>,
    Path(params): Params,
    body: Bytes,
) -> Response {
    let name = param(&params, "ticket");
    answer(
        async {
            tickets::create(
                &state,
                &call.base,
                TicketScope::from_params(&params)?,
                name,
                &body,
            )
            .await
        }
        .await,
    )
}

async fn patch_ticket(State(state): State<SandboxState>, Path(params): Params, body: Bytes) -> Response {
    let name = param(&params, "ticket");
    answer(async { tickets::update(&state, TicketScope::from_params(&params)?, name, &body).await }.await)
}

async fn list_communications(
    State(state): State<SandboxState>,
    Extension(call): Extension<Call>,
    Path(params): Params,
    RawQuery(query): RawQuery,
) -> Response {
    let ticket = param(&params, "ticket");
    answer(
        async {
            communications::list(
                &state,
                &call.base,
                TicketScope::from_params(&params)?,
                ticket,
                query.as_deref(),
            )
            .await
        }
        .await,
    )
}

async fn get_communication(State(state): State<SandboxState>, Path(params): Params) -> Response {
    let (ticket, comm) = (param(&params, "ticket"), param(&params, "comm"));
    answer(
        async { communications::get(&state, TicketScope::from_params(&params)?, ticket, comm).await }.await,
    )
}

async fn put_communication(
    State(state): State<SandboxState>,
    Extension(call): Extension<Call>,
    Path(params): Params,
    body: Bytes,
) -> Response {
    let (ticket, comm) = (param(&params, "ticket"), param(&params, "comm"));
    answer(
        async {
            communications::create(
                &state,
                &call.base,
                TicketScope::from_params(&params)?,
                ticket,
                comm,
                &body,
            )
            .await
        }
        .await,
    )
}

async fn put_workspace(State(state): State<SandboxState>, Path(params): Params) -> Response {
    let ws = param(&params, "ws");
    answer(async { files::put_workspace(&state, TicketScope::from_params(&params)?, ws).await }.await)
}

async fn get_workspace(State(state): State<SandboxState>, Path(params): Params) -> Response {
    let ws = param(&params, "ws");
    answer(async { files::get_workspace(&state, TicketScope::from_params(&params)?, ws).await }.await)
}

async fn list_files(State(state): State<SandboxState>, Path(params): Params) -> Response {
    let ws = param(&params, "ws");
    answer(async { files::list_files(&state, TicketScope::from_params(&params)?, ws).await }.await)
}

async fn put_file(State(state): State<SandboxState>, Path(params): Params, body: Bytes) -> Response {
    let (ws, file) = (param(&params, "ws"), param(&params, "file"));
    answer(async { files::put_file(&state, TicketScope::from_params(&params)?, ws, file, &body).await }.await)
}

async fn get_file(State(state): State<SandboxState>, Path(params): Params) -> Response {
    let (ws, file) = (param(&params, "ws"), param(&params, "file"));
    answer(async { files::get_file(&state, TicketScope::from_params(&params)?, ws, file).await }.await)
}

async fn upload(State(state): State<SandboxState>, Path(params): Params, body: Bytes) -> Response {
    let (ws, file) = (param(&params, "ws"), param(&params, "file"));
    answer(async { files::upload(&state, TicketScope::from_params(&params)?, ws, file, &body).await }.await)
}

async fn operation_status(State(state): State<SandboxState>, Path(params): Params) -> Response {
    let op = param(&params, "op");
    answer(
        async {
            TicketScope::from_params(&params)?;
            operations::status(&state, op).await
        }
        .await,
    )
}

async fn operation_result(
    State(state): State<SandboxState>,
    Extension(call): Extension<Call>,
    OriginalUri(uri): OriginalUri,
    Path(params): Params,
) -> Response {
    let op = param(&params, "op");
    answer(
        async {
            TicketScope::from_params(&params)?;
            operations::result(&state, &call.base, uri.path(), op).await
        }
        .await,
    )
}
