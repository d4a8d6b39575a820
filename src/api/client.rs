//! The HTTP client for the eight service-request routes, with Partner Center's headers and the
//! .NET SDK's retry rules (same MS-RequestId on every retry).

use std::future::Future;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use reqwest::{Method, Url};
use serde::de::DeserializeOwned;
use tokio::sync::mpsc::UnboundedSender;

use super::error::{ApiError, RequestIds, excerpt};
use super::model::{
    Collection, CreateBody, NewServiceRequest, ServiceRequest, ServiceRequestPatch, Status, SupportTopic,
};
use super::wire;

mod retry;

use retry::decode;

/// A boxed future, so token providers can be trait objects.
pub type BoxFuture<'a, T> = Pin<Box<dyn Future<Output = T> + Send + 'a>>;

/// Why a token provider has no token.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TokenError {
    /// Only a new sign-in helps (none saved, refused, `invalid_grant`).
    SignIn(String),
    /// The sign-in service did not answer usefully (network, timeout, 5xx,
    /// `temporarily_unavailable`) even after retries; the sign-in itself is fine.
    Unavailable(String),
}

/// Where bearer tokens come from. `force_refresh` is set once after a 401.
pub trait TokenProvider: Send + Sync {
    /// A bearer token (without the `Bearer ` prefix), or why none can be had.
    fn token(&self, force_refresh: bool) -> BoxFuture<'_, Result<String, TokenError>>;

    /// Problems the user must hear about although the calls went on (e.g. a rotated refresh
    /// token that could not be saved); taken once, shown when the command ends.
    fn take_warnings(&self) -> Vec<String> {
        Vec::new()
    }
}

/// A fixed token (PCSR_TOKEN, tests, the sandbox).
#[derive(Clone)]
pub struct StaticToken(pub String);

impl TokenProvider for StaticToken {
    fn token(&self, _force_refresh: bool) -> BoxFuture<'_, Result<String, TokenError>> {
        let token = self.0.clone();
        Box::pin(async move { Ok(token) })
    }
}

impl std::fmt::Debug for StaticToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("StaticToken(<redacted>)")
    }
}

/// What the client is doing while a call is slow; a UI shows it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ClientEvent {
    /// A failed attempt will be retried after `wait`.
    Retrying {
        /// The attempt that is next (2 = first retry).
        attempt: u32,
        /// How many attempts there are at most.
        max_attempts: u32,
        /// Pause before it.
        wait: Duration,
        /// What failed, e.g. "HTTP 503" or "connection reset".
        reason: String,
    },
    /// The service throttled us; the call resumes after `wait`.
    RateLimited {
        /// Pause before the retry.
        wait: Duration,
    },
    /// The token was refused and is being refreshed.
    RefreshingToken,
}

/// Tunables; the defaults suit real use, tests shrink the delays.
#[derive(Debug, Clone)]
pub struct ClientConfig {
    /// API base, e.g. `https://api.partnercenter.microsoft.com`.
    pub base_url: Url,
    /// Agent locale for create and `X-Locale`.
    pub locale: String,
    /// Per-attempt timeout.
    pub timeout: Duration,
    /// Attempts per call, the first included (the SDK makes 1 + 3 retries).
    pub max_attempts: u32,
    /// First backoff pause; doubled on every retry.
    pub backoff: Duration,
    /// Longest `Retry-After` we wait out by ourselves; longer ones are returned as errors.
    pub max_retry_after: Duration,
    /// Largest body read.
    pub max_body_bytes: usize,
}

impl ClientConfig {
    /// Defaults for the given base URL (validated: https, or http on loopback only).
    pub fn new(base_url: &str) -> Result<Self, ApiError> {
        Ok(ClientConfig {
            base_url: validate_base_url(base_url)?,
            locale: "en-US".into(),
            timeout: Duration::from_secs(30),
            max_attempts: 4,
            backoff: Duration::from_millis(500),
            max_retry_after: Duration::from_secs(120),
            max_body_bytes: 8 * 1024 * 1024,
        })
    }
}

