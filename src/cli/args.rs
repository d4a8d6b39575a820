//! The command line's definitions (clap derive): global options, subcommands, their arguments.

use std::path::PathBuf;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand};

use crate::auth::Cloud;
use crate::domain::{Service, Severity, Status};
use crate::session::Settings;

/// The help's closing text (environment, config.toml, exit codes); the man page shows it too.
pub(super) const AFTER_HELP: &str = "\
Environment:
  PCSR_BACKEND        partner-center or azure (same as --backend)
  PCSR_SUBSCRIPTION   Azure: the subscription tickets go under (same as --subscription)
  PCSR_BASE_URL       API base URL (same as --base-url); http:// only for loopback
  PCSR_TOKEN          bearer token used as-is; skips sign-in and the keyring
  PCSR_AUTHORITY_URL  sign-in authority override (tests, sandbox); http:// only for loopback
  PCSR_DATA_DIR       where the SQLite databases live (same as --data-dir)
  PCSR_CONFIG_DIR     where config.toml lives (default ~/.config/pcsr-tui)
  PCSR_KEYRING        auto | secret-service | keyutils | none (session-only sign-in)
  RUST_LOG            log level (commands log warnings to stderr by default)
  PCSR_LOG_FILE       log to this file (info level unless RUST_LOG says otherwise); the TUI
                      logs only there
  PCSR_SANDBOX_AGENT_REPLIES  seconds after which the sandbox's support agent answers each
                      new request (a note, status attention needed); same as
                      `sandbox serve --agent-replies`
  PCSR_REFRESH_SECONDS  how often the TUI re-reads open requests, in seconds; overrides
                      [defaults] refresh_minutes (demos, tests; 0 = never)
  NO_COLOR            draw the TUI without colours (the mono theme)
  TERM                dumb (or unset): the TUI refuses to start, use the commands;
                      screen*, linux, vt100: basic colours only

config.toml (in PCSR_CONFIG_DIR) may hold [defaults] (cloud, locale, severity, customer,
refresh_minutes, quiet), [ui] theme = default | high-contrast | mono, and [keys] (command name =
key or list of keys, e.g. submit = 'ctrl+g'); a mistake in it is exit 1 naming the line.

With no PCSR_BASE_URL, no PCSR_TOKEN and no signed-in profile, pcsr-tui uses its built-in
sandbox: nothing leaves this machine.

Exit codes: 0 ok, 1 usage or validation, 2 API error, 3 sign-in needed.";

/// The version with the git commit and target it was built from (see build.rs).
pub const VERSION: &str = concat!(
    env!("CARGO_PKG_VERSION"),
    " (commit ",
    env!("PCSR_GIT_COMMIT"),
    ", ",
    env!("PCSR_TARGET"),
    ")"
);

/// pcsr-tui: file and follow Microsoft support tickets (Partner Center service requests, Azure support tickets) from the keyboard.
#[derive(Debug, Parser)]
#[command(name = "pcsr-tui", version = VERSION, about, after_help = AFTER_HELP)]
pub struct Cli {
    /// Options for every command.
    #[command(flatten)]
    pub global: GlobalArgs,
    /// What to do; none opens the TUI.
    #[command(subcommand)]
    pub command: Option<CliCommand>,
}

