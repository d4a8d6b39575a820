//! The local store through its public API: submissions, history, drafts, topic cache, migrations.

use pcsr_tui::api;
use pcsr_tui::domain::{NewTicket, Service, Severity, Status, Ticket, Topic, TopicRef};
use pcsr_tui::store::{Draft, NewSubmission, SCHEMA_VERSION, Store, StoreError, SubmissionState};
use proptest::prelude::*;
use uuid::Uuid;

fn request(title: &str) -> NewTicket {
    NewTicket {
        title: title.to_string(),
        description: format!("about {title}"),
        severity: Some(Severity::Moderate),
        topic_id: "32444671".to_string(),
        ..Default::default()
    }
}

fn record(store: &Store, req: &NewTicket) -> i64 {
    store
        .record_submission(&NewSubmission {
            request_id: Uuid::new_v4(),
            service: pcsr_tui::domain::Service::PartnerCenter,
            cloud: "sandbox",
            locale: "en-US",
            base_url: "http://127.0.0.1:9/v1",
            request: req,
            attachments: &[],
            subscription: None,
        })
        .unwrap()
}

fn created_fixture() -> Ticket {
    api::mapping::ticket(&api::wire::parse(include_bytes!("../fixtures/create-response.json")).unwrap())
}

fn server_copy(id: &str, title: &str) -> Ticket {
    Ticket {
        id: Some(id.to_string()),
        title: Some(title.to_string()),
        description: Some("filed in the portal".to_string()),
        severity: Some(Severity::Critical),
        topic: TopicRef {
            id: Some("32444667".to_string()),
            name: Some("Partner Center Issues".to_string()),
            ..TopicRef::default()
        },
        status: Some(Status::Open),
        ..Ticket::default()
    }
}

#[test]
fn recorded_submission_is_in_the_outbox_with_everything_it_was_given() {
    let store = Store::open_in_memory().unwrap();
    let req = request("Printer on fire");
    let request_id = Uuid::new_v4();
    let id = store
        .record_submission(&NewSubmission {
            request_id,
            service: pcsr_tui::domain::Service::PartnerCenter,
            cloud: "global",
            locale: "de-DE",
            base_url: "https://api.partnercenter.microsoft.com/v1",
            request: &req,
            attachments: &[],
            subscription: None,
        })
        .unwrap();

    let outbox = store.outbox().unwrap();
    assert_eq!(outbox.len(), 1);
    let sub = &outbox[0];
    assert_eq!(sub.local_id, id);
    assert_eq!(sub.request_id, request_id);
    assert_eq!((sub.cloud.as_str(), sub.locale.as_str()), ("global", "de-DE"));
    assert_eq!(sub.base_url, "https://api.partnercenter.microsoft.com/v1");
    assert_eq!(sub.request, req);
    assert_eq!(sub.state, SubmissionState::Sending);
    assert_eq!(
        (
            sub.server.as_ref(),
            sub.server_id.as_ref(),
            sub.last_error.as_ref()
        ),
        (None, None, None)
    );
    assert!(sub.created_at.ends_with('Z') && sub.created_at == sub.updated_at);
    assert_eq!(store.submission(id).unwrap().as_ref(), Some(sub));
}

#[test]
fn outbox_is_oldest_first_and_only_holds_unsettled_submissions() {
    let store = Store::open_in_memory().unwrap();
    let a = record(&store, &request("a"));
    let b = record(&store, &request("b"));
    let c = record(&store, &request("c"));
    store.mark_created(b, &created_fixture()).unwrap();
    let ids: Vec<i64> = store.outbox().unwrap().iter().map(|s| s.local_id).collect();
    assert_eq!(ids, [a, c]);
}

