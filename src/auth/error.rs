//! What can go wrong signing in, refreshing, or keeping the refresh token.
//!
//! No variant ever carries a token: messages hold what the service or the store said, which
//! never includes the secrets we sent.

use std::path::PathBuf;

use crate::domain::Remedy;

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
            AuthError::Tenant(_) => Remedy::FixInput,
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
