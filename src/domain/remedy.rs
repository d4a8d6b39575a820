//! What a user can do about a failure, as data. Each UI words it its own way: the CLI as a
//! command to run, the TUI with the key from its key table.

/// The one way forward after a failure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Remedy {
    /// Sign in (again) first.
    SignIn,
    /// Sign in, then resend what is waiting in the outbox (same idempotency key).
    SignInThenResend,
    /// The outcome is unknown: resend from the outbox with the same idempotency key; never file
    /// it again.
    ResendOutbox,
    /// Nothing was committed: correct the field the service named and send again.
    FixInput,
    /// The service accepted the call but its answer could not be read: the change was made;
    /// read it back (a submit settles from the outbox with the same idempotency key).
    AcceptedUnread,
    /// Try the same call again, after `after_seconds` when the service said so.
    Retry {
        /// Seconds the service asked to wait, if it did.
        after_seconds: Option<u64>,
    },
    /// The service or the network is down: try later; the ids help support.
    RetryLater,
    /// Check the network and the base URL.
    CheckNetwork,
    /// The base URL does not look like the service.
    CheckBaseUrl,
    /// The URL must be https (plain http only for loopback).
    UseHttps,
    /// The account lacks the right to do this.
    NeedsPermission,
    /// The ticket or request does not exist here: check the id (list shows what you can see).
    CheckId,
    /// It changed on the server meanwhile: re-read it and try again.
    Reread,
    /// The sign-in service is unreachable; the saved sign-in is kept.
    SignInServiceDown,
    /// The sign-in was declined or its code expired: start it again for a new code.
    NewSignInCode,
    /// The sign-in service could not be reached or did not answer as one: check the network
    /// and the cloud (or the authority override).
    CheckAuthority,
    /// The keyring cannot keep the sign-in: choose a sign-in that lasts only this session
    /// (PCSR_KEYRING=none) or a token from the environment (PCSR_TOKEN).
    ChooseKeyring,
    /// A setting (environment or config.toml) is wrong: fix what the message names, then start
    /// again.
    FixSetting,
    /// The service does not run in the cloud chosen: choose one of these (`--cloud` names).
    ChooseCloud {
        /// The clouds the service runs in.
        clouds: &'static [&'static str],
    },
    /// Nothing specific; quote the ids to support.
    QuoteIds,
    /// The local database could not be written: make the data directory writable, then try
    /// again.
    CheckDataDir,
}

impl Remedy {
    /// Only a (new) sign-in helps.
    pub fn needs_sign_in(&self) -> bool {
        matches!(self, Remedy::SignIn | Remedy::SignInThenResend)
    }
}
