//! The Azure client against a test server that answers every Microsoft.Support route (and
//! `GET /subscriptions`) with the Swagger's own examples (tests/fixtures/azure, see its README):
//! what the examples carry must come out of the client's every public route as domain values,
//! and what the client sends must be the examples' request bodies.
//!
//! What the server adds to the examples, and why:
//! - ticket list paging: the example list has no `nextLink`, so the first page holds the
//!   example's first ticket and a `nextLink` back to the server, the second page the rest;
//! - the 202 variant of the creates: the examples give the 202's `azure-asyncoperation` and
//!   `location` headers but no operation document, so the operation answers
//!   `{"status": "Succeeded"}`, and the created resource then reads as the example's 200 body;
//!   the 202 says `Retry-After: 0` (the examples give none, and without it a client waits its
//!   own default between polls, 5 s for ours, which only slows the suite);
//! - links: `https://management.azure.com` in the examples is rewritten to this server (the
//!   client follows links only to its own host); `GET /subscriptions`'s placeholder
//!   `"nextLink": "..."` is left out.
//!
//! Routes are served under `/subscriptions/{sub}` with the `*ForSubscription` examples, and at
//! tenant level where an example exists there (create, close, the conversation). Where a
//! request body cannot equal the example's, the test says why: the upload example's base64 is
//! cut short (see `lenient_base64`), and the technical create example carries fields a
//! `NewTicket` does not and a `serviceId` of another service than its classification's.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use serde_json::{Value, json};

use pcsr_tui::api::StaticToken;
use pcsr_tui::azure::{AzureClient, AzureConfig, CreateExtras};
use pcsr_tui::domain::{Contact, ContactMethod, Direction, NewTicket, Severity, Status};

/// The subscription most of the examples are written for.
const SUB: &str = "132d901f-189d-4381-9214-fe68e27e05a1";
const ARM: &str = "https://management.azure.com";
const TOKEN: &str = "example-token";

