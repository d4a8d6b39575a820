//! What can go wrong signing in, refreshing, or keeping the refresh token.
//!
//! No variant ever carries a token: messages hold what the service or the store said, which
//! never includes the secrets we sent.

use std::path::PathBuf;

use super::cloud::Cloud;
use crate::domain::{Remedy, Service};

/// A sign-in, refresh, keyring or config failure, each with what to do next.
#[derive(Debug, thiserror::Error)]
pub enum AuthError {
    /// The authority URL (a cloud's, or PCSR_AUTHORITY_URL) is not one we send credentials to.
    #[error("refusing sign-in authority {url}: {reason}")]
    Authority {
        /// The URL as given.
        url: String,
        /// Why it was refused.
        reason: String,
    },
    /// The tenant is not `organizations`, `common`, a GUID or a domain.
    #[error(
        "'{0}' is not a tenant: use organizations, common, a tenant id (GUID) or a domain like contoso.com"
    )]
    Tenant(String),
    /// The sign-in service could not be reached.
    #[error("could not reach the sign-in service at {url}: {message}")]
    Transport {
        /// The endpoint.
        url: String,
        /// What the transport said.
        message: String,
    },
    /// The sign-in service answered something that is not an OAuth answer.
    #[error("the sign-in service at {url} answered HTTP {status} that could not be read ({excerpt})")]
    Protocol {
        /// The endpoint.
        url: String,
        /// HTTP status.
        status: u16,
        /// The start of the body.
        excerpt: String,
    },
    /// The user declined the sign-in on the verification page.
    #[error("sign-in was declined on the verification page")]
    Declined,
    /// The device code expired before the sign-in was approved.
    #[error("the sign-in code expired before it was used")]
    CodeExpired,
    /// The service refused a request with an OAuth error we cannot recover from here.
    #[error("the sign-in service refused: {error}{}{}", description_suffix(.description), hint_suffix(.hint))]
    Refused {
        /// The OAuth `error` code, e.g. `invalid_client`.
        error: String,
        /// The service's `error_description`, first line.
        description: Option<String>,
        /// What the refusal means, when the code says more than the service's text.
        hint: Option<String>,
    },
    /// No usable saved sign-in: never signed in, signed out, refused or vanished refresh token.
    #[error("{0}")]
    SignInNeeded(String),
    /// A keyring store failed.
    #[error("the {store} keyring failed: {message}")]
    Keyring {
        /// Which store.
        store: String,
        /// What it said.
        message: String,
    },
    /// No keyring store could be opened.
    #[error("no keyring is available ({tried}); pcsr-tui never writes tokens to a plain file")]
    NoKeyring {
        /// What was tried and why each failed.
        tried: String,
    },
    /// PCSR_KEYRING holds something we do not know.
    #[error("PCSR_KEYRING='{0}' is not known: use auto, secret-service, keyutils or none")]
    KeyringChoice(String),
    /// config.toml could not be read or written.
    #[error("config file {path}: {message}")]
    Config {
        /// The file.
        path: PathBuf,
        /// What went wrong and what to do.
        message: String,
    },
    /// The service does not run in that cloud (Azure has no Germany cloud, Partner Center no
    /// China cloud).
    #[error("{} ({})", unsupported_fact(.service, .cloud), runs_in(.service))]
    UnsupportedCloud {
        /// The service asked for.
        service: Service,
        /// The cloud it does not run in.
        cloud: Cloud,
    },
    /// A customer tenant for CSP work must name one tenant, not a well-known alias.
    #[error("'{0}' is not a customer tenant: it must be the customer's tenant id (GUID) or domain")]
    CustomerTenant(String),
    /// No profile of that name exists.
    #[error("there is no profile named '{0}' in config.toml")]
    NoProfile(String),
}

fn description_suffix(description: &Option<String>) -> String {
    description
        .as_deref()
        .map(|d| format!(" ({d})"))
        .unwrap_or_default()
}

fn unsupported_fact(service: &Service, cloud: &Cloud) -> String {
    match service {
        Service::PartnerCenter => format!("{} has no {cloud} cloud", service.label()),
        Service::Azure => format!("{} does not run in the {cloud} cloud", service.label()),
    }
}

/// "it runs in global, usgov and china".
fn runs_in(service: &Service) -> String {
    let names = Cloud::names_for(*service);
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("it runs in {} and {last}", rest.join(", ")),
        Some((last, _)) => format!("it runs in {last}"),
        None => "it runs in no cloud".to_string(),
    }
}

fn hint_suffix(hint: &Option<String>) -> String {
    hint.as_deref().map(|h| format!(". {h}")).unwrap_or_default()
}

/// OAuth error codes that say "try again shortly", not "sign in again".
pub fn is_transient_oauth_error(code: &str) -> bool {
    matches!(code, "temporarily_unavailable" | "server_error")
}

impl AuthError {
    /// True when the sign-in service did not answer usefully this time (network, timeout,
    /// 5xx): a retry may succeed and the sign-in is not lost.
    pub fn is_transient(&self) -> bool {
        match self {
            AuthError::Transport { .. } => true,
            AuthError::Protocol { status, .. } => *status >= 500 || *status == 408 || *status == 429,
            _ => false,
        }
    }

    /// The one way forward, as data: each UI words it.
    pub fn remedy(&self) -> Remedy {
        match self {
            AuthError::Authority { .. } => Remedy::UseHttps,
            AuthError::Tenant(_) | AuthError::CustomerTenant(_) => Remedy::FixInput,
            AuthError::UnsupportedCloud { service, .. } => Remedy::ChooseCloud {
                clouds: Cloud::names_for(*service),
            },
            AuthError::Transport { .. } | AuthError::Protocol { .. } => Remedy::CheckAuthority,
            AuthError::Declined | AuthError::CodeExpired => Remedy::NewSignInCode,
            AuthError::Refused { .. } | AuthError::SignInNeeded(_) | AuthError::NoProfile(_) => {
                Remedy::SignIn
            }
            AuthError::Keyring { .. } | AuthError::NoKeyring { .. } => Remedy::ChooseKeyring,
            AuthError::KeyringChoice(_) | AuthError::Config { .. } => Remedy::FixSetting,
        }
    }

    /// True when only a new sign-in helps (the CLI exits with code 3).
    pub fn needs_sign_in(&self) -> bool {
        matches!(
            self,
            AuthError::SignInNeeded(_)
                | AuthError::Declined
                | AuthError::CodeExpired
                | AuthError::Refused { .. }
        )
    }
}
