//! Support tickets: create by client-chosen name (long-running, idempotent for the same body),
//! read, list with `$top`/`$filter`/`nextLink`, and the flat PATCH.

use axum::http::StatusCode;
use axum::response::Response;
use serde_json::{Map, Value, json};
use time::OffsetDateTime;

use super::arm::{ArmError, json_response, printable};
use super::catalogue::Kind;
use super::store::{self, Put, Row};
use super::subscriptions::TicketScope;
use super::validate;
use super::{API_VERSION, operations};
use crate::api::client::encode;
use crate::sandbox::state::SandboxState;
use crate::sandbox::{agent, clock};

/// `$top` default and ceiling for tickets, as the Swagger gives them.
const TOP_DEFAULT: usize = 25;
const TOP_MAX: usize = 100;

/// Properties a create may carry and the ticket echoes back as sent.
const ECHOED: &[&str] = &[
    "title",
    "description",
    "serviceId",
    "problemClassificationId",
    "technicalTicketDetails",
    "quotaTicketDetails",
    "problemScopingQuestions",
    "problemStartTime",
    "secondaryConsent",
];

/// The store key of ticket `name` in `scope` (ARM ids are case-insensitive).
pub fn key(scope: &TicketScope, name: &str) -> String {
    format!("{}/supportTickets/{name}", scope.provider()).to_ascii_lowercase()
}

/// The ticket's resource id as the service spells it.
fn id(scope: &TicketScope, name: &str) -> String {
    format!("{}/supportTickets/{name}", scope.provider())
}

/// What the support plan rule says about a ticket of `kind` in `scope`.
fn plan_refusal(scope: &TicketScope, kind: Kind) -> Option<ArmError> {
    if !kind.needs_plan() {
        return None;
    }
    match &scope.subscription {
        None => Some(ArmError::bad_request(
            "SubscriptionRequired",
            "Technical support tickets are created for a subscription: use \
             /subscriptions/{subscriptionId}/providers/Microsoft.Support/supportTickets. Tickets without a \
             subscription are for billing and subscription management issues.",
        )),
        Some(sub) if !scope.plan().technical => Some(
            ArmError::bad_request(
                "SupportPlanRequired",
                format!(
                    "Technical support is not included in the {} support plan of subscription '{sub}'. \
                     Purchase a paid support plan (Developer, Standard, Professional Direct or Unified) to create \
                     technical support tickets; billing, subscription management and quota tickets need no plan.",
                    scope.plan().display
                ),
            )
            .with_detail("NoTechnicalSupportEntitlement", "The subscription has no technical support entitlement."),
        ),
        Some(_) => None,
    }
}

/// The service and classification GUID names a ticket's ids point at.
fn split_ids(props: &Map<String, Value>) -> Result<(String, String, String), ArmError> {
    let service_id = validate::text(props, "serviceId", "properties.serviceId")?;
    let pc_id = validate::text(
        props,
        "problemClassificationId",
        "properties.problemClassificationId",
    )?;
    let bad_service = || {
        ArmError::invalid(
            "properties.serviceId",
            format!("The service id '{}' is invalid.", printable(service_id)),
        )
    };
    let service = strip_ci(service_id, "/providers/Microsoft.Support/services/")
        .filter(|s| !s.is_empty() && !s.contains('/'))
        .ok_or_else(bad_service)?;
    let bad_pc = || {
        ArmError::invalid(
            "properties.problemClassificationId",
            format!("The problem classification id '{}' is invalid.", printable(pc_id)),
        )
    };
    let rest = strip_ci(pc_id, "/providers/Microsoft.Support/services/").ok_or_else(bad_pc)?;
    let (pc_service, pc) = rest.split_once('/').ok_or_else(bad_pc)?;
    let pc = strip_ci(pc, "problemClassifications/")
        .filter(|p| !p.is_empty() && !p.contains('/'))
        .ok_or_else(bad_pc)?;
    Ok((service.to_string(), pc_service.to_string(), pc.to_string()))
}

fn strip_ci<'a>(s: &'a str, prefix: &str) -> Option<&'a str> {
    (s.len() >= prefix.len()
        && s.is_char_boundary(prefix.len())
        && s[..prefix.len()].eq_ignore_ascii_case(prefix))
    .then(|| &s[prefix.len()..])
}

fn sla_minutes(severity: &str) -> i64 {
    match severity {
        "minimal" => 480,
        "moderate" => 240,
        _ => 60,
    }
}

