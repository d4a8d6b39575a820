//! The seed's wire examples and every documented error shape, through the real client.

use std::sync::Arc;
use std::time::Duration;

use pcsr_tui::api::error::HttpFailure;
use pcsr_tui::api::{
    ApiError, Client, ClientConfig, ClientEvent, CreateBody, ListQuery, NewServiceRequest, RequestIds, Scope,
    ServiceRequest, Severity, StaticToken, Status, SupportTopic, wire,
};
use serde_json::Value;
use uuid::Uuid;

use crate::support::{Canned, Scripted, fixture};

fn seed_input() -> NewServiceRequest {
    NewServiceRequest {
        title: "TrialSR".into(),
        description: "Ignore this SR".into(),
        severity: Severity::Critical,
        support_topic_id: "32444671".into(),
    }
}

fn client(base: &str) -> Client {
    let mut config = ClientConfig::new(base).unwrap();
    config.backoff = Duration::from_millis(5);
    config.max_retry_after = Duration::from_secs(2);
    Client::new(config, Arc::new(StaticToken("test-token".into()))).unwrap()
}

fn created() -> Canned {
    Canned::json(201, &fixture("create-response.json"))
        .header("MS-RequestId", "55f86bfb-d3bb-4fe4-9f01-2fdaef11a81f")
        .header("MS-CorrelationId", "ae43859b-591d-47ea-9fd1-028b4c799118")
}

#[test]
fn create_body_matches_the_seed_request_exactly() {
    let input = seed_input();
    let ours: Value = serde_json::to_value(CreateBody::new(&input)).unwrap();
    let seed: Value = serde_json::from_str(&fixture("create-request.json")).unwrap();
    assert_eq!(ours, seed);
    // Same key order as the SDK too, so a byte diff against a capture stays readable.
    let text = serde_json::to_string(&CreateBody::new(&input)).unwrap();
    let keys: Vec<&str> = [
        "\"Id\"",
        "\"Title\"",
        "\"Severity\"",
        "\"CreatedDate\"",
        "\"FileLinks\"",
        "\"Attributes\"",
    ]
    .into_iter()
    .collect();
    let positions: Vec<usize> = keys.iter().map(|k| text.find(k).unwrap()).collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{text}");
}

#[test]
fn seed_response_parses_with_organization_and_contact() {
    let sr: ServiceRequest = wire::parse(fixture("create-response.json").as_bytes()).unwrap();
    assert_eq!(sr.id.as_deref(), Some("616122292874576"));
    assert_eq!(sr.status, Some(Status::None));
    assert_eq!(sr.severity, Some(Severity::Critical));
    assert_eq!(sr.support_topic_id.as_deref(), Some("32444671"));
    let org = sr.organization.as_ref().unwrap();
    assert_eq!(org.name.as_deref(), Some("TEST_TEST_BugBash1"));
    assert_eq!(org.phone_number.as_deref(), Some("2398391056"));
    let contact = sr.primary_contact.as_ref().unwrap();
    assert_eq!(
        contact.email.as_deref(),
        Some("admin@testtestbugbash1.onmicrosoft.com")
    );
    assert_eq!(contact.full_name(), "Account");
    assert_eq!(sr.country_code.as_deref(), Some("US"));
    // The server form drops nulls and speaks camelCase.
    let back = serde_json::to_value(&sr).unwrap();
    assert_eq!(
        back["primaryContact"]["contactId"],
        "bb4ebcf5-d84c-4b35-8469-f4cfa4ac909e"
    );
    assert!(back.get("lastUpdatedBy").is_none());
}

#[test]
fn lenient_reading_pascal_case_integers_bom_unknown_fields() {
    let body = "\u{feff}  {\"Id\": 616122292874576, \"TITLE\": \"x\", \"Severity\": 2, \"Status\": \"AttentionNeeded\", \
                \"SupportTopicId\": 32444667, \"SomethingNew\": {\"deep\": [1,2]}}  ";
    let sr: ServiceRequest = wire::parse(body.as_bytes()).unwrap();
    assert_eq!(sr.id.as_deref(), Some("616122292874576"));
    assert_eq!(sr.title.as_deref(), Some("x"));
    assert_eq!(sr.severity, Some(Severity::Moderate));
    assert_eq!(sr.status, Some(Status::AttentionNeeded));
    assert_eq!(sr.support_topic_id.as_deref(), Some("32444667"));
    for (text, want) in [
        ("\"attention_needed\"", Status::AttentionNeeded),
        ("\"Closed\"", Status::Closed),
        ("3", Status::AttentionNeeded),
    ] {
        assert_eq!(serde_json::from_str::<Status>(text).unwrap(), want, "{text}");
    }
    assert!(serde_json::from_str::<Severity>("\"urgent\"").is_err());
}

