//! The eight service-request routes as methods, and paging through collections by their links.

use reqwest::{Method, Url};
use serde::de::DeserializeOwned;

use super::retry::decode;
use super::{Answer, Client, ListQuery, Scope, encode};
use crate::api::error::{ApiError, RequestIds, excerpt};
use crate::api::mapping;
use crate::api::model::{
    Collection, CreateBody, NewServiceRequest, ServiceRequest, ServiceRequestPatch, Status, SupportTopic,
};
use crate::api::wire;
use crate::domain::{Change, NewTicket, Page, Ticket, Topic};

impl Client {
    /// Route 1: files a new request. `ids.request_id` is the idempotency key: pass the stored one
    /// when resending from the outbox.
    pub async fn create(&self, ticket: &NewTicket, ids: RequestIds) -> Result<Answer<Ticket>, ApiError> {
        let answer = self.create_wire(&mapping::new_request(ticket), ids).await?;
        Ok(Answer {
            value: mapping::ticket(&answer.value),
            status: answer.status,
            ids: answer.ids,
        })
    }

    /// Route 1 in the service's own terms (the sandbox's and the wire's tests).
    pub async fn create_wire(
        &self,
        request: &NewServiceRequest,
        ids: RequestIds,
    ) -> Result<Answer<ServiceRequest>, ApiError> {
        let body = serde_json::to_vec(&CreateBody::new(request)).map_err(|e| ApiError::Url {
            url: String::new(),
            reason: format!("could not encode the request: {e}"),
        })?;
        let path = format!("/v1/servicerequests/{}", encode(&self.config.locale));
        self.call(Method::POST, self.url(&path)?, Some(body), ids).await
    }

    /// Route 2: every support topic, following `next` links.
    pub async fn topics(&self) -> Result<Vec<Topic>, ApiError> {
        let url = self.url("/v1/servicerequests/supporttopics")?;
        let topics: Vec<SupportTopic> = self.all_pages(url, usize::MAX).await?;
        Ok(topics.iter().map(mapping::topic).collect())
    }

    /// Route 2 for `topics --json`: the topics, and the service's collection as it sent it (its
    /// own `totalCount`, key case and extra fields). Items of further pages, if the service
    /// pages, are appended to that collection's `items`.
    pub async fn topics_as_sent(&self) -> Result<(Vec<Topic>, serde_json::Value), ApiError> {
        let url = self.url("/v1/servicerequests/supporttopics")?;
        let raw = self.exchange(Method::GET, url, None, RequestIds::new()).await?;
        let first: Answer<Collection<SupportTopic>> =
            decode(raw.status, &raw.value, raw.ids).map_err(|e| raw.settle(e))?;
        let mut sent: serde_json::Value =
            serde_json::from_slice(wire::trim_body(&raw.value)).map_err(|e| ApiError::Decode {
                status: raw.status,
                message: e.to_string(),
                excerpt: excerpt(&raw.value),
                ids: raw.ids,
            })?;
        let mut topics = first.value.items.clone();
        if let Some(next) = first.value.next_uri() {
            let rest: Vec<SupportTopic> = self.all_pages(self.link_url(next)?, usize::MAX).await?;
            if let Some(items) = sent
                .as_object_mut()
                .and_then(|o| o.iter_mut().find(|(k, _)| k.eq_ignore_ascii_case("items")))
                .and_then(|(_, v)| v.as_array_mut())
            {
                items.extend(rest.iter().filter_map(|t| serde_json::to_value(t).ok()));
            }
            topics.extend(rest);
        }
        Ok((topics.iter().map(mapping::topic).collect(), sent))
    }

    /// Routes 3 and 6: one page of requests.
    pub async fn list(&self, scope: &Scope, query: &ListQuery) -> Result<Page, ApiError> {
        Ok(page(self.list_wire(scope, query).await?))
    }

    /// Routes 3 and 6 in the service's own terms: one page as a collection.
    pub async fn list_wire(
        &self,
        scope: &Scope,
        query: &ListQuery,
    ) -> Result<Collection<ServiceRequest>, ApiError> {
        let mut url = self.url(&scope.collection_path())?;
        {
            let mut pairs = url.query_pairs_mut();
            if let Some(size) = query.size {
                pairs.append_pair("size", &size.to_string());
            }
            if let Some(offset) = query.offset {
                pairs.append_pair("offset", &offset.to_string());
            }
            if let Some(status) = query.status.and_then(mapping::status) {
                let filter =
                    serde_json::json!({"Field": "Status", "Value": status.as_wire(), "Operator": "equals"});
                pairs.append_pair("filter", &filter.to_string());
            }
        }
        if url.query() == Some("") {
            url.set_query(None);
        }
        Ok(self.call(Method::GET, url, None, RequestIds::new()).await?.value)
    }

    /// Routes 3 and 6, every page up to `limit` items, following `links.next`.
    pub async fn list_all(
        &self,
        scope: &Scope,
        query: &ListQuery,
        limit: usize,
    ) -> Result<Vec<Ticket>, ApiError> {
        let first = self.list_wire(scope, query).await?;
        let mut items = first.items.clone();
        if let Some(next) = first.next_uri() {
            let url = self.link_url(next)?;
            let rest: Vec<ServiceRequest> = self.all_pages(url, limit.saturating_sub(items.len())).await?;
            items.extend(rest);
        }
        items.truncate(limit);
        Ok(items.iter().map(mapping::ticket).collect())
    }