fn support_ticket_id() -> String {
    let n = u64::from_le_bytes(uuid::Uuid::new_v4().as_bytes()[..8].try_into().unwrap_or([7; 8]));
    (100_000_000_000_000 + n % 900_000_000_000_000).to_string()
}

/// `PUT .../supportTickets/{name}`.
pub async fn create(
    state: &SandboxState,
    base: &str,
    scope: TicketScope,
    name: String,
    body: &[u8],
) -> Result<Response, ArmError> {
    validate::name(&name, "supportTicketName")?;
    let body = validate::object(body)?;
    let props = validate::properties(&body)?;
    validate::text(&props, "title", "properties.title")?;
    validate::text(&props, "description", "properties.description")?;
    let (service_name, pc_service, pc_name) = split_ids(&props)?;
    let (kind, service_display, pc_display) = {
        let catalogue = state.azure().catalogue();
        let service = catalogue.service(&service_name).ok_or_else(|| {
            ArmError::invalid(
                "properties.serviceId",
                format!(
                    "The service '{}' does not exist; list /providers/Microsoft.Support/services.",
                    printable(&service_name)
                ),
            )
        })?;
        let (pc_owner, pc) = catalogue.classification(&pc_service, &pc_name).ok_or_else(|| {
            ArmError::invalid(
                "properties.problemClassificationId",
                format!(
                    "The problem classification '{}' does not exist for service '{}'.",
                    printable(&pc_name),
                    printable(&pc_service)
                ),
            )
        })?;
        if pc_owner.name != service.name {
            return Err(ArmError::invalid(
                "properties.problemClassificationId",
                "The problem classification does not belong to the service given in serviceId.",
            ));
        }
        (service.kind, service.display.clone(), pc.display.clone())
    };
    let severity = validate::severity(props.get("severity"), "properties.severity")?;
    let consent = validate::consent(
        props.get("advancedDiagnosticConsent"),
        "properties.advancedDiagnosticConsent",
    )?;
    let contact = validate::contact(props.get("contactDetails"), &severity)?;
    let key = key(&scope, &name);
    if let Some(refusal) = plan_refusal(&scope, kind) {
        return operations::accepted(state, base, &scope.prefix(), key, Some(refusal)).await;
    }
    let reply_due = state
        .agent_delay()
        .map(|d| agent::now_ms().saturating_add(i64::try_from(d.as_millis()).unwrap_or(i64::MAX)));
    let fingerprint = Value::Object(props.clone());
    let plan = scope.plan();
    let ticket_id = id(&scope, &name);
    let make = move || {
        let now = OffsetDateTime::now_utc();
        let minutes = sla_minutes(&severity);
        let mut p = Map::new();
        for k in ECHOED {
            if let Some(v) = props.get(*k) {
                p.insert((*k).to_string(), v.clone());
            }
        }
        let extra = json!({
            "supportTicketId": support_ticket_id(),
            "problemClassificationDisplayName": pc_display,
            "severity": severity,
            "require24X7Response": props.get("require24X7Response").and_then(Value::as_bool).unwrap_or(false),
            "advancedDiagnosticConsent": consent,
            "supportPlanId": props.get("supportPlanId").and_then(Value::as_str).unwrap_or(plan.id),
            "fileWorkspaceName": props.get("fileWorkspaceName").and_then(Value::as_str).unwrap_or(&name),
            "contactDetails": contact,
            "serviceLevelAgreement": {
                "startTime": clock::iso(now),
                "expirationTime": clock::iso(now + time::Duration::minutes(minutes)),
                "slaMinutes": minutes,
            },
            "supportEngineer": { "emailAddress": null },
            "supportPlanType": plan.kind,
            "supportPlanDisplayName": plan.display,
            "serviceDisplayName": service_display,
            "status": "Open",
            "createdDate": clock::iso(now),
            "modifiedDate": clock::iso(now),
        });
        if let Value::Object(extra) = extra {
            p.extend(extra);
        }
        json!({
            "id": ticket_id,
            "name": name,
            "type": "Microsoft.Support/supportTickets",
            "properties": p,
        })
    };
    let row_key = key.clone();
    let parent = scope.prefix().to_ascii_lowercase();
    let put = super::routes::db(state, move |db| {
        store::put_once(
            db,
            &Row {
                key: &row_key,
                kind: "ticket",
                parent: &parent,
                fingerprint: &fingerprint,
                reply_due,
            },
            make,
        )
    })
    .await?;
    match put {
        Put::New(_) => operations::accepted(state, base, &scope.prefix(), key, None).await,
        Put::Same(ticket) => Ok(json_response(StatusCode::OK, &ticket)),
        Put::Other(ticket) => Err(ArmError::new(
            StatusCode::CONFLICT,
            "Conflict",
            format!(
                "A support ticket named '{}' already exists with different details. Send the same request to get it, \
                 or choose another name for a new ticket.",
                printable(ticket["name"].as_str().unwrap_or(""))
            ),
        )),
    }
}

