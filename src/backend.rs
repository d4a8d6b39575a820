//! One interface to every service's client, in domain terms: the outbox, the CLI and the
//! worker hold a [`Backend`] and never ask which wire client is behind it.
//!
//! Each service keeps its own way of making a write safe to repeat, behind the same key: the
//! outbox records a [`Uuid`] before the first send. Partner Center carries it as the
//! MS-RequestId; Azure names the resource after it (the ticket's or the communication's name),
//! so a repeated PUT addresses the same resource.

use uuid::Uuid;

use crate::api::error::RequestIds;
use crate::api::{Answer, ApiError, Client, ListQuery, Scope};
use crate::azure::{AzureClient, AzureError, TicketFilter};
use crate::domain::{
    Change, ClientEvent, Failure, NewTicket, Page, Remedy, Service, Status, Subscription, Ticket, Topic,
};

/// A service's client.
#[derive(Clone)]
pub enum Backend {
    /// Partner Center.
    PartnerCenter(Client),
    /// Azure `Microsoft.Support`.
    Azure(AzureClient),
}

/// A failed call to either service.
#[derive(Debug, thiserror::Error)]
pub enum BackendError {
    /// Partner Center's.
    #[error(transparent)]
    Api(#[from] ApiError),
    /// Azure's.
    #[error(transparent)]
    Azure(#[from] AzureError),
    /// The service has no such operation.
    #[error("{service} has no way to {what}")]
    Unsupported {
        /// The service.
        service: Service,
        /// What was asked.
        what: &'static str,
    },
}

impl BackendError {
    /// The HTTP status, if the service answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            BackendError::Api(e) => e.status(),
            BackendError::Azure(AzureError::Status { status, .. }) => Some(*status),
            BackendError::Azure(_) | BackendError::Unsupported { .. } => None,
        }
    }

    /// True when the user has to sign in (again) first.
    pub fn needs_sign_in(&self) -> bool {
        match self {
            BackendError::Api(e) => e.needs_sign_in(),
            BackendError::Azure(e) => matches!(e, AzureError::SignIn(_)) || self.status() == Some(401),
            BackendError::Unsupported { .. } => false,
        }
    }

    /// True when the sign-in service, not the saved sign-in, failed.
    pub fn sign_in_unavailable(&self) -> bool {
        matches!(
            self,
            BackendError::Api(ApiError::SignInUnavailable(_))
                | BackendError::Azure(AzureError::SignInUnavailable(_))
        )
    }

    /// True when the write may have reached the service (README.md's outcome rules). For Azure
    /// that is a lost answer, a 5xx or 429 after every retry, an answer that could not be read,
    /// or an operation still running: the ticket's name tells later how it ended.
    pub fn outcome_unknown(&self) -> bool {
        match self {
            BackendError::Api(e) => e.outcome_unknown(),
            BackendError::Azure(e) => match e {
                AzureError::Transport { .. }
                | AzureError::Unreadable { .. }
                | AzureError::Unfinished { .. } => true,
                AzureError::Status { status, .. } => *status >= 500 || *status == 429,
                AzureError::Url { .. }
                | AzureError::Attachment(_)
                | AzureError::WorkspaceName { .. }
                | AzureError::SignIn(_)
                | AzureError::SignInUnavailable(_)
                | AzureError::Operation { .. } => false,
            },
            BackendError::Unsupported { .. } => false,
        }
    }

    /// True for a success whose answer could not be read: the service did the work.
    pub fn accepted_unread(&self) -> bool {
        match self {
            BackendError::Api(e) => e.accepted_unread(),
            BackendError::Azure(e) => matches!(e, AzureError::Unreadable { .. }),
            BackendError::Unsupported { .. } => false,
        }
    }

    /// The exit code README.md documents: 3 sign-in needed, 1 local refusal, 2 service error.
    pub fn exit_code(&self) -> i32 {
        match self {
            BackendError::Api(e) => e.exit_code(),
            e if e.needs_sign_in() => 3,
            BackendError::Azure(AzureError::Url { .. }) | BackendError::Unsupported { .. } => 1,
            BackendError::Azure(_) => 2,
        }
    }