#[test]
fn topics_fixture_parses_numeric_and_string_ids() {
    let page: pcsr_tui::api::Collection<SupportTopic> =
        wire::parse(fixture("topics-response.json").as_bytes()).unwrap();
    assert_eq!(page.total_count, 14);
    assert_eq!(page.items.len(), 2);
    assert_eq!(page.items[1].id, 32444671);
    assert_eq!(page.items[0].name, "Partner Center Issues");
    let t: SupportTopic = wire::parse(br#"{"Id": "32569836", "Name": "n"}"#).unwrap();
    assert_eq!(t.id, 32569836);
}

#[tokio::test]
async fn submit_sends_seed_headers_and_body_and_reads_the_seed_answer() {
    let server = Scripted::start(vec![created()]).await;
    let ids = RequestIds::new();
    let answer = client(&server.base_url)
        .create_wire(&seed_input(), ids)
        .await
        .unwrap();
    assert_eq!(answer.status, 201);
    assert_eq!(answer.value.id.as_deref(), Some("616122292874576"));
    // The server echoed its ids; we report those.
    assert_eq!(
        answer.ids.request_id.to_string(),
        "55f86bfb-d3bb-4fe4-9f01-2fdaef11a81f"
    );
    let seen = server.seen();
    assert_eq!(seen.len(), 1);
    let req = &seen[0];
    assert_eq!(req.method, "POST");
    assert_eq!(req.uri, "/v1/servicerequests/en-US");
    assert_eq!(req.header("authorization").as_deref(), Some("Bearer test-token"));
    assert_eq!(req.header("accept").as_deref(), Some("application/json"));
    assert_eq!(req.header("content-type").as_deref(), Some("application/json"));
    assert_eq!(req.header("x-locale").as_deref(), Some("en-US"));
    assert_eq!(req.header("ms-requestid").unwrap(), ids.request_id.to_string());
    assert_eq!(
        req.header("ms-correlationid").unwrap(),
        ids.correlation_id.to_string()
    );
    assert!(
        req.header("ms-partnercenter-application")
            .unwrap()
            .starts_with("pcsr-tui/")
    );
    let body: Value = serde_json::from_slice(&req.body).unwrap();
    assert_eq!(
        body,
        serde_json::from_str::<Value>(&fixture("create-request.json")).unwrap()
    );
}

async fn failure_of(answers: Vec<Canned>) -> (ApiError, usize) {
    let server = Scripted::start(answers).await;
    let err = client(&server.base_url)
        .get(&Scope::Partner, "1")
        .await
        .unwrap_err();
    (err, server.seen().len())
}

fn http(err: &ApiError) -> &HttpFailure {
    match err {
        ApiError::Http(f) => f,
        other => panic!("expected an HTTP failure, got {other:?}"),
    }
}

#[tokio::test]
async fn documented_404_body_with_numeric_code() {
    let (err, calls) = failure_of(vec![Canned::json(404, &fixture("error-404.json"))]).await;
    let f = http(&err);
    assert_eq!((f.status, f.code.as_deref()), (404, Some("3000")));
    assert!(f.description.as_deref().unwrap().contains("could not be found"));
    assert_eq!(calls, 1, "404 is not retried");
    assert_eq!(err.exit_code(), 2);
    let text = err.to_string();
    assert!(
        text.contains("HTTP 404") && text.contains("code 3000") && text.contains("MS-RequestId"),
        "{text}"
    );
}

#[tokio::test]
async fn string_code_and_no_retry_on_client_errors() {
    for status in [400u16, 403, 409, 417] {
        let body = r#"{"code": "800002", "description": "Invalid request input", "data": [], "source": "PartnerFD"}"#;
        let (err, calls) = failure_of(vec![Canned::json(status, body), Canned::json(200, "{}")]).await;
        let f = http(&err);
        assert_eq!((f.status, f.code.as_deref()), (status, Some("800002")));
        assert_eq!(calls, 1, "{status} must not be retried");
    }
}

#[tokio::test]
async fn unauthorized_refreshes_once_then_asks_to_sign_in() {
    let body = r#"{"code": 800001, "description": "Partner token missing"}"#;
    let (err, calls) = failure_of(vec![Canned::json(401, body), Canned::json(401, body)]).await;
    assert_eq!(calls, 2, "one retry with a refreshed token");
    assert!(err.needs_sign_in());
    assert_eq!(err.exit_code(), 3);
    assert_eq!(err.remedy(), pcsr_tui::domain::Remedy::SignIn);
}

#[tokio::test]
async fn throttling_body_and_retry_after_beyond_the_cap_is_reported() {
    let (err, calls) = failure_of(vec![
        Canned::json(429, &fixture("error-429.json")).header("Retry-After", "57"),
    ])
    .await;
    let f = http(&err);
    assert_eq!(f.status, 429);
    assert_eq!(f.retry_after, Some(Duration::from_secs(57)));
    assert!(
        f.description
            .as_deref()
            .unwrap()
            .contains("Try again in 57 seconds")
    );
    assert_eq!(calls, 1, "a wait longer than the cap is handed to the caller");
    assert_eq!(
        err.remedy(),
        pcsr_tui::domain::Remedy::Retry {
            after_seconds: Some(57)
        }
    );
}

#[tokio::test]
async fn throttling_within_the_cap_is_waited_out_with_an_event() {
    let server = Scripted::start(vec![
        Canned::json(429, &fixture("error-429.json")).header("Retry-After", "1"),
        Canned::json(200, &fixture("create-response.json")),
    ])
    .await;
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let started = std::time::Instant::now();
    let sr = client(&server.base_url)
        .with_events(tx)
        .get(&Scope::Partner, "616122292874576")
        .await
        .unwrap();
    assert_eq!(sr.id.as_deref(), Some("616122292874576"));
    assert!(
        started.elapsed() >= Duration::from_millis(950),
        "Retry-After was honoured"
    );
    assert_eq!(
        rx.try_recv().unwrap(),
        ClientEvent::RateLimited {
            wait: Duration::from_secs(1)
        }
    );
    let seen = server.seen();
    assert_eq!(seen[0].header("ms-requestid"), seen[1].header("ms-requestid"));
}

#[tokio::test]
async fn server_errors_are_retried_with_the_same_request_id() {
    let server = Scripted::start(vec![
        Canned::json(503, r#"{"code": 800003, "description": "busy"}"#),
        Canned::raw(502, "text/html", b"<html><body>Bad gateway</body></html>"),
        created(),
    ])
    .await;
    let ids = RequestIds::with_request_id(Uuid::new_v4());
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let answer = client(&server.base_url)
        .with_events(tx)
        .create_wire(&seed_input(), ids)
        .await
        .unwrap();
    assert_eq!(answer.value.id.as_deref(), Some("616122292874576"));
    let seen = server.seen();
    assert_eq!(seen.len(), 3);
    for s in &seen {
        assert_eq!(s.header("ms-requestid").unwrap(), ids.request_id.to_string());
    }
    let first = rx.try_recv().unwrap();
    assert!(
        matches!(first, ClientEvent::Retrying { attempt: 2, ref reason, .. } if reason == "HTTP 503"),
        "{first:?}"
    );
}

#[tokio::test]
async fn html_empty_and_truncated_bodies_become_readable_errors() {
    let (err, calls) = failure_of(vec![
        Canned::raw(
            502,
            "text/html",
            b"<html><h1>502 Bad Gateway</h1></html>"
        );
        4
    ])
    .await;
    assert_eq!(calls, 4, "5xx is retried 3 times");
    let f = http(&err);
    assert!(f.excerpt.as_deref().unwrap().contains("502 Bad Gateway"));
    assert!(err.to_string().contains("body: <html>"), "{err}");

    let (err, _) = failure_of(vec![Canned::raw(400, "application/json", b"")]).await;
    assert_eq!(http(&err).excerpt.as_deref(), Some("(empty body)"));

    let (err, _) = failure_of(vec![Canned::json(200, r#"{"id": "1", "title": "trunc"#)]).await;
    match err {
        ApiError::Decode {
            status: 200, excerpt, ..
        } => assert!(excerpt.contains("trunc")),
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn oversized_bodies_are_refused() {
    let server = Scripted::start(vec![Canned::json(200, &" ".repeat(4096))]).await;
    let mut config = ClientConfig::new(&server.base_url).unwrap();
    config.max_body_bytes = 1024;
    let c = Client::new(config, Arc::new(StaticToken("t".into()))).unwrap();
    let err = c.get(&Scope::Partner, "1").await.unwrap_err();
    assert!(matches!(err, ApiError::TooLarge { limit: 1024, .. }), "{err:?}");
}

#[tokio::test]
async fn transport_errors_are_retried_then_reported() {
    // Every connection is hung up on without an answer.
    let server = crate::support::Hangup::start(Duration::ZERO).await;
    let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
    let err = client(&server.base_url)
        .with_events(tx)
        .topics()
        .await
        .unwrap_err();
    assert!(
        matches!(err, ApiError::Transport { timeout: false, .. }),
        "{err:?}"
    );
    assert!(err.outcome_unknown());
    let mut retries = 0;
    while let Ok(ClientEvent::Retrying { .. }) = rx.try_recv() {
        retries += 1;
    }
    assert_eq!(retries, 3);
    assert_eq!(server.accepted(), 4, "the first attempt and three retries");
}

#[tokio::test]
async fn paging_follows_relative_next_links_without_v1() {
    let page1 = r#"{"totalCount": 2, "items": [{"id": "1"}, {"id": "2"}],
        "links": {"self": {"uri": "/servicerequests?size=2", "method": "GET", "headers": []},
                  "next": {"uri": "/servicerequests?size=2&offset=2", "method": "GET", "headers": []}},
        "attributes": {"objectType": "Collection"}}"#;
    let page2 = r#"{"totalCount": 1, "items": [{"id": "3"}], "attributes": {"objectType": "Collection"}}"#;
    let server = Scripted::start(vec![Canned::json(200, page1), Canned::json(200, page2)]).await;
    let query = ListQuery {
        size: Some(2),
        offset: None,
        status: Some(pcsr_tui::domain::Status::Open),
    };
    let items = client(&server.base_url)
        .list_all(&Scope::Partner, &query, 100)
        .await
        .unwrap();
    let ids: Vec<_> = items.iter().map(|s| s.id.clone().unwrap()).collect();
    assert_eq!(ids, ["1", "2", "3"]);
    let seen = server.seen();
    assert!(
        seen[0].uri.starts_with("/v1/servicerequests?size=2&filter="),
        "{}",
        seen[0].uri
    );
    let filter = url::form_urlencoded::parse(seen[0].uri.split_once('?').unwrap().1.as_bytes())
        .find(|(k, _)| k == "filter")
        .map(|(_, v)| v.into_owned())
        .unwrap();
    let filter: Value = serde_json::from_str(&filter).unwrap();
    assert_eq!(
        filter,
        serde_json::json!({"Field": "Status", "Value": "open", "Operator": "equals"})
    );
    assert_eq!(seen[1].uri, "/v1/servicerequests?size=2&offset=2");
}

#[tokio::test]
async fn a_next_link_to_another_host_is_refused() {
    let page =
        r#"{"items": [{"id": "1"}], "links": {"next": {"uri": "https://evil.example/v1/servicerequests"}}}"#;
    let server = Scripted::start(vec![Canned::json(200, page)]).await;
    let err = client(&server.base_url)
        .list_all(&Scope::Partner, &ListQuery::default(), 10)
        .await
        .unwrap_err();
    assert!(matches!(err, ApiError::Url { .. }), "{err:?}");
}

#[tokio::test]
async fn customer_routes_and_patch_bodies() {
    let sr = r#"{"id": "7", "status": "closed"}"#;
    let server = Scripted::start(vec![Canned::json(200, sr), Canned::json(200, sr)]).await;
    let c = client(&server.base_url);
    let scope = Scope::Customer("0b8a7d1e-1111-2222-3333-444455556666".into());
    c.update(
        &scope,
        "7",
        &pcsr_tui::api::ServiceRequestPatch::status(Status::Closed),
    )
    .await
    .unwrap();
    c.update(
        &Scope::Partner,
        "7",
        &pcsr_tui::api::ServiceRequestPatch::note("hello"),
    )
    .await
    .unwrap();
    let seen = server.seen();
    assert_eq!(seen[0].method, "PATCH");
    assert_eq!(
        seen[0].uri,
        "/v1/customers/0b8a7d1e-1111-2222-3333-444455556666/servicerequests/7"
    );
    assert_eq!(
        serde_json::from_slice::<Value>(&seen[0].body).unwrap(),
        serde_json::json!({"Status": "closed"})
    );
    assert_eq!(
        serde_json::from_slice::<Value>(&seen[1].body).unwrap(),
        serde_json::json!({"NewNote": {"Text": "hello"}})
    );
}

#[test]
fn plain_http_only_for_loopback() {
    use pcsr_tui::api::client::validate_base_url;
    for ok in [
        "https://api.partnercenter.microsoft.com",
        "http://127.0.0.1:8080",
        "http://localhost:1",
        "http://[::1]:9",
    ] {
        assert!(validate_base_url(ok).is_ok(), "{ok}");
    }
    for bad in [
        "http://api.partnercenter.microsoft.com",
        "http://10.0.0.1",
        "ftp://x",
        "not a url",
        "https://u:p@h",
    ] {
        assert!(
            matches!(validate_base_url(bad), Err(ApiError::Url { .. })),
            "{bad}"
        );
    }
}

#[test]
fn validation_names_every_bad_field() {
    let bad = NewServiceRequest {
        title: "x".repeat(256),
        description: "  ".into(),
        severity: Severity::Unknown,
        support_topic_id: "abc".into(),
    };
    let fields: Vec<_> = bad.validate().into_iter().map(|e| e.field).collect();
    assert_eq!(fields, ["Title", "Description", "Severity", "SupportTopicId"]);
    assert!(seed_input().validate().is_empty());
    let mut max = seed_input();
    max.title = "é".repeat(255);
    assert!(
        max.validate().is_empty(),
        "255 characters (not bytes) are allowed"
    );
}
