//! The built-in sandbox driven through the crate's own API client (and raw HTTP where the client
//! would hide what the service sends): routes, paging, validation, idempotency and faults.

use std::sync::Arc;
use std::time::{Duration, Instant};

use pcsr_tui::api::client::ListQuery;
use pcsr_tui::api::error::RequestIds;
use pcsr_tui::api::{
    ApiError, Client, ClientConfig, ClientEvent, ErrorBody, NewServiceRequest, Scope, ServiceRequest,
    ServiceRequestPatch, Severity, StaticToken, Status,
};
use pcsr_tui::sandbox::{Fault, SANDBOX_TOKEN, Sandbox, SandboxOptions};
use serde_json::Value;
use tempfile::TempDir;
use tokio::sync::mpsc;

struct Env {
    sandbox: Sandbox,
    dir: TempDir,
}

impl Env {
    async fn new() -> Env {
        let dir = tempfile::tempdir().unwrap();
        let sandbox = start(&dir).await;
        Env { sandbox, dir }
    }

    fn client(&self) -> Client {
        client_for(&self.sandbox, |_| {})
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.sandbox.base_url())
    }
}

async fn start(dir: &TempDir) -> Sandbox {
    let options = SandboxOptions {
        db_path: Some(dir.path().join("sandbox.db")),
        bind: "127.0.0.1:0".parse().unwrap(),
    };
    Sandbox::start(options).await.unwrap()
}

fn client_for(sandbox: &Sandbox, tweak: impl FnOnce(&mut ClientConfig)) -> Client {
    let mut config = ClientConfig::new(&sandbox.base_url()).unwrap();
    config.backoff = Duration::from_millis(10);
    config.timeout = Duration::from_secs(10);
    tweak(&mut config);
    Client::new(config, Arc::new(StaticToken(SANDBOX_TOKEN.into()))).unwrap()
}

fn new_sr(title: &str) -> NewServiceRequest {
    NewServiceRequest {
        title: title.into(),
        description: "The November invoice is missing from the billing page.".into(),
        severity: Severity::Moderate,
        support_topic_id: "32444667".into(),
    }
}

fn http_failure(err: ApiError) -> Box<pcsr_tui::api::error::HttpFailure> {
    match err {
        ApiError::Http(f) => f,
        other => panic!("expected an HTTP error, got {other:?}"),
    }
}

fn ids_of(items: &[ServiceRequest]) -> Vec<&str> {
    items.iter().filter_map(|s| s.id.as_deref()).collect()
}

fn raw() -> reqwest::Client {
    pcsr_tui::tls::install_provider();
    reqwest::Client::new()
}