    /// Routes 4 and 7: one request by id.
    pub async fn get(&self, scope: &Scope, id: &str) -> Result<Ticket, ApiError> {
        Ok(mapping::ticket(&self.get_wire(scope, id).await?))
    }

    /// Routes 4 and 7 in the service's own terms.
    pub async fn get_wire(&self, scope: &Scope, id: &str) -> Result<ServiceRequest, ApiError> {
        let url = self.url(&format!("{}/{}", scope.collection_path(), encode(id)))?;
        Ok(self.call(Method::GET, url, None, RequestIds::new()).await?.value)
    }

    /// Routes 5 and 8 with the caller's ids: `ids.request_id` makes a resend of the same change
    /// (after an unknown outcome) safe, as the service applies it once. The request as it
    /// stands afterwards; a 204 answer (the newer reference's success) is followed by a read.
    pub async fn update_with_ids(
        &self,
        scope: &Scope,
        id: &str,
        patch: &ServiceRequestPatch,
        ids: RequestIds,
    ) -> Result<ServiceRequest, ApiError> {
        let url = self.url(&format!("{}/{}", scope.collection_path(), encode(id)))?;
        let body = serde_json::to_vec(patch).map_err(|e| ApiError::Url {
            url: url.to_string(),
            reason: format!("could not encode: {e}"),
        })?;
        let raw = self.exchange(Method::PATCH, url, Some(body), ids).await?;
        match decode::<ServiceRequest>(raw.status, &raw.value, raw.ids) {
            Ok(answer) => Ok(answer.value),
            // 204 No Content is the newer reference's success for an update, and any other
            // success whose body we cannot read still means the change was made: read it back
            // (a GET, so the change itself is never sent twice).
            Err(e) => {
                tracing::info!(
                    status = raw.status,
                    "update answered without a readable body: {e}; reading it back"
                );
                self.get_wire(scope, id).await
            }
        }
    }

    /// Routes 5 and 8 for a domain change: a note is PATCH `NewNote`, a close PATCH `Status:
    /// closed`; see [`Client::update_with_ids`] for `ids`.
    pub async fn apply(
        &self,
        scope: &Scope,
        id: &str,
        change: &Change,
        ids: RequestIds,
    ) -> Result<Ticket, ApiError> {
        let patch = match change {
            Change::Note { text, .. } => ServiceRequestPatch::note(text.clone()),
            Change::Close => ServiceRequestPatch::status(Status::Closed),
        };
        Ok(mapping::ticket(
            &self.update_with_ids(scope, id, &patch, ids).await?,
        ))
    }

    /// Routes 5 and 8 in the service's own terms, with fresh ids.
    pub async fn update(
        &self,
        scope: &Scope,
        id: &str,
        patch: &ServiceRequestPatch,
    ) -> Result<ServiceRequest, ApiError> {
        self.update_with_ids(scope, id, patch, RequestIds::new()).await
    }

    /// Adds a note (PATCH `NewNote`); see [`Client::update_with_ids`] for `ids`.
    pub async fn add_note(
        &self,
        scope: &Scope,
        id: &str,
        text: &str,
        ids: RequestIds,
    ) -> Result<Ticket, ApiError> {
        self.apply(
            scope,
            id,
            &Change::Note {
                text: text.to_string(),
                subject: None,
            },
            ids,
        )
        .await
    }

    /// Closes a request (PATCH `Status: closed`); see [`Client::update_with_ids`] for `ids`.
    pub async fn close(&self, scope: &Scope, id: &str, ids: RequestIds) -> Result<Ticket, ApiError> {
        self.apply(scope, id, &Change::Close, ids).await
    }

    /// One page of requests by a collection link (`links.next.uri`, relative as the service
    /// sends it), for paging lazily as a list is scrolled.
    pub async fn list_page(&self, uri: &str) -> Result<Page, ApiError> {
        Ok(page(self.list_page_wire(uri).await?))
    }

    /// [`Client::list_page`] in the service's own terms.
    pub async fn list_page_wire(&self, uri: &str) -> Result<Collection<ServiceRequest>, ApiError> {
        let url = self.link_url(uri)?;
        Ok(self.call(Method::GET, url, None, RequestIds::new()).await?.value)
    }

    async fn all_pages<T: DeserializeOwned>(&self, first: Url, limit: usize) -> Result<Vec<T>, ApiError> {
        let mut items = Vec::new();
        let mut next = Some(first);
        // A server that links a page to itself must not loop us forever.
        let mut seen = std::collections::HashSet::new();
        while let Some(url) = next.take() {
            if items.len() >= limit || !seen.insert(url.to_string()) {
                break;
            }
            let page: Collection<T> = self.call(Method::GET, url, None, RequestIds::new()).await?.value;
            if let Some(uri) = page.next_uri() {
                next = Some(self.link_url(uri)?);
            }
            let empty = page.items.is_empty();
            items.extend(page.items);
            if empty {
                break;
            }
        }
        items.truncate(limit);
        Ok(items)
    }
}

fn page(c: Collection<ServiceRequest>) -> Page {
    Page {
        next: c.next_uri().map(str::to_string),
        tickets: c.items.iter().map(mapping::ticket).collect(),
    }
}