    /// The one way forward, as data.
    pub fn remedy(&self) -> Remedy {
        match self {
            BackendError::Api(e) => e.remedy(),
            BackendError::Azure(e) => e.remedy(),
            BackendError::Unsupported { .. } => Remedy::FixInput,
        }
    }

    /// The failure as every UI shows it.
    pub fn failure(&self) -> Failure {
        match self {
            BackendError::Api(e) => e.failure(),
            BackendError::Azure(e) => e.failure(),
            BackendError::Unsupported { .. } => Failure {
                summary: self.to_string(),
                code: None,
                description: None,
                request_id: None,
                correlation_id: None,
                remedy: self.remedy(),
            },
        }
    }
}

/// The resource name Azure gets for the write recorded under `key`: the same for every retry
/// and resend, since the key is recorded before the first send.
pub fn azure_name(key: Uuid) -> String {
    key.hyphenated().to_string()
}

/// What a list asks for, in every service's terms.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ListFilter {
    /// Only tickets in this status.
    pub status: Option<Status>,
    /// Only tickets created at or after this moment (RFC 3339); Azure only.
    pub created_since: Option<String>,
    /// Page size asked of the service.
    pub page_size: Option<u32>,
}

/// Where a service's API is in `cloud` when nothing overrides it.
pub fn default_base_url(service: Service, cloud: crate::auth::Cloud) -> &'static str {
    use crate::auth::Cloud;
    match service {
        Service::PartnerCenter => cloud.api_base_url(),
        Service::Azure => match cloud {
            Cloud::Usgov => crate::azure::client::USGOV_BASE_URL,
            Cloud::China => crate::azure::client::CHINA_BASE_URL,
            Cloud::Global | Cloud::Germany => crate::azure::client::GLOBAL_BASE_URL,
        },
    }
}

impl Backend {
    /// The client of `service` at `base_url`, sending `token`: Partner Center's in `locale`,
    /// Azure's under `subscription` (`None`: tenant level).
    pub fn connect(
        service: Service,
        base_url: &str,
        locale: &str,
        subscription: Option<String>,
        token: std::sync::Arc<dyn crate::api::TokenProvider>,
    ) -> Result<Backend, BackendError> {
        Ok(match service {
            Service::PartnerCenter => {
                let mut config = crate::api::ClientConfig::new(base_url)?;
                config.locale = locale.to_string();
                Backend::PartnerCenter(Client::new(config, token)?)
            }
            Service::Azure => {
                let mut config = crate::azure::AzureConfig::new(base_url)?;
                config.subscription = subscription;
                Backend::Azure(AzureClient::new(config, token)?)
            }
        })
    }

    /// Whether `base_url` is one [`Backend::connect`] takes for `service`, without building a
    /// client: a sign-in checks it before sending the user to the browser.
    pub fn check_base_url(service: Service, base_url: &str) -> Result<(), BackendError> {
        match service {
            Service::PartnerCenter => crate::api::ClientConfig::new(base_url).map(drop)?,
            Service::Azure => crate::azure::AzureConfig::new(base_url).map(drop)?,
        }
        Ok(())
    }

    /// Which service this is.
    pub fn service(&self) -> Service {
        match self {
            Backend::PartnerCenter(_) => Service::PartnerCenter,
            Backend::Azure(_) => Service::Azure,
        }
    }

    /// The Azure subscription it files and lists under (`None`: tenant level, or Partner
    /// Center).
    pub fn subscription(&self) -> Option<&str> {
        match self {
            Backend::PartnerCenter(_) => None,
            Backend::Azure(c) => c.subscription(),
        }
    }

    /// The scope an outbox row records for a resend: Azure's subscription, `""` for tenant
    /// level; `None` for Partner Center, which has none.
    pub fn recorded_scope(&self) -> Option<String> {
        match self {
            Backend::PartnerCenter(_) => None,
            Backend::Azure(c) => Some(c.subscription().unwrap_or_default().to_string()),
        }
    }