/// Options every command takes.
#[derive(Debug, Args)]
pub struct GlobalArgs {
    /// API base URL (default per cloud).
    #[arg(long, global = true, env = "PCSR_BASE_URL", value_name = "URL")]
    pub base_url: Option<String>,
    /// The service's cloud (default global; germany is Partner Center only, china Azure only).
    #[arg(long, global = true, value_name = "CLOUD", ignore_case = true, value_parser = cloud_parser())]
    pub cloud: Option<Cloud>,
    /// Agent locale for creating requests and X-Locale, e.g. en-US.
    #[arg(long, global = true, value_name = "LOCALE")]
    pub locale: Option<String>,
    /// Where the local database lives.
    #[arg(long, global = true, env = "PCSR_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,
    /// Use the built-in sandbox even when an account is configured.
    #[arg(long, global = true)]
    pub sandbox: bool,
    /// Do not print the notice that the built-in sandbox is in use.
    #[arg(long, global = true)]
    pub quiet: bool,
    /// The service: partner-center or azure (default from config.toml, else partner-center).
    #[arg(long, global = true, env = "PCSR_BACKEND", value_name = "SERVICE", value_parser = backend_parser())]
    pub backend: Option<Service>,
    /// Azure: file and list tickets under this subscription (default [azure] subscription, else
    /// tenant level).
    #[arg(long, global = true, env = "PCSR_SUBSCRIPTION", value_name = "SUB")]
    pub subscription: Option<String>,
}

/// Service names as values, so shells complete them.
fn backend_parser() -> impl TypedValueParser<Value = Service> {
    PossibleValuesParser::new(["partner-center", "azure"])
        .try_map(|s| Service::parse(&s).ok_or_else(|| format!("unknown service '{s}'")))
}

/// Only the severities a user may choose with some service, so help, completions and the
/// "possible values" of an error never offer `unknown`; which of them the chosen service takes
/// is checked with the rest of the form.
fn severity_parser() -> impl TypedValueParser<Value = Severity> {
    let names: Vec<&'static str> = Severity::ALL
        .iter()
        .filter(|s| {
            Service::ALL
                .iter()
                .any(|svc| svc.capabilities().severities.contains(s))
        })
        .map(|s| s.as_str())
        .collect();
    PossibleValuesParser::new(names).try_map(|s| s.parse::<Severity>())
}

/// The statuses some service's list can filter on (Partner Center's, and Azure's `updating`).
fn status_parser() -> impl TypedValueParser<Value = Status> {
    let names: Vec<&'static str> = Status::ALL
        .iter()
        .filter(|s| {
            crate::api::mapping::status(**s).is_some() || crate::azure::mapping::status_word(**s).is_some()
        })
        .map(|s| s.as_str())
        .collect();
    PossibleValuesParser::new(names).try_map(|s| s.parse::<Status>())
}

/// `yes` or `no`.
fn yes_no_parser() -> impl TypedValueParser<Value = bool> {
    PossibleValuesParser::new(["yes", "no"]).map(|s| s == "yes")
}

/// Cloud names as values, so shells complete them instead of file names.
fn cloud_parser() -> impl TypedValueParser<Value = Cloud> {
    PossibleValuesParser::new(["global", "germany", "usgov", "china"]).try_map(|s| s.parse::<Cloud>())
}