/// Checks a base URL: `https://` anywhere, `http://` only for loopback hosts.
pub fn validate_base_url(raw: &str) -> Result<Url, ApiError> {
    let refuse = |reason: &str| ApiError::Url {
        url: raw.to_string(),
        reason: reason.to_string(),
    };
    let url = Url::parse(raw.trim()).map_err(|e| refuse(&format!("not a URL ({e})")))?;
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&url) => {}
        "http" => return Err(refuse("plain http:// is allowed only for loopback addresses")),
        other => return Err(refuse(&format!("unsupported scheme '{other}'"))),
    }
    if url.host_str().is_none_or(str::is_empty) {
        return Err(refuse("no host"));
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(refuse("credentials in the URL are not allowed"));
    }
    Ok(url)
}

/// True for `localhost`, 127.0.0.0/8 and ::1.
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip).is_loopback(),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip).is_loopback(),
        None => false,
    }
}

/// Whose requests a call addresses: the partner's own, or a customer's.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum Scope {
    /// `/v1/servicerequests`.
    #[default]
    Partner,
    /// `/v1/customers/{tenant-id}/servicerequests`.
    Customer(String),
}

impl Scope {
    fn collection_path(&self) -> String {
        match self {
            Scope::Partner => "/v1/servicerequests".into(),
            Scope::Customer(tenant) => format!("/v1/customers/{}/servicerequests", encode(tenant)),
        }
    }
}

/// Paging and filtering for list calls.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListQuery {
    /// Page size.
    pub size: Option<u32>,
    /// Items to skip.
    pub offset: Option<u32>,
    /// Only requests with this status (the one searchable field).
    pub status: Option<Status>,
}

/// A successful answer with the ids that produced it.
#[derive(Debug, Clone)]
pub struct Answer<T> {
    /// The decoded body.
    pub value: T,
    /// HTTP status (201 for create).
    pub status: u16,
    /// The call's ids as the server echoed them (ours where it did not).
    pub ids: RequestIds,
}

/// The Partner Center service-request client. Cheap to clone.
#[derive(Clone)]
pub struct Client {
    http: reqwest::Client,
    config: Arc<ClientConfig>,
    token: Arc<dyn TokenProvider>,
    events: Option<UnboundedSender<ClientEvent>>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("base_url", &self.config.base_url.as_str())
            .finish_non_exhaustive()
    }
}

const APP_HEADER: &str = concat!("pcsr-tui/", env!("CARGO_PKG_VERSION"));