    /// This client under a row's recorded scope (see [`Backend::recorded_scope`]); as it is
    /// when the row recorded none.
    pub fn under_recorded(&self, scope: Option<&str>) -> Backend {
        match (self, scope) {
            (Backend::Azure(c), Some(scope)) => Backend::Azure(
                c.clone()
                    .with_subscription((!scope.is_empty()).then(|| scope.to_string())),
            ),
            _ => self.clone(),
        }
    }

    /// The Partner Center client, for the parts only it has.
    pub fn partner_center(&self) -> Option<&Client> {
        match self {
            Backend::PartnerCenter(c) => Some(c),
            Backend::Azure(_) => None,
        }
    }

    /// The same client, reporting retries, throttling and token refreshes to `events`.
    pub fn with_events(self, events: tokio::sync::mpsc::UnboundedSender<ClientEvent>) -> Self {
        match self {
            Backend::PartnerCenter(c) => Backend::PartnerCenter(c.with_events(events)),
            Backend::Azure(c) => Backend::Azure(c.with_events(events)),
        }
    }

    /// The same client, filing and listing tickets under `subscription` (`None`: tenant level);
    /// Partner Center has no subscriptions and stays as it is.
    pub fn with_subscription(self, subscription: Option<String>) -> Self {
        match self {
            Backend::PartnerCenter(c) => Backend::PartnerCenter(c),
            Backend::Azure(c) => Backend::Azure(c.with_subscription(subscription)),
        }
    }

    /// The client that reaches `ticket` where it was filed: an Azure ticket lives under the
    /// subscription (or tenant) of its resource id, whatever the client was switched to since;
    /// this client as it is when the ticket does not say (or for Partner Center).
    pub fn for_ticket(&self, ticket: &Ticket) -> Backend {
        let Backend::Azure(c) = self else {
            return self.clone();
        };
        let Some(id) = ticket.as_sent.get("id").and_then(|v| v.as_str()) else {
            return self.clone();
        };
        let filed_under = match crate::azure::mapping::subscription_of(id) {
            Some(scope) => scope,
            None => return self.clone(),
        };
        if filed_under.as_deref() == c.subscription() {
            self.clone()
        } else {
            Backend::Azure(c.clone().with_subscription(filed_under))
        }
    }

    /// The subscriptions the sign-in can see (Azure's `GET /subscriptions`).
    pub async fn subscriptions(&self) -> Result<Vec<Subscription>, BackendError> {
        match self {
            Backend::PartnerCenter(_) => Err(BackendError::Unsupported {
                service: Service::PartnerCenter,
                what: "list subscriptions",
            }),
            Backend::Azure(c) => Ok(c
                .subscriptions()
                .await?
                .into_iter()
                .filter_map(|s| {
                    // The GUID, else the last segment of `/subscriptions/{id}`.
                    let id = s
                        .subscription_id
                        .or_else(|| {
                            s.id.as_deref()
                                .and_then(|i| i.rsplit('/').next())
                                .map(str::to_string)
                        })
                        .map(|i| i.trim().to_ascii_lowercase())
                        .filter(|i| !i.is_empty())?;
                    let name = s
                        .display_name
                        .map(|n| n.trim().to_string())
                        .filter(|n| !n.is_empty())
                        .unwrap_or_else(|| id.clone());
                    Some(Subscription {
                        id,
                        name,
                        state: s.state,
                    })
                })
                .collect()),
        }
    }

    /// Warnings from the token provider (a rotated refresh token that could not be saved).
    pub fn take_token_warnings(&self) -> Vec<String> {
        match self {
            Backend::PartnerCenter(c) => c.take_token_warnings(),
            Backend::Azure(c) => c.take_token_warnings(),
        }
    }

    /// The first level of the topic tree: Partner Center's topics, Azure's services.
    pub async fn topics(&self) -> Result<Vec<Topic>, BackendError> {
        Ok(match self {
            Backend::PartnerCenter(c) => c.topics().await?,
            Backend::Azure(c) => c.services().await?,
        })
    }