/// The ticket `name` in `scope`, or 404.
pub async fn fetch(state: &SandboxState, scope: &TicketScope, name: &str) -> Result<Value, ArmError> {
    let k = key(scope, name);
    super::routes::db(state, move |db| store::get(db, &k))
        .await?
        .ok_or_else(|| ArmError::not_found("Microsoft.Support/supportTickets", name))
}

/// `GET .../supportTickets/{name}`.
pub async fn get(state: &SandboxState, scope: TicketScope, name: String) -> Result<Response, ArmError> {
    Ok(json_response(StatusCode::OK, &fetch(state, &scope, &name).await?))
}

/// Query of a list route: `$top`, `$filter`, `$skipToken`.
pub struct TicketListQuery {
    top: Option<String>,
    filter: Option<String>,
    skip: usize,
}

impl TicketListQuery {
    /// Reads the raw query.
    pub fn read(raw: Option<&str>) -> Result<TicketListQuery, ArmError> {
        let pairs = raw.map(super::arm::url_pairs).unwrap_or_default();
        let find = |k: &str| {
            pairs
                .iter()
                .find(|(n, _)| n.eq_ignore_ascii_case(k))
                .map(|(_, v)| v.clone())
        };
        let skip = match find("$skipToken") {
            None => 0,
            Some(t) => t.trim().parse().map_err(|_| {
                ArmError::bad_request(
                    "InvalidQueryParameterValue",
                    "The continuation token ($skipToken) is invalid.",
                )
            })?,
        };
        Ok(TicketListQuery {
            top: find("$top"),
            filter: find("$filter"),
            skip,
        })
    }
}

/// One page of `items` with `nextLink` when more follow: absolute, same host, carrying the
/// api-version, `$top`, `$filter` and the continuation token.
pub fn page(items: Vec<Value>, query: &TicketListQuery, top: usize, base: &str, path: &str) -> Value {
    let total = items.len();
    let value: Vec<Value> = items.into_iter().skip(query.skip).take(top).collect();
    let mut out = json!({ "value": value });
    let next = query.skip.saturating_add(top);
    if next < total {
        let mut link = format!("{base}{path}?api-version={API_VERSION}&$top={top}");
        if let Some(f) = &query.filter {
            link.push_str(&format!("&$filter={}", encode(f)));
        }
        link.push_str(&format!("&$skipToken={next}"));
        out["nextLink"] = json!(link);
    }
    out
}

/// `GET .../supportTickets`.
pub async fn list(
    state: &SandboxState,
    base: &str,
    scope: TicketScope,
    raw: Option<&str>,
) -> Result<Response, ArmError> {
    let query = TicketListQuery::read(raw)?;
    let top = validate::top(query.top.as_deref(), TOP_DEFAULT, TOP_MAX)?;
    let clauses = validate::filter(
        query.filter.as_deref(),
        &["status", "serviceid", "problemclassificationid"],
    )?;
    let parent = scope.prefix().to_ascii_lowercase();
    let mut items = super::routes::db(state, move |db| store::list(db, "ticket", &parent)).await?;
    items.reverse();
    let fields = [
        ("status", "status"),
        ("serviceid", "serviceId"),
        ("problemclassificationid", "problemClassificationId"),
    ];
    items.retain(|t| validate::matches(t, &clauses, &fields));
    let path = format!("{}/supportTickets", scope.provider());
    Ok(json_response(
        StatusCode::OK,
        &page(items, &query, top, base, &path),
    ))
}

const PATCHABLE: &[&str] = &[
    "severity",
    "status",
    "contactDetails",
    "advancedDiagnosticConsent",
    "secondaryConsent",
];