#[test]
fn created_keeps_the_server_answer_and_clears_the_last_error() {
    let store = Store::open_in_memory().unwrap();
    let id = record(&store, &request("TrialSR"));
    store
        .note_attempt_error(id, "connection reset; will resend with the same request id")
        .unwrap();
    let pending = store.submission(id).unwrap().unwrap();
    assert_eq!(pending.state, SubmissionState::Sending);
    assert_eq!(
        pending.last_error.as_deref(),
        Some("connection reset; will resend with the same request id")
    );

    let mut sr = created_fixture();
    sr.topic.name = Some("Cannot manage my profile".into());
    store.mark_created(id, &sr).unwrap();
    let done = store.submission(id).unwrap().unwrap();
    assert_eq!(done.state, SubmissionState::Created);
    assert_eq!(done.server.as_ref(), Some(&sr));
    assert_eq!(done.server_id.as_deref(), Some("616122292874576"));
    assert_eq!(done.last_error, None);
    assert_eq!(done.request, request("TrialSR"));
    assert_eq!(
        store
            .submission_by_server_id(Service::PartnerCenter, "616122292874576")
            .unwrap(),
        Some(done)
    );
    // Another service's ticket of the same id is not this one.
    assert_eq!(
        store
            .submission_by_server_id(Service::Azure, "616122292874576")
            .unwrap(),
        None
    );

    let row = &store.history("", 0, 10).unwrap()[0];
    assert_eq!(row.status, Some(Status::NotSet));
    assert_eq!(row.topic_name.as_deref(), Some("Cannot manage my profile"));
    assert!(store.outbox().unwrap().is_empty());
}

#[test]
fn failed_submission_leaves_the_outbox_with_its_reason() {
    let store = Store::open_in_memory().unwrap();
    let id = record(&store, &request("bad"));
    store.mark_failed(id, "400: SupportTopicId is invalid").unwrap();
    let sub = store.submission(id).unwrap().unwrap();
    assert_eq!(sub.state, SubmissionState::Failed);
    assert_eq!(sub.last_error.as_deref(), Some("400: SupportTopicId is invalid"));
    assert!(store.outbox().unwrap().is_empty());
    assert_eq!(store.history("failed", 0, 10).unwrap().len(), 1);
}

#[test]
fn settling_an_unknown_submission_says_not_found() {
    let store = Store::open_in_memory().unwrap();
    assert!(matches!(
        store.mark_failed(42, "x"),
        Err(StoreError::NotFound(42))
    ));
    assert!(matches!(
        store.note_attempt_error(42, "x"),
        Err(StoreError::NotFound(42))
    ));
    assert!(matches!(
        store.mark_created(42, &created_fixture()),
        Err(StoreError::NotFound(42))
    ));
    assert_eq!(store.submission(42).unwrap(), None);
    assert_eq!(
        store
            .submission_by_server_id(Service::PartnerCenter, "nope")
            .unwrap(),
        None
    );
}

#[test]
fn server_copy_of_a_known_request_updates_it_and_keeps_what_the_user_filed() {
    let store = Store::open_in_memory().unwrap();
    let id = record(&store, &request("mine"));
    store.mark_created(id, &created_fixture()).unwrap();

    let mut fresh = server_copy("616122292874576", "mine (renamed)");
    fresh.status = Some(Status::Closed);
    assert_eq!(
        store
            .upsert_server_copy(&fresh, "sandbox", "en-US", "http://x/v1")
            .unwrap(),
        id
    );

    let sub = store.submission(id).unwrap().unwrap();
    assert_eq!(sub.request, request("mine"));
    assert_eq!(sub.server, Some(fresh));
    let rows = store.history("", 0, 10).unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(
        (rows[0].title.as_str(), rows[0].status),
        ("mine (renamed)", Some(Status::Closed))
    );
    assert_eq!(rows[0].topic_name.as_deref(), Some("Partner Center Issues"));
}

#[test]
fn server_copy_settles_a_submission_whose_answer_was_lost() {
    let store = Store::open_in_memory().unwrap();
    let id = record(&store, &request("lost answer"));
    store.note_attempt_error(id, "timed out").unwrap();
    let mut sr = created_fixture();
    store.mark_created(id, &sr).unwrap();
    // Simulate the row being seen again via `list` while still marked sending by an old crash.
    store.note_attempt_error(id, "timed out again").unwrap();
    sr.status = Some(Status::Open);
    store
        .upsert_server_copy(&sr, "sandbox", "en-US", "http://x/v1")
        .unwrap();
    let sub = store.submission(id).unwrap().unwrap();
    assert_eq!((sub.state, sub.last_error), (SubmissionState::Created, None));
}

