//! The sandbox as the docs describe the service, checked from outside over raw HTTP, and as a
//! living counterpart whose support agent answers; plus the
//! client helpers the follow-up screens use.

use std::sync::Arc;
use std::time::Duration;

use pcsr_tui::api::client::ListQuery;
use pcsr_tui::api::error::RequestIds;
use pcsr_tui::api::{Client, ClientConfig, NewServiceRequest, Scope, Severity, StaticToken, Status};
use pcsr_tui::sandbox::{SANDBOX_TOKEN, Sandbox, SandboxOptions};
use serde_json::{Value, json};

use crate::support::{Canned, Scripted, fixture};

async fn sandbox() -> Sandbox {
    Sandbox::start(SandboxOptions {
        db_path: None,
        bind: "127.0.0.1:0".parse().unwrap(),
    })
    .await
    .unwrap()
}

fn client(base_url: &str) -> Client {
    let mut config = ClientConfig::new(base_url).unwrap();
    config.backoff = Duration::from_millis(10);
    Client::new(config, Arc::new(StaticToken(SANDBOX_TOKEN.into()))).unwrap()
}

fn raw() -> reqwest::Client {
    pcsr_tui::tls::install_provider();
    reqwest::Client::new()
}

fn new_sr(title: &str) -> NewServiceRequest {
    NewServiceRequest {
        title: title.into(),
        description: "The November invoice is missing.".into(),
        severity: Severity::Moderate,
        support_topic_id: "32444672".into(),
    }
}

/// Files the seed's own request body (PascalCase, nulls, unset dates) and returns the answer.
async fn file_seed_request(sb: &Sandbox) -> Value {
    let resp = raw()
        .post(format!("{}/v1/servicerequests/en-US", sb.base_url()))
        .bearer_auth(SANDBOX_TOKEN)
        .header("content-type", "application/json")
        .body(fixture("create-request.json"))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201);
    resp.json().await.unwrap()
}

/// The update docs' example: the whole object as the SDK sends it, `"Status": "none"` beside
/// the new note.
fn documented_patch_body(text: &str) -> String {
    json!({
        "Id": null, "Title": null, "Description": null, "Severity": "unknown", "SupportTopicId": null,
        "SupportTopicName": null, "Status": "none", "Organization": null, "PrimaryContact": null,
        "LastUpdatedBy": null, "ProductName": null, "ProductId": null,
        "CreatedDate": "0001-01-01T00:00:00", "LastModifiedDate": "0001-01-01T00:00:00",
        "LastClosedDate": "0001-01-01T00:00:00", "FileLinks": null,
        "NewNote": {"CreatedByName": null, "CreatedDate": null, "Text": text},
        "Notes": null, "CountryCode": null, "Attributes": {"ObjectType": "ServiceRequest"}
    })
    .to_string()
}

async fn patch(sb: &Sandbox, path: &str, request_id: &str, body: String) -> (u16, Value) {
    let resp = raw()
        .patch(format!("{}{path}", sb.base_url()))
        .bearer_auth(SANDBOX_TOKEN)
        .header("MS-RequestId", request_id)
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap())
}

#[tokio::test]
async fn the_documented_patch_body_adds_the_note_and_leaves_the_status_alone() {
    let sb = sandbox().await;
    let created = file_seed_request(&sb).await;
    let id = created["id"].as_str().unwrap();
    let (status, body) = patch(
        &sb,
        &format!("/v1/servicerequests/{id}"),
        &uuid::Uuid::new_v4().to_string(),
        documented_patch_body("Sample Note"),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["status"], "open", "Status none means not set");
    assert_eq!(body["notes"][0]["text"], "Sample Note");
    assert_eq!(body["notes"][0]["createdByName"], "Avery Sandbox");
    assert!(body["notes"][0]["createdDate"].as_str().unwrap().ends_with('Z'));
    assert_eq!(body["lastClosedDate"], "0001-01-01T00:00:00");
    sb.shutdown().await;
}