/// The subcommands, as README.md lists them.
#[derive(Debug, Subcommand)]
pub enum CliCommand {
    /// Sign in with the device-code flow; the refresh token goes to the OS keyring.
    Login {
        /// Tenant id or domain (default: organizations).
        #[arg(long)]
        tenant: Option<String>,
        /// Your own app registration's client id.
        #[arg(long)]
        client_id: Option<String>,
    },
    /// Forget the stored credentials.
    Logout,
    /// Show who is signed in, on which cloud, and where the secret is kept.
    Status,
    /// List the support topics (Azure: services and their problem classifications).
    ///
    /// Azure: the services; with --service, one service's problem classifications; with --all,
    /// every classification of every service as "Service / Classification".
    Topics {
        /// Azure: this service's problem classifications (its name, id or display name).
        #[arg(long, value_name = "SERVICE", conflicts_with = "all")]
        service: Option<String>,
        /// Azure: every problem classification of every service, as "Service / Classification".
        #[arg(long)]
        all: bool,
        /// --json / --jq.
        #[command(flatten)]
        out: JsonArgs,
    },
    /// File a new service request.
    Submit(SubmitArgs),
    /// Show one service request from the server (Azure: the ticket and its communications as
    /// one conversation).
    Show {
        /// Service request id (Azure: the ticket's name, or the supportTicketId of one in the
        /// local history).
        id: String,
        /// A customer's request (tenant id) instead of the partner's own.
        #[arg(long, value_name = "TENANT")]
        customer: Option<String>,
        /// --json / --jq.
        #[command(flatten)]
        out: JsonArgs,
    },
    /// List service requests on the server.
    List {
        /// Only requests with this status.
        #[arg(long, ignore_case = true, value_parser = status_parser())]
        status: Option<Status>,
        /// A customer's requests (tenant id) instead of the partner's own.
        #[arg(long, value_name = "TENANT")]
        customer: Option<String>,
        /// Azure: only tickets created on or after this date (YYYY-MM-DD, or RFC 3339).
        #[arg(long, value_name = "DATE")]
        since: Option<String>,
        /// At most this many.
        #[arg(long, default_value_t = 500, conflicts_with = "all")]
        limit: usize,
        /// Every request: follow every next-page link, however many there are.
        #[arg(long)]
        all: bool,
        /// --json / --jq.
        #[command(flatten)]
        out: JsonArgs,
    },
    /// Add a note to a service request.
    #[command(group = clap::ArgGroup::new("note_text").required(true).args(["text", "text_file"]))]
    Note {
        /// Service request id.
        id: String,
        /// The note's text.
        #[arg(long)]
        text: Option<String>,
        /// Read the note from a file, or `-` for standard input.
        #[arg(long, value_name = "FILE")]
        text_file: Option<PathBuf>,
        /// Azure: the message's subject (default "Re: " and the ticket's title).
        #[arg(long)]
        subject: Option<String>,
        /// A customer's request (tenant id).
        #[arg(long, value_name = "TENANT")]
        customer: Option<String>,
        /// --json / --jq.
        #[command(flatten)]
        out: JsonArgs,
    },
    /// Close a service request (asks "Close request ID? [y/N]" first unless --yes).
    Close {
        /// Service request id.
        id: String,
        /// A customer's request (tenant id).
        #[arg(long, value_name = "TENANT")]
        customer: Option<String>,
        /// Close without asking (needed when standard input is not a terminal).
        #[arg(long, short = 'y')]
        yes: bool,
        /// --json / --jq.
        #[command(flatten)]
        out: JsonArgs,
    },
    /// Azure: change the severity of a ticket.
    Update {
        /// The ticket's name.
        id: String,
        /// The new severity.
        #[arg(long, ignore_case = true, value_parser = severity_parser())]
        severity: Severity,
        /// A customer's ticket (tenant id).
        #[arg(long, value_name = "TENANT")]
        customer: Option<String>,
        /// --json / --jq.
        #[command(flatten)]
        out: JsonArgs,
    },
    /// Azure: upload files to a ticket (1 byte to 5 MiB each).
    Attach {
        /// The ticket's name.
        id: String,
        /// The files.
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
        /// A customer's ticket (tenant id).
        #[arg(long, value_name = "TENANT")]
        customer: Option<String>,
    },
    /// Azure: the subscriptions the sign-in can see.
    Subscriptions {
        /// --json / --jq.
        #[command(flatten)]
        out: JsonArgs,
    },
    /// Local history of submissions.
    History {
        /// --json / --jq.
        #[command(flatten)]
        out: JsonArgs,
    },
    /// Submits whose outcome is not known yet, and failed ones (local, no network).
    Outbox {
        /// resend or discard; none lists them.
        #[command(subcommand)]
        action: Option<OutboxAction>,
        /// --json / --jq.
        #[command(flatten)]
        out: JsonArgs,
    },
    /// The built-in Partner Center emulator.
    Sandbox {
        /// What to do with it.
        #[command(subcommand)]
        action: SandboxAction,
    },
    /// Print a shell completion script.
    Completions {
        /// bash, zsh, fish, elvish or powershell.
        shell: clap_complete::Shell,
    },
    /// Print the man page (roff), or write one page per subcommand into a folder.
    Man {
        /// Write pcsr-tui.1 and pcsr-tui-SUBCOMMAND.1 files here instead of printing pcsr-tui(1).
        #[arg(long, value_name = "DIR", value_hint = clap::ValueHint::DirPath)]
        dir: Option<PathBuf>,
    },
    /// A redacted report for bug reports: version, backend, keyring, folders, store, reachability.
    Doctor {
        /// --json / --jq.
        #[command(flatten)]
        out: JsonArgs,
    },
}

