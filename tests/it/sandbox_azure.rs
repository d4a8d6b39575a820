//! The sandbox's Azure side (Microsoft.Support 2024-04-01) driven by plain HTTP, as a client
//! generated from the Swagger would drive it: each copied Swagger example is sent as its
//! `parameters` say and the answer's shape compared with the example's response.

use std::collections::BTreeSet;
use std::time::Duration;

use pcsr_tui::sandbox::azure::{
    self, BILLING_CLASSIFICATION_ID, FREE_SUBSCRIPTION, PAID_SUBSCRIPTION, QUOTA_CORES_CLASSIFICATION_ID,
    VM_CONNECTIVITY_CLASSIFICATION_ID,
};
use pcsr_tui::sandbox::{Fault, SANDBOX_TOKEN, Sandbox, SandboxOptions};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};
use tempfile::TempDir;

const V: &str = "api-version=2024-04-01";

struct Env {
    sandbox: Sandbox,
    http: reqwest::Client,
    _dir: TempDir,
}

struct Answer {
    status: StatusCode,
    headers: reqwest::header::HeaderMap,
    body: Value,
}

impl Answer {
    fn header(&self, name: &str) -> String {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string()
    }

    fn code(&self) -> String {
        self.body["error"]["code"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    }
}

impl Env {
    async fn new() -> Env {
        let dir = tempfile::tempdir().unwrap();
        let options = SandboxOptions {
            db_path: Some(dir.path().join("sandbox.db")),
            bind: "127.0.0.1:0".parse().unwrap(),
        };
        let sandbox = Sandbox::start(options)
            .await
            .unwrap()
            .with_azure_operation_polls(0);
        pcsr_tui::tls::install_provider();
        Env {
            sandbox,
            http: reqwest::Client::new(),
            _dir: dir,
        }
    }

    fn url(&self, path: &str) -> String {
        if path.starts_with("http") {
            path.to_string()
        } else {
            format!("{}{path}", self.sandbox.base_url())
        }
    }

    async fn send(&self, method: Method, path: &str, body: Option<&Value>) -> Answer {
        let mut req = self
            .http
            .request(method, self.url(path))
            .bearer_auth(SANDBOX_TOKEN)
            .timeout(Duration::from_secs(10));
        if let Some(b) = body {
            req = req.json(b);
        }
        let resp = req.send().await.unwrap();
        let (status, headers) = (resp.status(), resp.headers().clone());
        let text = resp.text().await.unwrap();
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        Answer {
            status,
            headers,
            body,
        }
    }

    async fn get(&self, path: &str) -> Answer {
        self.send(Method::GET, path, None).await
    }

