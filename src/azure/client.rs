//! The Azure `Microsoft.Support` client: routes that hand out domain types, the long-running
//! pattern of creates, retries, and paging by `nextLink`.
//!
//! Every PUT here names its resource (the ticket's or the communication's name, chosen by the
//! caller and recorded before the first send), so a PUT is as safe to repeat as a GET: the
//! service answers a second PUT of the same name and body with the same resource. That is why
//! the client retries PUTs after a 5xx, a 429 or a lost answer, which the Partner Center client
//! may only do with its MS-RequestId.

use std::sync::Arc;
use std::time::Duration;

use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{Method, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use url::Url;

use super::error::AzureError;
use super::mapping;
use super::wire::{
    API_VERSION, COMMUNICATION_TYPE, CheckNameInput, CheckNameOutput, CommunicationResource, List,
    OperationState, OperationStatus, ProblemClassificationResource, SUBSCRIPTIONS_API_VERSION,
    ServiceResource, Subscription, TICKET_TYPE, TicketResource,
};
use crate::api::client::validate_base_url;
use crate::api::{TokenError, TokenProvider};
use crate::domain::{ClientEvent, NewTicket, Note, Page, Severity, Ticket, Topic};

/// ARM's host in the global cloud.
pub const GLOBAL_BASE_URL: &str = "https://management.azure.com";
/// ARM's host in the US Government cloud.
pub const USGOV_BASE_URL: &str = "https://management.usgovcloudapi.net";
/// ARM's host in the China cloud.
pub const CHINA_BASE_URL: &str = "https://management.chinacloudapi.cn";

mod files;
pub use files::CHUNK_SIZE;

/// The header that carries the partner's own token when acting for a customer (CSP).
const AUXILIARY_HEADER: &str = "x-ms-authorization-auxiliary";

/// Fields of a create that [`NewTicket`] does not carry: what the service's own examples send
/// beside it (`fileWorkspaceName` links the attachments uploaded before the ticket was filed).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CreateExtras {
    /// The file workspace holding the ticket's attachments.
    pub file_workspace_name: Option<String>,
    /// The support plan to file under.
    pub support_plan_id: Option<String>,
}

/// What `checkNameAvailability` said of a name.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NameCheck {
    /// Whether the name is free.
    pub available: bool,
    /// Why not.
    pub reason: Option<String>,
    /// The service's words.
    pub message: Option<String>,
}

impl From<CheckNameOutput> for NameCheck {
    fn from(o: CheckNameOutput) -> Self {
        NameCheck {
            available: o.name_available.unwrap_or(false),
            reason: o.reason,
            message: o.message,
        }
    }
}

/// How the client waits and gives up.
#[derive(Debug, Clone)]
pub struct AzureConfig {
    /// ARM's base URL (https, or http on loopback).
    pub base_url: Url,
    /// Tickets under this subscription; `None` for tenant-level tickets.
    pub subscription: Option<String>,
    /// Per-call timeout.
    pub timeout: Duration,
    /// Attempts per call (429, 5xx, lost answers).
    pub max_attempts: u32,
    /// Wait between polls when the service names none.
    pub poll_wait: Duration,
    /// Longest wait honoured from a `Retry-After` (a service asking for more is polled sooner).
    pub max_wait: Duration,
    /// Polls before a long-running operation is reported as unfinished.
    pub max_polls: u32,
}

impl AzureConfig {
    /// Defaults for `base_url`, which is checked (https, or http on loopback only).
    pub fn new(base_url: &str) -> Result<Self, AzureError> {
        let base_url = validate_base_url(base_url).map_err(|e| AzureError::Url {
            url: base_url.to_string(),
            reason: e.to_string(),
        })?;
        Ok(AzureConfig {
            base_url,
            subscription: None,
            timeout: Duration::from_secs(60),
            max_attempts: 3,
            poll_wait: Duration::from_secs(5),
            max_wait: Duration::from_secs(60),
            max_polls: 360,
        })
    }
}

