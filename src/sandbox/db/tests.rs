//! The sandbox database's tests: idempotent creates, tenants, paging, once-only updates, old files.

use super::*;

fn sr(id: String, status: Status) -> ServiceRequest {
    ServiceRequest {
        id: Some(id),
        status: Some(status),
        support_topic_id: Some("32444667".to_string()),
        ..Default::default()
    }
}

#[test]
fn create_is_idempotent_per_request_id_and_ids_are_15_digits() {
    let db = Db::open(None).unwrap();
    let (first, created) = db
        .create_once("ABC", None, None, |id| sr(id, Status::Open))
        .unwrap();
    assert!(created);
    let id = first.id.clone().unwrap();
    assert!(id.len() == 15 && id.chars().all(|c| c.is_ascii_digit()), "{id}");
    let (again, created) = db
        .create_once("abc", None, None, |id| sr(id, Status::Closed))
        .unwrap();
    assert!(!created);
    assert_eq!(again, first);
    assert_eq!(db.count(None).unwrap(), 1);
}

#[test]
fn tenants_see_only_their_own_requests() {
    let db = Db::open(None).unwrap();
    let (partner, _) = db
        .create_once("p", None, None, |id| sr(id, Status::Open))
        .unwrap();
    let (customer, _) = db
        .create_once("c", Some("TENANT"), None, |id| sr(id, Status::Open))
        .unwrap();
    let pid = partner.id.unwrap();
    let cid = customer.id.unwrap();
    let stored = db.get(None, &pid).unwrap().unwrap();
    assert_eq!(
        stored.support_topic_id.as_deref(),
        Some("32444667"),
        "multi-word fields survive storage"
    );
    assert!(db.get(None, &cid).unwrap().is_none());
    assert!(db.get(Some("tenant"), &cid).unwrap().is_some());
    assert!(db.update(Some("other"), &cid, |_| {}).unwrap().is_none());
    assert_eq!(db.list(None, None, 0, 10).unwrap().items.len(), 1);
    assert_eq!(
        db.list(Some("tenant"), None, 0, 10).unwrap().items[0]
            .id
            .as_deref(),
        Some(cid.as_str())
    );
}

#[test]
fn list_pages_newest_first_and_filters_on_status() {
    let db = Db::open(None).unwrap();
    let mut ids = Vec::new();
    for n in 0..5 {
        let status = if n % 2 == 0 { Status::Open } else { Status::Closed };
        ids.push(
            db.create_once(&n.to_string(), None, None, |id| sr(id, status))
                .unwrap()
                .0
                .id
                .unwrap(),
        );
    }
    let first = db.list(None, None, 0, 2).unwrap();
    assert!(first.more);
    assert_eq!(first.items[0].id.as_ref(), Some(&ids[4]));
    let last = db.list(None, None, 4, 2).unwrap();
    assert_eq!((last.items.len(), last.more), (1, false));
    let open = db.list(None, Some(Status::Open), 0, 10).unwrap();
    assert_eq!(open.items.len(), 3);
    db.update(None, &ids[0], |s| s.status = Some(Status::Closed))
        .unwrap();
    assert_eq!(db.list(None, Some(Status::Open), 0, 10).unwrap().items.len(), 2);
}

#[test]
fn list_pages_are_read_in_index_order_without_a_sort() {
    let db = Db::open(None).unwrap();
    let conn = db.conn().unwrap();
    for (sql, index) in [
        (
            "SELECT body FROM service_requests WHERE tenant IS NULL AND NULL IS NULL ORDER BY seq DESC LIMIT 5",
            "service_requests_scope",
        ),
        (
            "SELECT body FROM service_requests WHERE tenant IS NULL AND status = 'open' ORDER BY seq DESC LIMIT 5",
            "service_requests_scope_status",
        ),
    ] {
        let plan: Vec<String> = conn
            .prepare(&format!("EXPLAIN QUERY PLAN {sql}"))
            .unwrap()
            .query_map([], |r| r.get::<_, String>(3))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        let plan = plan.join(" | ");
        assert!(plan.contains(index) && !plan.contains("TEMP B-TREE"), "{plan}");
    }
}

#[test]
fn an_update_is_applied_once_per_request_id() {
    let db = Db::open(None).unwrap();
    let (filed, _) = db
        .create_once("c", None, None, |id| sr(id, Status::Open))
        .unwrap();
    let id = filed.id.unwrap();
    let add_note = |s: &mut ServiceRequest| {
        s.notes.get_or_insert_with(Vec::new).push(Default::default());
    };
    let Updated::Applied(first) = db.update_once("U1", None, None, &id, add_note).unwrap() else {
        panic!("first update not applied")
    };
    assert_eq!(
        db.update_once("u1", None, None, &id, add_note).unwrap(),
        Updated::Replayed(first)
    );
    let stored = db.get(None, &id).unwrap().unwrap();
    assert_eq!(stored.notes.map(|n| n.len()), Some(1), "the retry added nothing");
    assert_eq!(
        db.update_once("u2", None, None, "nope", add_note).unwrap(),
        Updated::Missing
    );
    let (other, _) = db
        .create_once("d", None, None, |id| sr(id, Status::Open))
        .unwrap();
    assert_eq!(
        db.update_once("u1", None, None, other.id.as_deref().unwrap(), add_note)
            .unwrap(),
        Updated::Reused
    );
}

#[test]
fn a_file_from_before_agent_replies_gains_the_column() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.sqlite");
    {
        let conn = Connection::open(&path).unwrap();
        conn.execute_batch(
            "CREATE TABLE service_requests (seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, \
             request_id TEXT UNIQUE, tenant TEXT, status TEXT NOT NULL, body TEXT NOT NULL);
             INSERT INTO service_requests (id, request_id, tenant, status, body)
             VALUES ('111111111111111', 'r', NULL, 'open', '{\"id\":\"111111111111111\",\"status\":\"open\"}');",
        )
        .unwrap();
    }
    let db = Db::open(Some(&path)).unwrap();
    assert_eq!(
        db.get(None, "111111111111111").unwrap().unwrap().status,
        Some(Status::Open)
    );
    let (_, created) = db
        .create_once("new", None, Some(5), |id| sr(id, Status::Open))
        .unwrap();
    assert!(created);
    drop(db);
    assert!(
        Db::open(Some(&path)).is_ok(),
        "reopening does not add the column twice"
    );
}