#[test]
fn server_copy_of_a_request_filed_elsewhere_becomes_a_created_row() {
    let store = Store::open_in_memory().unwrap();
    let sr = server_copy("999", "from the portal");
    let id = store
        .upsert_server_copy(&sr, "global", "fr-FR", "https://api/v1")
        .unwrap();
    let sub = store
        .submission_by_server_id(Service::PartnerCenter, "999")
        .unwrap()
        .unwrap();
    assert_eq!(sub.local_id, id);
    assert_eq!(sub.state, SubmissionState::Created);
    assert_eq!(
        (sub.cloud.as_str(), sub.locale.as_str(), sub.base_url.as_str()),
        ("global", "fr-FR", "https://api/v1")
    );
    assert_eq!(
        sub.request,
        NewTicket {
            title: "from the portal".into(),
            description: "filed in the portal".into(),
            severity: Some(Severity::Critical),
            topic_id: "32444667".into(),
            ..Default::default()
        }
    );
    assert_eq!(sub.server, Some(sr.clone()));
    // Seeing it again updates the same row instead of adding another.
    assert_eq!(
        store
            .upsert_server_copy(&sr, "global", "fr-FR", "https://api/v1")
            .unwrap(),
        id
    );
    assert_eq!(store.history_count("").unwrap(), 1);
    // Each foreign row gets its own request id (the column is unique).
    store
        .upsert_server_copy(
            &server_copy("1000", "another"),
            "global",
            "fr-FR",
            "https://api/v1",
        )
        .unwrap();
    assert_eq!(store.history_count("").unwrap(), 2);
}

#[test]
fn server_copy_without_an_id_is_refused() {
    let store = Store::open_in_memory().unwrap();
    let err = store
        .upsert_server_copy(&Ticket::default(), "global", "en-US", "x")
        .unwrap_err();
    assert!(matches!(err, StoreError::NoServerId), "{err}");
}

#[test]
fn history_is_newest_first_and_pages() {
    let store = Store::open_in_memory().unwrap();
    let ids: Vec<i64> = (0..7)
        .map(|i| record(&store, &request(&format!("r{i}"))))
        .collect();
    let newest_first: Vec<i64> = ids.iter().rev().copied().collect();

    let page = |offset, limit| -> Vec<i64> {
        store
            .history("", offset, limit)
            .unwrap()
            .iter()
            .map(|r| r.local_id)
            .collect()
    };
    assert_eq!(page(0, 3), newest_first[0..3]);
    assert_eq!(page(3, 3), newest_first[3..6]);
    assert_eq!(page(6, 3), newest_first[6..]);
    assert!(page(7, 3).is_empty());
    assert_eq!(store.history_count("").unwrap(), 7);

    let row = &store.history("", 0, 1).unwrap()[0];
    assert_eq!(
        (row.title.as_str(), row.severity, row.state),
        ("r6", Some(Severity::Moderate), SubmissionState::Sending)
    );
    assert_eq!(
        (row.topic_id.as_str(), row.topic_name.as_ref(), row.status),
        ("32444671", None, None)
    );
}

#[test]
fn history_windows_by_key_agree_with_paging_by_offset() {
    use pcsr_tui::store::{Anchor, HistoryKey};
    let store = Store::open_in_memory().unwrap();
    for i in 0..9 {
        record(
            &store,
            &request(&format!("r{i} {}", if i % 2 == 0 { "even" } else { "odd" })),
        );
    }
    for filter in ["", "even"] {
        let all = store.history(filter, 0, 100).unwrap();
        let ids =
            |rows: Vec<pcsr_tui::store::HistoryRow>| rows.iter().map(|r| r.local_id).collect::<Vec<_>>();
        let want = |from: usize, to: usize| ids(all[from.min(all.len())..to.min(all.len())].to_vec());
        let window = |anchor: Anchor, limit| ids(store.history_window(filter, &anchor, limit).unwrap());
        let key = |i: usize| HistoryKey::of(&all[i]);
        assert_eq!(window(Anchor::Top, 3), want(0, 3), "top, filter {filter:?}");
        assert_eq!(
            window(Anchor::Bottom, 3),
            want(all.len() - 3, all.len()),
            "bottom"
        );
        assert_eq!(
            window(Anchor::After(key(1)), 2),
            want(2, 4),
            "after the second row"
        );
        assert_eq!(window(Anchor::From(key(1)), 2), want(1, 3), "from the second row");
        assert_eq!(
            window(Anchor::Before(key(3)), 2),
            want(1, 3),
            "the two rows above the fourth"
        );
        assert_eq!(
            window(Anchor::Before(key(0)), 2),
            want(0, 0),
            "nothing above the first"
        );
        assert!(
            window(Anchor::After(key(all.len() - 1)), 2).is_empty(),
            "nothing below the last"
        );
    }
}