/// What a filter on the ticket list asks for (ANDed; each is optional).
#[derive(Debug, Clone, Default)]
pub struct TicketFilter {
    /// `Open`, `Closed` or `Updating`.
    pub status: Option<String>,
    /// Created at or after (`2024-01-01T00:00:00Z`).
    pub created_since: Option<String>,
    /// Page size, 1 to 100.
    pub top: Option<u32>,
}

impl TicketFilter {
    fn query(&self) -> Vec<(&'static str, String)> {
        let mut terms = Vec::new();
        if let Some(s) = &self.status {
            terms.push(format!("status eq '{s}'"));
        }
        if let Some(d) = &self.created_since {
            terms.push(format!("createdDate ge {d}"));
        }
        let mut q = Vec::new();
        if !terms.is_empty() {
            q.push(("$filter", terms.join(" and ")));
        }
        if let Some(top) = self.top {
            q.push(("$top", top.clamp(1, 100).to_string()));
        }
        q
    }
}

/// An answer as read off the wire.
struct Answer {
    status: StatusCode,
    headers: HeaderMap,
    body: Vec<u8>,
}

impl Answer {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    fn retry_after(&self) -> Option<Duration> {
        self.header(RETRY_AFTER.as_str())
            .and_then(|v| v.trim().parse::<u64>().ok())
            .map(Duration::from_secs)
    }

    fn json<T: DeserializeOwned>(&self, what: &str) -> Result<T, AzureError> {
        serde_json::from_slice(&self.body).map_err(|e| AzureError::Unreadable {
            what: what.to_string(),
            message: e.to_string(),
        })
    }

    fn value(&self) -> serde_json::Value {
        serde_json::from_slice(&self.body).unwrap_or(serde_json::Value::Null)
    }
}

/// The Microsoft.Support client.
#[derive(Clone)]
pub struct AzureClient {
    http: reqwest::Client,
    config: AzureConfig,
    token: Arc<dyn TokenProvider>,
    auxiliary: Option<Arc<dyn TokenProvider>>,
    events: Option<tokio::sync::mpsc::UnboundedSender<ClientEvent>>,
}

impl AzureClient {
    /// A client for `config`, with bearer tokens from `token`.
    pub fn new(config: AzureConfig, token: Arc<dyn TokenProvider>) -> Result<Self, AzureError> {
        crate::tls::install_provider();
        let http = reqwest::Client::builder()
            .user_agent(concat!("pcsr-tui/", env!("CARGO_PKG_VERSION")))
            .connect_timeout(config.timeout.min(Duration::from_secs(10)))
            // A redirect could carry the bearer token to another host.
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .map_err(|e| AzureError::Url {
                url: config.base_url.to_string(),
                reason: e.to_string(),
            })?;
        Ok(AzureClient {
            http,
            config,
            token,
            auxiliary: None,
            events: None,
        })
    }

    /// The same client, reporting retries, throttling and token refreshes to `events`, so a
    /// screen can say why a call waits.
    pub fn with_events(mut self, events: tokio::sync::mpsc::UnboundedSender<ClientEvent>) -> Self {
        self.events = Some(events);
        self
    }

    fn emit(&self, event: ClientEvent) {
        if let Some(tx) = &self.events {
            // Nobody listening any more is fine: the call goes on.
            let _ = tx.send(event);
        }
    }

    fn retrying(&self, attempt: u32, wait: Duration, reason: String) {
        self.emit(ClientEvent::Retrying {
            attempt: attempt + 1,
            max_attempts: self.config.max_attempts,
            wait,
            reason,
        });
    }

    /// Acting for a customer (CSP): `token` is then the customer tenant's, and `partner` the
    /// partner's own, sent in `x-ms-authorization-auxiliary`.
    pub fn with_auxiliary(mut self, partner: Arc<dyn TokenProvider>) -> Self {
        self.auxiliary = Some(partner);
        self
    }

