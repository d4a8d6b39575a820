//! Many requests at once, for benches and demos of long lists: `POST /_sandbox/servicerequests`
//! with `{"count": 10000}` files that many partner requests in one transaction (filing them one
//! by one over HTTP takes about half a minute per 10,000).

use axum::body::Bytes;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use rusqlite::params;
use serde_json::Value;

use super::db::{Db, DbError, status_of};
use super::reply::{self, ErrorReply};
use super::state::SandboxState;
use super::{clock, records};
use crate::api::{NewServiceRequest, Severity, Status, wire};

/// Most requests one call may add.
pub const MAX_BULK: u64 = 100_000;

/// Smallest and largest 15-digit ids, like those create gives.
const ID_RANGE: std::ops::Range<u64> = 100_000_000_000_000..1_000_000_000_000_000;

impl Db {
    /// Stores `count` partner requests made by `build(id, n)` in one transaction.
    pub fn create_many(
        &self,
        count: u64,
        mut build: impl FnMut(String, u64) -> crate::api::ServiceRequest,
    ) -> Result<u64, DbError> {
        let mut conn = self.conn()?;
        let tx = conn.transaction()?;
        {
            let mut taken = tx.prepare("SELECT EXISTS(SELECT 1 FROM service_requests WHERE id = ?1)")?;
            let mut insert = tx.prepare(
                "INSERT INTO service_requests (id, request_id, tenant, status, body) VALUES (?1, NULL, NULL, ?2, ?3)",
            )?;
            for n in 0..count {
                let id = loop {
                    let candidate = rand::random_range(ID_RANGE).to_string();
                    if !taken.query_row([&candidate], |r| r.get::<_, bool>(0))? {
                        break candidate;
                    }
                };
                let sr = build(id.clone(), n);
                insert.execute(params![id, status_of(&sr), serde_json::to_string(&sr)?])?;
            }
        }
        tx.commit()?;
        Ok(count)
    }
}

/// `POST /_sandbox/servicerequests` `{"count": N}`: N partner requests titled "Sandbox request
/// 1..N" (newest last), with topics, severities and statuses in rotation.
pub async fn add_many(State(state): State<SandboxState>, body: Bytes) -> Result<Response, ErrorReply> {
    let value = wire::parse_value(&body).map_err(|e| {
        ErrorReply::invalid_input(format!("the body is not JSON: {e}; send {{\"count\": 1000}}"))
    })?;
    let count = value
        .get("count")
        .and_then(Value::as_u64)
        .filter(|n| (1..=MAX_BULK).contains(n))
        .ok_or_else(|| {
            ErrorReply::invalid_property(format!("count: a whole number from 1 to {MAX_BULK} is required"))
        })?;
    let topics: Vec<String> = state.topics().iter().map(|t| t.id.to_string()).collect();
    let facts: Vec<_> = topics.iter().map(|t| state.topic_facts(t)).collect();
    let identity = state.identity().clone();
    let added = state
        .with_db(move |db| {
            let now = clock::now();
            db.create_many(count, |id, n| {
                let pick = usize::try_from(n).unwrap_or(0);
                let new = NewServiceRequest {
                    title: format!("Sandbox request {}", n + 1),
                    description: format!("Bulk request {} for long lists.", n + 1),
                    severity: Severity::CHOOSABLE[pick % 3],
                    support_topic_id: topics[pick % topics.len()].clone(),
                };
                let mut sr = records::new_request(id, &new, &[], &facts[pick % facts.len()], &identity, &now);
                sr.status = Some(
                    [
                        Status::Open,
                        Status::Open,
                        Status::Closed,
                        Status::AttentionNeeded,
                    ][pick % 4],
                );
                sr
            })
        })
        .await?;
    Ok(reply::json(
        StatusCode::CREATED,
        &serde_json::json!({ "added": added }),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn many_requests_land_in_one_call_newest_last() {
        let db = Db::open(None).unwrap();
        let added = db
            .create_many(250, |id, n| crate::api::ServiceRequest {
                id: Some(id),
                title: Some(format!("R{n}")),
                status: Some(Status::Open),
                ..Default::default()
            })
            .unwrap();
        assert_eq!(added, 250);
        assert_eq!(db.count(None).unwrap(), 250);
        let page = db.list(None, None, 0, 2).unwrap();
        assert_eq!(page.items[0].title.as_deref(), Some("R249"));
        assert!(page.more);
    }
}
