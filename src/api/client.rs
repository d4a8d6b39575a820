//! The HTTP client for the eight service-request routes: its configuration, tokens and URLs.
//! The routes are in `routes`; Partner Center's headers and the .NET SDK's retry rules (same
//! MS-RequestId on every retry) in `retry`.

use std::future::Future;
use std::net::IpAddr;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use reqwest::Url;
use tokio::sync::mpsc::UnboundedSender;

use super::error::{ApiError, RequestIds};
use crate::domain::Status;

mod retry;
mod routes;

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

/// What a client is doing while a call is slow (one type for every service's client).
pub use crate::domain::ClientEvent;

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