    /// Warnings from the token provider (see [`TokenProvider::take_warnings`]).
    pub fn take_token_warnings(&self) -> Vec<String> {
        let mut warnings = self.token.take_warnings();
        if let Some(partner) = &self.auxiliary {
            warnings.extend(partner.take_warnings());
        }
        warnings
    }

    /// The subscription tickets are filed and read under (`None`: tenant level).
    pub fn subscription(&self) -> Option<&str> {
        self.config.subscription.as_deref()
    }

    /// The same client filing and listing tickets under `subscription` (`None`: tenant level).
    pub fn with_subscription(mut self, subscription: Option<String>) -> Self {
        self.config.subscription = subscription;
        self
    }

    /// The configuration in use.
    pub fn config(&self) -> &AzureConfig {
        &self.config
    }

    fn scope(&self) -> String {
        match &self.config.subscription {
            Some(sub) => format!("/subscriptions/{sub}"),
            None => String::new(),
        }
    }

    fn url(&self, path: &str, version: &str, query: &[(&str, String)]) -> Result<Url, AzureError> {
        let base = self.config.base_url.as_str().trim_end_matches('/');
        let mut url = Url::parse(&format!("{base}{path}")).map_err(|e| AzureError::Url {
            url: format!("{base}{path}"),
            reason: e.to_string(),
        })?;
        url.query_pairs_mut().append_pair("api-version", version);
        for (k, v) in query {
            url.query_pairs_mut().append_pair(k, v);
        }
        Ok(url)
    }

    /// A link the service handed out (nextLink, operation URLs): only to our own host, so the
    /// token never goes elsewhere.
    fn own_link(&self, link: &str) -> Result<Url, AzureError> {
        let url = Url::parse(link).map_err(|e| AzureError::Url {
            url: link.to_string(),
            reason: e.to_string(),
        })?;
        if url.origin() != self.config.base_url.origin() {
            return Err(AzureError::Url {
                url: link.to_string(),
                reason: "the service's link points at another host".into(),
            });
        }
        Ok(url)
    }

    async fn bearer(provider: &dyn TokenProvider, force: bool) -> Result<String, AzureError> {
        provider.token(force).await.map_err(|e| match e {
            TokenError::SignIn(m) => AzureError::SignIn(m),
            TokenError::Unavailable(m) => AzureError::SignInUnavailable(m),
        })
    }