fn example(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/azure/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// One request the server answered.
#[derive(Debug, Clone)]
struct Seen {
    method: String,
    path: String,
    query: String,
    authorization: Option<String>,
    body: Option<Value>,
}

#[derive(Clone)]
struct Served {
    base: String,
    seen: Arc<Mutex<Vec<Seen>>>,
    /// Creates answer 202 and are followed to the end (else 200 at once).
    long_running: bool,
}

struct ExampleServer {
    base_url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
    _task: tokio::task::JoinHandle<()>,
}

impl ExampleServer {
    async fn start(long_running: bool) -> ExampleServer {
        // The client's HTTP stack needs the process's TLS provider, even for http://.
        pcsr_tui::tls::install_provider();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base_url = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let served = Served {
            base: base_url.clone(),
            seen: seen.clone(),
            long_running,
        };
        let app =
            axum::Router::new().fallback(move |method: Method, uri: Uri, headers: HeaderMap, body: Bytes| {
                let served = served.clone();
                async move { served.answer(method, uri, headers, body) }
            });
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        ExampleServer {
            base_url,
            seen,
            _task: task,
        }
    }

    fn client(&self, subscription: Option<&str>) -> AzureClient {
        let mut config = AzureConfig::new(&self.base_url).unwrap();
        config.subscription = subscription.map(str::to_string);
        config.max_wait = Duration::ZERO;
        config.poll_wait = Duration::ZERO;
        AzureClient::new(config, Arc::new(StaticToken(TOKEN.into()))).unwrap()
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }

    /// An example part as this server serves it (its links pointing here).
    fn here_of(&self, v: &Value) -> Value {
        let text = serde_json::to_string(v).unwrap().replace(ARM, &self.base_url);
        serde_json::from_str(&text).unwrap()
    }

    /// Forgets what was seen, so the next call's requests stand alone.
    fn take(&self) -> Vec<Seen> {
        std::mem::take(&mut *self.seen.lock().unwrap())
    }
}

/// Whether `path`'s segments fit `pattern`'s, where `{x}` fits any one segment.
fn fits(pattern: &str, path: &str) -> bool {
    let p: Vec<&str> = pattern.trim_matches('/').split('/').collect();
    let s: Vec<&str> = path.trim_matches('/').split('/').collect();
    p.len() == s.len()
        && p.iter()
            .zip(&s)
            .all(|(p, s)| (p.starts_with('{') && !s.is_empty()) || p == s)
}

impl Served {
    /// Text of an example part with its links pointing here.
    fn here(&self, v: &Value) -> Value {
        let text = serde_json::to_string(v).unwrap().replace(ARM, &self.base);
        serde_json::from_str(&text).unwrap()
    }

    fn json(status: u16, body: &Value) -> Response {
        (
            StatusCode::from_u16(status).unwrap(),
            [("content-type", "application/json; charset=utf-8")],
            serde_json::to_vec(body).unwrap(),
        )
            .into_response()
    }

    /// The example's answer of that status: its headers (links pointing here) and its body.
    fn example(&self, file: &str, status: u16) -> Response {
        let ex = example(file);
        let answer = &ex["responses"][status.to_string()];
        assert!(!answer.is_null(), "{file} has no {status} answer");
        let mut response = match answer.get("body") {
            Some(body) => Self::json(status, &self.here(body)),
            None => StatusCode::from_u16(status).unwrap().into_response(),
        };
        if status == 202 {
            response
                .headers_mut()
                .insert("retry-after", axum::http::HeaderValue::from_static("0"));
        }
        if let Some(headers) = answer.get("headers").and_then(Value::as_object) {
            for (name, value) in headers {
                let value = value.as_str().unwrap().replace(ARM, &self.base);
                response.headers_mut().insert(
                    axum::http::HeaderName::from_bytes(name.as_bytes()).unwrap(),
                    value.parse().unwrap(),
                );
            }
        }
        response
    }

    fn body_of(file: &str, status: u16) -> Value {
        example(file)["responses"][status.to_string()]["body"].clone()
    }

    fn answer(&self, method: Method, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
        let path = uri.path().to_string();
        let query = uri.query().unwrap_or("").to_string();
        let body_value = (!body.is_empty()).then(|| serde_json::from_slice::<Value>(&body).unwrap());
        self.seen.lock().unwrap().push(Seen {
            method: method.to_string(),
            path: path.clone(),
            query: query.clone(),
            authorization: headers
                .get("authorization")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string),
            body: body_value.clone(),
        });
        let sub = "/subscriptions/{sub}/providers/Microsoft.Support";
        let is = |pattern: &str| fits(pattern, &path);
        let m = method.as_str();
        match m {
            "GET" if path == "/subscriptions" => {
                let mut list = Self::body_of("GetSubscriptions.json", 200);
                // The example's nextLink is the placeholder "...", not a link.
                list.as_object_mut().unwrap().remove("nextLink");
                Self::json(200, &list)
            }
            "GET" if is("/providers/Microsoft.Support/services") => self.example("ListServices.json", 200),
            "GET" if is("/providers/Microsoft.Support/services/{s}") => self.example("GetService.json", 200),
            "GET" if is("/providers/Microsoft.Support/services/{s}/problemClassifications") => {
                self.example("ListProblemClassifications.json", 200)
            }
            "GET" if is("/providers/Microsoft.Support/services/{s}/problemClassifications/{pc}") => {
                self.example("GetProblemClassification.json", 200)
            }
            "POST" if is(&format!("{sub}/checkNameAvailability")) => {
                self.example("CheckNameAvailabilityWithSubscription.json", 200)
            }
            "POST" if is(&format!("{sub}/supportTickets/{{t}}/checkNameAvailability")) => {
                self.example("CheckNameAvailabilityForSupportTicketCommunication.json", 200)
            }
            "GET" if is(&format!("{sub}/supportTickets")) => {
                // One ticket a page, the second page behind a nextLink.
                let list = Self::body_of("ListSupportTicketsBySubscription.json", 200);
                let value = list["value"].as_array().unwrap();
                if query.contains("skiptoken=2") {
                    Self::json(200, &json!({ "value": value[1..] }))
                } else {
                    let next = format!("{}{path}?api-version=2024-04-01&%24skiptoken=2", self.base);
                    Self::json(200, &json!({ "value": [value[0]], "nextLink": next }))
                }
            }
            "PUT" if is(&format!("{sub}/supportTickets/{{t}}")) => {
                let file = "CreateBillingSupportTicketForSubscription.json";
                self.example(file, if self.long_running { 202 } else { 200 })
            }
            "GET" if is(&format!("{sub}/supportTickets/{{t}}")) => {
                if self.long_running {
                    // The ticket the create made.
                    self.example("CreateBillingSupportTicketForSubscription.json", 200)
                } else {
                    self.example("GetSubscriptionSupportTicketDetails.json", 200)
                }
            }
            "PATCH" if is(&format!("{sub}/supportTickets/{{t}}")) => {
                let sent = body_value.unwrap_or(Value::Null);
                if sent.get("status").is_some() {
                    self.example("UpdateStatusOfSupportTicketForSubscription.json", 200)
                } else if sent.get("severity").is_some() {
                    self.example("UpdateSeverityOfSupportTicketForSubscription.json", 200)
                } else {
                    Self::json(
                        400,
                        &json!({"error": {"code": "NotInExamples", "message": "no such PATCH"}}),
                    )
                }
            }
            "GET" if is(&format!("{sub}/supportTickets/{{t}}/communications")) => {
                self.example("ListCommunicationsForSubscriptionSupportTicket.json", 200)
            }
            "PUT" if is(&format!("{sub}/supportTickets/{{t}}/communications/{{c}}")) => {
                let file = "CreateSupportTicketCommunication.json";
                self.example(file, if self.long_running { 202 } else { 200 })
            }
            "GET" if is(&format!("{sub}/supportTickets/{{t}}/communications/{{c}}")) => {
                if self.long_running {
                    self.example("CreateSupportTicketCommunication.json", 200)
                } else {
                    self.example("GetCommunicationDetailsForSubscriptionSupportTicket.json", 200)
                }
            }
            "GET" if is(&format!("{sub}/operationsStatus/{{op}}")) => {
                let op = path.rsplit('/').next().unwrap_or("");
                Self::json(200, &json!({ "name": op, "status": "Succeeded" }))
            }
            "PUT" if is(&format!("{sub}/fileWorkspaces/{{ws}}")) => {
                self.example("CreateFileWorkspaceForSubscription.json", 201)
            }
            "GET" if is(&format!("{sub}/fileWorkspaces/{{ws}}")) => {
                self.example("GetFileWorkspaceDetailsForSubscription.json", 200)
            }
            "GET" if is(&format!("{sub}/fileWorkspaces/{{ws}}/files")) => {
                self.example("ListFilesForSubscriptionUnderFileWorkspace.json", 200)
            }
            "PUT" if is(&format!("{sub}/fileWorkspaces/{{ws}}/files/{{f}}")) => {
                self.example("CreateFileForSubscription.json", 201)
            }
            "GET" if is(&format!("{sub}/fileWorkspaces/{{ws}}/files/{{f}}")) => {
                self.example("GetFileDetailsForSubscription.json", 200)
            }
            "POST" if is(&format!("{sub}/fileWorkspaces/{{ws}}/files/{{f}}/upload")) => {
                self.example("UploadFileForSubscription.json", 204)
            }
            // Tenant level (no subscription): the routes the examples cover there.
            "PUT" if is("/providers/Microsoft.Support/supportTickets/{t}") => {
                let file = "CreateTechnicalSupportTicket.json";
                self.example(file, if self.long_running { 202 } else { 200 })
            }
            "GET" if self.long_running && is("/providers/Microsoft.Support/supportTickets/{t}") => {
                self.example("CreateTechnicalSupportTicket.json", 200)
            }
            "PATCH" if is("/providers/Microsoft.Support/supportTickets/{t}") => {
                self.example("UpdateStatusOfSupportTicket.json", 200)
            }
            "GET" if is("/providers/Microsoft.Support/supportTickets/{t}/communications") => {
                self.example("ListCommunicationsForSupportTicket.json", 200)
            }
            "GET" if is("/providers/Microsoft.Support/operationsStatus/{op}") => {
                Self::json(200, &json!({ "status": "Succeeded" }))
            }
            _ => Self::json(
                404,
                &json!({"error": {"code": "NotInExamples", "message": format!("{m} {path}")}}),
            ),
        }
    }
}