impl Client {
    /// A client for `config`, authenticating with `token`.
    pub fn new(config: ClientConfig, token: Arc<dyn TokenProvider>) -> Result<Self, ApiError> {
        crate::tls::install_provider();
        let http = reqwest::Client::builder()
            .user_agent(APP_HEADER)
            .connect_timeout(config.timeout.min(Duration::from_secs(10)))
            // Redirects could carry the bearer token to another host; Partner Center never sends them.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| ApiError::Url {
                url: config.base_url.to_string(),
                reason: e.to_string(),
            })?;
        Ok(Client {
            http,
            config: Arc::new(config),
            token,
            events: None,
        })
    }

    /// The same client, reporting retries and throttling to `events`.
    pub fn with_events(mut self, events: UnboundedSender<ClientEvent>) -> Self {
        self.events = Some(events);
        self
    }

    /// Warnings from the token provider (see [`TokenProvider::take_warnings`]).
    pub fn take_token_warnings(&self) -> Vec<String> {
        self.token.take_warnings()
    }

    /// The configuration in use.
    pub fn config(&self) -> &ClientConfig {
        &self.config
    }

    /// Route 1: files a new request. `ids.request_id` is the idempotency key: pass the stored one
    /// when resending from the outbox.
    pub async fn create(
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
    pub async fn topics(&self) -> Result<Vec<SupportTopic>, ApiError> {
        let url = self.url("/v1/servicerequests/supporttopics")?;
        self.all_pages(url, usize::MAX).await
    }

    /// Route 2 for `topics --json`: the topics, and the service's collection as it sent it (its
    /// own `totalCount`, key case and extra fields). Items of further pages, if the service
    /// pages, are appended to that collection's `items`.
    pub async fn topics_as_sent(&self) -> Result<(Vec<SupportTopic>, serde_json::Value), ApiError> {
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
        Ok((topics, sent))
    }

    /// Routes 3 and 6: one page of requests.
    pub async fn list(
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
            if let Some(status) = query.status {
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
    ) -> Result<Vec<ServiceRequest>, ApiError> {
        let first = self.list(scope, query).await?;
        let mut items = first.items.clone();
        if let Some(next) = first.next_uri() {
            let url = self.link_url(next)?;
            let rest: Vec<ServiceRequest> = self.all_pages(url, limit.saturating_sub(items.len())).await?;
            items.extend(rest);
        }
        items.truncate(limit);
        Ok(items)
    }

    /// Routes 4 and 7: one request by id.
    pub async fn get(&self, scope: &Scope, id: &str) -> Result<ServiceRequest, ApiError> {
        let url = self.url(&format!("{}/{}", scope.collection_path(), encode(id)))?;
        Ok(self.call(Method::GET, url, None, RequestIds::new()).await?.value)
    }

    /// Routes 5 and 8: sends only what changes (a note, a status).
    pub async fn update(
        &self,
        scope: &Scope,
        id: &str,
        patch: &ServiceRequestPatch,
    ) -> Result<ServiceRequest, ApiError> {
        self.update_with_ids(scope, id, patch, RequestIds::new()).await
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
        match decode(raw.status, &raw.value, raw.ids) {
            Ok(answer) => Ok(answer.value),
            // 204 No Content is the newer reference's success for an update, and any other
            // success whose body we cannot read still means the change was made: read it back
            // (a GET, so the change itself is never sent twice).
            Err(e) => {
                tracing::info!(
                    status = raw.status,
                    "update answered without a readable body: {e}; reading it back"
                );
                self.get(scope, id).await
            }
        }
    }

    /// Adds a note (PATCH `NewNote`); see [`Client::update_with_ids`] for `ids`.
    pub async fn add_note(
        &self,
        scope: &Scope,
        id: &str,
        text: &str,
        ids: RequestIds,
    ) -> Result<ServiceRequest, ApiError> {
        self.update_with_ids(scope, id, &ServiceRequestPatch::note(text), ids)
            .await
    }

    /// Closes a request (PATCH `Status: closed`); see [`Client::update_with_ids`] for `ids`.
    pub async fn close(&self, scope: &Scope, id: &str, ids: RequestIds) -> Result<ServiceRequest, ApiError> {
        self.update_with_ids(scope, id, &ServiceRequestPatch::status(Status::Closed), ids)
            .await
    }

    /// One page of requests by a collection link (`links.next.uri`, relative as the service
    /// sends it), for paging lazily as a list is scrolled.
    pub async fn list_page(&self, uri: &str) -> Result<Collection<ServiceRequest>, ApiError> {
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

    fn url(&self, path: &str) -> Result<Url, ApiError> {
        let base = self.config.base_url.as_str().trim_end_matches('/');
        Url::parse(&format!("{base}{path}")).map_err(|e| ApiError::Url {
            url: format!("{base}{path}"),
            reason: e.to_string(),
        })
    }

    /// Resolves a collection link: relative and without `/v1` as the service sends them; an
    /// absolute one only if it points at our own origin (the token must not leak elsewhere).
    fn link_url(&self, uri: &str) -> Result<Url, ApiError> {
        if uri.starts_with("http://") || uri.starts_with("https://") {
            let url = Url::parse(uri).map_err(|e| ApiError::Url {
                url: uri.into(),
                reason: e.to_string(),
            })?;
            if url.origin() != self.config.base_url.origin() {
                return Err(ApiError::Url {
                    url: uri.into(),
                    reason: "next link points at another host".into(),
                });
            }
            return Ok(url);
        }
        let path = if uri.starts_with('/') {
            uri.to_string()
        } else {
            format!("/{uri}")
        };
        let path = if path.starts_with("/v1/") {
            path
        } else {
            format!("/v1{path}")
        };
        self.url(&path)
    }

    fn emit(&self, event: ClientEvent) {
        if let Some(tx) = &self.events {
            let _ = tx.send(event);
        }
    }
}

/// A transport failure in words, with its whole cause chain (DNS, TLS, refused, reset).
pub(crate) fn transport_message(e: &reqwest::Error) -> String {
    use std::error::Error;
    let mut msg = if e.is_timeout() {
        "timed out".to_string()
    } else if e.is_connect() {
        "connection failed".to_string()
    } else {
        "connection error".to_string()
    };
    let mut source = e.source();
    while let Some(s) = source {
        msg = format!("{msg}: {s}");
        source = s.source();
    }
    msg
}

/// Percent-encodes one path segment (spaces as %20, not +).
pub(crate) fn encode(segment: &str) -> String {
    url::form_urlencoded::byte_serialize(segment.as_bytes())
        .collect::<String>()
        .replace('+', "%20")
}
