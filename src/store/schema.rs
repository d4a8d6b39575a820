//! Schema migrations: an ordered list of SQL steps, each applied once in its own transaction.

use std::path::Path;

use rusqlite::{Connection, OptionalExtension, TransactionBehavior};

use super::{Result, StoreError};

/// Step `i` takes the database from version `i` to `i + 1`. Append only: never edit a step
/// that has shipped, since databases out there already ran it.
const MIGRATIONS: &[&str] = &[
    // 1: submissions (with the history list's columns denormalized), the draft, the topic cache.
    r#"
    CREATE TABLE submissions (
        local_id     INTEGER PRIMARY KEY,
        request_id   TEXT NOT NULL UNIQUE,
        cloud        TEXT NOT NULL,
        locale       TEXT NOT NULL,
        base_url     TEXT NOT NULL,
        request_json TEXT NOT NULL,
        state        TEXT NOT NULL CHECK (state IN ('sending', 'created', 'failed')),
        server_json  TEXT,
        server_id    TEXT,
        last_error   TEXT,
        created_at   TEXT NOT NULL,
        updated_at   TEXT NOT NULL,
        title        TEXT NOT NULL,
        severity     TEXT NOT NULL,
        topic_id     TEXT NOT NULL,
        topic_name   TEXT,
        status       TEXT,
        -- Lowercased title, server id and topic, so the filter is case-insensitive beyond ASCII.
        search       TEXT NOT NULL
    );
    -- History order; `search` rides along so a filtered scan reads only this index and visits
    -- the (wide) table rows of matches alone.
    CREATE INDEX submissions_newest ON submissions (created_at DESC, local_id DESC, search);
    CREATE INDEX submissions_server_id ON submissions (server_id);
    CREATE INDEX submissions_outbox ON submissions (state, created_at);

    CREATE TABLE draft (
        id          INTEGER PRIMARY KEY CHECK (id = 1),
        title       TEXT NOT NULL,
        description TEXT NOT NULL,
        severity    TEXT,
        topic_id    TEXT,
        saved_at    TEXT NOT NULL
    );

    CREATE TABLE topic_cache (
        locale      TEXT PRIMARY KEY,
        topics_json TEXT NOT NULL,
        fetched_at  TEXT NOT NULL
    );
    "#,
    // 2: following requests: the fingerprint of the last server copy, the one the user last
    // opened, the `updated` mark, and when the request was last re-read.
    r#"
    ALTER TABLE submissions ADD COLUMN fingerprint TEXT;
    ALTER TABLE submissions ADD COLUMN seen_fingerprint TEXT;
    ALTER TABLE submissions ADD COLUMN updated INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE submissions ADD COLUMN checked_at TEXT;
    -- The re-read queue: open requests of one destination, least recently checked first.
    CREATE INDEX submissions_recheck ON submissions (base_url, checked_at, local_id)
        WHERE state = 'created' AND server_id IS NOT NULL AND coalesce(status, '') <> 'closed';
    CREATE INDEX submissions_updated ON submissions (updated) WHERE updated = 1;
    "#,
    // 3: notes being written in the TUI, kept across restarts until they are sent: the text,
    // and the MS-RequestId of its last send (a resend after a lost answer must reuse it).
    r#"
    CREATE TABLE note_drafts (
        server_id   TEXT PRIMARY KEY,
        local_id    INTEGER,
        customer    TEXT,
        body        TEXT NOT NULL,
        request_id  TEXT NOT NULL,
        sent_body   TEXT,
        maybe_added INTEGER NOT NULL DEFAULT 0,
        saved_at    TEXT NOT NULL
    );
    "#,
    // 4: one model for every service. Rows say which service holds them, and server copies
    // are stored as domain tickets: the Partner Center copies written before (the client's
    // camelCase form) are rewritten into that shape, keeping the old copy as `asSent` (what
    // `--json` prints). An unset date (`0001-01-01...`) becomes "unset"; a status or severity
    // the old build did not know stays as the word it was.
    r#"
    ALTER TABLE submissions ADD COLUMN service TEXT NOT NULL DEFAULT 'partner-center';
    UPDATE submissions SET server_json = json_object(
        'service', 'partner-center',
        'id', json_extract(server_json, '$.id'),
        'title', json_extract(server_json, '$.title'),
        'description', json_extract(server_json, '$.description'),
        'severity', CASE WHEN json_extract(server_json, '$.severity') IN ('critical', 'moderate', 'minimal')
            THEN json_extract(server_json, '$.severity') END,
        'severityOther', CASE WHEN json_extract(server_json, '$.severity') NOT IN ('critical', 'moderate', 'minimal', 'unknown')
            THEN CAST(json_extract(server_json, '$.severity') AS TEXT) END,
        'status', CASE WHEN json_extract(server_json, '$.status') IN ('none', 'open', 'closed', 'attention_needed')
            THEN json_extract(server_json, '$.status') END,
        'statusOther', CASE WHEN json_extract(server_json, '$.status') NOT IN ('none', 'open', 'closed', 'attention_needed')
            THEN CAST(json_extract(server_json, '$.status') AS TEXT) END,
        'topic', json_object(
            'id', json_extract(server_json, '$.supportTopicId'),
            'name', json_extract(server_json, '$.supportTopicName')),
        'organization', json(CASE WHEN json_type(server_json, '$.organization') = 'object' THEN json_object(
            'id', json_extract(server_json, '$.organization.id'),
            'name', json_extract(server_json, '$.organization.name'),
            'phone', json_extract(server_json, '$.organization.phoneNumber')) END),
        'contact', json(CASE WHEN json_type(server_json, '$.primaryContact') = 'object' THEN json_object(
            'id', json_extract(server_json, '$.primaryContact.contactId'),
            'firstName', json_extract(server_json, '$.primaryContact.firstName'),
            'lastName', json_extract(server_json, '$.primaryContact.lastName'),
            'email', json_extract(server_json, '$.primaryContact.email'),
            'phone', json_extract(server_json, '$.primaryContact.phoneNumber'),
            'organization', json(CASE WHEN json_type(server_json, '$.primaryContact.organization') = 'object' THEN json_object(
                'id', json_extract(server_json, '$.primaryContact.organization.id'),
                'name', json_extract(server_json, '$.primaryContact.organization.name'),
                'phone', json_extract(server_json, '$.primaryContact.organization.phoneNumber')) END)) END),
        'lastUpdatedBy', json(CASE WHEN json_type(server_json, '$.lastUpdatedBy') = 'object' THEN json_object(
            'id', json_extract(server_json, '$.lastUpdatedBy.contactId'),
            'firstName', json_extract(server_json, '$.lastUpdatedBy.firstName'),
            'lastName', json_extract(server_json, '$.lastUpdatedBy.lastName'),
            'email', json_extract(server_json, '$.lastUpdatedBy.email'),
            'phone', json_extract(server_json, '$.lastUpdatedBy.phoneNumber'),
            'organization', json(CASE WHEN json_type(server_json, '$.lastUpdatedBy.organization') = 'object' THEN json_object(
                'id', json_extract(server_json, '$.lastUpdatedBy.organization.id'),
                'name', json_extract(server_json, '$.lastUpdatedBy.organization.name'),
                'phone', json_extract(server_json, '$.lastUpdatedBy.organization.phoneNumber')) END)) END),
        'product', coalesce(json_extract(server_json, '$.productName'), json_extract(server_json, '$.productId')),
        'country', json_extract(server_json, '$.countryCode'),
        'created', json(CASE WHEN json_extract(server_json, '$.createdDate') IS NULL THEN NULL
            WHEN substr(json_extract(server_json, '$.createdDate'), 1, 10) = '0001-01-01' THEN '"unset"'
            ELSE json_object('at', json_extract(server_json, '$.createdDate')) END),
        'modified', json(CASE WHEN json_extract(server_json, '$.lastModifiedDate') IS NULL THEN NULL
            WHEN substr(json_extract(server_json, '$.lastModifiedDate'), 1, 10) = '0001-01-01' THEN '"unset"'
            ELSE json_object('at', json_extract(server_json, '$.lastModifiedDate')) END),
        'closed', json(CASE WHEN json_extract(server_json, '$.lastClosedDate') IS NULL THEN NULL
            WHEN substr(json_extract(server_json, '$.lastClosedDate'), 1, 10) = '0001-01-01' THEN '"unset"'
            ELSE json_object('at', json_extract(server_json, '$.lastClosedDate')) END),
        'notes', json((SELECT json_group_array(json_object(
            'author', json_extract(n.value, '$.createdByName'),
            'created', json(CASE WHEN json_extract(n.value, '$.createdDate') IS NULL THEN NULL
            WHEN substr(json_extract(n.value, '$.createdDate'), 1, 10) = '0001-01-01' THEN '"unset"'
            ELSE json_object('at', json_extract(n.value, '$.createdDate')) END),
            'text', json_extract(n.value, '$.text')))
            FROM json_each(server_json, '$.notes') AS n)),
        'attachments', json('[]'),
        'asSent', json(server_json))
    WHERE server_json IS NOT NULL AND json_valid(server_json) AND json_extract(server_json, '$.service') IS NULL;
    -- The old cache held Partner Center topics with numeric ids; the new one holds domain
    -- topics. It is only a cache: it fills again on the next read.
    DELETE FROM topic_cache;
    "#,
    // 5: notes and closes in the outbox, recorded with their MS-RequestId before the first send
    // (kept while the outcome is unknown, `applied` once the service is known to hold them).
    r#"
    CREATE TABLE changes (
        local_id    INTEGER PRIMARY KEY,
        kind        TEXT NOT NULL CHECK (kind IN ('note', 'close')),
        request_id  TEXT NOT NULL UNIQUE,
        server_id   TEXT NOT NULL,
        customer    TEXT,
        body        TEXT,
        cloud       TEXT NOT NULL,
        base_url    TEXT NOT NULL,
        state       TEXT NOT NULL CHECK (state IN ('sending', 'applied')),
        last_error  TEXT,
        created_at  TEXT NOT NULL,
        updated_at  TEXT NOT NULL
    );
    CREATE INDEX changes_outbox ON changes (state, created_at);
    "#,
    // 6: both services' notes and closes in one outbox: which service holds the request, and
    // the note's subject (Azure keeps one with every communication).
    r#"
    ALTER TABLE changes ADD COLUMN service TEXT NOT NULL DEFAULT 'partner-center';
    ALTER TABLE changes ADD COLUMN subject TEXT;
    "#,
    // 7: one catalogue cache per service and level: a service's first level under parent '',
    // each branch (an Azure service's problem classifications) under its parent's id, each
    // with its age. Partner Center's lists are kept; a list an earlier build cached from Azure
    // under the locale alone is dropped (it fills again on the next read).
    r#"
    CREATE TABLE catalogue_cache (
        service     TEXT NOT NULL,
        locale      TEXT NOT NULL,
        parent      TEXT NOT NULL DEFAULT '',
        topics_json TEXT NOT NULL,
        fetched_at  TEXT NOT NULL,
        PRIMARY KEY (service, locale, parent)
    );
    INSERT INTO catalogue_cache (service, locale, parent, topics_json, fetched_at)
        SELECT 'partner-center', locale, '', topics_json, fetched_at FROM topic_cache
        WHERE topics_json NOT LIKE '%/providers/Microsoft.Support/%';
    DROP TABLE topic_cache;
    "#,
    // 8: the files added to the form's Attachments field, kept with the draft (JSON array of
    // `{path, size}`).
    r#"
    ALTER TABLE draft ADD COLUMN attachments TEXT NOT NULL DEFAULT '[]';
    "#,
    // 9: what a resend from the outbox needs to do what the first send would have: the files
    // a submit uploads once it is filed (JSON array of paths), and the Azure scope a submit,
    // note or close was sent under ('' tenant level, else the subscription; NULL for Partner
    // Center and older rows).
    r#"
    ALTER TABLE submissions ADD COLUMN attachments TEXT NOT NULL DEFAULT '[]';
    ALTER TABLE submissions ADD COLUMN subscription TEXT;
    ALTER TABLE changes ADD COLUMN subscription TEXT;
    "#,
];

