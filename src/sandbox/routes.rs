//! The eight Partner Center service-request routes under `/v1`, plus the `/_sandbox` control
//! routes, as one axum [`Router`].

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Extension, Path, RawQuery, State};
use axum::http::{Method, StatusCode, Uri};
use axum::middleware::{from_fn, from_fn_with_state};
use axum::response::Response;
use axum::routing::{get, post};

use super::assets::Identity;
use super::db::{Filed, Updated};
use super::ids::{self, CallIds};
use super::reply::{self, ErrorReply};
use super::state::SandboxState;
use super::validate::Filing;
use super::{agent, authz, clock, faults, records, validate};
use crate::api::client::encode;
use crate::api::{Attributes, Collection, Link, Links, ServiceRequest};

/// The API and control routes over `state`, without the shared fallback and id headers (see
/// [`finish`]), so other route sets can be merged in first.
pub fn router(state: SandboxState) -> Router {
    // Layers run outside in: a queued fault first, then the token check, then the support
    // agent's due answers, then the handler.
    let api = Router::new()
        .route("/v1/servicerequests", get(list_partner))
        .route("/v1/servicerequests/supporttopics", get(topics))
        // One capture for both meanings: the agent locale on POST, the request id on GET/PATCH.
        .route(
            "/v1/servicerequests/{key}",
            post(create).get(get_partner).patch(update_partner),
        )
        .route("/v1/customers/{tenant}/servicerequests", get(list_customer))
        .route(
            "/v1/customers/{tenant}/servicerequests/{id}",
            get(get_customer).patch(update_customer),
        )
        .route_layer(from_fn_with_state(state.clone(), agent::catch_up))
        .route_layer(from_fn_with_state(state.clone(), authz::require))
        .route_layer(from_fn_with_state(state.clone(), faults::apply));
    let control = Router::new()
        .route("/_sandbox/faults", post(queue_fault))
        .route("/_sandbox/servicerequests", post(super::bulk::add_many))
        .route(
            "/_sandbox/customers/{tenant}/servicerequests",
            post(add_customer_request),
        )
        .route_layer(from_fn_with_state(state.clone(), control_gate));
    let azure = super::azure::routes::router(state.clone());
    api.merge(control).merge(azure).with_state(state)
}

/// Completes an app: a JSON 404 for unknown paths, and the MS-RequestId / MS-CorrelationId echo
/// on every answer.
pub fn finish(app: Router) -> Router {
    app.fallback(unknown_route).layer(from_fn(ids::echo))
}