#[test]
fn history_filter_matches_title_server_id_topic_and_state_ignoring_case() {
    let store = Store::open_in_memory().unwrap();
    let billing = record(&store, &request("Billing question"));
    let umlaut = record(&store, &request("ÜBERWEISUNG fehlgeschlagen"));
    let failed = record(&store, &request("other"));
    store.mark_failed(failed, "400").unwrap();
    let portal = store
        .upsert_server_copy(&server_copy("777123", "x"), "global", "en-US", "u")
        .unwrap();

    let hits = |filter: &str| -> Vec<i64> {
        store
            .history(filter, 0, 100)
            .unwrap()
            .iter()
            .map(|r| r.local_id)
            .collect()
    };
    assert_eq!(hits("bILLING"), [billing]);
    assert_eq!(hits("überweisung"), [umlaut]);
    assert_eq!(hits("7771"), [portal]);
    assert_eq!(hits("partner center"), [portal]);
    assert_eq!(hits("32444667"), [portal]);
    assert_eq!(hits("FAILED"), [failed]);
    assert_eq!(hits("open"), [portal]);
    assert_eq!(hits("no such thing"), Vec::<i64>::new());
    assert_eq!(store.history_count("billing").unwrap(), 1);
    assert_eq!(store.history_count("  ").unwrap(), 4);
}

#[test]
fn history_filter_takes_wildcards_literally() {
    let store = Store::open_in_memory().unwrap();
    let percent = record(&store, &request("disk 100% full"));
    let underscore = record(&store, &request("snake_case"));
    record(&store, &request("disk 1000 full"));
    record(&store, &request("snakeXcase"));
    let hits = |filter: &str| -> Vec<i64> {
        store
            .history(filter, 0, 100)
            .unwrap()
            .iter()
            .map(|r| r.local_id)
            .collect()
    };
    assert_eq!(hits("100%"), [percent]);
    assert_eq!(hits("%"), [percent]);
    assert_eq!(hits("e_c"), [underscore]);
    assert_eq!(store.history_count("%").unwrap(), 1);
}

#[test]
fn draft_saves_overwrites_loads_and_clears() {
    let store = Store::open_in_memory().unwrap();
    assert_eq!(store.load_draft().unwrap(), None);
    let first = Draft {
        title: "half".into(),
        ..Draft::default()
    };
    store.save_draft(&first).unwrap();
    assert_eq!(store.load_draft().unwrap(), Some(first));
    let second = Draft {
        title: "Titel ✓".into(),
        description: "line 1\nline 2".into(),
        severity: Some(Severity::Minimal),
        topic_id: Some("32444671".into()),
        attachments: vec![pcsr_tui::store::DraftFile {
            path: "/var/log/rdp trace.txt".into(),
            size: 18_432,
        }],
    };
    store.save_draft(&second).unwrap();
    assert_eq!(store.load_draft().unwrap(), Some(second));
    store.clear_draft().unwrap();
    assert_eq!(store.load_draft().unwrap(), None);
}

#[test]
fn topic_cache_is_per_locale_keeps_order_and_ignores_locale_case() {
    let store = Store::open_in_memory().unwrap();
    let page: api::Collection<api::SupportTopic> =
        api::wire::parse(include_bytes!("../fixtures/topics-response.json")).unwrap();
    let english: Vec<Topic> = page.items.iter().map(api::mapping::topic).collect();
    let german = vec![Topic {
        name: "Abrechnung".into(),
        id: "7".into(),
        ..Topic::default()
    }];
    const PC: Service = Service::PartnerCenter;
    assert_eq!(store.cached_topics(PC, "en-US", None).unwrap(), None);

    store.cache_topics(PC, "en-US", None, &english).unwrap();
    store.cache_topics(PC, "de-DE", None, &german).unwrap();
    let (topics, fetched_at) = store.cached_topics(PC, "EN-us", None).unwrap().unwrap();
    assert_eq!(topics, english);
    assert!(fetched_at.ends_with('Z'));
    assert_eq!(store.cached_topics(PC, "de-de", None).unwrap().unwrap().0, german);

    let reversed: Vec<Topic> = english.iter().rev().cloned().collect();
    store.cache_topics(PC, "en-us", None, &reversed).unwrap();
    assert_eq!(
        store.cached_topics(PC, "en-US", None).unwrap().unwrap().0,
        reversed
    );
    assert_eq!(store.cached_topics(PC, "fr-FR", None).unwrap(), None);
}