#[tokio::test]
async fn all_eight_routes_work_through_the_client() {
    let env = Env::new().await;
    let client = env.client();

    let created = client
        .create_wire(&new_sr("Invoice missing"), RequestIds::new())
        .await
        .unwrap();
    assert_eq!(created.status, 201);
    let sr = created.value;
    let id = sr.id.clone().unwrap();
    assert!(
        id.len() == 15 && id.chars().all(|c| c.is_ascii_digit()),
        "id {id}"
    );
    assert_eq!(sr.status, Some(Status::Open));
    assert_eq!(sr.support_topic_name.as_deref(), Some("Partner Center Issues"));
    assert_eq!(
        sr.organization.as_ref().and_then(|o| o.name.as_deref()),
        Some("Contoso Sandbox")
    );
    assert_eq!(sr.country_code.as_deref(), Some("US"));
    assert!(
        sr.created_date
            .as_deref()
            .is_some_and(|d| d.ends_with('Z') && d.len() == 24)
    );
    assert_eq!(sr.last_closed_date.as_deref(), Some("0001-01-01T00:00:00"));

    let topics = client.topics().await.unwrap();
    assert_eq!(topics.len(), 14);
    assert!(
        topics
            .iter()
            .any(|t| t.id == "32444671" && t.name == "Cannot manage my profile")
    );

    let listed = client
        .list_wire(&Scope::Partner, &ListQuery::default())
        .await
        .unwrap();
    assert_eq!(ids_of(&listed.items), [id.as_str()]);
    assert_eq!(listed.total_count, 1);

    assert_eq!(client.get_wire(&Scope::Partner, &id).await.unwrap(), sr);

    let noted = client
        .update(
            &Scope::Partner,
            &id,
            &ServiceRequestPatch::note("Still missing today"),
        )
        .await
        .unwrap();
    let notes = noted.notes.clone().unwrap();
    assert_eq!(notes.len(), 1);
    assert_eq!(notes[0].text.as_deref(), Some("Still missing today"));
    assert_eq!(notes[0].created_by_name.as_deref(), Some("Avery Sandbox"));
    assert!(noted.last_modified_date >= sr.last_modified_date);
    let closed = client
        .update(&Scope::Partner, &id, &ServiceRequestPatch::status(Status::Closed))
        .await
        .unwrap();
    assert_eq!(closed.status, Some(Status::Closed));
    assert!(closed.last_closed_date.is_some());
    assert_eq!(closed.notes.map(|n| n.len()), Some(1), "closing keeps the notes");

    // Customer routes: the tenant's requests only, and not among the partner's.
    let tenant = "4b8a1e6c-0f2d-4c3a-9e7b-2d5f8a9c1b3e";
    let customer_sr = env
        .sandbox
        .add_customer_request(tenant, &new_sr("Customer cannot sign in"))
        .unwrap();
    let cid = customer_sr.id.clone().unwrap();
    let scope = Scope::Customer(tenant.into());
    let customer_list = client.list_wire(&scope, &ListQuery::default()).await.unwrap();
    assert_eq!(ids_of(&customer_list.items), [cid.as_str()]);
    let partner_list = client
        .list_wire(&Scope::Partner, &ListQuery::default())
        .await
        .unwrap();
    assert!(
        partner_list
            .items
            .iter()
            .all(|s| s.id.as_deref() != Some(cid.as_str()))
    );
    assert_eq!(
        client.get_wire(&scope, &cid).await.unwrap().title.as_deref(),
        Some("Customer cannot sign in")
    );
    let customer_noted = client
        .update(&scope, &cid, &ServiceRequestPatch::note("Reset MFA"))
        .await
        .unwrap();
    assert_eq!(
        customer_noted.notes.unwrap()[0].text.as_deref(),
        Some("Reset MFA")
    );
    let other_tenant = Scope::Customer("0f0e0d0c-0b0a-4908-8706-050403020100".into());
    assert_eq!(
        http_failure(client.get_wire(&other_tenant, &cid).await.unwrap_err()).status,
        404
    );
    assert_eq!(
        http_failure(client.get_wire(&scope, &id).await.unwrap_err()).status,
        404
    );
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn list_all_follows_next_links_across_pages_newest_first() {
    let env = Env::new().await;
    let client = env.client();
    let mut ids = Vec::new();
    for n in 0..7 {
        ids.push(
            client
                .create_wire(&new_sr(&format!("Request {n}")), RequestIds::new())
                .await
                .unwrap()
                .value
                .id
                .unwrap(),
        );
    }
    let query = ListQuery {
        size: Some(3),
        ..ListQuery::default()
    };
    let first = client.list_wire(&Scope::Partner, &query).await.unwrap();
    assert_eq!(first.total_count, 3);
    assert_eq!(first.next_uri(), Some("/servicerequests?size=3&offset=3"));
    let last = client
        .list_wire(
            &Scope::Partner,
            &ListQuery {
                size: Some(3),
                offset: Some(6),
                status: None,
            },
        )
        .await
        .unwrap();
    assert_eq!((last.items.len(), last.next_uri()), (1, None));

    let all = client.list_all(&Scope::Partner, &query, 100).await.unwrap();
    let got: Vec<String> = all.into_iter().map(|s| s.id.unwrap()).collect();
    ids.reverse();
    assert_eq!(got, ids, "all seven, newest first, none twice");
    assert_eq!(
        client.list_all(&Scope::Partner, &query, 4).await.unwrap().len(),
        4
    );
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn status_filter_lists_only_matching_requests_on_every_page() {
    let env = Env::new().await;
    let client = env.client();
    let mut ids = Vec::new();
    for n in 0..5 {
        ids.push(
            client
                .create_wire(&new_sr(&format!("R{n}")), RequestIds::new())
                .await
                .unwrap()
                .value
                .id
                .unwrap(),
        );
    }
    for id in &ids[..2] {
        client
            .update(&Scope::Partner, id, &ServiceRequestPatch::status(Status::Closed))
            .await
            .unwrap();
    }
    let open = ListQuery {
        size: Some(2),
        offset: None,
        status: Some(pcsr_tui::domain::Status::Open),
    };
    let first = client.list_wire(&Scope::Partner, &open).await.unwrap();
    assert!(
        first.next_uri().is_some_and(|u| u.contains("filter=")),
        "the filter rides along: {:?}",
        first.next_uri()
    );
    let all_open = client.list_all(&Scope::Partner, &open, 100).await.unwrap();
    assert_eq!(all_open.len(), 3);
    assert!(
        all_open
            .iter()
            .all(|s| s.status == Some(pcsr_tui::domain::Status::Open))
    );
    let closed = ListQuery {
        status: Some(pcsr_tui::domain::Status::Closed),
        ..ListQuery::default()
    };
    assert_eq!(
        client
            .list_wire(&Scope::Partner, &closed)
            .await
            .unwrap()
            .items
            .len(),
        2
    );

    let bad = raw()
        .get(env.url("/v1/servicerequests?filter=%7B%22Field%22%3A%22Title%22%7D"))
        .bearer_auth(SANDBOX_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn invalid_creates_are_refused_with_400_naming_the_field() {
    let env = Env::new().await;
    let client = env.client();
    let cases = [
        (
            NewServiceRequest {
                title: "   ".into(),
                ..new_sr("")
            },
            "Title",
        ),
        (new_sr(&"x".repeat(256)), "Title"),
        (
            NewServiceRequest {
                description: String::new(),
                ..new_sr("T")
            },
            "Description",
        ),
        (
            NewServiceRequest {
                severity: Severity::Unknown,
                ..new_sr("T")
            },
            "Severity",
        ),
        (
            NewServiceRequest {
                support_topic_id: "12345".into(),
                ..new_sr("T")
            },
            "SupportTopicId",
        ),
    ];
    for (request, field) in cases {
        let f = http_failure(client.create_wire(&request, RequestIds::new()).await.unwrap_err());
        assert_eq!((f.status, f.code.as_deref()), (400, Some("3000")), "{field}");
        assert!(
            f.description.as_deref().is_some_and(|d| d.contains(field)),
            "{field}: {:?}",
            f.description
        );
    }

    let bad_locale = client_for(&env.sandbox, |c| c.locale = "english".into());
    let f = http_failure(
        bad_locale
            .create_wire(&new_sr("T"), RequestIds::new())
            .await
            .unwrap_err(),
    );
    assert_eq!((f.status, f.code.as_deref()), (400, Some("3000")));
    assert!(f.description.unwrap().contains("locale"));
    let serbian = client_for(&env.sandbox, |c| c.locale = "SR-latn-rs".into());
    assert!(
        serbian
            .create_wire(&new_sr("Latin script locale"), RequestIds::new())
            .await
            .is_ok()
    );

    let post = |body: &'static str| {
        raw()
            .post(env.url("/v1/servicerequests/en-US"))
            .bearer_auth(SANDBOX_TOKEN)
            .body(body)
            .send()
    };
    let no_severity = post(r#"{"Title":"T","Description":"D","SupportTopicId":"32444667"}"#)
        .await
        .unwrap();
    assert_eq!(no_severity.status(), 400);
    let body: ErrorBody = no_severity.json().await.unwrap();
    assert!(body.description.unwrap().contains("Severity"));
    let not_json = post("<html>oops</html>").await.unwrap();
    assert_eq!(not_json.status(), 400);
    let body: Value = not_json.json().await.unwrap();
    assert_eq!(body["code"], 800002);
    assert_eq!(body["source"], "PartnerFD");
    assert_eq!(
        env.sandbox.request_count(),
        1,
        "only the valid Serbian-locale request was filed"
    );
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn calls_without_a_bearer_token_get_401() {
    let env = Env::new().await;
    for auth in [None, Some("Bearer "), Some("Basic dXNlcjpwYXNz")] {
        let mut req = raw()
            .get(env.url("/v1/servicerequests"))
            .header("MS-RequestId", "rid-1");
        if let Some(value) = auth {
            req = req.header("Authorization", value);
        }
        let resp = req.send().await.unwrap();
        assert_eq!(resp.status(), 401, "{auth:?}");
        assert_eq!(resp.headers()["MS-RequestId"], "rid-1");
        assert!(resp.headers().contains_key("MS-CorrelationId"));
        let body: Value = resp.json().await.unwrap();
        assert_eq!(body["code"], 800001);
        assert!(body["description"].as_str().unwrap().contains("token"));
    }
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn a_resend_with_the_same_request_id_files_nothing_new() {
    let env = Env::new().await;
    let client = env.client();
    let ids = RequestIds::new();
    let first = client.create_wire(&new_sr("Once only"), ids).await.unwrap();
    let again = client
        .create_wire(&new_sr("Once only"), RequestIds::with_request_id(ids.request_id))
        .await
        .unwrap();
    assert_eq!(again.status, 201);
    assert_eq!(again.value.id, first.value.id);
    assert_eq!(
        again.ids.request_id, ids.request_id,
        "the server echoes the request id"
    );
    assert_eq!(env.sandbox.request_count(), 1);
    client
        .create_wire(&new_sr("Another"), RequestIds::new())
        .await
        .unwrap();
    assert_eq!(env.sandbox.request_count(), 2);
    env.sandbox.shutdown().await;
}

/// One rule for a reused MS-RequestId, create and update alike: the same id with the same body
/// gets the same answer; with another body it is a 409 that names the id, never a silent
/// replay of the earlier call.
#[tokio::test]
async fn a_reused_request_id_replays_the_same_call_and_refuses_a_different_one() {
    let env = Env::new().await;
    let http = raw();
    let send = |method: reqwest::Method, path: String, request_id: String, body: Value| {
        let req = http
            .request(method, env.url(&path))
            .bearer_auth(SANDBOX_TOKEN)
            .header("MS-RequestId", request_id)
            .json(&body);
        async move {
            let resp = req.send().await.unwrap();
            let status = resp.status().as_u16();
            (status, resp.json::<Value>().await.unwrap())
        }
    };
    let filing = |title: &str| serde_json::json!({"Title": title, "Description": "d", "Severity": "minimal", "SupportTopicId": "32444667"});
    let create_id = uuid::Uuid::new_v4().to_string();
    let create = "/v1/servicerequests/en-US".to_string();
    let (status, first) = send(
        reqwest::Method::POST,
        create.clone(),
        create_id.clone(),
        filing("Same"),
    )
    .await;
    assert_eq!(status, 201, "{first}");
    let (status, again) = send(
        reqwest::Method::POST,
        create.clone(),
        create_id.clone(),
        filing("Same"),
    )
    .await;
    assert_eq!(
        (status, &again["id"]),
        (201, &first["id"]),
        "a resend gets the first answer"
    );
    let (status, refusal) = send(
        reqwest::Method::POST,
        create.clone(),
        create_id.clone(),
        filing("Different"),
    )
    .await;
    assert_eq!(status, 409, "{refusal}");
    let said = refusal["description"].as_str().unwrap_or_default();
    assert!(said.contains(&create_id), "the 409 names the id: {said}");
    assert_eq!(env.sandbox.request_count(), 1, "nothing else was filed");

    let path = format!("/v1/servicerequests/{}", first["id"].as_str().unwrap());
    let update_id = uuid::Uuid::new_v4().to_string();
    let note = |text: &str| serde_json::json!({"NewNote": {"Text": text}});
    let (status, noted) = send(
        reqwest::Method::PATCH,
        path.clone(),
        update_id.clone(),
        note("once"),
    )
    .await;
    assert_eq!(status, 200, "{noted}");
    let (status, again) = send(
        reqwest::Method::PATCH,
        path.clone(),
        update_id.clone(),
        note("once"),
    )
    .await;
    assert_eq!((status, &again), (200, &noted), "a resend gets the first answer");
    let (status, refusal) = send(
        reqwest::Method::PATCH,
        path.clone(),
        update_id.clone(),
        note("other"),
    )
    .await;
    assert_eq!(status, 409, "{refusal}");
    let said = refusal["description"].as_str().unwrap_or_default();
    assert!(said.contains(&update_id), "the 409 names the id: {said}");
    let stored = env
        .client()
        .get(&Scope::Partner, first["id"].as_str().unwrap())
        .await
        .unwrap();
    let texts: Vec<_> = stored.notes.into_iter().filter_map(|n| n.text).collect();
    assert_eq!(texts, ["once"], "one note, the first call's");
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn an_answer_lost_after_commit_is_recovered_by_resending_once() {
    let env = Env::new().await;
    // Without retries the client sees the broken answer as a transport failure...
    let no_retry = client_for(&env.sandbox, |c| c.max_attempts = 1);
    let ids = RequestIds::new();
    env.sandbox.inject(Fault::DropAfterCommit);
    let err = no_retry
        .create_wire(&new_sr("Lost answer"), ids)
        .await
        .unwrap_err();
    assert!(matches!(err, ApiError::Transport { .. }), "{err:?}");
    assert!(err.outcome_unknown());
    assert_eq!(
        env.sandbox.request_count(),
        1,
        "the create was committed before the drop"
    );
    // ...and a resend with the same MS-RequestId returns the committed request.
    let resent = no_retry
        .create_wire(
            &new_sr("Lost answer"),
            RequestIds::with_request_id(ids.request_id),
        )
        .await
        .unwrap();
    assert_eq!(env.sandbox.request_count(), 1);

    // With retries the client settles it by itself.
    let (tx, mut rx) = mpsc::unbounded_channel();
    let client = env.client().with_events(tx);
    env.sandbox.inject(Fault::DropAfterCommit);
    let sr = client
        .create_wire(&new_sr("Retried"), RequestIds::new())
        .await
        .unwrap()
        .value;
    assert_eq!(env.sandbox.request_count(), 2);
    assert_ne!(sr.id, resent.value.id);
    assert!(matches!(
        rx.try_recv(),
        Ok(ClientEvent::Retrying { attempt: 2, .. })
    ));
    let listed = client
        .list_all(&Scope::Partner, &ListQuery::default(), 100)
        .await
        .unwrap();
    assert_eq!(
        listed
            .iter()
            .filter(|s| s.title.as_deref() == Some("Retried"))
            .count(),
        1
    );
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn a_503_once_is_retried_with_the_same_request_id() {
    let env = Env::new().await;
    let (tx, mut rx) = mpsc::unbounded_channel();
    let client = env.client().with_events(tx);
    env.sandbox.inject(Fault::Status(503));
    let ids = RequestIds::new();
    let created = client.create_wire(&new_sr("After a 503"), ids).await.unwrap();
    assert_eq!(created.ids.request_id, ids.request_id);
    match rx.try_recv() {
        Ok(ClientEvent::Retrying {
            attempt: 2, reason, ..
        }) => assert_eq!(reason, "HTTP 503"),
        other => panic!("expected a retry event, got {other:?}"),
    }
    assert_eq!(env.sandbox.request_count(), 1);

    // Without retries the injected 500 carries Partner Center's generic code.
    let no_retry = client_for(&env.sandbox, |c| c.max_attempts = 1);
    env.sandbox.inject(Fault::Status(500));
    let f = http_failure(no_retry.topics().await.unwrap_err());
    assert_eq!((f.status, f.code.as_deref()), (500, Some("800003")));
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn a_429_is_waited_out_for_retry_after_seconds() {
    let env = Env::new().await;
    let (tx, mut rx) = mpsc::unbounded_channel();
    let client = env.client().with_events(tx);
    env.sandbox.inject(Fault::RateLimit { retry_after_secs: 1 });
    let started = Instant::now();
    let topics = client.topics().await.unwrap();
    assert_eq!(topics.len(), 14);
    assert!(
        started.elapsed() >= Duration::from_secs(1),
        "waited {:?}",
        started.elapsed()
    );
    assert_eq!(
        rx.try_recv().ok(),
        Some(ClientEvent::RateLimited {
            wait: Duration::from_secs(1)
        })
    );

    env.sandbox.inject(Fault::RateLimit { retry_after_secs: 7 });
    let resp = raw()
        .get(env.url("/v1/servicerequests"))
        .bearer_auth(SANDBOX_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 429);
    assert_eq!(resp.headers()["Retry-After"], "7");
    let body: Value = resp.json().await.unwrap();
    assert_eq!(
        body,
        serde_json::json!({"statusCode": 429, "message": "Rate limit is exceeded. Try again in 7 seconds."})
    );
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn unknown_ids_routes_and_methods_get_json_errors() {
    let env = Env::new().await;
    let client = env.client();
    let f = http_failure(
        client
            .get_wire(&Scope::Partner, "999999999999999")
            .await
            .unwrap_err(),
    );
    assert_eq!((f.status, f.code.as_deref()), (404, Some("1000")));
    assert!(f.description.unwrap().contains("999999999999999"));
    let patch = ServiceRequestPatch::note("hello");
    let f = http_failure(
        client
            .update(&Scope::Partner, "999999999999999", &patch)
            .await
            .unwrap_err(),
    );
    assert_eq!((f.status, f.code.as_deref()), (404, Some("1000")));

    let id = client
        .create_wire(&new_sr("T"), RequestIds::new())
        .await
        .unwrap()
        .value
        .id
        .unwrap();
    let f = http_failure(
        client
            .update(&Scope::Partner, &id, &ServiceRequestPatch::note("  "))
            .await
            .unwrap_err(),
    );
    assert_eq!((f.status, f.code.as_deref()), (400, Some("3000")));

    let unknown = raw()
        .get(env.url("/v2/nothing"))
        .bearer_auth(SANDBOX_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(unknown.status(), 404);
    assert!(unknown.headers().contains_key("MS-RequestId"));
    let body: ErrorBody = unknown.json().await.unwrap();
    assert_eq!(body.code.as_deref(), Some("1000"));
    let wrong = raw()
        .delete(env.url("/v1/servicerequests"))
        .bearer_auth(SANDBOX_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 405);
    assert_eq!(wrong.headers()["Content-Type"], "application/json; charset=utf-8");
    let body: ErrorBody = wrong.json().await.unwrap();
    assert!(body.description.unwrap().contains("DELETE"));
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn state_survives_a_restart_on_the_same_database() {
    let env = Env::new().await;
    let ids = RequestIds::new();
    let id = env
        .client()
        .create_wire(&new_sr("Persistent"), ids)
        .await
        .unwrap()
        .value
        .id
        .unwrap();
    let Env { sandbox, dir } = env;
    sandbox.shutdown().await;

    let again = start(&dir).await;
    assert_eq!(again.request_count(), 1);
    let client = client_for(&again, |_| {});
    assert_eq!(
        client
            .get_wire(&Scope::Partner, &id)
            .await
            .unwrap()
            .title
            .as_deref(),
        Some("Persistent")
    );
    let resent = client
        .create_wire(&new_sr("Persistent"), RequestIds::with_request_id(ids.request_id))
        .await
        .unwrap();
    assert_eq!(
        resent.value.id.as_deref(),
        Some(id.as_str()),
        "idempotency outlives the restart"
    );
    assert_eq!(again.request_count(), 1);
    again.shutdown().await;
}

/// True when no value anywhere in `v` is null and every key is camelCase.
fn camel_without_nulls(v: &Value, path: &str) -> Result<(), String> {
    match v {
        Value::Null => Err(format!("null at {path}")),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .try_for_each(|(i, x)| camel_without_nulls(x, &format!("{path}[{i}]"))),
        Value::Object(map) => map.iter().try_for_each(|(k, x)| {
            let camel = k.chars().next().is_some_and(|c| c.is_ascii_lowercase())
                && k.chars().all(|c| c.is_ascii_alphanumeric());
            if camel {
                camel_without_nulls(x, &format!("{path}.{k}"))
            } else {
                Err(format!("key {path}.{k} is not camelCase"))
            }
        }),
        _ => Ok(()),
    }
}

#[tokio::test]
async fn raw_answers_are_camel_case_json_without_nulls_and_echo_the_ids() {
    let env = Env::new().await;
    let client = env.client();
    let id = client
        .create_wire(&new_sr("Raw check"), RequestIds::new())
        .await
        .unwrap()
        .value
        .id
        .unwrap();
    let resp = raw()
        .get(env.url(&format!("/v1/servicerequests/{id}")))
        .bearer_auth(SANDBOX_TOKEN)
        .header("MS-RequestId", "11111111-2222-3333-4444-555555555555")
        .header("MS-CorrelationId", "corr-9")
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 200);
    assert_eq!(resp.headers()["Content-Type"], "application/json; charset=utf-8");
    assert_eq!(
        resp.headers()["MS-RequestId"],
        "11111111-2222-3333-4444-555555555555"
    );
    assert_eq!(resp.headers()["MS-CorrelationId"], "corr-9");
    let body: Value = resp.json().await.unwrap();
    camel_without_nulls(&body, "$").unwrap();
    for key in [
        "id",
        "title",
        "description",
        "severity",
        "supportTopicId",
        "supportTopicName",
        "status",
        "organization",
        "primaryContact",
        "createdDate",
        "lastModifiedDate",
        "countryCode",
        "attributes",
    ] {
        assert!(body.get(key).is_some(), "missing {key} in {body}");
    }
    assert_eq!(body["supportTopicId"], "32444667", "a string on requests");
    assert_eq!(body["attributes"]["objectType"], "ServiceRequest");
    assert_eq!(
        body["lastClosedDate"], "0001-01-01T00:00:00",
        "open: the docs' unset date"
    );
    assert_eq!(
        (&body["productId"], &body["productName"]),
        (&Value::from("15960"), &Value::from("Partner Center"))
    );

    let topics: Value = raw()
        .get(env.url("/v1/servicerequests/supporttopics"))
        .bearer_auth(SANDBOX_TOKEN)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(topics["attributes"]["objectType"], "Collection");
    assert_eq!(topics["items"][0]["id"], 32444667, "a number on topics");
    camel_without_nulls(&topics, "$").unwrap();
    env.sandbox.shutdown().await;
}

#[tokio::test]
async fn faults_can_be_queued_over_http_only_with_control_routes_on_and_delays_answer_late() {
    let env = Env::new().await;
    // Off by default: the control route is as unknown as any path, and nothing is queued.
    let refused = raw()
        .post(env.url("/_sandbox/faults"))
        .body(r#"{"kind":"status","status":502}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(refused.status(), 404);
    assert_eq!(
        env.client().topics().await.unwrap().len(),
        14,
        "no fault was queued"
    );
    env.sandbox.set_control_routes(true);
    let queued = raw()
        .post(env.url("/_sandbox/faults"))
        .body(r#"{"kind":"status","status":502}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(queued.status(), 202);
    let resp = raw()
        .get(env.url("/v1/servicerequests/supporttopics"))
        .bearer_auth(SANDBOX_TOKEN)
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status(), 502);
    let bad = raw()
        .post(env.url("/_sandbox/faults"))
        .body(r#"{"kind":"meteor"}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status(), 400);

    raw()
        .post(env.url("/_sandbox/faults"))
        .body(r#"{"kind":"delay","ms":300}"#)
        .send()
        .await
        .unwrap();
    let started = Instant::now();
    assert_eq!(env.client().topics().await.unwrap().len(), 14);
    assert!(started.elapsed() >= Duration::from_millis(300));

    // Commit then delay: the request is filed at once, its answer comes 300 ms later.
    let accepted = raw()
        .post(env.url("/_sandbox/faults"))
        .body(r#"{"kind":"commit_then_delay","ms":300}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(accepted.status(), 202);
    let client = env.client();
    let started = Instant::now();
    let filing = tokio::spawn(async move {
        client
            .create_wire(&new_sr("Late answer"), RequestIds::new())
            .await
    });
    let deadline = Instant::now() + Duration::from_secs(5);
    while env.sandbox.request_count() == 0 {
        assert!(Instant::now() < deadline, "the create was never committed");
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    assert!(!filing.is_finished(), "filed while the answer is still held back");
    filing.await.unwrap().unwrap();
    assert!(started.elapsed() >= Duration::from_millis(300));
    assert_eq!(env.sandbox.request_count(), 1);
    env.sandbox.shutdown().await;
}