/// The control routes answer only when turned on; otherwise they are as unknown as any path.
async fn control_gate(
    State(state): State<SandboxState>,
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> Response {
    if state.control_routes() {
        next.run(req).await
    } else {
        let (method, uri) = (req.method().clone(), req.uri().clone());
        unknown_route(method, uri).await
    }
}

async fn unknown_route(method: Method, uri: Uri) -> Response {
    let path = uri.path();
    if path.starts_with("/providers/") || path.starts_with("/subscriptions/") {
        // ARM clients read ARM error bodies.
        return axum::response::IntoResponse::into_response(super::azure::arm::ArmError::new(
            StatusCode::NOT_FOUND,
            "NotFound",
            format!(
                "No route for {method} {path}; the sandbox serves Microsoft.Support api-version 2024-04-01."
            ),
        ));
    }
    axum::response::IntoResponse::into_response(ErrorReply::not_found(format!(
        "no such resource: {method} {}; the sandbox serves the /v1/servicerequests routes",
        uri.path()
    )))
}

async fn topics(State(state): State<SandboxState>) -> Response {
    reply::json(StatusCode::OK, &Collection::of(state.topics().to_vec()))
}

async fn create(
    State(state): State<SandboxState>,
    Extension(identity): Extension<Identity>,
    Extension(ids): Extension<CallIds>,
    Path(locale): Path<String>,
    body: Bytes,
) -> Result<Response, ErrorReply> {
    validate::locale(&locale)?;
    let filing = validate::create_body(&body, state.topics())?;
    let sr = file(&state, identity, ids.request_id, None, filing).await?;
    Ok(reply::json(StatusCode::CREATED, &sr))
}

/// Stores a filing once per MS-RequestId: a resend gets the request the first call made. With
/// the support agent on, a new request is due its answer after the agent's delay.
pub(crate) async fn file(
    state: &SandboxState,
    identity: Identity,
    request_id: String,
    tenant: Option<String>,
    filing: Filing,
) -> Result<ServiceRequest, ErrorReply> {
    let topic = state.topic_facts(&filing.request.support_topic_id);
    let reply_due = state.agent_delay().map(|delay| {
        let delay = i64::try_from(delay.as_millis()).unwrap_or(i64::MAX);
        agent::now_ms().saturating_add(delay)
    });
    // What makes two creates the same call: the scope and everything the body asked for.
    let fingerprint = serde_json::to_string(&(&tenant, &filing.request, &filing.notes))
        .map_err(|e| ErrorReply::internal(format!("could not encode the filing: {e}")))?;
    let shown_id = request_id.clone();
    let filed = state
        .with_db(move |db| {
            db.file_once(
                &request_id,
                Some(&fingerprint),
                tenant.as_deref(),
                reply_due,
                |id| {
                    records::new_request(
                        id,
                        &filing.request,
                        &filing.notes,
                        &topic,
                        &identity,
                        &clock::now(),
                    )
                },
            )
        })
        .await?;
    match filed {
        Filed::New(sr) => {
            if let Some(due) = reply_due {
                state.schedule_due(due);
            }
            Ok(sr)
        }
        Filed::Replayed(sr) => Ok(sr),
        Filed::Reused => Err(reused(&shown_id)),
    }
}

/// 409 for an MS-RequestId sent again with another body (or for another request): the rule
/// of every write, create and update alike.
fn reused(request_id: &str) -> ErrorReply {
    let id: String = request_id.chars().filter(|c| !c.is_control()).take(64).collect();
    ErrorReply::conflict(format!(
        "MS-RequestId {id} was already used for a different call (another body or another service request); \
         a resend must repeat the call exactly, and a new call needs a new MS-RequestId"
    ))
}

async fn list_partner(
    State(state): State<SandboxState>,
    RawQuery(query): RawQuery,
) -> Result<Response, ErrorReply> {
    list(state, None, query).await
}

async fn list_customer(
    State(state): State<SandboxState>,
    Path(tenant): Path<String>,
    RawQuery(query): RawQuery,
) -> Result<Response, ErrorReply> {
    validate::tenant(&tenant)?;
    list(state, Some(tenant), query).await
}

async fn list(
    state: SandboxState,
    tenant: Option<String>,
    query: Option<String>,
) -> Result<Response, ErrorReply> {
    let params = validate::list_query(query.as_deref())?;
    let (scope, (status, offset, size)) = (tenant.clone(), (params.status, params.offset, params.size));
    let page = state
        .with_db(move |db| db.list(scope.as_deref(), status, offset, size))
        .await?;
    let base = match &tenant {
        None => "/servicerequests".to_string(),
        Some(t) => format!("/customers/{}/servicerequests", encode(t)),
    };
    let link = |offset: u32| {
        let mut uri = format!("{base}?size={size}&offset={offset}");
        if let Some(filter) = &params.filter {
            uri.push_str(&format!("&filter={}", encode(filter)));
        }
        Link {
            uri,
            method: Some("GET".into()),
            headers: Vec::new(),
        }
    };
    let links = Links {
        self_: Some(link(offset)),
        next: page.more.then(|| link(offset.saturating_add(size))),
        previous: None,
    };
    let collection = Collection {
        total_count: page.items.len() as u64,
        items: page.items,
        links: Some(links),
        attributes: Some(Attributes::of("Collection")),
    };
    Ok(reply::json(StatusCode::OK, &collection))
}

async fn get_partner(
    State(state): State<SandboxState>,
    Path(id): Path<String>,
) -> Result<Response, ErrorReply> {
    get_one(state, None, id).await
}

async fn get_customer(
    State(state): State<SandboxState>,
    Path((tenant, id)): Path<(String, String)>,
) -> Result<Response, ErrorReply> {
    validate::tenant(&tenant)?;
    get_one(state, Some(tenant), id).await
}

async fn get_one(state: SandboxState, tenant: Option<String>, id: String) -> Result<Response, ErrorReply> {
    let (scope, key) = (tenant.clone(), id.clone());
    match state.with_db(move |db| db.get(scope.as_deref(), &key)).await? {
        Some(sr) => Ok(reply::json(StatusCode::OK, &sr)),
        None => Err(missing(tenant.as_deref(), &id)),
    }
}

async fn update_partner(
    State(state): State<SandboxState>,
    Extension(identity): Extension<Identity>,
    Extension(ids): Extension<CallIds>,
    Path(id): Path<String>,
    body: Bytes,
) -> Result<Response, ErrorReply> {
    update(state, identity, ids, None, id, body).await
}

async fn update_customer(
    State(state): State<SandboxState>,
    Extension(identity): Extension<Identity>,
    Extension(ids): Extension<CallIds>,
    Path((tenant, id)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, ErrorReply> {
    validate::tenant(&tenant)?;
    update(state, identity, ids, Some(tenant), id, body).await
}

/// Applies an update once per MS-RequestId, like create: a retried PATCH (same id) gets the
/// first answer and adds no second note.
async fn update(
    state: SandboxState,
    identity: Identity,
    ids: CallIds,
    tenant: Option<String>,
    id: String,
    body: Bytes,
) -> Result<Response, ErrorReply> {
    let patch = validate::patch_body(&body)?;
    let fingerprint = serde_json::to_string(&patch)
        .map_err(|e| ErrorReply::internal(format!("could not encode the update: {e}")))?;
    let (scope, key) = (tenant.clone(), id.clone());
    let request_id = ids.request_id.clone();
    let outcome = state
        .with_db(move |db| {
            db.update_once(&request_id, Some(&fingerprint), scope.as_deref(), &key, |sr| {
                records::apply_patch(sr, &patch, &identity, &clock::now())
            })
        })
        .await?;
    match outcome {
        Updated::Applied(sr) | Updated::Replayed(sr) => Ok(reply::json(StatusCode::OK, &sr)),
        Updated::Missing => Err(missing(tenant.as_deref(), &id)),
        Updated::Reused => Err(reused(&ids.request_id)),
    }
}

fn missing(tenant: Option<&str>, id: &str) -> ErrorReply {
    let id: String = id.chars().filter(|c| !c.is_control()).take(64).collect();
    match tenant {
        None => ErrorReply::not_found(format!("service request {id} was not found")),
        Some(t) => {
            let t: String = t.chars().filter(|c| !c.is_control()).take(64).collect();
            ErrorReply::not_found(format!("service request {id} was not found for customer {t}"))
        }
    }
}

/// `POST /_sandbox/faults`: queues a fault for a sandbox running in another process.
async fn queue_fault(State(state): State<SandboxState>, body: Bytes) -> Result<Response, ErrorReply> {
    state.faults().push(faults::parse_control(&body)?);
    Ok(reply::json(
        StatusCode::ACCEPTED,
        &serde_json::json!({ "queued": state.faults().len() }),
    ))
}

/// `POST /_sandbox/customers/{tenant}/servicerequests`: files a request for a customer, which
/// the real API only lets the customer do; the customer routes need something to show.
async fn add_customer_request(
    State(state): State<SandboxState>,
    Extension(ids): Extension<CallIds>,
    Path(tenant): Path<String>,
    body: Bytes,
) -> Result<Response, ErrorReply> {
    validate::tenant(&tenant)?;
    let filing = validate::create_body(&body, state.topics())?;
    let identity = state.identity().clone();
    let sr = file(&state, identity, ids.request_id, Some(tenant), filing).await?;
    Ok(reply::json(StatusCode::CREATED, &sr))
}