// Each service keeps its own catalogue, and Azure's two levels apart: its services, and each
// service's problem classifications under that service's id. One never shows as another's.
#[test]
fn the_catalogue_cache_keeps_services_and_levels_apart() {
    let store = Store::open_in_memory().unwrap();
    let pc = vec![Topic {
        id: "32444671".into(),
        name: "Cannot manage my profile".into(),
        ..Topic::default()
    }];
    let vm = "/providers/Microsoft.Support/services/vm";
    let services = vec![Topic {
        id: vm.into(),
        name: "Virtual Machine running Windows".into(),
        ..Topic::default()
    }];
    let rdp = vec![Topic {
        id: format!("{vm}/problemClassifications/rdp"),
        name: "Connectivity / Cannot connect by RDP".into(),
        parent_id: Some(vm.into()),
        parent_name: Some("Virtual Machine running Windows".into()),
        ..Topic::default()
    }];
    store
        .cache_topics(Service::PartnerCenter, "en-US", None, &pc)
        .unwrap();
    store
        .cache_topics(Service::Azure, "en-US", None, &services)
        .unwrap();
    store
        .cache_topics(Service::Azure, "en-US", Some(vm), &rdp)
        .unwrap();
    let read = |service, parent| {
        store
            .cached_topics(service, "en-US", parent)
            .unwrap()
            .map(|c| c.0)
    };
    assert_eq!(read(Service::PartnerCenter, None), Some(pc));
    assert_eq!(read(Service::Azure, None), Some(services));
    assert_eq!(read(Service::Azure, Some(vm)), Some(rdp));
    assert_eq!(read(Service::PartnerCenter, Some(vm)), None);
    assert_eq!(
        read(
            Service::Azure,
            Some("/providers/Microsoft.Support/services/other")
        ),
        None
    );
}

#[test]
fn reopening_a_file_database_keeps_its_data() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/dir/pcsr.db");
    let id = {
        let store = Store::open(&path).unwrap();
        assert_eq!(store.path(), Some(path.as_path()));
        store
            .save_draft(&Draft {
                title: "kept".into(),
                ..Draft::default()
            })
            .unwrap();
        record(&store, &request("survives"))
    };
    let store = Store::open(&path).unwrap();
    assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
    assert_eq!(
        store.submission(id).unwrap().unwrap().request,
        request("survives")
    );
    assert_eq!(store.load_draft().unwrap().unwrap().title, "kept");
}

#[test]
fn database_from_a_newer_build_is_refused_with_a_clear_message() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("pcsr.db");
    drop(Store::open(&path).unwrap());
    let raw = rusqlite::Connection::open(&path).unwrap();
    raw.execute("UPDATE schema_version SET version = ?1", [SCHEMA_VERSION + 1])
        .unwrap();
    drop(raw);

    let Err(err) = Store::open(&path) else {
        panic!("a newer database must not open")
    };
    match &err {
        StoreError::TooNew {
            path: p,
            found,
            supported,
        } => {
            assert_eq!(
                (p.as_path(), *found, *supported),
                (path.as_path(), SCHEMA_VERSION + 1, SCHEMA_VERSION)
            );
        }
        other => panic!("expected TooNew, got {other:?}"),
    }
    let message = err.to_string();
    assert!(
        message.contains("upgrade pcsr-tui") && message.contains(&path.display().to_string()),
        "{message}"
    );
}