/// `pcsr-tui outbox ...`.
#[derive(Debug, Subcommand)]
pub enum OutboxAction {
    /// Send them again with the same MS-RequestId (never filed twice); all pending if none named.
    Resend {
        /// Local ids (the LOCAL column of `pcsr-tui outbox`: `12` for a submit, `n3` for a note,
        /// `c4` for a close).
        #[arg(value_parser = parse_outbox_ref)]
        local: Vec<OutboxRef>,
        /// --json / --jq.
        #[command(flatten)]
        out: JsonArgs,
    },
    /// Drop one from the outbox (asks first unless --yes).
    Discard {
        /// Local id (`12`, `n3`, `c4`).
        #[arg(value_parser = parse_outbox_ref)]
        local: OutboxRef,
        /// Do not ask.
        #[arg(long)]
        yes: bool,
    },
}

/// One outbox entry as the commands name it: a submit by its local id (`12`), a note or a
/// close by its letter and id (`n3`, `c4`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OutboxRef {
    /// A submit's local id.
    Submit(i64),
    /// A note's or close's local id.
    Change(crate::store::ChangeKind, i64),
}

impl std::fmt::Display for OutboxRef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            OutboxRef::Submit(id) => write!(f, "#{id}"),
            OutboxRef::Change(kind, id) => write!(f, "{}{id}", kind.letter()),
        }
    }
}

/// Reads `12`, `#12`, `n3` or `c4`.
pub fn parse_outbox_ref(raw: &str) -> Result<OutboxRef, String> {
    use crate::store::ChangeKind;
    let raw = raw.trim();
    let (kind, digits) = match raw.chars().next() {
        Some('n' | 'N') => (Some(ChangeKind::Note), &raw[1..]),
        Some('c' | 'C') => (Some(ChangeKind::Close), &raw[1..]),
        Some('#') => (None, &raw[1..]),
        _ => (None, raw),
    };
    let id: i64 = digits.parse().map_err(|_| {
        format!("'{raw}' is not an outbox id: use the LOCAL column of `pcsr-tui outbox` (12, n3 or c4)")
    })?;
    Ok(match kind {
        Some(kind) => OutboxRef::Change(kind, id),
        None => OutboxRef::Submit(id),
    })
}

/// `pcsr-tui sandbox ...`.
#[derive(Debug, Subcommand)]
pub enum SandboxAction {
    /// Run the emulator as an HTTP server on 127.0.0.1 until interrupted.
    Serve {
        /// Port (0 picks a free one).
        #[arg(long, default_value_t = 0)]
        port: u16,
        /// A support agent answers each new request after SECONDS (fractions allowed): it adds
        /// a note and sets the status to attention needed.
        #[arg(
            long,
            value_name = "SECONDS",
            env = crate::sandbox::AGENT_REPLIES_ENV,
            value_parser = crate::sandbox::parse_agent_delay
        )]
        agent_replies: Option<std::time::Duration>,
        /// Also serve the /_sandbox/* control routes (queue faults, file many requests or a
        /// customer's) for tests and benches; off by default, since any local process could
        /// use them.
        #[arg(long)]
        control: bool,
    },
}