/// The one request of `seen` with this method whose path ends so.
fn one<'a>(seen: &'a [Seen], method: &str, path_end: &str) -> &'a Seen {
    let found: Vec<&Seen> = seen
        .iter()
        .filter(|s| s.method == method && s.path.ends_with(path_end))
        .collect();
    assert_eq!(found.len(), 1, "one {method} …{path_end} in {seen:#?}");
    found[0]
}

/// The billing example's ticket, as a user fills it in.
fn billing_ticket() -> NewTicket {
    let ex = example("CreateBillingSupportTicketForSubscription.json");
    let p = &ex["parameters"]["createSupportTicketParameters"]["properties"];
    let c = &p["contactDetails"];
    let s = |v: &Value| v.as_str().unwrap().to_string();
    NewTicket {
        title: s(&p["title"]),
        description: s(&p["description"]),
        severity: Severity::parse(p["severity"].as_str().unwrap()),
        topic_id: s(&p["problemClassificationId"]),
        contact: Some(Box::new(Contact {
            first_name: s(&c["firstName"]),
            last_name: s(&c["lastName"]),
            email: s(&c["primaryEmailAddress"]),
            method: ContactMethod::Email,
            time_zone: s(&c["preferredTimeZone"]),
            country: s(&c["country"]),
            language: s(&c["preferredSupportLanguage"]),
            ..Contact::default()
        })),
        diagnostic_consent: Some(p["advancedDiagnosticConsent"] == "Yes"),
        resource_id: None,
        name: None,
    }
}