#[test]
fn unusable_data_directory_names_the_directory() {
    let dir = tempfile::tempdir().unwrap();
    let blocker = dir.path().join("file");
    std::fs::write(&blocker, "not a directory").unwrap();
    let Err(err) = Store::open(&blocker.join("sub/pcsr.db")) else {
        panic!("must fail")
    };
    assert!(
        matches!(&err, StoreError::Io { path, .. } if path == &blocker.join("sub")),
        "{err:?}"
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn any_request_round_trips_unchanged(
        title in any::<String>(),
        description in any::<String>(),
        severity in prop::sample::select(Severity::ALL),
        topic in "[0-9]{0,12}",
    ) {
        let store = Store::open_in_memory().unwrap();
        let req = NewTicket { title, description, severity: Some(severity), topic_id: topic, ..Default::default() };
        let id = record(&store, &req);
        let back = store.submission(id).unwrap().unwrap();
        prop_assert_eq!(&back.request, &req);
        let row = &store.history("", 0, 1).unwrap()[0];
        prop_assert_eq!(&row.title, &req.title);
    }
}

#[test]
fn send_errors_keep_unknown_outcomes_in_the_outbox_and_fail_refusals() {
    use pcsr_tui::api::error::{HttpFailure, RequestIds};
    let store = Store::open_in_memory().unwrap();
    let lost = record(&store, &request("answer lost"));
    let refused = record(&store, &request("refused"));
    let ids = RequestIds::new();
    let timeout = api::ApiError::Transport {
        message: "timed out".into(),
        timeout: true,
        ids,
    };
    let bad = api::ApiError::Http(Box::new(HttpFailure::from_response(
        400,
        br#"{"code": 3000, "description": "Invalid property: Title"}"#,
        None,
        ids,
    )));

    for (local_id, e) in [(lost, &timeout), (refused, &bad)] {
        store
            .record_send_outcome(local_id, e.outcome_unknown(), &e.to_string())
            .unwrap();
    }

    let outbox: Vec<i64> = store.outbox().unwrap().iter().map(|s| s.local_id).collect();
    assert_eq!(outbox, [lost]);
    let failed = store.submission(refused).unwrap().unwrap();
    assert_eq!(failed.state, SubmissionState::Failed);
    assert!(failed.last_error.unwrap().contains("Invalid property: Title"));
    assert!(
        store
            .submission(lost)
            .unwrap()
            .unwrap()
            .last_error
            .unwrap()
            .contains("timed out")
    );
}

#[test]
fn outbox_for_a_destination_reads_what_same_destination_accepts() {
    use pcsr_tui::outbox::same_destination;
    use pcsr_tui::worker::Origin;
    let store = Store::open_in_memory().unwrap();
    let req = request("to somewhere");
    let places = [
        ("sandbox", "http://127.0.0.1:39999"),
        ("sandbox", "http://127.0.0.1:40001/"),
        ("global", "https://api.partnercenter.microsoft.com"),
        ("global", "https://api.partnercenter.microsoft.com//"),
        ("global", "https://pc.example.com"),
        ("usgov", "https://api.partnercenter.microsoft.com"),
    ];
    for (cloud, base_url) in places {
        store
            .record_submission(&NewSubmission {
                request_id: Uuid::new_v4(),
                service: pcsr_tui::domain::Service::PartnerCenter,
                cloud,
                locale: "en-US",
                base_url,
                request: &req,
                attachments: &[],
                subscription: None,
            })
            .unwrap();
    }
    for (cloud, base_url) in places.iter().chain(&[("china", "https://x.example")]) {
        let here = Origin {
            service: pcsr_tui::domain::Service::PartnerCenter,
            cloud: cloud.to_string(),
            locale: "en-US".into(),
            base_url: base_url.to_string(),
        };
        let in_rust: Vec<i64> = store
            .outbox()
            .unwrap()
            .into_iter()
            .filter(|s| same_destination(s.service, &s.cloud, &s.base_url, &here))
            .map(|s| s.local_id)
            .collect();
        let in_sql: Vec<i64> = store
            .outbox_for(here.service, cloud, base_url)
            .unwrap()
            .iter()
            .map(|s| s.local_id)
            .collect();
        assert_eq!(in_sql, in_rust, "outbox for {cloud} at {base_url}");
        assert!(!in_sql.is_empty() || *cloud == "china");
    }
}