    /// The topics under `parent` (Azure's problem classifications of a service; Partner
    /// Center's tree has one level).
    pub async fn sub_topics(&self, parent: &Topic) -> Result<Vec<Topic>, BackendError> {
        Ok(match self {
            Backend::PartnerCenter(_) => Vec::new(),
            Backend::Azure(c) => c.classifications(parent).await?,
        })
    }

    /// Files `ticket` under the outbox's `key`.
    pub async fn create(&self, ticket: &NewTicket, key: Uuid) -> Result<Answer<Ticket>, BackendError> {
        match self {
            Backend::PartnerCenter(c) => Ok(c.create(ticket, RequestIds::with_request_id(key)).await?),
            Backend::Azure(c) => Ok(keyed(c.create(&ticket_name(ticket, key), ticket).await?, key)),
        }
    }

    /// The ticket a create under `key` made, read by its name, where the client names tickets:
    /// `None` when the service holds none of that name (or names its tickets itself).
    pub async fn created_under(
        &self,
        ticket: &NewTicket,
        key: Uuid,
    ) -> Result<Option<Answer<Ticket>>, BackendError> {
        let Backend::Azure(c) = self else {
            return Ok(None);
        };
        match c.get_ticket(&ticket_name(ticket, key)).await {
            Ok(value) => Ok(Some(keyed(value, key))),
            Err(AzureError::Status { status: 404, .. }) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// One ticket by its id (Azure: its resource name).
    pub async fn get(&self, scope: &Scope, id: &str) -> Result<Ticket, BackendError> {
        Ok(match self {
            Backend::PartnerCenter(c) => c.get(scope, id).await?,
            Backend::Azure(c) => c.get_ticket(id).await?,
        })
    }

    /// One ticket with its whole conversation (Azure keeps communications apart from the
    /// ticket; Partner Center's notes come with it).
    pub async fn conversation(&self, scope: &Scope, id: &str) -> Result<Ticket, BackendError> {
        Ok(self.conversation_as_sent(scope, id).await?.0)
    }

    /// [`Backend::conversation`], and for a service that keeps the conversation apart from
    /// the ticket, its messages as the service sent them (Azure: the communications).
    pub async fn conversation_as_sent(
        &self,
        scope: &Scope,
        id: &str,
    ) -> Result<(Ticket, Option<Vec<serde_json::Value>>), BackendError> {
        match self {
            Backend::PartnerCenter(c) => Ok((c.get(scope, id).await?, None)),
            Backend::Azure(c) => {
                let (ticket, notes) = tokio::join!(c.get_ticket(id), c.notes_as_sent(id));
                let mut ticket = ticket?;
                let (notes, sent) = notes?;
                ticket.notes = notes;
                Ok((ticket, Some(sent)))
            }
        }
    }

    /// The subject a note gets when none is given, for a service whose notes carry one: "Re: "
    /// and the ticket's title (`None` for a service without subjects).
    pub async fn default_subject(&self, scope: &Scope, id: &str) -> Result<Option<String>, BackendError> {
        if !self.service().capabilities().note_subject {
            return Ok(None);
        }
        let ticket = self.get(scope, id).await?;
        Ok(Some(match ticket.title.as_deref().map(str::trim) {
            Some(title) if !title.is_empty() => format!("Re: {title}"),
            _ => format!("Re: ticket {id}"),
        }))
    }

    /// One page of tickets.
    pub async fn list(&self, scope: &Scope, filter: &ListFilter) -> Result<Page, BackendError> {
        Ok(match self {
            Backend::PartnerCenter(c) => c.list(scope, &pc_query(filter)).await?,
            Backend::Azure(c) => c.list(&azure_filter(filter)).await?,
        })
    }

    /// The page at a service's own next-page link.
    pub async fn list_page(&self, next: &str) -> Result<Page, BackendError> {
        Ok(match self {
            Backend::PartnerCenter(c) => c.list_page(next).await?,
            Backend::Azure(c) => c.list_page(next).await?,
        })
    }

    /// Every page up to `limit` tickets.
    pub async fn list_all(
        &self,
        scope: &Scope,
        filter: &ListFilter,
        limit: usize,
    ) -> Result<Vec<Ticket>, BackendError> {
        if let Backend::PartnerCenter(c) = self {
            return Ok(c.list_all(scope, &pc_query(filter), limit).await?);
        }
        let mut page = self.list(scope, filter).await?;
        let mut tickets = Vec::new();
        let mut seen = std::collections::HashSet::new();
        loop {
            tickets.append(&mut page.tickets);
            if tickets.len() >= limit {
                break;
            }
            match page.next.take() {
                // A service linking a page to itself must not loop us forever.
                Some(next) if seen.insert(next.clone()) => page = self.list_page(&next).await?,
                _ => break,
            }
        }
        tickets.truncate(limit);
        Ok(tickets)
    }

    /// Applies `change` to ticket `id` under the outbox's `key`; the ticket as it stands after.
    pub async fn apply(
        &self,
        scope: &Scope,
        id: &str,
        change: &Change,
        key: Uuid,
    ) -> Result<Ticket, BackendError> {
        match self {
            Backend::PartnerCenter(c) => Ok(c
                .apply(scope, id, change, RequestIds::with_request_id(key))
                .await?),
            Backend::Azure(c) => match change {
                Change::Close => Ok(c.close(id).await?),
                Change::Note { text, subject } => {
                    let subject = subject.clone().unwrap_or_default();
                    c.add_note(id, &azure_name(key), &subject, text).await?;
                    self.conversation(scope, id).await
                }
            },
        }
    }

    /// Changes a ticket's severity (Azure; Partner Center's update takes none), with `phone`
    /// also its contact's phone number.
    pub async fn set_severity(
        &self,
        id: &str,
        severity: crate::domain::Severity,
        phone: Option<&str>,
    ) -> Result<Ticket, BackendError> {
        match self {
            Backend::PartnerCenter(_) => Err(BackendError::Unsupported {
                service: Service::PartnerCenter,
                what: "change a request's severity",
            }),
            Backend::Azure(c) => Ok(c.update_severity(id, severity, phone).await?),
        }
    }

    /// Uploads a file to ticket `ticket` (Azure: to the ticket's file workspace, in chunks);
    /// `progress` hears `(bytes sent, total bytes)` as the chunks go.
    pub async fn attach(
        &self,
        ticket: &str,
        name: &str,
        bytes: &[u8],
        progress: impl FnMut(u64, u64) + Send,
    ) -> Result<crate::domain::AttachedFile, BackendError> {
        match self {
            Backend::PartnerCenter(_) => Err(BackendError::Unsupported {
                service: Service::PartnerCenter,
                what: "attach files to a request",
            }),
            Backend::Azure(c) => Ok(c.attach(ticket, name, bytes, progress).await?),
        }
    }

    /// Whether the ticket as read back already holds the note recorded under `key`, where the
    /// service can tell (Azure: a communication of that name). `None`: ask by text and date.
    pub fn holds_note(&self, ticket: &Ticket, key: Uuid) -> Option<bool> {
        match self {
            Backend::PartnerCenter(_) => None,
            Backend::Azure(_) => {
                let name = azure_name(key);
                Some(
                    ticket
                        .notes
                        .iter()
                        .any(|n| n.id.as_deref() == Some(name.as_str())),
                )
            }
        }
    }
}

/// The name an Azure create under `key` gives the ticket: `--name`, else one from the key.
fn ticket_name(ticket: &NewTicket, key: Uuid) -> String {
    ticket.name.clone().unwrap_or_else(|| azure_name(key))
}

/// An Azure answer in the outbox's terms: the key it was sent under stands for the ids.
fn keyed(value: Ticket, key: Uuid) -> Answer<Ticket> {
    Answer {
        value,
        status: 200,
        ids: RequestIds::with_request_id(key),
    }
}

fn pc_query(filter: &ListFilter) -> ListQuery {
    ListQuery {
        size: filter.page_size,
        offset: None,
        status: filter.status,
    }
}

fn azure_filter(filter: &ListFilter) -> TicketFilter {
    TicketFilter {
        status: filter
            .status
            .and_then(crate::azure::mapping::status_word)
            .map(str::to_string),
        created_since: filter.created_since.clone(),
        top: filter.page_size,
    }
}