fn billing_extras() -> CreateExtras {
    let ex = example("CreateBillingSupportTicketForSubscription.json");
    let p = &ex["parameters"]["createSupportTicketParameters"]["properties"];
    CreateExtras {
        file_workspace_name: p["fileWorkspaceName"].as_str().map(str::to_string),
        support_plan_id: p["supportPlanId"].as_str().map(str::to_string),
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn the_catalogue_and_subscriptions_read_as_the_examples_say() {
    let server = ExampleServer::start(false).await;
    let azure = server.client(Some(SUB));

    let services = azure.services().await.unwrap();
    let names: Vec<&str> = services.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names.len(), 7);
    assert_eq!(names[0], "Billing");
    assert_eq!(names[5], "Virtual Machine running Linux");
    assert_eq!(
        services[0].id,
        "/providers/Microsoft.Support/services/service_guid_1"
    );

    let service = azure.service("service_guid").await.unwrap();
    assert_eq!(service.id, "/providers/Microsoft.Support/services/service_guid");
    assert_eq!(service.name, "Virtual Machine running Windows");

    let issues = azure.classifications(&service).await.unwrap();
    assert_eq!(issues.len(), 4);
    assert_eq!(issues[0].name, "Reservation Management / Exchanges and Refunds");
    assert_eq!(
        issues[0].id,
        "/providers/Microsoft.Support/services/service_guid/problemClassifications/problemClassification_guid_1"
    );
    assert_eq!(issues[0].parent_id.as_deref(), Some(service.id.as_str()));
    assert_eq!(issues[3].name, "Other General Billing Questions");

    let one_issue = azure
        .classification(&service, "problemClassification_guid")
        .await
        .unwrap();
    assert_eq!(one_issue.name, "Reservation Management / Exchanges and Refunds");
    assert_eq!(
        one_issue.parent_name.as_deref(),
        Some("Virtual Machine running Windows")
    );

    let subs = azure.subscriptions().await.unwrap();
    let shown: Vec<(Option<&str>, Option<&str>, Option<&str>)> = subs
        .iter()
        .map(|s| {
            (
                s.subscription_id.as_deref(),
                s.display_name.as_deref(),
                s.state.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        shown,
        [
            (
                Some("291bba3f-e0a5-47bc-a099-3bdcb2a50a05"),
                Some("Example Subscription"),
                Some("Enabled")
            ),
            (
                Some("72ac930a-f34e-42d8-b06d-dc2a9e12ed71"),
                Some("Example Subscription2"),
                Some("Enabled")
            ),
        ]
    );
    assert_eq!(
        subs[0].tenant_id.as_deref(),
        Some("31c75423-32d6-4322-88b7-c478bdde4858")
    );

    // Every call carried the sign-in and its api-version; the catalogue is tenant-wide.
    let seen = server.seen();
    assert_eq!(seen.len(), 5, "{seen:#?}");
    for s in &seen {
        assert_eq!(s.authorization.as_deref(), Some("Bearer example-token"), "{s:?}");
        let version = if s.path == "/subscriptions" {
            "api-version=2022-12-01"
        } else {
            "api-version=2024-04-01"
        };
        assert!(s.query.contains(version), "{s:?}");
        assert!(
            s.path == "/subscriptions" || s.path.starts_with("/providers/Microsoft.Support/services"),
            "{s:?}"
        );
    }
    assert_eq!(
        one(&seen, "GET", "/problemClassifications/problemClassification_guid").path,
        "/providers/Microsoft.Support/services/service_guid/problemClassifications/problemClassification_guid"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn tickets_and_their_conversation_read_and_send_as_the_examples_say() {
    let server = ExampleServer::start(false).await;
    let azure = server.client(Some(SUB));
    let root = format!("/subscriptions/{SUB}/providers/Microsoft.Support");

    // checkNameAvailability, for a ticket and for a communication.
    let check = azure.check_ticket_name("sampleName").await.unwrap();
    assert!(!check.available);
    assert_eq!(check.reason.as_deref(), Some("Name is already in use"));
    assert_eq!(check.message.as_deref(), Some("Name not available"));
    let seen = server.take();
    assert_eq!(seen[0].path, format!("{root}/checkNameAvailability"));
    assert_eq!(
        seen[0].body.as_ref(),
        Some(
            &example("CheckNameAvailabilityWithSubscription.json")["parameters"]["checkNameAvailabilityInput"]
        )
    );
    let check = azure.check_note_name("testticket", "sampleName").await.unwrap();
    assert!(!check.available);
    let seen = server.take();
    assert_eq!(
        seen[0].path,
        format!("{root}/supportTickets/testticket/checkNameAvailability")
    );
    assert_eq!(
        seen[0].body.as_ref(),
        Some(
            &example("CheckNameAvailabilityForSupportTicketCommunication.json")["parameters"]["checkNameAvailabilityInput"]
        )
    );

    // Create: the body is the example's, whole; the answer its 200.
    let filed = azure
        .create_with("testticket", &billing_ticket(), &billing_extras())
        .await
        .unwrap();
    let seen = server.take();
    assert_eq!(seen.len(), 1, "answered 200 at once: {seen:#?}");
    assert_eq!(seen[0].path, format!("{root}/supportTickets/testticket"));
    assert_eq!(
        seen[0].body.as_ref(),
        Some(
            &example("CreateBillingSupportTicketForSubscription.json")["parameters"]["createSupportTicketParameters"]
        )
    );
    assert_eq!(filed.id.as_deref(), Some("testticket"));
    assert_eq!(filed.number.as_deref(), Some("119120321001170"));
    assert_eq!(filed.title.as_deref(), Some("my title"));
    assert_eq!(filed.severity, Some(Severity::Moderate));
    assert_eq!(filed.status, Some(Status::Open));
    assert_eq!(filed.topic.name.as_deref(), Some("Refund request"));
    assert_eq!(filed.topic.parent_name.as_deref(), Some("Billing"));
    assert_eq!(
        filed.as_sent,
        Served::body_of("CreateBillingSupportTicketForSubscription.json", 200)
    );

    // Get.
    let got = azure.get_ticket("testticket").await.unwrap();
    assert_eq!(got.number.as_deref(), Some("118032014183770"));
    assert_eq!(got.title.as_deref(), Some("Test - please ignore"));
    assert_eq!(got.severity, Some(Severity::Minimal));
    assert_eq!(got.status, Some(Status::Open));
    assert_eq!(got.topic.parent_name.as_deref(), Some("Subscription management"));
    assert_eq!(
        got.topic.name.as_deref(),
        Some("Add or Edit VAT, TAX ID, or PO Number")
    );
    assert_eq!(
        got.contact.as_ref().map(|c| c.full_name()).as_deref(),
        Some("abc xyz")
    );

    // List, over two pages.
    server.take();
    let first = azure.list(&Default::default()).await.unwrap();
    assert_eq!(first.tickets.len(), 1);
    let next = first.next.clone().expect("a nextLink");
    assert!(next.starts_with(&server.base_url), "{next}");
    let second = azure.list_page(&next).await.unwrap();
    assert_eq!(second.next, None);
    let listed: Vec<(Option<&str>, Option<&str>, Option<Severity>)> = first
        .tickets
        .iter()
        .chain(&second.tickets)
        .map(|t| (t.id.as_deref(), t.number.as_deref(), t.severity))
        .collect();
    assert_eq!(
        listed,
        [
            (
                Some("testticket"),
                Some("119120321001170"),
                Some(Severity::Moderate)
            ),
            (
                Some("testticket2"),
                Some("118032014183771"),
                Some(Severity::Minimal)
            ),
        ]
    );
    assert_eq!(
        first.tickets[0].topic.text().as_deref(),
        Some(
            "Virtual Machine running Linux / Connectivity / Cannot connect to virtual machine by using RDP or SSH"
        )
    );
    assert_eq!(server.take().len(), 2);

    // Update: close, and a new severity (PATCH bodies as the examples').
    let closed = azure.close("testticket").await.unwrap();
    assert_eq!(closed.status, Some(Status::Closed));
    let severe = azure
        .update_severity("testticket", Severity::Critical, None)
        .await
        .unwrap();
    assert_eq!(severe.severity, Some(Severity::Critical));
    let seen = server.take();
    assert_eq!(seen.len(), 2);
    assert!(seen.iter().all(|s| s.method == "PATCH"));
    assert_eq!(
        seen[0].body.as_ref(),
        Some(
            &example("UpdateStatusOfSupportTicketForSubscription.json")["parameters"]["updateSupportTicket"]
        )
    );
    assert_eq!(
        seen[1].body.as_ref(),
        Some(
            &example("UpdateSeverityOfSupportTicketForSubscription.json")["parameters"]["updateSupportTicket"]
        )
    );

    // The conversation: list, add, get one.
    let notes = azure.notes("testticket").await.unwrap();
    let read: Vec<(Option<&str>, Option<&str>, Direction)> = notes
        .iter()
        .map(|n| (n.author.as_deref(), n.text.as_deref(), n.direction))
        .collect();
    assert_eq!(
        read,
        [
            (
                Some("user@contoso.com"),
                Some("this is a test message"),
                Direction::Outbound
            ),
            (Some("user@contoso.com"), Some("test"), Direction::Outbound),
        ]
    );
    let sent = example("CreateSupportTicketCommunication.json");
    let p = &sent["parameters"]["createCommunicationParameters"]["properties"];
    let note = azure
        .add_note_from(
            "testticket",
            "testcommunication",
            p["subject"].as_str().unwrap(),
            p["body"].as_str().unwrap(),
            p["sender"].as_str(),
        )
        .await
        .unwrap();
    assert_eq!(note.id.as_deref(), Some("testcommunication"));
    assert_eq!(
        note.subject.as_deref(),
        Some("This is a test message from a customer!")
    );
    assert_eq!(note.author.as_deref(), Some("user@contoso.com"));
    assert_eq!(note.direction, Direction::Outbound);
    let one_note = azure.get_note("testticket", "testmessage").await.unwrap();
    assert_eq!(one_note.id.as_deref(), Some("testmessage"));
    assert_eq!(one_note.text.as_deref(), Some("this is a test message"));
    let seen = server.take();
    assert_eq!(
        one(
            &seen,
            "PUT",
            "/supportTickets/testticket/communications/testcommunication"
        )
        .body
        .as_ref(),
        Some(&sent["parameters"]["createCommunicationParameters"])
    );
    one(
        &seen,
        "GET",
        "/supportTickets/testticket/communications/testmessage",
    );
    assert!(
        one(&seen, "GET", "/supportTickets/testticket/communications")
            .query
            .contains("%24top=10"),
        "{seen:#?}"
    );
}

/// The bytes of a base64 text as the service reads it. The upload example's `content` is 135
/// characters: cut short, without its `=` padding and with stray bits in its last character,
/// so a strict decoder refuses it and no encoder writes it.
fn lenient_base64(text: &Value) -> Vec<u8> {
    let engine = base64::engine::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent)
            .with_decode_allow_trailing_bits(true),
    );
    engine.decode(text.as_str().unwrap()).unwrap()
}

/// `sent` is the example's upload body: the same keys and chunk index, and content of the same
/// bytes, written as standard (padded) base64. Byte for byte equality of the text cannot hold
/// (see [`lenient_base64`]).
fn assert_same_chunk(sent: Option<&Value>, example: &Value) {
    let sent = sent.expect("an upload body");
    let keys = |v: &Value| v.as_object().unwrap().keys().cloned().collect::<Vec<_>>();
    assert_eq!(keys(sent), keys(example));
    assert_eq!(sent["chunkIndex"], example["chunkIndex"]);
    let bytes = lenient_base64(&example["content"]);
    assert_eq!(lenient_base64(&sent["content"]), bytes);
    assert_eq!(
        sent["content"],
        base64::engine::general_purpose::STANDARD.encode(&bytes)
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn file_workspaces_files_and_uploads_read_and_send_as_the_examples_say() {
    let server = ExampleServer::start(false).await;
    let azure = server.client(Some(SUB));
    let root = format!("/subscriptions/{SUB}/providers/Microsoft.Support/fileWorkspaces");

    let made = azure.create_workspace("testworkspace").await.unwrap();
    assert_eq!(made.name, "testworkspace");
    assert_eq!(made.created.as_deref(), Some("2022-08-24T20:18:19Z"));
    assert_eq!(made.expires.as_deref(), Some("2022-08-25T20:18:19Z"));
    let got = azure.workspace("testworkspace").await.unwrap();
    assert_eq!(got, made);

    let declared = example("CreateFileForSubscription.json");
    let props = &declared["parameters"]["createFileParameters"]["properties"];
    let n = |k: &str| props[k].as_u64().unwrap();
    let file = azure
        .create_file(
            "testworkspace",
            "test.txt",
            n("fileSize"),
            n("chunkSize"),
            n("numberOfChunks"),
        )
        .await
        .unwrap();
    assert_eq!(
        (file.name.as_str(), file.size, file.chunk_size, file.chunks),
        ("test.txt", 41423, 41423, 1)
    );
    assert_eq!(file.created.as_deref(), Some("2022-08-24T20:18:19Z"));

    let up = example("UploadFileForSubscription.json");
    let content = lenient_base64(&up["parameters"]["uploadFile"]["content"]);
    azure
        .upload_chunk("testworkspaceName", "test.txt", 0, &content)
        .await
        .unwrap();

    let one_file = azure.file("testworkspace", "test.txt").await.unwrap();
    assert_eq!((one_file.size, one_file.chunks), (41423, 1));
    let listed = azure.files("testworkspace").await.unwrap();
    let names: Vec<&str> = listed.iter().map(|f| f.name.as_str()).collect();
    assert_eq!(names, ["test1.txt", "test2.txt"]);
    assert!(listed.iter().all(|f| f.workspace == "testworkspace"));

    let seen = server.take();
    assert_eq!(one(&seen, "PUT", "/fileWorkspaces/testworkspace").body, None);
    assert_eq!(
        one(&seen, "PUT", "/testworkspace/files/test.txt").body.as_ref(),
        Some(&declared["parameters"]["createFileParameters"])
    );
    let upload = one(&seen, "POST", "/files/test.txt/upload");
    assert_eq!(
        upload.path,
        format!("{root}/testworkspaceName/files/test.txt/upload")
    );
    assert_same_chunk(upload.body.as_ref(), &up["parameters"]["uploadFile"]);

    // attach: the ticket names its workspace (fileWorkspaceName); then workspace, file and
    // the one chunk, whose body is the upload example's.
    let mut heard = Vec::new();
    let attached = azure
        .attach("testticket", "test.txt", &content, |sent, total| {
            heard.push((sent, total))
        })
        .await
        .unwrap();
    let size = content.len() as u64;
    assert_eq!(heard, [(0, size), (size, size)]);
    // The answer is the service's (the example's) file.
    assert_eq!(attached.name, "test.txt");
    let ws = "6f16735c-1530836f-e9970f1a-2e49-47b7-96cd-9746b83aa066";
    assert_eq!(attached.workspace, ws);
    let seen = server.take();
    let order: Vec<(String, String)> = seen
        .iter()
        .map(|s| {
            (
                s.method.clone(),
                s.path.replace(&format!("/subscriptions/{SUB}"), ""),
            )
        })
        .collect();
    let p = "/providers/Microsoft.Support";
    assert_eq!(
        order,
        [
            ("GET".to_string(), format!("{p}/supportTickets/testticket")),
            ("PUT".to_string(), format!("{p}/fileWorkspaces/{ws}")),
            (
                "PUT".to_string(),
                format!("{p}/fileWorkspaces/{ws}/files/test.txt")
            ),
            (
                "POST".to_string(),
                format!("{p}/fileWorkspaces/{ws}/files/test.txt/upload")
            ),
        ]
    );
    assert_eq!(
        seen[2].body,
        Some(json!({"properties": {"fileSize": size, "chunkSize": size, "numberOfChunks": 1}}))
    );
    assert_same_chunk(seen[3].body.as_ref(), &up["parameters"]["uploadFile"]);
}

#[tokio::test(flavor = "multi_thread")]
async fn creates_answered_202_are_followed_to_the_examples_resources() {
    let server = ExampleServer::start(true).await;
    let azure = server.client(Some(SUB));
    let root = format!("/subscriptions/{SUB}/providers/Microsoft.Support");

    let filed = azure
        .create_with("testticket", &billing_ticket(), &billing_extras())
        .await
        .unwrap();
    assert_eq!(filed.number.as_deref(), Some("119120321001170"));
    assert_eq!(filed.topic.name.as_deref(), Some("Refund request"));
    let seen = server.take();
    let order: Vec<(&str, &str)> = seen
        .iter()
        .map(|s| (s.method.as_str(), s.path.as_str()))
        .collect();
    let ticket = format!("{root}/supportTickets/testticket");
    let op = format!("{root}/operationsStatus/operationid");
    assert_eq!(
        order,
        [
            ("PUT", ticket.as_str()),
            ("GET", op.as_str()),
            ("GET", ticket.as_str())
        ]
    );
    assert_eq!(
        seen[0].body.as_ref(),
        Some(
            &example("CreateBillingSupportTicketForSubscription.json")["parameters"]["createSupportTicketParameters"]
        )
    );

    let note = azure
        .add_note("testticket", "testcommunication", "Subject", "Text")
        .await
        .unwrap();
    assert_eq!(note.id.as_deref(), Some("testcommunication"));
    assert_eq!(
        note.text.as_deref(),
        Some("This is a test message from a customer!")
    );
    let seen = server.take();
    let comm = format!("{ticket}/communications/testcommunication");
    let order: Vec<(&str, &str)> = seen
        .iter()
        .map(|s| (s.method.as_str(), s.path.as_str()))
        .collect();
    assert_eq!(
        order,
        [
            ("PUT", comm.as_str()),
            ("GET", op.as_str()),
            ("GET", comm.as_str())
        ]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_subscription_tickets_go_to_the_tenant_routes_of_the_examples() {
    let server = ExampleServer::start(true).await;
    let azure = server.client(None);
    let ex = example("CreateTechnicalSupportTicket.json");
    let sent = &ex["parameters"]["createSupportTicketParameters"]["properties"];
    let s = |v: &Value| v.as_str().unwrap().to_string();
    let mut new = billing_ticket();
    new.title = s(&sent["title"]);
    new.description = s(&sent["description"]);
    new.topic_id = s(&sent["problemClassificationId"]);
    new.diagnostic_consent = Some(true);
    let filed = azure.create("testticket", &new).await.unwrap();
    assert_eq!(filed.number.as_deref(), Some("119120321001170"));
    assert_eq!(
        filed.topic.parent_name.as_deref(),
        Some("Virtual Machine running Linux")
    );
    let closed = azure.close("testticket").await.unwrap();
    assert_eq!(closed.status, Some(Status::Closed));
    let notes = azure.notes("testticket").await.unwrap();
    assert_eq!(notes.len(), 2);
    assert_eq!(notes[1].text.as_deref(), Some("test"));

    let seen = server.take();
    let order: Vec<(&str, &str)> = seen
        .iter()
        .map(|s| (s.method.as_str(), s.path.as_str()))
        .collect();
    let t = "/providers/Microsoft.Support/supportTickets/testticket";
    let comms = format!("{t}/communications");
    assert_eq!(
        order,
        [
            ("PUT", t),
            ("GET", "/providers/Microsoft.Support/operationsStatus/operationid"),
            ("GET", t),
            ("PATCH", t),
            ("GET", comms.as_str()),
        ]
    );
    // The example's create body carries what a NewTicket does not (supportPlanId,
    // problemScopingQuestions, secondaryConsent, fileWorkspaceName) and a serviceId that is not
    // its classification's service; every field the client builds is the example's.
    let built = seen[0].body.as_ref().unwrap()["properties"]
        .as_object()
        .unwrap()
        .clone();
    for (key, value) in &built {
        if key == "serviceId" {
            assert_eq!(
                value,
                "/providers/Microsoft.Support/services/virtual_machine_running_linux_service_guid"
            );
        } else {
            assert_eq!(value, &sent[key], "{key}");
        }
    }
    assert_eq!(
        seen[3].body.as_ref(),
        Some(&example("UpdateStatusOfSupportTicket.json")["parameters"]["updateSupportTicket"])
    );
}

#[test]
fn the_route_matcher_takes_one_segment_per_placeholder() {
    assert!(fits("/a/{x}/c", "/a/b/c"));
    assert!(!fits("/a/{x}/c", "/a/b/d/c"));
    assert!(!fits("/a/{x}", "/a/"));
}

/// The CLI as a user runs it, against the examples' server: every command of design.md's Azure
/// block reads and prints what the examples hold.
mod commands {
    use super::*;
    use crate::cli::{pcsr, run};

    fn text(bytes: &[u8]) -> String {
        String::from_utf8_lossy(bytes).into_owned()
    }

    /// A home whose config.toml holds the billing example's contact.
    fn home() -> tempfile::TempDir {
        let ex = example("CreateBillingSupportTicketForSubscription.json");
        let c = &ex["parameters"]["createSupportTicketParameters"]["properties"]["contactDetails"];
        let home = tempfile::tempdir().unwrap();
        let dir = home.path().join("pcsr-config");
        std::fs::create_dir_all(&dir).unwrap();
        let config = format!(
            "[azure]\nconsent = \"no\"\n\n[azure.contact]\nfirst_name = {}\nlast_name = {}\nemail = {}\n\
             method = {}\ntime_zone = {}\ncountry = {}\nlanguage = {}\n",
            c["firstName"],
            c["lastName"],
            c["primaryEmailAddress"],
            c["preferredContactMethod"],
            c["preferredTimeZone"],
            c["country"],
            c["preferredSupportLanguage"]
        );
        std::fs::write(dir.join("config.toml"), config).unwrap();
        home
    }

    async fn cli(server: &ExampleServer, home: &std::path::Path, args: &[&str]) -> std::process::Output {
        let mut cmd = pcsr(home);
        cmd.args(["--backend", "azure", "--subscription", SUB])
            .args(args)
            .env("PCSR_BASE_URL", &server.base_url)
            .env("PCSR_TOKEN", TOKEN);
        run(cmd).await
    }

    async fn ok(server: &ExampleServer, home: &std::path::Path, args: &[&str]) -> String {
        let out = cli(server, home, args).await;
        assert!(
            out.status.success(),
            "{args:?}: exit {:?}\n{}",
            out.status.code(),
            text(&out.stderr)
        );
        text(&out.stdout)
    }

    fn json(out: &str) -> Value {
        serde_json::from_str(out).unwrap_or_else(|e| panic!("{e}: {out}"))
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn every_azure_command_reads_and_prints_the_examples() {
        let server = ExampleServer::start(true).await;
        let home = home();
        let h = home.path();

        // The catalogue.
        let services = ok(&server, h, &["topics"]).await;
        for s in Served::body_of("ListServices.json", 200)["value"]
            .as_array()
            .unwrap()
        {
            let name = s["properties"]["displayName"].as_str().unwrap();
            assert!(services.contains(name), "{name} in {services}");
        }
        let classifications = ok(&server, h, &["topics", "--service", "service_guid_1"]).await;
        for pc in Served::body_of("ListProblemClassifications.json", 200)["value"]
            .as_array()
            .unwrap()
        {
            let id = pc["id"].as_str().unwrap();
            assert!(classifications.contains(id), "{id} in {classifications}");
        }

        // A name the service says is in use is refused before anything is recorded.
        let billing = example("CreateBillingSupportTicketForSubscription.json");
        let p = &billing["parameters"]["createSupportTicketParameters"]["properties"];
        let s = |v: &Value| v.as_str().unwrap().to_string();
        let (title, description, topic) = (
            s(&p["title"]),
            s(&p["description"]),
            s(&p["problemClassificationId"]),
        );
        let submit = [
            "submit",
            "--title",
            &title,
            "--description",
            &description,
            "--severity",
            "moderate",
            "--topic",
            &topic,
        ];
        let mut named = submit.to_vec();
        named.extend(["--name", "sampleName"]);
        let out = cli(&server, h, &named).await;
        assert_eq!(out.status.code(), Some(1), "{}", text(&out.stderr));
        assert!(
            text(&out.stderr).contains("Name is already in use"),
            "{}",
            text(&out.stderr)
        );
        assert!(
            !server.take().iter().any(|r| r.method == "PUT"),
            "nothing was filed"
        );

        // The create: the example's body goes out; its 202 is followed; the ticket it made prints.
        let mut filing = submit.to_vec();
        filing.push("--json");
        let filed = json(&ok(&server, h, &filing).await);
        assert_eq!(
            filed,
            server.here_of(&Served::body_of(
                "CreateBillingSupportTicketForSubscription.json",
                200
            ))
        );
        let seen = server.take();
        let put = seen
            .iter()
            .find(|r| r.method == "PUT" && r.path.contains("/supportTickets/"))
            .unwrap();
        let sent = &put.body.as_ref().unwrap()["properties"];
        for key in [
            "title",
            "description",
            "problemClassificationId",
            "serviceId",
            "severity",
            "advancedDiagnosticConsent",
        ] {
            assert_eq!(sent[key], p[key], "{key}");
        }
        assert_eq!(
            sent["contactDetails"]["primaryEmailAddress"],
            p["contactDetails"]["primaryEmailAddress"]
        );
        assert!(
            seen.iter()
                .any(|r| r.method == "GET" && r.path.contains("/operationsStatus/")),
            "the operation was polled: {seen:#?}"
        );

        // The conversation: the ticket and the example's communications.
        let shown = ok(&server, h, &["show", "testticket"]).await;
        for c in Served::body_of("ListCommunicationsForSubscriptionSupportTicket.json", 200)["value"]
            .as_array()
            .unwrap()
        {
            let subject = c["properties"]["subject"].as_str().unwrap();
            assert!(shown.contains(subject), "{subject} in {shown}");
        }
        let shown = json(&ok(&server, h, &["show", "testticket", "--json"]).await);
        assert_eq!(
            shown["communications"]["value"],
            server.here_of(&Served::body_of(
                "ListCommunicationsForSubscriptionSupportTicket.json",
                200
            ))["value"]
        );

        // The list, both pages joined.
        let listed = json(&ok(&server, h, &["list", "--all", "--json"]).await);
        assert_eq!(
            listed["value"],
            server.here_of(&Served::body_of("ListSupportTicketsBySubscription.json", 200))["value"]
        );

        // Changes.
        let created = example("CreateSupportTicketCommunication.json");
        let body = s(&created["parameters"]["createCommunicationParameters"]["properties"]["body"]);
        ok(
            &server,
            h,
            &[
                "note",
                "testticket",
                "--text",
                &body,
                "--subject",
                "this is a test message",
            ],
        )
        .await;
        let seen = server.take();
        let put = seen
            .iter()
            .find(|r| r.method == "PUT" && r.path.contains("/communications/"))
            .unwrap();
        assert_eq!(put.body.as_ref().unwrap()["properties"]["body"], body.as_str());

        let closed = json(&ok(&server, h, &["close", "testticket", "--yes", "--json"]).await);
        assert_eq!(
            closed,
            server.here_of(&Served::body_of(
                "UpdateStatusOfSupportTicketForSubscription.json",
                200
            ))
        );
        let updated = json(
            &ok(
                &server,
                h,
                &["update", "testticket", "--severity", "critical", "--json"],
            )
            .await,
        );
        assert_eq!(
            updated,
            server.here_of(&Served::body_of(
                "UpdateSeverityOfSupportTicketForSubscription.json",
                200
            ))
        );
        server.take();

        let file = h.join("test.txt");
        std::fs::write(&file, b"a small log").unwrap();
        ok(&server, h, &["attach", "testticket", file.to_str().unwrap()]).await;
        let seen = server.take();
        let upload = seen.iter().find(|r| r.path.ends_with("/upload")).unwrap();
        let content = upload.body.as_ref().unwrap()["content"].as_str().unwrap();
        assert_eq!(
            base64::engine::general_purpose::STANDARD.decode(content).unwrap(),
            b"a small log"
        );

        let subs = json(&ok(&server, h, &["subscriptions", "--json"]).await);
        let mut expected = Served::body_of("GetSubscriptions.json", 200);
        expected.as_object_mut().unwrap().remove("nextLink");
        assert_eq!(subs, expected);
    }
}