/// `PATCH .../supportTickets/{name}` with the flat UpdateSupportTicket body.
pub async fn update(
    state: &SandboxState,
    scope: TicketScope,
    name: String,
    body: &[u8],
) -> Result<Response, ArmError> {
    let patch = validate::object(body)?;
    if patch.contains_key("properties") {
        return Err(ArmError::invalid(
            "properties",
            "An update takes its fields flat (severity, status, contactDetails, advancedDiagnosticConsent, \
             secondaryConsent), not inside 'properties'.",
        ));
    }
    if let Some(k) = patch.keys().find(|k| !PATCHABLE.contains(&k.as_str())) {
        return Err(ArmError::invalid(
            k,
            format!("The property '{}' cannot be updated.", printable(k)),
        ));
    }
    if patch.is_empty() {
        return Err(ArmError::bad_request(
            "InvalidRequestContent",
            "The update names nothing to change.",
        ));
    }
    let k = key(&scope, &name);
    let outcome = super::routes::db(state, move |db| {
        store::update(db, &k, |ticket| apply(ticket, &patch))
    })
    .await?;
    match outcome {
        None => Err(ArmError::not_found("Microsoft.Support/supportTickets", &name)),
        Some(Err(e)) => Err(e),
        Some(Ok(ticket)) => Ok(json_response(StatusCode::OK, &ticket)),
    }
}

fn apply(ticket: &mut Value, patch: &Map<String, Value>) -> Result<Value, ArmError> {
    let props = &mut ticket["properties"];
    let mut severity = props["severity"].as_str().unwrap_or("moderate").to_string();
    if patch.contains_key("severity") {
        let wanted = validate::severity(patch.get("severity"), "severity")?;
        let engineer = props["supportEngineer"]["emailAddress"].is_string();
        if engineer && wanted != severity {
            return Err(ArmError::bad_request(
                "SeverityUpdateNotAllowed",
                "The severity cannot be changed while a support engineer is working on the ticket. Add a \
                 communication to ask the engineer to change it.",
            ));
        }
        severity = wanted;
    }
    let mut contact = props["contactDetails"].as_object().cloned().unwrap_or_default();
    if let Some(c) = patch.get("contactDetails") {
        let Value::Object(c) = c else {
            return Err(ArmError::invalid(
                "contactDetails",
                "The 'contactDetails' must be an object.",
            ));
        };
        for (k, v) in c {
            contact.insert(k.clone(), v.clone());
        }
    }
    validate::check_contact(&contact, &severity)?;
    if let Some(s) = patch.get("status") {
        let status = match s.as_str().map(str::to_ascii_lowercase).as_deref() {
            Some("open") => "Open",
            Some("closed") => "Closed",
            _ => {
                return Err(ArmError::invalid(
                    "status",
                    "The status must be 'open' or 'closed'.",
                ));
            }
        };
        props["status"] = json!(status);
    }
    if patch.contains_key("advancedDiagnosticConsent") {
        props["advancedDiagnosticConsent"] = json!(validate::consent(
            patch.get("advancedDiagnosticConsent"),
            "advancedDiagnosticConsent"
        )?);
    }
    if let Some(sc) = patch.get("secondaryConsent") {
        props["secondaryConsent"] = sc.clone();
    }
    props["severity"] = json!(severity);
    props["contactDetails"] = Value::Object(contact);
    props["modifiedDate"] = json!(clock::now());
    Ok(ticket.clone())
}

/// `POST .../checkNameAvailability` for tickets (`type` Microsoft.Support/supportTickets) or,
/// under a ticket, communications.
pub async fn check_name(
    state: &SandboxState,
    scope: TicketScope,
    ticket: Option<String>,
    body: &[u8],
) -> Result<Response, ArmError> {
    let body = validate::object(body)?;
    let name = validate::text(&body, "name", "name")?.to_string();
    let kind = body.get("type").and_then(Value::as_str).unwrap_or("");
    let key = match &ticket {
        None if kind.eq_ignore_ascii_case("Microsoft.Support/supportTickets") => key(&scope, &name),
        Some(t) if kind.eq_ignore_ascii_case("Microsoft.Support/communications") => {
            fetch(state, &scope, t).await?;
            format!("{}/communications/{name}", key(&scope, t)).to_ascii_lowercase()
        }
        _ => {
            let wanted = if ticket.is_some() {
                "Microsoft.Support/communications"
            } else {
                "Microsoft.Support/supportTickets"
            };
            return Err(ArmError::invalid("type", format!("The type must be '{wanted}'.")));
        }
    };
    let taken = super::routes::db(state, move |db| store::get(db, &key))
        .await?
        .is_some();
    let answer = if taken {
        json!({ "nameAvailable": false, "reason": "Name is already in use", "message": "Name not available" })
    } else {
        json!({ "nameAvailable": true })
    };
    Ok(json_response(StatusCode::OK, &answer))
}