#[tokio::test]
async fn open_requests_carry_the_unset_close_date_and_the_topics_product() {
    let sb = sandbox().await;
    let created = file_seed_request(&sb).await;
    assert_eq!(created["lastClosedDate"], "0001-01-01T00:00:00");
    // The seed files under 32444671, "Cannot manage my profile".
    assert_eq!(created["productId"], "15960");
    assert_eq!(created["productName"], "Partner Center");
    let listed: Value = raw()
        .get(format!("{}/v1/servicerequests", sb.base_url()))
        .bearer_auth(SANDBOX_TOKEN)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(listed["items"][0]["productName"], "Partner Center");
    let billing = client(&sb.base_url())
        .create_wire(&new_sr("Invoice"), RequestIds::new())
        .await
        .unwrap()
        .value;
    assert_eq!(
        (billing.product_id.as_deref(), billing.product_name.as_deref()),
        (Some("15961"), Some("Partner Center billing")),
        "each topic has its product"
    );
    let closed = client(&sb.base_url())
        .close(&Scope::Partner, billing.id.as_deref().unwrap(), RequestIds::new())
        .await
        .unwrap();
    assert!(
        matches!(&closed.closed, Some(pcsr_tui::domain::Stamp::At(at)) if at.ends_with('Z')),
        "closing stamps a real date"
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn a_patch_retried_with_the_same_request_id_adds_its_note_once() {
    let sb = sandbox().await;
    let created = file_seed_request(&sb).await;
    let path = format!("/v1/servicerequests/{}", created["id"].as_str().unwrap());
    let request_id = uuid::Uuid::new_v4().to_string();
    let body = r#"{"NewNote":{"Text":"Any news?"}}"#.to_string();
    let (first_status, first) = patch(&sb, &path, &request_id, body.clone()).await;
    let (again_status, again) = patch(&sb, &path, &request_id, body.clone()).await;
    assert_eq!((first_status, again_status), (200, 200));
    assert_eq!(first, again, "the retry gets the first answer");
    let (_, other) = patch(&sb, &path, &uuid::Uuid::new_v4().to_string(), body).await;
    assert_eq!(
        other["notes"].as_array().unwrap().len(),
        2,
        "a new call is a new note"
    );
    let stored = client(&sb.base_url())
        .get_wire(&Scope::Partner, created["id"].as_str().unwrap())
        .await
        .unwrap();
    assert_eq!(stored.notes.unwrap().len(), 2);
    // The same id aimed at another request is a conflict, not a silent replay.
    let second = file_seed_request(&sb).await;
    let (status, refusal) = patch(
        &sb,
        &format!("/v1/servicerequests/{}", second["id"].as_str().unwrap()),
        &request_id,
        r#"{"Status":"closed"}"#.into(),
    )
    .await;
    assert_eq!(status, 409, "{refusal}");
    assert!(refusal["description"].as_str().unwrap().contains("MS-RequestId"));
    sb.shutdown().await;
}

#[tokio::test]
async fn a_customer_tenant_that_is_not_a_guid_is_refused_with_an_error_body() {
    let sb = sandbox().await;
    for (method, path) in [
        ("GET", "/v1/customers/contoso/servicerequests"),
        ("GET", "/v1/customers/contoso/servicerequests/616122292874576"),
        (
            "PATCH",
            "/v1/customers/not-a-guid/servicerequests/616122292874576",
        ),
    ] {
        let resp = raw()
            .request(method.parse().unwrap(), format!("{}{path}", sb.base_url()))
            .bearer_auth(SANDBOX_TOKEN)
            .body(r#"{"Status":"closed"}"#)
            .send()
            .await
            .unwrap();
        assert_eq!(resp.status(), 400, "{method} {path}");
        let body: Value = resp.json().await.unwrap();
        assert_eq!(body["code"], 800002, "{body}");
        assert_eq!(body["source"], "PartnerFD");
        assert!(body["data"].is_array());
        assert!(body["description"].as_str().unwrap().contains("GUID"), "{body}");
    }
    sb.shutdown().await;
}

#[tokio::test]
async fn a_401_challenges_like_the_docs() {
    let sb = sandbox().await;
    let resp = raw()
        .get(format!("{}/v1/servicerequests", sb.base_url()))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 401);
    let challenge = resp.headers()["www-authenticate"].to_str().unwrap().to_string();
    assert!(
        challenge.starts_with("OAuth realm=urn:cpsvc:cpid:"),
        "{challenge}"
    );
    let body: Value = resp.json().await.unwrap();
    assert_eq!(body["code"], 800001);
    sb.shutdown().await;
}

#[tokio::test]
async fn notes_sent_with_a_create_are_kept() {
    let sb = sandbox().await;
    let mut body: Value = serde_json::from_str(&fixture("create-request.json")).unwrap();
    body["Notes"] = json!([
        {"CreatedByName": null, "CreatedDate": null, "Text": "Tried on two browsers."},
        {"Text": "Started after the October update."}
    ]);
    let resp = raw()
        .post(format!("{}/v1/servicerequests/en-US", sb.base_url()))
        .bearer_auth(SANDBOX_TOKEN)
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 201);
    let created: Value = resp.json().await.unwrap();
    let notes = created["notes"].as_array().unwrap();
    assert_eq!(notes.len(), 2, "{created}");
    assert_eq!(notes[1]["text"], "Started after the October update.");
    assert_eq!(notes[0]["createdByName"], "Avery Sandbox");
    let read = client(&sb.base_url())
        .get_wire(&Scope::Partner, created["id"].as_str().unwrap())
        .await
        .unwrap();
    assert_eq!(read.notes.unwrap().len(), 2);
    sb.shutdown().await;
}

#[tokio::test]
async fn customer_routes_hold_requests_of_two_seeded_tenants() {
    let sb = sandbox().await;
    let tenants = Sandbox::seeded_customers();
    assert!(tenants.len() >= 2);
    let c = client(&sb.base_url());
    let mut titles = Vec::new();
    for tenant in &tenants {
        let items = c
            .list_wire(&Scope::Customer(tenant.clone()), &ListQuery::default())
            .await
            .unwrap()
            .items;
        assert!(!items.is_empty(), "{tenant}");
        assert!(items.iter().all(|sr| sr.product_name.is_some()));
        titles.extend(items.into_iter().filter_map(|sr| sr.title));
    }
    assert_eq!(
        titles.len(),
        titles.iter().collect::<std::collections::HashSet<_>>().len(),
        "each tenant has its own requests"
    );
    assert_eq!(sb.request_count(), 0, "the partner's own list starts empty");
    sb.shutdown().await;
}

#[tokio::test]
async fn the_support_agent_answers_a_new_request_after_the_delay() {
    // A delay no test outlives: before it, the request stays as filed.
    let sb = sandbox().await.with_agent_replies(Duration::from_secs(3600));
    let c = client(&sb.base_url());
    let waiting = c
        .create_wire(&new_sr("Still waiting"), RequestIds::new())
        .await
        .unwrap()
        .value
        .id
        .unwrap();
    let early = c.get_wire(&Scope::Partner, &waiting).await.unwrap();
    assert_eq!(early.status, Some(Status::Open));
    assert_eq!(early.notes, None);

    sb.set_agent_replies(Some(Duration::from_millis(300)));
    // One the user closes first is left alone.
    let closed = c
        .create_wire(&new_sr("Never mind"), RequestIds::new())
        .await
        .unwrap()
        .value;
    let closed_id = closed.id.unwrap();
    c.close(&Scope::Partner, &closed_id, RequestIds::new())
        .await
        .unwrap();
    let filed = c
        .create_wire(&new_sr("Invoice missing"), RequestIds::new())
        .await
        .unwrap()
        .value;
    let id = filed.id.clone().unwrap();
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    let answered = loop {
        let read = c.get_wire(&Scope::Partner, &id).await.unwrap();
        if read.status == Some(Status::AttentionNeeded) {
            break read;
        }
        assert!(std::time::Instant::now() < deadline, "never answered: {read:?}");
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let notes = answered.notes.unwrap();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].created_by_name.as_deref(), Some("Microsoft Support"));
    assert!(notes[0].text.as_deref().unwrap().contains("Invoice missing"));
    let dated = notes[0].created_date.clone().unwrap();
    let gap = date_ms(&dated) - date_ms(filed.created_date.as_deref().unwrap());
    assert!(
        (250..1000).contains(&gap),
        "dated when due, 300 ms after the filing: {gap} ms"
    );
    assert_eq!(answered.last_modified_date.as_deref(), Some(dated.as_str()));
    assert_eq!(
        c.get_wire(&Scope::Partner, &waiting).await.unwrap().status,
        Some(Status::Open),
        "the hour-long promise still holds"
    );
    assert_eq!(sb.answer_now().unwrap(), 1, "only the hour-long promise is left");
    assert_eq!(
        c.get_wire(&Scope::Partner, &waiting).await.unwrap().status,
        Some(Status::AttentionNeeded),
        "answered once brought forward"
    );
    let listed = c
        .list_wire(
            &Scope::Partner,
            &ListQuery {
                status: Some(pcsr_tui::domain::Status::AttentionNeeded),
                ..ListQuery::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(listed.items.len(), 2, "the status filter sees both answers");
    assert_eq!(
        c.get_wire(&Scope::Partner, &closed_id).await.unwrap().status,
        Some(Status::Closed)
    );
    // Answered once, however often it is read.
    let again = c.get_wire(&Scope::Partner, &id).await.unwrap();
    assert_eq!(again.notes.unwrap().len(), 1);
    sb.shutdown().await;
}

/// A service date (RFC 3339) in Unix milliseconds.
fn date_ms(date: &str) -> i64 {
    let at = time::OffsetDateTime::parse(date, &time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|e| panic!("{date}: {e}"));
    i64::try_from(at.unix_timestamp_nanos() / 1_000_000).unwrap()
}

#[tokio::test]
async fn an_answer_promised_before_a_restart_is_given_after_it() {
    let dir = tempfile::tempdir().unwrap();
    let options = SandboxOptions {
        db_path: Some(dir.path().join("sb.sqlite")),
        bind: "127.0.0.1:0".parse().unwrap(),
    };
    let first = Sandbox::start(options.clone())
        .await
        .unwrap()
        .with_agent_replies(Duration::from_millis(100));
    let id = client(&first.base_url())
        .create_wire(&new_sr("Across restarts"), RequestIds::new())
        .await
        .unwrap()
        .value
        .id
        .unwrap();
    first.shutdown().await;
    // No agent runs in the second sandbox: only the promise stored in the file can answer.
    let second = Sandbox::start(options).await.unwrap();
    let c = client(&second.base_url());
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let read = c.get_wire(&Scope::Partner, &id).await.unwrap();
        if read.status == Some(Status::AttentionNeeded) {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the promise was lost: {read:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    second.shutdown().await;
}

#[tokio::test]
async fn an_update_answered_204_is_read_back_and_notes_carry_the_callers_request_id() {
    let answer = fixture("create-response.json");
    let server = Scripted::start(vec![
        Canned::raw(204, "application/json", b""),
        Canned::json(200, &answer),
    ])
    .await;
    let ids = RequestIds::new();
    let sr = client(&server.base_url)
        .add_note(&Scope::Partner, "616122292874576", "hello", ids)
        .await
        .unwrap();
    assert_eq!(sr.id.as_deref(), Some("616122292874576"));
    let seen = server.seen();
    assert_eq!(seen.len(), 2);
    assert_eq!(seen[0].method, "PATCH");
    assert_eq!(seen[0].header("ms-requestid"), Some(ids.request_id.to_string()));
    let sent: Value = serde_json::from_slice(&seen[0].body).unwrap();
    assert_eq!(sent, json!({"NewNote": {"Text": "hello"}}));
    assert_eq!(seen[1].method, "GET");
    assert!(seen[1].uri.ends_with("/v1/servicerequests/616122292874576"));
}

#[tokio::test]
async fn list_page_follows_next_links_one_page_at_a_time() {
    let sb = sandbox().await;
    let c = client(&sb.base_url());
    for n in 0..5 {
        sb.file(&new_sr(&format!("Request {n}"))).await.unwrap();
    }
    let first = c
        .list_wire(
            &Scope::Partner,
            &ListQuery {
                size: Some(2),
                ..ListQuery::default()
            },
        )
        .await
        .unwrap();
    let mut titles: Vec<String> = first.items.iter().filter_map(|s| s.title.clone()).collect();
    let mut next = first.next_uri().map(str::to_string);
    let mut pages = 1;
    while let Some(uri) = next {
        assert!(!uri.starts_with("/v1"), "links come without /v1: {uri}");
        let page = c.list_page_wire(&uri).await.unwrap();
        titles.extend(page.items.iter().filter_map(|s| s.title.clone()));
        next = page.next_uri().map(str::to_string);
        pages += 1;
    }
    assert_eq!(pages, 3);
    assert_eq!(
        titles,
        ["Request 4", "Request 3", "Request 2", "Request 1", "Request 0"]
    );
    sb.shutdown().await;
}

#[tokio::test]
async fn a_long_list_is_filled_in_one_control_call() {
    let sb = sandbox().await.with_control_routes();
    let url = format!("{}/_sandbox/servicerequests", sb.base_url());
    let resp = raw().post(&url).body(r#"{"count": 10000}"#).send().await.unwrap();
    assert_eq!(resp.status(), 201);
    assert_eq!(sb.request_count(), 10_000);
    let c = client(&sb.base_url());
    let first = c
        .list_wire(
            &Scope::Partner,
            &ListQuery {
                size: Some(100),
                ..ListQuery::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(first.items[0].title.as_deref(), Some("Sandbox request 10000"));
    assert!(first.items.iter().any(|s| s.status == Some(Status::Closed)));
    assert!(first.items.iter().all(|s| s.product_name.is_some()));
    let refused = raw().post(&url).body(r#"{"count": 0}"#).send().await.unwrap();
    assert_eq!(refused.status(), 400);
    sb.shutdown().await;
}