    /// One call with retries: a 401 refreshes the token once; 429 and 5xx and lost answers are
    /// tried again up to `max_attempts`, after the service's `Retry-After` (capped).
    async fn send<B: Serialize + ?Sized>(
        &self,
        method: Method,
        url: Url,
        body: Option<&B>,
    ) -> Result<Answer, AzureError> {
        let mut refreshed = false;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let token = Self::bearer(self.token.as_ref(), refreshed).await?;
            let mut request = self
                .http
                .request(method.clone(), url.clone())
                .timeout(self.config.timeout)
                .bearer_auth(token);
            if let Some(partner) = &self.auxiliary {
                let aux = Self::bearer(partner.as_ref(), false).await?;
                request = request.header(AUXILIARY_HEADER, format!("Bearer {aux}"));
            }
            if let Some(body) = body {
                request = request.json(body);
            }
            let last = attempt >= self.config.max_attempts;
            let answer = match request.send().await {
                Ok(r) => {
                    let status = r.status();
                    let headers = r.headers().clone();
                    match r.bytes().await {
                        Ok(body) => Answer {
                            status,
                            headers,
                            body: body.to_vec(),
                        },
                        Err(e) if !last => {
                            tracing::debug!(error = %e, "answer lost; trying again");
                            self.retrying(attempt, Duration::ZERO, "the answer was cut off".into());
                            continue;
                        }
                        Err(e) => return Err(transport(&url, &e)),
                    }
                }
                Err(e) if !last => {
                    tracing::debug!(error = %e, "call failed; trying again");
                    let wait = self.backoff(attempt);
                    let reason = if e.is_timeout() {
                        "no answer in time"
                    } else {
                        "connection failed"
                    };
                    self.retrying(attempt, wait, reason.into());
                    tokio::time::sleep(wait).await;
                    continue;
                }
                Err(e) => return Err(transport(&url, &e)),
            };
            let status = answer.status;
            if status == StatusCode::UNAUTHORIZED && !refreshed {
                refreshed = true;
                attempt -= 1;
                self.emit(ClientEvent::RefreshingToken);
                continue;
            }
            if (status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error()) && !last {
                let wait = answer
                    .retry_after()
                    .unwrap_or_else(|| self.backoff(attempt))
                    .min(self.config.max_wait);
                if status == StatusCode::TOO_MANY_REQUESTS {
                    self.emit(ClientEvent::RateLimited { wait });
                } else {
                    self.retrying(attempt, wait, format!("HTTP {}", status.as_u16()));
                }
                tokio::time::sleep(wait).await;
                continue;
            }
            if status.is_success() {
                return Ok(answer);
            }
            return Err(AzureError::from_answer(
                status.as_u16(),
                answer.header("x-ms-request-id"),
                answer.header("x-ms-correlation-request-id"),
                answer.retry_after().map(|d| d.as_secs()),
                &answer.body,
            ));
        }
    }

    fn backoff(&self, attempt: u32) -> Duration {
        (Duration::from_millis(500) * 2u32.saturating_pow(attempt.saturating_sub(1)))
            .min(self.config.max_wait)
    }

    async fn get<T: DeserializeOwned>(
        &self,
        url: Url,
        what: &str,
    ) -> Result<(T, serde_json::Value), AzureError> {
        let answer = self.send::<()>(Method::GET, url, None).await?;
        Ok((answer.json(what)?, answer.value()))
    }

    /// A PUT of a named resource, followed to its end when the service answers 202: the
    /// operation at `Azure-AsyncOperation` (else `Location`) is polled until it ends, then the
    /// resource is read.
    async fn put_long_running<B: Serialize + ?Sized>(
        &self,
        resource: Url,
        body: &B,
    ) -> Result<Answer, AzureError> {
        let first = self.send(Method::PUT, resource.clone(), Some(body)).await?;
        if first.status != StatusCode::ACCEPTED {
            return Ok(first);
        }
        let (poll, via_operation) = match (first.header("azure-asyncoperation"), first.header("location")) {
            (Some(op), _) => (self.own_link(op)?, true),
            (None, Some(loc)) => (self.own_link(loc)?, false),
            // Accepted with nowhere to look: the resource itself is the only way to know.
            (None, None) => (resource.clone(), false),
        };
        let mut wait = first.retry_after().unwrap_or(self.config.poll_wait);
        for _ in 0..self.config.max_polls {
            tokio::time::sleep(wait.min(self.config.max_wait)).await;
            let answer = self.send::<()>(Method::GET, poll.clone(), None).await?;
            wait = answer.retry_after().unwrap_or(self.config.poll_wait);
            if via_operation {
                let op: OperationStatus = answer.json("operation status")?;
                match op.state() {
                    OperationState::Running => continue,
                    OperationState::Succeeded => {
                        return self.send::<()>(Method::GET, resource, None).await;
                    }
                    state @ (OperationState::Failed | OperationState::Canceled) => {
                        let detail = op.error.as_ref();
                        return Err(AzureError::Operation {
                            state: if state == OperationState::Failed {
                                "Failed"
                            } else {
                                "Canceled"
                            }
                            .into(),
                            code: detail.and_then(|d| d.code.clone()),
                            description: detail.and_then(super::error::describe),
                        });
                    }
                }
            } else if answer.status != StatusCode::ACCEPTED {
                return Ok(answer);
            }
        }
        Err(AzureError::Unfinished {
            polls: self.config.max_polls,
        })
    }

    /// Every Azure service: the first level of the topic tree.
    pub async fn services(&self) -> Result<Vec<Topic>, AzureError> {
        Ok(self.services_as_sent().await?.0)
    }

    /// [`AzureClient::services`], and the list as the service sent it (`--json`).
    pub async fn services_as_sent(&self) -> Result<(Vec<Topic>, serde_json::Value), AzureError> {
        let url = self.url("/providers/Microsoft.Support/services", API_VERSION, &[])?;
        let (list, sent): (List<ServiceResource>, _) = self.get(url, "services").await?;
        Ok((list.value.iter().map(mapping::service_topic).collect(), sent))
    }

    /// One service of the catalogue, by its name (the last segment of its id).
    pub async fn service(&self, name: &str) -> Result<Topic, AzureError> {
        let path = format!("/providers/Microsoft.Support/services/{name}");
        let url = self.url(&path, API_VERSION, &[])?;
        let (s, _): (ServiceResource, _) = self.get(url, "service").await?;
        Ok(mapping::service_topic(&s))
    }

    /// One problem classification of `service`, by its name (the last segment of its id).
    pub async fn classification(&self, service: &Topic, name: &str) -> Result<Topic, AzureError> {
        let svc = service.id.rsplit('/').next().unwrap_or(&service.id);
        let path = format!("/providers/Microsoft.Support/services/{svc}/problemClassifications/{name}");
        let url = self.url(&path, API_VERSION, &[])?;
        let (pc, _): (ProblemClassificationResource, _) = self.get(url, "problem classification").await?;
        Ok(mapping::classification_topic(&pc, service))
    }

    /// One service's problem classifications: the second level, under `service`.
    pub async fn classifications(&self, service: &Topic) -> Result<Vec<Topic>, AzureError> {
        Ok(self.classifications_as_sent(service).await?.0)
    }

    /// [`AzureClient::classifications`], and the list as the service sent it (`--json`).
    pub async fn classifications_as_sent(
        &self,
        service: &Topic,
    ) -> Result<(Vec<Topic>, serde_json::Value), AzureError> {
        let name = service.id.rsplit('/').next().unwrap_or(&service.id);
        let path = format!("/providers/Microsoft.Support/services/{name}/problemClassifications");
        let url = self.url(&path, API_VERSION, &[])?;
        let (list, sent): (List<ProblemClassificationResource>, _) =
            self.get(url, "problem classifications").await?;
        let mut topics: Vec<Topic> = list
            .value
            .iter()
            .map(|pc| mapping::classification_topic(pc, service))
            .collect();
        Topic::share_parents(&mut topics);
        Ok((topics, sent))
    }

    fn ticket_url(&self, name: &str) -> Result<Url, AzureError> {
        let path = format!(
            "{}/providers/Microsoft.Support/supportTickets/{name}",
            self.scope()
        );
        self.url(&path, API_VERSION, &[])
    }

    fn ticket_of(answer: &Answer) -> Result<Ticket, AzureError> {
        let resource: TicketResource = answer.json("support ticket")?;
        Ok(mapping::ticket(&resource, answer.value()))
    }

    /// Files `ticket` under `name` (chosen by the caller and kept for every retry and resend):
    /// followed to the end of its long-running operation, then read back.
    pub async fn create(&self, name: &str, ticket: &NewTicket) -> Result<Ticket, AzureError> {
        self.create_with(name, ticket, &CreateExtras::default()).await
    }

    /// [`AzureClient::create`] with the fields a [`NewTicket`] does not carry.
    pub async fn create_with(
        &self,
        name: &str,
        ticket: &NewTicket,
        extras: &CreateExtras,
    ) -> Result<Ticket, AzureError> {
        let mut body = mapping::create_body(ticket);
        body.properties.file_workspace_name = extras.file_workspace_name.clone();
        body.properties.support_plan_id = extras.support_plan_id.clone();
        let answer = self.put_long_running(self.ticket_url(name)?, &body).await?;
        Self::ticket_of(&answer)
    }

    /// Whether `name` is free for a new ticket.
    pub async fn check_ticket_name(&self, name: &str) -> Result<NameCheck, AzureError> {
        let path = format!(
            "{}/providers/Microsoft.Support/checkNameAvailability",
            self.scope()
        );
        self.check_name(&path, name, TICKET_TYPE).await
    }

    /// Whether `name` is free for a new communication on `ticket`.
    pub async fn check_note_name(&self, ticket: &str, name: &str) -> Result<NameCheck, AzureError> {
        let path = format!(
            "{}/providers/Microsoft.Support/supportTickets/{ticket}/checkNameAvailability",
            self.scope()
        );
        self.check_name(&path, name, COMMUNICATION_TYPE).await
    }

    async fn check_name(&self, path: &str, name: &str, kind: &str) -> Result<NameCheck, AzureError> {
        let url = self.url(path, API_VERSION, &[])?;
        let body = CheckNameInput {
            name: name.to_string(),
            kind: kind.to_string(),
        };
        let answer = self.send(Method::POST, url, Some(&body)).await?;
        let out: CheckNameOutput = answer.json("name availability")?;
        Ok(out.into())
    }

    /// The ticket of that name.
    pub async fn get_ticket(&self, name: &str) -> Result<Ticket, AzureError> {
        let answer = self.send::<()>(Method::GET, self.ticket_url(name)?, None).await?;
        Self::ticket_of(&answer)
    }

    /// A page of tickets; `Page::next` is the service's `nextLink`.
    pub async fn list(&self, filter: &TicketFilter) -> Result<Page, AzureError> {
        let path = format!("{}/providers/Microsoft.Support/supportTickets", self.scope());
        let url = self.url(&path, API_VERSION, &filter.query())?;
        self.list_at(url).await
    }

    /// The page at a `nextLink` the service handed out.
    pub async fn list_page(&self, next: &str) -> Result<Page, AzureError> {
        let url = self.own_link(next)?;
        self.list_at(url).await
    }

    async fn list_at(&self, url: Url) -> Result<Page, AzureError> {
        let answer = self.send::<()>(Method::GET, url, None).await?;
        let list: List<serde_json::Value> = answer.json("support tickets")?;
        let mut tickets = Vec::with_capacity(list.value.len());
        for raw in list.value {
            let resource: TicketResource =
                serde_json::from_value(raw.clone()).map_err(|e| AzureError::Unreadable {
                    what: "support ticket".into(),
                    message: e.to_string(),
                })?;
            tickets.push(mapping::ticket(&resource, raw));
        }
        Ok(Page {
            tickets,
            next: list.next_link,
        })
    }

    /// Closes the ticket (`PATCH {"status": "closed"}`); the answer is the whole ticket.
    pub async fn close(&self, name: &str) -> Result<Ticket, AzureError> {
        let answer = self
            .send(
                Method::PATCH,
                self.ticket_url(name)?,
                Some(&mapping::close_body()),
            )
            .await?;
        Self::ticket_of(&answer)
    }

    /// Changes the ticket's severity (`PATCH {"severity": ...}`, with `phone` also the
    /// contact's `phoneNumber`); the answer is the whole ticket.
    pub async fn update_severity(
        &self,
        name: &str,
        severity: Severity,
        phone: Option<&str>,
    ) -> Result<Ticket, AzureError> {
        let answer = self
            .send(
                Method::PATCH,
                self.ticket_url(name)?,
                Some(&mapping::severity_body(severity, phone)),
            )
            .await?;
        Self::ticket_of(&answer)
    }

    fn communications_path(&self, ticket: &str) -> String {
        format!(
            "{}/providers/Microsoft.Support/supportTickets/{ticket}/communications",
            self.scope()
        )
    }

    /// Adds a message to the conversation under `name` (chosen by the caller, kept for every
    /// resend); followed to the end like a create.
    pub async fn add_note(
        &self,
        ticket: &str,
        name: &str,
        subject: &str,
        text: &str,
    ) -> Result<Note, AzureError> {
        self.add_note_from(ticket, name, subject, text, None).await
    }

    /// [`AzureClient::add_note`] naming its `sender`, which the service requires when a service
    /// principal (not a person) is signed in.
    pub async fn add_note_from(
        &self,
        ticket: &str,
        name: &str,
        subject: &str,
        text: &str,
        sender: Option<&str>,
    ) -> Result<Note, AzureError> {
        let path = format!("{}/{name}", self.communications_path(ticket));
        let url = self.url(&path, API_VERSION, &[])?;
        let mut body = mapping::communication_body(subject, text);
        body.properties.sender = sender.map(str::to_string);
        let answer = self.put_long_running(url, &body).await?;
        let c: CommunicationResource = answer.json("communication")?;
        Ok(mapping::note(&c))
    }

    /// One communication of the ticket, by its name (how an unknown outcome of
    /// [`AzureClient::add_note`] is settled).
    pub async fn get_note(&self, ticket: &str, name: &str) -> Result<Note, AzureError> {
        let path = format!("{}/{name}", self.communications_path(ticket));
        let url = self.url(&path, API_VERSION, &[])?;
        let (c, _): (CommunicationResource, _) = self.get(url, "communication").await?;
        Ok(mapping::note(&c))
    }

    /// The whole conversation, oldest first (the service pages it 10 at a time).
    pub async fn notes(&self, ticket: &str) -> Result<Vec<Note>, AzureError> {
        Ok(self.notes_as_sent(ticket).await?.0)
    }

    /// [`AzureClient::notes`], and the communications as the service sent them, every page
    /// joined in the service's order (`show --json`).
    pub async fn notes_as_sent(
        &self,
        ticket: &str,
    ) -> Result<(Vec<Note>, Vec<serde_json::Value>), AzureError> {
        let mut url = self.url(
            &self.communications_path(ticket),
            API_VERSION,
            &[("$top", "10".into())],
        )?;
        let mut notes = Vec::new();
        let mut sent = Vec::new();
        loop {
            let (page, value): (List<CommunicationResource>, serde_json::Value) =
                self.get(url, "communications").await?;
            notes.extend(page.value.iter().map(mapping::note));
            if let Some(items) = value.get("value").and_then(serde_json::Value::as_array) {
                sent.extend(items.iter().cloned());
            }
            match page.next_link {
                Some(next) => url = self.own_link(&next)?,
                None => break,
            }
        }
        // Stamps are ISO 8601 in UTC, so their text sorts as their time does.
        notes.sort_by(|a, b| {
            let at = |n: &Note| n.created.as_ref().and_then(|s| s.at().map(str::to_string));
            at(a).cmp(&at(b))
        });
        Ok((notes, sent))
    }

    /// The subscriptions the sign-in can see.
    pub async fn subscriptions(&self) -> Result<Vec<Subscription>, AzureError> {
        Ok(self.subscriptions_as_sent().await?.0)
    }

    /// [`AzureClient::subscriptions`], and the list as the service sent it (`--json`).
    pub async fn subscriptions_as_sent(&self) -> Result<(Vec<Subscription>, serde_json::Value), AzureError> {
        let url = self.url("/subscriptions", SUBSCRIPTIONS_API_VERSION, &[])?;
        let (list, sent): (List<Subscription>, _) = self.get(url, "subscriptions").await?;
        Ok((list.value, sent))
    }
}

fn transport(url: &Url, e: &reqwest::Error) -> AzureError {
    AzureError::Transport {
        url: url.as_str().to_string(),
        message: crate::text::one_line(&e.to_string()),
    }
}