/// `pcsr-tui submit ...`.
#[derive(Debug, Args)]
pub struct SubmitArgs {
    /// Title (at most 255 characters).
    #[arg(long)]
    pub title: Option<String>,
    /// Description text.
    #[arg(long, conflicts_with = "description_file")]
    pub description: Option<String>,
    /// Read the description from a file, or `-` for standard input.
    #[arg(long, value_name = "FILE")]
    pub description_file: Option<PathBuf>,
    /// How urgent the request is.
    #[arg(long, ignore_case = true, value_parser = severity_parser())]
    pub severity: Option<Severity>,
    /// Support topic id (see `pcsr-tui topics`; Azure: the full problemClassificationId).
    #[arg(long, value_name = "ID")]
    pub topic: Option<String>,
    /// Azure: the ticket's resource name (default: one chosen and recorded before the first send).
    #[arg(long, value_name = "NAME")]
    pub name: Option<String>,
    /// Azure: may support collect advanced diagnostic information (default [azure] consent).
    #[arg(long, value_name = "yes|no", value_parser = yes_no_parser())]
    pub consent: Option<bool>,
    /// Azure: the ARM id of the resource the ticket is about.
    #[arg(long, value_name = "ID")]
    pub resource_id: Option<String>,
    /// Azure: a file to upload to the ticket once it is filed (repeatable).
    #[arg(long, value_name = "FILE")]
    pub attach: Vec<PathBuf>,
    /// Print the server's JSON.
    #[arg(long)]
    pub json: bool,
    /// Filter the JSON with a jq expression (implies --json); string results print raw.
    #[arg(long, value_name = "EXPR")]
    pub jq: Option<String>,
}

/// `--json` and `--jq`, for every command that prints JSON.
#[derive(Debug, Clone, Default, Args)]
pub struct JsonArgs {
    /// Print the JSON (the server's object, camelCase).
    #[arg(long)]
    pub json: bool,
    /// Filter the JSON with a jq expression (implies --json); string results print raw.
    #[arg(long, value_name = "EXPR")]
    pub jq: Option<String>,
}

impl JsonArgs {
    /// Whether to print JSON: `--json`, or `--jq` which implies it.
    pub fn enabled(&self) -> bool {
        self.json || self.jq.is_some()
    }
}

impl GlobalArgs {
    /// The session settings these options and the environment ask for.
    pub fn settings(&self) -> Settings {
        Settings {
            base_url: self.base_url.clone().filter(|s| !s.trim().is_empty()),
            token: std::env::var("PCSR_TOKEN").ok(),
            cloud: self.cloud,
            locale: self.locale.clone(),
            data_dir: self.data_dir.clone(),
            sandbox: self.sandbox,
            backend: self.backend,
            subscription: self.subscription.clone().filter(|s| !s.trim().is_empty()),
            customer: None,
            config: crate::config::UserConfig::default(),
        }
    }
}

impl CliCommand {
    /// Whether the command uses config.toml; printing completions or man pages does not, so a
    /// broken file never stands in the way of packaging them.
    pub(super) fn reads_config(&self) -> bool {
        !matches!(self, CliCommand::Completions { .. } | CliCommand::Man { .. })
    }

    /// The `--jq` expression this command was given, if any.
    pub(super) fn jq(&self) -> Option<&str> {
        match self {
            CliCommand::Topics { out, .. }
            | CliCommand::Show { out, .. }
            | CliCommand::List { out, .. }
            | CliCommand::Note { out, .. }
            | CliCommand::Close { out, .. }
            | CliCommand::Update { out, .. }
            | CliCommand::Subscriptions { out }
            | CliCommand::History { out }
            | CliCommand::Doctor { out } => out.jq.as_deref(),
            CliCommand::Submit(args) => args.jq.as_deref(),
            // `outbox resend --jq` or `outbox --jq resend`: either place works.
            CliCommand::Outbox { action, out } => match action {
                Some(OutboxAction::Resend { out: resend, .. }) => resend.jq.as_deref().or(out.jq.as_deref()),
                _ => out.jq.as_deref(),
            },
            _ => None,
        }
    }
}
