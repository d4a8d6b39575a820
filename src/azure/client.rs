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

use base64::Engine;
use reqwest::header::{HeaderMap, RETRY_AFTER};
use reqwest::{Method, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;
use url::Url;

use super::error::AzureError;
use super::mapping;
use super::wire::{
    API_VERSION, COMMUNICATION_TYPE, CheckNameInput, CheckNameOutput, CommunicationResource, FileResource,
    FileWorkspaceResource, List, OperationState, OperationStatus, ProblemClassificationResource,
    SUBSCRIPTIONS_API_VERSION, ServiceResource, Subscription, TICKET_TYPE, TicketResource, UploadChunk,
};
use crate::api::client::validate_base_url;
use crate::api::{TokenError, TokenProvider};
use crate::domain::{
    AttachedFile, AttachmentError, FileWorkspace, NewTicket, Note, Page, Severity, Ticket, Topic,
    check_attachment,
};

/// ARM's host in the global cloud.
pub const GLOBAL_BASE_URL: &str = "https://management.azure.com";
/// ARM's host in the US Government cloud.
pub const USGOV_BASE_URL: &str = "https://management.usgovcloudapi.net";
/// ARM's host in the China cloud.
pub const CHINA_BASE_URL: &str = "https://management.chinacloudapi.cn";

/// The header that carries the partner's own token when acting for a customer (CSP).
const AUXILIARY_HEADER: &str = "x-ms-authorization-auxiliary";

/// Bytes per chunk of an upload: 2.5 MiB. The Swagger (2024-04-01, `FileDetailsProperties`)
/// says `chunkSize` "must not exceed 2.5 megabytes (MB)" and `numberOfChunks` "The maximum
/// number of allowed chunks is 2", so the largest file (5 MiB) goes in two chunks; `az support`
/// cuts files the same way (azure-cli-extensions `src/support/azext_support/custom.py`:
/// `max_chunk_size = 1024 * 1024 * 2.5`, and one chunk of the whole file when it is smaller).
pub const CHUNK_SIZE: u64 = 2_621_440;

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

/// Checks a file workspace name against the Swagger's pattern (`^[0-9a-zA-Z_\-. ]+$`), and
/// refuses `.` and `..`, which a URL path would read as a step rather than a name.
fn check_workspace_name(name: &str) -> Result<(), AzureError> {
    let allowed = |c: char| c.is_ascii_alphanumeric() || "_-. ".contains(c);
    if name.is_empty() || !name.chars().all(allowed) || name == "." || name == ".." {
        return Err(AzureError::WorkspaceName {
            name: name.to_string(),
        });
    }
    Ok(())
}

fn attached_file(workspace: &str, f: &FileResource) -> AttachedFile {
    let p = &f.properties;
    AttachedFile {
        workspace: workspace.to_string(),
        name: f.name.clone().unwrap_or_default(),
        size: p.file_size.unwrap_or(0),
        chunk_size: p.chunk_size.unwrap_or(0),
        chunks: p.number_of_chunks.unwrap_or(0),
        created: p.created_on.clone(),
    }
}

fn file_workspace(w: &FileWorkspaceResource) -> FileWorkspace {
    FileWorkspace {
        name: w.name.clone().unwrap_or_default(),
        created: w.properties.created_on.clone(),
        expires: w.properties.expiration_time.clone(),
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
        })
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
                            continue;
                        }
                        Err(e) => return Err(transport(&url, &e)),
                    }
                }
                Err(e) if !last => {
                    tracing::debug!(error = %e, "call failed; trying again");
                    tokio::time::sleep(self.backoff(attempt)).await;
                    continue;
                }
                Err(e) => return Err(transport(&url, &e)),
            };
            let status = answer.status;
            if status == StatusCode::UNAUTHORIZED && !refreshed {
                refreshed = true;
                attempt -= 1;
                continue;
            }
            if (status == StatusCode::TOO_MANY_REQUESTS || status.is_server_error()) && !last {
                let wait = answer.retry_after().unwrap_or_else(|| self.backoff(attempt));
                tokio::time::sleep(wait.min(self.config.max_wait)).await;
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
        let topics = list
            .value
            .iter()
            .map(|pc| mapping::classification_topic(pc, service))
            .collect();
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

    /// Changes the ticket's severity (`PATCH {"severity": ...}`); the answer is the whole ticket.
    pub async fn update_severity(&self, name: &str, severity: Severity) -> Result<Ticket, AzureError> {
        let answer = self
            .send(
                Method::PATCH,
                self.ticket_url(name)?,
                Some(&mapping::severity_body(severity)),
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
        let mut url = self.url(
            &self.communications_path(ticket),
            API_VERSION,
            &[("$top", "10".into())],
        )?;
        let mut notes = Vec::new();
        loop {
            let (page, _): (List<CommunicationResource>, _) = self.get(url, "communications").await?;
            notes.extend(page.value.iter().map(mapping::note));
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
        Ok(notes)
    }

    /// The URL of file workspace `workspace` and what follows it (`files`, a file's name,
    /// `upload`), each a path segment percent-encoded as such: a file's name may hold `?`, `#`,
    /// `%` or spaces.
    fn workspace_url(&self, workspace: &str, tail: &[&str]) -> Result<Url, AzureError> {
        check_workspace_name(workspace)?;
        // A URL path reads these as steps, not names (and `Url` drops them).
        if let Some(name) = tail.iter().find(|s| s.is_empty() || **s == "." || **s == "..") {
            return Err(AzureError::Attachment(if name.is_empty() {
                AttachmentError::NoName
            } else {
                AttachmentError::NotAName {
                    name: name.to_string(),
                }
            }));
        }
        let path = format!("{}/providers/Microsoft.Support/fileWorkspaces", self.scope());
        let mut url = self.url(&path, API_VERSION, &[])?;
        let bad = |url: &Url| AzureError::Url {
            url: url.to_string(),
            reason: "cannot hold a path".into(),
        };
        let copy = url.clone();
        url.path_segments_mut()
            .map_err(|()| bad(&copy))?
            .push(workspace)
            .extend(tail);
        Ok(url)
    }

    /// Creates file workspace `workspace` (named by the caller, so a repeat is safe). A
    /// workspace that exists already is what was asked for: a 409 reads it instead.
    pub async fn create_workspace(&self, workspace: &str) -> Result<FileWorkspace, AzureError> {
        let url = self.workspace_url(workspace, &[])?;
        match self.send::<()>(Method::PUT, url, None).await {
            Ok(answer) => {
                let w: FileWorkspaceResource = answer.json("file workspace")?;
                Ok(file_workspace(&w))
            }
            Err(AzureError::Status { status: 409, .. }) => self.workspace(workspace).await,
            Err(e) => Err(e),
        }
    }

    /// File workspace `workspace`.
    pub async fn workspace(&self, workspace: &str) -> Result<FileWorkspace, AzureError> {
        let url = self.workspace_url(workspace, &[])?;
        let (w, _): (FileWorkspaceResource, _) = self.get(url, "file workspace").await?;
        Ok(file_workspace(&w))
    }

    /// Declares file `name` in `workspace`: its size and how it will be cut
    /// (`chunk_size`, `chunks`). Named, so a repeat with the same sizes is safe.
    pub async fn create_file(
        &self,
        workspace: &str,
        name: &str,
        size: u64,
        chunk_size: u64,
        chunks: u64,
    ) -> Result<AttachedFile, AzureError> {
        let url = self.workspace_url(workspace, &["files", name])?;
        let body = super::wire::Body {
            properties: super::wire::FileProperties {
                chunk_size: Some(chunk_size),
                file_size: Some(size),
                number_of_chunks: Some(chunks),
                ..Default::default()
            },
        };
        let answer = self.send(Method::PUT, url, Some(&body)).await?;
        let f: FileResource = answer.json("file")?;
        Ok(attached_file(workspace, &f))
    }

    /// Uploads chunk `index` (from 0) of file `name`. Retried like a PUT: the service keeps one
    /// chunk per index, so a repeat replaces it with the same bytes.
    pub async fn upload_chunk(
        &self,
        workspace: &str,
        name: &str,
        index: u64,
        bytes: &[u8],
    ) -> Result<(), AzureError> {
        let url = self.workspace_url(workspace, &["files", name, "upload"])?;
        let body = UploadChunk {
            content: base64::engine::general_purpose::STANDARD.encode(bytes),
            chunk_index: index,
        };
        self.send(Method::POST, url, Some(&body)).await?;
        Ok(())
    }

    /// File `name` of `workspace`.
    pub async fn file(&self, workspace: &str, name: &str) -> Result<AttachedFile, AzureError> {
        let url = self.workspace_url(workspace, &["files", name])?;
        let (f, _): (FileResource, _) = self.get(url, "file").await?;
        Ok(attached_file(workspace, &f))
    }

    /// Every file of `workspace` (pages followed by `nextLink`).
    pub async fn files(&self, workspace: &str) -> Result<Vec<AttachedFile>, AzureError> {
        let mut url = self.workspace_url(workspace, &["files"])?;
        let mut files = Vec::new();
        loop {
            let (page, _): (List<FileResource>, _) = self.get(url, "files").await?;
            files.extend(page.value.iter().map(|f| attached_file(workspace, f)));
            match page.next_link {
                Some(next) => url = self.own_link(&next)?,
                None => break,
            }
        }
        Ok(files)
    }

    /// The file workspace of ticket `ticket`: the one the ticket names (`fileWorkspaceName`;
    /// the service's own examples show the portal's workspace named there), else its
    /// `supportTicketId` (Az.Support's `New-AzSupportFileAndUpload`, example "Create and upload a
    /// file to a support ticket", passes the ticket's number as `-WorkspaceName`), else the
    /// ticket's resource name.
    pub async fn workspace_of(&self, ticket: &str) -> Result<String, AzureError> {
        let answer = self
            .send::<()>(Method::GET, self.ticket_url(ticket)?, None)
            .await?;
        let t: TicketResource = answer.json("support ticket")?;
        let p = t.properties;
        Ok(p.file_workspace_name
            .filter(|w| !w.is_empty())
            .or(p.support_ticket_id.filter(|n| !n.is_empty()))
            .unwrap_or_else(|| ticket.to_string()))
    }

    /// Attaches a file to ticket `ticket`: [`AzureClient::upload`] to the ticket's workspace
    /// ([`AzureClient::workspace_of`]). The file is checked first (1 byte to 5 MiB, its name),
    /// before any request.
    pub async fn attach(
        &self,
        ticket: &str,
        name: &str,
        bytes: &[u8],
        progress: impl FnMut(u64, u64) + Send,
    ) -> Result<AttachedFile, AzureError> {
        check_attachment(name, bytes.len() as u64)?;
        let workspace = self.workspace_of(ticket).await?;
        self.upload(&workspace, name, bytes, progress).await
    }

    /// Uploads a file to `workspace`: the workspace created (or found), the file declared with
    /// its size and chunks of [`CHUNK_SIZE`], then each chunk sent in order. `progress` hears
    /// `(bytes sent, total bytes)` once before the first chunk and after each one, ending at
    /// `(total, total)`. The file and the workspace name are checked before any request.
    pub async fn upload(
        &self,
        workspace: &str,
        name: &str,
        bytes: &[u8],
        mut progress: impl FnMut(u64, u64) + Send,
    ) -> Result<AttachedFile, AzureError> {
        let size = bytes.len() as u64;
        check_attachment(name, size)?;
        check_workspace_name(workspace)?;
        let chunk_size = CHUNK_SIZE.min(size);
        let chunks = size.div_ceil(chunk_size);
        self.create_workspace(workspace).await?;
        let file = self
            .create_file(workspace, name, size, chunk_size, chunks)
            .await?;
        progress(0, size);
        let mut sent = 0u64;
        // chunk_size is at most CHUNK_SIZE, which fits any usize of a 32- or 64-bit target.
        let step = usize::try_from(chunk_size).unwrap_or(usize::MAX);
        for (index, chunk) in (0u64..).zip(bytes.chunks(step)) {
            self.upload_chunk(workspace, name, index, chunk).await?;
            sent += chunk.len() as u64;
            progress(sent, size);
        }
        Ok(file)
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn workspace_names_follow_the_swagger_pattern() {
        for ok in [
            "testworkspace",
            "pcsr-1a2b_c.d",
            "6f16735c-1530836f-e9970f1a",
            "with space",
        ] {
            assert!(check_workspace_name(ok).is_ok(), "{ok}");
        }
        for bad in ["", ".", "..", "a/b", "a?b", "é"] {
            assert!(
                matches!(check_workspace_name(bad), Err(AzureError::WorkspaceName { .. })),
                "{bad}"
            );
        }
    }

    #[test]
    fn five_mib_is_two_chunks_of_the_swagger_s_largest() {
        let size = crate::domain::ATTACHMENT_MAX_BYTES;
        assert_eq!(size.div_ceil(CHUNK_SIZE), 2);
        assert_eq!(CHUNK_SIZE * 2, size);
    }
}