    /// Polls the Azure-AsyncOperation URL until the operation ends; returns the last document.
    async fn finish(&self, accepted: &Answer) -> Value {
        assert_eq!(accepted.status, StatusCode::ACCEPTED, "{:?}", accepted.body);
        let url = accepted.header("azure-asyncoperation");
        for _ in 0..20 {
            let doc = self.get(&url).await;
            assert_eq!(doc.status, StatusCode::OK, "{:?}", doc.body);
            if doc.body["status"] != "InProgress" {
                return doc.body;
            }
        }
        panic!("the operation never ended");
    }
}

fn example(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/azure/{name}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn keys(v: &Value) -> BTreeSet<String> {
    v.as_object()
        .map(|m| m.keys().cloned().collect())
        .unwrap_or_default()
}

/// Same top-level keys, and the same keys in `properties` (first item of `value` for lists).
fn assert_shape(actual: &Value, expected: &Value, what: &str) {
    let (a, e) = match (actual.get("value"), expected.get("value")) {
        (Some(a), Some(e)) => {
            assert_eq!(keys(actual), keys(expected), "{what}: list keys");
            (a[0].clone(), e[0].clone())
        }
        _ => (actual.clone(), expected.clone()),
    };
    assert_eq!(keys(&a), keys(&e), "{what}: top-level keys of {a}");
    assert_eq!(
        keys(&a["properties"]),
        keys(&e["properties"]),
        "{what}: property keys of {a}"
    );
}

fn ticket_path(sub: Option<&str>, name: &str) -> String {
    let prefix = sub.map(|s| format!("/subscriptions/{s}")).unwrap_or_default();
    format!("{prefix}/providers/Microsoft.Support/supportTickets/{name}?{V}")
}

fn new_ticket(classification: &str, title: &str) -> Value {
    let service = classification.split("/problemClassifications/").next().unwrap();
    json!({ "properties": {
        "serviceId": service,
        "problemClassificationId": classification,
        "title": title,
        "description": "The sandbox ticket's description.",
        "severity": "moderate",
        "advancedDiagnosticConsent": "No",
        "contactDetails": {
            "firstName": "Avery", "lastName": "Sandbox", "primaryEmailAddress": "avery@contoso.example",
            "preferredContactMethod": "email", "preferredTimeZone": "Pacific Standard Time",
            "country": "USA", "preferredSupportLanguage": "en-US"
        }
    }})
}

/// Sends a create example, follows the operation, reads the ticket back and compares shapes.
async fn create_example(env: &Env, file: &str) -> Value {
    let ex = example(file);
    let p = &ex["parameters"];
    let path = ticket_path(
        p["subscriptionId"].as_str(),
        p["supportTicketName"].as_str().unwrap(),
    );
    let accepted = env
        .send(Method::PUT, &path, Some(&p["createSupportTicketParameters"]))
        .await;
    for name in keys(&ex["responses"]["202"]["headers"]) {
        let url = accepted.header(&name);
        assert!(
            url.starts_with(&env.sandbox.base_url()) && url.contains(V),
            "{name}: {url}"
        );
    }
    assert!(!accepted.header("retry-after").is_empty());
    assert_eq!(env.finish(&accepted).await["status"], "Succeeded", "{file}");
    let got = env.get(&path).await;
    assert_eq!(got.status, StatusCode::OK);
    assert_shape(&got.body, &ex["responses"]["200"]["body"], file);
    got.body
}

#[tokio::test]
async fn catalogue_answers_like_the_swagger_examples() {
    let env = Env::new().await;
    for file in ["GetService.json", "GetProblemClassification.json"] {
        let ex = example(file);
        let p = &ex["parameters"];
        let mut path = format!(
            "/providers/Microsoft.Support/services/{}",
            p["serviceName"].as_str().unwrap()
        );
        if let Some(pc) = p["problemClassificationName"].as_str() {
            path.push_str(&format!("/problemClassifications/{pc}"));
        }
        let got = env.get(&format!("{path}?{V}")).await;
        assert_eq!(got.status, StatusCode::OK, "{file}");
        assert_shape(&got.body, &ex["responses"]["200"]["body"], file);
    }
    let services = env
        .get(&format!("/providers/Microsoft.Support/services?{V}"))
        .await;
    let list = services.body["value"].as_array().unwrap();
    assert!(list.len() >= 30, "{}", list.len());
    let mut classifications = 0;
    for s in list {
        let id = s["id"].as_str().unwrap();
        assert!(id.starts_with("/providers/Microsoft.Support/services/"));
        let pcs = env.get(&format!("{id}/problemClassifications?{V}")).await;
        for pc in pcs.body["value"].as_array().unwrap() {
            assert!(pc["id"].as_str().unwrap().starts_with(id));
            classifications += 1;
        }
    }
    assert!(classifications >= 300, "{classifications}");
    let vm = env.get(&format!("{VM_CONNECTIVITY_CLASSIFICATION_ID}?{V}")).await;
    assert_eq!(
        vm.body["properties"]["displayName"],
        "Connectivity / Cannot connect to virtual machine by using RDP or SSH"
    );
    let missing = env
        .get(&format!("/providers/Microsoft.Support/services/nope?{V}"))
        .await;
    assert_eq!(
        (missing.status, missing.code().as_str()),
        (StatusCode::NOT_FOUND, "ResourceNotFound")
    );
}

#[tokio::test]
async fn swagger_create_examples_are_accepted_and_read_back_in_their_shape() {
    let env = Env::new().await;
    let billing = create_example(&env, "CreateBillingSupportTicketForSubscription.json").await;
    assert_eq!(billing["properties"]["serviceDisplayName"], "Billing");
    assert_eq!(billing["properties"]["status"], "Open");
    let env = Env::new().await;
    let technical = create_example(&env, "CreateTechnicalSupportTicketForSubscription.json").await;
    assert_eq!(
        technical["properties"]["problemClassificationDisplayName"],
        "Connectivity / Cannot connect to virtual machine by using RDP or SSH"
    );
    assert!(technical["properties"]["supportTicketId"].as_str().unwrap().len() == 15);
}

#[tokio::test]
async fn a_create_runs_in_progress_then_succeeds_and_location_gives_the_ticket() {
    let env = Env::new().await;
    env.sandbox.set_azure_operation_polls(2);
    let path = ticket_path(Some(PAID_SUBSCRIPTION), "lro-1");
    let accepted = env
        .send(
            Method::PUT,
            &path,
            Some(&new_ticket(BILLING_CLASSIFICATION_ID, "LRO")),
        )
        .await;
    assert_eq!(accepted.status, StatusCode::ACCEPTED);
    assert_eq!(accepted.header("retry-after"), "1");
    let status_url = accepted.header("azure-asyncoperation");
    let location = accepted.header("location");
    let first = env.get(&status_url).await;
    assert_eq!(first.body["status"], "InProgress");
    let running = env.get(&location).await;
    assert_eq!(running.status, StatusCode::ACCEPTED);
    let done = env.get(&status_url).await;
    assert_eq!(done.body["status"], "Succeeded");
    let result = env.get(&location).await;
    assert_eq!(result.status, StatusCode::OK);
    assert_eq!(result.body["name"], "lro-1");
    assert_eq!(env.get(&path).await.status, StatusCode::OK);
}

#[tokio::test]
async fn a_second_put_of_a_name_is_idempotent_and_another_body_conflicts() {
    let env = Env::new().await;
    let path = ticket_path(Some(PAID_SUBSCRIPTION), "same-name");
    let body = new_ticket(BILLING_CLASSIFICATION_ID, "Invoice");
    env.finish(&env.send(Method::PUT, &path, Some(&body)).await).await;
    let first = env.get(&path).await.body;
    let again = env.send(Method::PUT, &path, Some(&body)).await;
    assert_eq!(again.status, StatusCode::OK);
    assert_eq!(
        again.body["properties"]["supportTicketId"],
        first["properties"]["supportTicketId"]
    );
    let other = env
        .send(
            Method::PUT,
            &path,
            Some(&new_ticket(BILLING_CLASSIFICATION_ID, "Other")),
        )
        .await;
    assert_eq!(
        (other.status, other.code().as_str()),
        (StatusCode::CONFLICT, "Conflict")
    );
    assert_eq!(env.sandbox.azure_ticket_count(), 1);
}

#[tokio::test]
async fn lists_page_by_next_link_and_check_top_and_filter() {
    let env = Env::new().await;
    for n in 0..7 {
        let path = ticket_path(Some(PAID_SUBSCRIPTION), &format!("page-{n}"));
        let pc = if n == 0 {
            QUOTA_CORES_CLASSIFICATION_ID
        } else {
            BILLING_CLASSIFICATION_ID
        };
        env.finish(
            &env.send(Method::PUT, &path, Some(&new_ticket(pc, &format!("t{n}"))))
                .await,
        )
        .await;
    }
    let base = format!("/subscriptions/{PAID_SUBSCRIPTION}/providers/Microsoft.Support/supportTickets");
    let mut next = Some(format!("{base}?{V}&$top=3"));
    let (mut names, mut pages) = (BTreeSet::new(), 0);
    while let Some(url) = next {
        let page = env.get(&url).await;
        assert_eq!(page.status, StatusCode::OK, "{:?}", page.body);
        pages += 1;
        for t in page.body["value"].as_array().unwrap() {
            assert!(names.insert(t["name"].as_str().unwrap().to_string()));
        }
        next = page.body["nextLink"].as_str().map(str::to_string);
        if let Some(link) = &next {
            assert!(
                link.starts_with(&env.sandbox.base_url()) && link.contains(V) && link.contains("skipToken")
            );
        }
    }
    assert_eq!((names.len(), pages), (7, 3));
    let too_many = env.get(&format!("{base}?{V}&$top=101")).await;
    assert_eq!(too_many.status, StatusCode::BAD_REQUEST);
    assert_eq!(keys(&too_many.body), BTreeSet::from(["error".to_string()]));
    for bad in [
        "title eq 'x'",
        "status ne 'Open'",
        "createdDate lt 2024-01-01T00:00:00Z",
        "status eq 'Open' or x",
    ] {
        let got = env.get(&format!("{base}?{V}&$filter={}", urlencode(bad))).await;
        assert_eq!(
            (got.status, got.code().as_str()),
            (StatusCode::BAD_REQUEST, "InvalidFilter"),
            "{bad}"
        );
        assert!(got.body["error"]["message"].is_string() && got.body["error"]["details"].is_array());
    }
    let count = async |filter: &str| {
        let url = format!("{base}?{V}&$filter={}", urlencode(filter));
        env.get(&url).await.body["value"]
            .as_array()
            .map_or(usize::MAX, Vec::len)
    };
    assert_eq!(count("status eq 'Open'").await, 7);
    let closed = env
        .send(
            Method::PATCH,
            &ticket_path(Some(PAID_SUBSCRIPTION), "page-3"),
            Some(&json!({"status": "closed"})),
        )
        .await;
    assert_eq!(closed.body["properties"]["status"], "Closed");
    assert_eq!(count("status eq 'Closed'").await, 1);
    assert_eq!(
        count("createdDate ge 2000-01-01T00:00:00Z and status eq 'Open'").await,
        6
    );
    assert_eq!(count("createdDate gt 2999-01-01T00:00:00Z").await, 0);
    assert_eq!(
        count(&format!(
            "problemClassificationId eq '{QUOTA_CORES_CLASSIFICATION_ID}'"
        ))
        .await,
        1
    );
    let billing_service = BILLING_CLASSIFICATION_ID
        .split("/problemClassifications/")
        .next()
        .unwrap();
    assert_eq!(count(&format!("serviceId eq '{billing_service}'")).await, 6);
}

fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

#[tokio::test]
async fn api_version_token_and_request_ids_are_checked_as_arm_does() {
    let env = Env::new().await;
    let missing = env.get("/providers/Microsoft.Support/services").await;
    assert_eq!(
        (missing.status, missing.code().as_str()),
        (StatusCode::BAD_REQUEST, "MissingApiVersionParameter")
    );
    let wrong = env
        .get("/providers/Microsoft.Support/services?api-version=2020-04-01")
        .await;
    assert_eq!(wrong.code(), "InvalidApiVersionParameter");
    let subs = env.get("/subscriptions?api-version=2022-12-01").await;
    let ids: Vec<_> = subs.body["value"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["subscriptionId"].clone())
        .collect();
    assert_eq!(ids, vec![json!(PAID_SUBSCRIPTION), json!(FREE_SUBSCRIPTION)]);
    let unknown = env
        .get(&ticket_path(Some("00000000-0000-0000-0000-000000000000"), "x"))
        .await;
    assert_eq!(unknown.code(), "SubscriptionNotFound");
    let anonymous = env
        .http
        .get(env.url(&format!("/providers/Microsoft.Support/services?{V}")))
        .send()
        .await
        .unwrap();
    assert_eq!(anonymous.status(), StatusCode::UNAUTHORIZED);
    let echoed = env
        .http
        .get(env.url(&format!("/providers/Microsoft.Support/services?{V}")))
        .bearer_auth(SANDBOX_TOKEN)
        .header("x-ms-correlation-request-id", "corr-123")
        .send()
        .await
        .unwrap();
    assert_eq!(echoed.headers()["x-ms-correlation-request-id"], "corr-123");
    assert!(!echoed.headers()["x-ms-request-id"].is_empty());
}

#[tokio::test]
async fn technical_tickets_need_a_paid_plan_and_billing_or_quota_never_do() {
    let env = Env::new().await;
    let refused = env
        .send(
            Method::PUT,
            &ticket_path(Some(FREE_SUBSCRIPTION), "tech-free"),
            Some(&new_ticket(VM_CONNECTIVITY_CLASSIFICATION_ID, "VM down")),
        )
        .await;
    let doc = env.finish(&refused).await;
    assert_eq!(doc["status"], "Failed");
    assert_eq!(doc["error"]["code"], "SupportPlanRequired");
    assert!(doc["error"]["message"].as_str().unwrap().contains("Basic"));
    let location = env.get(&refused.header("location")).await;
    assert_eq!(location.status, StatusCode::BAD_REQUEST);
    assert_eq!(
        env.get(&ticket_path(Some(FREE_SUBSCRIPTION), "tech-free"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let tenant = env
        .send(
            Method::PUT,
            &ticket_path(None, "tech-tenant"),
            Some(&new_ticket(VM_CONNECTIVITY_CLASSIFICATION_ID, "VM")),
        )
        .await;
    assert_eq!(env.finish(&tenant).await["error"]["code"], "SubscriptionRequired");
    for (sub, name, pc) in [
        (Some(FREE_SUBSCRIPTION), "billing-free", BILLING_CLASSIFICATION_ID),
        (
            Some(FREE_SUBSCRIPTION),
            "quota-free",
            QUOTA_CORES_CLASSIFICATION_ID,
        ),
        (None, "billing-tenant", BILLING_CLASSIFICATION_ID),
        (
            Some(PAID_SUBSCRIPTION),
            "tech-paid",
            VM_CONNECTIVITY_CLASSIFICATION_ID,
        ),
    ] {
        let accepted = env
            .send(Method::PUT, &ticket_path(sub, name), Some(&new_ticket(pc, name)))
            .await;
        assert_eq!(env.finish(&accepted).await["status"], "Succeeded", "{name}");
    }
    assert_eq!(env.sandbox.azure_ticket_count(), 4);
}

#[tokio::test]
async fn update_follows_the_example_and_its_rules() {
    let env = Env::new().await;
    let ex = example("UpdateStatusOfSupportTicketForSubscription.json");
    let stored = &ex["responses"]["200"]["body"]["properties"];
    let mut body = new_ticket(
        stored["problemClassificationId"].as_str().unwrap(),
        "Test - please ignore",
    );
    body["properties"]["serviceId"] = stored["serviceId"].clone();
    body["properties"]["contactDetails"] = stored["contactDetails"].clone();
    let path = ticket_path(ex["parameters"]["subscriptionId"].as_str(), "testticket");
    env.finish(&env.send(Method::PUT, &path, Some(&body)).await).await;
    let got = env
        .send(
            Method::PATCH,
            &path,
            Some(&ex["parameters"]["updateSupportTicket"]),
        )
        .await;
    assert_eq!(got.status, StatusCode::OK);
    assert_shape(&got.body, &ex["responses"]["200"]["body"], "update");
    assert_eq!(got.body["properties"]["status"], "Closed");
    let wrapped = env
        .send(
            Method::PATCH,
            &path,
            Some(&json!({"properties": {"severity": "minimal"}})),
        )
        .await;
    assert_eq!(wrapped.status, StatusCode::BAD_REQUEST);
    let no_phone = env
        .send(Method::PATCH, &path, Some(&json!({"severity": "critical"})))
        .await;
    assert_eq!(
        no_phone.body["error"]["target"],
        "properties.contactDetails.phoneNumber"
    );
    let minimal = env
        .send(
            Method::PATCH,
            &path,
            Some(&json!({"severity": "minimal", "status": "open"})),
        )
        .await;
    assert_eq!(
        (
            minimal.body["properties"]["severity"].as_str(),
            minimal.body["properties"]["status"].as_str()
        ),
        (Some("minimal"), Some("Open"))
    );
    let missing = env
        .send(
            Method::PATCH,
            &ticket_path(Some(PAID_SUBSCRIPTION), "nope"),
            Some(&json!({"status": "closed"})),
        )
        .await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn communications_and_name_checks_follow_the_examples() {
    let env = Env::new().await;
    let ex = example("CreateSupportTicketCommunication.json");
    let p = &ex["parameters"];
    let sub = p["subscriptionId"].as_str();
    let ticket = p["supportTicketName"].as_str().unwrap();
    env.finish(
        &env.send(
            Method::PUT,
            &ticket_path(sub, ticket),
            Some(&new_ticket(BILLING_CLASSIFICATION_ID, "t")),
        )
        .await,
    )
    .await;
    let comms = format!(
        "/subscriptions/{}/providers/Microsoft.Support/supportTickets/{ticket}/communications",
        sub.unwrap()
    );
    let path = format!("{comms}/{}?{V}", p["communicationName"].as_str().unwrap());
    let accepted = env
        .send(Method::PUT, &path, Some(&p["createCommunicationParameters"]))
        .await;
    assert_eq!(env.finish(&accepted).await["status"], "Succeeded");
    let got = env.get(&path).await;
    assert_shape(&got.body, &ex["responses"]["200"]["body"], "communication");
    let again = env
        .send(Method::PUT, &path, Some(&p["createCommunicationParameters"]))
        .await;
    assert_eq!(again.status, StatusCode::OK);
    let second = format!("{comms}/second?{V}");
    env.finish(
        &env.send(
            Method::PUT,
            &second,
            Some(&json!({"properties": {"subject": "s", "body": "b"}})),
        )
        .await,
    )
    .await;
    let list_ex = example("ListCommunicationsForSubscriptionSupportTicket.json");
    let list = env.get(&format!("{comms}?{V}")).await;
    assert_shape(
        &list.body,
        &list_ex["responses"]["200"]["body"],
        "communications list",
    );
    assert_eq!(list.body["value"].as_array().unwrap().len(), 2);
    assert_eq!(
        list.body["value"][1]["properties"]["sender"],
        "avery@contoso.example"
    );
    let paged = env.get(&format!("{comms}?{V}&$top=1")).await;
    let next = paged.body["nextLink"].as_str().unwrap().to_string();
    assert_eq!(env.get(&next).await.body["value"][0]["name"], "second");
    assert_eq!(
        env.get(&format!("{comms}?{V}&$top=11")).await.status,
        StatusCode::BAD_REQUEST
    );
    let phone = env
        .get(&format!(
            "{comms}?{V}&$filter={}",
            urlencode("communicationType eq 'phone'")
        ))
        .await;
    assert_eq!(phone.body["value"].as_array().unwrap().len(), 0);
    let bad = env
        .get(&format!("{comms}?{V}&$filter={}", urlencode("sender eq 'x'")))
        .await;
    assert_eq!(bad.status, StatusCode::BAD_REQUEST);

    let name_ex = example("CheckNameAvailabilityWithSubscription.json");
    let np = &name_ex["parameters"];
    let taken = np["checkNameAvailabilityInput"]["name"].as_str().unwrap();
    env.finish(
        &env.send(
            Method::PUT,
            &ticket_path(sub, taken),
            Some(&new_ticket(BILLING_CLASSIFICATION_ID, "n")),
        )
        .await,
    )
    .await;
    let check = format!(
        "/subscriptions/{}/providers/Microsoft.Support/checkNameAvailability?{V}",
        sub.unwrap()
    );
    let got = env
        .send(Method::POST, &check, Some(&np["checkNameAvailabilityInput"]))
        .await;
    assert_eq!(got.status, StatusCode::OK);
    assert_eq!(keys(&got.body), keys(&name_ex["responses"]["200"]["body"]));
    assert_eq!(got.body["nameAvailable"], false);
    let free = env
        .send(
            Method::POST,
            &check,
            Some(&json!({"name": "fresh", "type": "Microsoft.Support/supportTickets"})),
        )
        .await;
    assert_eq!(free.body["nameAvailable"], true);
    let comm_check = format!(
        "{}/checkNameAvailability?{V}",
        comms.trim_end_matches("/communications")
    );
    let comm_taken = env
        .send(
            Method::POST,
            &comm_check,
            Some(&json!({"name": "second", "type": "Microsoft.Support/communications"})),
        )
        .await;
    assert_eq!(comm_taken.body["nameAvailable"], false);
}

#[tokio::test]
async fn file_workspaces_files_and_uploads_follow_the_examples() {
    let env = Env::new().await;
    let ws_ex = example("CreateFileWorkspaceForSubscription.json");
    let sub = ws_ex["parameters"]["subscriptionId"].as_str().unwrap();
    let ws_root = format!("/subscriptions/{sub}/providers/Microsoft.Support/fileWorkspaces");
    let ws = format!(
        "{ws_root}/{}?{V}",
        ws_ex["parameters"]["fileWorkspaceName"].as_str().unwrap()
    );
    let created = env.send(Method::PUT, &ws, None).await;
    assert_eq!(created.status, StatusCode::CREATED);
    assert_shape(&created.body, &ws_ex["responses"]["201"]["body"], "workspace");
    assert_eq!(env.get(&ws).await.status, StatusCode::OK);

    let file_ex = example("CreateFileForSubscription.json");
    let fp = &file_ex["parameters"];
    let file = format!(
        "{ws_root}/{}/files/{}?{V}",
        fp["fileWorkspaceName"].as_str().unwrap(),
        fp["fileName"].as_str().unwrap()
    );
    let made = env
        .send(Method::PUT, &file, Some(&fp["createFileParameters"]))
        .await;
    assert_eq!(made.status, StatusCode::CREATED, "{:?}", made.body);
    assert_shape(&made.body, &file_ex["responses"]["201"]["body"], "file");
    let listed = env.get(&format!("{ws_root}/testworkspace/files?{V}")).await;
    assert_eq!(listed.body["value"][0]["name"], "test.txt");

    let up_ex = example("UploadFileForSubscription.json");
    let up = &up_ex["parameters"];
    let content = up["uploadFile"]["content"].as_str().unwrap();
    let size = content.len() * 3 / 4;
    let up_ws = up["fileWorkspaceName"].as_str().unwrap();
    assert_eq!(
        env.send(Method::PUT, &format!("{ws_root}/{up_ws}?{V}"), None)
            .await
            .status,
        StatusCode::CREATED
    );
    let up_file = format!("{ws_root}/{up_ws}/files/{}", up["fileName"].as_str().unwrap());
    let declared = json!({"properties": {"fileSize": size, "chunkSize": size, "numberOfChunks": 1}});
    assert_eq!(
        env.send(Method::PUT, &format!("{up_file}?{V}"), Some(&declared))
            .await
            .status,
        StatusCode::CREATED
    );
    let uploaded = env
        .send(
            Method::POST,
            &format!("{up_file}/upload?{V}"),
            Some(&up["uploadFile"]),
        )
        .await;
    assert_eq!(uploaded.status.as_u16(), 204, "{:?}", uploaded.body);
    for (body, what) in [
        (json!({"chunkIndex": 1, "content": content}), "chunk past the end"),
        (
            json!({"chunkIndex": 0, "content": "AAAA"}),
            "chunk of the wrong size",
        ),
        (json!({"chunkIndex": 0, "content": "***"}), "not base64"),
    ] {
        let got = env
            .send(Method::POST, &format!("{up_file}/upload?{V}"), Some(&body))
            .await;
        assert_eq!(got.status, StatusCode::BAD_REQUEST, "{what}");
    }
    for (name, props) in [
        (
            "big.log",
            json!({"fileSize": 5 * 1024 * 1024 + 1, "chunkSize": 5 * 1024 * 1024 + 1, "numberOfChunks": 1}),
        ),
        (
            "tool.exe",
            json!({"fileSize": 10, "chunkSize": 10, "numberOfChunks": 1}),
        ),
        (
            "count.txt",
            json!({"fileSize": 10, "chunkSize": 4, "numberOfChunks": 2}),
        ),
    ] {
        let got = env
            .send(
                Method::PUT,
                &format!("{ws_root}/testworkspace/files/{name}?{V}"),
                Some(&json!({"properties": props})),
            )
            .await;
        assert_eq!(got.status, StatusCode::BAD_REQUEST, "{name}");
    }
    let long = "a".repeat(111);
    let got = env
        .send(
            Method::PUT,
            &format!("{ws_root}/testworkspace/files/{long}?{V}"),
            Some(&fp["createFileParameters"]),
        )
        .await;
    assert_eq!(got.status, StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn faults_apply_to_arm_routes_and_a_retry_by_name_files_one_ticket() {
    let env = Env::new().await;
    let body = new_ticket(BILLING_CLASSIFICATION_ID, "Faulty");
    let path = ticket_path(Some(PAID_SUBSCRIPTION), "faulty");
    env.sandbox.inject(Fault::Status(503));
    let failed = env.send(Method::PUT, &path, Some(&body)).await;
    assert_eq!(
        (failed.status.as_u16(), failed.code().as_str()),
        (503, "ServiceUnavailable")
    );
    env.sandbox.inject(Fault::RateLimit { retry_after_secs: 2 });
    let throttled = env.send(Method::PUT, &path, Some(&body)).await;
    assert_eq!(
        (
            throttled.status.as_u16(),
            throttled.header("retry-after").as_str()
        ),
        (429, "2")
    );
    assert_eq!(env.sandbox.azure_ticket_count(), 0);
    env.sandbox.inject(Fault::DropAfterCommit);
    let dropped = env
        .http
        .put(env.url(&path))
        .bearer_auth(SANDBOX_TOKEN)
        .json(&body)
        .send()
        .await;
    // The answer is lost (a 202 has no body to cut, so the client may or may not see it); the
    // ticket is filed either way, and the retry by name finds it.
    drop(dropped);
    env.sandbox
        .inject(Fault::CommitThenDelay(Duration::from_millis(10)));
    let retry = env.send(Method::PUT, &path, Some(&body)).await;
    assert_eq!(retry.status, StatusCode::OK, "{:?}", retry.body);
    assert_eq!(retry.body["name"], "faulty");
    assert_eq!(env.sandbox.azure_ticket_count(), 1);
    assert_eq!(env.sandbox.pending_faults(), 0);
}

#[tokio::test]
async fn the_agent_answers_a_new_ticket_and_then_holds_its_severity() {
    let env = Env::new().await;
    env.sandbox.set_agent_replies(Some(Duration::from_secs(3600)));
    let path = ticket_path(Some(PAID_SUBSCRIPTION), "answered");
    env.finish(
        &env.send(
            Method::PUT,
            &path,
            Some(&new_ticket(VM_CONNECTIVITY_CLASSIFICATION_ID, "VM")),
        )
        .await,
    )
    .await;
    let comms = format!(
        "/subscriptions/{PAID_SUBSCRIPTION}/providers/Microsoft.Support/supportTickets/answered/communications?{V}"
    );
    assert_eq!(env.get(&comms).await.body["value"].as_array().unwrap().len(), 0);
    assert!(env.sandbox.answer_now().unwrap() >= 1);
    let list = env.get(&comms).await;
    let reply = &list.body["value"][0]["properties"];
    assert_eq!(reply["communicationDirection"], "inbound");
    assert_eq!(reply["sender"], azure::agent::ENGINEER_EMAIL);
    let refused = env
        .send(Method::PATCH, &path, Some(&json!({"severity": "minimal"})))
        .await;
    assert_eq!(refused.code(), "SeverityUpdateNotAllowed");
    let ticket = env.get(&path).await;
    assert_eq!(
        ticket.body["properties"]["supportEngineer"]["emailAddress"],
        azure::agent::ENGINEER_EMAIL
    );
}

#[tokio::test]
async fn control_routes_grow_the_catalogue_and_set_operation_polls_only_when_on() {
    let env = Env::new().await;
    let grow = json!({"services": 1000, "classificationsPerService": 3});
    let off = env
        .send(Method::POST, "/_sandbox/azure/catalogue", Some(&grow))
        .await;
    assert_eq!(off.status, StatusCode::NOT_FOUND);
    env.sandbox.set_control_routes(true);
    let on = env
        .send(Method::POST, "/_sandbox/azure/catalogue", Some(&grow))
        .await;
    assert_eq!(on.status, StatusCode::OK);
    assert!(on.body["services"].as_u64().unwrap() >= 1030);
    let services = env
        .get(&format!("/providers/Microsoft.Support/services?{V}"))
        .await;
    assert!(services.body["value"].as_array().unwrap().len() >= 1030);
    let polls = env
        .send(
            Method::POST,
            "/_sandbox/azure/operations",
            Some(&json!({"polls": 3})),
        )
        .await;
    assert_eq!(polls.body["polls"], 3);
    let accepted = env
        .send(
            Method::PUT,
            &ticket_path(Some(PAID_SUBSCRIPTION), "slow"),
            Some(&new_ticket(BILLING_CLASSIFICATION_ID, "s")),
        )
        .await;
    let first = env.get(&accepted.header("azure-asyncoperation")).await;
    assert_eq!(first.body["status"], "InProgress");
}