/// The newest schema version this build knows.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// The version recorded in the database (0 for a fresh file).
pub(crate) fn version(conn: &Connection) -> rusqlite::Result<i64> {
    let has_table: bool = conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version')",
        [],
        |row| row.get(0),
    )?;
    if !has_table {
        return Ok(0);
    }
    Ok(conn
        .query_row("SELECT version FROM schema_version", [], |row| row.get(0))
        .optional()?
        .unwrap_or(0))
}

/// Brings the database up to [`SCHEMA_VERSION`], refusing one written by a newer build.
pub(crate) fn migrate(conn: &Connection, path: &Path) -> Result<()> {
    loop {
        // IMMEDIATE takes the write lock before reading the version, so two processes opening
        // a fresh file at once cannot both run the same step.
        let tx = rusqlite::Transaction::new_unchecked(conn, TransactionBehavior::Immediate)?;
        tx.execute_batch("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)")?;
        let found = version(&tx)?;
        if found > SCHEMA_VERSION {
            return Err(StoreError::TooNew {
                path: path.to_path_buf(),
                found,
                supported: SCHEMA_VERSION,
            });
        }
        let Some(step) = usize::try_from(found).ok().and_then(|i| MIGRATIONS.get(i)) else {
            tx.commit()?;
            return Ok(());
        };
        tx.execute_batch(step)?;
        tx.execute("DELETE FROM schema_version", [])?;
        tx.execute("INSERT INTO schema_version (version) VALUES (?1)", [found + 1])?;
        tx.commit()?;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fresh_database_reaches_newest_version_and_reopening_is_a_no_op() {
        let conn = Connection::open_in_memory().unwrap();
        migrate(&conn, Path::new(":memory:")).unwrap();
        assert_eq!(version(&conn).unwrap(), SCHEMA_VERSION);
        migrate(&conn, Path::new(":memory:")).unwrap();
        let rows: i64 = conn
            .query_row("SELECT count(*) FROM schema_version", [], |r| r.get(0))
            .unwrap();
        assert_eq!(rows, 1);
    }

    #[test]
    fn version_7_keeps_partner_centers_cached_topics_and_drops_an_azure_list_cached_as_its() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v6.sqlite");
        {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch("CREATE TABLE schema_version (version INTEGER NOT NULL);")
                .unwrap();
            for step in &MIGRATIONS[..6] {
                conn.execute_batch(step).unwrap();
            }
            conn.execute_batch(
                "INSERT INTO schema_version (version) VALUES (6);
                 INSERT INTO topic_cache VALUES ('en-us', '[{\"id\":\"32444671\",\"name\":\"Profile\"}]', '2026-12-01T00:00:00Z');
                 INSERT INTO topic_cache VALUES ('de-de',
                     '[{\"id\":\"/providers/Microsoft.Support/services/vm\",\"name\":\"VM\"}]', '2026-12-01T00:00:00Z');",
            )
            .unwrap();
        }
        let store = crate::store::Store::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
        let pc = crate::domain::Service::PartnerCenter;
        let (topics, fetched_at) = store.cached_topics(pc, "en-US", None).unwrap().unwrap();
        assert_eq!(
            (topics[0].id.as_str(), fetched_at.as_str()),
            ("32444671", "2026-12-01T00:00:00Z")
        );
        assert_eq!(store.cached_topics(pc, "de-DE", None).unwrap(), None);
    }

    #[test]
    fn a_version_1_database_keeps_its_rows_and_gains_the_follow_columns() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v1.sqlite");
        {
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch(MIGRATIONS[0]).unwrap();
            conn.execute_batch(
                "CREATE TABLE schema_version (version INTEGER NOT NULL);
                 INSERT INTO schema_version (version) VALUES (1);
                 INSERT INTO submissions (request_id, cloud, locale, base_url, request_json, state, server_json,
                     server_id, created_at, updated_at, title, severity, topic_id, status, search)
                 VALUES ('8d3c1f1e-5a7b-4c6d-9e0f-112233445566', 'sandbox', 'en-US', 'http://127.0.0.1:1',
                     '{\"title\":\"Old\",\"description\":\"d\",\"severity\":\"minimal\",\"support_topic_id\":\"32444667\"}',
                     'created', '{\"id\":\"616000000000001\",\"status\":\"open\",\"title\":\"Old\"}',
                     '616000000000001', '2025-01-01T00:00:00.000000Z', '2025-01-01T00:00:00.000000Z', 'Old',
                     'minimal', '32444667', 'open', 'old');",
            )
            .unwrap();
        }
        let store = crate::store::Store::open(&path).unwrap();
        assert_eq!(store.schema_version().unwrap(), SCHEMA_VERSION);
        let rows = store.history("", 0, 10).unwrap();
        assert_eq!(rows.len(), 1);
        assert_eq!(
            (rows[0].title.as_str(), rows[0].status, rows[0].updated),
            ("Old", Some(crate::domain::Status::Open), false)
        );
        // Never re-read under the old schema, so it is first in the queue.
        let due = store
            .due_for_refresh(
                crate::domain::Service::PartnerCenter,
                "global",
                "http://127.0.0.1:1",
                std::time::Duration::from_secs(300),
                5,
            )
            .unwrap();
        assert_eq!(due.len(), 1);
        assert_eq!(due[0].server_id, "616000000000001");
        // The first fresh copy is compared with the copy the old schema kept.
        let mut fresh = store
            .submission(rows[0].local_id)
            .unwrap()
            .unwrap()
            .server
            .unwrap();
        fresh.status = Some(crate::domain::Status::AttentionNeeded);
        let refreshed = store.record_refresh(&fresh).unwrap().unwrap();
        assert!(refreshed.updated && refreshed.changed);
    }

    #[test]
    fn partner_center_copies_of_older_builds_become_domain_tickets() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("v3.sqlite");
        let answer = include_str!("../../tests/fixtures/create-response.json");
        let sent: serde_json::Value = serde_json::from_str(answer.trim()).unwrap();
        // Older builds stored the client's camelCase form, with an unknown status kept as sent.
        let mut stored = sent.clone();
        stored["status"] = "resolved".into();
        stored["notes"] = serde_json::json!([{"createdByName": "Agent", "createdDate": "2025-01-02T03:04:05Z", "text": "hi"}]);
        {
            let conn = Connection::open(&path).unwrap();
            for step in &MIGRATIONS[..3] {
                conn.execute_batch(step).unwrap();
            }
            conn.execute_batch(
                "CREATE TABLE schema_version (version INTEGER NOT NULL);
                 INSERT INTO schema_version (version) VALUES (3);",
            )
            .unwrap();
            conn.execute(
                "INSERT INTO submissions (request_id, cloud, locale, base_url, request_json, state, server_json,
                     server_id, created_at, updated_at, title, severity, topic_id, status, search)
                 VALUES ('8d3c1f1e-5a7b-4c6d-9e0f-112233445566', 'global', 'en-US', 'https://x',
                     '{\"title\":\"TrialSR\",\"description\":\"d\",\"severity\":\"critical\",\"support_topic_id\":\"32444671\"}',
                     'created', ?1, '616122292874576', '2025-01-01T00:00:00.000000Z',
                     '2025-01-01T00:00:00.000000Z', 'TrialSR', 'critical', '32444671', NULL, '')",
                [stored.to_string()],
            )
            .unwrap();
        }
        let store = crate::store::Store::open(&path).unwrap();
        let row = store
            .submission_by_server_id(crate::domain::Service::PartnerCenter, "616122292874576")
            .unwrap()
            .unwrap();
        assert_eq!(row.request.topic_id, "32444671");
        let t = row.server.unwrap();
        assert_eq!(t.service, crate::domain::Service::PartnerCenter);
        assert_eq!(t.status, None);
        assert_eq!(t.status_text().as_deref(), Some("resolved"));
        assert_eq!(t.severity, Some(crate::domain::Severity::Critical));
        assert_eq!(t.organization.unwrap().phone.as_deref(), Some("2398391056"));
        let contact = t.contact.unwrap();
        assert_eq!(
            contact.email.as_deref(),
            Some("admin@testtestbugbash1.onmicrosoft.com")
        );
        assert_eq!(
            contact.organization.and_then(|o| o.name).as_deref(),
            Some("TEST_TEST_BugBash1")
        );
        assert_eq!(t.created, Some(crate::domain::Stamp::Unset));
        assert_eq!(t.notes.len(), 1);
        assert_eq!(t.notes[0].author.as_deref(), Some("Agent"));
        assert_eq!(
            t.notes[0].created,
            Some(crate::domain::Stamp::At("2025-01-02T03:04:05Z".into()))
        );
        assert_eq!(
            t.as_sent, stored,
            "--json keeps printing what the older build stored"
        );
    }

    #[test]
    fn newer_database_is_refused_with_both_versions() {
        let conn = Connection::open_in_memory().unwrap();
        migrate(&conn, Path::new("x.db")).unwrap();
        conn.execute("UPDATE schema_version SET version = ?1", [SCHEMA_VERSION + 3])
            .unwrap();
        match migrate(&conn, Path::new("x.db")) {
            Err(StoreError::TooNew {
                found,
                supported,
                path,
            }) => {
                assert_eq!((found, supported), (SCHEMA_VERSION + 3, SCHEMA_VERSION));
                assert_eq!(path, Path::new("x.db"));
            }
            other => panic!("expected TooNew, got {other:?}"),
        }
    }
}
